"""The neutral argument graph every importer reads into, and the one builder that
turns it into an argbrief map.

Foreign formats are graphs: AIF and SADFace link claims through inference and
conflict nodes, microtexts through typed edges, Argdown through relations and
premise-conclusion structures, Kialo through numbered replies plus "-> See"
links.  An argbrief map is a tree rooted at one thesis plus cross-links.  Each
importer describes its source as a :class:`Graph` (claims and the links
between them, in document order) and :func:`build_map` makes the tree, the
same way for every format:

1. links become child -> parent edges; duplicates are merged; a linked
   *attack* (several premises that attack together, which the model cannot
   hold) keeps its first premise as the attacker and makes the others its
   premises (``import.linked-attack``);
2. cycles are broken by dropping the edge that closes them (``import.cycle``);
3. roots are the claims with no outgoing edge; several roots hang under a
   synthetic "issue" thesis (``import.several-roots``, see :data:`ISSUE_NOTE`);
4. each other claim's first outgoing edge (document order) is its tree edge,
   the rest become ``also_supports`` / ``also_attacks`` cross-links;
5. kinds follow from the tree: supports are premises (or evidence and
   assumptions where the source says so and the model allows it), attacks are
   objections, attacks on objections rebuttals; premises that share one
   inference become a linked ``group``.

The result is wire-format data (what YAML would hold) structured by the one
converter (:func:`argbrief.convert.structure`), so imported maps obey exactly
the rules authored ones do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from .. import convert
from .. import model as m
from .._yamlread import SPAN
from ..diagnostics import Diagnostic, Severity
from ..model import NOWHERE, ArgumentMap, SourceSpan
from ..validate import NODE_ID, SLUG, validate_map

SUPPORTS, ATTACK, UNDERCUT = "supports", "attack", "undercut"
RELATIONS = (SUPPORTS, ATTACK, UNDERCUT)
#: How diagnostics name a relation ("the support of 'T' by 'P' ...": tests count them by this word).
_WHAT = {SUPPORTS: "support", ATTACK: "attack", UNDERCUT: "undercut"}

#: The id and note of the thesis added when a source has several roots.
ISSUE_ID = "issue"
ISSUE_NOTE = (
    "Added by argbrief import: the source has {n} separate conclusions and no single "
    "central claim. Its children are those conclusions; they are not reasons for it."
)
#: Claims in one tangle of cycles above which a cheaper way of breaking them is used.
LARGE_TANGLE = 1000
#: Claim levels a map may nest (the YAML reader's nesting limit, with room for linked groups).
MAX_DEPTH = 24
#: Text given to a claim whose source text is empty (a map claim must have text).
EMPTY_TEXT = "(no text in the source)"

#: Wire keys that a node's ``fields`` may carry (besides ``kind``); structure is the graph's.
_STRUCTURAL = frozenset({"premises", "assumptions", "evidence", "objections", "rebuttals", "group",
                         "also_supports", "also_attacks"})


@frozen(kw_only=True)
class GNode:
    """A claim of the source.

    ``fields`` holds wire-format extras the source knows (``label``, ``tags``,
    ``note``, ``answers``; for evidence ``source``, ``strength`` ...) and an
    optional ``kind`` hint: ``assumption``, ``quote`` (evidence whose ``text``
    here is the verbatim quote) or ``evidence`` (evidence whose ``text`` here is
    a paraphrase).  The tree decides every other kind.
    """

    key: str
    text: str
    id: str = ""
    fields: Mapping[str, Any] = field(factory=dict)
    span: SourceSpan = NOWHERE


@frozen(kw_only=True)
class GLink:
    """An inference (``supports``) or a conflict (``attack``/``undercut``).

    Several premises support (or attack) the target only together.  An
    undercut attacks the inference that links ``target`` to its parent;
    ``undercut_of`` names the link whose inference is meant, when the source
    says (AIF, microtexts), so a mismatch with the tree can be reported.
    """

    premises: tuple[str, ...]
    target: str
    relation: str = SUPPORTS
    key: str = ""
    undercut_of: str = ""
    #: For an attack that goes both ways: "contrary" or "contradictory" (the attacker's ``mutual``).
    mutual: str = ""
    span: SourceSpan = NOWHERE


@frozen(kw_only=True)
class Graph:
    """A source as claims and links, both in document order, plus map-level wire fields."""

    name: str
    nodes: tuple[GNode, ...] = ()
    links: tuple[GLink, ...] = ()
    meta: Mapping[str, Any] = field(factory=dict)
    #: Key of the claim the source names as central; used when it is a root.
    root: str = ""
    #: Text of the synthetic thesis when there are several roots (default: from the title).
    issue_text: str = ""
    #: Whether one relation stated by two links is one relation (Argdown: "the parser will recognize
    #: that you mean the same relation") or two (AIF: two inference nodes; the second becomes a cross-link).
    merge_duplicates: bool = True


@frozen
class _Edge:
    child: str
    parent: str
    relation: str
    link: int  # index into the links (a linked group shares one)
    undercut_of: str
    span: SourceSpan
    mutual: str = ""


def _components(nodes: Mapping[str, Any], edges: list[_Edge]) -> dict[str, int]:
    """Strongly connected component of every node (Tarjan's algorithm, without recursion)."""
    out: dict[str, list[str]] = {k: [] for k in nodes}
    for e in edges:
        out[e.child].append(e.parent)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            key, pos = work[-1]
            if pos == 0:
                index[key] = low[key] = counter
                counter += 1
                stack.append(key)
                on_stack.add(key)
            if pos < len(out[key]):
                work[-1] = (key, pos + 1)
                nxt = out[key][pos]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[key] = min(low[key], index[nxt])
                continue
            work.pop()
            if work:
                up = work[-1][0]
                low[up] = min(low[up], low[key])
            if low[key] == index[key]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[key]
                    if member == key:
                        break
    return component


def slugify(text: str, fallback: str = "map") -> str:
    """A map or position slug: lowercase letters, digits and single hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or fallback


def node_id(text: str, fallback: str = "n") -> str:
    """A valid node id for ``text``: itself when valid, else its characters made safe."""
    if NODE_ID.match(text):
        return text
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")
    if not safe:
        return fallback
    return safe if safe[0].isalpha() else f"{fallback}{safe}"


def short_title(text: str, words: int = 12) -> str:
    """The first words of ``text``, for a title the source does not give."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def build_map(graph: Graph) -> tuple[ArgumentMap | None, list[Diagnostic]]:
    """The argbrief map of ``graph`` and what could not be carried over, as diagnostics."""
    builder = _Builder(graph)
    if not builder.nodes:
        return None, builder.diags + [
            Diagnostic(code="import.no-claims", message="the source holds no claims, so there is no map to make",
                       span=SourceSpan(graph.name))
        ]
    data = builder.build()
    amap, more = convert.structure(data, ArgumentMap, graph.name)
    if amap is not None:
        # The tree is valid by construction; what can still be wrong came with the file (a
        # recommendation citing a claim an edit removed): an error, so nothing broken is written.
        more += [d for d in validate_map(amap) if d.severity is Severity.ERROR]
    return amap, builder.diags + more


class _Builder:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.diags: list[Diagnostic] = []
        self.nodes: dict[str, GNode] = {}
        for n in graph.nodes:
            if n.key in self.nodes:
                self._warn("import.duplicate-node", f"claim '{n.key}' is defined twice; the first is kept", n.span)
            else:
                self.nodes[n.key] = n
        self.edges: list[_Edge] = []

    def _warn(self, code: str, message: str, span: SourceSpan = NOWHERE, hint: str = "") -> None:
        self.diags.append(Diagnostic(code=code, message=message, span=span if span is not NOWHERE else SourceSpan(self.g.name), hint=hint))

    # -- 1. links -> edges ---------------------------------------------------------------

    def _expand(self) -> None:
        seen: set[tuple[str, str, str, int]] = set()

        def add(child: str, parent: str, relation: str, link: int, undercut_of: str, span: SourceSpan, mutual: str = "") -> None:
            same_link = (child, parent, relation, link) in seen
            if same_link or (self.g.merge_duplicates and (child, parent, relation, -1) in seen):
                if same_link:  # one inference listing a premise twice
                    key = self.g.links[link].key if link < len(self.g.links) else ""
                    self._warn("import.duplicate-link", f"the {_WHAT[relation]} of '{self.ids[parent]}' by '{self.ids[child]}' "
                               "is stated a second time" + (f" (link '{key}')" if key else "") + "; it is kept once", span)
                return
            seen.update({(child, parent, relation, link), (child, parent, relation, -1)})
            self.edges.append(_Edge(child, parent, relation, link, undercut_of, span, mutual))

        for i, link in enumerate(self.g.links):
            where = f" (link '{link.key}')" if link.key else ""
            known = []
            # Readers link only claims they read; a stray key is the source's fault, reported as such.
            for p in link.premises:
                if p in self.nodes:
                    known.append(p)
                else:
                    self._warn("import.malformed", f"a {_WHAT[link.relation]} link names unknown claim '{_bare(p)}'{where}; that premise is skipped", link.span)
            if link.target not in self.nodes:
                self._warn("import.malformed", f"a {_WHAT[link.relation]} link points at unknown claim '{_bare(link.target)}'{where}; it is skipped", link.span)
                continue
            if not known:
                continue
            if link.relation == SUPPORTS:
                for p in known:
                    add(p, link.target, SUPPORTS, i, "", link.span)
                continue
            first, rest = known[0], known[1:]
            add(first, link.target, link.relation, i, link.undercut_of, link.span, link.mutual if link.relation == ATTACK else "")
            for p in rest:
                self._warn(
                    "import.linked-attack",
                    f"claims '{self.ids[first]}' and '{self.ids[p]}' "
                    + (f"undercut the inference from '{self.ids[link.target]}'" if link.relation == UNDERCUT else f"attack '{self.ids[link.target]}'")
                    + f" only together{where}; argbrief has no linked attacks, so "
                    f"'{self.ids[p]}' becomes a premise of '{self.ids[first]}'",
                    link.span,
                )
                add(p, first, SUPPORTS, len(self.g.links) + len(self.edges), "", link.span)

    # -- 2. cycles -----------------------------------------------------------------------

    def _break_cycles(self) -> None:
        """Keep edges in document order; drop each one that would close a cycle with those kept.

        Only edges inside one strongly connected component can close a cycle,
        so an acyclic source (the usual case) costs linear time.  Within a
        component the test is a search per edge; a component too large for
        that (a hostile file) gets one depth-first pass in document order,
        which drops the edges that lead back up its path instead.
        """
        component = _components(self.nodes, self.edges)
        size: dict[int, int] = {}
        inner: dict[int, int] = {}
        for key, c in component.items():
            size[c] = size.get(c, 0) + 1
        for e in self.edges:
            if component[e.child] == component[e.parent]:
                inner[component[e.child]] = inner.get(component[e.child], 0) + 1
        tangled = {c for c, n in inner.items() if size[c] > LARGE_TANGLE or n > 5 * LARGE_TANGLE}
        dropped = self._back_edges(component, tangled) if tangled else set()
        ups: dict[str, list[str]] = {k: [] for k in self.nodes}  # child -> parents kept so far
        kept: list[_Edge] = []
        for i, e in enumerate(self.edges):
            same = component[e.child] == component[e.parent]
            if i in dropped:
                path: list[str] | None = dropped[i]
            elif same and component[e.child] not in tangled:
                path = self._path(ups, e.parent, e.child)
            else:
                path = None
            if path is None:
                ups[e.child].append(e.parent)
                kept.append(e)
                continue
            loop = [self.ids.get(k, k) for k in (e.child, *path)]
            shown = loop if len(loop) <= 9 else [*loop[:4], "…", *loop[-3:]]
            self._warn(
                "import.cycle",
                f"the {_WHAT[e.relation]} of '{self.ids[e.parent]}' by '{self.ids[e.child]}' closes a cycle "
                f"({' -> '.join(shown)}); it is dropped",
                e.span,
                hint="an argbrief map is a tree with acyclic cross-links",
            )
        self.edges = kept

    def _back_edges(self, component: dict[str, int], tangled: set[int]) -> dict[int, list[str]]:
        """The edges inside ``tangled`` components that a depth-first pass finds leading back up its path,
        by index, each with (the ends of) the cycle it closes."""
        out: dict[str, list[int]] = {}
        for i, e in enumerate(self.edges):
            if component[e.child] == component[e.parent] and component[e.child] in tangled:
                out.setdefault(e.child, []).append(i)
        back: dict[int, list[str]] = {}
        state: dict[str, int] = {}  # 1 on the path, 2 done
        where: dict[str, int] = {}  # position on the path
        for start in out:
            if start in state:
                continue
            state[start], where[start] = 1, 0
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                key, pos = stack[-1]
                edges = out.get(key, [])
                if pos == len(edges):
                    state[key] = 2
                    stack.pop()
                    continue
                stack[-1] = (key, pos + 1)
                up = self.edges[edges[pos]].parent
                if state.get(up) == 1:
                    first = where[up]  # the cycle: up ... key on the path, then back to up
                    ends = [k for k, _ in stack[first:first + 4]]
                    tail = [k for k, _ in stack[max(first + 4, len(stack) - 3):]]
                    back[edges[pos]] = [*ends, *tail, up] if len(stack) - first <= 7 else [*ends, "…", *tail, up]
                elif up not in state:
                    state[up], where[up] = 1, len(stack)
                    stack.append((up, 0))
        return back

    @staticmethod
    def _path(ups: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
        """Keys from ``start`` up to ``goal`` along kept edges (breadth first), or None when it cannot be reached."""
        if start == goal:
            return [start]
        came: dict[str, str] = {start: start}
        queue = [start]
        for key in queue:
            for up in ups[key]:
                if up in came:
                    continue
                came[up] = key
                if up == goal:
                    path = [up]
                    while path[-1] != start:
                        path.append(came[path[-1]])
                    return path[::-1]
                queue.append(up)
        return None

    # -- 3./4. roots and tree edges --------------------------------------------------------

    def _tree(self) -> tuple[list[str], dict[str, _Edge], dict[str, list[_Edge]]]:
        out: dict[str, list[_Edge]] = {k: [] for k in self.nodes}
        for e in self.edges:
            out[e.child].append(e)
        # An undercut names the inference it attacks: prefer that one as its anchor's tree edge.
        wanted: dict[str, set[int]] = {}
        link_index = {link.key: i for i, link in enumerate(self.g.links) if link.key}
        for e in self.edges:
            if e.relation == UNDERCUT and e.undercut_of in link_index:
                wanted.setdefault(e.parent, set()).add(link_index[e.undercut_of])
        roots = [k for k in self.nodes if not out[k]]
        parent: dict[str, _Edge] = {}
        cross: dict[str, list[_Edge]] = {}
        for key, edges in out.items():
            if not edges:
                continue
            prefer = [e for e in edges if e.link in wanted.get(key, ())]
            tree = (prefer or edges)[0]
            parent[key] = tree
            cross[key] = [e for e in edges if e is not tree]
        for e in self.edges:
            if e.relation != UNDERCUT or e.undercut_of not in link_index:
                continue
            anchor_edge = parent.get(e.parent)
            if parent.get(e.child) is e and (anchor_edge is None or anchor_edge.link != link_index[e.undercut_of]):
                self._warn(
                    "import.undercut-moved",
                    f"'{self.ids[e.child]}' undercuts the inference from '{self.ids[e.parent]}' in link '{e.undercut_of}', "
                    f"which is not in the map's tree; it is drawn on '{self.ids[e.parent]}''s link to its parent",
                    e.span,
                )
        self._limit_depth(roots, parent, cross)
        return roots, parent, cross

    def _limit_depth(self, roots: list[str], parent: dict[str, _Edge], cross: dict[str, list[_Edge]]) -> None:
        """Re-hang claims nested deeper than :data:`MAX_DEPTH` under the root, keeping their link as a cross-link.

        argbrief's YAML reader refuses deeper nesting (it guards against
        hostile files), so a deeper tree would make a map ``check`` rejects.
        Levels count as if under a synthetic thesis (one more than needed with
        a single root): cutting one claim adds a root anyway.
        """
        kids: dict[str, list[str]] = {}
        for key, edge in parent.items():
            kids.setdefault(edge.parent, []).append(key)
        queue = [(r, 2) for r in roots]
        for key, level in queue:  # breadth first, top down: a cut claim starts again at level 2
            for kid in kids.get(key, ()):
                if level + 1 <= MAX_DEPTH:
                    queue.append((kid, level + 1))
                    continue
                edge = parent.pop(kid)
                cross[kid] = [edge, *cross.get(kid, [])]
                roots.append(kid)
                queue.append((kid, 2))
                self._warn(
                    "import.too-deep",
                    f"claim '{self.ids[kid]}' is nested more than {MAX_DEPTH} levels deep; it now hangs under the "
                    f"thesis, its {_WHAT[edge.relation]} of '{self.ids[edge.parent]}' kept as a cross-link",
                    self.nodes[kid].span,
                )

    # -- 5. kinds and wire data ---------------------------------------------------------

    def build(self) -> dict[str, Any]:
        self.ids = self._assign_ids()
        self._expand()
        self._break_cycles()
        roots, parent, cross = self._tree()
        children: dict[str, list[_Edge]] = {k: [] for k in self.nodes}
        order = {id(e): i for i, e in enumerate(self.edges)}  # tree children in document order
        for e in sorted(parent.values(), key=lambda e: order[id(e)]):
            children[e.parent].append(e)
        self.children = children
        self.cross = cross
        self.parent = parent

        meta = {k: _clean_value(v) for k, v in self.g.meta.items()}
        data: dict[str, Any] = {}
        if len(roots) == 1:
            thesis = self._node(roots[0], "thesis", None)
        else:
            if self.g.root in roots:  # the named central claim first
                roots.remove(self.g.root)
                roots.insert(0, self.g.root)
            thesis = self._issue(roots, meta)
        title = str(meta.get("title") or "") or short_title(_display_text(thesis))
        map_id = str(meta.get("map") or "")
        if not SLUG.match(map_id):
            map_id = slugify(map_id or _stem(self.g.name) or title)
        data["map"] = map_id
        data["title"] = title
        for key, value in meta.items():
            if key not in ("map", "title", "thesis") and value not in (None, "", [], {}):
                data[key] = value
        data["thesis"] = thesis
        data[SPAN] = SourceSpan(self.g.name, 1, 1)
        # Keep the wire key order of the model (readable YAML): map, title, ..., thesis, recommendations.
        keys = convert.wire_keys(ArgumentMap)
        return {k: data[k] for k in sorted(data, key=lambda k: keys.index(k) if k in keys else len(keys))}

    def _issue(self, roots: list[str], meta: Mapping[str, Any]) -> dict[str, Any]:
        text = self.g.issue_text or str(meta.get("title") or "") or f"The arguments of {_stem(self.g.name) or 'the source'}"
        issue_id = ISSUE_ID
        n = 2
        while issue_id in self.ids.values():
            issue_id, n = f"{ISSUE_ID}-{n}", n + 1
        self._warn(
            "import.several-roots",
            f"the source has {len(roots)} separate conclusions; they hang under a synthetic thesis '{issue_id}'",
            hint="edit the map to pick a real thesis",
        )
        thesis: dict[str, Any] = {"id": issue_id, "text": text, "note": ISSUE_NOTE.format(n=len(roots))}
        kids = [(r, SUPPORTS, -1) for r in roots]
        self._place(thesis, "thesis", kids)
        return thesis

    def _assign_ids(self) -> dict[str, str]:
        ids: dict[str, str] = {}
        used: set[str] = set()
        for key, n in self.nodes.items():
            if n.fields.get("id") == "" and n.fields.get("kind") in ("quote", "evidence"):
                ids[key] = ""  # evidence ids are optional: one the source left out stays out
                continue
            want = str(n.fields.get("id") or n.id or key)
            base = node_id(want)
            new, i = base, 2
            while new in used:
                new, i = f"{base}-{i}", i + 1
            if new != base:
                self._warn("import.id-changed", f"id '{base}' is taken by another claim; this one becomes '{new}'", n.span)
            used.add(new)
            ids[key] = new
        return ids

    def _node(self, key: str, kind: str, relation: str | None) -> dict[str, Any]:
        """The wire dict of claim ``key`` as a ``kind``, with its subtree."""
        n = self.nodes[key]
        hint = str(n.fields.get("kind") or "")
        allowed = _wire_keys(kind)
        out: dict[str, Any] = {"id": self.ids[key]} if self.ids[key] else {}
        text = _clean(n.text)
        if text != n.text.replace("\r\n", "\n").replace("\r", "\n"):
            self._warn("import.control-char", f"claim '{self.ids[key]}' has control characters; they become spaces", n.span)
        if not text.strip():
            self._warn("import.empty-text", f"claim '{self.ids[key]}' has no text in the source; it is marked {EMPTY_TEXT!r}", n.span)
            text = EMPTY_TEXT
        out["quote" if kind == "evidence" and hint == "quote" else "text"] = text
        if kind != "evidence" and hint in ("quote", "evidence"):
            self._warn("import.kind-changed", f"evidence '{self.ids[key]}' has reasons or cross-links of its own; it becomes a {kind}", n.span)
        elif hint == "assumption" and kind != "assumption":
            self._warn("import.kind-changed", f"assumption '{self.ids[key]}' cannot be an assumption here; it becomes a {kind}", n.span)
        for k, v in n.fields.items():
            # Structure comes from the graph; fields of another kind (evidence's
            # 'strength' on what became a premise) have no place and go.
            if k in allowed and k not in _STRUCTURAL and k not in ("id", "relation", "kind"):
                out.setdefault(k, _clean_value(v))
        if relation == UNDERCUT:
            out["relation"] = "undercut"
        elif relation == ATTACK and n.fields.get("relation") == "attack":
            out["relation"] = "attack"  # said explicitly in the source: keep it
        if kind != "evidence":
            self._cross_links(key, out)
            self._mutual(key, out)
            kids = [(e.child, e.relation, e.link) for e in self.children.get(key, ())]
            self._place(out, kind, kids)
        out[SPAN] = n.span
        return _ordered(out, kind)

    def _cross_links(self, key: str, out: dict[str, Any]) -> None:
        supports: list[str] = []
        attacks: list[str] = []
        for e in self.cross.get(key, ()):
            if e.relation == SUPPORTS:
                supports.append(self.ids[e.parent])
                continue
            if e.relation == UNDERCUT:
                self._warn(
                    "import.undercut-as-attack",
                    f"'{self.ids[key]}' also undercuts an inference of '{self.ids[e.parent]}'; a cross-link cannot "
                    "undercut, so it is recorded as an attack on the claim",
                    e.span,
                )
            attacks.append(self.ids[e.parent])
        if supports:
            out["also_supports"] = supports
        if attacks:
            out["also_attacks"] = attacks

    def _mutual(self, key: str, out: dict[str, Any]) -> None:
        """``mutual`` of claim ``key``: its attacks that go both ways, tree edge and cross-links, by target id.

        What the source's own data says (``fields``, copied already) comes first and wins.
        """
        tree = self.parent.get(key)
        edges = [e for e in (*([tree] if tree is not None else []), *self.cross.get(key, ())) if e.relation == ATTACK]
        found = {self.ids[e.parent]: e.mutual for e in edges if e.mutual}
        if found:
            given = out.get("mutual") if isinstance(out.get("mutual"), dict) else {}
            merged = {**found, **given}
            # In the order of the attacks (the tree's, then the cross-links'), whatever order the source gave.
            order = {self.ids[e.parent]: i for i, e in reversed(list(enumerate(edges)))}
            out["mutual"] = dict(sorted(merged.items(), key=lambda kv: order.get(kv[0], len(order))))

    def _child_kind(self, key: str, relation: str, parent_kind: str) -> str:
        if relation != SUPPORTS:
            return "rebuttal" if parent_kind == "objection" else "objection"
        hint = str(self.nodes[key].fields.get("kind") or "")
        leaf = not self.children.get(key) and not self.cross.get(key)
        if hint in ("quote", "evidence") and leaf:
            return "evidence"
        if hint == "assumption" and parent_kind in ("thesis", "premise"):
            return "assumption"
        return "premise"

    def _place(self, out: dict[str, Any], kind: str, kids: list[tuple[str, str, int]]) -> None:
        """Put the children into ``out``'s child lists; premises of one link form a group."""
        lists: dict[str, list[Any]] = {}
        by_link: dict[int, int] = {}
        for link in {k[2] for k in kids if k[1] == SUPPORTS and k[2] >= 0}:
            members = [k for k in kids if k[2] == link and k[1] == SUPPORTS and self._child_kind(k[0], SUPPORTS, kind) == "premise"]
            if len(members) >= 2:
                by_link[link] = len(members)
        groups: dict[int, list[Any]] = {}
        for child, relation, link in kids:
            ck = self._child_kind(child, relation, kind)
            node = self._node(child, ck, relation)
            if ck == "premise" and link in by_link:
                if link not in groups:
                    groups[link] = []
                    lists.setdefault("premises", []).append({"group": groups[link]})
                groups[link].append(node)
                continue
            name = {"premise": "premises", "assumption": "assumptions", "evidence": "evidence",
                    "objection": "objections", "rebuttal": "rebuttals"}[ck]
            lists.setdefault(name, []).append(node)
        out.update(lists)


#: What no map file can hold: control characters, and the halves of surrogate pairs
#: that a JSON escape ("\\ud800") can hold alone.
NOT_IN_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text without the characters that YAML (and argbrief's reader) refuse; line ends as ``\\n``."""
    return NOT_IN_YAML.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def _clean_value(value: Any) -> Any:
    """``value`` with :func:`_clean` applied to every text in it."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return {k: _clean_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    return value


def _wire_keys(kind: str) -> list[str]:
    cls = {"evidence": m.Evidence, **m.CLAIM_CLASSES}[kind]
    return convert.wire_keys(cls)


def _ordered(out: dict[str, Any], kind: str) -> dict[str, Any]:
    """Wire keys in the model's declaration order (so the YAML reads like an authored map)."""
    keys = _wire_keys(kind)
    return {k: out[k] for k in sorted(out, key=lambda k: keys.index(k) if k in keys else len(keys))}


def _bare(key: str) -> str:
    """A source key as the user knows it (Argdown keys carry a 's:'/'a:' prefix)."""
    return key[2:] if key[:2] in ("s:", "a:") else key


def _display_text(node: Mapping[str, Any]) -> str:
    return str(node.get("text") or node.get("quote") or "")


def _stem(name: str) -> str:
    base = re.split(r"[\\/]", name)[-1]
    return base.split(".")[0] if base else ""
