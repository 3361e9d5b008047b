"""A content-addressed cache of Graphviz output, as Sphinx keeps one.

``dot`` is a pure function of its binary, its arguments and its input, so its
output is stored under a hash of the three. A rebuild whose maps did not change
(the CI case) then costs no layout at all. The binary is identified by its
path, size and modification time, so an upgraded Graphviz misses the cache.

Each entry starts with a one-line header holding the cache's format version
and the SHA-256 of the data; an entry that is truncated, edited or from an
older format is a miss (and is deleted), never wrong output. The self-hash
only catches damage, not forgery: :func:`~argbrief.render.graphviz.run_dot`
also checks what a hit holds (an SVG with a script is never used), and
``build --check`` reads no cache at all. Entries are written atomically; the
oldest are removed past ``max_entries``.

The folder goes through :mod:`argbrief.paths`: it must be a real folder
inside the project (``root``), or the cache is not used at all (a symbolic
link to elsewhere would make it read, write and prune files there). Entries
are read as regular files of at most :data:`MAX_ENTRY_BYTES`, and pruning
removes only regular files named like cache keys.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from .. import paths
from ..atomic import write_atomic

#: Bump when the entry format or what a key covers changes: older entries become misses.
FORMAT_VERSION = 2
_MAGIC = b"argbrief-dot-cache"
#: The largest entry read back (a 200 dpi PNG of a big map is a few MB).
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_KEY = re.compile(r"[0-9a-f]{64}")


class DotCache:
    """Graphviz outputs in ``folder``, one file per (binary, arguments, source).

    ``readonly=True`` (``argbrief build --check --trust-cache``) reads the
    folder but keeps new entries in memory only, so nothing is written.
    ``root`` is the folder the cache must be inside (the project; default:
    the folder's own parent). ``hits`` and ``misses`` count lookups in this
    process; ``ignored`` says why the folder is not used ("" when it is).
    """

    def __init__(
        self, folder: Path | str, max_entries: int = 2000, *, readonly: bool = False, root: Path | str | None = None
    ) -> None:
        self.folder = Path(folder)
        self.root = Path(root) if root is not None else None
        self.max_entries = max_entries
        self.readonly = readonly
        self.hits = 0
        self.misses = 0
        self.ignored = ""
        self._usable: bool | None = None
        self._memory: dict[str, bytes] = {}

    def usable(self) -> bool:
        """Whether the folder may be used: a folder (or nothing yet) inside ``root``, after following links."""
        if self._usable is None:
            try:
                paths.folder(self.folder, self.root if self.root is not None else self.folder.parent)
                self._usable = True
            except paths.UnsafePath as exc:
                self.ignored = str(exc)
                self._usable = False
        return self._usable

    def key(self, binary: str, args: Sequence[str], source: bytes) -> str:
        st = os.stat(binary)
        digest = hashlib.sha256(f"v{FORMAT_VERSION}".encode() + b"\0")
        for part in (os.path.realpath(binary), str(st.st_size), str(st.st_mtime_ns), *args):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(source)
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        data = self._memory.get(key)
        if data is None:
            data = self._read(key)
        if data is None:
            self.misses += 1
        else:
            self.hits += 1
        return data

    def _read(self, key: str) -> bytes | None:
        if not self.usable() or not _KEY.fullmatch(key):
            return None
        path = self.folder / key
        try:
            raw = paths.read_file(path, self.folder, limit=MAX_ENTRY_BYTES)
        except paths.UnsafePath:
            return None
        if len(raw) > MAX_ENTRY_BYTES:
            return None
        header, _, data = raw.partition(b"\n")
        parts = header.split(b" ")
        if len(parts) != 3 or parts[0] != _MAGIC or parts[1] != str(FORMAT_VERSION).encode():
            self._discard(path)
            return None
        if hashlib.sha256(data).hexdigest().encode() != parts[2]:
            self._discard(path)  # truncated or edited: never serve it
            return None
        if not self.readonly:
            try:
                os.utime(path)  # recently used: pruned last
            except OSError:
                pass
        return data

    def _discard(self, path: Path) -> None:
        if self.readonly or not self.usable():
            return
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()
        except OSError:
            pass

    def put(self, key: str, data: bytes) -> None:
        """Store ``data``; a cache that cannot be written is only a slower run, never an error."""
        if self.readonly or not self.usable() or not _KEY.fullmatch(key):
            self._memory[key] = data
            return
        header = b"%s %d %s\n" % (_MAGIC, FORMAT_VERSION, hashlib.sha256(data).hexdigest().encode())
        try:
            # No fsync: a cache entry lost in a power cut is only a miss (and a torn one fails its hash).
            write_atomic(self.folder / key, header + data, fsync=False)
            self._prune()
        except OSError:
            self._memory[key] = data

    def _prune(self) -> None:
        # Only the cache's own entries: regular files named like keys (never what a link leads to).
        entries = [e for e in os.scandir(self.folder) if _KEY.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
        if len(entries) <= self.max_entries:
            return
        entries.sort(key=lambda e: (e.stat(follow_symlinks=False).st_mtime_ns, e.name))
        for entry in entries[: len(entries) - self.max_entries]:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


class MemoryDotCache(DotCache):
    """A :class:`DotCache` that lives in memory only (``--no-cache``, or a one-off render)."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull), readonly=True)

    def _read(self, key: str) -> bytes | None:
        return None
