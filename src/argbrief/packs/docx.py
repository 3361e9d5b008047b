"""The pack as a Word file: python-docx over ``templates/reference.docx``.

The reference document carries the styles (a team restyles it in Word, like
pandoc's reference.docx; ``scripts/make_reference_docx.py`` makes argbrief's
own). Its body is discarded; this module writes the document model into it
with real heading styles (Word's navigation pane and TOC use them), a TOC
field, bookmarks, tables whose header rows repeat, captioned figures with alt
text, and core properties. Every style it uses is checked up front
(:data:`REQUIRED_STYLES`): a missing one is a clear error, not python-docx's
``KeyError`` half way through. Raw XML lives in :mod:`._docxml`.

Only Word builds import this module (python-docx is imported here, not by
the rest of argbrief). The saved file is rewritten with fixed zip timestamps and a fixed entry order,
and its dates come from the pack (never the clock), so identical inputs give
identical bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .. import paths
from .._upstream import add_picture, docx_members
from ..errors import ConfigError
from . import _docxml
from ._parts import EVIDENCE_COLUMNS, RECOMMENDATION_COLUMNS, SOURCE_COLUMNS, Column, CrossRef, Figure, Heading
from .changes import WhatChanged
from .comparison import ComparisonSection
from .document import MapSection, PackDocument, PositionSection
from .front import FrontSection
from .html import builtin_templates, template_bytes

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

REFERENCE = "reference.docx"
#: Limits on reference.docx, a zip file from the repository (argbrief's own is about 40 KB and
#: unpacks to 200 KB): a "zip bomb" that would unpack to gigabytes is refused before it is read.
MAX_REFERENCE_BYTES = 32 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024  # one part, unpacked
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all parts, unpacked
MAX_RATIO = 100  # unpacked / packed size of a part over 1 MB
MAX_PARTS = 2000

#: Every style the writer uses: (name, "paragraph" | "character" | "table").
REQUIRED_STYLES: tuple[tuple[str, str], ...] = (
    ("Normal", "paragraph"),
    ("Title", "paragraph"),
    ("Subtitle", "paragraph"),
    ("Kicker", "paragraph"),
    ("Marking", "paragraph"),
    ("Cover Meta", "paragraph"),
    ("Header", "paragraph"),
    ("Footer", "paragraph"),
    ("TOC Heading", "paragraph"),
    ("toc 1", "paragraph"),
    ("toc 2", "paragraph"),
    ("Heading 1", "paragraph"),
    ("Heading 2", "paragraph"),
    ("Heading 3", "paragraph"),
    ("Heading 4", "paragraph"),
    ("Caption", "paragraph"),
    ("Figure", "paragraph"),
    ("Citation", "paragraph"),
    ("Position Summary", "paragraph"),
    ("Bottom Line", "paragraph"),
    ("Summary Title", "paragraph"),
    ("List Bullet", "paragraph"),
    ("Evidence Quote", "paragraph"),
    ("Evidence Source", "paragraph"),
    *((f"Argument Level {d}", "paragraph") for d in range(9)),
    ("Table Text", "paragraph"),
    ("Table Heading", "paragraph"),
    ("Node Id", "character"),
    ("Kind Label", "character"),
    ("Detail", "character"),
    ("Outline Number", "character"),
    ("Strong", "character"),
    ("Emphasis", "character"),
    ("Argbrief Table", "table"),
)

# Cell fills of the comparison matrix per theme (the print theme uses none: symbols carry the meaning).
STANCE_FILLS: dict[str, dict[str, str]] = {
    "default": {"yes": "E3F1E3", "no": "F8E0E0", "qualified": "FBF0D0", "mixed": "ECE2F3"},
    "colorblind": {"yes": "DCEBF7", "no": "FDE6CF", "qualified": "F2F2F2", "mixed": "ECE2F3"},
    "print": {},
}
SIDE_FILLS: dict[str, tuple[str, str]] = {
    "default": ("1D5E20", "8A1C1C"),
    "colorblind": ("0B4F8A", "8A4300"),
    "print": ("1F3A5F", "1F3A5F"),
}
_TWIPS_PER_MM = 1440 / 25.4
#: The front section's tables (7.5 pt), text (9 pt), headings and bottom line are set a little smaller so that
#: it fits on three pages, as in the PDF.
FRONT_TABLE_HALF_POINTS = 15
FRONT_TEXT_HALF_POINTS = 18
FRONT_HEADING_HALF_POINTS = 24
FRONT_BOTTOM_LINE_HALF_POINTS = 20
#: Word 2016 and later draw each diagram from its SVG (vector). Older Word and LibreOffice
#: show the PNG beside it: a 256-colour palette picture of FALLBACK_DPI on paper, lowered
#: (not below MIN_FALLBACK_DPI) while a pack's pictures together exceed PICTURE_BUDGET bytes,
#: then with half as many colours each time (not below MIN_FALLBACK_COLOURS: a diagram's few
#: flat colours and its text's edges look the same at 32), so that a pack's Word file stays
#: under 1.5 MB.
FALLBACK_DPI = 150
MIN_FALLBACK_DPI = 72
MIN_FALLBACK_COLOURS = 32
PICTURE_BUDGET = 1_250_000
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def render_docx(doc: PackDocument, dirs: Sequence[Path]) -> bytes:
    """``doc`` as the bytes of a .docx file, styled by the first ``reference.docx`` in ``dirs``."""
    reference, word = load_reference(dirs)
    try:
        _Writer(doc, word).write()
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        if paths.identity(reference).is_relative_to(paths.identity(builtin_templates())):
            raise  # argbrief's own reference document: a bug, not the user's file
        raise ConfigError(
            f"{paths.shown(reference)}: cannot be used as the reference document ({type(exc).__name__}: {exc}); "
            "save it again in Word, or regenerate it with scripts/make_reference_docx.py"
        ) from exc
    return _deterministic_zip(docx_members(word))


def load_reference(dirs: Sequence[Path]) -> tuple[Path, WordDocument]:
    """The first ``reference.docx`` of ``dirs``, checked and opened with python-docx.

    Read through the templates lookup (a regular file inside its templates
    folder); refused when its zip parts would unpack to too much
    (:func:`check_package`), when python-docx cannot read it, when it has no
    document body, or when it lacks a style the writer uses. A body without
    section properties gets default ones (the page setup is argbrief's anyway).
    """
    path, data = template_bytes(dirs, REFERENCE, MAX_REFERENCE_BYTES)
    reference = paths.shown(path)
    check_package(data, reference)
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a damaged file
        raise ConfigError(f"{reference}: not a readable Word document: {exc}") from exc
    body = word.element.body
    if body is None:
        raise ConfigError(
            f"{reference}: has no document body (w:body); save it again in Word, "
            "or regenerate it with scripts/make_reference_docx.py"
        )
    body.get_or_add_sectPr()
    check_styles(word, reference)
    return path, word


def check_package(data: bytes, reference: Path | str = REFERENCE) -> None:
    """ConfigError unless ``data`` is a zip whose parts unpack to sizes a Word style document can have.

    The sizes are the ones the zip declares; Python's zipfile never unpacks
    more than a part declares (a part that lies fails its checksum), so
    checking them bounds what opening the file can cost.
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ConfigError(f"{reference}: not a readable Word document: {exc}") from None
    if len(infos) > MAX_PARTS:
        raise ConfigError(f"{reference}: holds {len(infos):,} parts; a Word document has far fewer (at most {MAX_PARTS:,})")
    total = 0
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > MAX_PART_BYTES:
            raise ConfigError(f"{reference}: part '{info.filename}' would unpack to {size:,} bytes (at most {MAX_PART_BYTES:,})")
        if size > 1024 * 1024 and size > MAX_RATIO * packed:
            raise ConfigError(
                f"{reference}: part '{info.filename}' would unpack to {size // packed:,} times its packed size "
                f"(at most {MAX_RATIO}): is it a zip bomb?"
            )
        total += size
    if total > MAX_UNPACKED_BYTES:
        raise ConfigError(f"{reference}: would unpack to {total:,} bytes in all (at most {MAX_UNPACKED_BYTES:,})")


def check_styles(word, reference: Path | str = REFERENCE) -> None:
    """ConfigError naming every style of :data:`REQUIRED_STYLES` that ``word`` lacks (or has as another kind)."""
    kinds = {
        "paragraph": WD_STYLE_TYPE.PARAGRAPH,
        "character": WD_STYLE_TYPE.CHARACTER,
        "table": WD_STYLE_TYPE.TABLE,
    }
    present = {s.name: s.type for s in word.styles}
    problems = []
    for name, kind in REQUIRED_STYLES:
        if name not in present:
            problems.append(f"'{name}' ({kind} style) is missing")
        elif present[name] != kinds[kind]:
            problems.append(f"'{name}' must be a {kind} style")
    if problems:
        raise ConfigError(
            f"{reference}: {'; '.join(problems)} "
            "(restore them in Word, or regenerate the file with scripts/make_reference_docx.py)"
        )


def normalise_docx(data: bytes) -> bytes:
    """The same package with fixed timestamps, permissions and entry order (byte-identical rebuilds)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return _deterministic_zip({name: source.read(name) for name in source.namelist()}, stored=())


#: Members that are compressed already. Deflating dot's PNGs again saves 8 % of their size
#: and costs a fifth of writing a 50-map Word file (2.8 s of 12.8 s): they are stored as they are.
_STORED = (".png", ".jpeg", ".jpg", ".gif")


def _deterministic_zip(members: dict[str, bytes], stored: tuple[str, ...] = _STORED) -> bytes:
    """A .docx zip of ``members``: fixed timestamps and permissions, [Content_Types].xml first, then sorted;
    members whose names end with ``stored`` are not compressed."""
    ordered = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if stored and name.lower().endswith(stored) else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, members[name])
    return out.getvalue()


class _Writer:
    """Writes one :class:`PackDocument` into a python-docx Document, top to bottom."""

    def __init__(self, doc: PackDocument, word) -> None:
        self.doc = doc
        self.word = word
        self.bookmark_ids = 0
        self.landscape = False
        # Style ids by name, looked up once: python-docx resolves a style name by
        # scanning every style on each use, which dominated the writer's time.
        self.style_ids = {s.name: s.style_id for s in word.styles}
        self.fills = STANCE_FILLS.get(doc.theme, STANCE_FILLS["default"])
        # Heading numbers come from the reference document's lists when it has them and
        # they give exactly the model's numbers; else the numbers are typed.
        self.lists = self._heading_lists(doc, word)
        self.side_fills = SIDE_FILLS.get(doc.theme, SIDE_FILLS["default"])
        self.fallbacks = fallback_pictures(doc.figures())

    # -- document ---------------------------------------------------------------

    def write(self) -> None:
        self._clear_body()
        self._page_setup(self.word.sections[0], landscape=False)
        self._header_footer()
        self._cover()
        self._contents()
        self._front(self.doc.front)
        if self.doc.comparison is not None:
            self._comparison(self.doc.comparison)
        for section in self.doc.sections:
            if isinstance(section, PositionSection):
                self._position(section)
            else:
                self._map(section)
        self._register()
        self._orientation(False)
        self._properties()
        _docxml.update_fields_on_open(self.word)

    def _clear_body(self) -> None:
        body = self.word.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    def _page_setup(self, section, *, landscape: bool) -> None:
        g = self.doc.geometry
        width, height = (g.height_mm, g.width_mm) if landscape else (g.width_mm, g.height_mm)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Mm(g.margin_top_mm), Mm(g.margin_bottom_mm)
        section.left_margin, section.right_margin = Mm(g.margin_left_mm), Mm(g.margin_right_mm)
        section.header_distance = section.footer_distance = Mm(9)

    def _orientation(self, landscape: bool) -> None:
        """Start a new section when the page orientation changes (wide diagrams)."""
        if landscape == self.landscape:
            return
        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        self._page_setup(section, landscape=landscape)
        self.landscape = landscape

    def _header_footer(self) -> None:
        meta = self.doc.meta
        section = self.word.sections[0]
        header = section.header.paragraphs[0]
        self.restyle(header, "Marking")
        self.run(header, meta.marking)
        footer = section.footer
        marking = footer.paragraphs[0]
        self.restyle(marking, "Marking")
        self.run(marking, meta.marking)
        pages = self.para("", "Footer", footer)
        pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pages.add_run(_docxml.xml_text(f"{meta.title}  \u00b7  Page "))
        _docxml.add_field(pages, "PAGE", "1")
        pages.add_run(" of ")
        _docxml.add_field(pages, "NUMPAGES", "1")

    def _properties(self) -> None:
        meta = self.doc.meta
        props = self.word.core_properties
        props.title = _docxml.xml_text(meta.title)
        props.subject = _docxml.xml_text(meta.subject)
        props.author = _docxml.xml_text(meta.author)
        props.keywords = _docxml.xml_text(", ".join(meta.keywords))
        props.category = "Briefing pack"
        props.comments = _docxml.xml_text(f"Handling: {meta.marking}" if meta.marking else "")
        props.last_modified_by = "argbrief"
        props.revision = 1
        props.language = meta.lang
        props.content_status = _docxml.xml_text(meta.marking)
        if meta.created is not None:
            props.created = meta.created
            props.modified = meta.created
            props.last_printed = meta.created
        else:
            _docxml.remove_core_dates(props)

    # -- building blocks ----------------------------------------------------------

    def para(self, text: str = "", style: str = "Normal", container=None):
        """A paragraph in ``style`` at the end of the body (or of ``container``, a table cell)."""
        p = (self.word if container is None else container).add_paragraph()
        self.restyle(p, style)
        if text:
            p.add_run(_docxml.xml_text(text))
        return p

    def restyle(self, paragraph, style: str) -> None:
        paragraph._p.style = self.style_ids[style]

    def run(self, paragraph, text: str, style: str | None = None, *, bold: bool = False, italic: bool = False):
        r = paragraph.add_run(_docxml.xml_text(text))
        if style is not None:
            r._r.style = self.style_ids[style]
        if bold:
            r.bold = True
        if italic:
            r.italic = True
        return r

    @staticmethod
    def _heading_lists(doc: PackDocument, word) -> dict[str, tuple[int | None, int]]:
        """Heading anchor -> (numId to put on the paragraph, or None for its style's own list; level)."""
        plan = heading_lists(doc)
        if plan is None or not _docxml.heading_numbering(word.styles["Heading 1"]):
            return {}
        annex = _docxml.annex_list(word)
        if annex is None and any(scheme == "annex" for scheme, _ in plan.values()):
            return {}
        return {anchor: (annex if scheme == "annex" else None, level) for anchor, (scheme, level) in plan.items()}

    def heading(self, h: Heading):
        listed = self.lists.get(h.anchor)
        p = self.para(h.text if listed else h.title, f"Heading {min(h.level, 4)}")
        if listed is None:
            if h.level <= _docxml.NUMBERED_LEVELS:
                _docxml.without_numbering(p)
        elif listed[0] is not None:
            _docxml.number_heading(p, listed[0], listed[1])
        self.bookmark(p, h.anchor)
        return p

    def bookmark(self, paragraph, anchor: str) -> None:
        """A bookmark on ``paragraph`` named after the model's ``anchor`` (links and contents point at it)."""
        self.bookmark_ids += 1
        _docxml.add_bookmark(paragraph, _docxml.bookmark_name(anchor), self.bookmark_ids)

    def table(self, columns: Sequence[Column], rows: Iterable[Sequence[str]], *, together: bool = False):
        """A table in 'Argbrief Table' style, its columns sized by their shares of the text width."""
        table = self._table([c.title for c in columns])
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values):
                self._cell_text(cell, value)
        self._finish_table(table, [c.share for c in columns], together=together)
        return table

    def _table(self, header: Sequence[str]):
        table = self.word.add_table(rows=1, cols=len(header))
        table.style = self.word.styles["Argbrief Table"]
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, header):
            self._cell_text(cell, text, "Table Heading")
        _docxml.repeat_header_row(table.rows[0])
        return table

    def _finish_table(self, table, widths: Sequence[float], *, together: bool, split_rows: bool = False) -> None:
        total = self._text_width_mm() * _TWIPS_PER_MM
        _docxml.set_column_widths(table, [round(total * w / sum(widths)) for w in widths])
        rows = list(table.rows)
        for i, row in enumerate(rows):
            if not split_rows:
                _docxml.cant_split(row)
            if together and i < len(rows) - 1:
                # Word keeps a table on one page when every row but the last keeps with the next.
                for cell in row.cells:
                    for p in cell.paragraphs:
                        p.paragraph_format.keep_with_next = True
        self.para("", "Table Text")  # Word needs a paragraph between two tables

    def _cell_text(self, cell, text: str, style: str = "Table Text") -> None:
        p = cell.paragraphs[0]
        self.restyle(p, style)
        if text:
            p.add_run(_docxml.xml_text(text))

    def _text_width_mm(self) -> float:
        g = self.doc.geometry
        return g.landscape_content_width_mm if self.landscape else g.content_width_mm

    def figure(self, fig: Figure) -> None:
        p = self.para("", "Figure")
        fallback = self.fallbacks.get(fig.anchor)
        if fallback:
            # Not Run.add_picture: python-docx's own gets slower with every picture (docs/performance.md).
            shape = add_picture(p.add_run(), io.BytesIO(fallback), width=Mm(fig.print_width_mm))
            _docxml.set_alt_text(shape, fig.alt, fig.label)
            if fig.svg:
                _docxml.add_svg(self.word, shape, fig.svg)
        else:
            self.run(p, "(diagram not rendered)", "Detail")
        caption = self.para("", "Caption")
        self.bookmark(caption, fig.anchor)
        self.run(caption, "Figure ", bold=True)
        _docxml.add_field(caption, "SEQ Figure \\* ARABIC", str(fig.number))
        self.run(caption, ". ", bold=True)
        self.run(caption, fig.caption)

    def figures(self, figures: Sequence[Figure], heading: Heading | None) -> None:
        """A heading and figures, each on a page of its orientation (the heading goes with the first)."""
        for i, fig in enumerate(figures):
            self._orientation(fig.landscape)
            if i == 0 and heading is not None:
                self.heading(heading)
            self.figure(fig)
        if not figures and heading is not None:
            self.heading(heading)
            self.para("No diagram.", "Citation")
        self._orientation(False)

    def map_figures(self, m: MapSection) -> None:
        """The "Argument map" heading, the list of the map's figures, then the figures (as in the PDF and HTML)."""
        self.heading(m.diagram_heading)
        if not m.figures:
            self.para("No diagram.", "Citation")
            return
        p = self.para()
        if len(m.figures) == 1:
            self.run(p, "The map is drawn in ")
            self.xref(p, m.figures[0].ref())
            self.run(p, ".")
        else:
            self.run(p, f"The map is drawn in {len(m.figures)} figures: an overview, and each branch in full.")
            for fig in m.figures:
                item = self.para("", "List Bullet")
                self.xref(item, fig.ref())
                self.run(item, f": {fig.title}")
        for fig in m.figures:
            self._orientation(fig.landscape)
            self.figure(fig)
        self._orientation(False)

    # -- sections -------------------------------------------------------------------

    def _cover(self) -> None:
        meta = self.doc.meta
        if meta.marking:
            self.para(meta.marking, "Marking")
        self.para("Briefing pack", "Kicker")
        self.para(meta.title, "Title")
        if meta.subtitle:
            self.para(meta.subtitle, "Subtitle")
        for label, value in (("For", meta.audience), ("By", meta.author), ("Date", meta.date), ("Handling", meta.marking)):
            if value:
                p = self.para("", "Cover Meta")
                self.run(p, f"{label}\t")
                self.run(p, value, bold=True)

    def _contents(self) -> None:
        # Linked entries with PAGEREF fields rather than one TOC field: LibreOffice
        # keeps a TOC field's result as fixed text (so no page numbers), but computes
        # PAGEREF itself; Word updates both kinds when it opens the file (updateFields).
        _docxml.without_numbering(self.para(self.doc.contents_heading.text, "TOC Heading"))
        for h in self.doc.toc():
            p = self.para("", f"toc {min(h.level, 2)}")
            _docxml.add_toc_entry(p, h.title, _docxml.bookmark_name(h.anchor))

    def xref(self, paragraph, ref: CrossRef) -> None:
        """A cross-reference ("Figure 7", "Annex C.1") as a link to its bookmark (Word has no page here)."""
        _docxml.add_internal_link(paragraph, ref.label, _docxml.bookmark_name(ref.anchor), self.style_ids.get("Hyperlink"))

    def _front_heading(self, h: Heading) -> None:
        """A heading of the front section, set a little tighter than elsewhere (as the PDF's stylesheet does)."""
        p = self.heading(h)
        _docxml.compact_paragraph(p, FRONT_HEADING_HALF_POINTS)
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.space_after = Pt(3)

    def _front(self, f: FrontSection) -> None:
        """The front section: the same parts, in the same order, as the HTML and PDF (see packs/front.py)."""
        self.heading(f.heading)
        if f.decision_heading is not None:
            self._front_heading(f.decision_heading)
            for lead, text in (("Purpose: ", f.purpose), ("Decision sought: ", f.decision)):
                if text:
                    p = self.para()
                    self.run(p, lead, bold=True)
                    self.run(p, text)
                    _docxml.compact_paragraph(p, FRONT_TEXT_HALF_POINTS)
        if f.bottom_line_heading is not None:
            self._front_heading(f.bottom_line_heading)
            if f.bottom_line:
                p = self.para("", "Bottom Line")
                self.run(p, f.bottom_line, bold=True)
                _docxml.compact_paragraph(p, FRONT_BOTTOM_LINE_HALF_POINTS)
            for finding in f.findings:
                self.para(finding.lead, "Bottom Line")
                for q in finding.questions:
                    self.para(f"\u2022\u2002{q}", "Bottom Line")
        if f.changes is not None:
            self._what_changed(f.changes)
        if f.judgements_heading is not None:
            self._front_heading(f.judgements_heading)
            widths = [4, 36, 12, 12, 36]
            table = self._table(["#", "Judgement", "Likelihood", "Confidence", "Basis"])
            for j in f.judgements:
                cells = table.add_row().cells
                self._cell_text(cells[0], str(j.number))
                self.bookmark(cells[0].paragraphs[0], j.anchor)
                self._cell_text(cells[1], j.text)
                if j.note:
                    self.run(self.para("", "Table Text", cells[1]), j.note, "Detail")
                p = cells[2].paragraphs[0]
                self.restyle(p, "Table Text")
                self.run(p, j.likelihood, bold=True)
                if j.range:
                    self.run(self.para("", "Table Text", cells[2]), j.range, "Detail")
                self._cell_text(cells[3], j.confidence)
                for i, b in enumerate(j.basis):
                    p = cells[4].paragraphs[0] if i == 0 else self.para("", "Table Text", cells[4])
                    self.restyle(p, "Table Text")
                    self.run(p, b.claim)
                    if b.side:
                        self.run(p, f" ({b.side})", "Detail")
                    if b.where is not None:
                        self.run(p, ": ")
                        self.xref(p, b.where)
            self._finish_table(table, widths, together=False, split_rows=True)
            _docxml.compact_table(table, FRONT_TABLE_HALF_POINTS)
            if f.legend is not None:
                legend = self.para("", "Citation")
                self.run(legend, f"Likelihood ({f.legend.name}): ", bold=True)
                self.run(legend, "; ".join(f"{terms}\u00a0{rng}" for terms, rng in f.legend.bands) + ". ")
                self.run(legend, f.legend.confidence)
                _docxml.compact_paragraph(legend, FRONT_TABLE_HALF_POINTS)
        if f.options_heading is not None:
            self._front_heading(f.options_heading)
            if f.options is not None:
                self._options(f)
            for a in f.analyses:
                p = self.para("", "List Bullet")
                _docxml.add_internal_link(p, a.title, _docxml.bookmark_name(a.anchor))
                self.run(p, (f" ({a.date})" if a.date else "") + ": ")
                self.run(p, a.thesis)
        if f.actions_heading is not None:
            self._front_heading(f.actions_heading)
            # A table in Word: actor on the left, what each position asks of it on the right.
            widths = [24, 76]
            table = self._table(["Actor", "Recommendations"])
            for group in f.actions:
                cells = table.add_row().cells
                self._cell_text(cells[0], group.actor)
                for r in cells[0].paragraphs[0].runs:
                    r.bold = True
                for i, item in enumerate(group.items):
                    p = cells[1].paragraphs[0] if i == 0 else self.para("", "Table Text", cells[1])
                    self.restyle(p, "Table Text")
                    _docxml.add_internal_link(p, f"{item.side}:", _docxml.bookmark_name(item.anchor), self.style_ids["Strong"])
                    self.run(p, " " + item.text)
            # An actor's row may run on to the next page: the front section is tight, the header row repeats.
            self._finish_table(table, widths, together=False, split_rows=True)
            _docxml.compact_table(table, FRONT_TABLE_HALF_POINTS)
        if f.indicators_heading is not None:
            self._front_heading(f.indicators_heading)
            widths = [50, 12, 38]
            table = self._table(["If we see", "It", "the likelihood of"])
            for i in f.indicators:
                cells = table.add_row().cells
                self._cell_text(cells[0], i.text)
                self._cell_text(cells[1], f"{i.symbol} {i.word}")
                p = cells[2].paragraphs[0]
                self.restyle(p, "Table Text")
                _docxml.add_internal_link(p, f"judgement {i.judgement_number}", _docxml.bookmark_name(i.judgement_anchor))
                self.run(p, f": {i.judgement}")
            self._finish_table(table, widths, together=False)
            _docxml.compact_table(table, FRONT_TABLE_HALF_POINTS)
        if f.sources_heading is not None and f.sources is not None:
            self._front_heading(f.sources_heading)
            _docxml.compact_paragraph(self.para(" ".join(f.sources.summary)), FRONT_TEXT_HALF_POINTS)
            sources = self.table(
                SOURCE_COLUMNS,
                (
                    (
                        r.title,
                        r.date + (" (inferred)" if r.inferred else ""),
                        r.age + (" (older than the pack allows)" if r.stale else ""),
                        r.kind,
                        r.reliability,
                    )
                    for r in f.sources.rows
                ),
            )
            _docxml.compact_table(sources, FRONT_TABLE_HALF_POINTS)
        self._drop_spacer()

    def _drop_spacer(self) -> None:
        """Remove the empty paragraph :meth:`_finish_table` leaves after a table when a heading follows:
        at the foot of a full page it would spill on to a page of its own."""
        body = self.word.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        prev = last.getprevious()
        if last.tag == qn("w:p") and not "".join(last.itertext()) and prev is not None and prev.tag == qn("w:tbl"):
            body.remove(last)

    def _options(self, f: FrontSection) -> None:
        o = f.options
        if not o.appraised:
            for row in o.rows:
                p = self.para("", "List Bullet")
                _docxml.add_internal_link(p, row.label, _docxml.bookmark_name(row.anchor))
                if row.summary:
                    self.run(p, ": " + row.summary)
            return
        # Options are columns, the dimensions rows (as in the HTML and PDF).
        widths = [15, *([85 / len(o.rows)] * len(o.rows))]
        table = self._table([""] * (len(o.rows) + 1))
        for cell, row in zip(table.rows[0].cells[1:], o.rows):  # each option's name links to its annex
            _docxml.add_internal_link(cell.paragraphs[0], row.label, _docxml.bookmark_name(row.anchor))
        cells = table.add_row().cells
        self._cell_text(cells[0], "The option")
        for r in cells[0].paragraphs[0].runs:
            r.bold = True
        for cell, row in zip(cells[1:], o.rows):
            self._cell_text(cell, row.summary)
        for i, (key, head, better) in enumerate(o.columns):
            cells = table.add_row().cells
            p = cells[0].paragraphs[0]
            self.restyle(p, "Table Text")
            self.run(p, head, bold=True)
            self.run(self.para("", "Table Text", cells[0]), better, "Detail")
            for cell, row in zip(cells[1:], o.rows):
                rating = row.cells[i]
                p = cell.paragraphs[0]
                self.restyle(p, "Table Text")
                self.run(p, rating.symbol + " ")
                self.run(p, rating.word, bold=True)
                if rating.text:
                    self.run(self.para("", "Table Text", cell), rating.text, "Detail")
        self._finish_table(table, widths, together=False)  # rows never split; the table may run on
        _docxml.compact_table(table, FRONT_TABLE_HALF_POINTS)
        legend = self.para("", "Citation")
        self.run(legend, o.legend, "Detail")
        _docxml.compact_paragraph(legend, FRONT_TABLE_HALF_POINTS)

    def _what_changed(self, w: WhatChanged) -> None:
        """"What changed since …": a few sentences, set like the rest of the front section."""
        self._front_heading(w.heading)
        for line in w.lines:
            _docxml.compact_paragraph(self.para(line, "List Bullet"), FRONT_TEXT_HALF_POINTS)
        if w.more:
            p = self.para(f"And {w.more} more; ")
            self.run(p, w.command, "Detail")
            self.run(p, " lists every change.")
            _docxml.compact_paragraph(p, FRONT_TEXT_HALF_POINTS)

    def _comparison(self, c: ComparisonSection) -> None:
        self.heading(c.heading)
        self.para(c.intro)
        self.heading(c.matrix_heading)
        table = self._table([col.title for col in c.columns])
        for row in c.rows:
            cells = table.add_row().cells
            self._cell_text(cells[0], row.question)
            if row.note:
                note = self.para("", "Table Text", cells[0])
                self.run(note, row.note, "Detail")
            for cell, mc in zip(cells[1:], row.cells):
                self._cell_text(cell, f"{mc.symbol} {mc.word}")
                if mc.claims:
                    ids = self.para("", "Table Text", cell)
                    self.run(ids, ", ".join(mc.claims), "Detail")
                if mc.stance in self.fills:
                    _docxml.shade_cell(cell, self.fills[mc.stance])
            self._cell_text(cells[-1], row.verdict_label)
            if row.verdict == "clash":
                for r in cells[-1].paragraphs[0].runs:
                    r.bold = True
        self._finish_table(table, [col.share for col in c.columns], together=True)
        legend = self.para("", "Citation")
        self.run(legend, "   ".join(f"{sym} {word}" for sym, word in c.legend) + "   Claim ids refer to the position\u2019s maps.", "Detail")

        if c.basis_heading is not None:
            self.heading(c.basis_heading)
            for row in c.basis:
                self.run(self.para(), row.question, bold=True)
                for b in row.lines:
                    self._basis_line(b)
        if c.opposite_heading is not None:
            self.heading(c.opposite_heading)
            self.para("Each passage below is quoted by positions that answer a question in opposite ways: "
                      "the same words serve both answers.")
            for o in c.opposite:
                self.para(f"\u201c{o.passage}\u201d", "Evidence Quote")
                self.para(", ".join(x for x in (o.citation, o.locators) if x), "Evidence Source")
                for u in o.uses:
                    p = self.para("", "List Bullet")
                    self.run(p, u.position, bold=True)
                    against = " (a point it answers)" if u.side == "against" else ""
                    self.run(p, f" quotes it for \u2018{u.claim}\u2019{against}" + (f": {u.stances}" if u.stances else ""))

        if c.clashes_heading is not None:
            self.heading(c.clashes_heading)
            for clash in c.clashes:
                self.heading(clash.heading)
                table = self._table(["Yes", "No"])
                for cell, fill in zip(table.rows[0].cells, self.side_fills):
                    _docxml.shade_cell(cell, fill)
                cells = table.add_row().cells
                for cell, side in zip(cells, (clash.yes, clash.no)):
                    self._clash_side(cell, side)
                self._finish_table(table, [50, 50], together=False)
        if c.figure is not None:
            self.figures((c.figure,), c.diagram_heading)

    def _basis_line(self, b) -> None:
        """One position's stance and what it rests on, as a bullet (the HTML pack's list item)."""
        p = self.para("", "List Bullet")
        self.run(p, f"{b.position}: ", bold=True)
        self.run(p, f"{b.symbol} {b.word}")
        if b.quote:
            self.run(p, f" \u2014 \u2018{b.quote}\u2019" + (f", {b.locator}" if b.locator else ""))
        ref = b.claim_id + (f", answers {b.claim_word}" if b.claim_word else "")
        ref += f"; {b.citation}" if b.quote and b.citation else ""
        self.run(p, f" ({ref})", "Detail")
        note = b.note or ("" if b.quote else "No passage cited and no note.")
        if note:
            p.add_run().add_break()
            self.run(p, note, "Detail")

    def _clash_side(self, cell, claims) -> None:
        for i, claim in enumerate(claims):
            p = cell.paragraphs[0] if i == 0 else self.para("", "Table Text", cell)
            self.restyle(p, "Table Text")
            self.run(p, claim.position, bold=True)
            p = self.para("", "Table Text", cell)
            self.run(p, claim.claim_id + " ", "Node Id")
            if claim.label:
                self.run(p, claim.label + ". ", bold=True)
            self.run(p, claim.text)
            for ev in claim.evidence:
                self.para(f"\u201c{ev.quote}\u201d" if ev.is_quote else ev.quote, "Evidence Quote", cell)
                where = ", ".join(x for x in (ev.citation, ev.locator, ev.strength) if x)
                self.para(f"{ev.node_id} \u2014 {where}", "Evidence Source", cell)
            extra = []
            if claim.more_evidence:
                extra.append(f"and {claim.more_evidence} more evidence item{'s' if claim.more_evidence != 1 else ''}")
            if claim.other_claims:
                extra.append(f"also: {', '.join(claim.other_claims)}")
            if extra:
                self.run(self.para("", "Table Text", cell), "; ".join(extra), "Detail")

    def _position(self, section: PositionSection) -> None:
        self.heading(section.heading)
        if section.summary:
            self.para(section.summary, "Position Summary")
        for m in section.maps:
            self._map(m)

    def _map(self, m: MapSection) -> None:
        self.heading(m.heading)
        if m.subtitle:
            self.para(m.subtitle, "Subtitle")
        if m.citation:
            p = self.para("", "Citation")
            self.run(p, "Source: ", bold=True)
            self.run(p, m.citation)
        if m.summary:
            self.para(m.summary)
        self.map_figures(m)

        self.heading(m.outline_heading)
        for e in m.outline:
            p = self.para("", f"Argument Level {min(e.depth, 8)}")
            if e.number:
                self.run(p, e.number + "  ", "Outline Number")
            self.run(p, e.kind_label, "Kind Label")
            if e.node_id:
                self.run(p, " " + e.node_id, "Node Id")
            self.run(p, " ")
            if e.label:
                self.run(p, e.label + ". ", bold=True)
            self.run(p, e.text, italic=e.kind == "evidence")
            for d in e.details:
                self.run(p, f" \u2014 {d}", "Detail")

        self.heading(m.evidence_heading)
        if m.evidence:
            self.table(
                EVIDENCE_COLUMNS,
                (
                    (
                        ev.node_id,
                        f"\u201c{ev.quote}\u201d" if ev.is_quote else ev.quote,
                        ev.source,
                        ", ".join(x for x in (ev.locator, ev.strength) if x),
                        ev.supports,
                    )
                    for ev in m.evidence
                ),
            )
        else:
            self.para("This map cites no evidence.", "Citation")
        if m.recommendations_heading is not None:
            self.heading(m.recommendations_heading)
            self.table(
                RECOMMENDATION_COLUMNS,
                ((r.node_id, r.actor, r.action, "; ".join(r.because), r.priority) for r in m.recommendations),
            )

    def _register(self) -> None:
        self.heading(self.doc.register_heading)
        self.para("Every source the pack\u2019s maps cite: how it is dated (and, for an inferred date, how), "
                  "what kind of source it is, and the claims that rely on it.")
        for s in self.doc.register:
            p = self.para("", "Normal")
            p.paragraph_format.keep_with_next = True
            self.bookmark(p, s.anchor)
            self.run(p, f"[{s.number}] ", "Detail")
            self.run(p, s.citation, bold=True)
            if s.url:
                self.run(p, " " + s.url, "Detail")
            if s.provenance:
                prov = self.para("", "Citation")
                prov.paragraph_format.keep_with_next = True
                self.run(prov, s.provenance + (". " if s.date_note else ""))
                if s.date_note:
                    self.run(prov, s.date_note, italic=True)
            for u in s.uses:
                item = self.para("", "List Bullet")
                self.run(item, u.map_title, italic=True)
                if u.claims:
                    self.run(item, ": " + "; ".join(u.claims))
                    if u.evidence:
                        self.run(item, f" (evidence {', '.join(u.evidence)})", "Detail")
                else:
                    self.run(item, ": source of the map")


