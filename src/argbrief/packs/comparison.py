"""The comparison annex of a briefing pack, built from :class:`argbrief.compare.Comparison`.

The analysis (who says what on which question, which claim is strongest, what
each stance rests on, which passage two positions quote) is :mod:`argbrief.compare`'s;
this module only decides what the annex shows: the matrix; what each stance rests
on; the passages that positions use to opposite ends; one side-by-side page per
clash; and the comparison diagram.
"""

from __future__ import annotations

from collections.abc import Iterator

from attrs import frozen

from ..compare import SILENT, SYMBOLS, Basis, ClaimRef, Comparison, EvidenceItem, SharedEvidence
from ..render.comparison import READING
from ._parts import Column, Figure, FigureNumbers, Geometry, Heading, RenderedDiagram, make_figure
from ._text import clean, sentence, shorten

VERDICT_LABELS = {
    "clash": "Clash",
    "agreement": "Agree",
    "divergence": "Differ",
    "single": "One view",
    "unanswered": "Unanswered",
}
STANCE_WORDS = {"yes": "Yes", "no": "No", "qualified": "Qualified", "mixed": "Mixed", "silent": "Silent"}
# How many evidence quotes a clash shows per side (the strongest claim may have more).
CLASH_EVIDENCE = 3


@frozen(kw_only=True)
class MatrixCell:
    position_id: str
    stance: str  # yes | no | qualified | mixed | silent (also a CSS class suffix)
    symbol: str
    word: str
    claims: tuple[str, ...]  # ids of the claims that answer


@frozen(kw_only=True)
class MatrixRow:
    question_id: str
    question: str
    note: str
    cells: tuple[MatrixCell, ...]
    verdict: str
    verdict_label: str


@frozen(kw_only=True)
class BasisLine:
    """What one position's stance on a question rests on, through one of its claims:
    "Qualified — ‘To some extent, he has a point.’, para 5 (P1)"."""

    position: str
    stance: str  # the position's stance (also a CSS class suffix)
    symbol: str
    word: str
    claim_id: str
    claim_word: str  # the claim's own answer when it differs from the position's ("" otherwise)
    quote: str
    locator: str
    citation: str
    note: str


@frozen(kw_only=True)
class BasisRow:
    question_id: str
    question: str
    lines: tuple[BasisLine, ...]


@frozen(kw_only=True)
class EvidenceQuote:
    node_id: str
    quote: str
    is_quote: bool
    citation: str
    locator: str
    strength: str


@frozen(kw_only=True)
class ClashClaim:
    """One side's strongest claim on a clash question, with its evidence."""

    position: str
    stance: str
    word: str
    claim_id: str
    label: str
    text: str
    evidence: tuple[EvidenceQuote, ...]
    more_evidence: int  # evidence items not shown
    other_claims: tuple[str, ...]  # further claims of this position that answer the same way


@frozen(kw_only=True)
class Clash:
    heading: Heading
    question: str
    yes: tuple[ClashClaim, ...]
    no: tuple[ClashClaim, ...]
    #: Says so when one passage backs both sides of this clash ("" when none does).
    shared_note: str = ""


@frozen(kw_only=True)
class PassageUse:
    """One position's use of a shared passage: the claim it backs and the stance that serves."""

    position: str
    claim: str
    stances: str  # "yes on 'Is an acceptable deal available now?'"
    side: str  # "for" (the position's own claim) | "against" (a point it answers)


@frozen(kw_only=True)
class OppositePassage:
    """A passage that positions quote to opposite ends (yes and no on one question)."""

    passage: str
    citation: str
    locators: str  # "para 17"
    questions: tuple[str, ...]
    uses: tuple[PassageUse, ...]


@frozen(kw_only=True)
class Finding:
    """A line of the bottom line: a lead sentence and the questions it is about."""

    lead: str
    questions: tuple[str, ...] = ()


@frozen(kw_only=True)
class ComparisonSection:
    """Chapter: the matrix on one page, each clash side by side, then the diagram."""

    heading: Heading
    intro: str
    bottom_line: tuple[Finding, ...]  # for the executive summary
    positions: tuple[tuple[str, str], ...]  # (id, label)
    matrix_heading: Heading
    rows: tuple[MatrixRow, ...]
    legend: tuple[tuple[str, str], ...]  # (symbol, word)
    basis_heading: Heading | None
    basis: tuple[BasisRow, ...]  # questions some position answers, in pack order
    opposite_heading: Heading | None
    opposite: tuple[OppositePassage, ...]
    clashes_heading: Heading | None
    clashes: tuple[Clash, ...]
    diagram_heading: Heading | None
    figure: Figure | None

    @property
    def columns(self) -> tuple[Column, ...]:
        """The matrix's columns: the question, one per position, the verdict."""
        share = 48 / max(len(self.positions), 1)
        return (
            Column(key="q", title="Question", share=40),
            *(Column(key="p", title=label, share=share) for _, label in self.positions),
            Column(key="v", title="Verdict", share=12),
        )

    def headings(self) -> Iterator[Heading]:
        yield self.heading
        yield self.matrix_heading
        if self.basis_heading is not None:
            yield self.basis_heading
        if self.opposite_heading is not None:
            yield self.opposite_heading
        if self.clashes_heading is not None:
            yield self.clashes_heading
            for c in self.clashes:
                yield c.heading
        if self.diagram_heading is not None:
            yield self.diagram_heading


