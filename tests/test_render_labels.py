"""Labels: hostile user text is drawn literally and can never change the graph."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argbrief import Config, load_workspace
from argbrief.model import ArgumentMap, Evidence, Objection, Premise, Source, Thesis
from argbrief.render import RenderOptions, map_to_dot, render_map, run_dot
from argbrief.render.labels import escape, text_width, wrap

from .conftest import REPO
from .test_render import assert_each_text_once, squash, svg_root, svg_texts

FIXTURE = REPO / "tests" / "fixtures" / "render"

HOSTILE = (
    'He said "stop"',
    "back\\slash \\N \\G \\L \\E \\T \\H \\\\ and a trailing \\",
    "<b>not bold</b> <i>not italic</i> <BR/>",
    "&amp; &lt; &#92;N &nbsp; & lone ampersand",
    "]]> <![CDATA[ x ]]> <!-- comment --> <?xml version='1.0'?>",
    "{braces} | pipes | <port> [brackets] ; semicolons",
    "digraph { a -> b } subgraph s { node [shape=box] } edge strict graph",
    "<Carbon tax works>",
    '"wholly quoted"',
    "Время на нашей стороне",
    "الوقت في صالحنا",
    "时间在我们这边",
    "emoji 🙂 and combining é",
)


def hostile_map() -> ArgumentMap:
    premises = tuple(
        Premise(id=f"P{i}", label=f"L{i}: {text[:20]}", text=f"{text} (premise {i})") for i, text in enumerate(HOSTILE)
    )
    objection = Objection(id="O1", label="line\nbreaks", text="one\ntwo\r\nthree\rfour\ttab")
    evidence = (Evidence(id="E1", quote=f"Quoted: {HOSTILE[2]}", locator="para <1>"),)
    return ArgumentMap(
        id="torture",
        title='Title <script>alert("x")</script> & \\N',
        source=Source(title='Source "<t>" & \\G'),
        thesis=Thesis(id="T", label="digraph G {", text="} a -> b", premises=premises, objections=(objection,), evidence=evidence),
    )


@pytest.fixture(scope="module")
def torture_svg():
    (d,) = render_map(hostile_map(), RenderOptions())
    return d


def test_hostile_text_renders_literally(torture_svg):
    texts = squash("".join(svg_texts(svg_root(torture_svg.data))))
    for text in HOSTILE:
        assert squash(f"{text} (premise") in texts, text
    assert squash('Title <script>alert("x")</script> & \\N') in texts
    # The map's one source is named in the caption; each card gives its locator only.
    assert squash("Source: Source \"<t>\" & \\G") in texts
    assert squash("— para <1>") in texts
    assert squash("one two three four tab") in texts  # newlines become line breaks, the tab a space
    assert squash("digraph G {") in texts and squash("} a -> b") in texts


def test_hostile_text_appears_once_and_adds_no_elements(torture_svg):
    amap = hostile_map()
    assert_each_text_once(amap, torture_svg)
    root = svg_root(torture_svg.data)
    nodes = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "node" in (g.get("class") or "").split()]
    # one box per model node, the legend, and nothing that hostile text made up
    assert len(nodes) == sum(1 for _ in amap.walk()) + 1
    assert not any(el.tag.endswith(("script", "b", "i", "foreignObject")) for el in root.iter())


def test_graphviz_reads_the_hostile_dot_as_the_graph_we_meant():
    """Graphviz itself parses the DOT: the nodes and edges are exactly the generated ones."""
    amap = hostile_map()
    graph = json.loads(run_dot(map_to_dot(amap), "json"))
    names = {o["name"] for o in graph["objects"] if not o["name"].startswith("cluster_")}
    walked = sum(1 for _ in amap.walk())
    assert names == {f"n{i}" for i in range(walked)} | {"legend"}
    assert len(graph["edges"]) == walked - 1  # one arrow per parent-child link, nothing injected


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_hostile_text_renders_in_every_format(fmt):
    (d,) = render_map(hostile_map(), RenderOptions(fmt=fmt, dpi=36))
    assert d.data[:4] in (b"\x89PNG", b"%PDF")


def test_hostile_yaml_file_renders_literally():
    ws = load_workspace(Config.discover(FIXTURE))
    amap = ws.maps["hostile"]
    (d,) = render_map(amap, RenderOptions())
    assert_each_text_once(amap, d)
    texts = squash("".join(svg_texts(svg_root(d.data))))
    assert squash("Backslashes \\ \\\\ \\N \\G \\L \\E \\T \\H and a trailing one \\") in texts
    assert squash("<TABLE><TR><TD>injected</TD></TR></TABLE>") in texts


# --- the escaping function itself -----------------------------------------------------


def test_escape_leaves_no_markup_no_newline_and_doubles_backslashes():
    assert escape('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert escape("\\N") == "\\\\N"
    assert escape("a\nb\r\nc\x00d\x1be") == "a b c d e"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaped_text_is_well_formed_xml_text(text):
    out = escape(text)
    assert "<" not in out and ">" not in out and "\n" not in out
    # Parses as the content of an XML element, and decodes to the text (controls -> spaces,
    # backslashes doubled, which Graphviz undoes).
    element = ET.fromstring(f"<x>{out}</x>".encode("utf-8", "surrogatepass")) if _xml_safe(out) else None
    if element is not None:
        expected = re.sub(r"[\x00-\x1f\x7f\ufffe\uffff]", " ", text.replace("\r\n", "\n"))
        assert (element.text or "").replace("\\\\", "\\") == expected


def test_wrap_never_breaks_at_a_no_break_space():
    """A pack's "Figure\u00a012" stays on one line, so its number is never alone at a line's start."""
    lines = wrap("this box continues in Figure\u00a0103 and then", 24)
    assert lines == ["this box continues in", "Figure\u00a0103 and then"]
    assert wrap("a\u2007b\u202fc d", 6) == ["a\u2007b\u202fc", "d"]


def _xml_safe(s: str) -> bool:
    return not re.search(r"[\ud800-\udfff]", s)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))), st.integers(min_value=12, max_value=80))
def test_wrap_keeps_every_character_and_the_width(text, width):
    lines = wrap(text, width)
    breakable = r"[^\S\u00a0\u2007\u202f]"  # white space, but not the no-break spaces: those are kept
    assert "".join(lines).replace(" ", "") == re.sub(breakable, "", text)
    for line in lines:
        assert text_width(line) <= width or len(line) == 1
