"""Validation: one small function per rule, each tagged with its diagnostic code.

Rules take a :class:`MapContext` (or a pack and the known maps) and yield
diagnostics; they never raise for bad content.  Every rule runs, so one
``argbrief check`` reports every problem of every file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter, itemgetter
from typing import Any

from attrs import frozen

from .convert import INVALID
from .diagnostics import Diagnostic, did_you_mean
from .estimative import CONFIDENCES, YARDSTICKS, hedges_in, parse_source_date, stale
from .model import (
    ALLOWED_CHILDREN,
    CHILD_LISTS,
    DATE_BASES,
    DIRECTIONS,
    MUTUAL,
    NOWHERE,
    PRIORITIES,
    RATINGS,
    RELIABILITIES,
    STANCES,
    STRENGTHS,
    Answer,
    ArgumentMap,
    Claim,
    Evidence,
    Group,
    Node,
    Objection,
    Pack,
    Premise,
    Rebuttal,
    Recommendation,
    Source,
    Walked,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NODE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
#: A date as argbrief writes them (YYYY, YYYY-MM, YYYY-MM-DD), whether or not the day is real.
_DATE_SHAPE = re.compile(r"^\d{4}(?:-\d{2}){0,2}$")
#: Ids joined by newlines, each one a NODE_ID (when none is empty and none holds a newline of its own).
_NODE_IDS = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*(?:\n[A-Za-z][A-Za-z0-9_.-]*)*")


@frozen
class MapContext:
    """What every rule looks at: the map, walked once, and the questions packs ask."""

    amap: ArgumentMap
    walked: tuple[Walked, ...]
    #: question ids of the packs being checked; None when no pack is known.
    questions: frozenset[str] | None = None
    #: the claims among ``walked``, in document order.
    all_claims: tuple[Claim, ...] = ()
    #: ``id()`` of the nodes the map argues against (see :func:`answers_endorsed`); made only
    #: when some claim answers a question (the rules that read it look at nothing else).
    opposed: frozenset[int] = frozenset()
    #: the nodes of ``walked``, in document order (most rules look at nothing else of a step).
    nodes: tuple[Node, ...] = ()
    #: the claims with ``answers``, in document order (most claims have none).
    answered: tuple[Claim, ...] = ()

    @classmethod
    def of(cls, amap: ArgumentMap, questions: Iterable[str] | None = None, walked: tuple[Walked, ...] | None = None) -> MapContext:
        """The context of ``amap``; ``walked`` is its :meth:`~ArgumentMap.walk` when the caller has it already."""
        walked = tuple(amap.walk()) if walked is None else walked
        nodes = tuple(map(itemgetter(0), walked))  # each step's node, without an attribute look-up per step
        claims = tuple(n for n in nodes if isinstance(n, Claim))
        answered = tuple(filter(attrgetter("answers"), claims))
        opposed: frozenset[int] = frozenset()
        if answered:  # only the answer rules look at it
            # A node is against the map's position when the tree path from the thesis crosses an
            # odd number of attack/undercut edges (objections, their premises); the walk yields a
            # parent before its children.
            against: dict[int, bool] = {}
            for w in walked:
                flip = w.relation in ("attack", "undercut")
                against[id(w.node)] = (against.get(id(w.parent), False) if w.parent is not None else False) != flip
            opposed = frozenset(k for k, v in against.items() if v)
        return cls(amap, walked, None if questions is None else frozenset(questions), claims, opposed, nodes, answered)

    def claims(self) -> Iterator[Claim]:
        return iter(self.all_claims)

    def answering(self) -> Iterator[Claim]:
        """The claims with ``answers``, in document order (most claims have none)."""
        return iter(self.answered)

    def ids(self) -> set[str]:
        return {n.id for n in self.nodes if n.id}


MapRule = Callable[[MapContext], Iterable[Diagnostic]]
MAP_RULES: list[MapRule] = []


def map_rule(fn: MapRule) -> MapRule:
    MAP_RULES.append(fn)
    return fn


def _kind(node: Node) -> str:
    return node.kind


def _name(node: Node) -> str:
    return f"{_kind(node)} '{node.id}'" if node.id else _kind(node)


def _a(kind: str) -> str:
    """``kind`` with its indefinite article: 'an assumption', 'a premise'."""
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


@map_rule
def thesis_present(ctx: MapContext) -> Iterable[Diagnostic]:
    # A 'thesis:' that was there but unreadable is reported by the converter already.
    if ctx.amap.thesis is None and f"thesis.{INVALID}" not in ctx.amap.spans:
        yield Diagnostic(
            code="structure.no-thesis",
            message=f"map '{ctx.amap.id or '?'}' has no thesis",
            span=ctx.amap.span,
            hint="add 'thesis:' with the map's central claim",
        )


@map_rule
def map_id_is_slug(ctx: MapContext) -> Iterable[Diagnostic]:
    amap = ctx.amap
    if not amap.id:
        if f"map.{INVALID}" not in amap.spans:  # 'map: true' is reported as the wrong type already
            yield Diagnostic(code="schema.missing", message="map has no id ('map:' key)", span=amap.span)
    elif not SLUG.match(amap.id):
        yield Diagnostic(
            code="schema.bad-id",
            message=f"map id '{amap.id}' is not a slug",
            span=amap.spans.get("map", amap.span),
            hint="use lowercase letters, digits and single hyphens, e.g. 'putin-wants'",
        )
    if not amap.title.strip() and f"title.{INVALID}" not in amap.spans:
        yield Diagnostic(
            code="schema.missing",
            message=f"map '{amap.id or '?'}' has no title",
            span=amap.spans.get("title", amap.span),
            hint="add 'title:'; it heads the map in diagrams and packs",
        )
    if amap.position and not SLUG.match(amap.position):
        yield Diagnostic(
            code="schema.bad-id",
            message=f"position '{amap.position}' is not a slug",
            span=amap.spans.get("position", amap.span),
            hint="use lowercase letters, digits and single hyphens",
        )


@map_rule
def node_ids(ctx: MapContext) -> Iterable[Diagnostic]:
    # The common case first, at C speed: every node has an id, each well-formed and used once.
    ids = list(map(attrgetter("id"), ctx.nodes))
    joined = "\n".join(ids)
    if all(ids) and len(set(ids)) == len(ids) and joined.count("\n") == len(ids) - 1 and _NODE_IDS.fullmatch(joined):
        return
    seen: dict[str, Node] = {}
    for node in ctx.nodes:
        if not node.id:
            continue
        if not NODE_ID.match(node.id):
            yield Diagnostic(
                code="schema.bad-id",
                message=f"id '{node.id}' of {_kind(node)} has characters that are not allowed",
                span=node.spans.get("id", node.span),
                hint="start with a letter; then letters, digits, '.', '_' or '-'",
            )
        if node.id in seen:
            first = seen[node.id]
            yield Diagnostic(
                code="id.duplicate",
                message=f"id '{node.id}' is used twice",
                span=node.spans.get("id", node.span),
                hint=f"first used by the {_kind(first)}" + (f" at line {first.span.line}" if first.span.line else ""),
            )
        else:
            seen[node.id] = node


@map_rule
def texts_present(ctx: MapContext) -> Iterable[Diagnostic]:
    for node in ctx.nodes:
        text = (node.quote or node.text) if isinstance(node, Evidence) else node.text
        empty = not text or text.isspace()  # as ``not text.strip()``, without making a copy of each text
        if empty:
            what = "neither a quote nor a text" if isinstance(node, Evidence) else "no text"
            yield Diagnostic(
                code="text.empty",
                message=f"{_name(node)} has {what}",
                span=node.spans.get("quote" if isinstance(node, Evidence) else "text", node.span),
            )


def _misplaced(claim: Claim, name: str) -> Claim | None:
    """The claim a child list ``name`` that ``claim`` may not have was most likely meant for.

    A list indented too little lands on the claim above the one it belongs to: a
    ``rebuttals:`` dedented from under an objection becomes the thesis's. The
    candidate is the last item of the list written just above it (and that item's
    own last items, going down), nearest first, that may have such a list.
    """
    key = claim.spans.get(f"{name}.__key__")
    if key is None:
        return None
    here: Claim = claim
    found: Claim | None = None
    while True:
        above = [
            (span.line, lst)
            for lst in CHILD_LISTS
            if lst != name and getattr(here, lst) and (span := here.spans.get(f"{lst}.__key__")) and span.line < key.line
        ]
        if not above:
            return found
        items = getattr(here, max(above)[1])
        last = items[-1]
        last = last.members[-1] if isinstance(last, Group) and last.members else last
        if not isinstance(last, Claim):
            return found
        if name in ALLOWED_CHILDREN[last.kind] and not getattr(last, name):
            found = last
        here = last


#: The child lists each kind of claim may not have, in CHILD_LISTS order (one or two: looked at for every claim).
_NOT_ALLOWED = {kind: tuple(n for n in CHILD_LISTS if n not in allowed) for kind, allowed in ALLOWED_CHILDREN.items()}


@map_rule
def children_allowed(ctx: MapContext) -> Iterable[Diagnostic]:
    for claim in ctx.claims():
        allowed = ALLOWED_CHILDREN[claim.kind]
        for name in _NOT_ALLOWED[claim.kind]:
            if getattr(claim, name):
                span = claim.spans.get(f"{name}.__key__", claim.span)
                hint = f"{_a(claim.kind)} may have: {', '.join(sorted(allowed))}"
                owner = _misplaced(claim, name)
                if owner is not None and (key := owner.spans.get("id.__key__") or owner.span).column:
                    hint = (
                        f"'{name}:' is indented {span.column - 1} spaces, which puts it under the {claim.kind}; "
                        f"indent it {key.column - 1} spaces to put it under {_name(owner)} on line {owner.span.line}"
                    )
                yield Diagnostic(
                    code="structure.child-not-allowed",
                    message=f"{_a(claim.kind)} cannot have {name}",
                    span=span,
                    hint=hint,
                )


@map_rule
def relations(ctx: MapContext) -> Iterable[Diagnostic]:
    for claim in ctx.claims():
        if not claim.relation:
            continue
        span = claim.spans.get("relation", claim.span)
        if not isinstance(claim, (Objection, Rebuttal)):
            yield Diagnostic(
                code="structure.relation-not-allowed",
                message=f"'relation' is only for objections and rebuttals, not {_a(claim.kind)}",
                span=span,
            )
        elif claim.relation not in ("attack", "undercut"):
            yield Diagnostic(
                code="schema.bad-value",
                message=f"relation '{claim.relation}' is not 'attack' or 'undercut'",
                span=span,
                hint=did_you_mean(claim.relation, ("attack", "undercut")),
            )


@map_rule
def mutual_attacks(ctx: MapContext) -> Iterable[Diagnostic]:
    """``mutual`` marks attacks the claim makes: on its parent (as an objection or rebuttal) or an ``also_attacks`` target."""
    ids: set[str] | None = None  # made for the first mutual attack: most maps mark none
    for claim, parent, relation, _depth in ctx.walked:
        if not isinstance(claim, Claim) or not claim.mutual:
            continue
        if ids is None:
            ids = ctx.ids()
        attacked = set(claim.also_attacks)
        if parent is not None and relation == "attack":
            attacked.add(parent.id)
        for target, how in claim.mutual.items():
            span = claim.spans.get(f"mutual.{target}", claim.span)
            yield from _choice(claim, "mutual", how, MUTUAL, f"mutual attack on '{target}'", f"mutual.{target}")
            if target not in ids:
                yield Diagnostic(code="ref.unknown-target", message=f"{_name(claim)} marks a mutual attack on unknown node '{target}'",
                                 span=span, hint=did_you_mean(target, ids))
            elif target not in attacked:
                yield Diagnostic(
                    code="structure.mutual-not-attack",
                    message=f"{_name(claim)} marks its attack on '{target}' as mutual, but does not attack '{target}'",
                    span=span,
                    hint="'mutual' names the parent of an objection or rebuttal, or an id in its 'also_attacks'",
                )


@map_rule
def sections(ctx: MapContext) -> Iterable[Diagnostic]:
    """Sections are named by their titles (claims' tags name them): each needs one, and no two the same."""
    seen: dict[str, Any] = {}
    for section, _level in ctx.amap.all_sections():
        title = section.title.strip()
        if not title:
            if f"title.{INVALID}" not in section.spans:
                yield Diagnostic(code="schema.missing", message="a section has no title", span=section.span,
                                 hint="add 'title:'; claims tagged with it stand under it")
        elif title in seen:
            yield Diagnostic(
                code="structure.duplicate-section",
                message=f"section title '{title}' is used twice",
                span=section.spans.get("title", section.span),
                hint=f"claims name their section by its title; first used at line {seen[title].span.line}",
            )
        else:
            seen[title] = section


def _choice(node: Any, key: str, value: str, choices: tuple[str, ...], what: str, span_key: str | None = None) -> Iterator[Diagnostic]:
    if value and value not in choices:
        yield Diagnostic(
            code="schema.bad-value",
            message=f"{what} is '{value}', not one of: {', '.join(choices)}",
            span=node.spans.get(span_key or key, node.span),
            hint=did_you_mean(value, choices),
        )


@map_rule
def choices(ctx: MapContext) -> Iterable[Diagnostic]:
    for node in ctx.nodes:
        if isinstance(node, Claim):
            for q, answer in sorted(node.answers.items()) if node.answers else ():
                if not answer.stance and f"stance.{INVALID}" not in answer.spans:
                    yield Diagnostic(
                        code="schema.missing",
                        message=f"{_name(node)}: the answer to '{q}' has no stance",
                        span=answer.span if answer.span is not NOWHERE else node.spans.get(f"answers.{q}", node.span),
                        hint="add 'stance: yes', 'no' or 'qualified'",
                    )
                elif answer.stance not in STANCES:
                    yield Diagnostic(
                        code="schema.bad-value",
                        message=f"answer to '{q}' is '{answer.stance}', not one of: {', '.join(STANCES)}",
                        span=answer.spans.get("stance") or node.spans.get(f"answers.{q}", node.span),
                        hint=did_you_mean(answer.stance, STANCES),
                    )
        elif isinstance(node, Evidence):
            yield from _choice(node, "strength", node.strength, STRENGTHS, "strength")
        elif isinstance(node, Recommendation):
            yield from _choice(node, "priority", node.priority, PRIORITIES, "priority")


@map_rule
def groups(ctx: MapContext) -> Iterable[Diagnostic]:
    for claim in ctx.claims():
        for item in claim.premises:
            if isinstance(item, Group) and len(item.members) < 2 and f"group.{INVALID}" not in item.spans:
                yield Diagnostic(
                    code="structure.small-group",
                    message=f"a linked-premise group needs at least two premises, this one has {len(item.members)}",
                    span=item.span,
                    hint="list a single premise directly under 'premises'",
                )


def _refs(ctx: MapContext) -> Iterator[tuple[Node, str, int, str]]:
    """Every cross-link and ``because`` entry, in document order (the walk lists recommendations last)."""
    claims = ctx.all_claims
    # Most maps have few cross-links or none: whether there are any is found at C speed.
    if any(map(attrgetter("also_supports"), claims)) or any(map(attrgetter("also_attacks"), claims)):
        for node in claims:
            if not (node.also_supports or node.also_attacks):
                continue  # most claims link nowhere else
            for key in ("also_supports", "also_attacks"):
                for i, target in enumerate(getattr(node, key)):
                    yield node, key, i, target
    for rec in ctx.amap.recommendations:
        for i, target in enumerate(rec.because):
            yield rec, "because", i, target


@map_rule
def references(ctx: MapContext) -> Iterable[Diagnostic]:
    ids: set[str] | None = None  # made for the first link: most claims link nowhere else
    for node, key, i, target in _refs(ctx):
        if ids is None:
            ids = ctx.ids()
        span = node.spans.get(f"{key}.{i}", node.span)
        if target not in ids:
            yield Diagnostic(
                code="ref.unknown-target",
                message=f"{_name(node)} {key.replace('_', ' ')} unknown node '{target}'"
                if key != "because"
                else f"{_name(node)} cites unknown node '{target}'",
                span=span,
                hint=did_you_mean(target, ids),
            )
        elif target == node.id:
            yield Diagnostic(
                code="ref.self",
                message=f"{_name(node)} {key.replace('_', ' ') if key != 'because' else 'cites'} itself",
                span=span,
                hint="remove the link: a node cannot back or attack itself",
            )


@map_rule
def cycles(ctx: MapContext) -> Iterable[Diagnostic]:
    """Support/attack edges (tree edges and cross-links) must form a DAG.

    Tree edges alone cannot close a loop, so the search starts only from nodes
    with cross-links, following cross-links and child -> parent edges.
    """
    links: dict[str, list[tuple[str, Node | None, str]]] = {}
    for node, key, i, target in _refs(ctx):
        if key != "because" and node.id and target != node.id:
            links.setdefault(node.id, []).append((target, node, f"{key}.{i}"))
    if not links:
        return
    parent = {
        w.node.id: w.parent.id
        for w in ctx.walked
        if w.parent is not None and w.node.id and w.parent.id and not isinstance(w.node, Recommendation)
    }

    def successors(here: str) -> Iterator[tuple[str, Node | None, str]]:
        yield from links.get(here, ())
        if here in parent:
            yield parent[here], None, ""

    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in sorted(links):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[tuple[str, Node | None, str]]]] = [(start, successors(start))]
        path: list[tuple[str, Node | None, str]] = [(start, None, "")]  # node, and the edge that led to it
        state[start] = 1
        while stack:
            here, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[here] = 2
                stack.pop()
                path.pop()
                continue
            target, node, key = step
            if state.get(target) == 1:
                at = [p[0] for p in path].index(target)
                loop = [p[0] for p in path[at:]] + [target]
                if frozenset(loop) in reported:
                    continue
                reported.add(frozenset(loop))
                # Point at the first cross-link of the loop: that is what the author can change.
                edges = [(n, k) for _, n, k in path[at + 1 :]] + [(node, key)]
                link_node, link_key = next((n, k) for n, k in edges if n is not None)
                yield Diagnostic(
                    code="structure.cycle",
                    message=f"cross-links form a cycle: {' -> '.join(loop)}",
                    span=link_node.spans.get(link_key, link_node.span),
                    hint="an argument cannot support or attack itself through others",
                )
            elif not state.get(target):
                state[target] = 1
                path.append((target, node, key))
                stack.append((target, successors(target)))


