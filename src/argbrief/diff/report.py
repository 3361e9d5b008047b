"""Reports of a :class:`~argbrief.diff.DiffResult`: one line per change, Markdown for a pull request, JSON.

Every report says a change with the same words: :func:`phrase` builds them as
runs of text with a role (an id, an old or new value, a quote), and each
format only decides how a role looks (ANSI colour, Markdown markup, nothing).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from typing import Any

from .._markdown import escape as md
from ..compare import SYMBOLS
from .result import JSON_VERSION, OPS, STATUSES, SUBJECTS, Change, DiffResult, DocumentDiff, Side, Value

#: Fields whose old and new values are prose: shown as a word diff.
PROSE = frozenset(
    {"text", "quote", "label", "note", "summary", "title", "subtitle", "actor", "purpose", "decision", "bottom_line"}
)
SIGNS = {"added": "+", "removed": "-", "changed": "~", "renamed": "~", "moved": "~"}
#: Changes a document's Markdown list shows before the rest goes into <details>.
SHORT = 12
#: Words of unchanged text kept on each side of a change in the one-line text report.
CONTEXT_WORDS = 4
#: The first line of the Markdown report: a CI job finds its earlier comment by it.
MARKER = "<!-- argbrief-diff -->"

Run = tuple[str, str]  # (text, role): role "" plain, "id", "old", "new", "quote", "del", "ins", "gap"


# --- the words ------------------------------------------------------------------------------


def _prose(field: str) -> bool:
    """Whether a field holds prose (``text``, ``answers.q.quote`` ...): shown as a word diff."""
    return field.rsplit(".", 1)[-1] in PROSE


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


#: Words, runs of white space, and each punctuation mark on its own: "faster." -> "faster", ".".
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[Run]:
    """``old`` -> ``new`` as runs of unchanged (""), deleted ("del") and inserted ("ins") words."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[Run] = []
    # White space never anchors a match (it would pair unrelated words), but matches run through it.
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(str.isspace, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("".join(a[i1:i2]), ""))
            continue
        if i2 > i1:
            out.append(("".join(a[i1:i2]), "del"))
        if j2 > j1:
            out.append(("".join(b[j1:j2]), "ins"))
    return out


def _elide(runs: list[Run], words: int = CONTEXT_WORDS) -> list[Run]:
    """Long unchanged stretches cut to ``words`` words at each edge, so a one-line report stays one line."""
    out: list[Run] = []
    for i, (text, role) in enumerate(runs):
        parts = text.split()
        if role or len(parts) <= 2 * words + 1:
            out.append((_one_line(text), role))
            continue
        head = "" if i == 0 else " ".join(parts[:words]) + " "
        tail = "" if i == len(runs) - 1 else " " + " ".join(parts[-words:])
        lead = " " if text[:1].isspace() and i else ""
        trail = " " if text[-1:].isspace() and i < len(runs) - 1 else ""
        out.append((lead + head + "…" + tail + trail, ""))
    return out


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _short(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _value(value: Value) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) if value else "(none)"
    return value or "(none)"


def _members(change: Change) -> list[Run]:
    runs: list[Run] = []
    for x in change.added:
        runs += [(" ", ""), ("+" + x, "new")]
    for x in change.removed:
        runs += [(" ", ""), ("-" + x, "old")]
    return runs


