"""Measure built briefing packs as a reader gets them: print legibility, margins, page use, file sizes, phone width.

For every pack folder under the exports folder (``exports/<pack>/<pack>.pdf|.docx|.html``):

- **PDF** (pdfplumber: every glyph's size and position, every line, box and image):
  the smallest glyph (its size on paper, after any scaling of the diagram it is
  in), the pages with a glyph under 7 pt, the closest ink to a sheet edge,
  the pages with ink outside the text block, how full each page is (the share
  of the text block's height down to the lowest ink), portrait pages under
  35 % full right before a landscape page, and pages under 20 % full other than
  the cover, the contents and the last page;
- **Word**: the file size (and how much of it is pictures);
- **HTML**: ``document.documentElement.scrollWidth`` in real Chromium
  (Playwright driving the system ``chromium``) at 390 px and 360 px wide, and
  every request the page makes for anything outside the file.

Usage::

    .venv/bin/python scripts/measure_print.py                   # every pack in exports/
    .venv/bin/python scripts/measure_print.py exports/ukraine-options --json report.json
    .venv/bin/python scripts/measure_print.py --check           # exit 1 when a target is missed

Needs pdfplumber and pypdf (test extras) and, for the HTML, Playwright with a
Chromium (``CHROMIUM=/path`` or ``chromium`` on PATH); without them that part is
reported as not measured. The targets are the ones docs/packs.md promises.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import zipfile
from itertools import pairwise
from pathlib import Path
from typing import Any

MM = 72 / 25.4  # points per millimetre

#: The targets (docs/packs.md, "Print layout").
MIN_GLYPH_PT = 7.0
EDGE_MM = 15.0
BEFORE_LANDSCAPE_FULL = 0.35
MIN_FULL = 0.20
DOCX_MAX_BYTES = 1.5 * 1024 * 1024
PHONE_PX = 390


# --------------------------------------------------------------------------- PDF


def _white(colour: Any) -> bool:
    """Whether a pdfplumber colour is white (or absent), i.e. leaves no ink."""
    if colour is None:
        return True
    values = colour if isinstance(colour, (tuple, list)) else (colour,)
    values = [v for v in values if isinstance(v, (int, float))]
    if not values:
        return False
    if len(values) == 4:  # CMYK
        return all(v <= 0.001 for v in values)
    return all(v >= 0.999 for v in values)


def _inked(obj: dict) -> bool:
    if obj["object_type"] in ("char", "image"):
        return obj["object_type"] == "image" or not obj.get("text", "").isspace()
    stroked = obj.get("stroke") and not _white(obj.get("stroking_color")) and (obj.get("linewidth") or 0) > 0
    filled = obj.get("fill") and not _white(obj.get("non_stroking_color"))
    return bool(stroked or filled)


def _margins(width: float, height: float) -> tuple[float, float, float, float]:
    """The text block's margins (top, right, bottom, left) in points for this sheet, from argbrief's geometry."""
    try:
        from argbrief.packs._parts import PAGE_SIZES_MM, Geometry
    except ImportError:  # measuring without argbrief installed: A4 defaults
        return 24 * MM, 20 * MM, 22 * MM, 20 * MM
    short, long = sorted((width / MM, height / MM))
    page = min(PAGE_SIZES_MM, key=lambda p: abs(PAGE_SIZES_MM[p][0] - short) + abs(PAGE_SIZES_MM[p][1] - long))
    g = Geometry.for_page(page)
    return g.margin_top_mm * MM, g.margin_right_mm * MM, g.margin_bottom_mm * MM, g.margin_left_mm * MM


def contents_pages(path: Path) -> int:
    """How many pages after the cover the contents take: up to the first bookmarked page."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    first = None
    stack = list(reader.outline)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack = item + stack
            continue
        page = reader.get_destination_page_number(item) + 1
        first = page if first is None else min(first, page)
    return max(0, (first or 2) - 2)


