"""Paper, fitting and the legibility rule: the one place that says whether a drawing can be read.

A drawing is laid out once at full size (``dot -Tplain``) and measured; the
sheet is turned to landscape when the drawing is wider than tall; the drawing
is scaled down (never up) to fit inside the margins, or inside any box a
caller gives (a pack's text block). It is *legible* when the smallest text it
contains — tags, citations, the legend, not just the body — is still at least
``min_font`` points after scaling (:data:`MIN_READABLE_PT` unless the caller
says otherwise). Below that, :mod:`.split` splits the drawing again rather than
shrink it.

The smallest text is read from the DOT source (every ``POINT-SIZE`` and
``fontsize`` in it), so checking the rule costs no extra Graphviz run.
"""

from __future__ import annotations

import re

from attrs import frozen

#: Paper sizes in points (1/72 inch), portrait.
PAPER: dict[str, tuple[float, float]] = {
    "A4": (595.28, 841.89),
    "Letter": (612.0, 792.0),
    "A3": (841.89, 1190.55),
}
MARGIN_PT = 36.0  # half an inch all round: inside what office printers can print
PAD_PT = 18.0  # the graph's pad (graphviz.py sets pad=0.25 inch): part of the drawing and of its size
#: The smallest text, in points on paper, that a drawing may print at (``render --min-font``'s default).
MIN_READABLE_PT = 7.0
#: The margin kept above ``min_font`` for Graphviz's rounding.
ROUNDING_PT = 0.02

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
    """How a drawing of a given size goes on a sheet (or into a caller's box)."""

    page: str
    landscape: bool
    paper_pt: tuple[float, float]  # width, height of the sheet as placed
    box_pt: tuple[float, float]  # the printable box inside the margins
    drawing_pt: tuple[float, float]  # the drawing at full size, pad included
    scale: float  # <= 1
    smallest_pt: float = 8.0  # the smallest text at full size

    @property
    def printed_pt(self) -> float:
        """The smallest text as printed: its full size times the scale."""
        return self.smallest_pt * self.scale

    def legible(self, min_font: float = MIN_READABLE_PT) -> bool:
        """Whether every text of the drawing prints at ``min_font`` points or more.

        With a margin of :data:`ROUNDING_PT`: Graphviz rounds the ``size`` it is
        given to thousandths of an inch, which can cost a text a few thousandths
        of a point.
        """
        return self.printed_pt >= min_font + ROUNDING_PT

    @property
    def readable(self) -> bool:
        return self.legible()


def fit(width_pt: float, height_pt: float, page: str, *, smallest_pt: float = 8.0,
        box_pt: tuple[float, float] | None = None) -> PageFit:
    """Place a drawing laid out at ``width_pt`` x ``height_pt`` (as ``dot -Tplain`` says) on ``page``.

    ``box_pt`` (width, height) replaces the sheet's printable box, for a
    drawing placed in a caller's frame: then the orientation is not turned.
    """
    width_pt, height_pt = width_pt + 2 * PAD_PT, height_pt + 2 * PAD_PT
    if box_pt is not None:
        landscape, paper, box = False, box_pt, box_pt
    else:
        short, long = PAPER[page]
        landscape = width_pt > height_pt
        paper = (long, short) if landscape else (short, long)
        box = (paper[0] - 2 * MARGIN_PT, paper[1] - 2 * MARGIN_PT)
    scale = min(1.0, box[0] / width_pt, box[1] / height_pt)
    return PageFit(
        page=page,
        landscape=landscape,
        paper_pt=paper,
        box_pt=box,
        drawing_pt=(width_pt, height_pt),
        scale=scale,
        smallest_pt=smallest_pt,
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