def fallback_pictures(figures: Sequence[Figure]) -> dict[str, bytes]:
    """Each figure's fallback PNG (by anchor): palette colours, at the resolution its print size needs.

    Starts at :data:`FALLBACK_DPI` on paper; while the pictures together are
    over :data:`PICTURE_BUDGET`, every one is drawn smaller (never below
    :data:`MIN_FALLBACK_DPI`), then with half as many palette colours (never
    below :data:`MIN_FALLBACK_COLOURS`). The figure's PNG (its SVG rasterised at
    :data:`~argbrief.builder.plan.PNG_DPI`) is only ever scaled down.
    """
    from PIL import Image  # Word builds only

    images = {}
    for fig in figures:
        if fig.png:
            with Image.open(io.BytesIO(fig.png)) as im:
                images[fig.anchor] = (im.convert("RGB"), fig.print_width_mm)

    def pictures(dpi: float, colours: int, optimize: bool) -> Iterator[tuple[str, bytes]]:
        # One picture at a time: a pack's resized pictures together would take hundreds of MB.
        for anchor, (im, width_mm) in images.items():
            yield anchor, _palette_png(_sized(im, round(width_mm / 25.4 * dpi)), colours, optimize=optimize)

    def size(dpi: float, colours: int) -> int:
        # A quick deflate: the final, optimised pictures are a few per cent smaller.
        return sum(len(data) for _, data in pictures(dpi, colours, optimize=False))

    dpi, colours = float(FALLBACK_DPI), 256
    while True:
        total = size(dpi, colours)
        while total > PICTURE_BUDGET and dpi <= MIN_FALLBACK_DPI and colours > MIN_FALLBACK_COLOURS:
            colours //= 2
            total = size(dpi, colours)
        if total <= PICTURE_BUDGET or dpi <= MIN_FALLBACK_DPI:
            return dict(pictures(dpi, colours, optimize=True))
        dpi = max(MIN_FALLBACK_DPI, dpi * (PICTURE_BUDGET / total) ** 0.5 * 0.97)