def _unknown_source(amap: ArgumentMap, item: Evidence | Answer, what: str) -> Diagnostic | None:
    """``ref.unknown-source`` when ``item``'s ``source:`` is a key the map's ``sources`` lacks."""
    if not isinstance(item.source, str) or item.source in amap.sources:
        return None
    return Diagnostic(
        code="ref.unknown-source",
        message=f"{what} cites unknown source '{item.source}'",
        span=item.spans.get("source", item.span),
        hint=did_you_mean(item.source, amap.sources) or "define it under the map's 'sources:'",
    )


@map_rule
def answer_sources(ctx: MapContext) -> Iterable[Diagnostic]:
    """An answer's ``source:`` key must name one of the map's ``sources``, as evidence's must."""
    for claim in ctx.answering():
        for q, answer in sorted(claim.answers.items()):
            if d := _unknown_source(ctx.amap, answer, f"the answer of {_name(claim)} to '{q}'"):
                yield d


@map_rule
def evidence_sources(ctx: MapContext) -> Iterable[Diagnostic]:
    amap = ctx.amap
    for ev in ctx.nodes:
        if not isinstance(ev, Evidence):
            continue
        # Most evidence names no source key: its name is made for the message only when one is named.
        if isinstance(ev.source, str) and (d := _unknown_source(amap, ev, f"evidence '{ev.id or '?'}'")):
            yield d
            continue
        src = amap.resolve_source(ev)
        if src is None or not src.title.strip():
            yield Diagnostic(
                code="briefing.no-citation",
                message=f"evidence '{ev.id or '?'}' has no source with a title",
                span=ev.span,
                hint="give the map a 'source:' with a title, or the evidence its own 'source:'",
            )


