"""Edit-to-page latency of ``argbrief serve``, in real Chromium, against re-running a command after each save.

In a fresh ``argbrief init`` project with a 40-node map added (benchmarks/generate.py),
``argbrief serve`` runs as its own process and headless Chromium (Playwright driving
the system's chromium) shows the map. Each turn changes one claim's text in the map
file and times, wall clock, from just before the write until the page shows the new
drawing (the ``<img>`` has swapped to the new version: the file was noticed, the
project reloaded, the event pushed, the SVG drawn, fetched and decoded).

Peers, in the same run, for the same edit: what an author would run by hand after a
save without the preview — ``argbrief render MAP`` (a fresh process: start-up, load,
draw; Graphviz cache warm) and ``argbrief build --format html`` of the project's pack (the map is added to it;
incremental: only that pack's HTML and its diagrams are redone).
Prints a Markdown table of medians and ratios (benchmarks/README.md keeps the figures)::

    .venv/bin/python benchmarks/bench_serve.py            # 15 edits
    .venv/bin/python benchmarks/bench_serve.py --edits 30 --nodes 40
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_render import run as timed
from generate import build_tree, to_yaml

ARGBRIEF = Path(sys.executable).with_name("argbrief")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=40)
    parser.add_argument("--edits", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (scripts/system-deps.sh installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        subprocess.run([str(ARGBRIEF), "init", str(root)], check=True, capture_output=True)
        map_file = root / "arguments" / "bench.yaml"
        map_file.write_text(to_yaml(build_tree(args.nodes, seed=7), "bench"), encoding="utf-8")
        nodes = len(re.findall(r"^\s*-? *id: ", map_file.read_text(encoding="utf-8"), re.MULTILINE))
        pack = root / "arguments" / "packs" / "example.yaml"  # so that `build` draws the map too
        pack.write_text(pack.read_text(encoding="utf-8").replace("maps: [four-day-week]", "maps: [four-day-week, bench]"),
                        encoding="utf-8")

        server = subprocess.Popen([str(ARGBRIEF), "serve", "--port", "0"], cwd=root, stderr=subprocess.PIPE, text=True)
        try:
            line = server.stderr.readline()
            url = re.search(r"http://\S+/", line)
            if url is None:
                raise SystemExit(f"serve did not start: {line}")
            latencies = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                page.goto(url.group(0) + "#/map/bench")
                page.wait_for_selector("#diagram[data-version]", timeout=60_000)
                for turn in range(args.edits + 1):
                    version = page.get_attribute("#diagram", "data-version")
                    text = map_file.read_text(encoding="utf-8")
                    edited = re.sub(r"^(  text: .*?)(?: \(edit \d+\))?$", rf"\1 (edit {turn})", text, count=1, flags=re.MULTILINE)
                    start = time.perf_counter()
                    map_file.write_text(edited, encoding="utf-8")
                    page.wait_for_function("v => document.querySelector('#diagram').dataset.version !== v",
                                           arg=version, timeout=30_000, polling="raf")
                    if turn:  # the first turn warms the caches, as an author's first save would
                        latencies.append(time.perf_counter() - start)
                    time.sleep(0.5)  # let the watcher settle: separate saves, not one burst
                browser.close()
        finally:
            server.terminate()
            server.wait(10)

        render = [timed([str(ARGBRIEF), "render", "bench", "-o", "bench.svg"], root) for _ in range(5)]
        timed([str(ARGBRIEF), "build", "--format", "html"], root)  # the build cache: later builds redo the edit only
        build = []
        for turn in range(3):
            text = map_file.read_text(encoding="utf-8")
            map_file.write_text(text.replace("(edit", "(build edit", 1) if turn == 0 else text + f"# {turn}\n", encoding="utf-8")
            build.append(timed([str(ARGBRIEF), "build", "--format", "html"], root))

    serve_median = statistics.median(latencies)
    render_median = statistics.median(render)
    build_median = statistics.median(build)
    print(f"{nodes}-node map, {len(latencies)} edits, Chromium {chromium}")
    print()
    print("| what | median | max | ratio to serve |")
    print("|---|---|---|---|")
    print(f"| `argbrief serve`: save -> new drawing on the open page | {serve_median:.2f} s | {max(latencies):.2f} s | 1.00 |")
    print(f"| `argbrief render bench` (fresh process, dot cache warm) | {render_median:.2f} s | {max(render):.2f} s "
          f"| {render_median / serve_median:.2f} |")
    print(f"| `argbrief build --format html` (incremental) | {build_median:.2f} s | {max(build):.2f} s "
          f"| {build_median / serve_median:.2f} |")


if __name__ == "__main__":
    main()
