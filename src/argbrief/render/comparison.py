"""The comparison diagram: questions in the middle, positions on either side, one arrow per answer.

Each arrow runs from a position to a question it answers. The stance is told
apart without colour, by line style, weight, arrowhead and a symbol at the
question end (:data:`STANCE_EDGES`); the theme only adds colour. A question the
positions clash on gets a heavy border and a ``CLASH`` tag, so the drawing
also reads on a black and white printer. A silent position draws no arrow.

The layout is always left to right (positions alternate left and right of the
column of questions, in pack order), whatever ``RenderOptions.direction`` says.
Text goes through :mod:`.labels` (the one place user text becomes markup),
colours come from :mod:`.theme`, and ``dot`` runs through :mod:`.graphviz`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pydot
from attrs import frozen

from ..compare import MIXED, NO, QUALIFIED, SYMBOLS, YES, Comparison, QuestionResult
from ..model import Position
from .graphviz import draw_scaled, drawing_size, measure_drawing, run_dot
from .labels import (
    BODY_PT,
    CITE_PT,
    HEADER_TEXT_PT,
    HEADER_TITLE_PT,
    LEGEND_PT,
    TAG_PT,
    TITLE_PT,
    _font,
    _row,
    _table,
    block,
    escape,
)
from .options import Diagram, RenderOptions
from .page import fit, graph_attrs
from .raster import svg_to_png
from .theme import EdgeShape, Theme, get_theme

GRAPH_NAME = "comparison"

#: How each stance's arrow is drawn, colour aside (the same in every theme).
STANCE_EDGES: Mapping[str, EdgeShape] = MappingProxyType(
    {
        YES: EdgeShape(style="solid", arrowhead="normal", penwidth=2.6, name="yes"),
        NO: EdgeShape(style="dashed", arrowhead="tee", penwidth=1.8, name="no"),
        QUALIFIED: EdgeShape(style="dotted", arrowhead="odot", penwidth=2.2, name="qualified"),
        # Two parallel lines (Graphviz draws one per colour of a "a:invis:a" list): yes and no at once.
        MIXED: EdgeShape(style="solid", arrowhead="diamond", penwidth=1.4, name="mixed (yes and no)"),
    }
)
STANCE_ORDER: tuple[str, ...] = (YES, NO, QUALIFIED, MIXED)

#: Arrowheads as glyphs, for the legend's samples.
_GLYPHS = {"normal": "▶", "tee": "┤", "odot": "○", "diamond": "◆"}

VERDICT_TAGS = {
    "clash": "CLASH",
    "agreement": "AGREEMENT",
    "divergence": "THEY DIFFER",
    "single": "ONE VOICE",
    "unanswered": "NOBODY ANSWERS",
}

CLASH_PEN = 3.2


def stance_colour(theme: Theme, stance: str) -> str:
    """The colour of a stance's arrows, taken from the theme's argument colours."""
    if stance == YES:
        return theme.edge("supports")
    if stance == NO:
        return theme.edge("attack")
    if stance == QUALIFIED:
        return theme.node("assumption").border
    return theme.node("recommendation").border


def _edge_colour(theme: Theme, stance: str) -> str:
    colour = stance_colour(theme, stance)
    # "a:invis:a" draws two parallel lines with a gap (the legend's sample too).
    return f"{colour}:invis:{colour}" if stance == MIXED else colour


@frozen
class _Placed:
    position: Position
    node: str  # generated DOT id, also the port name on every question
    side: int  # -1 left of the questions, +1 right


def _place(positions: tuple[Position, ...]) -> tuple[_Placed, ...]:
    """The first, third ... position go left of the questions, the second, fourth ... right."""
    return tuple(_Placed(p, f"p{k}", -1 if k % 2 == 0 else 1) for k, p in enumerate(positions))


def _position_label(pos: Position, theme: Theme, wrap: int, map_titles: Mapping[str, str]) -> str:
    colours = theme.node("thesis")
    rows = [_row(_font(f"<B>{escape('POSITION')}</B>", TAG_PT, colours.tag))]
    rows.append(_row(_font(f"<B>{block(pos.label or pos.id, round(wrap * 0.85))}</B>", TITLE_PT + 2)))
    if pos.summary:
        rows.append(_row(_font(block(pos.summary, wrap), BODY_PT - 1)))
    if pos.maps:
        # By title where the caller knows them (a pack: its readers never see map ids).
        names = [map_titles.get(m, m) for m in pos.maps]
        rows.append(_row(_font(block("maps: " + "; ".join(names), wrap), CITE_PT, theme.muted)))
    return f"<{_table(rows)}>"


def _answer_cell(port: str, stance: str, theme: Theme, rowspan: int, side: int) -> str:
    """The cell on a question's edge where one position's arrow lands: its stance symbol, or a dash."""
    colour = stance_colour(theme, stance) if stance in STANCE_EDGES else theme.muted
    symbol = _font(f"<B>{escape(SYMBOLS[stance])}</B>", TITLE_PT + 1, colour)
    span = f' ROWSPAN="{rowspan}"' if rowspan > 1 else ""
    sides = "R" if side < 0 else "L"
    # The port is the position's generated node id ("p0"), so its arrow lands on this cell.
    return f'<TD PORT="{port}"{span} SIDES="{sides}" BORDER="1" COLOR="{theme.muted}" WIDTH="18">{symbol}</TD>'


def _question_label(result: QuestionResult, sides: tuple[_Placed, ...], theme: Theme, wrap: int) -> str:
    """The question between one column of answer cells per side: left positions, text, right positions."""
    tag = VERDICT_TAGS[result.verdict] + (" · GAP" if result.gap and result.speaking else "")
    colour = theme.node("objection").tag if result.clash else theme.muted
    text = _table(
        [
            _row(_font(f"<B>{escape(tag)}</B>", TAG_PT, colour)),
            _row(_font(f"<B>{block(result.question.text or result.question.id, wrap)}</B>", BODY_PT + 0.5)),
        ]
    )
    left = [p for p in sides if p.side < 0]
    right = [p for p in sides if p.side > 0]
    rows = max(len(left), len(right), 1)
    out = []
    for k in range(rows):
        cells = []
        if k < len(left):
            # The last cell of a shorter column stretches over the remaining rows.
            span = rows - k if k == len(left) - 1 else 1
            cells.append(_answer_cell(left[k].node, result.stance_of(left[k].position.id), theme, span, -1))
        if k == 0:
            cells.append(f'<TD ROWSPAN="{rows}" ALIGN="LEFT" CELLPADDING="4">{text}</TD>')
        if k < len(right):
            span = rows - k if k == len(right) - 1 else 1
            cells.append(_answer_cell(right[k].node, result.stance_of(right[k].position.id), theme, span, 1))
        out.append("<TR>" + "".join(cells) + "</TR>")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(out)}</TABLE>>'


#: How to read the drawing: under its title, or in the caption of a figure that shows it untitled.
READING = (
    "Each arrow is a position's answer to a question; no arrow: the position is silent. The marks on "
    "a question's left and right edges repeat the answers of the positions on that side, top to bottom."
)


def _header(cmp: Comparison, theme: Theme, wrap: int, titled: bool = True) -> str:
    width = max(40, wrap * 3)
    rows = []
    if titled and cmp.title:
        rows.append(_row(_font(f"<B>{block(cmp.title, round(width * 0.6))}</B>", HEADER_TITLE_PT, theme.text)))
    if titled and cmp.subtitle:
        rows.append(_row(_font(block(cmp.subtitle, width), HEADER_TEXT_PT + 1, theme.text)))
    if titled:
        rows.append(_row(_font(block(READING, width), HEADER_TEXT_PT, theme.muted)))
    # Narrow boxes (a drawing fitted to a narrow page) get the legend in two rows: it is the widest line.
    rows.append(f'<TR><TD ALIGN="LEFT" CELLPADDING="6">{_legend(theme, 2 if wrap < NARROW_WRAP else 1)}</TD></TR>')
    return f"<{_table(rows, padding=2)}>"


def _stance_sample(stance: str, theme: Theme) -> str:
    shape, colour = STANCE_EDGES[stance], stance_colour(theme, stance)
    pen = max(1, round(shape.penwidth))
    if stance == MIXED:
        # Top and bottom borders: the two parallel lines of a mixed arrow.
        line = f'<TD WIDTH="30" HEIGHT="6" FIXEDSIZE="TRUE" SIDES="TB" BORDER="1" COLOR="{colour}"></TD>'
    else:
        style = f' STYLE="{shape.style}"' if shape.style in ("dashed", "dotted") else ""
        line = f'<TD WIDTH="30" HEIGHT="8" FIXEDSIZE="TRUE" SIDES="B" BORDER="{pen}" COLOR="{colour}"{style}></TD>'
    head = f'<TD VALIGN="BOTTOM" CELLPADDING="0">{_font(_GLYPHS[shape.arrowhead], LEGEND_PT + 1, colour)}</TD>'
    name = f'<TD ALIGN="LEFT">{_font(escape(f"{SYMBOLS[stance]} {shape.name}"), LEGEND_PT, theme.text)}</TD>'
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"><TR>{line}{head}{name}</TR></TABLE>'


#: Below this ``wrap`` the legend is set in two rows.
NARROW_WRAP = 24


def _legend(theme: Theme, rows: int = 1) -> str:
    clash = theme.node("objection").border
    box = (
        f'<TABLE BORDER="{round(CLASH_PEN)}" COLOR="{clash}" CELLBORDER="0" CELLPADDING="2">'
        f"<TR><TD>{_font(escape('CLASH: one says yes, another no'), LEGEND_PT, theme.text)}</TD></TR></TABLE>"
    )
    cells = [_stance_sample(s, theme) for s in STANCE_ORDER] + [box]
    head = f'<TD ALIGN="LEFT" VALIGN="MIDDLE">{_font("<B>Answers</B>", LEGEND_PT, theme.muted)}</TD>'
    per_row = -(-len(cells) // rows)  # ceiling division
    lines = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    body = "</TR><TR>".join(
        (head if i == 0 else "<TD></TD>") + "".join(f"<TD>{c}</TD>" for c in line) for i, line in enumerate(lines)
    )
    return (
        f'<TABLE BORDER="1" COLOR="{theme.muted}" STYLE="rounded" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">'
        "<TR>" + body + "</TR></TABLE>"
    )


def comparison_to_dot(
    comparison: Comparison,
    options: RenderOptions = RenderOptions(),
    extra_graph_attrs: Mapping[str, str] | None = None,
    map_titles: Mapping[str, str] | None = None,
    *,
    titled: bool = True,
) -> str:
    """The DOT source of the comparison diagram (before fitting to a page).

    ``map_titles`` (map id -> title) names each position's maps by title instead of id.
    ``titled=False`` leaves out the title, subtitle and :data:`READING` (the
    legend stays), for a caller that says them beside the drawing: a pack's
    heading and figure caption. The drawing is then shorter, and prints larger.
    """
    cmp = comparison
    theme = get_theme(options.theme)
    graph = pydot.Dot(GRAPH_NAME, graph_type="digraph", strict=False)
    attrs = {
        "rankdir": "LR",
        "newrank": "true",
        "nodesep": "0.22",
        "ranksep": "1.6",
        "pad": "0.25",
        "bgcolor": theme.background,
        "fontname": theme.font,
        "fontcolor": theme.text,
        "charset": "UTF-8",
        "outputorder": "edgesfirst",
        "labelloc": "t",
        "labeljust": "l",
        "label": _header(cmp, theme, options.wrap, titled),
    }
    attrs.update(extra_graph_attrs or {})
    for key, value in attrs.items():
        graph.set(key, value)
    graph.set_node_defaults(shape="box", fontname=theme.font, fontcolor=theme.text, margin="0.14,0.08")
    graph.set_edge_defaults(arrowsize="1.0", fontname=theme.font)

    # Ids are generated ("q0", "p1"), never user text.
    qid = {r.question.id: f"q{k}" for k, r in enumerate(cmp.results)}
    placed = _place(cmp.positions)
    position_colours = theme.node("thesis")

    columns = {side: pydot.Subgraph(f"column{side + 1}", rank="same") for side in (-1, 0, 1)}
    for p in placed:
        columns[p.side].add_node(
            pydot.Node(
                p.node,
                label=_position_label(p.position, theme, options.wrap + 4, map_titles or {}),
                style="filled",
                fillcolor=position_colours.fill,
                color=position_colours.border,
                penwidth="2.2",
            )
        )
    for r in cmp.results:
        columns[0].add_node(
            pydot.Node(
                qid[r.question.id],
                shape="box",
                label=_question_label(r, placed, theme, options.wrap + 6),
                style="rounded,filled",
                fillcolor=theme.background,
                color=theme.node("objection").border if r.clash else theme.muted,
                penwidth=f"{CLASH_PEN:g}" if r.clash else "1.2",
                margin="0",
            )
        )
    # Fix the order within each column (pack order, top to bottom) with flat invisible edges,
    # so the answer cells on a question's edge line up with the positions beside it.
    questions = [qid[r.question.id] for r in cmp.results]
    for side, ids in ((0, questions), *((s, [p.node for p in placed if p.side == s]) for s in (-1, 1))):
        for a, b in zip(ids, ids[1:]):
            columns[side].add_edge(pydot.Edge(a, b, style="invis"))
    for side in (-1, 0, 1):
        graph.add_subgraph(columns[side])

    for p in placed:
        # A silent position still takes its column: an invisible edge to the first question ranks it.
        if questions:
            ends = (p.node, questions[0]) if p.side < 0 else (questions[0], p.node)
            graph.add_edge(pydot.Edge(*ends, style="invis", weight="0"))
        for r in cmp.results:
            stance = r.stance_of(p.position.id)
            if stance not in STANCE_EDGES:
                continue
            shape = STANCE_EDGES[stance]
            edge = {"color": _edge_colour(theme, stance), "penwidth": f"{shape.penwidth:g}", "style": shape.style}
            cell = f"{qid[r.question.id]}:{p.node}"
            if p.side < 0:
                edge.update(arrowhead=shape.arrowhead)
                graph.add_edge(pydot.Edge(p.node, f"{cell}:w", **edge))
            else:
                # Declared question -> position so the position ranks to the right; drawn backwards.
                edge.update(dir="back", arrowtail=shape.arrowhead)
                graph.add_edge(pydot.Edge(f"{cell}:e", p.node, **edge))
    return graph.to_string()


def render_comparison(
    comparison: Comparison, options: RenderOptions = RenderOptions(), map_titles: Mapping[str, str] | None = None
) -> Diagram:
    """Draw ``comparison`` as one diagram; fitted to ``options.page`` when it names one.

    ``map_titles`` (map id -> title) names each position's maps by title instead of id.

    ``Diagram.node_ids`` are the question ids, then the position ids.
    Raises :class:`~argbrief.errors.ToolError` when Graphviz is missing or fails.
    """
    source = comparison_to_dot(comparison, options, map_titles=map_titles)
    svg = b""
    if options.page != "none":
        size, full_svg = measure_drawing(source)
        attrs = graph_attrs(fit(*size, options.page), options.fmt)
        source = comparison_to_dot(comparison, options, attrs, map_titles)
        if options.fmt in ("svg", "png"):  # from the layout that measured it (graphviz.draw_scaled): no second layout
            svg = draw_scaled(source, attrs["size"], full_svg)
    if options.fmt == "dot":
        data, (width, height) = source.encode("utf-8"), (0.0, 0.0)
    else:
        data = svg or run_dot(source, "svg" if options.fmt == "png" else options.fmt)
        if options.fmt == "png":  # the SVG's picture (argbrief.render.raster), not a layout of its own
            data = svg_to_png(data, options.dpi, name="the comparison diagram")
        width, height = drawing_size(data, options.fmt, options.dpi)
    return Diagram(
        name=f"{comparison.pack_id}-comparison",
        title=f"{comparison.title} — comparison" if comparison.title else "Comparison",
        fmt=options.fmt,
        data=data,
        node_ids=tuple(r.question.id for r in comparison.results) + tuple(p.id for p in comparison.positions),
        width_pt=width,
        height_pt=height,
    )


__all__ = ["READING", "STANCE_EDGES", "comparison_to_dot", "render_comparison", "stance_colour"]
