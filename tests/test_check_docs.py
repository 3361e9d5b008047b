"""docs/diagnostics.md documents every code in the registry, with examples the tool really prints."""

from __future__ import annotations

import json
import re

from argbrief.diagnostics import CODES

from .conftest import REPO
from .test_check_fixtures import CHECK_AREAS, FIXTURES, LINE, SCENARIOS

DOC = REPO / "docs" / "diagnostics.md"
HEADING = re.compile(r"^#### `([a-z]+\.[a-z0-9-]+)`$", re.MULTILINE)


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _blocks(kind: str | None = None) -> list[str]:
    """The fenced code blocks (of language ``kind``, when given), in order."""
    blocks: list[tuple[str, list[str]]] = []
    inside = False
    for line in _doc().splitlines():
        if line.startswith("```"):
            if not inside:
                blocks.append((line[3:].strip(), []))
            inside = not inside
        elif inside:
            blocks[-1][1].append(line)
    return ["\n".join(body) for lang, body in blocks if kind is None or lang == kind]


def test_every_registered_code_is_documented_and_nothing_else() -> None:
    documented = HEADING.findall(_doc())
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert sorted(set(CODES) - set(documented)) == [], "registered but not documented"
    assert sorted(set(documented) - set(CODES)) == [], "documented but not registered"


def test_documented_severity_is_the_registered_one() -> None:
    for match in re.finditer(r"^#### `([a-z]+\.[a-z0-9-]+)`\n\n(error|warning) — ", _doc(), re.MULTILINE):
        assert CODES[match[1]][0].value == match[2], match[1]


def test_check_examples_are_real_output() -> None:
    produced = {line for f in SCENARIOS for line in (f / "expected.txt").read_text(encoding="utf-8").splitlines()}
    examples = [line for block in _blocks() for line in block.splitlines() if LINE.match(line)]
    check_examples = [line for line in examples if LINE.match(line)["code"].split(".")[0] in CHECK_AREAS]  # type: ignore[index]
    assert check_examples
    for line in check_examples:
        assert line in produced, f"not printed by any scenario in tests/fixtures/check: {line}"
    illustrated = {LINE.match(line)["code"] for line in check_examples}  # type: ignore[index]
    wanted = {code for code in CODES if code.split(".")[0] in CHECK_AREAS}
    assert sorted(wanted - illustrated) == [], "check codes without an example"


def test_json_and_github_examples_are_real_output(run_cli) -> None:
    code, out, _ = run_cli("check", "--format", "json", cwd=FIXTURES / "briefing-warnings")
    report = json.loads(out)
    shown = json.loads(_blocks("json")[0])
    assert shown["version"] == report["version"]
    assert (shown["errors"], shown["warnings"]) == (report["errors"], report["warnings"])
    assert shown["diagnostics"] == report["diagnostics"][:1]
    _, out, _ = run_cli("check", "--format", "github", cwd=FIXTURES / "briefing-warnings")
    github = [line for block in _blocks() for line in block.splitlines() if line.startswith("::")]
    assert github and all(line in out.splitlines() for line in github)


#: A project configuration (after a first comment line) -> the line `check` prints for it, as docs/diagnostics.md shows it.
CONFIG_EXAMPLES = {
    "theme print\n": "argbrief.toml:2:7: error: not valid TOML: Expected '=' after a key in a key/value pair",
    'thmee = "print"\n': "argbrief.toml:2:1: error: unknown setting 'thmee' (did you mean 'theme'?) [config.unknown-key]",
    'theme = "dark"\n': "argbrief.toml:2:9: error: theme must be one of default, print, colorblind, not 'dark' [config.bad-value]",
    'exports = "../outside"\n': "argbrief.toml:2:11: error: exports = '../outside' is outside the project [config.bad-value]",
}


def test_configuration_examples_are_real_output(tmp_path, run_cli) -> None:
    printed = set()
    for n, (text, expected) in enumerate(CONFIG_EXAMPLES.items()):
        project = tmp_path / str(n)
        project.mkdir()
        (project / "argbrief.toml").write_text("# a project\n" + text, encoding="utf-8")
        code, out, err = run_cli("check", cwd=project)
        assert code == 1 and out == "" and err.startswith(expected), err
        printed.add(err.strip())
    examples = {line for block in _blocks() for line in block.splitlines() if "[config." in line}
    assert {line.split(" [")[-1] for line in examples} == {"config.syntax]", "config.unknown-key]", "config.bad-value]"}
    assert examples <= printed
