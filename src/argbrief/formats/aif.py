"""AIF JSON (the Argument Interchange Format as AIFdb and OVA write it).

Reading: I-nodes (propositions) are claims; an RA node (an inference) links
its premises to each conclusion — several premises of one RA are linked
premises, a ``group``; a CA node (a conflict) is an attack on an I-node, or an
undercut when it targets an RA or CA node.  Everything else is dialogue or
bookkeeping a map cannot hold and is dropped with one counted warning: L
(locutions), YA (illocutions), TA (transitions), MA (rephrases), PA
(preferences), ``locutions``, ``participants`` and timestamps.

Writing: one I-node per claim and evidence item, an RA per support link (one
per linked group), a CA per attack; node and edge ids count up from 1 in the
map's order, no timestamps.  What AIF has no place for — ids, kinds, labels,
notes, answers, evidence details, the map's metadata and recommendations —
goes into a top-level ``"argbrief"`` object that AIF tools ignore and that
makes reading the file back give the same map.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from .. import convert
from .. import model as m
from .._yamlread import decode
from ..diagnostics import Diagnostic
from ..model import ArgumentMap, SourceSpan
from . import Format, Imported
from ._graph import ATTACK, SUPPORTS, UNDERCUT, GLink, GNode, Graph, build_map

EXTENSION = "argbrief"
EXTENSION_VERSION = 1
#: Node types that carry no argument structure a map can hold.
_DIALOGUE = {"L": "L (locution)", "YA": "YA (illocution)", "TA": "TA (transition)",
             "MA": "MA (rephrase)", "PA": "PA (preference)"}


def read_json(data: bytes, name: str, what: str) -> tuple[Any, list[Diagnostic]]:
    """Decoded, parsed JSON; located ``import.syntax`` diagnostics when it is not."""
    text, diags = decode(data, name)
    if text is None:
        return None, diags
    try:
        return json.loads(text), diags
    except json.JSONDecodeError as exc:
        return None, diags + [Diagnostic(code="import.syntax", message=f"not valid JSON ({exc.msg}); {what} files are JSON",
                                         span=SourceSpan(name, exc.lineno, exc.colno))]
    except RecursionError:
        return None, diags + [Diagnostic(code="import.syntax", message="the JSON is nested too deeply", span=SourceSpan(name))]


def load_aif(data: bytes, name: str) -> Imported:
    """An AIF JSON file as an argbrief map."""
    doc, diags = read_json(data, name, "AIF")
    if doc is None:
        return Imported(map=None, diagnostics=tuple(diags))
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
        return Imported(map=None, diagnostics=(*diags, Diagnostic(
            code="import.syntax", message="not AIF: the top level needs a 'nodes' list (and an 'edges' list)", span=SourceSpan(name))))
    graph, more = aif_graph(doc, name)
    amap, built = build_map(graph)
    return Imported(map=amap, diagnostics=tuple(diags + more + built))


def _malformed(name: str, message: str) -> Diagnostic:
    return Diagnostic(code="import.malformed", message=message, span=SourceSpan(name))


def aif_graph(doc: Mapping[str, Any], name: str) -> tuple[Graph, list[Diagnostic]]:
    """The neutral argument graph of an AIF document (see the module docstring)."""
    diags: list[Diagnostic] = []
    ext = doc.get(EXTENSION) if isinstance(doc.get(EXTENSION), dict) else {}
    ext_nodes = ext.get("nodes") if isinstance(ext.get("nodes"), dict) else {}
    types: dict[str, str] = {}
    texts: dict[str, str] = {}
    index: dict[str, int] = {}  # nodeID -> position in 'nodes', for messages
    order: list[str] = []
    dropped: Counter[str] = Counter()
    for i, node in enumerate(doc["nodes"]):
        if not isinstance(node, dict) or node.get("nodeID") is None:
            diags.append(_malformed(name, f"nodes[{i}] has no 'nodeID'; it is skipped"))
            continue
        nid = str(node["nodeID"])
        if nid in types:
            diags.append(_malformed(name, f"nodes[{i}]: node id '{nid}' is used twice; the first is kept"))
            continue
        kind = str(node.get("type") or "")
        types[nid] = kind
        index[nid] = i
        texts[nid] = node.get("text") if isinstance(node.get("text"), str) else ""
        order.append(nid)
        if kind not in ("I", "RA", "CA"):
            dropped[_DIALOGUE.get(kind, f"{kind or 'untyped'}")] += 1

    ins: dict[str, list[str]] = {n: [] for n in order}
    outs: dict[str, list[str]] = {n: [] for n in order}
    edges = doc.get("edges") if isinstance(doc.get("edges"), list) else []
    for i, edge in enumerate(edges):
        if not isinstance(edge, dict):
            diags.append(_malformed(name, f"edges[{i}] is not an object; it is skipped"))
            continue
        src, dst = str(edge.get("fromID")), str(edge.get("toID"))
        if src not in types or dst not in types:
            missing = src if src not in types else dst
            diags.append(_malformed(name, f"edges[{i}] links node '{missing}', which the file does not have; it is skipped"))
            continue
        outs[src].append(dst)
        ins[dst].append(src)

    nodes: list[GNode] = []
    for nid in order:
        if types[nid] != "I":
            continue
        fields = dict(ext_nodes.get(nid, {})) if isinstance(ext_nodes.get(nid), dict) else {}
        suggested = str(fields.get("id") or f"n{nid}")
        if fields.get("id"):
            fields.pop("id")  # the suggestion carries it; an empty one stays to say "no id"
        nodes.append(GNode(key=nid, text=texts[nid], id=suggested, fields=fields, span=SourceSpan(name)))

    def premises(sid: str) -> list[str]:
        return [p for p in ins[sid] if types[p] == "I"]

    links: list[GLink] = []
    for sid in order:
        kind = types[sid]
        if kind not in ("RA", "CA"):
            continue
        prem = premises(sid)
        targets = [t for t in outs[sid] if types[t] in ("I", "RA", "CA")]
        stray = [t for t in outs[sid] if types[t] not in ("I", "RA", "CA")]
        what = "inference (RA)" if kind == "RA" else "conflict (CA)"
        where = f"nodes[{index[sid]}]"
        if stray:
            diags.append(_malformed(name, f"{where}: {what} '{sid}' points at {len(stray)} node(s) that are not claims or inferences; those links are skipped"))
        if not prem or not targets:
            lack = "premise" if not prem else "conclusion"
            diags.append(_malformed(name, f"{where}: {what} '{sid}' has no {lack}; it is skipped"))
            continue
        extra = ext_nodes.get(sid) if isinstance(ext_nodes.get(sid), dict) else {}
        for k, target in enumerate(targets):
            key = sid if k == 0 else f"{sid}#{k}"
            if kind == "RA":
                if types[target] != "I":
                    diags.append(_malformed(name, f"{where}: inference '{sid}' supports another inference ('{target}'), which a map cannot show; skipped"))
                    continue
                links.append(GLink(premises=tuple(prem), target=target, relation=SUPPORTS, key=key, span=SourceSpan(name)))
            elif types[target] == "I":
                relation = UNDERCUT if extra.get("undercut") is True else ATTACK
                links.append(GLink(premises=tuple(prem), target=target, relation=relation, key=key, span=SourceSpan(name)))
            else:
                anchor = str(extra.get("on") or next(iter(premises(target)), ""))
                if not anchor:
                    diags.append(_malformed(name, f"{where}: conflict '{sid}' undercuts '{target}', which has no premise; skipped"))
                    continue
                links.append(GLink(premises=tuple(prem), target=anchor, relation=UNDERCUT, key=key, undercut_of=target, span=SourceSpan(name)))

    if dropped:
        counts = ", ".join(f"{n} {t}" for t, n in sorted(dropped.items()))
        diags.append(Diagnostic(code="import.dropped", message=f"nodes a map cannot hold were dropped: {counts}", span=SourceSpan(name),
                                hint="argbrief keeps propositions (I), inferences (RA) and conflicts (CA)"))
    meta = dict(ext.get("map")) if isinstance(ext.get("map"), dict) else {}
    graph = Graph(name=name, nodes=tuple(nodes), links=tuple(links), meta=meta, merge_duplicates=False)
    return graph, diags


# --- writing ---------------------------------------------------------------------------------


class _Writer:
    def __init__(self, amap: ArgumentMap) -> None:
        self.amap = amap
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.ext: dict[str, dict[str, Any]] = {}
        self.ids: dict[str, str] = {}  # argbrief id -> AIF nodeID (cross-links name ids)
        self.nids: dict[int, str] = {}  # node object -> AIF nodeID (evidence may have no id)
        self.link_of: dict[int, str] = {}  # node object -> the S-node linking it to its parent
        self.count = 0

    def _next(self) -> str:
        self.count += 1
        return str(self.count)

    def _edge(self, src: str, dst: str) -> None:
        self.edges.append({"edgeID": str(len(self.edges) + 1), "fromID": src, "toID": dst, "formEdgeID": None})

    def _s_node(self, kind: str) -> str:
        nid = self._next()
        text = "Default Inference" if kind == "RA" else "Default Conflict"
        self.nodes.append({"nodeID": nid, "text": text, "type": kind, "scheme": text})
        return nid

    def write(self) -> str:
        walked = list(self.amap.walk())
        for w in walked:  # I-nodes first, in document order
            node = w.node
            if isinstance(node, (m.Claim, m.Evidence)):
                nid = self._next()
                self.nids[id(node)] = nid
                if node.id:
                    self.ids.setdefault(node.id, nid)
                text, fields = _fields(node)
                self.nodes.append({"nodeID": nid, "text": text, "type": "I"})
                self.ext[nid] = fields
        groups: dict[int, str] = {}
        for w in walked:  # then the tree's links, in the same order
            node, parent = w.node, w.parent
            if parent is None or not isinstance(node, (m.Claim, m.Evidence)):
                continue
            me, up = self.nids[id(node)], self.nids[id(parent)]
            if w.relation == "supports":
                group = _group_of(parent, node)
                if group is not None and id(group) in groups:
                    sid = groups[id(group)]
                else:
                    sid = self._s_node("RA")
                    self._edge(sid, up)
                    if group is not None:
                        groups[id(group)] = sid
                self._edge(me, sid)
            else:
                sid = self._s_node("CA")
                self._edge(me, sid)
                if w.relation == "undercut" and id(parent) in self.link_of:
                    self._edge(sid, self.link_of[id(parent)])
                    group = _group_of_member(self.amap, parent)
                    if group is not None and group.members[0] is not parent:
                        self.ext[sid] = {"on": up}
                else:
                    self._edge(sid, up)
                    if w.relation == "undercut":
                        self.ext[sid] = {"undercut": True}  # the thesis has no inference to undercut
            self.link_of[id(node)] = sid
        for w in walked:  # cross-links last: a claim's tree link comes first
            node = w.node
            if not isinstance(node, m.Claim):
                continue
            for kind, targets in (("RA", node.also_supports), ("CA", node.also_attacks)):
                for target in targets:
                    if target not in self.ids:
                        continue
                    sid = self._s_node(kind)
                    self._edge(self.nids[id(node)], sid)
                    self._edge(sid, self.ids[target])
        head = convert.unstructure(attrs.evolve(self.amap, thesis=None))
        doc = {
            "nodes": self.nodes,
            "edges": self.edges,
            "locutions": [],
            EXTENSION: {"version": EXTENSION_VERSION, "map": head, "nodes": {k: v for k, v in self.ext.items() if v}},
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _group_of(parent: m.Claim, node: m.Claim | m.Evidence) -> m.Group | None:
    for item in parent.premises:
        if isinstance(item, m.Group) and any(member is node for member in item.members):
            return item
    return None


def _group_of_member(amap: ArgumentMap, node: m.Claim) -> m.Group | None:
    for w in amap.walk():
        if isinstance(w.node, m.Claim):
            group = _group_of(w.node, node)
            if group is not None:
                return group
    return None


def _fields(node: m.Claim | m.Evidence) -> tuple[str, dict[str, Any]]:
    """The I-node text, and what AIF cannot say about the node (for the extension)."""
    wire = convert.unstructure(node)
    for key in (*m.CHILD_LISTS, "also_supports", "also_attacks"):
        wire.pop(key, None)
    fields: dict[str, Any] = {"id": wire.pop("id", "")}
    if isinstance(node, m.Evidence):
        native = "quote" if node.quote else "text"
        fields["kind"] = "quote" if node.quote else "evidence"
    else:
        native = "text"
        fields["kind"] = node.kind
        if wire.get("relation") == "undercut":  # AIF says it: the conflict targets an inference
            wire.pop("relation")
    text = wire.pop(native, "")
    fields.update(wire)
    return text, fields


def dump_aif(amap: ArgumentMap) -> str:
    """``amap`` as AIF JSON (deterministic ids, no timestamps, an ``argbrief`` extension object)."""
    return _Writer(amap).write()


FORMAT = Format(
    name="aif",
    suffixes=(".aif.json", ".aif", ".json"),
    description="AIF JSON as AIFdb and OVA write it (I, RA, CA nodes; dialogue nodes are dropped)",
    load=load_aif,
    dump=dump_aif,
)
