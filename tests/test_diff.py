"""The diff stage on its own (pure: two loaded versions in, a change list out), and its reports."""

from __future__ import annotations

import textwrap

import pytest

from argbrief import model as m
from argbrief.diff import diff_maps, diff_packs, index
from argbrief.diff.report import SHORT, phrase, render_markdown, text_lines, word_diff
from argbrief.diff.result import DiffResult, DocumentDiff, Side
from argbrief.project import load_bytes

from .conftest import REPO

BASE = """\
map: m
title: A map
thesis:
  id: T
  text: The council should extend its four-day week trial before deciding.
  answers: {q1: "yes"}
  premises:
    - id: P1
      text: The trial office decided planning applications faster.
      also_supports: [P2]
      evidence:
        - quote: applications were decided 9% faster
        - quote: nobody complained
    - id: P2
      text: Sick days fell and experienced staff stayed.
      premises:
        - id: P21
          text: Two experienced planners who had given notice stayed on.
  objections:
    - id: O1
      text: Residents may find offices closed on Fridays.
      rebuttals:
        - id: B1
          text: A rota kept every office open five days a week.
recommendations:
  - id: R1
    actor: Council
    text: Extend the trial to two more departments.
    because: [P1, P2]
"""


def load(text: str) -> m.ArgumentMap:
    loaded = load_bytes(textwrap.dedent(text).encode(), REPO / "x.yaml", "x.yaml")
    assert loaded.obj is not None and not loaded.diagnostics, [d.format() for d in loaded.diagnostics]
    return loaded.obj  # type: ignore[return-value]


def changes(new_text: str, old_text: str = BASE) -> list[tuple]:
    return [(c.op, c.id, c.old_id, c.field, c.old, c.new) for c in diff_maps(load(old_text), load(new_text)).changes]


def test_a_map_against_itself_is_empty():
    for path in sorted((REPO / "arguments").glob("*.yaml")):
        amap = load_bytes(path.read_bytes(), path, path.name).obj
        assert diff_maps(amap, amap).changes == ()


def test_references_name_nodes_without_ids_by_their_place():
    refs = list(index(load(BASE)))
    assert refs[:5] == ["T", "P1", "P1/evidence[1]", "P1/evidence[2]", "P2"]


def test_a_renamed_id_is_matched_by_text_not_removed_and_added():
    assert changes(
        BASE.replace("id: P2\n", "id: P-staff\n").replace("[P1, P2]", "[P1, P-staff]").replace("[P2]", "[P-staff]")
    ) == [("renamed", "P-staff", "P2", "", None, None)]


def test_a_renamed_and_reworded_claim_in_its_place_is_one_node():
    new = BASE.replace(
        "id: P21\n          text: Two experienced planners who had given notice stayed on.",
        "id: P22\n          text: Two experienced planners who had resigned stayed on.",
    )
    got = changes(new)
    assert got[0] == ("renamed", "P22", "P21", "", None, None)
    assert got[1][:4] == ("changed", "P22", "P21", "text")


def test_a_new_text_under_a_new_id_is_removed_and_added():
    new = BASE.replace(
        "id: P21\n          text: Two experienced planners who had given notice stayed on.",
        "id: P22\n          text: Morale rose in every team.",
    )
    assert [(op, i) for op, i, *_ in changes(new)] == [("removed", "P21"), ("added", "P22")]


def test_a_moved_branch_is_one_move():
    branch = (
        "      premises:\n        - id: P21\n          text: Two experienced planners who had given notice stayed on.\n"
    )
    new = BASE.replace(branch, "").replace("      also_supports: [P2]\n", "      also_supports: [P2]\n" + branch)
    assert changes(new) == [("moved", "P21", "", "parent", "P2", "P1")]


