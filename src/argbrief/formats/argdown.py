"""Argdown (``.argdown``): read Argdown's own syntax in Python, and write maps back as Argdown.

Reading has two stages.  :func:`parse_argdown` turns the text into an
:class:`ArgdownDocument` — equivalence classes of statements (keyed by
title), arguments with their premise-conclusion structures, and the relations
between them — the same units Argdown's own JSON export lists.
:func:`document_graph` then describes that document as a neutral argument
graph for :func:`argbrief.formats._graph.build_map`:

* every statement (equivalence class) and every argument is a claim; titles
  become ids (made valid) and labels, ``#tags`` and section headings tags;
* relations keep their type: support (and strict-mode entailment) supports,
  attack (and contrariness, contradiction) attacks, undercut undercuts;
* an argument's premise-conclusion structure: the premises of its last
  inference support the argument (linked, as a ``group``), the argument
  supports its main conclusion, and each intermediary conclusion is supported
  by the premises of its own inference;
* untitled paragraphs that take part in nothing are prose, not claims: they go
  to the map summary (before the first claim) or to the note of the claim that
  follows them.

Writing (:func:`dump_argdown`) emits one relation tree from the thesis: every
claim is a statement ``[id]: text``, supports ``+``, attacks ``-``, undercuts
``_``; cross-links are outgoing relations (``+> [id]``), a linked group is an argument whose
premise-conclusion structure concludes its parent, and what Argdown has no
syntax for (labels, notes, kinds, evidence details, the map's metadata and
recommendations) rides in YAML data (``{...}``) and the front matter.  Reading
that text back gives the same map.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

import attrs
from attrs import define, field, frozen

from .. import convert
from .. import model as m
from .._yamlread import SPAN, SPANS, decode, read_yaml
from ..diagnostics import Diagnostic
from ..model import NOWHERE, ArgumentMap, SourceSpan
from . import Format, Imported
from ._graph import ATTACK, SUPPORTS, UNDERCUT, GLink, GNode, Graph, build_map, node_id

# --- the document model ------------------------------------------------------------------


@frozen(kw_only=True)
class Member:
    """One occurrence of a statement or argument description in the text."""

    text: str
    tags: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(factory=dict)
    reference: bool = False
    role: str = ""  # top-level | relation | premise | conclusion | description
    span: SourceSpan = NOWHERE


@define
class Statement:
    """An equivalence class: statements with one title."""

    title: str
    anonymous: bool = False
    members: list[Member] = field(factory=list)
    section: str = ""
    span: SourceSpan = NOWHERE


@define
class PcsStep:
    """One inference of a premise-conclusion structure, with the statements it concludes from."""

    premises: list[str]
    conclusion: str
    rules: str = ""
    data: Mapping[str, Any] = field(factory=dict)
    span: SourceSpan = NOWHERE
    conclusion_span: SourceSpan = NOWHERE


@define
class Argument:
    title: str
    anonymous: bool = False
    members: list[Member] = field(factory=list)
    pcs: list[PcsStep] = field(factory=list)
    section: str = ""
    span: SourceSpan = NOWHERE


@frozen(kw_only=True)
class Relation:
    """``source`` relates to ``target``; both are (``"statement"``|``"argument"``, title)."""

    source: tuple[str, str]
    target: tuple[str, str]
    type: str  # support attack undercut entails contrary contradictory
    span: SourceSpan = NOWHERE


@define
class ArgdownDocument:
    """What an Argdown text says, in Argdown's own terms."""

    front: dict[str, Any] = field(factory=dict)
    statements: dict[str, Statement] = field(factory=dict)
    arguments: dict[str, Argument] = field(factory=dict)
    relations: list[Relation] = field(factory=list)
    #: Section headings in order: (level, title, span).
    sections: list[tuple[int, str, SourceSpan]] = field(factory=list)
    #: Top-level elements in document order, for placing prose: (kind, title, span).
    order: list[tuple[str, str, SourceSpan]] = field(factory=list)

    def free_text(self) -> list[Statement]:
        """Untitled top-level paragraphs that take part in no relation and no argument: prose."""
        related = {r.source for r in self.relations} | {r.target for r in self.relations}
        in_pcs = {t for a in self.arguments.values() for step in a.pcs for t in (*step.premises, step.conclusion)}
        return [
            s
            for s in self.statements.values()
            if s.anonymous
            and ("statement", s.title) not in related
            and s.title not in in_pcs
            and all(mem.role == "top-level" for mem in s.members)
        ]


# --- lexing helpers ----------------------------------------------------------------------

_REL = re.compile(r"(<\+|\+>|<-|->|<_|_>|><|\+|-|_)(?=\s|$)")
_PCS = re.compile(r"\((\d+)\)(?=\s|$)")
_HYPHENS = re.compile(r"-{2,}\s*$")
_INLINE_INFERENCE = re.compile(r"--+\s*(.*?)\s*--+\s*$")
_HEADING = re.compile(r"(#{1,6})\s+(.*)$")
_LIST_ITEM = re.compile(r"(\*|\d+\.)\s+")
_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)]*)\)")
_TAG = re.compile(r"(?<![^\s(])#(?:\(([^)]*)\)|([\w-]+))")
_EMPHASIS = [
    re.compile(r"(?<![\w\\*])\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*(?![\w*])", re.S),
    re.compile(r"(?<![\w\\_])___(?=\S)(.+?)(?<=\S)___(?![\w_])", re.S),
    re.compile(r"(?<![\w\\*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])", re.S),
    re.compile(r"(?<![\w\\_])__(?=\S)(.+?)(?<=\S)__(?![\w_])", re.S),
    re.compile(r"(?<![\w\\*])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])", re.S),
    re.compile(r"(?<![\w\\_])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?![\w_])", re.S),
]
_ESCAPE = re.compile(r"\\(.)", re.S)

