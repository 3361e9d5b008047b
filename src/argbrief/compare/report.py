"""Reports of a :class:`~argbrief.compare.Comparison`: versioned JSON (with its schema),
Markdown for pasting, and rich tables for the terminal."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._markdown import escape as _md
from ..model import STRENGTHS
from ._index import ATTACKS
from .result import (
    CELL_STANCES,
    JSON_VERSION,
    MIXED,
    NO,
    QUALIFIED,
    SILENT,
    SYMBOLS,
    VERDICTS,
    YES,
    Basis,
    Cell,
    ClaimRef,
    Comparison,
    EvidenceItem,
    Health,
    ObjectionRef,
    QuestionResult,
    RecommendationRef,
)

if TYPE_CHECKING:
    from rich.console import Console


# --- reports: JSON ---------------------------------------------------------------------


def _evidence_json(ev: EvidenceItem) -> dict[str, Any]:
    return {
        "map": ev.map_id,
        "id": ev.id,
        "quote": ev.quote,
        "text": ev.text,
        "citation": ev.citation,
        "url": ev.url,
        "locator": ev.locator,
        "strength": ev.strength,
        "source_file": ev.source_file,
    }


def _objection_json(o: ObjectionRef) -> dict[str, Any]:
    return {
        "map": o.map_id,
        "id": o.id,
        "kind": o.kind,
        "label": o.label,
        "text": o.text,
        "relation": o.relation,
        "target": o.target_id,
    }


def _basis_json(b: Basis) -> dict[str, Any]:
    """``{map, node, stance}``, with the cited passage (``quote``, ``locator``, ``citation``,
    ``source_file``, ``evidence``) and ``note`` only where there is one."""
    out: dict[str, Any] = {"map": b.map_id, "node": b.node, "stance": b.stance}
    for key, value in (
        ("quote", b.quote),
        ("locator", b.locator),
        ("citation", b.citation),
        ("source_file", b.source_file),
        ("evidence", b.evidence_id),
        ("note", b.note),
    ):
        if value:
            out[key] = value
    return out


def _claim_json(c: ClaimRef) -> dict[str, Any]:
    return {
        "map": c.map_id,
        "id": c.id,
        "kind": c.kind,
        "label": c.label,
        "text": c.text,
        "endorsed": c.endorsed,
        "answers": dict(c.answers),
        "evidence_count": c.evidence_count,
        "strongest_strength": c.strongest_strength,
        "evidence": [_evidence_json(e) for e in c.evidence],
        "unanswered_objections": [_objection_json(o) for o in c.unanswered_objections],
    }


def _recommendation_json(r: RecommendationRef) -> dict[str, Any]:
    return {
        "map": r.map_id,
        "id": r.id,
        "actor": r.actor,
        "text": r.text,
        "priority": r.priority,
        "because": list(r.because),
        "traces": r.traces,
        "problems": list(r.problems),
    }


def comparison_to_json(comparison: Comparison) -> dict[str, Any]:
    """The documented, versioned JSON form (docs/compare.md, schema :data:`JSON_SCHEMA`)."""
    cmp = comparison

    def cell_json(c: Cell) -> dict[str, Any]:
        strongest = c.strongest
        return {
            "stance": c.stance,
            "basis": [_basis_json(b) for b in c.basis],
            "evidence_count": c.evidence_count,
            "strongest_strength": c.strongest_strength,
            "strongest": _claim_json(strongest) if strongest else None,
            "claims": [_claim_json(x) for x in c.claims],
            "unanswered_objections": [_objection_json(o) for o in c.unanswered_objections],
            "opposed": [_claim_json(x) for x in c.opposed],
        }

    def health_json(h: Health) -> dict[str, Any]:
        share = h.evidence_share
        return {
            "premises": len(h.premises),
            "premises_with_evidence": len(h.premises_with_evidence),
            "evidence_share": None if share is None else round(share, 3),
            "unbacked_premises": [p.id for p in h.unbacked_premises],
            "evidence_count": h.evidence_count,
            "unanswered_objections": [_objection_json(o) for o in h.unanswered_objections],
            "recommendations": len(h.recommendations),
            "recommendations_traced": len(h.traced_recommendations),
            "untraced_recommendations": [_recommendation_json(r) for r in h.recommendations if not r.traces],
            "assumptions": [
                {"map": a.map_id, "id": a.id, "label": a.label, "text": a.text, "evidence_count": a.evidence_count}
                for a in h.assumptions
            ],
            "mixed_questions": list(h.mixed_questions),
        }

    return {
        "version": JSON_VERSION,
        "pack": {"id": cmp.pack_id, "title": cmp.title, "subtitle": cmp.subtitle},
        "positions": [
            {"id": p.id, "label": p.label, "summary": p.summary, "maps": list(p.maps)} for p in cmp.positions
        ],
        "questions": [
            {
                "id": r.question.id,
                "text": r.question.text,
                "note": r.question.note,
                "verdict": r.verdict,
                "agreement": r.agreement,
                "clash": r.clash,
                "gap": r.gap,
                "silent": list(r.silent),
                "positions": {c.position_id: cell_json(c) for c in cmp.row(r.question.id)},
            }
            for r in cmp.results
        ],
        "summary": {
            "clashes": [r.question.id for r in cmp.clashes],
            "agreements": [r.question.id for r in cmp.agreements],
            "gaps": [r.question.id for r in cmp.gaps],
        },
        "health": {h.position_id: health_json(h) for h in cmp.health},
        "shared_evidence": [
            {
                "source_file": s.source_file,
                "citation": s.citation,
                "passage": s.passage,
                "positions": list(s.positions),
                "opposite_ends": s.opposite_ends,
                "clash_questions": list(s.clash_questions),
                "uses": [
                    {
                        "position": u.position_id,
                        "map": u.evidence.map_id,
                        "evidence": u.evidence.id,
                        "quote": u.evidence.quote,
                        "locator": u.evidence.locator,
                        "claim": u.claim_id,
                        "claim_label": u.claim_label,
                        "side": u.side,
                        "answers": dict(u.answers),
                    }
                    for u in s.uses
                ],
            }
            for s in cmp.shared_evidence
        ],
        "recommendations": [
            {
                "actor": row.actor,
                "positions": {p: [_recommendation_json(r) for r in recs] for p, recs in row.by_position},
            }
            for row in cmp.recommendations
        ],
    }


def render_json(comparison: Comparison) -> str:
    """:func:`comparison_to_json` as text (sorted by the pack's order, not by key; stable)."""
    return json.dumps(comparison_to_json(comparison), indent=2, ensure_ascii=False)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_STR = {"type": "string"}
_STRENGTH = {"enum": ["", *STRENGTHS]}
_STANCE = {"enum": ["yes", "no", "qualified"]}


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": sorted(props), "additionalProperties": False, "properties": props}


#: JSON Schema (draft 2020-12) of :func:`render_json`'s output; docs/compare.md shows it.
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "argbrief compare --format json",
    **_obj(
        {
            "version": {"const": JSON_VERSION},
            "pack": _obj({"id": _STR, "title": _STR, "subtitle": _STR}),
            "positions": {
                "type": "array",
                "items": _obj({"id": _STR, "label": _STR, "summary": _STR, "maps": {"type": "array", "items": _STR}}),
            },
            "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
            "summary": _obj({k: {"type": "array", "items": _STR} for k in ("clashes", "agreements", "gaps")}),
            "health": {"type": "object", "additionalProperties": {"$ref": "#/$defs/health"}},
            "shared_evidence": {"type": "array", "items": {"$ref": "#/$defs/shared"}},
            "recommendations": {
                "type": "array",
                "items": _obj(
                    {
                        "actor": _STR,
                        "positions": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/recommendation"}},
                        },
                    }
                ),
            },
        }
    ),
    "$defs": {
        "question": _obj(
            {
                "id": _STR,
                "text": _STR,
                "note": _STR,
                "verdict": {"enum": list(VERDICTS)},
                "agreement": {"type": "boolean"},
                "clash": {"type": "boolean"},
                "gap": {"type": "boolean"},
                "silent": {"type": "array", "items": _STR},
                "positions": {"type": "object", "additionalProperties": {"$ref": "#/$defs/cell"}},
            }
        ),
        "cell": _obj(
            {
                "stance": {"enum": list(CELL_STANCES)},
                "basis": {"type": "array", "items": {"$ref": "#/$defs/basis"}},
                "evidence_count": {"type": "integer", "minimum": 0},
                "strongest_strength": _STRENGTH,
                "strongest": _nullable({"$ref": "#/$defs/claim"}),
                "claims": {"type": "array", "items": {"$ref": "#/$defs/claim"}},
                "unanswered_objections": {"type": "array", "items": {"$ref": "#/$defs/objection"}},
                "opposed": {"type": "array", "items": {"$ref": "#/$defs/claim"}},
            }
        ),
        "basis": {
            "type": "object",
            "required": ["map", "node", "stance"],
            "additionalProperties": False,
            "properties": {
                "map": _STR,
                "node": _STR,
                "stance": _STANCE,
                "quote": _STR,
                "locator": _STR,
                "citation": _STR,
                "source_file": _STR,
                "evidence": _STR,
                "note": _STR,
            },
        },
        "claim": _obj(
            {
                "map": _STR,
                "id": _STR,
                "kind": {"enum": ["thesis", "premise", "assumption", "objection", "rebuttal"]},
                "label": _STR,
                "text": _STR,
                "endorsed": {"type": "boolean"},
                "answers": {"type": "object", "additionalProperties": _STANCE},
                "evidence_count": {"type": "integer", "minimum": 0},
                "strongest_strength": _STRENGTH,
                "evidence": {"type": "array", "items": {"$ref": "#/$defs/evidence"}},
                "unanswered_objections": {"type": "array", "items": {"$ref": "#/$defs/objection"}},
            }
        ),
        "evidence": _obj(
            {
                "map": _STR,
                "id": _STR,
                "quote": _STR,
                "text": _STR,
                "citation": _STR,
                "url": _STR,
                "locator": _STR,
                "strength": _STRENGTH,
                "source_file": _STR,
            }
        ),
        "objection": _obj(
            {
                "map": _STR,
                "id": _STR,
                "kind": {"enum": ["objection", "rebuttal"]},
                "label": _STR,
                "text": _STR,
                "relation": {"enum": list(ATTACKS)},
                "target": _STR,
            }
        ),
        "recommendation": _obj(
            {
                "map": _STR,
                "id": _STR,
                "actor": _STR,
                "text": _STR,
                "priority": _STR,
                "because": {"type": "array", "items": _STR},
                "traces": {"type": "boolean"},
                "problems": {"type": "array", "items": _STR},
            }
        ),
        "health": _obj(
            {
                "premises": {"type": "integer", "minimum": 0},
                "premises_with_evidence": {"type": "integer", "minimum": 0},
                "evidence_share": _nullable({"type": "number", "minimum": 0, "maximum": 1}),
                "unbacked_premises": {"type": "array", "items": _STR},
                "evidence_count": {"type": "integer", "minimum": 0},
                "unanswered_objections": {"type": "array", "items": {"$ref": "#/$defs/objection"}},
                "recommendations": {"type": "integer", "minimum": 0},
                "recommendations_traced": {"type": "integer", "minimum": 0},
                "untraced_recommendations": {"type": "array", "items": {"$ref": "#/$defs/recommendation"}},
                "assumptions": {
                    "type": "array",
                    "items": _obj(
                        {
                            "map": _STR,
                            "id": _STR,
                            "label": _STR,
                            "text": _STR,
                            "evidence_count": {"type": "integer", "minimum": 0},
                        }
                    ),
                },
                "mixed_questions": {"type": "array", "items": _STR},
            }
        ),
        "shared": _obj(
            {
                "source_file": _STR,
                "citation": _STR,
                "passage": _STR,
                "positions": {"type": "array", "items": _STR, "minItems": 2},
                "opposite_ends": {"type": "boolean"},
                "clash_questions": {"type": "array", "items": _STR},
                "uses": {
                    "type": "array",
                    "minItems": 2,
                    "items": _obj(
                        {
                            "position": _STR,
                            "map": _STR,
                            "evidence": _STR,
                            "quote": _STR,
                            "locator": _STR,
                            "claim": _STR,
                            "claim_label": _STR,
                            "side": {"enum": ["for", "against"]},
                            "answers": {"type": "object", "additionalProperties": _STANCE},
                        }
                    ),
                },
            }
        ),
    },
}


