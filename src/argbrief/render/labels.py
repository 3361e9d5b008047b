"""Labels: the only place where text becomes Graphviz markup.

Every string shown in a diagram passes through :func:`escape` and ends up in a
Graphviz HTML-like label (``<...>``). HTML labels give bold and italics, and
with XML escaping they cannot change the graph: ``<``, ``>``, ``&`` and ``"``
become entities (so the DOT lexer's ``<...>`` nesting never sees them), and
backslashes are doubled, because Graphviz expands ``\\N``, ``\\G``, ``\\L`` ...
inside HTML labels too — after decoding entities, so ``&#92;N`` would not help.
Newlines become ``<BR/>``; control characters, which XML forbids, become
spaces. Node ids are generated, never user text, so nothing else needs escaping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Protocol

from ..bidi import show_bidi_controls
from .theme import CHANGE_SHAPES, EDGE_SHAPES, KIND_NAMES, NODE_SHAPES, Theme
from .view import MapView, ViewNode

# Whole points: Graphviz's cairo output (PDF, PNG) draws a 7.5 pt font at 7 pt.
# The smallest of these is what the legibility rule (page.py) scales against.
TAG_PT = 8.0
TITLE_PT = 11.0
BODY_PT = 10.0
CITE_PT = 8.0
HEADER_TITLE_PT = 18.0
HEADER_TEXT_PT = 10.0
LEGEND_PT = 8.0
#: The smallest text a map diagram draws (what the legibility floor is checked against).
SMALLEST_PT = min(TAG_PT, CITE_PT, LEGEND_PT)
#: A ruled line of a worksheet box, in points: room for handwriting.
RULE_PT = 20
#: How wide a summary box (a branch drawn elsewhere) is, against an ordinary box.
SUMMARY_WRAP = 0.75

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")  # and lone surrogates: not encodable
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\\": "\\\\"})
_CITATION_TITLE_MAX = 34


def escape(text: str) -> str:
    """One line of user text, made safe for a Graphviz HTML-like label.

    The result contains no markup and no newline; see the module docstring for
    why backslashes are doubled. Bidirectional controls become visible codes
    (``<U+202E>``, :mod:`argbrief.bidi`), so a diagram shows text as stored.
    """
    if not text.isprintable():  # newlines, tabs, control characters (and some harmless format characters)
        text = _CONTROL.sub(" ", text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " "))
        text = show_bidi_controls(text)
    return text.translate(_XML)


def char_width(ch: str) -> int:
    """Display width of a character in columns: CJK and other wide characters take two."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    if text.isascii():  # the common case, and the fast one
        return len(text)
    return sum(char_width(c) for c in text)