def map_sources(amap: ArgumentMap, walked: Iterable[Walked] | None = None) -> Iterator[tuple[Source, str]]:
    """Every citation a map holds (:meth:`ArgumentMap.cited_sources`), with how diagnostics name it."""

    def titled(src: Source, fallback: str) -> str:
        title = " ".join(src.title.split())
        return f"'{title if len(title) <= 60 else title[:57] + '...'}'" if title else fallback

    for src, key, giver in amap.cited_sources(walked):
        if key:
            yield src, f"source '{key}'"
        elif giver is None:
            yield src, f"source {titled(src, 'of the map')}"
        elif isinstance(giver, Evidence):
            yield src, f"source {titled(src, 'of evidence ' + repr(giver.id or '?'))}"
        else:
            yield src, f"source {titled(src, 'of an answer')}"


@map_rule
def source_provenance(ctx: MapContext) -> Iterable[Diagnostic]:
    """A source's date, how it was dated, and how reliable it is (docs/format.md, "Sources and quotes")."""
    for src, name in map_sources(ctx.amap, ctx.walked):
        date = src.date.strip()
        if date and parse_source_date(date) is None:
            shaped = _DATE_SHAPE.match(date)
            yield Diagnostic(
                code="source.bad-date",
                message=f"{name} has date '{src.date}', which is "
                + ("not a real day or month" if shaped else "not YYYY, YYYY-MM or YYYY-MM-DD"),
                span=src.spans.get("date", src.span),
                hint="write the date as precisely as it is known: 2024, 2024-02 or 2024-02-12",
            )
        elif not date and f"date.{INVALID}" not in src.spans:
            yield Diagnostic(
                code="source.undated",
                message=f"{name} has no date, so the pack cannot say how current it is",
                span=src.span,
                hint="add 'date:'; when the text states none, infer one with 'date_basis: inferred' and a 'date_note'",
            )
        yield from _choice(src, "date_basis", src.date_basis, DATE_BASES, f"date_basis of {name}")
        yield from _choice(src, "reliability", src.reliability, RELIABILITIES, f"reliability of {name}")
        if src.date_basis and not date:
            yield Diagnostic(
                code="schema.missing",
                message=f"{name} has a date_basis but no date",
                span=src.spans.get("date_basis", src.span),
                hint="add 'date:' as YYYY, YYYY-MM or YYYY-MM-DD",
            )
        if src.date_basis == "inferred" and date and not src.date_note.strip():
            yield Diagnostic(
                code="source.inferred-no-note",
                message=f"{name} has an inferred date ({src.date}) but no date_note saying how it was inferred",
                span=src.spans.get("date_basis", src.span),
                hint="add 'date_note:' naming the passage or event that dates the text",
            )


