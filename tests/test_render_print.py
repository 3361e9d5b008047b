"""Diagrams for print: one PDF per map, the legibility floor measured on the page, references, the worksheet."""

from __future__ import annotations

import io
import re

import attrs
import pdfplumber
import pytest
from pypdf import PdfReader

from argbrief import Config, load_workspace
from argbrief.cli import main
from argbrief.render import PAGE_REFS, RefStyle, RenderOptions, map_view, plan_drawings
from argbrief.render.mapview import tree
from argbrief.render.page import smallest_text_pt
from argbrief.render.split import relabel, renumbered_svgs
from argbrief.render.worksheet import Blanks

from .conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "render"


@pytest.fixture(scope="module")
def demo():
    return load_workspace(Config.discover(REPO)).maps


@pytest.fixture(scope="module")
def features():
    return load_workspace(Config.discover(FIXTURE)).maps["features"]


def glyph_sizes(data: bytes) -> list[float]:
    """The smallest glyph of each page of a PDF, as pdfplumber reads it (font size times the page's scale)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [min(c["size"] for c in page.chars if c["text"].strip()) for page in pdf.pages]


def page_texts(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def putin_pdf(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("print") / "pw.pdf"
    code = main(["-C", str(REPO), "render", "putin-wants", "--theme", "print", "--page", "A4", "-o", str(out),
                 "--no-cache"])
    assert code == 0
    return out


def test_a_split_map_is_one_pdf_with_every_glyph_at_7pt_or_more(putin_pdf):
    assert sorted(p.name for p in putin_pdf.parent.iterdir()) == ["pw.pdf"]
    sizes = glyph_sizes(putin_pdf.read_bytes())
    assert len(sizes) > 1
    assert min(sizes) >= 7.0, sizes


def test_pages_refer_to_each_other_by_page_number_and_bookmarks_name_the_branches(putin_pdf):
    data = putin_pdf.read_bytes()
    texts = page_texts(data)
    reader = PdfReader(io.BytesIO(data))
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[0].startswith("p. 1: ")
    flat = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                flat.append((item.title, reader.get_destination_page_number(item)))

    walk(outline)
    assert len(flat) == len(texts)  # a bookmark per page, on its page
    for title, page in flat:
        assert title.startswith(f"p. {page + 1}: ")
    assert any(re.match(r"p\. \d+: branch P\d", t) for t, _ in flat)
    # The overview says where each branch continues; every branch says where it comes from.
    continued = {int(n) for n in re.findall(r"continued on p\. (\d+)", texts[0])}
    assert continued and continued <= set(range(2, len(texts) + 1))
    for text in texts[1:]:
        assert re.search(r"back to (overview|branch \S+)(, continued)?, p\. \d+", text), text[:200]


def test_every_node_is_drawn_in_full_on_some_page(demo):
    amap = demo["navalnyism"]
    drawings = plan_drawings(amap, RenderOptions(fmt="pdf", theme="print", page="A4", split="auto"), refs=PAGE_REFS)
    drawn = [ref for d in drawings for ref in d.view.node_refs]
    assert sorted(set(drawn)) == sorted(amap.nodes())
    assert len(drawn) == len(set(drawn))  # once each


def test_a_branch_too_big_is_split_again_with_references(demo):
    """Recursion: some drawing continues a drawing that is not the overview."""
    drawings = plan_drawings(demo["putin-wants"], RenderOptions(fmt="svg", theme="print", page="A4", split="auto"))
    names = {d.name for d in drawings}
    nested = [d for d in drawings if d.parent and d.parent != drawings[0].name]
    assert nested and all(d.parent in names for d in nested)
    for d in drawings:
        assert d.fit is not None and d.fit.legible(7.0)
        # the rule's measure agrees with the DOT: every font size times the scale
        assert d.smallest_pt == pytest.approx(smallest_text_pt(d.source) * d.fit.scale)


def test_a_higher_floor_gives_more_drawings_and_a_lower_one_fewer(features):
    counts = [len(plan_drawings(features, RenderOptions(fmt="dot", page="A4", split="auto", min_font=f)))
              for f in (5.0, 7.0, 8.0)]
    assert counts[0] <= counts[1] <= counts[2] and counts[0] < counts[2]


def test_caller_words_for_references(features):
    refs = RefStyle(onward="see Figure {number}", back="Figure {number} ({part})", first_number=7)
    drawings = plan_drawings(features, RenderOptions(fmt="dot", page="A4", split="auto"), refs=refs)
    assert len(drawings) > 1
    assert "see Figure 8" in drawings[0].source
    assert "Figure 7 (overview)" in drawings[1].source
    texts = RefStyle(texts={drawings[1].name: "Figure 12, p. 40"})
    again = plan_drawings(features, RenderOptions(fmt="dot", page="A4", split="auto"), refs=texts)
    assert "Figure 12, p. 40" in again[0].source


def test_relabel_gives_the_same_layouts_new_words(features):
    """A pack plans with placeholder numbers and names its own figure numbers afterwards."""
    options = RenderOptions(fmt="svg", page="A4", split="auto")
    planned = RefStyle(onward="continued in Figure {number}", back="continues Figure {number}", first_number=100)
    drawings = plan_drawings(features, options, box_pt=(480.0, 640.0), refs=planned)
    assert len(drawings) > 1
    assert relabel(drawings, planned) == tuple(d.source for d in drawings)  # the same words: the same DOT
    final = relabel(drawings, attrs.evolve(planned, first_number=12))
    numbers = [{int(n) for n in re.findall(r"Figure (\d+)", s)} for s in final]
    assert numbers[0] and all(12 < n < 12 + len(drawings) for n in numbers[0])
    assert "continues Figure 12" in final[1]
    # Only the words change: the size attributes (the scale the plan measured) stay.
    size = re.compile(r'size="[^"]*"')
    assert [size.findall(s) for s in final] == [size.findall(d.source) for d in drawings]


def test_renumbered_svgs_change_only_the_numbers(features):
    """A pack's final figure numbers go into the planned SVGs without a second layout."""
    options = RenderOptions(fmt="svg", page="A4", split="auto")
    planned = RefStyle(onward="continued in Figure\u00a0{number}", back="see Figure\u00a0{number}",
                       see="see Figure\u00a0{number}", first_number=100)
    drawings = plan_drawings(features, options, box_pt=(480.0, 640.0), refs=planned)
    assert len(drawings) > 2 and all(d.svg for d in drawings)
    final = renumbered_svgs(drawings, planned, attrs.evolve(planned, first_number=7))
    assert final is not None
    number = re.compile(rb"Figure\xc2\xa0(\d+)")
    for d, svg in zip(drawings, final, strict=True):
        old = [int(n) for n in number.findall(d.svg)]
        assert [int(n) for n in number.findall(svg)] == [n - 93 for n in old]
        assert number.sub(b"N", svg) == number.sub(b"N", d.svg)  # nothing else changed
    assert any(number.search(svg) for svg in final)
    # The same words as the final DOT says (relabel), each number whole on one line.
    relabelled = relabel(drawings, attrs.evolve(planned, first_number=7))
    assert [set(number.findall(svg)) for svg in final] == [
        {n.encode() for n in re.findall("Figure\u00a0(\\d+)", source)} for source in relabelled
    ]


