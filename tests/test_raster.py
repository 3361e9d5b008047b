"""PNG pictures drawn from a drawing's own SVG (argbrief.render.raster): the same layout, safe, deterministic.

Word's fallback pictures and ``render --format png`` are the SVG's picture, so
no ``dot -Tpng`` (a layout of its own) runs in a pack's Word build.
"""

from __future__ import annotations

import http.server
import io
import re
import threading
from pathlib import Path

import docx
import pytest
from PIL import Image

from argbrief import Config
from argbrief.builder import build
from argbrief.errors import ToolError
from argbrief.render import raster
from argbrief.render.cache import DotCache
from argbrief.render.graphviz import drawing_size
from argbrief.render.raster import svg_to_png

from ._packs_project import make_project

RED = (255, 0, 0)


def _svg(body: str, width: int = 40, height: int = 20) -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}">{body}</svg>'
    ).encode()


def _chunks(png: bytes) -> list[bytes]:
    out, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        out.append(png[at + 4 : at + 8])
        at += 12 + length
    return out


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    with Image.open(io.BytesIO(png)) as image:
        return {c for _, c in image.convert("RGB").getcolors(1 << 24)}


def _red_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), RED).save(buffer, "PNG")
    return buffer.getvalue()


def test_same_svg_same_bytes_no_metadata_and_the_size_the_dpi_gives() -> None:
    svg = _svg('<rect x="2" y="2" width="20" height="10" fill="#38761d"/><text x="2" y="18" font-size="6">Ab</text>')
    first = svg_to_png(svg, 144)
    assert first == svg_to_png(svg, 144)
    assert not {b"tIME", b"tEXt", b"iTXt", b"zTXt", b"eXIf"} & set(_chunks(first))  # no time, text or metadata
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == (80, 40)  # 40 x 20 pt at 144 dpi
        assert image.mode == "RGB"
    assert (0x38, 0x76, 0x1D) in _colours(first)


def test_text_falls_back_as_graphviz_does() -> None:
    """The legend's ▶ is not in Noto Sans: it comes from the next family the SVG names (DejaVu Sans), as in
    Graphviz's own output, not as a missing-glyph box."""

    def arrow(family: str) -> bytes:
        return svg_to_png(_svg(f'<text x="4" y="16" font-family="{family}" font-size="16">▶</text>'), 72)

    listed = arrow("Noto Sans,DejaVu Sans,sans-serif")
    assert listed == arrow("DejaVu Sans")
    assert any(sum(c) < 200 for c in _colours(listed))  # and it has ink


@pytest.fixture
def web():
    """A local web server that counts requests and answers each with a red picture."""
    hits: list[str] = []
    red = _red_png()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(red)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_references_fetch_nothing(tmp_path: Path, web) -> None:
    """A picture, pattern, stylesheet or use that names a file or a URL draws nothing from it and reads nothing."""
    url, hits = web
    canary = tmp_path / "canary.png"
    canary.write_bytes(_red_png())
    refs = [str(canary), canary.as_uri(), f"{url}/x.png", "/etc/passwd", "file:///etc/passwd"]
    body = "".join(f'<image xlink:href="{r}" x="0" y="0" width="40" height="20"/>' for r in refs)
    body += (
        f'<use xlink:href="{canary.as_uri()}#a"/><rect width="40" height="20" fill="url({url}/p.svg#g)" opacity="0.5"/>'
    )
    body += f'<style>@import url("{url}/s.css"); rect {{ fill: url({canary.as_uri()}); }}</style>'
    try:
        png = svg_to_png(_svg(body), 72)
    except ToolError as exc:  # refusing the picture is as safe as drawing it without them
        assert "cannot draw" in str(exc)
    else:
        assert RED not in _colours(png)
    assert hits == []


def test_entities_are_refused_with_a_clear_error() -> None:
    svg = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40pt" height="20pt"><text x="1" y="10">&x;</text></svg>'
    )
    with pytest.raises(ToolError, match=r"cannot draw diagram 'd' as PNG: 'rsvg-convert' failed: .*ntity"):
        svg_to_png(svg, 72, name="diagram 'd'")


