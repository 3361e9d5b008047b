"""``build()``: load, plan, decide what is stale, render it (in parallel), then write or check.

::

    load_workspace            the maps and packs, validated (errors stop here: nothing is written)
    plan_build                one PackPlan per pack; paths checked to stay inside exports/
    fingerprints              per unit (a pack's diagrams, each of its documents): inputs + settings;
                              compared with .argbrief-cache/build.json -> fresh or stale, and why
    diagrams                  plan each map once (split, fit), then draw each drawing per format
    assemble                  the PackDocument of each stale pack (in this process: fast)
    documents                 HTML / PDF / Word of the stale units
    write | check             atomic write, stale files removed, manifest saved
                              | compare with the files on disk, write nothing

The diagram and document jobs run in a process pool (:mod:`.pool`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import evolve, field, frozen

from .. import paths
from ..clock import source_date_epoch
from ..diagnostics import Diagnostic, Severity
from ..model import Pack
from ..project import Config, Workspace, load_workspace
from ..render.graphviz import DotLimits
from . import diagrams as dg
from .documents import render_documents
from .events import BuildEvent, Progress, no_progress
from .manifest import (
    MANIFEST_NAME,
    Fingerprint,
    Manifest,
    argbrief_identity,
    file_hash,
    graphviz_version,
    hash_files,
    library_version,
    load_manifest,
    rasteriser_version,
    record_for,
    save_manifest,
    stale_reasons,
    unit_id,
)
from .plan import FORMAT_ORDER, MAPS, PNG_DPI, PackPlan, plan_build
from .pool import Runner, default_jobs
from .write import Artifact, WriteReport, write_artifacts

if TYPE_CHECKING:
    from ..diff.editions import Edition
    from ..packs.document import PackDocument

CACHE_FOLDER = ".argbrief-cache"
#: Template files beyond this many are not fingerprinted one by one (a templates folder is small).
_MAX_TEMPLATE_FILES = 1000


# --------------------------------------------------------------------------- results


@frozen(kw_only=True)
class RenderedPack:
    """The files of one pack rendered in this build (the units that were stale)."""

    plan: PackPlan
    artifacts: tuple[Artifact, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    #: The document model the outputs were rendered from (headings, figures ...).
    document: PackDocument | None = field(default=None, eq=False, repr=False)
    #: Seconds per stage ("diagrams", "assemble", "html", "pdf", "docx"); not part of any output.
    timings: Mapping[str, float] = field(factory=dict, eq=False)
    #: The units rendered: "maps" and/or formats.
    units: tuple[str, ...] = ()


@frozen(kw_only=True)
class UnitStatus:
    """One unit of a pack: fresh (taken from the last build) or rebuilt, and why."""

    pack_id: str
    unit: str
    fresh: bool
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.pack_id} diagrams" if self.unit == MAPS else f"{self.pack_id}.{self.unit}"


@frozen(kw_only=True)
class CheckEntry:
    """An export that ``--check`` found not current: ``missing``, ``stale``, ``edited`` or ``extra``."""

    path: Path
    state: str
    reason: str


@frozen(kw_only=True)
class CacheStats:
    units_fresh: int = 0
    units_rendered: int = 0
    dot_hits: int = 0
    dot_misses: int = 0


@frozen(kw_only=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    packs: tuple[RenderedPack, ...] = ()
    report: WriteReport = WriteReport()
    units: tuple[UnitStatus, ...] = ()
    #: ``--check``: the exports that are not what a build would make (empty: all current).
    check: tuple[CheckEntry, ...] = ()
    checked: bool = False
    #: Input files (project-relative names) with their SHA-256; outputs with SHA-256 and size.
    inputs: Mapping[str, str] = field(factory=dict)
    outputs: Mapping[str, tuple[str, int]] = field(factory=dict)
    timings: Mapping[str, float] = field(factory=dict)
    cache: CacheStats = CacheStats()
    jobs: int = 1

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def stale(self) -> bool:
        """``--check`` found exports that are not current."""
        return bool(self.check)


# --------------------------------------------------------------------------- build


def build(
    config: Config,
    pack_ids: Sequence[str] = (),
    formats: Sequence[str] | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    check: bool = False,
    trust_cache: bool = False,
    progress: Progress | None = None,
    dot_timeout: float | None = None,
) -> BuildResult:
    """Build the packs (all, or ``pack_ids``) into the exports folder; render only what changed.

    - ``jobs``: worker processes, taken as given (default: ``config.jobs``
      capped at the number of cores, else one per core);
    - ``use_cache=False``: ignore the build cache and the Graphviz cache, render everything;
    - ``check=True``: render every part in memory and compare it with the
      exports on disk; write nothing at all (:attr:`BuildResult.check` lists
      what is not current). The caches are not trusted: they are files in the
      working tree, which a pull request controls. With ``trust_cache=True``
      (a hook on one's own machine) parts the build cache says are fresh are
      taken as current, and Graphviz output is taken from its cache;
    - ``progress``: called with :class:`BuildEvent` values;
    - ``dot_timeout``: seconds one ``dot`` run may take (default: ``ARGBRIEF_DOT_TIMEOUT``, else 60);
      all of the build's Graphviz work must end within ten times that.

    Nothing is written when the workspace has errors or any stage fails.
    Raises :class:`~argbrief.errors.UsageError` (unknown pack),
    :class:`~argbrief.errors.ToolError` (Graphviz missing, failing or too slow,
    WeasyPrint failing), :class:`~argbrief.errors.ConfigError` (a broken
    template, an export path outside the exports folder) and
    :class:`~argbrief.errors.ArgbriefError` (the exports cannot be written).
    """
    emit = progress or no_progress
    watch = _Stopwatch()
    started = time.perf_counter()
    jobs = jobs if jobs and jobs > 0 else default_jobs(config.jobs)
    timeout = dot_timeout if dot_timeout is not None else dg.timeout_from_environment()
    source_date_epoch()  # a bad SOURCE_DATE_EPOCH stops every build, not only those of undated packs
    # --check trusts nothing in the working tree but the inputs, unless told to (trust_cache).
    trusted = use_cache and (trust_cache or not check)

    with watch.stage("load"):
        ws = load_workspace(config)
    diags = tuple(ws.diagnostics)
    if any(d.severity is Severity.ERROR for d in diags):
        return BuildResult(diagnostics=diags, checked=check, timings=watch.total(started), jobs=jobs)

    with watch.stage("plan"):
        plans = plan_build(ws, pack_ids, formats)
        editions, problems = _editions(ws, plans)
    if problems:  # a changes_since that names no readable edition: nothing is built
        return BuildResult(diagnostics=diags + problems, checked=check, timings=watch.total(started), jobs=jobs)
    with watch.stage("plan"):
        state = _State.load(ws, use_cache=use_cache, trusted=trusted, readonly=check)
        state.editions = editions
        if state.manifest.ignored:
            kind = "note" if state.cache_usable else "warning"
            emit(BuildEvent(kind=kind, message=f"build cache ignored: {state.manifest.ignored}"))
        statuses = [state.status(plan, unit) for plan in plans for unit in plan.units]
    for st in statuses:
        if st.fresh:
            emit(BuildEvent(kind="fresh", message=f"{st.label}: up to date"))
        else:
            emit(BuildEvent(kind="reason", message=f"{st.label}: {'; '.join(st.reasons)}"))
    stale = {(s.pack_id, s.unit) for s in statuses if not s.fresh}
    work = [(plan, tuple(u for u in plan.units if (plan.pack_id, u) in stale)) for plan in plans]
    work = [(plan, units) for plan, units in work if units]

    rendered: list[RenderedPack] = []
    stats = _Counts()
    if work:
        if not check:
            from ..atomic import remove_leftovers

            remove_leftovers([d for plan, _ in work for d in (plan.folder, plan.maps_folder)])
        dot_folder = str(state.cache_dir / "dot") if trusted and state.cache_usable else None
        cache = dg.CacheSpec(folder=dot_folder, readonly=check, root=str(state.root))
        with Runner(jobs) as runner:
            rendered = _render(ws, work, runner, cache, DotLimits.for_build(timeout), emit, watch, stats, editions)

    diags += tuple(d for r in rendered for d in r.diagnostics)
    removals = state.removals(plans, rendered, all_packs=not pack_ids)
    common = dict(
        diagnostics=diags,
        packs=tuple(rendered),
        units=tuple(statuses),
        inputs=state.input_hashes(),
        cache=CacheStats(
            units_fresh=sum(s.fresh for s in statuses),
            units_rendered=sum(not s.fresh for s in statuses),
            dot_hits=stats.hits,
            dot_misses=stats.misses,
        ),
        jobs=jobs,
    )
    if check:
        with watch.stage("check"):
            entries = state.compare(rendered, statuses, removals)
        outputs = state.outputs_now(plans, rendered)
        return BuildResult(**common, check=entries, checked=True, outputs=outputs, timings=watch.total(started))

    with watch.stage("write"):
        report = write_artifacts([a for r in rendered for a in r.artifacts], config.exports, remove=[p for p, _ in removals])
        state.save(plans, rendered, removals)
    outputs = state.outputs_now(plans, rendered)
    return BuildResult(**common, report=report, outputs=outputs, timings=watch.total(started))


class _Stopwatch:
    """Seconds spent per stage, for ``--report`` and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def stage(self, name: str):
        return _Timed(self, name)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def total(self, started: float) -> dict[str, float]:
        """The stage times plus ``total``, the wall-clock time since ``started``."""
        return {**self.seconds, "total": time.perf_counter() - started}


class _Timed:
    def __init__(self, watch: _Stopwatch, name: str) -> None:
        self.watch, self.name = watch, name

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc) -> None:
        self.watch.add(self.name, time.perf_counter() - self.start)


