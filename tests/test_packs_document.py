"""The document model (assembly, numbering, figure placement) and the writers' guard rails."""

from __future__ import annotations

import io
import zipfile

import pytest

from argbrief import Config, load_workspace
from argbrief.packs._parts import Geometry, RenderedDiagram, fit_figure, make_figure, share_pages
from argbrief.packs.document import assemble

from ._packs_project import MAP_YAML, PACK_YAML, make_project


def _diagram(name: str, w: float, h: float, scale: float = 1.0, nodes: tuple[str, ...] = ()) -> RenderedDiagram:
    return RenderedDiagram(
        name=name, title=name, svg=b"<svg/>", png=b"", width_pt=w, height_pt=h, text_scale=scale, node_ids=nodes
    )


@pytest.fixture
def ws(tmp_path):
    return load_workspace(Config.discover(make_project(tmp_path / "p")))


def test_headings_are_numbered_in_reading_order(ws):
    from argbrief.compare import compare_workspace

    pack = ws.packs["example"]
    doc = assemble(ws, pack, diagrams={"four-day-week": (_diagram("four-day-week", 400, 300),)}, comparison=compare_workspace(ws, pack))
    titles = [(h.level, h.number, h.text) for h in doc.headings()]
    # The front section first (unnumbered), then lettered annexes.
    assert titles[:5] == [
        (1, "", "Summary"),
        (2, "", "Bottom line"),
        (2, "", "Options"),
        (2, "", "Recommendations by actor"),
        (2, "", "Sources"),
    ]
    assert titles[5:9] == [
        (1, "Annex A", "Comparison of positions"),
        (2, "A.1", "Positions on the questions"),
        (2, "A.2", "What each stance rests on"),
        (1, "Annex B", "Position: Extend the trial"),
    ]
    assert titles[-1] == (1, "Annex C", "Sources and evidence register")
    assert [h.text for h in doc.toc()] == [
        "Summary", "Bottom line", "Options", "Recommendations by actor", "Sources",
        "Comparison of positions", "Positions on the questions", "What each stance rests on",
        "Position: Extend the trial", "Should the council try a four-day week?", "Sources and evidence register",
    ]
    assert doc.annex_anchor == "comparison"
    anchors = [h.anchor for h in doc.headings()]
    assert len(anchors) == len(set(anchors))
    assert doc.geometry.page == "Letter" and doc.meta.marking == "OFFICIAL-SENSITIVE"
    assert doc.meta.created.isoformat() == "2025-01-15T00:00:00+00:00"


def test_the_comparison_says_what_each_stance_rests_on(ws):
    from argbrief.compare import compare_workspace

    pack = ws.packs["example"]
    doc = assemble(ws, pack, diagrams={}, comparison=compare_workspace(ws, pack))
    (row,) = doc.comparison.basis
    assert row.question == "Does a four-day week keep service fast?"
    (line,) = row.lines
    # No quote of its own: the thesis's first quoted evidence, with its locator and citation.
    assert (line.position, line.word, line.claim_id) == ("Extend the trial", "Yes", "T")
    assert (line.quote, line.locator, line.citation) == ("decided planning applications 9% faster", "para 1", "Council HR, Trial report")


def test_the_bottom_line_of_a_pack_with_one_position_and_one_question_reads_well(ws):
    from argbrief.compare import compare_workspace

    pack = ws.packs["example"]
    assert len(pack.positions) == 1 and len(pack.questions) == 1
    comparison = assemble(ws, pack, diagrams={}, comparison=compare_workspace(ws, pack)).comparison
    assert [f.lead for f in comparison.bottom_line] == [
        "The pack sets out one position on 1 question: no other position to clash with."]


