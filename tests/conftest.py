from __future__ import annotations

import os
from pathlib import Path

import pytest

from argbrief.cli import main
from argbrief.render import graphviz

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


def chromium_path() -> str:
    """The system's Chromium (scripts/system-deps.sh installs it): skip without it, but fail under CI."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI: chromium is missing; scripts/system-deps.sh installs it")
        pytest.skip("chromium is not installed (scripts/system-deps.sh installs it)")
    return found


#: How the tests start Chromium: headless, no sandbox (root in CI), nothing fetched from the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture
def dot_runs(monkeypatch):
    """The formats of every ``dot`` process started while the test runs."""
    runs: list[tuple[str, ...]] = []
    real = graphviz._run

    def counting(binary, formats, *args, **kwargs):
        runs.append(tuple(formats))
        return real(binary, formats, *args, **kwargs)

    monkeypatch.setattr(graphviz, "_run", counting)
    graphviz._MEASURED.clear()  # sizes remembered by earlier tests would hide runs
    return runs


@pytest.fixture
def stopped_midway(tmp_path, monkeypatch):
    """Run a call whose external ``tool`` (replaced by one that sleeps) is stopped as a SIGTERM'd build stops it.

    Returns the :class:`ToolError` the call ended with; fails unless the tool was
    registered with the runs a stop kills, and the call ended at once.
    ``after_stop`` runs right after the stop, before the call unwinds.
    """
    import os
    import threading
    import time

    from argbrief.errors import ToolError

    def run(tool: str, call, after_stop=lambda: None) -> ToolError:
        slow = tmp_path / "slow-bin" / tool
        slow.parent.mkdir(exist_ok=True)
        slow.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
        slow.chmod(0o755)
        monkeypatch.setenv("PATH", f"{slow.parent}{os.pathsep}{os.environ['PATH']}")
        errors: list[ToolError] = []

        def worker() -> None:
            try:
                call()
            except ToolError as exc:
                errors.append(exc)

        thread = threading.Thread(target=worker)
        start = time.monotonic()
        thread.start()
        while not graphviz._running and time.monotonic() - start < 10:
            time.sleep(0.01)
        assert graphviz._running, f"{tool} is not registered with the runs a stop kills"
        graphviz.stop_running_dot()
        after_stop()  # what the stop itself did, before the call unwinds
        thread.join(10)
        assert not thread.is_alive() and time.monotonic() - start < 10
        assert errors and not graphviz._running
        return errors[0]

    return run
