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
from collections.abc import Iterable

from .theme import CHANGE_SHAPES, EDGE_SHAPES, KIND_NAMES, NODE_SHAPES, Theme
from .view import MapView, ViewNode

TAG_PT = 7.5
TITLE_PT = 11.0
BODY_PT = 10.0
CITE_PT = 8.5
HEADER_TITLE_PT = 18.0
HEADER_TEXT_PT = 10.0
LEGEND_PT = 8.5

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")  # and lone surrogates: not encodable
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\\": "\\\\"})
_CITATION_TITLE_MAX = 34


def escape(text: str) -> str:
    """One line of user text, made safe for a Graphviz HTML-like label.

    The result contains no markup and no newline; see the module docstring for
    why backslashes are doubled.
    """
    if not text.isprintable():  # newlines, tabs, control characters (and some harmless format characters)
        text = _CONTROL.sub(" ", text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " "))
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


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns.

    Explicit newlines are kept; lines break at spaces; a word longer than the
    width (a URL, or CJK text, which has no spaces) is cut at the width.
    """
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words: list[str] = []
        used = 0
        for word in paragraph.split():
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


def node_label(node: ViewNode, theme: Theme, wrap_width: int) -> str:
    """The HTML-like label of one box: kind tag, bold title, body, citation, what is hidden.

    A box with ``entries`` (an evidence card) shows each entry in turn, with a
    rule between them.
    """
    if node.kind == "junction":
        return '""'
    width = max(12, round(wrap_width * NODE_SHAPES[node.kind].wrap_factor))
    if node.entries:
        parts = [_rows(entry, theme, width) for entry in node.entries]
        rows = [r for i, part in enumerate(parts) for r in ((["<HR/>"] if i else []) + part)]
        if node.more:
            rows += _rows(ViewNode(id=node.id, kind=node.kind, more=node.more), theme, width)
        return f"<{table(rows, padding=2)}>"
    return f"<{table(_rows(node, theme, width))}>"


def _badge(change: str, theme: Theme) -> str:
    """A change diagram's badge: a band across the top of the box with one word (NEW, CHANGED, REMOVED)."""
    colours = theme.changes[change]
    word = font(f"<B>{CHANGE_SHAPES[change].badge}</B>", TAG_PT, colours.tag)
    return f'<TR><TD ALIGN="LEFT" BGCOLOR="{colours.fill}" CELLPADDING="2">{word}</TD></TR>'


def _rows(node: ViewNode, theme: Theme, width: int) -> list[str]:
    colours = theme.node(node.kind)
    rows = [_badge(node.change, theme)] if node.change else []
    # A removed box of a change diagram is ghosted: its text greyed and struck through, still readable.
    ghost = bool(node.change) and CHANGE_SHAPES[node.change].ghost
    ink = theme.muted if ghost else None

    def struck(markup: str) -> str:
        return f"<S>{markup}</S>" if ghost else markup

    if node.tag:
        rows.append(row(font(f"<B>{escape(node.tag)}</B>", TAG_PT, ink or colours.tag)))
    if node.title:
        # Bold 11 pt runs about a fifth wider than 10 pt body text: wrap it sooner.
        title_width = max(10, round(width * BODY_PT / TITLE_PT * 0.95))
        rows.append(row(font(struck(f"<B>{block(node.title, title_width)}</B>"), TITLE_PT, ink)))
    if node.body:
        body = block(f"“{node.body}”" if node.quoted else node.body, width)
        rows.append(row(font(struck(f"<I>{body}</I>" if node.quoted else body), BODY_PT, ink)))
    if node.citation:
        rows.append(row(font(block(f"— {node.citation}", width), CITE_PT, theme.muted)))
    if node.more:
        rows.append(row(font(f"<I>{block(node.more, width)}</I>", CITE_PT, colours.tag), pad_top=3))
    return rows


def citation(title: str, locator: str) -> str:
    """A short citation: the source title (shortened at a word) and the locator."""
    if text_width(title) > _CITATION_TITLE_MAX:
        cut = title[:_CITATION_TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:")
        title = cut + "…"
    return ", ".join(p for p in (title, locator) if p)


# The names other diagram builders imported before these helpers were public.
_font, _row, _table = font, row, table


# --- the header (title, caption) and the legend --------------------------------------


def header_label(view: MapView, theme: Theme, wrap_width: int) -> str:
    """The graph label: title, subtitle, which part of a split map, caption (source and position)."""
    width = max(40, wrap_width * 3)
    lines = []
    if view.title:
        lines.append(font(f"<B>{block(view.title, round(width * 0.6))}</B>", HEADER_TITLE_PT, theme.text))
    if view.subtitle:
        lines.append(font(block(view.subtitle, width), HEADER_TEXT_PT + 1, theme.text))
    if view.part:
        lines.append(font(f"<B>{block(view.part[0].upper() + view.part[1:], width)}</B>", HEADER_TEXT_PT + 1, theme.text))
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
