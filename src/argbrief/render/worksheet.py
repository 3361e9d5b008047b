"""A student worksheet: the map with chosen boxes left blank, a numbered claim list, and an answer sheet.

One PDF, in the print theme on A4 unless asked otherwise:

1. the worksheet: the map (split by the same legibility rule as any drawing)
   with every box numbered, and the text of the chosen boxes replaced by ruled
   lines to write on — the kind tag stays, so the student knows what kind of
   claim belongs there;
2. the claim list: every numbered box, the shown ones with their words, the
   blank ones with ruled lines and the box they bear on;
3. the answer sheet: the full map, drawn as ``render`` draws it.

Which boxes are blank: :class:`Blanks` — kinds (``--blank rebuttal,evidence``),
or the boxes with a tag (``--blank-tag quiz``), or both.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pydot
from attrs import frozen

from ..errors import UsageError
from ..model import ArgumentMap
from .cache import DotCache
from .graphviz import GRAPH_NAME, Markup, drawing_size, measure, run_dot
from .labels import claim_list_label, header_label
from .mapview import map_view
from .options import Diagram, RenderOptions
from .page import PageFit, fit, graph_attrs, smallest_text_pt
from .split import PAGE_REFS, Drawing, plan_drawings
from .theme import get_theme
from .view import NODE_KINDS, MapView, ViewNode

DEFAULT_BLANK_KINDS = ("rebuttal", "evidence")


@frozen(kw_only=True)
class Blanks:
    """Which boxes a worksheet leaves blank: those of ``kinds``, and those tagged ``tag``."""

    kinds: tuple[str, ...] = DEFAULT_BLANK_KINDS
    tag: str = ""

    @classmethod
    def parse(cls, kinds: str | None, tag: str | None) -> Blanks:
        """From the command line: ``"rebuttal,evidence"`` and a tag; a tag alone blanks only its boxes.

        An unknown kind is a :class:`UsageError` naming the kinds there are.
        """
        from ..diagnostics import did_you_mean

        if kinds is None:
            chosen = () if tag else DEFAULT_BLANK_KINDS
        else:
            chosen = tuple(dict.fromkeys(k.strip().lower() for k in kinds.split(",") if k.strip()))
            for kind in chosen:
                if kind not in NODE_KINDS:
                    hint = did_you_mean(kind, NODE_KINDS)
                    raise UsageError(
                        f"--blank: no kind '{kind}'" + (f" ({hint})" if hint else f"; kinds: {', '.join(NODE_KINDS)}")
                    )
        if not chosen and not tag:
            raise UsageError("--blank names no kind: a worksheet needs something to leave blank")
        return cls(kinds=chosen, tag=(tag or "").strip())


@frozen(kw_only=True)
class ClaimItem:
    """One line of the claim list: a box's number, its tag, its words (or none when blank), what it bears on."""

    number: int
    tag: str
    text: str
    blank: bool
    bears_on: int  # the number of the box it bears on (0: none)
    lines: int  # ruled lines to write on, for a blank box


