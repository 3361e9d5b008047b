"""The front section of a briefing pack: what a decision-maker reads first, in at most three pages.

It comes straight after the contents and holds, in this order (each part only
when the pack has something for it):

1. **Purpose and decision** — why the pack exists and what the reader is asked to decide;
2. **Bottom line** — the analyst's answer (or, without one, what the comparison found);
   (the "What changed" part of ``argbrief diff`` belongs right after it);
3. **Key judgements** — each with its yardstick term and range, its confidence, and
   cross-references to the figures or sections that carry its basis; then the yardstick legend;
4. **Options** — the positions appraised on cost, risk, feasibility and reversibility
   (ratings in words and dots, never colour alone); a reading pack lists its analyses instead;
5. **Recommendations by actor** — gathered across positions (or maps);
6. **Indicators** — what to watch, and which judgement it makes more or less likely;
7. **Sources** — what kinds of sources, how old, which dates are inferred.

Everything here is plain frozen data built from the pack, the maps and the
sections of the annexes (for cross-references); the three writers lay it out.
User text is cleaned (:func:`~argbrief.packs._text.clean`) here, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence

from attrs import frozen

from ..compare import Comparison
from ..compare.actors import actor_key
from ..estimative import YARDSTICKS, SourceDate, age_text, months_between, parse_source_date, stale
from ..model import APPRAISAL_KEYS, ArgumentMap, Claim, Evidence, Pack, Recommendation, Source
from ._parts import CrossRef, Heading
from ._text import clean, sentence, shorten
from .comparison import Finding

# --------------------------------------------------------------------------- the model


@frozen(kw_only=True)
class BasisRef:
    """One thing a judgement rests on: a claim or evidence item, whose side argues it, and where to see it."""

    claim: str  # the node's label (or its text, shortened)
    side: str  # the position (or map) whose map holds it
    where: CrossRef | None


@frozen(kw_only=True)
class JudgementRow:
    number: int
    anchor: str
    text: str
    likelihood: str  # the yardstick term as written ("very likely")
    range: str  # "80–95 %"
    confidence: str  # "low" | "moderate" | "high"
    basis: tuple[BasisRef, ...]
    note: str


@frozen(kw_only=True)
class YardstickLegend:
    """The pack's probability yardstick, for the reader: terms and ranges, and what confidence means."""

    name: str
    source: str
    bands: tuple[tuple[str, str], ...]  # (terms, range)
    confidence: str


@frozen(kw_only=True)
class RatingCell:
    dimension: str  # cost | risk | feasibility | reversibility
    rating: str  # low | medium | high | "" (not appraised)
    word: str  # "High", "Not appraised"
    symbol: str  # "●●○": filled dots count the rating, so it reads without colour
    text: str


@frozen(kw_only=True)
class OptionRow:
    position_id: str
    label: str
    anchor: str  # the position's annex
    summary: str
    cells: tuple[RatingCell, ...]


@frozen(kw_only=True)
class OptionsTable:
    """Positions x appraisal dimensions."""

    columns: tuple[tuple[str, str, str], ...]  # (dimension, heading, which way is better)
    rows: tuple[OptionRow, ...]
    appraised: bool  # False: no position has an appraisal; only labels and summaries are shown
    legend: str


@frozen(kw_only=True)
class Analysis:
    """A reading pack's map in one line: what it argues."""

    title: str
    anchor: str
    thesis: str
    date: str  # the source's date as shown ("March 2020"), or ""


@frozen(kw_only=True)
class ActionItem:
    side: str  # who recommends it: a position's label or a map's title
    anchor: str
    text: str
    priority: str


@frozen(kw_only=True)
class ActorActions:
    actor: str
    items: tuple[ActionItem, ...]


@frozen(kw_only=True)
class IndicatorRow:
    text: str
    judgement_number: int
    judgement_anchor: str
    judgement: str  # the judgement's text, shortened
    direction: str  # raises | lowers
    symbol: str  # ▲ | ▼
    word: str  # "Raises" | "Lowers"


