"""The assembled briefing pack: one frozen document model that every writer walks.

:func:`assemble` turns a pack, the maps it uses, their rendered diagrams and the
comparison into a :class:`PackDocument`: plain frozen data, with every heading,
number, anchor, sentence and figure size decided here, once. The HTML, PDF and
Word writers only lay that model out, so the three formats cannot drift apart
(tests compare their tables of contents with :meth:`PackDocument.headings`).

The pack opens with a front section of at most three pages (:mod:`.front`: the
bottom line, key judgements, options, recommendations by actor, indicators,
sources); the comparison, the positions' maps and outlines and the source
register follow as lettered annexes (A, B, ...), which the front section's
cross-references point into.

All user text passes through :func:`~argbrief.packs._text.clean` here, so no
writer ever sees a character XML forbids.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from .. import __version__
from ..compare import Comparison
from ..estimative import parse_source_date
from ..model import ArgumentMap, Claim, Evidence, Group, Pack, Position, Recommendation, Source
from ._parts import CrossRef, FigureNumbers, Geometry, Heading, RenderedDiagram, make_figure, share_pages
from ._parts import Figure as Figure  # re-exported: writers import the model from here
from ._text import clean, display_date, document_timestamp, shorten
from .changes import what_changed
from .comparison import ComparisonSection, comparison_section
from .front import FrontSection, front_section, source_key

if TYPE_CHECKING:
    import datetime as dt

    from ..diff.editions import Edition
    from ..project import Workspace

# --------------------------------------------------------------------------- the model


@frozen(kw_only=True)
class OutlineEntry:
    """One node of the numbered argument outline."""

    number: str
    depth: int  # 0 = thesis
    kind: str  # thesis | premise | assumption | evidence | objection | rebuttal
    kind_label: str  # "Linked premise", "Objection (undercut)" ...
    node_id: str
    label: str
    text: str
    details: tuple[str, ...] = ()  # "para 7 · strong", "linked with P4.2", "also supports P3", notes


@frozen(kw_only=True)
class EvidenceRow:
    node_id: str
    quote: str
    is_quote: bool  # False when only a paraphrase was given
    source: str
    locator: str
    strength: str
    supports: str


@frozen(kw_only=True)
class RecommendationRow:
    node_id: str
    actor: str
    action: str
    because: tuple[str, ...]
    priority: str


@frozen(kw_only=True)
class MapSection:
    """One argument map: its diagram(s), outline, evidence and recommendations."""

    heading: Heading
    map_id: str
    title: str
    subtitle: str
    citation: str
    url: str  # the source's web address (the map's own url when its source has none)
    summary: str
    diagram_heading: Heading
    figures: tuple[Figure, ...]
    outline_heading: Heading
    outline: tuple[OutlineEntry, ...]
    evidence_heading: Heading
    evidence: tuple[EvidenceRow, ...]
    recommendations_heading: Heading | None
    recommendations: tuple[RecommendationRow, ...]

    def headings(self) -> Iterator[Heading]:
        yield self.heading
        yield self.diagram_heading
        yield self.outline_heading
        yield self.evidence_heading
        if self.recommendations_heading is not None:
            yield self.recommendations_heading


@frozen(kw_only=True)
class PositionSection:
    """A position and the maps that argue it."""

    heading: Heading
    position_id: str
    label: str
    summary: str
    maps: tuple[MapSection, ...]

    def headings(self) -> Iterator[Heading]:
        yield self.heading
        for m in self.maps:
            yield from m.headings()


@frozen(kw_only=True)
class SourceUse:
    map_title: str
    claims: tuple[str, ...]  # "P1 Time favours Russia"
    evidence: tuple[str, ...]  # "E3 (para 7)"


@frozen(kw_only=True)
class SourceEntry:
    """One source of the register, how it is dated, and every claim that relies on it."""

    number: int
    anchor: str
    citation: str
    url: str
    uses: tuple[SourceUse, ...]
    date: str = ""  # as shown: "February 2024"
    date_basis: str = ""  # stated | inferred | ""
    date_note: str = ""
    kind: str = ""
    reliability: str = ""

    @property
    def provenance(self) -> str:
        """"Dated February 2024 (inferred) · analysis · reliability unknown" ('' when nothing is known)."""
        parts = []
        if self.date:
            parts.append(f"Dated {self.date}" + (f" ({self.date_basis})" if self.date_basis else ""))
        if self.kind:
            parts.append(self.kind)
        if self.reliability:
            parts.append(f"reliability {self.reliability}")
        return " \u00b7 ".join(parts)


@frozen(kw_only=True)
class Meta:
    """What the cover, the running header and the file metadata show."""

    pack_id: str
    title: str
    subtitle: str
    audience: str
    author: str
    date: str  # as displayed: "1 February 2025"
    marking: str
    subject: str
    keywords: tuple[str, ...]
    created: dt.datetime | None
    generator: str
    lang: str = "en"


@frozen(kw_only=True)
class PackDocument:
    """The whole briefing pack, in reading order."""

    meta: Meta
    geometry: Geometry
    theme: str
    contents_heading: Heading
    front: FrontSection
    comparison: ComparisonSection | None
    sections: tuple[PositionSection | MapSection, ...]
    register_heading: Heading
    register: tuple[SourceEntry, ...]

    def headings(self) -> tuple[Heading, ...]:
        """Every heading after the contents, in order: the table of contents and the bookmarks."""
        out: list[Heading] = list(self.front.headings())
        if self.comparison is not None:
            out += self.comparison.headings()
        for section in self.sections:
            out += section.headings()
        out.append(self.register_heading)
        return tuple(out)

    @property
    def annex_anchor(self) -> str:
        """The anchor of the first heading after the front section ('' when nothing follows it)."""
        front = {h.anchor for h in self.front.headings()}
        return next((h.anchor for h in self.headings() if h.anchor not in front), "")

    def toc(self, depth: int = 2) -> tuple[Heading, ...]:
        """The headings the table of contents lists (levels up to ``depth``)."""
        return tuple(h for h in self.headings() if h.in_toc and h.level <= depth)

    def figures(self) -> tuple[Figure, ...]:
        """Every figure, in document order."""
        out: list[Figure] = []
        if self.comparison is not None and self.comparison.figure is not None:
            out.append(self.comparison.figure)
        for section in self.sections:
            for m in section.maps if isinstance(section, PositionSection) else (section,):
                out += m.figures
        return tuple(out)

    def float_groups(self) -> dict[str, tuple[Figure, ...]]:
        """Each map's figures, keyed by the anchor of its "Argument map" heading (they float in the PDF)."""
        return {m.diagram_heading.anchor: m.figures for m in self.map_sections() if m.figures}

    def map_sections(self) -> tuple[MapSection, ...]:
        out: list[MapSection] = []
        for section in self.sections:
            out += section.maps if isinstance(section, PositionSection) else (section,)
        return tuple(out)


