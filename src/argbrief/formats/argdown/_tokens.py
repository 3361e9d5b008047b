"""The Argdown tokenizer: text -> front matter and blocks of items (frozen), plus the text helpers.

Argdown is line based.  The tokenizer

1. splits off the YAML front matter (between ``===`` lines at the top), which is
   read as it is, before comments and tabs are touched;
2. blanks out comments (``//``, ``/* */``, ``<!-- -->``) with spaces, keeping
   lines and columns, and never inside YAML data ``{...}``;
3. cuts the rest into blocks at blank lines (a blank line inside YAML data does
   not end a block; a line that held only a comment is not blank);
4. cuts each block into items: a line that starts a relation (``+ - _ ><`` with
   ``<``/``>``), a numbered premise ``(1)``, an inference (``----``,
   ``-- rule --``) or a list item begins one, any other line continues the item
   above.

The parser (``_parser.py``) gives the items their meaning.  The helpers below
them — :func:`clean_text`, :func:`data_spans`, the tag and escape patterns —
are shared by the parser and the writer.
"""

from __future__ import annotations

import re

from attrs import frozen

from ...diagnostics import Diagnostic
from ...model import SourceSpan

# --- lexical patterns ------------------------------------------------------------------------

RELATION = re.compile(r"(<\+|\+>|<-|->|<_|_>|><|\+|-|_)(?=\s|$)")
PCS_NUMBER = re.compile(r"\((\d+)\)(?=\s|$)")
HYPHENS = re.compile(r"-{2,}\s*$")
INLINE_INFERENCE = re.compile(r"--+\s*(.*?)\s*--+\s*$")
HEADING = re.compile(r"(#{1,6})\s+(.*)$")
LIST_ITEM = re.compile(r"(\*|\d+\.)\s+")
LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)]*)\)")
TAG = re.compile(r"(?<![^\s(])#(?:\(([^)]*)\)|([\w-]+))")
ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_EMPHASIS = [
    re.compile(r"(?<![\w\\*])\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*(?![\w*])", re.DOTALL),
    re.compile(r"(?<![\w\\_])___(?=\S)(.+?)(?<=\S)___(?![\w_])", re.DOTALL),
    re.compile(r"(?<![\w\\*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])", re.DOTALL),
    re.compile(r"(?<![\w\\_])__(?=\S)(.+?)(?<=\S)__(?![\w_])", re.DOTALL),
    re.compile(r"(?<![\w\\*])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])", re.DOTALL),
    re.compile(r"(?<![\w\\_])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?![\w_])", re.DOTALL),
]

#: Argdown's shortcodes: ``:heart:`` or ``.heart.`` in a text is "❤" (argdown-core's shortcodes.ts, MIT).
SHORTCODES: dict[str, str] = {
    "A": "∀", "E": "∃", "O": "𝗢", "P": "𝗣", "->": "→", "<->": "↔", "~": "¬", "^": "∧", "v": "∨", "v_": "⊻",
    "<>": "◇", "[]": "◻", "happy": "😀", "smiley": "☺", "laugh": "😆", "lol": "😆", "rofl": "🤣", "joy": "😂",
    "heart": "❤", "?": "❓", "question": "❓", "love": "😍", "wink": "😉", "shush": "🤫", "meh": "😐",
    "eye-roll": "🙄", "sad": "😢", "disappointed": "😞", "scream": "😱", "+1": "👍", "up": "👍", "-1": "👎",
    "down": "👎", "think": "🤔", "star": "⭐", "y": "✔", "agree": "✔", "n": "❌", "disagree": "❌",
}
_SMILE = {":": "☺️", ".": "☺"}  # the one code whose two spellings differ
#: A shortcode where Argdown's lexer would see one (leftmost first; an escaped character is skipped).
SHORTCODE = re.compile(r"\\.|\.\S+?\.|:\S+?:", re.DOTALL)


def _shortcode(mt: re.Match[str]) -> str:
    code = mt.group(0)
    if code.startswith("\\"):
        return code
    name = code[1:-1]
    return _SMILE[code[0]] if name == "smile" else SHORTCODES.get(name, code)


