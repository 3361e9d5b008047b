"""Benchmark: what the stance rules cost `argbrief check`, against the rest of the check in the same run.

The 10,000-node tree of bench_check.py (benchmarks/generate.py, same seed) gets an
``answers`` block on every premise, the worst case for the rules: one short answer
and one long one (``{stance, note}``). The whole check of that map (read, convert,
every validation rule) is timed in this process, and so are the rules that read
answers (``answer_sources``, ``answers_have_basis``, ``answers_keep_hedges``); the
figure is their share. Best of ``--runs`` runs, after a warm-up.

    .venv/bin/python benchmarks/bench_stances.py [--nodes 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)

from argbrief import validate  # noqa: E402
from argbrief.project import load_file  # noqa: E402

STANCE_RULES = ("answer_sources", "answers_have_basis", "answers_keep_hedges")
_PREMISE = re.compile(r"^(\s*)- id: (P\d+)\n", re.M)


def with_answers(yaml_text: str) -> str:
    """Every premise answers two questions: ``q1`` in the short form, ``q2`` in the long one."""

    def add(m: re.Match[str]) -> str:
        pad = m.group(1)
        return (
            f"{m.group(0)}{pad}  answers:\n{pad}    q1: \"yes\"\n"
            f"{pad}    q2: {{stance: \"no\", note: The analyst's reason for the stance.}}\n"
        )

    return _PREMISE.sub(add, yaml_text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        yaml_path, _ = generate.write(args.nodes, Path(tmp))
        path = Path(tmp) / "answers.yaml"
        path.write_text(with_answers(yaml_path.read_text(encoding="utf-8")), encoding="utf-8")
        rules = [r for r in validate.MAP_RULES if r.__name__ in STANCE_RULES]
        best_check = best_rules = float("inf")
        answers = 0
        for run in range(args.runs + 1):  # the first run warms up
            start = time.perf_counter()
            amap = load_file(path).obj
            validate.validate_map(amap)
            check = time.perf_counter() - start
            ctx = validate.MapContext.of(amap)
            start = time.perf_counter()
            for rule in rules:
                list(rule(ctx))
            stance = time.perf_counter() - start
            if run:
                best_check, best_rules = min(best_check, check), min(best_rules, stance)
            answers = sum(len(c.answers) for c in ctx.all_claims)
    print(f"{args.nodes:,} nodes, {answers:,} answers: check {best_check:.2f} s, "
          f"stance rules {best_rules * 1000:.0f} ms = {best_rules / best_check:.1%} of the check")


if __name__ == "__main__":
    main()
