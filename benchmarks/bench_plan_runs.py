"""Where the planner's ``dot`` runs go, and how few any search could make with the same plans.

For every demo map it plans the drawings as a pack does
(:func:`argbrief.builder.diagrams.plan_map`, A4, a fresh in-memory Graphviz
cache) and counts the ``dot`` runs by what the planner was doing when it
started them:

- **whole** — laying a part out whole (legible: it is the drawing; not: the part is split);
- **all cut** — the part with every branch cut off;
- **put back** — a branch put back, while the part stays legible;
- **chunks** — the top box's children spread over several drawings;
- **finish** — the finished drawing's own variants.

Each row counts the runs (a candidate's variants included) and the
candidates judged on a layout of their own, legible or not (a candidate
laid out before in the same plan costs no run). The last line is a floor for any search
that keeps these plans without a proof that a candidate is illegible: each
drawing is laid out once, each part that is split must first be seen
illegible whole, and each put-back that ends a part's search must be seen
illegible too. (Lower bounds that prove a candidate illegible without laying
it out spared 4 of 299 runs: docs/performance.md.)

Usage::

    .venv/bin/python benchmarks/bench_plan_runs.py
"""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from argbrief import Config, load_workspace
from argbrief.builder.diagrams import CacheSpec, plan_map
from argbrief.render import graphviz, split

ROOT = Path(__file__).resolve().parent.parent
DEMO_MAPS = ("putin-wants", "ukraine-survive", "quick-ceasefire", "china-fools-errand", "navalnyism",
             "turkey-russia-syria")
PHASES = ("whole", "all cut", "put back", "chunks", "finish")


class Tally:
    """``dot`` runs and judged candidates, by phase."""

    def __init__(self) -> None:
        self.phase = "whole"
        self.runs: collections.Counter[str] = collections.Counter()
        self.judged: collections.Counter[tuple[str, bool]] = collections.Counter()


@contextlib.contextmanager
def counting(tally: Tally) -> Iterator[None]:
    """Count every ``dot`` run and every candidate the planner judges, by phase (patched for the block)."""
    planner = split._Planner
    saved = {name: getattr(planner, name) for name in ("attempt", "chunks", "finish")}
    run_tool = graphviz.run_tool

    def counted_run(*args, **kwargs):
        tally.runs[tally.phase] += 1
        return run_tool(*args, **kwargs)

    def attempt(self, part, cuts):
        if tally.phase not in ("chunks", "finish"):
            everything = self.candidates(part)
            tally.phase = "whole" if not cuts else "all cut" if len(cuts) == len(everything) else "put back"
        before = sum(tally.runs.values())
        result = saved["attempt"](self, part, cuts)
        if sum(tally.runs.values()) > before:  # judged on a layout of its own, not one made before
            tally.judged[tally.phase, self.legible(result[1])] += 1
        return result

    def in_phase(name: str, method: Callable) -> Callable:
        def wrapped(self, *args, **kwargs):
            tally.phase = name
            try:
                return method(self, *args, **kwargs)
            finally:
                tally.phase = "whole"
        return wrapped

    graphviz.run_tool = counted_run
    planner.attempt = attempt
    planner.chunks = in_phase("chunks", saved["chunks"])
    planner.finish = in_phase("finish", saved["finish"])
    try:
        yield
    finally:
        graphviz.run_tool = run_tool
        for name, method in saved.items():
            setattr(planner, name, method)


def main() -> int:
    maps = load_workspace(Config.discover(ROOT)).maps
    tally = Tally()
    drawings = 0
    with counting(tally):
        for mid in DEMO_MAPS:
            drawings += len(plan_map(maps[mid], "default", "A4", CacheSpec(folder=None)).drawings)
    total = sum(tally.runs.values())
    print(f"{drawings} drawings, {total} dot runs ({total / drawings:.2f} per drawing)\n")
    print("| phase | dot runs | candidates legible | candidates not legible |")
    print("|---|---:|---:|---:|")
    for phase in PHASES:
        print(f"| {phase} | {tally.runs[phase]} | {tally.judged[phase, True]} | {tally.judged[phase, False]} |")
    floor = drawings + tally.judged["whole", False] + tally.judged["put back", False]
    print(f"\nFloor without proofs of illegibility: {drawings} drawings + {tally.judged['whole', False]} parts "
          f"seen illegible whole + {tally.judged['put back', False]} put-backs seen illegible = {floor} runs "
          f"({floor / drawings:.2f} per drawing)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
