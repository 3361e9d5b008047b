"""Clash, agreement and gap: how the positions' stances relate on each question.

The verdict rules themselves are :class:`~.result.QuestionResult`'s properties,
so that a result read back from anywhere answers the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Pack
from .result import NO, YES, Cell, EvidenceUse, QuestionResult


def question_results(pack: Pack, cells: Sequence[Cell]) -> tuple[QuestionResult, ...]:
    """One result per question, with each position's stance in pack order."""
    stance = {(c.question_id, c.position_id): c.stance for c in cells}
    return tuple(
        QuestionResult(question=q, stances=tuple((p.id, stance[(q.id, p.id)]) for p in pack.positions))
        for q in pack.questions
    )


def clash_questions(
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
