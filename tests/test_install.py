"""An install that works anywhere: a wheel built from the checkout, installed into a fresh venv outside the repository.

Offline and quick: the wheel is built without build isolation (setuptools comes with
the test extras), installed with ``--no-index --no-deps``, and the fresh venv borrows
the test environment's installed dependencies through a ``.pth`` file (a path entry
only: the test environment's own editable argbrief is not activated by it, so the
argbrief that runs is the wheel's). Runs in CI like every other test (about 20 s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.install


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(args, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done


def _checkout(dest: Path) -> Path:
    """What a clean clone holds for building: pyproject.toml, README.md and src/ (no caches, no egg-info)."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return dest


def test_a_wheel_installed_outside_the_repository_builds_a_new_project(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    checkout = _checkout(tmp_path / "checkout")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", str(tmp_path / "dist"), str(checkout)], tmp_path, env)
    (wheel,) = (tmp_path / "dist").glob("argbrief-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("pack.html.j2", "pack-common.css", "pack-print.css", "pack-screen.css", "reference.docx"):
        assert f"argbrief/templates/{template}" in names
    for page in ("index.html", "app.js", "app.css"):  # argbrief serve's page
        assert f"argbrief/serve/static/{page}" in names
    # The package and its metadata only: no tests, fixtures, corpora, demo maps or benchmarks.
    tops = {name.split("/")[0] for name in names} - {"argbrief"}
    assert len(tops) == 1 and tops.pop().endswith(".dist-info"), sorted({name.split("/")[0] for name in names})

    venv = tmp_path / "fresh"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env)
                .stdout.strip())
    # The dependencies, already installed for the tests (no download); argbrief itself comes from the wheel.
    (site / "zz_argbrief_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
          str(wheel)], tmp_path, env)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(python), "-c", "import argbrief; print(argbrief.__file__)"], elsewhere, env).stdout.strip()
    assert Path(where).is_relative_to(site), where
    argbrief = str(venv / "bin" / "argbrief")
    _run([argbrief, "init", "x"], elsewhere, env)
    project = elsewhere / "x"
    assert not (project / "templates").exists()  # a new project uses the packaged templates
    built = _run([argbrief, "build", "--format", "pdf,docx,html"], project, env)
    for suffix in ("pdf", "docx", "html"):
        out = project / "exports" / "example" / f"example.{suffix}"
        assert out.is_file() and out.stat().st_size > 1000, built.stderr
    # The packaged templates come out of the installed package to be restyled.
    _run([argbrief, "templates", "reference.docx"], project, env)
    assert (project / "templates" / "reference.docx").read_bytes() == (
        REPO / "src" / "argbrief" / "templates" / "reference.docx").read_bytes()
