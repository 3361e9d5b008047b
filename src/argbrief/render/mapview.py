"""Model -> map view: which boxes and arrows a map's diagram shows.

:func:`map_view` gives the whole map. :func:`tree` and :func:`part_view` give
the drawing of one part of it — a root and everything below it except the
units cut off to drawings of their own, which show as summaries that say where
they continue; the box a part hangs from is a dotted stub that says where it is
drawn in full. :mod:`.split` decides the parts; :func:`split_views` is the one-level
split (overview plus one part per top-level branch).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping

import attrs
from attrs import frozen

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
    edges = _tree_edges(walked, ids, group_of, cluster_of, junctions)
    links, notes = _cross_links(walked, ids, nodes)
    for vid, lines in _recommendation_notes(amap, walked, ids).items():
        notes.setdefault(vid, []).extend(lines)
    nodes = [attrs.evolve(n, notes=(*n.notes, *notes[n.id])) if n.id in notes else n for n in nodes]
    return MapView(
        name=name or amap.id or "map",
        title=amap.title or amap.id,
        subtitle=amap.subtitle,
        caption=" · ".join(p for p in (_caption(amap), _changes_note(changes) if changes is not None else "") if p),
        nodes=tuple(nodes),
        edges=tuple(_dedupe(edges + links)),
        clusters=tuple(clusters),
        last_rank=tuple(n.id for n in nodes if n.kind == "recommendation"),
        band="RECOMMENDATIONS",
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
        parent = ids[id(w.parent)] if w.parent is not None and w.relation != "follows" else ""
        if _in_card(w):
            if w.node is w.parent.evidence[0]:
                entries = tuple(_node(amap, e, vid, w.depth, node_branch) for e in w.parent.evidence)
                nodes.append(
                    ViewNode(id=vid, kind="evidence", entries=entries, branch=node_branch, depth=w.depth, parent=parent)
                )
            continue
        nodes.append(attrs.evolve(_node(amap, w.node, vid, w.depth, node_branch), parent=parent))
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
            attacked_id = ids[id(attacked)]
            # The junction is on the attacked box's own arrow: it goes wherever that box goes.
            nodes.append(
                ViewNode(id=jid, kind="junction", branch=branch_of[attacked_id], depth=w.depth - 1, parent=attacked_id)
            )
    return junctions


def _tree_edges(
    walked: list[Walked],
    ids: dict[int, str],
    group_of: dict[int, Group],
    cluster_of: dict[int, str],
    junctions: dict[int, str],
) -> list[ViewEdge]:
    edges: list[ViewEdge] = []
    for w in walked:
        vid = ids[id(w.node)]
        if isinstance(w.node, Recommendation):
            continue  # drawn in a band of their own, naming their grounds (no arrow runs down into it)
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


_CROSS_WORDS = {"also_supports": "also supports", "also_attacks": "also attacks"}
_CROSS_BY = {"also_supports": "also supported by", "also_attacks": "also attacked by"}


def _cross_links(
    walked: list[Walked], ids: dict[int, str], nodes: list[ViewNode]
) -> tuple[list[ViewEdge], dict[str, list[str]]]:
    """``also_supports`` and ``also_attacks``: arrows that take no part in ranking, and notes.

    An arrow is drawn only when it points up the page, from a lower box to a
    higher one, like every other arrow; a cross-link to a box at the same
    level or lower is a line of text in its box instead ("also supports P4").
    """
    by_ref = _by_ref(walked, ids)
    depth = {n.id: n.depth for n in nodes}
    edges: list[ViewEdge] = []
    notes: dict[str, list[str]] = {}
    for w in walked:
        if isinstance(w.node, Claim):
            source = ids[id(w.node)]
            for rel, targets in (("also_supports", w.node.also_supports), ("also_attacks", w.node.also_attacks)):
                for ref in targets:
                    if ref not in by_ref or by_ref[ref] == source:
                        continue
                    if depth[source] > depth[by_ref[ref]]:
                        edges.append(ViewEdge(source=source, target=by_ref[ref], relation=rel, constraint=False))
                    else:
                        notes.setdefault(source, []).append(f"{_CROSS_WORDS[rel]} {ref}")
    return edges, notes


def _recommendation_notes(amap: ArgumentMap, walked: list[Walked], ids: dict[int, str]) -> dict[str, list[str]]:
    """What each recommendation follows from, in words: "follows from P1, P3" (or "from the thesis")."""
    by_ref = amap.nodes()
    notes: dict[str, list[str]] = {}
    for w in walked:
        if isinstance(w.node, Recommendation):
            grounds = [r for r in dict.fromkeys(w.node.because) if r in by_ref and id(by_ref[r]) in ids]
            thesis = amap.thesis.id if amap.thesis is not None and amap.thesis.id else "the thesis"
            notes[ids[id(w.node)]] = [f"follows from {', '.join(grounds) if grounds else thesis}"]
    return notes


def _node(amap: ArgumentMap, node: Node, vid: str, depth: int, branch: str) -> ViewNode:
    """One model node as a box: its kind tag, title (label, or a recommendation's actor) and text."""
    kind, ref = node.kind, node.id
    tag = kind.upper() + (f" {ref}" if ref else "")
    if isinstance(node, Evidence):
        source = amap.resolve_source(node)
        # The map's one source is named in the caption: a card need not repeat its title.
        title = "" if source is None or (source is amap.source and not amap.sources) else source.title
        if node.strength:
            tag += f" · {node.strength.upper()}"
        return ViewNode(
            id=vid,
            kind=kind,
            ref=ref,
            tag=tag,
            body=node.display_text,
            quoted=bool(node.quote),
            citation=citation(title, node.locator),
            branch=branch,
            depth=depth,
        )
    if isinstance(node, Recommendation):
        if node.priority:
            tag += f" · {node.priority.upper()} PRIORITY"
        return ViewNode(id=vid, kind=kind, ref=ref, tag=tag, title=node.actor, body=node.text, branch=branch, depth=depth)
    assert isinstance(node, Claim)
    return ViewNode(id=vid, kind=kind, ref=ref, tag=tag, title=node.label, body=node.text, branch=branch, depth=depth)


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


# --- splitting into parts --------------------------------------------------------------
#
# A map too large for one legible sheet is drawn as parts: the overview (the
# thesis and what is directly under it, and the recommendations), then one part
# per *unit* that was cut off (a box, or a linked group's boxes, with everything
# below it). A part can be cut again, so a large branch becomes a part with parts
# of its own. In the part that cuts a unit, the unit's top box is a summary
# ("+ 7 more below ...", and where it continues); in the unit's own part, the box
# it bears on is a stub that says where that box is drawn in full.

Unit = tuple[str, ...]
"""The view ids of a unit's top boxes: one box, or the members of a linked group."""

#: The recommendations' band as a unit of the overview: it can be cut off to a drawing of its own.
BAND: Unit = ("#band",)


@frozen
class Tree:
    """A view's boxes as a tree of units (see :func:`tree`)."""

    root: Unit  # the thesis's unit (empty for a map without a thesis)
    children: Mapping[Unit, tuple[Unit, ...]]  # in the view's order
    unit_of: Mapping[str, Unit]  # view id -> its unit
    below: Mapping[Unit, int]  # map nodes below a unit (an evidence card counts its items)
    names: Mapping[Unit, str]  # the id a unit's part is named after ("P1"; a group: its first member)

    def units_under(self, unit: Unit) -> list[Unit]:
        """``unit`` and every unit below it, top down."""
        out, stack = [], [unit]
        while stack:
            u = stack.pop()
            out.append(u)
            stack.extend(reversed(self.children.get(u, ())))
        return out


def tree(view: MapView) -> Tree:
    """The units of ``view`` and which lies under which (recommendations, stubs and junctions are in no unit)."""
    cluster_of = {nid: c.node_ids for c in view.clusters for nid in c.node_ids}
    by_id = {n.id: n for n in view.nodes}
    unit_of: dict[str, Unit] = {}
    for n in view.nodes:
        if n.kind in NODE_KINDS and n.kind != "recommendation":
            unit_of[n.id] = cluster_of.get(n.id, (n.id,))
    root: Unit = next((u for nid, u in unit_of.items() if not by_id[nid].parent), ())
    children: dict[Unit, list[Unit]] = {}
    for nid, unit in unit_of.items():
        parent = by_id[nid].parent
        if parent and nid == unit[0] and parent in unit_of:
            children.setdefault(unit_of[parent], []).append(unit)
    below: dict[Unit, int] = {}
    frozen_children = {u: tuple(c) for u, c in children.items()}
    if root:
        # Bottom up over a top-down list: no recursion, however deep the map.
        for unit in reversed(Tree(root, frozen_children, {}, {}, {}).units_under(root)):
            below[unit] = sum(below[c] + sum(len(by_id[m].entries) or 1 for m in c) for c in children.get(unit, ()))
    names = {u: next((by_id[m].ref for m in u if by_id[m].ref), u[0]) for u in unit_of.values()}
    return Tree(
        root=root,
        children=frozen_children,
        unit_of=unit_of,
        below=below,
        names=names,
    )


def part_name(view: MapView, t: Tree, unit: Unit) -> str:
    """The name of ``unit``'s own drawing (and file stem): ``<map>-<id>``, ``<map>-recommendations``."""
    return f"{view.name}-{unit_name(t, unit)}"


def unit_name(t: Tree, unit: Unit) -> str:
    """The id a unit's drawing is named after: its top box's ("P1"), or "recommendations" for the band."""
    return "recommendations" if unit == BAND else t.names[unit]


def band_size(view: MapView) -> int:
    """How many recommendations the band of ``view`` holds (0: no band to cut)."""
    return len(view.last_rank)


def part_view(
    view: MapView,
    t: Tree,
    root: Unit,
    cuts: Collection[Unit],
    *,
    owner: Mapping[str, str],
    back: str = "",
    only: Collection[Unit] | None = None,
    continued: bool = False,
    name: str = "",
) -> MapView:
    """The drawing of ``root`` and everything under it, except what lies under the units in ``cuts``.

    Each cut unit's top box is a summary that says how much lies below it and
    refers to its own drawing (:func:`part_name`). ``root == t.root`` is the
    overview, which also draws the recommendations' band; any other part
    shows the box its root bears on as a stub referring to ``back``.
    ``owner`` names, for any view id, the drawing that shows it in full (for
    the stubs of cross-links to boxes drawn elsewhere). ``only`` limits the
    root's children drawn here; ``continued`` draws the root itself as a stub
    (it is drawn in full in the part before, whose ``name`` is ``back``).
    """
    by_id = {n.id: n for n in view.nodes}
    if root == BAND:
        return _band_view(view, back)
    overview = root == t.root
    keep: set[str] = set()
    summarise: set[str] = set()
    more: dict[str, str] = {}
    refer: dict[str, str] = {}
    stack = [root]
    while stack:
        unit = stack.pop()
        keep.update(unit)
        if unit in cuts and unit != root:
            summarise.update(m for m in unit if by_id[m].title and not by_id[m].entries)
            more[unit[0]] = _hidden_note(view, t, unit)
            # Every top box of a cut linked group says where the group continues.
            refer.update(dict.fromkeys(unit, part_name(view, t, unit)))
            continue
        below = t.children.get(unit, ())
        stack.extend(below if unit != root or only is None else [u for u in below if u in only])
    if continued:
        keep -= set(root)
    keep |= {n.id for n in view.nodes if n.kind == "junction" and n.parent in keep and n.parent not in summarise}
    if overview and not continued:
        if BAND not in cuts:
            keep |= set(view.last_rank)
        part = "overview: a box that says where it continues is drawn in full there" if cuts or only else ""
        part_title = "overview" if cuts or only else ""
    elif overview:
        part = part_title = "overview, continued"
    else:
        top = by_id[root[0]]
        part = f"branch {t.names[root]}" + (", continued" if continued else "")
        what = top.title or top.body
        part_title = part + (f": {_short(what)}" if what else "")
    name = name or (view.name if overview else part_name(view, t, root))
    overview = overview and not continued
    shown = _subset(
        view,
        keep,
        name=name,
        part=part,
        part_title=part_title,
        back=back,
        more=more,
        refer=refer,
        summarise=summarise,
        owner=owner,
        band=overview and BAND not in cuts,
    )
    if overview and BAND in cuts:
        # One box stands for the band, beside the thesis (a rank of its own would cost a row), saying where it is.
        recs = [by_id[nid] for nid in view.last_rank]
        ids = ", ".join(n.ref for n in recs if n.ref)
        box = ViewNode(
            id="band",
            kind="stub",
            tag=f"{len(recs)} RECOMMENDATIONS" if len(recs) != 1 else "1 RECOMMENDATION",
            body=ids,
            refer=part_name(view, t, BAND),
            summary=True,  # it continues there, like a cut branch's box
        )
        shown = attrs.evolve(shown, nodes=(*shown.nodes, box), first_rank=("band",))
    return shown


def _band_view(view: MapView, back: str) -> MapView:
    """The recommendations alone, each naming its grounds: the drawing of a band cut off the overview."""
    band = set(view.last_rank)
    return attrs.evolve(
        view,
        name=f"{view.name}-recommendations",
        part="recommendations",
        part_title="recommendations",
        back=back,
        nodes=tuple(n for n in view.nodes if n.id in band),
        edges=(),
        clusters=(),
    )


def split_views(view: MapView, inline: Collection[str] = ()) -> tuple[MapView, ...]:
    """An overview plus one part per top-level branch with something below its top; ``(view,)`` when none has.

    Branches named in ``inline`` (by the id their part is named after) stay
    whole in the overview. One level only: :mod:`.split` cuts parts again when
    they do not fit a sheet.
    """
    t = tree(view)
    cuts = [u for u in t.children.get(t.root, ()) if t.below[u] and t.names[u] not in inline]
    if not cuts:
        return (view,)
    owner = owners(view, t, cuts)
    overview = part_view(view, t, t.root, cuts, owner=owner)
    return (overview, *(part_view(view, t, u, (), owner=owner, back=view.name) for u in cuts))


def owners(view: MapView, t: Tree, cuts: Iterable[Unit], base: Mapping[str, str] | None = None) -> dict[str, str]:
    """View id -> the drawing that shows it in full, after cutting ``cuts`` (on top of ``base``)."""
    owner = dict(base) if base is not None else dict.fromkeys((n.id for n in view.nodes), view.name)
    for unit in cuts:
        name = part_name(view, t, unit)
        for below in t.units_under(unit)[1:]:
            for nid in below:
                owner[nid] = name
        for n in view.nodes:
            if n.kind == "junction" and owner.get(n.parent) == name:
                owner[n.id] = name
    return owner


#: A row of more top-level boxes than this is staggered over two ranks.
STAGGER_OVER = 5


def stagger(view: MapView, depth: int = 1, rows: int = 2) -> MapView:
    """Spread a long row of children over ``rows`` ranks, where a box at ``depth - 1`` has many children.

    A thesis with nine reasons is a row nine boxes wide; staggered over two
    ranks (every other child one lower), it is a brick pattern about half as
    wide, over three about a third (what Graphviz's ``unflatten`` does to
    leaves). A linked group moves as one. Rows of fewer than
    :data:`STAGGER_OVER` + 1 children are left alone when ``rows`` is 2.
    """
    depth_of = {n.id: n.depth for n in view.nodes}
    cluster_of = {nid: c.id for c in view.clusters for nid in c.node_ids}
    tree_edges = [e for e in view.edges if e.constraint and e.relation != "follows" and depth_of.get(e.source) == depth]
    units: dict[str, list[str]] = {}  # parent -> its children (a group counts once), in order
    for e in tree_edges:
        siblings = units.setdefault(e.target, [])
        unit = cluster_of.get(e.source, e.source)
        if unit not in siblings:
            siblings.append(unit)
    shift = {
        u: i % rows
        for siblings in units.values()
        if len(siblings) > max(STAGGER_OVER if rows == 2 else rows, 1)
        for i, u in enumerate(siblings)
        if i % rows
    }
    if not shift:
        return view
    in_tree = {id(e) for e in tree_edges}
    edges = tuple(
        attrs.evolve(e, minlen=1 + shift[cluster_of.get(e.source, e.source)])
        if id(e) in in_tree and cluster_of.get(e.source, e.source) in shift
        else e
        for e in view.edges
    )
    return attrs.evolve(view, edges=edges)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _hidden_note(view: MapView, t: Tree, unit: Unit) -> str:
    by_id = {n.id: n for n in view.nodes}
    counts: Counter[str] = Counter()
    for below in t.units_under(unit)[1:]:
        for m in below:
            counts[by_id[m].kind] += len(by_id[m].entries) or 1
    total = sum(counts.values())
    what = ", ".join(f"{c} {k if c == 1 else _PLURAL[k]}" for k, c in sorted(counts.items(), key=_kind_order))
    return f"+ {total} more below ({what})"


def _kind_order(item: tuple[str, int]) -> int:
    return NODE_KINDS.index(item[0])


def _subset(
    view: MapView,
    keep: set[str],
    *,
    name: str,
    part: str,
    part_title: str,
    back: str,
    more: Mapping[str, str],
    refer: Mapping[str, str],
    summarise: Collection[str],
    owner: Mapping[str, str],
    band: bool,
) -> MapView:
    """The part of ``view`` made of ``keep``; arrows to boxes outside it end on reference stubs.

    An arrow whose ground is outside the subset is dropped unless it is a
    cross-link. Junctions no kept undercut ends on are dropped, and their arrow
    drawn plain. Each stub refers to the drawing that shows its box in full.
    """
    nodes = {n.id: n for n in view.nodes}
    kept_edges: list[ViewEdge] = []
    stubs: dict[str, ViewNode] = {}

    def stub_for(vid: str) -> str:
        target = nodes[vid]
        sid = f"s{vid}"
        if sid not in stubs:
            stubs[sid] = ViewNode(
                id=sid,
                kind="stub",
                tag=f"{target.kind.upper()} {target.ref}".strip(),
                refer=owner.get(vid, view.name),
                depth=target.depth,
            )
        return sid

    links: dict[str, list[tuple[str, str]]] = {}
    for e in view.edges:
        src_in, tgt_in = e.source in keep, e.target in keep
        if src_in and tgt_in:
            kept_edges.append(e)
        elif not e.constraint and (src_in or tgt_in):
            # A cross-link to or from a box drawn elsewhere: a line in the box here, naming
            # the other box and where it is (a stub per link made a row of them across the page).
            here, there = (e.source, e.target) if src_in else (e.target, e.source)
            other = nodes[there].ref or nodes[there].kind
            words = f"{_CROSS_WORDS[e.relation]} {other}" if src_in else f"{_CROSS_BY[e.relation]} {other}"
            links.setdefault(here, []).append((words, owner.get(there, view.name)))
        elif src_in and not tgt_in:
            # The part's top hangs off a box drawn elsewhere: point at a stub of it.
            if nodes[e.target].kind == "junction" or e.rank_only:
                continue
            kept_edges.append(attrs.evolve(e, target=stub_for(e.target), junction=e.junction if e.junction in keep else ""))

    used_junctions = {e.target for e in kept_edges if e.relation == "undercut"}
    final_edges = tuple(
        attrs.evolve(e, junction="") if e.junction and e.junction not in used_junctions else e for e in kept_edges
    )
    final_edges = tuple(_dedupe(final_edges))
    kept_nodes = tuple(
        _shown(n, more.get(n.id, ""), refer.get(n.id, ""), n.id in summarise, tuple(links.get(n.id, ())))
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
        back=back,
        nodes=(*tuple(stubs[s] for s in sorted(stubs, key=_stub_key)), *kept_nodes),
        edges=final_edges,
        clusters=clusters,
        last_rank=view.last_rank if band else (),
    )


def _shown(node: ViewNode, more: str, refer: str, summary: bool, links: tuple[tuple[str, str], ...] = ()) -> ViewNode:
    if summary:
        return attrs.evolve(node, body="", citation="", quoted=False, notes=(), more=more, refer=refer, summary=True)
    return attrs.evolve(node, more=more, refer=refer, links=links) if more or refer or links else node


def _stub_key(sid: str) -> tuple[int, str]:
    # "sn12" (a box) before "sj3" (never a stub target, but keep the order total).
    return (int(sid[2:]) if sid[2:].isdigit() else -1, sid)


def _dedupe(edges: Iterable[ViewEdge]) -> Iterable[ViewEdge]:
    seen = set()
    for e in edges:
        key = (e.source, e.target, e.relation)
        if key not in seen:
            seen.add(key)
            yield e