@map_rule
def answers_known(ctx: MapContext) -> Iterable[Diagnostic]:
    if ctx.questions is None:
        return
    for claim in ctx.answering():
        for q in sorted(claim.answers):
            if q not in ctx.questions:
                yield Diagnostic(
                    code="ref.unknown-question",
                    message=f"{_name(claim)} answers unknown question '{q}'",
                    span=claim.spans.get(f"answers.{q}", claim.span),
                    hint=did_you_mean(q, ctx.questions) or "no pack asks it",
                )


@map_rule
def answers_endorsed(ctx: MapContext) -> Iterable[Diagnostic]:
    """``answers`` count only on claims the map endorses (argbrief compare): say where they do not.

    A claim is against the map's position when the tree path from the thesis
    crosses an odd number of attack/undercut edges (objections, their premises).
    """
    for claim in ctx.answering():
        if id(claim) in ctx.opposed:
            for q in sorted(claim.answers):
                yield Diagnostic(
                    code="briefing.answer-not-endorsed",
                    message=f"{_name(claim)} answers '{q}', but the map argues against it, so the answer does not count",
                    span=claim.spans.get(f"answers.{q}", claim.span),
                    hint="put 'answers' on a claim the position endorses: the thesis, a premise, assumption or rebuttal",
                )


