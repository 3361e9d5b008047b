"""argbrief.compare on a hand-built pack: the expected matrix below is worked out by hand.

The fixture project is tests/fixtures/compare/basic: pack ``flood`` with three
positions (alpha: one map; beta: maps beta and beta2; gamma: one map) and six
questions. What each map says, by question (endorsed claims only):

    question  alpha               beta                      gamma          verdict
    agree     yes (T)             yes (beta:T)              yes (T)        agreement
    clash     yes (P1)            no (beta:P1)              silent         clash, gap
    gap       silent              silent                    no (P1)        single, gap
    mixed     yes (P2) + no (B1)  silent                    yes (T)        divergence, gap
              -> mixed
    qual      qualified (A1)      yes (beta:P2) +           qualified (P1) agreement
                                  qualified (beta2:P1)
                                  -> qualified
    opposed   O1 (objection) and  silent                    silent         unanswered, gap
              P1.O (premise of O1) answer: not counted
"""

from __future__ import annotations

import sys

import pytest

from argbrief import Config, load_workspace
from argbrief.compare import (
    MIXED,
    QUALIFIED,
    SILENT,
    build_comparison,
    combine_stances,
    compare_workspace,
    comparison_errors,
)
from argbrief.model import (
    ArgumentMap,
    Evidence,
    Objection,
    Pack,
    Position,
    Premise,
    Question,
    Rebuttal,
    Recommendation,
    Thesis,
)

from .conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "compare" / "basic"


@pytest.fixture(scope="module")
def flood():
    ws = load_workspace(Config.discover(FIXTURE))
    assert comparison_errors(ws, "flood") == []
    return compare_workspace(ws, ws.packs["flood"])


EXPECTED = {
    "agree": {"alpha": "yes", "beta": "yes", "gamma": "yes"},
    "clash": {"alpha": "yes", "beta": "no", "gamma": SILENT},
    "gap": {"alpha": SILENT, "beta": SILENT, "gamma": "no"},
    "mixed": {"alpha": MIXED, "beta": SILENT, "gamma": "yes"},
    "qual": {"alpha": QUALIFIED, "beta": QUALIFIED, "gamma": QUALIFIED},
    "opposed": {"alpha": SILENT, "beta": SILENT, "gamma": SILENT},
}


def test_matrix_matches_the_hand_worked_table(flood):
    got = {r.question.id: dict(r.stances) for r in flood.results}
    assert got == EXPECTED
    assert [c.question_id for c in flood.cells[:3]] == ["agree"] * 3  # question-major, pack order


def test_answering_claims_are_listed_in_document_order(flood):
    ids = lambda q, p: [(c.map_id, c.id) for c in flood.cell(q, p).claims]  # noqa: E731
    assert ids("mixed", "alpha") == [("alpha", "P2"), ("alpha", "B1")]
    assert ids("qual", "beta") == [("beta", "P2"), ("beta2", "P1")]
    assert ids("qual", "alpha") == [("alpha", "A1")]
    assert ids("gap", "alpha") == []


def test_verdicts_agreement_clash_gap(flood):
    verdicts = {r.question.id: (r.verdict, r.agreement, r.clash, r.gap) for r in flood.results}
    assert verdicts == {
        "agree": ("agreement", True, False, False),
        "clash": ("clash", False, True, True),
        "gap": ("single", False, False, True),  # one voice alone is not agreement
        "mixed": ("divergence", False, False, True),  # mixed vs yes is not a clash
        "qual": ("agreement", True, False, False),
        "opposed": ("unanswered", False, False, True),
    }
    assert [r.question.id for r in flood.clashes] == ["clash"]
    assert [r.question.id for r in flood.agreements] == ["agree", "qual"]
    assert [r.question.id for r in flood.gaps] == ["clash", "gap", "mixed", "opposed"]
    assert flood.result("clash").silent == ("gamma",)
    yes, no = flood.clash_sides("clash")
    assert [c.position_id for c in yes] == ["alpha"] and [c.position_id for c in no] == ["beta"]


def test_answers_of_claims_the_position_argues_against_do_not_count(flood):
    cell = flood.cell("opposed", "alpha")
    assert cell.stance == SILENT and cell.claims == ()
    assert [(c.id, c.kind, c.endorsed, c.stance_on("opposed")) for c in cell.opposed] == [
        ("O1", "objection", False, "no"),
        ("P1.O", "premise", False, "yes"),  # a premise of an objection is against the position too
    ]
    # A rebuttal (two attack edges from the thesis) is endorsed again.
    b1 = flood.cell("mixed", "alpha").claims[1]
    assert (b1.id, b1.kind, b1.endorsed) == ("B1", "rebuttal", True)


