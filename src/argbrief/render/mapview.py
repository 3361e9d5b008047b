"""Model -> map view: which boxes and arrows a map's diagram shows.

:func:`map_view` gives the whole map. :func:`split_views` gives an overview
(thesis, its direct children with a note of what is hidden under each, and the
recommendations) plus one detail view per top-level branch that has more below
it; boxes drawn elsewhere appear as small dotted reference stubs, so each
diagram is cross-referenced by id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping

import attrs

from ..model import ArgumentMap, Claim, Evidence, Group, Node, Recommendation, Walked
from .labels import citation
from .view import NODE_KINDS, ChangeMarks, MapView, ViewCluster, ViewEdge, ViewNode

_PLURAL = {
    "thesis": "theses",
    "premise": "premises",
    "assumption": "assumptions",
    "evidence": "evidence",
    "objection": "objections",
    "rebuttal": "rebuttals",
    "recommendation": "recommendations",
}


def map_view(amap: ArgumentMap, name: str | None = None, changes: ChangeMarks | None = None) -> MapView:
    """The whole map as one view: every node, tree arrows, cross-links and recommendations.

    All the evidence of one claim is drawn as one card (one box, one arrow):
    a claim with four quotes would otherwise spread four boxes side by side and
    make the map twice as wide as it needs to be.

    ``changes`` marks the boxes of a change diagram (``added``, ``changed``,
    ``removed``) and says in the caption since when.
    """
    walked = list(amap.walk())
    group_of = _groups(walked)
    ids = _view_ids(walked)
    nodes = _nodes(amap, walked, ids, group_of)
    if changes is not None:
        nodes = _marked(nodes, walked, ids, changes.marks)
    clusters, cluster_of = _clusters(walked, ids)
    junctions = _junctions(walked, ids, group_of, nodes)
    edges = _tree_edges(amap, walked, ids, group_of, cluster_of, junctions) + _cross_links(walked, ids)
    return MapView(
        name=name or amap.id or "map",
        title=amap.title or amap.id,
        subtitle=amap.subtitle,
        caption=" · ".join(p for p in (_caption(amap), _changes_note(changes) if changes is not None else "") if p),
        nodes=tuple(nodes),
        edges=tuple(_dedupe(edges)),
        clusters=tuple(clusters),
    )


def _marked(nodes: list[ViewNode], walked: list[Walked], ids: dict[int, str], changes: Mapping[int, str]) -> list[ViewNode]:
    """``nodes`` with their change marks; an evidence card is marked by its items (all removed: removed)."""
    by_view: dict[str, list[str]] = {}
    for i, w in enumerate(walked):
        by_view.setdefault(ids[id(w.node)], []).append(changes.get(i, ""))
    out = []
    for n in nodes:
        marks = by_view.get(n.id, [])
        if n.entries:
            entries = tuple(attrs.evolve(e, change=c) for e, c in zip(n.entries, marks))
            card = "removed" if all(c == "removed" for c in marks) else "changed" if any(marks) else ""
            out.append(attrs.evolve(n, entries=entries, change=card))
        else:
            out.append(attrs.evolve(n, change=marks[0]) if marks and marks[0] else n)
    return out


def _changes_note(changes: ChangeMarks) -> str:
    counts = Counter(changes.marks.values())
    words = [f"{counts[c]} {w}" for c, w in (("added", "new"), ("changed", "changed"), ("removed", "removed")) if counts[c]]
    what = ", ".join(words) if words else "no change"
    return f"Changes since {changes.since}: {what}" if changes.since else f"Changes: {what}"


def _in_card(w: Walked) -> bool:
    """Whether ``w`` is one of several evidence items of its claim (drawn together as one card)."""
    return isinstance(w.node, Evidence) and w.parent is not None and len(w.parent.evidence) > 1


def _groups(walked: list[Walked]) -> dict[int, Group]:
    """Member (by identity) -> the linked group it belongs to."""
    group_of: dict[int, Group] = {}
    for w in walked:
        if isinstance(w.node, Claim):
            for item in w.node.premises:
                if isinstance(item, Group):
                    for member in item.members:
                        group_of[id(member)] = item
    return group_of


def _view_ids(walked: list[Walked]) -> dict[int, str]:
    """Model node (by identity, so nodes without an id work too) -> view id ("n0", "n1" ... in walk order).

    The items of an evidence card share the card's id, its first item's.
    """
    ids: dict[int, str] = {}
    for i, w in enumerate(walked):
        ids[id(w.node)] = ids.get(id(w.parent.evidence[0]), f"n{i}") if _in_card(w) else f"n{i}"
    return ids


def _nodes(amap: ArgumentMap, walked: list[Walked], ids: dict[int, str], group_of: dict[int, Group]) -> list[ViewNode]:
    nodes: list[ViewNode] = []
    branch = ""
    for w in walked:
        vid = ids[id(w.node)]
        if w.depth == 1 and w.relation != "follows":
            group = group_of.get(id(w.node))
            # A linked group is one branch, named after its first member.
            branch = group.members[0].id if group is not None and group.members else w.node.id or vid
        node_branch = "" if w.depth == 0 or w.relation == "follows" else branch
        if _in_card(w):
            if w.node is w.parent.evidence[0]:
                entries = tuple(_node(amap, e, vid, w.depth, node_branch) for e in w.parent.evidence)
                nodes.append(ViewNode(id=vid, kind="evidence", entries=entries, branch=node_branch, depth=w.depth))
            continue
        nodes.append(_node(amap, w.node, vid, w.depth, node_branch))
    return nodes


def _clusters(walked: list[Walked], ids: dict[int, str]) -> tuple[list[ViewCluster], dict[int, str]]:
    """One cluster per linked group, and group (by identity) -> cluster id."""
    clusters: list[ViewCluster] = []
    cluster_of: dict[int, str] = {}
    for w in walked:
        if isinstance(w.node, Claim):
            for item in w.node.premises:
                if isinstance(item, Group) and item.members:
                    cid = f"cluster_g{len(clusters)}"
                    members = tuple(ids[id(m)] for m in item.members)
                    clusters.append(ViewCluster(id=cid, kind="group", node_ids=members, tag="LINKED PREMISES"))
                    cluster_of[id(item)] = cid
    return clusters, cluster_of


def _attacked_inference(node: Node, group_of: dict[int, Group]) -> Node:
    """Whose arrow carries ``node``'s inference: a linked group's one arrow is its first member's."""
    group = group_of.get(id(node))
    return group.members[0] if group is not None else node


