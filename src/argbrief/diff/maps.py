"""Two versions of one map -> what changed in the argument (pure).

Nodes are matched first by id. Nodes left over on both sides (a renamed id, or
a node without an id) are then matched by their text and their place, in
rounds, so that a renamed parent lets its renamed children be found under it:

* the text compared is a claim's ``text``, an evidence item's quote (or its
  paraphrase when it has no quote), a recommendation's actor and text, with
  white space collapsed and case ignored;
* two nodes of the same family (claims of any kind; evidence;
  recommendations) are the same node when the :func:`similarity` of their
  texts is at least :data:`SAME_PLACE_RATIO` (0.6) and they
  hang under the same parent, or at least :data:`ELSEWHERE_RATIO` (0.8)
  anywhere else; the best pairs are taken first (ties in document order);
* when more than :data:`MAX_PAIRS` pairs would have to be scored (some
  2,000 unmatched nodes on each side), only nodes under the same parent, or
  with the same text, are.

A matched pair whose ids differ is reported as ``renamed``, never as a removal
and an addition. Then each matched pair is compared field by field; ids in
``because``, cross-links and linked groups are compared through the matching,
so a rename does not also show up as changed references.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from attrs import frozen
from rapidfuzz import fuzz, process

from ..model import ArgumentMap, Claim, Evidence, Group, Node, Recommendation, Source, SourceSpan
from ._fields import field_changes
from .result import Change, Value

SAME_PLACE_RATIO = 0.6
ELSEWHERE_RATIO = 0.8
MAX_PAIRS = 4_000_000
ROUNDS = 3

_FAMILY = {"evidence": "evidence", "recommendation": "recommendation"}  # every other kind is a claim

#: Fields of the map itself that the diff compares, in report order.
MAP_FIELDS: tuple[str, ...] = (
    "title",
    "subtitle",
    "author",
    "publisher",
    "date",
    "url",
    "source",
    "position",
    "summary",
    "tags",
)


@frozen(kw_only=True)
class Entry:
    """One node of one version, with its reference, its parent's and its place in document order."""

    ref: str
    node: Node
    parent: str  # "" for the thesis and for recommendations
    order: int
    partners: tuple[str, ...] = ()  # the other members of its linked group

    @property
    def kind(self) -> str:
        return self.node.kind


@frozen(kw_only=True)
class MapDiff:
    """The changes between two versions of a map, and which OLD reference became which NEW one."""

    changes: tuple[Change, ...]
    matches: Mapping[str, str]


def node_text(node: Node) -> str:
    """What a node says: a claim's or recommendation's text, an evidence item's quote (else its paraphrase)."""
    return node.display_text if isinstance(node, Evidence) else node.text


def index(amap: ArgumentMap) -> dict[str, Entry]:
    """Every node of ``amap`` by reference, in document order.

    The reference is the node's id; a node without one (or with an id an
    earlier node took) is named by its place: ``P1/evidence[2]`` is the
    second such evidence item under P1, ``(thesis)`` a thesis without an id.
    """
    refs: dict[int, str] = {}
    group_of: dict[int, Group] = {}
    counters: dict[tuple[str, str], int] = defaultdict(int)
    entries: dict[str, Entry] = {}
    for order, w in enumerate(amap.walk()):
        node = w.node
        parent = "" if w.parent is None or isinstance(node, Recommendation) else refs[id(w.parent)]
        ref = node.id
        if not ref or ref in entries:
            counters[parent, node.kind] += 1
            if w.parent is None:
                ref = "(thesis)"
            else:
                ref = f"{parent + '/' if parent else ''}{node.kind}[{counters[parent, node.kind]}]"
        refs[id(node)] = ref
        if isinstance(node, Claim):
            for item in node.premises:
                if isinstance(item, Group):
                    for member in item.members:
                        group_of[id(member)] = item
        entries[ref] = Entry(ref=ref, node=node, parent=parent, order=order)
    for ref, e in entries.items():
        group = group_of.get(id(e.node))
        if group is not None:
            partners = tuple(refs[id(m)] for m in group.members if m is not e.node and id(m) in refs)
            entries[ref] = Entry(ref=ref, node=e.node, parent=e.parent, order=e.order, partners=partners)
    return entries


# --- matching ----------------------------------------------------------------------------


def _family(kind: str) -> str:
    return _FAMILY.get(kind, "claim")


def _match_text(node: Node) -> str:
    """The text a node is matched by: white space collapsed, case ignored."""
    text = f"{node.actor} {node.text}" if isinstance(node, Recommendation) else node_text(node)
    return " ".join(text.split()).casefold()


def similarity(a: str, b: str) -> float:
    """How alike two texts are, from 0 to 1: 2·M / T, M the characters of a longest common
    subsequence and T both lengths together (the Indel similarity; RapidFuzz's ``fuzz.ratio`` / 100)."""
    return fuzz.ratio(a, b) / 100