def test_kind_relation_answers_and_links():
    new = (
        BASE.replace('answers: {q1: "yes"}', 'answers: {q1: "no", q2: qualified}')
        .replace("    - id: O1\n      text: Residents", "    - id: O1\n      relation: undercut\n      text: Residents")
        .replace("      also_supports: [P2]\n", "      also_attacks: [O1]\n")
    )
    got = changes(new)
    assert ("changed", "T", "", "answers.q1", "yes", "no") in got
    assert ("changed", "T", "", "answers.q2", "", "qualified") in got
    assert ("changed", "O1", "", "relation", "attack", "undercut") in got
    links = [
        (c.op, c.id, c.kind, c.old or c.new) for c in diff_maps(load(BASE), load(new)).changes if c.subject == "link"
    ]
    assert links == [("added", "P1", "also_attacks", "O1"), ("removed", "P1", "also_supports", "P2")]
    # A premise that becomes an assumption keeps its id: a changed kind, not a removal.
    assumption = BASE.replace(
        "  objections:\n", "  assumptions:\n    - id: A1\n      text: Staff want it.\n  objections:\n"
    )
    as_premise = BASE.replace("  objections:\n", "    - id: A1\n      text: Staff want it.\n  objections:\n", 1)
    assert changes(assumption, as_premise) == [("changed", "A1", "", "kind", "premise", "assumption")]


def test_evidence_without_ids_and_recommendations():
    new = BASE.replace("- quote: nobody complained", "- quote: hardly anybody complained\n          strength: weak")
    new = new.replace("because: [P1, P2]", "because: [P1]\n    priority: high")
    got = changes(new)
    assert ("changed", "P1/evidence[2]", "", "quote", "nobody complained", "hardly anybody complained") in got
    assert ("changed", "P1/evidence[2]", "", "strength", "", "weak") in got
    assert ("changed", "R1", "", "priority", "", "high") in got
    (because,) = [c for c in diff_maps(load(BASE), load(new)).changes if c.field == "because"]
    assert because.removed == ("P2",) and because.added == ()


def test_removed_nodes_come_where_they_stood():
    new = BASE.replace("        - quote: nobody complained\n", "")
    new = new.replace("    - id: P2\n      text: Sick days", "    - id: P2x\n      text: Sick days")
    ops = [(c.op, c.id) for c in diff_maps(load(BASE), load(new)).changes if c.subject == "node"]
    assert ops[:2] == [("removed", "P1/evidence[2]"), ("renamed", "P2x")]


# --- packs -------------------------------------------------------------------------------

PACK = """\
pack: p
title: Options
positions:
  - {id: a, label: A, maps: [ma]}
  - {id: b, label: B, maps: [mb]}
questions:
  - {id: q1, text: "Is it so?"}
  - {id: q2, text: "Will it last?"}
"""


def _map(mid: str, answers: str, premise: str = "") -> m.ArgumentMap:
    return load(f"map: {mid}\ntitle: {mid}\nthesis:\n  id: T\n  text: t\n  answers: {answers}\n{premise}")


def _pack(text: str = PACK) -> m.Pack:
    loaded = load_bytes(text.encode(), REPO / "packs" / "p.yaml", "p.yaml")
    assert loaded.obj is not None and not loaded.diagnostics
    return loaded.obj  # type: ignore[return-value]


def test_stances_verdicts_and_gaps():
    old_maps = {"ma": _map("ma", '{q1: "yes"}'), "mb": _map("mb", '{q1: "yes"}')}
    new_maps = {"ma": _map("ma", '{q1: "yes"}'), "mb": _map("mb", '{q1: "no", q2: "yes"}')}
    got = diff_packs(_pack(), _pack(), old_maps, new_maps, {})
    stance = [(c.id, c.position, c.old, c.new) for c in got if c.subject == "stance"]
    assert stance == [("q1", "b", "yes", "no"), ("q2", "b", "silent", "yes")]
    verdicts = [(c.id, c.field, c.old, c.new) for c in got if c.subject == "verdict"]
    assert verdicts == [("q1", "verdict", "agreement", "clash"), ("q2", "verdict", "unanswered", "single")]


