"""What an Argdown text says, in Argdown's own terms: frozen data, no behaviour beyond lookups.

These are the units Argdown's own JSON export lists — equivalence classes of
statements (keyed by title), arguments with their premise-conclusion
structures, relations and sections — so the parser's output can be compared
with Argdown's export directly (tests/test_interchange_corpora.py does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from ...model import NOWHERE, SourceSpan

STATEMENT, ARGUMENT = "statement", "argument"
#: Relation types, as Argdown's JSON names them.
SUPPORT, ATTACK, UNDERCUT = "support", "attack", "undercut"
ENTAILS, CONTRARY, CONTRADICTORY = "entails", "contrary", "contradictory"
#: The relations that hold both ways (Argdown draws them with two arrowheads).
SYMMETRIC = frozenset({CONTRARY, CONTRADICTORY})

#: A statement or an argument: (``"statement"`` | ``"argument"``, title).
Ref = tuple[str, str]


@frozen(kw_only=True)
class Member:
    """One occurrence of a statement or argument description in the text."""

    text: str
    tags: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(factory=dict)
    reference: bool = False
    role: str = ""  # top-level | relation | premise | conclusion
    section: str = ""  # the id of the section it stands in ("" before the first heading)
    span: SourceSpan = NOWHERE


@frozen(kw_only=True)
class Statement:
    """An equivalence class: every statement with one title."""

    title: str
    anonymous: bool = False
    members: tuple[Member, ...] = ()
    #: The section id of its first definition (of its first mention, when it is never defined), as Argdown has it.
    section: str = ""
    span: SourceSpan = NOWHERE


@frozen(kw_only=True)
class PcsStep:
    """One inference of a premise-conclusion structure, with the statements it concludes from."""

    premises: tuple[str, ...]
    conclusion: str
    rules: str = ""
    data: Mapping[str, Any] = field(factory=dict)
    span: SourceSpan = NOWHERE  # the inference line
    conclusion_span: SourceSpan = NOWHERE
    #: Where its first premise is written: the premises are the argument's from there on.
    start: SourceSpan = NOWHERE


@frozen(kw_only=True)
class Argument:
    """An argument: its descriptions and, when reconstructed, its premise-conclusion structure."""

    title: str
    anonymous: bool = False
    members: tuple[Member, ...] = ()
    pcs: tuple[PcsStep, ...] = ()
    #: The section id of its premise-conclusion structure, else of its first definition, else of its first mention.
    section: str = ""
    #: Where a relation to its own main conclusion was first written (``[C] + <A>``): Argdown drops the
    #: relation (the premise-conclusion structure says it), but it places A among C's reasons.
    placement: SourceSpan = NOWHERE
    span: SourceSpan = NOWHERE


@frozen(kw_only=True)
class Relation:
    """``source`` relates to ``target``, in the direction Argdown's JSON export gives it."""

    source: Ref
    target: Ref
    type: str  # support attack undercut entails contrary contradictory
    #: The symbol it was written with ("" for one that a premise-conclusion structure implies).
    symbol: str = ""
    span: SourceSpan = NOWHERE

    @property
    def attacker(self) -> Ref:
        """The side that attacks when argbrief reads the relation as an attack.

        The source, as for any relation; but ``><`` has no direction, and Argdown
        records it from the element above to the element of the line: argbrief
        reads it like ``-``, the element of the line attacking the one above.
        """
        return self.target if self.symbol == "><" else self.source

    @property
    def attacked(self) -> Ref:
        return self.source if self.symbol == "><" else self.target


@frozen(kw_only=True)
class Section:
    """A heading: ``## Title`` opens a section of level 2 inside the level-1 section above it."""

    id: str  # s1, s2 ... in document order, as Argdown numbers them
    title: str
    level: int
    parent: str = ""  # the enclosing section's id
    span: SourceSpan = NOWHERE


@frozen(kw_only=True)
class ArgdownDocument:
    """What an Argdown text says: front matter, statements, arguments, relations and sections."""

    front: Mapping[str, Any] = field(factory=dict)
    statements: Mapping[str, Statement] = field(factory=dict)
    arguments: Mapping[str, Argument] = field(factory=dict)
    relations: tuple[Relation, ...] = ()
    sections: tuple[Section, ...] = ()
    #: Top-level elements in document order, for placing prose: (kind, title, span).
    order: tuple[tuple[str, str, SourceSpan], ...] = ()
    #: Whether the front matter asks for Argdown's strict mode (statement relations are logical relations).
    strict: bool = False

    def free_text(self) -> list[Statement]:
        """Untitled top-level paragraphs that take part in no relation and no argument: prose."""
        related = {r.source for r in self.relations} | {r.target for r in self.relations}
        in_pcs = {t for a in self.arguments.values() for step in a.pcs for t in (*step.premises, step.conclusion)}
        return [
            s
            for s in self.statements.values()
            if s.anonymous
            and (STATEMENT, s.title) not in related
            and s.title not in in_pcs
            and all(mem.role == "top-level" for mem in s.members)
        ]
