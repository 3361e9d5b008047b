"""docs/gallery.md and docs/gallery/ are current: every demo map in every theme, drawn from today's maps and code.

Fast: it compares fingerprints (map files, source texts, the drawing code) recorded when
scripts/make_gallery.py drew the pictures; it draws nothing. When it fails, run
``.venv/bin/python scripts/make_gallery.py`` and commit the result.
"""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET

from .conftest import REPO


def _script():
    spec = importlib.util.spec_from_file_location("make_gallery", REPO / "scripts" / "make_gallery.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_gallery_is_current() -> None:
    problems = _script().stale()
    assert problems == [], "run: .venv/bin/python scripts/make_gallery.py\n" + "\n".join(problems)


def test_every_demo_map_is_pictured_in_every_theme_and_the_pictures_are_small_svg() -> None:
    gallery = _script()
    page = (REPO / "docs" / "gallery.md").read_text(encoding="utf-8")
    for map_file in gallery.demo_maps():
        for theme in gallery.THEMES:
            name = gallery.picture_name(map_file, theme)
            assert f"](gallery/{name})" in page
            picture = REPO / "docs" / "gallery" / name
            assert picture.stat().st_size < 80_000, name
            assert ET.parse(picture).getroot().tag.endswith("svg")