# --------------------------------------------------------------------------- assembly

KIND_LABELS = {
    "thesis": "Thesis",
    "premise": "Premise",
    "assumption": "Assumption",
    "evidence": "Evidence",
    "objection": "Objection",
    "rebuttal": "Rebuttal",
}


def assemble(
    ws: Workspace,
    pack: Pack,
    *,
    diagrams: Mapping[str, Sequence[RenderedDiagram]],
    comparison: Comparison | None = None,
    comparison_diagram: RenderedDiagram | None = None,
    edition: Edition | None = None,
) -> PackDocument:
    """The document model of ``pack``: cover to evidence register.

    ``diagrams`` maps each map id to its rendered diagrams (one, or an overview
    and details for large maps); ``comparison`` is the pack's comparison (None
    for a reading pack) and ``comparison_diagram`` its drawing; ``edition`` is
    the earlier edition ``changes_since`` names (the front section then says
    what changed since). Pure: no I/O, no clock (dates come from the pack or
    ``SOURCE_DATE_EPOCH``).
    """
    maps = {mid: ws.maps[mid] for mid in pack.map_ids() if mid in ws.maps}
    page = pack.page or ws.config.page
    geometry = Geometry.for_page(page)
    numbers = FigureNumbers()
    meta = _meta(pack, maps)
    annexes = _annex_letters()

    compared = None
    if comparison is not None and pack.positions:
        compared = comparison_section(
            comparison, comparison_diagram, number=next(annexes), geometry=geometry, numbers=numbers
        )

    sections: list[PositionSection | MapSection] = []
    sides: dict[str, tuple[str, str]] = {}  # map id -> (who presents it, the anchor of that section)
    for pos in pack.positions:
        section = _position_section(pos, maps, diagrams, next(annexes), geometry, numbers)
        sections.append(section)
        for m in section.maps:
            sides.setdefault(m.map_id, (section.label, section.heading.anchor))
    # A reading pack's maps; in a pack with positions, the maps its own `maps:` lists that no
    # position argues: each gets an annex of its own after the positions (they are not compared).
    argued = {m for pos in pack.positions for m in pos.maps}
    for mid, amap in maps.items():
        if mid in argued:
            continue
        section = _map_section(amap, diagrams.get(mid, ()), next(annexes), 1, geometry, numbers)
        sections.append(section)
        # Named by its title, shortened: the annex heading gives it in full.
        sides[mid] = (shorten(clean(amap.title) or mid, 6), section.heading.anchor)
    register_heading = Heading(level=1, anchor="register", number=f"Annex {next(annexes)}", text="Sources and evidence register")
    register = _register(maps)
    map_sections = [m for s in sections for m in (s.maps if isinstance(s, PositionSection) else (s,))]

    front = front_section(
        pack,
        maps,
        comparison=comparison if pack.positions else None,
        findings=compared.bottom_line if compared is not None else (),
        locate=_locator(map_sections),
        sides=sides,
        register={entry.key: entry.anchor for entry in register},
    )
    if edition is not None:
        front = attrs.evolve(front, changes=what_changed(edition, pack, maps, level=front.heading.level + 1))
    return PackDocument(
        meta=meta,
        geometry=geometry,
        theme=pack.theme or ws.config.theme,
        contents_heading=Heading(level=1, anchor="contents", number="", text="Contents", in_toc=False),
        front=front,
        comparison=compared,
        sections=tuple(sections),
        register_heading=register_heading,
        register=tuple(entry.entry for entry in register),
    )