def comparison_section(
    cmp: Comparison,
    diagram: RenderedDiagram | None,
    *,
    number: str,
    geometry: Geometry,
    numbers: FigureNumbers,
) -> ComparisonSection:
    """The comparison annex (lettered ``number``, e.g. ``"A"``) of a pack with positions."""
    labels = {p.id: clean(p.label) or p.id for p in cmp.positions}
    rows = tuple(_row(cmp, r.question.id) for r in cmp.results)
    basis = tuple(row for r in cmp.results if (row := _basis_row(cmp, r.question.id, labels)).lines)
    opposite = tuple(_opposite(cmp, s, labels) for s in cmp.shared_evidence if s.opposite_ends)
    # Sub-sections are numbered in order: the matrix, the basis (when any position speaks),
    # passages used to opposite ends, clashes, diagram.
    sub = iter(range(2, 7))
    basis_number = f"{number}.{next(sub)}" if basis else ""
    opposite_number = f"{number}.{next(sub)}" if opposite else ""
    clashes_number = f"{number}.{next(sub)}" if cmp.clashes else ""
    diagram_number = f"{number}.{next(sub)}"
    clashes = tuple(
        _clash(cmp, r.question.id, labels, f"{clashes_number}.{i}", opposite_number)
        for i, r in enumerate(cmp.clashes, start=1)
    )
    figure = None
    if diagram is not None:
        figure = make_figure(
            diagram,
            number=numbers.next(),
            caption=f"The positions compared: each position's stance on each question. {READING}",
            alt=_alt(cmp, labels),
            geometry=geometry,
        )
    return ComparisonSection(
        heading=Heading(level=1, anchor="comparison", number=f"Annex {number}", text="Comparison of positions"),
        intro=_intro(cmp, labels),
        bottom_line=_bottom_line(cmp),
        positions=tuple(labels.items()),
        matrix_heading=Heading(level=2, anchor="comparison-matrix", number=f"{number}.1", text="Positions on the questions"),
        rows=rows,
        legend=tuple((SYMBOLS[s], STANCE_WORDS[s]) for s in STANCE_WORDS),
        basis_heading=(
            Heading(level=2, anchor="comparison-basis", number=basis_number, text="What each stance rests on")
            if basis
            else None
        ),
        basis=basis,
        opposite_heading=(
            Heading(level=2, anchor="comparison-opposite", number=opposite_number, text="One passage, opposite ends")
            if opposite
            else None
        ),
        opposite=opposite,
        clashes_heading=(
            Heading(level=2, anchor="comparison-clashes", number=clashes_number, text="Where the positions clash")
            if clashes
            else None
        ),
        clashes=clashes,
        diagram_heading=(
            Heading(level=2, anchor="comparison-diagram", number=diagram_number, text="Comparison diagram")
            if figure is not None
            else None
        ),
        figure=figure,
    )


def _opposite(cmp: Comparison, shared: SharedEvidence, labels: dict[str, str]) -> OppositePassage:
    questions = {r.question.id: clean(r.question.text) or r.question.id for r in cmp.results}
    uses = []
    for u in shared.uses:
        said = [f"{STANCE_WORDS.get(s, s).lower()} on \u2018{questions[q]}\u2019" for q, s in u.answers if q in shared.clash_questions]
        uses.append(
            PassageUse(
                position=labels.get(u.position_id, u.position_id),
                claim=clean(u.claim_label),
                stances="; ".join(said),
                side=u.side,
            )
        )
    locators = dict.fromkeys(clean(u.evidence.locator) for u in shared.uses if u.evidence.locator)
    return OppositePassage(
        passage=shorten(clean(shared.passage), 40),
        citation=clean(shared.citation),
        locators=", ".join(locators),
        questions=tuple(questions[q] for q in shared.clash_questions if q in questions),
        uses=tuple(uses),
    )


def _row(cmp: Comparison, question_id: str) -> MatrixRow:
    result = cmp.result(question_id)
    cells = tuple(
        MatrixCell(
            position_id=c.position_id,
            stance=c.stance,
            symbol=SYMBOLS.get(c.stance, SYMBOLS[SILENT]),
            word=STANCE_WORDS.get(c.stance, c.stance),
            claims=tuple(x.id for x in c.claims),
        )
        for c in cmp.row(question_id)
    )
    return MatrixRow(
        question_id=question_id,
        question=clean(result.question.text) or question_id,
        note=clean(result.question.note),
        cells=cells,
        verdict=result.verdict,
        verdict_label=VERDICT_LABELS.get(result.verdict, result.verdict),
    )


