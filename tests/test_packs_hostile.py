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
from ._packs_project import make_project

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
  text: "Claim with </style><style>body{{display:none}}</style> and {JINJA}"
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
    ws = load_workspace(Config.discover(root))
    assert not [d.format() for d in ws.diagnostics if str(d.severity) == "error"]
    result = render_pack(ws, plan_build(ws)[0])
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
    # one <style> element per stylesheet: a claim's "</style><style>" stayed text
    assert html.count("<style") == 3
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