def _junctions(
    walked: list[Walked], ids: dict[int, str], group_of: dict[int, Group], nodes: list[ViewNode]
) -> dict[int, str]:
    """A junction on the inference arrow of every node that an undercut attacks; appended to ``nodes``."""
    branch_of = {n.id: n.branch for n in nodes}
    has_parent = {id(w.node) for w in walked if w.parent is not None}
    junctions: dict[int, str] = {}
    for w in walked:
        if w.relation != "undercut" or w.parent is None or id(w.parent) not in has_parent:
            continue
        attacked = _attacked_inference(w.parent, group_of)
        if id(attacked) not in junctions:
            junctions[id(attacked)] = jid = f"j{len(junctions)}"
            nodes.append(ViewNode(id=jid, kind="junction", branch=branch_of[ids[id(attacked)]], depth=w.depth - 1))
    return junctions


def _tree_edges(
    amap: ArgumentMap,
    walked: list[Walked],
    ids: dict[int, str],
    group_of: dict[int, Group],
    cluster_of: dict[int, str],
    junctions: dict[int, str],
) -> list[ViewEdge]:
    edges: list[ViewEdge] = []
    by_id = amap.nodes()
    for w in walked:
        vid = ids[id(w.node)]
        if isinstance(w.node, Recommendation):
            edges.extend(_recommendation_edges(w.node, vid, ids, by_id, amap))
            continue
        if w.parent is None or (_in_card(w) and w.node is not w.parent.evidence[0]):
            continue  # the thesis; or an evidence card, whose arrow is drawn once
        parent = ids[id(w.parent)]
        group = group_of.get(id(w.node))
        if group is not None and group.members[0] is not w.node:
            # Only the first member carries the group's arrow; the others are kept on its level.
            edges.append(ViewEdge(source=vid, target=parent, relation="supports", rank_only=True))
            continue
        target = parent
        if w.relation == "undercut":
            # An undercut attacks the inference from the parent to the grandparent:
            # its arrow ends on the junction drawn on that arrow (or, under the
            # thesis, which has no inference above it, on the thesis itself).
            target = junctions.get(id(_attacked_inference(w.parent, group_of)), parent)
        edges.append(
            ViewEdge(
                source=vid,
                target=target,
                relation=w.relation,
                source_cluster=cluster_of.get(id(group), "") if group is not None else "",
                junction=junctions.get(id(w.node), ""),
            )
        )
    return edges


