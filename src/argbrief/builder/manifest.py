"""The build cache: what each export was made from, so a rebuild renders only what changed.

``.argbrief-cache/build.json`` records, per *unit* (a pack's diagrams, or one
of its documents), a fingerprint of everything its bytes depend on — the
pack, map and source-text files, the template files, the options (page,
theme, dates) and the versions of argbrief, Graphviz, WeasyPrint, python-docx
— and the SHA-256 and size of every file it wrote. A unit is *fresh* when its
fingerprint is unchanged and its files on disk still have the recorded hashes
(so a deleted or hand-edited export is rebuilt). The file carries a format
version; a missing, older, newer or damaged file is ignored (everything is
rebuilt), never an error. It is read through :mod:`argbrief.paths` (a
regular file inside the project, at most :data:`MAX_MANIFEST_BYTES`, nested
at most :data:`MAX_DEPTH` deep), and every output it names must be a plain
path inside the exports folder: a forged ``/dev/zero`` or ``../fifo`` makes
the whole file "damaged".

The cache is an optimisation, never an authority: ``build --check`` does not
take its word for anything (see :func:`argbrief.builder.build`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from attrs import evolve, field, frozen

from .. import __version__, paths
from ..atomic import write_atomic

#: The manifest's format; a manifest with another version is ignored.
MANIFEST_VERSION = 1
MANIFEST_NAME = "build.json"
_KIND = "argbrief-build-cache"
#: How many changed inputs a reason names before it says "and N more".
_NAMED = 3
#: Limits on reading build.json (the demo's is about 20 KB, 5 levels deep).
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 16


@frozen(kw_only=True)
class Fingerprint:
    """What one unit's bytes depend on: input files by name with their hashes, and settings."""

    inputs: Mapping[str, str]
    settings: Mapping[str, str]

    @property
    def key(self) -> str:
        blob = json.dumps({"inputs": dict(self.inputs), "settings": dict(self.settings)}, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@frozen(kw_only=True)
class OutputRecord:
    sha256: str
    size: int


@frozen(kw_only=True)
class UnitRecord:
    """One unit as last built: its fingerprint and the files it wrote (names relative to the project)."""

    key: str
    inputs: Mapping[str, str]
    settings: Mapping[str, str]
    outputs: Mapping[str, OutputRecord]


@frozen(kw_only=True)
class Manifest:
    """The whole build cache of one exports folder."""

    exports: str  # the exports folder, relative to the project
    units: Mapping[str, UnitRecord] = field(factory=dict)
    #: Tool versions remembered by the binary's identity, so a no-op build runs no ``dot -V``.
    tools: Mapping[str, Mapping[str, str]] = field(factory=dict)
    #: Why an existing manifest was not used ("" when it was, or there was none).
    ignored: str = ""

    def with_units(self, updates: Mapping[str, UnitRecord | None]) -> Manifest:
        """A copy with ``updates`` applied (None removes a unit)."""
        units = dict(self.units)
        for uid, rec in updates.items():
            if rec is None:
                units.pop(uid, None)
            else:
                units[uid] = rec
        return evolve(self, units=dict(sorted(units.items())), ignored="")


def unit_id(pack_id: str, unit: str) -> str:
    return f"{pack_id}/{unit}"


# --------------------------------------------------------------------------- reading and writing


def load_manifest(path: Path, exports: str, root: Path | None = None) -> Manifest:
    """The manifest at ``path`` for the exports folder ``exports``; an empty one when absent or unusable.

    ``root`` (the project) is the fence ``path`` must stay inside.
    """
    try:
        raw = paths.read_file(path, root, limit=MAX_MANIFEST_BYTES)
    except paths.UnsafePath as exc:
        if exc.problem == paths.MISSING:
            return Manifest(exports=exports)
        return Manifest(exports=exports, ignored=f"{path.name} {exc.detail}")
    if len(raw) > MAX_MANIFEST_BYTES:
        return Manifest(exports=exports, ignored=f"{path.name} is over {MAX_MANIFEST_BYTES:,} bytes; rebuilding everything")
    try:
        text = raw.decode("utf-8")
        if _depth(text) > MAX_DEPTH:
            raise ValueError("nested too deep")
        return _parse(json.loads(text), exports)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        return Manifest(exports=exports, ignored=f"{path.name} is damaged ({type(exc).__name__}); rebuilding everything")


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")


def _depth(text: str) -> int:
    """How deeply the JSON ``text`` nests (strings skipped), without parsing it (the parser recurses)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRING.sub(b"", text.encode("utf-8", "surrogatepass"))):
        depth += 1 if match.group() in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _parse(doc: Any, exports: str) -> Manifest:
    if not isinstance(doc, dict) or doc.get("kind") != _KIND:
        raise ValueError("not a build cache")
    if doc.get("version") != MANIFEST_VERSION:
        return Manifest(exports=exports, ignored=f"build cache format {doc.get('version')!r} is not {MANIFEST_VERSION}")
    if doc.get("exports") != exports:
        return Manifest(exports=exports, ignored="the build cache is for another exports folder")
    units = {}
    for uid, u in _mapping(doc["units"]).items():
        outputs = {
            _output_name(name, exports): OutputRecord(sha256=_str(o["sha256"]), size=_int(o["size"]))
            for name, o in _mapping(u["outputs"]).items()
        }
        units[str(uid)] = UnitRecord(
            key=_str(u["key"]),
            inputs={str(k): _str(v) for k, v in _mapping(u["inputs"]).items()},
            settings={str(k): _str(v) for k, v in _mapping(u["settings"]).items()},
            outputs=outputs,
        )
    tools = {str(k): {str(a): _str(b) for a, b in _mapping(v).items()} for k, v in _mapping(doc.get("tools", {})).items()}
    return Manifest(exports=exports, units=units, tools=tools)


def _output_name(name: Any, exports: str) -> str:
    """An output's name as recorded: a plain relative path inside the exports folder, or ValueError."""
    if not isinstance(name, str) or "\0" in name or "\\" in name:
        raise ValueError("an output name that is not a plain path")
    prefix = "" if exports in ("", ".") else exports.rstrip("/") + "/"
    if posixpath.isabs(name) or posixpath.normpath(name) != name or name.startswith("../") or not name.startswith(prefix):
        raise ValueError("an output outside the exports folder")
    return name


def _mapping(value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value


def manifest_json(manifest: Manifest) -> bytes:
    """The manifest as the bytes of ``build.json`` (sorted keys: identical state, identical file)."""
    doc = {
        "kind": _KIND,
        "version": MANIFEST_VERSION,
        "exports": manifest.exports,
        "tools": {k: dict(v) for k, v in sorted(manifest.tools.items())},
        "units": {
            uid: {
                "key": u.key,
                "inputs": dict(u.inputs),
                "settings": dict(u.settings),
                "outputs": {name: {"sha256": o.sha256, "size": o.size} for name, o in u.outputs.items()},
            }
            for uid, u in sorted(manifest.units.items())
        },
    }
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode("utf-8")


def save_manifest(path: Path, manifest: Manifest) -> None:
    """Write the manifest atomically (only when its bytes change)."""
    data = manifest_json(manifest)
    try:
        if paths.read_file(path, path.parent, limit=len(data)) == data:
            return
    except paths.UnsafePath:
        pass
    write_atomic(path, data)


# --------------------------------------------------------------------------- fingerprints


def file_hash(path: Path, fence: Path | None = None) -> str:
    """SHA-256 of a file's bytes; ``"missing"`` when it cannot be read (or is not a regular file inside ``fence``)."""
    try:
        return paths.hash_file(path, fence)
    except paths.UnsafePath:
        return "missing"


@functools.lru_cache(maxsize=1)
def argbrief_identity() -> str:
    """argbrief's version plus a hash of its own source files (a changed argbrief rebuilds everything)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


@functools.lru_cache(maxsize=None)
def library_version(dist: str) -> str:
    """The installed version of a Python distribution (no import), or ``"missing"``."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "missing"


def graphviz_version(tools: Mapping[str, Mapping[str, str]]) -> tuple[str, dict[str, str] | None]:
    """The ``dot -V`` line, and the record to remember it by (None when the remembered one still holds)."""
    return tool_version(tools, "dot", "-V")


def rasteriser_version(tools: Mapping[str, Mapping[str, str]]) -> tuple[str, dict[str, str] | None]:
    """The ``rsvg-convert --version`` line (it draws Word's PNG pictures), and the record to remember it by."""
    return tool_version(tools, "rsvg-convert", "--version")


def tool_version(tools: Mapping[str, Mapping[str, str]], name: str, flag: str) -> tuple[str, dict[str, str] | None]:
    """What ``<name> <flag>`` prints, and the record to remember it by in ``tools[name]`` (None when that still holds).

    The tool runs only when the binary's path, size or modification time
    differ from the remembered ones, so a no-op build starts no process.
    """
    import shutil

    binary = shutil.which(name)
    if binary is None:
        return "missing", None
    try:
        st = os.stat(binary)
    except OSError:
        return "missing", None
    identity = f"{os.path.realpath(binary)}:{st.st_size}:{st.st_mtime_ns}"
    known = tools.get(name, {})
    if known.get("identity") == identity and known.get("version"):
        return known["version"], None
    try:
        proc = subprocess.run([binary, flag], capture_output=True, timeout=20, check=False)
        version = " ".join((proc.stderr or proc.stdout).decode("utf-8", "replace").split()) or f"exit {proc.returncode}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        version = f"unknown ({type(exc).__name__})"
    return version, {"identity": identity, "version": version}


# --------------------------------------------------------------------------- freshness


def stale_reasons(
    record: UnitRecord | None,
    fingerprint: Fingerprint,
    disk: Mapping[str, str | None],
) -> tuple[str, ...]:
    """Why a unit must be rebuilt (empty: it is fresh).

    ``disk`` maps each recorded output to the hash of the file on disk now
    (None when it is missing).
    """
    if record is None:
        return ("not built before",)
    if record.key != fingerprint.key:
        return changes(record, fingerprint) or ("its build settings changed",)
    reasons = []
    for name, out in record.outputs.items():
        now = disk.get(name)
        if now is None:
            reasons.append(f"{name} is missing")
        elif now != out.sha256:
            reasons.append(f"{name} was edited or replaced since the last build")
    return tuple(reasons)


def changes(record: UnitRecord, fingerprint: Fingerprint) -> tuple[str, ...]:
    """What differs between a recorded fingerprint and the current one, in words."""
    out: list[str] = []
    changed = [n for n in fingerprint.inputs if n in record.inputs and record.inputs[n] != fingerprint.inputs[n]]
    added = [n for n in fingerprint.inputs if n not in record.inputs]
    removed = [n for n in record.inputs if n not in fingerprint.inputs]
    for names, verb in ((changed, "changed"), (added, "is new"), (removed, "is no longer used")):
        if names:
            shown = ", ".join(sorted(names)[:_NAMED])
            more = f" and {len(names) - _NAMED} more" if len(names) > _NAMED else ""
            plural = {"changed": "changed", "is new": "are new", "is no longer used": "are no longer used"}[verb]
            out.append(f"{shown}{more} {verb if len(names) == 1 else plural}")
    for name in sorted(set(fingerprint.settings) | set(record.settings)):
        old, new = record.settings.get(name), fingerprint.settings.get(name)
        if old != new:
            out.append(f"{name} changed ({_short(old)} -> {_short(new)})")
    return tuple(out)


def _short(value: str | None) -> str:
    if value is None:
        return "unset"
    return value if len(value) <= 40 else value[:37] + "..."


def record_for(fingerprint: Fingerprint, outputs: Iterable[tuple[str, bytes]]) -> UnitRecord:
    """The record of a unit just built from ``fingerprint`` that wrote ``outputs`` (name, bytes)."""
    return UnitRecord(
        key=fingerprint.key,
        inputs=dict(fingerprint.inputs),
        settings=dict(fingerprint.settings),
        outputs={name: OutputRecord(sha256=hashlib.sha256(data).hexdigest(), size=len(data)) for name, data in sorted(outputs)},
    )


def hash_files(names: Sequence[str], root: Path, fence: Path | None = None) -> dict[str, str | None]:
    """Each ``root``-relative file name with the hash of its bytes now (None when missing or not a regular file)."""
    out: dict[str, str | None] = {}
    for name in names:
        h = file_hash(root / name, fence)
        out[name] = None if h == "missing" else h
    return out
