"""Benchmark: `argbrief check` on a 10,000-node map against the Argdown CLI parsing the same tree.

Both tools run as the user runs them, a fresh process each time, on the same
seeded tree (benchmarks/generate.py): argbrief reads the YAML, builds the model,
checks quotes and runs every validation rule; Argdown (``@argdown/cli`` 1.7.5)
runs ``argdown json FILE OUTDIR``: it parses the Argdown, builds its model and
writes it as JSON, the lightest of its commands that does the whole parse
(``argdown FILE`` alone runs the same parse and only logs errors; it is timed too,
for reference). The tools take turns, run after run, and the best run of each
counts (the least disturbed by the rest of the machine), after one warm-up run of
each that fills the disk cache and Python's bytecode cache.

    cd benchmarks && npm install @argdown/cli@1.7.5      # once
    .venv/bin/python benchmarks/bench_check.py [--nodes 10000] [--runs 7] [--phases] [--argbrief-src DIR]

Each run's wall-clock time and its CPU time (user + system, of all its threads)
are recorded; on a shared machine the CPU times are the steadier of the two.
``--argbrief-src`` runs another checkout's argbrief (for example a worktree of an
older commit) as a third tool in the same turns: a "before" in the same run.

The goal is argbrief in under a third of Argdown's time; the figures are
recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)

ARGDOWN = HERE / "node_modules" / ".bin" / "argdown"


def argbrief_command() -> list[str]:
    """The installed console script next to this Python, as a user runs it."""
    script = Path(sys.executable).with_name("argbrief")
    return [str(script)] if script.exists() else [sys.executable, "-m", "argbrief"]


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system, all its threads and children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(
    commands: dict[str, list[str]], runs: int, cwd: Path, env: dict[str, str]
) -> dict[str, list[tuple[float, float]]]:
    """Each command ``runs`` times, taking turns, so that a busy moment slows all of them alike."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(timed(command, cwd, env))
    return times


PHASES = r"""
import sys, time
t0 = time.perf_counter()
import argbrief.cli
from pathlib import Path
from argbrief import convert, validate
from argbrief._yamlread import decode, read_yaml
from argbrief.model import ArgumentMap
from argbrief.quotes import locate_quotes
t1 = time.perf_counter()
import gc; gc.disable()
raw = Path(sys.argv[1]).read_bytes()
text, _ = decode(raw, "x")
t2 = time.perf_counter(); data, _ = read_yaml(text, "x")
t3 = time.perf_counter(); amap, _ = convert.structure(data, ArgumentMap, "x")
t4 = time.perf_counter(); walked = tuple(amap.walk())  # once for quotes and validation, as check does
located, _ = locate_quotes(amap, Path("."), Path("."), None, walked)
t5 = time.perf_counter(); diags = validate.validate_map(located, None, walked if located is amap else None)
t6 = time.perf_counter()
print({"imports": t1 - t0, "read (bytes -> located data)": t3 - t2, "convert (data -> model)": t4 - t3,
       "walk + quotes": t5 - t4, "validate": t6 - t5})
"""


def phases(yaml_path: Path, env: dict[str, str], runs: int) -> dict[str, float]:
    """argbrief's time by stage, in-process (best of ``runs`` for each stage)."""
    best: dict[str, float] = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PHASES, str(yaml_path)], env=env, capture_output=True, text=True, check=True)
        for k, v in eval(out.stdout).items():  # noqa: S307 - our own child's repr of a dict of floats
            best[k] = min(v, best.get(k, v))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phases", action="store_true", help="also time argbrief's stages in-process")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--argbrief-src", type=Path, help="also time the argbrief whose package is in this src/ folder")
    args = parser.parse_args()
    if not ARGDOWN.exists():
        raise SystemExit("the Argdown CLI is missing: cd benchmarks && npm install @argdown/cli@1.7.5")

    work = Path(tempfile.mkdtemp(prefix="argbrief-bench-"))
    try:
        yaml_path, argdown_path = generate.write(args.nodes, work, args.seed)
        # Like an installed tool: bytecode cached (some shells set PYTHONDONTWRITEBYTECODE), no colour.
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "ARGBRIEF_DEBUG")}
        env["NO_COLOR"] = "1"
        check = argbrief_command() + ["check", yaml_path.name]
        ad_json = [str(ARGDOWN), "json", argdown_path.name, str(work / "argdown-json")]
        ad_parse = [str(ARGDOWN), argdown_path.name]

        # Warm-up, and proof that both tools read the whole tree.
        proc = subprocess.run(check, cwd=work, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        assert ": error:" not in proc.stdout
        subprocess.run(ad_json, cwd=work, env=env, capture_output=True, check=True)
        exported = json.loads((work / "argdown-json" / f"{argdown_path.stem}.json").read_text(encoding="utf-8"))
        assert len(exported["statements"]) == args.nodes, len(exported["statements"])
        assert len(exported["relations"]) == args.nodes - 1, len(exported["relations"])

        results = {
            "nodes": args.nodes,
            "yaml_bytes": yaml_path.stat().st_size,
            "argdown_bytes": argdown_path.stat().st_size,
            "runs": args.runs,
        }
        commands = {"argbrief check": check, "argdown json": ad_json, "argdown (parse only)": ad_parse}
        if args.argbrief_src:
            commands["argbrief check (other source)"] = ["env", f"PYTHONPATH={args.argbrief_src.resolve()}", *check]
        for name, times in interleaved(commands, args.runs, work, env).items():
            results[name] = min(wall for wall, _ in times)
            results[name + " (all runs)"] = [round(wall, 3) for wall, _ in times]
            results[name + " (cpu)"] = min(cpu for _, cpu in times)
        for name in ("argdown json", "argdown (parse only)"):
            results[f"ratio ({name} / argbrief check)"] = results[name] / results["argbrief check"]
            results[f"cpu ratio ({name} / argbrief check)"] = results[name + " (cpu)"] / results["argbrief check (cpu)"]
        if args.phases:
            results["argbrief phases"] = phases(yaml_path, env, 5)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"tree: {results['nodes']:,} statements; YAML {results['yaml_bytes']:,} bytes, Argdown {results['argdown_bytes']:,} bytes")
    print(f"best of {args.runs} runs, taking turns (wall clock, a fresh process each):")
    for name in [n for n in commands if n in results]:
        print(f"  {name:22} {results[name]:6.3f} s  (cpu {results[name + ' (cpu)']:6.3f} s)   runs: {results[name + ' (all runs)']}")
    print(f"argdown json takes {results['ratio (argdown json / argbrief check)']:.2f}x argbrief check's time "
          f"(parse only: {results['ratio (argdown (parse only) / argbrief check)']:.2f}x); goal: 3x or more")
    print(f"in CPU time (user + system, steadier on a busy machine): "
          f"{results['cpu ratio (argdown json / argbrief check)']:.2f}x "
          f"(parse only: {results['cpu ratio (argdown (parse only) / argbrief check)']:.2f}x)")
    if "argbrief check (other source)" in results:
        other = results["argbrief check (other source)"]
        print(f"the other source takes {other / results['argbrief check']:.2f}x this one's time "
              f"(cpu {results['argbrief check (other source) (cpu)'] / results['argbrief check (cpu)']:.2f}x)")
    if args.phases:
        print("argbrief check by stage (in-process, best of 5):")
        for name, seconds in results["argbrief phases"].items():
            print(f"  {name:30} {seconds:6.3f} s")


if __name__ == "__main__":
    main()
