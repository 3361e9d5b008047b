"""Compare a pack's positions: questions x positions, agreement and clash, evidence on each side.

The analysis is pure: :func:`build_comparison` takes a pack and its maps and
returns a frozen :class:`Comparison`; :mod:`.report` turns one into JSON,
Markdown or a rich table.  docs/compare.md documents
the rules and the JSON schema.

Polarity decides what a position says.  Every node of a map is *for* the
position (endorsed) or *against* it, counted along the tree from the thesis:
``supports`` edges keep the side, ``attack``/``undercut`` edges switch it.  So
the thesis, its premises, assumptions and the rebuttals of objections are
endorsed; objections, their premises and objections to rebuttals are not.
Only endorsed claims' ``answers`` make a position's stance; answers on claims
the position argues against are kept apart (``Cell.opposed``) and never count.
Cross-links (``also_supports``/``also_attacks``) are not followed: polarity,
support subtrees and objections all follow the authored tree.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from ..diagnostics import Diagnostic, Severity
from ..model import (
    NOWHERE,
    STANCES,
    STRENGTHS,
    ArgumentMap,
    Claim,
    Evidence,
    Node,
    Pack,
    Position,
    Question,
    Recommendation,
    SourceSpan,
)
from ..quotes import normalise

if TYPE_CHECKING:  # only for type hints; compare stays free of project loading
    from ..project import Workspace

YES, NO, QUALIFIED, MIXED, SILENT = "yes", "no", "qualified", "mixed", "silent"
#: Every value a cell's stance can take, in display order.
CELL_STANCES: tuple[str, ...] = (YES, NO, QUALIFIED, MIXED, SILENT)

#: Per-question verdicts (see :class:`QuestionResult`).
VERDICTS: tuple[str, ...] = ("clash", "agreement", "divergence", "single", "unanswered")

#: Symbols that read without colour; ASCII ones for terminals that cannot show the others.
SYMBOLS: dict[str, str] = {YES: "✓", NO: "✗", QUALIFIED: "~", MIXED: "±", SILENT: "—"}
ASCII_SYMBOLS: dict[str, str] = {YES: "Y", NO: "N", QUALIFIED: "~", MIXED: "+-", SILENT: "-"}

ATTACKS = ("attack", "undercut")

#: Shortest run of characters two quotes must share at their ends to count as one passage.
MIN_OVERLAP = 20

JSON_VERSION = 1


# --- the comparison model -------------------------------------------------------------


@frozen(kw_only=True)
class EvidenceItem:
    """One evidence item as a comparison cites it: the quote, its citation and where it is."""

    map_id: str
    id: str
    quote: str
    text: str
    citation: str
    url: str = ""
    locator: str = ""
    strength: str = ""
    #: Project-relative path of the source text file ("" when the source names none).
    source_file: str = ""
    span: SourceSpan = field(default=NOWHERE, eq=False)


@frozen(kw_only=True)
class ObjectionRef:
    """An objection (or any attacker) of an endorsed claim, and the claim it attacks."""

    map_id: str
    id: str
    kind: str
    label: str
    text: str
    relation: str
    target_id: str
    span: SourceSpan = field(default=NOWHERE, eq=False)


@frozen(kw_only=True)
class ClaimRef:
    """A claim with what backs it: evidence in its support subtree and unanswered objections.

    The support subtree is the claim and everything below it along ``supports``
    edges (premises, group members, assumptions, evidence); objections and
    rebuttals are not part of it.  An objection is unanswered when nothing
    attacks it (no rebuttal).
    """

    map_id: str
    id: str
    kind: str
    label: str
    text: str
    endorsed: bool
    #: (question id, stance) for the pack's questions this claim answers, in pack order.
    answers: tuple[tuple[str, str], ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    unanswered_objections: tuple[ObjectionRef, ...] = ()
    #: (index of the map in its position, index in document order): the tie-breaker.
    order: tuple[int, int] = (0, 0)
    span: SourceSpan = field(default=NOWHERE, eq=False)

    @property
    def evidence_count(self) -> int:
        return len(self.evidence)

    @property
    def strongest_strength(self) -> str:
        return strongest_strength(self.evidence)

    @property
    def title(self) -> str:
        """The label when there is one, else the text."""
        return self.label or self.text

    def stance_on(self, question_id: str) -> str:
        """This claim's answer to ``question_id``, or ''."""
        return dict(self.answers).get(question_id, "")


