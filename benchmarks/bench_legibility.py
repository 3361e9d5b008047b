"""How small the text of a printed map gets: argbrief's split PDF against the same map drawn on one sheet.

For every demo map (arguments/*.yaml) and, when the shared corpora are at hand,
Argdown's semmelweis_betz and state-censorship examples (imported with
``argbrief import``), it runs, as a user would::

    argbrief render MAP --theme print --page A4 -o X.pdf            # the split PDF
    argbrief render MAP --theme print --page A4 --split never -o Y.pdf   # peer: one sheet

and measures, with pdfplumber, the smallest glyph on any page of each PDF (its
font size times the page's scale, as printed). It prints a Markdown table —
pages, files written, smallest glyph of each and their ratio, and the time
each took (wall clock, ``--no-cache``) and its ratio — and exits 1
when a split PDF is not a single file or has a glyph under ``--min-font``
(7 pt), so it doubles as the check that every map prints legibly.

Usage::

    .venv/bin/python benchmarks/bench_legibility.py            # A4, 7 pt
    .venv/bin/python benchmarks/bench_legibility.py --page Letter --min-font 8
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ARGBRIEF = Path(sys.executable).with_name("argbrief")
ARGDOWN_EXAMPLES = ("semmelweis_betz", "state-censorship")


def shared_folder() -> Path | None:
    """The shared corpora: ``ARGBRIEF_SHARED``, else ``shared`` beside the clone (as the tests find them)."""
    env = os.environ.get("ARGBRIEF_SHARED")
    for candidate in ([Path(env)] if env else []) + [ROOT.parent / "shared"]:
        if (candidate / "corpora" / "argdown" / "examples").is_dir():
            return candidate
    return None


def smallest_glyphs(pdf: Path) -> list[float]:
    """The smallest glyph of each page, in points as printed."""
    with pdfplumber.open(pdf) as doc:
        return [min((c["size"] for c in page.chars if c["text"].strip()), default=0.0) for page in doc.pages]


def render(source: Path, out: Path, page: str, min_font: float, *extra: str) -> tuple[float, list[Path]]:
    """Render ``source`` to ``out``; the seconds taken and the files written in ``out``'s folder."""
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [str(ARGBRIEF), "-C", str(ROOT), "render", str(source), "--theme", "print", "--page", page,
         "--min-font", f"{min_font:g}", "-o", str(out), "--no-cache", *extra],
        capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"render {source} failed ({proc.returncode}):\n{proc.stderr}")
    return seconds, sorted(out.parent.iterdir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="A4", choices=("A4", "Letter", "A3"))
    parser.add_argument("--min-font", type=float, default=7.0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        maps = [(p.stem, p) for p in sorted((ROOT / "arguments").glob("*.yaml"))]
        shared = shared_folder()
        if shared is None:
            print("(shared corpora not found: Argdown examples skipped)", file=sys.stderr)
        else:
            for name in ARGDOWN_EXAMPLES:
                imported = work / "imported" / f"{name}.yaml"
                imported.parent.mkdir(exist_ok=True)
                src = shared / "corpora" / "argdown" / "examples" / f"{name}.argdown"
                subprocess.run([str(ARGBRIEF), "import", str(src), "-o", str(imported)], check=True, capture_output=True)
                maps.append((f"{name} (Argdown)", imported))

        print(f"Smallest glyph on {args.page}, print theme (pdfplumber), floor {args.min_font:g} pt\n")
        print("| map | split PDF: pages | files | smallest glyph | one sheet (peer): smallest glyph | glyph split / peer "
              "| time split / peer |")
        print("|---|---|---|---|---|---|---|")
        failed = []
        for label, source in maps:
            key = source.stem
            seconds, files = render(source, work / key / "split" / f"{key}.pdf", args.page, args.min_font)
            sizes = smallest_glyphs(files[0])
            peer_seconds, peer_files = render(source, work / key / "peer" / f"{key}.pdf", args.page, args.min_font,
                                              "--split", "never")
            peer = min(smallest_glyphs(peer_files[0]))
            smallest = min(sizes)
            print(f"| {label} | {len(sizes)} | {len(files)} | {smallest:.2f} pt | {peer:.2f} pt | "
                  f"{smallest / peer:.2f}x | {seconds:.1f} s / {peer_seconds:.1f} s = {seconds / peer_seconds:.1f}x |")
            if len(files) != 1 or smallest < args.min_font:
                failed.append(label)
        if failed:
            print(f"\nBELOW THE FLOOR or not one file: {', '.join(failed)}", file=sys.stderr)
            return 1
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
