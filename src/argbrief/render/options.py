"""What a caller can ask of a diagram (:class:`RenderOptions`) and what it gets back (:class:`Diagram`)."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from ..errors import UsageError
from .page import MIN_READABLE_PT

FORMATS: tuple[str, ...] = ("svg", "png", "pdf", "dot")
THEMES: tuple[str, ...] = ("default", "print", "colorblind")
DIRECTIONS: tuple[str, ...] = ("TB", "BT", "LR")
PAGES: tuple[str, ...] = ("none", "A4", "Letter", "A3")
SPLITS: tuple[str, ...] = ("auto", "never", "always")

WRAP_RANGE = (12, 120)
DPI_RANGE = (36, 1200)
MIN_FONT_RANGE = (4.0, 16.0)  # below 4 pt nobody reads; above 16 pt no map fits a sheet
DEFAULT_MIN_FONT = MIN_READABLE_PT  # points on paper


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        from ..diagnostics import did_you_mean

        hint = did_you_mean(str(value), choices)
        raise UsageError(f"{name} '{value}' is not one of {', '.join(choices)}" + (f" ({hint})" if hint else ""))


def _check_range(name: str, value: Any, bounds: tuple[int, int]) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not bounds[0] <= value <= bounds[1]:
        raise UsageError(f"{name} must be a whole number from {bounds[0]} to {bounds[1]}, not {value!r}")


@frozen(kw_only=True)
class RenderOptions:
    """How to draw a map. Invalid values raise :class:`~argbrief.errors.UsageError`.

    ``page`` fits each drawing to A4, Letter or A3 (orientation chosen per
    drawing); ``split="auto"`` splits a map into an overview plus one drawing
    per branch, recursively, until every drawing prints its smallest text at
    ``min_font`` points or more (with ``page="none"`` auto never splits);
    ``wrap`` is the text width of a node in characters.
    """

    fmt: str = "svg"
    theme: str = "default"
    direction: str = "TB"
    page: str = "none"
    split: str = "never"
    wrap: int = 32
    dpi: int = 200
    min_font: float = DEFAULT_MIN_FONT

    def __attrs_post_init__(self) -> None:
        # Checked here rather than by attrs validators so that every caller (CLI,
        # pack builder, tests) gets a UsageError naming the allowed values.
        _check_choice("format", self.fmt, FORMATS)
        _check_choice("theme", self.theme, THEMES)
        _check_choice("direction", self.direction, DIRECTIONS)
        _check_choice("page", self.page, PAGES)
        _check_choice("split", self.split, SPLITS)
        _check_range("wrap", self.wrap, WRAP_RANGE)
        _check_range("dpi", self.dpi, DPI_RANGE)
        low, high = MIN_FONT_RANGE
        if isinstance(self.min_font, bool) or not isinstance(self.min_font, int | float) or not low <= self.min_font <= high:
            raise UsageError(f"min_font must be a number of points from {low:g} to {high:g}, not {self.min_font!r}")


@frozen(kw_only=True)
class Diagram:
    """One rendered drawing.

    ``name`` is the file stem ("putin-wants", or "putin-wants-P1" for a
    branch of a split map), the name the other drawings' boxes refer to it by;
    ``node_ids`` are the ids of the map nodes drawn in it (in walk order);
    ``width_pt``/``height_pt`` are the size of the drawing in points (0 for
    ``fmt="dot"``, which is the unlaid-out source). ``number`` counts the
    drawings from 1 in reading order, ``parent`` names the drawing this one
    continues ("" for the first), ``part`` says which part it is ("overview",
    "branch P1"; "" for a whole map). ``smallest_pt`` is its smallest text as
    printed on the page (at full size without a page); ``legible`` says whether
    that is at least the ``min_font`` asked for.
    """

    name: str
    title: str
    fmt: str
    data: bytes
    node_ids: tuple[str, ...]
    width_pt: float
    height_pt: float
    number: int = 1
    parent: str = ""
    part: str = ""
    smallest_pt: float = 0.0
    legible: bool = True
