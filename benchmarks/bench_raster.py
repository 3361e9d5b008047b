"""Benchmark: Word's PNG pictures — a ``dot -Tpng`` run of their own (before) against the drawing's SVG rasterised.

For each drawing of the six demo maps as a pack plans them (A4, the default
theme: ``builder.diagrams.plan_map``), with the SVG the pack shows:

- **time per PNG**: ``dot -Tpng -Gdpi=150`` of the drawing's DOT (what a Word
  build ran before: a new layout) against ``argbrief.render.raster.svg_to_png``
  at 150 dpi (librsvg's ``rsvg-convert``; no layout), and, when they are
  installed, the Python rasterisers weighed against it: CairoSVG and the resvg
  binding (``resvg_py``). No cache.
- **fidelity**: each picture against Chromium's own rendering of the same SVG
  at the same size (what the HTML pack shows; the PDF is the same vector): the
  mean absolute difference per channel (0-255) and the share of pixels that
  differ by more than 64 in some channel. ``dot -Tpng`` is laid out anew, so its
  picture differs from the SVG wherever Graphviz's cairo text metrics move things.
- **fonts**: the drawings whose text has a character Noto Sans lacks (the
  legend's ▶): a rasteriser without font fallback draws it as an empty box.

Usage::

    .venv/bin/python benchmarks/bench_raster.py            # every drawing of the six maps
    .venv/bin/python benchmarks/bench_raster.py --maps 2 --no-fidelity

Figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from argbrief.builder.diagrams import CacheSpec, plan_map
from argbrief.project import load_file
from argbrief.render.graphviz import run_dot
from argbrief.render.raster import svg_to_png

REPO = Path(__file__).resolve().parent.parent
MAPS = ("putin-wants", "ukraine-survive", "quick-ceasefire", "china-fools-errand", "navalnyism", "turkey-russia-syria")
DPI = 150


def drawings(n_maps: int) -> list[tuple[str, str, bytes]]:
    """(name, DOT source, SVG) of each drawing a pack plans for the first ``n_maps`` demo maps."""
    out = []
    for map_id in MAPS[:n_maps]:
        amap = load_file(REPO / "arguments" / f"{map_id}.yaml").obj
        planned = plan_map(amap, "default", "A4", CacheSpec(folder=None))
        for d in planned.diagrams:
            out.append((d.name, d.source, run_dot(d.source, "svg")))
    return out


def rasterisers() -> dict[str, object]:
    """Name -> function(svg bytes, DOT source) -> PNG bytes; the optional peers only when installed."""
    found: dict[str, object] = {
        "dot -Tpng (new layout)": lambda svg, source: run_dot(source, "png", dpi=DPI),
        "rsvg-convert (argbrief)": lambda svg, source: svg_to_png(svg, DPI),
    }
    try:
        import cairosvg

        found["cairosvg"] = lambda svg, source: cairosvg.svg2png(bytestring=svg, dpi=DPI, unsafe=False)
    except (ImportError, OSError):
        pass
    try:
        import resvg_py

        found["resvg_py"] = lambda svg, source: bytes(resvg_py.svg_to_bytes(svg_string=svg.decode(), dpi=float(DPI)))
    except ImportError:
        pass
    return found


def difference(picture: Image.Image, reference: Image.Image) -> tuple[float, float]:
    """Mean absolute difference per channel, and the % of pixels off by more than 64 in some channel."""
    if picture.size != reference.size:
        picture = picture.resize(reference.size, Image.Resampling.BOX)
    diff = ImageChops.difference(picture, reference)
    n = reference.width * reference.height
    mean = statistics.mean(ImageStat.Stat(diff).mean)
    worst = diff.split()
    big = ImageChops.lighter(ImageChops.lighter(worst[0], worst[1]), worst[2]).point(lambda v: 255 if v > 64 else 0)
    return mean, 100 * big.histogram()[255] / n


def chromium_pictures(items: list[tuple[str, bytes, tuple[int, int]]]) -> dict[str, Image.Image]:
    """Each SVG as headless Chromium draws it at the given pixel size (white ground)."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        for name, svg, (w, h) in items:
            page.set_viewport_size({"width": w, "height": h})
            data = base64.b64encode(svg).decode()
            page.set_content(
                f'<body style="margin:0;background:#fff"><img style="display:block;width:{w}px;height:{h}px" '
                f'src="data:image/svg+xml;base64,{data}"></body>'
            )
            out[name] = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--maps", type=int, default=len(MAPS), help="how many of the six demo maps")
    parser.add_argument("--no-fidelity", action="store_true", help="skip the comparison with Chromium")
    args = parser.parse_args()

    items = drawings(args.maps)
    tools = rasterisers()
    times: dict[str, list[float]] = {t: [] for t in tools}
    pictures: dict[str, dict[str, Image.Image]] = {t: {} for t in tools}
    for name, source, svg in items:
        for tool, fn in tools.items():
            start = time.perf_counter()
            png = fn(svg, source)
            times[tool].append(time.perf_counter() - start)
            pictures[tool][name] = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = sum(p.width * p.height for p in pictures["rsvg-convert (argbrief)"].values()) / len(items) / 1e6
    print(f"{len(items)} drawings of {args.maps} maps at {DPI} dpi ({pixels:.2f} Mpx each on average)")
    base = sum(times["dot -Tpng (new layout)"])
    print(f"{'rasteriser':26} {'s/PNG':>7} {'total s':>8} {'vs dot':>7}")
    for tool, ts in times.items():
        print(f"{tool:26} {statistics.mean(ts):7.3f} {sum(ts):8.2f} {sum(ts) / base:7.2f}")
    lacking = [n for n, _, svg in items if "▶".encode() in svg]
    print(f"drawings with a character Noto Sans lacks (the legend's ▶): {len(lacking)} of {len(items)}")
    if args.no_fidelity:
        return
    sizes = {n: p.size for n, p in pictures["rsvg-convert (argbrief)"].items()}
    reference = chromium_pictures([(n, svg, sizes[n]) for n, _, svg in items])
    print(f"\nagainst Chromium's rendering of the same SVG ({len(items)} drawings)")
    print(f"{'rasteriser':26} {'mean |diff|':>11} {'% px > 64':>10}")
    for tool in tools:
        diffs = [difference(pictures[tool][n], reference[n]) for n in reference]
        print(f"{tool:26} {statistics.mean(d[0] for d in diffs):11.2f} {statistics.mean(d[1] for d in diffs):10.2f}")


if __name__ == "__main__":
    main()
