"""Print layout measured as a reader gets it, on a small pack (the demo packs: scripts/measure_print.py).

One map with a wide fan of eight premises (too wide to read whole, even on a
landscape page: it is split), a quote, a paraphrase holding one 300-letter "word", a long
recommendation: built to PDF, Word and HTML in memory, then measured with
the same code as ``scripts/measure_print.py`` (pdfplumber: every glyph's size
and position) and, for the HTML, in real Chromium at phone width.
"""

from __future__ import annotations

import importlib.util
import re
import shutil

import pytest

from ._packs_project import make_project, render_in_memory
from .conftest import REPO

LONG_WORD = "Antidisestablishmentarianism" * 11  # 308 letters, no break opportunity

SOURCE = """\
Wide memo

The trial office decided planning applications 9% faster than before.
"""

PREMISES = "\n".join(
    f"""    - id: P{i}
      label: Reason number {i}
      text: Reason {i} why the council should extend the four-day week trial before it decides."""
    for i in range(1, 9)
)

MAP = f"""\
map: wide-fan
title: A map with a wide fan of reasons
source:
  title: Wide memo
  url: https://example.org/wide-memo?a=1&b=2
  text: sources/wide-fan.txt
position: extend-trial
summary: Eight reasons side by side, so the whole map is wider than a portrait page can show legibly.
thesis:
  id: T
  label: Extend the trial
  text: The council should extend its four-day week trial before deciding.
  evidence:
    - id: E1
      quote: decided planning applications 9% faster
      strength: strong
    - id: E2
      text: "A paraphrase with one very long word: {LONG_WORD}"
  premises:
{PREMISES}
recommendations:
  - id: R1
    actor: Council leadership
    text: "Extend the trial to two more departments, and report on it in a year: {LONG_WORD}"
    because: [T]
"""

# A reading pack: the map's chapter is what is measured (the demo packs' comparison
# chapters are measured by scripts/measure_print.py).
PACK = """\
pack: example
title: A wide map in print
author: Test unit
date: 2025-01-15
marking: OFFICIAL
formats: [pdf, docx, html]
page: A4
maps: [wide-fan]
"""


def _measure_module():
    spec = importlib.util.spec_from_file_location("measure_print", REPO / "scripts" / "measure_print.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("wide"), map_yaml=MAP, pack_yaml=PACK, source_text=SOURCE, map_name="wide-fan")
    result = render_in_memory(root)
    out = root / "out"
    out.mkdir()
    paths = {}
    for artifact in result.artifacts:
        if artifact.path.suffix in (".pdf", ".docx", ".html"):
            paths[artifact.path.suffix.lstrip(".")] = path = out / artifact.path.name
            path.write_bytes(artifact.data)
    return paths, result.document


@pytest.fixture(scope="module")
def pdf(built):
    return _measure_module().measure_pdf(built[0]["pdf"])


def test_the_wide_map_is_split_into_legible_figures_that_name_each_other(built, pdf):
    """Eight reasons side by side print under 5 pt whole, even on a landscape page: the map is split
    (the renderer's legibility rule, with the pack's figure box) and its drawings refer to one
    another by the pack's figure numbers, never by an internal name."""
    _, doc = built
    figures = doc.figures()
    assert len(figures) > 1 and not any(f.landscape for f in figures)
    numbers = {f.number for f in figures}
    for fig in figures:
        text = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", fig.svg.decode()))
        assert "see diagram" not in text and not any(f.name in text for f in figures), text
        named = {int(n) for n in re.findall(r"Figure\u00a0(\d+)", text)}  # a no-break space: never split
        assert named and named <= numbers - {fig.number}, (fig.number, named)


def test_no_ink_near_the_sheet_edge(pdf):
    assert pdf["closest_ink_to_edge_mm"] >= 15.0, pdf["pages_with_ink_near_edge"]


def test_no_glyph_below_7_pt_diagrams_included(pdf):
    assert pdf["smallest_glyph_pt"] >= 7.0 - 0.01, pdf["pages_with_small_glyphs"]


def test_tables_and_long_words_stay_inside_the_text_block(pdf):
    assert not pdf["pages_with_ink_outside_text_block"]


def test_no_opening_text_alone_before_the_landscape_map_and_no_near_empty_page(pdf):
    assert not pdf["sparse_before_landscape"], pdf["page_detail"]
    assert not pdf["sparse_pages"], pdf["page_detail"]


def test_word_file_stays_small(built):
    assert built[0]["docx"].stat().st_size <= 1.5 * 1024 * 1024


@pytest.mark.skipif(
    shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
    reason="chromium is not installed (scripts/system-deps.sh installs it)",
)
def test_html_fits_a_phone_and_fetches_nothing(built):
    pytest.importorskip("playwright", reason="playwright is a test extra")
    html = built[0]["html"]
    result = _measure_module().measure_html([html])[html]
    assert "error" not in result, result
    assert result["scroll_width_390"] <= 390
    assert result["scroll_width_360"] <= 360
    assert result["requests"] == []


def test_source_urls_are_links_only_when_they_are_web_addresses(built):
    from argbrief.packs.html import web_url

    html = built[0]["html"].read_text(encoding="utf-8")
    assert '<a class="url" href="https://example.org/wide-memo?a=1&amp;b=2">' in html
    assert web_url("https://example.org/x") and web_url("HTTP://example.org")
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "//example.org", "https:///nohost"):
        assert not web_url(url), url


ROW_MAP = """\
map: wide-fan
title: A map with a row of reasons
source:
  title: Wide memo
  text: sources/wide-fan.txt
thesis:
  id: T
  label: Extend the trial
  text: The council should extend its four-day week trial before deciding.
  premises:
{premises}
"""


@pytest.mark.parametrize(("reasons", "landscape"), [(3, False), (6, True)])
def test_a_map_stays_whole_on_a_landscape_page_when_that_keeps_it_legible(tmp_path, reasons, landscape):
    """Three reasons fit the portrait figure box; six are too wide for it at 7 pt but legible whole in landscape."""
    from argbrief import Config, load_workspace
    from argbrief.builder.diagrams import CacheSpec, plan_map

    premises = "\n".join(
        f"    - id: P{i}\n      label: Reason {i}\n      text: Reason {i} why the council should extend the trial."
        for i in range(1, reasons + 1)
    )
    root = make_project(tmp_path, map_yaml=ROW_MAP.format(premises=premises), pack_yaml=PACK, source_text=SOURCE,
                        map_name="wide-fan")
    planned = plan_map(load_workspace(Config.discover(root)).maps["wide-fan"], "default", "A4", CacheSpec(folder=None))
    assert [d.landscape for d in planned.diagrams] == [landscape]
    assert planned.drawings[0].smallest_pt >= 7.0