@frozen(kw_only=True)
class Cell:
    """One question x one position.

    ``stance`` is the position's answer: the single stance its endorsed claims
    give, ``qualified`` when they give one direction and ``qualified``,
    ``mixed`` when they say both ``yes`` and ``no``, ``silent`` when none
    answers.  ``strongest`` is the claim with most evidence (then document
    order), for side-by-side pages.
    """

    question_id: str
    position_id: str
    stance: str
    claims: tuple[ClaimRef, ...] = ()
    #: Claims the position argues against that answer the question; they do not count.
    opposed: tuple[ClaimRef, ...] = ()

    @property
    def strongest(self) -> ClaimRef | None:
        if not self.claims:
            return None
        return min(self.claims, key=lambda c: (-c.evidence_count, c.order))

    @property
    def evidence(self) -> tuple[EvidenceItem, ...]:
        """Evidence backing the answering claims, without repeats, in document order."""
        seen: dict[tuple[str, str, str], EvidenceItem] = {}
        for claim in self.claims:
            for ev in claim.evidence:
                seen.setdefault(_evidence_key(ev), ev)
        return tuple(seen.values())

    @property
    def evidence_count(self) -> int:
        return len(self.evidence)

    @property
    def strongest_strength(self) -> str:
        return strongest_strength(self.evidence)

    @property
    def unanswered_objections(self) -> tuple[ObjectionRef, ...]:
        seen: dict[tuple[str, str, str], ObjectionRef] = {}
        for claim in self.claims:
            for o in claim.unanswered_objections:
                seen.setdefault((o.map_id, o.id, o.text), o)
        return tuple(seen.values())


@frozen(kw_only=True)
class QuestionResult:
    """How the positions relate on one question.

    * ``agreement``: at least two positions speak and all take one stance
      (not ``mixed``); one voice alone is not agreement.
    * ``clash``: one position says ``yes`` and another ``no``.
    * ``gap``: some position is silent.
    * ``verdict``: one word for tables: ``clash``, ``agreement``, ``divergence``
      (they speak, differ, but no yes-vs-no), ``single`` (one position speaks)
      or ``unanswered`` (nobody does).  ``gap`` is reported beside it.
    """

    question: Question
    stances: tuple[tuple[str, str], ...]  # (position id, stance), in pack order

    def stance_of(self, position_id: str) -> str:
        return dict(self.stances).get(position_id, SILENT)

    def positions_with(self, stance: str) -> tuple[str, ...]:
        return tuple(p for p, s in self.stances if s == stance)

    @property
    def speaking(self) -> tuple[str, ...]:
        return tuple(p for p, s in self.stances if s != SILENT)

    @property
    def silent(self) -> tuple[str, ...]:
        return self.positions_with(SILENT)

    @property
    def agreement(self) -> bool:
        said = {s for s in dict(self.stances).values() if s != SILENT}
        return len(self.speaking) >= 2 and len(said) == 1 and said != {MIXED}

    @property
    def clash(self) -> bool:
        return bool(self.positions_with(YES)) and bool(self.positions_with(NO))

    @property
    def gap(self) -> bool:
        return bool(self.silent)

    @property
    def verdict(self) -> str:
        if self.clash:
            return "clash"
        if self.agreement:
            return "agreement"
        if len(self.speaking) >= 2:
            return "divergence"
        return "single" if self.speaking else "unanswered"


@frozen(kw_only=True)
class RecommendationRef:
    """A recommendation, and whether its ``because`` ids lead to the thesis.

    It traces when it names at least one id and every id is an endorsed node
    of its map (a premise, assumption, rebuttal, evidence or the thesis: each
    reaches the thesis on the position's side), or another recommendation that
    traces.  ``problems`` says why it does not.
    """

    map_id: str
    id: str
    actor: str
    text: str
    priority: str = ""
    because: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    span: SourceSpan = field(default=NOWHERE, eq=False)

    @property
    def traces(self) -> bool:
        return not self.problems


