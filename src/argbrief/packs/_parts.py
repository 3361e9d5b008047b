"""Building blocks shared by the document model and its chapters: page geometry, headings, figures.

Kept apart from :mod:`.document` so that chapter builders (:mod:`.comparison`)
can use them without importing the assembler.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from attrs import frozen

from ..render.labels import SMALLEST_PT
from ..render.page import MIN_READABLE_PT

# --------------------------------------------------------------------------- page geometry

#: Paper sizes (width, height) in millimetres.
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
_PT_MM = 25.4 / 72.0
# Room a figure leaves on its page for its caption and the heading above it.
_FIGURE_RESERVE_MM = 38.0
# A full-width drawing's outer strokes stay inside the text block (half a pen width spills past the box).
_FIGURE_INSET_MM = 2.0


@frozen(kw_only=True)
class Geometry:
    """The printed page: paper size and margins in millimetres (PDF and Word share it)."""

    page: str = "A4"
    width_mm: float = 210.0
    height_mm: float = 297.0
    margin_top_mm: float = 24.0
    margin_right_mm: float = 20.0
    margin_bottom_mm: float = 22.0
    margin_left_mm: float = 20.0

    @classmethod
    def for_page(cls, page: str) -> Geometry:
        width, height = PAGE_SIZES_MM.get(page, PAGE_SIZES_MM["A4"])
        return cls(page=page if page in PAGE_SIZES_MM else "A4", width_mm=width, height_mm=height)

    @property
    def content_width_mm(self) -> float:
        return self.width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def content_height_mm(self) -> float:
        return self.height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def landscape_content_width_mm(self) -> float:
        return self.height_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def landscape_content_height_mm(self) -> float:
        return self.width_mm - self.margin_top_mm - self.margin_bottom_mm

    def figure_box_pt(self, landscape: bool = False) -> tuple[float, float]:
        """The box a diagram may fill on a portrait (or landscape) page, in points: width, height.

        The text block less the room for the figure's caption and a heading above it.
        The packs plan their drawings for this box (:func:`argbrief.builder.diagrams.plan_map`),
        so a drawing prints at the size it was planned at: its text is never below the legibility floor.
        """
        width = self.landscape_content_width_mm if landscape else self.content_width_mm
        height = self.landscape_content_height_mm if landscape else self.content_height_mm
        return ((width - _FIGURE_INSET_MM) / _PT_MM, (height - _FIGURE_RESERVE_MM) / _PT_MM)

    @property
    def css_size(self) -> str:
        """The CSS ``@page size`` keyword (from a fixed table, never user text)."""
        return "A4" if self.page == "A4" else "letter"


def fit_figure(
    width_pt: float,
    height_pt: float,
    geometry: Geometry,
    text_scale: float = 1.0,
    smallest_pt: float = SMALLEST_PT,
    landscape: bool | None = None,
) -> tuple[bool, float]:
    """Where a diagram goes in print: (on a landscape page?, printed width in mm).

    A diagram is scaled down to fit its page's figure box
    (:meth:`Geometry.figure_box_pt`), never up. ``landscape`` is the orientation
    the drawing was planned for (the packs plan each drawing for that box, so it
    prints at full size); when not given (a drawing made for another box), it
    moves to a landscape page when in portrait its smallest text would end up
    below the renderer's legibility limit
    (:data:`~argbrief.render.page.MIN_READABLE_PT`, the same rule ``render``
    keeps) and landscape shows it clearly larger. ``text_scale`` is how much the
    renderer already shrank the drawing (Graphviz ``size``); ``smallest_pt`` is
    its smallest text at full size.
    """
    w_pt, h_pt = max(width_pt, 1.0), max(height_pt, 1.0)

    def scale(turned: bool) -> float:
        box_w, box_h = geometry.figure_box_pt(turned)
        return min(1.0, box_w / w_pt, box_h / h_pt)

    if landscape is None:
        portrait, turned = scale(False), scale(True)
        landscape = smallest_pt * text_scale * portrait < MIN_READABLE_PT and turned > portrait * 1.2
    return landscape, round(w_pt * _PT_MM * scale(landscape), 1)


#: The longest running header (a chapter's number and title at the top of each page), in characters:
#: it must stay on one line beside the marking (about 72 mm of 7.5 pt type).
RUNNING_MAX = 46


@frozen(kw_only=True)
class Heading:
    """A heading: its level (1 = chapter), a unique anchor, a number like ``3.1`` and the text."""

    level: int
    anchor: str
    number: str
    text: str
    in_toc: bool = True

    @property
    def title(self) -> str:
        return f"{self.number}\u2002{self.text}" if self.number else self.text

    @property
    def running(self) -> str:
        """The title as the running header shows it: one line (see :func:`running`)."""
        return running(f"{self.number} {self.text}" if self.number else self.text)

    def ref(self) -> CrossRef:
        """A cross-reference to this heading's section: "Annex C.1" (annex numbers are letters first)."""
        number = self.number.removeprefix("Annex ")
        label = f"Annex\u00a0{number}" if number[:1].isalpha() else (f"Section\u00a0{number}" if number else self.text)
        return CrossRef(anchor=self.anchor, label=label, kind="section")


