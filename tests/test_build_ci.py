"""``argbrief build`` as CI runs it: incremental, ``--check``, ``--jobs``, atomic and lossless, reproducible, ``--watch``.

Most tests build only HTML (no WeasyPrint) of a one-map project, in-process
with ``-j 1``; the tests about parallel and reproducible output build every
format.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from argbrief import Config
from argbrief.builder import build
from argbrief.builder.manifest import MANIFEST_VERSION

from ._ci_helpers import REAL_DOT, fake_dot, mtimes, path_with, small_project, tree
from ._packs_project import MAP_YAML, PACK_YAML
from .conftest import REPO

MAP = "arguments/four-day-week.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A small HTML-only project, built once; tests copy it."""
    root = small_project(tmp_path_factory.mktemp("built") / "proj")
    result = build(Config.discover(root), jobs=1)
    assert not result.failed
    return root


@pytest.fixture
def project(built, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _no_dot_and_no_rendering(monkeypatch) -> None:
    """Make any Graphviz run or document rendering fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"rendered although nothing changed: {args[:1]}")

    monkeypatch.setattr("argbrief.render.graphviz.subprocess.Popen", refuse)
    monkeypatch.setattr("argbrief.builder.documents.render_document", refuse)


# --------------------------------------------------------------------------- incremental


def test_a_no_op_build_renders_nothing_and_rewrites_nothing(run_cli, project, monkeypatch):
    before, stamps = tree(project), mtimes(project)
    _no_dot_and_no_rendering(monkeypatch)
    code, out, err = run_cli("build", "-j", "1", "-v", cwd=project)
    assert code == 0, err
    assert out == ""
    assert "example.html: up to date" in err and "everything was up to date" in err
    assert tree(project) == before and mtimes(project) == stamps  # not even the cache was rewritten


def test_a_changed_map_rebuilds_what_depends_on_it_and_says_why(run_cli, project):
    _edit(project / MAP, "The trial worked; extend it.", "The trial worked; extend it now.")
    svg = project / "exports/example/maps/four-day-week.svg"
    svg_stamp = svg.stat().st_mtime_ns
    code, out, err = run_cli("build", "-j", "1", "-v", cwd=project)
    assert code == 0, err
    assert f"example.html: {MAP} changed" in err
    assert out.splitlines() == ["wrote exports/example/example.html"]
    assert svg.stat().st_mtime_ns == svg_stamp  # redrawn (from the Graphviz cache) but the same bytes: not rewritten


def test_a_template_change_rebuilds_html_not_word(tmp_path, run_cli):
    root = small_project(tmp_path / "p", formats="[html, docx]")
    from argbrief.packs.html import builtin_templates

    shutil.copytree(builtin_templates(), root / "templates")
    assert run_cli("build", "-j", "1", cwd=root)[0] == 0
    docx_before = (root / "exports/example/example.docx").read_bytes()
    with open(root / "templates/pack-screen.css", "a", encoding="utf-8") as fh:
        fh.write("\nh1 { letter-spacing: 0.01em; }\n")
    code, out, err = run_cli("build", "-j", "1", "-v", cwd=root)
    assert code == 0, err
    assert "example.html: templates/pack-screen.css changed" in err
    assert "example.docx: up to date" in err
    assert out.splitlines() == ["wrote exports/example/example.html"]
    assert (root / "exports/example/example.docx").read_bytes() == docx_before


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_a_deleted_or_edited_export_is_rebuilt(run_cli, project, damage):
    html = project / "exports/example/example.html"
    good = html.read_bytes()
    if damage == "delete":
        html.unlink()
    else:
        html.write_bytes(good.replace(b"four-day week", b"five-day week"))
    code, out, err = run_cli("build", "-j", "1", "-v", cwd=project)
    assert code == 0, err
    assert ("is missing" if damage == "delete" else "was edited or replaced") in err
    assert html.read_bytes() == good


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff garbage",
        b"{not json",
        b'{"kind": "argbrief-build-cache", "version": 999, "units": {}}',
        json.dumps({"kind": "argbrief-build-cache", "version": MANIFEST_VERSION, "exports": "exports", "units": {"x": 1}}).encode(),
        b"[1, 2, 3]",
    ],
    ids=["empty", "binary", "truncated", "newer-version", "wrong-shape", "wrong-type"],
)
def test_an_old_or_corrupt_cache_is_ignored_never_a_crash(run_cli, project, content):
    (project / ".argbrief-cache/build.json").write_bytes(content)
    html = (project / "exports/example/example.html").read_bytes()
    code, _, err = run_cli("build", "-j", "1", "-v", cwd=project)
    assert code == 0, err
    assert "not built before" in err
    assert (project / "exports/example/example.html").read_bytes() == html
    # ... and the cache is whole again: the next build is a no-op
    code, _, err = run_cli("build", "-j", "1", cwd=project)
    assert "everything was up to date" in err


def test_a_damaged_graphviz_cache_entry_is_never_served(run_cli, project):
    entries = [p for p in (project / ".argbrief-cache/dot").iterdir() if not p.name.startswith(".")]
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])  # truncated
    before = tree(project / "exports")
    code, _, err = run_cli("build", "-j", "1", "--no-cache", cwd=project)
    assert code == 0, err
    code, _, err = run_cli("build", "-j", "1", "--check", cwd=project)
    assert code == 0, err
    assert tree(project / "exports") == before


def test_no_cache_renders_everything_again(run_cli, project):
    code, out, err = run_cli("build", "-j", "1", "--no-cache", "-v", cwd=project)
    assert code == 0, err
    assert "example.html: --no-cache" in err and "0 of 2 parts up to date" in err
    assert out == ""  # same bytes: nothing rewritten


# --------------------------------------------------------------------------- --check


def test_check_passes_on_current_exports_and_writes_nothing(run_cli, project):
    """--check trusts no cache: every part is rendered in memory and compared; nothing is written."""
    before, stamps = tree(project), mtimes(project)
    code, out, err = run_cli("build", "--check", "-j", "1", cwd=project)
    assert code == 0, err
    assert out == "" and "check passed" in err and "0 of 2 parts from the build cache, 2 rendered in memory" in err
    assert tree(project) == before and mtimes(project) == stamps


def test_check_trusting_the_cache_renders_nothing_and_writes_nothing(run_cli, project, monkeypatch):
    """--trust-cache (a hook on one's own machine): fresh parts are taken from the build cache."""
    before, stamps = tree(project), mtimes(project)
    _no_dot_and_no_rendering(monkeypatch)
    code, out, err = run_cli("build", "--check", "--trust-cache", "-j", "1", cwd=project)
    assert code == 0, err
    assert out == "" and "check passed" in err
    assert tree(project) == before and mtimes(project) == stamps
    assert run_cli("build", "--trust-cache", cwd=project)[0] == 2  # only with --check


def test_check_fails_on_a_stale_export_and_writes_nothing_not_even_the_cache(run_cli, project):
    _edit(project / MAP, "The trial worked; extend it.", "The trial worked; extend it now.")
    before = tree(project)
    code, out, err = run_cli("build", "--check", "-j", "1", cwd=project)
    assert code == 1
    assert f"stale: exports/example/example.html ({MAP} changed)" in out.splitlines()
    assert "check failed: 1 export" in err
    assert tree(project) == before


def test_check_fails_on_an_edited_a_missing_and_an_extra_export(run_cli, project):
    (project / "exports/example/example.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    (project / "exports/example/maps/four-day-week.svg").unlink()
    (project / "exports/example/maps/old-branch.svg").write_text("<svg/>", encoding="utf-8")
    before = tree(project)
    code, out, _ = run_cli("build", "--check", "-j", "1", cwd=project)
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("edited: exports/example/example.html") for line in lines), lines
    assert any(line.startswith("missing: exports/example/maps/four-day-week.svg") for line in lines), lines
    assert any(line.startswith("extra: exports/example/maps/old-branch.svg") for line in lines), lines
    assert tree(project) == before


def test_check_without_a_build_cache_compares_the_bytes(run_cli, project):
    """A fresh CI checkout has the committed exports but no .argbrief-cache: --check renders in memory."""
    shutil.rmtree(project / ".argbrief-cache")
    code, _, err = run_cli("build", "--check", "-j", "1", cwd=project)
    assert code == 0, err
    assert not (project / ".argbrief-cache").exists()
    _edit(project / MAP, "Extend the trial", "Prolong the trial")
    code, out, _ = run_cli("build", "--check", "-j", "1", cwd=project)
    assert code == 1 and "stale: exports/example/example.html (differs from what the build makes)" in out


# --------------------------------------------------------------------------- parallel, report, config


def test_jobs_2_gives_the_same_bytes_as_jobs_1(tmp_path):
    one = small_project(tmp_path / "one", formats="[pdf, docx, html]")
    two = small_project(tmp_path / "two", formats="[pdf, docx, html]")
    assert not build(Config.discover(one), jobs=1, use_cache=False).failed
    result = build(Config.discover(two), jobs=2, use_cache=False)
    assert not result.failed and result.jobs == 2
    assert tree(one / "exports") == tree(two / "exports")
    assert len(tree(one / "exports")) == 7  # three documents, the comparison, the map as overview and two branches


def test_report_lists_inputs_outputs_timings_and_cache_hits(run_cli, project):
    code, _, err = run_cli("build", "-j", "1", "--report", "out/report.json", cwd=project)
    assert code == 0, err
    report = json.loads((project / "out/report.json").read_text(encoding="utf-8"))
    assert report["version"] == 1 and report["mode"] == "build" and report["ok"] is True
    inputs = {i["path"]: i["sha256"] for i in report["inputs"]}
    assert {MAP, "arguments/packs/example.yaml", "arguments/sources/four-day-week.txt"} <= set(inputs)
    outputs = {o["path"]: o for o in report["outputs"]}
    html = project / "exports/example/example.html"
    assert outputs["exports/example/example.html"]["size"] == html.stat().st_size
    import hashlib

    assert outputs["exports/example/example.html"]["sha256"] == hashlib.sha256(html.read_bytes()).hexdigest()
    assert report["cache"] == {"units_fresh": 2, "units_rendered": 0, "dot_hits": 0, "dot_misses": 0}
    assert {"load", "plan", "write", "total"} <= set(report["timings"])
    assert [u["fresh"] for u in report["units"]] == [True, True]
    assert not list((project / "out").glob(".*.tmp"))


def test_project_configuration_is_honoured(tmp_path):
    """arguments, templates, exports, formats, theme, page and jobs all come from argbrief.toml."""
    root = tmp_path / "p"
    pack = PACK_YAML.replace("formats: [pdf, docx, html]\n", "").replace("page: Letter\n", "")
    small_project(root, pack_yaml=pack)
    (root / "arguments").rename(root / "content")
    from argbrief.packs.html import builtin_templates

    shutil.copytree(builtin_templates(), root / "look")
    (root / "look" / "pack-screen.css").write_text("body { margin: 0; } /* the project's own */\n", encoding="utf-8")
    (root / "argbrief.toml").write_text(
        'arguments = "content"\ntemplates = "look"\nexports = "out/packs"\nformats = ["html"]\n'
        'theme = "print"\npage = "Letter"\njobs = 1\n',
        encoding="utf-8",
    )
    result = build(Config.discover(root))
    assert not result.failed, [d.format() for d in result.diagnostics]
    assert result.jobs == 1
    files = set(tree(root / "out" / "packs"))
    mine = {"example/example.html", "example/maps/example-comparison.svg", "example/maps/four-day-week.svg"}
    assert mine <= files and all(f.startswith("example/maps/four-day-week-") for f in files - mine)  # its branches
    html = (root / "out/packs/example/example.html").read_text(encoding="utf-8")
    assert "the project's own" in html
    assert "size: letter" in html
    svg = (root / "out/packs/example/maps/four-day-week.svg").read_text(encoding="utf-8")
    assert "#ffffff" in svg.lower() and "#e3f1e3" not in svg.lower()  # the print theme's greys


# --------------------------------------------------------------------------- atomic and lossless


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_exports_get_the_usual_permissions(tmp_path, umask):
    root = small_project(tmp_path / "p")
    old = os.umask(umask)
    try:
        assert not build(Config.discover(root), jobs=1).failed
    finally:
        os.umask(old)
    for path in (root / "exports").rglob("*"):
        if path.is_file():
            assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path


def _break_map(root: Path) -> None:
    _edit(root / MAP, "because: [P1, P2]", "because: [P9]")


def _break_template(root: Path) -> None:
    from argbrief.packs.html import builtin_templates

    shutil.copytree(builtin_templates(), root / "templates")
    _edit(root / "templates/pack.html.j2", "{{ doc.meta.title }}", "{{ doc.meta.title | no_such_filter }}")


@pytest.mark.parametrize("breakage", ["bad-map", "broken-template", "template-is-a-folder", "dot-crash", "dot-killed", "dot-sleep"])
def test_a_failed_build_leaves_earlier_exports_untouched(run_cli, project, tmp_path, monkeypatch, breakage):
    _edit(project / "arguments/packs/example.yaml", "One position", "One position, revised")  # so there is work to do
    (project / "exports/example/maps/old-branch.svg").write_text("<svg/>", encoding="utf-8")  # stale, but kept on failure
    before = tree(project / "exports")
    if breakage == "bad-map":
        _break_map(project)
    elif breakage == "broken-template":
        _break_template(project)
    elif breakage == "template-is-a-folder":  # the worker's error must come back whole (it was a BrokenProcessPool)
        (project / "templates/pack.html.j2").mkdir(parents=True)
    else:
        _edit(project / MAP, "Work got done faster", "Work got done quicker")  # a new drawing: dot must run
        monkeypatch.setenv("PATH", path_with(fake_dot(tmp_path / "bin", breakage.removeprefix("dot-"))))
        monkeypatch.setenv("ARGBRIEF_DOT_TIMEOUT", "2")
    code, out, err = run_cli("build", cwd=project)  # the default: a process pool
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    expected = {
        "bad-map": "[ref.unknown-target]",
        "broken-template": "no_such_filter",
        "template-is-a-folder": "argbrief: error: templates/pack.html.j2 is a folder, not a file",
        "dot-crash": "Graphviz 'dot -T",
        "dot-killed": "Graphviz 'dot -T",
        "dot-sleep": "took longer than 2 s",
    }[breakage]
    assert expected in out + err
    assert tree(project / "exports") == before


def test_ctrl_c_stops_the_build_and_leaves_nothing_behind(project, tmp_path):
    """SIGINT to a real build (while a drawing hangs): exit 130, exports as they were, no temp files."""
    _edit(project / MAP, "Work got done faster", "Work got done quicker")
    before = tree(project / "exports")
    env = {**os.environ, "PATH": path_with(fake_dot(tmp_path / "bin", "sleep")), "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "argbrief", "build", "-j", "2"], cwd=project, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    time.sleep(3)  # loading, planning and the first drawings have started
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole process group
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert b"Traceback" not in out + err
    assert tree(project / "exports") == before
    assert not [p for p in project.rglob("*.tmp")]


def test_stale_files_are_removed_only_after_a_successful_build(run_cli, project):
    old = project / "exports/example/maps/old-branch.svg"
    old.write_text("<svg/>", encoding="utf-8")
    _break_map(project)
    assert run_cli("build", "-j", "1", cwd=project)[0] == 1
    assert old.exists()
    _edit(project / MAP, "because: [P9]", "because: [P1, P2]")
    code, _, err = run_cli("build", "-j", "1", cwd=project)
    assert code == 0 and "1 stale removed" in err
    assert not old.exists()


def test_a_format_the_pack_dropped_and_a_pack_that_is_gone_are_cleaned_up(run_cli, tmp_path):
    root = small_project(tmp_path / "p", formats="[html, docx]")
    other = PACK_YAML.replace("pack: example", "pack: other").replace("formats: [pdf, docx, html]", "formats: [html]")
    (root / "arguments/packs/other.yaml").write_text(other, encoding="utf-8")
    assert run_cli("build", "-j", "1", cwd=root)[0] == 0
    assert (root / "exports/example/example.docx").exists() and (root / "exports/other/other.html").exists()
    # --format chooses formats for this run only: the Word file stays
    assert run_cli("build", "-j", "1", "--format", "html", cwd=root)[0] == 0
    assert (root / "exports/example/example.docx").exists()
    _edit(root / "arguments/packs/example.yaml", "formats: [html, docx]", "formats: [html]")
    (root / "arguments/packs/other.yaml").unlink()
    code, _, err = run_cli("build", "-j", "1", cwd=root)
    assert code == 0, err
    assert not (root / "exports/example/example.docx").exists()
    assert not (root / "exports/other").exists()
    assert (root / "exports/example/example.html").exists()


# --------------------------------------------------------------------------- reproducible


def _faketime_build(root: Path, when: str) -> None:
    env = {
        **os.environ,
        "FAKETIME": f"@{when}",
        "LD_PRELOAD": _libfaketime(),
        "PYTHONPATH": str(REPO / "src"),
        "PYTHONHASHSEED": "random",
    }
    env.pop("SOURCE_DATE_EPOCH", None)
    probe = subprocess.run([sys.executable, "-c", "import time; print(time.strftime('%Y-%m-%d', time.gmtime()))"], env=env, capture_output=True, text=True)
    assert probe.stdout.strip() == when[:10], "libfaketime did not take effect"
    proc = subprocess.run([sys.executable, "-m", "argbrief", "build", "--no-cache"], cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _libfaketime() -> str:
    for candidate in ("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1"):
        if Path(candidate).exists():
            return candidate
    return ""


@pytest.mark.skipif(not _libfaketime(), reason="libfaketime is not installed (scripts/system-deps.sh installs it)")
def test_two_clean_builds_a_day_apart_are_byte_identical(tmp_path):
    """The clock is faked (libfaketime) for the whole process and its dot subprocesses, a day apart."""
    undated = PACK_YAML.replace("pack: example", "pack: undated").replace("date: 2025-01-15\n", "")
    roots = []
    for day, when in (("one", "2031-03-04 10:00:00"), ("two", "2031-03-05 16:30:00")):
        root = small_project(tmp_path / day, formats="[pdf, docx, html]")
        (root / "arguments/packs/undated.yaml").write_text(undated, encoding="utf-8")
        _faketime_build(root, when)
        roots.append(root)
    first, second = tree(roots[0] / "exports"), tree(roots[1] / "exports")
    assert {Path(name).suffix for name in first} == {".pdf", ".docx", ".html", ".svg"}
    assert first == second
    for name in first:  # and no date of the faked days is written anywhere
        data = (roots[0] / "exports" / name).read_bytes()
        assert b"2031" not in data, name


# --------------------------------------------------------------------------- --watch


def test_watch_rebuilds_on_change_and_survives_bad_input(project):
    from argbrief.builder.watch import watch

    config = Config.discover(project)
    outcomes = []
    stop = threading.Event()

    def run_build():
        return build(config, jobs=1)

    def on_outcome(outcome, changed):
        outcomes.append((outcome, changed))
        if len(outcomes) == 1:  # after the first build: break the map
            _break_map(project)
        elif len(outcomes) == 2:  # after the failed rebuild: fix it, and change the text
            (project / MAP).write_text(MAP_YAML.replace("The trial worked; extend it.", "Watched."), encoding="utf-8")

    thread = threading.Thread(
        target=watch, args=(config, run_build, on_outcome),
        kwargs={"stop_event": stop, "max_builds": 3, "debounce_ms": 50},
    )
    thread.start()
    thread.join(timeout=60)
    stop.set()
    assert not thread.is_alive()
    assert len(outcomes) == 3
    assert outcomes[0][1] == () and not outcomes[0][0].failed
    assert outcomes[1][0].failed and MAP in outcomes[1][1]
    assert not outcomes[2][0].failed
    assert "Watched." in (project / "exports/example/example.html").read_text(encoding="utf-8")


def test_watch_stops_when_asked(project):
    from argbrief.builder.watch import watch

    stop = threading.Event()
    config = Config.discover(project)
    count = []
    thread = threading.Thread(
        target=lambda: count.append(watch(config, lambda: build(config, jobs=1), lambda *a: stop.set(), stop_event=stop, debounce_ms=50))
    )
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive() and count == [1]


# --------------------------------------------------------------------------- output


def test_plain_progress_quiet_and_usage_errors(run_cli, project):
    _edit(project / MAP, "The trial worked; extend it.", "Changed.")
    code, out, err = run_cli("build", "-j", "1", cwd=project)
    assert code == 0
    assert "[1/1] documents: example.html" in err  # one line per step when not a terminal
    _edit(project / MAP, "Changed.", "Changed again.")
    code, out, err = run_cli("build", "-j", "1", "--quiet", cwd=project)
    assert code == 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("built 1 pack")
    assert run_cli("build", "-q", "-v", cwd=project)[0] == 2
    assert run_cli("build", "--watch", "--check", cwd=project)[0] == 2


def test_the_progress_bar_draws_on_a_terminal_without_colour_when_asked(project, monkeypatch):
    import io

    from argbrief.builder.console import BuildConsole

    monkeypatch.setenv("NO_COLOR", "1")
    _edit(project / MAP, "The trial worked; extend it.", "Changed.")
    stream = io.StringIO()
    with BuildConsole(stream, verbose=True, fancy=True) as show:
        result = build(Config.discover(project), jobs=1, progress=show)
    assert not result.failed
    text = stream.getvalue()
    assert "example.html" in text and f"{MAP} changed" in text
    assert "\x1b[3" not in text  # no colour codes


@pytest.mark.skipif(REAL_DOT is None, reason="Graphviz is not installed")
def test_dot_is_not_run_for_its_version_when_nothing_changed(run_cli, project, monkeypatch):
    calls = []
    real = subprocess.run

    def spy(args, *a, **kw):
        calls.append(args)
        return real(args, *a, **kw)

    monkeypatch.setattr("argbrief.builder.manifest.subprocess.run", spy)
    assert run_cli("build", "-j", "1", cwd=project)[0] == 0
    assert calls == []


def test_temporary_files_of_a_killed_run_are_removed_by_the_next_build(run_cli, project):
    leftover = project / "exports/example/.example.html.0123abcd.tmp"
    fresh = project / "exports/example/.example.pdf.89abcdef.tmp"  # another build writing right now
    leftover.write_bytes(b"half a file")
    fresh.write_bytes(b"being written")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    _edit(project / MAP, "The trial worked; extend it.", "Changed.")
    assert run_cli("build", "-j", "1", cwd=project)[0] == 0
    assert not leftover.exists() and fresh.exists()