@frozen(kw_only=True)
class SourceRow:
    title: str
    anchor: str  # the source's entry in the register
    date: str  # "February 2024", or "no date"
    inferred: bool
    age: str  # "12 months" before the pack, or ""
    stale: bool
    kind: str
    reliability: str


@frozen(kw_only=True)
class SourcesNote:
    summary: tuple[str, ...]  # sentences
    rows: tuple[SourceRow, ...]


@frozen(kw_only=True)
class FrontSection:
    """The front section (see the module docstring); ``headings()`` lists its parts in order."""

    heading: Heading
    decision_heading: Heading | None
    purpose: str
    decision: str
    bottom_line_heading: Heading | None
    bottom_line: str  # the analyst's, or ""
    findings: tuple[Finding, ...]  # what the comparison found, shown when there is no bottom line
    judgements_heading: Heading | None
    judgements: tuple[JudgementRow, ...]
    legend: YardstickLegend | None
    options_heading: Heading | None
    options: OptionsTable | None
    analyses: tuple[Analysis, ...]
    actions_heading: Heading | None
    actions: tuple[ActorActions, ...]
    indicators_heading: Heading | None
    indicators: tuple[IndicatorRow, ...]
    sources_heading: Heading | None
    sources: SourcesNote | None

    def headings(self) -> Iterator[Heading]:
        yield self.heading
        for h in (
            self.decision_heading,
            self.bottom_line_heading,
            # "What changed" (argbrief diff) goes here.
            self.judgements_heading,
            self.options_heading,
            self.actions_heading,
            self.indicators_heading,
            self.sources_heading,
        ):
            if h is not None:
                yield h


# --------------------------------------------------------------------------- assembly

RATING_WORDS = {"low": "Low", "medium": "Medium", "high": "High"}
RATING_SYMBOLS = {"low": "\u25cf\u25cb\u25cb", "medium": "\u25cf\u25cf\u25cb", "high": "\u25cf\u25cf\u25cf", "": "\u2014"}
#: Appraisal columns: heading and which way is better (so the reader never has to guess).
DIMENSIONS: dict[str, tuple[str, str]] = {
    "cost": ("Cost", "lower is better"),
    "risk": ("Risk", "lower is better"),
    "feasibility": ("Feasibility", "higher is better"),
    "reversibility": ("Reversibility", "higher is better"),
}
DIRECTION_SYMBOLS = {"raises": ("\u25b2", "Raises"), "lowers": ("\u25bc", "Lowers")}
CONFIDENCE_MEANING = (
    "Confidence (low, moderate, high) says how good a judgement's basis is: the quality and amount of the "
    "sources and how well the reasoning holds. It is not a second likelihood: a judgement can be very likely "
    "and held with low confidence."
)

#: Finds where a map's node is shown: (map id, node id) -> a figure or section, or None.
Locator = Callable[[str, str], "CrossRef | None"]


def front_section(
    pack: Pack,
    maps: Mapping[str, ArgumentMap],
    *,
    comparison: Comparison | None,
    findings: Sequence[Finding],
    locate: Locator,
    sides: Mapping[str, tuple[str, str]],
    register: Mapping[tuple[str, ...], str],
) -> FrontSection:
    """The front section of ``pack``.

    ``findings`` are the comparison's own bottom line (shown only when the pack
    has none); ``locate`` finds the figure or section that shows a node;
    ``sides`` maps each map id to (label, anchor) of the position (or map section)
    that presents it; ``register`` maps a source key to its register anchor.
    """

    def sub(anchor: str, text: str) -> Heading:
        return Heading(level=2, anchor=f"summary-{anchor}", number="", text=text)

    purpose, decision = clean(pack.purpose), clean(pack.decision)
    bottom = clean(pack.bottom_line)
    shown_findings = tuple(findings) if not bottom else ()
    judgements = tuple(_judgements(pack, maps, locate, sides))
    options = _options(pack, maps) if pack.positions else None
    analyses = () if pack.positions else tuple(_analyses(pack, maps, sides))
    actions = _actions(pack, maps, comparison, sides)
    indicators = tuple(_indicators(pack, judgements))
    sources = _sources(pack, maps, register)
    return FrontSection(
        heading=Heading(level=1, anchor="summary", number="", text="Summary"),
        decision_heading=sub("decision", "Purpose and decision") if purpose or decision else None,
        purpose=purpose,
        decision=decision,
        bottom_line_heading=sub("bottom-line", "Bottom line") if bottom or shown_findings else None,
        bottom_line=bottom,
        findings=shown_findings,
        judgements_heading=sub("judgements", "Key judgements") if judgements else None,
        judgements=judgements,
        legend=_legend(pack) if judgements else None,
        options_heading=(sub("options", "Options") if options else sub("analyses", "The analyses") if analyses else None),
        options=options,
        analyses=analyses,
        actions_heading=sub("recommendations", "Recommendations by actor") if actions else None,
        actions=actions,
        indicators_heading=sub("indicators", "Indicators to watch") if indicators else None,
        indicators=indicators,
        sources_heading=sub("sources", "Sources") if sources is not None else None,
        sources=sources,
    )


