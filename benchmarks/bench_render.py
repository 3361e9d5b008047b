"""How fast argbrief draws a map, against bare Graphviz and against the Argdown CLI.

For synthetic trees of 50, 500 and 2,000 statements (benchmarks/generate.py
writes each as argbrief YAML and as Argdown), one run times, as separate
processes and wall-clock, the best of several turns of:

- ``argbrief render big-N.yaml -o x.svg --no-cache`` — everything: Python
  start-up, loading and checking the YAML, the map view, DOT, and ``dot``;
- the same with the Graphviz cache warm (an unchanged map, as in CI rebuilds);
- ``dot -Tsvg`` on the DOT that argbrief emits (``--format dot``), alone;
- ``argdown map --format svg`` (Argdown CLI 1.7.5 in benchmarks/node_modules)
  on the same tree in Argdown syntax.

It prints a Markdown table of the times and ratios (benchmarks/README.md
keeps the figures). Usage::

    .venv/bin/python benchmarks/bench_render.py            # 50, 500, 2000
    .venv/bin/python benchmarks/bench_render.py 50 --repeat 9
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ARGBRIEF = Path(sys.executable).with_name("argbrief")
ARGDOWN = HERE / "node_modules" / ".bin" / "argdown"
SIZES = (50, 500, 2000)


def run(cmd: Sequence[str], cwd: Path) -> float:
    """Wall-clock seconds of one run of ``cmd``, which must succeed."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def best_of(commands: dict[str, Sequence[str]], cwd: Path, repeat: int) -> dict[str, float]:
    """The fastest of ``repeat`` runs of each command (timeit's rule: noise only ever adds).

    The commands take turns, so a burst of load on the machine hits all of them alike.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            times[name].append(run(cmd, cwd))
    return {name: min(ts) for name, ts in times.items()}


def trees(sizes: Sequence[int], out: Path) -> dict[int, tuple[Path, Path]]:
    """(YAML, Argdown) per size, from the colleague's generator."""
    sys.path.insert(0, str(HERE))
    from generate import write  # benchmarks/generate.py

    return {n: write(n, out) for n in sizes}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (the fastest is kept)")
    args = parser.parse_args(argv)
    if shutil.which("dot") is None:
        raise SystemExit("Graphviz 'dot' is not installed")
    has_argdown = ARGDOWN.exists()

    with tempfile.TemporaryDirectory(prefix="argbrief-bench-") as tmp:
        work = Path(tmp)
        # A project of its own, so the cache and outputs stay out of the repository.
        (work / "argbrief.toml").write_text('arguments = "."\n')
        rows = []
        for n, (yaml_path, argdown_path) in trees(args.sizes, work / "trees").items():
            repeat = max(3, args.repeat if n < 2000 else args.repeat // 2 + 1)
            svg, dot_file = work / f"ab-{n}.svg", work / f"ab-{n}.dot"
            render = [str(ARGBRIEF), "render", str(yaml_path), "-o", str(svg)]
            subprocess.run([*render[:-1], str(dot_file), "--no-cache"], cwd=work, check=True, capture_output=True)
            subprocess.run(render, cwd=work, check=True, capture_output=True)  # fill the cache
            commands = {
                "cold": [*render, "--no-cache"],
                "warm": render,
                "dot": ["dot", "-Tsvg", str(dot_file), "-o", str(work / f"dot-{n}.svg")],
            }
            if has_argdown:
                commands["argdown"] = [str(ARGDOWN), "map", "--format", "svg", str(argdown_path), str(work / "argdown")]
            t = best_of(commands, work, repeat)
            # Same DOT, same dot: the drawings must be byte for byte the same.
            assert (work / f"dot-{n}.svg").read_bytes() == svg.read_bytes(), "argbrief's SVG differs from dot's"
            cold, warm, bare, argdown = t["cold"], t["warm"], t["dot"], t.get("argdown")
            rows.append((n, cold, warm, bare, argdown, repeat))

    print(f"Graphviz: {subprocess.run(['dot', '-V'], capture_output=True, text=True).stderr.strip()}; "
          f"Python {sys.version.split()[0]}; {os.cpu_count()} cores; best of the runs shown")
    print()
    print("| statements | runs | argbrief (cold) | argbrief (warm cache) | bare `dot -Tsvg` | Argdown CLI | argbrief / dot | Argdown / argbrief |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, cold, warm, bare, argdown, repeat in rows:
        ad = f"{argdown:.2f} s" if argdown is not None else "not installed"
        speedup = f"{argdown / cold:.1f}x" if argdown is not None else "—"
        print(f"| {n:,} | {repeat} | {cold:.2f} s | {warm:.2f} s | {bare:.2f} s | {ad} | {cold / bare:.2f} (warm {warm / bare:.2f}) | {speedup} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
