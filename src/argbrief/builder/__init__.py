"""``argbrief build``: every pack (or the named ones) into ``exports/<pack-id>/`` — incremental, parallel, atomic.

One module per stage, plain frozen data between them:

- :mod:`.plan` — :func:`plan_build`: a :class:`PackPlan` per pack (formats, folder, input files);
- :mod:`.manifest` — the build cache (``.argbrief-cache/build.json``): fingerprints, freshness, reasons;
- :mod:`.diagrams` — planning and drawing the diagrams, as jobs for worker processes;
- :mod:`.documents` — HTML / PDF / Word of an assembled pack, as a job;
- :mod:`.pool` — running jobs in this process or in a process pool;
- :mod:`.write` — atomic writes (:mod:`argbrief.atomic`) and removal of stale files;
- :mod:`.run` — :func:`build`, which runs them all (and ``--check``);
- :mod:`.report` — the JSON build report (``--report``);
- :mod:`.watch` — rebuilding on change (``--watch``).

Nothing is written unless every stale unit rendered, and a failed write
leaves the earlier exports byte-identical. See docs/ci.md and docs/packs.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import evolve

from ..errors import InputError
from ..project import Workspace
from ..render.cache import DotCache, MemoryDotCache
from ..render.graphviz import DotLimits
from . import diagrams as _dg
from .plan import FORMAT_ORDER, MAPS_FOLDER, PNG_DPI, PackPlan, parse_formats, plan_build
from .events import BuildEvent
from .run import (
    BuildResult,
    CacheStats,
    CheckEntry,
    RenderedPack,
    UnitStatus,
    _Counts,
    _editions,
    _render,
    _Stopwatch,
    build,
)
from .write import Artifact, WriteReport, write_artifacts

__all__ = [
    "FORMAT_ORDER",
    "MAPS_FOLDER",
    "PNG_DPI",
    "Artifact",
    "BuildEvent",
    "BuildResult",
    "CacheStats",
    "CheckEntry",
    "MemoryDotCache",
    "PackPlan",
    "RenderedPack",
    "UnitStatus",
    "WriteReport",
    "build",
    "parse_formats",
    "plan_build",
    "render_pack",
    "write_outputs",
]


def render_pack(ws: Workspace, plan: PackPlan, *, dot_cache: DotCache | None = None, jobs: int = 1) -> RenderedPack:
    """Every output of one pack (its formats and diagrams) as bytes, in memory; nothing is written.

    ``dot_cache`` keeps Graphviz output between runs (by default none: an
    in-memory cache for this call, which still lets SVG and PNG share their
    measuring passes). Raises :class:`~argbrief.errors.ToolError` when
    Graphviz is missing or fails and :class:`~argbrief.errors.ConfigError`
    for a broken template, :class:`~argbrief.errors.InputError` when the pack's
    ``changes_since`` names no readable edition.
    """
    from .pool import Runner

    folder = None if dot_cache is None or isinstance(dot_cache, MemoryDotCache) else str(dot_cache.folder)
    root = str(dot_cache.root) if dot_cache is not None and dot_cache.root is not None else None
    cache = _dg.CacheSpec(folder=folder, readonly=bool(dot_cache is not None and dot_cache.readonly), root=root)
    watch = _Stopwatch()
    editions, problems = _editions(ws, [plan])
    if problems:
        raise InputError("; ".join(d.format() for d in problems))
    with Runner(jobs) as runner:
        limits = DotLimits.for_build()
        (pack,) = _render(ws, [(plan, plan.units)], runner, cache, limits, lambda e: None, watch, _Counts(), editions)
    return evolve(pack, timings={**watch.seconds, **pack.timings})


def write_outputs(rendered: Iterable[RenderedPack]) -> WriteReport:
    """Write every artifact of ``rendered`` atomically; then remove diagrams an earlier build left behind.

    The stage-by-stage counterpart of :func:`build` (which also keeps the build
    cache up to date). Unchanged files are not touched.
    """
    packs = list(rendered)
    if not packs:
        return WriteReport()
    exports = packs[0].plan.folder.parent
    stale = []
    for pack in packs:
        current = {a.path for a in pack.artifacts}
        if pack.plan.maps_folder.is_dir() and "maps" in pack.units:
            stale += [p for p in sorted(pack.plan.maps_folder.glob("*.svg")) if p not in current]
    return write_artifacts([a for p in packs for a in p.artifacts], exports, remove=stale)
