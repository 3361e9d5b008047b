"""Fuzzing the build's renderers with Hypothesis: any text in a map gives a document or a diagnostic, never a crash.

- the document writers (HTML, Word) get arbitrary Unicode — control
  characters, lone surrogates, markup, template syntax — in every kind of
  text, straight into the model (as an importer or the Python API could);
- Graphviz gets the same through the DOT the renderer writes: ``dot`` must
  accept it and draw the text literally;
- the whole build (loader, validation, diagrams, documents) gets random text
  as YAML values in a map file, and must end in a result, never an exception.

``ARGBRIEF_FUZZ_EXAMPLES=500`` runs them harder than CI does.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argbrief import Config, load_workspace
from argbrief.builder import build
from argbrief.builder.documents import render_document
from argbrief.errors import ArgbriefError
from argbrief.packs._text import clean

from ._ci_helpers import small_project

SCALE = int(os.environ.get("ARGBRIEF_FUZZ_EXAMPLES", "0")) or None
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text that is likely to break something: markup of every kind argbrief writes, plus any Unicode.
NASTY = [
    "<", ">", "&", '"', "'", "]]>", "</w:t>", "<script>", "{{", "}}", "{%", "%}", "{#", "\\N", "\\G", "\\l",
    "];", "->", "--", "//", "/*", "@import", "url(", "file:///etc/passwd", "\x00", "\x0b", "\x1b", "\x7f",
    "\x85", "\u2028", "\ufeff", "\ufffe", "\ud800", "\U0001f600", "\u202e", " ", "\t", "\n", "é", "ß",
]
text = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=5)), max_size=15).map("".join),
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = small_project(tmp_path_factory.mktemp("fuzz") / "proj", formats="[html, docx]")
    return load_workspace(Config.discover(root))


def _hostile_workspace(ws, title: str, thesis: str, label: str, actor: str, pack_title: str):
    amap = ws.maps["four-day-week"]
    premise = amap.thesis.premises[0]
    premises = (attrs.evolve(premise, label=label), *amap.thesis.premises[1:])
    recs = tuple(attrs.evolve(r, actor=actor) for r in amap.recommendations)
    amap = attrs.evolve(amap, title=title, thesis=attrs.evolve(amap.thesis, text=thesis, premises=premises), recommendations=recs)
    pack = attrs.evolve(ws.packs["example"], title=pack_title)
    return attrs.evolve(ws, maps={**ws.maps, amap.id: amap}, packs={**ws.packs, pack.id: pack})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _visible(s: str) -> str:
    """Without control and format characters (the diagram and the documents treat those differently)."""
    import unicodedata

    return "".join(ch for ch in s if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))


@settings(max_examples=SCALE or 40, **SETTINGS)
@given(title=text, thesis=text, label=text, actor=text, pack_title=text)
def test_document_writers_never_crash_and_show_text_literally(workspace, title, thesis, label, actor, pack_title):
    from argbrief.compare import compare_workspace
    from argbrief.packs.document import assemble
    from argbrief.packs.html import template_dirs

    ws = _hostile_workspace(workspace, title, thesis, label, actor, pack_title)
    pack = ws.packs["example"]
    doc = assemble(ws, pack, diagrams={}, comparison=compare_workspace(ws, pack))
    dirs = template_dirs(ws.config.templates)
    html = render_document(doc, "html", dirs, "example.yaml").data.decode("utf-8")
    parsed = _Text()
    parsed.feed(html)
    shown = _squash("".join(parsed.parts))
    for value in (thesis, actor):
        assert _squash(clean(value)) in shown
    assert "script" not in parsed.tags

    import docx

    word = docx.Document(io.BytesIO(render_document(doc, "docx", dirs, "example.yaml").data))
    paragraphs = _squash(" ".join(p.text for p in word.paragraphs))
    assert _squash(clean(thesis)) in paragraphs


@settings(max_examples=SCALE or 20, **SETTINGS)
@given(label=text, thesis=text)
def test_graphviz_accepts_any_text_and_draws_it_literally(workspace, label, thesis):
    from lxml import etree

    from argbrief.render import RenderOptions, render_map

    ws = _hostile_workspace(workspace, "Map", thesis, label, "Actor", "Pack")
    (diagram,) = render_map(ws.maps["four-day-week"], RenderOptions(fmt="svg"))
    svg = etree.fromstring(diagram.data, etree.XMLParser(resolve_entities=False, no_network=True))
    drawn = _squash("".join("".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text")))
    # The renderer wraps long words and may hyphenate: compare without white space and soft hyphens.
    drawn = _visible(drawn.replace("\u00ad", "").replace("-", ""))
    for value in (label, thesis):
        wanted = _visible(_squash(clean(value)).replace("-", ""))
        if wanted:
            assert wanted[:12] in drawn, (value, drawn[:300])


@pytest.fixture(scope="module")
def base_project(tmp_path_factory):
    root = small_project(tmp_path_factory.mktemp("fuzz-build") / "proj")
    assert not build(Config.discover(root), jobs=1).failed
    return root


@settings(max_examples=SCALE or 12, **SETTINGS)
@given(title=text, thesis=text, summary=st.text(max_size=40))
def test_the_whole_build_never_crashes_on_random_map_text(base_project, tmp_path_factory, title, thesis, summary):
    root = tmp_path_factory.mktemp("case") / "proj"
    shutil.copytree(base_project, root)
    path = root / "arguments" / "four-day-week.yaml"
    yaml = path.read_text(encoding="utf-8")
    yaml = yaml.replace("title: Should the council try a four-day week?", "title: " + json.dumps(title))
    yaml = yaml.replace("  text: The council should extend its four-day week trial before deciding.", "  text: " + json.dumps(thesis))
    yaml = yaml.replace("summary: The trial worked; extend it.", "summary: " + json.dumps(summary))
    path.write_bytes(yaml.encode("utf-8", "surrogatepass"))
    before = {p: p.read_bytes() for p in (root / "exports").rglob("*") if p.is_file()}
    try:
        result = build(Config.discover(root), jobs=1)
    except ArgbriefError:
        result = None  # a stop condition with a message: fine, as long as nothing was lost
    if result is None or result.failed:
        assert {p: p.read_bytes() for p in (root / "exports").rglob("*") if p.is_file()} == before
    else:
        html = (root / "exports/example/example.html").read_text(encoding="utf-8")
        assert "<html" in html