#: Words and phrases that hedge a claim (docs/diagnostics.md, ``briefing.answer-hedge-dropped``):
#: a claim or quote that carries one rarely supports a flat yes or no.  Kept short on
#: purpose; matched as whole words, ignoring case.
HEDGES: tuple[str, ...] = (
    "to some extent",
    "to a degree",
    "in part",
    "partly",
    "at least in the short term",
    "for now",
    "only if",
    "may",
    "might",
    "perhaps",
    "arguably",
)
# Words (letters, with inner apostrophes), lowercased and joined by single spaces, so that
# each hedge is a plain substring search: much faster than one regex alternation per text.
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# One word of each hedge, its longest (the last of equals: "now" rather than "for"):
# a text without any of them has no hedge.
_HEDGE_KEYS = tuple(dict.fromkeys(max(reversed(h.split()), key=len) for h in HEDGES))


def find_hedge(text: str) -> str:
    """The first hedge of :data:`HEDGES` in ``text`` ('' when none)."""
    lower = text.lower()
    if not any(key in lower for key in _HEDGE_KEYS):
        return ""  # the common case, decided by substring tests alone
    words = " " + " ".join(_WORD.findall(lower)) + " "
    found = [(at, h) for h in HEDGES if (at := words.find(f" {h} ")) >= 0]
    return min(found)[1] if found else ""


def _backed(ctx: MapContext) -> set[int]:
    """``id()`` of the claims with evidence in their support subtree (premises, groups,
    assumptions, evidence, recursively), worked out bottom-up in one pass."""
    backed: set[int] = set()
    for claim in reversed(ctx.all_claims):
        if claim.evidence:
            backed.add(id(claim))
            continue
        for item in (*claim.premises, *claim.assumptions):
            members = item.members if isinstance(item, Group) else (item,)
            if any(id(member) in backed for member in members):
                backed.add(id(claim))
                break
    return backed


@map_rule
def answers_have_basis(ctx: MapContext) -> Iterable[Diagnostic]:
    """A stance the position takes needs something that justifies it: the answer's own
    quote or note, or evidence under the answering claim."""
    backed: set[int] | None = None  # worked out for the first answer: most claims answer nothing
    for claim in ctx.answering():
        if backed is None:
            backed = _backed(ctx)
        if id(claim) in ctx.opposed or id(claim) in backed:
            continue
        for q, answer in sorted(claim.answers.items()):
            if answer.stance in STANCES and not (answer.quote.strip() or answer.note.strip()):
                yield Diagnostic(
                    code="briefing.answer-no-basis",
                    message=f"{_name(claim)} answers '{q}' \"{answer.stance}\" with no basis: "
                    "no quote, no note, and no evidence under the claim",
                    span=claim.spans.get(f"answers.{q}", claim.span),
                    hint=f"cite the passage that decides it: '{q}: {{stance: {answer.stance}, quote: ...}}', "
                    "or say why in a 'note:'",
                )


@map_rule
def answers_keep_hedges(ctx: MapContext) -> Iterable[Diagnostic]:
    """A flat yes or no on a claim whose text (or the answer's quote) hedges drops the hedge."""
    for claim in ctx.answering():
        if id(claim) in ctx.opposed:
            continue
        flat = [(q, a) for q, a in sorted(claim.answers.items()) if a.stance in ("yes", "no")]
        in_text = find_hedge(claim.text) if flat else ""
        for q, answer in flat:
            for where, hedge in (("its text", in_text), ("the answer's quote", find_hedge(answer.quote))):
                if hedge:
                    yield Diagnostic(
                        code="briefing.answer-hedge-dropped",
                        message=f"{_name(claim)} answers '{q}' a flat \"{answer.stance}\", but {where} hedges: \"{hedge}\"",
                        span=answer.spans.get("stance") or claim.spans.get(f"answers.{q}", claim.span),
                        hint="answer 'qualified' if the hedge applies to the question; if it does not, "
                        "word the claim so that it says what the answer rests on",
                    )
                    break


@map_rule
def premises_have_evidence(ctx: MapContext) -> Iterable[Diagnostic]:
    # A premise is backed by its own evidence or by that of the premises under it:
    # worked out bottom-up in one pass (the walk lists parents before children).
    backed: set[int] = set()
    for claim in reversed(ctx.all_claims):
        if claim.evidence:
            backed.add(id(claim))
            continue
        for item in claim.premises:
            members = item.members if isinstance(item, Group) else (item,)
            if any(id(member) in backed for member in members):
                backed.add(id(claim))
                break
    for claim in ctx.all_claims:
        if isinstance(claim, Premise) and id(claim) not in backed:
            yield Diagnostic(
                code="briefing.no-evidence",
                message=f"{_name(claim)} has no evidence",
                span=claim.span,
                hint="back it with a quote from the source, or mark it as an assumption",
            )


@map_rule
def objections_answered(ctx: MapContext) -> Iterable[Diagnostic]:
    # An objection whose rebuttals were indented too little (children_allowed says so) is not "unanswered".
    misplaced = {
        id(owner)
        for claim in ctx.claims()
        if claim.rebuttals and "rebuttals" not in ALLOWED_CHILDREN[claim.kind]
        and (owner := _misplaced(claim, "rebuttals")) is not None
    }
    for claim in ctx.claims():
        if isinstance(claim, Objection) and not claim.rebuttals and id(claim) not in misplaced:
            yield Diagnostic(
                code="briefing.unanswered-objection",
                message=f"{_name(claim)} has no rebuttal",
                span=claim.span,
                hint="answer it, or say in a premise why it is conceded",
            )


