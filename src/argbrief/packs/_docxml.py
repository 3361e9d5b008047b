"""The raw WordprocessingML that python-docx has no API for, in one place.

Fields (PAGEREF, PAGE, NUMPAGES, SEQ) and contents entries, bookmarks,
internal hyperlinks, repeated table header rows, rows that do not split, cell
shading, column widths, alt text on pictures and their SVG originals, the
multilevel list that numbers headings, and asking Word to refresh fields
when the file opens.
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


def add_toc_entry(paragraph, text: str, bookmark: str, page: str = "") -> None:
    """A contents entry as Word writes one: a link to the heading's bookmark holding
    its text, a tab (the style's dotted right tab) and a ``PAGEREF`` field.

    ``page`` is the field's shown result until it is updated (Word updates it
    when the file opens); LibreOffice turns ``PAGEREF`` into a live page
    reference, so it shows the right page at once.
    """
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    link.append(_run(text))
    tab = OxmlElement("w:r")
    tab.append(OxmlElement("w:tab"))
    link.append(tab)
    for el in (_fld_char("begin"), _instr(f"PAGEREF {bookmark} \\h"), _fld_char("separate"), _run(page), _fld_char("end")):
        link.append(el)
    paragraph._p.append(link)


def update_fields_on_open(document) -> None:
    """Ask Word to update fields (the contents' page numbers) when the file is opened."""
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


# --------------------------------------------------------------------------- heading numbers

#: The heading levels that carry automatic numbers ("3", "3.1", "3.1.2"; "Annex A", "A.1", "A.1.2").
NUMBERED_LEVELS = 3
# abstractNum and num ids, clear of those in python-docx's template (0-9).
_DECIMAL_ID = 90
_ANNEX_ID = 91
ANNEX_PREFIX = "Annex "


def add_heading_numbering(document, *, number_colour: str = "5B6470", indent_twips: int = 680) -> tuple[int, int]:
    """Two multilevel lists for headings; returns their numIds (decimal, annex).

    The decimal list ("1", "1.1", "1.1.1") is tied to the styles Heading 1-3:
    each level names its style (``w:pStyle``) and each style names the list
    (``w:numPr``), the way Word links them ("Define New Multilevel List",
    "Link level to style"), so headings renumber themselves after edits. The
    annex list ("Annex A", "A.1", "A.1.1") is for headings a pack letters; the
    writer puts it on those paragraphs. Numbers are in ``number_colour``, not
    bold; a hanging indent aligns wrapped heading lines with their text.
    """
    numbering = document.part.numbering_part.element
    schemes = (
        (_DECIMAL_ID, "decimal", ("%1", "%1.%2", "%1.%2.%3")),
        (_ANNEX_ID, "upperLetter", (ANNEX_PREFIX + "%1", "%1.%2", "%1.%2.%3")),
    )
    for list_id, first_format, texts in schemes:
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(list_id))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "multilevel")
        abstract.append(multi)
        for level in range(9):
            numbered = level < NUMBERED_LEVELS
            indent = (indent_twips * (2 if list_id == _ANNEX_ID and level == 0 else 1)) if numbered else 0
            abstract.append(
                _level(
                    level,
                    number_format=(first_format if level == 0 else "decimal") if numbered else "none",
                    text=texts[level] if numbered else "",
                    style=f"Heading{level + 1}" if numbered and list_id == _DECIMAL_ID else None,
                    indent=indent,
                    colour=number_colour,
                )
            )
        # abstractNum elements must come before every num element.
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(list_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(list_id))
        num.append(ref)
        numbering.append(num)
    for level in range(NUMBERED_LEVELS):
        _set_num_pr(document.styles[f"Heading {level + 1}"].element.get_or_add_pPr(), _DECIMAL_ID, level)
    return _DECIMAL_ID, _ANNEX_ID


