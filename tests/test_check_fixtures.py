"""`argbrief check` on each folder of tests/fixtures/check/ prints exactly its expected.txt.

A scenario folder is a small project: ``argbrief.toml``, ``arguments/`` with
maps, packs and source texts, ``expected.txt`` with the diagnostic lines
(paths relative to the folder), and optionally ``args`` with the command line
(default: ``check``).  To add a scenario, make the folder, run the command in
it and read every line of the output before saving it as expected.txt.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from argbrief.diagnostics import CODES

FIXTURES = Path(__file__).parent / "fixtures" / "check"
SCENARIOS = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
LINE = re.compile(r"^(?P<where>[^:]+(?::\d+:\d+)?): (?P<severity>error|warning): (?P<message>.+) \[(?P<code>[a-z]+\.[a-z0-9-]+)\]$")

#: Areas whose codes `argbrief check` produces; every one of their codes needs a scenario.
CHECK_AREAS = ("input", "yaml", "schema", "structure", "text", "id", "ref", "source", "quote", "briefing", "pack", "judgement", "ignore")


def _args(folder: Path) -> list[str]:
    args = folder / "args"
    return shlex.split(args.read_text(encoding="utf-8")) if args.exists() else ["check"]


def _expected(folder: Path) -> str:
    return (folder / "expected.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", SCENARIOS, ids=lambda p: p.name)
def test_check_prints_the_expected_diagnostics(folder: Path, run_cli) -> None:
    code, out, err = run_cli(*_args(folder), cwd=folder)
    assert out == _expected(folder)
    has_errors = any(": error: " in line for line in out.splitlines())
    strict_fails = "--strict" in _args(folder) and bool(out)
    assert code == (1 if has_errors or strict_fails else 0), err
    assert "Traceback" not in err
    assert err.startswith("checked ")


@pytest.mark.parametrize("folder", SCENARIOS, ids=lambda p: p.name)
def test_expected_lines_are_well_formed_and_sorted(folder: Path) -> None:
    lines = _expected(folder).splitlines()
    for line in lines:
        match = LINE.match(line)
        assert match, line
        assert match["code"] in CODES, line
    keys = []
    for line in lines:
        where = LINE.match(line)["where"].split(":")  # type: ignore[index]
        keys.append((where[0], int(where[1]) if len(where) > 1 else 0, int(where[2]) if len(where) > 2 else 0))
    assert keys == sorted(keys)


def test_every_check_code_has_a_scenario() -> None:
    produced = {LINE.match(line)["code"] for f in SCENARIOS for line in _expected(f).splitlines()}  # type: ignore[index]
    wanted = {code for code in CODES if code.split(".")[0] in CHECK_AREAS}
    assert sorted(wanted - produced) == []


def test_one_map_with_several_mistakes_reports_them_all_at_once(run_cli) -> None:
    folder = FIXTURES / "several-mistakes"
    code, out, _ = run_cli("check", cwd=folder)
    assert code == 1
    found = {(m["where"], m["code"]) for m in map(LINE.match, out.splitlines())}  # type: ignore[index]
    at = "arguments/school-phones.yaml:"
    for where, code_ in [
        ("1:6", "schema.bad-id"),  # map id not a slug
        ("9:3", "schema.unknown-key"),  # 'lable', did you mean 'label'
        ("10:9", "schema.wrong-type"),  # tags: a string
        ("14:7", "yaml.duplicate-key"),  # text twice
        ("15:53", "ref.unknown-question"),  # answers 'cuts-bulying'
        ("19:11", "schema.unknown-key"),  # evidence with premises
        ("22:13", "text.empty"),
        ("23:23", "ref.unknown-target"),  # also_supports P9
        ("24:11", "id.duplicate"),
        ("33:32", "schema.bad-value"),  # answer 'maybe'
        ("34:23", "structure.cycle"),
        ("35:7", "structure.child-not-allowed"),  # assumption with assumptions
        ("47:1", "yaml.duplicate-key"),  # a second thesis
        ("54:19", "ref.unknown-target"),  # because P3
    ]:
        assert (at + where, code_) in found, (where, code_)
    assert "did you mean 'label'?" in out
    assert "did you mean 'cuts-bullying'?" in out


def test_warnings_fail_only_under_strict(run_cli) -> None:
    folder = FIXTURES / "briefing-warnings"
    assert run_cli("check", cwd=folder)[0] == 0
    assert run_cli("check", "--strict", cwd=folder)[0] == 1


def test_undated_sources_are_reported_only_under_strict(run_cli) -> None:
    folder = FIXTURES / "source-dates"
    code, out, _ = run_cli("check", cwd=folder)
    assert code == 1 and "[source.stale]" in out
    assert "[source.undated]" not in out
    assert out.splitlines() == [line for line in _expected(folder).splitlines() if "[source.undated]" not in line]
    code, out, _ = run_cli("check", "--strict", "--format", "json", cwd=folder)
    assert "source.undated" in {d["code"] for d in json.loads(out)["diagnostics"]}


def test_likelihood_and_confidence_may_point_different_ways(run_cli) -> None:
    """"Almost certainly, with low confidence" is coherent: likelihood and confidence measure different things."""
    folder = FIXTURES / "judgements"
    _, out, _ = run_cli("check", cwd=folder)
    j3 = [line for line in out.splitlines() if "'J3'" in line]
    assert j3 == [], j3


def test_json_report_is_versioned_and_matches_the_text(run_cli) -> None:
    folder = FIXTURES / "several-mistakes"
    code, out, _ = run_cli("check", "--format", "json", cwd=folder)
    assert code == 1
    report = json.loads(out)
    assert report["version"] == 1
    text = _expected(folder).splitlines()
    assert len(report["diagnostics"]) == len(text)
    assert report["errors"] == sum(": error: " in line for line in text)
    assert report["warnings"] == sum(": warning: " in line for line in text)
    first = report["diagnostics"][0]
    assert set(first) == {"file", "line", "column", "severity", "code", "message", "hint"}
    assert text[0] == (
        f"{first['file']}:{first['line']}:{first['column']}: {first['severity']}: "
        f"{first['message']} ({first['hint']}) [{first['code']}]"
    )


GITHUB = re.compile(r"^::(error|warning) file=[^,:]+,line=[1-9]\d*,col=[1-9]\d*,title=[a-z]+\.[a-z0-9-]+::[^\r\n]+$")


@pytest.mark.parametrize("folder", SCENARIOS, ids=lambda p: p.name)
def test_github_format_lines_are_valid_workflow_commands(folder: Path, run_cli) -> None:
    code, out, _ = run_cli(*_args(folder), "--format", "github", cwd=folder)
    lines = out.splitlines()
    assert len(lines) == len(_expected(folder).splitlines())
    for line in lines:
        assert GITHUB.match(line), line
    strict_fails = "--strict" in _args(folder) and bool(lines)
    assert code == (1 if strict_fails or any(line.startswith("::error") for line in lines) else 0)


def test_github_format_escapes_what_would_break_the_command() -> None:
    from argbrief.diagnostics import Diagnostic
    from argbrief.model import SourceSpan

    d = Diagnostic(code="text.empty", message="50% done\nnext line", span=SourceSpan("a,b:c.yaml", 3, 4))
    assert d.format_github() == "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=text.empty::50%25 done%0Anext line"


class _Tty:
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_no_color_is_respected(monkeypatch) -> None:
    from argbrief.diagnostics import Diagnostic, use_color
    from argbrief.model import SourceSpan

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(_Tty())
    d = Diagnostic(code="text.empty", message="m", span=SourceSpan("f.yaml", 1, 2))
    assert "\x1b[" in d.format(color=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(_Tty())
    assert d.format() == "f.yaml:1:2: error: m [text.empty]"


def test_no_color_reaches_the_command_line(run_cli, monkeypatch) -> None:
    # As if stdout were a terminal: colour appears, unless NO_COLOR is set.
    import argbrief.cli
    from argbrief.diagnostics import use_color

    monkeypatch.setattr(argbrief.cli, "use_color", lambda stream: use_color(_Tty()))
    folder = FIXTURES / "several-mistakes"
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[1;31merror" in run_cli("check", cwd=folder)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run_cli("check", cwd=folder)[1]


def test_check_from_a_subfolder_finds_the_project(run_cli, tmp_path) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "several-mistakes", project)
    code, out, _ = run_cli("check", cwd=project / "arguments" / "packs")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == len(_expected(FIXTURES / "several-mistakes").splitlines())
    # Files are named so that they can be opened from where the command ran.
    for line in lines:
        path = LINE.match(line)["where"].split(":")[0]  # type: ignore[index]
        assert (project / "arguments" / "packs" / path).is_file(), path


def test_naming_a_pack_resolves_its_maps_from_the_project(run_cli) -> None:
    folder = FIXTURES / "pack-on-command-line"
    code, out, _ = run_cli("check", "arguments/packs/library.yaml", cwd=folder)
    assert out.splitlines() == _expected(folder).splitlines()
    assert "library-hours" not in out.replace("did you mean 'library-hours'", "")
