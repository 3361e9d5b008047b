"""Hostile input: each ends with exit 1 and a located diagnostic, never a traceback or a hang.

Every case runs through the CLI in-process; one test runs them all again as a
subprocess (``python -m argbrief``) to prove no traceback reaches stderr.
Files that are not files (FIFOs, devices, symbolic-link loops, links out of
the project) are refused before anything is read from them; the cases marked
"issue 17 (N)" are the regression tests of docs/ci.md's security model.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from argbrief import _yamlread

from ._ci_helpers import no_hang, run_capped

VALID = "map: fine\ntitle: A fine map\nthesis:\n  id: T\n  text: A thesis.\n"
MARKER = "argbrief-pwned"


def _bomb() -> bytes:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return ("map: bomb\ntitle: t\n" + "\n".join(lines) + "\n").encode()


def _deep_block() -> bytes:
    return ("map: deep\ntitle: t\nthesis:\n" + "".join("  " * i + "k:\n" for i in range(1, 3001))).encode()


#: name -> (file content, code, line:col of the first diagnostic with that code)
CASES: dict[str, tuple[bytes, str, str]] = {
    "empty": (b"", "input.empty", "1:1"),
    "whitespace-and-comments": (b"  \n\t\n# map: draft\n   # more\n", "input.empty", "1:1"),
    "binary": (bytes(range(256)) * 4, "input.binary", "1:1"),
    "invalid-utf8": (b"map: x\ntitle: caf\xc3\x28\n", "input.not-utf8", "2:11"),
    "utf16-with-bom": ("map: x\ntitle: t\n".encode("utf-16"), "input.not-utf8", "1:1"),
    "utf32-with-bom": ("map: x\ntitle: t\n".encode("utf-32"), "input.not-utf8", "1:1"),
    "list-at-top": (b"- map: x\n- title: t\n", "schema.not-mapping", "1:1"),
    "scalar-at-top": (b"42\n", "schema.not-mapping", "1:1"),
    "null-document": (b"---\n~\n", "input.empty", "1:1"),
    "python-tag": (
        f'map: x\ntitle: !!python/object/apply:os.system ["touch {MARKER}"]\nthesis: {{text: t}}\n'.encode(),
        "yaml.tag",
        "2:8",
    ),
    "python-tag-on-mapping": (
        f"map: x\ntitle: t\nthesis: !!python/object/new:os.system {{args: [touch {MARKER}]}}\n".encode(),
        "yaml.tag",
        "3:9",
    ),
    "alias-bomb": (_bomb(), "input.too-large", "8:32"),
    "deep-flow": (b"map: x\ntitle: t\nthesis: " + b"[" * 3000 + b"]" * 3000 + b"\n", "input.too-deep", "3:108"),
    "deep-flow-unclosed": (b"map: x\nthesis: " + b"{a: " * 3000 + b"\n", "input.too-deep", "2:405"),
    "deep-block": (_deep_block(), "input.too-deep", "103:201"),
    "long-claim": (b"map: x\ntitle: t\nthesis:\n  text: " + b"a" * 200_000 + b"\n", "input.text-too-long", "4:9"),
    "nul-escape": (b'map: x\ntitle: "a\\x00b"\nthesis: {text: t}\n', "input.control-char", "2:8"),
    "escape-char-raw": (b"map: x\ntitle: red \x1b[31m text\nthesis: {text: t}\n", "input.control-char", "2:12"),
    "bell-raw": (b"map: x\ntitle: t\nthesis:\n  text: ding \x07\n", "input.control-char", "4:14"),
    "multi-document": (b"map: a\ntitle: t\n---\nmap: b\n", "yaml.syntax", "3:1"),
    "key-is-a-list": (b"map: x\ntitle: t\n[a, b]: c\nthesis: {text: t}\n", "schema.wrong-type", "3:1"),
    "key-is-a-mapping": (b"map: x\ntitle: t\n? {a: b}\n: c\nthesis: {text: t}\n", "schema.wrong-type", "3:3"),
    "tab-indent": (b"map: x\nthesis:\n\ttext: t\n", "yaml.indentation", "3:1"),
    "unknown-alias": (b"map: x\ntitle: *nope\nthesis: {text: t}\n", "yaml.syntax", "2:8"),
    "reserved-key": (b"map: x\ntitle: t\n__span__: 1\nthesis: {text: t}\n", "schema.unknown-key", "3:1"),
    "merge-key": (b"base: &b {text: t}\nmap: x\ntitle: t\nthesis:\n  <<: *b\n", "schema.unknown-key", "1:1"),
    # issue 17 (6): an alias as a mapping key is never turned into text; what aliases expand to is counted in characters
    "alias-as-key": (b"k: &k [a, b]\nmap: x\ntitle: t\nthesis: {text: t}\nnote: {*k : v}\n", "schema.wrong-type", "5:8"),
    "alias-character-bomb": (
        ("map: x\ntitle: t\ns: &s " + "y" * 19_000 + "\nl: [" + ", ".join(["*s"] * 1000) + "]\n").encode(),
        "input.too-large",
        "4:3533",
    ),
}


def _project(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "argbrief.toml").write_text("# test project\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_gives_a_located_diagnostic(name: str, tmp_path: Path, run_cli) -> None:
    content, code, where = CASES[name]
    project = _project(tmp_path)
    (project / f"{name}.yaml").write_bytes(content)
    rc, out, err = run_cli("check", f"{name}.yaml", cwd=project)
    assert rc == 1, out + err
    assert "Traceback" not in out + err
    lines = [line for line in out.splitlines() if line.endswith(f"[{code}]")]
    assert lines, out
    assert lines[0].startswith(f"{name}.yaml:{where}: error: "), out
    assert not (project / MARKER).exists()


def test_nothing_a_tag_names_is_ever_run(tmp_path: Path, run_cli, monkeypatch) -> None:
    project = _project(tmp_path)
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: calls.append(a))
    for name in ("python-tag", "python-tag-on-mapping"):
        (project / f"{name}.yaml").write_bytes(CASES[name][0])
    rc, out, _ = run_cli("check", "python-tag.yaml", "python-tag-on-mapping.yaml", cwd=project)
    assert rc == 1
    assert out.count("[yaml.tag]") == 2
    assert calls == []
    assert not (project / MARKER).exists()


def test_a_directory_named_as_a_file(tmp_path: Path, run_cli) -> None:
    project = _project(tmp_path)
    (project / "map.yaml").mkdir()
    rc, out, err = run_cli("check", "map.yaml", cwd=project)
    assert rc == 1
    assert out == "map.yaml: error: 'map.yaml' is a folder with no .yaml files in it (name map and pack files, or a folder that holds them) [input.not-found]\n"
    assert "Traceback" not in err


def test_a_directory_given_to_load_file(tmp_path: Path) -> None:
    from argbrief import load_file

    (tmp_path / "map.yaml").mkdir()
    loaded = load_file(tmp_path / "map.yaml")
    assert loaded.obj is None
    assert [d.code for d in loaded.diagnostics] == ["input.not-found"]


def test_a_missing_file_on_the_command_line(tmp_path: Path, run_cli) -> None:
    project = _project(tmp_path)
    rc, out, err = run_cli("check", "nowhere.yaml", cwd=project)
    assert rc == 1
    assert out == "nowhere.yaml: error: no such file or folder: nowhere.yaml [input.not-found]\n"
    assert "Traceback" not in err


def test_a_symlink_to_outside_the_project_as_source_text(tmp_path: Path, run_cli) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("A secret that the quote would reveal.\n", encoding="utf-8")
    project = _project(tmp_path / "project")
    (project / "arguments" / "sources").mkdir(parents=True)
    (project / "arguments" / "sources" / "link.txt").symlink_to(outside)
    (project / "arguments" / "m.yaml").write_text(
        "map: m\ntitle: t\nsource:\n  title: Linked\n  text: sources/link.txt\n"
        "thesis:\n  id: T\n  text: t\n  evidence:\n    - quote: A secret\n",
        encoding="utf-8",
    )
    rc, out, _ = run_cli("check", cwd=project)
    assert rc == 1
    assert out.startswith("arguments/m.yaml:5:9: error: source text 'sources/link.txt' is outside the project")
    assert "[input.outside-project]" in out
    assert "secret" not in out.lower().replace("a secret", "")  # the text itself is never shown


def test_a_symlinked_map_file_outside_the_project_is_refused(tmp_path: Path, run_cli) -> None:
    """Issue 17 (19): one policy, refuse. A map that is a link out of the project is never read."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "m.yaml").write_text("map: m\ntitle: Top secret title\nthesis:\n  id: T\n  text: t\n", encoding="utf-8")
    project = _project(tmp_path / "project")
    (project / "arguments").mkdir()
    (project / "arguments" / "m.yaml").symlink_to(elsewhere / "m.yaml")
    (project / "arguments" / "inside.yaml").symlink_to("../kept/inside.yaml")  # a link that stays inside is fine
    (project / "kept").mkdir()
    (project / "kept" / "inside.yaml").write_text(VALID, encoding="utf-8")
    for args in (["check"], ["check", "arguments/m.yaml"], ["render", "arguments/m.yaml"]):
        rc, out, err = run_cli(*args, cwd=project)
        assert rc == 1, args
        expected = (
            "arguments/m.yaml:1:1: error: the file is a symbolic link leading outside the project; "
            f"it leads to {elsewhere / 'm.yaml'} [input.outside-project]"
        )
        assert expected in (out + err).splitlines(), out + err
        assert "secret" not in (out + err).lower()
    assert not any("inside.yaml" in line for line in run_cli("check", cwd=project)[1].splitlines())
    (project / "linked").symlink_to(elsewhere, target_is_directory=True)  # a folder of the project that leads out
    rc, out, _ = run_cli("check", "linked", cwd=project)
    assert rc == 1 and "linked/m.yaml:1:1: error: the file is a symbolic link leading outside the project" in out


