"""The ``render`` command's Python side: find a map by id or path, draw it, write the files atomically.

Writing goes through :mod:`argbrief.atomic` (shared with ``build``); ``write_atomic`` is re-exported here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from ..atomic import write_atomic, write_files
from ..diagnostics import Diagnostic, Severity, did_you_mean
from ..errors import UsageError
from ..model import ArgumentMap
from ..project import Config, load_workspace
from . import render_map
from .cache import DotCache
from .options import FORMATS, Diagram, RenderOptions
from .view import ChangeMarks

#: The project's cache folder, beside its configuration (``make clean`` removes it).
CACHE_FOLDER = ".argbrief-cache"

__all__ = [
    "CACHE_FOLDER",
    "SUFFIX_FORMATS",
    "LoadedMap",
    "load_map",
    "output_paths",
    "project_cache",
    "render_to_files",
    "resolve_format",
    "write_atomic",
]

#: File suffixes that name a format (``-o map.gv`` is DOT).
SUFFIX_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}


@frozen(kw_only=True)
class LoadedMap:
    """A map found by id or path, with the diagnostics of its file (``amap`` is None when it has errors)."""

    amap: ArgumentMap | None
    diagnostics: tuple[Diagnostic, ...]
    path: Path | None = None  # its file


def looks_like_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or os.sep in ref or "/" in ref or Path(ref).is_file()


def load_map(config: Config, ref: str) -> LoadedMap:
    """The map ``ref`` names: a map id of the project, or the path of a map file.

    The map comes back only when its file has no errors; its file's
    diagnostics (errors and warnings) are returned either way. Raises
    :class:`UsageError` when no map has that id, or the file holds a pack.
    """
    if looks_like_path(ref):
        path = Path(ref)
        ws = load_workspace(config, [path])
        maps = list(ws.maps.values())
        if not maps:
            errors = [d for d in ws.diagnostics if d.severity is Severity.ERROR]
            if errors or not path.exists():
                return LoadedMap(amap=None, diagnostics=ws.diagnostics)
            raise UsageError(f"{ref} holds no map (is it a pack?)")
        amap, diags, path = maps[0], ws.diagnostics, ws.map_files[maps[0].id]
    else:
        ws = load_workspace(config)
        if ref not in ws.maps:
            hint = did_you_mean(ref, ws.maps)
            known = ", ".join(sorted(ws.maps)) or "none"
            raise UsageError(f"no map '{ref}' in {config.arguments}" + (f" ({hint})" if hint else f"; maps: {known}"))
        amap, path = ws.maps[ref], ws.map_files[ref]
        own = path.resolve()
        diags = tuple(d for d in ws.diagnostics if _same_file(d.span.file, own))
    failed = any(d.severity is Severity.ERROR for d in diags)
    return LoadedMap(amap=None if failed else amap, diagnostics=tuple(diags), path=path)


def _same_file(name: str, path: Path) -> bool:
    try:
        return Path(name).resolve() == path
    except OSError:
        return False


def resolve_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output's suffix names, else SVG."""
    by_suffix = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None and str(output) != "-" else None
    if fmt is None:
        return by_suffix or "svg"
    if fmt not in FORMATS:
        raise UsageError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    if by_suffix is not None and by_suffix != fmt:
        raise UsageError(f"{output} has the suffix of {by_suffix}, but the format asked for is {fmt}")
    return fmt


def output_paths(diagrams: Sequence[Diagram], output: Path) -> list[Path]:
    """Where each diagram goes: the first at ``output``, the others beside it as ``<stem>-<branch>.<suffix>``."""
    first = diagrams[0].name
    paths = [output]
    for d in diagrams[1:]:
        paths.append(output.with_name(output.stem + d.name[len(first) :] + output.suffix))
    return paths


def render_to_files(
    amap: ArgumentMap,
    options: RenderOptions,
    output: Path | None = None,
    *,
    cache: DotCache | None = None,
    changes: ChangeMarks | None = None,
) -> list[Path]:
    """Draw ``amap`` and write every diagram; returns the paths written.

    ``output`` defaults to ``<map-id>.<format>`` in the working folder; a split
    map writes its branch diagrams beside it. Nothing is written unless every
    diagram was drawn. ``changes`` makes a change diagram (:func:`render_map`).
    """
    diagrams = render_map(amap, options, cache=cache, changes=changes)
    out = output if output is not None else Path(f"{amap.id or 'map'}.{options.fmt}")
    paths = output_paths(diagrams, out)
    write_files(zip(paths, (d.data for d in diagrams)))
    return paths


def project_cache(config: Config) -> DotCache:
    """The project's Graphviz cache, ``.argbrief-cache/dot`` beside its configuration (``make clean`` removes it)."""
    return DotCache(config.root / CACHE_FOLDER / "dot")