def _sized(image, width_px: int):
    """``image`` at most ``width_px`` wide (a little wider is kept: resampling costs more bytes than it saves)."""
    from PIL import Image

    if image.width > width_px * 1.08:
        image = image.resize((width_px, max(1, round(image.height * width_px / image.width))), Image.Resampling.BOX)
    return image


def _palette_png(image, colours: int = 256, *, optimize: bool = True) -> bytes:
    """``image`` quantised to a palette of ``colours`` without dithering (clean text edges, a third of the bytes)."""
    from PIL import Image

    quantised = image.quantize(colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    quantised.save(buffer, "PNG", optimize=optimize)  # optimize: lossless, about 5 % fewer bytes, 6x the time
    return buffer.getvalue()


def heading_lists(doc: PackDocument) -> dict[str, tuple[str, int]] | None:
    """How Word's heading lists number ``doc``: heading anchor -> ("decimal" | "annex", level), or None.

    Word counts each list on its own, restarting a level under each new
    heading one level up, and skips headings taken out of the lists. The
    decimal list gives "3", "3.1", "3.1.2"; the annex list "Annex A", "A.1",
    "A.1.2". None when some heading's number is not what those lists would
    show (then the numbers are typed, as text).
    """
    counters = {"decimal": [0] * _docxml.NUMBERED_LEVELS, "annex": [0] * _docxml.NUMBERED_LEVELS}
    plan: dict[str, tuple[str, int]] = {}
    for h in doc.headings():
        if not h.number:
            continue
        if h.level > _docxml.NUMBERED_LEVELS:
            return None
        annex = h.number.startswith(_docxml.ANNEX_PREFIX) or h.number[:1].isalpha()
        scheme = "annex" if annex else "decimal"
        count = counters[scheme]
        count[h.level - 1] += 1
        count[h.level :] = [0] * (_docxml.NUMBERED_LEVELS - h.level)
        parts = [str(c) for c in count[: h.level]]
        if annex:
            if not 1 <= count[0] <= 26:
                return None
            parts[0] = chr(ord("A") + count[0] - 1)
            expected = _docxml.ANNEX_PREFIX + parts[0] if h.level == 1 else ".".join(parts)
        else:
            expected = ".".join(parts)
        if h.number != expected:
            return None
        plan[h.anchor] = (scheme, h.level - 1)
    return plan