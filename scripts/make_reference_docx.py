"""Generate src/argbrief/templates/reference.docx: the styles of argbrief's Word briefing packs.

Like pandoc's reference.docx, the file carries styles, not content: open it in
Word, change fonts, colours, spacing or the table style, save it as the
project's own templates/reference.docx, and every pack built afterwards uses
those styles. This script makes argbrief's default one (run it again after
changing it; the output is byte-identical for the same script)::

    .venv/bin/python scripts/make_reference_docx.py [OUT]

Every style the Word writer uses is listed in ``argbrief.packs.docx.REQUIRED_STYLES``;
the script checks that it created them all.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from argbrief.packs.docx import REQUIRED_STYLES, normalise_docx  # noqa: E402

SANS = "Noto Sans"
SERIF = "Noto Serif"
MONO = "DejaVu Sans Mono"
INK = RGBColor(0x1B, 0x1F, 0x24)
MUTED = RGBColor(0x5B, 0x64, 0x70)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
ACCENT_HEX = "1F3A5F"
RULE_HEX = "C9CED6"
SOFT_HEX = "E8EEF6"


def _fonts(style, name: str) -> None:
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def _paragraph_style(doc, name: str, base: str = "Normal", *, next_style: str | None = None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
    if next_style:
        style.next_paragraph_style = styles[next_style]
    return style


def _character_style(doc, name: str):
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.quick_style = True
        return style


def _border(ppr_or_tcpr, tag: str, sides: dict[str, tuple[str, int, int]]) -> None:
    """Add a <w:pBdr>/<w:tblBorders> with ``side: (colour, size in 1/8 pt, space)``."""
    box = OxmlElement(tag)
    for side, (colour, size, space) in sides.items():
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single" if size else "nil")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), str(space))
        el.set(qn("w:color"), colour)
        box.append(el)
    ppr_or_tcpr.append(box)


def _shading(parent, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    parent.append(shd)


def text_styles(doc) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, SERIF)
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = INK
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.15
    pf.widow_control = True

    sizes = {1: 19, 2: 14.5, 3: 12, 4: 10.5}
    for level, size in sizes.items():
        h = doc.styles[f"Heading {level}"]
        _fonts(h, SANS)
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.italic = False
        h.font.color.rgb = ACCENT
        h.paragraph_format.space_before = Pt({1: 0, 2: 16, 3: 12, 4: 10}[level])
        h.paragraph_format.space_after = Pt({1: 10, 2: 6, 3: 4, 4: 3}[level])
        h.paragraph_format.keep_with_next = True
        h.paragraph_format.keep_together = True
        # Chapters start on a new page (the PDF does the same).
        h.paragraph_format.page_break_before = level == 1
    doc.styles["Heading 4"].font.all_caps = True

    title = doc.styles["Title"]
    _fonts(title, SANS)
    title.font.size = Pt(28)
    title.font.bold = True
    title.font.color.rgb = ACCENT
    title.paragraph_format.space_after = Pt(10)
    title_ppr = title.element.get_or_add_pPr()
    for bdr in title_ppr.findall(qn("w:pBdr")):  # the default template underlines the title
        title_ppr.remove(bdr)
    subtitle = doc.styles["Subtitle"]
    _fonts(subtitle, SERIF)
    subtitle.font.size = Pt(15)
    subtitle.font.italic = False
    subtitle.font.color.rgb = MUTED
    subtitle.paragraph_format.space_after = Pt(28)

    kicker = _paragraph_style(doc, "Kicker")
    _fonts(kicker, SANS)
    kicker.font.size = Pt(10)
    kicker.font.all_caps = True
    kicker.font.color.rgb = MUTED
    kicker.paragraph_format.space_before = Pt(40)
    kicker.paragraph_format.space_after = Pt(6)

    marking = _paragraph_style(doc, "Marking")
    _fonts(marking, SANS)
    marking.font.size = Pt(8)
    marking.font.bold = True
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.paragraph_format.space_after = Pt(0)
    marking.element.get_or_add_rPr().append(_spacing(30))

    cover = _paragraph_style(doc, "Cover Meta")
    _fonts(cover, SANS)
    cover.font.size = Pt(10.5)
    cover.paragraph_format.space_after = Pt(3)
    cover.paragraph_format.tab_stops.add_tab_stop(Mm(25))

    for name, colour in (("Header", MUTED), ("Footer", MUTED)):
        s = doc.styles[name]
        _fonts(s, SANS)
        s.font.size = Pt(7.5)
        s.font.color.rgb = colour
        s.paragraph_format.space_after = Pt(0)

    toc_heading = doc.styles["TOC Heading"]
    _fonts(toc_heading, SANS)
    toc_heading.font.size = Pt(19)
    toc_heading.font.bold = True
    toc_heading.font.color.rgb = ACCENT
    toc_heading.paragraph_format.page_break_before = True
    toc_heading.paragraph_format.space_after = Pt(10)
    for level in (1, 2, 3):
        toc = _paragraph_style(doc, f"toc {level}")
        _fonts(toc, SANS)
        toc.font.size = Pt(10 if level == 1 else 9.5)
        toc.font.bold = level == 1
        toc.paragraph_format.left_indent = Mm(8 * (level - 1))
        toc.paragraph_format.space_before = Pt(7 if level == 1 else 0)
        toc.paragraph_format.space_after = Pt(1)
        toc.paragraph_format.tab_stops.add_tab_stop(Mm(170), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    caption = doc.styles["Caption"]
    _fonts(caption, SANS)
    caption.font.size = Pt(8.5)
    caption.font.bold = False
    caption.font.italic = False
    caption.font.color.rgb = MUTED
    caption.paragraph_format.space_before = Pt(4)
    caption.paragraph_format.space_after = Pt(12)

    figure = _paragraph_style(doc, "Figure")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    figure.paragraph_format.space_before = Pt(6)
    figure.paragraph_format.space_after = Pt(0)
    figure.paragraph_format.line_spacing = 1.0

    citation = _paragraph_style(doc, "Citation")
    citation.font.size = Pt(9.5)
    citation.font.color.rgb = MUTED

    for name, border in (("Position Summary", ACCENT_HEX), ("Bottom Line", ACCENT_HEX)):
        s = _paragraph_style(doc, name)
        s.paragraph_format.left_indent = Mm(3)
        ppr = s.element.get_or_add_pPr()
        _border(ppr, "w:pBdr", {"left": (border, 18, 8)})
        if name == "Bottom Line":
            _shading(ppr, SOFT_HEX)
            s.paragraph_format.space_after = Pt(0)
            s.paragraph_format.keep_with_next = True

    summary_title = _paragraph_style(doc, "Summary Title")
    _fonts(summary_title, SANS)
    summary_title.font.bold = True
    summary_title.font.size = Pt(11.5)
    summary_title.font.color.rgb = ACCENT
    summary_title.paragraph_format.space_before = Pt(10)
    summary_title.paragraph_format.space_after = Pt(3)
    summary_title.paragraph_format.keep_with_next = True

    bullet = doc.styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(2)

    quote = _paragraph_style(doc, "Evidence Quote")
    quote.font.italic = True
    quote.font.size = Pt(9)
    quote.paragraph_format.left_indent = Mm(3)
    quote.paragraph_format.space_after = Pt(1)
    quote.paragraph_format.keep_with_next = True
    _border(quote.element.get_or_add_pPr(), "w:pBdr", {"left": (RULE_HEX, 12, 6)})
    source = _paragraph_style(doc, "Evidence Source")
    source.font.size = Pt(8)
    source.font.color.rgb = MUTED
    source.paragraph_format.left_indent = Mm(3)
    source.paragraph_format.space_after = Pt(5)
    _border(source.element.get_or_add_pPr(), "w:pBdr", {"left": (RULE_HEX, 12, 6)})

    for depth in range(9):
        s = _paragraph_style(doc, f"Argument Level {depth}")
        s.font.size = Pt(10.5 if depth == 0 else 9.8)
        s.paragraph_format.left_indent = Mm(4.5 * depth)
        s.paragraph_format.space_after = Pt(6 if depth == 0 else 3.5)
        s.paragraph_format.keep_together = True

    table_text = _paragraph_style(doc, "Table Text")
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.05
    table_heading = _paragraph_style(doc, "Table Heading", "Table Text")
    _fonts(table_heading, SANS)
    table_heading.font.size = Pt(8.5)
    table_heading.font.bold = True
    table_heading.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)

    node_id = _character_style(doc, "Node Id")
    _fonts(node_id, MONO)
    node_id.font.size = Pt(8)
    node_id.font.color.rgb = MUTED
    kind = _character_style(doc, "Kind Label")
    _fonts(kind, SANS)
    kind.font.size = Pt(7.5)
    kind.font.bold = True
    kind.font.all_caps = True
    kind.font.color.rgb = ACCENT
    detail = _character_style(doc, "Detail")
    detail.font.size = Pt(8.5)
    detail.font.color.rgb = MUTED
    number = _character_style(doc, "Outline Number")
    _fonts(number, SANS)
    number.font.size = Pt(8)
    number.font.color.rgb = MUTED


def _spacing(twentieths: int):
    el = OxmlElement("w:spacing")
    el.set(qn("w:val"), str(twentieths))
    return el


def table_style(doc) -> None:
    """'Argbrief Table': thin rules between rows, a dark header row that repeats."""
    try:
        style = doc.styles["Argbrief Table"]
    except KeyError:
        style = doc.styles.add_style("Argbrief Table", WD_STYLE_TYPE.TABLE)
        style.base_style = doc.styles["Normal Table"]
    style.quick_style = True
    el = style.element
    tblpr = el.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        el.append(tblpr)
    _border(
        tblpr,
        "w:tblBorders",
        {
            "top": (RULE_HEX, 4, 0),
            "left": (RULE_HEX, 0, 0),
            "bottom": (RULE_HEX, 4, 0),
            "right": (RULE_HEX, 0, 0),
            "insideH": (RULE_HEX, 4, 0),
            "insideV": (RULE_HEX, 0, 0),
        },
    )
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", 50), ("left", 85), ("bottom", 50), ("right", 85)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(width))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tblpr.append(margins)
    first = OxmlElement("w:tblStylePr")
    first.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    bold = OxmlElement("w:b")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "FFFFFF")
    rpr.extend([bold, colour])
    tcpr = OxmlElement("w:tcPr")
    _shading(tcpr, ACCENT_HEX)
    first.extend([rpr, tcpr])
    el.append(first)


def page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.left_margin, section.right_margin = Mm(20), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def sample(doc) -> None:
    """One line per style, so the file shows what it styles when opened (the writer removes it)."""
    doc.add_paragraph("argbrief reference document: restyle these styles, keep their names.", "Kicker")
    for name, _kind in REQUIRED_STYLES:
        style = doc.styles[name]
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            doc.add_paragraph(f"{name}: The quick brown fox jumps over the lazy dog.", name)
        elif style.type == WD_STYLE_TYPE.CHARACTER:
            p = doc.add_paragraph(f"{name}: ")
            p.add_run("sample text", name)
    table = doc.add_table(rows=3, cols=3, style="Argbrief Table")
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.paragraphs[0].text = "Heading" if r == 0 else f"Cell {r}.{c}"
            cell.paragraphs[0].style = doc.styles["Table Heading" if r == 0 else "Table Text"]
    doc.add_paragraph().add_run().add_break(WD_BREAK.LINE)


def make(out: Path) -> None:
    doc = Document()
    text_styles(doc)
    table_style(doc)
    page_setup(doc)
    missing = [name for name, _ in REQUIRED_STYLES if name not in [s.name for s in doc.styles]]
    if missing:
        raise SystemExit(f"styles not created: {', '.join(missing)}")
    sample(doc)
    props = doc.core_properties
    props.title = "argbrief reference document"
    props.author = "argbrief"
    props.last_modified_by = "argbrief"
    props.comments = "Styles for argbrief's Word briefing packs"
    props.revision = 1
    import datetime as dt

    fixed = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    props.created = fixed
    props.modified = fixed
    props.last_printed = fixed
    buffer = io.BytesIO()
    doc.save(buffer)
    out.write_bytes(normalise_docx(buffer.getvalue()))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "src" / "argbrief" / "templates" / "reference.docx"
    make(target)
    print(f"wrote {target}")