def _basis_line(position: str, stance: str, b: Basis) -> BasisLine:
    return BasisLine(
        position=position,
        stance=stance,
        symbol=SYMBOLS.get(stance, SYMBOLS[SILENT]),
        word=STANCE_WORDS.get(stance, stance),
        claim_id=clean(b.node),
        claim_word=STANCE_WORDS.get(b.stance, b.stance).lower() if b.stance != stance else "",
        quote=clean(b.quote),
        locator=clean(b.locator),
        citation=clean(b.citation),
        note=clean(b.note),
    )


def _basis_row(cmp: Comparison, question_id: str, labels: dict[str, str]) -> BasisRow:
    result = cmp.result(question_id)
    lines = tuple(
        _basis_line(labels[c.position_id], c.stance, b) for c in cmp.row(question_id) for b in c.basis
    )
    return BasisRow(question_id=question_id, question=clean(result.question.text) or question_id, lines=lines)


def _evidence(ev: EvidenceItem) -> EvidenceQuote:
    return EvidenceQuote(
        node_id=ev.id,
        quote=clean(ev.quote or ev.text),
        is_quote=bool(ev.quote),
        citation=clean(ev.citation),
        locator=clean(ev.locator),
        strength=clean(ev.strength),
    )


def _clash_claim(claim: ClaimRef, position: str, stance: str, others: tuple[ClaimRef, ...]) -> ClashClaim:
    return ClashClaim(
        position=position,
        stance=stance,
        word=STANCE_WORDS.get(stance, stance),
        claim_id=claim.id,
        label=clean(claim.label),
        text=clean(claim.text),
        evidence=tuple(_evidence(e) for e in claim.evidence[:CLASH_EVIDENCE]),
        more_evidence=max(0, len(claim.evidence) - CLASH_EVIDENCE),
        other_claims=tuple(c.id for c in others if c is not claim),
    )


def _clash(cmp: Comparison, question_id: str, labels: dict[str, str], number: str, opposite_number: str) -> Clash:
    yes_cells, no_cells = cmp.clash_sides(question_id)
    question = clean(cmp.result(question_id).question.text) or question_id
    shared = [s for s in cmp.shared_evidence if question_id in s.clash_questions]
    note = ""
    if shared:
        n = len(shared)
        note = (
            f"{'One passage backs' if n == 1 else f'{n} passages back'} both sides of this question "
            f"(see {opposite_number}): the same words serve opposite answers, so they cannot settle it alone."
        )

    def side(cells) -> tuple[ClashClaim, ...]:
        return tuple(
            _clash_claim(c.strongest, labels[c.position_id], c.stance, c.claims)
            for c in cells
            if c.strongest is not None
        )

    return Clash(
        heading=Heading(level=3, anchor=f"clash-{question_id}", number=number, text=question),
        question=question,
        yes=side(yes_cells),
        no=side(no_cells),
        shared_note=note,
    )


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _intro(cmp: Comparison, labels: dict[str, str]) -> str:
    n, k = len(cmp.results), len(labels)
    who = f"{k} positions ({_names(list(labels.values()))}) are" if k != 1 else f"One position ({_names(list(labels.values()))}) is"
    text = (
        f"{who} compared on {_questions(n)}. A position's answer is taken from the claims "
        "its own maps endorse; the claims it argues against do not count."
    )
    if any(c.basis for c in cmp.cells):
        text += " After the table comes what each stance rests on: the passage its claim cites, or the analyst's note."
    if any(s.opposite_ends for s in cmp.shared_evidence):
        text += " Then the passages that positions quote to opposite ends."
    if cmp.clashes:
        text += " Then come the clashes, each with both sides' strongest claims and their evidence."
    return text


def _questions(n: int) -> str:
    return f"{n} question{'s' if n != 1 else ''}"


def _bottom_line(cmp: Comparison) -> tuple[Finding, ...]:
    n = len(cmp.results)
    clashes = tuple(clean(r.question.text) or r.question.id for r in cmp.clashes)
    agreements = tuple(clean(r.question.text) or r.question.id for r in cmp.agreements)
    out = []
    if len(cmp.positions) == 1:
        out.append(Finding(lead=f"The pack sets out one position on {_questions(n)}: no other position to clash with."))
    elif clashes:
        out.append(Finding(lead=f"The positions clash on {len(clashes)} of the {_questions(n)}:", questions=clashes))
    elif n == 1:
        out.append(Finding(lead="No two positions give opposite answers on the question."))
    else:
        out.append(Finding(lead=f"No two positions give opposite answers on any of the {n} questions."))
    if agreements:
        many = len(agreements) != 1
        out.append(Finding(lead=f"They agree on {len(agreements)} question{'s' if many else ''}:", questions=agreements))
    return tuple(out)


def _alt(cmp: Comparison, labels: dict[str, str]) -> str:
    return sentence(
        f"Diagram comparing {_names(list(labels.values()))} on {_questions(len(cmp.results))}; "
        "the matrix in this annex gives the same answers as text"
    )
