"""Checks that keep comparisons honest: unknown questions and maps, unanswered questions,
answers on claims a map argues against."""

from __future__ import annotations

import shutil

import pytest

from argbrief import Config, load_workspace

from .conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "compare" / "basic"


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "p"
    shutil.copytree(FIXTURE, target)
    return target


def _codes(project, code):
    ws = load_workspace(Config.discover(project))
    return [d for d in ws.diagnostics if d.code == code]


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_fixture_has_none_of_these_problems(project):
    for code in ("ref.unknown-question", "pack.unanswered-question", "ref.unknown-map"):
        assert _codes(project, code) == []


def test_answer_to_an_unknown_question(project):
    _edit(project / "arguments" / "beta.yaml", "answers: {clash: \"no\"}", "answers: {clsah: \"no\"}")
    (d,) = _codes(project, "ref.unknown-question")
    assert d.format().endswith(
        "error: premise 'P1' answers unknown question 'clsah' (did you mean 'clash'?) [ref.unknown-question]"
    )
    assert d.span.file.endswith("beta.yaml") and d.span.line == 16


def test_pack_question_nobody_answers(project):
    _edit(
        project / "arguments" / "packs" / "flood.yaml",
        "  - id: opposed\n",
        "  - id: insurance\n    text: Did insurance pay?\n  - id: opposed\n",
    )
    (d,) = _codes(project, "pack.unanswered-question")
    assert "no map of pack 'flood' answers question 'insurance'" in d.message
    assert d.span.file.endswith("flood.yaml") and d.span.line == 25


def test_position_naming_an_unknown_map(project):
    _edit(project / "arguments" / "packs" / "flood.yaml", "maps: [beta, beta2]", "maps: [beta, betta2]")
    (d,) = _codes(project, "ref.unknown-map")
    assert "pack 'flood' names unknown map 'betta2'" in d.message
    assert d.hint == "did you mean 'beta2'?"
    assert d.span.file.endswith("flood.yaml") and (d.span.line, d.span.column) == (10, 18)


def test_a_map_named_twice_in_a_pack(project):
    """Twice in one position (the pack would show it twice), or in two positions: id.duplicate at the second."""
    pack = project / "arguments" / "packs" / "flood.yaml"
    _edit(pack, "maps: [beta, beta2]", "maps: [beta, beta2, beta]")
    (d,) = _codes(project, "id.duplicate")
    assert d.format().endswith("error: map 'beta' is listed twice in position 'beta' (first at line 10) [id.duplicate]")
    assert (d.span.line, d.span.column) == (10, 25)
    _edit(pack, "maps: [beta, beta2, beta]", "maps: [beta, beta2]")
    _edit(pack, "maps: [gamma]", "maps: [gamma, alpha]")
    (d,) = _codes(project, "id.duplicate")
    assert d.message == "map 'alpha' is in position 'alpha' and position 'gamma'"
    assert d.hint == "a map argues one position; first at line 7" and d.span.line == 13


def test_answers_on_claims_the_map_argues_against_are_flagged(project):
    found = [(d.span.line, d.message) for d in _codes(project, "briefing.answer-not-endorsed")]
    assert found == [
        (30, "objection 'O1' answers 'opposed', but the map argues against it, so the answer does not count"),
        (38, "premise 'P1.O' answers 'opposed', but the map argues against it, so the answer does not count"),
    ]


def test_answers_on_rebuttals_are_endorsed(project):
    # B1 (a rebuttal) and A1 (an assumption) answer too, and are not flagged.
    flagged = {d.message.split("'")[1] for d in _codes(project, "briefing.answer-not-endorsed")}
    assert flagged == {"O1", "P1.O"}


def test_demo_answers_only_on_endorsed_claims():
    ws = load_workspace(Config.discover(REPO))
    assert [d for d in ws.diagnostics if d.code == "briefing.answer-not-endorsed"] == []