def _judgements(
    pack: Pack, maps: Mapping[str, ArgumentMap], locate: Locator, sides: Mapping[str, tuple[str, str]]
) -> Iterator[JudgementRow]:
    yardstick = YARDSTICKS.get(pack.yardstick or "icd-203", YARDSTICKS["icd-203"])
    for number, j in enumerate(pack.judgements, start=1):
        band = yardstick.band(j.likelihood)
        yield JudgementRow(
            number=number,
            anchor=f"judgement-{number}",
            text=sentence(clean(j.text)),
            likelihood=clean(j.likelihood),
            range=band.range if band is not None else "",
            confidence=clean(j.confidence),
            basis=tuple(_basis(ref, maps, locate, sides, bool(pack.positions)) for ref in j.basis),
            note=clean(j.note),
        )


def _basis(
    ref: str, maps: Mapping[str, ArgumentMap], locate: Locator, sides: Mapping[str, tuple[str, str]], positions: bool
) -> BasisRef:
    """``ref`` for a reader: the node's title, the position that argues it (packs with positions), where it is."""
    map_id, _, node_id = ref.partition(":")
    amap = maps.get(map_id)
    node = amap.nodes().get(node_id) if amap is not None else None
    return BasisRef(
        claim=node_title(node) if node is not None else clean(ref),
        side=sides.get(map_id, (clean(map_id), ""))[0] if positions else "",
        where=locate(map_id, node_id),
    )


def node_title(node: Claim | Evidence | Recommendation) -> str:
    """How a node is named for a reader: its label, or its text (a quote in quotation marks), shortened."""
    if isinstance(node, Evidence):
        return f"\u201c{shorten(clean(node.quote), 12)}\u201d" if node.quote else shorten(clean(node.text), 12)
    return clean(node.label) or shorten(clean(node.text), 12)


def _legend(pack: Pack) -> YardstickLegend:
    """The yardstick's terms and ranges; a synonym is listed only where a judgement uses it."""
    yardstick = YARDSTICKS.get(pack.yardstick or "icd-203", YARDSTICKS["icd-203"])
    used = {j.likelihood for j in pack.judgements}
    return YardstickLegend(
        name=yardstick.name,
        source=yardstick.note,
        bands=tuple(
            (" / ".join(s for s in band.spellings if s == band.term or s in used), band.range) for band in yardstick.bands
        ),
        confidence=CONFIDENCE_MEANING,
    )