@pytest.mark.parametrize(
    ("svg", "dpi", "message"),
    [
        (b"not an svg", 72, "'rsvg-convert' failed"),
        (_svg("", 20_000, 20_000), 600, "more than 100,000,000; choose a lower --dpi"),
        (_svg(""), 0, "the resolution must be 1 to 4800"),
    ],
)
def test_bad_pictures_give_errors_not_tracebacks(svg: bytes, dpi: float, message: str) -> None:
    with pytest.raises(ToolError, match=message):
        svg_to_png(svg, dpi)


def test_missing_rasteriser_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(raster.shutil, "which", lambda name: None)
    with pytest.raises(ToolError, match="apt-get install librsvg2-bin"):
        svg_to_png(_svg(""), 72)


def test_pictures_are_cached_by_svg_and_resolution(tmp_path: Path) -> None:
    cache = DotCache(tmp_path / "cache", root=tmp_path)
    svg = _svg('<circle cx="10" cy="10" r="8" fill="#1f3a5f"/>')
    first = svg_to_png(svg, 100, cache=cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert svg_to_png(svg, 100, cache=cache) == first
    assert cache.hits == 1
    svg_to_png(svg, 101, cache=cache)
    assert cache.misses == 2
    for entry in (tmp_path / "cache").iterdir():  # a damaged entry is never used: the picture is drawn again
        entry.write_bytes(entry.read_bytes()[:60])
    assert svg_to_png(svg, 100, cache=cache) == first


def test_a_pack_word_build_draws_no_png_with_dot(tmp_path: Path, dot_runs) -> None:
    """Every ``dot`` run of a Word build writes SVG or a layout; the Word file's PNGs are the SVGs' pictures."""
    runs = dot_runs
    root = make_project(tmp_path / "p")
    result = build(Config.discover(root), formats=("docx",), jobs=1, use_cache=False)
    assert not result.failed
    assert runs and all("png" not in formats for formats in runs), runs
    word = docx.Document(str(root / "exports" / "example" / "example.docx"))
    assert word.inline_shapes
    for shape in word.inline_shapes:  # each fallback has its SVG's proportions: the same layout, scaled
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        (svg_id,) = re.findall(r'asvg:svgBlip[^>]*r:embed="([^"]+)"', blip.xml)
        width_pt, height_pt = drawing_size(word.part.related_parts[svg_id].blob, "svg", 72)
        with Image.open(io.BytesIO(word.part.related_parts[blip.embed].blob)) as fallback:
            assert abs(fallback.height - fallback.width * height_pt / width_pt) <= 1.5


def test_render_png_is_the_svg_rasterised(dot_runs) -> None:
    """``argbrief render --format png``: each picture is its SVG's layout at ``--dpi``, and no ``dot -Tpng`` runs."""
    from argbrief.project import load_file
    from argbrief.render import RenderOptions, render_map

    runs = dot_runs
    amap = load_file(Path(__file__).resolve().parent.parent / "arguments" / "ukraine-survive.yaml").obj
    pngs = render_map(amap, RenderOptions(fmt="png", page="A4", dpi=100))
    svgs = render_map(amap, RenderOptions(fmt="svg", page="A4"))
    assert [d.name for d in pngs] == [d.name for d in svgs]
    assert all("png" not in formats for formats in runs), runs
    for png, svg in zip(pngs, svgs, strict=True):
        assert png.data == svg_to_png(svg.data, 100)



def test_a_stopped_build_stops_rsvg_convert_at_once(stopped_midway):
    """A build stopped by a signal kills its rasteriser as it kills its dot runs, without waiting for the time limit."""
    error = stopped_midway("rsvg-convert", lambda: svg_to_png(_svg("<rect width='4' height='4'/>"), 72, timeout=60))
    assert "rsvg-convert" in str(error)
