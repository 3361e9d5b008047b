"""The diff's frozen result: one :class:`Change` per thing that changed, grouped by map and pack.

A change is one flat record, so that every report (a line of text, a Markdown
list item, a JSON object) reads the same few fields. Which fields a change
fills depends on its ``subject`` and ``op``; docs/diff.md has the table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs
from attrs import frozen

from ..diagnostics import Diagnostic
from ..model import NOWHERE, SourceSpan

#: What a change is about. Maps: the map itself, a node (claim, evidence,
#: recommendation), a cross-link. Packs: the pack itself, a position, a
#: question, a position's stance on a question, a question's verdict, a judgement, an indicator.
SUBJECTS: tuple[str, ...] = (
    "map",
    "node",
    "link",
    "pack",
    "position",
    "question",
    "stance",
    "verdict",
    "judgement",
    "indicator",
)
OPS: tuple[str, ...] = ("added", "removed", "changed", "renamed", "moved")
#: A document's status in the diff; ``not-compared`` when it does not load at one side.
STATUSES: tuple[str, ...] = ("added", "removed", "changed", "not-compared")

JSON_VERSION = 1

Value = str | tuple[str, ...] | None


@frozen(kw_only=True)
class Change:
    """One change.

    ``id`` is the subject's id in NEW (in OLD when it was removed); ``old_id``
    its id in OLD when that differs (a renamed node). Nodes without an id of
    their own are named by their place, ``P1/evidence[2]`` (the second
    evidence item of P1 that has no id). ``field`` names what changed on a
    ``changed`` subject (``text``, ``quote``, ``answers.<question>``,
    ``stance`` ...), with ``old`` and ``new``; for lists (tags, ``because``,
    a stance's basis) ``added`` and ``removed`` give the members that came
    and went. ``text`` is what the subject says, to read it by; ``parent``
    the node it hangs under; ``position`` the position of a stance, and
    ``basis`` what the stance rests on in NEW (``map:node`` references).
    ``where`` is its place in NEW's file (OLD's when removed).
    """

    subject: str
    op: str
    id: str = ""
    old_id: str = ""
    kind: str = ""
    field: str = ""
    old: Value = None
    new: Value = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    text: str = ""
    parent: str = ""
    position: str = ""
    basis: tuple[str, ...] = ()
    where: SourceSpan = attrs.field(default=NOWHERE, eq=False)

    def at(self, where: SourceSpan) -> Change:
        """This change, placed at ``where``."""
        return attrs.evolve(self, where=where)


@frozen(kw_only=True)
class DocumentDiff:
    """What changed in one map or pack (``document`` is ``map`` or ``pack``)."""

    document: str
    id: str
    status: str
    title: str = ""
    old_file: str = ""
    new_file: str = ""
    #: Why part of it was not compared ("stances not compared: map 'x' does not load at HEAD").
    note: str = ""
    changes: tuple[Change, ...] = ()


@frozen(kw_only=True)
class Side:
    """One side of the diff: a revision (with its commit), the working tree, or a file."""

    label: str
    commit: str = ""
    date: str = ""  # YYYY-MM-DD

    @property
    def day(self) -> str:
        """The date as people write it: ``15 January 2025`` ('' without one)."""
        return as_words(self.date)


def as_words(date: str) -> str:
    """``2025-01-15`` -> ``15 January 2025``; anything else as written."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return date
    return f"{day.day} {day:%B %Y}"


@frozen(kw_only=True)
class DiffResult:
    """Every changed document, and the problems that kept files from being compared."""

    old: Side
    new: Side
    documents: tuple[DocumentDiff, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(c for d in self.documents for c in d.changes)

    @property
    def changed(self) -> bool:
        """Whether anything differs (a document that could not be compared counts: it may have changed)."""
        return bool(self.documents)

    def counts(self) -> Counter[str]:
        """How many changes of each op (``added``, ``removed`` ...), and ``text`` for reworded texts."""
        counts: Counter[str] = Counter(c.op for c in self.changes)
        counts["text"] = sum(1 for c in self.changes if c.field == "text")
        counts["stance"] = sum(1 for c in self.changes if c.subject == "stance" and c.field == "stance")
        return counts
