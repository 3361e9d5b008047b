"""Stage 4: one document of a pack (HTML, PDF or Word) from its assembled model, as a worker job.

:func:`render_document` takes the frozen :class:`~argbrief.packs.document.PackDocument`
(plain data, diagrams included) and returns the file's bytes. A problem in a
team's template stops the build with a :class:`~argbrief.errors.ConfigError`
naming the template file and line — whatever Jinja2 raised (a syntax error, an
undefined name, an ``{% include %}`` of a file that is not there, an attribute
the sandbox refuses) or whatever the template's own code raised (``{{ 1/0 }}``).
An exception from inside WeasyPrint becomes a :class:`~argbrief.errors.ToolError`.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from ..diagnostics import Diagnostic
from ..errors import ArgbriefError, ConfigError, ToolError
from ..model import SourceSpan

if TYPE_CHECKING:
    from ..packs.document import PackDocument
    from ..project import Workspace
    from .events import Progress
    from .plan import PackPlan
    from .pool import Runner


@frozen(kw_only=True)
class RenderedDocument:
    data: bytes
    diagnostics: tuple[Diagnostic, ...]
    seconds: float


def render_document(
    doc: PackDocument, fmt: str, dirs: Sequence[Path], pack_file: str, chapters: str | None = None
) -> RenderedDocument:
    """``doc`` as the bytes of a ``fmt`` file (``html``, ``pdf`` or ``docx``), with any renderer warnings.

    The PDF is laid out chapter by chapter (:mod:`argbrief.packs.chapters`);
    ``chapters`` is the folder of the pack's cached chapters, None for no
    cache (the same bytes, every chapter made again).
    """
    start = time.perf_counter()
    diags: tuple[Diagnostic, ...] = ()
    try:
        if fmt == "html":
            from ..packs.html import render_html

            data = render_html(doc, dirs, medium="html").encode("utf-8")
        elif fmt == "pdf":
            from ..packs.pdf import render_pdf_chapters

            folder = None if chapters is None else Path(chapters)
            data, diags = render_pdf_chapters(doc, dirs, span=SourceSpan(pack_file), cache=folder)
        elif fmt == "docx":
            from ..packs.docx import render_docx

            data = render_docx(doc, dirs)
        else:
            raise ValueError(f"unknown document format {fmt!r}")
    except Exception as exc:
        raise _explained(exc, dirs) from exc
    return RenderedDocument(data=data, diagnostics=tuple(diags), seconds=time.perf_counter() - start)


def _explained(exc: Exception, dirs: Sequence[Path]) -> Exception:
    """``exc`` as the error a user can act on: located template errors, WeasyPrint failures; others unchanged."""
    import jinja2

    from ..packs.sandbox import TemplateLimit

    cause = exc.__cause__
    inner = cause if isinstance(exc, ConfigError) and isinstance(cause, jinja2.TemplateError) else exc
    if isinstance(inner, jinja2.TemplateSyntaxError):
        name = inner.filename or inner.name or "template"
        return ConfigError(f"{_shown(name)}:{inner.lineno}: template syntax error: {inner.message}")
    if isinstance(exc, ConfigError) and inner is exc:
        return exc  # already names the file that is wrong
    where = _template_frame(exc, dirs)
    if where is not None or isinstance(inner, jinja2.TemplateError):
        message = getattr(inner, "message", None) or str(inner)
        if isinstance(inner, jinja2.TemplateNotFound):
            message = f"template '{inner.name}' not found (templates include only files of the templates folders)"
        kind = "template error" if isinstance(inner, jinja2.TemplateError) else f"template error: {type(inner).__name__}"
        if isinstance(inner, TemplateLimit):
            message += " (templates run with limits on time, size and memory: see docs/packs.md)"
        elif isinstance(inner, jinja2.exceptions.SecurityError):
            message += " (templates run sandboxed: no access to Python internals)"
        place = f"{_shown(where[0])}:{where[1]}" if where else "template"
        return ConfigError(f"{place}: {kind}: {message}")
    if isinstance(exc, ArgbriefError):
        return exc
    if _raised_in(exc, f"{os.sep}weasyprint{os.sep}"):
        return ToolError(f"WeasyPrint failed to lay out the PDF: {type(exc).__name__}: {exc}")
    return exc


def _template_frame(exc: BaseException, dirs: Sequence[Path]) -> tuple[str, int] | None:
    """The innermost traceback frame (of ``exc`` or what caused it) that is a template file's line."""
    roots = [str(d.resolve()) + os.sep for d in dirs] + [str(d) + os.sep for d in dirs]
    found = None
    for e in (exc, exc.__cause__, exc.__context__):
        if e is None:
            continue
        for frame in traceback.extract_tb(e.__traceback__):
            if any(frame.filename.startswith(r) for r in roots) and frame.lineno:
                found = (frame.filename, frame.lineno)
        if found:
            return found
    return None


def _raised_in(exc: BaseException, marker: str) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and marker in frames[-1].filename


def _shown(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


#: Longest first (a PDF takes seconds, HTML milliseconds), so no worker idles at the end.
_ORDER = {"pdf": 0, "docx": 1, "html": 2}


def render_documents(
    ws: Workspace,
    documents: Mapping[str, PackDocument],
    jobs: Sequence[tuple[PackPlan, str]],
    dirs: Sequence[Path],
    runner: Runner,
    emit: Progress,
    chapters: Path | None = None,
) -> dict[tuple[str, str], RenderedDocument]:
    """Render each (plan, format) of ``jobs`` from its pack's document model; (pack id, format) -> RenderedDocument.

    ``chapters`` is the folder of cached PDF chapters (a subfolder per pack); None: no chapter cache.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    from .events import BuildEvent

    jobs = sorted(jobs, key=lambda job: (_ORDER[job[1]], job[0].pack_id))
    emit(BuildEvent(kind="stage", stage="documents", message="rendering documents", total=len(jobs)))
    owner = {
        runner.submit(
            render_document,
            documents[plan.pack_id],
            fmt,
            dirs,
            ws.packs[plan.pack_id].span.file,
            None if chapters is None or fmt != "pdf" else str(chapters / plan.pack_id),
        ): (plan.pack_id, fmt)
        for plan, fmt in jobs
    }
    results: dict[tuple[str, str], RenderedDocument] = {}
    pending = set(owner)
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            pack_id, fmt = owner[future]
            results[pack_id, fmt] = future.result()  # a failed job stops the build here
            emit(BuildEvent(kind="step", stage="documents", message=f"{pack_id}.{fmt}", done=len(results), total=len(jobs)))
    return results