def test_renumbering_needs_numbers_that_say_what_they_are(features):
    """A bare number, or styles that differ in more than the first number, are drawn again instead."""
    options = RenderOptions(fmt="svg", page="A4", split="auto")
    bare = RefStyle(onward="continued on p. {number}", back="p. {number}", see="p. {number}", first_number=100)
    drawings = plan_drawings(features, options, box_pt=(480.0, 640.0), refs=bare)
    assert renumbered_svgs(drawings, bare, attrs.evolve(bare, first_number=3)) is None
    words = RefStyle(onward="in Figure\u00a0{number}", back="Figure\u00a0{number}", see="Figure\u00a0{number}",
                     first_number=100)
    drawings = plan_drawings(features, options, box_pt=(480.0, 640.0), refs=words)
    assert renumbered_svgs(drawings, words, attrs.evolve(words, onward="see Figure\u00a0{number}")) is None
    assert renumbered_svgs(drawings, words, words) == tuple(d.svg for d in drawings)


def test_box_and_floor_for_the_packs(features):
    """Fit a caller's frame instead of a sheet: every drawing fits it at the floor."""
    box = (480.0, 640.0)
    drawings = plan_drawings(features, RenderOptions(fmt="svg", page="A4", split="auto"), box_pt=box, min_font=7.2)
    assert len(drawings) > 1
    for d in drawings:
        width, height = d.fit.drawing_pt
        assert width * d.fit.scale <= box[0] + 0.5 and height * d.fit.scale <= box[1] + 0.5
        assert d.fit.printed_pt >= 7.2