def test_front_section_outline_evidence_and_register(ws):
    pack = ws.packs["example"]
    doc = assemble(ws, pack, diagrams={})
    front = doc.front
    # No analyst's bottom line and no comparison: the bottom line part is left out.
    assert front.bottom_line == "" and front.bottom_line_heading is None
    (option,) = front.options.rows
    assert option.label == "Extend the trial" and not front.options.appraised
    assert option.summary == "The council should extend its four-day week trial before deciding."
    (actor,) = front.actions
    assert actor.actor == "Council leadership"
    assert [(i.side, i.text) for i in actor.items] == [("Extend the trial", "Extend the trial to two more departments.")]
    assert front.sources.rows[0].title == "Trial report" and front.sources.rows[0].date == "no date"
    (m,) = doc.map_sections()
    assert m.heading.number == "A.1"  # no comparison: the position is the first annex
    assert [(e.number, e.kind_label, e.node_id) for e in m.outline] == [
        ("", "Thesis", "T"),
        ("1", "Premise", "P1"),
        ("1.1", "Evidence", "E1"),
        ("2", "Premise", "P2"),
        ("2.1", "Evidence", "E2"),
        ("3", "Objection", "O1"),
        ("3.1", "Rebuttal", "B1"),
        ("3.1.1", "Evidence", "E3"),
    ]
    assert m.outline[2].details == ("para 1 \u00b7 strong",)
    assert [(e.node_id, e.locator, e.supports) for e in m.evidence][0] == ("E1", "para 1", "P1 Work got done faster")
    assert m.evidence[0].source == "Council HR, Trial report"
    (source,) = doc.register
    assert source.citation == "Council HR, Trial report"
    assert source.uses[0].claims == ("P1 Work got done faster", "P2 Staff stayed", "B1 A rota kept offices open")
    assert m.recommendations[0].because == ("P1 Work got done faster", "P2 Staff stayed")


DECISION_PACK = PACK_YAML + """\
purpose: Decide on the trial.
decision: Whether to extend the four-day week to two more departments.
bottom_line: Extend the trial; the evidence is one office's, so measure again.
yardstick: phia
judgements:
  - id: J1
    text: Service will stay as fast in the two new departments.
    likelihood: likely or probably
    confidence: low
    basis:
      - four-day-week:P1
      - four-day-week:E3
  - id: J2
    text: Staff will stay longer.
    likelihood: realistic possibility
    confidence: moderate
    basis:
      - four-day-week:T
indicators:
  - id: I1
    text: Sick days rise in the new departments.
    judgement: J2
    direction: lowers
currency_months: 6
"""