#: Data keys Argdown itself uses for display; they have no place in a map and are dropped quietly.
_DISPLAY_KEYS = frozenset({"isInMap", "color", "fontColor", "isGroup", "images", "image"})


_BRACE_TOKEN = re.compile(r"""\\(?:.|$)|[{}"']""", re.S)
_DOUBLE_QUOTED_END = re.compile(r'\\(?:.|$)|"', re.S)
_TOP_TOKEN = re.compile(r"\\(?:.|$)|<!--|/\*|(?<!\S)//|\{", re.S)


class _Braces:
    """Where YAML data elements ``{...}`` open and close, fed text piece by piece.

    Braces inside YAML quotes do not count, and a quote opens only where a YAML
    scalar can start (after ``{``, ``[``, ``,`` or ``:``), so the apostrophe in
    ``{note: it's}`` is a letter; a backslash escapes the next character
    (outside single quotes, where ``''`` is the escape).  Text between the
    characters that matter is skipped with regular expressions, so long lines
    cost little.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.quote = ""
        self.last = ""  # the last non-space character inside data
        self.skip = False  # a backslash ended the previous piece: its next character is escaped
        self.closing = False  # a single quote ended the previous piece: it may be the first of ''

    def feed(self, text: str, start: int = 0, until_closed: bool = False) -> int:
        """Read ``text`` from ``start``; returns where it stopped (after the closing brace, with ``until_closed``)."""
        i, n = start, len(text)
        while i < n:
            if self.skip:
                self.skip, i = False, i + 1
                continue
            if self.closing:
                self.closing = False
                if text[i] == "'":
                    i += 1
                    continue
                self.quote = ""
            if self.quote == '"':
                mt = _DOUBLE_QUOTED_END.search(text, i)
                if mt is None:
                    return n
                if mt.group(0) == "\\":
                    self.skip = True
                elif mt.group(0) == '"':
                    self.quote, self.last = "", '"'
                i = mt.end()
                continue
            if self.quote == "'":
                j = text.find("'", i)
                if j < 0:
                    return n
                self.closing, self.last, i = True, "'", j + 1
                continue
            mt = _BRACE_TOKEN.search(text, i)
            if self.depth:
                before = text[i:mt.start() if mt else n].rstrip()
                if before:
                    self.last = before[-1]
            if mt is None:
                return n
            token, i = mt.group(0), mt.end()
            if token.startswith("\\"):
                self.skip = token == "\\"  # at the end of this piece: escapes the next one's first character
                if self.depth:
                    self.last = token[-1]
            elif self.depth == 0:
                if token == "{":
                    self.depth, self.last = 1, "{"
            elif token in "\"'":
                if self.last in "{[,:":
                    self.quote = token
                else:
                    self.last = token
            else:
                self.depth += 1 if token == "{" else -1
                self.last = token
                if until_closed and self.depth == 0:
                    return i
        return n


def _scan(text: str, comments: bool) -> tuple[str, list[tuple[int, int]], list[int]]:
    """One pass over ``text``: comments blanked (when ``comments``), YAML data elements found.

    Returns the text with comments replaced by spaces (newlines kept, so lines
    and columns stay), the (start, end) of each top-level ``{...}`` (an
    unclosed one runs to the end), and where unclosed comments start.
    ``//`` starts a comment only at the start of a line or after a space (so
    ``https://`` is none); nothing inside YAML data is a comment.
    """
    out: list[str] = []
    regions: list[tuple[int, int]] = []
    unclosed: list[int] = []
    pos = done = 0
    n = len(text)
    while pos < n:
        mt = _TOP_TOKEN.search(text, pos)
        if mt is None:
            break
        token = mt.group(0)
        if token.startswith("\\"):
            pos = mt.end()
        elif token == "{":
            end = _Braces().feed(text, mt.start(), until_closed=True)
            regions.append((mt.start(), end))
            pos = end
        elif not comments:
            pos = mt.end()
        else:
            closer = {"<!--": "-->", "/*": "*/", "//": "\n"}[token]
            j = text.find(closer, mt.end())
            if j < 0 and closer != "\n":
                unclosed.append(mt.start())
            end = n if j < 0 else (j if closer == "\n" else j + len(closer))
            out.append(text[done:mt.start()])
            out.append(re.sub(r"[^\n]", " ", text[mt.start():end]))
            pos = done = end
    out.append(text[done:])
    return "".join(out), regions, unclosed


def _data_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each closed ``{...}`` in ``text``."""
    return [(a, b) for a, b in _scan(text, comments=False)[1] if text[b - 1] == "}"]


def _mask_comments(text: str) -> tuple[str, list[int]]:
    """``text`` with its comments blanked out, and the offsets of comments never closed."""
    masked, _regions, unclosed = _scan(text, comments=True)
    return masked, unclosed