@frozen(kw_only=True)
class CrossRef:
    """A reference a reader can follow to a figure or a section of the pack.

    ``label`` is what the reader sees ("Figure 7", "Annex C.1"); writers link it
    to ``anchor`` and the PDF adds the page ("Figure 7, p. 12"). Never an internal id.
    """

    anchor: str
    label: str
    kind: str  # "figure" | "section"


def running(text: str, limit: int = RUNNING_MAX) -> str:
    """``text`` for a running header or footer: at most ``limit`` characters, cut at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.\u2013\u2014") + "\u2026"


# --------------------------------------------------------------------------- tables


@frozen(kw_only=True)
class Column:
    """One column of a table: its CSS class, its header and its share of the text width.

    Both writers size columns from these shares of the text area (the PDF and
    HTML as ``<col>`` percentages, Word in twips of the page's text width), so
    a table never runs past the margin.
    """

    key: str
    title: str
    share: float


def column_percentages(columns: tuple[Column, ...]) -> tuple[float, ...]:
    """Each column's width as a percentage of the text width (they add up to 100)."""
    total = sum(c.share for c in columns) or 1.0
    return tuple(round(100 * c.share / total, 3) for c in columns)


EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column(key="c-id", title="ID", share=8),
    Column(key="c-quote", title="Quote", share=41),
    Column(key="c-source", title="Source", share=19),
    Column(key="c-loc", title="Where", share=12),
    Column(key="c-supports", title="Supports", share=20),
)
#: The front section's sources table.
SOURCE_COLUMNS: tuple[Column, ...] = (
    Column(key="c-title", title="Source", share=40),
    Column(key="c-date", title="Date", share=19),
    Column(key="c-age", title="Age at pack date", share=19),
    Column(key="c-kind", title="Kind", share=11),
    Column(key="c-reliability", title="Reliability", share=11),
)
RECOMMENDATION_COLUMNS: tuple[Column, ...] = (
    Column(key="c-id", title="ID", share=8),
    Column(key="c-actor", title="Actor", share=17),
    Column(key="c-action", title="Action", share=40),
    Column(key="c-because", title="Because", share=25),
    Column(key="c-priority", title="Priority", share=10),
)


@frozen(kw_only=True)
class RenderedDiagram:
    """A diagram as the writers need it: SVG for PDF/HTML and PNG for Word (may be empty)."""

    name: str
    title: str
    svg: bytes
    png: bytes
    width_pt: float
    height_pt: float
    node_ids: tuple[str, ...] = ()
    #: How much the renderer already shrank the drawing to fit its page (1 = full size).
    text_scale: float = 1.0
    #: The smallest text of the drawing at full size (tags, citations, the legend: not just the body).
    smallest_pt: float = SMALLEST_PT
    #: The page the drawing was planned for (True: landscape; None: not planned for the pack's page).
    landscape: bool | None = None
    #: The name of the drawing this one continues (a split map's branch: its overview, or the branch it is cut from).
    parent: str = ""


