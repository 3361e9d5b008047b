"""`argbrief render`: files written, formats, exit codes, and what happens when Graphviz is missing or fails."""

from __future__ import annotations

import os
import shutil
import stat
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from argbrief.errors import ToolError
from argbrief.render import run_dot

from .conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "render"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the render fixture project, to write into."""
    dest = tmp_path / "proj"
    shutil.copytree(FIXTURE, dest)
    return dest


def test_render_by_id_writes_svg_named_after_the_map(run_cli, project):
    code, out, err = run_cli("render", "features", cwd=project)
    assert code == 0, err
    assert (project / "features.svg").read_bytes().startswith(b"<?xml")
    assert "wrote features.svg" in err and out == ""


def test_render_by_path_takes_the_format_from_the_suffix(run_cli, project):
    code, _, err = run_cli("render", "arguments/features.yaml", "-o", "out/f.pdf", cwd=project)
    assert code == 0, err
    assert len(PdfReader(BytesIO((project / "out" / "f.pdf").read_bytes())).pages) == 1


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("dot", b"digraph"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_every_format(run_cli, project, fmt, magic):
    code, _, err = run_cli("render", "features", "--format", fmt, "--dpi", "40", cwd=project)
    assert code == 0, err
    assert (project / f"features.{fmt}").read_bytes().startswith(magic)


def test_split_writes_the_branches_beside_the_output(run_cli, project):
    code, _, err = run_cli("render", "features", "--split", "always", "-o", "maps/roads.svg", cwd=project)
    assert code == 0, err
    assert sorted(p.name for p in (project / "maps").iterdir()) == ["roads-P1.svg", "roads.svg"]


def test_options_reach_the_drawing(run_cli, project):
    code, _, err = run_cli(
        "render", "features", "--theme", "print", "--direction", "LR", "--wrap", "20", "--split", "never",
        "-o", "f.dot", cwd=project,
    )
    assert code == 0, err
    dot = (project / "f.dot").read_text()
    assert "rankdir=LR;" in dot and "#38761d" not in dot  # print theme: no default green


def test_stdout_output(project, monkeypatch, capsysbinary):
    from argbrief.cli import main

    monkeypatch.chdir(project)
    code = main(["render", "features", "--format", "dot", "-o", "-"])
    out, _ = capsysbinary.readouterr()
    assert code == 0 and out.startswith(b"digraph argmap {")


def test_stdout_refuses_a_split_map(run_cli, project):
    code, _, err = run_cli("render", "features", "--split", "always", "--format", "dot", "-o", "-", cwd=project)
    assert code == 2 and "name an output file" in err


def test_stdout_of_a_map_split_to_fit_the_page_says_how_to_draw_it_whole(run_cli, tmp_path):
    """The project's page splits a big map; one stream holds one drawing, and --page none draws it whole."""
    (tmp_path / "argbrief.toml").write_text('page = "A4"\n', encoding="utf-8")
    shutil.copytree(REPO / "arguments", tmp_path / "arguments")
    code, _, err = run_cli("render", "navalnyism", "--format", "dot", "-o", "-", cwd=tmp_path)
    assert code == 2 and "diagrams to fit A4; name an output file instead of '-', or draw it whole, unfitted, with --page none" in err
    code, out, err = run_cli("render", "navalnyism", "--page", "none", "--format", "dot", "-o", "-", cwd=tmp_path)
    assert code == 0 and out.startswith("digraph argmap {"), err


def test_map_with_errors_prints_diagnostics_and_exits_1(run_cli, project):
    bad = project / "arguments" / "bad.yaml"
    bad.write_text("map: bad\ntitle: Bad\nthesis:\n  id: T\n  text: x\n  premises:\n    - id: P1\n      txt: typo\n")
    code, out, err = run_cli("render", "arguments/bad.yaml", cwd=project)
    assert code == 1
    assert "bad.yaml:8:7: error:" in err and "[schema.unknown-key]" in err
    assert not (project / "bad.svg").exists()


