"""The comparison's frozen result: per-cell stances, per-question verdicts, health, shared passages, actors.

Nothing here computes from maps; the analysis modules (:mod:`.stances`,
:mod:`.clashes`, :mod:`.health`, :mod:`.shared`, :mod:`.actors`) build these
values and :mod:`.analysis` puts them together.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import field, frozen

from ..model import NOWHERE, STRENGTHS, Position, Question, SourceSpan

YES, NO, QUALIFIED, MIXED, SILENT = "yes", "no", "qualified", "mixed", "silent"
#: Every value a cell's stance can take, in display order.
CELL_STANCES: tuple[str, ...] = (YES, NO, QUALIFIED, MIXED, SILENT)

#: Per-question verdicts (see :class:`QuestionResult`).
VERDICTS: tuple[str, ...] = ("clash", "agreement", "divergence", "single", "unanswered")

#: Symbols that read without colour; ASCII ones for terminals that cannot show the others.
SYMBOLS: dict[str, str] = {YES: "✓", NO: "✗", QUALIFIED: "~", MIXED: "±", SILENT: "—"}
ASCII_SYMBOLS: dict[str, str] = {YES: "Y", NO: "N", QUALIFIED: "~", MIXED: "+-", SILENT: "-"}

#: 2: cells carry ``basis`` (what each answering claim rests on).
JSON_VERSION = 2


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
class Basis:
    """What one answering claim's stance on one question rests on.

    The answer's own quote when it cites one (``answers: {q: {stance, quote}}``),
    else the first quoted evidence item under the claim (its own evidence first),
    else nothing but the answer's note.  ``evidence_id`` is set when the quote is
    an evidence item's rather than the answer's own.
    """

    map_id: str
    node: str  # the answering claim's id
    stance: str  # the claim's own answer (a position's stance may combine several)
    quote: str = ""
    locator: str = ""
    citation: str = ""
    #: Project-relative path of the source text the quote is from ("" when none).
    source_file: str = ""
    evidence_id: str = ""
    note: str = ""

    @property
    def cited(self) -> bool:
        """Whether a passage of a source is cited (not only a note)."""
        return bool(self.quote)


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
    #: (question id, basis) for the same questions: what each stance rests on.
    bases: tuple[tuple[str, Basis], ...] = ()
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

    def basis_on(self, question_id: str) -> Basis | None:
        """What this claim's answer to ``question_id`` rests on (None when it does not answer)."""
        return dict(self.bases).get(question_id)


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
    def basis(self) -> tuple[Basis, ...]:
        """What the stance rests on: one item per answering claim, in document order."""
        return tuple(b for c in self.claims if (b := c.basis_on(self.question_id)) is not None)

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


def _evidence_key(ev: EvidenceItem) -> tuple[str, str, str]:
    return (ev.map_id, ev.id, ev.quote or ev.text)
