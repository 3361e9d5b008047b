"""``argbrief init``: a project that works at once, a .gitignore, a closing hint that runs, its page for render."""

from __future__ import annotations

import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader


def test_init_writes_a_gitignore_and_a_clean_project(tmp_path: Path, run_cli) -> None:
    code, out, err = run_cli("init", "p", cwd=tmp_path)
    assert code == 0 and "created p/.gitignore" in out
    ignored = (tmp_path / "p" / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".argbrief-cache/" in ignored and "exports/" in ignored
    code, out, err = run_cli("check", cwd=tmp_path / "p")
    assert code == 0 and out == "" and "0 errors, 0 warnings" in err


def test_init_where_a_file_blocks_the_folder_is_a_clear_error(tmp_path: Path, run_cli) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, out, err = run_cli("init", "notes.txt/p", cwd=tmp_path)
    assert code == 1 and "argbrief: error: cannot create notes.txt/p" in err and "Not a directory" in err, err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_the_closing_hint_names_a_command_that_runs_from_the_new_project(tmp_path: Path) -> None:
    """Run as `.venv/bin/argbrief` (not on PATH): the hint gives its full path, and that command works there."""
    exe = Path(sys.executable).with_name("argbrief")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}  # argbrief itself is not on it
    done = subprocess.run([str(exe), "init", "p"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    hint = done.stderr.strip().splitlines()[-1]
    assert hint.startswith(f"next: cd p && {exe} check"), hint
    command = hint.removeprefix("next: ").split("   (")[0]
    checked = subprocess.run(command, check=False, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert checked.returncode == 0 and "checked 2 files: 0 errors, 0 warnings" in checked.stderr


def test_render_fits_to_the_page_the_configuration_names(tmp_path: Path, run_cli) -> None:
    run_cli("init", "p", cwd=tmp_path)
    project = tmp_path / "p"
    code, _, err = run_cli("render", "four-day-week", "-o", "a4.pdf", cwd=project)
    assert code == 0, err
    a4 = PdfReader(BytesIO((project / "a4.pdf").read_bytes())).pages[0].mediabox
    assert sorted((round(float(a4.width)), round(float(a4.height)))) == [595, 842]
    toml = project / "argbrief.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('page = "A4"', 'page = "Letter"'), encoding="utf-8")
    run_cli("render", "four-day-week", "-o", "letter.pdf")
    letter = PdfReader(BytesIO((project / "letter.pdf").read_bytes())).pages[0].mediabox
    assert sorted((round(float(letter.width)), round(float(letter.height)))) == [612, 792]
    toml.write_text("# no page setting\n", encoding="utf-8")
    run_cli("render", "four-day-week", "-o", "free.pdf")
    free = PdfReader(BytesIO((project / "free.pdf").read_bytes())).pages[0].mediabox
    assert sorted((round(float(free.width)), round(float(free.height)))) not in ([595, 842], [612, 792])


def test_templates_copies_argbrief_own_files_into_the_project_to_restyle_them(tmp_path: Path, run_cli) -> None:
    """An installed argbrief's templates are inside its package: `argbrief templates` brings one out to edit."""
    run_cli("init", "p", cwd=tmp_path)
    project = tmp_path / "p"
    code, out, _ = run_cli("templates", cwd=project)
    assert code == 0 and out.split() == ["pack-common.css", "pack-print.css", "pack-screen.css", "pack.html.j2",
                                         "reference.docx"]
    code, out, err = run_cli("templates", "pack-screen.css", cwd=project / "arguments")  # from any folder of the project
    assert code == 0, err
    copied = project / "templates" / "pack-screen.css"
    assert sorted(p.name for p in copied.parent.iterdir()) == ["pack-screen.css"]
    copied.write_text(copied.read_text(encoding="utf-8") + "\n.restyled-here { color: #123456; }\n", encoding="utf-8")
    code, _, err = run_cli("build", "--format", "html", cwd=project)
    assert code == 0, err
    assert ".restyled-here" in (project / "exports" / "example" / "example.html").read_text(encoding="utf-8")
    code, _, err = run_cli("templates", "pack-screen.css", cwd=project)
    assert code == 1 and "templates/pack-screen.css exists" in err
    assert ".restyled-here" in copied.read_text(encoding="utf-8")  # the project's own file is kept
    code, _, err = run_cli("templates", "pack.css", cwd=project)
    assert code == 2 and "argbrief's templates: pack-common.css" in err


def test_check_where_there_is_no_project_says_how_to_start_one(tmp_path: Path, run_cli) -> None:
    code, out, err = run_cli("check", cwd=tmp_path)
    assert code == 1 and "checked 0 files: 1 error" in err
    assert out.splitlines() == [(
        "arguments: error: no such file or folder: arguments (a project keeps its maps and packs there; "
        "'argbrief init DIR' starts a new project) [input.not-found]")]


def test_a_path_named_from_the_project_folder_gets_a_did_you_mean(tmp_path: Path, run_cli) -> None:
    """`argbrief -C p check arguments/x.yaml`: paths are the working folder's, as for any command; the hint says so."""
    run_cli("init", "p", cwd=tmp_path)
    code, out, _ = run_cli("-C", "p", "check", "arguments/four-day-week.yaml", cwd=tmp_path)
    assert code == 1 and out.splitlines() == [
        "arguments/four-day-week.yaml: error: no such file or folder: arguments/four-day-week.yaml (paths are taken "
        "from the working folder, not the project folder: did you mean p/arguments/four-day-week.yaml?) "
        "[input.not-found]"]
    code, out, _ = run_cli("-C", "p", "check", "p/arguments/four-day-week.yaml", cwd=tmp_path)
    assert code == 0 and out == ""


def test_init_into_the_current_folder_beside_other_files(tmp_path: Path, run_cli) -> None:
    """A fresh git clone with a README and a .gitignore: `argbrief init .` adds its files and its ignore lines."""
    (tmp_path / "README.md").write_text("# maps\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.pyc", encoding="utf-8")
    code, out, err = run_cli("init", ".", cwd=tmp_path)
    assert code == 0 and err.startswith("next: ") and " cd " not in err and "check" in err
    assert "added argbrief lines to .gitignore" in out.splitlines()
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# maps\n"
    ignored = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ignored[0] == "*.pyc" and ".argbrief-cache/" in ignored and "exports/" in ignored
    code, _, err = run_cli("init", ".", cwd=tmp_path)
    assert code == 2 and "exists already; init adds its files beside others but never replaces one" in err


def test_init_keeps_an_odd_gitignore_as_it_is(tmp_path: Path, run_cli) -> None:
    """A .gitignore in Latin-1 gets argbrief's lines after its own bytes; a linked one is left alone."""
    latin = tmp_path / "latin"
    latin.mkdir()
    (latin / ".gitignore").write_bytes(b"caf\xe9/\r\n")
    code, out, err = run_cli("init", ".", cwd=latin)
    assert code == 0, err
    data = (latin / ".gitignore").read_bytes()
    assert data.startswith(b"caf\xe9/\r\n") and b"\n.argbrief-cache/\n" in data
    linked = tmp_path / "linked"
    linked.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("*.log\n", encoding="utf-8")
    (linked / ".gitignore").symlink_to(outside)
    code, _, err = run_cli("init", ".", cwd=linked)
    assert code == 2 and "is not a plain file; init adds its lines only to one" in err
    assert outside.read_text(encoding="utf-8") == "*.log\n"
