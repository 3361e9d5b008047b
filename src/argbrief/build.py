"""``argbrief build``: every pack (or the named ones) into ``exports/<pack-id>/``.

A clean pipeline with one job per stage::

    plan_build(ws, ...)     -> PackPlan per pack: formats, folder, the files it reads
    render_pack(ws, plan)   -> RenderedPack: every output as bytes, in memory
                               (diagrams -> document model -> HTML / PDF / DOCX)
    write_outputs(rendered) -> WriteReport: temp files beside the targets, then os.replace

Nothing is written unless every pack rendered, and a write that fails half way
leaves the earlier exports byte-identical (all temp files are written first,
then moved into place; leftovers are removed). :func:`build` runs the three
stages for the CLI and refuses to start when the workspace has errors.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import field, frozen

from .diagnostics import Diagnostic, Severity
from .errors import ToolError, UsageError
from .model import Pack, SourceSpan
from .project import FORMATS, Config, Workspace, load_workspace
from .render.cache import DotCache

if TYPE_CHECKING:
    from .packs.document import PackDocument

#: The order formats are rendered and reported in.
FORMAT_ORDER: tuple[str, ...] = ("html", "pdf", "docx")
MAPS_FOLDER = "maps"
#: Resolution of the diagrams in Word files (at least 200 dpi prints sharply).
PNG_DPI = 200


@frozen(kw_only=True)
class PackPlan:
    """What building one pack will do: which formats, into which folder, from which files."""

    pack_id: str
    formats: tuple[str, ...]
    folder: Path  # exports/<pack-id>
    page: str
    theme: str
    #: Every file the pack's exports depend on (pack, maps, source texts): the key for a cache.
    inputs: tuple[Path, ...] = ()

    def document(self, fmt: str) -> Path:
        return self.folder / f"{self.pack_id}.{fmt}"


@frozen(kw_only=True)
class Artifact:
    """One output file, rendered in memory."""

    path: Path
    data: bytes


@frozen(kw_only=True)
class RenderedPack:
    plan: PackPlan
    artifacts: tuple[Artifact, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    #: The document model the outputs were rendered from (headings, figures ...).
    document: PackDocument | None = field(default=None, eq=False, repr=False)
    #: Seconds per stage ("diagrams", "assemble", "html", "pdf", "docx"); not part of any output.
    timings: Mapping[str, float] = field(factory=dict, eq=False)


@frozen(kw_only=True)
class WriteReport:
    written: tuple[Path, ...] = ()
    unchanged: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()  # stale diagrams of an earlier build


@frozen(kw_only=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    packs: tuple[RenderedPack, ...] = ()
    report: WriteReport = WriteReport()

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


# --------------------------------------------------------------------------- plan


def parse_formats(text: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """``"pdf,docx"`` (or a list) as a tuple in build order; None when not given."""
    if text is None:
        return None
    items = [p.strip() for p in (text.split(",") if isinstance(text, str) else text)]
    items = [p for p in items if p]
    for item in items:
        if item not in FORMATS:
            from .diagnostics import did_you_mean

            hint = did_you_mean(item, FORMATS)
            raise UsageError(f"unknown format '{item}' (choose from {', '.join(FORMATS)})" + (f"; {hint}" if hint else ""))
    if not items:
        raise UsageError(f"no format given (choose from {', '.join(FORMATS)})")
    return tuple(f for f in FORMAT_ORDER if f in items)


def plan_build(ws: Workspace, pack_ids: Sequence[str] = (), formats: Sequence[str] | None = None) -> tuple[PackPlan, ...]:
    """One plan per pack to build: the named ones (UsageError for an unknown id) or all, sorted."""
    from .project import find_pack

    ids = list(dict.fromkeys(pack_ids)) if pack_ids else sorted(ws.packs)
    plans = []
    for pid in ids:
        pack = find_pack(ws, pid)
        wanted = tuple(formats) if formats else (pack.formats or ws.config.formats)
        plans.append(
            PackPlan(
                pack_id=pid,
                formats=tuple(f for f in FORMAT_ORDER if f in wanted),
                folder=ws.config.exports / pid,
                page=pack.page or ws.config.page,
                theme=pack.theme or ws.config.theme,
                inputs=_inputs(ws, pack),
            )
        )
    return tuple(plans)


def _inputs(ws: Workspace, pack: Pack) -> tuple[Path, ...]:
    files: dict[Path, None] = {}
    if pack.id in ws.pack_files:
        files[ws.pack_files[pack.id].resolve()] = None
    for mid in pack.map_ids():
        if mid in ws.map_files:
            path = ws.map_files[mid].resolve()
            files[path] = None
            amap = ws.maps[mid]
            sources = [amap.source, *amap.sources.values()]
            for src in sources:
                if src is not None and src.text:
                    files[(path.parent / src.text).resolve()] = None
    return tuple(sorted(files))


# --------------------------------------------------------------------------- render


class _Stopwatch:
    """Seconds spent per stage, for ``--report`` and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def render_pack(ws: Workspace, plan: PackPlan, *, dot_cache: DotCache | None = None) -> RenderedPack:
    """Every output of one pack, as bytes (nothing is written).

    ``dot_cache`` keeps Graphviz output (a persistent
    :class:`~argbrief.render.cache.DotCache`); by default one in memory for this
    pack, so the SVG and PNG drawings share their layout passes. Raises
    :class:`~argbrief.errors.ToolError` when Graphviz is missing or fails and
    :class:`~argbrief.errors.ConfigError` for a broken template.
    """
    from .packs.document import assemble
    from .packs.html import render_html, template_dirs

    pack = ws.packs[plan.pack_id]
    watch = _Stopwatch()
    dirs = template_dirs(ws.config.templates)
    cache = dot_cache if dot_cache is not None else MemoryDotCache()
    with watch.stage("diagrams"):
        diagrams = _render_diagrams(ws, pack, plan, png="docx" in plan.formats, cache=cache)
        comparison, comparison_diagram = _compare(ws, pack, plan, png="docx" in plan.formats)
    with watch.stage("assemble"):
        doc = assemble(ws, pack, diagrams=diagrams, comparison=comparison, comparison_diagram=comparison_diagram)

    artifacts: list[Artifact] = []
    diags: list[Diagnostic] = []
    span = SourceSpan(pack.span.file)  # as the loader names the file (relative when it can)
    for fmt in plan.formats:
        with watch.stage(fmt):
            if fmt == "html":
                data = render_html(doc, dirs, medium="html").encode("utf-8")
            elif fmt == "pdf":
                from .packs.pdf import render_pdf

                data, more = render_pdf(doc, dirs, span=span)
                diags += more
            else:
                from .packs.docx import render_docx

                data = render_docx(doc, dirs)
        artifacts.append(Artifact(path=plan.document(fmt), data=data))
    for fig in doc.figures():
        artifacts.append(Artifact(path=plan.folder / MAPS_FOLDER / f"{fig.name}.svg", data=fig.svg))
    return RenderedPack(
        plan=plan, artifacts=tuple(artifacts), diagnostics=tuple(diags), document=doc, timings=dict(watch.seconds)
    )


