"""YAML that does not parse, explained in plain words on the line to change.

libyaml's messages name the parser's state ("did not find expected '-'
indicator while parsing a block collection") and often point at a line after
the one the author must change. When it gives up, :func:`explain` reads the
lines the way an author sees them — indentation, ``-`` items, ``key:`` lines —
and finds the first line that does not line up with its neighbours: a tab in
the indentation or after ``-``, a key indented more or less than its siblings,
a key at the column of its list's ``-``, a list item off the column its keys
show, a key dedented so far that it ended its mapping early. It says what is
wrong ("this key is indented 7 spaces; its siblings use 6") and how to fix it.

The parser blames the line where the structure stopped making sense, which is
often the *next* one: a block's first line sets its column, so when that first
line is the odd one, the lines after it look wrong. Where the lines around
agree with each other and with the usual two spaces per level, the one line
that differs is the one reported (tests/test_yaml_layout.py moves every line
of the ``init`` example one and two columns either way: each time the error is
on the moved line). Only when no layout mistake comes before the
parser's stopping point does it describe that point instead — still in its own
words, never the parser's.

The reading is deliberately simple (lines, not a second YAML parser): it only
runs on text libyaml has already refused, and it skips what it cannot judge
(block scalars, multi-line quotes and brackets, continued plain text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from attrs import define, frozen

#: ``key:`` at the start of a line's content (after any ``- ``), with the rest of the line.
_KEY = re.compile(r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)\s*:(?:[ \t]+(?P<value>.*))?$""")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")


@frozen
class Explanation:
    """What is wrong, where (1-based line and column) and how to fix it; ``layout`` for indentation mistakes."""

    line: int
    column: int
    message: str
    hint: str
    layout: bool


@define
class _Line:
    no: int  # 1-based
    indent: int  # spaces before the content
    dash: bool  # a list item ('- ...')
    key: str | None  # the key on the line (after '- ' for an item)
    key_col: int  # column (0-based) of the key, or of the content after '- '
    opens: bool  # 'key:' or '-' with nothing after: a nested block may follow
    inline: bool  # an inline plain value that deeper lines may continue
    closed_col: int | None = None  # the column of the blocks this line ended by being indented less

    @property
    def own_col(self) -> int:
        """The column deeper lines are measured against: the key's, else the '-''s."""
        return self.key_col if self.key is not None else self.indent


@define
class _Block:
    col: int
    kind: str  # "map" | "seq"
    last: _Line  # the member line seen last
    opener: _Line | None = None  # the '- key:' line that opened an item's mapping
    members: int = 1  # member lines seen so far
    compact: bool = False  # a list at the column of the key that holds it ('key:' then '- item' below it)
    holder: _Line | None = None  # the 'key:' line whose value this block is


class _Found(Exception):
    def __init__(self, explanation: Explanation) -> None:
        self.explanation = explanation


def explain(
    text: str, problem: str, problem_at: tuple[int, int] | None, context: str, context_at: tuple[int, int] | None
) -> Explanation:
    """Explain why libyaml refused ``text``: its ``problem`` at ``problem_at`` (0-based line, column)."""
    lines = text.splitlines()
    stop = problem_at[0] + 1 if problem_at else len(lines)
    try:
        _Walk(lines, stop).run()
    except _Found as found:
        return found.explanation
    return _at_parser(lines, problem, problem_at, context, context_at)


def _plural(n: int) -> str:
    return f"{n} space" + ("s" if n != 1 else "")


def _name(line: _Line) -> str:
    if line.key is None:
        return "the '-' item"
    return f"'{line.key.strip(chr(34) + chr(39))}'"


