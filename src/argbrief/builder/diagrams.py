"""Stage 2: the diagrams of the packs, as small jobs that can run in worker processes.

Two kinds of job, so that a pool of workers stays busy:

- :func:`plan_map` / :func:`plan_comparison` decide a map's (or comparison's)
  drawings: the split into overview and branches and the size for the page.
  This lays the drawings out to measure them (``dot -Tplain``); the same runs
  draw them as SVG (``-Tsvg``), so a planned map's SVGs come with its plan.
- :func:`draw` lays out and renders one drawing in one format
  (``dot -Tpng`` for Word; ``dot -Tsvg`` only where a plan did not draw it).

Jobs take and return plain picklable data (model objects, strings, bytes).
Every ``dot`` call goes through :func:`argbrief.render.run_dot` with the
project's :class:`~argbrief.render.cache.DotCache`, keyed per format, so a
drawing that has not changed costs nothing in the next build, and with the
build's :class:`~argbrief.render.graphviz.DotLimits` (a time limit per run, a
deadline for the build). A failing ``dot`` stops the build at once, and its
error names the map (or pack) and the drawing.

Why the PNG is a ``dot`` run of its own: it needs ``dpi=200``, and that graph
attribute also rescales the SVG (its size and ``scale()`` change), so the run
that measures and draws the SVG cannot give the PNG as it must be. It shares
everything else: the plan (split, measuring, DOT source) is made once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from attrs import frozen

from ..errors import ToolError
from ..model import ArgumentMap
from ..render.cache import DotCache, MemoryDotCache
from ..render.graphviz import DOT_TIMEOUT, DotLimits, dot_limits, timeout_from_environment
from ..render.page import smallest_text_pt

if TYPE_CHECKING:
    from ..compare import Comparison
    from ..packs.document import RenderedDiagram
    from ..project import Workspace
    from .events import Progress
    from .plan import PackPlan
    from .pool import Runner

__all__ = ["DOT_TIMEOUT", "CacheSpec", "draw", "draw_diagrams", "plan_comparison", "plan_map", "timeout_from_environment"]


@frozen(kw_only=True)
class CacheSpec:
    """Which Graphviz cache a worker uses: the project's folder (maybe read-only), or none.

    ``root`` is the project: the folder must be inside it (:mod:`argbrief.paths`).
    """

    folder: str | None
    readonly: bool = False
    root: str | None = None

    def open(self) -> DotCache:
        if self.folder is None:
            return MemoryDotCache()
        key = (self.folder, self.readonly, self.root)
        if key not in _caches:
            _caches[key] = DotCache(self.folder, readonly=self.readonly, root=self.root)
        return _caches[key]


# One cache object per process and folder: a read-only cache keeps what it drew in memory.
_caches: dict[tuple[str, bool, str | None], DotCache] = {}


@contextmanager
def _named(what: str) -> Iterator[None]:
    """A ToolError raised inside the block names ``what`` (the map, the drawing) first."""
    try:
        yield
    except ToolError as exc:
        raise ToolError(f"{what}: {exc}") from None


@frozen(kw_only=True)
class PlannedDiagram:
    """One drawing to make: its file stem, title, the nodes it shows, its final DOT source and (when the plan drew it) its SVG."""

    name: str
    title: str
    node_ids: tuple[str, ...]
    source: str
    svg: bytes = b""


@frozen(kw_only=True)
class Planned:
    """What a planning job returns."""

    diagrams: tuple[PlannedDiagram, ...]
    seconds: float
    cache_hits: int
    cache_misses: int


@frozen(kw_only=True)
class Drawn:
    """What a drawing job returns: the bytes of one drawing in one format."""

    data: bytes
    seconds: float
    cached: bool


def plan_map(amap: ArgumentMap, theme: str, page: str, cache: CacheSpec, limits: DotLimits = DotLimits()) -> Planned:
    """The drawings of ``amap`` for a pack: fitted to ``page``, split when it would not be readable."""
    from ..render import RenderOptions, plan_drawings

    start = time.perf_counter()
    dot_cache = cache.open()
    hits, misses = dot_cache.hits, dot_cache.misses
    options = RenderOptions(fmt="svg", theme=theme, page=page, split="auto")
    with _named(f"map '{amap.id}' (laying it out to fit the page)"), dot_limits(limits):
        drawings = plan_drawings(amap, options, cache=dot_cache)
    planned = tuple(
        PlannedDiagram(
            name=d.view.name,
            title=f"{d.view.title} — {d.view.part_title}" if d.view.part_title else d.view.title,
            node_ids=d.view.node_refs,
            source=d.source,
            svg=d.svg,
        )
        for d in drawings
    )
    return Planned(
        diagrams=planned,
        seconds=time.perf_counter() - start,
        cache_hits=dot_cache.hits - hits,
        cache_misses=dot_cache.misses - misses,
    )


def plan_comparison(
    comparison: Comparison,
    theme: str,
    page: str,
    cache: CacheSpec,
    map_titles: Mapping[str, str] | None = None,
    limits: DotLimits = DotLimits(),
) -> Planned:
    """The comparison diagram of a pack, fitted to ``page`` (as :func:`~argbrief.render.comparison.render_comparison`
    does, with the project's cache); the positions' maps named by their titles."""
    from ..render import RenderOptions
    from ..render.comparison import comparison_to_dot
    from ..render.graphviz import draw_scaled, measure_drawing
    from ..render.page import fit, graph_attrs

    start = time.perf_counter()
    dot_cache = cache.open()
    hits, misses = dot_cache.hits, dot_cache.misses
    options = RenderOptions(fmt="svg", theme=theme, page=page)
    full = comparison_to_dot(comparison, options, map_titles=map_titles)
    with _named(f"the comparison diagram of pack '{comparison.pack_id}'"), dot_limits(limits):
        size, full_svg = measure_drawing(full, cache=dot_cache)
        attrs = graph_attrs(fit(*size, page), "svg")
        source = comparison_to_dot(comparison, options, attrs, map_titles)
        # The SVG from the layout that measured it, scaled for the page as dot would (no second layout).
        svg = draw_scaled(source, attrs["size"], full_svg, cache=dot_cache)
    diagram = PlannedDiagram(
        name=f"{comparison.pack_id}-comparison",
        title=f"{comparison.title} — comparison" if comparison.title else "Comparison",
        node_ids=tuple(r.question.id for r in comparison.results) + tuple(p.id for p in comparison.positions),
        source=source,
        svg=svg,
    )
    return Planned(
        diagrams=(diagram,),
        seconds=time.perf_counter() - start,
        cache_hits=dot_cache.hits - hits,
        cache_misses=dot_cache.misses - misses,
    )


def draw(
    source: str, fmt: str, dpi: int | None, cache: CacheSpec, limits: DotLimits = DotLimits(), name: str = "a diagram"
) -> Drawn:
    """``source`` rendered by ``dot -T<fmt>`` (``name`` says which drawing, for errors).

    :func:`~argbrief.render.graphviz.run_dot` checks the output (SVG with
    nothing that runs or fetches, a whole PNG): a cached entry that fails the
    check is drawn again; fresh output that fails it is a
    :class:`~argbrief.errors.ToolError`.
    """
    from ..render.graphviz import run_dot

    start = time.perf_counter()
    dot_cache = cache.open()
    hits = dot_cache.hits
    with _named(f"diagram '{name}'"), dot_limits(limits):
        data = run_dot(source, fmt, dpi=dpi, cache=dot_cache)
    return Drawn(data=data, seconds=time.perf_counter() - start, cached=dot_cache.hits > hits)


# --------------------------------------------------------------------------- the stage


#: A drawing set is made once per (map id, theme, page); a pack's comparison is keyed ("comparison:<pack>", theme, page).
Key = tuple[str, str, str]


def map_key(map_id: str, plan: PackPlan) -> Key:
    return (map_id, plan.theme, plan.page)


def comparison_key(plan: PackPlan) -> Key:
    return (f"comparison:{plan.pack_id}", plan.theme, plan.page)


@frozen(kw_only=True)
class Drawings:
    """Every drawing the stale packs need, as the document model takes them."""

    diagrams: Mapping[Key, tuple[RenderedDiagram, ...]]
    cache_hits: int
    cache_misses: int


def draw_diagrams(
    ws: Workspace,
    work: Sequence[tuple[PackPlan, tuple[str, ...]]],
    comparisons: Mapping[str, Comparison],
    runner: Runner,
    cache: CacheSpec,
    limits: DotLimits,
    emit: Progress,
) -> Drawings:
    """Plan every map (and comparison) of ``work`` once, then draw each drawing as SVG, and as PNG where a Word file needs it.

    Planning jobs go first, biggest map first; each finished plan queues its
    drawing jobs at once, so the workers stay busy. One ``step`` event per map.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    from ..packs.document import RenderedDiagram
    from ..render.graphviz import drawing_size
    from .events import BuildEvent
    from .plan import PNG_DPI

    png: dict[Key, bool] = {}
    jobs: dict[Key, tuple] = {}
    for plan, units in work:
        for mid in ws.packs[plan.pack_id].map_ids():
            if mid in ws.maps:
                png[map_key(mid, plan)] = png.get(map_key(mid, plan), False) or "docx" in units
        if plan.pack_id in comparisons:
            png[comparison_key(plan)] = "docx" in units
    for key in sorted(png, key=lambda k: (k[0].startswith("comparison:"), -_size(ws, k[0]), k)):
        mid, theme, page = key
        if mid.startswith("comparison:"):
            cmp = comparisons[mid.removeprefix("comparison:")]
            titles = {m: ws.maps[m].title or m for p in cmp.positions for m in p.maps if m in ws.maps}
            jobs[key] = (plan_comparison, cmp, theme, page, cache, titles, limits)
        else:
            jobs[key] = (plan_map, ws.maps[mid], theme, page, cache, limits)

    total = len(jobs)
    emit(BuildEvent(kind="stage", stage="diagrams", message="drawing diagrams", total=total))
    planned: dict[Key, Planned] = {}
    drawn: dict[tuple[Key, int, str], Drawn] = {}
    left: dict[Key, int] = {}
    owner: dict = {runner.submit(*job): (key, None, None) for key, job in jobs.items()}
    hits = misses = 0

    def done(key: Key) -> None:
        mine = [d for (k, _, _), d in drawn.items() if k == key]
        name = key[0].removeprefix("comparison:") + (" comparison" if key[0].startswith("comparison:") else "")
        n = len(planned[key].diagrams)
        emit(
            BuildEvent(
                kind="step",
                stage="diagrams",
                message=f"{name}: {n} diagram{'s' * (n != 1)} ({'svg, png' if png[key] else 'svg'}; "
                f"{sum(d.cached for d in mine)} of {len(mine)} from cache)",
                done=sum(1 for n in left.values() if n == 0),
                total=total,
            )
        )

    pending = set(owner)
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            key, index, fmt = owner[future]
            result = future.result()  # a failed job stops the build here
            if index is None:  # a plan: queue its drawings, PNG (slower) first
                planned[key] = result
                hits, misses = hits + result.cache_hits, misses + result.cache_misses
                formats = [("png", PNG_DPI), ("svg", None)] if png[key] else [("svg", None)]
                left[key] = 0
                for i, diagram in enumerate(result.diagrams):
                    for f, dpi in formats:
                        if f == "svg" and diagram.svg:  # drawn by the plan, from the layout that measured it
                            drawn[key, i, f] = Drawn(data=diagram.svg, seconds=0.0, cached=result.cache_misses == 0)
                            continue
                        job = runner.submit(draw, diagram.source, f, dpi, cache, limits, diagram.name)
                        owner[job] = (key, i, f)
                        pending.add(job)
                        left[key] += 1
            else:
                drawn[key, index, fmt] = result
                hits, misses = hits + result.cached, misses + (not result.cached)
                left[key] -= 1
            if left[key] == 0:
                done(key)

    out: dict[Key, tuple[RenderedDiagram, ...]] = {}
    for key, p in planned.items():
        rendered = []
        for i, d in enumerate(p.diagrams):
            svg = drawn[key, i, "svg"].data
            width, height = drawing_size(svg, "svg", PNG_DPI)
            rendered.append(
                RenderedDiagram(
                    name=d.name,
                    title=d.title,
                    svg=svg,
                    png=drawn[key, i, "png"].data if (key, i, "png") in drawn else b"",
                    width_pt=width,
                    height_pt=height,
                    node_ids=d.node_ids,
                    text_scale=svg_scale(svg),
                    smallest_pt=smallest_text_pt(d.source),
                )
            )
        out[key] = tuple(rendered)
    return Drawings(diagrams=out, cache_hits=hits, cache_misses=misses)


def _size(ws: Workspace, map_id: str) -> int:
    amap = ws.maps.get(map_id)
    return sum(1 for _ in amap.walk()) if amap is not None else 0


_SVG_SCALE = re.compile(rb'<g id="graph0" class="graph" transform="scale\(([\d.]+)')


def svg_scale(svg: bytes) -> float:
    """The scale Graphviz applied to fit the drawing to its ``size`` (1 when it did not)."""
    found = _SVG_SCALE.search(svg[:4000])
    return min(1.0, float(found.group(1))) if found else 1.0