def test_crlf_line_endings_are_fine_and_located_right(tmp_path: Path, run_cli) -> None:
    project = _project(tmp_path)
    (project / "ok.yaml").write_bytes(VALID.replace("\n", "\r\n").encode())
    assert run_cli("check", "ok.yaml", cwd=project)[:2] == (0, "")
    (project / "bad.yaml").write_bytes(b"map: bad\r\ntitle: t\r\nthesis:\r\n  id: T\r\n  txet: x\r\n  text: y\r\n")
    rc, out, _ = run_cli("check", "bad.yaml", cwd=project)
    assert rc == 1
    assert out.startswith("bad.yaml:5:3: error: unknown key 'txet' in thesis (did you mean 'text'?)")


def test_utf8_with_bom_is_fine(tmp_path: Path, run_cli) -> None:
    project = _project(tmp_path)
    (project / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert run_cli("check", "bom.yaml", cwd=project)[:2] == (0, "")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("argbrief.toml", b"\xef\xbb\xbftheme = 'print'\r\n", None),  # a byte-order mark and CRLF, as Notepad saves it
        ("argbrief.toml", b"# settings\r\ntheme = 'dark'\r\n",
         "argbrief.toml:2:9: error: theme must be one of default, print, colorblind, not 'dark' [config.bad-value]"),
        ("argbrief.toml", b"theme = 'print'\njobs = 2\njobs = 3\n", "argbrief.toml:3:9: error: not valid TOML: Cannot overwrite a value"),
        ("argbrief.toml", b"theme = 'pr\x00int'\n", "argbrief.toml:1:12: error: file contains NUL bytes: binary data, not text [input.binary]"),
        ("argbrief.toml", b"theme = 'caf\xe9'\n", "argbrief.toml:1:13: error: invalid UTF-8 (byte 0xe9) (save the file as UTF-8) [input.not-utf8]"),
        ("pyproject.toml", b"[project]\nname = 'x'\ntheme = 'dark'\n\n[tool.argbrief]\n  page  =  'A5'  # paper\n",
         "pyproject.toml:6:12: error: page must be one of A4, Letter, not 'A5' [config.bad-value]"),
        ("pyproject.toml", b"[tool.argbrief]\nformats = ['pdf']\n[tool.argbrief.templates]\nx = 1\n",
         "pyproject.toml:3:1: error: templates must be a folder name (a string), not a table"),
    ],
)
def test_the_configuration_file_is_read_like_a_map_file(name: str, data: bytes, expected: str | None, tmp_path: Path, run_cli) -> None:
    """A byte-order mark is fine; every problem is a located diagnostic line with a code (exit 1), never a bare message."""
    (tmp_path / name).write_bytes(data)
    (tmp_path / "ok.yaml").write_text(VALID, encoding="utf-8")
    rc, out, err = run_cli("check", "ok.yaml", cwd=tmp_path)
    if expected is None:
        assert (rc, out) == (0, ""), err
    else:
        assert rc == 1 and out == "" and err.startswith(expected), err


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("m.yaml", VALID.replace("map: fine", "map: true"), "m.yaml:1:6: error: map: expected text, found a boolean (true) [schema.wrong-type]"),
    ("m.yaml", VALID.replace("map: fine", "map:"), "m.yaml:1:5: error: map: expected text, found nothing (null) [schema.wrong-type]"),
    ("p.yaml", "pack: [a]\ntitle: t\nmaps: [fine]\n", "p.yaml:1:7: error: pack: expected text, found a list [schema.wrong-type]"),
])
def test_an_id_of_the_wrong_type_is_one_error_not_also_a_missing_id(name: str, text: str, expected: str, tmp_path: Path,
                                                                    run_cli) -> None:
    project = _project(tmp_path)
    (project / name).write_text(text, encoding="utf-8")
    rc, out, _ = run_cli("check", name, cwd=project)
    assert rc == 1 and out.splitlines()[0] == expected and "has no id" not in out, out


