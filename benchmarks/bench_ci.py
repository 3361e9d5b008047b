"""Benchmark: the CI build — a no-op rebuild and ``--check`` against a cold build, and ``--jobs 2`` against ``--jobs 1``.

Everything runs on a copy of the demo project (arguments/, templates/,
pyproject.toml) in a temporary folder, each build a fresh ``argbrief build``
process, as CI runs it:

1. **cold**: no ``.argbrief-cache/``, no exports: every diagram and document
   of both demo packs (PDF, Word, HTML);
2. **no-op**: the same command again, nothing changed;
3. **check**: ``build --check`` on the built exports (every part rendered in
   memory: the gate trusts no cache), and ``--check --trust-cache`` (the
   local hook: parts the build cache says are fresh are not rendered);
4. **diagrams, --jobs 1 vs --jobs 2**: the diagram stage alone (SVG and the
   PNGs for Word, from an empty Graphviz cache), read from ``--report``'s
   timings; the runs take turns so a busy machine slows both alike.

Usage::

    .venv/bin/python benchmarks/bench_ci.py [--runs 3]

Goals: no-op <= 10 % of cold; diagrams at least 1.5x faster with two jobs.
The figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARGBRIEF = [sys.executable, "-m", "argbrief"]


def _copy_demo(into: Path) -> Path:
    root = into / "demo"
    root.mkdir()
    for name in ("arguments", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def _run(root: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    proc = subprocess.run([*ARGBRIEF, "build", "--quiet", *args], cwd=root, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"argbrief build {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return seconds


def _clean(root: Path) -> None:
    for name in (".argbrief-cache", "exports"):
        shutil.rmtree(root / name, ignore_errors=True)


def _diagram_seconds(root: Path, jobs: int) -> float:
    """The diagram stage of a build from an empty cache (documents in memory only: --check)."""
    _clean(root)
    report = root / "report.json"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(
        [*ARGBRIEF, "build", "--quiet", "--check", "--no-cache", "--format", "html,docx", "--jobs", str(jobs), "--report", str(report)],
        cwd=root, env=env, capture_output=True, text=True,
    )
    if proc.returncode not in (0, 1):  # 1: the check finds no exports, as expected
        raise SystemExit(f"build --jobs {jobs} failed:\n{proc.stdout}{proc.stderr}")
    return json.loads(report.read_text(encoding="utf-8"))["timings"]["diagrams"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = _copy_demo(Path(tmp))
        colds, noops, checks, trusted = [], [], [], []
        for _ in range(args.runs):
            _clean(root)
            colds.append(_run(root))
            noops.append(_run(root))
            checks.append(_run(root, "--check"))
            trusted.append(_run(root, "--check", "--trust-cache"))
        one, two = [], []
        for _ in range(args.runs):
            one.append(_diagram_seconds(root, 1))
            two.append(_diagram_seconds(root, 2))

    cold, noop = statistics.median(colds), statistics.median(noops)
    check, trust = statistics.median(checks), statistics.median(trusted)
    j1, j2 = statistics.median(one), statistics.median(two)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"demo project (both packs; pdf, docx, html), median of {args.runs}; {os.cpu_count()} cores, load {load:.1f}")
    print(f"  cold build (no cache, jobs = cores)   {cold:7.2f} s   runs: {', '.join(f'{s:.2f}' for s in colds)}")
    print(f"  no-op rebuild                          {noop:7.2f} s   runs: {', '.join(f'{s:.2f}' for s in noops)}")
    print(f"  no-op / cold                           {noop / cold:7.1%}   goal <= 10%: {'met' if noop <= 0.1 * cold else 'NOT met'}")
    print(f"  build --check (renders everything)     {check:7.2f} s   runs: {', '.join(f'{s:.2f}' for s in checks)}")
    print(f"  check / cold                           {check / cold:7.2f}x")
    print(f"  build --check --trust-cache            {trust:7.2f} s   runs: {', '.join(f'{s:.2f}' for s in trusted)}")
    print(f"  trusted check / cold                   {trust / cold:7.1%}")
    print(f"  diagrams, --jobs 1                     {j1:7.2f} s   runs: {', '.join(f'{s:.2f}' for s in one)}")
    print(f"  diagrams, --jobs 2                     {j2:7.2f} s   runs: {', '.join(f'{s:.2f}' for s in two)}")
    print(f"  speed-up                               {j1 / j2:7.2f}x   goal >= 1.5x: {'met' if j1 >= 1.5 * j2 else 'NOT met'}")


if __name__ == "__main__":
    main()
