"""The document model (assembly, numbering, figure placement) and the writers' guard rails."""

from __future__ import annotations

import io
import zipfile

import pytest

from argbrief import Config, load_workspace
from argbrief.packs._parts import Geometry, RenderedDiagram, fit_figure
from argbrief.packs.document import assemble

from ._packs_project import MAP_YAML, make_project


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
    assert titles[:5] == [
        (1, "1", "Executive summary"),
        (1, "2", "Comparison of positions"),
        (2, "2.1", "Positions on the questions"),
        (2, "2.2", "What each stance rests on"),
        (1, "3", "Position: Extend the trial"),
    ]
    assert titles[-1] == (1, "4", "Evidence register")
    assert [h.text for h in doc.toc()] == [
        "Executive summary", "Comparison of positions", "Positions on the questions", "What each stance rests on",
        "Position: Extend the trial", "Should the council try a four-day week?", "Evidence register",
    ]
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


def test_summary_outline_evidence_and_register(ws):
    pack = ws.packs["example"]
    doc = assemble(ws, pack, diagrams={})
    (entry,) = doc.summary
    assert entry.title == "Extend the trial"
    assert entry.thesis == "The council should extend its four-day week trial before deciding."
    assert entry.reasons == ("Work got done faster", "Staff stayed")
    assert [r.actor for r in entry.recommendations] == ["Council leadership"]
    (m,) = doc.map_sections()
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
    landscape, width = fit_figure(700, 300, a4)  # 6.9pt text in portrait: still readable
    assert not landscape and width == a4.content_width_mm
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
