"""Helpers for the CI-build tests: small projects, fake ``dot`` binaries, snapshots of whole trees."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

from ._packs_project import MAP_YAML, PACK_YAML, make_project

REAL_DOT = shutil.which("dot")


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
}


def fake_dot(folder: Path, behaviour: str) -> Path:
    """A ``dot`` script in ``folder`` (put it first on PATH) that misbehaves as ``behaviour`` says."""
    what, pattern, action = BEHAVIOURS[behaviour]
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "dot"
    script.write_text(FAKE_DOT.format(what=what, pattern=pattern, action=action, real=REAL_DOT), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def path_with(folder: Path) -> str:
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"
