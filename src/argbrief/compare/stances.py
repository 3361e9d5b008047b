"""A position's stance on each question, from the answers of the claims it endorses.

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

from collections.abc import Iterable, Mapping, Sequence

from ..model import Pack
from ._index import Builder, MapIndex
from .result import MIXED, NO, QUALIFIED, SILENT, YES, Cell, ClaimRef


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


def stance_cells(pack: Pack, indexed: Mapping[str, Sequence[MapIndex]], builder: Builder) -> tuple[Cell, ...]:
    """One cell per question x position, questions first, in pack order."""
    endorsed: dict[str, tuple[ClaimRef, ...]] = {}
    opposed: dict[str, tuple[ClaimRef, ...]] = {}
    for pos in pack.positions:
        answering = [
            (mi, i) for mi in indexed[pos.id] for i in mi.claim_indices() if builder.answers(mi.entries[i].node)
        ]
        endorsed[pos.id] = tuple(builder.claim(mi, i) for mi, i in answering if not mi.entries[i].opposed)
        opposed[pos.id] = tuple(builder.claim(mi, i) for mi, i in answering if mi.entries[i].opposed)
    cells: list[Cell] = []
    for q in pack.questions:
        for pos in pack.positions:
            claims = tuple(c for c in endorsed[pos.id] if c.stance_on(q.id))
            cells.append(
                Cell(
                    question_id=q.id,
                    position_id=pos.id,
                    stance=combine_stances(c.stance_on(q.id) for c in claims),
                    claims=claims,
                    opposed=tuple(c for c in opposed[pos.id] if c.stance_on(q.id)),
                )
            )
    return tuple(cells)
