"""Put the comparison together: index the maps, then stances, verdicts, health, shared passages, actors."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..model import ArgumentMap, Pack
from ..paths import identity
from ._index import Builder, MapIndex
from .actors import actor_rows
from .clashes import question_results
from .health import position_health
from .result import Comparison
from .shared import shared_evidence
from .stances import stance_cells

if TYPE_CHECKING:  # only for type hints; compare stays free of project loading
    from ..project import Workspace


def build_comparison(
    pack: Pack,
    maps: Mapping[str, ArgumentMap],
    map_dirs: Mapping[str, str] | None = None,
) -> Comparison:
    """Compare ``pack``'s positions on its questions, using ``maps`` by id.

    ``map_dirs`` gives, per map id, the folder of its file relative to the
    project root (posix style); it is only used to tell when two maps quote
    the same source text file.  Without it, source text paths are taken as
    written.  Maps a position names that are not in ``maps`` are skipped
    (validation reports them as ``ref.unknown-map``).
    """
    builder = Builder(pack.questions, map_dirs or {})
    indexed: dict[str, tuple[MapIndex, ...]] = {
        pos.id: tuple(MapIndex.of(maps[m], k) for k, m in enumerate(pos.maps) if m in maps) for pos in pack.positions
    }
    cells = stance_cells(pack, indexed, builder)
    results = question_results(pack, cells)
    health = tuple(
        position_health(pos, indexed[pos.id], builder, [c for c in cells if c.position_id == pos.id])
        for pos in pack.positions
    )
    return Comparison(
        pack_id=pack.id,
        title=pack.title,
        subtitle=pack.subtitle,
        positions=pack.positions,
        questions=pack.questions,
        cells=cells,
        results=results,
        health=health,
        shared_evidence=shared_evidence(pack, indexed, builder, results),
        recommendations=actor_rows(pack, indexed, builder),
    )


def comparison_errors(ws: Workspace, pack_id: str) -> list[Diagnostic]:
    """Errors that stop comparing pack ``pack_id``: in its file, its maps' files, or files that failed to load.

    Errors in other packs and in maps the pack does not use do not stop it.
    A file that did not load as any map or pack may be the pack itself or a
    map it names, so its errors always count.
    """
    own: set[Path] = set()
    pack = ws.packs.get(pack_id)
    if pack is not None:
        own.add(identity(ws.pack_files[pack_id]))
        own |= {identity(ws.map_files[m]) for m in pack.map_ids() if m in ws.map_files}
    known = {identity(p) for p in (*ws.map_files.values(), *ws.pack_files.values())}
    out = []
    for d in ws.diagnostics:
        if d.severity is not Severity.ERROR:
            continue
        where = identity(d.span.file)  # a file that is a symbolic-link loop has a name too
        if where in own or where not in known:
            out.append(d)
    return out


def compare_workspace(ws: Workspace, pack: Pack) -> Comparison:
    """:func:`build_comparison` with source paths made relative to the project root."""
    dirs: dict[str, str] = {}
    for mid in pack.map_ids():
        if mid in ws.map_files:
            folder = identity(ws.map_files[mid]).parent
            root = ws.config.root
            dirs[mid] = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else folder.as_posix()
    return build_comparison(pack, ws.maps, dirs)
