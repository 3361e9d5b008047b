"""Benchmark: what floating figures cost the PDF — two layout passes against one, in the same run.

The PDF of a pack is laid out twice when its maps have figures (a measuring
pass finds where each map's figures fit, then the final pass; see
argbrief/packs/_floats.py). The peer is the same document laid out once with
every figure where the model puts it (``render_pdf(..., float_figures=False)``).
Both run on the same assembled document, alternately, in one process; the
ratio of the medians is the figure (WeasyPrint's font and image caches warm up
in a first, untimed round).

Usage::

    .venv/bin/python benchmarks/bench_pdf_floats.py [--pack ukraine-options] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from argbrief import Config, load_workspace
from argbrief.builder import plan_build, render_pack
from argbrief.packs.html import template_dirs
from argbrief.packs.pdf import render_pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", default="ukraine-options")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    config = Config.discover()
    ws = load_workspace(config)
    plan = plan_build(ws, [args.pack])[0]
    doc = render_pack(ws, plan).document
    dirs = template_dirs(config.templates)
    span = ws.packs[args.pack].span
    times: dict[bool, list[float]] = {True: [], False: []}
    sizes = {}
    for run in range(args.runs + 1):
        for floats in (True, False):
            start = time.perf_counter()
            data, _ = render_pdf(doc, dirs, span=span, float_figures=floats)
            if run:  # the first round warms the caches
                times[floats].append(time.perf_counter() - start)
            sizes[floats] = len(data)
    two, one = statistics.median(times[True]), statistics.median(times[False])
    print(f"{args.pack}: {len(doc.figures())} figures, {args.runs} runs (medians)")
    print(f"  one pass (figures in place): {one:.2f} s")
    print(f"  two passes (floating figures): {two:.2f} s")
    print(f"  ratio two/one: {two / one:.2f}")


if __name__ == "__main__":
    main()
