"""Where a map's figures go in the PDF: in place, or at the top of the next page with the text reading on.

A map section reads: its title, source and summary, the "Argument map" heading
with a list of the figures, the figures, then the outline and the tables. When
the first figure does not fit in what is left of the page (always so for a
landscape figure), placing it there would leave the rest of the page empty —
a few lines of opening text alone on a page. Like a float in typesetting, the
figures then go to the top of the next page instead, and the text after them
fills the page first.

WeasyPrint has no page floats, so the PDF is laid out twice:

1. **Measuring pass**: every map's figure group is taken out of the flow
   (``position: absolute``, class ``measuring``) but laid out where it stands.
   From the boxes we read, per group, the page it would start on, the room left
   below it on that page, the height of its first figure, and the first *slot*
   of its section (an outline entry, or the section of a table: elements marked
   ``data-slot``) that begins on a later page.
2. **Final pass**: a group that fits stays home; one that does not goes just
   before that slot — which, in the measuring pass, began a page, so the text
   before it fills its page exactly as measured.

Sections start on a new page, so one section's decision never moves
another's. The measuring pass only lays out (``render()``), it does not draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from attrs import field, frozen

from ._parts import Figure

# The room a figure needs besides its drawing: its caption and its margins (millimetres).
_CAPTION_MM = 14.0
_PX_MM = 25.4 / 96  # CSS pixels (WeasyPrint's layout unit) to millimetres


@frozen(kw_only=True)
class FloatPlan:
    """Where each figure group goes in one rendering of the template.

    ``groups`` maps a group key (the anchor of its "Argument map" heading) to
    its figures; ``moved`` maps a group key to the slot it goes before (groups
    not in it stay home); ``measuring`` marks the measuring pass.
    """

    groups: Mapping[str, tuple[Figure, ...]] = field(factory=dict)
    moved: Mapping[str, str] = field(factory=dict)
    measuring: bool = False

    def home(self, key: str) -> bool:
        """Whether group ``key`` is drawn where the document model puts it."""
        return bool(self.groups.get(key)) and key not in self.moved

    def at(self, slot: str) -> tuple[str, ...]:
        """The groups that go before ``slot``."""
        return tuple(key for key, where in sorted(self.moved.items()) if where == slot)

    def figures(self, key: str) -> tuple[Figure, ...]:
        return tuple(self.groups.get(key, ()))


def _boxes(page) -> Sequence:  # a WeasyPrint page
    return list(page._page_box.descendants())


def decide(pages: Sequence, groups: Mapping[str, tuple[Figure, ...]]) -> dict[str, str]:
    """From the measuring pass's pages: the group key -> slot for every group that must move.

    ``pages`` are WeasyPrint's laid-out pages (``Document.pages``).
    """
    where: dict[str, tuple[int, float, float]] = {}  # key -> (page index, top, room below it), in CSS px
    first_height: dict[str, float] = {}
    slot_page: dict[str, dict[str, int]] = {}  # key -> slot -> first page it appears on (in document order)
    for number, page in enumerate(pages):
        box = page._page_box
        bottom = box.margin_height() - box.margin_bottom - box.padding_bottom - box.border_bottom_width
        for b in _boxes(page):
            element = getattr(b, "element", None)
            if element is None or getattr(b, "element_tag", None) is None:
                continue
            key = element.get("data-float")
            if key and key not in where and b.style["position"] == "absolute":
                where[key] = (number, b.position_y, bottom - b.position_y)
                blocks = [c for c in b.descendants() if getattr(c, "element", None) is not None
                          and "figure-block" in (c.element.get("class") or "").split()]
                if blocks:
                    first_height[key] = blocks[0].margin_height()
            slot, owner = element.get("data-slot"), element.get("data-slot-of")
            if slot and owner:
                slot_page.setdefault(owner, {}).setdefault(slot, number)
    moved: dict[str, str] = {}
    for key, figures in groups.items():
        if not figures or key not in where:
            continue
        page, _, room = where[key]
        needed = first_height.get(key, (figures[0].print_height_mm + _CAPTION_MM) / _PX_MM)
        if not figures[0].landscape and needed <= room:
            continue  # fits where it is
        later = [slot for slot, p in slot_page.get(key, {}).items() if p > page]
        if later:
            moved[key] = later[0]
    return moved
