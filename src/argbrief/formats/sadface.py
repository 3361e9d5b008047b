"""SADFace JSON (the Simple Argument Description Format, Open-Argumentation/SADFace).

``atom`` nodes are claims; a ``scheme`` node links the atoms pointing into it
to the node it points at: ``support`` (and any other scheme name) supports,
``conflict`` (or ``attack``) attacks — an undercut when the target is another
scheme.  ``metadata.core`` gives the title and, from its description and
notes, the summary.  Analyst names and e-mail addresses, timestamps, uuids,
``resources`` and atom ``sources`` have no place in a map and are dropped
(counted in one warning when present).  Atom ids are uuids; claims get short
ids in document order (``a1``, ``a2`` ...).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..diagnostics import Diagnostic
from ..model import SourceSpan
from . import Format, Imported
from ._graph import ATTACK, SUPPORTS, UNDERCUT, GLink, GNode, Graph, build_map, slugify
from .aif import read_json

_ATTACKS = frozenset({"conflict", "attack", "rebut", "rebuttal", "undercut"})


def load_sadface(data: bytes, name: str) -> Imported:
    """A SADFace JSON document as an argbrief map."""
    doc, diags = read_json(data, name, "SADFace")
    if doc is None:
        return Imported(map=None, diagnostics=tuple(diags))
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list) or not isinstance(doc.get("edges"), list):
        return Imported(map=None, diagnostics=(*diags, Diagnostic(
            code="import.syntax", message="not SADFace: the top level needs 'nodes' and 'edges' lists", span=SourceSpan(name))))
    diags = list(diags)
    dropped: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    atoms: list[GNode] = []
    schemes: dict[str, str] = {}
    where: dict[str, str] = {}
    for i, node in enumerate(doc["nodes"]):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str):
            diags.append(Diagnostic(code="import.malformed", message=f"nodes[{i}] has no string 'id'; it is skipped", span=SourceSpan(name)))
            continue
        nid, kind = node["id"], node.get("type")
        if nid in kinds:
            diags.append(Diagnostic(code="import.malformed", message=f"nodes[{i}]: id '{nid}' is used twice; the first is kept", span=SourceSpan(name)))
            continue
        kinds[nid] = str(kind)
        where[nid] = f"nodes[{i}]"
        if kind == "atom":
            text = node.get("text") if isinstance(node.get("text"), str) else ""
            atoms.append(GNode(key=nid, text=" ".join(text.split()), id=f"a{len(atoms) + 1}", span=SourceSpan(name)))
            if node.get("sources"):
                dropped["atom sources"] += len(node["sources"]) if isinstance(node["sources"], list) else 1
        elif kind == "scheme":
            schemes[nid] = str(node.get("name") or "")
        else:
            dropped[f"nodes of type '{kind}'"] += 1

    ins: dict[str, list[str]] = {k: [] for k in kinds}
    outs: dict[str, list[str]] = {k: [] for k in kinds}
    for i, edge in enumerate(doc["edges"]):
        src = edge.get("source_id") if isinstance(edge, dict) else None
        dst = edge.get("target_id") if isinstance(edge, dict) else None
        if src not in kinds or dst not in kinds:
            diags.append(Diagnostic(code="import.malformed", message=f"edges[{i}] links a node the document does not have; it is skipped", span=SourceSpan(name)))
            continue
        outs[src].append(dst)
        ins[dst].append(src)

    links: list[GLink] = []
    for sid, scheme in schemes.items():
        premises = tuple(p for p in ins[sid] if kinds[p] == "atom")
        targets = outs[sid]
        if not premises or not targets:
            lack = "premise" if not premises else "conclusion"
            diags.append(Diagnostic(code="import.malformed", message=f"{where[sid]}: scheme '{scheme}' has no {lack}; it is skipped", span=SourceSpan(name)))
            continue
        attack = scheme.lower() in _ATTACKS
        for target in targets:
            if kinds[target] == "atom":
                links.append(GLink(premises=premises, target=target, relation=ATTACK if attack else SUPPORTS, key=sid, span=SourceSpan(name)))
            elif kinds[target] == "scheme" and attack:
                anchor = next((p for p in ins[target] if kinds[p] == "atom"), "")
                if anchor:
                    links.append(GLink(premises=premises, target=anchor, relation=UNDERCUT, key=sid, undercut_of=target, span=SourceSpan(name)))
            else:
                diags.append(Diagnostic(code="import.malformed", message=f"{where[sid]}: scheme '{scheme}' points at a {kinds[target]} node a map cannot link to; skipped", span=SourceSpan(name)))

    meta: dict[str, Any] = {}
    core = doc.get("metadata", {}).get("core", {}) if isinstance(doc.get("metadata"), dict) else {}
    if isinstance(core, dict):
        if isinstance(core.get("title"), str) and core["title"].strip():
            meta["title"] = core["title"].strip()
            meta["map"] = slugify(meta["title"])  # the file is often just 'data.json'; the title names it
        summary = [core[k].strip() for k in ("description", "notes") if isinstance(core.get(k), str) and core[k].strip()]
        if summary:
            meta["summary"] = "\n\n".join(summary)
        personal = [k for k in ("analyst_name", "analyst_email", "created", "edited") if core.get(k)]
        if personal:
            dropped["metadata " + ", ".join(personal)] += 1
    if isinstance(doc.get("resources"), list) and doc["resources"]:
        dropped["resources"] += len(doc["resources"])
    if dropped:
        counts = ", ".join(what if what.startswith("metadata ") else f"{n} {what}" for what, n in sorted(dropped.items()))
        diags.append(Diagnostic(code="import.dropped", message=f"parts a map cannot hold were dropped: {counts}", span=SourceSpan(name)))
    graph = Graph(name=name, nodes=tuple(atoms), links=tuple(links), meta=meta, merge_duplicates=False)
    amap, built = build_map(graph)
    return Imported(map=amap, diagnostics=tuple(diags + built))


FORMAT = Format(
    name="sadface",
    suffixes=(".sadface.json", ".json"),
    description="SADFace JSON (atoms linked through support and conflict schemes)",
    load=load_sadface,
)
