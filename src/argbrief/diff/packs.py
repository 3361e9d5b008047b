"""Two versions of one pack -> what changed: its own fields, positions, questions, and what each position says.

Stances come from :func:`argbrief.compare.build_comparison`, run on each
version of the pack with the maps of the same version, so a stance changes
when a map's answers change as much as when the pack does. A stance's basis
is the endorsed claims that give it (``map:node``); OLD's are named through
the maps' node matching, so a renamed claim is not a changed basis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import TypeVar

from ..compare import Cell, Comparison, build_comparison
from ..model import ArgumentMap, Indicator, Judgement, Pack, Position, Question
from ._fields import field_changes, list_change
from .result import Change, Value

Item = TypeVar("Item", Position, Question, Judgement, Indicator)

#: Fields of the pack itself that the diff compares, in report order.
PACK_FIELDS: tuple[str, ...] = (
    "title",
    "subtitle",
    "audience",
    "author",
    "date",
    "marking",
    "formats",
    "theme",
    "page",
    "purpose",
    "decision",
    "bottom_line",
    "maps",
    "yardstick",
    "currency_months",
)


def diff_packs(
    old: Pack,
    new: Pack,
    old_maps: Mapping[str, ArgumentMap],
    new_maps: Mapping[str, ArgumentMap],
    matches: Mapping[str, Mapping[str, str]],
    *,
    stances: bool = True,
) -> tuple[Change, ...]:
    """Every change from ``old`` to ``new``; ``matches`` gives, per map id, OLD node reference -> NEW.

    With ``stances`` False (a map the pack uses did not load on one side),
    stances and verdicts are not compared.
    """
    out = list(_own_fields(old, new))
    out += _items("position", {p.id: p for p in old.positions}, {p.id: p for p in new.positions}, _position_fields)
    out += _items("question", {q.id: q for q in old.questions}, {q.id: q for q in new.questions}, _question_fields)
    out += _items(
        "judgement",
        {j.id: j for j in old.judgements},
        {j.id: j for j in new.judgements},
        partial(_judgement_fields, matches={}),
        old_fields=partial(_judgement_fields, matches=matches),  # OLD's basis as NEW names its nodes
    )
    out += _items("indicator", {i.id: i for i in old.indicators}, {i.id: i for i in new.indicators}, _indicator_fields)
    if stances and old.positions and new.positions:
        out += _stances(build_comparison(old, old_maps), build_comparison(new, new_maps), new, matches)
    return tuple(out)


def _own_fields(old: Pack, new: Pack) -> Iterator[Change]:
    def values(pack: Pack) -> dict[str, Value]:
        return {name: getattr(pack, name) for name in PACK_FIELDS}

    for change in field_changes(values(old), values(new), subject="pack", id=new.id):
        yield change.at(new.spans.get(change.field, new.span))


def _position_fields(p: Position) -> dict[str, Value]:
    out: dict[str, Value] = {"label": p.label, "summary": p.summary, "maps": p.maps}
    for dimension, rating in p.appraisal.items() if p.appraisal is not None else ():
        if rating is not None:
            out[f"appraisal.{dimension}"] = rating.rating
            out[f"appraisal.{dimension}.text"] = rating.text
    return out


def _question_fields(q: Question) -> dict[str, Value]:
    return {"text": q.text, "note": q.note}


def _judgement_fields(j: Judgement, matches: Mapping[str, Mapping[str, str]]) -> dict[str, Value]:
    """A judgement's fields; its basis (``map:node``) named through the maps' matching, as stances' are."""
    return {
        "text": j.text,
        "likelihood": j.likelihood,
        "confidence": j.confidence,
        "basis": tuple(_renamed(ref, matches) for ref in j.basis),
        "note": j.note,
    }


def _indicator_fields(i: Indicator) -> dict[str, Value]:
    return {"text": i.text, "judgement": i.judgement, "direction": i.direction}


def _renamed(ref: str, matches: Mapping[str, Mapping[str, str]]) -> str:
    """An OLD ``map:node`` reference as NEW names that node (unchanged when the node is not matched)."""
    map_id, _, node = ref.partition(":")
    return f"{map_id}:{matches.get(map_id, {}).get(node, node)}" if node else ref


def _items(
    subject: str,
    old: Mapping[str, Item],
    new: Mapping[str, Item],
    fields: Callable[[Item], dict[str, Value]],
    old_fields: Callable[[Item], dict[str, Value]] | None = None,
) -> Iterator[Change]:
    """Positions, questions, judgements or indicators, matched by id: added, removed, and changed fields.

    ``fields`` gives an item's values; ``old_fields``, when given, OLD's (a
    judgement's basis named as NEW names the nodes).
    """
    old_fields = old_fields or fields

    def title(item: Item) -> str:
        return getattr(item, "label", "") or getattr(item, "text", "")

    for key, item in new.items():
        if key not in old:
            yield Change(subject=subject, op="added", id=key, text=title(item), where=item.span)
            continue
        for change in field_changes(old_fields(old[key]), fields(item), subject=subject, id=key, text=title(item)):
            yield change.at(item.spans.get(change.field.split(".")[0], item.span))
    for key, item in old.items():
        if key not in new:
            yield Change(subject=subject, op="removed", id=key, text=title(item), where=item.span)


def basis(cell: Cell) -> tuple[str, ...]:
    """What a stance rests on: the endorsed claims that give it, as ``map:node``."""
    return tuple(f"{c.map_id}:{c.id}" for c in cell.claims)


def _stances(
    old: Comparison, new: Comparison, pack: Pack, matches: Mapping[str, Mapping[str, str]]
) -> Iterator[Change]:
    """Each position's stance on each question both versions ask, then each question's verdict."""

    def renamed(ref: str) -> str:
        return _renamed(ref, matches)

    old_questions = {q.id for q in old.questions}
    old_positions = {p.id for p in old.positions}
    questions = [q for q in pack.questions if q.id in old_questions]
    for q in questions:
        for pos in pack.positions:
            if pos.id not in old_positions:
                continue
            before, after = old.cell(q.id, pos.id), new.cell(q.id, pos.id)
            was, now = tuple(renamed(r) for r in basis(before)), basis(after)
            members = list_change(was, now) or ((), ())
            if before.stance == after.stance and not any(members):
                continue
            field = "stance" if before.stance != after.stance else "basis"
            # Pointed at the claim that now gives the stance (a new one first), else at the question.
            first_new = next((c for c in after.claims if f"{c.map_id}:{c.id}" in members[0]), after.strongest)
            yield Change(
                subject="stance",
                op="changed",
                id=q.id,
                position=pos.id,
                field=field,
                old=before.stance if field == "stance" else was,
                new=after.stance if field == "stance" else now,
                added=members[0],
                removed=members[1],
                text=q.text,
                basis=now,
                where=first_new.span if first_new is not None else q.span,
            )
    for q in questions:
        before, after = old.result(q.id), new.result(q.id)
        if before.verdict != after.verdict:
            yield _verdict(q, "verdict", before.verdict, after.verdict)
        if before.gap != after.gap:
            came = tuple(p for p in after.silent if p not in before.silent)
            went = tuple(p for p in before.silent if p not in after.silent)
            yield _verdict(q, "gap", before.silent, after.silent, added=came, removed=went)


def _verdict(q: Question, field: str, was: Value, now: Value, **members: tuple[str, ...]) -> Change:
    """A question's verdict (``field`` verdict) or its silent positions (``field`` gap) changed."""
    return Change(
        subject="verdict", op="changed", id=q.id, field=field, old=was, new=now, text=q.text, where=q.span, **members
    )