# --- reports: text and Markdown -------------------------------------------------------


def _stance_text(stance: str, symbols: Mapping[str, str]) -> str:
    return f"{symbols[stance]} {stance}"


def _verdict_text(r: QuestionResult) -> str:
    words = {
        "clash": "CLASH",
        "agreement": "agree",
        "divergence": "differ",
        "single": "one voice",
        "unanswered": "nobody",
    }
    return words[r.verdict] + (", gap" if r.gap and r.speaking else "")


def _claim_brief(c: ClaimRef) -> str:
    ev = f"{c.evidence_count} evidence" + (f", {c.strongest_strength}" if c.strongest_strength else "")
    return f"{c.map_id}:{c.id} “{c.title}” ({ev})"


def _ref(cmp: Comparison, position_id: str, map_id: str, node_id: str) -> str:
    """A node id, with its map's id when the position is argued by more than one map."""
    return f"{map_id}:{node_id}" if len(cmp.position(position_id).maps) > 1 else node_id


def _basis_text(b: Basis, ref: str, stance: str) -> str:
    """One basis as a line: the claim (with its own answer when the position's ``stance``
    differs), the passage it cites and where, the note."""
    out = ref + (f" (answers {b.stance})" if b.stance != stance else "")
    if b.quote:
        where = ", ".join(x for x in (b.citation, b.locator) if x)
        out += f" “{' '.join(b.quote.split())}”" + (f" ({where})" if where else "")
    if b.note:
        out += ("; note: " if b.quote else " — note: ") + " ".join(b.note.split())
    if not b.quote and not b.note:
        out += ": no passage cited, no note"
    return out


