"""The "What changed since …" part of a pack's front section, from ``changes_since`` (docs/diff.md).

Short by design: a reader of the second edition wants to know what moved in the
argument, not every edit. Sentences come in this order, at most :data:`MOST`
of them: the bottom line, stances (a position's answer to a question), key
judgements, the questions' verdicts (clash, agreement, gaps), questions and
positions (and their appraisals), then one sentence per map with its changes
counted. The rest is counted, with the command that lists everything. Plain
frozen data; user text is cleaned here, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

from attrs import frozen

from ..diff.editions import Edition
from ..diff.result import Change, DocumentDiff
from ..model import ArgumentMap, Pack
from ._parts import Heading
from ._text import clean, shorten

#: Sentences shown; the rest are counted.
MOST = 8

_VERDICTS = {
    "clash": "the positions clash",
    "agreement": "the positions agree",
    "divergence": "the positions differ",
    "single": "one position answers",
    "unanswered": "no position answers",
}


@frozen(kw_only=True)
class WhatChanged:
    """What changed since the earlier edition, in sentences (most telling first)."""

    heading: Heading
    since: str
    lines: tuple[str, ...]
    more: int  # changes not in ``lines``
    command: str  # the command that lists every change


def what_changed(edition: Edition, pack: Pack, maps: Mapping[str, ArgumentMap], *, level: int = 2) -> WhatChanged:
    """The section for ``pack`` (as it is now, with its ``maps``) from its :class:`Edition`."""
    lines = list(_sentences(edition, pack, maps))
    shown = lines[:MOST] if lines else ["Nothing in the argument changed."]
    return WhatChanged(
        heading=Heading(
            level=level, anchor="what-changed", number="", text=f"What changed since {clean(edition.since)}"
        ),
        since=clean(edition.since),
        lines=tuple(shown),
        more=len(lines) - len(lines[:MOST]),
        command=f"argbrief diff {clean(pack.changes_since)}",
    )


def _sentences(edition: Edition, pack: Pack, maps: Mapping[str, ArgumentMap]) -> Iterator[str]:
    docs = edition.result.documents
    packs = [d for d in docs if d.document == "pack"]
    changes = [c for d in packs for c in d.changes]
    positions = {p.id: clean(p.label) or p.id for p in pack.positions}
    questions = {q.id: clean(q.text) or q.id for q in pack.questions}

    def position(pid: str) -> str:
        return positions.get(pid, pid)

    def question(qid: str) -> str:
        return f"\u201c{questions.get(qid, qid)}\u201d"

    def basis(refs: tuple[str, ...]) -> str:
        return ", ".join(_claim(ref, maps) for ref in refs)

    for c in changes:
        if c.subject == "pack" and c.field in ("bottom_line", "decision", "purpose"):
            what = {"bottom_line": "The bottom line", "decision": "The decision sought", "purpose": "The purpose"}
            yield f"{what[c.field]} {'is new' if not c.old else 'was revised' if c.new else 'was dropped'}."
    for c in changes:
        if c.subject == "stance" and c.field == "stance":
            now = f"{position(c.position)} now answers {question(c.id)} {c.new} (was {c.old})"
            yield now + (f", on {basis(c.added)}." if c.added else ".")
        elif c.subject == "stance":
            yield f"{position(c.position)} answers {question(c.id)} as before, now on {basis(c.basis) or 'nothing'}."
    yield from _judgements([c for c in changes if c.subject == "judgement"], pack)
    for c in changes:
        if c.subject == "verdict" and c.field == "verdict":
            yield f"On {question(c.id)} {_VERDICTS.get(str(c.new), c.new)} (before: {_VERDICTS.get(str(c.old), c.old)})."
        elif c.subject == "verdict" and c.field == "gap":
            silent = ", ".join(position(p) for p in c.new or ())
            yield f"On {question(c.id)} " + (
                f"{silent} {'is' if len(c.new or ()) == 1 else 'are'} silent now."
                if silent
                else "no position is silent any more."
            )
    for c in changes:
        if c.subject in ("question", "position") and c.op in ("added", "removed"):
            what = questions.get(c.id, clean(c.text)) if c.subject == "question" else positions.get(c.id, clean(c.text))
            yield _sentence(f"{c.subject.capitalize()} {'added' if c.op == 'added' else 'dropped'}: {what or c.id}")
        elif c.subject == "position" and c.field.startswith("appraisal.") and not c.field.endswith(".text"):
            dimension = c.field.removeprefix("appraisal.")
            was = f" (was {c.old})" if c.old else ""
            yield f"{position(c.id)}: {dimension} now rated {c.new or 'not at all'}{was}."
        elif c.subject in ("question", "position"):
            name = question(c.id) if c.subject == "question" else position(c.id)
            what = c.field.replace("appraisal.", "").replace(".text", " (why)")
            yield f"{c.subject.capitalize()} {name}: {what} revised."
    for d in docs:
        if d.document == "map":
            yield _map_sentence(d)
        elif d.status == "not-compared":
            yield f"The pack not compared: {clean(d.note)}."


def _sentence(text: str) -> str:
    """``text`` ending in a full stop, unless it ends in a mark of its own ("Does it cost more?")."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _claim(ref: str, maps: Mapping[str, ArgumentMap]) -> str:
    """``map:node`` as the reader knows it: the node's label (or its text, shortened) and its id."""
    map_id, _, node_id = ref.partition(":")
    node = maps[map_id].nodes().get(node_id) if map_id in maps else None
    if node is None:
        return node_id or ref
    label = clean(getattr(node, "label", "")) or shorten(clean(getattr(node, "text", "")), 8)
    return f"{node_id} \u201c{label}\u201d"