@frozen(kw_only=True)
class Figure:
    """A numbered diagram with caption and alt text, and where it goes in print."""

    anchor: str
    number: int
    name: str  # file stem: exports/<pack>/maps/<name>.svg
    caption: str
    alt: str
    svg: bytes
    png: bytes
    width_pt: float
    height_pt: float
    landscape: bool
    print_width_mm: float
    #: Ids of the map nodes drawn in full in this figure (what cross-references look up).
    node_ids: tuple[str, ...] = ()
    #: What the figure shows, in a few words ("Overview", "Premise P1: Time favours Russia"): figure lists.
    title: str = ""
    #: The narrowest it may print, in mm: its smallest text is then at the legibility floor (0: no narrower).
    min_width_mm: float = 0.0

    @property
    def label(self) -> str:
        return f"Figure {self.number}"

    def ref(self) -> CrossRef:
        # A no-break space: "Figure 7" never splits across lines.
        return CrossRef(anchor=self.anchor, label=f"Figure\u00a0{self.number}", kind="figure")

    @property
    def print_height_mm(self) -> float:
        """The drawing's height in print (without its caption)."""
        return round(self.print_width_mm * self.height_pt / max(self.width_pt, 1.0), 1)


class FigureNumbers:
    """Hands out figure numbers in the order figures are created (= document order)."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def make_figure(
    diagram: RenderedDiagram, *, number: int, caption: str, alt: str, geometry: Geometry, title: str = ""
) -> Figure:
    """A numbered figure for ``diagram``, placed for print on ``geometry``'s page."""
    landscape, width = fit_figure(
        diagram.width_pt, diagram.height_pt, geometry, diagram.text_scale, diagram.smallest_pt, diagram.landscape
    )
    printed_at_full = max(diagram.smallest_pt * diagram.text_scale, 0.01)  # its smallest text at width_pt
    narrowest = diagram.width_pt * _PT_MM * MIN_READABLE_PT / printed_at_full
    return Figure(
        anchor=f"fig-{diagram.name}",
        number=number,
        name=diagram.name,
        caption=caption,
        alt=alt,
        svg=diagram.svg,
        png=diagram.png,
        width_pt=diagram.width_pt,
        height_pt=diagram.height_pt,
        landscape=landscape,
        print_width_mm=width,
        node_ids=diagram.node_ids,
        title=title,
        min_width_mm=round(min(width, narrowest), 1),
    )


#: The room a figure takes on the page besides its drawing: caption (two lines) and margins, in mm.
FIGURE_EXTRA_MM = 18.0


def share_pages(figures: Sequence[Figure], geometry: Geometry) -> tuple[Figure, ...]:
    """``figures`` (in reading order) with pairs of portrait neighbours made to share a page where they can.

    Two drawings that each fill a little more than half a page would each get
    a page of their own, half empty. When both printed a little smaller fit
    one page — and neither's smallest text goes below the legibility floor
    (:attr:`Figure.min_width_mm`) — both are printed at that smaller size. The
    pairs are taken greedily from the first figure on; the flow then puts each
    pair on one page.
    """
    room = geometry.content_height_mm - 2 * FIGURE_EXTRA_MM
    out = list(figures)
    i = 0
    while i + 1 < len(out):
        a, b = out[i], out[i + 1]
        heights = a.print_height_mm + b.print_height_mm
        if a.landscape or b.landscape or heights <= room or heights <= 0:
            i += 1  # no pair needed (the two fit as they are) or possible
            continue
        scale = room / heights
        if any(f.print_width_mm * scale < f.min_width_mm for f in (a, b)):
            i += 1
            continue
        out[i], out[i + 1] = (attrs.evolve(f, print_width_mm=round(f.print_width_mm * scale - 0.05, 1)) for f in (a, b))
        i += 2
    return tuple(out)