def test_svg_files_are_named_as_the_boxes_say(tmp_path):
    out = tmp_path / "mine.svg"
    assert main(["-C", str(FIXTURE), "render", "features", "--page", "A4", "-o", str(out)]) == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) > 1 and all(f.startswith("mine") for f in files)
    overview = re.sub(r"\s+", "", "".join(re.findall(r">([^<]*)</text>", out.read_text())).replace("&#45;", "-"))
    for f in files:
        if f == out.name:
            continue
        assert f"continuedin{f}" in overview


def test_layout_reads_top_down(features):
    view = map_view(features)
    dot = plan_drawings(features, RenderOptions(fmt="dot"))[0].source
    # Recommendations: in a band of their own, no arrow into it; each names its grounds.
    assert "subgraph cluster_band" in dot and "RECOMMENDATIONS" in dot
    rec = next(n for n in view.nodes if n.kind == "recommendation")
    assert rec.notes == ("follows from P1, P2",)
    assert not [e for e in view.edges if e.target == rec.id or e.source == rec.id]
    # Evidence is held straight under its claim.
    card = next(n for n in view.nodes if n.kind == "evidence")
    assert re.search(rf"{card.parent} -> {card.id} \[[^]]*weight=8", dot)
    # Cross-links draw an arrow only when it points up the page; otherwise a line in the box.
    depth = {n.id: n.depth for n in view.nodes}
    for e in view.edges:
        if not e.constraint:
            assert depth[e.source] > depth[e.target]
    p2 = next(n for n in view.nodes if n.ref == "P2")
    assert "also supports P1" in p2.notes
    assert tree(view).root == (view.nodes[0].id,)


def test_min_font_is_checked(tmp_path):
    assert main(["-C", str(FIXTURE), "render", "features", "--min-font", "2", "-o", str(tmp_path / "x.pdf")]) == 2
    with pytest.raises(Exception, match="min_font"):
        RenderOptions(min_font=40)


def test_verbose_reports_each_page(capsys, tmp_path):
    assert main(["-C", str(FIXTURE), "render", "features", "--page", "A4", "-v", "-o", str(tmp_path / "x.pdf")]) == 0
    err = capsys.readouterr().err
    lines = re.findall(r"^p\. (\d+) \((.*?)\): smallest text (\d+\.\d) pt on paper", err, re.MULTILINE)
    assert [n for n, _, _ in lines] == [str(i) for i in range(1, len(lines) + 1)] and len(lines) > 1
    assert all(float(size) >= 7.0 for _, _, size in lines)


def test_worksheet(tmp_path, features):
    out = tmp_path / "ws.pdf"
    assert main(["-C", str(FIXTURE), "render", "features", "--worksheet", "-o", str(out)]) == 0
    data = out.read_bytes()
    texts = page_texts(data)
    assert min(glyph_sizes(data)) >= 7.0
    sheet = next(i for i, t in enumerate(texts) if "Claim list" in t)
    worksheet, answers = " ".join(texts[:sheet]), " ".join(t for t in texts if t.startswith("Answer sheet"))
    # Rebuttals and evidence are blank on the worksheet, numbered, and in full on the answer sheet.
    assert "REBUTTAL B1" in worksheet and "Too few drivers" not in worksheet
    assert "Commuters lose" not in worksheet and "Commuters lose" in answers and "Too few drivers" in answers
    assert re.search(r"\b1 THESIS T\b", worksheet)
    assert "Cities should price road use" in texts[sheet]  # the claim list gives the shown claims' words
    assert PdfReader(io.BytesIO(data)).pages[0].mediabox.width in (pytest.approx(595.28, abs=1), pytest.approx(841.89, abs=1))


def test_worksheet_by_tag_and_kind_flags():
    assert Blanks.parse(None, None).kinds == ("rebuttal", "evidence")
    assert Blanks.parse(None, "quiz") == Blanks(kinds=(), tag="quiz")
    assert Blanks.parse("Premise, objection", None).kinds == ("premise", "objection")
    with pytest.raises(Exception, match="did you mean 'rebuttal'"):
        Blanks.parse("rebutal", None)


