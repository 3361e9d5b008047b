"""Argument health per position: what it rests on and what it leaves unanswered."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Evidence, Position
from ._index import Builder, MapIndex
from .result import MIXED, Cell, ClaimRef, Health, ObjectionRef, RecommendationRef


def position_health(pos: Position, indexed: Sequence[MapIndex], builder: Builder, cells: Sequence[Cell]) -> Health:
    """How well a position's case stands: its premises, assumptions, unanswered objections, evidence."""
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