@map_rule
def recommendations_justified(ctx: MapContext) -> Iterable[Diagnostic]:
    for rec in ctx.amap.recommendations:
        if not rec.because:
            yield Diagnostic(
                code="briefing.no-because",
                message=f"{_name(rec)} does not say what justifies it",
                span=rec.span,
                hint="add 'because: [ids]' of the premises behind it",
            )
        if not rec.actor.strip():
            yield Diagnostic(
                code="briefing.no-actor",
                message=f"{_name(rec)} does not say who should act",
                span=rec.span,
                hint="add 'actor:'",
            )


def validate_map(
    amap: ArgumentMap, questions: Iterable[str] | None = None, walked: tuple[Walked, ...] | None = None
) -> list[Diagnostic]:
    """Every map rule's diagnostics for ``amap`` (``walked``: its walk, when the caller has it)."""
    ctx = MapContext.of(amap, questions, walked)
    return [d for rule in MAP_RULES for d in rule(ctx)]


# --- packs --------------------------------------------------------------------------


def validate_pack(
    pack: Pack,
    maps: dict[str, ArgumentMap],
    formats: Iterable[str],
    themes: Iterable[str],
    unreadable: Iterable[str] = (),
) -> list[Diagnostic]:
    """Pack rules: ids, known maps and choices, unanswered questions.

    ``unreadable`` are the ids of maps whose files could not be read as YAML: naming
    one is not an error here (its file's own error is the one to fix).
    """
    out: list[Diagnostic] = []
    if not pack.id:
        if f"pack.{INVALID}" not in pack.spans:  # 'pack: [a]' is reported as the wrong type already
            out.append(Diagnostic(code="schema.missing", message="pack has no id ('pack:' key)", span=pack.span))
    elif not SLUG.match(pack.id):
        out.append(Diagnostic(code="schema.bad-id", message=f"pack id '{pack.id}' is not a slug", span=pack.spans.get("pack", pack.span), hint="lowercase letters, digits and hyphens"))
    if not pack.title.strip():
        out.append(Diagnostic(code="schema.missing", message=f"pack '{pack.id}' has no title", span=pack.spans.get("title", pack.span), hint="add 'title:'; it is the pack's cover title"))
    if not pack.map_ids():
        out.append(Diagnostic(code="pack.no-maps", message=f"pack '{pack.id}' names no maps", span=pack.span, hint="add 'positions:' with maps, or 'maps:'"))
    formats = tuple(formats)
    for i, fmt in enumerate(pack.formats):
        if fmt not in formats:
            out.append(Diagnostic(code="schema.bad-value", message=f"format '{fmt}' is not one of: {', '.join(formats)}", span=pack.spans.get(f"formats.{i}", pack.span), hint=did_you_mean(fmt, formats)))
    themes = tuple(themes)
    if pack.theme and pack.theme not in themes:
        out.append(Diagnostic(code="schema.bad-value", message=f"theme '{pack.theme}' is not one of: {', '.join(themes)}", span=pack.spans.get("theme", pack.span), hint=did_you_mean(pack.theme, themes)))
    if pack.page and pack.page not in ("A4", "Letter"):
        out.append(Diagnostic(code="schema.bad-value", message=f"page '{pack.page}' is not A4 or Letter", span=pack.spans.get("page", pack.span), hint=did_you_mean(pack.page, ("A4", "Letter"))))
    seen: dict[str, int] = {}
    for pos in pack.positions:
        if not SLUG.match(pos.id):
            out.append(Diagnostic(code="schema.bad-id", message=f"position id '{pos.id}' is not a slug", span=pos.spans.get("id", pos.span)))
        if pos.id in seen:
            out.append(Diagnostic(code="id.duplicate", message=f"position '{pos.id}' is listed twice", span=pos.span, hint=f"first at line {seen[pos.id]}"))
        seen.setdefault(pos.id, pos.span.line)
        if not pos.maps:
            out.append(Diagnostic(code="pack.no-maps", message=f"position '{pos.id}' names no maps", span=pos.span))
    qseen: dict[str, int] = {}
    for q in pack.questions:
        if not SLUG.match(q.id):
            out.append(Diagnostic(code="schema.bad-id", message=f"question id '{q.id}' is not a slug", span=q.spans.get("id", q.span)))
        if q.id in qseen:
            out.append(Diagnostic(code="id.duplicate", message=f"question '{q.id}' is listed twice", span=q.span, hint=f"first at line {qseen[q.id]}"))
        qseen.setdefault(q.id, q.span.line)
        if not q.text.strip():
            out.append(Diagnostic(code="text.empty", message=f"question '{q.id}' has no text", span=q.span))
    out.extend(_pack_map_refs(pack, maps, frozenset(unreadable)))
    out.extend(_unanswered_questions(pack, maps))
    ctx = PackContext(pack, maps)
    out.extend(d for rule in PACK_RULES for d in rule(ctx))
    return out


# --- packs: judgements, indicators, appraisals, source currency ---------------------


@frozen
class PackContext:
    """What a pack rule looks at: the pack and every map of the project, by id."""

    pack: Pack
    maps: dict[str, ArgumentMap]


PackRule = Callable[[PackContext], Iterable[Diagnostic]]
PACK_RULES: list[PackRule] = []


def pack_rule(fn: PackRule) -> PackRule:
    PACK_RULES.append(fn)
    return fn


@pack_rule
def pack_settings(ctx: PackContext) -> Iterable[Diagnostic]:
    pack = ctx.pack
    yield from _choice(pack, "yardstick", pack.yardstick, tuple(YARDSTICKS), "yardstick")
    date = pack.date.strip()
    if _DATE_SHAPE.match(date) and parse_source_date(date) is None:  # other text is a date in words: the cover shows it
        yield Diagnostic(
            code="schema.bad-value",
            message=f"the date of pack '{pack.id}' is '{pack.date}', which is not a real day or month",
            span=pack.spans.get("date", pack.span),
            hint="the cover shows it, and the sources' currency is measured from it: write a real day, YYYY-MM-DD, YYYY-MM or YYYY",
        )
    months = pack.currency_months.strip()
    if months and not (months.isdigit() and int(months) > 0):
        yield Diagnostic(
            code="schema.bad-value",
            message=f"currency_months is '{pack.currency_months}', not a whole number of months",
            span=pack.spans.get("currency_months", pack.span),
            hint="for example 'currency_months: 12'",
        )
    if pack.judgements and not pack.bottom_line.strip():
        yield Diagnostic(
            code="pack.no-bottom-line",
            message=f"pack '{pack.id}' makes judgements but has no bottom line",
            span=pack.spans.get("judgements.__key__", pack.span),
            hint="add 'bottom_line:' with the analyst's answer in one to three sentences; it opens the pack",
        )