class _Walk:
    """Lines in, the first layout mistake out (as :class:`_Found`)."""

    def __init__(self, lines: list[str], stop: int) -> None:
        self.lines = lines
        self.stop = stop  # 1-based: the parser's stopping line; the mistake is at or before it

    def run(self) -> None:
        stack: list[_Block] = []
        pending: _Line | None = None  # a line that ended in 'key:' or '-': a nested block may follow
        emptied: tuple[_Line, _Line] | None = None  # such a line whose block never came, and the line after it
        last: _Line | None = None
        for ln in self.content_lines(self.stop):
            if not stack:
                stack.append(_Block(ln.indent, "seq" if ln.dash else "map", ln))
                self.member(stack, ln)
                pending, last = (ln if ln.opens else None), ln
                continue
            if pending is not None:
                compact = ln.indent == pending.own_col and ln.dash and pending.key is not None
                if ln.indent > pending.own_col or compact:
                    holder = pending if pending.key is not None else None
                    stack.append(_Block(ln.indent, "seq" if ln.dash else "map", ln, compact=compact, holder=holder))
                    self.member(stack, ln)
                    pending, last = (ln if ln.opens else None), ln
                    continue
                emptied, pending = (pending, ln), None  # the value was empty (or the line is not indented under it)
            if last is not None and last.inline and ln.indent > last.own_col and not ln.dash and ln.key is None:
                continue  # plain text going on from the line above
            top = stack[-1]
            if ln.indent > top.col:
                if len(stack) > 1:
                    self.first_line_odd(ln, top, stack[-2].col)
                if emptied is not None and emptied[1] is last:
                    self.not_under_its_key(ln, *emptied)
                self.too_deep(ln, last, stack)
            closed: _Block | None = None
            while stack and stack[-1].col > ln.indent:
                closed = stack.pop()
            if not stack:
                raise _Found(self.shallower_than_start(ln, closed))
            if closed is not None:
                ln.closed_col = closed.col
            top = stack[-1]
            if top.col < ln.indent:
                if closed is not None and closed.opener is not None:
                    self.item_off(ln, closed, top)
                self.dedented_too_far(ln, stack)
                self.between(ln, top, closed)
            if top.kind == "seq" and not ln.dash and top.compact:
                stack.pop()  # a key after a compact list, at its column: the list ended, the mapping goes on
                top = stack[-1]
            if top.kind == "seq" and not ln.dash:
                if closed is not None and closed.opener is not None:
                    self.item_off(ln, closed, top)
                self.key_at_dash(ln, top, closed)
            if top.kind == "map" and ln.dash:
                self.item_among_keys(ln, top, closed)
            top.last = ln
            top.members += 1
            self.member(stack, ln)
            pending, last = (ln if ln.opens else None), ln

    # -- reading lines --------------------------------------------------------------

    def content_lines(self, limit: int | None) -> Iterator[_Line]:
        """Every line that carries structure, up to line ``limit``; a tab in the indentation is a mistake."""
        skip_deeper_than: int | None = None
        open_until: str | None = None  # a quote or bracket that runs on over lines
        depth = 0
        for index, raw in enumerate(self.lines):
            no = index + 1
            if limit is not None and no > limit:
                return
            if open_until is not None:
                open_until, depth = _scan_open(raw, open_until, depth)
                continue
            stripped = raw.lstrip(" ")
            indent = len(raw) - len(stripped)
            if skip_deeper_than is not None:
                if not raw.strip() or indent > skip_deeper_than:
                    continue
                skip_deeper_than = None
            if not stripped.strip() or stripped.lstrip().startswith("#") or raw.startswith(("---", "...", "%")):
                continue
            if stripped[0] == "\t":
                raise _Found(self.tab_indent(no, indent, raw))
            line, value = self.parse(no, indent, stripped)
            if value is not None:
                owner = line.own_col if line.key is not None else line.indent
                if _BLOCK_SCALAR.match(value):
                    skip_deeper_than = owner
                elif value[:1] in "\"'[{":
                    open_until, depth = _scan_open(value, None, 0)
            yield line

    def parse(self, no: int, indent: int, content: str) -> tuple[_Line, str | None]:
        """One line's shape, and its value text (None when it has none)."""
        dash = content == "-" or content.startswith(("- ", "-\t"))
        col = indent
        rest = content
        if dash:
            after = content[1:]
            if after.lstrip(" ").startswith("\t"):
                raise _Found(self.tab_after_dash(no, indent + 1 + after.index("\t")))
            rest = after.lstrip(" ")
            col = indent + 1 + (len(after) - len(rest))
            if not rest or rest.startswith("#"):
                return _Line(no, indent, True, None, col, True, False), None
        m = _KEY.match(rest)
        if m and not rest.startswith(("\"", "'")) or m and m.group("key")[:1] in "\"'":
            value = (m.group("value") or "").strip()
            if value.startswith("#") or not value:
                return _Line(no, indent, dash, m.group("key"), col, True, False), None
            plain = value[:1] not in "\"'[{|>&*!"
            return _Line(no, indent, dash, m.group("key"), col, False, plain), value
        return _Line(no, indent, dash, None, col, False, True), rest

    def member(self, stack: list[_Block], ln: _Line) -> None:
        """A '- key: ...' item opens the item's mapping at its key's column."""
        if ln.dash and ln.key is not None:
            stack.append(_Block(ln.key_col, "map", ln, opener=ln))

    # -- the mistakes ----------------------------------------------------------------

    def tab_indent(self, no: int, spaces: int, raw: str) -> Explanation:
        return Explanation(
            no,
            spaces + 1,
            "this line is indented with a tab; YAML indentation must be spaces",
            "use spaces, not a tab" + self.sibling_hint(no),
            True,
        )

    def tab_after_dash(self, no: int, col: int) -> Explanation:
        return Explanation(no, col + 1, "a tab follows the '-' of this list item", "use a space after '-', not a tab", True)

    def sibling_hint(self, no: int) -> str:
        """How the nearest line above with content is indented, for a hint."""
        for index in range(no - 2, -1, -1):
            raw = self.lines[index]
            if raw.strip() and not raw.lstrip().startswith("#") and "\t" not in raw[: len(raw) - len(raw.lstrip())]:
                stripped = raw.lstrip(" ")
                col = len(raw) - len(stripped)
                if stripped.startswith("- "):
                    return f"; the '-' on line {index + 1} is indented {_plural(col)}"
                m = _KEY.match(stripped)
                if m and not (m.group("value") or "").split("#")[0].strip():
                    return f"; indent it deeper than '{m.group('key')}' on line {index + 1} ({_plural(col)})"
                if m:
                    return f"; '{m.group('key')}' on line {index + 1} is indented {_plural(col)}"
                return ""
        return ""

    def not_under_its_key(self, ln: _Line, opener: _Line, first: _Line) -> None:
        """``first`` should have been the first line under ``opener`` ('key:'), but is at its column;
        ``ln``, the line after it, is where the conventional two spaces put it."""
        if (first.key is not None and not first.dash and first.indent == opener.own_col and opener.key is not None
                and ln.key is not None and not ln.dash and ln.indent == opener.own_col + 2):
            raise _Found(
                Explanation(
                    first.no,
                    first.indent + 1,
                    f"this key is indented {_plural(first.indent)}, like {_name(opener)} on line {opener.no} above it; "
                    f"the keys after it (line {ln.no}) use {ln.indent}",
                    f"indent it {_plural(ln.indent)} to put it under {_name(opener)}",
                    True,
                )
            )

    def too_deep(self, ln: _Line, last: _Line | None, stack: list[_Block]) -> None:
        """``ln`` is deeper than the block it is in, and the line above cannot have children."""
        top = stack[-1]
        if top.opener is not None and last is top.opener and len(stack) > 1:
            self.item_off(ln, top, stack[-2])
        self.dedented_too_far(ln, stack)
        if top.kind == "map" and top.opener is not None and last is top.opener and ln.key is not None:
            under = self.item_underindented(ln, top, stack[-2] if len(stack) > 1 else None)
            if under is not None:
                raise _Found(under)
        if ln.dash:
            above = last or top.last
            raise _Found(
                Explanation(
                    ln.no,
                    ln.indent + 1,
                    f"this list item is indented deeper than {_name(above)} on line {above.no}, which already has a value",
                    f"to give {_name(above)} a list, leave its value empty ('{(above.key or '').strip()}:') with the items below it",
                    True,
                )
            )
        sibling = top.last
        if top.kind == "map":
            message = f"this key is indented {_plural(ln.indent)}; its siblings use {top.col}"
            hint = f"indent it {_plural(top.col)}, like {_name(sibling)} on line {sibling.no}"
        else:
            message = f"this line is indented {_plural(ln.indent)}; the items of its list use {top.col}"
            hint = f"indent it {_plural(top.col)} and start it with '- ', like line {sibling.no}"
        raise _Found(Explanation(ln.no, ln.indent + 1, message, hint, True))

    def item_underindented(self, ln: _Line, top: _Block, seq: _Block | None) -> Explanation | None:
        """The '- key:' line above is the one to fix when every key under it is deeper than its first key.

        ``ln`` is the item's second key, ``top`` the item's mapping (keys at ``top.col``).
        The keys that follow at ``ln``'s column, down to where the text dedents below
        the item, make a consistent block: then the '-' line is indented too little
        (one line to change), not all of them too much.
        """
        opener = top.opener
        assert opener is not None
        extra = ln.indent - top.col
        if extra % 2:
            return None  # one space (or three) off: a slip of the key, not a whole level the item lacks
        if seq is not None and seq.holder is not None and opener.indent - seq.holder.own_col == 2:
            return None  # the '-' is where two spaces under its key put it: the keys below are off, not the item
        following: list[_Line] = []
        try:
            following += (x for x in self.content_lines(None) if x.no > ln.no)
        except _Found:
            pass  # a later mistake: judge by the lines before it
        for x in following:
            if x.indent < ln.indent:
                if x.indent == top.col:
                    return None  # the item's keys go on at its own column: ``ln`` is the odd one
                break
            if x.indent == ln.indent and (x.key is None or x.dash):
                return None
        dash_now = opener.indent
        return Explanation(
            opener.no,
            dash_now + 1,
            f"this list item is indented {_plural(dash_now)}, but the keys under it (line {ln.no}) are indented "
            f"{ln.indent}, {extra} more than its first key",
            f"indent the '-' {_plural(dash_now + extra)}, so that {_name(opener)} lines up with {_name(ln)}",
            True,
        )

    def first_line_odd(self, ln: _Line, block: _Block, parent_col: int) -> None:
        """Report the block's first line when it alone is off and ``ln``, the second, sits where it should.

        A block's first line sets its column, so the parser blames the second line. When
        the second is where the conventional two spaces under the parent put it, the
        first is the odd one: that is the line to change.
        """
        first = block.last
        if (block.members == 1 and block.opener is None and first.key is not None and not first.dash
                and ln.key is not None and not ln.dash and ln.indent - parent_col == 2):
            raise _Found(
                Explanation(
                    first.no,
                    first.indent + 1,
                    f"this key is indented {_plural(first.indent)}; the keys after it (line {ln.no}) use {ln.indent}",
                    f"indent it {_plural(ln.indent)}, like {_name(ln)} on line {ln.no}",
                    True,
                )
            )

    def between(self, ln: _Line, top: _Block, closed: _Block | None) -> None:
        """``ln`` is indented between two levels: deeper than ``top``, shallower than the block just closed."""
        if closed is not None:
            self.first_line_odd(ln, closed, top.col)
        kind = "seq" if ln.dash else "map"
        levels = [b for b in (closed, top) if b is not None and b.kind == kind] or [b for b in (closed, top) if b]
        best = min(levels, key=lambda b: (abs(b.col - ln.indent), -b.col))
        if ln.dash:
            message = f"this list item is indented {_plural(ln.indent)}; the other items of its list use {best.col}"
        else:
            message = f"this key is indented {_plural(ln.indent)}; its siblings use {best.col}"
        hint = f"indent it {_plural(best.col)}, like {_name(best.last)} on line {best.last.no}"
        raise _Found(Explanation(ln.no, ln.indent + 1, message, hint, True))

    def item_off(self, ln: _Line, item: _Block, seq: _Block) -> None:
        """A '- key:' item line off its place, its keys below where two spaces under the list's key put them.

        ``item`` is the item's mapping (its first key on the '-' line), ``ln`` the item's
        next key, ``seq`` the list. The keys under an item set the item's column: when
        ``ln`` is where the convention puts them (the '-' two spaces under the key that
        holds the list, the keys two more), the '-' line is the one to change.
        """
        line = item.opener
        holder = seq.holder
        if line is None or item.members != 1 or holder is None or ln.key is None or ln.dash:
            return
        want = holder.own_col + 4
        if ln.indent != want or item.col == want:
            return
        raise _Found(
            Explanation(
                line.no,
                line.indent + 1,
                f"this list item is indented {_plural(line.indent)}, but the keys under it (line {ln.no}) are "
                f"indented {ln.indent}",
                f"indent the '-' {_plural(want - 2)}, two more than {_name(holder)}, so that {_name(line)} lines up "
                f"with {_name(ln)}",
                True,
            )
        )

    def dedented_too_far(self, ln: _Line, stack: list[_Block]) -> None:
        """An earlier key was indented less than its siblings, ending their mapping too soon: ``ln`` shows it.

        That key ended the blocks at ``ln``'s column (its ``closed_col``), and every line
        since has been deeper than it; now ``ln`` comes back to that column, where no open
        block is. The earlier key is the line to change.
        """
        if ln.key is None or ln.dash or any(b.col == ln.indent for b in stack):
            return
        for block in reversed(stack):
            early = block.last
            if early.closed_col == ln.indent and early.key is not None and not early.dash and early.no < ln.no:
                raise _Found(
                    Explanation(
                        early.no,
                        early.indent + 1,
                        f"this key is indented {_plural(early.indent)}, which ends the mapping above it; "
                        f"the keys after it (line {ln.no}) are indented {ln.indent}, like its siblings above",
                        f"indent it {_plural(ln.indent)}, like its siblings",
                        True,
                    )
                )

    def key_at_dash(self, ln: _Line, top: _Block, closed: _Block | None) -> None:
        """A key at the column of its list's '-': it left the item it belongs to."""
        if closed is not None and closed.kind == "map":
            opener = closed.opener or closed.last
            raise _Found(
                Explanation(
                    ln.no,
                    ln.indent + 1,
                    f"this key is indented {_plural(ln.indent)}, like the '-' of the list item on line {opener.no}; "
                    f"its siblings use {closed.col}",
                    f"indent it {_plural(closed.col)} to put it under that item, like {_name(closed.last)} on line "
                    f"{closed.last.no}; or start a new item with '- '",
                    True,
                )
            )
        raise _Found(
            Explanation(
                ln.no,
                ln.indent + 1,
                f"this line is in the list that starts at line {top.last.no}, but does not start with '-'",
                "start it with '- ' to make it an item, or indent it less to end the list",
                True,
            )
        )

    def item_among_keys(self, ln: _Line, top: _Block, closed: _Block | None) -> None:
        """A '-' item at the column of a mapping's keys."""
        if closed is not None and closed.kind == "seq":
            raise _Found(
                Explanation(
                    ln.no,
                    ln.indent + 1,
                    f"this list item is indented {_plural(ln.indent)}; the other items of its list use {closed.col}",
                    f"indent it {_plural(closed.col)}, like the item on line {closed.last.no}",
                    True,
                )
            )
        raise _Found(
            Explanation(
                ln.no,
                ln.indent + 1,
                f"this list item stands among keys (like {_name(top.last)} on line {top.last.no}), not under a key",
                "put the items under a key that holds a list ('premises:', 'evidence:', ...), indented more than it",
                True,
            )
        )

    def shallower_than_start(self, ln: _Line, closed: _Block | None) -> Explanation:
        col = closed.col if closed is not None else 0
        return Explanation(
            ln.no,
            ln.indent + 1,
            f"this line is indented {_plural(ln.indent)}, less than the file's first key ({col})",
            f"indent it {_plural(col)}",
            True,
        )


