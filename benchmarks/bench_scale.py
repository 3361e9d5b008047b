"""Benchmark: how a pack build grows with the number of maps, and what an edit or a no-op costs.

A scratch project holds N copies of the six demo maps (ids suffixed ``-cK``)
and one reading pack of all of them.  For each format, three builds run as a
user runs them, each a fresh ``argbrief build`` process:

- **cold** — no ``.argbrief-cache``, no exports;
- **edit** — one map's thesis reworded, everything else cached;
- **no-op** — nothing changed;
- **warm** — exports deleted, Graphviz's cache kept: every document is made
  again from cached drawings (how Word or PDF writing itself grows).

Each build reports its wall time, its CPU time (user + system of every process
in it, ``dot`` included: on a shared machine the steadier figure), the peak resident memory of the largest
process in it (the CLI or one of its workers: ``ru_maxrss`` of the waited-for
children), and how many times Graphviz's ``dot`` ran (a shim first on ``PATH``
counts the runs, then runs the real ``dot``) against the number of drawings
written.  Growth exponents come from a least-squares fit of log(time) against
log(maps).

Two engine limits are printed beside the figures so the ratios mean something:
the ``dot`` time divided by the cores (the best any scheduling could do), and
WeasyPrint's own time on the final HTML pack (``--weasyprint``; the PDF cannot
be faster than WeasyPrint laying out that HTML once).

Usage::

    .venv/bin/python benchmarks/bench_scale.py                       # 1, 5, 20 maps; html, pdf, docx
    .venv/bin/python benchmarks/bench_scale.py --maps 1,5,20,50 --formats pdf --weasyprint
    .venv/bin/python benchmarks/bench_scale.py --maps 12 --formats html,pdf --json out.json
    .venv/bin/python benchmarks/bench_scale.py --maps 10,50 --formats docx --argbrief-src ../old/src   # a "before"

The figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARGUMENTS = REPO / "arguments"
DEMO_MAPS = ("putin-wants", "ukraine-survive", "quick-ceasefire", "china-fools-errand", "navalnyism", "turkey-russia-syria")
PACK_ID = "scale"


def make_project(root: Path, n_maps: int) -> list[str]:
    """Write a project of ``n_maps`` copies of the demo maps and one reading pack; return the map ids."""
    args = root / "arguments"
    shutil.copytree(ARGUMENTS / "sources", args / "sources")
    (args / "packs").mkdir(parents=True)
    ids: list[str] = []
    for k in range(n_maps):
        base = DEMO_MAPS[k % len(DEMO_MAPS)]
        new_id = f"{base}-c{k // len(DEMO_MAPS) + 1}"
        text = (ARGUMENTS / f"{base}.yaml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^map: .*$", f"map: {new_id}", text, count=1)
        (args / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        ids.append(new_id)
    questions = []
    for pack in sorted((ARGUMENTS / "packs").glob("*.yaml")):
        block = re.search(r"(?ms)^questions:\n(.*?)(?=^\S|\Z)", pack.read_text(encoding="utf-8"))
        if block:
            questions.append(block.group(1))
    pack_text = (
        f"pack: {PACK_ID}\ntitle: Scaling benchmark\ndate: 2025-02-01\nmarking: OFFICIAL\n"
        "formats: [pdf, docx, html]\nmaps:\n" + "".join(f"  - {m}\n" for m in ids)
    )
    if questions:
        pack_text += "questions:\n" + "".join(questions)
    (args / "packs" / f"{PACK_ID}.yaml").write_text(pack_text, encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "argbrief.toml").write_text(
        'arguments = "arguments"\ntemplates = "templates"\nexports = "exports"\ntheme = "default"\npage = "A4"\n',
        encoding="utf-8",
    )
    return ids


def dot_shim(folder: Path) -> Path:
    """A ``dot`` first on PATH that runs the real one and logs one line per run: its wall seconds."""
    real = shutil.which("dot")
    if real is None:
        raise SystemExit("Graphviz 'dot' is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "dot-runs.log"
    shim = folder / "dot"
    shim.write_text(
        f'#!/bin/sh\nstart=$(date +%s%N)\n"{real}" "$@"\ncode=$?\n'
        f'echo "$(( $(date +%s%N) - start ))" >> "{log}"\nexit $code\n',
        encoding="utf-8",
    )
    shim.chmod(0o755)
    return log


def timed_build(root: Path, fmt: str, env: dict[str, str], argbrief: str) -> dict:
    """One ``argbrief build`` in a fresh process: seconds, peak RSS (MiB) of its largest process, exit code."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "dt = time.perf_counter() - t\n"
        "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'seconds': dt, 'cpu_s': ru.ru_utime + ru.ru_stime, 'rss_mib': ru.ru_maxrss / 1024,"
        " 'code': p.returncode, 'err': p.stderr[-2000:]}))\n"
    )
    cmd = [sys.executable, "-c", code, argbrief, "build", "--pack", PACK_ID, "--format", fmt]
    out = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"build failed ({fmt}):\n{result['err']}")
    return result


def dot_log(path: Path) -> list[float]:
    """Seconds of each ``dot`` run so far."""
    return [int(line) / 1e9 for line in path.read_text().split()] if path.exists() else []


def drawings_written(exports: Path) -> int:
    return sum(1 for p in exports.rglob("*") if p.suffix in (".svg", ".png") and p.is_file())


