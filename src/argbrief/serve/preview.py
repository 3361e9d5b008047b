"""What ``argbrief serve`` shows, kept current: the project's maps and packs, their diagnostics, their drawings.

:meth:`Preview.refresh` reloads the project (the same ``load_workspace`` as
``argbrief check``) and gives every map and pack a *version*: a hash of the bytes
it is made from (its file and source texts; for a pack also its maps and the
template files). Drawings and pack documents are made on request and kept by
version, so after a change only what changed is drawn again — and Graphviz's own
cache (``.argbrief-cache/dot``) makes a redraw of an unchanged drawing free.

A map whose file now has errors keeps its **last good** version (the last one
that loaded without errors): the page goes on showing that drawing, with the
errors beside it, until the file is fixed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from attrs import frozen

from ..diagnostics import Diagnostic, Severity
from ..model import ArgumentMap
from ..project import Config, Workspace, display_path, load_workspace

#: Drawings and pack documents kept in memory (by map or pack, version and options).
MAX_RENDERED = 64


@frozen
class Entry:
    """One map or pack as the page lists it."""

    kind: str  # "map" | "pack"
    id: str
    title: str
    file: str  # as diagnostics name it
    version: str  # "" while it has never loaded without errors
    errors: int
    warnings: int
    stale: bool  # its file has errors now: the page shows its last good version
    files: tuple[str, ...] = ()  # whose diagnostics concern it: its own file (and a pack's maps' files)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "id": self.id, "title": self.title, "file": self.file, "version": self.version,
            "errors": self.errors, "warnings": self.warnings, "stale": self.stale, "files": list(self.files),
        }


class Preview:
    """The project as the open pages see it; thread-safe (the server's threads read, the watcher refreshes)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.generation = 0  # goes up with every refresh that changed anything
        self.changed = threading.Condition()
        self._lock = threading.RLock()
        self._render_lock = threading.Lock()  # one drawing at a time: Graphviz and WeasyPrint are CPU-bound
        self._ws: Workspace | None = None
        self._good_maps: dict[str, tuple[str, ArgumentMap]] = {}  # id -> (version, map), the last good one
        self._good_packs: dict[str, tuple[str, Workspace]] = {}  # id -> (version, the workspace it was good in)
        self._file_ids: dict[Path, tuple[str, str]] = {}  # file -> (kind, id), remembered while a file is broken
        self._entries: tuple[Entry, ...] = ()
        self._diagnostics: tuple[Diagnostic, ...] = ()
        self._rendered: OrderedDict[tuple, bytes] = OrderedDict()
        self.stopping = False

    # -- reading the project ---------------------------------------------------------------

    def refresh(self) -> Preview:
        """Reload the project; tell the open pages when anything they show changed. Returns itself."""
        ws = load_workspace(self.config)
        by_file = _by_file(ws.diagnostics)
        templates = _templates_version(self.config)
        entries: list[Entry] = []
        with self._lock:
            for map_id, path in sorted(ws.map_files.items()):
                self._file_ids[path.resolve()] = ("map", map_id)
            for pack_id, path in sorted(ws.pack_files.items()):
                self._file_ids[path.resolve()] = ("pack", pack_id)
            map_versions: dict[str, str] = {}
            for path, (kind, item_id) in sorted(self._file_ids.items()):
                if kind != "map":
                    continue
                name = _shown(path)
                errors, warnings = _counts(by_file.get(name, ()))
                amap = ws.maps.get(item_id)
                if amap is not None and ws.map_files[item_id].resolve() == path and not errors:
                    self._good_maps[item_id] = (_hash(_map_inputs(ws, item_id)), amap)
                if not path.exists() and amap is None:
                    self._good_maps.pop(item_id, None)  # the file is gone: so is the map
                    continue
                version, good = self._good_maps.get(item_id, ("", None))
                map_versions[item_id] = version
                title = amap.title if amap is not None else good.title if good is not None else ""
                entries.append(Entry("map", item_id, title or item_id, name, version, errors, warnings,
                                     stale=bool(errors) and bool(version), files=(name,)))
            for path, (kind, item_id) in sorted(self._file_ids.items()):
                if kind != "pack":
                    continue
                name = _shown(path)
                pack = ws.packs.get(item_id)
                if not path.exists() and pack is None:
                    self._good_packs.pop(item_id, None)
                    continue
                # Its maps' files, also those that do not load now (remembered from when they did).
                map_paths = {mid: mpath for mpath, (k, mid) in self._file_ids.items() if k == "map"}
                files = [name] + [_shown(map_paths[m]) for m in (pack.map_ids() if pack else ()) if m in map_paths]
                errors, warnings = _counts(d for f in files for d in by_file.get(f, ()))
                if pack is not None and not errors:
                    parts = [_read(path), templates.encode()]
                    parts += [f"{m}={map_versions.get(m, '')}".encode() for m in pack.map_ids()]
                    self._good_packs[item_id] = (_hash(parts), ws)
                version = self._good_packs.get(item_id, ("", None))[0]
                title = pack.title if pack is not None else item_id
                entries.append(Entry("pack", item_id, title or item_id, name, version, errors, warnings,
                                     stale=bool(errors) and bool(version), files=tuple(files)))
            entries.sort(key=lambda e: (e.kind != "map", e.id))
            changed = tuple(entries) != self._entries or ws.diagnostics != self._diagnostics
            self._ws, self._entries, self._diagnostics = ws, tuple(entries), ws.diagnostics
        if changed:
            with self.changed:
                self.generation += 1
                self.changed.notify_all()
        return self

    def state(self) -> dict[str, Any]:
        """What the page shows, as JSON-ready data (sorted, so the same project gives the same state)."""
        with self._lock:
            return {
                "generation": self.generation,
                "project": self.config.root.name,
                "items": [e.to_json() for e in self._entries],
                "diagnostics": [d.to_json() for d in self._diagnostics],
                "ignored": self._ws.ignored if self._ws is not None else 0,
            }

    def entry(self, kind: str, item_id: str) -> Entry | None:
        with self._lock:
            return next((e for e in self._entries if e.kind == kind and e.id == item_id), None)

    # -- drawing ---------------------------------------------------------------------------

    def diagram(self, map_id: str, theme: str, direction: str) -> bytes | None:
        """The SVG of the last good version of ``map_id`` (None when it never loaded without errors)."""
        from ..render import RenderOptions, render_map
        from ..render.files import project_cache

        with self._lock:
            version, amap = self._good_maps.get(map_id, ("", None))
        if amap is None:
            return None
        options = RenderOptions(fmt="svg", theme=theme, direction=direction)  # UsageError for a bad choice
        key = ("map", map_id, version, theme, direction)
        return self._cached(key, lambda: render_map(amap, options, cache=project_cache(self.config))[0].data)

    def pack_html(self, pack_id: str) -> bytes | None:
        """The self-contained HTML document of the last good version of ``pack_id`` (None when there is none)."""
        from ..builder import plan_build, render_pack
        from ..render.files import project_cache

        with self._lock:
            version, ws = self._good_packs.get(pack_id, ("", None))
        if ws is None:
            return None

        def render() -> bytes:
            (plan,) = plan_build(ws, [pack_id], ["html"])
            rendered = render_pack(ws, plan, dot_cache=project_cache(self.config))
            return next(a.data for a in rendered.artifacts if a.path.suffix == ".html")

        return self._cached(("pack", pack_id, version), render)

    def _cached(self, key: tuple, make) -> bytes:
        with self._lock:
            if key in self._rendered:
                self._rendered.move_to_end(key)
                return self._rendered[key]
        with self._render_lock:
            with self._lock:  # drawn by another request while this one waited
                if key in self._rendered:
                    return self._rendered[key]
            data = make()
        with self._lock:
            self._rendered[key] = data
            while len(self._rendered) > MAX_RENDERED:
                self._rendered.popitem(last=False)
        return data

    def stop(self) -> None:
        """Wake every waiting event stream so that it ends."""
        with self.changed:
            self.stopping = True
            self.changed.notify_all()



def _shown(path: Path) -> str:
    """A file as diagnostics name it: relative to the working folder when inside it, else absolute."""
    rel = display_path(path)
    return str(path) if rel.startswith("..") else rel


def _by_file(diags: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    out: dict[str, list[Diagnostic]] = {}
    for d in diags:
        out.setdefault(d.span.file, []).append(d)
    return out


def _counts(diags: Iterable[Diagnostic]) -> tuple[int, int]:
    errors = warnings = 0
    for d in diags:
        if d.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def _map_inputs(ws: Workspace, map_id: str) -> list[bytes]:
    """The bytes a map's drawing is made from: its file and its source texts (quotes are located in them)."""
    from ..quotes import resolve_text_path

    path = ws.map_files[map_id]
    amap = ws.maps[map_id]
    parts = [_read(path)]
    sources = [amap.source] if amap.source else []
    sources += list(amap.sources.values())
    for src in sources:
        if src.text:
            found = resolve_text_path(src.text, path.parent, ws.config.root)[0]  # (path, code...): the path or None
            if found is not None:
                parts.append(_read(found))
    return parts


def _read(path: Path) -> bytes:
    """A file's bytes, or none when it went away since the project was loaded (the next refresh sees that)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _templates_version(config: Config) -> str:
    """The template files a pack's HTML is made from: name, size and modification time of each."""
    from ..packs.html import template_dirs

    seen = []
    for folder in template_dirs(config.templates):
        for path in sorted(folder.iterdir()):
            if path.is_file():
                st = path.stat()
                seen.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(seen)


def _hash(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:16]