class _Counts:
    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0


# --------------------------------------------------------------------------- what is stale


def _chapter_folder(cache: dg.CacheSpec) -> Path | None:
    """Where PDF chapters are cached: ``.argbrief-cache/pdf`` beside Graphviz's, when that cache is in use
    (not in ``--check``) and the folder is a real folder inside the project; else None (no chapter cache)."""
    if not cache.folder or cache.readonly or not cache.root:
        return None
    try:
        return paths.folder(Path(cache.folder).parent / "pdf", cache.root)
    except paths.UnsafePath:
        return None


def _forget_removed_packs(chapters: Path, packs: set[str]) -> None:
    """Delete the cached PDF chapters of packs the project no longer has (renamed or removed).

    Each pack's own build prunes its folder to the chapters it used; a pack
    that is gone has no build to do that. Only called when every file of the
    project loaded without errors, so a pack that merely failed to load keeps
    its chapters. Links are never followed.
    """
    from ..packs.chapters import prune

    if not chapters.is_dir() or chapters.is_symlink():
        return
    for child in sorted(chapters.iterdir()):
        if child.name not in packs and child.is_dir() and not child.is_symlink():
            prune(child, set())
            try:
                child.rmdir()
            except OSError:
                pass  # something that is not a chapter of ours is in it: leave it


