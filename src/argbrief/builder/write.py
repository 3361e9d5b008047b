"""Stage 5: the rendered files onto disk — atomically, only what changed, stale files removed last."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from attrs import frozen

from ..atomic import same_bytes, write_files
from ..errors import ArgbriefError
from .plan import check_inside


@frozen(kw_only=True)
class Artifact:
    """One output file, rendered in memory."""

    path: Path
    data: bytes


@frozen(kw_only=True)
class WriteReport:
    written: tuple[Path, ...] = ()
    unchanged: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()  # files an earlier build made that this one no longer makes


def write_artifacts(artifacts: Sequence[Artifact], exports: Path, *, remove: Sequence[Path] = ()) -> WriteReport:
    """Write ``artifacts`` as one transaction, then delete ``remove``.

    Files whose bytes did not change are not touched (their modification time
    stays). Every new file goes to a temporary file beside its target first;
    only when all are written are they moved into place (see
    :mod:`argbrief.atomic`). A failure leaves every earlier export as it was
    and raises :class:`~argbrief.errors.ArgbriefError`. Stale files are
    deleted only after every new file is in place.
    """
    todo: list[Artifact] = []
    unchanged: list[Path] = []
    for art in artifacts:
        check_inside(art.path, exports)
        if same_bytes(art.path, art.data):
            unchanged.append(art.path)
        else:
            todo.append(art)
    try:
        write_files((a.path, a.data) for a in todo)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise ArgbriefError(
            f"cannot write the exports: {exc.strerror or exc}{where}; the earlier exports are unchanged"
        ) from exc
    removed = []
    for path in sorted(set(remove)):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ArgbriefError(f"cannot remove the stale export {path}: {exc.strerror or exc}") from exc
    _remove_empty_folders({p.parent for p in removed}, exports)
    return WriteReport(written=tuple(a.path for a in todo), unchanged=tuple(unchanged), removed=tuple(removed))


def _remove_empty_folders(folders: Iterable[Path], exports: Path) -> None:
    """Folders left empty by removing stale files (a pack that is gone), up to the exports folder."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != exports and folder.is_relative_to(exports):
            try:
                os.rmdir(folder)
            except OSError:
                break  # not empty (or not ours to remove)
            folder = folder.parent