def _judgements(changes: list[Change], pack: Pack) -> Iterator[str]:
    """One sentence per judgement that changed, named as the front section numbers it ("Key judgement 2")."""
    numbers = {j.id: i for i, j in enumerate(pack.judgements, start=1)}
    by_id: dict[str, list[Change]] = {}
    for c in changes:
        by_id.setdefault(c.id, []).append(c)
    for jid, found in by_id.items():
        text = shorten(clean(found[0].text), 12)
        name = f"Key judgement {numbers[jid]}" if jid in numbers else "A key judgement"
        if found[0].op in ("added", "removed"):
            yield f"{name} is {'new' if found[0].op == 'added' else 'withdrawn'}: \u201c{text}\u201d"
            continue
        parts = []
        for c in found:
            if c.field in ("likelihood", "confidence"):
                parts.append(
                    f"{c.field} now {clean(str(c.new)) or 'not stated'} (was {clean(str(c.old)) or 'not stated'})"
                )
            elif c.field == "basis":
                parts.append("its basis changed")
            else:
                parts.append(f"its {c.field} was revised")
        yield f"{name} (\u201c{text}\u201d): " + "; ".join(parts) + "."


_NOUNS = {"evidence": ("evidence item", "evidence items")}


def _map_sentence(d: DocumentDiff) -> str:
    title = clean(d.title) or d.id
    if d.status == "added":
        return f"New map: \u201c{title}\u201d."
    if d.status == "removed":
        return f"Map dropped: \u201c{title}\u201d."
    if d.status == "not-compared":
        return f"Map \u201c{title}\u201d not compared: {clean(d.note)}."
    counts: Counter[str] = Counter()
    for c in d.changes:
        if c.subject == "node" and c.op in ("added", "removed"):
            counts[f"{c.kind}|{c.op}"] += 1
        elif c.field == "text":
            counts["|reworded"] += 1
        elif c.op in ("renamed", "moved"):
            counts[f"|{c.op}"] += 1
        elif c.field.startswith("answers."):
            counts["|answer"] += 1
        else:
            counts["|other"] += 1
    parts = []
    for key, n in sorted(counts.items(), key=lambda kv: _ORDER.index(kv[0].split("|")[1])):
        kind, what = key.split("|")
        noun = _NOUNS.get(kind, (kind, f"{kind}s"))[n != 1] if kind else ""
        phrase = {
            "reworded": f"{n} reworded",
            "renamed": f"{n} renamed",
            "moved": f"{n} moved",
            "answer": f"{n} {'answer' if n == 1 else 'answers'} changed",
            "other": f"{n} other {'change' if n == 1 else 'changes'}",
        }.get(what, f"{n} {noun} {what}")
        parts.append(phrase)
    return f"Map \u201c{title}\u201d: {', '.join(parts)}."


_ORDER = ("added", "removed", "reworded", "answer", "renamed", "moved", "other")
