"""Helpers for the CI-build tests: small projects, fake ``dot`` binaries, snapshots of whole trees."""

from __future__ import annotations

import faulthandler
import hashlib
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ._packs_project import MAP_YAML, PACK_YAML, make_project

REAL_DOT = shutil.which("dot")
#: The package's source folder, for tests that run argbrief in a fresh process.
REPO_SRC = Path(__file__).resolve().parent.parent / "src"


def small_project(root: Path, formats: str = "[html]", **kwargs) -> Path:
    """The one-map, one-pack project of the pack tests, building only ``formats`` (HTML: no WeasyPrint).

    Its source is dated, so that it passes ``argbrief check --strict`` (the CI gate).
    """
    pack = kwargs.pop("pack_yaml", PACK_YAML).replace("formats: [pdf, docx, html]", f"formats: {formats}")
    map_yaml = kwargs.pop("map_yaml", MAP_YAML.replace("  author: Council HR\n", "  author: Council HR\n  date: 2024-12\n"))
    return make_project(root, pack_yaml=pack, map_yaml=map_yaml, **kwargs)


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (hidden and temporary files included): relative name -> SHA-256."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


FAKE_DOT = """#!/bin/sh
# A stand-in for Graphviz: {what}
echo "$$ $PPID $*" >> "{log}"
for arg in "$@"; do
  case "$arg" in
    {pattern}) {action} ;;
  esac
done
exec {real} "$@"
"""

BEHAVIOURS = {
    # crashes like a segfault when asked to draw (layout measuring still works)
    "crash": ("crashes on drawing", "-Tsvg|-Tpng", 'echo "dot: simulated crash" >&2; kill -SEGV $$'),
    # hangs when asked to draw
    "sleep": ("hangs on drawing", "-Tsvg|-Tpng", "sleep 30"),
    # exits 0 but writes something that is not SVG
    "garbage": ("writes garbage", "-Tsvg", 'cat >/dev/null; printf "not an svg"; exit 0'),
    # is killed (SIGKILL) as an out-of-memory killer would
    "killed": ("is killed", "-Tsvg|-Tpng", "kill -KILL $$"),
    # hangs when asked to lay a drawing out to measure it
    "plain-sleep": ("hangs on measuring", "-Tplain", "sleep 30"),
    # measures with nonsense
    "plain-garbage": ("writes garbage when measuring", "-Tplain", 'cat >/dev/null; echo "graph one two three"; exit 0'),
}


def fake_dot(folder: Path, behaviour: str) -> Path:
    """A ``dot`` script in ``folder`` (put it first on PATH) that misbehaves as ``behaviour`` says.

    Each run appends a line to ``folder/dot.log``: its pid, its parent's pid and its arguments.
    """
    what, pattern, action = BEHAVIOURS[behaviour]
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "dot"
    text = FAKE_DOT.format(what=what, pattern=pattern, action=action, real=REAL_DOT, log=folder / "dot.log")
    script.write_text(text, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def dot_runs(folder: Path) -> list[tuple[int, int, str]]:
    """The runs of a :func:`fake_dot` so far: (pid, parent pid, arguments)."""
    log = folder / "dot.log"
    if not log.exists():
        return []
    runs = []
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, ppid, args = (line.split(" ", 2) + [""])[:3]
        runs.append((int(pid), int(ppid), args))
    return runs


def path_with(folder: Path) -> str:
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


#: A Python program that runs the argbrief CLI with its address space capped (its first argument, in bytes).
_CAPPED = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from argbrief.cli import main
sys.exit(main(sys.argv[2:]))
"""
#: "Nothing over 1 GB": attacks run in a process that cannot map more (a full build maps about 400 MB).
MEMORY_CAP = 1024 * 1024 * 1024


def run_capped(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> tuple[int, str, str]:
    """``argbrief ARGS`` in a fresh process whose memory is capped at :data:`MEMORY_CAP`; (exit code, stdout, stderr).

    An attack that needed more would end in a MemoryError, which argbrief
    reports as an internal error (exit 3): the tests assert it does not.
    """
    import subprocess
    import sys

    full_env = {**os.environ, "PYTHONPATH": str(REPO_SRC), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", _CAPPED, str(MEMORY_CAP), *args],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


@contextmanager
def no_hang(seconds: float = 240) -> Iterator[None]:
    """A regression that hangs ends the test run, with a traceback of where, instead of never ending."""
    faulthandler.dump_traceback_later(seconds, exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
