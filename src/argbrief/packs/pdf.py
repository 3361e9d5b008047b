"""The pack as PDF: the shared HTML template laid out by WeasyPrint.

Builds use :func:`render_pdf_chapters`: each chapter laid out, drawn and cached
on its own, then joined (:mod:`.chapters`). :func:`render_pdf` lays the whole
pack out as one document; it is the reference the joined PDF is tested
against (the same pages, links, outline and tags) and the peer of the
benchmarks.

WeasyPrint is imported here only (it is slow to import and not needed for
Word or HTML builds). Three things are wrapped:

- a URL fetcher (:class:`PackFetcher`) that serves the rendered diagrams from
  memory, reads only files inside the templates folders, and refuses
  everything else (the network, ``file:///etc/passwd``, ``data:``);
- WeasyPrint's logger, whose warnings (bad CSS, a refused URL) would otherwise
  vanish: they come back as ``build.renderer-warning`` diagnostics;
- the front section's length: it is meant to fit on three pages
  (:data:`FRONT_PAGES`); a longer one is a ``build.front-too-long`` warning;
- determinism: ``/CreationDate`` and ``/ModDate`` come from ``<meta
  name=dcterms.created/modified>`` (the pack date or ``SOURCE_DATE_EPOCH``;
  WeasyPrint 70 writes no dates without them), and the file identifier ``/ID``
  is derived from the pack id (its second half is WeasyPrint's hash of the
  content), so identical inputs give identical bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .. import paths
from .._upstream import pdf_adapters
from ..diagnostics import Diagnostic
from ..model import SourceSpan
from ._floats import FloatPlan, decide
from .document import PackDocument
from .html import ASSET_SCHEME, asset_url, locate_template, render_html

#: Tagged PDF (a structure tree, for screen readers and reflow): WeasyPrint's ``pdf_tags``.
PDF_TAGS = True
#: WeasyPrint 70 can also write "pdf/ua-1", which *claims* PDF/UA conformance in the
#: XMP metadata. Off: nothing here validates the claim (docs/packs.md).
PDF_VARIANT: str | None = None
#: The front section (bottom line to sources note) should fit on this many pages.
FRONT_PAGES = 3
# WeasyPrint's warnings are caught by swapping handlers on process-wide loggers,
# so one PDF is laid out at a time per process (WeasyPrint holds the GIL anyway;
# parallel builds use processes).
_RENDER_LOCK = threading.Lock()
#: Bytes of one file a stylesheet may fetch from the templates folders (a font, a logo).
MAX_FETCH_BYTES = 32 * 1024 * 1024


def pdf_assets(doc: PackDocument) -> dict[str, bytes]:
    """What the PDF's ``<img>`` elements fetch: each figure's SVG by its asset URL."""
    return {asset_url(fig): fig.svg for fig in doc.figures()}


def render_pdf(
    doc: PackDocument, dirs: Sequence[Path], *, span: SourceSpan, float_figures: bool = True
) -> tuple[bytes, tuple[Diagnostic, ...]]:
    """``doc`` as PDF bytes, with WeasyPrint's warnings as diagnostics pointing at ``span`` (the pack).

    ``float_figures`` False lays the PDF out once, every figure where the model
    puts it (no measuring pass; see :mod:`._floats`): faster, with gaps.
    """
    from weasyprint import DEFAULT_OPTIONS, HTML  # lazy: slow import, only PDF builds need it

    pdf_adapters()  # tagging cost pages x elements; SVG text letter by letter (docs/performance.md)
    fetcher = make_fetcher(pdf_assets(doc), dirs)
    base_url = paths.real(dirs[0]).as_uri() + "/"
    groups = doc.float_groups()
    options = {
        **DEFAULT_OPTIONS,
        "pdf_tags": PDF_TAGS,
        "pdf_variant": PDF_VARIANT,
        "pdf_identifier": hashlib.sha256(f"argbrief:{doc.meta.pack_id}".encode()).hexdigest()[:32].encode(),
    }
    with _RENDER_LOCK, captured_warnings() as records:
        # Two passes (see ._floats): lay out with the figures out of the flow to see
        # where each map's figures fit, then lay out and draw the final document.
        floats = FloatPlan(groups=groups)
        if groups and float_figures:
            measuring = render_html(doc, dirs, medium="pdf", floats=FloatPlan(groups=groups, measuring=True))
            measured = HTML(string=measuring, base_url=base_url, url_fetcher=fetcher).render().pages
            floats = FloatPlan(groups=groups, moved=decide(measured, groups))
        html = render_html(doc, dirs, medium="pdf", floats=floats)
        # Laid out first (what HTML.write_pdf does inside), so the front section's pages can be counted.
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**options)
        pages = front_pages(document.pages, doc)
        data = document.write_pdf(**options)
    return data, _diagnostics(records, pages, doc, span)


def render_pdf_chapters(
    doc: PackDocument, dirs: Sequence[Path], *, span: SourceSpan, cache: Path | None, float_figures: bool = True
) -> tuple[bytes, tuple[Diagnostic, ...]]:
    """``doc`` as PDF bytes like :func:`render_pdf`, laid out chapter by chapter with each chapter cached in ``cache``.

    See :mod:`.chapters`: a chapter whose HTML, page numbers and files are
    unchanged is taken from ``cache`` instead of being laid out and drawn
    again, and the chapters are joined into one tagged PDF.
    """
    import weasyprint
    from weasyprint import DEFAULT_OPTIONS, HTML

    from . import chapters as ch

    adapters = pdf_adapters()
    assets = pdf_assets(doc)
    store = ch.ChapterCache(cache)
    options = {**DEFAULT_OPTIONS, "pdf_tags": PDF_TAGS, "pdf_variant": PDF_VARIANT}
    salt = ch.digest(weasyprint.__version__, adapters, ch.pdf_options_digest(options), ch.templates_digest([Path(d) for d in dirs]))
    hashes = {url: hashlib.sha256(data).hexdigest() for url, data in assets.items()}
    base_url = paths.real(dirs[0]).as_uri() + "/"
    groups = doc.float_groups()

    def fetcher(total: int | None, first: bool):
        return _chapter_fetcher(make_fetcher(assets, dirs), total, first)

    def layout_of(document) -> ch.Layout:
        anchors: dict[str, int] = {}
        for i, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, i)
        return ch.Layout(pages=len(document.pages), anchors=dict(sorted(anchors.items())))

    def lay_out(html: str, total: int | None, first: bool, **kwargs):
        return HTML(string=_rewrite_css(html, total, first), base_url=base_url, url_fetcher=fetcher(total, first)).render(**kwargs)

    with _RENDER_LOCK, captured_warnings() as records:
        floats = FloatPlan(groups=groups)
        if groups and float_figures:
            # The measuring pass, chapter by chapter: chapters start on a new page, so
            # each map's decision depends on its own chapter only (see ._floats).
            measuring = render_html(doc, dirs, medium="pdf", floats=FloatPlan(groups=groups, measuring=True))
            prologue, parts = ch.split(measuring)
            strings = ch.running_strings(parts[0]) if parts and parts[0].first else {}
            moved: dict[str, str] = {}
            for part in parts:
                html = ch.chapter_html(prologue, part, start=None, pages_of=None, strings=strings)
                key = ch.digest(ch.CACHE_VERSION, salt, "measuring", html, ch.shown(html, hashes))
                decided = _floats_record(store.get(key, ".floats.json"))
                if decided is None:
                    decided = decide(lay_out(html, None, part.first).pages, groups)
                    store.put(key, ".floats.json", json.dumps(decided, sort_keys=True).encode())
                moved.update(decided)
            floats = FloatPlan(groups=groups, moved=dict(sorted(moved.items())))
        prologue, parts = ch.split(render_html(doc, dirs, medium="pdf", floats=floats))

        def render(html: str, total: int, first: bool) -> tuple[bytes, ch.Layout, list[str]]:
            before = len(records)
            document = lay_out(html, total, first, **options)
            layout = layout_of(document)
            data = document.write_pdf(**options)
            return data, layout, records[before:]

        def measure(i: int, html: str) -> ch.Layout:
            return layout_of(lay_out(html, None, parts[i].first, **options))

        pdfs, layouts, warned = ch.render_chapters(
            prologue, parts, render=render, measure=measure, cache=store, salt=salt, assets=hashes
        )
        # the final chapters' warnings, cached with them (a cached chapter warns as when it was made);
        # the measuring and guessing passes give the same ones
        records[:] = warned
    data = ch.join_apart(pdfs)
    ch.prune(cache, store.used)  # chapters of earlier editions of this pack
    _, _, pages_of = ch.numbered(layouts, parts)
    start = pages_of.get(doc.front.heading.anchor)
    end = pages_of.get(doc.annex_anchor) if doc.annex_anchor else sum(layout.pages for layout in layouts) + 1
    pages = end - start if start is not None and end is not None else 0
    return data, _diagnostics(records, pages, doc, span)


def _floats_record(raw: bytes | None) -> dict[str, str] | None:
    """A cached measuring pass's decisions (group -> slot); None when missing or damaged."""
    try:
        record = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    if not isinstance(record, dict) or not all(isinstance(v, str) for v in record.values()):
        return None
    return record


