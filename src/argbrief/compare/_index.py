"""One map, indexed for the analysis: its tree in document order, each node's side and support subtree."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import frozen

from ..model import STANCES, Answer, ArgumentMap, Claim, Evidence, Node, Question, Recommendation, Source
from .result import Basis, ClaimRef, EvidenceItem, ObjectionRef, RecommendationRef

ATTACKS = ("attack", "undercut")


@frozen
class Entry:
    node: Node
    parent: int  # -1 for the thesis
    relation: str  # supports | attack | undercut | root
    opposed: bool  # reached through an odd number of attack/undercut edges
    depth: int
    children: tuple[int, ...]


@frozen
class MapIndex:
    """A map's tree in document order, with each node's side and support subtree."""

    amap: ArgumentMap
    order: int  # index of the map among its position's maps
    entries: tuple[Entry, ...]
    support_evidence: tuple[tuple[int, ...], ...]
    support_claims: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, amap: ArgumentMap, order: int = 0) -> MapIndex:
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
        entries = tuple(Entry(n, p, r, o, d, tuple(c)) for n, p, r, o, d, c in raw)
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


class Builder:
    """Turns indexed maps into the comparison's reference objects (no state beyond its inputs)."""

    def __init__(self, questions: Sequence[Question], map_dirs: Mapping[str, str]) -> None:
        self.question_ids = tuple(q.id for q in questions)
        self.map_dirs = map_dirs

    def source_file(self, amap: ArgumentMap, src: Source | None) -> str:
        """The project-relative path of ``src``'s text ('' when it names none)."""
        if src is None or not src.text:
            return ""
        base = self.map_dirs.get(amap.id, "")
        return posixpath.normpath(posixpath.join(base, src.text.replace("\\", "/")))

    def evidence(self, mi: MapIndex, i: int) -> EvidenceItem:
        ev = mi.entries[i].node
        assert isinstance(ev, Evidence)
        src = mi.amap.resolve_source(ev)
        source_file = self.source_file(mi.amap, src)
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

    def objection(self, mi: MapIndex, i: int) -> ObjectionRef:
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
        return tuple((q, claim.stance(q)) for q in self.question_ids if claim.stance(q) in STANCES)

    def basis(self, amap: ArgumentMap, claim: Claim, answer: Answer, evidence: Sequence[EvidenceItem]) -> Basis:
        """What ``claim``'s ``answer`` rests on: its own quote, else the claim's first quoted evidence."""
        cited: dict[str, str] = {}
        if answer.quote:
            src = amap.resolve_source(answer)
            cited = {
                "quote": answer.quote,
                "locator": answer.locator,
                "citation": src.citation() if src is not None else "",
                "source_file": self.source_file(amap, src),
            }
        elif (ev := next((e for e in evidence if e.quote), None)) is not None:
            cited = {
                "quote": ev.quote,
                "locator": ev.locator,
                "citation": ev.citation,
                "source_file": ev.source_file,
                "evidence_id": ev.id,
            }
        return Basis(map_id=amap.id, node=claim.id, stance=answer.stance, note=answer.note, **cited)

    def claim(self, mi: MapIndex, i: int) -> ClaimRef:
        e = mi.entries[i]
        node = e.node
        assert isinstance(node, Claim)
        answers = self.answers(node)
        # Evidence on the claim itself first, then deeper down; document order within a level.
        evidence = tuple(
            self.evidence(mi, x) for x in sorted(mi.support_evidence[i], key=lambda x: (mi.entries[x].depth, x))
        )
        return ClaimRef(
            map_id=mi.amap.id,
            id=node.id,
            kind=node.kind,
            label=node.label,
            text=node.text,
            endorsed=not e.opposed,
            answers=answers,
            bases=tuple((q, self.basis(mi.amap, node, node.answers[q], evidence)) for q, _ in answers),
            evidence=evidence,
            unanswered_objections=tuple(self.objection(mi, a) for a in mi.unanswered_against(i)),
            order=(mi.order, i),
            span=node.span,
        )

    def recommendation(self, mi: MapIndex, rec: Recommendation) -> RecommendationRef:
        return RecommendationRef(
            map_id=mi.amap.id,
            id=rec.id,
            actor=rec.actor,
            text=rec.text,
            priority=rec.priority,
            because=rec.because,
            problems=trace_problems(mi, rec),
            span=rec.span,
        )


def trace_problems(mi: MapIndex, rec: Recommendation) -> tuple[str, ...]:
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
