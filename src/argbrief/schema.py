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
from .estimative import CONFIDENCES, YARDSTICKS
from .project import FORMATS, PAGES, THEMES

_ENUMS: dict[str, tuple[str, ...]] = {
    "stance": m.STANCES,
    "strength": m.STRENGTHS,
    "priority": m.PRIORITIES,
    "relation": ("attack", "undercut"),
    "theme": THEMES,
    "page": PAGES,
    "date_basis": m.DATE_BASES,
    "reliability": m.RELIABILITIES,
    "rating": m.RATINGS,
    "direction": m.DIRECTIONS,
    "confidence": CONFIDENCES,
    "yardstick": tuple(YARDSTICKS),
    # Every term of every yardstick; the pack's 'yardstick' narrows it (see _likelihood_rule).
    "likelihood": tuple(dict.fromkeys(t for y in YARDSTICKS.values() for t in y.terms)),
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
    m.Judgement: ("id", "text", "likelihood", "confidence"),
    m.Indicator: ("id", "text", "judgement", "direction"),
    m.Rating: ("rating",),
}
_SLUG = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
_ID = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_.-]*$"}
# A source date: YYYY, YYYY-MM or YYYY-MM-DD (an editor reads a bare year as a number).
_SOURCE_DATE = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        {"type": "integer", "minimum": 1000, "maximum": 9999},
    ]
}
# A whole number of months, written as a number or as text.
_MONTHS = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": r"^[1-9][0-9]*$"}]}
# A basis reference: map-id:node-id.
_BASIS = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*:[A-Za-z][A-Za-z0-9_.-]*$"}

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
    "date_basis": "Whether the source states its date (stated) or the analyst worked it out (inferred; then say how in date_note).",
    "date_note": "How an inferred date was worked out: the passage or event that dates the source.",
    "kind": "What kind of source: opinion, analysis, news, official, data ...",
    "reliability": "How reliable the source is: high, moderate, low or unknown.",
    "purpose": "Why the pack exists: the question it answers for its reader.",
    "decision": "What the reader is asked to decide.",
    "bottom_line": "The analyst's answer, in one to three sentences: the first thing the pack says.",
    "yardstick": "The probability yardstick judgements use: icd-203 (the default) or phia.",
    "judgements": "Key judgements: each with a likelihood from the yardstick, a confidence and its basis in the maps.",
    "indicators": "What to watch for: each tied to a judgement, whose likelihood it raises or lowers.",
    "currency_months": "How many months before the pack's date a source stays current (default 12).",
    "likelihood": "How likely the judgement is, in a term of the pack's yardstick (e.g. 'likely', 'very unlikely').",
    "confidence": "How good the judgement's basis is: low, moderate or high (not how likely it is).",
    "basis": "What the judgement rests on: 'map-id:node-id' references to claims or evidence of the pack's maps.",
    "judgement": "The id of the judgement this indicator bears on.",
    "direction": "What seeing the indicator does to the judgement's likelihood: raises or lowers.",
    "appraisal": "The position as an option: cost, risk, feasibility and reversibility, each {rating, text}.",
    "cost": "What the option costs: {rating: low|medium|high, text: why}.",
    "risk": "How risky the option is: {rating: low|medium|high, text: why}.",
    "feasibility": "How feasible the option is: {rating: low|medium|high, text: why}.",
    "reversibility": "How easily the option can be undone: {rating: low|medium|high, text: why}.",
    "rating": "low, medium or high.",
}

# 'text' means something else in these classes.
_TEXT_DOCS: dict[type, str] = {
    m.Judgement: "The judgement in a full sentence, without hedges ('might', 'perhaps'): the likelihood says how likely.",
    m.Indicator: "What to watch for, in a full sentence.",
    m.Rating: "Why the rating: a sentence.",
    m.Question: "The question.",
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
    m.Judgement: "A key judgement: text, likelihood (a yardstick term), confidence and basis.",
    m.Indicator: "An indicator to watch, and the judgement whose likelihood it raises or lowers.",
    m.Appraisal: "A position appraised as an option.",
    m.Rating: "A rating (low, medium, high) and a sentence saying why.",
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
            elif name == "basis":
                items = dict(_BASIS)
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
        if key == "judgement" and cls is m.Indicator:
            props[key] = dict(_ID)
        if key == "date" and cls is m.Source:
            props[key] = dict(_SOURCE_DATE)
        if key == "currency_months":
            props[key] = dict(_MONTHS)
        if key in _KEY_DOCS and "$ref" not in props[key]:
            props[key]["description"] = _TEXT_DOCS.get(cls, _KEY_DOCS[key]) if key == "text" else _KEY_DOCS[key]
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


def _likelihood_rule() -> dict[str, Any]:
    """Judgements' likelihoods come from the pack's yardstick: PHIA terms with 'yardstick: phia', else ICD 203's."""

    def terms(yardstick: str) -> dict[str, Any]:
        likelihood = {"enum": list(YARDSTICKS[yardstick].terms)}
        return {"properties": {"judgements": {"items": {"properties": {"likelihood": likelihood}}}}}

    return {
        "if": {"properties": {"yardstick": {"const": "phia"}}, "required": ["yardstick"]},
        "then": terms("phia"),
        "else": terms("icd-203"),
    }


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ``map`` or ``pack`` file."""
    root = {"map": m.ArgumentMap, "pack": m.Pack}[kind]
    for cls in (m.Claim, m.ArgumentMap, m.Pack):
        attrs.resolve_types(cls, globalns=vars(m))
    defs: dict[str, Any] = {}
    _define(root, defs)
    body = defs.pop(root.__name__)
    if root is m.Pack:
        body["allOf"] = [_likelihood_rule()]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://argbrief.invalid/schema/{kind}.json",
        "title": f"argbrief {kind} file",
        **body,
        "$defs": dict(sorted(defs.items())),
    }
