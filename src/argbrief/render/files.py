"""The ``render`` command's Python side: find a map by id or path, draw it, write the files atomically.

Writing goes through :mod:`argbrief.atomic` (shared with ``build``); ``write_atomic`` is re-exported here.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from .. import paths
from ..atomic import write_atomic, write_files
from ..diagnostics import Diagnostic, Severity
from ..errors import UsageError
from ..model import ArgumentMap
from ..project import Config, find_map_file, load_workspace
from . import render_map
from .cache import DotCache
from .options import FORMATS, Diagram, RenderOptions
from .split import PAGE_REFS, RefStyle
from .view import ChangeMarks

#: The project's cache folder, beside its configuration (``make clean`` removes it).
CACHE_FOLDER = ".argbrief-cache"

__all__ = [
    "CACHE_FOLDER",
    "SUFFIX_FORMATS",
    "LoadedMap",
    "file_refs",
    "join_pdf",
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
        # A pack file brings the maps it names along: only a map of this very file is drawn.
        own = paths.identity(path)
        mine = [map_id for map_id, file in ws.map_files.items() if paths.identity(file) == own]
        if not mine:
            errors = [d for d in ws.diagnostics if d.severity is Severity.ERROR]
            if errors or not path.exists():
                return LoadedMap(amap=None, diagnostics=ws.diagnostics)
            raise UsageError(f"{ref} holds no map (is it a pack?)")
        amap, diags, path = ws.maps[mine[0]], ws.diagnostics, ws.map_files[mine[0]]
    else:
        ws = load_workspace(config)
        path = find_map_file(ws, ref, f"no map '{ref}' in {config.arguments}")
        amap = ws.maps.get(ref)
        own = paths.identity(path)
        diags = tuple(d for d in ws.diagnostics if _same_file(d.span.file, own))
    failed = amap is None or any(d.severity is Severity.ERROR for d in diags)
    return LoadedMap(amap=None if failed else amap, diagnostics=tuple(diags), path=path)


def _same_file(name: str, path: Path) -> bool:
    return paths.identity(name) == path


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
    """Where each diagram goes: the first at ``output``, the others beside it as ``<name>.<suffix>``.

    The diagrams were named after ``output``'s stem (:func:`render_to_files`
    passes it as the map view's name), so each file is called what the boxes
    that refer to it say.
    """
    return [output] + [output.with_name(d.name + output.suffix) for d in diagrams[1:]]


def file_refs(fmt: str) -> RefStyle:
    """The words boxes use for other drawings: page numbers in one PDF, file names otherwise."""
    if fmt == "pdf":
        return PAGE_REFS
    suffix = "" if fmt == "dot" else f".{fmt}"
    return RefStyle(onward=f"continued in {{name}}{suffix}", back=f"back to {{part}}, {{name}}{suffix}",
                    see=f"in {{name}}{suffix}")


def join_pdf(diagrams: Sequence[Diagram], title: str) -> bytes:
    """One PDF of the diagrams' one-page PDFs, in order, with a bookmark per page nested as the parts are.

    pypdf writes no dates and no random file id, so the same diagrams give the same bytes.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for d in diagrams:
        for page in PdfReader(io.BytesIO(d.data)).pages:
            writer.add_page(page)
    marks: dict[str, object] = {}
    for index, d in enumerate(diagrams):
        label = d.title.split(" — ", 1)[1] if " — " in d.title else d.title
        marks[d.name] = writer.add_outline_item(
            title=f"p. {d.number}: {label}", page_number=index, parent=marks.get(d.parent)
        )
    writer.add_metadata({"/Title": title})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_to_files(
    amap: ArgumentMap,
    options: RenderOptions,
    output: Path | None = None,
    *,
    cache: DotCache | None = None,
    stdout: bool = False,
    changes: ChangeMarks | None = None,
) -> tuple[list[Path], tuple[Diagram, ...]]:
    """Draw ``amap`` and write it; returns the paths written and the diagrams.

    ``output`` defaults to ``<map-id>.<format>`` in the working folder. A PDF is
    one file, a page per diagram (the overview first); SVG, PNG and DOT write
    one file per diagram, the first at ``output`` and the others beside it,
    named as the boxes that refer to them say. Nothing is written unless every
    diagram was drawn. ``stdout`` writes a PDF to standard output instead.
    ``changes`` makes a change diagram (:func:`render_map`).
    """
    out = output if output is not None else Path(f"{amap.id or 'map'}.{options.fmt}")
    name = None if stdout else out.stem
    diagrams = render_map(amap, options, cache=cache, name=name, refs=file_refs(options.fmt), changes=changes)
    if options.fmt == "pdf":
        data = join_pdf(diagrams, amap.title or amap.id or "map") if len(diagrams) > 1 else diagrams[0].data
        if stdout:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return [], diagrams
        write_files([(out, data)])
        return [out], diagrams
    paths = output_paths(diagrams, out)
    write_files(zip(paths, (d.data for d in diagrams)))
    return paths, diagrams


def project_cache(config: Config) -> DotCache:
    """The project's Graphviz cache, ``.argbrief-cache/dot`` beside its configuration (``make clean`` removes it)."""
    return DotCache(config.root / CACHE_FOLDER / "dot", root=config.root)
