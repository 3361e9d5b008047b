"""Selecting rules: --select/--ignore, the configuration's select/ignore, a map's ignore: and what import writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from argbrief.rules import RuleSelection, matches, pattern_problem
from argbrief.skeleton import create_project

ARGDOWN = """\
# Phones in school

[Ban]: Schools should ban phones in class.
  <+ <Focus>: Pupils focus better without phones.
  <+ <Bullying>: Bans cut online bullying during the day.
  <- <Emergencies>: Parents need to reach children in an emergency.
"""


def test_patterns_are_codes_or_prefixes() -> None:
    assert matches("quote.", "quote.not-found") and matches("quote", "quote.not-found")
    assert matches("quote.not-found", "quote.not-found") and not matches("quote.not", "quote.not-found")
    only = RuleSelection(select=("briefing.",), ignore=("briefing.no-actor",))
    assert only.reports("briefing.no-evidence") and not only.reports("briefing.no-actor")
    assert not only.reports("quote.not-found")
    assert only.reports("ref.unknown-target")  # always reported: it guards the map itself
    assert pattern_problem("ref.", ignoring=True) is not None and pattern_problem("ref.", ignoring=False) is None
    assert "did you mean 'briefing.no-evidence'" in pattern_problem("briefing.no-evidnce", ignoring=True)[1]


def test_import_writes_the_ignore_the_source_format_needs_and_check_honours_it(tmp_path: Path, run_cli) -> None:
    create_project(tmp_path / "p")
    source = tmp_path / "phones.argdown"
    source.write_text(ARGDOWN, encoding="utf-8")
    code, _, err = run_cli("import", str(source), "-o", "arguments/phones.yaml", cwd=tmp_path / "p")
    assert code == 0, err
    text = (tmp_path / "p" / "arguments" / "phones.yaml").read_text(encoding="utf-8")
    assert "ignore:\n  - code: briefing.no-evidence\n    reason: " in text
    code, out, err = run_cli("check", "arguments/phones.yaml")
    assert "briefing.no-evidence" not in out and "(2 ignored)" in err, out + err
    assert "briefing.unanswered-objection" in out  # Argdown can answer an objection: still reported

    code, _, err = run_cli("import", str(source), "-o", "arguments/phones.yaml", "--force", "--no-ignore")
    assert "ignore:" not in (tmp_path / "p" / "arguments" / "phones.yaml").read_text(encoding="utf-8")
    code, out, err = run_cli("check", "arguments/phones.yaml", "--ignore", "briefing.no-evidence,briefing.unanswered-objection")
    assert code == 0 and out == "" and "0 warnings (3 ignored)" in err


def test_the_configuration_selects_rules_for_every_command(tmp_path: Path, run_cli) -> None:
    create_project(tmp_path / "p")
    project = tmp_path / "p"
    path = project / "arguments" / "four-day-week.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    actor: Council leadership\n", ""), encoding="utf-8")
    code, out, _ = run_cli("check", cwd=project)
    assert "[briefing.no-actor]" in out
    with open(project / "argbrief.toml", "a", encoding="utf-8") as fh:
        fh.write('ignore = ["briefing.no-actor"]\n')
    code, out, err = run_cli("check", cwd=project)
    assert code == 0 and out == "" and "(1 ignored)" in err
    code, out, err = run_cli("check", "--select", "briefing.no-actor", cwd=project)
    assert out == "" and "(1 ignored)" in err  # --ignore adds to the configuration; --select does not undo it

    (project / "argbrief.toml").write_text('ignore = ["briefing.no-actr"]\n', encoding="utf-8")
    code, _, err = run_cli("check", cwd=project)
    assert code == 1 and "did you mean 'briefing.no-actor'" in err and "Traceback" not in err


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_code_on_the_command_line_is_a_usage_error(option: str, tmp_path: Path, run_cli) -> None:
    create_project(tmp_path / "p")
    code, _, err = run_cli("check", option, "quote.not-fond", cwd=tmp_path / "p")
    assert code == 2 and "did you mean 'quote.not-found'" in err