def measure_pdf(path: Path) -> dict[str, Any]:
    """The print figures of one PDF (see the module docstring)."""
    import pdfplumber

    pages = []
    smallest: tuple[float, int, str] | None = None
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            w, h = float(page.width), float(page.height)
            top_m, right_m, bottom_m, left_m = _margins(w, h)
            objs = [
                o
                for kind in ("chars", "rects", "lines", "curves", "images")
                for o in getattr(page, kind)
                if _inked(o)
            ]
            small = [c for c in page.chars if not c["text"].isspace() and c["size"] < MIN_GLYPH_PT - 0.01]
            for c in page.chars:
                if c["text"].isspace():
                    continue
                if smallest is None or c["size"] < smallest[0]:
                    smallest = (c["size"], number, c["text"])
            edge = min(
                (min(o["x0"], o["top"], w - o["x1"], h - o["bottom"]) for o in objs),
                default=float("inf"),
            )
            # Body ink: whose vertical middle is inside the text block (not the running header or footer).
            body = [o for o in objs if top_m <= (o["top"] + o["bottom"]) / 2 <= h - bottom_m]
            outside = [o for o in body if o["x0"] < left_m - 1 or o["x1"] > w - right_m + 1]
            lowest = max((o["bottom"] for o in body), default=top_m)
            full = max(0.0, min(1.0, (lowest - top_m) / (h - top_m - bottom_m)))
            pages.append(
                {
                    "page": number,
                    "landscape": w > h,
                    "full": round(full, 3),
                    "edge_mm": round(edge / MM, 1),
                    "small_glyphs": len(small),
                    "smallest_pt": round(min((c["size"] for c in small), default=0.0), 2),
                    "outside_text_block": len(outside),
                    "outside_mm": round(
                        max((max(left_m - o["x0"], o["x1"] - (w - right_m)) for o in outside), default=0.0) / MM, 1
                    ),
                }
            )
    n_contents = contents_pages(path)
    exempt = {1, len(pages), *range(2, 2 + n_contents)}
    before_landscape = [
        p["page"]
        for p, nxt in pairwise(pages)
        if not p["landscape"] and nxt["landscape"] and p["full"] < BEFORE_LANDSCAPE_FULL
    ]
    sparse = [p["page"] for p in pages if p["page"] not in exempt and p["full"] < MIN_FULL]
    return {
        "pages": len(pages),
        "landscape_pages": sum(p["landscape"] for p in pages),
        "smallest_glyph_pt": round(smallest[0], 2) if smallest else None,
        "smallest_glyph_page": smallest[1] if smallest else None,
        "pages_with_small_glyphs": [p["page"] for p in pages if p["small_glyphs"]],
        "closest_ink_to_edge_mm": min(p["edge_mm"] for p in pages) if pages else None,
        "pages_with_ink_near_edge": [p["page"] for p in pages if p["edge_mm"] < EDGE_MM],
        "pages_with_ink_outside_text_block": [p["page"] for p in pages if p["outside_text_block"]],
        "sparse_before_landscape": before_landscape,
        "sparse_pages": sparse,
        "page_detail": pages,
    }


# --------------------------------------------------------------------------- Word


def measure_docx(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as z:
        media = [i for i in z.infolist() if i.filename.startswith("word/media/")]
    return {
        "bytes": path.stat().st_size,
        "mb": round(path.stat().st_size / 1024 / 1024, 2),
        "pictures": len(media),
        "picture_bytes": sum(i.compress_size for i in media),
    }


# --------------------------------------------------------------------------- HTML


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
        "google-chrome"
    )


