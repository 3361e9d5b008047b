"""Argument-map diagrams: map -> map view -> DOT (pydot) -> Graphviz ``dot`` -> SVG/PNG/PDF.

The stages, each a module of its own and each public so that other diagrams
(the comparison diagram) can reuse them:

- :mod:`.view` — the plain frozen view classes (boxes, arrows, clusters);
- :mod:`.mapview` — an :class:`~argbrief.model.ArgumentMap` as a view, and its split into overview + branches;
- :mod:`.labels` — the only place user text becomes markup (Graphviz HTML-like labels), and the legend;
- :mod:`.theme` — the shared no-colour geometry and the ``default``, ``print`` and ``colorblind`` colours;
- :mod:`.graphviz` — :func:`view_to_dot`, :func:`run_dot`, measuring;
- :mod:`.page` — fitting a drawing to A4 or Letter;
- :mod:`.files` — loading a map by id or path and writing diagrams atomically (the ``render`` command).

Example::

    from argbrief.render import RenderOptions, render_map
    for d in render_map(amap, RenderOptions(fmt="svg", theme="print", page="A4", split="auto")):
        Path(f"{d.name}.svg").write_bytes(d.data)
"""

from __future__ import annotations

from ..model import ArgumentMap
from .graphviz import drawing_size, measure, run_dot, view_to_dot
from .mapview import map_view, split_views
from .options import DIRECTIONS, FORMATS, PAGES, SPLITS, THEMES, Diagram, RenderOptions
from .page import fit, graph_attrs
from .theme import Theme, get_theme
from .view import MapView, ViewCluster, ViewEdge, ViewNode

__all__ = [
    "DIRECTIONS",
    "FORMATS",
    "PAGES",
    "SPLITS",
    "THEMES",
    "Diagram",
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


def plan(amap: ArgumentMap, options: RenderOptions = RenderOptions()) -> tuple[tuple[MapView, str], ...]:
    """The diagrams to draw for ``amap``: each view with its final DOT source.

    With ``options.page`` set each drawing is laid out once to be measured, then
    given a size for the sheet; ``split="auto"`` splits the map when its
    drawing would not stay readable on that sheet.
    """
    theme = get_theme(options.theme)
    whole = map_view(amap)
    if options.split == "always":
        views = split_views(whole)
    elif options.split == "auto" and options.page != "none":
        source = view_to_dot(whole, theme, options)
        placed = fit(*measure(source), options.page)
        views = (whole,) if placed.readable else split_views(whole)
    else:
        views = (whole,)
    out = []
    for view in views:
        source = view_to_dot(view, theme, options)
        if options.page != "none":
            placed = fit(*measure(source), options.page)
            source = view_to_dot(view, theme, options, graph_attrs(placed, options.fmt))
        out.append((view, source))
    return tuple(out)


def map_to_dot(amap: ArgumentMap, options: RenderOptions = RenderOptions()) -> str:
    """The DOT source of the whole map (or, when split, of the overview)."""
    return plan(amap, options)[0][1]


def render_map(amap: ArgumentMap, options: RenderOptions = RenderOptions()) -> tuple[Diagram, ...]:
    """Draw ``amap``: the whole map or, when split, the overview first and then one diagram per branch.

    Raises :class:`~argbrief.errors.ToolError` when Graphviz is missing or fails.
    """
    diagrams = []
    for view, source in plan(amap, options):
        if options.fmt == "dot":
            data, (width, height) = source.encode("utf-8"), (0.0, 0.0)
        else:
            dpi = options.dpi if options.fmt == "png" else None
            data = run_dot(source, options.fmt, dpi=dpi)
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
