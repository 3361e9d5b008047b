"""Atomic file writes: the one place argbrief replaces a file (``build``, ``render``, ``import``, ``export``).

A new file is written to a hidden temporary file in the target's own folder
(same file system, so ``os.replace`` is atomic), flushed to disk, and only then
moved into place. A failure at any point — a full disk, an error while
rendering, Ctrl-C — leaves the old file byte-identical and removes the
temporary file. :func:`write_files` does this for several files as one
transaction: every temporary file is written before the first is moved.

Temporary files are created with ``os.open(..., 0o666)``, so the finished
file gets the permissions ``open()`` would give it (the umask applies); the
``tempfile`` module would make them 0600.

Every target is checked first (:func:`argbrief.paths.writable`): a folder in
its place, or a folder path that loops, stops the transaction before anything
is written, and every error names the target, never the temporary file.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import paths

#: What a temporary file is called: ``.<name>.<8 hex digits>.tmp`` beside its target.
TEMP_PATTERN = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")


def temp_path(path: Path) -> Path:
    """A fresh hidden temporary name beside ``path``."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _create(tmp: Path, data: bytes, *, fsync: bool) -> None:
    # O_EXCL: never write through a file (or symlink) someone else put there.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if fsync:
            os.fsync(fd)  # the bytes are on disk before the name points at them
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Creates missing parent folders. On failure the old file (if any) is left
    as it was and the temporary file is removed; the exception propagates.
    """
    write_files([(path, data)], fsync=fsync)


def write_files(files: Iterable[tuple[Path, bytes]], *, fsync: bool = True) -> tuple[Path, ...]:
    """Write several files as one transaction; returns the paths written.

    All temporary files are written first; only when every one is complete
    are they moved into place, in the order given. If writing any of them
    fails, no target has changed. (A failure *during* the moves, which only
    rename within a folder, could leave some moved and some not: each file
    is still whole, old or new.)
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            paths.writable(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = temp_path(path)
                staged.append((tmp, path))
                _create(tmp, data, fsync=fsync)
            except OSError as exc:
                raise _about(exc, path) from None
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _about(exc, path) from None
        if fsync:
            _sync_folders({path.parent for _, path in staged})
    finally:
        for tmp, _ in staged:
            try:
                tmp.unlink()
            except OSError:  # moved into place already, or the folder went away
                pass
    return tuple(path for _, path in staged)


def _about(exc: OSError, path: Path) -> OSError:
    """``exc`` naming ``path`` (the file the user asked for), not the temporary file beside it."""
    return type(exc)(exc.errno, exc.strerror, str(path))


def _sync_folders(folders: Iterable[Path]) -> None:
    """Flush the folders' entries too, so the new names survive a power cut (POSIX only)."""
    if os.name != "posix":
        return
    for folder in sorted(folders):
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def same_bytes(path: Path, data: bytes) -> bool:
    """True when ``path`` is a file holding exactly ``data`` (so it need not be rewritten)."""
    try:
        return paths.read_file(path, limit=len(data)) == data
    except paths.UnsafePath:  # missing, a folder, a FIFO, a device: not the same bytes
        return False


def remove_leftovers(folders: Sequence[Path], *, older_than: float = 60.0) -> tuple[Path, ...]:
    """Delete temporary files that a killed run (``kill -9``, a power cut) left in ``folders``.

    Only files older than ``older_than`` seconds: a run writing into the same
    folder right now keeps its own.
    """
    import time

    removed = []
    limit = time.time() - older_than
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if TEMP_PATTERN.match(entry.name) and entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except OSError:
                pass
    return tuple(sorted(removed))
