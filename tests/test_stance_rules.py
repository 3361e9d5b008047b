"""The stance rules on the demo maps: a stance needs a basis, and a flat yes or no may not drop a hedge.

Each test copies arguments/ into a scratch project, undoes one of the audit's fixes and
checks that `argbrief check` reports it where it was made.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from argbrief.validate import HEDGES, find_hedge

from .conftest import REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(REPO / "arguments", root / "arguments")
    (root / "argbrief.toml").write_text("", encoding="utf-8")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(path: Path, snippet: str) -> int:
    return path.read_text(encoding="utf-8").split(snippet)[0].count("\n") + 1


def _strict(project: Path, run_cli) -> list[str]:
    """`argbrief check --strict` in ``project``: it must fail; its lines."""
    code, out, _ = run_cli("check", "--strict", cwd=project)
    assert code == 1
    return out.splitlines()


def test_putin_wants_p1_as_a_flat_yes_drops_its_hedge(project, run_cli):
    """The issue's first example: 'to some extent he has a point' answered with a plain yes."""
    path = project / "arguments" / "putin-wants.yaml"
    _edit(path, "        time-favours-russia:\n          stance: qualified\n", '        time-favours-russia:\n          stance: "yes"\n')
    line = _line_of(path, '          stance: "yes"\n          quote: "He thinks')
    assert _strict(project, run_cli) == [
        (
            f"arguments/putin-wants.yaml:{line}:19: warning: premise 'P1' answers 'time-favours-russia' a flat \"yes\", "
            "but its text hedges: \"to some extent\" (answer 'qualified' if the hedge applies to the question; "
            "if it does not, word the claim so that it says what the answer rests on) [briefing.answer-hedge-dropped]"
        )
    ]


def test_a_hedge_in_the_answers_quote_counts_too(project, run_cli):
    """ukraine-survive B1 answered "no" on the passage that says "at least in the short term"."""
    path = project / "arguments" / "ukraine-survive.yaml"
    _edit(
        path,
        "                  stance: qualified\n                  quote: \"And it can continue",
        "                  stance: \"no\"\n                  quote: \"And it can continue",
    )
    _edit(
        path,
        "And it can continue to seek full territorial restitution at the negotiating table if and when serious talks commence.\"\n                  note",
        "Ukraine would not be giving up anything by embracing such a posture, given that military liberation of Crimea, "
        "Donbas, and other Russian-occupied areas is not in the cards, at least in the short term.\"\n                  note",
    )
    out = "\n".join(_strict(project, run_cli))
    assert "rebuttal 'B1' answers 'concede-occupied-territory' a flat \"no\", but the answer's quote hedges: \"at least in the short term\"" in out


def test_an_assumption_with_a_bare_stance_has_no_basis(project, run_cli):
    """The steelman's load-bearing assumption A4 without its note: nothing says why it answers yes."""
    path = project / "arguments" / "quick-ceasefire.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("        ceasefire-holds-without-guarantees:\n")
    end = text.index("      objections:", start)
    path.write_text(text[:start] + '        ceasefire-holds-without-guarantees: "yes"\n' + text[end:], encoding="utf-8")
    line = _line_of(path, '        ceasefire-holds-without-guarantees: "yes"')
    assert _strict(project, run_cli) == [
        (
            f"arguments/quick-ceasefire.yaml:{line}:45: warning: assumption 'A4' answers "
            "'ceasefire-holds-without-guarantees' \"yes\" with no basis: no quote, no note, and no evidence under the "
            "claim (cite the passage that decides it: 'ceasefire-holds-without-guarantees: {stance: yes, quote: ...}', "
            "or say why in a 'note:') [briefing.answer-no-basis]"
        )
    ]


def test_a_misquoted_stance_is_found_with_the_closest_passage(project, run_cli):
    path = project / "arguments" / "putin-wants.yaml"
    _edit(path, 'quote: "Western states should give no such relief."', 'quote: "Western states should give no relief."')
    code, out, _ = run_cli("check", cwd=project)
    assert code == 1
    assert "error: quote of the answer of premise 'P5.1' to 'sanctions-relief' is not in 'sources/putin-wants.txt'" in out
    assert "closest passage, para 17" in out


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("To some extent, he has a point.", "to some extent"),
        ("Kyiv MAY indeed have to accept a loss.", "may"),
        ("not in the cards, at least in the\nshort term", "at least in the short term"),
        ("For now, there's little he wants to change.", "for now"),
        ("The mayor closed the bridge; in particular the old one.", ""),  # words, not parts of words
        ("He won't be satisfied with just a ceasefire.", ""),
        ("", ""),
    ],
)
def test_find_hedge(text: str, hedge: str) -> None:
    assert find_hedge(text) == hedge


def test_every_hedge_is_found() -> None:
    for hedge in HEDGES:
        assert find_hedge(f"It is so, {hedge.upper()}, they say.") == hedge