def test_evidence_counts_and_strongest_claim(flood):
    clash_alpha = flood.cell("clash", "alpha")
    assert (clash_alpha.evidence_count, clash_alpha.strongest_strength) == (1, "strong")
    clash_beta = flood.cell("clash", "beta")
    assert (clash_beta.evidence_count, clash_beta.strongest_strength) == (2, "moderate")
    # Most evidence wins over document order: B1 (1 item) beats P2 (none).
    assert flood.cell("mixed", "alpha").strongest.id == "B1"
    # A tie goes to document order: beta:P2 and beta2:P1 have one item each.
    strongest = flood.cell("qual", "beta").strongest
    assert (strongest.map_id, strongest.id) == ("beta", "P2")
    assert flood.cell("gap", "alpha").strongest is None
    # Gamma's P1 counts its own evidence and its linked sub-premises' (support subtree).
    p1 = flood.cell("gap", "gamma").strongest
    assert [e.id for e in p1.evidence] == ["E1", "E2"]
    assert p1.strongest_strength == "strong"


def test_strongest_claim_carries_quote_citation_and_locator(flood):
    ev = flood.cell("gap", "gamma").strongest.evidence[1]
    assert ev.quote == "the old levee cannot hold another flood without repairs."
    assert ev.citation == "A. Writer, Source One"  # the named source, not gamma's own
    assert ev.locator == "para 2"
    assert ev.source_file == "arguments/sources/one.txt"
    ev = flood.cell("gap", "gamma").strongest.evidence[0]
    assert (ev.citation, ev.locator, ev.source_file) == ("Source Two", "para 1", "arguments/sources/two.txt")


def test_unanswered_objections_per_cell(flood):
    assert [o.id for o in flood.cell("clash", "alpha").unanswered_objections] == ["O1"]
    # O2 is answered by B1; O3 attacks B1 and is unanswered.
    objs = flood.cell("mixed", "alpha").unanswered_objections
    assert [(o.id, o.target_id) for o in objs] == [("O3", "B1")]
    assert flood.cell("clash", "beta").unanswered_objections == ()


def test_health_metrics(flood):
    alpha, beta, gamma = (flood.health_of(p) for p in ("alpha", "beta", "gamma"))
    # alpha: P1 backed, P2 not (B1's evidence is a rebuttal's, not P2's support); P1.O is the objection's.
    assert [p.id for p in alpha.premises] == ["P1", "P2"]
    assert [p.id for p in alpha.unbacked_premises] == ["P2"]
    assert alpha.evidence_share == 0.5
    assert [o.id for o in alpha.unanswered_objections] == ["O1", "O3"]
    assert [(r.id, r.traces) for r in alpha.recommendations] == [("R1", True), ("R2", False), ("R3", True)]
    assert alpha.recommendations[1].problems == ("'O1' is an objection the position argues against",)
    assert [a.id for a in alpha.assumptions] == ["A1"]
    assert alpha.mixed_questions == ("mixed",)
    assert alpha.evidence_count == 2  # E1 and E2; E3 backs the objection
    assert beta.evidence_share == 1.0 and len(beta.premises) == 3
    assert beta.unanswered_objections == () and len(beta.traced_recommendations) == 2
    assert beta.evidence_count == 4
    assert [p.id for p in gamma.premises] == ["P1", "P1a", "P1b"]
    assert gamma.evidence_share == pytest.approx(2 / 3)


def test_shared_evidence(flood):
    shared = flood.shared_evidence
    assert len(shared) == 2
    river, levee = shared
    # Contained quote, same file; gamma quotes the same words from another file, which is not shared.
    assert [(u.position_id, u.evidence.map_id, u.evidence.id) for u in river.uses] == [
        ("alpha", "alpha", "E1"),
        ("beta", "beta", "E1"),
    ]
    assert river.passage == "The river rose by two metres in a single night."
    assert river.opposite_ends and river.clash_questions == ("clash",)
    assert [dict(u.answers) for u in river.uses] == [{"agree": "yes", "clash": "yes"}, {"agree": "yes", "clash": "no"}]
    # Overlapping ends (beta2 and gamma) plus a containing quote raised against alpha by its own map.
    assert [(u.position_id, u.claim_id, u.side) for u in levee.uses] == [
        ("alpha", "O1", "against"),
        ("beta", "P1", "for"),
        ("gamma", "P1a", "for"),
    ]
    assert levee.positions == ("alpha", "beta", "gamma")
    assert not levee.opposite_ends