def _by_ref(walked: list[Walked], ids: dict[int, str]) -> dict[str, str]:
    by_ref: dict[str, str] = {}
    for w in walked:
        if w.node.id:
            by_ref.setdefault(w.node.id, ids[id(w.node)])
    return by_ref


def _cross_links(walked: list[Walked], ids: dict[int, str]) -> list[ViewEdge]:
    """``also_supports`` and ``also_attacks``: arrows that take no part in ranking."""
    by_ref = _by_ref(walked, ids)
    edges = []
    for w in walked:
        if isinstance(w.node, Claim):
            source = ids[id(w.node)]
            for rel, targets in (("also_supports", w.node.also_supports), ("also_attacks", w.node.also_attacks)):
                for ref in targets:
                    if ref in by_ref and by_ref[ref] != source:
                        edges.append(ViewEdge(source=source, target=by_ref[ref], relation=rel, constraint=False))
    return edges


def _node(amap: ArgumentMap, node: Node, vid: str, depth: int, branch: str) -> ViewNode:
    """One model node as a box: its kind tag, title (label, or a recommendation's actor) and text."""
    kind, ref = node.kind, node.id
    tag = kind.upper() + (f" {ref}" if ref else "")
    if isinstance(node, Evidence):
        source = amap.resolve_source(node)
        if node.strength:
            tag += f" · {node.strength.upper()}"
        return ViewNode(
            id=vid,
            kind=kind,
            ref=ref,
            tag=tag,
            body=node.display_text,
            quoted=bool(node.quote),
            citation=citation(source.title if source else "", node.locator),
            branch=branch,
            depth=depth,
        )
    if isinstance(node, Recommendation):
        if node.priority:
            tag += f" · {node.priority.upper()} PRIORITY"
        return ViewNode(id=vid, kind=kind, ref=ref, tag=tag, title=node.actor, body=node.text, branch=branch, depth=depth)
    assert isinstance(node, Claim)
    return ViewNode(id=vid, kind=kind, ref=ref, tag=tag, title=node.label, body=node.text, branch=branch, depth=depth)


def _recommendation_edges(
    rec: Recommendation, vid: str, ids: dict[int, str], by_ref: dict[str, Node], amap: ArgumentMap
) -> list[ViewEdge]:
    """From each node in ``because`` (or, without one, the thesis) down to the recommendation."""
    grounds = [ids[id(by_ref[r])] for r in rec.because if r in by_ref and id(by_ref[r]) in ids]
    if not grounds and amap.thesis is not None:
        grounds = [ids[id(amap.thesis)]]
    return [ViewEdge(source=g, target=vid, relation="follows") for g in dict.fromkeys(grounds)]


def _caption(amap: ArgumentMap) -> str:
    src = amap.source
    parts = []
    if src is not None and src.citation():
        parts.append("Source: " + src.citation())
    elif amap.sources:
        titles = [s.title for _, s in sorted(amap.sources.items()) if s.title]
        if titles:
            parts.append("Sources: " + "; ".join(titles))
    byline = ", ".join(p for p in (amap.author, amap.publisher, amap.date) if p)
    if byline and not parts:
        parts.append(byline)
    if amap.position:
        parts.append(f"Position: {amap.position}")
    return " · ".join(parts)


# --- splitting ---------------------------------------------------------------------


def branches(view: MapView) -> tuple[str, ...]:
    """Top-level branches that have something below their top boxes, in map order."""
    tops: dict[str, int] = {}
    sizes: Counter[str] = Counter()
    for n in view.nodes:
        if n.branch and n.kind != "junction":
            sizes[n.branch] += 1
            if n.depth == 1:
                tops[n.branch] = tops.get(n.branch, 0) + 1
    return tuple(b for b in dict.fromkeys(n.branch for n in view.nodes if n.branch) if sizes[b] > tops.get(b, 0))


