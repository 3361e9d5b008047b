"""Interchange formats: one table of loaders and dumpers, one module per format.

Each format module declares a :class:`Format` (name, file suffixes, a one-line
description, and a loader and/or a dumper); :data:`FORMATS` lists them all,
checked for duplicate names.  The command line and the Python API look formats
up here only: :func:`get_format` answers an unknown name with "did you mean",
and :func:`infer_format` picks a format from a file suffix only when exactly
one format claims it — never a silent fallback.

    from argbrief.formats import import_file, export_map
    imported = import_file(Path("micro_b001.xml"))       # -> Imported(map, diagnostics)
    text = export_map(imported.map, "argdown")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from ..diagnostics import Diagnostic, Severity, did_you_mean
from ..errors import UsageError
from ..model import ArgumentMap


@frozen(kw_only=True)
class Imported:
    """What a loader read: the map (None when the input is unusable) and every problem met."""

    map: ArgumentMap | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


#: A loader reads bytes (``name`` is how the file is shown in diagnostics).
Loader = Callable[[bytes, str], Imported]
#: A dumper writes one map as text; the same map always gives the same text.
Dumper = Callable[[ArgumentMap], str]


@frozen(kw_only=True)
class Format:
    """One interchange format: what it is called, which files it claims, what it can do."""

    name: str
    suffixes: tuple[str, ...]
    description: str
    load: Loader | None = None
    dump: Dumper | None = None
    #: Rules (diagnostic codes) a map imported from this format cannot satisfy, each with the reason:
    #: ``argbrief import`` writes them into the map's ``ignore:`` when the map breaks them.
    unsatisfiable: tuple[tuple[str, str], ...] = ()


def _table(formats: Iterable[Format]) -> dict[str, Format]:
    table: dict[str, Format] = {}
    for fmt in formats:
        if fmt.name in table:
            raise ValueError(f"two interchange formats are named {fmt.name!r}")
        if fmt.load is None and fmt.dump is None:
            raise ValueError(f"format {fmt.name!r} can neither load nor dump")
        table[fmt.name] = fmt
    return dict(sorted(table.items()))


def _formats() -> dict[str, Format]:
    # Imported here, after the classes above exist: each module builds its Format from them.
    from . import aif, argdown, graphml, jsonmap, kialo, microtexts, sadface, yaml

    return _table(
        [
            _yaml_format(yaml),
            argdown.FORMAT,
            aif.FORMAT,
            microtexts.FORMAT,
            kialo.FORMAT,
            sadface.FORMAT,
            jsonmap.FORMAT,
            graphml.FORMAT,
        ]
    )


def _yaml_format(module: Any) -> Format:
    """argbrief's own YAML: read like any map file, written by ``formats.yaml.dump_map``."""
    return Format(
        name="yaml",
        suffixes=(".yaml", ".yml"),
        description="argbrief's own map files (readable YAML)",
        load=load_authored,
        dump=module.dump_map,
    )


def load_authored(data: bytes, name: str) -> Imported:
    """An argbrief YAML map from bytes: structured and validated (quotes are not checked)."""
    from .. import convert
    from .._yamlread import decode, read_yaml
    from ..model import SourceSpan
    from ..validate import validate_map

    text, diags = decode(data, name)
    if text is None:
        return Imported(map=None, diagnostics=tuple(diags))
    raw, more = read_yaml(text, name)
    diags += more
    if raw is None:
        return Imported(map=None, diagnostics=tuple(diags))
    if not isinstance(raw, dict):
        diags.append(Diagnostic(code="schema.not-mapping", message="the top level must be a mapping of keys", span=SourceSpan(name, 1, 1)))
        return Imported(map=None, diagnostics=tuple(diags))
    amap, more = convert.structure(raw, ArgumentMap, name)
    diags += more
    if amap is not None:
        diags += [d for d in validate_map(amap) if d.severity is Severity.ERROR]  # warnings are for 'check'
    return Imported(map=amap, diagnostics=tuple(diags))


_FORMATS: dict[str, Format] | None = None


def formats() -> dict[str, Format]:
    """Every registered format by name (the table is built on first use)."""
    global _FORMATS
    if _FORMATS is None:
        _FORMATS = _formats()
    return _FORMATS


def get_format(name: str, need: str | None = None) -> Format:
    """The format called ``name``; ``need`` ("load" or "dump") says what it must be able to do."""
    table = formats()
    fmt = table.get(name.lower())
    if fmt is None:
        choices = [f.name for f in table.values() if need is None or getattr(f, need) is not None]
        hint = did_you_mean(name.lower(), choices)
        raise UsageError(f"unknown format '{name}'" + (f" ({hint})" if hint else "") + f"; formats: {', '.join(choices)}")
    if need is not None and getattr(fmt, need) is None:
        verb = "read" if need == "load" else "written"
        can = [f.name for f in table.values() if getattr(f, need) is not None]
        raise UsageError(f"format '{fmt.name}' cannot be {verb}; formats that can: {', '.join(can)}")
    return fmt


