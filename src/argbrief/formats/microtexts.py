"""The argumentative microtext corpus' arggraph XML (Peldszus & Stede; part 2 by Skeppstedt et al.).

An ``arggraph`` has EDUs (text segments), ADUs (argumentative units: ``pro``
or ``opp``) grounded in EDUs by ``seg`` edges, and typed edges between ADUs:
``sup`` (support), ``exa`` (support by example), ``reb`` (rebutting attack),
``und`` (undercut: its target is another edge) and ``add`` (an additional
premise joining an edge: linked premises).

Each ADU becomes a claim (id kept, text from its EDUs); the central claim —
the one ADU with no outgoing edge — is the thesis.  ``sup`` makes a premise,
``exa`` an evidence item (with ``text``: the example in the author's words), an
``add`` on a support a linked ``group``, ``reb`` an objection (a rebuttal under
an objection), ``und`` an objection or rebuttal with ``relation: undercut``
placed under the source of the edge it attacks.  An ``add`` on an attack is a
linked attack, which argbrief cannot hold: the added ADU becomes a premise of
the attacker (``import.linked-attack``).  The pro/opp roles follow from the
tree (supports keep the role, attacks flip it), so they are not stored.  An
implicit central claim (part 2) gets a note saying so.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

from attrs import define, field

from .._yamlread import MAX_BYTES
from ..diagnostics import Diagnostic
from ..model import SourceSpan
from . import Format, Imported
from ._graph import ATTACK, SUPPORTS, UNDERCUT, GLink, GNode, Graph, build_map

IMPLICIT_NOTE = "Implicit in the text: the annotators reconstructed this central claim."
INVERTED_NOTE = (
    "The corpus marks this central claim as the opponent's ('opp'), so every role in this text is "
    "the reverse of what the tree shows."
)


@define
class _Element:
    tag: str
    attrs: dict[str, str]
    span: SourceSpan
    text: str = ""


@define
class _Reader:
    name: str
    elements: list[_Element] = field(factory=list)
    stack: list[_Element] = field(factory=list)

    def start(self, tag: str, attrs: dict[str, str], span: SourceSpan) -> None:
        el = _Element(tag, dict(attrs), span)
        self.elements.append(el)
        self.stack.append(el)

    def end(self, _tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].text += text


def read_xml(data: bytes, name: str) -> tuple[list[_Element], list[Diagnostic]]:
    """Elements (tag, attributes, text, line:col) of an XML file; entity declarations are refused."""
    if len(data) > MAX_BYTES:
        return [], [Diagnostic(code="input.too-large", message=f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}", span=SourceSpan(name))]
    if re.search(rb"<!ENTITY", data):
        # Entities are the door to billion-laughs and external-entity attacks; arggraphs never use them.
        return [], [Diagnostic(code="import.syntax", message="XML entity declarations are not allowed", span=SourceSpan(name, 1, 1))]
    reader = _Reader(name)
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        reader.start(tag, attrs, SourceSpan(name, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    parser.StartElementHandler = start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        msg = expat.ErrorString(exc.code)
        return [], [Diagnostic(code="import.syntax", message=f"not well-formed XML ({msg})", span=SourceSpan(name, exc.lineno, exc.offset + 1))]
    except LookupError as exc:  # <?xml encoding="..."?> names an encoding Python does not know
        return [], [Diagnostic(code="import.syntax", message=f"the XML declares an encoding that cannot be read ({exc})", span=SourceSpan(name, 1, 1))]
    return reader.elements, []


def load_microtext(data: bytes, name: str) -> Imported:
    """An arggraph XML file as an argbrief map."""
    elements, diags = read_xml(data, name)
    if not elements:
        return Imported(map=None, diagnostics=tuple(diags))
    if elements[0].tag != "arggraph":
        return Imported(map=None, diagnostics=(Diagnostic(
            code="import.syntax", message=f"not a microtext arggraph: the root element is <{elements[0].tag}>", span=elements[0].span),))
    graph, more = microtext_graph(elements, name)
    amap, built = build_map(graph)
    return Imported(map=amap, diagnostics=tuple(diags + more + built))


def microtext_graph(elements: list[_Element], name: str) -> tuple[Graph, list[Diagnostic]]:
    """The neutral argument graph of an arggraph (see the module docstring)."""
    diags: list[Diagnostic] = []
    root = elements[0]
    edus: dict[str, _Element] = {}
    joints: set[str] = set()
    adus: dict[str, _Element] = {}
    edges: dict[str, _Element] = {}
    for el in elements[1:]:
        ident = el.attrs.get("id", "")
        table: dict[str, Any] | None = {"edu": edus, "adu": adus, "edge": edges}.get(el.tag)
        if el.tag == "joint":
            joints.add(ident)
            continue
        if table is None:
            continue
        if not ident or ident in edus or ident in adus or ident in edges or ident in joints:
            diags.append(Diagnostic(code="import.malformed", message=f"<{el.tag}> without a unique id is skipped", span=el.span))
            continue
        table[ident] = el

    def bad(el: _Element, message: str) -> None:
        diags.append(Diagnostic(code="import.malformed", message=f"edge '{el.attrs.get('id', '?')}': {message}; it is skipped", span=el.span))

    # Segmentation: EDUs (directly or through a joint) ground each ADU.
    segments: dict[str, list[str]] = {a: [] for a in adus}
    joint_edus: dict[str, list[str]] = {j: [] for j in joints}
    for el in edges.values():
        if el.attrs.get("type") != "seg":
            continue
        src, trg = el.attrs.get("src", ""), el.attrs.get("trg", "")
        if src in edus and trg in joints:
            joint_edus[trg].append(src)
        elif src in edus and trg in adus:
            segments[trg].append(src)
        elif src in joints and trg in adus:
            segments[trg].extend(joint_edus.get(src, []))
        else:
            bad(el, f"a 'seg' edge must link an EDU or joint to an ADU, not '{src}' to '{trg}'")
    edu_order = {e: i for i, e in enumerate(edus)}

    argument_edges = {k: el for k, el in edges.items() if el.attrs.get("type") in ("sup", "exa", "reb", "und")}
    added: dict[str, list[str]] = {}
    for el in edges.values():
        if el.attrs.get("type") != "add":
            continue
        src, trg = el.attrs.get("src", ""), el.attrs.get("trg", "")
        if src in adus and trg in argument_edges:
            added.setdefault(trg, []).append(src)
        else:
            bad(el, f"an 'add' edge must link an ADU to an argument edge, not '{src}' to '{trg}'")
    for el in edges.values():
        if el.attrs.get("type") not in ("seg", "sup", "exa", "reb", "und", "add"):
            bad(el, f"unknown edge type '{el.attrs.get('type')}'")

    examples = {el.attrs.get("src") for el in argument_edges.values() if el.attrs.get("type") == "exa"}
    outgoing = {el.attrs.get("src") for el in edges.values() if el.attrs.get("type") != "seg"}
    central = [a for a in adus if a not in outgoing]

    nodes: list[GNode] = []
    for aid, el in adus.items():
        parts = sorted(segments[aid], key=lambda e: edu_order[e])
        text = " ".join(" ".join(edus[e].text.split()) for e in parts)
        fields: dict[str, Any] = {}
        if aid in examples:
            fields["kind"] = "evidence"
        notes = []
        if any(edus[e].attrs.get("implicit") == "true" for e in parts):
            notes.append(IMPLICIT_NOTE)
        if aid in central and el.attrs.get("type") == "opp":
            notes.append(INVERTED_NOTE)  # roles are otherwise implied by the tree; keep this one exception
        if notes:
            fields["note"] = " ".join(notes)
        nodes.append(GNode(key=aid, text=text, id=aid, fields=fields, span=el.span))

    links: list[GLink] = []
    for eid, el in argument_edges.items():
        kind, src, trg = el.attrs.get("type"), el.attrs.get("src", ""), el.attrs.get("trg", "")
        premises = (src, *added.get(eid, ()))
        if src not in adus:
            bad(el, f"its source '{src}' is not an ADU")
            continue
        if kind == "und":
            target_edge = argument_edges.get(trg)
            if target_edge is None:
                bad(el, f"an undercut must target an argument edge, and '{trg}' is not one")
                continue
            links.append(GLink(premises=premises, target=target_edge.attrs.get("src", ""), relation=UNDERCUT, key=eid, undercut_of=trg, span=el.span))
            continue
        if trg not in adus:
            bad(el, f"its target '{trg}' is not an ADU")
            continue
        relation = ATTACK if kind == "reb" else SUPPORTS
        links.append(GLink(premises=premises, target=trg, relation=relation, key=eid, span=el.span))

    meta: dict[str, Any] = {}
    gid = root.attrs.get("id", "")
    if gid:
        meta["map"] = gid
        meta["source"] = {"title": f"Argumentative microtext {gid}"}
    tags = [t for t in (root.attrs.get("topic_id", "").replace("_", "-"), f"stance-{root.attrs['stance']}" if root.attrs.get("stance") else "") if t]
    if tags:
        meta["tags"] = tags
    graph = Graph(name=name, nodes=tuple(nodes), links=tuple(links), meta=meta, root=central[0] if len(central) == 1 else "")
    return graph, diags


FORMAT = Format(
    name="microtext",
    suffixes=(".xml",),
    description="arggraph XML of the argumentative microtext corpus (EDUs, pro/opp ADUs, sup/exa/reb/und/add edges)",
    load=load_microtext,
)
