"""A pack with ``changes_since``: "What changed since …" in its front, in HTML, PDF and Word."""

from __future__ import annotations

import io
import re

import docx
import pytest
from pypdf import PdfReader

from argbrief import Config, load_workspace
from argbrief.diff.editions import earlier_edition
from argbrief.packs.changes import MOST, what_changed

from ._git import MAP, PACK, THE_EDIT, commit, edit, init_project
from ._html import parse_html


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = init_project(tmp_path / "council")
    monkeypatch.chdir(root)
    return root


def _since(root, value: str) -> None:
    edit(root / PACK, ("formats: [pdf, docx, html]\n", f"formats: [pdf, docx, html]\nchanges_since: {value}\n"))


def _section(root):
    config = Config.discover(root)
    ws = load_workspace(config)
    pack = ws.packs["example"]
    edition, problems = earlier_edition(config, pack, ws.pack_files["example"])
    assert not problems, [d.format() for d in problems]
    return what_changed(edition, pack, ws.maps)


EXPECTED = [
    "Extend the trial now answers \u201cDoes a four-day week keep service fast?\u201d no (was yes).",
    (
        "Map \u201cShould the council try a four-day week?\u201d: 1 premise added, 1 evidence item removed, "
        "1 reworded, 1 answer changed."
    ),
]


def test_the_section_says_what_moved_in_the_argument(project):
    _since(project, "HEAD")
    edit(project / MAP, *THE_EDIT)
    section = _section(project)
    assert section.heading.text == "What changed since 15 January 2025 (HEAD)"
    assert list(section.lines) == EXPECTED and section.more == 0


def test_nothing_changed(project):
    _since(project, "HEAD")
    assert _section(project).lines == ("Nothing in the argument changed.",)


def test_an_earlier_pack_file(project):
    (project / "editions").mkdir()
    (project / "editions" / "example-1.yaml").write_text(
        (project / PACK).read_text("utf-8").replace("date: 2025-01-15", "date: 2024-12-01"), "utf-8"
    )
    _since(project, "../../editions/example-1.yaml")
    edit(project / PACK, ("questions:\n", "questions:\n  - id: costs\n    text: Does it cost more?\n"))
    section = _section(project)
    assert section.heading.text == "What changed since 1 December 2024 (../../editions/example-1.yaml)"
    assert section.lines == ("Question added: Does it cost more?",)


def test_long_lists_are_cut_short(project):
    _since(project, "HEAD")
    questions = "".join(f"  - id: q{i}\n    text: Question {i}?\n" for i in range(MOST + 3))
    edit(project / PACK, ("questions:\n", "questions:\n" + questions))
    section = _section(project)
    assert len(section.lines) == MOST and section.more == 3 and section.command == "argbrief diff HEAD"


def test_every_format_has_the_section_and_a_bad_revision_stops_the_build(project, run_cli):
    _since(project, "HEAD")
    commit(project, "second edition names the first")
    edit(project / MAP, *THE_EDIT)
    code, out, err = run_cli("build")
    assert code == 0, out + err
    folder = project / "exports" / "example"
    html = re.sub(r"\s+", " ", "".join(parse_html((folder / "example.html").read_text("utf-8")).text))
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO((folder / "example.pdf").read_bytes())).pages)
    word = "\n".join(p.text for p in docx.Document(str(folder / "example.docx")).paragraphs)
    for text in (html, re.sub(r"\s+", " ", pdf), word):
        assert "What changed since 15 January 2025 (HEAD)" in text
        assert "now answers \u201cDoes a four-day week keep service fast?\u201d no (was yes)." in text
    # The earlier edition is part of what the documents depend on: a new commit makes them stale.
    commit(project, "third edition")
    code, out, _ = run_cli("build", "--check")
    assert code == 1 and "example.html" in out
    # A revision git does not know: a located error, and nothing is written.
    edit(project / PACK, ("changes_since: HEAD", "changes_since: v9"))
    before = (folder / "example.html").read_bytes()
    code, out, err = run_cli("build")
    assert code == 1
    assert re.search(r"arguments/packs/example\.yaml:8:16: error: changes_since: unknown revision 'v9'.*\[pack\.changes-since\]", out)
    assert (folder / "example.html").read_bytes() == before