def test_worksheet_usage_errors(tmp_path):
    assert main(["-C", str(FIXTURE), "render", "features", "--blank", "premise"]) == 2
    assert main(["-C", str(FIXTURE), "render", "features", "--worksheet", "-o", str(tmp_path / "x.svg")]) == 2
    assert main(["-C", str(FIXTURE), "render", "features", "--worksheet", "--blank-tag", "nothing-has-it",
                 "-o", str(tmp_path / "x.pdf")]) == 2
    assert not (tmp_path / "x.pdf").exists()


def test_same_map_same_pdf_bytes(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (a, b):
        assert main(["-C", str(FIXTURE), "render", "features", "--page", "A4", "-o", str(out), "--no-cache"]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_stubs_say_where_their_box_is_and_the_band_keeps_its_order(demo):
    drawings = plan_drawings(demo["putin-wants"], RenderOptions(fmt="svg", theme="print", page="A4", split="auto"),
                             refs=PAGE_REFS)
    for d in drawings[1:]:
        assert re.search(r"back to [a-z]+[^<]*, p\. \d+", d.source), d.name  # the header says where it comes from
        if d.view.part == "recommendations":
            continue
        # the stub of the box a branch hangs from says where that box is drawn in full
        assert [n for n in d.view.nodes if n.kind == "stub"], d.name
        assert re.search(r"(back to [a-z]+[^<]*|on) p\. \d+</FONT></TD></TR></TABLE>>", d.source), d.name
    band = next(d for d in drawings if d.view.part == "recommendations")
    order = [n.ref for n in band.view.nodes]
    assert order == sorted(order)
    edges = re.findall(r"(n\d+) -> (n\d+) \[style=invis\]", band.source)
    ids = {n.id: n.ref for n in band.view.nodes}
    assert [(ids[a], ids[b]) for a, b in edges if ids[a][1] < ids[b][1]]  # left-to-right order kept by arrows


def test_a_pdf_to_stdout(capsysbinary):
    assert main(["-C", str(FIXTURE), "render", "features", "--page", "A4", "--format", "pdf", "-o", "-"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) > 1


def test_two_recommendations_too_wide_side_by_side_are_stacked(demo):
    """china-fools-errand's two recommendations printed at 6.7 pt side by side in the pack's figure box:
    the band is tried in rows of one, as it is for three or more."""
    from argbrief.builder.diagrams import CacheSpec, plan_map
    from argbrief.render.page import MIN_READABLE_PT

    planned = plan_map(demo["china-fools-errand"], "default", "A4", CacheSpec(folder=None))
    band = next(d for d in planned.drawings if d.view.part == "recommendations")
    assert len(band.view.last_rank) == 2 and band.laid_view.band_row == 1
    assert all(d.fit.legible(MIN_READABLE_PT) for d in planned.drawings)


def test_renumbering_leaves_the_authors_own_figure_numbers_alone(features):
    """A box that quotes "Figure\u00a0101" itself (a no-break space, as Word writes it) keeps its words.

    The plan's placeholder numbers (100 onwards) would take it for a reference:
    such a plan is drawn again from its relabelled sources instead.
    """
    options = RenderOptions(fmt="svg", page="A4", split="auto")
    planned = RefStyle(onward="continued in Figure\u00a0{number}", back="see Figure\u00a0{number}",
                       see="see Figure\u00a0{number}", first_number=100)
    quoting = attrs.evolve(features, thesis=attrs.evolve(
        features.thesis, text=features.thesis.text + " As Figure\u00a0101 of the report shows."))
    drawings = plan_drawings(quoting, options, box_pt=(480.0, 640.0), refs=planned)
    assert len(drawings) > 2 and b"Figure\xc2\xa0101 of the report" in drawings[0].svg
    assert renumbered_svgs(drawings, planned, attrs.evolve(planned, first_number=7)) is None
    # Without the quote, the same plan is renumbered in place.
    plain = plan_drawings(features, options, box_pt=(480.0, 640.0), refs=planned)
    assert renumbered_svgs(plain, planned, attrs.evolve(planned, first_number=7)) is not None