def _rewrite_css(html: str, total: int | None, first: bool) -> str:
    """The ``<style>`` blocks of a chapter's HTML as :func:`_chapter_css` makes them."""
    return re.sub(r"(<style[^>]*>)(.*?)(</style>)", lambda m: m.group(1) + _chapter_css(m.group(2), total, first) + m.group(3),
                  html, flags=re.DOTALL)


def _chapter_css(css: str, total: int | None, first: bool) -> str:
    """A stylesheet for one chapter: ``counter(pages)`` is the whole PDF's page count, and a later
    chapter's first page is not the document's first (its ``@page :first`` rules are dropped)."""
    if total is not None:
        css = re.sub(r"counter\(\s*pages\s*\)", f'"{total}"', css)
    if not first:
        css = re.sub(r"@page\s*:first\b", "@page argbrief-not-first", css)
    return css


def _chapter_fetcher(inner, total: int | None, first: bool):
    """``inner`` (a :func:`make_fetcher` fetcher) with stylesheets rewritten by :func:`_chapter_css`."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChapterFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):
            response = inner.fetch(url, headers)
            if _content_type(url) != "text/css":
                return response
            css = _chapter_css(response.read().decode("utf-8"), total, first)
            return URLFetcherResponse(url, css.encode("utf-8"), {"Content-Type": "text/css"})

    return ChapterFetcher(allowed_protocols=("file", ASSET_SCHEME))


def _diagnostics(records: Sequence[str], pages: int, doc: PackDocument, span: SourceSpan) -> tuple[Diagnostic, ...]:
    """WeasyPrint's warnings, and a too-long front section, as diagnostics pointing at the pack."""
    diags = tuple(
        Diagnostic(code="build.renderer-warning", message=f"WeasyPrint: {message}", span=span)
        for message in dict.fromkeys(records)
    )
    if pages > FRONT_PAGES:
        diags += (
            Diagnostic(
                code="build.front-too-long",
                message=f"the front section of pack '{doc.meta.pack_id}' runs to {pages} pages of the PDF ({FRONT_PAGES} at most)",
                span=span,
                hint="shorten the bottom line, judgements, position summaries or appraisals; detail belongs in the annexes",
            ),
        )
    return diags