def figure_maps(pack: Pack, maps: Mapping[str, ArgumentMap]) -> tuple[str, ...]:
    """The maps whose figures ``pack`` numbers, in the order it numbers them (after the comparison's figure).

    :func:`assemble` numbers figures in this order (the positions' maps, then the
    maps no position argues); the build plans each map's drawings apart and names
    the pack's figure numbers in them by this order, before the document exists.
    """
    argued = [m for pos in pack.positions for m in pos.maps if m in maps]
    return (*argued, *(m for m in pack.map_ids() if m in maps and m not in set(argued)))


def _annex_letters() -> Iterator[str]:
    """A, B, ... Z, then AA, AB ...: annexes are lettered so they never look like the front section's parts."""
    import itertools
    import string

    for size in itertools.count(1):
        for letters in itertools.product(string.ascii_uppercase, repeat=size):
            yield "".join(letters)


def _locator(sections: Sequence[MapSection]):
    """(map id, node id) -> the figure that draws the node in full, else the map's section.

    Of several such figures the last is taken: a split map's branch figures
    follow its overview and show their nodes in most detail.
    """
    by_map = {m.map_id: m for m in sections}

    def locate(map_id: str, node_id: str) -> CrossRef | None:
        section = by_map.get(map_id)
        if section is None:
            return None
        for fig in reversed(section.figures):
            if node_id in fig.node_ids or (len(section.figures) == 1 and not fig.node_ids):
                return fig.ref()
        return section.heading.ref()

    return locate


def _meta(pack: Pack, maps: Mapping[str, ArgumentMap]) -> Meta:
    tags = sorted({clean(t) for amap in maps.values() for t in amap.tags} - {""})
    title = clean(pack.title) or pack.id
    return Meta(
        pack_id=pack.id,
        title=title,
        subtitle=clean(pack.subtitle),
        audience=clean(pack.audience),
        author=clean(pack.author),
        date=display_date(clean(pack.date)),
        marking=clean(pack.marking),
        subject=clean(pack.subtitle) or f"Briefing pack: {title}",
        keywords=("briefing pack", "argument map", *tags),
        created=document_timestamp(clean(pack.date)),
        generator=f"argbrief {__version__}",
    )