def _items(ctx: PackContext, key: str, what: str) -> Iterator[Diagnostic]:
    """Ids (present, well formed, unique) and texts of the pack's judgements or indicators."""
    seen: dict[str, int] = {}
    for i, item in enumerate(getattr(ctx.pack, key)):
        where = item.spans.get("id", item.span)
        if not item.id and f"id.{INVALID}" not in item.spans:
            yield Diagnostic(code="schema.missing", message=f"{what} {i + 1} has no id", span=item.span,
                             hint=f"add 'id:'; {'indicators name' if key == 'judgements' else 'it names'} it")
        elif item.id and not NODE_ID.match(item.id):
            yield Diagnostic(code="schema.bad-id", message=f"{what} id '{item.id}' has characters that are not allowed",
                             span=where, hint="start with a letter; then letters, digits, '.', '_' or '-'")
        elif item.id in seen:
            yield Diagnostic(code="id.duplicate", message=f"{what} '{item.id}' is listed twice", span=where,
                             hint=f"first at line {seen[item.id]}")
        if item.id:
            seen.setdefault(item.id, item.span.line)
        if not item.text.strip() and f"text.{INVALID}" not in item.spans:
            yield Diagnostic(code="text.empty", message=f"{what} '{item.id or i + 1}' has no text",
                             span=item.spans.get("text", item.span))


def _required(item: Any, key: str, what: str, hint: str) -> Iterator[Diagnostic]:
    if not getattr(item, key).strip() and f"{key}.{INVALID}" not in item.spans:
        yield Diagnostic(code="schema.missing", message=f"{what} has no {key}", span=item.span, hint=hint)


@pack_rule
def judgements(ctx: PackContext) -> Iterable[Diagnostic]:
    """Each judgement: a yardstick term, a confidence, a basis that resolves, and no vague hedges."""
    pack = ctx.pack
    yield from _items(ctx, "judgements", "judgement")
    yardstick = YARDSTICKS.get(pack.yardstick or "icd-203")
    for j in pack.judgements:
        name = f"judgement '{j.id}'" if j.id else "a judgement"
        if yardstick is not None:
            yield from _required(j, "likelihood", name, f"add 'likelihood:' with a term of the {yardstick.name} yardstick, e.g. 'likely'")
            if j.likelihood and yardstick.band(j.likelihood) is None:
                yield _bad_likelihood(j, name, yardstick)
        yield from _required(j, "confidence", name, "add 'confidence: low', 'moderate' or 'high': how good the basis is")
        yield from _choice(j, "confidence", j.confidence, CONFIDENCES, f"confidence of {name}")
        if not j.basis and f"basis.{INVALID}" not in j.spans:
            yield Diagnostic(
                code="judgement.no-basis",
                message=f"{name} does not say what it rests on",
                span=j.spans.get("text", j.span),
                hint="add 'basis:' with 'map-id:node-id' references to the claims or evidence behind it",
            )
        for i, ref in enumerate(j.basis):
            yield from _basis_ref(ctx, j, name, i, ref)
        found = hedges_in(j.text)
        if found:
            words = ", ".join(f"'{w}'" for w in found)
            yield Diagnostic(
                code="judgement.vague-hedge",
                message=f"{name} hedges with {words}; its likelihood ('{j.likelihood or '?'}') should carry the uncertainty",
                span=j.spans.get("text", j.span),
                hint="state the judgement plainly; the likelihood term and confidence say how sure it is",
            )


def _bad_likelihood(j: Any, name: str, yardstick: Any) -> Diagnostic:
    terms = ", ".join(band.term for band in yardstick.bands)
    nearest = yardstick.nearest(j.likelihood)
    hint = ""
    if nearest:
        hint = "did you mean " + " or ".join(f"'{t}'" for t in nearest) + "?"
    for other in YARDSTICKS.values():
        if other is not yardstick and other.band(j.likelihood) is not None:
            hint = f"'{j.likelihood}' is a {other.name} term: set 'yardstick: {other.id}', or use one of the {yardstick.name} terms"
    return Diagnostic(
        code="judgement.bad-likelihood",
        message=f"likelihood '{j.likelihood}' of {name} is not a term of the {yardstick.name} yardstick ({terms})",
        span=j.spans.get("likelihood", j.span),
        hint=hint,
    )


def _basis_ref(ctx: PackContext, j: Any, name: str, i: int, ref: str) -> Iterator[Diagnostic]:
    span = j.spans.get(f"basis.{i}", j.span)
    map_id, sep, node_id = ref.partition(":")
    if not sep or not map_id or not node_id:
        yield Diagnostic(code="ref.unknown-basis", message=f"basis '{ref}' of {name} is not 'map-id:node-id'", span=span,
                         hint="name the map and the node, e.g. 'putin-wants:P3'")
        return
    used = ctx.pack.map_ids()
    if map_id not in used:
        if map_id in ctx.maps:  # never "did you mean" a name the pack misspells itself
            known = f"map '{map_id}' is in the project: add it to the maps of the position it belongs to"
        else:
            known = did_you_mean(map_id, [m for m in used if m in ctx.maps])
        yield Diagnostic(code="ref.unknown-basis", message=f"basis '{ref}' of {name} names map '{map_id}', which the pack does not use",
                         span=span, hint=known or f"the pack's maps: {', '.join(used) or 'none'}")
        return
    amap = ctx.maps.get(map_id)
    if amap is None:
        return  # the pack names an unknown map: reported as ref.unknown-map
    ids = amap.nodes()
    if node_id not in ids:
        listed = ", ".join(list(ids)[:12]) + (", ..." if len(ids) > 12 else "")
        yield Diagnostic(code="ref.unknown-basis", message=f"basis '{ref}' of {name}: map '{map_id}' has no node '{node_id}'",
                         span=span, hint=did_you_mean(node_id, ids) or f"its nodes: {listed}")


