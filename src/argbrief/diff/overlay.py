"""A change diagram's map: NEW, with OLD's removed nodes put back where they stood, and a mark per node.

:func:`overlay` is pure. The removed nodes go back under the node they hung
from (its NEW counterpart; the thesis when that went too), each removed branch
with only its removed nodes (a child that moved elsewhere is drawn there).
Marks are keyed by a node's index in ``ArgumentMap.walk()`` of the returned
map, which is what :func:`argbrief.render.render_map` takes: ``added``,
``changed`` (reworded, moved, renamed, re-kinded, a cross-link added or
removed ...) or ``removed``.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..model import ArgumentMap, Assumption, Claim, Evidence, Group, Node, Objection, Premise, Rebuttal, Recommendation
from .maps import diff_maps, index

#: Which child list a node of each kind goes into when it is put back.
_LIST = {
    Premise: "premises",
    Assumption: "assumptions",
    Evidence: "evidence",
    Objection: "objections",
    Rebuttal: "rebuttals",
}


@attrs.frozen(kw_only=True)
class Overlay:
    """The map to draw and its marks (node index in ``amap.walk()`` -> ``added``/``changed``/``removed``)."""

    amap: ArgumentMap
    marks: Mapping[int, str]
    counts: Mapping[str, int]


def overlay(old: ArgumentMap | None, new: ArgumentMap, drawn: ArgumentMap | None = None) -> Overlay:
    """NEW with OLD's removed nodes put back, and the marks of a change diagram (``old`` None: all new).

    ``drawn`` is the NEW map to draw when it is not ``new`` itself: the same
    map as ``check`` loads it, with paragraph locators filled in, while the
    two versions are compared as written (OLD's locators are not filled in).
    """
    drawn = new if drawn is None else drawn
    if old is None:
        marks = {i: "added" for i, _ in enumerate(drawn.walk())}
        return Overlay(amap=drawn, marks=marks, counts={"added": len(marks)})
    found = diff_maps(old, new)
    old_ix, new_ix = index(old), index(new)
    removed = [e for ref, e in old_ix.items() if ref not in found.matches]
    gone = {e.ref for e in removed}
    state: dict[str, str] = {}
    for c in found.changes:
        if c.subject == "node" and c.op == "added":
            state[c.id] = "added"
        elif c.op != "removed" or (c.subject == "link" and c.id not in gone):
            # Reworded, moved, renamed ..., or a cross-link of a node both sides have came or went.
            state.setdefault(c.id, "changed")

    # Each removed branch top goes back under its parent's NEW counterpart.
    put_back: dict[str, list[Node]] = {}
    kept: set[int] = set()
    old_refs = {id(e.node): ref for ref, e in old_ix.items()}
    thesis_ref = next(iter(new_ix), "") if new.thesis is not None else ""
    for e in removed:
        if e.parent in gone:
            continue  # inside a removed branch: it comes back with the branch
        if isinstance(e.node, Recommendation):
            put_back.setdefault("", []).append(_pruned(e.node, old_refs, gone, kept))
        elif thesis_ref:  # a removed thesis (NEW has another) is put back as a premise of the new one
            top = _as_premise(e.node) if e.parent == "" else e.node
            put_back.setdefault(found.matches.get(e.parent, thesis_ref), []).append(_pruned(top, old_refs, gone, kept))

    drawn_ix = index(drawn)
    if list(drawn_ix) != list(new_ix):
        raise ValueError("overlay: the map to draw is not the NEW map")
    merged = _rebuild(drawn, put_back, {id(e.node): ref for ref, e in drawn_ix.items()})
    marks: dict[int, str] = {}
    new_refs = iter(new_ix)
    for i, w in enumerate(merged.walk()):
        if id(w.node) in kept:
            marks[i] = "removed"
            continue
        mark = state.get(next(new_refs), "")
        if mark:
            marks[i] = mark
    counts = {m: sum(1 for v in marks.values() if v == m) for m in ("added", "changed", "removed")}
    return Overlay(amap=merged, marks=marks, counts={k: v for k, v in counts.items() if v})


def _pruned(node: Node, refs: Mapping[int, str], gone: set[str], kept: set[int]) -> Node:
    """``node`` with only its removed descendants (the others are drawn where NEW has them); ids noted in ``kept``.

    ``refs`` gives OLD's references by node identity.
    """
    if isinstance(node, Claim):
        lists = {}
        for name in ("premises", "assumptions", "evidence", "objections", "rebuttals"):
            items = []
            for item in getattr(node, name):
                members = item.members if isinstance(item, Group) else (item,)
                items += [_pruned(m, refs, gone, kept) for m in members if refs.get(id(m)) in gone]
            lists[name] = tuple(items)
        node = attrs.evolve(node, **lists)
    kept.add(id(node))
    return node


def _rebuild(new: ArgumentMap, put_back: Mapping[str, list[Node]], refs: Mapping[int, str]) -> ArgumentMap:
    """NEW with ``put_back[ref]`` appended to the children of the node ``ref`` ('' : the recommendations)."""

    def claim(node: Claim) -> Claim:
        lists: dict[str, list] = {}
        for name in ("premises", "assumptions", "evidence", "objections", "rebuttals"):
            items = []
            for item in getattr(node, name):
                if isinstance(item, Group):
                    items.append(attrs.evolve(item, members=tuple(claim(m) for m in item.members)))
                elif isinstance(item, Claim):
                    items.append(claim(item))
                else:
                    items.append(item)
            lists[name] = items
        for child in put_back.get(refs.get(id(node), "\0"), ()):
            lists[_LIST[type(child)]].append(child)
        return attrs.evolve(node, **{k: tuple(v) for k, v in lists.items()})

    thesis = claim(new.thesis) if new.thesis is not None else None
    recommendations = new.recommendations + tuple(r for r in put_back.get("", ()) if isinstance(r, Recommendation))
    return attrs.evolve(new, thesis=thesis, recommendations=recommendations)


def _as_premise(node: Node) -> Node:
    """A removed thesis, to be put back under the new one."""
    return Premise(**{a.name: getattr(node, a.name) for a in attrs.fields(Claim)}) if isinstance(node, Claim) else node