def split_views(view: MapView, inline: Collection[str] = ()) -> tuple[MapView, ...]:
    """An overview plus one detail view per branch with something below its top; ``(view,)`` when none has.

    Branches named in ``inline`` stay whole in the overview and get no
    diagram of their own. In the overview, the top box of each other branch
    is a summary (its title, and what lies below it) when it has a title.
    """
    split = tuple(b for b in branches(view) if b not in inline)
    if not split:
        return (view,)
    overview_ids = {n.id for n in view.nodes if n.branch not in split or n.depth <= 1}
    notes: dict[str, str] = {}
    for n in view.nodes:
        # The note goes on the first top box of a branch (a linked group has two).
        if n.branch in split and n.depth == 1 and n.branch not in notes:
            notes[n.branch] = n.id
    overview = _recommendations_last(stagger(_subset(
        view,
        overview_ids,
        name=view.name,
        part="overview: the boxes marked “more below” are drawn in full in diagrams of their own",
        part_title="overview",
        more={vid: _hidden_note(view, b, f"{view.name}-{b}") for b, vid in notes.items()},
        summarise={n.id for n in view.nodes if n.branch in split and n.depth == 1 and n.title and not n.entries},
    )))
    details = []
    for b in split:
        keep = {n.id for n in view.nodes if n.branch == b}
        top = next(n for n in view.nodes if n.branch == b and n.depth == 1)
        what = top.title or top.body
        details.append(
            _subset(
                view,
                keep,
                name=f"{view.name}-{b}",
                part=f"branch {b} (the overview is diagram {view.name})",
                part_title=f"branch {b}" + (f": {_short(what)}" if what else ""),
                stub_note=view.name,
                drop_follows=True,
            )
        )
    return (overview, *details)


#: A row of more top-level boxes than this is staggered over two ranks.
STAGGER_OVER = 5


def stagger(view: MapView, depth: int = 1) -> MapView:
    """Put every other child one rank lower where a box at ``depth - 1`` has many children.

    A thesis with nine reasons is a row nine boxes wide; staggered, it is a
    brick pattern about half as wide, which fits a sheet at a readable size
    (what Graphviz's ``unflatten`` does to leaves). A linked group moves as one.
    """
    depth_of = {n.id: n.depth for n in view.nodes}
    cluster_of = {nid: c.id for c in view.clusters for nid in c.node_ids}
    tree = [e for e in view.edges if e.constraint and e.relation != "follows" and depth_of.get(e.source) == depth]
    units: dict[str, list[str]] = {}  # parent -> its children (a group counts once), in order
    for e in tree:
        siblings = units.setdefault(e.target, [])
        unit = cluster_of.get(e.source, e.source)
        if unit not in siblings:
            siblings.append(unit)
    lower = {u for siblings in units.values() if len(siblings) > STAGGER_OVER for u in siblings[1::2]}
    if not lower:
        return view
    in_tree = {id(e) for e in tree}
    edges = tuple(
        attrs.evolve(e, minlen=2) if id(e) in in_tree and cluster_of.get(e.source, e.source) in lower else e
        for e in view.edges
    )
    return attrs.evolve(view, edges=edges)


def _recommendations_last(view: MapView) -> MapView:
    """The recommendations of an overview in one row along the bottom, where actions are read."""
    return attrs.evolve(view, last_rank=tuple(n.id for n in view.nodes if n.kind == "recommendation"))


def branch_sizes(view: MapView) -> dict[str, int]:
    """How many map nodes each branch hides below its top boxes (an evidence card counts its items)."""
    sizes: Counter[str] = Counter()
    for n in view.nodes:
        if n.branch and n.depth > 1 and n.kind in NODE_KINDS:
            sizes[n.branch] += len(n.entries) or 1
    return {b: sizes[b] for b in branches(view)}


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _hidden_note(view: MapView, b: str, diagram: str) -> str:
    counts: Counter[str] = Counter()
    for n in view.nodes:
        if n.branch == b and n.depth > 1 and n.kind in NODE_KINDS:
            counts[n.kind] += len(n.entries) or 1
    total = sum(counts.values())
    what = ", ".join(f"{c} {k if c == 1 else _PLURAL[k]}" for k, c in sorted(counts.items(), key=_kind_order))
    return f"+ {total} more below ({what}): see diagram {diagram}"


