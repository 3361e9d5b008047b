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
