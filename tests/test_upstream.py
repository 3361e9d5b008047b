"""The adapters for upstream performance faults (argbrief/_upstream.py) change speed, never results."""

from __future__ import annotations

import pytest

from argbrief import _upstream
from argbrief._yamlread import _events, read_yaml

YAML_SAMPLES = [
    "a: &x [1, 'two', !!str 3]\nb: *x\nc: {d: \"e\\te\"}  # note\nf: |\n  block\n",
    "%YAML 1.1\n--- !!map\n? [k]\n: !foo v\ng: ~\nh: *nowhere\n...\n",
    "- a\n- {b: [c, {d: e}]}\n---\n- second\n",
]


@pytest.mark.parametrize("text", YAML_SAMPLES)
def test_event_tuples_hold_what_the_library_events_hold(text: str) -> None:
    """The adapter's tuples, straight from libyaml, equal those made from ruamel.yaml's own event objects."""
    import _ruamel_yaml
    from ruamel.yaml import events

    objects = list(_events(text, tuples=False))
    with _upstream.yaml_event_tuples() as applied:
        assert applied
        assert _ruamel_yaml.ScalarEvent is not events.ScalarEvent
        tuples = list(_events(text, tuples=True))
    assert _ruamel_yaml.ScalarEvent is events.ScalarEvent  # the library's classes are back

    def comparable(ev: tuple) -> tuple:
        return tuple((m.line, m.column, m.index) if type(m).__name__ == "Mark" else m for m in ev)

    assert [comparable(e) for e in tuples] == [comparable(e) for e in objects]
    assert all(isinstance(e, tuple) for e in tuples)
    assert {e[0] for e in tuples} >= {_upstream.SCALAR, _upstream.END, _upstream.DOCUMENT, _upstream.OTHER}


def test_reading_inside_another_read_gives_the_same_data() -> None:
    """Re-entered (the names already swapped), the reader falls back to converting events and still reads right."""
    text = YAML_SAMPLES[0]
    expected = read_yaml(text, "x.yaml")
    with _upstream.yaml_event_tuples() as outer:
        assert outer
        assert read_yaml(text, "x.yaml") == expected


def test_yaml_events_outside_the_reader_are_the_library_objects() -> None:
    from ruamel.yaml import YAML, events

    data, diags = read_yaml("a: [1, 'two']\n", "x.yaml")
    assert data["a"] == ["1", "two"] and not diags
    parsed = list(YAML(typ="safe").parse("a: 1\n"))
    assert any(type(e) is events.ScalarEvent for e in parsed)
    assert YAML(typ="safe").load("a: [1, two]\n") == {"a": [1, "two"]}


def test_events_and_data_are_those_of_the_library() -> None:
    text = YAML_SAMPLES[0]
    with _upstream.yaml_event_tuples():
        scalars = [e for e in _events(text, tuples=True) if isinstance(e, tuple) and e[0] == _upstream.SCALAR]
    assert [s[1] for s in scalars] == ["a", "1", "two", "3", "b", "c", "d", "e\te", "f", "block\n"]
    assert scalars[3][4] == "tag:yaml.org,2002:str" and scalars[1][4] is None
    data, diags = read_yaml(text, "x.yaml")
    assert not diags
    assert data["a"] == ["1", "two", "3"] and data["b"] is data["a"] and data["f"] == "block\n"


def _png(shade: int, size: tuple[int, int] = (40, 20)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (shade, 100, 200)).save(out, format="PNG")
    return out.getvalue()


def _word_with_pictures(adder, pngs: list[bytes]) -> tuple[bytes, list[str], dict[str, str]]:
    """A document with one paragraph per picture: its body XML, its image part names, its relationships."""
    import io

    import docx
    from docx.shared import Mm
    from lxml import etree

    document = docx.Document()
    for png in pngs:
        adder(document.add_paragraph().add_run(), io.BytesIO(png), Mm(50))
    part = document.part
    names = sorted(str(p.partname) for p in part.package.image_parts)
    rels = {rid: str(rel.target_part.partname) for rid, rel in part.rels.items() if not rel.is_external}
    return etree.tostring(part.element), names, rels


