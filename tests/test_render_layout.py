"""One Graphviz layout per drawing: the run that measures a drawing also draws it, and the page's SVG is that layout.

These tests run ``dot`` and compare with what it writes itself, so that a
Graphviz whose output differs from the rule :func:`scaled_svg` follows is
caught here rather than in a pack.
"""

from __future__ import annotations

import re

import pytest

from argbrief.project import load_file
from argbrief.render import RenderOptions, graphviz, plan_drawings, render_map
from argbrief.render.cache import DotCache, MemoryDotCache
from argbrief.render.graphviz import (
    draw_scaled,
    measure_drawing,
    run_dot,
    run_dot_formats,
    scaled_svg,
    view_to_dot,
)
from argbrief.render.mapview import map_view
from argbrief.render.theme import get_theme

from .conftest import REPO


@pytest.fixture(scope="module")
def amap():
    return load_file(REPO / "arguments" / "ukraine-survive.yaml").obj


def _sized(source: str, size: str) -> str:
    return source.replace("digraph argmap {\n", f'digraph argmap {{\nsize="{size}";\n', 1)


def test_scaled_svg_is_what_dot_writes_for_the_size(amap) -> None:
    source = view_to_dot(map_view(amap), get_theme("default"), RenderOptions())
    full = run_dot(source, "svg")
    width, height = (float(v) for v in re.search(rb'viewBox="0\.00 0\.00 ([\d.]+) ([\d.]+)"', full).groups())
    sizes = [
        f"{width / 72 * 0.5:.3f},{height / 72:.3f}",  # the width decides the scale
        f"{width / 72:.3f},{height / 72 * 0.6:.3f}",  # the height decides it
        f"{width / 72 * 0.7:.3f},{height / 72 * 0.7:.3f}",  # nearly a tie
        "10.693,7.268",  # A4 landscape's printable box
        f"{width / 72 + 1:.3f},{height / 72 + 1:.3f}",  # larger: dot does not enlarge
    ]
    for size in sizes:
        assert scaled_svg(full, size) == run_dot(_sized(source, size), "svg"), size


def test_scaled_svg_gives_up_on_output_it_does_not_know() -> None:
    assert scaled_svg(b'<svg width="10in" height="5in" viewBox="0 0 720 360">', "1,1") is None
    assert scaled_svg(b"<svg/>", "not a size") is None


def test_one_run_writes_every_format_and_caches_each_as_a_run_of_its_own(amap, tmp_path, dot_runs) -> None:
    source = view_to_dot(map_view(amap), get_theme("print"), RenderOptions())
    cache = DotCache(tmp_path / "dot", root=tmp_path)
    both = run_dot_formats(source, ("plain", "svg"), cache=cache)
    assert dot_runs == [("plain", "svg")]
    assert run_dot(source, "svg", cache=cache) == both["svg"]
    assert run_dot(source, "plain", cache=cache) == both["plain"]
    assert len(dot_runs) == 1  # both were cache hits
    assert run_dot(source, "svg") == both["svg"]  # the same bytes as a run of SVG alone


def test_measuring_draws_the_svg_but_caches_only_the_layout(amap, tmp_path, dot_runs) -> None:
    source = view_to_dot(map_view(amap), get_theme("colorblind"), RenderOptions())
    cache = DotCache(tmp_path / "dot", root=tmp_path)
    (width, height), svg = measure_drawing(source, cache=cache)
    assert svg == run_dot(source, "svg") and width > 0 and height > 0
    assert len(list((tmp_path / "dot").iterdir())) == 1  # the plain layout only: candidates' SVGs are not kept
    graphviz._MEASURED.clear()
    runs = len(dot_runs)
    assert measure_drawing(source, cache=cache) == ((width, height), None)  # a cache hit: no run, no SVG
    assert len(dot_runs) == runs


def test_draw_scaled_caches_its_svg_and_falls_back_to_dot(amap, dot_runs) -> None:
    source = view_to_dot(map_view(amap), get_theme("default"), RenderOptions())
    sized = _sized(source, "4.000,4.000")
    cache = MemoryDotCache()
    svg = draw_scaled(sized, "4.000,4.000", run_dot(source, "svg"), cache=cache)
    assert svg == run_dot(sized, "svg")
    runs = len(dot_runs)
    assert draw_scaled(sized, "4.000,4.000", None, cache=cache) == svg  # from the cache
    assert draw_scaled(sized, "4.000,4.000", b"<svg/>", cache=MemoryDotCache()) == svg  # from dot
    assert len(dot_runs) == runs + 1


def test_a_plan_for_a_page_draws_no_layout_twice(amap, dot_runs) -> None:
    options = RenderOptions(fmt="svg", theme="default", page="A4", split="auto")
    drawings = plan_drawings(amap, options, cache=MemoryDotCache())
    assert len(drawings) > 1  # split: the overview and branches, each measured among other candidates
    assert all(formats == ("plain", "svg") for formats in dot_runs)  # measuring runs only, none to draw
    planned = len(dot_runs)
    for d in drawings:
        assert d.svg == run_dot(d.source, "svg")  # what a second layout would have drawn
    graphviz._MEASURED.clear()
    dot_runs.clear()
    diagrams = render_map(amap, options)
    assert [d.data for d in diagrams] == [d.svg for d in drawings]
    assert len(dot_runs) == planned


def test_a_pack_draws_each_figure_from_its_planned_layout(amap, dot_runs) -> None:
    """The pack's figure numbers go into the planned SVGs: no ``dot`` run after planning."""
    from argbrief.builder.diagrams import CacheSpec, figure_sources, plan_map

    planned = plan_map(amap, "default", "A4", CacheSpec(folder=None))
    assert len(planned.diagrams) > 2 and all(formats == ("plain", "svg") for formats in dot_runs)
    runs = len(dot_runs)
    sources, svgs = figure_sources(planned, 7)
    assert len(dot_runs) == runs  # numbering the figures lays nothing out
    assert all(svgs) and len(svgs) == len(sources) == len(planned.diagrams)
    numbers = [set(re.findall(r"Figure\u00a0(\d+)", svg.decode())) for svg in svgs]
    assert set().union(*numbers) and all(7 <= int(n) < 7 + len(svgs) for ns in numbers for n in ns)
    assert numbers == [set(re.findall(r"Figure\u00a0(\d+)", s)) for s in sources]
    # Only the first figure names the map: the pack's captions do for the others.
    title = planned.drawings[0].view.title
    assert title and all(title not in svg.decode() for svg in svgs[1:])
    assert all(d.title.startswith(title) for d in planned.diagrams)


def test_the_comparison_figure_comes_from_the_run_that_measured_it(dot_runs) -> None:
    from argbrief import Config, load_workspace
    from argbrief.builder.diagrams import CacheSpec, plan_comparison
    from argbrief.compare import compare_workspace

    ws = load_workspace(Config.discover(REPO))
    comparison = compare_workspace(ws, ws.packs["ukraine-options"])
    planned = plan_comparison(comparison, "default", "A4", CacheSpec(folder=None))
    (diagram,) = planned.diagrams
    assert dot_runs and all(formats == ("plain", "svg") for formats in dot_runs)
    assert diagram.svg == run_dot(diagram.source, "svg")  # what a second layout would have drawn
