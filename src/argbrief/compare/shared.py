"""Shared evidence: one passage quoted by two or more positions, perhaps to opposite ends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Claim, Evidence, Pack
from ..quotes import normalise
from ._index import Builder, MapIndex
from .clashes import clash_questions
from .result import EvidenceUse, QuestionResult, SharedEvidence

#: Shortest run of characters two quotes must share at their ends to count as one passage.
MIN_OVERLAP = 20


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


def _support_chain_answers(mi: MapIndex, i: int, builder: Builder) -> tuple[tuple[str, str], ...]:
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


def shared_evidence(
    pack: Pack,
    indexed: Mapping[str, Sequence[MapIndex]],
    builder: Builder,
    results: Sequence[QuestionResult],
) -> tuple[SharedEvidence, ...]:
    """Passages of one source text that two or more positions quote, grouped by overlap."""
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
                clash_questions=clash_questions(group, stance, builder.question_ids),
            )
        )
    return tuple(sorted(shared, key=lambda s: s.source_file))