class _State:
    """The manifest, the fingerprints of this build's units, and the files' hashes (each read once)."""

    def __init__(
        self,
        ws: Workspace,
        manifest: Manifest,
        *,
        persist: bool,
        use_cache: bool,
        trusted: bool,
        readonly: bool,
        cache_usable: bool = True,
    ) -> None:
        self.ws = ws
        self.config = ws.config
        self.root = ws.config.root
        self.cache_dir = self.root / CACHE_FOLDER
        self.manifest = manifest
        self.persist = persist
        self.use_cache = use_cache
        #: Parts the cache says are fresh are taken as current (not in ``--check``, unless trusted).
        self.trusted = trusted
        self.readonly = readonly
        #: The cache folder is a real folder inside the project (not a symbolic link out of it).
        self.cache_usable = cache_usable
        self._hashes: dict[Path, str] = {}
        self.fingerprints: dict[str, Fingerprint] = {}
        self.graphviz, self._tool_record = graphviz_version(manifest.tools)
        #: librsvg's rsvg-convert draws Word's PNG pictures: a new one may draw them differently.
        self.rasteriser, self._raster_record = rasteriser_version(manifest.tools)
        self._templates: tuple[Path, ...] | None = None
        #: Per pack with ``changes_since``: the earlier edition (its key is part of the documents' fingerprints).
        self.editions: Mapping[str, Edition] = {}

    @classmethod
    def load(cls, ws: Workspace, *, use_cache: bool, trusted: bool, readonly: bool) -> _State:
        root, exports = paths.real(ws.config.root), paths.real(ws.config.exports)
        # The cache describes the project's own exports folder; an exports folder
        # elsewhere (the Python API allows one) gets no persistent build cache.
        persist = exports.is_relative_to(root)
        name = exports.relative_to(root).as_posix() if persist else str(exports)
        path = root / CACHE_FOLDER / MANIFEST_NAME
        try:
            # The cache folder must be a folder inside the project: a symbolic link
            # out of it (or a loop) would make the cache read and write elsewhere.
            paths.folder(root / CACHE_FOLDER, root)
            paths.folder(root / CACHE_FOLDER / "dot", root)
        except paths.UnsafePath as exc:
            manifest = Manifest(exports=name, ignored=f"{exc} (the build goes on without a cache)")
            return cls(
                ws, manifest, persist=False, use_cache=use_cache, trusted=False, readonly=readonly, cache_usable=False
            )
        manifest = load_manifest(path, name, root) if persist else Manifest(exports=name)
        return cls(ws, manifest, persist=persist, use_cache=use_cache, trusted=trusted, readonly=readonly)

    # -- names and hashes ------------------------------------------------------

    def name(self, path: Path) -> str:
        """How a file is named in the manifest and the report: relative to the project when inside it."""
        resolved, root = paths.identity(path), paths.identity(self.root)
        if resolved.is_relative_to(root):
            return resolved.relative_to(root).as_posix()
        return resolved.as_posix()

    def hash(self, path: Path) -> str:
        path = paths.identity(path)
        if path not in self._hashes:
            self._hashes[path] = file_hash(path)
        return self._hashes[path]

    def input_hashes(self) -> dict[str, str]:
        return {self.name(p): h for p, h in sorted(self._hashes.items())}

    def templates(self) -> tuple[Path, ...]:
        if self._templates is None:
            from ..packs.html import check_template_file, template_dirs

            files: list[Path] = []
            for folder in template_dirs(self.config.templates):
                found = [
                    p
                    for p in paths.files_below(folder, skip=("__pycache__",))
                    if not any(part.startswith(".") for part in p.relative_to(folder).parts)
                ][:_MAX_TEMPLATE_FILES]
                # Every file counts (a template may include it), so each must be a regular
                # file inside its folder: a symbolic link out of it, a FIFO or a device stops the build.
                for p in found:
                    check_template_file(p, folder)
                files += found
            self._templates = tuple(files)
        return self._templates

    # -- fingerprints ----------------------------------------------------------

    def fingerprint(self, plan: PackPlan, unit: str) -> Fingerprint:
        uid = unit_id(plan.pack_id, unit)
        if uid in self.fingerprints:
            return self.fingerprints[uid]
        files = list(plan.inputs)
        if unit in ("html", "pdf"):
            files += [p for p in self.templates() if p.name != "reference.docx"]
        elif unit == "docx":
            reference = next((p for p in self.templates() if p.name == "reference.docx"), None)
            files += [reference] if reference is not None else []
        settings = {
            "argbrief": argbrief_identity(),
            "graphviz": self.graphviz,
            "page": plan.page,
            "theme": plan.theme,
        }
        if unit in ("html", "pdf"):
            settings["jinja2"] = library_version("jinja2")
            settings["lxml"] = library_version("lxml")
        if unit == "pdf":
            settings["weasyprint"] = library_version("weasyprint")
        if unit == "docx":
            settings["python-docx"] = library_version("python-docx")
            settings["png dpi"] = str(PNG_DPI)
            settings["rsvg-convert"] = self.rasteriser
        if unit != MAPS and plan.pack_id in self.editions:
            # The earlier edition's content: a commit hash, or the earlier pack file's name and hash.
            settings["changes since"] = self.editions[plan.pack_id].key
        if unit != MAPS and _uses_source_date_epoch(self.ws.packs[plan.pack_id]):
            epoch = source_date_epoch()
            settings["SOURCE_DATE_EPOCH"] = "unset" if epoch is None else str(epoch)
        fp = Fingerprint(inputs={self.name(p): self.hash(p) for p in files}, settings=settings)
        self.fingerprints[uid] = fp
        return fp

    def outputs(self, plan: PackPlan, unit: str) -> list[str]:
        """The files a unit made last time (from the manifest)."""
        rec = self.manifest.units.get(unit_id(plan.pack_id, unit))
        return list(rec.outputs) if rec is not None else []

    def status(self, plan: PackPlan, unit: str) -> UnitStatus:
        fp = self.fingerprint(plan, unit)
        if not self.use_cache:
            return UnitStatus(pack_id=plan.pack_id, unit=unit, fresh=False, reasons=("--no-cache",))
        rec = self.manifest.units.get(unit_id(plan.pack_id, unit))
        disk = hash_files(list(rec.outputs), self.root, self.config.exports) if rec is not None else {}
        reasons = stale_reasons(rec, fp, disk)
        if not self.trusted:
            # --check: the build cache only says why a part may differ; every part is rendered and compared.
            why = reasons or ("the build cache says it is up to date; --check renders it to make sure",)
            return UnitStatus(pack_id=plan.pack_id, unit=unit, fresh=False, reasons=why)
        return UnitStatus(pack_id=plan.pack_id, unit=unit, fresh=not reasons, reasons=reasons)

    # -- after rendering -------------------------------------------------------

    def produced(self, plan: PackPlan, unit: str, rendered: Mapping[str, RenderedPack]) -> list[Path]:
        """What a unit makes now: its rendered files, or (fresh) what it made last time."""
        pack = rendered.get(plan.pack_id)
        if pack is not None and unit in pack.units:
            return [a.path for a in pack.artifacts if _unit_of(plan, a.path) == unit]
        return [self.root / name for name in self.outputs(plan, unit)]

    def removals(self, plans: Sequence[PackPlan], rendered: Sequence[RenderedPack], *, all_packs: bool) -> list[tuple[Path, str]]:
        """Files earlier builds made that this one no longer makes, with why: removed after a successful build.

        Diagrams in a pack's ``maps/`` folder that it no longer draws; the
        documents of formats a pack no longer lists (unless ``--format``
        chose the formats); everything of packs that are gone (when all packs
        are built). Files recorded by the manifest are only removed when they
        are still what the build wrote.
        """
        by_pack = {r.plan.pack_id: r for r in rendered}
        out: dict[Path, str] = {}
        for plan in plans:
            keep = {paths.identity(p) for unit in plan.units for p in self.produced(plan, unit, by_pack)}
            if plan.maps_folder.is_dir():
                for svg in sorted(plan.maps_folder.glob("*.svg")):
                    if paths.identity(svg) not in keep:
                        out[svg] = f"{plan.pack_id} no longer draws this diagram"
            if not plan.formats_overridden:
                for fmt in FORMAT_ORDER:
                    if fmt not in plan.formats:
                        for path in self._unmodified(unit_id(plan.pack_id, fmt)):
                            out[path] = f"{plan.pack_id} no longer lists the {fmt} format"
        if all_packs:
            current = {plan.pack_id for plan in plans}
            for uid in self.manifest.units:
                pack_id = uid.split("/", 1)[0]
                if pack_id not in current:
                    for path in self._unmodified(uid):
                        out[path] = f"pack '{pack_id}' no longer exists"
        exports = paths.identity(self.config.exports)
        # Only files that are inside the exports folder as they are (a symbolic link there is removed, not followed).
        return [(p, why) for p, why in sorted(out.items()) if paths.identity(p.parent).is_relative_to(exports)]

    def _unmodified(self, uid: str) -> list[Path]:
        rec = self.manifest.units.get(uid)
        if rec is None:
            return []
        now = hash_files(list(rec.outputs), self.root, self.config.exports)
        return [self.root / name for name, out in rec.outputs.items() if now.get(name) == out.sha256]

    def outputs_now(self, plans: Sequence[PackPlan], rendered: Sequence[RenderedPack]) -> dict[str, tuple[str, int]]:
        """Every output of the built packs with its SHA-256 and size (for the report)."""
        import hashlib

        by_pack = {r.plan.pack_id: r for r in rendered}
        out: dict[str, tuple[str, int]] = {}
        for plan in plans:
            pack = by_pack.get(plan.pack_id)
            data = {a.path: a.data for a in pack.artifacts} if pack else {}
            for unit in plan.units:
                rec = self.manifest.units.get(unit_id(plan.pack_id, unit))
                for path in self.produced(plan, unit, by_pack):
                    name = self.name(path)
                    if path in data:
                        out[name] = (hashlib.sha256(data[path]).hexdigest(), len(data[path]))
                    elif rec is not None and name in rec.outputs:
                        out[name] = (rec.outputs[name].sha256, rec.outputs[name].size)
        return dict(sorted(out.items()))

    def compare(
        self, rendered: Sequence[RenderedPack], statuses: Sequence[UnitStatus], removals: Sequence[tuple[Path, str]]
    ) -> tuple[CheckEntry, ...]:
        """``--check``: each rendered file against the one on disk; plus files a build would remove."""
        reasons = {(s.pack_id, s.unit): s for s in statuses}
        entries: list[CheckEntry] = []
        for pack in rendered:
            for art in pack.artifacts:
                unit = _unit_of(pack.plan, art.path)
                rec = self.manifest.units.get(unit_id(pack.plan.pack_id, unit))
                now, unsafe = _read_export(art.path, self.config.exports, len(art.data))
                if now == art.data:
                    continue
                why = "; ".join(reasons[pack.plan.pack_id, unit].reasons)
                if unsafe:
                    entries.append(CheckEntry(path=art.path, state="edited", reason=f"{unsafe}; a build replaces it"))
                elif now is None:
                    entries.append(CheckEntry(path=art.path, state="missing", reason="not built yet" if rec is None else why))
                elif rec is not None and rec.key == self.fingerprint(pack.plan, unit).key:
                    entries.append(CheckEntry(path=art.path, state="edited", reason="differs from what the build makes (edited by hand?)"))
                else:
                    entries.append(CheckEntry(path=art.path, state="stale", reason=why if rec is not None else "differs from what the build makes"))
        for path, why in removals:
            entries.append(CheckEntry(path=path, state="extra", reason=f"a build would remove it: {why}"))
        return tuple(sorted(entries, key=lambda e: str(e.path)))

    def save(self, plans: Sequence[PackPlan], rendered: Sequence[RenderedPack], removals: Sequence[tuple[Path, str]]) -> None:
        """Record what this build made; forget what it removed. Only for the project's own exports folder."""
        if not self.persist:
            return
        updates: dict[str, object] = {}
        for pack in rendered:
            for unit in pack.units:
                names = [(self.name(a.path), a.data) for a in pack.artifacts if _unit_of(pack.plan, a.path) == unit]
                updates[unit_id(pack.plan.pack_id, unit)] = record_for(self.fingerprint(pack.plan, unit), names)
        removed = {self.name(p) for p, _ in removals}
        for uid, rec in self.manifest.units.items():
            if rec.outputs and set(rec.outputs) <= removed:
                updates[uid] = None
        manifest = self.manifest.with_units(updates)  # type: ignore[arg-type]
        records = {"dot": self._tool_record, "rsvg-convert": self._raster_record}
        if any(r is not None for r in records.values()):
            manifest = evolve(manifest, tools={**manifest.tools, **{k: r for k, r in records.items() if r is not None}})
        try:
            save_manifest(self.cache_dir / MANIFEST_NAME, manifest)
        except (OSError, paths.UnsafePath):
            pass  # an unwritable cache makes the next build slower, nothing worse