def test_word_pictures_are_those_python_docx_makes() -> None:
    """Same shape ids, relationship ids, part names and de-duplication of a repeated image."""
    pngs = [_png(10), _png(20), _png(10), _png(30, (60, 10)), _png(20), _png(40)]
    theirs = _word_with_pictures(lambda run, image, width: run.add_picture(image, width=width), pngs)
    ours = _word_with_pictures(lambda run, image, width: _upstream.add_picture(run, image, width=width), pngs)
    assert ours == theirs
    assert len(ours[1]) == 4  # the two repeats share their first picture's part
    assert b'id="6"' in ours[0]  # each picture has its own shape id


def test_image_part_sha1_is_cached_per_blob_and_equal_to_the_library_s() -> None:
    import hashlib

    from docx.opc.packuri import PackURI
    from docx.parts.image import ImagePart

    assert _upstream.fast_docx_pictures()
    original = _upstream.ORIGINALS["docx.parts.image.ImagePart.sha1"]
    part = ImagePart(PackURI("/word/media/image1.png"), "image/png", _png(50))
    assert part.sha1 == original.fget(part) == hashlib.sha1(part.blob).hexdigest()
    part._blob = _png(60)  # a new blob is hashed again
    assert part.sha1 == original.fget(part)


@pytest.mark.parametrize("used", [[], [1], [1, 2, 3], [2, 3], [1, 3, 4], [5]])
def test_next_image_partname_is_the_library_s(used: list[int]) -> None:
    from docx.opc.packuri import PackURI
    from docx.package import ImageParts
    from docx.parts.image import ImagePart

    assert _upstream.fast_docx_pictures()
    parts = ImageParts()
    for n in used:
        parts.append(ImagePart(PackURI(f"/word/media/image{n}.png"), "image/png", b""))
    original = _upstream.ORIGINALS["docx.package.ImageParts._next_image_partname"]
    assert parts._next_image_partname("png") == original(parts, "png")


def test_pdf_page_references_are_pydyf_s_and_follow_new_pages() -> None:
    import pydyf

    assert _upstream.fast_pdf_tags()
    original = _upstream.ORIGINALS["pydyf.PDF.page_references"]
    pdf = pydyf.PDF()
    assert pdf.page_references == original.fget(pdf) == ()
    for _ in range(3):
        page = pydyf.Dictionary({"Type": "/Page"})
        pdf.add_object(page)
        pdf.add_page(page)
        assert pdf.page_references == original.fget(pdf)
    assert len(pdf.page_references) == 3 and pdf.page_references is pdf.page_references


def test_body_paragraphs_and_tables_go_where_python_docx_puts_them() -> None:
    """Paragraphs, tables and section breaks added to the body: the same XML as python-docx's own insertion."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.oxml.document import CT_Body
    from lxml import etree

    def build() -> bytes:
        document = docx.Document()
        for i in range(5):
            document.add_paragraph(f"paragraph {i}")
            document.add_table(rows=1, cols=2)
            if i == 2:
                document.add_section(WD_SECTION.NEW_PAGE)
        return etree.tostring(document.element.body)

    assert _upstream.fast_docx_pictures()
    ours = build()
    patched = CT_Body.insert_element_before
    try:
        del CT_Body.insert_element_before  # python-docx's own again (inherited from BaseOxmlElement)
        theirs = build()
    finally:
        CT_Body.insert_element_before = patched
    assert ours == theirs
    assert ours.rstrip().endswith(b"</w:sectPr></w:body>")


# --- WeasyPrint: SVG text as whole runs ------------------------------------------------------------------


def _svg_pdf(body: str, *, adapted: bool) -> bytes:
    """A one-page PDF of an SVG holding ``body``, drawn with the adapter or with WeasyPrint's own text function."""
    import contextlib

    import weasyprint

    assert _upstream.whole_svg_text()
    page = ('<html><head><style>@page { size: 300pt 80pt; margin: 0 } body { margin: 0 }</style></head><body>'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="80pt" viewBox="0 0 300 80">{body}</svg>'
            "</body></html>")
    with contextlib.nullcontext() if adapted else _upstream.weasyprint_own_svg_text():
        return weasyprint.HTML(string=page).write_pdf()