def match(old: Mapping[str, Entry], new: Mapping[str, Entry]) -> dict[str, str]:
    """OLD reference -> NEW reference for every node that is in both versions (see the module docstring)."""
    pairs = {ref: ref for ref, e in old.items() if e.node.id == ref and ref in new and new[ref].node.id == ref}
    for _ in range(ROUNDS):
        if not _match_by_text(old, new, pairs):
            break
    return pairs


def _match_by_text(old: Mapping[str, Entry], new: Mapping[str, Entry], pairs: dict[str, str]) -> bool:
    """One round: score the unmatched pairs, take the best first. True when it matched any."""
    taken = set(pairs.values())
    left = [e for ref, e in old.items() if ref not in pairs]
    right = [e for ref, e in new.items() if ref not in taken]
    if not left or not right:
        return False
    texts = {id(e): _match_text(e.node) for e in (*left, *right)}
    limited = len(left) * len(right) > MAX_PAIRS
    by_family: dict[str, list[Entry]] = defaultdict(list)
    by_parent: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    by_text: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in left:
        family = _family(e.kind)
        by_family[family].append(e)
        by_parent[family, pairs.get(e.parent, "\0") if e.parent else ""].append(e)
        by_text[family, texts[id(e)]].append(e)

    candidates: list[tuple[float, int, int, str, str]] = []
    for n in right:
        family = _family(n.kind)
        pool = by_family[family]
        if limited:
            both = (*by_parent.get((family, n.parent), ()), *by_text.get((family, texts[id(n)]), ()))
            pool = list({id(e): e for e in both}.values())
        # Scored in C, all at once; only pairs that may pass come back.
        scored = process.extract(
            texts[id(n)],
            [texts[id(o)] for o in pool],
            scorer=fuzz.ratio,
            score_cutoff=SAME_PLACE_RATIO * 100,
            limit=None,
        )
        for _, score, i in scored:
            o = pool[i]
            same_place = (pairs.get(o.parent) == n.parent) if o.parent else not n.parent
            ratio = score / 100
            if ratio >= (SAME_PLACE_RATIO if same_place else ELSEWHERE_RATIO):
                # The same place wins a tie of texts: a node is likelier moved nowhere than moved.
                candidates.append((-(ratio + 0.001 * same_place), o.order, n.order, o.ref, n.ref))
    found = False
    for _, _, _, o_ref, n_ref in sorted(candidates):
        if o_ref not in pairs and n_ref not in taken:
            pairs[o_ref] = n_ref
            taken.add(n_ref)
            found = True
    return found


# --- comparing -----------------------------------------------------------------------------


def _source_text(source: Source | str | None) -> str:
    if isinstance(source, Source):
        return " · ".join(p for p in (source.citation(), source.url, source.text) if p)
    if isinstance(source, str):
        return f"sources: {source}"
    return ""


def _stance(value: object) -> str:
    """A stance from an ``answers`` value (the short form is the stance itself)."""
    return value if isinstance(value, str) else str(getattr(value, "stance", value))


def _fields(node: Node) -> dict[str, Value]:
    """The fields of a node that the diff compares (references aside), in report order."""
    if isinstance(node, Evidence):
        return {
            "quote": node.quote,
            "text": node.text,
            "source": _source_text(node.source),
            "locator": node.locator,
            "strength": node.strength,
            "tags": node.tags,
            "note": node.note,
        }
    if isinstance(node, Recommendation):
        return {"actor": node.actor, "text": node.text, "priority": node.priority, "tags": node.tags, "note": node.note}
    out: dict[str, Value] = {"text": node.text, "label": node.label}
    if node.kind in ("objection", "rebuttal"):
        out["relation"] = node.relation or "attack"
    for q, answer in sorted(node.answers.items()):
        out[f"answers.{q}"] = _stance(answer)
        # The long form's passage and reasoning (``{stance, quote, note}``) are part of the answer too.
        for part in ("quote", "source", "locator", "note"):
            value = getattr(answer, part, "")
            if value:
                out[f"answers.{q}.{part}"] = _source_text(value) if part == "source" else value
    out.update({"tags": node.tags, "note": node.note})
    return out


def _links(node: Node) -> set[tuple[str, str]]:
    if not isinstance(node, Claim):
        return set()
    return {("also_supports", t) for t in node.also_supports} | {("also_attacks", t) for t in node.also_attacks}


def _link_changes(
    source: str, before: set[tuple[str, str]], after: set[tuple[str, str]], where: Node
) -> Iterator[Change]:
    for rel, target in sorted(after - before):
        yield Change(
            subject="link", op="added", id=source, kind=rel, new=target, where=where.spans.get(rel, where.span)
        )
    for rel, target in sorted(before - after):
        yield Change(
            subject="link", op="removed", id=source, kind=rel, old=target, where=where.spans.get(rel, where.span)
        )


