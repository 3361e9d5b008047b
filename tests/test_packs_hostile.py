"""Hostile text in a map is data: it appears literally, and harmlessly, in PDF, Word, HTML and SVG.

HTML tags, Jinja2 syntax, a ``file:`` image, a CDATA terminator and control
characters go into every kind of text a pack shows (titles, labels, claims,
quotes, actors, the pack's own marking). The PDF build's URL fetcher is
tested with a stylesheet that tries to read local files and the network.
"""

from __future__ import annotations

import re
import zipfile

import attrs
import pytest

from argbrief import Config, load_workspace
from argbrief.builder import plan_build, render_pack

from ._html import parse_html
from ._packs_project import make_project, render_in_memory

SCRIPT = "<script>alert('pwned')</script>"
JINJA = "{{ 7*7 }}"
RAW = "{% raw %}"
IMG = '<img src="file:///etc/passwd">'
CDATA = "]]>"

SOURCE = f"""\
Hostile memo

The memo said {SCRIPT} and {JINJA} twice.

It also said {IMG} then {CDATA} at the end.
"""

MAP = f"""\
map: hostile
title: "Hostile {SCRIPT} {JINJA}"
subtitle: "Sub\\ttitle\\u2028next\\rline"
source:
  title: "Memo {RAW} {{# note #}}"
  text: sources/hostile.txt
position: side
summary: '{IMG} says {JINJA} and {CDATA} &amp; {{% include "/etc/passwd" %}}'
thesis:
  id: T
  label: "{RAW} label {CDATA}"
  text: "Claim with </style><style>body{{display:none}}</style> and {JINJA} and open \\u202egnp.exe"
  answers:
    q1:
      stance: "yes"
      quote: "{SCRIPT} and {JINJA}"
      note: 'Stance note {IMG} <b>bold</b> {JINJA}'
  premises:
    - id: P1
      label: "{JINJA}"
      text: '{IMG} and url(file:///etc/passwd) and @import "http://example.com/x.css";'
      evidence:
        - id: E1
          quote: "{SCRIPT} and {JINJA}"
          strength: strong
        - id: E2
          quote: '{IMG} then {CDATA}'
recommendations:
  - id: R1
    actor: "<b>Actor</b> {JINJA}"
    text: "Do {{{{ config }}}} things {CDATA}"
    because: [P1]
"""

PACK = f"""\
pack: example
title: "Pack {JINJA} {SCRIPT}"
subtitle: "{RAW}"
audience: "<i>Everyone</i>"
author: "{CDATA} author"
date: 2025-03-01
marking: "OFFICIAL <b>{JINJA}</b>"
formats: [pdf, docx, html]
purpose: "Purpose {SCRIPT}"
decision: "Decide {RAW}"
bottom_line: 'Bottom {IMG} line {CDATA}'
positions:
  - id: side
    label: "Side {SCRIPT}"
    maps: [hostile]
    appraisal:
      cost: {{rating: low, text: "Cost <u>underlined</u> {JINJA}"}}
      risk: {{rating: high, text: "Risk digraph {{ a -> b }}"}}
      feasibility: {{rating: medium, text: "{CDATA}"}}
      reversibility: {{rating: high, text: ok}}
questions:
  - id: q1
    text: "Is {JINJA} 49?"
judgements:
  - id: J1
    text: "Judgement <blink>{JINJA}</blink> and {SCRIPT} digraph G {{ a -> b }}"
    likelihood: likely
    confidence: low
    basis:
      - hostile:P1
    note: "Note {RAW} {CDATA}"
indicators:
  - id: I1
    text: 'Indicator <marquee>{IMG}</marquee> {JINJA}'
    judgement: J1
    direction: raises
"""