@frozen(kw_only=True)
class Health:
    """How well one position's case is made (endorsed claims of all its maps)."""

    position_id: str
    premises: tuple[ClaimRef, ...] = ()
    assumptions: tuple[ClaimRef, ...] = ()
    unanswered_objections: tuple[ObjectionRef, ...] = ()
    recommendations: tuple[RecommendationRef, ...] = ()
    #: Questions on which the position's own claims say both yes and no.
    mixed_questions: tuple[str, ...] = ()
    #: Evidence items that back endorsed claims.
    evidence_count: int = 0

    @property
    def premises_with_evidence(self) -> tuple[ClaimRef, ...]:
        return tuple(p for p in self.premises if p.evidence)

    @property
    def unbacked_premises(self) -> tuple[ClaimRef, ...]:
        return tuple(p for p in self.premises if not p.evidence)

    @property
    def evidence_share(self) -> float | None:
        """Share of premises with evidence in their support subtree; None without premises."""
        if not self.premises:
            return None
        return len(self.premises_with_evidence) / len(self.premises)

    @property
    def traced_recommendations(self) -> tuple[RecommendationRef, ...]:
        return tuple(r for r in self.recommendations if r.traces)


@frozen(kw_only=True)
class EvidenceUse:
    """One use of a shared passage: which position and claim it backs, and on which side.

    ``side`` is ``for`` when the backed claim is endorsed by the using position
    and ``against`` when the position's map raises it as the other side's
    point.  ``answers`` are the answers of the claims the evidence backs, up
    the support chain to the first attack edge (or the thesis).
    """

    position_id: str
    evidence: EvidenceItem
    claim_id: str
    claim_label: str
    side: str
    answers: tuple[tuple[str, str], ...] = ()


@frozen(kw_only=True)
class SharedEvidence:
    """A source passage that more than one position uses.

    Uses belong together when they cite the same source text file and their
    normalised quotes overlap (one contains the other, or they share at least
    :data:`MIN_OVERLAP` characters at their ends).  ``clash_questions`` lists
    the questions a use serves on which two using positions say yes and no:
    the passage is used to opposite ends.
    """

    source_file: str
    citation: str
    passage: str
    uses: tuple[EvidenceUse, ...]
    clash_questions: tuple[str, ...] = ()

    @property
    def positions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u.position_id for u in self.uses))

    @property
    def opposite_ends(self) -> bool:
        return bool(self.clash_questions)


@frozen(kw_only=True)
class ActorRow:
    """One actor's recommendations, per position (recommendations side by side)."""

    actor: str
    by_position: tuple[tuple[str, tuple[RecommendationRef, ...]], ...]

    def of(self, position_id: str) -> tuple[RecommendationRef, ...]:
        return dict(self.by_position).get(position_id, ())


@frozen(kw_only=True)
class Comparison:
    """A pack's positions compared on its questions (see the module docstring for the rules)."""

    pack_id: str
    title: str = ""
    subtitle: str = ""
    positions: tuple[Position, ...] = ()
    questions: tuple[Question, ...] = ()
    cells: tuple[Cell, ...] = ()  # question-major, pack order
    results: tuple[QuestionResult, ...] = ()
    health: tuple[Health, ...] = ()
    shared_evidence: tuple[SharedEvidence, ...] = ()
    recommendations: tuple[ActorRow, ...] = ()

    def cell(self, question_id: str, position_id: str) -> Cell:
        """The cell of one question and one position (KeyError when either is unknown)."""
        for c in self.cells:
            if c.question_id == question_id and c.position_id == position_id:
                return c
        raise KeyError((question_id, position_id))

    def row(self, question_id: str) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.question_id == question_id)

    def result(self, question_id: str) -> QuestionResult:
        for r in self.results:
            if r.question.id == question_id:
                return r
        raise KeyError(question_id)

    def health_of(self, position_id: str) -> Health:
        for h in self.health:
            if h.position_id == position_id:
                return h
        raise KeyError(position_id)

    def position(self, position_id: str) -> Position:
        for p in self.positions:
            if p.id == position_id:
                return p
        raise KeyError(position_id)

    @property
    def clashes(self) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if r.clash)

    @property
    def gaps(self) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if r.gap)

    @property
    def agreements(self) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if r.agreement)

    def clash_sides(self, question_id: str) -> tuple[tuple[Cell, ...], tuple[Cell, ...]]:
        """The cells saying ``yes`` and the cells saying ``no`` on one question."""
        row = self.row(question_id)
        return tuple(c for c in row if c.stance == YES), tuple(c for c in row if c.stance == NO)


