"""docs/tutorial.md, run from top to bottom: its files written, its edits made, its commands run, its outputs checked.

The page marks what the test does with HTML comments (invisible to its reader):
``<!-- file: PATH -->`` before a block writes the block to PATH; ``<!-- edit {...} -->``
replaces text in a file; ``<!-- output -->`` before a block says the command just run
prints exactly that (stdout, then stderr). Every ``argbrief`` command of a ``sh`` block
runs in-process, except the ones a reader runs once for themselves (install, serve).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from .conftest import REPO

DOC = REPO / "docs" / "tutorial.md"
BLOCK = re.compile(r"(?:<!-- (?P<marker>[^>]*?) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)^```\n", re.DOTALL | re.MULTILINE)
EDIT = re.compile(r"<!-- edit (\{.*?\}) -->")
NOT_RUN = ("pipx", "pip", "python3", "make", "sudo", "brew")


def _steps(text: str):
    """Blocks and edits in page order."""
    found = [(m.start(), "block", m) for m in BLOCK.finditer(text)] + [(m.start(), "edit", m) for m in EDIT.finditer(text)]
    return [(kind, m) for _, kind, m in sorted(found, key=lambda item: item[0])]


def test_the_tutorial_runs_as_written(tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    here = tmp_path
    last: tuple[str, str, str] | None = None
    ran = written = edits = checked = 0
    for kind, m in _steps(DOC.read_text(encoding="utf-8")):
        if kind == "edit":
            edit = json.loads(m.group(1))
            path = here / edit["file"]
            text = path.read_text(encoding="utf-8")
            assert edit["old"] in text, edit
            path.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
            edits += 1
            continue
        marker, lang, body = m.group("marker") or "", m.group("lang"), m.group("body")
        if marker.startswith("file: "):
            path = here / marker.removeprefix("file: ")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
            written += 1
        elif marker == "output":
            assert last is not None, "an output block with no command before it"
            command, out, err = last
            assert out + err == body, f"`{command}` printed:\n{out}{err}"
            checked += 1
        elif lang == "sh":
            for line in body.splitlines():
                command = line.split(" #")[0].strip()
                if not command or command.split()[0] in NOT_RUN or command.startswith("argbrief serve"):
                    continue
                if command.startswith("cd "):
                    here = here / command[3:].strip()
                    continue
                args = shlex.split(command)
                assert args[0] == "argbrief", command
                code, out, err = run_cli(*args[1:], cwd=here)
                assert code in (0, 1), f"{command}: exit {code}\n{err}"
                last = (command, out, err)
                ran += 1
    assert ran >= 9 and written == 3 and edits == 4 and checked >= 5
    for suffix in ("pdf", "docx", "html"):
        assert (here / "exports" / "phones" / f"phones.{suffix}").is_file()
    assert (here / "phones-in-class.pdf").is_file()
