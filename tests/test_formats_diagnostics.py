"""Every import diagnostic, as ``argbrief import`` prints it, from a small input each; the docs show real lines."""

from __future__ import annotations

import re

from argbrief.diagnostics import CODES

from .conftest import REPO

FOLDER = REPO / "tests" / "fixtures" / "interchange" / "diagnostics"
DOC = REPO / "docs" / "diagnostics.md"
LINE = re.compile(r"^\S+: (error|warning): .* \[(?P<code>[a-z]+\.[a-z0-9-]+)\]$")
AREAS = ("import", "argdown", "kialo")


def printed(run_cli) -> list[str]:
    lines: list[str] = []
    for entry in (FOLDER / "inputs.txt").read_text(encoding="utf-8").splitlines():
        name, fmt = entry.split()
        _code, _out, err = run_cli("import", name, "--from", fmt, cwd=FOLDER)
        lines += [line for line in err.splitlines() if LINE.match(line)]
    return lines


def test_import_diagnostics_are_what_expected_txt_says(run_cli) -> None:
    expected = (FOLDER / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert printed(run_cli) == expected


def test_every_import_code_is_illustrated_by_a_real_line(run_cli) -> None:
    lines = set(printed(run_cli))
    section = DOC.read_text(encoding="utf-8").split("### Importing other formats", 1)[1]
    examples = [line for line in section.splitlines() if LINE.match(line)]
    assert examples and all(line in lines for line in examples)
    shown = {LINE.match(line)["code"] for line in examples}
    wanted = {code for code in CODES if code.split(".")[0] in AREAS}
    assert sorted(wanted - shown) == [], "import codes without a real example in docs/diagnostics.md"