def _render_diagrams(ws: Workspace, pack: Pack, plan: PackPlan, *, png: bool, cache: DotCache):
    """Map id -> its diagrams (SVG, and PNG for Word), fitted to the pack's page."""
    from .packs.document import RenderedDiagram
    from .render import RenderOptions, render_map

    out: dict[str, tuple[RenderedDiagram, ...]] = {}
    for mid in pack.map_ids():
        amap = ws.maps.get(mid)
        if amap is None:
            continue
        options = RenderOptions(fmt="svg", theme=plan.theme, page=plan.page, split="auto")
        svgs = render_map(amap, options, cache=cache)
        pngs = ()
        if png:
            options = RenderOptions(fmt="png", theme=plan.theme, page=plan.page, split="auto", dpi=PNG_DPI)
            pngs = render_map(amap, options, cache=cache)
        out[mid] = tuple(_pair(svg, pngs) for svg in svgs)
    return out


def _pair(svg, pngs):
    from .packs.document import RenderedDiagram

    png = next((p for p in pngs if p.name == svg.name), None)
    if pngs and png is None:
        raise ToolError(f"diagram '{svg.name}' was drawn as SVG but not as PNG (split differently)")
    return RenderedDiagram(
        name=svg.name,
        title=svg.title,
        svg=svg.data,
        png=png.data if png is not None else b"",
        width_pt=svg.width_pt,
        height_pt=svg.height_pt,
        node_ids=svg.node_ids,
        text_scale=_svg_scale(svg.data),
    )


