"""Building blocks shared by the document model and its chapters: page geometry, headings, figures.

Kept apart from :mod:`.document` so that chapter builders (:mod:`.comparison`)
can use them without importing the assembler.
"""

from __future__ import annotations

from attrs import frozen

from ..render.labels import BODY_PT
from ..render.page import MIN_READABLE_PT

# --------------------------------------------------------------------------- page geometry

#: Paper sizes (width, height) in millimetres.
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
_PT_MM = 25.4 / 72.0
# Room a figure leaves on its page for its caption and the heading above it.
_FIGURE_RESERVE_MM = 38.0


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

    @property
    def css_size(self) -> str:
        """The CSS ``@page size`` keyword (from a fixed table, never user text)."""
        return "A4" if self.page == "A4" else "letter"


def fit_figure(width_pt: float, height_pt: float, geometry: Geometry, text_scale: float = 1.0) -> tuple[bool, float]:
    """Where a diagram goes in print: (on a landscape page?, printed width in mm).

    A diagram is scaled down to fit the text block, never up. ``text_scale`` is
    how much the renderer already shrank the drawing (Graphviz ``size``). The
    diagram moves to a landscape page when in portrait its body text would
    end up below the renderer's own readability limit
    (:data:`~argbrief.render.page.MIN_READABLE_PT`) and landscape shows it
    clearly larger.
    """
    w_mm, h_mm = max(width_pt, 1.0) * _PT_MM, max(height_pt, 1.0) * _PT_MM

    def scale(box_w: float, box_h: float) -> float:
        return min(1.0, box_w / w_mm, (box_h - _FIGURE_RESERVE_MM) / h_mm)

    portrait = scale(geometry.content_width_mm, geometry.content_height_mm)
    landscape = scale(geometry.landscape_content_width_mm, geometry.landscape_content_height_mm)
    if BODY_PT * text_scale * portrait < MIN_READABLE_PT and landscape > portrait * 1.2:
        return True, round(w_mm * landscape, 1)
    return False, round(w_mm * portrait, 1)


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

    @property
    def label(self) -> str:
        return f"Figure {self.number}"

    def ref(self) -> CrossRef:
        # A no-break space: "Figure 7" never splits across lines.
        return CrossRef(anchor=self.anchor, label=f"Figure\u00a0{self.number}", kind="figure")


class FigureNumbers:
    """Hands out figure numbers in the order figures are created (= document order)."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def make_figure(
    diagram: RenderedDiagram, *, number: int, caption: str, alt: str, geometry: Geometry
) -> Figure:
    """A numbered figure for ``diagram``, placed for print on ``geometry``'s page."""
    landscape, width = fit_figure(diagram.width_pt, diagram.height_pt, geometry, diagram.text_scale)
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
    )