def test_a_file_name_with_a_line_break_or_an_escape_sequence_stays_one_visible_line(tmp_path: Path, run_cli) -> None:
    """A pull request can name a file so: one diagnostic is still one line, and the terminal is sent no escape."""
    project = _project(tmp_path)
    names = ["we:ird\nname.yaml", "esc\x1b[31mred.yaml"]
    for name in names:
        (project / name).write_text('map: x\ntitle: t\nthesis: {text: "a\\qb"}\n', encoding="utf-8")
    rc, out, _ = run_cli("check", *names, cwd=project)
    assert rc == 1 and "\x1b" not in out, out
    assert [line.split(": error: ")[0] for line in out.splitlines()] == [
        "esc\\x1b[31mred.yaml:3:18", "we:ird\\x0aname.yaml:3:18"]


def test_file_over_the_size_limit(tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setattr(_yamlread, "MAX_BYTES", 1000)
    project = _project(tmp_path)
    (project / "big.yaml").write_text(VALID + "summary: " + "x" * 2000 + "\n", encoding="utf-8")
    rc, out, _ = run_cli("check", "big.yaml", cwd=project)
    assert rc == 1
    assert out.startswith("big.yaml:1:1: error: file is over the limit of 1,000 bytes")


def test_an_endless_file_is_never_read(tmp_path: Path, run_cli) -> None:
    """/dev/zero never ends: a link to it is refused (it leads out of the project), and so would a device be."""
    project = _project(tmp_path)
    (project / "zero.yaml").symlink_to("/dev/zero")
    rc, out, _ = run_cli("check", "zero.yaml", cwd=project)
    assert rc == 1
    assert out == "zero.yaml:1:1: error: the file is a symbolic link leading outside the project; it leads to /dev/zero [input.outside-project]\n"
    rc, out, _ = run_cli("check", "/dev/zero", cwd=project)  # named outside the project: the user's choice, still no device
    assert rc == 1 and "error: the file is a device, not a regular file [input.not-a-file]" in out


def test_a_fifo_is_refused_by_check_and_render(tmp_path: Path, run_cli) -> None:
    """Issue 17 (12): ``mkfifo arguments/fifo.yaml; argbrief check arguments/fifo.yaml`` used to wait for ever."""
    project = _project(tmp_path)
    (project / "arguments").mkdir()
    os.mkfifo(project / "arguments" / "fifo.yaml")
    expected = "arguments/fifo.yaml:1:1: error: the file is a FIFO (named pipe), not a regular file [input.not-a-file]"
    with no_hang():
        for args in (["check", "arguments/fifo.yaml"], ["check"], ["render", "arguments/fifo.yaml"], ["export", "arguments/fifo.yaml", "--to", "json"]):
            rc, out, err = run_cli(*args, cwd=project)
            assert rc == 1, args
            assert expected in (out + err).splitlines(), (args, out, err)
            assert "Traceback" not in err


def test_a_fifo_or_a_loop_as_a_source_text_is_located(tmp_path: Path, run_cli) -> None:
    """Issue 17 (12, 13): a source text that is a FIFO, or a symbolic-link loop, is an error at the map's line."""
    project = _project(tmp_path)
    sources = project / "arguments" / "sources"
    sources.mkdir(parents=True)
    os.mkfifo(sources / "fifo.txt")
    (sources / "loop.txt").symlink_to("loop.txt")
    for name, why in (("fifo", "is a FIFO (named pipe), not a regular file"), ("loop", "is a symbolic-link loop")):
        (project / "arguments" / f"{name}.yaml").write_text(
            f"map: {name}\ntitle: t\nsource:\n  title: s\n  text: sources/{name}.txt\nthesis:\n  id: T\n  text: t\n",
            encoding="utf-8",
        )
    with no_hang():
        rc, out, _ = run_cli("check", cwd=project)
    assert rc == 1
    for name, why in (("fifo", "is a FIFO (named pipe), not a regular file"), ("loop", "is a symbolic-link loop")):
        assert f"arguments/{name}.yaml:5:9: error: source text 'sources/{name}.txt' {why}" in out, out


def test_aliases_used_as_keys_stay_small(tmp_path: Path) -> None:
    """Issue 17 (6): ``{*k : v}`` 300 times in a 7 MB map took 4.5 GB; now it is refused in a process capped at 1 GB."""
    project = _project(tmp_path)
    texts = ", ".join(['"' + "w" * 1000 + '"'] * 20)
    lines = ["map: keys", "title: t", "thesis: {text: t}", f"a: &a [{texts}]"]
    lines += ["b: &b [" + ", ".join(["*a"] * 20) + "]", "c: &c [" + ", ".join(["*b"] * 20) + "]"]  # c: 8 million characters
    lines += [f"k{i}: {{*c : v}}" for i in range(300)]
    body = "\n".join(lines) + "\n"
    (project / "keys.yaml").write_text(body + "#" + "x" * (7_000_000 - len(body)) + "\n", encoding="utf-8")
    code, out, err = run_capped(["check", "keys.yaml"], cwd=project, timeout=120)
    assert code == 1, err
    assert "keys.yaml:7:6: error: a key must be a plain name, not an alias to a list [schema.wrong-type]" in out
    assert "the document expands to more than 16,777,216 characters" in out
    assert "Traceback" not in err and "internal error" not in err


def test_many_control_characters_are_summed_up(tmp_path: Path, run_cli) -> None:
    project = _project(tmp_path)
    (project / "noise.yaml").write_bytes(b"map: x\ntitle: " + b"\x01" * 50 + b"\nthesis: {text: t}\n")
    rc, out, _ = run_cli("check", "noise.yaml", cwd=project)
    assert rc == 1
    lines = [line for line in out.splitlines() if "[input.control-char]" in line]
    assert len(lines) == _yamlread.MAX_REPORTED_CHARS
    assert "and 40 more" in lines[-1]


def test_limits_are_sensible() -> None:
    # Far above real maps (the demo's biggest file is ~20 KB, 9 levels deep, its longest text
    # ~1,000 characters), far below what would hurt (a 10,000-node map is 3.3 MB, 40,000 values).
    assert 4 * 1024 * 1024 <= _yamlread.MAX_BYTES <= 64 * 1024 * 1024
    assert 40 <= _yamlread.MAX_DEPTH <= 200
    assert 100_000 <= _yamlread.MAX_NODES <= 2_000_000
    assert 5_000 <= _yamlread.MAX_TEXT <= 100_000


def test_no_traceback_reaches_stderr_from_a_real_process(tmp_path: Path) -> None:
    project = _project(tmp_path)
    args = project / "arguments"
    (args / "sources").mkdir(parents=True)
    for name, (content, _code, _where) in CASES.items():
        (args / f"{name}.yaml").write_bytes(content)
    (args / "a-folder.yaml").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("ARGBRIEF_DEBUG", "NO_COLOR")}
    proc = subprocess.run(
        [sys.executable, "-m", "argbrief", "check", "arguments", "missing.yaml"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.fullmatch(r"checked \d+ files: \d+ errors, \d+ warnings?\n", proc.stderr), proc.stderr
    for name, (_content, code, where) in CASES.items():
        assert f"arguments/{name}.yaml:{where}: error: " in proc.stdout, name
    assert "missing.yaml: error: no such file or folder: missing.yaml [input.not-found]" in proc.stdout
    assert not (project / MARKER).exists()
