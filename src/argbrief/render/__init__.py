"""Argument-map diagrams: map -> map view -> DOT (pydot) -> Graphviz ``dot`` -> SVG/PNG/PDF.

The stages, each a module of its own and each public so that other diagrams
(the comparison diagram) can reuse them:

- :mod:`.view` — the plain frozen view classes (boxes, arrows, clusters);
- :mod:`.mapview` — an :class:`~argbrief.model.ArgumentMap` as a view, and its split into overview + branches;
- :mod:`.labels` — the only place user text becomes markup (Graphviz HTML-like labels), and the legend;
- :mod:`.theme` — the shared no-colour geometry and the ``default``, ``print`` and ``colorblind`` colours;
- :mod:`.graphviz` — :func:`view_to_dot`, :func:`run_dot`, measuring;
- :mod:`.page` — paper sizes, fitting a drawing to a sheet, and the legibility rule (smallest text);
- :mod:`.split` — splitting a map, recursively, into drawings that each fit with legible text;
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
from .mapview import map_view, split_views
from .options import DIRECTIONS, FORMATS, PAGES, SPLITS, THEMES, Diagram, RenderOptions
from .page import MIN_READABLE_PT, PageFit, fit, graph_attrs, smallest_text_pt
from .raster import svg_to_png
from .split import PAGE_REFS, Drawing, RefStyle, plan_drawings
from .theme import Theme, get_theme
from .view import ChangeMarks, MapView, ViewCluster, ViewEdge, ViewNode

__all__ = [
    "ChangeMarks",
    "DIRECTIONS",
    "FORMATS",
    "MIN_READABLE_PT",
    "PAGES",
    "PAGE_REFS",
    "SPLITS",
    "THEMES",
    "Diagram",
    "DotCache",
    "Drawing",
    "MapView",
    "PageFit",
    "RefStyle",
    "RenderOptions",
    "Theme",
    "ViewCluster",
    "ViewEdge",
    "ViewNode",
    "fit",
    "get_theme",
    "graph_attrs",
    "map_to_dot",
    "map_view",
    "measure",
    "plan",
    "plan_drawings",
    "render_map",
    "run_dot",
    "smallest_text_pt",
    "split_views",
    "view_to_dot",
]


def plan(
    amap: ArgumentMap,
    options: RenderOptions = RenderOptions(),
    *,
    cache: DotCache | None = None,
    box_pt: tuple[float, float] | None = None,
    refs: RefStyle = RefStyle(),
    changes: ChangeMarks | None = None,
) -> tuple[tuple[MapView, str], ...]:
    """The diagrams to draw for ``amap``: each view with its final DOT source (see :func:`plan_drawings`).

    ``changes`` makes a change diagram (see :func:`.mapview.map_view`).
    """
    drawings = plan_drawings(amap, options, cache=cache, box_pt=box_pt, refs=refs, changes=changes)
    return tuple((d.view, d.source) for d in drawings)


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
    name: str | None = None,
    refs: RefStyle = RefStyle(),
    box_pt: tuple[float, float] | None = None,
    changes: ChangeMarks | None = None,
) -> tuple[Diagram, ...]:
    """Draw ``amap``: the whole map or, when split, the overview first and then one diagram per branch.

    ``name`` is the first diagram's name (default: the map id), ``refs`` the
    words its boxes use for one another, ``box_pt`` a frame to fit instead of
    the page (see :func:`plan_drawings`). ``cache`` keeps Graphviz output
    between runs (see :mod:`.cache`). Raises :class:`~argbrief.errors.ToolError`
    when Graphviz is missing or fails. ``changes`` makes a change diagram
    (:class:`.view.ChangeMarks`).
    """
    diagrams = []
    for drawing in plan_drawings(amap, options, cache=cache, name=name, refs=refs, box_pt=box_pt, changes=changes):
        view, source = drawing.view, drawing.source
        if options.fmt == "dot":
            data, (width, height) = source.encode("utf-8"), (0.0, 0.0)
        else:
            # A plan drew each SVG with the layout that measured it: no second layout. A PNG is the
            # picture of that SVG (argbrief.render.raster), not a ``dot -Tpng`` with a layout of its own.
            fmt = "svg" if options.fmt == "png" else options.fmt
            data = drawing.svg or run_dot(source, fmt, cache=cache)
            if options.fmt == "png":
                data = svg_to_png(data, options.dpi, cache=cache, name=f"diagram '{view.name}'")
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
                number=drawing.number,
                parent=drawing.parent,
                part=view.part_title.split(":")[0] if view.part_title else "",
                smallest_pt=drawing.smallest_pt,
                legible=drawing.fit is None or drawing.fit.legible(options.min_font),
            )
        )
    return tuple(diagrams)