def _scan_open(text: str, open_: str | None, depth: int) -> tuple[str | None, int]:
    """Whether a quote or bracket is still open at the end of ``text`` (and the bracket depth)."""
    i = 0
    if open_ is None:
        open_ = text[0]
        i = 1
        depth = 1 if open_ in "[{" else 0
    quote = open_ if open_ in "\"'" else None
    while i < len(text):
        ch = text[i]
        if quote is not None:
            # An escape: a backslash in double quotes, a doubled quote in single quotes.
            if quote == '"' and ch == "\\" or quote == "'" and ch == "'" and text[i + 1 : i + 2] == "'":
                i += 2
                continue
            if ch == quote:
                quote = None
                if depth == 0:
                    return None, 0
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth <= 0:
                return None, 0
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        i += 1
    if quote is not None:
        return quote, depth
    return ("[" if depth > 0 else None), depth


# -- when no layout mistake explains it: the parser's stopping point, in plain words ----------


def _at_parser(
    lines: list[str], problem: str, at: tuple[int, int] | None, context: str, context_at: tuple[int, int] | None
) -> Explanation:
    line, col = (at[0] + 1, at[1] + 1) if at else (1, 1)
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    char = here[col - 1] if 0 < col <= len(here) else ""
    if "quoted scalar" in context and "end of stream" in problem and context_at:
        qline, qcol = context_at[0] + 1, context_at[1] + 1
        mark = lines[qline - 1][qcol - 1] if qline <= len(lines) and qcol <= len(lines[qline - 1]) else '"'
        return Explanation(qline, qcol, "this quoted text is never closed", f"close it with a second {mark} where the text ends", False)
    if "unexpected ':'" in problem:  # [putin-wants:P3]: in [ ] or { } a ':' ends a key, even with no space after it
        sline, scol = (context_at[0] + 1, context_at[1] + 1) if context_at else (line, col)
        text = re.match(r"[^,\]}]*", lines[sline - 1][scol - 1 :] if sline <= len(lines) else "")
        return Explanation(
            sline, scol, "inside [ ] or { } a ':' starts a key, so this text cannot hold one",
            f"put it in quotes, \"{text[0].strip() if text else ''}\", or write the list one '- ' item per line", False,
        )
    if "Unicode character escape" in problem:  # "\ud800": a half of a surrogate pair, or past U+10FFFF
        return Explanation(
            line, col, "this \\u or \\U escape names no character (a surrogate half, U+D800 to U+DFFF, or past U+10FFFF)",
            "write the character itself instead", False,
        )
    if "escape" in problem:
        return Explanation(
            line, col, "a backslash in double quotes starts an escape that YAML does not know",
            "write \\\\ for a backslash, or use single quotes ('...'), where a backslash is plain text", False,
        )
    if char == "\t":
        return Explanation(line, col, "a tab here cannot separate parts of the line", "use spaces, not a tab", True)
    if "mapping values" in problem:
        m = _KEY.match(here.lstrip(" -"))
        if m and m.group("value") and ":" in m.group("value"):
            key = m.group("key")
            return Explanation(
                line, col, f"the value of '{key}' holds ': ', which starts a key in YAML",
                f"put the value in quotes: {key}: \"{m.group('value').strip()}\"", False,
            )
        return Explanation(
            line, col, "this line has ': ' where no key can start",
            "line it up with the keys it belongs with, or quote a value that holds ': '", False,
        )
    if "could not find expected ':'" in problem:
        where = context_at or at
        wline = where[0] + 1 if where else line
        return Explanation(
            wline, 1, "this line has no ':' after its key",
            "write 'key: value'; text that goes on from the line above is indented more than its key", False,
        )
    if "flow" in context or "','" in problem:
        fline, fcol = (context_at[0] + 1, context_at[1] + 1) if context_at else (line, col)
        return Explanation(
            fline, fcol, "this list in [ ] or mapping in { } is not closed, or its items are not separated by commas",
            "close it on the line it starts, and quote an item that holds ',', ']' or '}'", False,
        )
    if "cannot start any token" in problem and char:
        return Explanation(line, col, f"a value cannot start with '{char}'", "put the value in quotes", False)
    if "alias" in problem or "anchor" in problem:
        return Explanation(line, col, "'*' or '&' starts a YAML alias or anchor here", "put the value in quotes", False)
    return Explanation(
        line, col, "YAML cannot read this line",
        "check its indentation against the lines above, and that every quote and bracket is closed", False,
    )