_BRACE_TOKEN = re.compile(r"""\\(?:.|$)|[{}"']""", re.DOTALL)
_DOUBLE_QUOTED_END = re.compile(r'\\(?:.|$)|"', re.DOTALL)
_TOP_TOKEN = re.compile(r"\\(?:.|$)|<!--|/\*|(?<!\S)//|\{", re.DOTALL)


def clean_text(text: str) -> str:
    """Argdown inline markup to plain text: links to their text, emphasis dropped, shortcodes made
    characters, escapes resolved."""
    text = LINK.sub(lambda mt: mt.group(1), text)
    for pattern in _EMPHASIS:
        text = pattern.sub(lambda mt: mt.group(1), text)
    text = SHORTCODE.sub(_shortcode, text)
    text = ESCAPE.sub(lambda mt: mt.group(1), text)
    return " ".join(text.split())


def unescape(text: str) -> str:
    """Backslash escapes resolved (``\\[`` -> ``[``)."""
    return ESCAPE.sub(lambda mt: mt.group(1), text)


# --- YAML data and comments ---------------------------------------------------------------


class _Braces:
    """Where YAML data elements ``{...}`` open and close, fed text piece by piece.

    Braces inside YAML quotes do not count, and a quote opens only where a YAML
    scalar can start (after ``{``, ``[``, ``,`` or ``:``), so the apostrophe in
    ``{note: it's}`` is a letter; a backslash escapes the next character
    (outside single quotes, where ``''`` is the escape).  Text between the
    characters that matter is skipped with regular expressions, so long lines
    cost little.  (A scanner, so it has state: it is fed a block line by line.)
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


def data_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each closed ``{...}`` in ``text``."""
    return [(a, b) for a, b in _scan(text, comments=False)[1] if text[b - 1] == "}"]


# --- tokens ---------------------------------------------------------------------------------


@frozen
class Item:
    """One item of a block: where it starts, what starts it, and its text (continuation lines included)."""

    kind: str  # "element" | "relation" | "pcs" | "inference" | "list"
    symbol: str  # the relation symbol, for relations
    indent: int
    line: int
    col: int  # where the item's text starts
    text: str
    number: int = 0  # a premise's number, for "pcs"


@frozen
class Block:
    """Lines between blank lines: a heading, a premise-conclusion structure, or a relation tree."""

    kind: str  # "heading" | "pcs" | "tree"
    line: int
    items: tuple[Item, ...] = ()
    level: int = 0  # a heading's level (the number of '#')
    heading: str = ""  # a heading's raw text (data and tags still in it)