def test_a_basis_that_changes_under_the_same_stance_is_reported():
    premise = '  premises:\n    - id: P1\n      text: p\n      answers: {q1: "yes"}\n'
    old_maps = {"ma": _map("ma", '{q1: "yes"}'), "mb": _map("mb", "{}")}
    new_maps = {"ma": _map("ma", "{}", premise), "mb": _map("mb", "{}")}
    (c,) = [c for c in diff_packs(_pack(), _pack(), old_maps, new_maps, {}) if c.subject == "stance"]
    assert (c.field, c.added, c.removed, c.basis) == ("basis", ("ma:P1",), ("ma:T",), ("ma:P1",))
    # A renamed claim is no change of basis.
    renamed = {"ma": _map("ma", "{}", premise.replace("P1", "P9")), "mb": _map("mb", "{}")}
    assert diff_packs(_pack(), _pack(), new_maps, renamed, {"ma": {"P1": "P9", "T": "T"}}) == ()


def test_positions_and_questions_added_removed_changed():
    new = (
        PACK.replace("  - {id: b, label: B, maps: [mb]}\n", "  - {id: c, label: C, maps: [mb]}\n").replace(
            "Will it last?", "Will it hold?"
        )
        + '  - {id: q3, text: "New?"}\n'
    )
    maps = {"ma": _map("ma", "{}"), "mb": _map("mb", "{}")}
    got = [(c.subject, c.op, c.id, c.field) for c in diff_packs(_pack(), _pack(new), maps, maps, {})]
    assert got == [
        ("position", "added", "c", ""),
        ("position", "removed", "b", ""),
        ("question", "changed", "q2", "text"),
        ("question", "added", "q3", ""),
    ]


# --- reports -----------------------------------------------------------------------------


def _result(*changes_) -> DiffResult:
    doc = DocumentDiff(document="map", id="m", status="changed", title="A map", new_file="x.yaml", changes=changes_)
    return DiffResult(old=Side(label="HEAD"), new=Side(label="working tree"), documents=(doc,))


def test_word_diff_marks_only_what_changed():
    runs = word_diff(
        "The trial office decided planning applications faster.", "The office decided applications much faster."
    )
    assert "".join(t for t, r in runs if r != "ins") == "The trial office decided planning applications faster."
    assert "".join(t for t, r in runs if r != "del") == "The office decided applications much faster."
    assert [t for t, r in runs if r == "del"] == ["trial ", "planning "]


def test_text_lines_elide_long_unchanged_text_and_colour_only_when_asked():
    old = " ".join(f"w{i}" for i in range(60))
    new = old.replace("w30", "CHANGED")
    diff = diff_maps(load(BASE), load(BASE.replace("The trial office decided planning applications faster.", "x")))
    line = text_lines(_result(*diff.changes))[0]
    assert line == "x.yaml:9:13: ~ premise P1 text: [-The trial office decided planning applications faster.-]{+x+}"
    from argbrief.diff.result import Change

    (elided,) = text_lines(
        _result(Change(subject="node", op="changed", id="P1", kind="premise", field="text", old=old, new=new))
    )
    assert "w0 w1" not in elided and "w26 w27 w28 w29 [-w30-]{+CHANGED+} w31 w32 w33 w34 …" in elided
    assert "\x1b[" not in elided
    assert "\x1b[32m" in text_lines(_result(*diff.changes), color=True)[0]


def test_markdown_escapes_user_text_and_folds_long_lists():
    from argbrief.diff.result import Change

    hostile = "<script>alert(1)</script> | `code` [link](http://x) **bold** ~~gone~~"
    many = [
        Change(subject="node", op="added", id=f"P{i}", kind="premise", text=hostile, parent="T")
        for i in range(SHORT + 3)
    ]
    out = render_markdown(_result(*many))
    assert "<script>" not in out and "[link](" not in out and "| `code`" not in out
    assert r"\<script\>" in out and r"\~\~gone\~\~" in out
    assert out.count("- **added**") == SHORT + 3
    assert "<details><summary>3 more changes</summary>" in out