def edit_one_thesis(root: Path, map_id: str) -> None:
    path = root / "arguments" / f"{map_id}.yaml"
    text = path.read_text(encoding="utf-8")
    # The thesis's text is the first `text:` after `thesis:`; add a word to it.
    at = text.index("thesis:")
    m = re.compile(r"(?m)^(\s+text: ?)(>-?\n\s+)?").search(text, at)
    assert m, "no thesis text found"
    path.write_text(text[: m.end()] + "Edited: " + text[m.end() :], encoding="utf-8")


def weasyprint_alone(html: Path) -> float:
    """WeasyPrint's own time to lay out and write the final HTML pack (fresh process, import excluded)."""
    code = (
        "import sys, time\nimport weasyprint\nt = time.perf_counter()\n"
        "weasyprint.HTML(filename=sys.argv[1]).write_pdf('/dev/null')\nprint(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(html)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares exponent b in time ~ a * maps^b."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else float("nan")


def run(sizes: list[int], formats: list[str], with_weasyprint: bool, src: Path | None = None) -> list[dict]:
    argbrief = str(Path(sys.executable).with_name("argbrief"))
    rows: list[dict] = []
    for n in sizes:
        for fmt in formats:
            with tempfile.TemporaryDirectory(prefix="argbrief-scale-") as tmp:
                root = Path(tmp) / "project"
                ids = make_project(root, n)
                log = dot_shim(Path(tmp) / "bin")
                env = {**os.environ, "PATH": f"{log.parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
                env.pop("SOURCE_DATE_EPOCH", None)
                env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode kept
                if src is not None:  # another checkout's argbrief (a "before" on the same machine)
                    env["PYTHONPATH"] = str(src.resolve())
                row: dict = {"maps": n, "format": fmt}
                for phase in ("cold", "edit", "noop", "warm"):
                    if phase == "edit":
                        edit_one_thesis(root, ids[0])
                    if phase == "warm":
                        shutil.rmtree(root / "exports")
                    before = len(dot_log(log))
                    r = timed_build(root, fmt, env, argbrief)
                    runs = dot_log(log)[before:]
                    row[phase] = {
                        "seconds": round(r["seconds"], 3),
                        "cpu_s": round(r["cpu_s"], 3),
                        "rss_mib": round(r["rss_mib"], 1),
                        "dot_runs": len(runs),
                        "dot_s": round(sum(runs), 3),
                    }
                    if phase == "cold":
                        row["drawings"] = drawings_written(root / "exports")
                if with_weasyprint and fmt in ("pdf", "html"):
                    html = next((root / "exports").rglob("*.html"), None)
                    if html is None:
                        subprocess.run([argbrief, "build", "--pack", PACK_ID, "--format", "html"], cwd=root, env=env, check=True, capture_output=True)
                        html = next((root / "exports").rglob("*.html"))
                    row["weasyprint_alone_s"] = round(weasyprint_alone(html), 3)
                rows.append(row)
                print(json.dumps(row), flush=True)
    return rows


def summarise(rows: list[dict]) -> None:
    print("\nmaps format  cold s  edit s  noop s  warm s  (cpu s: cold edit noop warm)  edit/cold  peak MiB  dot runs / drawings")
    for r in rows:
        c, e, o, w = r["cold"], r["edit"], r["noop"], r["warm"]
        per = c["dot_runs"] / r["drawings"] if r["drawings"] else float("nan")
        cpu = " ".join(f"{x.get('cpu_s', float('nan')):.1f}" for x in (c, e, o, w))
        print(
            f"{r['maps']:>4} {r['format']:<6} {c['seconds']:>7.2f} {e['seconds']:>7.2f} {o['seconds']:>7.2f}"
            f" {w['seconds']:>7.2f}  ({cpu})"
            f" {e['seconds'] / c['seconds']:>9.2f} {max(c['rss_mib'], e['rss_mib']):>9.0f}"
            f"  {c['dot_runs']} / {r['drawings']} = {per:.2f}"
            f"  (dot {c.get('dot_s', 0):.1f} s; / {os.cpu_count()} cores = {c.get('dot_s', 0) / (os.cpu_count() or 1):.1f} s)"
            + (f"  (WeasyPrint alone on the HTML: {r['weasyprint_alone_s']:.2f} s)" if "weasyprint_alone_s" in r else "")
        )
    for fmt in sorted({r["format"] for r in rows}):
        pts = [(r["maps"], r["cold"]["seconds"]) for r in rows if r["format"] == fmt]
        if len(pts) >= 2:
            warm = [(r["maps"], r["warm"]["seconds"]) for r in rows if r["format"] == fmt]
            print(f"growth exponent, {fmt}: cold {slope(pts):.2f}, warm (drawings cached) {slope(warm):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--maps", default="1,5,20", help="comma-separated numbers of maps")
    parser.add_argument("--formats", default="html,pdf,docx")
    parser.add_argument("--weasyprint", action="store_true", help="also time WeasyPrint alone on the final HTML")
    parser.add_argument("--json", type=Path, help="write the rows to this file")
    parser.add_argument("--argbrief-src", type=Path, help="build with the argbrief package in this src/ folder instead")
    args = parser.parse_args()
    t = time.perf_counter()
    rows = run([int(x) for x in args.maps.split(",")], args.formats.split(","), args.weasyprint, args.argbrief_src)
    summarise(rows)
    print(f"\n(cores: {os.cpu_count()}; benchmark took {time.perf_counter() - t:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
