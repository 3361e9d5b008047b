"""What planning a pack's diagrams for its figure box costs: the packs' planner against the sheet planner.

For every map of the demo packs, in one process and alternately, it plans the
map's drawings twice, each time with a fresh in-memory Graphviz cache:

- **packs** (what ``argbrief build`` does): :func:`argbrief.builder.diagrams.plan_map` — the
  pack's A4 figure box, the whole map on a landscape page when that is legible,
  else split until every drawing is legible in the portrait box;
- **peer**: the same planner fitted to an A4 sheet with half-inch margins
  (``RenderOptions(page="A4", split="auto")``, what the packs used before), whose
  drawings the pack then shrank to its text width.

It prints a Markdown table: drawings, the smallest text as the pack prints it
(for the peer: after the shrink to the text block, as ``fit_figure`` did), and
the planning time of each with their ratio (median of ``--runs``).

Usage::

    .venv/bin/python benchmarks/bench_pack_figures.py            # every map of the demo packs, 1 run
    .venv/bin/python benchmarks/bench_pack_figures.py --runs 3 putin-wants
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from argbrief import Config, load_workspace
from argbrief.builder.diagrams import CacheSpec, plan_map
from argbrief.packs._parts import Geometry, fit_figure
from argbrief.render import RenderOptions
from argbrief.render.page import smallest_text_pt
from argbrief.render.split import plan_drawings

ROOT = Path(__file__).resolve().parent.parent


def _packs(amap) -> tuple[int, float]:
    planned = plan_map(amap, "default", "A4", CacheSpec(folder=None))
    return len(planned.drawings), min(d.smallest_pt for d in planned.drawings)


def _peer(amap) -> tuple[int, float]:
    geometry = Geometry.for_page("A4")
    drawings = plan_drawings(amap, RenderOptions(fmt="svg", page="A4", split="auto"))
    printed = []
    for d in drawings:
        width, height = (x * d.fit.scale for x in d.fit.drawing_pt)
        _, width_mm = fit_figure(width, height, geometry, d.fit.scale, smallest_text_pt(d.source))
        printed.append(d.fit.printed_pt * min(1.0, width_mm / (width * 25.4 / 72)))
    return len(drawings), min(printed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("maps", nargs="*", help="map ids (default: every map of every pack)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    ws = load_workspace(Config.discover(ROOT))
    ids = args.maps or sorted({m for p in ws.packs.values() for m in p.map_ids() if m in ws.maps})
    print("| map | packs: drawings | smallest text | peer (sheet): drawings | smallest text in the pack | "
          "planning time packs / peer |")
    print("|---|---|---|---|---|---|")
    for mid in ids:
        amap = ws.maps[mid]
        times: dict[str, list[float]] = {"packs": [], "peer": []}
        results = {}
        for _ in range(args.runs):
            for name, job in (("packs", _packs), ("peer", _peer)):
                start = time.perf_counter()
                results[name] = job(amap)
                times[name].append(time.perf_counter() - start)
        ours, theirs = statistics.median(times["packs"]), statistics.median(times["peer"])
        print(f"| {mid} | {results['packs'][0]} | {results['packs'][1]:.2f} pt | {results['peer'][0]} | "
              f"{results['peer'][1]:.2f} pt | {ours:.1f} s / {theirs:.1f} s = {ours / theirs:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