def diff_maps(old_map: ArgumentMap, new_map: ArgumentMap) -> MapDiff:
    """Every change from ``old_map`` to ``new_map`` (two versions of one map), in NEW's document order.

    Removed nodes come where they stood: after the nearest earlier node that is in both versions.
    """
    old, new = index(old_map), index(new_map)
    pairs = match(old, new)
    back = {n: o for o, n in pairs.items()}

    def mapped(ref: str) -> str:
        return pairs.get(ref, ref)

    keyed: list[tuple[tuple[int, int, int], Change]] = [
        ((-1, 0, i), c) for i, c in enumerate(_map_changes(old_map, new_map))
    ]
    for n in new.values():
        o = old.get(back[n.ref]) if n.ref in back else None
        changes = list(_node_changes(o, n, mapped) if o is not None else [_added(n)])
        before = {(rel, mapped(t)) for rel, t in _links(o.node)} if o is not None else set()
        changes += _link_changes(n.ref, before, _links(n.node), n.node)
        keyed += [((n.order, 0, i), c) for i, c in enumerate(changes)]
    # A removed node goes after the nearest earlier node that NEW still has.
    anchor = -1
    for o in old.values():
        if o.ref in pairs:
            anchor = new[pairs[o.ref]].order
            continue
        removed = [
            _removed(o, mapped),
            *_link_changes(o.ref, {(r, mapped(t)) for r, t in _links(o.node)}, set(), o.node),
        ]
        keyed += [((anchor, 1, o.order * 1000 + i), c) for i, c in enumerate(removed)]
    return MapDiff(changes=tuple(c for _, c in sorted(keyed, key=lambda kc: kc[0])), matches=pairs)


def _added(n: Entry) -> Change:
    return Change(
        subject="node", op="added", id=n.ref, kind=n.kind, text=node_text(n.node), parent=n.parent, where=n.node.span
    )


def _removed(o: Entry, mapped) -> Change:
    return Change(
        subject="node",
        op="removed",
        id=o.ref,
        kind=o.kind,
        text=node_text(o.node),
        parent=mapped(o.parent) if o.parent else "",
        where=o.node.span,
    )


def _node_changes(o: Entry, n: Entry, mapped: Callable[[str], str]) -> Iterator[Change]:
    """What changed on one node that both versions have (``o`` in OLD, ``n`` in NEW)."""
    node = n.node

    def change(op: str, where: SourceSpan, **fields: Any) -> Change:
        return Change(
            subject="node",
            op=op,
            id=n.ref,
            old_id=o.ref if o.ref != n.ref else "",
            kind=n.kind,
            text=node_text(node),
            parent=n.parent,
            where=where,
            **fields,
        )

    if o.node.id and node.id and o.node.id != node.id:
        yield change("renamed", node.spans.get("id", node.span))
    if mapped(o.parent) != n.parent:
        yield change("moved", node.span, field="parent", old=mapped(o.parent), new=n.parent)
    if o.kind != n.kind:
        yield change("changed", node.span, field="kind", old=o.kind, new=n.kind)
    before, after = _fields(o.node), _fields(node)
    if o.kind != n.kind:  # a field only one kind has is not a change of its own
        before = {k: v for k, v in before.items() if k in after}
        after = {k: v for k, v in after.items() if k in before}
    if o.partners or n.partners:
        before["linked"], after["linked"] = tuple(mapped(p) for p in o.partners), n.partners
    if isinstance(o.node, Recommendation) and isinstance(node, Recommendation):
        before["because"], after["because"] = tuple(mapped(r) for r in o.node.because), node.because
    if before == after:  # most nodes: nothing more to look at
        return
    for found in field_changes(before, after, subject="node"):
        where = node.spans.get(found.field.split(".")[0], node.span)
        yield change(
            "changed", where, field=found.field, old=found.old, new=found.new, added=found.added, removed=found.removed
        )


def _map_changes(old: ArgumentMap, new: ArgumentMap) -> Iterator[Change]:
    def values(amap: ArgumentMap) -> dict[str, Value]:
        out: dict[str, Value] = {name: getattr(amap, name) for name in MAP_FIELDS if name != "source"}
        out["source"] = _source_text(amap.source)
        out.update({f"sources.{k}": _source_text(s) for k, s in sorted(amap.sources.items())})
        return {k: out[k] for k in (*MAP_FIELDS, *sorted(k for k in out if k.startswith("sources.")))}

    for change in field_changes(values(old), values(new), subject="map", id=new.id):
        yield change.at(new.spans.get(change.field.split(".")[0], new.span))