def _options(pack: Pack, maps: Mapping[str, ArgumentMap]) -> OptionsTable:
    appraised = any(pos.appraisal is not None for pos in pack.positions)
    rows = []
    for pos in pack.positions:
        summary = clean(pos.summary)
        if not summary:
            first = next((maps[m] for m in pos.maps if m in maps), None)
            summary = sentence(clean(first.thesis.text)) if first is not None and first.thesis else ""
        cells = []
        for key in APPRAISAL_KEYS:
            rating = getattr(pos.appraisal, key) if pos.appraisal is not None else None
            value = rating.rating if rating is not None and rating.rating in RATING_WORDS else ""
            cells.append(
                RatingCell(
                    dimension=key,
                    rating=value,
                    word=RATING_WORDS.get(value, "Not appraised"),
                    symbol=RATING_SYMBOLS[value],
                    text=sentence(clean(rating.text)) if rating is not None else "",
                )
            )
        rows.append(
            OptionRow(
                position_id=pos.id,
                label=clean(pos.label) or pos.id,
                anchor=f"position-{pos.id}",
                summary=summary,
                cells=tuple(cells),
            )
        )
    return OptionsTable(
        columns=tuple((key, *DIMENSIONS[key]) for key in APPRAISAL_KEYS),
        rows=tuple(rows),
        appraised=appraised,
        legend="\u25cf\u25cf\u25cf high, \u25cf\u25cf\u25cb medium, \u25cf\u25cb\u25cb low: the dots count the rating, "
        "whichever way is better. Lower cost and risk are better; higher feasibility and reversibility are better.",
    )


def _analyses(pack: Pack, maps: Mapping[str, ArgumentMap], sides: Mapping[str, tuple[str, str]]) -> Iterator[Analysis]:
    for mid in pack.map_ids():
        amap = maps.get(mid)
        if amap is None:
            continue
        dated = parse_source_date(amap.source.date) if amap.source is not None else None
        yield Analysis(
            title=sides.get(mid, (clean(amap.title) or mid, ""))[0],
            anchor=sides.get(mid, ("", f"map-{mid}"))[1],
            thesis=sentence(clean(amap.thesis.text)) if amap.thesis else clean(amap.summary),
            date=dated.display() if dated is not None else "",
        )


def _actions(
    pack: Pack, maps: Mapping[str, ArgumentMap], comparison: Comparison | None, sides: Mapping[str, tuple[str, str]]
) -> tuple[ActorActions, ...]:
    """Recommendations by actor: the comparison's grouping for a pack with positions, the same rule across maps otherwise."""
    if comparison is not None and pack.positions:
        labels = {p.id: (clean(p.label) or p.id, f"position-{p.id}") for p in pack.positions}
        return tuple(
            ActorActions(
                actor=clean(row.actor),
                items=tuple(
                    ActionItem(side=labels[pid][0], anchor=labels[pid][1], text=sentence(clean(r.text)), priority=r.priority)
                    for pid, recs in row.by_position
                    for r in recs
                ),
            )
            for row in comparison.recommendations
        )
    groups: dict[str, list[ActionItem]] = {}
    names: dict[str, str] = {}
    for mid in pack.map_ids():
        amap = maps.get(mid)
        if amap is None:
            continue
        side, anchor = sides.get(mid, (clean(amap.title) or mid, f"map-{mid}"))
        for rec in amap.recommendations:
            key = actor_key(rec.actor)
            names.setdefault(key, clean(rec.actor) or "(no actor)")
            groups.setdefault(key, []).append(ActionItem(side=side, anchor=anchor, text=sentence(clean(rec.text)), priority=rec.priority))
    first = {key: k for k, key in enumerate(groups)}
    ordered = sorted(groups, key=lambda key: (-len({i.side for i in groups[key]}), first[key]))
    return tuple(ActorActions(actor=names[key], items=tuple(groups[key])) for key in ordered)


def _indicators(pack: Pack, judgements: Sequence[JudgementRow]) -> Iterator[IndicatorRow]:
    number = {j.id: k for k, j in enumerate(pack.judgements, start=1) if j.id}
    for ind in pack.indicators:
        k = number.get(ind.judgement)
        if k is None:
            continue  # validation reports it (ref.unknown-judgement)
        symbol, word = DIRECTION_SYMBOLS.get(ind.direction, ("", clean(ind.direction)))
        yield IndicatorRow(
            text=sentence(clean(ind.text)),
            judgement_number=k,
            judgement_anchor=judgements[k - 1].anchor,
            judgement=shorten(judgements[k - 1].text, 10),
            direction=ind.direction,
            symbol=symbol,
            word=word,
        )