def worksheet_view(view: MapView, amap: ArgumentMap, blanks: Blanks) -> tuple[MapView, tuple[ClaimItem, ...]]:
    """``view`` with every box numbered (in map order) and the chosen ones blank; and the claim list."""
    tagged = {ref for ref, node in amap.nodes().items() if blanks.tag and blanks.tag in getattr(node, "tags", ())}
    counter = 0
    numbers: dict[str, int] = {}  # view id -> the number of its (first) box
    nodes: list[ViewNode] = []
    items: list[tuple[ViewNode, int]] = []

    def number(node: ViewNode) -> ViewNode:
        nonlocal counter
        counter += 1
        blank = node.kind in blanks.kinds or (bool(node.ref) and node.ref in tagged)
        done = attrs.evolve(node, number=counter, blank=blank)
        items.append((done, counter))
        return done

    for node in view.nodes:
        if node.kind not in NODE_KINDS:
            nodes.append(node)
            continue
        if node.entries:
            entries = tuple(number(e) for e in node.entries)
            numbers[node.id] = entries[0].number
            nodes.append(attrs.evolve(node, entries=entries))
        else:
            done = number(node)
            numbers[node.id] = done.number
            nodes.append(done)
    parents = {n.id: n.parent for n in view.nodes}
    card_of = {id(e): n.id for n in view.nodes for e in n.entries}
    claims = []
    for node, num in items:
        holder = card_of.get(id(node), node.id)
        parent = parents.get(holder, "") if holder in parents else node.parent
        text = " — ".join(p for p in (node.title, node.body) if p)
        claims.append(
            ClaimItem(
                number=num,
                tag=node.tag,
                text="" if node.blank else text,
                blank=node.blank,
                bears_on=numbers.get(parent, 0),
                lines=max(2, min(6, len(text) // 60 + 1)),
            )
        )
    if not any(c.blank for c in claims):
        raise UsageError("nothing to leave blank: the map has no box of the kinds or tag asked for")
    sheet = attrs.evolve(
        view,
        title=f"Worksheet: {view.title}" if view.title else "Worksheet",
        subtitle="Write the missing claims and evidence in the ruled boxes; the numbers match the claim list.",
        nodes=tuple(nodes),
    )
    return sheet, tuple(claims)


def claim_list_dot(title: str, items: Sequence[ClaimItem], options: RenderOptions, part: str,
                   graph_attrs_: dict[str, str] | None = None) -> str:
    """The DOT of one page of the claim list: a header and one table of numbered lines."""
    theme = get_theme(options.theme)
    graph = pydot.Dot(GRAPH_NAME, graph_type="digraph", strict=False)
    header = MapView(name="claims", title=title, part=part)
    for key, value in {
        "pad": "0.25",
        "bgcolor": theme.background,
        "fontname": theme.font,
        "labelloc": "t",
        "labeljust": "l",
        "label": Markup(header_label(header, theme, options.wrap)),
        **(graph_attrs_ or {}),
    }.items():
        graph.set(key, value)
    graph.add_node(pydot.Node("claims", shape="plain", fontname=theme.font,
                              label=Markup(claim_list_label(items, theme, options.wrap * 2))))
    return graph.to_string()


def _claim_pages(title: str, items: Sequence[ClaimItem], options: RenderOptions,
                 cache: DotCache | None) -> list[tuple[str, PageFit]]:
    """The claim list in as few pages as keep its text legible: (DOT, smallest text printed) per page."""
    per_page = len(items)
    while True:
        chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
        pages = []
        for k, chunk in enumerate(chunks):
            source = claim_list_dot(title, chunk, options, part_of(k, len(chunks)))
            placed = fit(*measure(source, cache=cache), options.page, smallest_pt=smallest_text_pt(source))
            pages.append((source, placed))
        if all(p.legible(options.min_font) for _, p in pages) or per_page <= 4:
            return [(claim_list_dot(title, chunk, options, part_of(k, len(chunks)), graph_attrs(p, "pdf")), p)
                    for k, (chunk, (_, p)) in enumerate(zip(chunks, pages, strict=True))]
        per_page = max(4, (per_page + 1) // 2)


def part_of(k: int, n: int) -> str:
    return "claim list" + (f", {k + 1} of {n}" if n > 1 else "")


def render_worksheet(
    amap: ArgumentMap,
    options: RenderOptions,
    blanks: Blanks = Blanks(),
    *,
    name: str | None = None,
    cache: DotCache | None = None,
) -> tuple[bytes, tuple[Diagram, ...]]:
    """The worksheet PDF of ``amap`` (worksheet pages, claim list, answer sheet) and its pages as diagrams."""
    from .files import join_pdf

    if options.fmt != "pdf" or options.page == "none":
        raise UsageError("a worksheet is a PDF on a page: use --format pdf and --page A4, Letter or A3")
    stem = name or amap.id or "map"
    whole = map_view(amap, stem)
    sheet, claims = worksheet_view(whole, amap, blanks)
    ws = plan_drawings(amap, options, name=stem, refs=PAGE_REFS, cache=cache, view=sheet)
    list_pages = _claim_pages(sheet.title, claims, options, cache)
    first_answer = len(ws) + len(list_pages) + 1
    answer_view = attrs.evolve(whole, name=f"{stem}-answers", title=f"Answer sheet: {whole.title}")
    answers = plan_drawings(amap, options, name=f"{stem}-answers", cache=cache, view=answer_view,
                            refs=attrs.evolve(PAGE_REFS, first_number=first_answer))
    diagrams: list[Diagram] = [_diagram(d, d.number, "Worksheet", options, cache) for d in ws]
    for k, (source, placed) in enumerate(list_pages):
        number = len(ws) + k + 1
        data = run_dot(source, "pdf", cache=cache)
        w, h = drawing_size(data, "pdf", options.dpi)
        diagrams.append(Diagram(name=f"{stem}-claims-{k + 1}", title=f"Claim list — {part_of(k, len(list_pages))}",
                                fmt="pdf", data=data, node_ids=(), width_pt=w, height_pt=h, number=number,
                                part="claim list", smallest_pt=placed.printed_pt,
                                legible=placed.legible(options.min_font)))
    diagrams += [_diagram(d, d.number + first_answer - 1, "Answer sheet", options, cache) for d in answers]
    return join_pdf(diagrams, sheet.title), tuple(diagrams)


def _diagram(d: Drawing, number: int, what: str, options: RenderOptions, cache: DotCache | None) -> Diagram:
    """One planned drawing of the worksheet PDF, drawn, numbered and titled for the bookmarks and ``-v``."""
    data = run_dot(d.source, "pdf", cache=cache)
    w, h = drawing_size(data, "pdf", options.dpi)
    part = d.view.part_title or "whole map"
    return Diagram(
        name=d.name,
        title=f"{what} — {part}",
        fmt="pdf",
        data=data,
        node_ids=d.view.node_refs,
        width_pt=w,
        height_pt=h,
        number=number,
        parent=d.parent,
        part=f"{what.lower()}, {part.split(':')[0]}",
        smallest_pt=d.smallest_pt,
        legible=d.fit is None or d.fit.legible(options.min_font),
    )