def _labels(cmp: Comparison, ids: Iterable[str]) -> str:
    return ", ".join(cmp.position(p).label or p for p in ids)


def _legend(symbols: Mapping[str, str]) -> str:
    return "   ".join(_stance_text(s, symbols) for s in CELL_STANCES)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _share(h: Health) -> str:
    share = h.evidence_share
    if share is None:
        return "no premises"
    return f"{len(h.premises_with_evidence)}/{len(h.premises)} ({share:.0%})"


def print_text(comparison: Comparison, console: Console, symbols: Mapping[str, str] = SYMBOLS) -> None:
    """Print the comparison as rich tables: matrix, clashes, gaps, health, shared evidence, actors."""
    from rich import box
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    cmp = comparison
    styles = {YES: "green", NO: "red", QUALIFIED: "yellow", MIXED: "magenta", SILENT: "dim"}
    heading = cmp.title + (f" — {cmp.subtitle}" if cmp.subtitle else "")
    console.print(Text(heading, style="bold"))
    console.print(Text(_legend(symbols), style="dim"))

    matrix = Table(box=box.SIMPLE_HEAVY, show_lines=False, title="Positions on the questions", title_justify="left")
    matrix.add_column("Question", ratio=3, overflow="fold")
    for pos in cmp.positions:
        # Text, not str: rich would read square brackets in a user's label as markup.
        matrix.add_column(Text(pos.label or pos.id), ratio=1, overflow="fold")
    matrix.add_column("Verdict", ratio=1)
    for r in cmp.results:
        cells = []
        for c in cmp.row(r.question.id):
            ids = ", ".join(_ref(cmp, c.position_id, x.map_id, x.id) for x in c.claims)
            t = Text(_stance_text(c.stance, symbols), style=styles[c.stance])
            if ids:
                t.append(f"\n{ids}", style="dim")
            cells.append(t)
        verdict = Text(_verdict_text(r), style="bold" if r.clash else "")
        matrix.add_row(Text(r.question.text or r.question.id), *cells, verdict)
    console.print(matrix)

    console.print(Text("What each stance rests on", style="bold"))
    for r in cmp.results:
        said = [c for c in cmp.row(r.question.id) if c.basis]
        if not said:
            continue
        console.print(Text(f"• {r.question.text or r.question.id}"))
        for c in said:
            label = cmp.position(c.position_id).label or c.position_id
            for b in c.basis:
                line = Text(f"{label}, ")
                line.append(_stance_text(c.stance, symbols), style=styles[c.stance])
                line.append(": " + _basis_text(b, _ref(cmp, c.position_id, b.map_id, b.node), c.stance))
                console.print(Padding(line, (0, 0, 0, 4)))  # wrapped lines keep the indent

    if cmp.clashes:
        console.print(Text("Clashes", style="bold"))
        for r in cmp.clashes:
            console.print(Text(f"• {r.question.text}"))
            for cells in cmp.clash_sides(r.question.id):
                for c in cells:
                    label = cmp.position(c.position_id).label or c.position_id
                    strongest = c.strongest
                    brief = _claim_brief(strongest) if strongest else ""
                    console.print(Text(f"    {_stance_text(c.stance, symbols)}: {label}: {brief}"))
    if cmp.gaps:
        console.print(Text("Gaps (silent positions)", style="bold"))
        for r in cmp.gaps:
            console.print(Text(f"• {r.question.text}: {_labels(cmp, r.silent)}"))
    if cmp.agreements:
        console.print(Text("Agreement", style="bold"))
        for r in cmp.agreements:
            stance = r.stance_of(r.speaking[0])
            console.print(Text(f"• {r.question.text}: {_stance_text(stance, symbols)}: {_labels(cmp, r.speaking)}"))
    not_counted = [c for c in cmp.cells if c.opposed]
    if not_counted:
        console.print(Text("Answers not counted (on claims the position argues against)", style="bold"))
        for c in not_counted:
            claims = ", ".join(f"{x.map_id}:{x.id} ({x.stance_on(c.question_id)})" for x in c.opposed)
            label = cmp.position(c.position_id).label or c.position_id
            console.print(Text(f"• {cmp.result(c.question_id).question.text}: {label}: {claims}"))

    health = Table(box=box.SIMPLE_HEAVY, title="Argument health", title_justify="left")
    for name in (
        "Position",
        "Premises with evidence",
        "Unanswered objections",
        "Recommendations traced",
        "Assumptions",
        "Mixed",
    ):
        health.add_column(name, overflow="fold")
    for h in cmp.health:
        unanswered = ", ".join(f"{o.map_id}:{o.id}" for o in h.unanswered_objections)
        assumptions = f"{len(h.assumptions)}" + (
            f" ({', '.join(a.id for a in h.assumptions)})" if h.assumptions else ""
        )
        health.add_row(
            *(
                Text(x)
                for x in (
                    cmp.position(h.position_id).label or h.position_id,
                    _share(h),
                    f"{len(h.unanswered_objections)}" + (f" ({unanswered})" if unanswered else ""),
                    f"{len(h.traced_recommendations)}/{len(h.recommendations)}",
                    assumptions,
                    ", ".join(h.mixed_questions) or "none",
                )
            )
        )
    console.print(health)
    for h in cmp.health:
        label = cmp.position(h.position_id).label or h.position_id
        for a in h.assumptions:
            backed = f"{a.evidence_count} evidence" if a.evidence else "no evidence"
            console.print(Text(f"  {label} rests on {a.map_id}:{a.id} “{a.title}” ({backed})"))
        for r in h.recommendations:
            if not r.traces:
                console.print(
                    Text(f"  {label}: {r.map_id}:{r.id} does not trace to the thesis: {'; '.join(r.problems)}")
                )

    if cmp.shared_evidence:
        console.print(Text("Shared evidence (one passage, several positions)", style="bold"))
        for s in cmp.shared_evidence:
            mark = f"  [opposite ends: {', '.join(s.clash_questions)}]" if s.opposite_ends else ""
            console.print(Text(f"• “{_short(s.passage, 90)}” ({s.source_file}){mark}"))
            for u in s.uses:
                label = cmp.position(u.position_id).label or u.position_id
                where = f", {u.evidence.locator}" if u.evidence.locator else ""
                console.print(
                    Text(
                        f"    {label}: {u.evidence.map_id}:{u.evidence.id}{where} → {u.claim_id} “{_short(u.claim_label, 50)}” ({u.side})"
                    )
                )

    if cmp.recommendations:
        recs = Table(box=box.SIMPLE_HEAVY, title="Recommendations by actor", title_justify="left", show_lines=True)
        recs.add_column("Actor", ratio=1, overflow="fold")
        for pos in cmp.positions:
            recs.add_column(Text(pos.label or pos.id), ratio=2, overflow="fold")
        for row in cmp.recommendations:
            cols = []
            for pos in cmp.positions:
                items = [
                    f"{_ref(cmp, pos.id, r.map_id, r.id)}: {r.text}" + ("" if r.traces else " (does not trace)")
                    for r in row.of(pos.id)
                ]
                cols.append("\n".join(items) or symbols[SILENT])
            recs.add_row(Text(row.actor), *(Text(c) for c in cols))
        console.print(recs)




