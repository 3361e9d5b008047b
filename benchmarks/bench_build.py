"""Benchmark: a cold build of one briefing pack, split into argbrief's own code, Graphviz and WeasyPrint.

Each run is a fresh Python process (a *cold* build: imports, template
compilation and font loading included) that builds the pack in memory and
writes it to a temporary folder. Inside the process the stages are timed by
wrapping the two external engines:

- ``dot``: every ``subprocess.run`` of Graphviz (wall clock, so it includes
  the process start-up);
- WeasyPrint: its import, ``HTML(...)`` (parsing) and ``write_pdf`` (layout,
  drawing, PDF writing);
- the rest is argbrief and the Python libraries it drives directly (python-docx,
  Jinja2, pydot, lxml). A second, profiled run attributes that rest to
  argbrief's own functions and to each library (cProfile's own overhead
  inflates Python-heavy parts, so these are shares, not seconds).

Usage::

    .venv/bin/python benchmarks/bench_build.py [--pack ukraine-options] [--formats pdf,docx,html] [--runs 3]

The numbers are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def child(pack: str, formats: list[str], profile: bool) -> dict:
    """One cold build inside this process; returns the timings (seconds)."""
    start = time.perf_counter()
    spent = {"dot": 0.0, "weasyprint": 0.0}

    real_run = subprocess.run

    def timed_run(args, *a, **kw):
        t = time.perf_counter()
        try:
            return real_run(args, *a, **kw)
        finally:
            if args and Path(str(args[0])).name == "dot":
                spent["dot"] += time.perf_counter() - t

    subprocess.run = timed_run  # argbrief.render.graphviz calls subprocess.run(...)

    t = time.perf_counter()
    import weasyprint  # the import is part of a cold PDF build: counted as WeasyPrint

    spent["weasyprint"] += time.perf_counter() - t

    def wrap(cls, name):
        real = getattr(cls, name)

        def timed(self, *a, **kw):
            t = time.perf_counter()
            try:
                return real(self, *a, **kw)
            finally:
                spent["weasyprint"] += time.perf_counter() - t

        setattr(cls, name, timed)

    wrap(weasyprint.HTML, "__init__")
    wrap(weasyprint.HTML, "write_pdf")

    from argbrief import Config, load_workspace
    from argbrief.builder import plan_build, render_pack, write_outputs

    import attrs

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with tempfile.TemporaryDirectory() as out:
        config = attrs.evolve(Config.discover(REPO), exports=Path(out))
        ws = load_workspace(config)
        (plan,) = plan_build(ws, [pack], formats)
        rendered = render_pack(ws, plan)
        write_outputs([rendered])
    if profiler is not None:
        profiler.disable()
    total = time.perf_counter() - start
    result = {
        "total": total,
        "dot": spent["dot"],
        "weasyprint": spent["weasyprint"],
        "argbrief_and_libraries": total - spent["dot"] - spent["weasyprint"],
        "stages": dict(rendered.timings),
        "pages_figures": len(rendered.document.figures()) if rendered.document else 0,
    }
    if profiler is not None:
        result["profile"] = _attribute(profiler)
    return result


_GROUPS = (
    ("argbrief", "/argbrief/"),
    ("python-docx", "/docx/"),
    ("jinja2", "/jinja2/"),
    ("pydot/pyparsing", "/pydot"),
    ("weasyprint and its libraries", ("/weasyprint/", "/pydyf/", "/tinycss2/", "/cssselect2/", "/fontTools/", "/tinyhtml5/", "/PIL/", "/cffi/")),
    ("waiting for dot (select/poll)", ("<method 'poll'", "<method 'select'")),
)


def _attribute(profiler) -> dict[str, float]:
    """Own time (cProfile tottime) per group of modules, as shares of the profiled total."""
    import pstats

    stats = pstats.Stats(profiler)
    groups: dict[str, float] = {}
    total = 0.0
    for (filename, _line, func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        total += tottime
        where = f"{filename} {func}"
        name = "other (stdlib, lxml, attrs, ...)"
        for group, marks in _GROUPS:
            marks = (marks,) if isinstance(marks, str) else marks
            if any(m in where for m in marks):
                name = group
                break
        groups[name] = groups.get(name, 0.0) + tottime
    return {k: v / total for k, v in sorted(groups.items(), key=lambda kv: -kv[1])}


def run_child(pack: str, formats: str, profile: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", "--pack", pack, "--formats", formats]
    if profile:
        cmd.append("--profile")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pack", default="ukraine-options")
    parser.add_argument("--formats", default="pdf,docx,html")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.pack, args.formats.split(","), args.profile)))
        return

    runs = [run_child(args.pack, args.formats, profile=False) for _ in range(args.runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("total", "dot", "weasyprint", "argbrief_and_libraries")}
    stages = {k: statistics.median(r["stages"].get(k, 0.0) for r in runs) for k in runs[0]["stages"]}
    profiled = run_child(args.pack, args.formats, profile=True)["profile"]
    own_share = profiled.get("argbrief", 0.0)

    print(f"cold build of {args.pack} ({args.formats}), median of {args.runs} runs, {runs[0]['pages_figures']} figures")
    print(f"  total                      {med['total']:6.2f} s")
    for key, label in (("dot", "Graphviz dot"), ("weasyprint", "WeasyPrint"), ("argbrief_and_libraries", "argbrief + python libraries")):
        print(f"  {label:<26} {med[key]:6.2f} s  {med[key] / med['total']:5.1%}")
    print("  stages (argbrief's stopwatch): " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    print("  profiled own time by module group (shares of the profiled run):")
    for group, share in profiled.items():
        print(f"    {group:<34} {share:5.1%}")
    estimate = own_share * med["total"]
    print(f"  argbrief's own code: about {own_share:.0%} of the build (~{estimate:.1f} s); goal <= 25%")


if __name__ == "__main__":
    main()
