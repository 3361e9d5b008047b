"""Argument-map diagrams: map -> map view -> DOT (pydot) -> Graphviz ``dot`` -> SVG/PNG/PDF.

The stages, each a module of its own and each public so that other diagrams
(the comparison diagram) can reuse them:

- :mod:`.view` — the plain frozen view classes (boxes, arrows, clusters);
- :mod:`.mapview` — an :class:`~argbrief.model.ArgumentMap` as a view, and its split into overview + branches;
- :mod:`.labels` — the only place user text becomes markup (Graphviz HTML-like labels), and the legend;
- :mod:`.theme` — the shared no-colour geometry and the ``default``, ``print`` and ``colorblind`` colours;
- :mod:`.graphviz` — :func:`view_to_dot`, :func:`run_dot`, measuring;
- :mod:`.page` — fitting a drawing to A4 or Letter;
- :mod:`.cache` — Graphviz output kept under a hash of its input (optional);
- :mod:`.files` — loading a map by id or path and writing diagrams atomically (the ``render`` command).

Example::

    from argbrief.render import RenderOptions, render_map
    for d in render_map(amap, RenderOptions(fmt="svg", theme="print", page="A4", split="auto")):
        Path(f"{d.name}.svg").write_bytes(d.data)
"""

from __future__ import annotations

from ..model import ArgumentMap
from .cache import DotCache
from .graphviz import drawing_size, measure, run_dot, view_to_dot
from .mapview import branch_sizes, map_view, split_views, stagger
from .options import DIRECTIONS, FORMATS, PAGES, SPLITS, THEMES, Diagram, RenderOptions
from .page import PageFit, fit, graph_attrs
from .theme import Theme, get_theme
from .view import ChangeMarks, MapView, ViewCluster, ViewEdge, ViewNode

__all__ = [
    "ChangeMarks",
    "DIRECTIONS",
    "FORMATS",
    "PAGES",
    "SPLITS",
    "THEMES",
    "Diagram",
    "DotCache",
    "MapView",
    "RenderOptions",
    "Theme",
    "ViewCluster",
    "ViewEdge",
    "ViewNode",
    "get_theme",
    "map_to_dot",
    "map_view",
    "plan",
    "render_map",
    "run_dot",
    "split_views",
    "view_to_dot",
]


def plan(
    amap: ArgumentMap,
    options: RenderOptions = RenderOptions(),
    *,
    cache: DotCache | None = None,
    changes: ChangeMarks | None = None,
) -> tuple[tuple[MapView, str], ...]:
    """The diagrams to draw for ``amap``: each view with its final DOT source.

    With ``options.page`` set each drawing is laid out once to be measured, then
    given a size for the sheet. ``split="auto"`` splits a map whose drawing
    would not be readable on the sheet: the smallest branches stay whole in the
    overview for as long as it remains readable, the others get a diagram each.
    ``changes`` makes a change diagram (see :func:`.mapview.map_view`).
    """
    theme = get_theme(options.theme)

    def placed(view: MapView, legend_rows: int | None = None) -> PageFit:
        source = view_to_dot(view, theme, options, legend_rows=legend_rows)
        return fit(*measure(source, cache=cache), options.page)

    whole = map_view(amap, changes=changes)
    if options.split == "always":
        views = split_views(whole)
    elif options.split == "auto" and options.page != "none" and not placed(whole).readable:
        inline: list[str] = []
        by_size = sorted(branch_sizes(whole).items(), key=lambda item: item[1])
        for branch, _ in by_size[:-1]:  # keeping every branch would be the whole map again
            if not placed(split_views(whole, [*inline, branch])[0]).readable:
                break
            inline.append(branch)
        views = split_views(whole, inline)
    else:
        views = (whole,)
    out = []
    for view in views:
        if options.page == "none":
            out.append((view, view_to_dot(view, theme, options)))
            continue
        # A drawing too small to read gets a second try at fitting: its top
        # box's children staggered over two rows, the legend laid flatter or
        # taller. The variant that prints largest wins (the first on a tie).
        variants = [(view, None)]
        if not placed(view).readable:
            staggered = stagger(view, depth=2) if view.part else view
            variants += [(v, rows) for v in dict.fromkeys((view, staggered)) for rows in (3, 8) if (v, rows) != (view, None)]
        best, rows = max(variants, key=lambda vr: placed(*vr).scale)
        attrs = graph_attrs(placed(best, rows), options.fmt)
        out.append((view, view_to_dot(best, theme, options, attrs, legend_rows=rows)))
    return tuple(out)


def map_to_dot(
    amap: ArgumentMap,
    options: RenderOptions = RenderOptions(),
    *,
    cache: DotCache | None = None,
    changes: ChangeMarks | None = None,
) -> str:
    """The DOT source of the whole map (or, when split, of the overview)."""
    return plan(amap, options, cache=cache, changes=changes)[0][1]


def render_map(
    amap: ArgumentMap,
    options: RenderOptions = RenderOptions(),
    *,
    cache: DotCache | None = None,
    changes: ChangeMarks | None = None,
) -> tuple[Diagram, ...]:
    """Draw ``amap``: the whole map or, when split, the overview first and then one diagram per branch.

    ``cache`` keeps Graphviz output between runs (see :mod:`.cache`). Raises
    :class:`~argbrief.errors.ToolError` when Graphviz is missing or fails.
    ``changes`` makes a change diagram (:class:`.view.ChangeMarks`).
    """
    diagrams = []
    for view, source in plan(amap, options, cache=cache, changes=changes):
        if options.fmt == "dot":
            data, (width, height) = source.encode("utf-8"), (0.0, 0.0)
        else:
            dpi = options.dpi if options.fmt == "png" else None
            data = run_dot(source, options.fmt, dpi=dpi, cache=cache)
            width, height = drawing_size(data, options.fmt, options.dpi)
        diagrams.append(
            Diagram(
                name=view.name,
                title=f"{view.title} — {view.part_title}" if view.part_title else view.title,
                fmt=options.fmt,
                data=data,
                node_ids=view.node_refs,
                width_pt=width,
                height_pt=height,
            )
        )
    return tuple(diagrams)