def test_front_section_of_a_decision_pack(tmp_path):
    """Judgements with their yardstick term and range, basis cross-references, indicators, dated sources."""
    map_yaml = MAP_YAML.replace(
        "  author: Council HR\n",
        "  author: Council HR\n  date: 2024-03\n  date_basis: inferred\n  date_note: The trial ran in the winter.\n"
        "  kind: official\n  reliability: high\n",
    )
    pack_yaml = DECISION_PACK.replace("positions:\n  - id: extend-trial\n    label: Extend the trial\n", (
        "positions:\n  - id: extend-trial\n    label: Extend the trial\n    appraisal:\n"
        "      cost: {rating: low, text: No new money.}\n      risk: {rating: medium, text: Service might slip.}\n"
        "      feasibility: {rating: high, text: Staff want it.}\n      reversibility: {rating: high, text: End it any month.}\n"
    ))
    ws = load_workspace(Config.discover(make_project(tmp_path / "p", map_yaml=map_yaml, pack_yaml=pack_yaml)))
    assert not [d.format() for d in ws.diagnostics if str(d.severity) == "error"]
    diagrams = (
        _diagram("four-day-week", 760, 300, 0.5, ("T", "P1", "P2", "O1", "R1")),
        _diagram("four-day-week-P1", 400, 500, nodes=("P1", "E1")),
        _diagram("four-day-week-O1", 400, 300, nodes=("O1", "B1", "E3")),
    )
    doc = assemble(ws, ws.packs["example"], diagrams={"four-day-week": diagrams})
    f = doc.front
    assert (f.purpose, f.decision) == ("Decide on the trial.", "Whether to extend the four-day week to two more departments.")
    assert f.bottom_line.startswith("Extend the trial;") and f.findings == ()
    j1, j2 = f.judgements
    assert (j1.number, j1.likelihood, j1.range, j1.confidence) == (1, "likely or probably", "55\u201375\u00a0%", "low")
    assert (j2.likelihood, j2.range) == ("realistic possibility", "40\u201350\u00a0%")
    # Basis: the node's label, the position that argues it, and the figure that draws it in full.
    (p1, e3) = j1.basis
    assert (p1.claim, p1.side, p1.where.label, p1.where.anchor) == ("Work got done faster", "Extend the trial", "Figure\u00a02", "fig-four-day-week-P1")
    assert e3.claim == "\u201cevery office stayed open five days a week\u201d" and e3.where.label == "Figure\u00a03"
    assert j2.basis[0].where.label == "Figure\u00a01"  # the thesis: in the overview
    assert f.legend.name == "PHIA" and ("realistic possibility", "40\u201350\u00a0%") in f.legend.bands
    assert ("likely or probably / likely or probable", "55\u201375\u00a0%") not in f.legend.bands
    (ind,) = f.indicators
    assert (ind.judgement_number, ind.judgement_anchor, ind.symbol, ind.word) == (2, "judgement-2", "\u25bc", "Lowers")
    (row,) = f.options.rows
    assert f.options.appraised and [(c.dimension, c.rating, c.symbol, c.word) for c in row.cells] == [
        ("cost", "low", "\u25cf\u25cb\u25cb", "Low"),
        ("risk", "medium", "\u25cf\u25cf\u25cb", "Medium"),
        ("feasibility", "high", "\u25cf\u25cf\u25cf", "High"),
        ("reversibility", "high", "\u25cf\u25cf\u25cf", "High"),
    ]
    (src,) = f.sources.rows
    assert (src.date, src.inferred, src.age, src.stale) == ("March 2024", True, "10 months", True)
    assert any("more than 6 months older than the pack" in line for line in f.sources.summary)
    (entry,) = doc.register
    assert entry.provenance == "Dated March 2024 (inferred) \u00b7 official \u00b7 reliability high"
    assert entry.date_note == "The trial ran in the winter."
    assert [h.text for h in f.headings()] == [
        "Summary", "Purpose and decision", "Bottom line", "Key judgements", "Options",
        "Recommendations by actor", "Indicators to watch", "Sources",
    ]


def test_linked_premises_and_undercuts_are_labelled(tmp_path):
    linked = MAP_YAML.replace(
        """  premises:
    - id: P1""",
        """  premises:
    - group:
        - id: G1
          label: One half
          text: One half of a linked pair.
        - id: G2
          label: Other half
          text: The other half.
    - id: P1""",
    ).replace("      rebuttals:\n        - id: B1", "      rebuttals:\n        - id: B1\n          relation: undercut")
    ws = load_workspace(Config.discover(make_project(tmp_path / "p", map_yaml=linked)))
    m = assemble(ws, ws.packs["example"], diagrams={}).map_sections()[0]
    by_id = {e.node_id: e for e in m.outline}
    assert by_id["G1"].kind_label == "Linked premise" and by_id["G1"].details == ("only together with G2",)
    assert by_id["B1"].kind_label == "Rebuttal (undercut)"


def test_split_maps_get_an_overview_and_detail_captions(ws):
    diagrams = (
        _diagram("four-day-week", 760, 300, 0.5, ("T", "P1", "P2", "O1", "R1")),
        _diagram("four-day-week-P1", 400, 500, nodes=("P1", "E1")),
        _diagram("four-day-week-O1", 400, 300, nodes=("O1", "B1", "E3")),
    )
    doc = assemble(ws, ws.packs["example"], diagrams={"four-day-week": diagrams})
    figs = doc.figures()
    assert [f.number for f in figs] == [1, 2, 3]
    assert figs[0].caption.startswith("Overview of the argument map")
    assert figs[1].caption == "Premise P1: Work got done faster, in full (detail of Figure 1)."
    assert figs[2].caption == "Objection O1: Offices closed on Fridays, in full (detail of Figure 1)."
    assert figs[0].landscape and not figs[1].landscape
    assert "showing 1 premise, 1 evidence item." in figs[1].alt
    assert "with the thesis \u2018Extend the trial\u2019 at the top and 2 premises, 1 objection, 1 recommendation below it" in figs[0].alt