def _position_section(
    pos: Position,
    maps: Mapping[str, ArgumentMap],
    diagrams: Mapping[str, Sequence[RenderedDiagram]],
    letter: str,
    geometry: Geometry,
    numbers: FigureNumbers,
) -> PositionSection:
    label = clean(pos.label) or pos.id
    sub = [
        _map_section(maps[mid], diagrams.get(mid, ()), f"{letter}.{i}", 2, geometry, numbers)
        for i, mid in enumerate((m for m in pos.maps if m in maps), start=1)
    ]
    return PositionSection(
        heading=Heading(level=1, anchor=f"position-{pos.id}", number=f"Annex {letter}", text=f"Position: {label}"),
        position_id=pos.id,
        label=label,
        summary=clean(pos.summary),
        maps=tuple(sub),
    )


def _map_section(
    amap: ArgumentMap,
    diagrams: Sequence[RenderedDiagram],
    number: str,
    level: int,
    geometry: Geometry,
    numbers: FigureNumbers,
) -> MapSection:
    title = clean(amap.title) or amap.id
    anchor = f"map-{amap.id}"

    def sub(key: str, text: str) -> Heading:
        # Unnumbered and out of the contents: every map has the same four.
        return Heading(level=level + 1, anchor=f"{anchor}-{key}", number="", text=text, in_toc=False)

    nodes = amap.nodes()
    figures = _map_figures(amap, diagrams, geometry, numbers)
    return MapSection(
        heading=Heading(level=level, anchor=anchor, number=f"Annex {number}" if level == 1 else number, text=title),
        map_id=amap.id,
        title=title,
        subtitle=clean(amap.subtitle),
        citation=_citation(amap.source) or _map_citation(amap),
        url=clean(amap.source.url if amap.source is not None and amap.source.url else amap.url),
        summary=clean(amap.summary),
        diagram_heading=sub("diagram", "Argument map"),
        figures=figures,
        outline_heading=sub("outline", "The argument"),
        outline=tuple(_outline(amap)),
        evidence_heading=sub("evidence", "Evidence"),
        evidence=tuple(_evidence_rows(amap)),
        recommendations_heading=sub("recommendations", "Recommendations") if amap.recommendations else None,
        recommendations=tuple(_recommendation_row(r, nodes) for r in amap.recommendations),
    )


def _map_figures(
    amap: ArgumentMap, diagrams: Sequence[RenderedDiagram], geometry: Geometry, numbers: FigureNumbers
) -> tuple[Figure, ...]:
    """The map's figures: the whole map, or an overview followed by one figure per branch."""
    title = clean(amap.title) or amap.id
    nodes = amap.nodes()
    figures: list[Figure] = []
    for i, d in enumerate(diagrams):
        if len(diagrams) == 1:
            caption, short = f"Argument map: {title}.", "The whole map"
        elif i == 0:
            caption = f"Overview of the argument map: {title}. Each branch is drawn in full in the figures that follow."
            short = "Overview"
        else:
            short = _branch_name(d, amap, nodes)
            whole = "" if short.endswith(", continued") else ", in full"
            parent = next((f for f in figures if f.name == d.parent), figures[0])
            caption = f"{short}{whole} (detail of Figure {parent.number})."
        figures.append(
            make_figure(
                d,
                number=numbers.next(),
                caption=caption,
                alt=_alt_text(amap, d, i, len(diagrams)),
                geometry=geometry,
                title=short,
            )
        )
    return share_pages(figures, geometry)


def _branch_name(d: RenderedDiagram, amap: ArgumentMap, nodes: Mapping[str, object]) -> str:
    """"Premise P1: Time favours Russia": from the diagram name ``<map>-<branch id>``.

    The planner's other names: ``<map>-recommendations`` (the recommendations drawn apart)
    and ``<name>-2``, ``<name>-3`` (a wide row of boxes continued: "Overview, continued").
    """
    ref = d.name[len(amap.id) + 1 :] if d.name.startswith(amap.id + "-") else ""
    node = nodes.get(ref)
    if node is None:
        base, _, count = ref.rpartition("-") if ref else ("", "", "")
        if ref == "recommendations":
            return "Recommendations"
        if count.isdigit() and not base:
            return "Overview, continued"
        if count.isdigit() and base in nodes:
            return _branch_name(attrs.evolve(d, name=f"{amap.id}-{base}"), amap, nodes) + ", continued"
        return f"Part of the argument map ({clean(d.title) or d.name})"
    label = clean(getattr(node, "label", "")) or shorten(clean(getattr(node, "text", "")), 8)
    kind = KIND_LABELS.get(node.kind, "Branch")  # type: ignore[attr-defined]
    return f"{kind} {ref}: {label}"


