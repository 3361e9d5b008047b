"""Recommendations gathered by actor, across positions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Pack
from ._index import Builder, MapIndex
from .result import ActorRow, RecommendationRef


def actor_key(actor: str) -> str:
    """Actors are the same when their words are (ignoring case and spacing)."""
    return " ".join(actor.split()).casefold()


def actor_rows(pack: Pack, indexed: Mapping[str, Sequence[MapIndex]], builder: Builder) -> tuple[ActorRow, ...]:
    """Recommendations grouped by actor (same words, ignoring case and spacing), per position.

    Actors that more positions address come first, then in order of first appearance.
    """
    rows: dict[str, dict[str, list[RecommendationRef]]] = {}
    names: dict[str, str] = {}
    for pos in pack.positions:
        for mi in indexed[pos.id]:
            for rec in mi.amap.recommendations:
                key = actor_key(rec.actor)
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
