"""The Argdown parser: tokens -> :class:`ArgdownDocument`, with Argdown's own rules.

It reads what the tokenizer cut out: the front matter (YAML), headings
(sections), relation trees (elements with indented relations under them) and
premise-conclusion structures (numbered premises, inferences, conclusions,
relations under any of them).  Statements with one title form one
equivalence class; an argument's description and its premise-conclusion
structure are one argument.  As in Argdown's model:

- the outgoing relations of a reconstructed argument belong to its main
  conclusion, and a relation of an argument to its own conclusion says nothing
  more and goes;
- in strict mode (``model: {mode: strict}``) relations between two statements
  are logical: support is entailment, attack is contrariness;
- a statement belongs to the section of its first definition (of its first
  mention when it is never defined); an argument to the section of its
  premise-conclusion structure, else of its first definition.

The parser collects into private lists while it reads; what it returns is frozen.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import attrs

from ..._yamlread import SPAN, SPANS, read_yaml
from ...diagnostics import Diagnostic
from ...model import SourceSpan
from ._document import (
    ARGUMENT,
    ATTACK,
    CONTRADICTORY,
    CONTRARY,
    ENTAILS,
    STATEMENT,
    SUPPORT,
    ArgdownDocument,
    Argument,
    Member,
    PcsStep,
    Ref,
    Relation,
    Section,
    Statement,
)
from ._tokens import HYPHENS, LINK, TAG, Block, Item, clean_text, data_spans, tokenize, unescape

#: The relation of a symbol, before strict mode has its say.
_BASE = {"+": SUPPORT, "-": ATTACK, "_": "undercut", "><": CONTRADICTORY}
#: What support and attack between two statements mean in strict mode.
_STRICT = {SUPPORT: ENTAILS, ATTACK: CONTRARY}


def parse_argdown(text: str, name: str) -> tuple[ArgdownDocument, list[Diagnostic]]:
    """The Argdown document in ``text`` (shown as ``name`` in diagnostics) and its syntax problems."""
    tokens = tokenize(text, name)
    parser = _Parser(name)
    parser.front_matter(tokens.front, tokens.front_line)
    parser.diags += tokens.diagnostics
    for block in tokens.blocks:
        parser.block(block)
    return parser.document(), parser.diags


def plain(value: Any) -> Any:
    """Located YAML data (from the project's reader) without its span keys."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k not in (SPAN, SPANS)}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class _Parser:
    def __init__(self, name: str) -> None:
        self.name = name
        self.diags: list[Diagnostic] = []
        self.front: dict[str, Any] = {}
        self.strict = False
        # Statements and arguments by title, in order of first mention; their members and pcs collect apart.
        self.heads: dict[Ref, Statement | Argument] = {}
        self.members: dict[Ref, list[Member]] = {}
        self.pcs: dict[str, list[PcsStep]] = {}
        self.pcs_section: dict[str, str] = {}
        self.relations: list[Relation] = []
        self.sections: list[Section] = []
        self.order: list[tuple[str, str, SourceSpan]] = []
        self.open_sections: list[Section] = []  # the current section and those enclosing it
        self.untitled = 0
        self.untitled_args = 0

    @property
    def section(self) -> str:
        return self.open_sections[-1].id if self.open_sections else ""

    def _diag(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        self.diags.append(Diagnostic(code=code, message=message, span=SourceSpan(self.name, line, col)))

    def _span(self, line: int, col: int) -> SourceSpan:
        return SourceSpan(self.name, line, col)

    # the document ---------------------------------------------------------------------------

    def front_matter(self, body: str, line: int) -> None:
        """Read the YAML front matter (``body`` keeps its line positions)."""
        data, diags = read_yaml(body, self.name) if body.strip() else (None, [])
        for d in diags:
            self.diags.append(Diagnostic(code="argdown.bad-data", message=f"front matter: {d.message}; it is ignored", span=d.span))
        if isinstance(data, dict):
            self.front = plain(data)
            model = self.front.get("model")
            self.strict = isinstance(model, dict) and model.get("mode") == "strict"
        elif data is not None:
            self._diag("argdown.bad-data", "the front matter is not a mapping of keys", line + 1, 1)

    def block(self, block: Block) -> None:
        if block.kind == "heading":
            self._heading(block)
        elif block.kind == "pcs":
            self._pcs(block.items, block.line)
        else:
            self._tree(block.items)

    def document(self) -> ArgdownDocument:
        statements: dict[str, Statement] = {}
        arguments: dict[str, Argument] = {}
        for ref, head in self.heads.items():
            members = tuple(self.members[ref])
            # Argdown's rule: the section of the first definition, else of the first mention.
            section = next((mem.section for mem in members if not mem.reference), members[0].section if members else "")
            if isinstance(head, Argument):
                section = self.pcs_section.get(head.title, section)
                arguments[head.title] = attrs.evolve(head, members=members, pcs=tuple(self.pcs.get(head.title, ())), section=section)
            else:
                statements[head.title] = attrs.evolve(head, members=members, section=section)
        relations, placements = self._transfer(arguments)
        for title, span in placements.items():
            arguments[title] = attrs.evolve(arguments[title], placement=span)
        return ArgdownDocument(
            front=self.front,
            statements=statements,
            arguments=arguments,
            relations=tuple(relations),
            sections=tuple(self.sections),
            order=tuple(self.order),
            strict=self.strict,
        )

    def _transfer(self, arguments: dict[str, Argument]) -> tuple[list[Relation], dict[str, SourceSpan]]:
        """Outgoing relations of a reconstructed argument belong to its main conclusion (as in Argdown's model).

        ``[Doom] + <Immigration>`` where Immigration concludes "Society is doomed"
        means that conclusion supports Doom; a relation of an argument to its own
        conclusion says nothing more and goes (where it was written is kept: it
        places the argument among its conclusion's reasons).  Returns the
        relations and those places, by argument title.
        """
        out: list[Relation] = []
        placements: dict[str, SourceSpan] = {}
        for rel in self.relations:
            kind, title = rel.source
            arg = arguments.get(title) if kind == ARGUMENT else None
            if (arg is not None and arg.pcs and rel.target == (STATEMENT, arg.pcs[-1].conclusion)
                    and (rel.type == SUPPORT or not is_group(arg))):  # a group's other relations are reported
                placements.setdefault(title, rel.span)
                continue
            if arg is not None and arg.pcs and not is_group(arg):
                source = (STATEMENT, arg.pcs[-1].conclusion)
                rtype = rel.type
                if self.strict and rel.target[0] == STATEMENT:
                    rtype = _STRICT.get(rtype, rtype)
                rel = attrs.evolve(rel, source=source, type=rtype)
            out.append(rel)
        return out, placements

    # headings -------------------------------------------------------------------------------

    def _heading(self, block: Block) -> None:
        raw = block.heading
        for a, b in reversed(data_spans(raw)):
            raw = raw[:a] + raw[b:]
        title = clean_text(TAG.sub("", raw))
        while self.open_sections and self.open_sections[-1].level >= block.level:
            self.open_sections.pop()
        section = Section(id=f"s{len(self.sections) + 1}", title=title, level=block.level,
                          parent=self.section, span=self._span(block.line, 1))
        self.sections.append(section)
        self.open_sections.append(section)

    # elements -------------------------------------------------------------------------------

    def _element(self, text: str, line: int, col: int, role: str) -> Ref:
        """Record the statement or argument written in ``text``; returns its (kind, title)."""
        body = text.strip()
        lead = len(text) - len(text.lstrip())
        span = self._span(line, col + lead if "\n" not in text[:lead] else col)
        kind, title, rest, definition = STATEMENT, "", body, True
        mt = re.match(r"\[((?:\\.|[^\]\\\n])+)\]", body)
        if mt and not body[mt.end():].startswith("("):
            kind, title, rest = STATEMENT, unescape(mt.group(1)).strip(), body[mt.end():]
        else:
            mt = re.match(r"<((?:\\.|[^>\\\n])+)>", body)
            if mt:
                kind, title, rest = ARGUMENT, unescape(mt.group(1)).strip(), body[mt.end():]
                rest = re.sub(r"^\(\d+\)", "", rest)  # <A>(1): a statement of A, by number
        if title:
            stripped_rest = rest.lstrip()
            if stripped_rest.startswith(":"):
                rest = stripped_rest[1:]
            else:
                definition = False
        data, rest = self._data(rest, line, col)
        tags: list[str] = []

        def tag(mt: re.Match[str]) -> str:
            # '#(two words)' may be wrapped over lines: its words are what counts.
            tags.append(" ".join((mt.group(1) if mt.group(1) is not None else mt.group(2)).split()))
            return ""

        clean = clean_text(TAG.sub(tag, LINK.sub(lambda mt: mt.group(1), rest)))
        member = Member(text=clean, tags=tuple(tags), data=data, reference=not definition or (not clean and bool(title)),
                        role=role, section=self.section, span=span)
        if kind == STATEMENT and not title:
            self.untitled += 1
            title = f"Untitled {self.untitled}"
            self._head(Statement(title=title, anonymous=True, span=span))
        elif kind == STATEMENT:
            self._head(Statement(title=title, span=span))
        else:
            self._head(Argument(title=title, span=span))
        self.members[(kind, title)].append(member)
        if role == "top-level":
            self.order.append((kind, title, span))
        return kind, title

    def _head(self, head: Statement | Argument) -> None:
        ref = (ARGUMENT if isinstance(head, Argument) else STATEMENT, head.title)
        if ref not in self.heads:
            self.heads[ref] = head
            self.members[ref] = []

    def _data(self, text: str, line: int, col: int) -> tuple[dict[str, Any], str]:
        """YAML data elements of ``text`` (merged) and the text without them."""
        data: dict[str, Any] = {}
        spans = data_spans(text)
        for a, b in spans:
            chunk = text[a:b]
            before = text[:a]
            dline = line + before.count("\n")
            dcol = (a - before.rfind("\n")) if "\n" in before else col + a
            if re.match(r"\{[ \t]*\n", chunk):
                body = "\n" * dline + chunk[chunk.index("\n") + 1:-1]
                body = textwrap.dedent(body)
            else:
                body = "\n" * (dline - 1) + " " * (dcol - 1) + chunk
            value, diags = read_yaml(body, self.name)
            if diags:
                for d in diags:
                    self.diags.append(Diagnostic(code="argdown.bad-data", message=f"YAML data: {d.message}; it is ignored", span=d.span))
                continue
            value = plain(value)
            if isinstance(value, dict):
                data.update(value)
            elif value is not None:
                self._diag("argdown.bad-data", "YAML data must be a mapping of keys ('{key: value}'); it is ignored", dline, dcol)
        for a, b in reversed(spans):
            text = text[:a] + " " + text[b:]
        return data, text

    # relation trees -------------------------------------------------------------------------

    def _relation(self, symbol: str, parent: Ref, child: Ref, line: int, col: int) -> None:
        # '+>', '->', '_>' point from the parent to the child; so does '><' (symmetric, but
        # Argdown records it that way).
        outgoing = symbol in ("+>", "->", "_>", "><")
        source, target = (parent, child) if outgoing else (child, parent)
        base = _BASE[symbol if symbol == "><" else symbol.strip("<>")]
        if self.strict and source[0] == STATEMENT and target[0] == STATEMENT:
            base = _STRICT.get(base, base)
        self.relations.append(Relation(source=source, target=target, type=base, symbol=symbol,
                                       span=self._span(line, col)))

    def _related(self, item: Item, stack: list[tuple[int, Ref]]) -> Ref:
        """A relation item: its element, related to the element it is indented under."""
        while stack and stack[-1][0] >= item.indent and len(stack) > 1:
            stack.pop()
        parent = stack[-1][1] if stack else None
        ref = self._element(item.text, item.line, item.col, "relation")
        if parent is None:
            self._diag("argdown.syntax", "a relation with no element above it is ignored", item.line, item.col)
        else:
            self._relation(item.symbol, parent, ref, item.line, item.col)
        stack.append((item.indent, ref))
        return ref

    def _tree(self, items: tuple[Item, ...]) -> None:
        stack: list[tuple[int, Ref]] = []
        for item in items:
            if item.kind in ("element", "list"):
                stack = [(item.indent, self._element(item.text, item.line, item.col, "top-level"))]
            else:
                self._related(item, stack)

    # premise-conclusion structures ----------------------------------------------------------

    def _pcs(self, items: tuple[Item, ...], lineno: int) -> None:
        owner = self._pcs_owner(lineno)
        steps = self.pcs.setdefault(owner, [])
        self.pcs_section[owner] = self.section
        since: list[str] = []  # statements since the last inference (its conclusion included)
        start: SourceSpan | None = None  # where the first of them is written
        pending: Item | None = None  # the inference waiting for its conclusion
        stack: list[tuple[int, Ref]] = []
        for item in items:
            if item.kind == "pcs":
                role = "conclusion" if pending is not None else "premise"
                ref = self._element(item.text, item.line, item.col, role)
                if ref[0] != STATEMENT:
                    self._diag("argdown.syntax", "a premise or conclusion must be a statement, not an argument", item.line, item.col)
                    continue
                if pending is not None:
                    # An inference concludes from every statement since the one before
                    # (its conclusion included), as Argdown reads it; 'uses' data is kept, not applied.
                    rules, data = self._inference_content(pending)
                    here = self._span(item.line, item.col)
                    steps.append(PcsStep(premises=tuple(since), conclusion=ref[1], rules=rules, data=data,
                                         span=self._span(pending.line, pending.col), conclusion_span=here,
                                         start=start or self._span(pending.line, pending.col)))
                    since, start = [ref[1]], here
                    pending = None
                else:
                    since.append(ref[1])
                    start = start or self._span(item.line, item.col)
                stack = [(item.indent, ref)]
                continue
            if item.kind == "inference":
                if pending is not None:
                    self._diag("argdown.syntax", "two inferences in a row; the first has no conclusion", item.line, item.col)
                pending = item
                stack = [(item.indent, (ARGUMENT, owner))]
                continue
            self._related(item, stack)
        if pending is not None or not steps:
            self._diag("argdown.syntax", f"the premise-conclusion structure of '{owner}' does not end in an inference and a conclusion", lineno, 1)

    def _pcs_owner(self, lineno: int) -> str:
        """The argument a premise-conclusion structure belongs to: the one just above it, or a new anonymous one."""
        if self.order:
            kind, title, span = self.order[-1]
            if kind == ARGUMENT and not self.pcs.get(title) and span.line < lineno:
                return title
        self.untitled_args += 1
        title = f"Untitled {self.untitled_args}"
        while (ARGUMENT, title) in self.heads:
            self.untitled_args += 1
            title = f"Untitled {self.untitled_args}"
        span = self._span(lineno, 1)
        self._head(Argument(title=title, anonymous=True, span=span))
        self.order.append((ARGUMENT, title, span))
        return title

    def _inference_content(self, item: Item) -> tuple[str, dict[str, Any]]:
        text = "\n".join(line for line in item.text.split("\n") if not HYPHENS.match(line.strip()))
        data, rest = self._data(text, item.line, item.col)
        return clean_text(rest), data


def is_group(arg: Argument) -> bool:
    """An argument argbrief wrote for a linked group: ``<A + B> {group: true}`` with one inference."""
    return len(arg.pcs) == 1 and any(mem.data.get("group") is True for mem in arg.members)
