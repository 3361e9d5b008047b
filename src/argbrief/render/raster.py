"""A drawing's SVG -> PNG: the picture of the same layout the PDF and HTML show, drawn by librsvg.

Word's fallback pictures and ``argbrief render --format png`` are made here,
from the final SVG bytes, instead of a ``dot -Tpng`` run that lays the graph
out again. The rasteriser is librsvg's ``rsvg-convert`` (GNOME's SVG library;
Debian: ``librsvg2-bin``). It sets text with Pango and fontconfig, as Graphviz
does, so each font family the SVG names resolves to the same installed font, and
a character that font lacks (the legend's ▶, Chinese or Arabic text) falls back
to the same font Graphviz chose. CairoSVG and resvg were measured against it
(docs/performance.md): CairoSVG takes only the first family of a list, with no
fallback, so such characters come out as empty boxes; the resvg binding reads
local files an ``<image>`` names.

The SVG holds user text, so it is treated as untrusted: it goes to
``rsvg-convert`` on standard input, with no file name, so librsvg has no base
URL and loads no external file (it never fetches from the network), and it
refuses XML entities. A picture larger than :data:`MAX_PIXELS` is refused
before anything is drawn, and a run past its time limit is stopped (as is
every run when the build is stopped, like ``dot``'s). The PNG
(RGB on white) has no time or text chunks: the same SVG at the same resolution
gives the same bytes. Results can be kept in the project's
:class:`~argbrief.render.cache.DotCache`, keyed by the SVG, the resolution and
the ``rsvg-convert`` binary.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from ..errors import ToolError
from .cache import DotCache
from .graphviz import output_problem, run_tool, timeout_from_environment

__all__ = ["INSTALL_HINT", "MAX_PIXELS", "svg_to_png"]

#: The largest picture drawn (width x height): 100 million pixels is 400 MB of memory while drawing.
MAX_PIXELS = 100_000_000
INSTALL_HINT = "install librsvg's rsvg-convert: sudo apt-get install librsvg2-bin (macOS: brew install librsvg)"
_ROOT_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"', re.DOTALL)


def rasteriser() -> str:
    """The path of ``rsvg-convert``, or :class:`ToolError` with the line that installs it."""
    path = shutil.which("rsvg-convert")
    if path is None:
        raise ToolError(
            f"librsvg's 'rsvg-convert' (which draws the PNG pictures) was not found on PATH; {INSTALL_HINT}"
        )
    return path


def svg_to_png(
    svg: bytes, dpi: float, *, cache: DotCache | None = None, name: str = "the diagram", timeout: float | None = None
) -> bytes:
    """``svg`` drawn as a PNG at ``dpi`` pixels per inch (a point is 1/72 inch) on a white ground.

    ``name`` says which drawing, for errors; ``timeout`` (seconds) defaults to
    the time limit of one ``dot`` run (``ARGBRIEF_DOT_TIMEOUT``). Raises
    :class:`~argbrief.errors.ToolError` when ``rsvg-convert`` is missing (with
    the line that installs it), when the picture would be larger than
    :data:`MAX_PIXELS`, or when the SVG does not draw.
    """
    if not 1 <= dpi <= 4800:
        raise ToolError(f"cannot draw {name} as PNG at {dpi:g} dpi: the resolution must be 1 to 4800")
    _check_size(svg, dpi, name)
    binary = rasteriser()
    args = ["--format=png", f"--dpi-x={dpi:g}", f"--dpi-y={dpi:g}", "--background-color=white"]
    key = cache.key(binary, args, svg) if cache is not None else None
    if cache is not None and key is not None:
        hit = cache.get(key)
        if hit is not None and output_problem(hit, "png") is None:  # a damaged entry is drawn again
            return hit
    png = _draw(binary, args, svg, name, timeout)
    if cache is not None and key is not None:
        cache.put(key, png)
    return png


def _check_size(svg: bytes, dpi: float, name: str) -> None:
    """Refuse a picture too large to draw, from the root element's width and height (pt, or px at 96 per inch)."""
    found = _ROOT_SIZE.search(svg[:4000])
    if found is None:
        return  # librsvg then draws it at a size of its own choosing, within its own limits
    width, height = (float(found.group(i)) * (1 if found.group(i + 1) == b"pt" else 0.75) for i in (1, 3))
    w_px, h_px = width * dpi / 72, height * dpi / 72
    if w_px * h_px > MAX_PIXELS:
        raise ToolError(
            f"cannot draw {name} as PNG at {dpi:g} dpi: it would be {w_px:.0f} x {h_px:.0f} pixels, "
            f"more than {MAX_PIXELS:,}; choose a lower --dpi or split the map"
        )


def _draw(binary: str, args: list[str], svg: bytes, name: str, timeout: float | None) -> bytes:
    seconds = timeout if timeout is not None else timeout_from_environment()
    try:
        # Standard input, no file name: librsvg has no base URL, so no reference can reach a file.
        stdout, stderr, code = run_tool([binary, *args], svg, seconds)  # stopped with the build, as dot is
    except subprocess.TimeoutExpired:
        raise ToolError(f"cannot draw {name} as PNG: 'rsvg-convert' took longer than {seconds:g} s") from None
    except OSError as exc:
        raise ToolError(f"cannot run 'rsvg-convert' to draw {name} as PNG: {exc}; {INSTALL_HINT}") from None
    if code != 0:
        lines = [ln for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()][:4]
        detail = "; ".join(lines) or f"exit status {code}"
        raise ToolError(f"cannot draw {name} as PNG: 'rsvg-convert' failed: {detail}")
    problem = output_problem(stdout, "png")  # a whole PNG, chunk by chunk
    if problem is not None:
        raise ToolError(f"cannot draw {name} as PNG: 'rsvg-convert' gave a picture that does not read ({problem})")
    return stdout
