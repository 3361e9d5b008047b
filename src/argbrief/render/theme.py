"""Themes: colours per kind and relation, on top of one shared geometry.

Everything that tells kinds and relations apart *without colour* — box shape,
border style and weight, line style, arrowhead, the kind tag in each box — is
fixed in :data:`NODE_SHAPES` and :data:`EDGE_SHAPES` and is the same in every
theme. A theme only chooses colours, so a map stays readable on a black and
white printer and for colour-blind readers whatever the theme; ``print`` uses
greys only and ``colorblind`` the Okabe–Ito palette.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from attrs import field, frozen

from ..errors import UsageError

#: Font families, in fallback order. Noto Sans covers Latin, Greek and Cyrillic;
#: fontconfig (PNG/PDF) falls back to Noto Sans CJK / Noto Sans Arabic for other
#: scripts; the SVG names the list so a browser does the same.
FONT = "Noto Sans,DejaVu Sans,sans-serif"


@frozen(kw_only=True)
class NodeShape:
    """How a kind of box is drawn, colour aside."""

    shape: str = "box"
    style: tuple[str, ...] = ("rounded", "filled")
    penwidth: float = 1.2
    peripheries: int = 1
    wrap_factor: float = 1.0  # the thesis gets wider lines: it sits alone on top


@frozen(kw_only=True)
class EdgeShape:
    """How a kind of arrow is drawn, colour aside."""

    style: str = "solid"
    arrowhead: str = "normal"
    penwidth: float = 1.3
    name: str = ""  # the legend's words for it


NODE_SHAPES: Mapping[str, NodeShape] = MappingProxyType(
    {
        "thesis": NodeShape(style=("filled",), penwidth=2.6, wrap_factor=1.5),
        "premise": NodeShape(),
        "assumption": NodeShape(style=("rounded", "filled", "dashed"), penwidth=1.4),
        "evidence": NodeShape(shape="note", style=("filled",), penwidth=0.9),
        "objection": NodeShape(style=("filled", "diagonals"), penwidth=1.4),
        "rebuttal": NodeShape(),
        "recommendation": NodeShape(style=("filled",), peripheries=2, penwidth=1.0),
        "stub": NodeShape(style=("rounded", "filled", "dotted"), penwidth=1.0),
        "junction": NodeShape(shape="point", style=("filled",), penwidth=1.0),
    }
)

EDGE_SHAPES: Mapping[str, EdgeShape] = MappingProxyType(
    {
        "supports": EdgeShape(name="supports"),
        "attack": EdgeShape(style="dashed", arrowhead="tee", penwidth=1.5, name="attacks"),
        "undercut": EdgeShape(style="dashed", arrowhead="teetee", penwidth=1.5, name="undercuts the inference"),
        "also_supports": EdgeShape(style="dotted", arrowhead="onormal", penwidth=1.5, name="also supports"),
        "also_attacks": EdgeShape(style="dotted", arrowhead="tee", penwidth=1.5, name="also attacks"),
        "follows": EdgeShape(arrowhead="vee", penwidth=1.1, name="grounds a recommendation"),
    }
)

@frozen(kw_only=True)
class ChangeShape:
    """How a change diagram marks a box, colour aside: a badge word, and its border and text.

    A box is marked by its badge (a band at its top: NEW, CHANGED, REMOVED)
    and by its border, so that the print theme and colour-blind readers see
    the change without colour: new boxes have a heavy border, changed ones a
    double border, removed ones a dotted border, with their text struck
    through and greyed (ghosted).
    """

    badge: str
    min_penwidth: float = 0.0
    extra_periphery: bool = False
    style: str = ""  # replaces the kind's line style (dashed, dotted) when set
    ghost: bool = False
    name: str = ""  # the legend's words


CHANGE_SHAPES: Mapping[str, ChangeShape] = MappingProxyType(
    {
        "added": ChangeShape(badge="NEW", min_penwidth=3.0, name="added"),
        "changed": ChangeShape(badge="CHANGED", min_penwidth=1.6, extra_periphery=True, name="reworded, moved, renamed ..."),
        "removed": ChangeShape(badge="REMOVED", min_penwidth=1.4, style="dotted", ghost=True, name="removed (ghosted)"),
    }
)

#: The legend's words for each kind of box.
KIND_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "thesis": "Thesis",
        "premise": "Premise",
        "assumption": "Assumption (unstated)",
        "evidence": "Evidence (quote)",
        "objection": "Objection",
        "rebuttal": "Rebuttal",
        "recommendation": "Recommendation",
        "group": "Linked premises",
    }
)


@frozen(kw_only=True)
class Colours:
    """The colours of one kind of box: fill, border, and the kind tag."""

    fill: str
    border: str
    tag: str


@frozen(kw_only=True)
class Theme:
    """Colours for every kind and relation, and the text colours around them."""

    name: str
    nodes: Mapping[str, Colours] = field(converter=MappingProxyType)
    edges: Mapping[str, str] = field(converter=MappingProxyType)
    text: str = "#1a1a1a"
    muted: str = "#595959"  # citations, captions, the legend frame
    background: str = "#ffffff"
    group_fill: str = "#ffffff"
    group_border: str = "#404040"
    font: str = FONT
    #: A change diagram's marks: badge fill (``fill``), box border (``border``), badge text (``tag``).
    changes: Mapping[str, Colours] = field(converter=MappingProxyType, factory=dict)

    def node(self, kind: str) -> Colours:
        return self.nodes[kind]

    def edge(self, relation: str) -> str:
        return self.edges[relation]


def _theme(
    name: str,
    nodes: dict[str, tuple[str, str, str]],
    edges: dict[str, str],
    changes: dict[str, tuple[str, str, str]],
    **extra: str,
) -> Theme:
    return Theme(
        name=name,
        nodes={k: Colours(fill=f, border=b, tag=t) for k, (f, b, t) in nodes.items()},
        edges=edges,
        changes={k: Colours(fill=f, border=b, tag=t) for k, (f, b, t) in changes.items()},
        **extra,
    )


DEFAULT = _theme(
    "default",
    {
        "thesis": ("#dce6f2", "#1f3864", "#1f3864"),
        "premise": ("#e6f2df", "#38761d", "#2e6318"),
        "assumption": ("#fff4cf", "#9c7a00", "#6e5600"),
        "evidence": ("#ffffff", "#8c8c8c", "#595959"),
        "objection": ("#fbe2e0", "#b3261e", "#9c2019"),
        "rebuttal": ("#dcefee", "#1b7a78", "#145e5c"),
        "recommendation": ("#ece4f5", "#5b3a8c", "#4a2e73"),
        "stub": ("#f5f5f5", "#8c8c8c", "#595959"),
        "junction": ("#b3261e", "#b3261e", "#b3261e"),
    },
    {
        "supports": "#38761d",
        "attack": "#b3261e",
        "undercut": "#b3261e",
        "also_supports": "#38761d",
        "also_attacks": "#b3261e",
        "follows": "#5b3a8c",
    },
    # White badge text on dark fills (contrast 4.5:1 or more).
    {"added": ("#1e7b34", "#1e7b34", "#ffffff"), "changed": ("#a34f00", "#a34f00", "#ffffff"),
     "removed": ("#767676", "#8c8c8c", "#ffffff")},
    group_fill="#f4f9f1",
    group_border="#38761d",
)

# Greys only: every colour has equal red, green and blue, and the fills are
# light enough for black text on a cheap laser printer.
PRINT = _theme(
    "print",
    {
        "thesis": ("#ffffff", "#000000", "#000000"),
        "premise": ("#ffffff", "#1a1a1a", "#333333"),
        "assumption": ("#ffffff", "#1a1a1a", "#333333"),
        "evidence": ("#f2f2f2", "#666666", "#404040"),
        "objection": ("#e0e0e0", "#000000", "#000000"),
        "rebuttal": ("#ffffff", "#1a1a1a", "#333333"),
        "recommendation": ("#ececec", "#000000", "#000000"),
        "stub": ("#ffffff", "#808080", "#404040"),
        "junction": ("#000000", "#000000", "#000000"),
    },
    {
        "supports": "#1a1a1a",
        "attack": "#000000",
        "undercut": "#000000",
        "also_supports": "#404040",
        "also_attacks": "#404040",
        "follows": "#404040",
    },
    {"added": ("#000000", "#000000", "#ffffff"), "changed": ("#595959", "#000000", "#ffffff"),
     "removed": ("#ffffff", "#808080", "#000000")},
    text="#000000",
    muted="#404040",
    group_fill="#ffffff",
    group_border="#1a1a1a",
)

# Okabe & Ito (2008), "Color Universal Design": black #000000, orange #E69F00,
# sky blue #56B4E9, bluish green #009E73, yellow #F0E442, blue #0072B2,
# vermillion #D55E00, reddish purple #CC79A7; fills are the same hues mixed
# with white, tags are black for contrast.
COLORBLIND = _theme(
    "colorblind",
    {
        "thesis": ("#cce3f0", "#0072B2", "#000000"),
        "premise": ("#ccece3", "#009E73", "#000000"),
        "assumption": ("#fcf9d9", "#E69F00", "#000000"),
        "evidence": ("#ffffff", "#000000", "#000000"),
        "objection": ("#f7dfcc", "#D55E00", "#000000"),
        "rebuttal": ("#ddf0fb", "#56B4E9", "#000000"),
        "recommendation": ("#f5e4ed", "#CC79A7", "#000000"),
        "stub": ("#ffffff", "#000000", "#000000"),
        "junction": ("#D55E00", "#D55E00", "#D55E00"),
    },
    {
        "supports": "#009E73",
        "attack": "#D55E00",
        "undercut": "#D55E00",
        "also_supports": "#009E73",
        "also_attacks": "#D55E00",
        "follows": "#CC79A7",
    },
    {"added": ("#009E73", "#009E73", "#000000"), "changed": ("#E69F00", "#E69F00", "#000000"),
     "removed": ("#d9d9d9", "#808080", "#000000")},
    text="#000000",
    muted="#404040",
    group_fill="#f2faf7",
    group_border="#009E73",
)

THEMES: Mapping[str, Theme] = MappingProxyType({t.name: t for t in (DEFAULT, PRINT, COLORBLIND)})


def get_theme(name: str) -> Theme:
    """The theme called ``name``; :class:`~argbrief.errors.UsageError` names the choices otherwise."""
    try:
        return THEMES[name]
    except KeyError:
        raise UsageError(f"no theme '{name}' (choose from {', '.join(THEMES)})") from None