@pytest.mark.parametrize("command", ["render", "export"])
@pytest.mark.parametrize(("name", "content", "where"), [
    ("features", "map: features\ntitle: F\nthesis:\n  id: T\n text: bad indent\n", "arguments/features.yaml:5:2: error:"),
    ("named-otherwise", "map: dredge\ntitle: [a, b\nthesis: x\n", "arguments/named-otherwise.yaml:2:8: error:"),
    ("binary", "map: binary\x00\n", "arguments/binary.yaml:1:12: error: file contains NUL bytes"),
])
def test_a_map_id_whose_file_does_not_load_shows_its_errors(run_cli, project, command, name, content, where):
    """A typo in the map file: `render ID` / `export ID` print its located error (exit 1), not "no map 'ID'"."""
    (project / "arguments" / f"{name}.yaml").write_text(content, encoding="utf-8")
    map_id = "dredge" if name == "named-otherwise" else name  # the id the file declares, else its name
    code, out, err = run_cli(command, map_id, "--to" if command == "export" else "--format", "json" if command == "export" else "dot",
                             cwd=project)
    assert code == 1 and err.startswith(where) and f"cannot {command} '{map_id}': the map has errors" in err, err
    assert "no map" not in err


@pytest.mark.parametrize("args", [
    ["render", "features", "-o", "arguments/features.yaml"],
    ["render", "features", "-o", "argbrief.toml", "--format", "svg"],
    ["render", "features", "-o", "arguments/sources/hostile.txt", "--format", "dot"],
    ["render", "features", "--worksheet", "-o", "arguments/hostile.yaml", "--format", "pdf"],
    ["export", "features", "-o", "arguments/hostile.yaml"],
])
def test_an_output_never_writes_over_what_the_project_reads(run_cli, project, args):
    """`-o arguments/features.yaml` would replace the map with a drawing: refused (exit 2), every input unchanged."""
    inputs = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    code, _, err = run_cli(*args, cwd=project)
    assert code == 2 and f"refusing to write over {args[args.index('-o') + 1]}: it is " in err, err
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == inputs
    code, _, err = run_cli("render", "features", "-o", "arguments/features.svg", cwd=project)  # a new file there is fine
    assert code == 0, err


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_a_full_disk_is_a_clear_error_and_leaves_the_old_output(run_cli, project, monkeypatch, fmt):
    """An output that cannot be written (full disk, no permission) is exit 1 naming it, never an internal error."""
    from argbrief import atomic

    old = project / f"features.{fmt}"
    old.write_bytes(b"earlier drawing")

    def full(tmp, data, *, fsync):
        raise OSError(28, "No space left on device", str(tmp))

    monkeypatch.setattr(atomic, "_create", full)
    code, _, err = run_cli("render", "features", "-o", old.name, cwd=project)
    assert code == 1 and f"argbrief: error: cannot write {old.name}: No space left on device" in err, err
    assert old.read_bytes() == b"earlier drawing"


def test_unknown_map_is_a_usage_error_with_a_hint(run_cli, project):
    code, _, err = run_cli("render", "featurs", cwd=project)
    assert code == 2 and "did you mean 'features'?" in err


def test_a_pack_file_is_not_drawn_as_one_of_its_maps(run_cli, tmp_path):
    """`render arguments/packs/example.yaml` once drew the pack's first map; a pack is no map."""
    run_cli("init", "p", cwd=tmp_path)
    code, _, err = run_cli("render", "arguments/packs/example.yaml", cwd=tmp_path / "p")
    assert code == 2 and "arguments/packs/example.yaml holds no map (is it a pack?)" in err
    assert not list((tmp_path / "p").glob("*.svg"))


def test_format_and_suffix_must_agree(run_cli, project):
    code, _, err = run_cli("render", "features", "-o", "x.png", "--format", "svg", cwd=project)
    assert code == 2 and "x.png" in err


def test_bad_option_value_is_a_usage_error(run_cli, project):
    code, _, err = run_cli("render", "features", "--theme", "neon", cwd=project)
    assert code == 2