LITERALS = (
    SCRIPT, JINJA, RAW, IMG, CDATA, "<b>Actor</b>",
    # the front section: judgement, indicator, appraisal, bottom line
    "<blink>{{ 7*7 }}</blink>", "digraph G { a -> b }", "<marquee>", "Cost <u>underlined</u>", f"Bottom {IMG} line",
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The hostile project rendered in memory: {format: bytes}, plus the SVGs and diagnostics."""
    root = make_project(tmp_path_factory.mktemp("hostile"), map_yaml=MAP, pack_yaml=PACK, source_text=SOURCE, map_name="hostile")
    result = render_in_memory(root)
    files = {a.path.suffix.lstrip("."): a.data for a in result.artifacts if a.path.suffix != ".svg"}
    svgs = [a.data for a in result.artifacts if a.path.suffix == ".svg"]
    return files, svgs, result.diagnostics




def test_html_shows_hostile_text_literally(rendered):
    files, _, _ = rendered
    html = files["html"].decode("utf-8")
    parser = parse_html(html)
    text = " ".join(" ".join(parser.text).split())
    for literal in LITERALS:
        assert literal in text, literal
    assert not {"script", "img", "b", "blink", "marquee", "u"} & set(parser.tags)
    assert not [v for k, v in parser.attrs if k in ("src", "href") and not v.startswith("#")]
    assert "49?" not in text.replace("Is {{ 7*7 }} 49?", "")  # Jinja did not evaluate anything
    assert f"Stance note {IMG} <b>bold</b> {JINJA}" in text  # what the stance rests on: its note, as text
    # one <style> element per stylesheet (and the fonts): a claim's "</style><style>" stayed text
    assert html.count("<style") == 4
    assert "&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;" in html


def test_pdf_shows_hostile_text_literally_and_fetches_nothing(rendered):
    import io

    import pypdf

    files, _, diags = rendered
    reader = pypdf.PdfReader(io.BytesIO(files["pdf"]))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for literal in LITERALS:
        assert literal in text, literal
    assert reader.metadata.title == f"Pack {JINJA} {SCRIPT}"
    assert not diags, [d.format() for d in diags]
    assert b"/URI" not in files["pdf"]


def test_docx_shows_hostile_text_literally(rendered):
    import io

    import docx

    files, _, _ = rendered
    word = docx.Document(io.BytesIO(files["docx"]))
    parts = [p.text for p in word.paragraphs]
    parts += [c.text for t in word.tables for row in t.rows for c in row.cells]
    parts += [p.text for p in word.sections[0].header.paragraphs]
    text = " ".join(" ".join(parts).split())
    for literal in LITERALS:
        assert literal in text, literal
    assert word.core_properties.title == f"Pack {JINJA} {SCRIPT}"
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as z:
        document = z.read("word/document.xml").decode()
    assert "<script>" not in document and "&lt;script&gt;" in document


def test_svg_diagrams_keep_hostile_text_as_text(rendered):
    from lxml import etree

    _, svgs, _ = rendered
    assert svgs
    for svg in svgs:
        root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
        assert not root.findall(".//{http://www.w3.org/2000/svg}script")
        assert not root.findall(".//{http://www.w3.org/2000/svg}image")


BIDI_SHOWN = "open <U+202E>gnp.exe"


def test_bidi_overrides_are_shown_as_codes_in_every_output(rendered):
    """A right-to-left override must never make "gnp.exe" read as "exe.png": it is shown as <U+202E>."""
    import io

    import docx
    import pypdf
    from lxml import etree

    files, svgs, _ = rendered
    html = files["html"].decode("utf-8")
    assert BIDI_SHOWN in " ".join(" ".join(parse_html(html).text).split())
    pdf = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files["pdf"])).pages)
    assert BIDI_SHOWN in " ".join(pdf.split())
    word = docx.Document(io.BytesIO(files["docx"]))
    assert any(BIDI_SHOWN in p.text for p in word.paragraphs)
    drawn = [" ".join(etree.fromstring(svg).itertext()) for svg in svgs]
    assert any(BIDI_SHOWN in " ".join(t.split()) for t in drawn)
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as z:
        document = z.read("word/document.xml").decode()
    for output in (html, pdf, document, *drawn):
        assert "\u202e" not in output


def test_control_characters_are_stripped_not_fatal(rendered):
    files, _, _ = rendered
    html = files["html"].decode("utf-8")
    assert "Sub title next line" in html
    assert not re.search("[\x80-\x9f\u2028\r]", html)


def test_control_characters_xml_forbids_never_crash_the_writers(tmp_path):
    """The loader rejects C0 controls, but a map built in code can hold them; the writers strip them."""
    import io

    import docx
    import pypdf

    root = make_project(tmp_path / "p")
    ws = load_workspace(Config.discover(root))
    amap = ws.maps["four-day-week"]
    thesis = attrs.evolve(amap.thesis, text="Bell\x07 and\x0b vertical\x00 tab\ufffe\x9b done", label="Lab\x01el")
    ws = attrs.evolve(ws, maps={**ws.maps, "four-day-week": attrs.evolve(amap, thesis=thesis, title="Ti\x1ftle")})
    result = render_pack(ws, plan_build(ws)[0])
    files = {a.path.suffix: a.data for a in result.artifacts}
    assert "Bell and vertical tab done" in files[".html"].decode()
    word = docx.Document(io.BytesIO(files[".docx"]))
    assert any("Bell and vertical tab done" in p.text for p in word.paragraphs)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files[".pdf"])).pages)
    assert "Bell and vertical tab done" in " ".join(text.split())


def test_url_fetcher_refuses_local_files_and_the_network(tmp_path):
    """A team's stylesheet asking for /etc/passwd or the network gets nothing, and a warning."""
    import pypdf

    root = make_project(tmp_path / "p")
    templates = root / "templates"
    templates.mkdir()
    (templates / "pack-print.css").write_text(
        '@import url("file:///etc/passwd");\n'
        '@import url("http://127.0.0.1:9/evil.css");\n'
        'body { background: url("../arguments/sources/four-day-week.txt"); }\n'
        'h1 { background: url("logo.svg"); }\n',
        encoding="utf-8",
    )
    (templates / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8")
    (templates / "escape.svg").symlink_to("/etc/passwd")
    ws = load_workspace(Config.discover(root))
    result = render_pack(ws, plan_build(ws, formats=["pdf"])[0])
    warnings = " ".join(d.message for d in result.diagnostics)
    assert {d.code for d in result.diagnostics} == {"build.renderer-warning"}
    assert "/etc/passwd" in warnings and "127.0.0.1" in warnings and "four-day-week.txt" in warnings
    assert "logo.svg" not in warnings  # inside the templates folder: served
    pdf = result.artifacts[0].data
    assert b"root:x:0:0" not in pdf
    assert pypdf.PdfReader(__import__("io").BytesIO(pdf)).pages


def test_fetcher_serves_assets_and_template_files_only(tmp_path):
    from argbrief.packs.pdf import make_fetcher

    (tmp_path / "ok.css").write_text("p{}")
    (tmp_path / "link.css").symlink_to("/etc/passwd")
    fetch = make_fetcher({"argbrief-asset:maps/a.svg": b"<svg/>"}, [tmp_path])
    assert fetch("argbrief-asset:maps/a.svg").read() == b"<svg/>"
    assert fetch((tmp_path / "ok.css").as_uri()).read() == b"p{}"
    for url in (
        "file:///etc/passwd",
        (tmp_path / "link.css").as_uri(),
        (tmp_path / ".." / "x.css").as_uri(),
        "http://example.com/x.css",
        "https://example.com/x.css",
        "data:text/css,p{}",
        "argbrief-asset:maps/missing.svg",
        "ftp://example.com/x",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetch(url)


# --------------------------------------------------------------------------- issue 17: files that are not what they seem


def test_fetcher_refuses_fifos_and_files_through_linked_folders(tmp_path):
    """Issue 17 (1, 12): a stylesheet's url() naming a FIFO (which would block) or a file in a linked folder."""
    import os

    from argbrief.packs.pdf import make_fetcher

    templates = tmp_path / "templates"
    templates.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (templates / "linked").symlink_to(outside, target_is_directory=True)
    os.mkfifo(templates / "pipe.css")
    fetch = make_fetcher({}, [templates])
    for url in ((templates / "pipe.css").as_uri(), (templates / "linked" / "logo.svg").as_uri()):
        with pytest.raises(ValueError, match="refused"):
            fetch(url)


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "<foreignObject>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><g/></svg>', "'onload'"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>', "<image>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><g fill="url(http://x/y)"/></svg>', "external url()"),
        (b'<?xml-stylesheet href="http://x/y.css"?><svg xmlns="http://www.w3.org/2000/svg"/>', "processing instruction"),
        (b'<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&e;</svg>', "entities"),
        (b"<html/>", "root element"),
        (b"not xml", "does not parse"),
    ],
)
def test_graphviz_output_with_anything_active_is_refused(svg, problem):
    """Issue 17 (3): what a (forged) Graphviz cache entry may hold before it is used."""
    from argbrief.render.graphviz import output_problem, run_dot

    assert problem in output_problem(svg, "svg")
    assert output_problem(run_dot("digraph { a -> b [color=red] }", "svg"), "svg") is None
    assert output_problem(run_dot("digraph { a -> b }", "png"), "png") is None
    assert output_problem(b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "png") is not None


def test_reference_docx_sizes_are_checked_before_it_is_opened():
    """Issue 17 (9): the declared sizes of the parts bound what opening reference.docx can cost."""
    import io
    import zipfile

    from argbrief.errors import ConfigError
    from argbrief.packs.docx import check_package

    def package(**parts: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
        return buffer.getvalue()

    check_package(package(a=b"fine" * 1000))
    with pytest.raises(ConfigError, match="zip bomb"):
        check_package(package(a=b"\0" * (2 * 1024 * 1024)))
    with pytest.raises(ConfigError, match="not a readable Word document"):
        check_package(b"PK\x03\x04 not a zip")