def _glyphs(pdf: bytes) -> list[dict]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [c for c in doc.pages[0].chars if not c["text"].isspace()]


_LINE = ('<text text-anchor="{anchor}" x="{x}" y="40" font-family="Noto Sans,DejaVu Sans,sans-serif" '
         'font-size="11.00">{text}</text>')


@pytest.mark.parametrize("anchor, x", [("start", 20), ("middle", 150)])
def test_a_graphviz_text_line_is_one_shaped_run_in_the_same_place(anchor: str, x: int) -> None:
    """One text object instead of one per letter; the same words, start (or centre) and size; kerned."""
    import re
    import zlib

    line = _LINE.format(anchor=anchor, x=x, text="AVATAR Tower — WAVE")
    new, old = _svg_pdf(line, adapted=True), _svg_pdf(line, adapted=False)
    shown = []
    for data in (new, old):
        streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
        ops = b"".join(zlib.decompress(s) if s[:1] == b"x" else s for s in streams)
        shown.append(len(re.findall(rb"\bTJ\b|\bTj\b", ops)))
    assert shown[0] == 1 and shown[1] >= len("AVATARTower—WAVE")
    a, b = _glyphs(new), _glyphs(old)
    assert "".join(c["text"] for c in a) == "".join(c["text"] for c in b) == "AVATARTower—WAVE"
    assert {round(c["size"], 2) for c in a} == {round(c["size"], 2) for c in b} == {11.0}
    width_new, width_old = a[-1]["x1"] - a[0]["x0"], b[-1]["x1"] - b[0]["x0"]
    assert width_new < width_old  # kerning: "AV", "VA", "Wa" pairs close up as Graphviz measured them
    assert width_new > width_old * 0.95
    if anchor == "start":
        assert a[0]["x0"] == pytest.approx(b[0]["x0"], abs=0.01)
    else:  # centred on x in both
        assert (a[0]["x0"] + a[-1]["x1"]) / 2 == pytest.approx(x, abs=0.5)
        assert (b[0]["x0"] + b[-1]["x1"]) / 2 == pytest.approx(x, abs=0.5)


@pytest.mark.parametrize("placed", [
    '<text x="10 20 30" y="40" font-size="11">abc</text>',
    '<text x="10" y="40" dx="0 3 3" font-size="11">abc</text>',
    '<text x="10" y="40" rotate="0 20 40" font-size="11">abc</text>',
    '<text x="10" y="40" letter-spacing="4" font-size="11">abc</text>',
    '<text x="10" y="40" textLength="80" font-size="11">abc</text>',
])
def test_text_that_places_its_characters_is_drawn_by_weasyprint_itself(placed: str) -> None:
    assert _svg_pdf(placed, adapted=True) == _svg_pdf(placed, adapted=False)


def test_right_to_left_text_in_a_diagram_reads_right_to_left() -> None:
    """Shaped as a run, Hebrew is laid out by the bidi algorithm: its first letter is drawn rightmost
    (letter by letter, WeasyPrint drew it mirrored: WeasyPrint issue #2909)."""
    line = _LINE.format(anchor="start", x=20, text="\u05e9\u05dc\u05d5\u05dd")  # shalom: shin, lamed, vav, final mem
    for adapted, first_rightmost in ((True, True), (False, False)):
        glyphs = {c["text"]: c["x0"] for c in _glyphs(_svg_pdf(line, adapted=adapted))}
        assert set(glyphs) == {"\u05e9", "\u05dc", "\u05d5", "\u05dd"}
        assert (glyphs["\u05e9"] > glyphs["\u05dd"]) is first_rightmost