def phrase(change: Change, *, long: bool = False, verb: bool = True) -> list[Run]:
    """The words of one change, without its sign; ``long`` keeps whole texts instead of eliding them.

    ``verb`` False leaves out "renamed" and "moved", for a report that says the op before the phrase.
    """
    c = change
    what = c.kind or c.subject
    if c.subject in ("map", "pack") and c.op in ("added", "removed"):
        return [(f"{c.subject} ", ""), (c.id, "id"), (" ", ""), (_short(c.text, 200 if long else 80), "quote")]
    if c.subject == "link":
        target = c.new if c.op == "added" else c.old
        return [("link ", ""), (c.id, "id"), (f" {c.kind.replace('_', ' ')} ", ""), (str(target), "id")]
    if c.subject == "stance":
        return _stance_phrase(c)
    head: list[Run] = [(f"{what} ", ""), (c.old_id if c.op == "renamed" else c.id, "id")]
    if c.subject == "question" or c.subject == "verdict":
        head = [("question ", ""), (c.id, "id")]
    if c.op in ("added", "removed"):
        body = [(" ", ""), (c.text if long else _short(c.text), "quote")]
        if c.parent:
            body.append((f" ({'under' if c.op == 'added' else 'was under'} ", ""))
            body += [(c.parent, "id"), (")", "")]
        return head + body
    if c.op == "renamed":
        return head + [(" renamed " if verb else " to ", ""), (c.id, "new")]
    if c.op == "moved":
        moved = " moved from under " if verb else " from under "
        return head + [(moved, ""), (_value(c.old), "old"), (" to under ", ""), (_value(c.new), "new")]
    name = c.field.replace("answers.", "answers ")
    head += [(f" {name}:", "")]
    if _prose(c.field) and isinstance(c.old, str) and isinstance(c.new, str) and c.old and c.new:
        runs = word_diff(c.old, c.new)
        return head + [(" ", "")] + (runs if long else _elide(runs))
    if c.added or c.removed:
        return head + _members(c)
    old, new = _value(c.old), _value(c.new)
    if not long and _prose(c.field):
        old, new = _short(old, 60), _short(new, 60)
    return head + [(" ", ""), (old, "old"), (" → ", ""), (new, "new")]


def _stance_phrase(c: Change) -> list[Run]:
    runs: list[Run] = [("stance of ", ""), (c.position, "id"), (" on ", ""), (c.id, "id")]
    if c.field == "stance":
        runs += [(": ", ""), (str(c.old), "old"), (" → ", ""), (str(c.new), "new")]
        if c.added or c.removed:
            runs += [(" (basis", "")] + _members(c) + [(")", "")]
        return runs
    return runs + [(": basis", "")] + _members(c)


# --- text -----------------------------------------------------------------------------------

_ANSI = {
    "+": "\x1b[32m",
    "-": "\x1b[31m",
    "~": "\x1b[33m",
    "old": "\x1b[31m",
    "new": "\x1b[32m",
    "del": "\x1b[31m",
    "ins": "\x1b[32m",
    "id": "\x1b[1m",
    "!": "\x1b[35m",
}
_RESET = "\x1b[0m"


def _text_runs(runs: Iterable[Run], color: bool) -> str:
    out = []
    for text, role in runs:
        shown = {"del": f"[-{text}-]", "ins": f"{{+{text}+}}", "quote": f"“{text}”"}.get(role, text)
        out.append(f"{_ANSI[role]}{shown}{_RESET}" if color and role in _ANSI else shown)
    return "".join(out)


def text_lines(result: DiffResult, color: bool = False) -> list[str]:
    """One line per change: ``place: sign words``; deleted words ``[-like this-]``, inserted ``{+like this+}``.

    Nothing at all when nothing changed.
    """
    lines = []
    for doc in result.documents:
        for change in doc.changes:
            sign = SIGNS[change.op]
            mark = f"{_ANSI[sign]}{sign}{_RESET}" if color else sign
            # A pack's lines may point into a map (the claim behind a stance): name the pack.
            pack = f"{doc.id}: " if doc.document == "pack" and change.subject != "pack" else ""
            lines.append(f"{_place(change, doc)}: {mark} {pack}{_text_runs(phrase(change), color)}")
        if doc.note:
            mark = f"{_ANSI['!']}!{_RESET}" if color else "!"
            lines.append(f"{doc.new_file or doc.old_file}: {mark} {doc.document} {doc.id}: {doc.note}")
    return lines


def _place(change: Change, doc: DocumentDiff) -> str:
    where = change.where
    if where.line:
        return str(where)
    return where.file if where.file != "<unknown>" else (doc.new_file or doc.old_file)


# --- Markdown -------------------------------------------------------------------------------


def _md_runs(runs: Iterable[Run]) -> str:
    out = []
    previous = ""
    for text, role in runs:
        if previous == "del" and role == "ins":
            out.append(" ")  # "~~old~~ **new**": the two runs of a replacement, apart
        previous = role
        if not text.strip():
            out.append(" " if text else "")
            continue
        lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", text, re.DOTALL).groups()  # type: ignore[union-attr]
        core = md(core)
        core = {
            "id": f"`{core}`" if "`" not in core else core,
            "del": f"~~{core}~~",
            "ins": f"**{core}**",
            "quote": f"“{core}”",
            "old": f"~~{core}~~",
            "new": f"**{core}**",
        }.get(role, core)
        out.append((" " if lead else "") + core + (" " if trail else ""))
    return "".join(out)


