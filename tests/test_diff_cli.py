"""``argbrief diff`` in a git project made by ``argbrief init``: the issue's edit, outputs, exit codes, bad input."""

from __future__ import annotations

import json
import os
import re

import jsonschema
import pytest

from argbrief.diff.report import JSON_SCHEMA, MARKER

from ._git import MAP, PACK, THE_EDIT, commit, edit, git, init_project
from .conftest import REPO

DOC = REPO / "docs" / "diff.md"


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = init_project(tmp_path / "council")
    monkeypatch.chdir(root)
    # Never let git find a repository above the test's folder.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return root


@pytest.fixture
def edited(project):
    edit(project / MAP, *THE_EDIT)
    return project


def _documented_schema() -> dict:
    block = re.search(
        r"<!-- schema:begin -->\s*```json\n(.*?)```\s*<!-- schema:end -->", DOC.read_text("utf-8"), re.DOTALL
    )
    assert block, "docs/diff.md must hold the JSON Schema between the schema markers"
    return json.loads(block.group(1))


def test_documented_schema_is_the_one_in_the_code():
    assert _documented_schema() == JSON_SCHEMA
    jsonschema.Draft202012Validator.check_schema(JSON_SCHEMA)


def test_the_issue_edit_in_json(edited, run_cli):
    code, out, err = run_cli("diff", "HEAD", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    jsonschema.validate(doc, _documented_schema(), cls=jsonschema.Draft202012Validator)
    assert doc["old"]["label"] == "HEAD" and doc["old"]["date"] == "2025-01-15" and len(doc["old"]["commit"]) == 40
    assert doc["new"] == {"label": "working tree", "commit": None, "date": None}
    changes = [c for d in doc["documents"] for c in d["changes"]]
    added = [c for c in changes if c["op"] == "added"]
    assert [(c["subject"], c["kind"], c["id"], c["parent"]) for c in added] == [("node", "premise", "P3", "T")]
    assert ("evidence", "E2") in {(c["kind"], c["id"]) for c in changes if c["op"] == "removed"}
    (reworded,) = [c for c in changes if c["field"] == "text"]
    assert reworded["id"] == "P1" and reworded["new"].endswith("than the other offices.")
    (stance,) = [c for c in changes if c["subject"] == "stance"]
    assert (stance["id"], stance["position"], stance["old"], stance["new"]) == (
        "faster-service",
        "extend-trial",
        "yes",
        "no",
    )
    assert stance["basis"] == ["four-day-week:T"]
    assert doc["summary"]["added"] == 1 and doc["summary"]["removed"] >= 1 and doc["summary"]["text"] >= 1
    assert doc["summary"]["stance"] == 1
    # Placed in the files: NEW's lines for what is there, OLD's (named by revision) for what was removed.
    e2 = next(c for c in changes if c["id"] == "E2")
    assert e2["file"] == f"HEAD:{MAP}" and e2["line"] == 29
    assert reworded["file"] == MAP and reworded["line"] == 21


def test_the_issue_edit_in_text_one_line_per_change(edited, run_cli):
    code, out, _ = run_cli("diff")  # HEAD against the working tree is the default
    assert code == 0
    lines = out.splitlines()
    as_json = json.loads(run_cli("diff", "--format", "json")[1])
    assert len(lines) == as_json["summary"]["changes"]
    assert f"{MAP}:28:7: + premise P3 “Staff reported lower stress during the trial.” (under T)" in lines
    assert f"HEAD:{MAP}:29:11: - evidence E2 “sick days fell by a third” (was under P2)" in lines
    reworded = "~ premise P1 text: The trial office decided planning applications faster{+ than the other offices+}."
    assert f"{MAP}:21:13: {reworded}" in lines
    assert any(ln.endswith("~ example: stance of extend-trial on faster-service: yes → no") for ln in lines)
    assert "\x1b[" not in out  # not a terminal: no colour


def test_the_issue_edit_in_markdown(edited, run_cli):
    code, out, _ = run_cli("diff", "--format", "markdown")
    assert code == 0
    assert out.startswith(MARKER + "\n")
    # Rewordings and stance changes are some of the changed, not more changes beside them.
    assert "1 map and 1 pack changed: 1 added, 1 removed, 3 changed (1 reworded, 1 stance changed)." in out
    assert "- **added** premise `P3` “Staff reported lower stress during the trial.” (under `T`)" in out
    assert "- **removed** evidence `E2`" in out
    assert "| Question | Position | Before | After | Basis |" in out
    assert "| Does a four-day week keep service fast? | extend-trial | ✓ yes | ✗ no | four-day-week:T |" in out


def test_no_change_gives_an_empty_report_and_exit_0(project, run_cli):
    assert run_cli("diff") == (0, "", "")
    assert run_cli("diff", "--exit-code", "--format", "markdown") == (0, "", "")
    code, out, _ = run_cli("diff", "--format", "json", "--exit-code")
    assert code == 0 and json.loads(out)["changed"] is False and json.loads(out)["documents"] == []


def test_exit_code_flag_fails_when_anything_changed(edited, run_cli):
    assert run_cli("diff", "--exit-code")[0] == 1
    assert run_cli("diff")[0] == 0


def test_two_revisions_and_one_file(edited, run_cli):
    commit(edited, "second edition")
    assert run_cli("diff")[1] == ""  # committed: HEAD and the working tree agree
    code, both, _ = run_cli("diff", "HEAD~1", "HEAD")
    assert code == 0 and "+ premise P3" in both and both.count("\n") == 5
    # One file: REV FILE, FILE alone (HEAD and now), REV:FILE FILE; only that map, not the pack.
    code, one, _ = run_cli("diff", "HEAD~1", MAP)
    assert code == 0 and "+ premise P3" in one and "stance" not in one
    assert run_cli("diff", f"HEAD~1:{MAP}", MAP)[1] == one
    assert run_cli("diff", MAP)[1] == ""
    # A pack file at two revisions compares its stances with the maps of each revision.
    code, pack, _ = run_cli("diff", "HEAD~1", PACK)
    assert code == 0 and pack.strip().endswith("~ example: stance of extend-trial on faster-service: yes → no")


def test_two_files_outside_git(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = init_project(tmp_path / "p")
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text((root / MAP).read_text("utf-8"), "utf-8")
    new.write_text((root / MAP).read_text("utf-8").replace("id: P2\n", "id: P2b\n"), "utf-8")
    code, out, err = run_cli("diff", str(old), str(new), cwd=tmp_path)
    assert code == 0, err
    assert out.splitlines()[0].endswith("~ premise P2 renamed P2b")


def test_a_map_that_does_not_load_at_one_side_is_reported_and_the_rest_is_shown(edited, run_cli):
    (edited / "arguments" / "broken.yaml").write_text("map: broken\ntitle: [unclosed\n", "utf-8")
    commit(edited, "a broken map")
    (edited / "arguments" / "broken.yaml").write_text("map: broken\ntitle: Mended\nthesis: {id: T, text: t}\n", "utf-8")
    edit(edited / MAP, ("id: P3\n", "id: P4\n"))
    code, out, err = run_cli("diff", "HEAD")
    assert code == 1
    assert re.search(r"^HEAD:arguments/broken\.yaml:\d+:\d+: error: .* \[yaml\.syntax\]$", err, re.MULTILINE), err
    assert "Traceback" not in err
    assert "~ premise P3 renamed P4" in out  # the rest of the diff
    assert "arguments/broken.yaml: ! map broken: its file does not load at HEAD (see the errors)" in out
    doc = json.loads(run_cli("diff", "HEAD", "--format", "json")[1])
    assert doc["diagnostics"][0]["file"] == "HEAD:arguments/broken.yaml"
    assert {d["id"]: d["status"] for d in doc["documents"]}["broken"] == "not-compared"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["diff", "no-such-branch"], 1, "argbrief: error: unknown revision 'no-such-branch'"),
        (["diff", "--", "--output=x"], 1, "argbrief: error: '--output=x' is not a revision name"),
        (["diff", "--output=x"], 2, "No such option"),
        (["diff", "HEAD", "HEAD", "HEAD"], 2, "unexpected extra argument"),
        (["diff", "--format", "html"], 2, "Invalid value for '--format'"),
        (["diff", "missing.yaml", MAP], 1, "argbrief: error: no such file: missing.yaml"),
        (["diff", "fifo.yaml", MAP], 1, "argbrief: error: not a regular file (a folder, a FIFO or a device): fifo.yaml"),
        (["diff", MAP, PACK], 1, "holds map 'four-day-week' but arguments/packs/example.yaml holds pack 'example'"),
        (["diff", "HEAD:arguments/nothing.yaml", MAP], 1, "arguments/nothing.yaml is not in HEAD"),
    ],
)
def test_bad_input_gives_a_clear_error(project, run_cli, args, code, message):
    os.mkfifo(project / "fifo.yaml")  # a FIFO is a file's name, not a file: never opened
    got, out, err = run_cli(*args)
    assert got == code, err
    assert message in err and "Traceback" not in err and out == ""