def measure_html(paths: list[Path], widths: tuple[int, ...] = (PHONE_PX, 360)) -> dict[Path, dict[str, Any]]:
    """``scrollWidth`` of each HTML file at each viewport width, and the requests it makes beyond itself."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {p: {"error": "playwright is not installed"} for p in paths}
    chromium = chromium_path()
    if chromium is None:
        return {p: {"error": "no chromium found"} for p in paths}
    out: dict[Path, dict[str, Any]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            for path in paths:
                result: dict[str, Any] = {}
                requests: list[str] = []
                own = path.resolve().as_uri()
                for width in widths:
                    page = browser.new_page(viewport={"width": width, "height": 800})
                    page.on("request", lambda r: None if r.url.split("#")[0] == own else requests.append(r.url))  # noqa: B023
                    page.goto(own, wait_until="load")
                    result[f"scroll_width_{width}"] = page.evaluate("document.documentElement.scrollWidth")
                    page.close()
                result["requests"] = sorted(set(requests))
                out[path] = result
        finally:
            browser.close()
    return out


# --------------------------------------------------------------------------- report


def measure(folder: Path) -> dict[str, Any]:
    """Everything measured for the pack in ``folder`` (``exports/<pack>``)."""
    pack = folder.name
    report: dict[str, Any] = {"pack": pack}
    pdf, docx, html = (folder / f"{pack}.{ext}" for ext in ("pdf", "docx", "html"))
    if pdf.is_file():
        report["pdf"] = measure_pdf(pdf)
    if docx.is_file():
        report["docx"] = measure_docx(docx)
    if html.is_file():
        report["html"] = measure_html([html])[html]
    return report


def misses(report: dict[str, Any]) -> list[str]:
    """The targets a pack's report misses, as sentences (empty when all are met)."""
    out = []
    pdf = report.get("pdf")
    if pdf:
        if pdf["smallest_glyph_pt"] is not None and pdf["smallest_glyph_pt"] < MIN_GLYPH_PT - 0.01:
            out.append(f"smallest glyph {pdf['smallest_glyph_pt']} pt < {MIN_GLYPH_PT} pt (p. {pdf['smallest_glyph_page']})")
        if pdf["pages_with_ink_near_edge"]:
            out.append(f"ink within {EDGE_MM:g} mm of the sheet edge on pages {_pages(pdf['pages_with_ink_near_edge'])}")
        if pdf["sparse_before_landscape"]:
            out.append(
                f"portrait pages under {BEFORE_LANDSCAPE_FULL:.0%} full before a landscape page: "
                f"{_pages(pdf['sparse_before_landscape'])}"
            )
        if pdf["sparse_pages"]:
            out.append(f"pages under {MIN_FULL:.0%} full: {_pages(pdf['sparse_pages'])}")
    docx = report.get("docx")
    if docx and docx["bytes"] > DOCX_MAX_BYTES:
        out.append(f"Word file {docx['mb']} MB > 1.5 MB")
    html = report.get("html")
    if html and "error" not in html:
        if html[f"scroll_width_{PHONE_PX}"] > PHONE_PX:
            out.append(f"HTML is {html[f'scroll_width_{PHONE_PX}']} px wide at a {PHONE_PX} px viewport")
        if html["requests"]:
            out.append(f"HTML requests {len(html['requests'])} URL(s) outside the file")
    return out


def _pages(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers)) if len(numbers) <= 12 else f"{', '.join(map(str, numbers[:12]))} (+{len(numbers) - 12})"


def summary(report: dict[str, Any]) -> str:
    lines = [f"== {report['pack']}"]
    pdf = report.get("pdf")
    if pdf:
        outside = pdf["pages_with_ink_outside_text_block"]
        lines += [
            f"  PDF: {pdf['pages']} pages ({pdf['landscape_pages']} landscape)",
            (
                f"    smallest glyph         {pdf['smallest_glyph_pt']} pt (p. {pdf['smallest_glyph_page']}); "
                f"pages with glyphs < {MIN_GLYPH_PT} pt: {len(pdf['pages_with_small_glyphs'])}"
            ),
            (
                f"    closest ink to an edge {pdf['closest_ink_to_edge_mm']} mm; pages with ink < {EDGE_MM:g} mm "
                f"from an edge: {len(pdf['pages_with_ink_near_edge'])}"
            ),
            f"    pages with ink outside the text block: {len(outside)}" + (f" ({_pages(outside)})" if outside else ""),
            (
                f"    portrait pages < {BEFORE_LANDSCAPE_FULL:.0%} full before a landscape page: "
                f"{_pages(pdf['sparse_before_landscape']) or 'none'}"
            ),
            f"    pages < {MIN_FULL:.0%} full (not cover, contents, last): {_pages(pdf['sparse_pages']) or 'none'}",
        ]
    docx = report.get("docx")
    if docx:
        lines.append(
            f"  Word: {docx['mb']} MB ({docx['pictures']} pictures, {docx['picture_bytes'] / 1024 / 1024:.2f} MB)"
        )
    html = report.get("html")
    if html:
        if "error" in html:
            lines.append(f"  HTML: not measured ({html['error']})")
        else:
            lines.append(
                f"  HTML: scrollWidth {html[f'scroll_width_{PHONE_PX}']} px at {PHONE_PX} px, "
                f"{html['scroll_width_360']} px at 360 px; requests outside the file: {len(html['requests'])}"
            )
    missed = misses(report)
    lines.append("  targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="pack folders (default: every folder in exports/)")
    parser.add_argument("--exports", type=Path, default=Path("exports"), help="the exports folder (default: exports)")
    parser.add_argument("--json", type=Path, help="also write the full report (every page) as JSON here")
    parser.add_argument("--check", action="store_true", help="exit 1 when any target is missed")
    args = parser.parse_args(argv)
    folders = args.folders or sorted(p for p in args.exports.iterdir() if p.is_dir())
    reports = [measure(f) for f in folders]
    for r in reports:
        print(summary(r))
    if args.json:
        args.json.write_text(json.dumps(reports, indent=1) + "\n", encoding="utf-8")
    return 1 if args.check and any(misses(r) for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