def _level(level: int, *, number_format: str, text: str, style: str | None, indent: int, colour: str):
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), str(level))
    # In the schema's order: Word refuses a file whose elements are out of order.
    for tag, value in (
        ("w:start", "1"),
        ("w:numFmt", number_format),
        *((("w:pStyle", style),) if style else ()),
        ("w:suff", "tab"),
        ("w:lvlText", text),
        ("w:lvlJc", "left"),
    ):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        lvl.append(el)
    ppr = OxmlElement("w:pPr")
    tabs = OxmlElement("w:tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "num")
    tab.set(qn("w:pos"), str(indent))
    tabs.append(tab)
    ppr.append(tabs)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(indent))
    ind.set(qn("w:hanging"), str(indent))
    ppr.append(ind)
    lvl.append(ppr)
    rpr = OxmlElement("w:rPr")
    bold = OxmlElement("w:b")
    bold.set(qn("w:val"), "0")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), colour)
    rpr.append(bold)
    rpr.append(color)
    lvl.append(rpr)
    return lvl


def annex_list(document) -> int | None:
    """The numId of the reference document's annex list ("Annex %1" in capital letters), if it has one."""
    numbering = document.part.numbering_part.element
    abstract_ids = set()
    for abstract in numbering.findall(qn("w:abstractNum")):
        first = abstract.find(qn("w:lvl"))
        fmt = first.find(qn("w:numFmt")) if first is not None else None
        text = first.find(qn("w:lvlText")) if first is not None else None
        if (
            fmt is not None and fmt.get(qn("w:val")) == "upperLetter"
            and text is not None and text.get(qn("w:val"), "").startswith(ANNEX_PREFIX)
        ):
            abstract_ids.add(abstract.get(qn("w:abstractNumId")))
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is not None and ref.get(qn("w:val")) in abstract_ids:
            return int(num.get(qn("w:numId")))
    return None


def number_heading(paragraph, num_id: int, level: int) -> None:
    """Number this heading from list ``num_id`` at ``level`` (0-based), whatever its style says."""
    _set_num_pr(paragraph._p.get_or_add_pPr(), num_id, level)


def _set_num_pr(ppr, num_id: int, level: int | None) -> None:
    num_pr = ppr.get_or_add_numPr()  # python-docx puts it where the schema wants it
    if level is not None:
        num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def heading_numbering(style) -> bool:
    """Whether a heading style of the reference document carries automatic numbers."""
    ppr = style.element.pPr
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    num_id = num_pr.find(qn("w:numId")) if num_pr is not None else None
    return num_id is not None and num_id.get(qn("w:val")) not in (None, "0")


def without_numbering(paragraph) -> None:
    """No automatic number on this paragraph, whatever its style says (``numId`` 0)."""
    _set_num_pr(paragraph._p.get_or_add_pPr(), 0, None)


def style_without_numbering(style) -> None:
    """No automatic number for a style based on a numbered heading (the contents' heading)."""
    _set_num_pr(style.element.get_or_add_pPr(), 0, None)


# --------------------------------------------------------------------------- SVG pictures

_SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office's svgBlip extension (MS-ODRAWXML 2.26.1.1)
_ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def add_svg(document, inline_shape, svg: bytes) -> None:
    """Attach ``svg`` to a picture as its vector original (``asvg:svgBlip``).

    Word 2016 and later draw the SVG; older Word and LibreOffice draw the
    picture's PNG, which stays the main image (Office does exactly this when
    a user inserts an SVG).
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.part import Part
    from lxml import etree

    package = document.part.package
    part = Part(package.next_partname("/word/media/image%d.svg"), "image/svg+xml", svg, package)
    rid = document.part.relate_to(part, RELATIONSHIP_TYPE.IMAGE)
    blip = inline_shape._inline.graphic.graphicData.pic.blipFill.blip
    ext_list = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", _SVG_EXTENSION)
    svg_blip = etree.SubElement(ext, f"{{{_ASVG_NS}}}svgBlip", nsmap={"asvg": _ASVG_NS})
    svg_blip.set(qn("r:embed"), rid)
    ext_list.append(ext)
    blip.append(ext_list)