def _alt_text(amap: ArgumentMap, d: RenderedDiagram, index: int, count: int) -> str:
    """A text description of a map diagram for screen readers (what it shows, not how)."""
    kinds: dict[str, int] = {}
    shown = set(d.node_ids)
    for w in amap.walk():
        if not shown or w.node.id in shown:
            kinds[w.node.kind] = kinds.get(w.node.kind, 0) + 1
    nouns = {"evidence": ("evidence item", "evidence items")}
    parts = [
        f"{n} {nouns.get(kind, (kind, kind + 's'))[n != 1]}"
        for kind in ("premise", "assumption", "evidence", "objection", "rebuttal", "recommendation")
        if (n := kinds.get(kind, 0))
    ]
    listed = ", ".join(parts)
    thesis = clean(amap.thesis.label or shorten(amap.thesis.text, 16)) if amap.thesis else ""
    if count == 1:
        what = "Argument map"
    elif index == 0:
        what = "Overview of the argument map"
    else:
        what = f"Detail ({_branch_name(d, amap, amap.nodes())}) of the argument map"
    text = f"{what} of \u2018{clean(amap.title) or amap.id}\u2019"
    if thesis and (not shown or (amap.thesis is not None and amap.thesis.id in shown)):
        text += f", with the thesis \u2018{thesis}\u2019 at the top" + (f" and {listed} below it" if listed else "")
    elif listed:
        text += f", showing {listed}"
    return (
        f"{text}. Arrows point from each reason to the claim it supports or attacks; "
        "the outline that follows gives the same argument as text."
    )


def _citation(source: Source | None) -> str:
    return clean(source.citation()) if source is not None else ""


def _map_citation(amap: ArgumentMap) -> str:
    parts = [clean(p) for p in (amap.author, amap.title, amap.publisher, amap.date) if clean(p)]
    return ", ".join(parts)


def _claim_name(node: Claim | Evidence | Recommendation | None) -> str:
    if node is None:
        return ""
    label = clean(getattr(node, "label", "")) or shorten(clean(getattr(node, "text", "")), 8)
    return f"{node.id} {label}".strip()


def _children(claim: Claim) -> Iterator[tuple[Claim | Evidence, str, tuple[str, ...]]]:
    """Children in the model's order, with relation and the ids of linked partners."""
    for item in claim.premises:
        if isinstance(item, Group):
            ids = tuple(m.id for m in item.members)
            for member in item.members:
                yield member, "supports", tuple(i for i in ids if i != member.id)
        else:
            yield item, "supports", ()
    for a in claim.assumptions:
        yield a, "supports", ()
    for e in claim.evidence:
        yield e, "supports", ()
    for o in claim.objections:
        yield o, o.relation or "attack", ()
    for r in claim.rebuttals:
        yield r, r.relation or "attack", ()


def _outline(amap: ArgumentMap) -> Iterator[OutlineEntry]:
    if amap.thesis is None:
        return
    yield _outline_entry(amap.thesis, "", 0, "root", ())
    yield from _outline_below(amap.thesis, "", 1)


def _outline_below(claim: Claim, prefix: str, depth: int) -> Iterator[OutlineEntry]:
    for i, (child, relation, linked) in enumerate(_children(claim), start=1):
        number = f"{prefix}.{i}" if prefix else str(i)
        yield _outline_entry(child, number, depth, relation, linked)
        if isinstance(child, Claim):
            yield from _outline_below(child, number, depth + 1)