def _side(side: Side) -> str:
    """``HEAD`` (abc1234, 15 January 2025), or the label as it is."""
    if not side.commit:
        return md(side.label)
    when = f", {side.day}" if side.date else ""
    return f"`{md(side.label)}` ({side.commit[:7]}{when})"


def summary_line(result: DiffResult) -> str:
    """ "2 maps and 1 pack changed: 1 added, 2 removed, 3 changed (1 reworded, 1 stance changed)"."""
    docs = result.documents
    maps = sum(d.document == "map" for d in docs)
    packs = len(docs) - maps
    what = " and ".join(p for p in (maps and _plural(maps, "map"), packs and _plural(packs, "pack")) if p)
    counts = result.counts()
    # Rewordings and stance changes are changes too: they say what some of the changed are, not more changes.
    of_which = [f"{counts['text']} reworded"] if counts["text"] else []
    if counts["stance"]:
        of_which.append(_plural(counts["stance"], "stance") + " changed")
    parts = [f"{counts[op]} {op}" + (f" ({', '.join(of_which)})" if op == "changed" and of_which else "")
             for op in OPS if counts[op]]
    return f"{what} changed: " + (", ".join(parts) or "not compared")


def render_markdown(result: DiffResult) -> str:
    """GitHub-flavoured Markdown for a pull-request comment: short lists, long parts in ``<details>``.

    Empty when nothing changed (so a CI job can skip posting).
    """
    if not result.changed and not result.diagnostics:
        return ""
    out = [MARKER, f"### Argument changes: {_side(result.old)} → {_side(result.new)}", ""]
    out += [summary_line(result) + ".", ""]
    for doc in result.documents:
        out += _md_document(doc)
    if result.diagnostics:
        out += [
            "<details><summary>⚠️ "
            + _plural(len(result.diagnostics), "file error")
            + " (those files were not compared)</summary>",
            "",
        ]
        out += ["```"] + [d.format().replace("```", "'''") for d in result.diagnostics] + ["```", "", "</details>", ""]
    return "\n".join(out).rstrip() + "\n"


def _md_document(doc: DocumentDiff) -> list[str]:
    title = f" — {md(doc.title)}" if doc.title else ""
    files = doc.new_file or doc.old_file
    out = [
        f"#### {doc.document.capitalize()} `{md(doc.id)}`{title}",
        "",
        f"*{md(files)}*, {doc.status.replace('-', ' ')}" + (f": {md(doc.note)}" if doc.note else ""),
        "",
    ]
    stances = [c for c in doc.changes if c.subject == "stance"]
    listed = [c for c in doc.changes if c.subject != "stance"]
    items = [f"- **{c.op}** {_md_runs(phrase(c, verb=False))}" for c in listed]
    out += items[:SHORT]
    if len(items) > SHORT:
        out += [
            "",
            f"<details><summary>{len(items) - SHORT} more changes</summary>",
            "",
            *items[SHORT:],
            "",
            "</details>",
        ]
    if items:
        out.append("")
    if stances:
        out += ["| Question | Position | Before | After | Basis |", "|---|---|---|---|---|"]
        for c in stances:
            before, after = (
                (_stance_cell(c.old), _stance_cell(c.new)) if c.field == "stance" else ("unchanged", "unchanged")
            )
            basis = [f"**{md(x)}**" if x in c.added else md(x) for x in c.basis] + [f"~~{md(x)}~~" for x in c.removed]
            cells = [md(c.text or c.id), md(c.position), before, after, ", ".join(basis) or "—"]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    reworded = [
        c for c in doc.changes if _prose(c.field) and c.op == "changed" and len(str(c.old)) + len(str(c.new)) > 160
    ]
    if reworded:
        out += [f"<details><summary>Whole texts of {_plural(len(reworded), 'long rewording')}</summary>", ""]
        for c in reworded:
            out += [
                f"**{md(c.id)}** {md(c.field)}, before:",
                "",
                f"> {md(str(c.old))}",
                "",
                "after:",
                "",
                f"> {md(str(c.new))}",
                "",
            ]
        out += ["</details>", ""]
    return out


def _stance_cell(stance: Value) -> str:
    value = str(stance)
    return f"{SYMBOLS.get(value, '')} {value}".strip()