def _read_export(path: Path, exports: Path, size: int) -> tuple[bytes | None, str]:
    """An export's bytes, at most ``size`` + 1 of them (enough to tell it differs): (bytes or None, why it is refused).

    Read through :mod:`argbrief.paths`, so a FIFO, a device, a loop or a
    symbolic link out of the exports folder is reported, never read.
    """
    try:
        return paths.read_file(path, exports, limit=size, where="the exports folder"), ""
    except paths.UnsafePath as exc:
        return None, "" if exc.problem == paths.MISSING else f"it {exc.detail}"


def _unit_of(plan: PackPlan, path: Path) -> str:
    return MAPS if path.parent == plan.maps_folder else path.suffix.lstrip(".")


def _uses_source_date_epoch(pack: Pack) -> bool:
    """Whether the pack's documents are dated from ``SOURCE_DATE_EPOCH`` (it has no usable date of its own)."""
    from ..packs._text import clean, parse_date

    return parse_date(clean(pack.date)) is None if pack.date else True


def _editions(ws: Workspace, plans: Sequence[PackPlan]) -> tuple[dict[str, Edition], tuple[Diagnostic, ...]]:
    """The earlier edition of each planned pack that has ``changes_since``, and the problems reading them."""
    from ..diff.editions import earlier_edition

    editions: dict[str, Edition] = {}
    problems: list[Diagnostic] = []
    for plan in plans:
        pack = ws.packs[plan.pack_id]
        if pack.changes_since:
            edition, found = earlier_edition(ws.config, pack, ws.pack_files[pack.id])
            problems += found
            if edition is not None:
                editions[pack.id] = edition
    return editions, tuple(problems)