def source_key(source: Source | None, amap: ArgumentMap) -> tuple[str, ...]:
    """What makes two citations the same source (the register lists each once)."""
    if source is None:
        return ("", clean(amap.title) or amap.id, "", "", "")
    return tuple(clean(v) for v in (source.author, source.title, source.publisher, source.date, source.url))


def _sources(pack: Pack, maps: Mapping[str, ArgumentMap], register: Mapping[tuple[str, ...], str]) -> SourcesNote | None:
    """Kinds, ages and inferred dates of the sources the pack's maps cite (each once)."""
    found: dict[tuple[str, ...], Source] = {}
    for mid in pack.map_ids():
        amap = maps.get(mid)
        if amap is None:
            continue
        for src, _, _ in amap.cited_sources():
            found.setdefault(source_key(src, amap), src)
    if not found:
        return None
    pack_day = parse_source_date(pack.date)
    on = pack_day.earliest if pack_day is not None else None
    months = pack.currency
    dated = [(parse_source_date(src.date), _source_row(src, key, on, months, register)) for key, src in found.items()]
    # Newest first, undated last: how current the pack's evidence is reads from the top.
    dated.sort(key=lambda dr: (dr[0] is None, -(dr[0].latest.toordinal() if dr[0] else 0), dr[1].title.casefold()))
    rows = [row for _, row in dated]
    dates = sorted(d for d, _ in dated if d is not None)
    return SourcesNote(summary=tuple(_sources_summary(pack, dates, rows, on, months)), rows=tuple(rows))


def _source_row(
    src: Source, key: tuple[str, ...], on: dt.date | None, months: int, register: Mapping[tuple[str, ...], str]
) -> SourceRow:
    dated = parse_source_date(src.date)
    return SourceRow(
        title=clean(src.title) or "(untitled)",
        anchor=register.get(key, ""),
        date=dated.display() if dated is not None else (clean(src.date) or "no date"),
        inferred=src.date_basis == "inferred",
        age=age_text(months_between(dated, on)) if dated is not None and on is not None else "",
        stale=bool(dated is not None and on is not None and stale(dated, on, months)),
        kind=clean(src.kind),
        reliability=clean(src.reliability),
    )


def _count(items: Sequence[str]) -> str:
    """``"analysis (4), opinion (1)"``: values by how often they occur, then alphabetically."""
    tally: dict[str, int] = {}
    for item in items:
        tally[item] = tally.get(item, 0) + 1
    return ", ".join(f"{k} ({n})" for k, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))


def _sources_summary(
    pack: Pack, dates: Sequence[SourceDate], rows: Sequence[SourceRow], on: dt.date | None, months: int
) -> Iterator[str]:
    n = len(rows)
    kinds = [r.kind for r in rows if r.kind]
    what = f"The pack's maps cite {n} source{'s' * (n != 1)}"
    yield what + (f": {_count(kinds)}." if kinds else ".")
    if dates:
        oldest, newest = dates[0], dates[-1]
        span = oldest.display() if oldest == newest else f"{oldest.display()} to {newest.display()}"
        line = f"They date from {span}"
        if on is not None:
            line += f"; the pack is dated {pack_date_text(pack)}"
        yield line + "."
    old = [r for r in rows if r.stale]
    if old:
        names = "; ".join(f"{r.title} ({r.date})" for r in old)
        yield f"{len(old)} {'is' if len(old) == 1 else 'are'} more than {months} months older than the pack: {names}."
    inferred = sum(r.inferred for r in rows)
    if inferred:
        all_of = "All" if inferred == n else f"{inferred} of {n}"
        yield (
            f"{all_of} dates are inferred from the texts, which state none; "
            "the source register gives the passage that dates each."
        )
    undated = sum(r.date == "no date" for r in rows)
    if undated:
        yield f"{undated} source{'s have' if undated != 1 else ' has'} no date."
    reliabilities = [r.reliability for r in rows if r.reliability]
    if reliabilities:
        yield f"Reliability: {_count(reliabilities)}."


def pack_date_text(pack: Pack) -> str:
    day = parse_source_date(pack.date)
    return day.display() if day is not None else clean(pack.date)
