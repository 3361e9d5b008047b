"""JSON Schemas of the map and pack files, generated from the model and the converter's key names.

Editors use them (YAML language server: ``# yaml-language-server: $schema=...``)
to complete keys and flag mistakes while typing.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

from . import model as m
from .convert import RENAMES
from .project import FORMATS, PAGES, THEMES

_ENUMS: dict[str, tuple[str, ...]] = {
    "stance": m.STANCES,
    "strength": m.STRENGTHS,
    "priority": m.PRIORITIES,
    "relation": ("attack", "undercut"),
    "theme": THEMES,
    "page": PAGES,
}
_REQUIRED: dict[type, tuple[str, ...]] = {
    m.ArgumentMap: ("map", "title", "thesis"),
    m.Pack: ("pack", "title"),
    m.Thesis: ("text",),
    m.Premise: ("text",),
    m.Assumption: ("text",),
    m.Objection: ("text",),
    m.Rebuttal: ("text",),
    m.Answer: ("stance",),
    m.Recommendation: ("text",),  # no actor is a warning (briefing.no-actor), not an error
    m.Ignore: ("code", "reason"),
    m.Group: ("group",),
    m.Position: ("id", "maps"),
    m.Question: ("id", "text"),
}
_SLUG = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
_ID = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_.-]*$"}

# What each key means, shown by editors on hover and completion (docs/format.md says more).
_KEY_DOCS: dict[str, str] = {
    "map": "The map's id: a slug (lowercase letters, digits, single hyphens), unique in the project.",
    "pack": "The pack's id: a slug, unique in the project.",
    "title": "The title, as it heads the map or pack.",
    "subtitle": "A subtitle.",
    "author": "Who wrote it.",
    "publisher": "Who published it.",
    "date": "When it was published or issued (any form; 2025-02-01 is best).",
    "url": "Where it can be read.",
    "source": "The citation of the source; for evidence, a source object or the key of one in the map's 'sources'.",
    "sources": "More citations by key, for evidence from other sources ('source: key').",
    "position": "The position (a slug) that this map argues; packs compare positions.",
    "summary": "A few sentences: what the map or position argues.",
    "tags": "Free labels.",
    "thesis": "The map's central claim: the root of the tree.",
    "recommendations": "Actions the thesis argues for.",
    "ignore": "Rules that do not apply to this map, each with its reason: [{code: briefing.no-evidence, reason: ...}].",
    "code": "A diagnostic code (briefing.no-evidence) or a prefix of codes (briefing.).",
    "reason": "Why the rule does not apply to this map.",
    "id": "An id, unique in its map: a letter, then letters, digits, '.', '_' or '-'.",
    "text": "The claim in a full sentence (for evidence, a paraphrase; for a source, the path of its plain text, relative to this file).",
    "label": "A short title for diagrams.",
    "note": "An analyst's note, shown in packs.",
    "answers": (
        "Which pack questions this claim answers, and how: {question-id: yes|no|qualified}, or "
        "{question-id: {stance: qualified, quote: '...', note: '...'}} with the passage the stance rests on."
    ),
    "stance": "The answer: yes, no or qualified (yes or no with a reservation).",
    "also_supports": "Ids of other nodes this claim supports too (cross-links must not form a cycle).",
    "also_attacks": "Ids of other nodes this claim attacks too.",
    "relation": "For objections and rebuttals: 'attack' (the claim, the default) or 'undercut' (the inference).",
    "premises": "Reasons for this claim; an item may be {group: [premise, premise]} for linked premises.",
    "assumptions": "Unstated premises made explicit by the analyst.",
    "evidence": "Facts, figures and verbatim quotes that back this claim.",
    "objections": "Reasons against this claim.",
    "rebuttals": "Reasons against this objection.",
    "group": "Linked premises: they support the parent only together (at least two).",
    "quote": (
        "Verbatim from the source text (for an answer: the passage that decides the stance); "
        "checked against it, and located ('para N') when found."
    ),
    "locator": "Where in the source: 'para 7', 'p. 12'. Filled in from the source text when left out.",
    "strength": "How strongly it backs the claim: weak, moderate or strong.",
    "actor": "Who should act.",
    "because": "Ids of the nodes that justify this recommendation.",
    "priority": "high, medium or low.",
    "audience": "Who the pack is for.",
    "marking": "A classification marking printed on every page (e.g. OFFICIAL).",
    "formats": "Which documents to build: pdf, docx, html.",
    "theme": "The look: default, print (black and white) or colorblind.",
    "page": "Paper size: A4 or Letter.",
    "positions": "The positions compared, each argued by one or more maps.",
    "maps": "Map ids.",
    "questions": "The questions positions are compared on.",
}

# Which class documents which kind in the schema (descriptions shown by editors).
_DOCS: dict[type, str] = {
    m.Thesis: "The map's central claim (the root).",
    m.Premise: "A reason for its parent.",
    m.Assumption: "An unstated premise made explicit by the analyst (drawn dashed).",
    m.Objection: "A reason against its parent.",
    m.Rebuttal: "A reason against an objection.",
    m.Evidence: "A fact, figure or verbatim quote from a source.",
    m.Recommendation: "An action the thesis argues for: actor + action.",
    m.Group: "Linked premises that support their parent only together.",
    m.Source: "A citation; 'text' is the path of the source's plain text, relative to this file.",
    m.Ignore: "A reasoned exception: a rule that does not apply to this map, and why.",
    m.Answer: "A stance on a pack question with what it rests on: a verbatim quote (checked) and a note.",
}


def _ref(cls: type) -> dict[str, str]:
    return {"$ref": f"#/$defs/{cls.__name__}"}


def _type_schema(tp: Any, name: str, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is str:
        if name in _ENUMS:
            return {"type": "string", "enum": list(_ENUMS[name])}
        if name in ("id",):
            return dict(_ID)
        if name in ("map", "pack", "position"):
            return dict(_SLUG)
        return {"type": "string"}
    if origin is tuple:
        item = args[0]
        if item is str:
            items: dict[str, Any] = {"type": "string"}
            if name == "formats":
                items = {"type": "string", "enum": list(FORMATS)}
            elif name in ("because", "also_supports", "also_attacks"):
                items = dict(_ID)
            elif name == "maps":
                items = dict(_SLUG)
            return {"type": "array", "items": items}
        return {"type": "array", "items": _type_schema(item, "", defs)}
    if origin is dict:
        if args[1] is m.Answer:  # {question-id: stance} or {question-id: {stance, quote, ...}}
            _define(m.Answer, defs)
            return {
                "type": "object",
                "propertyNames": dict(_SLUG),
                "additionalProperties": {"oneOf": [{"type": "string", "enum": list(m.STANCES)}, _ref(m.Answer)]},
            }
        return {"type": "object", "additionalProperties": _type_schema(args[1], "", defs)}
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        schemas = [_type_schema(a, name, defs) for a in options]
        return schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
    if attrs.has(tp):
        _define(tp, defs)
        return _ref(tp)
    raise TypeError(f"no schema for {tp!r}")  # pragma: no cover - programming error


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder against recursion
    ren = RENAMES.get(cls, {})
    props: dict[str, Any] = {}
    for a in attrs.fields(cls):
        if a.name in ("span", "spans"):
            continue
        key = ren.get(a.name, a.name)
        props[key] = _type_schema(a.type, key, defs)
        if key == "id" and cls in (m.Position, m.Question):
            props[key] = dict(_SLUG)  # positions and questions are named by slugs, like maps
        if key in _KEY_DOCS and "$ref" not in props[key]:
            props[key]["description"] = _KEY_DOCS[key]
    if cls is m.Group:
        props["group"] = {"type": "array", "items": _ref(m.Premise), "minItems": 2}
    body: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if cls in _REQUIRED:
        body["required"] = list(_REQUIRED[cls])
    if cls is m.Evidence:  # a quote, a paraphrase, or both
        body["anyOf"] = [{"required": ["quote"]}, {"required": ["text"]}]
    if cls in _DOCS:
        body["description"] = _DOCS[cls]
    defs[cls.__name__] = body


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ``map`` or ``pack`` file."""
    root = {"map": m.ArgumentMap, "pack": m.Pack}[kind]
    for cls in (m.Claim, m.ArgumentMap, m.Pack):
        attrs.resolve_types(cls, globalns=vars(m))
    defs: dict[str, Any] = {}
    _define(root, defs)
    body = defs.pop(root.__name__)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://argbrief.invalid/schema/{kind}.json",
        "title": f"argbrief {kind} file",
        **body,
        "$defs": dict(sorted(defs.items())),
    }