def test_two_maps_with_different_ids_are_refused(project, run_cli, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text((project / MAP).read_text("utf-8").replace("map: four-day-week", "map: three-day-week"), "utf-8")
    code, _, err = run_cli("diff", MAP, str(other))
    assert code == 1
    assert "holds map 'four-day-week'" in err and "holds map 'three-day-week'" in err and "same id" in err


def test_a_file_that_is_not_a_map(project, run_cli, tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\x00\x01binary")
    code, out, err = run_cli("diff", MAP, str(junk))
    assert code == 1
    assert "error: file contains NUL bytes" in err and "[input.binary]" in err
    assert "does not load" in out


def test_not_a_git_repository(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "p").mkdir()
    code, _, err = run_cli("diff", cwd=tmp_path / "p")
    assert code == 1 and "is not in a git repository" in err and "argbrief diff OLD.yaml NEW.yaml" in err


def test_a_repository_without_commits(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    git(tmp_path, "init", "-q")
    code, _, err = run_cli("diff", cwd=tmp_path)
    assert code == 1 and "unknown revision 'HEAD'" in err and "no commits yet" in err


def test_reports_are_the_same_bytes_every_run(edited, run_cli):
    for fmt in ("text", "markdown", "json"):
        assert run_cli("diff", "--format", fmt)[1] == run_cli("diff", "--format", fmt)[1]
