"""Kialo's plain-text discussion export.

The export starts with ``Discussion Title: ...``; then every claim is one
numbered line, its number giving its place in the tree::

    Discussion Title: Should cities ban cars from their centres?

    1. Cities should ban cars from their centres.
    1.1. Pro: Cleaner air saves lives.
    1.1.1. Con: Electric cars already clean the air.
    1.2. Con: Deliveries and disabled people need access.
    1.2.1. Pro: -> See 1.1.1.

``Pro:`` claims support their parent, ``Con:`` claims attack it (a Con under a
Con is a rebuttal); ``-> See 1.1.1.`` says claim 1.1.1 also supports or
attacks this parent, which becomes a cross-link.  Lines without a number
continue the claim above.  Markdown links keep their address in brackets, and
backslash escapes are resolved.  A trailing ``Sources:`` section goes into the
thesis' note.
"""

from __future__ import annotations

import re
from typing import Any

from .._yamlread import decode
from ..diagnostics import Diagnostic
from ..model import SourceSpan
from . import Format, Imported
from ._graph import ATTACK, SUPPORTS, GLink, GNode, Graph, build_map

_TITLE = re.compile(r"\s*Discussion Title:\s*(.*)$")
_CLAIM = re.compile(r"\s*((?:\d+\.)+)\s+(?:(Pro|Con):\s*)?(.*)$")
_SEE = re.compile(r"->\s*See\s+((?:\d+\.)+)\s*$")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)")
_ESCAPE = re.compile(r"\\([\\\[\]()*_#>`~-])")


def _clean(text: str) -> str:
    text = _LINK.sub(lambda mt: f"{mt.group(1)} ({mt.group(2)})" if mt.group(2) else mt.group(1), text)
    return _ESCAPE.sub(r"\1", text).strip()


def _claim_id(number: str) -> str:
    return "c" + number.rstrip(".")


def load_kialo(data: bytes, name: str) -> Imported:
    """A Kialo discussion export as an argbrief map."""
    text, diags = decode(data, name)
    if text is None:
        return Imported(map=None, diagnostics=tuple(diags))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    title_match = _TITLE.match(lines[first]) if first is not None else None
    if title_match is None:
        return Imported(map=None, diagnostics=(*diags, Diagnostic(
            code="import.syntax", message="not a Kialo export: it should start with 'Discussion Title: ...'",
            span=SourceSpan(name, (first or 0) + 1, 1))))

    claims: list[dict[str, Any]] = []  # number, stance, text lines, span
    sources: list[str] = []
    in_sources = False
    for i in range(first + 1, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        if in_sources:
            sources.append(line.strip())
            continue
        if line.strip() == "Sources:":
            in_sources = True
            continue
        mt = _CLAIM.match(line)
        if mt:
            claims.append({"number": mt.group(1), "stance": mt.group(2) or "", "lines": [mt.group(3)],
                           "span": SourceSpan(name, i + 1, len(line) - len(line.lstrip()) + 1)})
        elif claims:
            claims[-1]["lines"].append(line.strip())
        else:
            diags.append(Diagnostic(code="kialo.syntax", message="text before the first numbered claim is ignored", span=SourceSpan(name, i + 1, 1)))

    nodes: list[GNode] = []
    links: list[GLink] = []
    see_links: list[GLink] = []  # after the tree's own links: a claim's place is where it is written
    numbers = {c["number"] for c in claims if not _SEE.match(" ".join(c["lines"]).strip())}
    root = ""
    for c in claims:
        number, stance, span = c["number"], c["stance"], c["span"]
        body = "\n".join(c["lines"]).strip()
        see = _SEE.match(body)
        parent = number[: number.rstrip(".").rfind(".") + 1] if number.count(".") > 1 else ""
        if not parent:
            if root:
                diags.append(Diagnostic(code="kialo.syntax", message=f"a second top-level claim {number} is read as another root", span=span))
            root = root or number
            if stance:
                diags.append(Diagnostic(code="kialo.syntax", message=f"the top-level claim {number} has a stance ('{stance}:'); it is ignored", span=span))
            body = re.sub(r"^Thesis:\s*", "", body)
        elif not stance:
            diags.append(Diagnostic(code="kialo.syntax", message=f"claim {number} says neither 'Pro:' nor 'Con:'; it is read as a Pro", span=span))
        relation = ATTACK if stance == "Con" else SUPPORTS
        if see:
            target = see.group(1)
            if target not in numbers:
                diags.append(Diagnostic(code="kialo.syntax", message=f"'-> See {target}' names no claim of the discussion; it is skipped", span=span))
            elif parent:
                see_links.append(GLink(premises=(target,), target=parent, relation=relation, key=number, span=span))
            continue
        nodes.append(GNode(key=number, text=_clean(body), id=_claim_id(number), span=span))
        if parent:
            if parent not in numbers:
                diags.append(Diagnostic(code="kialo.syntax", message=f"claim {number} has no parent {parent} in the discussion; it is read as another root", span=span))
                continue
            links.append(GLink(premises=(number,), target=parent, relation=relation, key=number, span=span))

    meta: dict[str, Any] = {"title": title_match.group(1).strip()} if title_match.group(1).strip() else {}
    graph = Graph(name=name, nodes=tuple(_with_sources(nodes, root, sources)), links=tuple(links + see_links), meta=meta,
                  root=root, issue_text=meta.get("title", ""))
    amap, built = build_map(graph)
    return Imported(map=amap, diagnostics=tuple(diags + built))


def _with_sources(nodes: list[GNode], root: str, sources: list[str]) -> list[GNode]:
    """The discussion's ``Sources:`` section, kept in the thesis' note."""
    if not sources:
        return nodes
    import attrs

    note = "Sources cited in the discussion:\n" + "\n".join(sources)
    return [attrs.evolve(n, fields={**n.fields, "note": note}) if n.key == root else n for n in nodes]


FORMAT = Format(
    name="kialo",
    suffixes=(".txt",),
    description="Kialo discussion exports (numbered Pro/Con claims, '-> See' links)",
    load=load_kialo,
    unsatisfiable=(
        ("briefing.no-evidence", "Imported from a Kialo discussion, whose claims carry no quoted evidence"),
    ),
)
