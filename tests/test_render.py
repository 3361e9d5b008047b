"""Map diagrams: what is drawn, read back from the SVG (parsed as XML), the DOT and the PDF."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from io import BytesIO

import pytest
from pypdf import PdfReader

from argbrief import Config, load_workspace
from argbrief.model import ArgumentMap, Evidence, Premise, Thesis
from argbrief.render import RenderOptions, map_to_dot, map_view, render_map, split_views
from argbrief.render.page import PAPER
from argbrief.render.theme import KIND_NAMES
from argbrief.render.view import NODE_KINDS

from .conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "render"
SVG = "{http://www.w3.org/2000/svg}"
DEMO_MAPS = (
    "china-fools-errand",
    "navalnyism",
    "putin-wants",
    "quick-ceasefire",
    "turkey-russia-syria",
    "ukraine-survive",
)


@pytest.fixture(scope="module")
def demo():
    ws = load_workspace(Config.discover(REPO))
    return ws.maps


@pytest.fixture(scope="module")
def fixture_maps():
    ws = load_workspace(Config.discover(FIXTURE))
    assert not [d for d in ws.diagnostics if d.severity.value == "error"], ws.diagnostics
    return ws.maps


# --- reading an SVG back -------------------------------------------------------------


def squash(text: str) -> str:
    """Text with all whitespace removed: wrapping only ever breaks at spaces or inside long words."""
    return re.sub(r"\s+", "", text)


def svg_root(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def svg_texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def node_groups(root: ET.Element) -> dict[str, ET.Element]:
    """DOT node id -> its <g class="node">."""
    out = {}
    for g in root.iter(f"{SVG}g"):
        if "node" in (g.get("class") or "").split():
            out[g.find(f"{SVG}title").text] = g
    return out


def drawn_text(node) -> list[str]:
    """The user text a map node shows (the label, the text or quote)."""
    if isinstance(node, Evidence):
        return [node.display_text]
    return [t for t in (getattr(node, "label", ""), node.text) if t]


def assert_each_text_once(amap: ArgumentMap, diagram) -> None:
    root = svg_root(diagram.data)
    everything = squash("".join(svg_texts(root)))
    nodes = amap.nodes()
    for ref in diagram.node_ids:
        for text in drawn_text(nodes[ref]):
            assert everything.count(squash(text)) == 1, (diagram.name, ref, text)


# --- every demo map, every theme and format ------------------------------------------


@pytest.mark.parametrize("mid", DEMO_MAPS)
def test_demo_map_svg_shows_every_node_text_exactly_once(demo, mid):
    amap = demo[mid]
    (diagram,) = render_map(amap, RenderOptions(fmt="svg"))
    assert set(diagram.node_ids) == {w.node.id for w in amap.walk()}
    assert_each_text_once(amap, diagram)
    assert diagram.width_pt > 0 and diagram.height_pt > 0


@pytest.mark.parametrize("theme", ["default", "print", "colorblind"])
def test_every_demo_map_renders_in_every_theme_and_format(demo, theme):
    for mid in DEMO_MAPS:
        for fmt in ("svg", "png", "pdf", "dot"):
            (d,) = render_map(demo[mid], RenderOptions(fmt=fmt, theme=theme, dpi=36))
            assert d.name == mid and d.fmt == fmt and d.data
            if fmt == "png":
                assert d.data.startswith(b"\x89PNG")
            elif fmt == "pdf":
                assert len(PdfReader(BytesIO(d.data)).pages) == 1
            elif fmt == "svg":
                svg_root(d.data)
            else:
                assert d.data.startswith(b"digraph argmap {")


# --- colours ---------------------------------------------------------------------------

_NAMED = {"white": "#ffffff", "black": "#000000"}


def colours_in(text: str) -> set[str]:
    found = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", text)}
    for attr in re.findall(r'(?:fill|stroke|color|bgcolor|fillcolor|fontcolor)="([^"#]+)"', text, re.I):
        if attr not in ("none", "transparent"):
            found.add(_NAMED.get(attr.lower(), attr.lower()))
    return found


def is_grey(colour: str) -> bool:
    return bool(re.fullmatch(r"#([0-9a-f]{2})\1\1", colour))


def test_print_theme_uses_only_greys(demo, fixture_maps):
    options = RenderOptions(theme="print")
    for amap in (*demo.values(), fixture_maps["features"]):
        dot = map_to_dot(amap, options)
        (svg,) = render_map(amap, options)
        colours = colours_in(dot) | colours_in(svg.data.decode())
        assert colours and all(is_grey(c) for c in colours), sorted(c for c in colours if not is_grey(c))


def test_colour_themes_are_not_grey_and_differ(fixture_maps):
    amap = fixture_maps["features"]
    default = colours_in(map_to_dot(amap, RenderOptions(theme="default")))
    colorblind = colours_in(map_to_dot(amap, RenderOptions(theme="colorblind")))
    okabe_ito = {"#e69f00", "#56b4e9", "#009e73", "#0072b2", "#d55e00", "#cc79a7"}
    assert okabe_ito <= colorblind
    assert default != colorblind and any(not is_grey(c) for c in default)


def test_kinds_and_relations_are_told_apart_without_colour(fixture_maps):
    """Strip every colour from the DOT: the kinds and the relations must still differ."""
    dot = map_to_dot(fixture_maps["features"], RenderOptions(theme="print"))
    edge_styles = set()
    for tail, head, attrs in re.findall(r"^(\w+) -> (\w+) \[(.*)\];$", dot, re.M):
        if "invis" in attrs:
            continue
        style = re.search(r'style="?(\w+)', attrs)
        arrow = re.search(r"arrow(?:head|tail)=\"?(\w+)", attrs)
        edge_styles.add((style.group(1) if style else "solid", arrow.group(1) if arrow else None))
    # supports, attack, undercut, also_supports, also_attacks, follows (and the plain
    # half of an undercut inference arrow, drawn without a head).
    assert {("solid", "normal"), ("dashed", "tee"), ("dashed", "teetee"), ("dotted", "onormal"),
            ("dotted", "tee")} <= edge_styles  # recommendations have no arrows: they name their grounds


# --- legend ----------------------------------------------------------------------------


def legend_words(diagram) -> set[str]:
    words = set(KIND_NAMES.values())
    return {t.strip() for t in svg_texts(svg_root(diagram.data))} & words


def test_legend_lists_exactly_the_kinds_present(fixture_maps):
    full = fixture_maps["features"]
    (d,) = render_map(full, RenderOptions())
    assert legend_words(d) == set(KIND_NAMES.values())  # this map has every kind, and a group

    small = ArgumentMap(
        id="small",
        title="Small",
        thesis=Thesis(id="T", text="A thesis.", premises=(Premise(id="P1", text="A premise."),)),
    )
    (d,) = render_map(small, RenderOptions())
    assert legend_words(d) == {"Thesis", "Premise"}
    texts = [t.strip() for t in svg_texts(svg_root(d.data))]
    assert "supports" in texts and "attacks" not in texts


def test_legend_does_not_repeat_user_text(fixture_maps):
    amap = fixture_maps["features"]
    (d,) = render_map(amap, RenderOptions())
    assert_each_text_once(amap, d)


# --- splitting -------------------------------------------------------------------------


@pytest.mark.parametrize("mid", ["putin-wants", "quick-ceasefire"])
def test_split_covers_every_node_and_each_diagram_shows_its_text_once(demo, mid):
    amap = demo[mid]
    diagrams = render_map(amap, RenderOptions(split="always"))
    assert len(diagrams) > 2
    assert diagrams[0].name == mid and all(d.name.startswith(f"{mid}-") for d in diagrams[1:])
    covered = Counter(ref for d in diagrams for ref in d.node_ids)
    assert set(covered) == {w.node.id for w in amap.walk()}
    for d in diagrams:
        assert_each_text_once(amap, d)
    # A detail names its overview, and the overview says what each branch hides.
    overview = squash(" ".join(svg_texts(svg_root(diagrams[0].data))))
    for d in diagrams[1:]:
        assert squash(f"see diagram {d.name}") in overview
        assert squash(f"see diagram {mid}") in squash(" ".join(svg_texts(svg_root(d.data))))


def test_auto_split_happens_only_when_the_page_would_be_unreadable(demo, fixture_maps):
    big = demo["putin-wants"]
    assert len(render_map(big, RenderOptions(fmt="dot", split="auto"))) == 1  # no page: nothing to fit
    assert len(render_map(big, RenderOptions(fmt="dot", split="auto", page="A4"))) > 1
    # Eleven boxes fit A3 with every text at 7 pt or more; on A4 they do not.
    assert len(render_map(fixture_maps["features"], RenderOptions(fmt="dot", split="auto", page="A3"))) == 1
    assert len(render_map(fixture_maps["features"], RenderOptions(fmt="dot", split="auto", page="A4"))) > 1


def test_split_view_keeps_groups_and_undercuts_whole(fixture_maps):
    view = map_view(fixture_maps["features"])
    overview, *details = split_views(view)
    # Only P1 has something below its top box; the linked group stays whole in the overview.
    assert [d.name for d in details] == ["features-P1"]
    assert [len(c.node_ids) for c in overview.clusters] == [2]
    p1 = details[0]
    assert any(n.kind == "junction" for n in p1.nodes)  # the undercut of P1's inference is drawn there
    assert not any(n.kind == "junction" for n in overview.nodes)
    assert p1.nodes[0].kind == "stub" and p1.nodes[0].tag == "THESIS T"
    # The overview redraws the recommendation's arrows from the visible boxes only.
    assert {(e.source, e.target) for e in overview.edges if e.relation == "follows"} <= {
        (s, t) for s in {n.id for n in overview.nodes} for t in {n.id for n in overview.nodes}
    }


# --- pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["A4", "Letter"])
def test_pdf_pages_are_whole_sheets_in_the_right_orientation(demo, page):
    short, long = PAPER[page]
    for d in render_map(demo["putin-wants"], RenderOptions(fmt="pdf", page=page, split="auto")):
        reader = PdfReader(BytesIO(d.data))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        size = sorted((float(box.width), float(box.height)))
        assert abs(size[0] - short) < 2 and abs(size[1] - long) < 2, (d.name, size)


def test_svg_fits_the_printable_box_and_turns_wide_drawings_landscape(demo):
    short, long = PAPER["A4"]
    for d in render_map(demo["quick-ceasefire"], RenderOptions(page="A4", split="auto")):
        w, h = d.width_pt, d.height_pt
        if w > h:
            assert w <= long - 72 + 1 and h <= short - 72 + 1, (d.name, w, h)
        else:
            assert w <= short - 72 + 1 and h <= long - 72 + 1, (d.name, w, h)


# --- wrapping --------------------------------------------------------------------------


def test_wrap_width_really_changes_the_layout(fixture_maps):
    amap = fixture_maps["features"]
    narrow, wide = (render_map(amap, RenderOptions(wrap=w))[0] for w in (16, 60))
    assert wide.width_pt > narrow.width_pt * 1.3
    assert narrow.height_pt > wide.height_pt

    def longest_line(d) -> int:
        return max(len(t) for t in svg_texts(svg_root(d.data)) if "Peak" in t or "hours" in t)

    assert longest_line(narrow) <= 16 < longest_line(wide) <= 60


# --- determinism -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["dot", "svg", "png", "pdf"])
def test_same_map_same_bytes(demo, fmt):
    options = RenderOptions(fmt=fmt, page="A4", split="auto", dpi=36)
    first = render_map(demo["navalnyism"], options)
    second = render_map(demo["navalnyism"], options)
    assert [d.data for d in first] == [d.data for d in second]


def test_svg_has_no_varying_ids_or_comments(demo):
    (d,) = render_map(demo["turkey-russia-syria"], RenderOptions())
    text = d.data.decode()
    comments = re.findall(r"<!--(.*?)-->", text, re.S)
    # Graphviz's version line and node ids (n0, n1 ...) are the only comments.
    assert all(re.fullmatch(r"\s*(Generated by graphviz version [^\n]*\s*|Title: argmap Pages: 1|\w+|\w+&#45;&gt;\w+)\s*", c) for c in comments), comments


def test_node_ids_in_dot_are_generated_never_user_text(fixture_maps):
    dot = map_to_dot(fixture_maps["hostile"])
    ids = re.findall(r"^(\w+) \[", dot, re.M)
    assert ids and all(re.fullmatch(r"n\d+|j\d+|legend|node|edge|graph", i) for i in ids), ids


def test_evidence_shows_a_short_citation(demo):
    (d,) = render_map(demo["quick-ceasefire"], RenderOptions())
    texts = squash(" ".join(svg_texts(svg_root(d.data))))
    assert squash("— Will Ukraine Survive?, para") in texts


def test_kind_tags_name_every_node(fixture_maps):
    amap = fixture_maps["features"]
    (d,) = render_map(amap, RenderOptions())
    texts = {t.strip() for t in svg_texts(svg_root(d.data))}
    for w in amap.walk():
        tag = f"{w.node.kind.upper()} {w.node.id}"
        assert any(t.startswith(tag) for t in texts), tag
    assert set(NODE_KINDS) == {w.node.kind for w in amap.walk()}