def test_missing_dot_says_how_to_install_it_and_leaves_old_output(run_cli, project, monkeypatch):
    old = project / "features.svg"
    old.write_bytes(b"old")
    monkeypatch.setenv("PATH", str(project / "no-such-bin"))
    code, _, err = run_cli("render", "features", cwd=project)
    assert code == 1
    assert "apt-get install graphviz" in err and "Traceback" not in err
    assert old.read_bytes() == b"old"
    assert not [p for p in project.iterdir() if p.name.startswith(".tmp-")]


def _fake_dot(folder: Path, script: str) -> None:
    folder.mkdir(exist_ok=True)
    dot = folder / "dot"
    dot.write_text("#!/bin/sh\n" + script)
    dot.chmod(dot.stat().st_mode | stat.S_IEXEC)


def test_dot_failure_becomes_a_clear_tool_error(tmp_path, monkeypatch):
    with pytest.raises(ToolError, match=r"(?s)dot -Tsvg' failed.*syntax error"):
        run_dot("digraph { a -> }", "svg")
    _fake_dot(tmp_path / "bin", "echo 'Error: something broke' >&2\nexit 3\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    with pytest.raises(ToolError, match="something broke"):
        run_dot("digraph { a }", "svg")


def test_dot_timeout_becomes_a_tool_error(tmp_path, monkeypatch):
    _fake_dot(tmp_path / "bin", "exec sleep 5\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    with pytest.raises(ToolError, match="longer than 0.3 s"):
        run_dot("digraph { a }", "svg", timeout=0.3)


def test_cache_returns_earlier_output_without_running_dot(tmp_path, monkeypatch):
    from argbrief.render import DotCache

    cache = DotCache(tmp_path / "cache")
    source = "digraph { a -> b }"
    first = run_dot(source, "svg", cache=cache)
    assert len(list((tmp_path / "cache").iterdir())) == 1

    def no_dot(*args, **kwargs):
        raise AssertionError("dot ran although its output was cached")

    monkeypatch.setattr("argbrief.render.graphviz.subprocess.Popen", no_dot)
    assert run_dot(source, "svg", cache=cache) == first
    with pytest.raises(AssertionError):
        run_dot(source, "png", cache=cache)  # another format is another entry


def test_cache_keeps_at_most_max_entries(tmp_path):
    from argbrief.render import DotCache

    cache = DotCache(tmp_path / "cache", max_entries=3)
    for i in range(6):
        run_dot(f"digraph {{ n{i} }}", "plain", cache=cache)
    assert len(list((tmp_path / "cache").iterdir())) == 3


def test_render_command_uses_the_project_cache(run_cli, project):
    assert run_cli("render", "features", cwd=project)[0] == 0
    assert any((project / ".argbrief-cache" / "dot").iterdir())
    assert run_cli("render", "features", "--no-cache", "-o", "again.svg", cwd=project)[0] == 0
    assert (project / "again.svg").read_bytes() == (project / "features.svg").read_bytes()



def test_a_stopped_build_stops_dot_at_once_and_removes_its_output_folder(stopped_midway, monkeypatch):
    """A worker stopped by SIGTERM ends with os._exit, which unwinds nothing: the stop itself removes a run's output folder."""
    import threading

    from argbrief.render import graphviz

    folders: list[str] = []
    unwind = threading.Event()
    real = graphviz.run_tool

    def held(command, data, seconds):
        folders.extend(graphviz._scratch)
        try:
            return real(command, data, seconds)
        finally:
            unwind.wait(10)  # the run's own clean-up waits until the test has looked

    def looked() -> None:
        assert folders and not any(os.path.exists(f) for f in folders)
        unwind.set()

    monkeypatch.setattr(graphviz, "run_tool", held)
    graphviz._MEASURED.clear()
    error = stopped_midway("dot", lambda: graphviz.run_dot_formats("digraph { a -> b }", ("plain", "svg"), 60), looked)
    assert "dot" in str(error) and not graphviz._scratch
