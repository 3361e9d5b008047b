"""The comparison diagram: one arrow per answer, styled so that it reads without colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from argbrief import Config, load_workspace
from argbrief.compare import build_comparison, compare_workspace
from argbrief.model import ArgumentMap, Pack, Position, Premise, Question, Thesis
from argbrief.render import RenderOptions
from argbrief.render.comparison import STANCE_EDGES, comparison_to_dot, render_comparison
from argbrief.render.labels import escape
from argbrief.render.page import MIN_READABLE_PT

from .conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "compare" / "basic"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def flood():
    ws = load_workspace(Config.discover(FIXTURE))
    return compare_workspace(ws, ws.packs["flood"])


def _edges(source: str) -> list[tuple[str, str, dict[str, str]]]:
    """(tail, head, attributes) of every visible edge; pydot writes one edge statement per line."""
    out = []
    for tail, head, attrs in re.findall(r"^(\S+) -> (\S+) \[(.*)\];$", source, re.M):
        parsed = dict(re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', attrs))
        if parsed.get("style") != "invis":
            out.append((tail, head, {k: v.strip('"') for k, v in parsed.items()}))
    return out


def test_one_arrow_per_answer_styled_by_stance(flood):
    edges = _edges(comparison_to_dot(flood, RenderOptions(theme="print")))
    answers = [(r.question.id, p, s) for r in flood.results for p, s in r.stances if s != "silent"]
    assert len(edges) == len(answers) == 11
    styles = {(a["style"], a.get("arrowhead") or a.get("arrowtail")) for _, _, a in edges}
    # yes, no, qualified and mixed each have their own line style or arrowhead.
    assert styles == {("solid", "normal"), ("dashed", "tee"), ("dotted", "odot"), ("solid", "diamond")}
    assert len({(s.style, s.arrowhead, s.penwidth) for s in STANCE_EDGES.values()}) == 4


def test_positions_alternate_left_and_right_of_the_questions(flood):
    edges = _edges(comparison_to_dot(flood))
    # Left positions (alpha p0, gamma p2) point at the west side of a question; right ones (beta p1) at the east.
    left = {tail for tail, head, _ in edges if head.endswith(":w")}
    right = {head for tail, head, _ in edges if tail.endswith(":e")}
    assert left == {"p0", "p2"} and right == {"p1"}
    assert all(a["dir"] == "back" for tail, _, a in edges if tail.endswith(":e"))
    # Each arrow lands on its own position's answer cell ("q1:p2:w": question 1, position 2's cell).
    assert all(head.split(":")[1] == tail for tail, head, _ in edges if head.endswith(":w"))


def test_renders_as_svg_with_every_question_and_position(flood):
    diagram = render_comparison(flood, RenderOptions(fmt="svg"))
    assert diagram.name == "flood-comparison"
    assert diagram.node_ids == ("agree", "clash", "gap", "mixed", "qual", "opposed", "alpha", "beta", "gamma")
    assert diagram.width_pt > diagram.height_pt * 0.5 > 0
    root = ET.fromstring(diagram.data)
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for words in ("Was the flood a surprise?", "Alpha view", "Beta view", "Gamma view", "CLASH", "qualified"):
        assert words in text
    # Clash questions have the heavy border, drawn in the legend too.
    assert len(re.findall(r'stroke-width="3\.2"', diagram.data.decode())) >= 1


def test_print_theme_is_greys_only(flood):
    source = comparison_to_dot(flood, RenderOptions(theme="print"))
    for colour in re.findall(r"#([0-9a-fA-F]{6})", source):
        r, g, b = colour[0:2], colour[2:4], colour[4:6]
        assert r == g == b, colour


def test_user_text_cannot_break_the_dot():
    nasty = 'A <b>bold</b> & "quoted" \\N claim }; digraph x {'
    amap = ArgumentMap(id="m", thesis=Thesis(id="T", text="t", premises=(Premise(id="P1", text="p", answers={"q": "yes"}),)))
    pack = Pack(
        id="p",
        title=nasty,
        positions=(Position(id="x", label=nasty, summary=nasty, maps=("m",)), Position(id="y", label="Other", maps=("m",))),
        questions=(Question(id="q", text=nasty),),
    )
    diagram = render_comparison(build_comparison(pack, {"m": amap}), RenderOptions(fmt="svg"))
    root = ET.fromstring(diagram.data)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert any("<b>bold</b>" in t for t in texts)
    assert any('"quoted" \\N' in t for t in texts)


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_png_and_pdf_render(flood, fmt):
    diagram = render_comparison(flood, RenderOptions(fmt=fmt, dpi=72))
    assert diagram.data.startswith(b"\x89PNG" if fmt == "png" else b"%PDF")


def test_fits_a4_when_asked(flood):
    diagram = render_comparison(flood, RenderOptions(fmt="pdf", page="A4"))
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", diagram.data)
    size = sorted(round(float(x)) for x in box.groups())
    assert size == [595, 842]  # A4, in points


def test_same_input_same_bytes(flood):
    assert render_comparison(flood, RenderOptions(fmt="svg")).data == render_comparison(flood, RenderOptions(fmt="svg")).data


def test_a_packs_comparison_diagram_is_fitted_to_its_figure_box_as_large_as_it_prints():
    """The demo comparison is too wide for A4 portrait at 8 pt: narrower variants (the legend in two
    rows), without the title and reading note the pack's heading and caption give, bring its smallest
    text to the 7 pt floor on paper, where the sheet-fitted drawing printed at 4.4 pt."""
    from argbrief.builder.diagrams import CacheSpec, draw, plan_comparison, svg_scale
    from argbrief.packs._parts import Geometry
    from argbrief.render.page import smallest_text_pt

    ws = load_workspace(Config.discover(REPO))
    planned = plan_comparison(compare_workspace(ws, ws.packs["ukraine-options"]), "default", "A4", CacheSpec(folder=None))
    (diagram,) = planned.diagrams
    svg = draw(diagram.source, "svg", None, CacheSpec(folder=None)).data
    width, height = (float(x) for x in re.search(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    box_w, box_h = Geometry.for_page("A4").figure_box_pt(diagram.landscape)
    assert width <= box_w + 1 and height <= box_h + 1
    assert "</TR><TR>" in diagram.source.split("Answers", 1)[1][:4000]  # the legend in two rows
    assert smallest_text_pt(diagram.source) * svg_scale(svg) >= MIN_READABLE_PT
    assert "Ending the war" not in diagram.source and "Each arrow is" not in diagram.source


def test_untitled_drawing_keeps_its_legend_and_the_pack_caption_says_how_to_read_it(flood):
    """A pack names the comparison in its heading and caption: the drawing keeps only the legend."""
    from argbrief.packs._parts import FigureNumbers, Geometry, RenderedDiagram
    from argbrief.packs.comparison import comparison_section
    from argbrief.render.comparison import READING

    titled, untitled = (comparison_to_dot(flood, titled=t) for t in (True, False))
    assert "Each arrow is" in titled and "Each arrow is" not in untitled
    assert flood.title and escape(flood.title) in titled and escape(flood.title) not in untitled
    for words in ("Answers", "yes", "qualified", "CLASH: one says yes, another no"):
        assert words in untitled
    diagram = RenderedDiagram(name="flood-comparison", title="", svg=b"<svg/>", png=b"", width_pt=400, height_pt=300)
    section = comparison_section(flood, diagram, number="A", geometry=Geometry.for_page("A4"), numbers=FigureNumbers())
    assert section.figure is not None and section.figure.caption.endswith(READING)