def _outline_entry(
    node: Claim | Evidence, number: str, depth: int, relation: str, linked: tuple[str, ...]
) -> OutlineEntry:
    kind = node.kind
    kind_label = KIND_LABELS.get(kind, kind.title())
    details: list[str] = []
    if isinstance(node, Evidence):
        text = _evidence_text(node)
        details.append(" \u00b7 ".join(p for p in (clean(node.locator), clean(node.strength)) if p))
    else:
        text = clean(node.text)
        if linked:
            kind_label = "Linked premise"
            details.append(f"only together with {', '.join(linked)}")
        if relation == "undercut":
            kind_label += " (undercut)"
            details.append("attacks the inference, not the claim")
        if node.also_supports:
            details.append(f"also supports {', '.join(node.also_supports)}")
        if node.also_attacks:
            details.append(f"also attacks {', '.join(node.also_attacks)}")
        if node.note:
            details.append(f"Note: {clean(node.note)}")
    return OutlineEntry(
        number=number,
        depth=depth,
        kind=kind,
        kind_label=kind_label,
        node_id=node.id,
        label=clean(node.label),
        text=text,
        details=tuple(d for d in details if d),
    )


def _evidence_text(ev: Evidence) -> str:
    if ev.quote:
        return f"\u201c{shorten(clean(ev.quote), 22)}\u201d"
    return shorten(clean(ev.text), 22)


def _evidence_rows(amap: ArgumentMap) -> Iterator[EvidenceRow]:
    for w in amap.walk():
        ev = w.node
        if not isinstance(ev, Evidence):
            continue
        yield EvidenceRow(
            node_id=ev.id,
            quote=clean(ev.quote or ev.text),
            is_quote=bool(ev.quote),
            source=_citation(amap.resolve_source(ev)) or _map_citation(amap),
            locator=clean(ev.locator),
            strength=clean(ev.strength),
            supports=_claim_name(w.parent),
        )


def _recommendation_row(rec: Recommendation, nodes: Mapping[str, object]) -> RecommendationRow:
    return RecommendationRow(
        node_id=rec.id,
        actor=clean(rec.actor),
        action=clean(rec.text),
        because=tuple(_claim_name(nodes.get(ref)) or ref for ref in rec.because),  # type: ignore[arg-type]
        priority=clean(rec.priority),
    )


@frozen(kw_only=True)
class _Registered:
    key: tuple[str, ...]
    anchor: str
    entry: SourceEntry


def _register(maps: Mapping[str, ArgumentMap]) -> tuple[_Registered, ...]:
    """Every source the pack's maps cite, alphabetically, with how it is dated and the claims that rely on it."""
    # source key -> map title -> (claims, evidence) in document order
    uses: dict[tuple[str, ...], dict[str, tuple[dict[str, None], dict[str, None]]]] = {}
    cited: dict[tuple[str, ...], Source] = {}
    for amap in maps.values():
        title = clean(amap.title) or amap.id
        if amap.source is not None:
            key = source_key(amap.source, amap)
            cited.setdefault(key, amap.source)
            uses.setdefault(key, {}).setdefault(title, ({}, {}))
        for w in amap.walk():
            if not isinstance(w.node, Evidence):
                continue
            src = amap.resolve_source(w.node)
            key = source_key(src, amap)
            if src is not None:
                cited.setdefault(key, src)
            claims, evidence = uses.setdefault(key, {}).setdefault(title, ({}, {}))
            claims.setdefault(_claim_name(w.parent), None)
            loc = clean(w.node.locator)
            evidence.setdefault(f"{w.node.id} ({loc})" if loc else w.node.id, None)

    def citation(key: tuple[str, ...]) -> str:
        # The date is shown with its basis on a line of its own (SourceEntry.provenance).
        return ", ".join(p for p in (key[0], key[1], key[2]) if p)

    ordered = sorted(uses, key=lambda k: (citation(k).casefold(), k))
    out = []
    for n, key in enumerate(ordered, start=1):
        src = cited.get(key)
        dated = parse_source_date(src.date) if src is not None else None
        entry = SourceEntry(
            number=n,
            anchor=f"source-{n}",
            citation=citation(key),
            url=key[4],
            uses=tuple(
                SourceUse(map_title=title, claims=tuple(c), evidence=tuple(e)) for title, (c, e) in uses[key].items()
            ),
            date=(dated.display() if dated is not None else clean(src.date)) if src is not None else "",
            date_basis=clean(src.date_basis) if src is not None else "",
            date_note=clean(src.date_note) if src is not None else "",
            kind=clean(src.kind) if src is not None else "",
            reliability=clean(src.reliability) if src is not None else "",
        )
        out.append(_Registered(key=key, anchor=entry.anchor, entry=entry))
    return tuple(out)