def strongest_strength(evidence: Iterable[EvidenceItem]) -> str:
    """The highest ``strength`` among ``evidence`` ('' when none states one)."""
    best = ""
    for ev in evidence:
        if ev.strength in STRENGTHS and (not best or STRENGTHS.index(ev.strength) > STRENGTHS.index(best)):
            best = ev.strength
    return best


def combine_stances(stances: Iterable[str]) -> str:
    """A position's stance from its endorsed claims' answers.

    One stance is that stance; ``yes`` or ``no`` together with ``qualified``
    is ``qualified`` (the position says it with a reservation); ``yes``
    together with ``no`` is ``mixed`` (the case contradicts itself); none is
    ``silent``.
    """
    said = set(stances)
    if not said:
        return SILENT
    if YES in said and NO in said:
        return MIXED
    if len(said) == 1:
        return next(iter(said))
    return QUALIFIED


# --- one map, indexed ----------------------------------------------------------------


@frozen
class _Entry:
    node: Node
    parent: int  # -1 for the thesis
    relation: str  # supports | attack | undercut | root
    opposed: bool  # reached through an odd number of attack/undercut edges
    depth: int
    children: tuple[int, ...]


@frozen
class _MapIndex:
    """A map's tree in document order, with each node's side and support subtree."""

    amap: ArgumentMap
    order: int  # index of the map among its position's maps
    entries: tuple[_Entry, ...]
    support_evidence: tuple[tuple[int, ...], ...]
    support_claims: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, amap: ArgumentMap, order: int = 0) -> _MapIndex:
        raw: list[list[Any]] = []  # [node, parent, relation, opposed, depth, children]
        if amap.thesis is not None:
            # Iterative pre-order, the same order as ArgumentMap.walk(); no recursion limit.
            stack: list[tuple[Node, int, str, bool, int]] = [(amap.thesis, -1, "root", False, 0)]
            while stack:
                node, parent, relation, opposed, depth = stack.pop()
                index = len(raw)
                raw.append([node, parent, relation, opposed, depth, []])
                if parent >= 0:
                    raw[parent][5].append(index)
                if isinstance(node, Claim):
                    kids = [(c, index, rel, opposed != (rel in ATTACKS), depth + 1) for c, rel in node.children()]
                    stack.extend(reversed(kids))
        entries = tuple(_Entry(n, p, r, o, d, tuple(c)) for n, p, r, o, d, c in raw)
        # Children come after their parent in pre-order: fill subtrees from the end.
        evidence: list[tuple[int, ...]] = [()] * len(entries)
        claims: list[tuple[int, ...]] = [()] * len(entries)
        for i in reversed(range(len(entries))):
            e = entries[i]
            if isinstance(e.node, Evidence):
                evidence[i] = (i,)
                continue
            below = [c for c in e.children if entries[c].relation == "supports"]
            evidence[i] = tuple(sorted(x for c in below for x in evidence[c]))
            claims[i] = (i, *sorted(x for c in below for x in claims[c]))
        return cls(amap, order, entries, tuple(evidence), tuple(claims))

    def attackers(self, i: int) -> tuple[int, ...]:
        return tuple(c for c in self.entries[i].children if self.entries[c].relation in ATTACKS)

    def answered(self, i: int) -> bool:
        return bool(self.attackers(i))

    def unanswered_against(self, i: int) -> tuple[int, ...]:
        """Unanswered attackers of claim ``i`` and of the claims in its support subtree."""
        return tuple(a for c in self.support_claims[i] for a in self.attackers(c) if not self.answered(a))

    def claim_indices(self) -> Iterable[int]:
        return (i for i, e in enumerate(self.entries) if isinstance(e.node, Claim))


