"""Stage 1: what to build — one :class:`PackPlan` per pack, with every path checked to stay inside the project."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from .. import paths
from ..diagnostics import did_you_mean
from ..errors import ConfigError, UsageError
from ..model import Pack
from ..project import FORMATS, Workspace, find_pack

#: The order formats are rendered and reported in.
FORMAT_ORDER: tuple[str, ...] = ("html", "pdf", "docx")
#: The pack's diagrams, a build unit of their own beside the documents.
MAPS = "maps"
MAPS_FOLDER = "maps"
#: Resolution of the PNG pictures for Word files: the fallback beside each SVG, rasterised from
#: that SVG (argbrief.render.raster; argbrief.packs.docx quantises it and scales it to its print size).
PNG_DPI = 150


@frozen(kw_only=True)
class PackPlan:
    """What building one pack will do: which formats, into which folder, from which files."""

    pack_id: str
    formats: tuple[str, ...]
    folder: Path  # exports/<pack-id>
    page: str
    theme: str
    #: Every file the pack's exports depend on (pack, maps, source texts): part of the cache key.
    inputs: tuple[Path, ...] = ()
    #: The formats came from ``--format`` (not the pack's own list): other formats' files are left alone.
    formats_overridden: bool = False

    def document(self, fmt: str) -> Path:
        return self.folder / f"{self.pack_id}.{fmt}"

    @property
    def maps_folder(self) -> Path:
        return self.folder / MAPS_FOLDER

    @property
    def units(self) -> tuple[str, ...]:
        """The build units of this pack: its diagrams, then one per document format."""
        return (MAPS, *self.formats)


def parse_formats(text: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """``"pdf,docx"`` (or a list) as a tuple in build order; None when not given."""
    if text is None:
        return None
    items = [p.strip() for p in (text.split(",") if isinstance(text, str) else text)]
    items = [p for p in items if p]
    for item in items:
        if item not in FORMATS:
            hint = did_you_mean(item, FORMATS)
            raise UsageError(f"unknown format '{item}' (choose from {', '.join(FORMATS)})" + (f"; {hint}" if hint else ""))
    if not items:
        raise UsageError(f"no format given (choose from {', '.join(FORMATS)})")
    return tuple(f for f in FORMAT_ORDER if f in items)


def plan_build(ws: Workspace, pack_ids: Sequence[str] = (), formats: Sequence[str] | None = None) -> tuple[PackPlan, ...]:
    """One plan per pack to build: the named ones (UsageError for an unknown id) or all, sorted.

    Raises :class:`~argbrief.errors.ConfigError` when an export would land
    outside the exports folder (a symlinked folder pointing elsewhere).
    """
    ids = list(dict.fromkeys(pack_ids)) if pack_ids else sorted(ws.packs)
    plans = []
    for pid in ids:
        pack = find_pack(ws, pid)
        wanted = tuple(formats) if formats else (pack.formats or ws.config.formats)
        plan = PackPlan(
            pack_id=pid,
            formats=tuple(f for f in FORMAT_ORDER if f in wanted),
            folder=ws.config.exports / pid,
            page=pack.page or ws.config.page,
            theme=pack.theme or ws.config.theme,
            inputs=_inputs(ws, pack),
            formats_overridden=bool(formats),
        )
        check_folder_inside(plan.folder, ws.config.exports)
        check_folder_inside(plan.maps_folder, ws.config.exports)
        plans.append(plan)
    return tuple(plans)


def check_inside(path: Path, root: Path) -> Path:
    """``path`` if it (its folder, symbolic links followed) stays inside ``root``; ConfigError otherwise.

    Pack and map ids are slugs (validation), so an id cannot climb out with
    ``../``; this guards against folders that are symbolic links to elsewhere
    (or loops), through :func:`argbrief.paths.writable`.
    """
    if path.name in ("", ".", "..") or "/" in path.name or "\\" in path.name:
        raise ConfigError(f"refusing to write {path}: not a plain file name")
    try:
        paths.writable(path, root, where="the exports folder")
    except paths.UnsafePath as exc:
        raise ConfigError(f"refusing to write {paths.shown(path)}: {exc}") from None
    return path


def check_folder_inside(folder: Path, root: Path) -> Path:
    """``folder`` if it (symbolic links followed) is a folder, or nothing yet, inside ``root``; ConfigError otherwise."""
    try:
        paths.folder(folder, root, where="the exports folder")
    except paths.UnsafePath as exc:
        raise ConfigError(f"refusing to write into {paths.shown(folder)}: it {exc.detail}") from None
    return folder


def _inputs(ws: Workspace, pack: Pack) -> tuple[Path, ...]:
    files: dict[Path, None] = {}
    if pack.id in ws.pack_files:
        files[paths.identity(ws.pack_files[pack.id])] = None
    for mid in pack.map_ids():
        if mid in ws.map_files:
            named = ws.map_files[mid]
            files[paths.identity(named)] = None
            amap = ws.maps[mid]
            for src in (amap.source, *amap.sources.values()):
                if src is not None and src.text:
                    # Relative to the map file as named (source texts are checked that way too).
                    files[paths.identity(named.parent / src.text)] = None
    return tuple(sorted(files))
