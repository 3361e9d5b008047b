"""Draw the gallery: every demo map (arguments/*.yaml) in each theme, as docs/gallery/*.svg and docs/gallery.md.

Each picture is what ``argbrief render MAP --theme THEME --page A4`` draws first: the
whole map when it is readable on one A4 sheet, else its overview (one drawing per
branch would follow). SVG keeps the pictures sharp and small (comments are dropped).
``docs/gallery/gallery.json`` records, for each picture, a fingerprint of what it is
drawn from — the map file, its source texts, the theme and argbrief's drawing code
(``src/argbrief/render/``) — and the SHA-256 of the SVG, so that a test can tell in
milliseconds, without drawing, that the gallery is stale::

    .venv/bin/python scripts/make_gallery.py           # redraw docs/gallery/ and docs/gallery.md
    .venv/bin/python scripts/make_gallery.py --check   # exit 1 listing what is stale (what the test checks)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGUMENTS = ROOT / "arguments"
GALLERY = ROOT / "docs" / "gallery"
PAGE = ROOT / "docs" / "gallery.md"
MANIFEST = GALLERY / "gallery.json"
RENDER_CODE = ROOT / "src" / "argbrief" / "render"
THEMES = ("default", "print", "colorblind")
THEME_WORDS = {
    "default": "colour: each kind of claim its own colour",
    "print": "greys only, for a black-and-white printer; kinds told apart by border and shape",
    "colorblind": "the Okabe-Ito palette, safe for every common kind of colour blindness",
}


def demo_maps() -> list[Path]:
    return sorted(ARGUMENTS.glob("*.yaml"))


def fingerprint(map_file: Path, theme: str) -> str:
    """What a picture is drawn from: the map file, its source texts, the theme and the drawing code."""
    from argbrief.project import load_file
    from argbrief.quotes import resolve_text_path

    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("theme", theme.encode())
    add("map", map_file.read_bytes())
    amap = load_file(map_file).obj
    sources = ([amap.source] if amap is not None and amap.source else []) + (
        list(amap.sources.values()) if amap is not None else [])
    for src in sources:
        if src.text:
            found = resolve_text_path(src.text, map_file.parent, ROOT)[0]  # the path, or None
            if found is not None:
                add(f"source:{src.text}", found.read_bytes())
    for code in sorted(RENDER_CODE.rglob("*.py")):
        add(code.relative_to(RENDER_CODE).as_posix(), code.read_bytes())
    return digest.hexdigest()


def picture_name(map_file: Path, theme: str) -> str:
    return f"{map_file.stem}-{theme}.svg"


def draw(map_file: Path, theme: str) -> tuple[bytes, str]:
    """The picture's SVG (comments dropped) and its title."""
    from lxml import etree

    from argbrief.project import Config, load_workspace
    from argbrief.render import RenderOptions, render_map
    from argbrief.render.files import project_cache

    config = Config.discover(ROOT)
    ws = load_workspace(config, [map_file])
    (amap,) = ws.maps.values()
    first = render_map(amap, RenderOptions(fmt="svg", theme=theme, page="A4", split="auto"), cache=project_cache(config))[0]
    root = etree.fromstring(first.data, etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True))
    svg = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
    return svg, amap.title


def page(entries: list[dict[str, str]]) -> str:
    """docs/gallery.md: every picture, by map, one row of three themes."""
    lines = [
        "# Gallery",
        "",
        "What `argbrief render` draws, for each demo map of this repository (`arguments/`), in each",
        "theme. Each picture is the first drawing of `argbrief render MAP --theme THEME --page A4`:",
        "the whole map when it is readable on one A4 sheet, else its overview (the branches follow",
        "as drawings of their own). See [diagrams.md](diagrams.md) for what the boxes and arrows mean.",
        "",
        "| theme | what it is for |",
        "|---|---|",
        *[f"| `{t}` | {THEME_WORDS[t]} |" for t in THEMES],
        "",
        "The pictures are made by `scripts/make_gallery.py`; a test fails when one is stale",
        "(its map, source texts or argbrief's drawing code changed since it was drawn).",
        "",
    ]
    by_map: dict[str, list[dict[str, str]]] = {}
    for entry in entries:
        by_map.setdefault(entry["map"], []).append(entry)
    for map_id, items in by_map.items():
        lines += [f"## {items[0]['title']}", "", f"`arguments/{map_id}.yaml`", ""]
        for item in items:
            lines += [f"**{item['theme']}**", "", f"![{item['title']} — {item['theme']} theme](gallery/{item['file']})", ""]
    return "\n".join(lines)


def make() -> None:
    GALLERY.mkdir(parents=True, exist_ok=True)
    entries = []
    wanted = set()
    for map_file in demo_maps():
        for theme in THEMES:
            svg, title = draw(map_file, theme)
            name = picture_name(map_file, theme)
            wanted.add(name)
            (GALLERY / name).write_bytes(svg)
            entries.append({"map": map_file.stem, "theme": theme, "title": title, "file": name,
                            "fingerprint": fingerprint(map_file, theme), "sha256": hashlib.sha256(svg).hexdigest()})
            print(f"drew docs/gallery/{name} ({len(svg) // 1024} KB)")
    for old in GALLERY.glob("*.svg"):
        if old.name not in wanted:
            old.unlink()
    MANIFEST.write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    PAGE.write_text(page(entries), encoding="utf-8")


def stale() -> list[str]:
    """What is out of date, one line each (empty: the gallery is current). Draws nothing."""
    try:
        entries = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["docs/gallery/gallery.json is missing or unreadable"]
    out = []
    recorded = {(e["map"], e["theme"]): e for e in entries}
    for map_file in demo_maps():
        for theme in THEMES:
            entry = recorded.pop((map_file.stem, theme), None)
            name = picture_name(map_file, theme)
            if entry is None:
                out.append(f"missing: docs/gallery/{name}")
                continue
            picture = GALLERY / entry["file"]
            if not picture.is_file() or hashlib.sha256(picture.read_bytes()).hexdigest() != entry["sha256"]:
                out.append(f"edited or missing: docs/gallery/{entry['file']}")
            elif entry["fingerprint"] != fingerprint(map_file, theme):
                out.append(f"stale: docs/gallery/{entry['file']} (its map, source texts or the drawing code changed)")
    out += [f"extra: docs/gallery/{e['file']} (no such demo map any more)" for e in recorded.values()]
    if PAGE.read_text(encoding="utf-8") != page(entries):
        out.append("stale: docs/gallery.md")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="draw nothing; exit 1 listing what is stale")
    args = parser.parse_args()
    if args.check:
        problems = stale()
        print("\n".join(problems) or "the gallery is current")
        return 1 if problems else 0
    make()
    return 0


if __name__ == "__main__":
    sys.exit(main())