def test_fit_figure_scales_down_never_up_and_turns_wide_diagrams():
    a4 = Geometry.for_page("A4")
    assert fit_figure(200, 100, a4) == (False, round(200 * 25.4 / 72, 1))  # small: natural size
    landscape, width = fit_figure(540, 300, a4)  # 8 pt text at 7.1 pt in portrait: still legible
    assert not landscape and width == pytest.approx(a4.figure_box_pt()[0] * 25.4 / 72, abs=0.1)
    assert width < a4.content_width_mm  # the outer strokes stay inside the text block
    # A drawing planned for the pack's box keeps the orientation it was planned for.
    assert fit_figure(700, 300, a4, landscape=True) == (True, round(700 * 25.4 / 72, 1))
    assert fit_figure(470, 300, a4, landscape=False) == (False, round(470 * 25.4 / 72, 1))
    landscape, width = fit_figure(769, 300, a4, text_scale=0.5)  # already shrunk: needs the width
    assert landscape and width <= a4.landscape_content_width_mm
    landscape, width = fit_figure(500, 2000, a4)  # tall: limited by the height, stays portrait
    assert not landscape and width < 60
    letter = Geometry.for_page("Letter")
    assert letter.css_size == "letter" and letter.content_width_mm == pytest.approx(175.9)


def test_a_reference_docx_without_a_style_is_a_clear_error(tmp_path, run_cli):
    import docx

    from argbrief.packs.html import builtin_templates

    root = make_project(tmp_path / "p")
    (root / "templates").mkdir()
    word = docx.Document(str(builtin_templates() / "reference.docx"))
    style = word.styles["Node Id"].element
    style.getparent().remove(style)
    word.save(str(root / "templates" / "reference.docx"))
    code, _, err = run_cli("build", "--format", "docx", cwd=root)
    assert code == 1
    assert "reference.docx" in err and "'Node Id' (character style) is missing" in err
    assert not (root / "exports").exists()


def test_a_broken_template_is_a_clear_error(tmp_path, run_cli):
    root = make_project(tmp_path / "p")
    (root / "templates").mkdir()
    (root / "templates" / "pack.html.j2").write_text("<h1>{{ doc.meta.titel }}</h1>", encoding="utf-8")
    code, _, err = run_cli("build", "--format", "html", cwd=root)
    assert code == 1 and "titel" in err
    (root / "templates" / "pack.html.j2").write_text("{% if %}", encoding="utf-8")
    code, _, err = run_cli("build", "--format", "html", cwd=root)
    assert code == 1 and "template syntax error" in err


