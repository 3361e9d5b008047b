"""The raw WordprocessingML that python-docx has no API for, in one place.

Fields (TOC, PAGE, NUMPAGES, SEQ), bookmarks, internal hyperlinks, repeated
table header rows, rows that do not split, cell shading, column widths, alt
text on pictures, and asking Word to refresh fields when the file opens.
Every function takes python-docx objects and adds a few elements with
``OxmlElement``; text always goes through :func:`xml_text` (lxml refuses the
control characters XML forbids).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BOOKMARK_CHARS = re.compile(r"[^A-Za-z0-9_]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (so lxml never raises)."""
    return _XML_FORBIDDEN.sub("", text)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML anchor: letters, digits, '_', at most 40, starting with a letter."""
    name = "a_" + _BOOKMARK_CHARS.sub("_", anchor)
    if len(name) > 40:
        digest = hashlib.sha1(anchor.encode()).hexdigest()[:8]
        name = name[:31] + "_" + digest
    return name


def _run(text: str = "", style_id: str | None = None) -> OxmlElement:
    r = OxmlElement("w:r")
    if style_id:
        rpr = OxmlElement("w:rPr")
        rs = OxmlElement("w:rStyle")
        rs.set(qn("w:val"), style_id)
        rpr.append(rs)
        r.append(rpr)
    if text:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = xml_text(text)
        r.append(t)
    return r


def _fld_char(kind: str) -> OxmlElement:
    r = OxmlElement("w:r")
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        fc.set(qn("w:dirty"), "true")  # Word recomputes it (page numbers, TOC) when it can
    r.append(fc)
    return r


def _instr(code: str) -> OxmlElement:
    r = OxmlElement("w:r")
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {code} "
    r.append(it)
    return r


def add_field(paragraph, code: str, result: str, style_id: str | None = None) -> None:
    """Append a field (``PAGE``, ``NUMPAGES``, ``SEQ Figure \\* ARABIC``) showing ``result`` until updated."""
    p = paragraph._p
    p.append(_fld_char("begin"))
    p.append(_instr(code))
    p.append(_fld_char("separate"))
    p.append(_run(result, style_id))
    p.append(_fld_char("end"))


def add_bookmark(paragraph, name: str, bookmark_id: int) -> None:
    """Wrap the paragraph's content in a bookmark (the target of TOC entries and links)."""
    p = paragraph._p
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    ppr = p.find(qn("w:pPr"))
    p.insert(1 if ppr is not None else 0, start)
    p.append(end)


def add_internal_link(paragraph, text: str, bookmark: str, style_id: str | None = None) -> None:
    """Append ``text`` as a link to a bookmark in this document."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    link.append(_run(text, style_id))
    paragraph._p.append(link)


def toc_field(paragraphs: Sequence, levels: str = "1-2") -> None:
    """Turn ``paragraphs`` (prefilled entries, one per heading) into one Word TOC field.

    The field begins in the first paragraph and ends in the last; Word
    replaces the entries with page-numbered ones when it updates fields
    (:func:`update_fields_on_open` asks it to). ``\\h`` makes entries links,
    ``\\z`` hides page numbers in web view, ``\\u`` uses outline levels.
    """
    if not paragraphs:
        return
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    ppr = first.find(qn("w:pPr"))
    at = 1 if ppr is not None else 0
    for offset, el in enumerate((_fld_char("begin"), _instr(f'TOC \\o "{levels}" \\h \\z \\u'), _fld_char("separate"))):
        first.insert(at + offset, el)
    last.append(_fld_char("end"))


def update_fields_on_open(document) -> None:
    """Ask Word to update fields (the TOC's page numbers) when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        el = OxmlElement("w:updateFields")
        el.set(qn("w:val"), "true")
        settings.append(el)


def repeat_header_row(row) -> None:
    """The row repeats at the top of every page the table runs onto."""
    _tr_flag(row, "w:tblHeader")


def cant_split(row) -> None:
    """The row is never split across a page break."""
    _tr_flag(row, "w:cantSplit")


def _tr_flag(row, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn(tag)) is None:
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def shade_cell(cell, fill: str) -> None:
    """Background colour of a table cell (hex RGB like ``"E3F1E3"``)."""
    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.find(qn("w:shd"))
    if shd is None:
        shd = OxmlElement("w:shd")
        tcpr.append(shd)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def set_column_widths(table, widths_twips: Sequence[int]) -> None:
    """Fixed column widths: the grid (LibreOffice reads it) and every cell (Word reads those)."""
    tbl = table._tbl
    tblpr = tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.append(width)
    width.set(qn("w:w"), str(sum(widths_twips)))
    width.set(qn("w:type"), "dxa")
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_twips):
        col.set(qn("w:w"), str(w))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_twips):
            tcpr = cell._tc.get_or_add_tcPr()
            tcw = tcpr.find(qn("w:tcW"))
            if tcw is None:
                tcw = OxmlElement("w:tcW")
                tcpr.insert(0, tcw)
            tcw.set(qn("w:w"), str(w))
            tcw.set(qn("w:type"), "dxa")


def compact_table(table, half_points: int) -> None:
    """Set every run of ``table`` (links included) in ``half_points`` (direct formatting over the styles).

    For the front section, which must fit on three pages; the rest of the
    document keeps the reference document's sizes.
    """
    _resize(table._tbl, half_points)


def compact_paragraph(paragraph, half_points: int) -> None:
    """Like :func:`compact_table`, for one paragraph."""
    _resize(paragraph._p, half_points)


def _resize(element, half_points: int) -> None:
    for r in element.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            r.insert(0, rpr)
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(half_points))


def set_alt_text(inline_shape, description: str, title: str = "") -> None:
    """Alt text of a picture (what screen readers say; Word's "Alt Text" pane)."""
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", xml_text(description))
    if title:
        doc_pr.set("title", xml_text(title))


def remove_core_dates(core_properties) -> None:
    """Drop created/modified/last printed from docProps/core.xml (when no date may be written)."""
    el = core_properties._element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        found = el.find(qn(tag))
        if found is not None:
            el.remove(found)
