"""Stage 2: the diagrams of the packs, as small jobs that can run in worker processes.

Two kinds of job, so that a pool of workers stays busy:

- :func:`plan_map` / :func:`plan_comparison` decide a map's (or comparison's)
  drawings: the split into overview and branches and the size for the page.
  This lays the drawings out to measure them (``dot -Tplain``); the same runs
  draw them as SVG (``-Tsvg``), so a planned map's SVGs come with its plan.
- :func:`draw` lays out and renders one drawing as SVG (``dot -Tsvg``, only
  where a plan did not draw it).
- :func:`rasterise` makes the PNG picture a Word file shows beside each SVG,
  from that drawing's final SVG bytes (:func:`argbrief.render.raster.svg_to_png`):
  the same layout the PDF and HTML show, and no ``dot`` run of its own.

Jobs take and return plain picklable data (model objects, strings, bytes).
Every ``dot`` call goes through :func:`argbrief.render.run_dot` with the
project's :class:`~argbrief.render.cache.DotCache`, keyed per format, so a
drawing that has not changed costs nothing in the next build, and with the
build's :class:`~argbrief.render.graphviz.DotLimits` (a time limit per run, a
deadline for the build). A failing ``dot`` stops the build at once, and its
error names the map (or pack) and the drawing.

The PNG pictures are drawn after every SVG is known, as jobs of their own
that take the SVG bytes, whichever way those were made. They are cached in the
same folder, keyed by the SVG, the resolution and the rasteriser's version.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from ..errors import ToolError
from ..model import ArgumentMap
from ..render.cache import DotCache, MemoryDotCache
from ..render.graphviz import DOT_TIMEOUT, DotLimits, dot_limits, timeout_from_environment
from ..render.page import PAD_PT, PageFit, smallest_text_pt
from ..render.split import Drawing, RefStyle

if TYPE_CHECKING:
    from ..compare import Comparison
    from ..packs.document import RenderedDiagram
    from ..project import Workspace
    from ..render import RenderOptions
    from .events import Progress
    from .plan import PackPlan
    from .pool import Runner

__all__ = [
    "DOT_TIMEOUT",
    "CacheSpec",
    "draw",
    "draw_diagrams",
    "plan_comparison",
    "plan_map",
    "rasterise",
    "timeout_from_environment",
]


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
    """One drawing to make: its file stem, title, the nodes it shows and its DOT source.

    The source's references to other figures carry placeholder numbers until the
    pack numbers its figures (:func:`figure_sources`).
    """

    name: str
    title: str
    node_ids: tuple[str, ...]
    source: str
    #: Planned for a landscape page of the pack (else portrait).
    landscape: bool = False
    #: The name of the drawing this one continues ("" for a map's first).
    parent: str = ""
    #: The drawing as SVG, from the layout that measured it (empty: draw ``source``).
    svg: bytes = attrs.field(default=b"", repr=False)


@frozen(kw_only=True)
class Planned:
    """What a planning job returns: the drawings, and the plan they came from (for relabelling)."""

    diagrams: tuple[PlannedDiagram, ...]
    seconds: float
    cache_hits: int
    cache_misses: int
    drawings: tuple[Drawing, ...] = ()


@frozen(kw_only=True)
class Drawn:
    """What a drawing job returns: the bytes of one drawing in one format."""

    data: bytes
    seconds: float
    cached: bool


def pack_refs(first_number: int = 100) -> RefStyle:
    """How a pack's diagram boxes refer to the pack's other figures, numbered from ``first_number``.

    A summary box says "continued in Figure 12"; a branch's header and the stub of
    the box it bears on say "see Figure 9". Plans use three-digit numbers (as wide
    as a pack's numbers get) and :func:`figure_sources` relabels them.
    """
    # A no-break space keeps "Figure 12" on one line: a reader never meets a number alone at a line's
    # start, and :func:`figure_sources` can change the number in the planned SVG (see there).
    return RefStyle(
        onward="continued in Figure\u00a0{number}",
        back="see Figure\u00a0{number}",
        see="see Figure\u00a0{number}",
        first_number=first_number,
    )


def plan_map(
    amap: ArgumentMap,
    theme: str,
    page: str,
    cache: CacheSpec,
    limits: DotLimits = DotLimits(),
    position: str | None = None,
) -> Planned:
    """The drawings of ``amap`` for a pack on ``page`` paper: each legible in the pack's figure box.

    The legibility rule of ``argbrief render`` (:func:`~argbrief.render.split.plan_drawings`,
    every text at least :data:`~argbrief.render.page.MIN_READABLE_PT` on paper), with the
    pack's figure box (:meth:`~argbrief.packs._parts.Geometry.figure_box_pt`) as the frame:
    the map whole on a portrait page if it is legible there, else whole on a landscape page
    if it is legible there, else split (recursively) into drawings that each fit a portrait page.
    ``position`` is the name of the position the map argues, as the pack calls it (its
    heading shows that name, never the position's id; "" shows none; None: as the map says).
    """
    from ..packs._parts import Geometry
    from ..render import RenderOptions
    from ..render.split import plan_drawings

    start = time.perf_counter()
    dot_cache = cache.open()
    hits, misses = dot_cache.hits, dot_cache.misses
    geometry = Geometry.for_page(page)
    options = RenderOptions(fmt="svg", theme=theme, page=geometry.page, split="auto")
    refs = pack_refs()
    landscape = False
    if position is not None and position != amap.position:
        amap = attrs.evolve(amap, position=position)
    with _named(f"map '{amap.id}' (laying it out to fit the page)"), dot_limits(limits):
        # A pack's caption names the map beside every figure: only its first drawing repeats the map's title.
        drawings = plan_drawings(amap, options, box_pt=geometry.figure_box_pt(False), refs=refs, cache=dot_cache,
                                 repeat_header=False)
        if len(drawings) > 1 and _may_fit(amap, options, geometry.figure_box_pt(True), dot_cache):
            # A whole map on a landscape page reads better than an overview and its branches.
            whole = plan_drawings(amap, attrs.evolve(options, split="never"), box_pt=geometry.figure_box_pt(True),
                                  refs=refs, cache=dot_cache)
            if whole[0].fit is not None and whole[0].fit.legible(options.min_font):
                drawings, landscape = whole, True
    planned = tuple(
        PlannedDiagram(
            name=d.view.name,
            title=f"{drawings[0].view.title} — {d.view.part_title}" if d.view.part_title else drawings[0].view.title,
            node_ids=d.view.node_refs,
            source=d.source,
            landscape=landscape,
            parent=d.parent,
            svg=d.svg,
        )
        for d in drawings
    )
    return Planned(
        diagrams=planned,
        seconds=time.perf_counter() - start,
        cache_hits=dot_cache.hits - hits,
        cache_misses=dot_cache.misses - misses,
        drawings=drawings,
    )


def _may_fit(amap: ArgumentMap, options: RenderOptions, box_pt: tuple[float, float], cache: DotCache) -> bool:
    """Whether the whole map could be legible in ``box_pt``: its plain layout (measured while
    planning, so from the cache) is at most about twice the area the floor allows.

    The planner's layout variants (rows staggered, narrower boxes) seldom gain more; this
    spares the landscape attempt its dozen ``dot`` runs for a map far too large.
    """
    from ..render.graphviz import measure, view_to_dot
    from ..render.mapview import map_view
    from ..render.theme import get_theme

    source = view_to_dot(map_view(amap), get_theme(options.theme), options)
    width, height = measure(source, cache=cache)
    area = (width + 2 * PAD_PT) * (height + 2 * PAD_PT)
    best = min(1.0, (box_pt[0] * box_pt[1] / area) ** 0.5 * 1.45)
    return best * smallest_text_pt(source) >= options.min_font


def figure_sources(planned: Planned, first_number: int) -> tuple[tuple[str, ...], tuple[bytes, ...]]:
    """The DOT of each of a map's planned drawings, its references naming the pack's figures, and its SVG.

    ``first_number`` is the pack's number for the map's first figure; its other
    drawings follow in plan order, as the pack numbers them. The SVGs are the
    plan's own (the layouts it measured) with the placeholder numbers changed
    (:func:`~argbrief.render.split.renumbered_svgs`), so no drawing is laid out
    again; empty where the plan has none (then the DOT is drawn).
    """
    from ..render.split import relabel, renumbered_svgs

    svgs = tuple(d.svg for d in planned.diagrams)
    if len(planned.drawings) < 2:
        return tuple(d.source for d in planned.diagrams), svgs  # a whole map refers to no other figure
    refs = pack_refs(first_number)
    renumbered = renumbered_svgs(planned.drawings, pack_refs(), refs)
    return relabel(planned.drawings, refs), renumbered or (b"",) * len(planned.drawings)


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
    from ..packs._parts import Geometry
    from ..render import RenderOptions
    from ..render.comparison import comparison_to_dot
    from ..render.graphviz import draw_scaled, measure_drawing
    from ..render.page import fit, graph_attrs

    start = time.perf_counter()
    dot_cache = cache.open()
    hits, misses = dot_cache.hits, dot_cache.misses
    geometry = Geometry.for_page(page)
    base = RenderOptions(fmt="svg", theme=theme, page=geometry.page)
    # A comparison cannot be split: when it prints too small on the pack's page, narrower boxes
    # (and the legend in two rows) and closer columns make it narrower; portrait or landscape,
    # whichever prints larger. The first variant that is legible wins, else the largest.
    # The pack's heading and caption title and explain the figure: the drawing keeps only its legend.
    tries: list[tuple[PageFit, RenderOptions, dict[str, str]]] = []
    svgs: dict[int, bytes | None] = {}  # the full-size SVG of each variant measured, by its index
    with _named(f"the comparison diagram of pack '{comparison.pack_id}'"), dot_limits(limits):
        for wrap, spacing in _COMPARISON_VARIANTS:
            options = attrs.evolve(base, wrap=wrap or base.wrap)
            measured = comparison_to_dot(comparison, options, spacing, map_titles=map_titles, titled=False)
            size, svgs[len(svgs)] = measure_drawing(measured, cache=dot_cache)
            smallest = smallest_text_pt(measured)
            for turned in (False, True):
                placed = fit(*size, geometry.page, smallest_pt=smallest, box_pt=geometry.figure_box_pt(turned))
                tries.append((attrs.evolve(placed, landscape=turned), options, spacing))
            if any(t[0].legible(base.min_font) for t in tries):
                break
        legible = [t for t in tries if t[0].legible(base.min_font)]
        chosen = legible[0] if legible else max(tries, key=lambda t: t[0].printed_pt)
        placed, options, spacing = chosen
        landscape = placed.landscape
        size_attrs = graph_attrs(placed, "svg")
        source = comparison_to_dot(comparison, options, {**spacing, **size_attrs}, map_titles, titled=False)
        # The run that measured the chosen variant drew it too: its SVG, scaled, is the figure.
        svg = draw_scaled(source, size_attrs["size"], svgs[tries.index(chosen) // 2], cache=dot_cache)
    diagram = PlannedDiagram(
        name=f"{comparison.pack_id}-comparison",
        title=f"{comparison.title} — comparison" if comparison.title else "Comparison",
        node_ids=tuple(r.question.id for r in comparison.results) + tuple(p.id for p in comparison.positions),
        source=source,
        landscape=landscape,
        svg=svg,
    )
    return Planned(
        diagrams=(diagram,),
        seconds=time.perf_counter() - start,
        cache_hits=dot_cache.hits - hits,
        cache_misses=dot_cache.misses - misses,
    )


#: The comparison's layouts, from the authored one to the narrowest: (wrap, graph attributes).
_COMPARISON_VARIANTS: tuple[tuple[int, dict[str, str]], ...] = (
    (0, {}),
    (22, {"ranksep": "0.7", "nodesep": "0.12"}),
    (20, {"ranksep": "0.6", "nodesep": "0.1"}),
    (18, {"ranksep": "0.5", "nodesep": "0.1"}),
    (16, {"ranksep": "0.45", "nodesep": "0.1"}),
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


def rasterise(svg: bytes, dpi: int, cache: CacheSpec, name: str = "a diagram") -> Drawn:
    """The PNG picture of a drawing at ``dpi``, drawn from its final ``svg`` (no ``dot`` run; ``name`` for errors)."""
    from ..render.raster import svg_to_png

    start = time.perf_counter()
    dot_cache = cache.open()
    hits = dot_cache.hits
    data = svg_to_png(svg, dpi, cache=dot_cache, name=f"diagram '{name}'")
    return Drawn(data=data, seconds=time.perf_counter() - start, cached=dot_cache.hits > hits)


# --------------------------------------------------------------------------- the stage


#: A map is planned once per (map id, theme, page, the name of its position); a pack's comparison
#: is keyed ("comparison:<pack>", theme, page, "").
PlanKey = tuple[str, str, str, str]
#: A pack's drawings of one map: (map id, theme, page, pack id) — the figure numbers they name are the pack's.
Key = tuple[str, str, str, str]


def map_key(map_id: str, plan: PackPlan) -> Key:
    return (map_id, plan.theme, plan.page, plan.pack_id)


def comparison_key(plan: PackPlan) -> Key:
    return (f"comparison:{plan.pack_id}", plan.theme, plan.page, plan.pack_id)


@frozen(kw_only=True)
class Drawings:
    """Every drawing the stale packs need, as the document model takes them."""

    diagrams: Mapping[Key, tuple[RenderedDiagram, ...]]
    cache_hits: int
    cache_misses: int


def _position_names(ws: Workspace, pack_id: str) -> dict[str, str]:
    """Map id -> the name of the position it argues, as the pack calls it (its label, never its id); "" for none."""
    from ..packs._text import clean

    pack = ws.packs[pack_id]
    labels = {pos.id: clean(pos.label) or pos.id for pos in pack.positions}
    # A position the pack does not present (a reading pack has none) is not named at all:
    # its id means nothing to the pack's reader.
    return {mid: labels.get(amap.position, "") for mid in pack.map_ids() if (amap := ws.maps.get(mid))}


def draw_diagrams(
    ws: Workspace,
    work: Sequence[tuple[PackPlan, tuple[str, ...]]],
    comparisons: Mapping[str, Comparison],
    runner: Runner,
    cache: CacheSpec,
    limits: DotLimits,
    emit: Progress,
) -> Drawings:
    """Plan every map (and comparison) of ``work`` once, then draw each pack's drawings as SVG, and as PNG where a Word file needs it.

    Planning jobs go first, biggest map first. A pack's drawings refer to one
    another by the pack's figure numbers, which count across all its maps: as
    soon as every map of a pack is planned, its drawings are relabelled with
    those numbers (:func:`figure_sources`) and their drawing jobs queued, so the
    workers stay busy. Two packs that number a map's figures alike share its
    drawings. One ``step`` event per map of each pack.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    from ..packs.document import RenderedDiagram, figure_maps
    from ..render.graphviz import drawing_size
    from .events import BuildEvent

    png: dict[Key, bool] = {}
    sets: dict[Key, PlanKey] = {}  # each pack's drawings of a map -> the plan they come from
    order: dict[str, list[Key]] = {}  # pack id -> its drawing sets, in the order the pack numbers figures
    jobs: dict[PlanKey, tuple] = {}
    for plan, units in work:
        pack = ws.packs[plan.pack_id]
        names = _position_names(ws, plan.pack_id)
        keys: list[Key] = []
        if plan.pack_id in comparisons:
            keys.append(comparison_key(plan))
            sets[comparison_key(plan)] = (f"comparison:{plan.pack_id}", plan.theme, plan.page, "")
        for mid in figure_maps(pack, ws.maps):  # a map two positions argue is there twice: numbered twice
            keys.append(map_key(mid, plan))
            sets[map_key(mid, plan)] = (mid, plan.theme, plan.page, names.get(mid, ""))
        order[plan.pack_id] = keys
        for key in keys:
            png[key] = png.get(key, False) or "docx" in units
    for pkey in sorted(set(sets.values()), key=lambda k: (k[0].startswith("comparison:"), -_size(ws, k[0]), k)):
        mid, theme, page, position = pkey
        if mid.startswith("comparison:"):
            cmp = comparisons[mid.removeprefix("comparison:")]
            titles = {m: ws.maps[m].title or m for p in cmp.positions for m in p.maps if m in ws.maps}
            jobs[pkey] = (plan_comparison, cmp, theme, page, cache, titles, limits)
        else:
            jobs[pkey] = (plan_map, ws.maps[mid], theme, page, cache, limits, position)

    total = len(sets) + sum(png[key] for key in sets)  # a step per set of SVGs, and per set of PNGs
    emit(BuildEvent(kind="stage", stage="diagrams", message="drawing diagrams", total=total))
    planned: dict[PlanKey, Planned] = {}
    sources: dict[Key, tuple[str, ...]] = {}
    drawn: dict[tuple[str, str], Drawn] = {}  # (DOT source, format) -> the drawing
    waiting: dict[tuple[str, str], list[Key]] = {}  # (DOT source, format) -> the sets that need it
    left: dict[Key, int] = {}
    owner: dict = {runner.submit(*job): ("plan", pkey) for pkey, job in jobs.items()}
    pending = set(owner)
    hits = misses = 0
    finished_sets = 0

    def done(key: Key) -> None:
        nonlocal finished_sets
        finished_sets += 1
        name = _set_name(key)
        mine = [drawn[s, "svg"] for s in sources[key]]
        n = len(sources[key])
        emit(
            BuildEvent(
                kind="step",
                stage="diagrams",
                message=f"{key[3]}: {name}: {n} diagram{'s' * (n != 1)} (svg; "
                f"{sum(d.cached for d in mine)} of {len(mine)} from cache)",
                done=finished_sets,
                total=total,
            )
        )

    def queue(pack_id: str) -> None:
        """Number the pack's figures, relabel its drawings with those numbers and queue what is not drawn yet."""
        number = 1
        for key in order[pack_id]:
            p = planned[sets[key]]
            if key in sources:  # the second time a map is shown: its figures name the first showing's
                number += len(p.diagrams)
                continue
            sources[key], svgs = figure_sources(p, number)
            number += len(p.diagrams)
            left[key] = 0
            for source, svg in zip(sources[key], svgs, strict=True):
                if svg and (source, "svg") not in drawn:  # the plan drew it: no layout again
                    drawn[source, "svg"] = Drawn(data=svg, seconds=0.0, cached=p.cache_misses == 0)
                left[key] += 1
                job_key = (source, "svg")
                if job_key in drawn:
                    left[key] -= 1
                elif job_key in waiting:
                    waiting[job_key].append(key)
                else:
                    waiting[job_key] = [key]
                    name = _drawing_name(p, source, sources[key])
                    job = runner.submit(draw, source, "svg", None, cache, limits, name)
                    owner[job] = ("draw", job_key)
                    pending.add(job)
            if left[key] == 0:
                done(key)

    queued: set[str] = set()
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=lambda f: repr(owner[f])):
            kind, what = owner[future]
            result = future.result()  # a failed job stops the build here
            if kind == "plan":
                planned[what] = result
                hits, misses = hits + result.cache_hits, misses + result.cache_misses
                for pack_id, keys in sorted(order.items()):
                    if pack_id not in queued and all(sets[k] in planned for k in keys):
                        queued.add(pack_id)
                        queue(pack_id)
            else:
                drawn[what] = result
                hits, misses = hits + result.cached, misses + (not result.cached)
                for key in waiting.pop(what):
                    left[key] -= 1
                    if left[key] == 0:
                        done(key)

    svgs = {key: tuple(drawn[source, "svg"].data for source in sources[key]) for key in sets}
    pictures, png_hits, png_misses = _pictures(svgs, png, planned, sets, runner, cache, emit, finished_sets, total)
    hits, misses = hits + png_hits, misses + png_misses
    out: dict[Key, tuple[RenderedDiagram, ...]] = {}
    for key, pkey in sets.items():
        rendered = []
        for d, source, svg in zip(planned[pkey].diagrams, sources[key], svgs[key], strict=True):
            width, height = drawing_size(svg, "svg", 72)  # an SVG says its size in points
            rendered.append(
                RenderedDiagram(
                    name=d.name,
                    title=d.title,
                    svg=svg,
                    png=pictures[svg].data if png[key] else b"",
                    width_pt=width,
                    height_pt=height,
                    node_ids=d.node_ids,
                    text_scale=svg_scale(svg),
                    smallest_pt=smallest_text_pt(source),
                    landscape=d.landscape,
                    parent=d.parent,
                )
            )
        out[key] = tuple(rendered)
    return Drawings(diagrams=out, cache_hits=hits, cache_misses=misses)


def _pictures(
    svgs: Mapping[Key, tuple[bytes, ...]],
    png: Mapping[Key, bool],
    planned: Mapping[PlanKey, Planned],
    sets: Mapping[Key, PlanKey],
    runner: Runner,
    cache: CacheSpec,
    emit: Progress,
    finished: int,
    total: int,
) -> tuple[dict[bytes, Drawn], int, int]:
    """The PNG picture (for Word) of each SVG of the sets that need one, drawn in parallel: SVG bytes -> picture.

    Each comes from the drawing's final SVG, so it shows the layout the PDF and HTML show;
    an SVG two sets share is drawn once. One ``step`` event per set, after the SVGs' steps.
    """
    from .events import BuildEvent
    from .plan import PNG_DPI

    jobs: dict[bytes, object] = {}
    for key in sets:
        if png[key]:
            for d, svg in zip(planned[sets[key]].diagrams, svgs[key], strict=True):
                if svg not in jobs:
                    jobs[svg] = runner.submit(rasterise, svg, PNG_DPI, cache, d.name)
    pictures: dict[bytes, Drawn] = {}
    for key in sets:
        if not png[key]:
            continue
        mine = [pictures.setdefault(svg, jobs[svg].result()) for svg in svgs[key]]  # a failed job stops the build
        finished += 1
        name = _set_name(key)
        emit(
            BuildEvent(
                kind="step",
                stage="diagrams",
                message=f"{key[3]}: {name}: {len(mine)} PNG picture{'s' * (len(mine) != 1)} for Word, from the SVG "
                f"({sum(d.cached for d in mine)} of {len(mine)} from cache)",
                done=finished,
                total=total,
            )
        )
    hits = sum(d.cached for d in pictures.values())
    return pictures, hits, len(pictures) - hits


def _set_name(key: Key) -> str:
    """What progress lines call a set of drawings: the map's id, or "<pack> comparison"."""
    return key[0].removeprefix("comparison:") + (" comparison" if key[0].startswith("comparison:") else "")


def _drawing_name(planned: Planned, source: str, sources: tuple[str, ...]) -> str:
    return planned.diagrams[sources.index(source)].name


def _size(ws: Workspace, map_id: str) -> int:
    amap = ws.maps.get(map_id)
    return sum(1 for _ in amap.walk()) if amap is not None else 0


_SVG_SCALE = re.compile(rb'<g id="graph0" class="graph" transform="scale\(([\d.]+)')


def svg_scale(svg: bytes) -> float:
    """The scale Graphviz applied to fit the drawing to its ``size`` (1 when it did not)."""
    found = _SVG_SCALE.search(svg[:4000])
    return min(1.0, float(found.group(1))) if found else 1.0