_SVG_SCALE = re.compile(rb'<g id="graph0" class="graph" transform="scale\(([\d.]+)')


def _svg_scale(svg: bytes) -> float:
    """The scale Graphviz applied to fit the drawing to its ``size`` (1 when it did not)."""
    found = _SVG_SCALE.search(svg[:4000])
    return min(1.0, float(found.group(1))) if found else 1.0


def _compare(ws: Workspace, pack: Pack, plan: PackPlan, *, png: bool):
    """The comparison and its diagram, for a pack with positions (None, None otherwise)."""
    if not pack.positions:
        return None, None
    from .compare import compare_workspace
    from .render import RenderOptions
    from .render.comparison import render_comparison

    comparison = compare_workspace(ws, pack)
    svg = render_comparison(comparison, RenderOptions(fmt="svg", theme=plan.theme, page=plan.page))
    pngs = ()
    if png:
        options = RenderOptions(fmt="png", theme=plan.theme, page=plan.page, dpi=PNG_DPI)
        pngs = (render_comparison(comparison, options),)
    return comparison, _pair(svg, pngs)


class MemoryDotCache(DotCache):
    """A :class:`~argbrief.render.cache.DotCache` that lives for one pack, in memory."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.entries.get(key)

    def put(self, key: str, data: bytes) -> None:
        self.entries[key] = data


# --------------------------------------------------------------------------- write


def write_outputs(rendered: Iterable[RenderedPack]) -> WriteReport:
    """Write every artifact atomically; remove diagrams an earlier build left behind.

    Files whose bytes did not change are not touched (their modification time
    stays). All new contents go to temp files in the target folders first;
    only when all are written are they moved into place with ``os.replace``.
    """
    packs = list(rendered)
    todo: list[tuple[Path, Artifact]] = []
    unchanged: list[Path] = []
    try:
        for pack in packs:
            for art in pack.artifacts:
                if _same(art.path, art.data):
                    unchanged.append(art.path)
                    continue
                art.path.parent.mkdir(parents=True, exist_ok=True)
                tmp = art.path.with_name(f".{art.path.name}.{secrets.token_hex(4)}.tmp")
                todo.append((tmp, art))
                # open(): the new file gets the usual permissions (umask), unlike mkstemp's 0600.
                with open(tmp, "xb") as fh:
                    fh.write(art.data)
        for tmp, art in todo:
            os.replace(tmp, art.path)
    finally:
        for tmp, _ in todo:
            tmp.unlink(missing_ok=True)
    removed = [p for pack in packs for p in _stale_diagrams(pack)]
    for path in removed:
        path.unlink(missing_ok=True)
    return WriteReport(written=tuple(a.path for _, a in todo), unchanged=tuple(unchanged), removed=tuple(removed))


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _stale_diagrams(pack: RenderedPack) -> list[Path]:
    folder = pack.plan.folder / MAPS_FOLDER
    current = {a.path for a in pack.artifacts}
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.svg") if p not in current)


# --------------------------------------------------------------------------- all together


def build(
    config: Config,
    pack_ids: Sequence[str] = (),
    formats: Sequence[str] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Check the workspace, then render and write the packs. Writes nothing when there are errors.

    ``progress`` is called with a short message before each pack.
    """
    ws = load_workspace(config)
    diags = tuple(ws.diagnostics)
    if any(d.severity is Severity.ERROR for d in diags):
        return BuildResult(diagnostics=diags)
    plans = plan_build(ws, pack_ids, formats)
    rendered = []
    for plan in plans:
        if progress is not None:
            progress(f"building {plan.pack_id} ({', '.join(plan.formats)})")
        rendered.append(render_pack(ws, plan))
    report = write_outputs(rendered)
    diags += tuple(d for r in rendered for d in r.diagnostics)
    return BuildResult(diagnostics=diags, packs=tuple(rendered), report=report)