def render_markdown(comparison: Comparison, symbols: Mapping[str, str] = SYMBOLS) -> str:
    """The comparison as GitHub-flavoured Markdown, for pasting into other documents."""
    cmp = comparison
    out: list[str] = [f"# {_md(cmp.title or cmp.pack_id)}", ""]
    if cmp.subtitle:
        out += [f"*{_md(cmp.subtitle)}*", ""]
    out += [f"Legend: {_legend(symbols)}", "", "## Positions on the questions", ""]
    header = ["Question", *(_md(p.label or p.id) for p in cmp.positions), "Verdict"]
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in cmp.results:
        cells = []
        for c in cmp.row(r.question.id):
            ids = ", ".join(_md(_ref(cmp, c.position_id, x.map_id, x.id)) for x in c.claims)
            cells.append(_stance_text(c.stance, symbols) + (f" ({ids})" if ids else ""))
        verdict = _verdict_text(r)
        out.append(
            "| "
            + " | ".join([_md(r.question.text or r.question.id), *cells, f"**{verdict}**" if r.clash else verdict])
            + " |"
        )
    out.append("")

    out += ["## What each stance rests on", ""]
    for r in cmp.results:
        said = [c for c in cmp.row(r.question.id) if c.basis]
        if not said:
            continue
        out.append(f"- **{_md(r.question.text or r.question.id)}**")
        for c in said:
            label = _md(cmp.position(c.position_id).label or c.position_id)
            for b in c.basis:
                out.append(
                    f"  - {label}, {_stance_text(c.stance, symbols)}: "
                    f"{_md(_basis_text(b, _ref(cmp, c.position_id, b.map_id, b.node), c.stance))}"
                )
    out.append("")

    if cmp.clashes:
        out += ["## Clashes", ""]
        for r in cmp.clashes:
            out.append(f"- **{_md(r.question.text)}**")
            for cells in cmp.clash_sides(r.question.id):
                for c in cells:
                    s = c.strongest
                    brief = _md(_claim_brief(s)) if s else ""
                    out.append(
                        f"  - {_stance_text(c.stance, symbols)}: {_md(cmp.position(c.position_id).label or c.position_id)}: {brief}"
                    )
                    for ev in s.evidence if s else ():
                        loc = f", {ev.locator}" if ev.locator else ""
                        out.append(f"    - “{_md(ev.quote or ev.text)}” ({_md(ev.citation)}{_md(loc)})")
        out.append("")
    if cmp.gaps:
        out += ["## Gaps", ""]
        out += [f"- {_md(r.question.text)}: silent: {_md(_labels(cmp, r.silent))}" for r in cmp.gaps]
        out.append("")
    if cmp.agreements:
        out += ["## Agreement", ""]
        for r in cmp.agreements:
            out.append(
                f"- {_md(r.question.text)}: {_stance_text(r.stance_of(r.speaking[0]), symbols)}: {_md(_labels(cmp, r.speaking))}"
            )
        out.append("")

    out += ["## Argument health", ""]
    out += [
        "| Position | Premises with evidence | Unanswered objections | Recommendations traced | Assumptions | Mixed answers |",
        "|---|---|---|---|---|---|",
    ]
    for h in cmp.health:
        unanswered = ", ".join(_md(f"{o.map_id}:{o.id}") for o in h.unanswered_objections)
        out.append(
            "| "
            + " | ".join(
                [
                    _md(cmp.position(h.position_id).label or h.position_id),
                    _share(h),
                    f"{len(h.unanswered_objections)}" + (f" ({unanswered})" if unanswered else ""),
                    f"{len(h.traced_recommendations)}/{len(h.recommendations)}",
                    ", ".join(_md(f"{a.id} “{a.label or a.text}”") for a in h.assumptions) or "none",
                    ", ".join(_md(q) for q in h.mixed_questions) or "none",
                ]
            )
            + " |"
        )
    out.append("")

    if cmp.shared_evidence:
        out += ["## Shared evidence", ""]
        for s in cmp.shared_evidence:
            questions = "; ".join(cmp.result(q).question.text or q for q in s.clash_questions)
            mark = f" — *opposite ends: {_md(questions)}*" if s.opposite_ends else ""
            out.append(f"- “{_md(s.passage)}” ({_md(s.citation or s.source_file)}){mark}")
            for u in s.uses:
                loc = f", {u.evidence.locator}" if u.evidence.locator else ""
                out.append(
                    f"  - {_md(cmp.position(u.position_id).label or u.position_id)}: "
                    f"{_md(u.evidence.map_id)}:{_md(u.evidence.id)}{_md(loc)} backs {_md(u.claim_id)} “{_md(u.claim_label)}” ({u.side})"
                )
        out.append("")

    if cmp.recommendations:
        out += ["## Recommendations by actor", ""]
        header = ["Actor", *(_md(p.label or p.id) for p in cmp.positions)]
        out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for row in cmp.recommendations:
            cols = []
            for pos in cmp.positions:
                items = [
                    f"{_md(_ref(cmp, pos.id, r.map_id, r.id))}: {_md(r.text)}"
                    + ("" if r.traces else " *(does not trace)*")
                    for r in row.of(pos.id)
                ]
                cols.append("<br>".join(items) or symbols[SILENT])
            out.append("| " + " | ".join([_md(row.actor), *cols]) + " |")
        out.append("")
    return "\n".join(out)