# --- JSON -----------------------------------------------------------------------------------


def change_to_json(change: Change) -> dict[str, Any]:
    def value(v: Value) -> Any:
        return list(v) if isinstance(v, tuple) else v

    where = change.where
    return {
        "subject": change.subject,
        "op": change.op,
        "id": change.id,
        "old_id": change.old_id or None,
        "kind": change.kind or None,
        "field": change.field or None,
        "old": value(change.old),
        "new": value(change.new),
        "added": list(change.added),
        "removed": list(change.removed),
        "text": change.text or None,
        "parent": change.parent or None,
        "position": change.position or None,
        "basis": list(change.basis),
        "file": where.file if where.file != "<unknown>" else None,
        "line": where.line or None,
        "column": where.column or None,
    }


def result_to_json(result: DiffResult) -> dict[str, Any]:
    """The documented, versioned JSON form (docs/diff.md, schema :data:`JSON_SCHEMA`)."""

    def side(s) -> dict[str, Any]:
        return {"label": s.label, "commit": s.commit or None, "date": s.date or None}

    counts = result.counts()
    return {
        "version": JSON_VERSION,
        "old": side(result.old),
        "new": side(result.new),
        "changed": result.changed,
        "summary": {
            "documents": len(result.documents),
            "changes": len(result.changes),
            **{op: counts[op] for op in OPS},
            "text": counts["text"],
            "stance": counts["stance"],
        },
        "documents": [
            {
                "document": d.document,
                "id": d.id,
                "status": d.status,
                "title": d.title,
                "old_file": d.old_file or None,
                "new_file": d.new_file or None,
                "note": d.note or None,
                "changes": [change_to_json(c) for c in d.changes],
            }
            for d in result.documents
        ],
        "diagnostics": [d.to_json() for d in result.diagnostics],
    }


def render_json(result: DiffResult) -> str:
    return json.dumps(result_to_json(result), indent=2, ensure_ascii=False)


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": sorted(props), "additionalProperties": False, "properties": props}


_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_OPT_INT = {"type": ["integer", "null"], "minimum": 1}
_VALUE = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
_COUNT = {"type": "integer", "minimum": 0}

#: JSON Schema (draft 2020-12) of :func:`render_json`'s output; docs/diff.md shows it.
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "argbrief diff --format json",
    **_obj(
        {
            "version": {"const": JSON_VERSION},
            "old": {"$ref": "#/$defs/side"},
            "new": {"$ref": "#/$defs/side"},
            "changed": {"type": "boolean"},
            "summary": _obj({k: _COUNT for k in ("documents", "changes", *OPS, "text", "stance")}),
            "documents": {"type": "array", "items": {"$ref": "#/$defs/document"}},
            "diagnostics": {"type": "array", "items": {"$ref": "#/$defs/diagnostic"}},
        }
    ),
    "$defs": {
        "side": _obj({"label": _STR, "commit": _OPT_STR, "date": _OPT_STR}),
        "document": _obj(
            {
                "document": {"enum": ["map", "pack"]},
                "id": _STR,
                "status": {"enum": list(STATUSES)},
                "title": _STR,
                "old_file": _OPT_STR,
                "new_file": _OPT_STR,
                "note": _OPT_STR,
                "changes": {"type": "array", "items": {"$ref": "#/$defs/change"}},
            }
        ),
        "change": _obj(
            {
                "subject": {"enum": list(SUBJECTS)},
                "op": {"enum": list(OPS)},
                "id": _STR,
                "old_id": _OPT_STR,
                "kind": _OPT_STR,
                "field": _OPT_STR,
                "old": _VALUE,
                "new": _VALUE,
                "added": {"type": "array", "items": _STR},
                "removed": {"type": "array", "items": _STR},
                "text": _OPT_STR,
                "parent": _OPT_STR,
                "position": _OPT_STR,
                "basis": {"type": "array", "items": _STR},
                "file": _OPT_STR,
                "line": _OPT_INT,
                "column": _OPT_INT,
            }
        ),
        "diagnostic": _obj(
            {
                "file": _STR,
                "line": {"type": "integer", "minimum": 0},
                "column": {"type": "integer", "minimum": 0},
                "severity": {"enum": ["error", "warning"]},
                "code": _STR,
                "message": _STR,
                "hint": _OPT_STR,
            }
        ),
    },
}