class _Builder:
    """Turns indexed maps into the comparison's reference objects (no state beyond its inputs)."""

    def __init__(self, questions: Sequence[Question], map_dirs: Mapping[str, str]) -> None:
        self.question_ids = tuple(q.id for q in questions)
        self.map_dirs = map_dirs

    def evidence(self, mi: _MapIndex, i: int) -> EvidenceItem:
        ev = mi.entries[i].node
        assert isinstance(ev, Evidence)
        src = mi.amap.resolve_source(ev)
        source_file = ""
        if src is not None and src.text:
            base = self.map_dirs.get(mi.amap.id, "")
            source_file = posixpath.normpath(posixpath.join(base, src.text.replace("\\", "/")))
        return EvidenceItem(
            map_id=mi.amap.id,
            id=ev.id,
            quote=ev.quote,
            text=ev.text,
            citation=src.citation() if src is not None else "",
            url=src.url if src is not None else "",
            locator=ev.locator,
            strength=ev.strength,
            source_file=source_file,
            span=ev.span,
        )

    def objection(self, mi: _MapIndex, i: int) -> ObjectionRef:
        e = mi.entries[i]
        node = e.node
        assert isinstance(node, Claim)
        target = mi.entries[e.parent].node
        return ObjectionRef(
            map_id=mi.amap.id,
            id=node.id,
            kind=node.kind,
            label=node.label,
            text=node.text,
            relation=e.relation,
            target_id=target.id,
            span=node.span,
        )

    def answers(self, claim: Claim) -> tuple[tuple[str, str], ...]:
        # Stances other than yes/no/qualified are validation errors (schema.bad-value); skip them here.
        return tuple((q, claim.answers[q]) for q in self.question_ids if claim.answers.get(q) in STANCES)

    def claim(self, mi: _MapIndex, i: int) -> ClaimRef:
        e = mi.entries[i]
        node = e.node
        assert isinstance(node, Claim)
        return ClaimRef(
            map_id=mi.amap.id,
            id=node.id,
            kind=node.kind,
            label=node.label,
            text=node.text,
            endorsed=not e.opposed,
            answers=self.answers(node),
            # Evidence on the claim itself first, then deeper down; document order within a level.
            evidence=tuple(
                self.evidence(mi, x) for x in sorted(mi.support_evidence[i], key=lambda x: (mi.entries[x].depth, x))
            ),
            unanswered_objections=tuple(self.objection(mi, a) for a in mi.unanswered_against(i)),
            order=(mi.order, i),
            span=node.span,
        )

    def recommendation(self, mi: _MapIndex, rec: Recommendation) -> RecommendationRef:
        return RecommendationRef(
            map_id=mi.amap.id,
            id=rec.id,
            actor=rec.actor,
            text=rec.text,
            priority=rec.priority,
            because=rec.because,
            problems=_trace_problems(mi, rec),
            span=rec.span,
        )


def _trace_problems(mi: _MapIndex, rec: Recommendation) -> tuple[str, ...]:
    """Why ``rec`` does not trace to its map's thesis (empty when it does)."""
    nodes: dict[str, int] = {}
    for i, e in enumerate(mi.entries):
        if e.node.id:
            nodes.setdefault(e.node.id, i)
    recs = {r.id: r for r in mi.amap.recommendations if r.id}
    problems: list[str] = []
    if not rec.because:
        problems.append("its 'because' names nothing")
    # Follow recommendation-to-recommendation references with a seen set (no cycles possible).
    todo = [(rec.id, t) for t in rec.because]
    seen: set[str] = {rec.id}
    while todo:
        owner, target = todo.pop(0)
        if target in nodes:
            entry = mi.entries[nodes[target]]
            if entry.opposed:
                kind = entry.node.kind
                article = "an" if kind[0] in "aeiou" else "a"
                problems.append(f"'{target}' is {article} {kind} the position argues against")
        elif target in recs:
            if target in seen:
                problems.append(f"'{target}' leads back to '{owner}'")
            else:
                seen.add(target)
                todo.extend((target, t) for t in recs[target].because)
        else:
            problems.append(f"'{target}' is not a node of map '{mi.amap.id}'")
    return tuple(dict.fromkeys(problems))


