"""The Argdown builder: :class:`ArgdownDocument` -> the neutral argument graph (``formats/_graph.py``).

* every statement (equivalence class) and every argument is a claim (an
  argument with ``argument: true``); titles become ids (made valid) and labels,
  ``#tags`` and the section a claim stands in tags; the headings become the
  map's ``sections``;
* relations keep their type: support (and strict-mode entailment) supports,
  attack attacks, undercut undercuts; contrariness and contradiction are
  attacks marked ``mutual`` on the attacker;
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

import attrs

from ...diagnostics import Diagnostic
from ...model import SourceSpan
from .._graph import ATTACK, SUPPORTS, UNDERCUT, GLink, GNode, Graph, node_id
from ._document import ARGUMENT, STATEMENT, SYMMETRIC, ArgdownDocument, Argument, Ref, Statement
from ._parser import is_group

_TYPES = {"support": SUPPORTS, "entails": SUPPORTS, "attack": ATTACK, "contrary": ATTACK,
          "contradictory": ATTACK, "undercut": UNDERCUT}
#: Data keys read into the map (anything else in ``{...}`` has no place in it).
_CLAIM_KEYS = ("label", "tags", "note", "answers", "relation", "mutual", "argument", "text")
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
    section_tree, section_titles = _sections(doc)
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
    # Untitled statements and arguments are s1, s2 ... and a1, a2 ..., skipping the ids titled ones have.
    taken = {node_id(el.title) for _, _, el in elements if not el.anonymous}
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
        # The heading it stands under (evidence written without a title, as argbrief writes it, says its tags).
        section = "" if el.anonymous and hint in ("quote", "evidence") else section_titles.get(el.section, "")
        if section and section not in fields.get("tags", []):
            fields["tags"] = [*fields.get("tags", []), section]
        prose = notes.get(key((kind, el.title)), [])
        also = [t for t in texts[1:]] if len(texts) > 1 and native == "text" and "text" not in data else []
        note_parts = [*prose, *(f"Also stated as: {t}" for t in also)]
        if note_parts:
            fields["note"] = "\n\n".join([*note_parts, *([fields["note"]] if isinstance(fields.get("note"), str) else [])])
        if isinstance(el, Argument):
            fields["argument"] = True
        if el.anonymous and hint in ("quote", "evidence"):
            suggested, fields["id"] = "", ""  # evidence written without an id keeps none
        elif el.anonymous:
            anonymous[kind] += 1
            while f"{kind[0]}{anonymous[kind]}" in taken:
                anonymous[kind] += 1
            suggested = f"{kind[0]}{anonymous[kind]}"
        else:
            suggested = node_id(el.title)
            if suggested != el.title and "label" not in fields:
                fields["label"] = el.title
        nodes.append(GNode(key=key((kind, el.title)), text=text, id=suggested, fields=fields, span=el.span))

    links: list[tuple[tuple[int, int], GLink]] = []
    for rel in doc.relations:
        if (rel.source[0] == ARGUMENT and rel.source[1] in groups) or (rel.target[0] == ARGUMENT and rel.target[1] in groups):
            diags.append(Diagnostic(code="argdown.unsupported", message="a relation of a linked-premise group other than to its conclusion is ignored", span=rel.span))
            continue
        if rel.source[0] == STATEMENT and rel.source[1] in free_titles or rel.target[0] == STATEMENT and rel.target[1] in free_titles:
            continue  # cannot happen: free text has no relations
        if rel.type in SYMMETRIC:
            link = GLink(premises=(key(rel.attacker),), target=key(rel.attacked), relation=ATTACK, mutual=rel.type, span=rel.span)
        else:
            link = GLink(premises=(key(rel.source),), target=key(rel.target), relation=_TYPES[rel.type], span=rel.span)
        links.append(((rel.span.line, rel.span.column), link))
    for arg in doc.arguments.values():
        # Where the argument (or group) sits among its conclusion's reasons: where a relation put it there.
        placed = arg.placement if arg.placement.line else None
        if arg.title in groups:
            step = arg.pcs[0]
            where = placed or step.conclusion_span
            links.append(((where.line, where.column), GLink(premises=tuple(key((STATEMENT, p)) for p in step.premises),
                                                           target=key((STATEMENT, step.conclusion)), span=where)))
            continue
        for i, step in enumerate(arg.pcs):
            premises = tuple(key((STATEMENT, p)) for p in step.premises if p != step.conclusion)
            last = i == len(arg.pcs) - 1
            target = key((ARGUMENT, arg.title)) if last else key((STATEMENT, step.conclusion))
            if premises:  # placed where its premises start: their first link, before what is written under them
                links.append(((step.start.line, step.start.column), GLink(premises=premises, target=target, span=step.span)))
            if last:
                cs = placed or step.conclusion_span
                links.append(((cs.line, cs.column), GLink(premises=(key((ARGUMENT, arg.title)),),
                                                          target=key((STATEMENT, step.conclusion)), span=cs)))
    links.sort(key=lambda item: item[0])
    ordered = _orient_contradictions([link for _, link in links])

    for key_name, span in sorted(dropped.items(), key=lambda kv: (kv[1].line, kv[1].column)):
        diags.append(Diagnostic(code="argdown.data-dropped", message=f"YAML data key '{key_name}' has no place in an argbrief map; it is dropped", span=span))

    meta, more = _front_meta(doc.front, name)
    diags += more
    if section_tree and "sections" not in meta:
        meta["sections"] = section_tree
    summary = [p for p in notes.get("", [])]
    if summary:
        meta["summary"] = "\n\n".join([*summary, *([meta["summary"]] if isinstance(meta.get("summary"), str) else [])])
    title = meta.get("title") if isinstance(meta.get("title"), str) else ""
    graph = Graph(name=name, nodes=tuple(nodes), links=tuple(ordered), meta=meta, issue_text=title or "")
    return graph, diags


def _orient_contradictions(links: list[GLink]) -> list[GLink]:
    """``><`` has no direction: turn one round when that gives the attacked claim its only place in the tree.

    argbrief reads ``><`` like ``-``: the element of the line attacks the one
    above.  When that element already has an earlier outgoing link (its place in
    the tree, so this attack would be a cross-link) and the other claim has no
    outgoing link at all (it would hang loose, as a root), the other claim
    becomes the attacker instead: ``(3) Students are no rougher. >< [More
    injuries]`` under an argument makes the conclusion an objection of "More
    injuries", not a second root.  argbrief's own exports write ``><`` only for
    a claim's first link, so this never turns one of them round.
    """
    first_out: dict[str, int] = {}
    for i, link in enumerate(links):
        for p in link.premises:
            first_out.setdefault(p, i)
    out: list[GLink] = []
    for i, link in enumerate(links):
        (attacker,) = link.premises if len(link.premises) == 1 else ("",)
        if link.mutual == "contradictory" and attacker and first_out.get(attacker, i) < i and link.target not in first_out:
            link = attrs.evolve(link, premises=(link.target,), target=attacker)
            first_out[link.premises[0]] = i
        out.append(link)
    return out


def _sections(doc: ArgdownDocument) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The map's ``sections`` (wire form, nested as the headings are) and each section's title by id.

    Titles name sections (claims carry them as tags), so they must be unique:
    a repeated title gets " (2)", an empty one "Section N".
    """
    titles: dict[str, str] = {}
    wire: dict[str, dict[str, Any]] = {}
    top: list[dict[str, Any]] = []
    used: set[str] = set()
    for n, section in enumerate(doc.sections, 1):
        base = section.title or f"Section {n}"
        title, i = base, 2
        while title in used:
            title, i = f"{base} ({i})", i + 1
        used.add(title)
        titles[section.id] = title
        wire[section.id] = {"title": title}
        siblings = wire[section.parent].setdefault("sections", []) if section.parent in wire else top
        siblings.append(wire[section.id])
    return top, titles


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