#: The no-break spaces (U+00A0, U+2007, U+202F): lines break at white space, never at these ("Figure\u00a012" stays whole).
NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_BREAKS = re.compile(rf"[^\S{NO_BREAK_SPACES}]+")


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns.

    Explicit newlines are kept; lines break at spaces; a word longer than the
    width (a URL, or CJK text, which has no spaces) is cut at the width.
    """
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words: list[str] = []
        used = 0
        for word in _BREAKS.split(paragraph):
            if not word:
                continue
            w = text_width(word)
            if words and used + 1 + w <= width:
                words.append(word)
                used += 1 + w
                continue
            if words:
                lines.append(" ".join(words))
                words, used = [], 0
            while w > width:
                head, word = _cut(word, width)
                lines.append(head)
                w = text_width(word)
            if word:
                words, used = [word], w
        lines.append(" ".join(words))
    # Blank lines in the middle are kept (the author meant them); trailing ones are not.
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _cut(word: str, width: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(word):
        used += char_width(ch)
        if used > width and i > 0:
            return word[:i], word[i:]
    return word, ""


def block(text: str, width: int) -> str:
    """Wrapped, escaped lines joined with ``<BR/>`` (the cell aligns them)."""
    # White space alone wraps to nothing, and Graphviz rejects an empty <B></B>: keep one space.
    return "<BR/>".join(escape(line) for line in wrap(text, width)) or " "


def font(inner: str, size: float | None = None, colour: str | None = None) -> str:
    """``inner`` (markup already) in a ``<FONT>`` of the given size and colour."""
    attrs = ""
    if size is not None:
        attrs += f' POINT-SIZE="{size:g}"'
    if colour is not None:
        attrs += f' COLOR="{colour}"'
    return f"<FONT{attrs}>{inner}</FONT>" if attrs else inner


def row(inner: str, *, pad_top: int = 0) -> str:
    """One left-aligned table row holding ``inner`` (markup already); its line breaks align left too."""
    cell = '<TD ALIGN="LEFT" BALIGN="LEFT"'
    if pad_top:
        cell += f' CELLPADDING="{pad_top}"'
    return f"<TR>{cell}>{inner}</TD></TR>"


def table(rows: Iterable[str], *, spacing: int = 0, padding: int = 1) -> str:
    """A borderless table of ``rows``; nest it with care, Graphviz stretches a nested table to its cell."""
    return (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="{spacing}" CELLPADDING="{padding}">'
        + "".join(rows)
        + "</TABLE>"
    )


#: In a ``refs`` mapping, the key of what a stub says about a drawing is this plus the drawing's name.
SEE = "see:"


def reference(node: ViewNode, refs: Mapping[str, str]) -> str:
    """The words a box uses for the drawing it refers to: the caller's text, else "see diagram NAME".

    A summary box continues in that drawing (``refs[name]``: "continued on p. 3");
    a stub stands for a box drawn in full there (``refs[SEE + name]``: "on p. 1",
    or "back to overview, p. 1" for the drawing this one continues), unless it
    is a ``summary`` itself (the recommendations' band, continued elsewhere).
    """
    text = refs.get(SEE + node.refer) if node.kind == "stub" and not node.summary else None
    return text or refs.get(node.refer) or f"see diagram {node.refer}"


def node_label(node: ViewNode, theme: Theme, wrap_width: int, refs: Mapping[str, str] | None = None) -> str:
    """The HTML-like label of one box: kind tag, bold title, body, citation, notes, what is hidden and where.

    A box with ``entries`` (an evidence card) shows each entry in turn, with a
    rule between them. ``refs`` maps the name of a drawing to the words for it
    ("continued on p. 3"); a box that continues in, or comes from, another
    drawing (``node.refer``) shows them.
    """
    if node.kind == "junction":
        return '""'
    refs = refs or {}
    # A summary shows a title and a few words: a narrower box leaves room for more of them in a row.
    factor = SUMMARY_WRAP if node.summary else NODE_SHAPES[node.kind].wrap_factor
    width = max(12, round(wrap_width * factor))
    if node.entries:
        parts = [_rows(entry, theme, width, refs) for entry in node.entries]
        rows = [r for i, part in enumerate(parts) for r in ((["<HR/>"] if i else []) + part)]
        if node.more or node.refer:
            rows += _rows(ViewNode(id=node.id, kind=node.kind, more=node.more, refer=node.refer), theme, width, refs)
        return f"<{table(rows, padding=2)}>"
    return f"<{table(_rows(node, theme, width, refs))}>"


def _badge(change: str, theme: Theme) -> str:
    """A change diagram's badge: a band across the top of the box with one word (NEW, CHANGED, REMOVED)."""
    colours = theme.changes[change]
    word = font(f"<B>{CHANGE_SHAPES[change].badge}</B>", TAG_PT, colours.tag)
    return f'<TR><TD ALIGN="LEFT" BGCOLOR="{colours.fill}" CELLPADDING="2">{word}</TD></TR>'


def _rows(node: ViewNode, theme: Theme, width: int, refs: Mapping[str, str]) -> list[str]:
    colours = theme.node(node.kind)
    rows = [_badge(node.change, theme)] if node.change else []
    # A removed box of a change diagram is ghosted: its text greyed and struck through, still readable.
    ghost = bool(node.change) and CHANGE_SHAPES[node.change].ghost
    ink = theme.muted if ghost else None

    def struck(markup: str) -> str:
        return f"<S>{markup}</S>" if ghost else markup

    tag = f"{node.number}  {node.tag}" if node.number else node.tag
    if tag:
        rows.append(row(font(f"<B>{escape(tag)}</B>", TAG_PT, ink or colours.tag)))
    if node.blank:
        return [*rows, row(ruled_lines(_blank_lines(node, width), width))]
    if node.title:
        # Bold 11 pt runs about a fifth wider than 10 pt body text: wrap it sooner.
        title_width = max(10, round(width * BODY_PT / TITLE_PT * 0.95))
        rows.append(row(font(struck(f"<B>{block(node.title, title_width)}</B>"), TITLE_PT, ink)))
    if node.body:
        body = block(f"“{node.body}”" if node.quoted else node.body, width)
        rows.append(row(font(struck(f"<I>{body}</I>" if node.quoted else body), BODY_PT, ink)))
    if node.citation:
        rows.append(row(font(block(f"— {node.citation}", width), CITE_PT, theme.muted)))
    for note in node.notes:
        rows.append(row(font(block(note, width), CITE_PT, colours.tag)))
    for words, drawing in node.links:
        where = reference(ViewNode(id="", kind="stub", refer=drawing), refs)
        rows.append(row(font(block(f"{words} ({where})", width), CITE_PT, colours.tag)))
    if node.more:
        rows.append(row(font(f"<I>{block(node.more, width)}</I>", CITE_PT, colours.tag), pad_top=3))
    if node.refer and node.kind != "stub":
        rows.append(row(font(f"<B>{block(reference(node, refs), width)}</B>", CITE_PT, colours.tag)))
    elif node.refer:
        rows.append(row(font(block(reference(node, refs), width), CITE_PT, colours.tag)))
    return rows


def claim_list_label(items: Iterable[ClaimItemLike], theme: Theme, wrap_width: int) -> str:
    """A worksheet's claim list: one row per numbered box, its tag and words, or ruled lines to write on."""
    rows = []
    for item in items:
        head = f"{item.number}  {item.tag}"
        if item.bears_on:
            head += f"  (bears on {item.bears_on})"
        cells = [row(font(f"<B>{escape(head)}</B>", TAG_PT, theme.text), pad_top=4)]
        if item.blank:
            cells.append(row(ruled_lines(item.lines, wrap_width)))
        elif item.text:
            cells.append(row(font(block(item.text, wrap_width), BODY_PT, theme.text)))
        rows += cells
    return f"<{table(rows)}>"


class ClaimItemLike(Protocol):
    """What :func:`claim_list_label` reads of a claim-list line (``worksheet.ClaimItem``)."""

    number: int
    tag: str
    text: str
    blank: bool
    bears_on: int
    lines: int


def _blank_lines(node: ViewNode, width: int) -> int:
    """As many ruled lines as the left-out text took, and at least two: the answer needs the room."""
    text = " ".join(p for p in (node.title, node.body) if p)
    return max(2, len(wrap(text, width)) if text else 2)


def ruled_lines(count: int, width_chars: int) -> str:
    """``count`` empty lines with a rule under each, as wide as ``width_chars`` of body text."""
    width_pt = round(width_chars * BODY_PT * 0.52)
    cell = f'<TD WIDTH="{width_pt}" HEIGHT="{RULE_PT}" SIDES="B" BORDER="1" COLOR="#808080"></TD>'
    return table((f"<TR>{cell}</TR>" for _ in range(count)), spacing=0, padding=0)


def citation(title: str, locator: str) -> str:
    """A short citation: the source title (shortened at a word) and the locator."""
    if text_width(title) > _CITATION_TITLE_MAX:
        cut = title[:_CITATION_TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:")
        title = cut + "…"
    return ", ".join(p for p in (title, locator) if p)


# The names other diagram builders imported before these helpers were public.
_font, _row, _table = font, row, table


# --- the header (title, caption) and the legend --------------------------------------


def header_label(view: MapView, theme: Theme, wrap_width: int, refs: Mapping[str, str] | None = None) -> str:
    """The graph label: title, subtitle, which part of a split map (and where it comes from), caption."""
    width = max(40, wrap_width * 3)
    lines = []
    if view.title:
        lines.append(font(f"<B>{block(view.title, round(width * 0.6))}</B>", HEADER_TITLE_PT, theme.text))
    if view.subtitle:
        lines.append(font(block(view.subtitle, width), HEADER_TEXT_PT + 1, theme.text))
    if view.part:
        part = view.part[0].upper() + view.part[1:]
        if view.back:
            part += " — " + ((refs or {}).get(view.back) or f"see diagram {view.back}")
        lines.append(font(f"<B>{block(part, width)}</B>", HEADER_TEXT_PT + 1, theme.text))
    if view.caption:
        lines.append(font(block(view.caption, width), HEADER_TEXT_PT, theme.muted))
    # Text only, no nested tables: Graphviz stretches a nested table to fill its cell.
    return f"<{table(row(line) for line in lines)}>" if lines else '""'


LEGEND_ROWS = 5


def legend_label(view: MapView, theme: Theme, rows: int = LEGEND_ROWS) -> str:
    """The legend: exactly the kinds of box and arrow the view contains, in fixed words only.

    One flat table (a nested table would be stretched to its cell): box
    swatches in columns of ``rows`` (:data:`LEGEND_ROWS`: wide and flat, for
    a map that grows downwards), then arrow samples, each a
    line drawn in the arrow's own style, its arrowhead and its name. Each
    legend row is two table rows so the sample line sits mid-height.
    """
    kinds = list(view.kinds)
    if view.has_groups:
        kinds.insert(kinds.index("premise") + 1 if "premise" in kinds else 0, "group")
    kinds += [f"change:{c}" for c in view.changes]
    relations = list(view.relations)
    if not kinds and not relations:
        return '""'
    rows = max(1, min(rows, max(len(kinds), len(relations))))
    kind_cols = [kinds[i : i + rows] for i in range(0, len(kinds), rows)]
    arrow_cols = [relations[i : i + rows] for i in range(0, len(relations), rows)]

    def heading(text: str, span: int) -> str:
        return f'<TD COLSPAN="{span}" ALIGN="LEFT">{font(f"<B>{text}</B>", TAG_PT, theme.muted)}</TD>'

    span = ' ROWSPAN="2"' if arrow_cols else ""
    out = ["<TR>"]
    if kind_cols:
        out.append(heading("BOXES", len(kind_cols)))
    if kind_cols and arrow_cols:
        out.append('<TD WIDTH="8"></TD>')
    if arrow_cols:
        out.append(heading("ARROWS", 3 * len(arrow_cols)))
    out.append("</TR>")
    for i in range(rows):
        top, bottom = ["<TR>"], ["<TR>"]
        for col in kind_cols:
            top.append(_kind_swatch(col[i], theme, span) if i < len(col) else f"<TD{span}></TD>")
        if kind_cols and arrow_cols:
            top.append(f'<TD{span} WIDTH="8"></TD>')
        for col in arrow_cols:
            if i < len(col):
                top += _arrow_sample(col[i], theme)
            else:
                top += ["<TD></TD>", f"<TD{span}></TD>", f"<TD{span}></TD>"]
            bottom.append("<TD></TD>")
        out += [*top, "</TR>"]
        if arrow_cols:
            out += [*bottom, "</TR>"]
    return (
        f'<<TABLE BORDER="1" COLOR="{theme.muted}" STYLE="rounded" BGCOLOR="{theme.background}" '
        f'CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">' + "".join(out) + "</TABLE>>"
    )


def _kind_swatch(kind: str, theme: Theme, span: str) -> str:
    if kind.startswith("change:"):
        return _change_swatch(kind.removeprefix("change:"), theme, span)
    if kind == "group":
        border, fill, style, pen = theme.group_border, theme.group_fill, "rounded", 1
    else:
        shape, colours = NODE_SHAPES[kind], theme.node(kind)
        border, fill, pen = colours.border, colours.fill, max(1, round(shape.penwidth))
        style = ",".join(s for s in shape.style if s in ("rounded", "dashed", "dotted"))
    style_attr = f' STYLE="{style}"' if style else ""
    return (
        f'<TD{span} BORDER="{pen}" COLOR="{border}" BGCOLOR="{fill}"{style_attr} CELLPADDING="3">'
        f"{font(escape(KIND_NAMES[kind]), LEGEND_PT, theme.text)}</TD>"
    )


def _change_swatch(change: str, theme: Theme, span: str) -> str:
    """A change mark in the legend: its badge word in its colours, in a cell with its border."""
    shape, colours = CHANGE_SHAPES[change], theme.changes[change]
    style = f' STYLE="{shape.style}"' if shape.style else ""
    words = font(f"<B>{shape.badge}</B> {escape(shape.name)}", LEGEND_PT, colours.tag)
    return (
        f'<TD{span} BORDER="{max(1, round(shape.min_penwidth))}" COLOR="{colours.border}" '
        f'BGCOLOR="{colours.fill}"{style} CELLPADDING="3">{words}</TD>'
    )


# The arrowhead as a glyph, drawn after a line sample of the edge's own style.
_HEADS = {"normal": "▶", "onormal": "▷", "tee": "┤", "teetee": "╢", "vee": "❯"}


def _arrow_sample(relation: str, theme: Theme) -> tuple[str, str, str]:
    shape, colour = EDGE_SHAPES[relation], theme.edge(relation)
    style = f' STYLE="{shape.style}"' if shape.style in ("dashed", "dotted") else ""
    line = f'<TD WIDTH="34" HEIGHT="6" SIDES="B" BORDER="{max(1, round(shape.penwidth))}" COLOR="{colour}"{style}></TD>'
    head = f'<TD ROWSPAN="2" CELLPADDING="0">{font(_HEADS[shape.arrowhead], LEGEND_PT, colour)}</TD>'
    name = f'<TD ROWSPAN="2" ALIGN="LEFT">{font(escape(shape.name), LEGEND_PT, theme.text)}</TD>'
    return line, head, name