def _kind_order(item: tuple[str, int]) -> int:
    return NODE_KINDS.index(item[0])


def _subset(
    view: MapView,
    keep: set[str],
    *,
    name: str,
    part: str,
    part_title: str,
    more: dict[str, str] | None = None,
    summarise: Collection[str] = (),
    stub_note: str = "",
    drop_follows: bool = False,
) -> MapView:
    """The part of ``view`` made of ``keep``; arrows to boxes outside it end on reference stubs.

    An arrow whose ground is outside the subset is dropped unless it is a tree
    arrow into the subset's top, in which case the whole subset is someone's
    child and the stub stands for that parent. Junctions no kept undercut ends
    on are dropped, and their arrow drawn plain.
    """
    nodes = {n.id: n for n in view.nodes}
    more = more or {}
    kept_edges: list[ViewEdge] = []
    stubs: dict[str, ViewNode] = {}
    # For the overview: a hidden node's visible top-level ancestor (the first
    # box of its branch), where arrows from hidden grounds are redrawn from.
    tops: dict[str, str] = {}
    for n in view.nodes:
        if n.depth == 1 and n.branch and n.id in keep:
            tops.setdefault(n.branch, n.id)
    hidden_parent = {n.id: tops[n.branch] for n in view.nodes if n.id not in keep and n.branch in tops}

    def stub_for(vid: str) -> str:
        target = nodes[vid]
        sid = f"s{vid}"
        if sid not in stubs:
            where = f"see diagram {stub_note}" if stub_note else "see its branch diagram"
            stubs[sid] = ViewNode(
                id=sid,
                kind="stub",
                tag=f"{target.kind.upper()} {target.ref}".strip(),
                body=where,
                depth=target.depth,
            )
        return sid

    for e in view.edges:
        src_in, tgt_in = e.source in keep, e.target in keep
        if src_in and tgt_in:
            kept_edges.append(e)
        elif e.relation == "follows":
            if drop_follows or not tgt_in:
                continue
            ground = hidden_parent.get(e.source)
            if ground is not None:
                kept_edges.append(attrs.evolve(e, source=ground))
        elif src_in and not tgt_in:
            # The subset's top hangs off a box drawn elsewhere (the thesis), or a
            # cross-link leaves the subset: point at a stub.
            target = e.target
            if nodes[target].kind == "junction":
                continue
            kept_edges.append(attrs.evolve(e, target=stub_for(target), junction=e.junction if e.junction in keep else ""))
        elif tgt_in and not src_in and not e.rank_only and not e.constraint:
            # A cross-link from a box drawn elsewhere.
            kept_edges.append(attrs.evolve(e, source=stub_for(e.source)))

    used_junctions = {e.target for e in kept_edges if e.relation == "undercut"}
    final_edges = tuple(
        attrs.evolve(e, junction="") if e.junction and e.junction not in used_junctions else e for e in kept_edges
    )
    final_edges = tuple(_dedupe(final_edges))
    kept_nodes = tuple(
        _shown(n, more.get(n.id, ""), n.id in summarise)
        for n in view.nodes
        if n.id in keep and (n.kind != "junction" or n.id in used_junctions)
    )
    clusters = tuple(
        attrs.evolve(c, node_ids=tuple(i for i in c.node_ids if i in keep))
        for c in view.clusters
        if sum(i in keep for i in c.node_ids) >= 2
    )
    return attrs.evolve(
        view,
        name=name,
        part=part,
        part_title=part_title,
        nodes=(*tuple(stubs[s] for s in sorted(stubs, key=_stub_key)), *kept_nodes),
        edges=final_edges,
        clusters=clusters,
    )


def _shown(node: ViewNode, more: str, summary: bool) -> ViewNode:
    if summary:
        return attrs.evolve(node, body="", citation="", quoted=False, more=more, summary=True)
    return attrs.evolve(node, more=more) if more else node


def _stub_key(sid: str) -> int:
    return int(sid[2:])


def _dedupe(edges: Iterable[ViewEdge]) -> Iterable[ViewEdge]:
    seen = set()
    for e in edges:
        key = (e.source, e.target, e.relation)
        if key not in seen:
            seen.add(key)
            yield e