def front_pages(pages: Sequence, doc: PackDocument) -> int:
    """How many laid-out pages the front section takes: from its heading to the page before the first annex."""
    where = {name: i for i, page in reversed(list(enumerate(pages))) for name in page.anchors}
    start = where.get(doc.front.heading.anchor)
    end = where.get(doc.annex_anchor) if doc.annex_anchor else len(pages)
    if start is None or end is None:
        return 0
    return end - start


@contextlib.contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect WeasyPrint's (and its font subsetter's) warnings while the block runs.

    They are kept from propagating to the root logger, which would print them
    to the terminal unformatted.
    """
    records: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(" ".join(record.getMessage().split()))

    handler = _Collect(level=logging.WARNING)
    loggers = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
        if lg.level == logging.NOTSET or lg.level > logging.WARNING:
            lg.setLevel(logging.WARNING)
    try:
        yield records
    finally:
        for lg, (propagate, level) in zip(loggers, saved):
            lg.removeHandler(handler)
            lg.propagate = propagate
            lg.setLevel(level)


def make_fetcher(assets: Mapping[str, bytes], roots: Sequence[Path]):
    """A WeasyPrint URL fetcher: ``assets`` from memory, files under ``roots``, nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(roots)

    class PackFetcher(URLFetcher):
        """Serves diagrams from memory and template files; refuses every other URL."""

        def fetch(self, url: str, headers=None):  # noqa: ANN001 - WeasyPrint's signature
            if url in assets:
                return URLFetcherResponse(url, assets[url], {"Content-Type": _content_type(url)})
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                found = _template_file(Path(url2pathname(unquote(parts.path))), roots)
                if found is not None:
                    path, folder = found
                    data = paths.read_file(path, folder, limit=MAX_FETCH_BYTES)
                    if len(data) > MAX_FETCH_BYTES:
                        raise ValueError(f"refused to fetch {_shown(url)}: over {MAX_FETCH_BYTES:,} bytes")
                    return URLFetcherResponse(url, data, {"Content-Type": _content_type(url)})
            raise ValueError(f"refused to fetch {_shown(url)}: packs only use diagrams and files of the templates folder")

    return PackFetcher(allowed_protocols=("file", ASSET_SCHEME))


def _template_file(path: Path, roots: Sequence[Path]) -> tuple[Path, Path] | None:
    """The template file a ``file:`` URL's ``path`` names, with its folder; None when it is not one.

    The URL's path must be inside one of ``roots`` as written (URLs are
    relative to the first; WeasyPrint has already applied ``..``); the name
    relative to that folder is then looked up like any template — in the
    project's folder first, then argbrief's — and checked by
    :mod:`argbrief.paths` (a symbolic link out of its folder, a FIFO or a
    device is refused).
    """
    absolute = Path(os.path.normpath(path))
    for root in roots:
        for base in dict.fromkeys((paths.identity(root), Path(os.path.abspath(root)))):
            if absolute.is_relative_to(base) and absolute != base:
                try:
                    return locate_template(roots, absolute.relative_to(base).as_posix())
                except paths.UnsafePath:
                    return None
    return None


_TYPES = {".svg": "image/svg+xml", ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _content_type(url: str) -> str:
    return _TYPES.get(Path(urlsplit(url).path).suffix.lower(), "application/octet-stream")


def _shown(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."