@frozen
class Tokens:
    """A whole Argdown text, tokenized."""

    #: The front matter's YAML, preceded by as many newlines as lines before it (so positions stay); "" if none.
    front: str = ""
    front_line: int = 0  # the line of the opening '===' (0: no front matter)
    blocks: tuple[Block, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def tokenize(text: str, name: str) -> Tokens:
    """The front matter and blocks of ``text`` (shown as ``name`` in diagnostics)."""
    diags: list[Diagnostic] = []

    def syntax(message: str, line: int, col: int) -> None:
        diags.append(Diagnostic(code="argdown.syntax", message=message, span=SourceSpan(name, line, col)))

    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, front, front_line = _front_matter(raw, syntax)
    text = "\n".join([""] * start + raw[start:]).expandtabs(4)
    masked, _regions, unclosed = _scan(text, comments=True)
    for offset in unclosed:
        line = text.count("\n", 0, offset) + 1
        syntax("a comment is never closed; the rest of the file is ignored", line, offset - text.rfind("\n", 0, offset))
    lines = masked.split("\n")
    # Lines that held only a comment are not blank lines: they do not end a block.
    comment_only = {i for i, (a, b) in enumerate(zip(text.split("\n"), lines)) if a.strip() and not b.strip()}

    blocks: list[Block] = []
    block: list[tuple[int, str]] = []
    braces = _Braces()
    for i in range(start, len(lines)):
        line = lines[i]
        if i in comment_only:
            continue
        if line.strip() or (block and braces.depth):  # a blank line inside YAML data does not end a block
            block.append((i + 1, line))
            braces.feed(line + "\n")
        elif block:
            blocks.append(_block(block, syntax))
            block, braces = [], _Braces()
    if block:
        blocks.append(_block(block, syntax))
    return Tokens(front=front, front_line=front_line, blocks=tuple(blocks), diagnostics=tuple(diags))


def _front_matter(lines: list[str], syntax) -> tuple[int, str, int]:
    """The first line after the front matter, its YAML (positioned) and the line of its opening '==='."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].rstrip() != "===":
        return 0, "", 0
    end = next((i for i in range(first + 1, len(lines)) if lines[i].rstrip() == "==="), None)
    if end is None:
        syntax("the front matter ('===') is never closed", first + 1, 1)
        return len(lines), "", 0
    return end + 1, "\n" * (first + 1) + "\n".join(lines[first + 1:end]), first + 1


def _block(block: list[tuple[int, str]], syntax) -> Block:
    lineno, first = block[0]
    stripped = first.strip()
    heading = HEADING.match(stripped)
    if heading:  # a heading runs to the end of its block
        whole = HEADING.match(" ".join(line.strip() for _, line in block))
        return Block(kind="heading", line=lineno, level=len(whole.group(1)), heading=whole.group(2))
    if PCS_NUMBER.match(stripped) or (HYPHENS.match(stripped) and len(block) > 1):
        return Block(kind="pcs", line=lineno, items=_items(block, True, syntax))
    return Block(kind="tree", line=lineno, items=_items(block, False, syntax))


def _items(block: list[tuple[int, str]], pcs: bool, syntax) -> tuple[Item, ...]:
    """The block's items: a line that starts a relation, a premise, an inference or a list item
    begins one; any other line continues the item above (so do all lines inside YAML data)."""
    starts: list[Item] = []
    texts: list[list[str]] = []  # each item's lines, joined when the block is done
    braces = _Braces()
    pending_inference = False  # inside an expanded inference: rules and data until the next hyphen line

    def start(item: Item) -> None:
        nonlocal braces
        starts.append(item)
        texts.append([item.text])
        braces = _Braces()
        braces.feed(item.text)

    def extend(line: str) -> None:
        texts[-1].append(line)
        braces.feed("\n" + line)

    for idx, (lineno, line) in enumerate(block):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        col = indent + 1
        if starts and (braces.depth or pending_inference):
            extend(line)
            if pending_inference and HYPHENS.match(stripped):
                pending_inference = False
            continue
        numbered = PCS_NUMBER.match(stripped) if pcs else None
        if numbered:
            start(Item("pcs", "", indent, lineno, col, stripped[numbered.end():], int(numbered.group(1))))
            continue
        if pcs and (INLINE_INFERENCE.match(stripped) or HYPHENS.match(stripped)):
            following = block[idx + 1][1].lstrip() if idx + 1 < len(block) else ""
            if HYPHENS.match(stripped) and not PCS_NUMBER.match(following):
                pending_inference = True
                start(Item("inference", "", indent, lineno, col, ""))
                continue
            inline = INLINE_INFERENCE.match(stripped)
            content = inline.group(1) if inline and not HYPHENS.match(stripped) else ""
            start(Item("inference", "", indent, lineno, col, content))
            continue
        rel = RELATION.match(stripped)
        if rel and (starts or pcs):
            start(Item("relation", rel.group(1), indent, lineno, col + len(rel.group(0)), stripped[rel.end():]))
            continue
        bullet = LIST_ITEM.match(stripped)
        if bullet and not pcs and (not starts or (starts[0].kind == "list" and indent <= starts[0].indent)):
            start(Item("list", "", indent, lineno, col + bullet.end(), stripped[bullet.end():]))
            continue
        if not starts:
            if rel:
                syntax(f"relation '{rel.group(1)}' has no element above it to relate to; read as text", lineno, col)
            start(Item("element", "", indent, lineno, col, stripped))
            continue
        extend(line)
    return tuple(Item(s.kind, s.symbol, s.indent, s.line, s.col, "\n".join(t), s.number) for s, t in zip(starts, texts))