def test_phrases_for_every_op():
    from argbrief.diff.result import Change

    def words(c: Change) -> str:
        return "".join(t for t, _ in phrase(c))

    assert words(Change(subject="node", op="renamed", id="P9", old_id="P3", kind="premise")) == "premise P3 renamed P9"
    assert words(Change(subject="node", op="moved", id="P3", kind="premise", field="parent", old="P1", new="P2")) == (
        "premise P3 moved from under P1 to under P2"
    )
    assert (
        words(Change(subject="link", op="removed", id="P1", kind="also_attacks", old="O1")) == "link P1 also attacks O1"
    )
    assert (
        words(Change(subject="verdict", op="changed", id="q", field="gap", old=("a",), new=()))
        == "question q gap: a → (none)"
    )


@pytest.mark.parametrize("path", sorted((REPO / "arguments").glob("*.yaml")), ids=lambda p: p.name)
def test_every_demo_map_against_a_reworded_copy(path):
    """A real map, every claim text edited a little: only text changes, no node added, removed or renamed."""
    amap = load_bytes(path.read_bytes(), path, path.name).obj
    text = path.read_text("utf-8").replace(" the ", " the very ")
    edited = load_bytes(text.encode(), path, path.name).obj
    ops = {c.op for c in diff_maps(amap, edited).changes}
    assert ops <= {"changed"}


def test_the_documented_similarity_example():
    from argbrief.diff.maps import similarity

    a = "The trial office decided applications faster."
    b = "The trial office decided planning applications much faster."
    assert f"score {similarity(a.casefold(), b.casefold()):.2f}" in (REPO / "docs" / "diff.md").read_text("utf-8")


JUDGED = """\
pack: p
title: Options
positions:
  - id: a
    label: A
    maps: [ma]
    appraisal:
      risk: {rating: medium, text: Some.}
questions:
  - {id: q1, text: "Is it so?"}
judgements:
  - id: J1
    text: It will hold.
    likelihood: likely
    confidence: low
    basis: ["ma:T"]
indicators:
  - {id: I1, text: "Prices rise.", judgement: J1, direction: lowers}
"""


def test_judgements_indicators_and_appraisals():
    maps = {"ma": _map("ma", "{}")}
    new = (
        JUDGED.replace("likelihood: likely", "likelihood: very likely")
        .replace("confidence: low", "confidence: high")
        .replace('basis: ["ma:T"]', 'basis: ["ma:P1"]')
        .replace("direction: lowers", "direction: raises")
        .replace("rating: medium", "rating: high")
    )
    got = [(c.subject, c.id, c.field, c.old, c.new) for c in diff_packs(_pack(JUDGED), _pack(new), maps, maps, {})]
    assert ("judgement", "J1", "likelihood", "likely", "very likely") in got
    assert ("judgement", "J1", "confidence", "low", "high") in got
    assert ("judgement", "J1", "basis", ("ma:T",), ("ma:P1",)) in got
    assert ("indicator", "I1", "direction", "lowers", "raises") in got
    assert ("position", "a", "appraisal.risk", "medium", "high") in got
    # A renamed claim in a judgement's basis is no change; a judgement added or withdrawn is.
    renamed = JUDGED.replace('basis: ["ma:T"]', 'basis: ["ma:T2"]')
    assert diff_packs(_pack(JUDGED), _pack(renamed), maps, maps, {"ma": {"T": "T2"}}) == ()
    gone = [(c.subject, c.op, c.id) for c in diff_packs(_pack(JUDGED), _pack(PACK), maps, maps, {})]
    assert ("judgement", "removed", "J1") in gone and ("indicator", "removed", "I1") in gone