def _plain(value: Any) -> Any:
    """Located YAML data (from the project's reader) without its span keys."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in (SPAN, SPANS)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def clean_text(text: str) -> str:
    """Argdown inline markup to plain text: links to their text, emphasis dropped, escapes resolved."""
    text = _LINK.sub(lambda mt: mt.group(1), text)
    for pattern in _EMPHASIS:
        text = pattern.sub(lambda mt: mt.group(1), text)
    text = _ESCAPE.sub(lambda mt: mt.group(1), text)
    return " ".join(text.split())


# --- the parser ---------------------------------------------------------------------------


@define
class _Item:
    kind: str  # "element" | "relation" | "pcs" | "inference" | "list"
    symbol: str
    indent: int
    line: int
    col: int
    text: str
    number: int = 0


class _Parser:
    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.doc = ArgdownDocument()
        self.diags: list[Diagnostic] = []
        self.section = ""
        self.untitled = 0
        self.untitled_args = 0
        self.strict = False
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        # The front matter is YAML: read it as it is, before comments and tabs are touched.
        start = self._front_matter(raw)
        text = "\n".join([""] * start + raw[start:]).expandtabs(4)
        masked, unclosed = _mask_comments(text)
        for offset in unclosed:
            line = text.count("\n", 0, offset) + 1
            self._diag("argdown.syntax", "a comment is never closed; the rest of the file is ignored", line, offset - text.rfind("\n", 0, offset))
        self.lines = masked.split("\n")
        self.start = start
        # Lines that held only a comment are not blank lines: they do not end a block.
        self.comment_only = {i for i, (a, b) in enumerate(zip(text.split("\n"), self.lines)) if a.strip() and not b.strip()}

    def _diag(self, code: str, message: str, line: int = 1, col: int = 1, hint: str = "") -> None:
        self.diags.append(Diagnostic(code=code, message=message, span=SourceSpan(self.name, line, col), hint=hint))

    def _span(self, line: int, col: int) -> SourceSpan:
        return SourceSpan(self.name, line, col)

    # blocks ---------------------------------------------------------------------------

    def parse(self) -> ArgdownDocument:
        block: list[tuple[int, str]] = []
        braces = _Braces()
        for i in range(self.start, len(self.lines)):
            line = self.lines[i]
            if i in self.comment_only:
                continue
            if line.strip() or (block and braces.depth):  # a blank line inside YAML data does not end a block
                block.append((i + 1, line))
                braces.feed(line + "\n")
            elif block:
                self._block(block)
                block, braces = [], _Braces()
        if block:
            self._block(block)
        self._transfer()
        return self.doc

    def _transfer(self) -> None:
        """Outgoing relations of a reconstructed argument belong to its main conclusion (as in Argdown's model).

        ``[Doom] + <Immigration>`` where Immigration concludes "Society is doomed"
        means that conclusion supports Doom; a relation of an argument to its own
        conclusion says nothing more and goes.
        """
        out: list[Relation] = []
        for rel in self.doc.relations:
            kind, title = rel.source
            arg = self.doc.arguments.get(title) if kind == "argument" else None
            if arg is not None and arg.pcs and not _is_group(arg):
                source = ("statement", arg.pcs[-1].conclusion)
                if source == rel.target:
                    continue
                rtype = rel.type
                if self.strict and rel.target[0] == "statement":
                    rtype = {"support": "entails", "attack": "contrary"}.get(rtype, rtype)
                rel = Relation(source=source, target=rel.target, type=rtype, span=rel.span)
            out.append(rel)
        self.doc.relations = out

    def _front_matter(self, lines: list[str]) -> int:
        """Read the YAML front matter between '===' lines at the top; returns the first line after it."""
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None or lines[first].rstrip() != "===":
            return 0
        end = next((i for i in range(first + 1, len(lines)) if lines[i].rstrip() == "==="), None)
        if end is None:
            self._diag("argdown.syntax", "the front matter ('===') is never closed", first + 1, 1)
            return len(lines)
        body = "\n" * (first + 1) + "\n".join(lines[first + 1:end])
        data, diags = read_yaml(body, self.name) if body.strip() else (None, [])
        for d in diags:
            self.diags.append(Diagnostic(code="argdown.bad-data", message=f"front matter: {d.message}; it is ignored", span=d.span))
        if isinstance(data, dict):
            self.doc.front = _plain(data)
            model = self.doc.front.get("model")
            self.strict = isinstance(model, dict) and model.get("mode") == "strict"
        elif data is not None:
            self._diag("argdown.bad-data", "the front matter is not a mapping of keys", first + 2, 1)
        return end + 1

    def _block(self, block: list[tuple[int, str]]) -> None:
        lineno, first = block[0]
        stripped = first.strip()
        heading = _HEADING.match(stripped)
        if heading:  # a heading runs to the end of its block
            self._heading(_HEADING.match(" ".join(line.strip() for _, line in block)), lineno, first)
            return
        if _PCS.match(stripped) or (_HYPHENS.match(stripped) and len(block) > 1):
            self._pcs(self._items(block, pcs=True), lineno)
            return
        items = self._items(block, pcs=False)
        self._tree(items)

    def _heading(self, mt: re.Match[str], lineno: int, line: str) -> None:
        raw = mt.group(2)
        for a, b in reversed(list(_data_spans(raw))):
            raw = raw[:a] + raw[b:]
        title = clean_text(_TAG.sub("", raw))
        self.doc.sections.append((len(mt.group(1)), title, self._span(lineno, 1)))
        self.section = title

    def _items(self, block: list[tuple[int, str]], pcs: bool) -> list[_Item]:
        """The block's items: a line that starts a relation, a premise, an inference or a list item
        begins one; any other line continues the item above (so do all lines inside YAML data)."""
        items: list[_Item] = []
        braces = _Braces()
        pending_inference = False  # inside an expanded inference: rules and data until the next hyphen line

        def start(item: _Item) -> None:
            nonlocal braces
            items.append(item)
            braces = _Braces()
            braces.feed(item.text)

        def extend(line: str) -> None:
            items[-1].text += "\n" + line
            braces.feed("\n" + line)

        for idx, (lineno, line) in enumerate(block):
            stripped = line.lstrip()
            indent = len(line) - len(stripped)
            col = indent + 1
            if items and (braces.depth or pending_inference):
                extend(line)
                if pending_inference and _HYPHENS.match(stripped):
                    pending_inference = False
                continue
            numbered = _PCS.match(stripped) if pcs else None
            if numbered:
                start(_Item("pcs", "", indent, lineno, col, stripped[numbered.end():], int(numbered.group(1))))
                continue
            if pcs and (_INLINE_INFERENCE.match(stripped) or _HYPHENS.match(stripped)):
                following = block[idx + 1][1].lstrip() if idx + 1 < len(block) else ""
                if _HYPHENS.match(stripped) and not _PCS.match(following):
                    pending_inference = True
                    start(_Item("inference", "", indent, lineno, col, ""))
                    continue
                inline = _INLINE_INFERENCE.match(stripped)
                content = inline.group(1) if inline and not _HYPHENS.match(stripped) else ""
                start(_Item("inference", "", indent, lineno, col, content))
                continue
            rel = _REL.match(stripped)
            if rel and (items or pcs):
                start(_Item("relation", rel.group(1), indent, lineno, col + len(rel.group(0)), stripped[rel.end():]))
                continue
            bullet = _LIST_ITEM.match(stripped)
            if bullet and not pcs and (not items or (items[0].kind == "list" and indent <= items[0].indent)):
                start(_Item("list", "", indent, lineno, col + bullet.end(), stripped[bullet.end():]))
                continue
            if not items:
                if rel:
                    self._diag("argdown.syntax", f"relation '{rel.group(1)}' has no element above it to relate to; read as text", lineno, col)
                start(_Item("element", "", indent, lineno, col, stripped))
                continue
            extend(line)
        return items

    # elements ------------------------------------------------------------------------

    def _element(self, text: str, line: int, col: int, role: str) -> tuple[str, str]:
        """Record the statement or argument written in ``text``; returns its (kind, title)."""
        body = text.strip()
        lead = len(text) - len(text.lstrip())
        span = self._span(line, col + lead if "\n" not in text[:lead] else col)
        kind, title, rest, definition = "statement", "", body, True
        mt = re.match(r"\[((?:\\.|[^\]\\\n])+)\]", body)
        if mt and not body[mt.end():].startswith("("):
            kind, title, rest = "statement", _unescape(mt.group(1)).strip(), body[mt.end():]
        else:
            mt = re.match(r"<((?:\\.|[^>\\\n])+)>", body)
            if mt:
                kind, title, rest = "argument", _unescape(mt.group(1)).strip(), body[mt.end():]
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

        clean = clean_text(_TAG.sub(tag, _LINK.sub(lambda mt: mt.group(1), rest)))
        member = Member(text=clean, tags=tuple(tags), data=data, reference=not definition or (not clean and bool(title)), role=role, span=span)
        if kind == "argument":
            arg = self.doc.arguments.get(title)
            if arg is None:
                arg = self.doc.arguments[title] = Argument(title=title, section=self.section, span=span)
            arg.members.append(member)
            if role == "top-level":
                self.doc.order.append(("argument", title, span))
            return "argument", title
        if not title:
            self.untitled += 1
            title = f"Untitled {self.untitled}"
            st = self.doc.statements[title] = Statement(title=title, anonymous=True, section=self.section, span=span)
        else:
            st = self.doc.statements.get(title)
            if st is None:
                st = self.doc.statements[title] = Statement(title=title, section=self.section, span=span)
        st.members.append(member)
        if role == "top-level":
            self.doc.order.append(("statement", title, span))
        return "statement", title

    def _data(self, text: str, line: int, col: int) -> tuple[dict[str, Any], str]:
        """YAML data elements of ``text`` (merged) and the text without them."""
        data: dict[str, Any] = {}
        spans = list(_data_spans(text))
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
            value = _plain(value)
            if isinstance(value, dict):
                data.update(value)
            elif value is not None:
                self._diag("argdown.bad-data", "YAML data must be a mapping of keys ('{key: value}'); it is ignored", dline, dcol)
        for a, b in reversed(spans):
            text = text[:a] + " " + text[b:]
        return data, text

    # relation trees ------------------------------------------------------------------

    def _relation(self, symbol: str, parent: tuple[str, str], child: tuple[str, str], line: int, col: int) -> None:
        # '+>', '->', '_>' point from the parent to the child; so does '><' (symmetric, but
        # Argdown records it that way).
        outgoing = symbol in ("+>", "->", "_>", "><")
        source, target = (parent, child) if outgoing else (child, parent)
        base = "contradictory" if symbol == "><" else {"+": "support", "-": "attack", "_": "undercut"}[symbol.strip("<>")]
        both_statements = source[0] == "statement" and target[0] == "statement"
        if both_statements and self.strict and base in ("support", "attack"):
            base = {"support": "entails", "attack": "contrary"}[base]
        self.doc.relations.append(Relation(source=source, target=target, type=base, span=self._span(line, col)))

    def _tree(self, items: list[_Item]) -> None:
        stack: list[tuple[int, tuple[str, str]]] = []
        for item in items:
            if item.kind in ("element", "list"):
                ref = self._element(item.text, item.line, item.col, "top-level")
                stack = [(item.indent, ref)]
                continue
            while stack and stack[-1][0] >= item.indent and len(stack) > 1:
                stack.pop()
            parent = stack[-1][1] if stack else None
            ref = self._element(item.text, item.line, item.col, "relation")
            if parent is None:
                self._diag("argdown.syntax", "a relation with no element above it is ignored", item.line, item.col)
            else:
                self._relation(item.symbol, parent, ref, item.line, item.col)
            stack.append((item.indent, ref))

    # premise-conclusion structures ---------------------------------------------------

    def _pcs(self, items: list[_Item], lineno: int) -> None:
        owner = self._pcs_owner(lineno)
        arg = self.doc.arguments[owner]
        since: list[str] = []  # statements since the last inference (its conclusion included)
        pending: _Item | None = None  # the inference waiting for its conclusion
        stack: list[tuple[int, tuple[str, str]]] = []
        for item in items:
            if item.kind == "pcs":
                role = "conclusion" if pending is not None else "premise"
                ref = self._element(item.text, item.line, item.col, role)
                if ref[0] != "statement":
                    self._diag("argdown.syntax", "a premise or conclusion must be a statement, not an argument", item.line, item.col)
                    continue
                if pending is not None:
                    # An inference concludes from every statement since the one before
                    # (its conclusion included), as Argdown reads it; 'uses' data is kept, not applied.
                    rules, data = self._inference_content(pending)
                    arg.pcs.append(PcsStep(premises=list(since), conclusion=ref[1], rules=rules, data=data,
                                           span=self._span(pending.line, pending.col), conclusion_span=self._span(item.line, item.col)))
                    since = [ref[1]]
                    pending = None
                else:
                    since.append(ref[1])
                stack = [(item.indent, ref)]
                continue
            if item.kind == "inference":
                if pending is not None:
                    self._diag("argdown.syntax", "two inferences in a row; the first has no conclusion", item.line, item.col)
                pending = item
                stack = [(item.indent, ("argument", owner))]
                continue
            while stack and stack[-1][0] >= item.indent and len(stack) > 1:
                stack.pop()
            parent = stack[-1][1] if stack else None
            ref = self._element(item.text, item.line, item.col, "relation")
            if parent is None:
                self._diag("argdown.syntax", "a relation with no element above it is ignored", item.line, item.col)
            else:
                self._relation(item.symbol, parent, ref, item.line, item.col)
            stack.append((item.indent, ref))
        if pending is not None or not arg.pcs:
            self._diag("argdown.syntax", f"the premise-conclusion structure of '{owner}' does not end in an inference and a conclusion", lineno, 1)

    def _pcs_owner(self, lineno: int) -> str:
        """The argument a premise-conclusion structure belongs to: the one just above it, or a new anonymous one."""
        if self.doc.order:
            kind, title, span = self.doc.order[-1]
            if kind == "argument" and not self.doc.arguments[title].pcs and span.line < lineno:
                return title
        self.untitled_args += 1
        title = f"Untitled {self.untitled_args}"
        while title in self.doc.arguments:
            self.untitled_args += 1
            title = f"Untitled {self.untitled_args}"
        self.doc.arguments[title] = Argument(title=title, anonymous=True, section=self.section, span=self._span(lineno, 1))
        self.doc.order.append(("argument", title, self._span(lineno, 1)))
        return title

    def _inference_content(self, item: _Item) -> tuple[str, dict[str, Any]]:
        text = "\n".join(line for line in item.text.split("\n") if not _HYPHENS.match(line.strip()))
        data, rest = self._data(text, item.line, item.col)
        return clean_text(rest), data


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda mt: mt.group(1), text)


def parse_argdown(text: str, name: str) -> tuple[ArgdownDocument, list[Diagnostic]]:
    """The Argdown document in ``text`` (shown as ``name`` in diagnostics) and its syntax problems."""
    parser = _Parser(text, name)
    doc = parser.parse()
    return doc, parser.diags


# --- document -> neutral graph ------------------------------------------------------------

_TYPES = {"support": SUPPORTS, "entails": SUPPORTS, "attack": ATTACK, "contrary": ATTACK,
          "contradictory": ATTACK, "undercut": UNDERCUT}
#: Data keys read into the map (anything else in ``{...}`` has no place in it).
_CLAIM_KEYS = ("label", "tags", "note", "answers", "relation", "text")
_EVIDENCE_KEYS = ("quote", "text", "source", "locator", "strength", "tags", "note")
_KINDS = ("assumption", "quote", "evidence")


def _key(kind: str, title: str) -> str:
    return f"{kind[0]}:{title}"


def _is_group(arg: Argument) -> bool:
    """An argument argbrief wrote for a linked group: ``<A + B> {group: true}`` with one inference."""
    return len(arg.pcs) == 1 and any(mem.data.get("group") is True for mem in arg.members)


def document_graph(doc: ArgdownDocument, name: str) -> tuple[Graph, list[Diagnostic]]:
    """The neutral argument graph of an Argdown document (see the module docstring)."""
    diags: list[Diagnostic] = []
    free = doc.free_text()
    free_titles = {s.title for s in free}
    groups = {t for t, a in doc.arguments.items() if _is_group(a)}
    dropped: dict[str, SourceSpan] = {}

    elements: list[tuple[tuple[int, int], str, Statement | Argument]] = []
    for st in doc.statements.values():
        if st.title not in free_titles:
            elements.append(((st.span.line, st.span.column), "statement", st))
    for arg in doc.arguments.values():
        if arg.title not in groups:
            elements.append(((arg.span.line, arg.span.column), "argument", arg))
    elements.sort(key=lambda e: e[0])

    notes = _prose_notes(doc, free, groups)
    nodes: list[GNode] = []
    anonymous = {"statement": 0, "argument": 0}
    for _pos, kind, el in elements:
        data: dict[str, Any] = {}
        tags: list[str] = []
        texts: list[str] = []
        for mem in el.members:
            data.update(mem.data)
            tags.extend(t for t in mem.tags if t not in tags)
            if mem.text and mem.text not in texts:
                texts.append(mem.text)
        hint = data.get("kind") if data.get("kind") in _KINDS else ""
        keys = _EVIDENCE_KEYS if hint in ("quote", "evidence") else _CLAIM_KEYS
        fields: dict[str, Any] = {}
        for k, v in data.items():
            if k in keys:
                fields[k] = v
            elif k not in ("kind", "group") and k not in _DISPLAY_KEYS:
                dropped.setdefault(k, el.members[0].span if el.members else el.span)
        if hint:
            fields["kind"] = hint
        native = "quote" if hint == "quote" else "text"
        text = fields.pop(native, None)
        if not isinstance(text, str):
            text = texts[0] if texts else ("" if el.anonymous else el.title)
        if not text and isinstance(el, Argument) and el.pcs:  # an anonymous, undescribed argument
            conclusion = doc.statements.get(el.pcs[-1].conclusion)
            said = next((mem.text for mem in conclusion.members if mem.text), "") if conclusion else ""
            text = f"An argument for: {said}" if said else ""
        if tags:
            extra = fields.get("tags") if isinstance(fields.get("tags"), list) else []
            fields["tags"] = tags + [t for t in extra if t not in tags]
        if el.section and el.section not in fields.get("tags", []):
            fields["tags"] = [*fields.get("tags", []), el.section]  # the heading it stands under
        prose = notes.get(_key(kind, el.title), [])
        also = [t for t in texts[1:]] if len(texts) > 1 and native == "text" and "text" not in data else []
        note_parts = [*prose, *(f"Also stated as: {t}" for t in also)]
        if note_parts:
            fields["note"] = "\n\n".join([*note_parts, *([fields["note"]] if isinstance(fields.get("note"), str) else [])])
        if el.anonymous and hint in ("quote", "evidence"):
            suggested, fields["id"] = "", ""  # evidence written without an id keeps none
        elif el.anonymous:
            anonymous[kind] += 1
            suggested = f"{kind[0]}{anonymous[kind]}"
        else:
            suggested = node_id(el.title)
            if suggested != el.title and "label" not in fields:
                fields["label"] = el.title
        nodes.append(GNode(key=_key(kind, el.title), text=text, id=suggested, fields=fields, span=el.span))

    links: list[tuple[tuple[int, int], GLink]] = []
    group_order: dict[str, SourceSpan] = {}
    for rel in doc.relations:
        src, dst = _key(*rel.source), _key(*rel.target)
        if rel.source[0] == "argument" and rel.source[1] in groups:
            step = doc.arguments[rel.source[1]].pcs[0]
            if rel.target == ("statement", step.conclusion) and rel.type == "support":
                group_order.setdefault(rel.source[1], rel.span)  # where the group sits among its parent's reasons
                continue
        if (rel.source[0] == "argument" and rel.source[1] in groups) or (rel.target[0] == "argument" and rel.target[1] in groups):
            diags.append(Diagnostic(code="argdown.unsupported", message="a relation of a linked-premise group other than to its conclusion is ignored", span=rel.span))
            continue
        if rel.source[0] == "statement" and rel.source[1] in free_titles or rel.target[0] == "statement" and rel.target[1] in free_titles:
            continue  # cannot happen: free text has no relations
        links.append(((rel.span.line, rel.span.column), GLink(premises=(src,), target=dst, relation=_TYPES[rel.type], span=rel.span)))
    for arg in doc.arguments.values():
        if arg.title in groups:
            step = arg.pcs[0]
            where = group_order.get(arg.title, step.conclusion_span)
            links.append(((where.line, where.column), GLink(premises=tuple(_key("statement", p) for p in step.premises),
                                                           target=_key("statement", step.conclusion), span=where)))
            continue
        for i, step in enumerate(arg.pcs):
            premises = tuple(_key("statement", p) for p in step.premises if p != step.conclusion)
            last = i == len(arg.pcs) - 1
            target = _key("argument", arg.title) if last else _key("statement", step.conclusion)
            if premises:
                links.append(((step.span.line, step.span.column), GLink(premises=premises, target=target, span=step.span)))
            if last:
                cs = step.conclusion_span
                links.append(((cs.line, cs.column), GLink(premises=(_key("argument", arg.title),), target=_key("statement", step.conclusion), span=cs)))
    links.sort(key=lambda item: item[0])

    for key_name, span in sorted(dropped.items(), key=lambda kv: (kv[1].line, kv[1].column)):
        diags.append(Diagnostic(code="argdown.data-dropped", message=f"YAML data key '{key_name}' has no place in an argbrief map; it is dropped", span=span))

    meta, more = _front_meta(doc.front, name)
    diags += more
    summary = [p for p in notes.get("", [])]
    if summary:
        meta["summary"] = "\n\n".join([*summary, *([meta["summary"]] if isinstance(meta.get("summary"), str) else [])])
    title = meta.get("title") if isinstance(meta.get("title"), str) else ""
    graph = Graph(name=name, nodes=tuple(nodes), links=tuple(link for _, link in links), meta=meta, issue_text=title or "")
    return graph, diags


def _prose_notes(doc: ArgdownDocument, free: list[Statement], groups: set[str]) -> dict[str, list[str]]:
    """Free paragraphs by where they go: the next claim's key, or '' for the map summary."""
    free_titles = {s.title for s in free}
    claims = [(span, _key(kind, title)) for kind, title, span in doc.order
              if not (kind == "statement" and title in free_titles) and not (kind == "argument" and title in groups)]
    out: dict[str, list[str]] = {}
    first = min((span.line, span.column) for span, _ in claims) if claims else None
    for st in free:
        text = next((mem.text for mem in st.members if mem.text), "")
        if not text:
            continue
        pos = (st.span.line, st.span.column)
        target = ""
        if first is not None and pos > first:
            target = next((key for span, key in claims if (span.line, span.column) > pos), "")
        out.setdefault(target, []).append(text)
    return out


def _front_meta(front: Mapping[str, Any], name: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Map-level wire fields from the front matter: Argdown's title/subTitle/author/date and argbrief's own block."""
    meta: dict[str, Any] = {}
    for src, dst in (("title", "title"), ("subTitle", "subtitle"), ("subtitle", "subtitle"), ("author", "author"), ("date", "date")):
        value = front.get(src)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value if v is not None)
        if isinstance(value, str) and value.strip():
            meta[dst] = value
    own = front.get("argbrief")
    diags: list[Diagnostic] = []
    if isinstance(own, dict):
        meta.update(own)
    elif own is not None:
        diags.append(Diagnostic(code="argdown.bad-data", message="front matter 'argbrief' must be a mapping; it is ignored", span=SourceSpan(name, 1, 1)))
    return meta, diags


def load_argdown(data: bytes, name: str) -> Imported:
    """An Argdown file (bytes) as an argbrief map."""
    text, diags = decode(data, name)
    if text is None:
        return Imported(map=None, diagnostics=tuple(diags))
    doc, more = parse_argdown(text, name)
    diags += more
    graph, more = document_graph(doc, name)
    diags += more
    amap, more = build_map(graph)
    return Imported(map=amap, diagnostics=tuple(diags + more))


# --- writing ---------------------------------------------------------------------------------

WIDTH = 88
_SAFE_TAG = re.compile(r"[\w-]+")
_SAFE_BRACKETED_TAG = re.compile(r"[^()#\\\s]+(?: [^()#\\\s]+)*")
_ESCAPED = re.compile(r"([\\\[\]<>{}#*_@])")
_ITEM_START = re.compile(r"(<\+|\+>|<-|->|<_|_>|><|[+\-_*])(\s|$)|\(\d+\)|\d+\.\s|-{2,}|===")


def _escape(text: str) -> str:
    text = _ESCAPED.sub(r"\\\1", text)
    return re.sub(r"/(?=[/*])", r"\\/", text)


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_PLAIN_LINE = re.compile(r"[^\n]{1,200}")

_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def _yaml_value(value: Any) -> str:
    """A flow-style YAML value: a bare word where YAML reads it as that text, else JSON (which YAML reads as-is)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_yaml_value(k)}: {_yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    # JSON is YAML; but YAML folds U+2028, NEL and friends inside quotes, so what is not printable is escaped.
    return "".join(c if c.isprintable() else _u_escape(c) for c in json.dumps(value, ensure_ascii=False))


def _fold(line: str, pad: str) -> list[str]:
    """A long ``key: "quoted text"`` line folded over lines at single spaces inside the quotes.

    YAML folds a line break inside double quotes into one space and drops the
    next line's indentation, so breaking at a space that has no space beside it
    (and no backslash before it) reads back as exactly that space.
    """
    start = line.find(': "')
    if len(line) <= WIDTH or start < 0:
        return [line]
    out: list[str] = []
    rest, offset = line, start + 3
    while len(rest) > WIDTH:
        cut = -1
        for i in range(min(len(rest) - 2, WIDTH), offset, -1):
            if rest[i] == " " and rest[i - 1] not in " \\" and rest[i + 1] != " ":
                cut = i
                break
        if cut < 0:
            break
        out.append(rest[:cut])
        rest, offset = pad + rest[cut + 1:], len(pad)
    return [*out, rest]


def _u_escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class _Writer:
    def __init__(self, amap: ArgumentMap) -> None:
        self.amap = amap
        self.lines: list[str] = []
        self.groups: list[tuple[m.Claim, m.Group, str]] = []

    def write(self) -> str:
        self._front()
        if self.amap.thesis is not None:
            self.lines.append("")
            self._claim(self.amap.thesis, "", 0)
        while self.groups:
            parent, group, title = self.groups.pop(0)
            self._group(parent, group, title)
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def _front(self) -> None:
        """Argdown's own title keys (where plain), then the whole map but its thesis under 'argbrief:'."""
        from .yaml import dump_map

        self.lines.append("===")
        for src, dst in (("title", "title"), ("subtitle", "subTitle"), ("author", "author"), ("date", "date")):
            value = getattr(self.amap, src)
            if value and value == value.strip() and value.isprintable() and _PLAIN_LINE.fullmatch(value):
                self.lines.append(f"{dst}: {_yaml_value(value)}")
        head = dump_map(attrs.evolve(self.amap, thesis=None))
        if head.strip() not in ("", "{}"):
            self.lines.append("argbrief:")
            self.lines.extend(("  " + line) if line else "" for line in head.rstrip("\n").split("\n"))
        self.lines.append("===")

    def _node_line(self, node: m.Claim | m.Evidence) -> tuple[str, dict[str, Any]]:
        """The element's text (escaped) and the YAML data it needs beyond what Argdown says natively."""
        wire = convert.unstructure(node)
        for key in (*m.CHILD_LISTS, "also_supports", "also_attacks", "id"):
            wire.pop(key, None)
        data: dict[str, Any] = {}
        if isinstance(node, m.Evidence):
            native_key = "quote" if node.quote else "text"
            data["kind"] = "quote" if node.quote else "evidence"
        else:
            native_key = "text"
            if isinstance(node, m.Assumption):
                data["kind"] = "assumption"
            if wire.pop("relation", None) == "attack":
                data["relation"] = "attack"  # said explicitly; '-' alone leaves it unsaid
        native = wire.pop(native_key, "")
        if " ".join(native.split()) != native:
            data[native_key] = native  # spacing Argdown would not keep
        tags = wire.pop("tags", [])
        tag_text = ""
        if tags and all(_SAFE_TAG.fullmatch(t) or _SAFE_BRACKETED_TAG.fullmatch(t) for t in tags) and len(set(tags)) == len(tags):
            tag_text = " ".join(f"#{t}" if _SAFE_TAG.fullmatch(t) else f"#({t})" for t in tags)
        elif tags:
            data["tags"] = tags
        data.update(wire)
        text = _escape(" ".join(native.split()))
        return (text + (" " + tag_text if tag_text else "")).strip(), data

    def _emit(self, indent: int, head: str, text: str, data: dict[str, Any]) -> None:
        """One element: the head and text wrapped, then its data, one key per line when long."""
        pad = " " * indent
        first = f"{pad}{head}{text}".rstrip()
        rest_pad = pad + "    "
        wrapped = textwrap.wrap(first, WIDTH, subsequent_indent=rest_pad, break_long_words=False,
                                break_on_hyphens=False) or [first]
        for i in range(1, len(wrapped)):
            body = wrapped[i][len(rest_pad):]
            if _ITEM_START.match(body):
                wrapped[i] = rest_pad + "\\" + body  # would read as a relation or a new item
        self.lines.extend(wrapped)
        if data:
            entries = [f"{_yaml_value(k)}: {_yaml_value(v)}" for k, v in data.items()]
            one = "{" + ", ".join(entries) + "}"
            if len(wrapped[-1]) + 1 + len(one) <= WIDTH:
                self.lines[-1] += " " + one
            elif len(rest_pad) + len(one) <= WIDTH:
                self.lines.append(rest_pad + one)
            else:
                for i, entry in enumerate(entries):
                    lead = "{" if i == 0 else " "
                    tail = "}" if i == len(entries) - 1 else ","
                    self.lines.extend(_fold(f"{rest_pad}{lead}{entry}{tail}", rest_pad + "  "))

    def _claim(self, node: m.Claim | m.Evidence, symbol: str, indent: int) -> None:
        text, data = self._node_line(node)
        title = f"[{_escape(node.id)}]: " if node.id else ""  # only evidence may have no id
        head = (symbol + " " if symbol else "") + title
        self._emit(indent, head, text, data)
        if isinstance(node, m.Evidence):
            return
        self._below(node, indent + 2)

    def _below(self, node: m.Claim, indent: int) -> None:
        """Cross-links, then the children, of ``node`` (each child one relation line)."""
        for target in node.also_supports:
            self.lines.append(" " * indent + f"+> [{_escape(target)}]")
        for target in node.also_attacks:
            self.lines.append(" " * indent + f"-> [{_escape(target)}]")
        for item in node.premises:
            if isinstance(item, m.Group):
                title = " + ".join(p.id for p in item.members)
                self.lines.append(" " * indent + f"+ <{_escape(title)}>")
                self.groups.append((node, item, title))
            else:
                self._claim(item, "+", indent)
        for child in (*node.assumptions, *node.evidence):
            self._claim(child, "+", indent)
        for child in (*node.objections, *node.rebuttals):
            self._claim(child, "_" if child.relation == "undercut" else "-", indent)

    def _group(self, parent: m.Claim, group: m.Group, title: str) -> None:
        """A linked group: an argument whose premise-conclusion structure concludes ``parent``."""
        self.lines.append("")
        self.lines.append(f"<{_escape(title)}> {{group: true}}")
        self.lines.append("")
        for i, member in enumerate(group.members, 1):
            text, data = self._node_line(member)
            self._emit(0, f"({i}) [{_escape(member.id)}]: ", text, data)
            self._below(member, 4)
        self.lines.append("----")
        self.lines.append(f"({len(group.members) + 1}) [{_escape(parent.id)}]")


def _dump_yaml(data: Mapping[str, Any]) -> str:
    """Block-style YAML for the front matter (ruamel.yaml; keys in the order given)."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(dict(data), buf)
    return buf.getvalue()


def dump_argdown(amap: ArgumentMap) -> str:
    """``amap`` as Argdown text that reads back into the same map."""
    return _Writer(amap).write()


FORMAT = Format(
    name="argdown",
    suffixes=(".argdown",),
    description="Argdown argument reconstructions (statements, arguments, relations, premise-conclusion structures)",
    load=load_argdown,
    dump=dump_argdown,
    unsatisfiable=(
        ("briefing.no-evidence", "Imported from Argdown, which backs claims with other claims, not with quoted evidence"),
    ),
)