def test_recommendations_side_by_side(flood):
    rows = flood.recommendations
    assert [r.actor for r in rows] == ["Council", "Mayor"]  # "COUNCIL" is the same actor
    council = rows[0]
    assert [r.id for r in council.of("alpha")] == ["R1", "R2"]
    assert [(r.map_id, r.id) for r in council.of("beta")] == [("beta", "R1")]
    assert [(r.map_id, r.id) for r in rows[1].of("beta")] == [("beta2", "R1")]
    assert rows[1].of("gamma") == ()


def test_same_input_same_comparison():
    ws = load_workspace(Config.discover(FIXTURE))
    assert compare_workspace(ws, ws.packs["flood"]) == compare_workspace(ws, ws.packs["flood"])


@pytest.mark.parametrize(
    ("stances", "expected"),
    [
        ([], "silent"),
        (["yes"], "yes"),
        (["no", "no"], "no"),
        (["qualified"], "qualified"),
        (["yes", "qualified"], "qualified"),
        (["no", "qualified"], "qualified"),
        (["yes", "no"], "mixed"),
        (["yes", "no", "qualified"], "mixed"),
    ],
)
def test_combine_stances(stances, expected):
    assert combine_stances(stances) == expected


# --- built in code: edge cases ------------------------------------------------------


def _pack(*positions: Position, questions=("q",)) -> Pack:
    return Pack(id="p", title="P", positions=positions, questions=tuple(Question(id=q, text=q) for q in questions))


def test_recommendation_tracing_problems():
    amap = ArgumentMap(
        id="m",
        thesis=Thesis(
            id="T",
            text="t",
            premises=(Premise(id="P1", text="p", evidence=(Evidence(id="E1", quote="x"),)),),
            objections=(Objection(id="O1", text="o", rebuttals=(Rebuttal(id="B1", text="b"),)),),
        ),
        recommendations=(
            Recommendation(id="R1", actor="a", text="r", because=("P1", "E1", "B1", "T")),
            Recommendation(id="R2", actor="a", text="r", because=("P9",)),
            Recommendation(id="R3", actor="a", text="r"),
            Recommendation(id="R4", actor="a", text="r", because=("R5",)),
            Recommendation(id="R5", actor="a", text="r", because=("R4",)),
            Recommendation(id="R6", actor="a", text="r", because=("R1",)),
        ),
    )
    cmp = build_comparison(_pack(Position(id="x", maps=("m",))), {"m": amap})
    problems = {r.id: r.problems for r in cmp.health_of("x").recommendations}
    assert problems["R1"] == ()  # premise, evidence, rebuttal and the thesis all lead to it
    assert problems["R2"] == ("'P9' is not a node of map 'm'",)
    assert problems["R3"] == ("its 'because' names nothing",)
    assert problems["R4"] == ("'R4' leads back to 'R5'",)
    assert problems["R6"] == ()


def test_unknown_maps_and_maps_without_thesis_are_skipped():
    pack = _pack(Position(id="x", maps=("missing", "empty")), Position(id="y", maps=()))
    cmp = build_comparison(pack, {"empty": ArgumentMap(id="empty")})
    assert [c.stance for c in cmp.cells] == [SILENT, SILENT]
    assert cmp.health_of("x").evidence_share is None
    assert cmp.result("q").verdict == "unanswered"


def test_deep_maps_do_not_hit_the_recursion_limit():
    depth = sys.getrecursionlimit() + 200
    node = Premise(id=f"P{depth}", text="leaf", answers={"q": "yes"}, evidence=(Evidence(id="E", quote="deep"),))
    for k in range(depth - 1, 0, -1):
        node = Premise(id=f"P{k}", text="p", premises=(node,))
    amap = ArgumentMap(id="m", thesis=Thesis(id="T", text="t", premises=(node,)))
    cmp = build_comparison(_pack(Position(id="x", maps=("m",))), {"m": amap})
    cell = cmp.cell("q", "x")
    assert cell.stance == "yes" and cell.evidence_count == 1
    assert len(cmp.health_of("x").premises) == depth


def test_pack_without_questions_still_has_health_and_recommendations():
    amap = ArgumentMap(
        id="m",
        thesis=Thesis(id="T", text="t"),
        recommendations=(Recommendation(id="R1", actor="a", text="r", because=("T",)),),
    )
    cmp = build_comparison(_pack(Position(id="x", maps=("m",)), questions=()), {"m": amap})
    assert cmp.cells == () and cmp.results == ()
    assert [row.actor for row in cmp.recommendations] == ["a"]