def test_docx_package_is_normalised():
    from argbrief.packs.docx import normalise_docx

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<a/>")
        z.writestr("[Content_Types].xml", "<b/>")
        z.writestr("_rels/.rels", "<c/>")
    data = normalise_docx(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert normalise_docx(data) == data


def test_reference_docx_is_what_the_script_makes(tmp_path):
    """The packaged reference.docx is committed; the script regenerates it byte for byte."""
    import subprocess
    import sys

    from argbrief.packs.html import builtin_templates

    from .conftest import REPO

    out = tmp_path / "reference.docx"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_reference_docx.py"), str(out)], check=True, capture_output=True)
    assert out.read_bytes() == (builtin_templates() / "reference.docx").read_bytes()


def test_a_front_section_longer_than_three_pages_is_a_warning(tmp_path):
    from argbrief.builder import plan_build, render_pack

    many = "".join(
        f"""  - id: J{i}
    text: {"The trial office will keep deciding applications faster than the others, week after week. " * 3}
    likelihood: likely
    confidence: low
    basis:
      - four-day-week:P1
      - four-day-week:P2
"""
        for i in range(1, 31)
    )
    pack = PACK_YAML + "bottom_line: Extend it.\njudgements:\n" + many
    ws = load_workspace(Config.discover(make_project(tmp_path / "p", pack_yaml=pack)))
    result = render_pack(ws, plan_build(ws, formats=["pdf"])[0])
    (warning,) = [d for d in result.diagnostics if d.code == "build.front-too-long"]
    assert warning.span.file.endswith("example.yaml")
    assert "the front section of pack 'example' runs to" in warning.message and "(3 at most)" in warning.message
    assert result.artifacts  # the PDF is still made


def test_bad_judgements_stop_the_build_and_write_nothing(tmp_path, run_cli):
    pack = PACK_YAML + """bottom_line: Extend it.
judgements:
  - id: J1
    text: Service will stay fast.
    likelihood: pretty likely
    confidence: sure
    basis:
      - four-day-week:P9
indicators:
  - id: I1
    text: Waiting times rise.
    judgement: J2
    direction: up
"""
    root = make_project(tmp_path / "p", pack_yaml=pack)
    code, out, err = run_cli("build", cwd=root)
    assert code == 1
    assert "arguments/packs/example.yaml:21:17: error: likelihood 'pretty likely' of judgement 'J1'" in out
    assert "did you mean 'likely' or 'very likely'?" in out
    for code_ in ("judgement.bad-likelihood", "schema.bad-value", "ref.unknown-basis", "ref.unknown-judgement"):
        assert f"[{code_}]" in out
    assert "Traceback" not in err
    assert not (root / "exports").exists()


def test_a_basis_in_a_map_the_pack_misnames_is_never_told_to_take_the_misspelling(tmp_path, run_cli):
    """The position names '../four-day-week' (unknown); a basis naming the real map is not told 'did you mean' it."""
    pack = PACK_YAML.replace("maps: [four-day-week]", "maps: [../four-day-week]") + """bottom_line: Extend it.
judgements:
  - id: J1
    text: Service will stay fast.
    likelihood: likely
    confidence: high
    basis:
      - four-day-week:P1
      - four-day-wek:P1
"""
    root = make_project(tmp_path / "p", pack_yaml=pack)
    code, out, _ = run_cli("check", cwd=root)
    assert code == 1 and "did you mean '../four-day-week'" not in out, out
    assert ("basis 'four-day-week:P1' of judgement 'J1' names map 'four-day-week', which the pack does not use "
            "(map 'four-day-week' is in the project: add it to the maps of the position it belongs to)") in out
    assert "basis 'four-day-wek:P1' of judgement 'J1' names map 'four-day-wek', which the pack does not use (the pack's maps:" in out


def _figure(number: int, width_pt: float, height_pt: float, smallest_pt: float = 9.0, landscape: bool = False):
    diagram = RenderedDiagram(name=f"d{number}", title="", svg=b"", png=b"", width_pt=width_pt, height_pt=height_pt,
                              smallest_pt=smallest_pt, landscape=landscape)
    return make_figure(diagram, number=number, caption="", alt="", geometry=Geometry.for_page("A4"))


def test_two_figures_a_little_over_half_a_page_share_one():
    """Printed a little smaller (their text still at the floor or above), two such figures fill one page."""
    geometry = Geometry.for_page("A4")
    a, b, c = _figure(1, 300, 380), _figure(2, 300, 360), _figure(3, 300, 360)
    assert a.print_height_mm + b.print_height_mm > geometry.content_height_mm - 36  # too tall together
    shared = share_pages((a, b, c), geometry)
    assert shared[0].print_height_mm + shared[1].print_height_mm <= geometry.content_height_mm - 36
    for before, after in zip((a, b), shared[:2], strict=True):
        assert after.print_width_mm < before.print_width_mm and after.print_width_mm >= after.min_width_mm
        assert 9.0 * after.print_width_mm / (300 * 25.4 / 72) >= 7.0  # the smallest text in print
    assert shared[2] == c  # the third has no neighbour left to pair with


def test_figures_never_shrink_below_the_floor_or_off_a_landscape_page():
    geometry = Geometry.for_page("A4")
    small_text = (_figure(1, 300, 380, smallest_pt=7.2), _figure(2, 300, 360, smallest_pt=7.2))
    assert share_pages(small_text, geometry) == small_text  # 7.2 pt cannot lose a fifth
    turned = (_figure(1, 300, 380, landscape=True), _figure(2, 300, 360))
    assert share_pages(turned, geometry) == turned
    fit = (_figure(1, 300, 200), _figure(2, 300, 200))
    assert share_pages(fit, geometry) == fit  # they share a page as they are