# --- building the comparison ----------------------------------------------------------


def build_comparison(
    pack: Pack,
    maps: Mapping[str, ArgumentMap],
    map_dirs: Mapping[str, str] | None = None,
) -> Comparison:
    """Compare ``pack``'s positions on its questions, using ``maps`` by id.

    ``map_dirs`` gives, per map id, the folder of its file relative to the
    project root (posix style); it is only used to tell when two maps quote
    the same source text file.  Without it, source text paths are taken as
    written.  Maps a position names that are not in ``maps`` are skipped
    (validation reports them as ``ref.unknown-map``).
    """
    builder = _Builder(pack.questions, map_dirs or {})
    indexed: dict[str, tuple[_MapIndex, ...]] = {
        pos.id: tuple(_MapIndex.of(maps[m], k) for k, m in enumerate(pos.maps) if m in maps)
        for pos in pack.positions
    }
    endorsed: dict[str, tuple[ClaimRef, ...]] = {}
    opposed: dict[str, tuple[ClaimRef, ...]] = {}
    for pos in pack.positions:
        answering = [
            (mi, i) for mi in indexed[pos.id] for i in mi.claim_indices() if builder.answers(mi.entries[i].node)
        ]
        endorsed[pos.id] = tuple(builder.claim(mi, i) for mi, i in answering if not mi.entries[i].opposed)
        opposed[pos.id] = tuple(builder.claim(mi, i) for mi, i in answering if mi.entries[i].opposed)

    cells: list[Cell] = []
    results: list[QuestionResult] = []
    for q in pack.questions:
        row: list[Cell] = []
        for pos in pack.positions:
            claims = tuple(c for c in endorsed[pos.id] if c.stance_on(q.id))
            row.append(
                Cell(
                    question_id=q.id,
                    position_id=pos.id,
                    stance=combine_stances(c.stance_on(q.id) for c in claims),
                    claims=claims,
                    opposed=tuple(c for c in opposed[pos.id] if c.stance_on(q.id)),
                )
            )
        cells.extend(row)
        results.append(QuestionResult(question=q, stances=tuple((c.position_id, c.stance) for c in row)))

    health = tuple(
        _health(pos, indexed[pos.id], builder, [c for c in cells if c.position_id == pos.id])
        for pos in pack.positions
    )
    return Comparison(
        pack_id=pack.id,
        title=pack.title,
        subtitle=pack.subtitle,
        positions=pack.positions,
        questions=pack.questions,
        cells=tuple(cells),
        results=tuple(results),
        health=health,
        shared_evidence=_shared_evidence(pack, indexed, builder, results),
        recommendations=_actor_rows(pack, indexed, builder),
    )


def _health(pos: Position, indexed: Sequence[_MapIndex], builder: _Builder, cells: Sequence[Cell]) -> Health:
    premises: list[ClaimRef] = []
    assumptions: list[ClaimRef] = []
    against: list[ObjectionRef] = []
    recommendations: list[RecommendationRef] = []
    evidence = 0
    for mi in indexed:
        for i, e in enumerate(mi.entries):
            if e.opposed:
                continue
            if e.node.kind == "premise":
                premises.append(builder.claim(mi, i))
            elif e.node.kind == "assumption":
                assumptions.append(builder.claim(mi, i))
            elif isinstance(e.node, Evidence):
                evidence += 1
            for a in mi.attackers(i):
                if not mi.answered(a):
                    against.append(builder.objection(mi, a))
        recommendations.extend(builder.recommendation(mi, r) for r in mi.amap.recommendations)
    return Health(
        position_id=pos.id,
        premises=tuple(premises),
        assumptions=tuple(assumptions),
        unanswered_objections=tuple(against),
        recommendations=tuple(recommendations),
        mixed_questions=tuple(c.question_id for c in cells if c.stance == MIXED),
        evidence_count=evidence,
    )


