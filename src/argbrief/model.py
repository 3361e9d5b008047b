"""The argument model: frozen attrs classes, no I/O.

A map is a tree rooted at one thesis plus recommendations that follow from it.
Claim kinds are classes (``Thesis``, ``Premise`` ...) so the kind is part of the
type; every claim class carries every child list so that a misplaced child (a
premise with rebuttals, say) loads and is reported by validation with its
location instead of failing the whole file.

Spans are excluded from equality: two maps are equal when their content is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import ClassVar, Literal, NamedTuple

import attrs
from attrs import field, frozen

Stance = Literal["yes", "no", "qualified"]
Strength = Literal["weak", "moderate", "strong"]
Priority = Literal["high", "medium", "low"]
Relation = Literal["attack", "undercut"]
Mutual = Literal["contrary", "contradictory"]

STANCES: tuple[str, ...] = ("yes", "no", "qualified")
STRENGTHS: tuple[str, ...] = ("weak", "moderate", "strong")
PRIORITIES: tuple[str, ...] = ("high", "medium", "low")
#: How two claims that attack each other are incompatible: they cannot both be true (contrary), or
#: exactly one of them is true (contradictory).
MUTUAL: tuple[str, ...] = ("contrary", "contradictory")
#: Source provenance (docs/format.md, "Sources and quotes").
DATE_BASES: tuple[str, ...] = ("stated", "inferred")
RELIABILITIES: tuple[str, ...] = ("high", "moderate", "low", "unknown")
#: Decision-ready packs (docs/format.md, "Judgements, indicators and appraisals").
RATINGS: tuple[str, ...] = ("low", "medium", "high")
DIRECTIONS: tuple[str, ...] = ("raises", "lowers")
APPRAISAL_KEYS: tuple[str, ...] = ("cost", "risk", "feasibility", "reversibility")


@frozen(order=True)
class SourceSpan:
    """Where something was written: file, 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


NOWHERE = SourceSpan("<unknown>")


def _span() -> SourceSpan:
    return field(default=NOWHERE, eq=False, repr=False, kw_only=True)


def _spans() -> Mapping[str, SourceSpan]:
    # Spans of individual keys and list items ("because.1"), for precise diagnostics.
    return field(factory=dict, eq=False, repr=False, kw_only=True, hash=False)


@frozen(kw_only=True)
class Source:
    """A citation; ``text`` is a path (relative to the file that names it) of the source text.

    ``date`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``date_basis`` says whether the
    source states it or the analyst inferred it (then ``date_note`` says how).
    """

    title: str = ""
    author: str = ""
    publisher: str = ""
    date: str = ""
    date_basis: str = ""
    date_note: str = ""
    kind: str = ""
    reliability: str = ""
    url: str = ""
    text: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    def citation(self) -> str:
        """A one-line human citation: author, title, publisher, date ("January 2025" for 2025-01)."""
        from .estimative import parse_source_date  # pure; imported here to keep the model's imports minimal

        day = parse_source_date(self.date) if self.date else None
        date = day.display() if day is not None else self.date
        parts = [p for p in (self.author, self.title, self.publisher, date) if p]
        return ", ".join(parts)


@frozen(kw_only=True)
class Evidence:
    """A fact, figure or quote from a source. A leaf."""

    kind: ClassVar[str] = "evidence"
    id: str = ""
    quote: str = ""
    text: str = ""
    # A Source, or the key of an entry in the map's ``sources`` table.
    source: Source | str | None = None
    locator: str = ""
    strength: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    @property
    def label(self) -> str:
        return ""

    @property
    def display_text(self) -> str:
        return self.quote or self.text


@frozen(kw_only=True)
class Answer:
    """A claim's stance on one pack question, and the passage or reasoning it rests on.

    ``answers: {q: qualified}`` (the short form) is an answer with a stance only;
    the long form ``{q: {stance: qualified, quote: "...", note: "..."}}`` adds a
    verbatim quote from the map's source (or the ``source`` named, as for
    evidence; checked like evidence quotes, its ``locator`` filled in) and an
    analyst's note saying why.
    """

    stance: str = ""
    quote: str = ""
    # Like evidence: a Source, or the key of an entry in the map's ``sources`` table;
    # the map's own source when left out.
    source: Source | str | None = None
    locator: str = ""
    note: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    @property
    def short(self) -> bool:
        """Whether the short form says all of it (a stance and nothing else)."""
        return not (self.quote or self.note or self.locator or self.source is not None)