def candidates(path: Path, need: str) -> list[Format]:
    """The formats that claim ``path``'s suffix (the longest matching suffix wins)."""
    name = path.name.lower()
    best: list[Format] = []
    best_len = 0
    for fmt in formats().values():
        if getattr(fmt, need) is None:
            continue
        for suffix in fmt.suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                if len(suffix) > best_len:
                    best, best_len = [fmt], len(suffix)
                elif len(suffix) == best_len and fmt not in best:
                    best.append(fmt)
    return best


def infer_format(path: Path, need: str, option: str) -> Format:
    """The one format ``path``'s suffix names; a :class:`UsageError` (exit 2) otherwise."""
    found = candidates(path, need)
    if len(found) == 1:
        return found[0]
    if not found:
        suffix = "".join(path.suffixes) or "no suffix"
        known = sorted({s for f in formats().values() if getattr(f, need) is not None for s in f.suffixes})
        raise UsageError(f"{path}: cannot tell the format from '{suffix}'; say it with {option} (suffixes: {', '.join(known)})")
    names = ", ".join(f.name for f in found)
    raise UsageError(f"{path}: the suffix fits several formats ({names}); say which with {option}")


def import_file(path: Path, fmt: str | None = None, name: str | None = None) -> Imported:
    """Read ``path`` in format ``fmt`` (default: from its suffix) into a map plus diagnostics.

    Raises :class:`UsageError` for an unknown or ambiguous format; a missing
    file or bad content comes back as diagnostics.
    """
    from .. import paths
    from .._yamlread import MAX_BYTES
    from ..model import SourceSpan

    chosen = get_format(fmt, "load") if fmt else infer_format(path, "load", "--from")
    shown = name or str(path)
    try:
        # Any file the user names (no fence), but a regular one: a FIFO or a device would never end.
        data = paths.read_file(path, limit=MAX_BYTES)
    except paths.UnsafePath as exc:
        return Imported(map=None, diagnostics=(paths.file_diagnostic(exc, shown),))
    if len(data) > MAX_BYTES:
        message = f"file is over the limit of {MAX_BYTES:,} bytes"
        return Imported(map=None, diagnostics=(Diagnostic(code="input.too-large", message=message, span=SourceSpan(shown, 1, 1)),))
    return load_bytes(data, shown, chosen.name)


def load_bytes(data: bytes, name: str, fmt: str) -> Imported:
    """Read ``data`` (shown as ``name``) in format ``fmt``."""
    loader = get_format(fmt, "load").load
    assert loader is not None
    return loader(data, name)


def reasoned_ignores(amap: ArgumentMap, fmt: str) -> ArgumentMap:
    """``amap`` with an ``ignore:`` entry for each rule it breaks that format ``fmt`` has no way to satisfy."""
    from attrs import evolve

    from ..model import Ignore
    from ..validate import validate_map

    wanted = get_format(fmt).unsatisfiable
    if not wanted:
        return amap
    broken = {d.code for d in validate_map(amap)}
    have = {entry.code for entry in amap.ignore}
    extra = tuple(Ignore(code=code, reason=reason) for code, reason in wanted if code in broken and code not in have)
    return evolve(amap, ignore=amap.ignore + extra) if extra else amap


def export_map(amap: ArgumentMap, fmt: str) -> str:
    """``amap`` written in format ``fmt`` (deterministic: the same map gives the same text)."""
    dumper = get_format(fmt, "dump").dump
    assert dumper is not None
    return dumper(amap)


def export_format(name: str | None, output: Path | None) -> Format:
    """The format to export to: the one named, else the one ``output``'s suffix names.

    A named format must agree with an output suffix that names exactly one
    other format; with neither a name nor a telling suffix it is a
    :class:`UsageError` (exit 2).
    """
    if name is not None:
        fmt = get_format(name, "dump")
        if output is not None:
            by_suffix = candidates(output, "dump")
            if by_suffix and fmt not in by_suffix:
                raise UsageError(f"{output} has the suffix of {', '.join(f.name for f in by_suffix)}, but the format asked for is {fmt.name}")
        return fmt
    if output is None:
        raise UsageError(f"say which format to write with --to ({', '.join(names('dump'))})")
    return infer_format(output, "dump", "--to")


def load_map_ref(config: Any, ref: str) -> Imported:
    """The map ``ref`` names, as authored: a file (any format that can be read) or a map id of the project.

    Maps are read as written (no quote locators filled in) and checked for
    errors; warnings are left to ``argbrief check``.
    """
    path = Path(ref)
    if os.path.lexists(path) or "/" in ref or "\\" in ref or candidates(path, "load"):
        return import_file(path)
    from .. import paths
    from ..project import find_map_file, load_workspace

    path = find_map_file(load_workspace(config), ref, f"no map file or map id '{ref}' (in {config.arguments})")
    return import_file(path, name=paths.shown(path))


def names(need: str | None = None) -> Sequence[str]:
    """Format names, optionally only those that can ``load`` or ``dump``."""
    return [f.name for f in formats().values() if need is None or getattr(f, need) is not None]


__all__ = [
    "Format",
    "Imported",
    "candidates",
    "export_format",
    "export_map",
    "formats",
    "get_format",
    "import_file",
    "infer_format",
    "load_bytes",
    "load_map_ref",
    "names",
]
