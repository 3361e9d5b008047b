"""A content-addressed cache of Graphviz output, as Sphinx keeps one.

``dot`` is a pure function of its binary, its arguments and its input, so its
output is stored under a hash of the three. A rebuild whose maps did not change
(the CI case) then costs no layout at all. The binary is identified by its
path, size and modification time, so an upgraded Graphviz misses the cache.
Entries are written atomically; the oldest are removed past ``max_entries``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


class DotCache:
    """Graphviz outputs in ``folder``, one file per (binary, arguments, source)."""

    def __init__(self, folder: Path, max_entries: int = 2000) -> None:
        self.folder = Path(folder)
        self.max_entries = max_entries

    def key(self, binary: str, args: Sequence[str], source: bytes) -> str:
        st = os.stat(binary)
        digest = hashlib.sha256()
        for part in (os.path.realpath(binary), str(st.st_size), str(st.st_mtime_ns), *args):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(source)
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        path = self.folder / key
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            os.utime(path)  # recently used: pruned last
        except OSError:
            pass
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store ``data``; a cache that cannot be written is only a slower run, never an error."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.folder / key)
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        entries = [e for e in os.scandir(self.folder) if not e.name.startswith(".")]
        if len(entries) <= self.max_entries:
            return
        entries.sort(key=lambda e: (e.stat().st_mtime_ns, e.name))
        for entry in entries[: len(entries) - self.max_entries]:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
