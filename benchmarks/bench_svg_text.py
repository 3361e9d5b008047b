"""Benchmark: the diagrams' text in the PDF, drawn as whole runs (argbrief's adapter) or letter by letter (WeasyPrint 70).

WeasyPrint draws each SVG ``<text>`` one code point at a time: a Pango layout
and a PDF text object per letter. ``argbrief._upstream.whole_svg_text`` hands
it each text that places no character of its own (every line Graphviz writes)
as one run. The peer is WeasyPrint's own drawing, in the same run:

- **time**: a cold PDF build of each demo pack (a fresh process per build,
  taking turns, best of ``--runs``): wall and CPU time of the whole build, and
  WeasyPrint's own share (``HTML`` + ``write_pdf``); the PDF's size;
- **look**: every figure of the pack drawn by WeasyPrint alone on a page of
  its own size, against Chromium's rendering of the same SVG (the mean
  difference of grey levels, 0-255, at 144 dpi; lower is closer).

    .venv/bin/python benchmarks/bench_svg_text.py [--runs 3] [--packs ukraine-options,russia-briefing] [--no-look]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODES = ("adapter", "weasyprint")


def child(pack: str, mode: str) -> dict:
    """One cold PDF build of ``pack`` in this process, the adapter on or off."""
    import attrs

    from argbrief import _upstream

    if mode == "weasyprint":
        _upstream.whole_svg_text = lambda: False  # pdf_adapters() then leaves WeasyPrint's text alone
    import weasyprint

    spent = [0.0]
    for name in ("__init__", "write_pdf", "render"):
        real = getattr(weasyprint.HTML, name)

        def timed(self, *a, _real=real, **kw):
            t = time.process_time()
            try:
                return _real(self, *a, **kw)
            finally:
                spent[0] += time.process_time() - t

        setattr(weasyprint.HTML, name, timed)
    from argbrief import Config, load_workspace
    from argbrief.builder import plan_build, render_pack, write_outputs

    wall, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as out:
        config = attrs.evolve(Config.discover(REPO), exports=Path(out))
        ws = load_workspace(config)
        (plan,) = plan_build(ws, [pack], ("pdf",))
        write_outputs([render_pack(ws, plan)])
        size = sum(p.stat().st_size for p in Path(out).rglob("*.pdf"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu + children.ru_utime + children.ru_stime,
        "weasyprint_cpu": spent[0],
        "pdf_bytes": size,
    }


def look(pack: str) -> dict[str, float]:
    """Mean grey-level difference from Chromium of each figure of ``pack`` (its built HTML), per mode."""
    import contextlib
    import re

    import weasyprint
    from PIL import Image, ImageChops, ImageStat
    from playwright.sync_api import sync_playwright

    from argbrief import _upstream

    html = (REPO / "exports" / pack / f"{pack}.html").read_text(encoding="utf-8")
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert _upstream.whole_svg_text()
    drawers = {"adapter": contextlib.nullcontext, "weasyprint": _upstream.weasyprint_own_svg_text}
    diffs: dict[str, list[float]] = {m: [] for m in MODES}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium())
        for svg in svgs:
            w, h = (float(x) for x in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
            page = browser.new_page(viewport={"width": int(w * 4 / 3) + 2, "height": int(h * 4 / 3) + 2},
                                    device_scale_factor=1.5)
            page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
            shot = Path(tmp, "chromium.png")
            page.locator("svg").screenshot(path=str(shot))
            page.close()
            reference = Image.open(shot).convert("L")
            for mode in MODES:
                doc = (f"<html><head><style>@page {{ size: {w}pt {h}pt; margin: 0 }} body {{ margin: 0 }}"
                       f" svg {{ display: block }}</style></head><body>{svg}</body></html>")
                with drawers[mode]():
                    Path(tmp, "one.pdf").write_bytes(weasyprint.HTML(string=doc).write_pdf())
                subprocess.run(["pdftoppm", "-png", "-r", "144", "-singlefile", str(Path(tmp, "one.pdf")),
                                str(Path(tmp, "one"))], check=True)
                drawn = Image.open(Path(tmp, "one.png")).convert("L").resize(reference.size)
                diffs[mode].append(ImageStat.Stat(ImageChops.difference(reference, drawn)).mean[0])
        browser.close()
    return {m: statistics.mean(v) for m, v in diffs.items()} | {"figures": len(svgs)}


def _chromium() -> str:
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    raise SystemExit("Chromium is needed for the look comparison (or pass --no-look)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--packs", default="ukraine-options,russia-briefing")
    parser.add_argument("--no-look", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("PACK", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    print("| pack | mode | build wall s | build CPU s | WeasyPrint CPU s | PDF bytes | figures' difference from Chromium |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for pack in args.packs.split(","):
        runs: dict[str, list[dict]] = {m: [] for m in MODES}
        for _ in range(args.runs):
            for mode in MODES:  # taking turns: the machine's noise falls on both
                out = subprocess.run([sys.executable, __file__, "--child", pack, mode], capture_output=True, text=True,
                                     check=True, cwd=REPO)
                runs[mode].append(json.loads(out.stdout.strip().splitlines()[-1]))
        looks = {} if args.no_look else look(pack)
        for mode in MODES:
            best = {k: min(r[k] for r in runs[mode]) for k in ("wall", "cpu", "weasyprint_cpu")}
            size = runs[mode][0]["pdf_bytes"]
            diff = f"{looks[mode]:.2f} ({looks['figures']} figures)" if looks else "-"
            print(f"| {pack} | {mode} | {best['wall']:.1f} | {best['cpu']:.1f} | {best['weasyprint_cpu']:.1f} "
                  f"| {size:,} | {diff} |")


if __name__ == "__main__":
    main()
