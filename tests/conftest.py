from __future__ import annotations

import os
from pathlib import Path

import pytest

from argbrief.cli import main

REPO = Path(__file__).resolve().parent.parent
# The team's shared folder (corpora, seed articles) sits beside the clone, in CI too;
# ARGBRIEF_SHARED points elsewhere. Tests that need it skip without it, except in CI
# (CI=true), where a missing copy is an error rather than a silent skip.
SHARED = Path(os.environ.get("ARGBRIEF_SHARED", REPO.parent / "shared"))
CORPORA = SHARED / "corpora"


def needs_shared(path: Path = CORPORA):
    """Skip when ``path`` (under the shared folder) is missing; fail instead under CI."""
    if path.exists():
        return pytest.mark.skipif(False, reason="")
    if os.environ.get("CI"):
        raise RuntimeError(f"CI: the shared folder is missing ({path}); set ARGBRIEF_SHARED")
    return pytest.mark.skip(reason=f"the shared corpora are not at {path}")


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run the CLI in-process from a folder; returns (exit code, stdout, stderr)."""

    def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