@pack_rule
def indicators(ctx: PackContext) -> Iterable[Diagnostic]:
    """Each indicator names a judgement of the pack and whether it raises or lowers its likelihood."""
    yield from _items(ctx, "indicators", "indicator")
    judged = [j.id for j in ctx.pack.judgements if j.id]
    for ind in ctx.pack.indicators:
        name = f"indicator '{ind.id}'" if ind.id else "an indicator"
        yield from _required(ind, "judgement", name, "add 'judgement:' with the id of the judgement it bears on")
        if ind.judgement and ind.judgement not in judged:
            yield Diagnostic(
                code="ref.unknown-judgement",
                message=f"{name} names unknown judgement '{ind.judgement}'",
                span=ind.spans.get("judgement", ind.span),
                hint=did_you_mean(ind.judgement, judged) or f"the pack's judgements: {', '.join(judged) or 'none'}",
            )
        yield from _required(ind, "direction", name, "add 'direction: raises' or 'direction: lowers'")
        yield from _choice(ind, "direction", ind.direction, DIRECTIONS, f"direction of {name}")


@pack_rule
def appraisals(ctx: PackContext) -> Iterable[Diagnostic]:
    """Ratings are low, medium or high; once one position is appraised, every position needs all four."""
    appraised = any(pos.appraisal is not None for pos in ctx.pack.positions)
    for pos in ctx.pack.positions:
        missing = []
        for key, rating in (pos.appraisal.items() if pos.appraisal is not None else ()):
            if rating is None:
                missing.append(key)
                continue
            what = f"{key} rating of position '{pos.id}'"
            yield from _required(rating, "rating", f"the {key} of position '{pos.id}'", "add 'rating: low', 'medium' or 'high'")
            yield from _choice(rating, "rating", rating.rating, RATINGS, what)
        if pos.appraisal is None and appraised:
            yield Diagnostic(
                code="pack.incomplete-appraisal",
                message=f"position '{pos.id}' has no appraisal, so the options table has gaps",
                span=pos.span,
                hint="add 'appraisal:' with cost, risk, feasibility and reversibility, each {rating: low|medium|high, text: why}",
            )
        elif missing:
            yield Diagnostic(
                code="pack.incomplete-appraisal",
                message=f"position '{pos.id}' is not appraised on {', '.join(missing)}, so the options table has gaps",
                span=pos.appraisal.span if pos.appraisal is not None else pos.span,
                hint="appraise every position on cost, risk, feasibility and reversibility: {rating: low|medium|high, text: why}",
            )


@pack_rule
def source_currency(ctx: PackContext) -> Iterable[Diagnostic]:
    """Sources dated more than ``currency_months`` before the pack's date (checked when the pack has a date)."""
    pack_date = parse_source_date(ctx.pack.date)
    if pack_date is None:
        return
    months = ctx.pack.currency
    for map_id in ctx.pack.map_ids():
        amap = ctx.maps.get(map_id)
        if amap is None:
            continue
        for src, name in map_sources(amap):
            dated = parse_source_date(src.date)
            if dated is not None and stale(dated, pack_date.earliest, months):
                yield Diagnostic(
                    code="source.stale",
                    message=(
                        f"{name} of map '{map_id}' is dated {src.date}, more than {months} months before "
                        f"the date of pack '{ctx.pack.id}' ({ctx.pack.date})"
                    ),
                    span=src.spans.get("date", src.span),
                    hint="use a newer source, or set the pack's currency_months if older sources are in scope",
                )


def _pack_map_refs(pack: Pack, maps: dict[str, ArgumentMap], unreadable: frozenset[str]) -> Iterator[Diagnostic]:
    """Unknown maps, and maps named twice: twice in one list (the pack would show them twice) or in two positions."""
    owners: list[tuple[Any, str]] = [(pos, f"position '{pos.id}'") for pos in pack.positions] + [(pack, f"pack '{pack.id}'")]
    arguing: dict[str, tuple[str, int]] = {}  # map id -> the first position naming it, and the line
    for owner, name in owners:
        listed: dict[str, int] = {}
        for i, mid in enumerate(owner.maps):
            span = owner.spans.get(f"maps.{i}", owner.span)
            if mid not in maps and mid not in unreadable:
                yield Diagnostic(
                    code="ref.unknown-map",
                    message=f"pack '{pack.id}' names unknown map '{mid}'",
                    span=span,
                    hint=did_you_mean(mid, maps) or "no file in arguments/ declares it",
                )
            if mid in listed:
                yield Diagnostic(code="id.duplicate", message=f"map '{mid}' is listed twice in {name}", span=span,
                                 hint=f"first at line {listed[mid]}")
                continue
            listed[mid] = span.line
            if owner is pack:
                continue
            if mid in arguing:
                other, line = arguing[mid]
                yield Diagnostic(code="id.duplicate", message=f"map '{mid}' is in position '{other}' and {name}",
                                 span=span, hint=f"a map argues one position; first at line {line}")
            else:
                arguing[mid] = (owner.id, span.line)


def _unanswered_questions(pack: Pack, maps: dict[str, ArgumentMap]) -> Iterator[Diagnostic]:
    if any(mid not in maps for mid in pack.map_ids()):
        return  # an unknown map is reported already; what it answers cannot be known
    answered: set[str] = set()
    for mid in pack.map_ids():
        amap = maps.get(mid)
        if amap is None:
            continue
        for w in amap.walk():
            if isinstance(w.node, Claim):
                answered.update(w.node.answers)
    for q in pack.questions:
        if q.id and q.id not in answered:
            yield Diagnostic(
                code="pack.unanswered-question",
                message=f"no map of pack '{pack.id}' answers question '{q.id}'",
                span=q.span,
                hint="add 'answers: {" + q.id + ": yes|no|qualified}' to a claim",
            )