# --------------------------------------------------------------------------- rendering


def _render(
    ws: Workspace,
    work: Sequence[tuple[PackPlan, tuple[str, ...]]],
    runner: Runner,
    cache: dg.CacheSpec,
    limits: DotLimits,
    emit: Progress,
    watch: _Stopwatch,
    stats: _Counts,
    editions: Mapping[str, Edition] | None = None,
) -> list[RenderedPack]:
    """Render the stale parts of ``work`` ((plan, units) pairs): diagrams, then documents. Returns RenderedPacks."""
    from ..compare import compare_workspace
    from ..packs.document import assemble
    from ..packs.html import template_dirs

    # The comparison of each pack with positions (cheap; its diagram is drawn with the maps').
    comparisons = {plan.pack_id: compare_workspace(ws, ws.packs[plan.pack_id]) for plan, _ in work if ws.packs[plan.pack_id].positions}
    with watch.stage("diagrams"):
        drawings = dg.draw_diagrams(ws, work, comparisons, runner, cache, limits, emit)
    stats.hits += drawings.cache_hits
    stats.misses += drawings.cache_misses

    with watch.stage("assemble"):
        documents = {}
        for plan, _ in work:
            pack = ws.packs[plan.pack_id]
            key = dg.comparison_key(plan)
            documents[plan.pack_id] = assemble(
                ws,
                pack,
                diagrams={mid: drawings.diagrams[dg.map_key(mid, plan)] for mid in pack.map_ids() if mid in ws.maps},
                comparison=comparisons.get(plan.pack_id),
                comparison_diagram=drawings.diagrams[key][0] if key in drawings.diagrams else None,
                edition=(editions or {}).get(plan.pack_id),
            )

    with watch.stage("documents"):
        jobs = [(plan, fmt) for plan, units in work for fmt in units if fmt != MAPS]
        # PDF chapters are cached beside Graphviz's drawings (not in --check, which writes nothing)
        chapters = _chapter_folder(cache)
        results = render_documents(ws, documents, jobs, template_dirs(ws.config.templates), runner, emit, chapters)
        if chapters is not None and not any(d.severity is Severity.ERROR for d in ws.diagnostics):
            _forget_removed_packs(chapters, set(ws.packs))
    for (_, fmt), result in results.items():
        watch.add(fmt, result.seconds)

    out = []
    for plan, units in work:
        doc = documents[plan.pack_id]
        formats = [fmt for fmt in units if fmt != MAPS]
        artifacts = [Artifact(path=plan.document(fmt), data=results[plan.pack_id, fmt].data) for fmt in formats]
        if MAPS in units:
            artifacts += [Artifact(path=plan.maps_folder / f"{fig.name}.svg", data=fig.svg) for fig in doc.figures()]
        out.append(
            RenderedPack(
                plan=plan,
                artifacts=tuple(artifacts),
                diagnostics=tuple(d for fmt in formats for d in results[plan.pack_id, fmt].diagnostics),
                document=doc,
                timings={fmt: results[plan.pack_id, fmt].seconds for fmt in formats},
                units=units,
            )
        )
    return out