def _quotes_overlap(a: str, b: str) -> bool:
    """Whether two normalised quotes can be the same passage (containment or overlapping ends)."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    longest = min(len(a), len(b)) - 1
    for x, y in ((a, b), (b, a)):
        for k in range(longest, MIN_OVERLAP - 1, -1):
            if x.endswith(y[:k]):
                return True
    return False


def _support_chain_answers(mi: _MapIndex, i: int, builder: _Builder) -> tuple[tuple[str, str], ...]:
    """Answers of the claims evidence ``i`` backs, up the support chain to an attack edge or the thesis."""
    out: dict[str, str] = {}
    at = mi.entries[i].parent
    while at >= 0:
        node = mi.entries[at].node
        if isinstance(node, Claim):
            for q, s in builder.answers(node):
                out.setdefault(q, s)
        if mi.entries[at].relation != "supports":
            break
        at = mi.entries[at].parent
    return tuple((q, out[q]) for q in builder.question_ids if q in out)


def _shared_evidence(
    pack: Pack,
    indexed: Mapping[str, Sequence[_MapIndex]],
    builder: _Builder,
    results: Sequence[QuestionResult],
) -> tuple[SharedEvidence, ...]:
    uses: list[EvidenceUse] = []
    for pos in pack.positions:
        for mi in indexed[pos.id]:
            for i, e in enumerate(mi.entries):
                if not isinstance(e.node, Evidence) or not e.node.quote.strip():
                    continue
                item = builder.evidence(mi, i)
                if not item.source_file:
                    continue
                parent = mi.entries[e.parent].node
                uses.append(
                    EvidenceUse(
                        position_id=pos.id,
                        evidence=item,
                        claim_id=parent.id,
                        claim_label=parent.label or parent.text,
                        side="against" if e.opposed else "for",
                        answers=_support_chain_answers(mi, i, builder),
                    )
                )
    # Union-find over uses of one source file whose quotes overlap.
    parent_of = list(range(len(uses)))

    def find(x: int) -> int:
        while parent_of[x] != x:
            parent_of[x] = parent_of[parent_of[x]]
            x = parent_of[x]
        return x

    norm = [normalise(u.evidence.quote).casefold() for u in uses]
    for a in range(len(uses)):
        for b in range(a + 1, len(uses)):
            same_file = uses[a].evidence.source_file == uses[b].evidence.source_file
            if same_file and find(a) != find(b) and _quotes_overlap(norm[a], norm[b]):
                parent_of[find(b)] = find(a)
    groups: dict[int, list[int]] = {}
    for k in range(len(uses)):
        groups.setdefault(find(k), []).append(k)

    stance = {(r.question.id, p): s for r in results for p, s in r.stances}
    shared: list[SharedEvidence] = []
    for members in groups.values():  # keys are the first member of each group: document order
        group = [uses[k] for k in members]
        if len({u.position_id for u in group}) < 2:
            continue
        shared.append(
            SharedEvidence(
                source_file=group[0].evidence.source_file,
                citation=group[0].evidence.citation,
                passage=max((u.evidence.quote for u in group), key=lambda s: (len(s), s)),
                uses=tuple(group),
                clash_questions=_clash_questions(group, stance, builder.question_ids),
            )
        )
    return tuple(sorted(shared, key=lambda s: s.source_file))


def _clash_questions(
    group: Sequence[EvidenceUse], stance: Mapping[tuple[str, str], str], question_ids: Sequence[str]
) -> tuple[str, ...]:
    """Questions a for-use serves on which two positions using the passage for their case say yes and no."""
    backers = [u for u in group if u.side == "for"]
    found: set[str] = set()
    for u in backers:
        for v in backers:
            if u.position_id == v.position_id:
                continue
            for q, _ in (*u.answers, *v.answers):
                if {stance.get((q, u.position_id)), stance.get((q, v.position_id))} == {YES, NO}:
                    found.add(q)
    return tuple(q for q in question_ids if q in found)


def _actor_key(actor: str) -> str:
    return " ".join(actor.split()).casefold()


def _actor_rows(pack: Pack, indexed: Mapping[str, Sequence[_MapIndex]], builder: _Builder) -> tuple[ActorRow, ...]:
    """Recommendations grouped by actor (same words, ignoring case and spacing), per position.

    Actors that more positions address come first, then in order of first appearance.
    """
    rows: dict[str, dict[str, list[RecommendationRef]]] = {}
    names: dict[str, str] = {}
    for pos in pack.positions:
        for mi in indexed[pos.id]:
            for rec in mi.amap.recommendations:
                key = _actor_key(rec.actor)
                names.setdefault(key, " ".join(rec.actor.split()) or "(no actor)")
                rows.setdefault(key, {}).setdefault(pos.id, []).append(builder.recommendation(mi, rec))
    first = {key: k for k, key in enumerate(rows)}
    ordered = sorted(rows, key=lambda key: (-len(rows[key]), first[key]))
    return tuple(
        ActorRow(
            actor=names[key],
            by_position=tuple((p.id, tuple(rows[key][p.id])) for p in pack.positions if p.id in rows[key]),
        )
        for key in ordered
    )


def _evidence_key(ev: EvidenceItem) -> tuple[str, str, str]:
    return (ev.map_id, ev.id, ev.quote or ev.text)


# --- from a workspace -----------------------------------------------------------------


def comparison_errors(ws: Workspace, pack_id: str) -> list[Diagnostic]:
    """Errors that stop comparing pack ``pack_id``: in its file, its maps' files, or files that failed to load.

    Errors in other packs and in maps the pack does not use do not stop it.
    A file that did not load as any map or pack may be the pack itself or a
    map it names, so its errors always count.
    """
    own: set[Path] = set()
    pack = ws.packs.get(pack_id)
    if pack is not None:
        own.add(ws.pack_files[pack_id].resolve())
        own |= {ws.map_files[m].resolve() for m in pack.map_ids() if m in ws.map_files}
    known = {p.resolve() for p in (*ws.map_files.values(), *ws.pack_files.values())}
    out = []
    for d in ws.diagnostics:
        if d.severity is not Severity.ERROR:
            continue
        where = Path(d.span.file).resolve()
        if where in own or where not in known:
            out.append(d)
    return out


def compare_workspace(ws: Workspace, pack: Pack) -> Comparison:
    """:func:`build_comparison` with source paths made relative to the project root."""
    dirs: dict[str, str] = {}
    for mid in pack.map_ids():
        if mid in ws.map_files:
            folder = ws.map_files[mid].resolve().parent
            root = ws.config.root
            dirs[mid] = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else folder.as_posix()
    return build_comparison(pack, ws.maps, dirs)


# The reports (JSON, Markdown, rich tables) live in .report; re-exported here.
from .report import (  # noqa: E402 - after the model they use
    JSON_SCHEMA,
    comparison_to_json,
    print_text,
    render_json,
    render_markdown,
)

__all__ = [
    "ASCII_SYMBOLS",
    "CELL_STANCES",
    "JSON_SCHEMA",
    "JSON_VERSION",
    "MIXED",
    "NO",
    "QUALIFIED",
    "SILENT",
    "SYMBOLS",
    "VERDICTS",
    "YES",
    "ActorRow",
    "Cell",
    "ClaimRef",
    "Comparison",
    "EvidenceItem",
    "EvidenceUse",
    "Health",
    "ObjectionRef",
    "QuestionResult",
    "RecommendationRef",
    "SharedEvidence",
    "build_comparison",
    "combine_stances",
    "compare_workspace",
    "comparison_errors",
    "comparison_to_json",
    "print_text",
    "render_json",
    "render_markdown",
    "strongest_strength",
]
