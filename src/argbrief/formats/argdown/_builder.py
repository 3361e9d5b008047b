"""The Argdown builder: :class:`ArgdownDocument` -> the neutral argument graph (``formats/_graph.py``).

* every statement (equivalence class) and every argument is a claim; titles
  become ids (made valid) and labels, ``#tags`` and the section a claim stands
  in tags;
* relations keep their type: support (and strict-mode entailment) supports,
  attack (and contrariness, contradiction) attacks, undercut undercuts;
* an argument's premise-conclusion structure: the premises of its last
  inference support the argument (linked, as a ``group``), the argument
  supports its main conclusion, and each intermediary conclusion is supported
  by the premises of its own inference;
* untitled paragraphs that take part in nothing are prose, not claims: they go
  to the map summary (before the first claim) or to the note of the claim that
  follows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...diagnostics import Diagnostic
from ...model import SourceSpan
from .._graph import ATTACK, SUPPORTS, UNDERCUT, GLink, GNode, Graph, node_id
from ._document import ARGUMENT, STATEMENT, ArgdownDocument, Argument, Ref, Statement
from ._parser import is_group

_TYPES = {"support": SUPPORTS, "entails": SUPPORTS, "attack": ATTACK, "contrary": ATTACK,
          "contradictory": ATTACK, "undercut": UNDERCUT}
#: Data keys read into the map (anything else in ``{...}`` has no place in it).
_CLAIM_KEYS = ("label", "tags", "note", "answers", "relation", "text")
_EVIDENCE_KEYS = ("quote", "text", "source", "locator", "strength", "tags", "note")
_KINDS = ("assumption", "quote", "evidence")
#: Data keys Argdown itself uses for display; they have no place in a map and are dropped quietly.
_DISPLAY_KEYS = frozenset({"isInMap", "color", "fontColor", "isGroup", "images", "image"})


def key(ref: Ref) -> str:
    """The graph key of a statement or argument: ``s:Title`` or ``a:Title``."""
    return f"{ref[0][0]}:{ref[1]}"


def document_graph(doc: ArgdownDocument, name: str) -> tuple[Graph, list[Diagnostic]]:
    """The neutral argument graph of an Argdown document (see the module docstring)."""
    diags: list[Diagnostic] = []
    free = doc.free_text()
    free_titles = {s.title for s in free}
    groups = {t for t, a in doc.arguments.items() if is_group(a)}
    section_titles = {s.id: s.title for s in doc.sections}
    dropped: dict[str, SourceSpan] = {}

    elements: list[tuple[tuple[int, int], str, Statement | Argument]] = []
    for st in doc.statements.values():
        if st.title not in free_titles:
            elements.append(((st.span.line, st.span.column), STATEMENT, st))
    for arg in doc.arguments.values():
        if arg.title not in groups:
            elements.append(((arg.span.line, arg.span.column), ARGUMENT, arg))
    elements.sort(key=lambda e: e[0])

    notes = _prose_notes(doc, free, groups)
    nodes: list[GNode] = []
    anonymous = {STATEMENT: 0, ARGUMENT: 0}
    for _pos, kind, el in elements:
        data: dict[str, Any] = {}
        tags: list[str] = []
        texts: list[str] = []
        for mem in el.members:
            data.update(mem.data)
            tags.extend(t for t in mem.tags if t not in tags)
            if mem.text and mem.text not in texts:
                texts.append(mem.text)
        hint = data.get("kind") if data.get("kind") in _KINDS else ""
        keys = _EVIDENCE_KEYS if hint in ("quote", "evidence") else _CLAIM_KEYS
        fields: dict[str, Any] = {}
        for k, v in data.items():
            if k in keys:
                fields[k] = v
            elif k not in ("kind", "group") and k not in _DISPLAY_KEYS:
                dropped.setdefault(k, el.members[0].span if el.members else el.span)
        if hint:
            fields["kind"] = hint
        native = "quote" if hint == "quote" else "text"
        text = fields.pop(native, None)
        if not isinstance(text, str):
            text = texts[0] if texts else ("" if el.anonymous else el.title)
        if not text and isinstance(el, Argument) and el.pcs:  # an anonymous, undescribed argument
            conclusion = doc.statements.get(el.pcs[-1].conclusion)
            said = next((mem.text for mem in conclusion.members if mem.text), "") if conclusion else ""
            text = f"An argument for: {said}" if said else ""
        if tags:
            extra = fields.get("tags") if isinstance(fields.get("tags"), list) else []
            fields["tags"] = tags + [t for t in extra if t not in tags]
        section = section_titles.get(el.section, "")
        if section and section not in fields.get("tags", []):
            fields["tags"] = [*fields.get("tags", []), section]  # the heading it stands under
        prose = notes.get(key((kind, el.title)), [])
        also = [t for t in texts[1:]] if len(texts) > 1 and native == "text" and "text" not in data else []
        note_parts = [*prose, *(f"Also stated as: {t}" for t in also)]
        if note_parts:
            fields["note"] = "\n\n".join([*note_parts, *([fields["note"]] if isinstance(fields.get("note"), str) else [])])
        if el.anonymous and hint in ("quote", "evidence"):
            suggested, fields["id"] = "", ""  # evidence written without an id keeps none
        elif el.anonymous:
            anonymous[kind] += 1
            suggested = f"{kind[0]}{anonymous[kind]}"
        else:
            suggested = node_id(el.title)
            if suggested != el.title and "label" not in fields:
                fields["label"] = el.title
        nodes.append(GNode(key=key((kind, el.title)), text=text, id=suggested, fields=fields, span=el.span))

    links: list[tuple[tuple[int, int], GLink]] = []
    group_order: dict[str, SourceSpan] = {}
    for rel in doc.relations:
        src, dst = key(rel.source), key(rel.target)
        if rel.source[0] == ARGUMENT and rel.source[1] in groups:
            step = doc.arguments[rel.source[1]].pcs[0]
            if rel.target == (STATEMENT, step.conclusion) and rel.type == "support":
                group_order.setdefault(rel.source[1], rel.span)  # where the group sits among its parent's reasons
                continue
        if (rel.source[0] == ARGUMENT and rel.source[1] in groups) or (rel.target[0] == ARGUMENT and rel.target[1] in groups):
            diags.append(Diagnostic(code="argdown.unsupported", message="a relation of a linked-premise group other than to its conclusion is ignored", span=rel.span))
            continue
        if rel.source[0] == STATEMENT and rel.source[1] in free_titles or rel.target[0] == STATEMENT and rel.target[1] in free_titles:
            continue  # cannot happen: free text has no relations
        links.append(((rel.span.line, rel.span.column), GLink(premises=(src,), target=dst, relation=_TYPES[rel.type], span=rel.span)))
    for arg in doc.arguments.values():
        if arg.title in groups:
            step = arg.pcs[0]
            where = group_order.get(arg.title, step.conclusion_span)
            links.append(((where.line, where.column), GLink(premises=tuple(key((STATEMENT, p)) for p in step.premises),
                                                           target=key((STATEMENT, step.conclusion)), span=where)))
            continue
        for i, step in enumerate(arg.pcs):
            premises = tuple(key((STATEMENT, p)) for p in step.premises if p != step.conclusion)
            last = i == len(arg.pcs) - 1
            target = key((ARGUMENT, arg.title)) if last else key((STATEMENT, step.conclusion))
            if premises:
                links.append(((step.span.line, step.span.column), GLink(premises=premises, target=target, span=step.span)))
            if last:
                cs = step.conclusion_span
                links.append(((cs.line, cs.column), GLink(premises=(key((ARGUMENT, arg.title)),),
                                                          target=key((STATEMENT, step.conclusion)), span=cs)))
    links.sort(key=lambda item: item[0])

    for key_name, span in sorted(dropped.items(), key=lambda kv: (kv[1].line, kv[1].column)):
        diags.append(Diagnostic(code="argdown.data-dropped", message=f"YAML data key '{key_name}' has no place in an argbrief map; it is dropped", span=span))

    meta, more = _front_meta(doc.front, name)
    diags += more
    summary = [p for p in notes.get("", [])]
    if summary:
        meta["summary"] = "\n\n".join([*summary, *([meta["summary"]] if isinstance(meta.get("summary"), str) else [])])
    title = meta.get("title") if isinstance(meta.get("title"), str) else ""
    graph = Graph(name=name, nodes=tuple(nodes), links=tuple(link for _, link in links), meta=meta, issue_text=title or "")
    return graph, diags


def _prose_notes(doc: ArgdownDocument, free: list[Statement], groups: set[str]) -> dict[str, list[str]]:
    """Free paragraphs by where they go: the next claim's key, or '' for the map summary."""
    free_titles = {s.title for s in free}
    claims = [(span, key((kind, title))) for kind, title, span in doc.order
              if not (kind == STATEMENT and title in free_titles) and not (kind == ARGUMENT and title in groups)]
    out: dict[str, list[str]] = {}
    first = min((span.line, span.column) for span, _ in claims) if claims else None
    for st in free:
        text = next((mem.text for mem in st.members if mem.text), "")
        if not text:
            continue
        pos = (st.span.line, st.span.column)
        target = ""
        if first is not None and pos > first:
            target = next((k for span, k in claims if (span.line, span.column) > pos), "")
        out.setdefault(target, []).append(text)
    return out


def _front_meta(front: Mapping[str, Any], name: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Map-level wire fields from the front matter: Argdown's title/subTitle/author/date and argbrief's own block."""
    meta: dict[str, Any] = {}
    for src, dst in (("title", "title"), ("subTitle", "subtitle"), ("subtitle", "subtitle"), ("author", "author"), ("date", "date")):
        value = front.get(src)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value if v is not None)
        if isinstance(value, str) and value.strip():
            meta[dst] = value
    own = front.get("argbrief")
    diags: list[Diagnostic] = []
    if isinstance(own, dict):
        meta.update(own)
    elif own is not None:
        diags.append(Diagnostic(code="argdown.bad-data", message="front matter 'argbrief' must be a mapping; it is ignored", span=SourceSpan(name, 1, 1)))
    return meta, diags
