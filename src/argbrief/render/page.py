"""Fitting a drawing to a sheet of A4 or Letter.

The drawing is laid out once at full size (``dot -Tplain``) and measured; the
sheet is turned to landscape when the drawing is wider than tall; the drawing
is scaled down (never up) to fit inside the margins. It is *readable* when the
body text, scaled, is still at least :data:`MIN_READABLE_PT` points — below
that, ``split="auto"`` draws an overview and one diagram per branch instead.
"""

from __future__ import annotations

import re

from attrs import frozen

from .labels import BODY_PT

#: Paper sizes in points (1/72 inch), portrait.
PAPER: dict[str, tuple[float, float]] = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
MARGIN_PT = 36.0  # half an inch all round: inside what office printers can print
PAD_PT = 18.0  # the graph's pad (graphviz.py sets pad=0.25 inch): part of the drawing and of its size
#: The smallest body text we call readable on paper (the body is 10 pt at full size).
MIN_READABLE_PT = 6.5

# Only inside a <FONT> tag: user text never contains "<" (labels.escape makes it an entity).
_SIZES = re.compile(r'<FONT POINT-SIZE="([0-9]+(?:\.[0-9]+)?)"')


def smallest_text_pt(source: str) -> float:
    """The smallest font size, in points at full size, of any text in the DOT ``source``.

    Every run of text argbrief draws is in a ``<FONT POINT-SIZE=...>`` of
    :mod:`.labels` (tags, titles, bodies, citations, headers, the legend), so
    these are all the sizes there are; Graphviz's default (14 pt) when none.
    """
    sizes = [float(m) for m in _SIZES.findall(source)]
    return min(sizes) if sizes else 14.0


@frozen(kw_only=True)
class PageFit:
    """How a drawing of a given size goes on a sheet."""

    page: str
    landscape: bool
    paper_pt: tuple[float, float]  # width, height of the sheet as placed
    box_pt: tuple[float, float]  # the printable box inside the margins
    drawing_pt: tuple[float, float]  # the drawing at full size, pad included
    scale: float  # <= 1

    @property
    def readable(self) -> bool:
        return self.scale * BODY_PT >= MIN_READABLE_PT


def fit(width_pt: float, height_pt: float, page: str) -> PageFit:
    """Place a drawing laid out at ``width_pt`` x ``height_pt`` (as ``dot -Tplain`` says) on ``page``."""
    short, long = PAPER[page]
    width_pt, height_pt = width_pt + 2 * PAD_PT, height_pt + 2 * PAD_PT
    landscape = width_pt > height_pt
    paper = (long, short) if landscape else (short, long)
    box = (paper[0] - 2 * MARGIN_PT, paper[1] - 2 * MARGIN_PT)
    scale = min(1.0, box[0] / width_pt, box[1] / height_pt)
    return PageFit(
        page=page, landscape=landscape, paper_pt=paper, box_pt=box, drawing_pt=(width_pt, height_pt), scale=scale
    )


def graph_attrs(placed: PageFit, fmt: str) -> dict[str, str]:
    """Graphviz attributes that draw at most the printable box; for PDF, centred on a whole sheet.

    ``size`` only ever shrinks a drawing (no trailing "!") and includes the pad;
    ``ratio`` is left alone because "compress" and "fill" change or distort the
    layout that was measured. Graphviz's PDF page is the drawing plus
    ``margin``, so the margins are chosen to make it the sheet (to within the
    point Graphviz rounds to).
    """
    w, h = placed.box_pt
    attrs = {"size": f"{w / 72:.3f},{h / 72:.3f}"}
    if fmt == "pdf":
        drawn_w, drawn_h = (d * placed.scale for d in placed.drawing_pt)
        mx = max(0.0, (placed.paper_pt[0] - drawn_w) / 2)
        my = max(0.0, (placed.paper_pt[1] - drawn_h) / 2)
        attrs["margin"] = f"{mx / 72:.3f},{my / 72:.3f}"
    return attrs