def _answers(value: Mapping[str, Answer | str]) -> dict[str, Answer]:
    """``answers`` as :class:`Answer` values: code may give a plain stance, as YAML's short form does."""
    return {q: a if isinstance(a, Answer) else Answer(stance=a) for q, a in value.items()}


@frozen(kw_only=True)
class Claim:
    """Common shape of thesis, premise, assumption, objection and rebuttal."""

    kind: ClassVar[str] = "claim"
    id: str = ""
    text: str = ""
    label: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    answers: dict[str, Answer] = field(factory=dict, hash=False, converter=_answers)
    also_supports: tuple[str, ...] = ()
    also_attacks: tuple[str, ...] = ()
    relation: str = ""
    #: Attacks of this claim that go both ways: attacked claim id -> "contrary" or "contradictory".
    mutual: dict[str, str] = field(factory=dict, hash=False)
    #: The claim stands for an argument (a titled inference: Argdown's ``<Argument>``), not a statement;
    #: its linked premises are its premise-conclusion structure.
    argument: bool = False
    premises: tuple[Premise | Group, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    objections: tuple[Objection, ...] = ()
    rebuttals: tuple[Rebuttal, ...] = ()
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    def stance(self, question_id: str) -> str:
        """This claim's stance on ``question_id`` ('' when it does not answer it)."""
        answer = self.answers.get(question_id)
        return answer.stance if answer is not None else ""

    def children(self) -> Iterator[tuple[Node, str]]:
        """Direct children with the relation each has to this claim, in authored order.

        Members of a linked group are yielded individually with relation
        ``"supports"``; use :attr:`premises` to see the groups themselves.
        """
        for item in self.premises:
            if isinstance(item, Group):
                for member in item.members:
                    yield member, "supports"
            else:
                yield item, "supports"
        for a in self.assumptions:
            yield a, "supports"
        for e in self.evidence:
            yield e, "supports"
        for o in self.objections:
            yield o, o.relation or "attack"
        for r in self.rebuttals:
            yield r, r.relation or "attack"


@frozen(kw_only=True)
class Thesis(Claim):
    kind: ClassVar[str] = "thesis"


@frozen(kw_only=True)
class Premise(Claim):
    kind: ClassVar[str] = "premise"


@frozen(kw_only=True)
class Assumption(Claim):
    kind: ClassVar[str] = "assumption"


@frozen(kw_only=True)
class Objection(Claim):
    kind: ClassVar[str] = "objection"


@frozen(kw_only=True)
class Rebuttal(Claim):
    kind: ClassVar[str] = "rebuttal"


@frozen(kw_only=True)
class Group:
    """Linked premises: they support their parent only together."""

    kind: ClassVar[str] = "group"
    members: tuple[Premise, ...] = ()
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()


@frozen(kw_only=True)
class Section:
    """A heading that groups claims: the claims tagged with its title stand under it."""

    kind: ClassVar[str] = "section"
    title: str = ""
    sections: tuple[Section, ...] = ()
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    def walk(self) -> Iterator[tuple[Section, int]]:
        """This section and those inside it, in order, with their levels (this one's is 1)."""
        stack: list[tuple[Section, int]] = [(self, 1)]
        while stack:
            section, level = stack.pop()
            yield section, level
            stack.extend((s, level + 1) for s in reversed(section.sections))


@frozen(kw_only=True)
class Recommendation:
    """An action the thesis argues for: who should act, and what they should do."""

    kind: ClassVar[str] = "recommendation"
    id: str = ""
    actor: str = ""
    text: str = ""
    because: tuple[str, ...] = ()
    priority: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    @property
    def label(self) -> str:
        return ""


Node = Claim | Evidence | Recommendation


@frozen(kw_only=True)
class Ignore:
    """A reasoned exception: a rule (a diagnostic code, or a prefix like ``quote.``) that does not apply to this map."""

    code: str = ""
    reason: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()


@frozen(kw_only=True)
class ArgumentMap:
    """One article or position, as authored."""

    id: str = ""
    title: str = ""
    subtitle: str = ""
    author: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    source: Source | None = None
    sources: dict[str, Source] = field(factory=dict, hash=False)
    position: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    #: Rules that do not apply to this map, each with its reason (``check`` leaves their diagnostics out).
    ignore: tuple[Ignore, ...] = ()
    thesis: Thesis | None = None
    recommendations: tuple[Recommendation, ...] = ()
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    def walk(self) -> Iterator[Walked]:
        """Every node in document order (depth first), with its parent and relation."""
        if self.thesis is not None:
            stack: list[Walked] = [Walked(self.thesis, None, "root", 0)]
            new = tuple.__new__  # Walked(...) without its Python-level __new__: one call less per node
            while stack:
                item = stack.pop()
                yield item
                node = item[0]  # item.node, by index: a named tuple's fields are looked up by name each time
                # Most claims are leaves: no generator and list made for them.
                if isinstance(node, Claim) and (node.premises or node.assumptions or node.evidence or node.objections or node.rebuttals):
                    depth = item[3] + 1
                    stack += reversed([new(Walked, (c, node, rel, depth)) for c, rel in node.children()])
        for rec in self.recommendations:
            yield Walked(rec, self.thesis, "follows", 1)

    def nodes(self) -> dict[str, Node]:
        """Nodes by id (first occurrence wins; duplicates are a validation error)."""
        index: dict[str, Node] = {}
        for w in self.walk():
            if w.node.id and w.node.id not in index:
                index[w.node.id] = w.node
        return index

    def all_sections(self) -> Iterator[tuple[Section, int]]:
        """Every section, depth first in document order, with its level (1 for a top-level section)."""
        for top in self.sections:
            yield from top.walk()

    def cited_sources(self, walked: Iterable[Walked] | None = None) -> Iterator[tuple[Source, str, Evidence | Answer | None]]:
        """Every citation the map holds, once each: (source, its key in ``sources`` or '', the
        evidence item or answer that gives it inline, or None). The map's own source comes first.

        ``walked``: this map's :meth:`walk`, when the caller has it already (a big map's walk takes a while).
        """
        seen: set[int] = set()
        if self.source is not None:
            seen.add(id(self.source))
            yield self.source, "", None
        for key, src in self.sources.items():
            if id(src) not in seen:
                seen.add(id(src))
                yield src, key, None
        for w in self.walk() if walked is None else walked:
            node = w.node
            if isinstance(node, Evidence):
                givers: Iterable[Evidence | Answer] = (node,)
            elif isinstance(node, Claim) and node.answers:
                givers = [a for _, a in sorted(node.answers.items())]
            else:
                continue  # most nodes: nothing to make (this runs on every check)
            for giver in givers:
                if isinstance(giver.source, Source) and id(giver.source) not in seen:
                    seen.add(id(giver.source))
                    yield giver.source, "", giver

    def resolve_source(self, ev: Evidence | Answer) -> Source | None:
        """The citation that applies to ``ev`` (evidence or an answer's quote): its own, a named one, or the map's."""
        if isinstance(ev.source, Source):
            return ev.source
        if isinstance(ev.source, str):
            return self.sources.get(ev.source)
        return self.source


class Walked(NamedTuple):
    """One step of :meth:`ArgumentMap.walk`: a node, its parent and how it relates to it.

    A named tuple, not an attrs class: a walk makes one per node, and a tuple is
    made at half the cost (a 50,000-node map is walked on every check).
    """

    node: Node
    parent: Claim | None
    relation: str
    depth: int


@frozen(kw_only=True)
class Rating:
    """One line of an option's appraisal: low, medium or high, and a sentence saying why."""

    kind: ClassVar[str] = "rating"
    rating: str = ""
    text: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()


@frozen(kw_only=True)
class Appraisal:
    """A position appraised as an option: its cost, risk, feasibility and reversibility."""

    kind: ClassVar[str] = "appraisal"
    cost: Rating | None = None
    risk: Rating | None = None
    feasibility: Rating | None = None
    reversibility: Rating | None = None
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    def items(self) -> tuple[tuple[str, Rating | None], ...]:
        """(dimension, rating or None) in the order of :data:`APPRAISAL_KEYS`."""
        return tuple((key, getattr(self, key)) for key in APPRAISAL_KEYS)


@frozen(kw_only=True)
class Position:
    id: str = ""
    label: str = ""
    summary: str = ""
    maps: tuple[str, ...] = ()
    appraisal: Appraisal | None = None
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()


@frozen(kw_only=True)
class Question:
    id: str = ""
    text: str = ""
    note: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()


@frozen(kw_only=True)
class Judgement:
    """A key judgement: the analyst's assessment, how likely it is, how sure the basis is, and what it rests on.

    ``likelihood`` is a term of the pack's yardstick; ``confidence`` is low,
    moderate or high; ``basis`` lists ``map-id:node-id`` references.
    """

    kind: ClassVar[str] = "judgement"
    id: str = ""
    text: str = ""
    likelihood: str = ""
    confidence: str = ""
    basis: tuple[str, ...] = ()
    note: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()


@frozen(kw_only=True)
class Indicator:
    """Something to watch for: seeing it ``raises`` or ``lowers`` the likelihood of a judgement."""

    kind: ClassVar[str] = "indicator"
    id: str = ""
    text: str = ""
    judgement: str = ""
    direction: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()


#: How many months a source stays current when the pack does not say (``currency_months``).
DEFAULT_CURRENCY_MONTHS = 12


@frozen(kw_only=True)
class Pack:
    """A briefing pack: positions (each argued by maps) compared on questions, and the analyst's judgements."""

    id: str = ""
    title: str = ""
    subtitle: str = ""
    audience: str = ""
    author: str = ""
    date: str = ""
    marking: str = ""
    formats: tuple[str, ...] = ()
    theme: str = ""
    page: str = ""
    purpose: str = ""
    decision: str = ""
    bottom_line: str = ""
    positions: tuple[Position, ...] = ()
    maps: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    yardstick: str = ""
    judgements: tuple[Judgement, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    #: Text like every value; a whole number of months (validation says when it is not).
    currency_months: str = ""
    #: A git revision or an earlier pack file: the pack then says what changed since (docs/diff.md).
    changes_since: str = ""
    span: SourceSpan = _span()
    spans: Mapping[str, SourceSpan] = _spans()

    @property
    def currency(self) -> int:
        """``currency_months`` as a number (the default when it is missing or not a whole number)."""
        value = self.currency_months.strip()
        return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_CURRENCY_MONTHS

    def map_ids(self) -> tuple[str, ...]:
        """Every map the pack uses, positions first, without repeats, in authored order."""
        seen: dict[str, None] = {}
        for pos in self.positions:
            for m in pos.maps:
                seen.setdefault(m, None)
        for m in self.maps:
            seen.setdefault(m, None)
        return tuple(seen)


CLAIM_CLASSES: dict[str, type[Claim]] = {
    c.kind: c for c in (Thesis, Premise, Assumption, Objection, Rebuttal)
}

# Which child lists each kind may have (docs/format.md, "Claims: kinds and what they may contain").
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    "thesis": frozenset({"premises", "assumptions", "evidence", "objections"}),
    "premise": frozenset({"premises", "assumptions", "evidence", "objections"}),
    "assumption": frozenset({"premises", "evidence", "objections"}),
    "objection": frozenset({"premises", "evidence", "rebuttals"}),
    "rebuttal": frozenset({"premises", "evidence", "objections"}),
}

CHILD_LISTS: tuple[str, ...] = ("premises", "assumptions", "evidence", "objections", "rebuttals")


def evolve(inst, **changes):  # re-exported for users who want to build maps in code
    return attrs.evolve(inst, **changes)
