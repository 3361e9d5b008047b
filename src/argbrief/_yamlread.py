"""Located, safe, bounded YAML reading.

The YAML is read as a stream of parser events (libyaml through
ruamel.yaml.clib when available) and turned into plain data in one iterative
pass.  Nothing is ever constructed from a tag, so no YAML can run code; there
is no recursion, so no nesting can overflow the stack; aliases are shared, not
copied, and what they expand to is counted — in values and in characters —
so an alias bomb is refused instead of filling memory (or the memory of
whatever later turns the values into text: a key, a DOT source, a page).

Every mapping gets two extra keys: ``__span__`` (where the mapping starts) and
``__spans__`` (where each key's value starts; where the key itself starts as
``key.__key__``; where each item of a list value starts as ``key.N``; where
each value of a mapping value starts as ``key.name``; where a value that was
reported and left out was, as ``key.__invalid__``).  The converter turns
those into the model's ``span``/``spans`` fields.

Scalars become ``str``, ``bool`` or ``None``: argbrief's format has no
numbers, so a plain ``1.50`` stays the text ``"1.50"`` instead of becoming
the float 1.5 and losing its spelling.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ._upstream import ALIAS, DOCUMENT, END, MAPPING, SCALAR, SEQUENCE, event_tuple, yaml_event_tuples
from .bidi import describe, find_bidi_control, show_bidi_controls
from .diagnostics import Diagnostic
from .model import SourceSpan

try:
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - ruamel.yaml.clib missing (PyPy)
    CParser = None

#: Limits. Real maps are far below each (the demo's largest file is 20 KB, 9 levels deep).
MAX_BYTES = 16 * 1024 * 1024  # a file
MAX_DEPTH = 100  # nested collections (a claim level is two: its list and its mapping)
MAX_NODES = 500_000  # scalars and collections, aliases counted as what they expand to
#: Characters of all scalars (keys too), aliases counted as what they expand to. Without
#: aliases a file cannot exceed it (it is the byte limit); only aliases can.
MAX_CHARS = MAX_BYTES
MAX_TEXT = 20_000  # characters in one text value (a long quote is ~1,000)
MAX_REPORTED_CHARS = 10  # control characters reported one by one before summing up

SPAN = "__span__"
SPANS = "__spans__"
#: Marks a key whose value was reported and left out (``key.__invalid__`` in ``__spans__``).
INVALID = "__invalid__"

_STD = "tag:yaml.org,2002:"
# Explicit tags that only say what plain YAML says anyway; every other tag is refused.
_HARMLESS_TAGS = {"!", _STD + "str", _STD + "map", _STD + "seq", _STD + "null", _STD + "bool"}
# What YAML itself refuses to read (outside its printable set), reported with a location.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Inside values, after escapes are applied: everything but tab and newline (and CR of CRLF).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.M)  # a line that is not blank or a comment
# YAML 1.2 core schema, less numbers (argbrief has none): what plain scalars other than text mean.
_PLAIN_VALUES: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
_PLAIN_MAX = max(map(len, _PLAIN_VALUES))  # longer plain scalars are text: not looked up (nor hashed)

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _events(text: str, tuples: bool) -> Iterator[Any]:
    """The parser events of ``text``: libyaml's (ruamel.yaml.clib) when there, else pure Python.

    ``tuples``: the events come as the tuples of :func:`._upstream.yaml_event_tuples`
    (inside it); else as ruamel.yaml's event objects, turned into the same tuples here.
    """
    if CParser is not None:
        # iter(callable, sentinel) runs in C: no generator frame per event.
        events = iter(CParser(text).get_event, None)
    else:  # pragma: no cover - clib missing
        events = YAML(typ="safe", pure=True).parse(text)
    return events if tuples else map(event_tuple, events)


def decode(data: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text, or a located diagnostic saying why not."""
    if len(data) > MAX_BYTES:
        return None, [
            Diagnostic(
                code="input.too-large",
                message=f"file is over the limit of {MAX_BYTES:,} bytes",
                span=SourceSpan(name, 1, 1),
                hint="split it into several maps",
            )
        ]
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return None, [
                Diagnostic(
                    code="input.not-utf8",
                    message=f"file is {encoding} text (it starts with a {encoding} byte-order mark)",
                    span=SourceSpan(name, 1, 1),
                    hint="save the file as UTF-8",
                )
            ]
    if b"\x00" in data:
        return None, [
            _at_offset("input.binary", "file contains NUL bytes: binary data, not text", data, data.index(b"\x00"), name)
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            _at_offset(
                "input.not-utf8",
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x})",
                data,
                exc.start,
                name,
                hint="save the file as UTF-8",
            )
        ]
    return text, []


def _at_offset(code: str, message: str, data: bytes, offset: int, name: str, hint: str = "") -> Diagnostic:
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    col = len(before[start:].decode("utf-8", "replace")) + 1
    return Diagnostic(code=code, message=message, span=SourceSpan(name, line, col), hint=hint)


def read_yaml(text: str, name: str) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text to plain located data; ``(None, diags)`` when it cannot be read."""
    if not _CONTENT.search(text):
        return None, [Diagnostic(code="input.empty", message="file is empty", span=SourceSpan(name, 1, 1), hint=_EMPTY_HINT)]
    try:
        return _read(text, name)
    except ReaderError as exc:
        # A character YAML refuses (the parser gives only an offset): report each one
        # located, then read on with each replaced, to find the other problems too.
        diags = _unprintable(text, name) or [_refused(exc, text, name)]
        try:
            data, more = _read(_UNPRINTABLE.sub("\ufffd", text), name)
        except ReaderError:  # pragma: no cover - the reader refuses what the scan allows
            return None, diags
        return data, diags + more


def _refused(exc: ReaderError, text: str, name: str) -> Diagnostic:  # pragma: no cover - a safety net
    at = max(0, min(getattr(exc, "position", 0) or 0, len(text)))
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return Diagnostic(code="yaml.syntax", message=f"unreadable text: {exc.reason}", span=SourceSpan(name, line, col))


def _read(text: str, name: str) -> tuple[Any, list[Diagnostic]]:
    builder = _Builder(name)
    try:
        # Plain tuples, not event objects, from libyaml: a third of its time (docs/performance.md).
        with yaml_event_tuples() as tuples:
            data = builder.run(_events(text, tuples and CParser is not None))
    except _Stop as stop:
        return None, builder.diags + [stop.diagnostic]
    except MarkedYAMLError as exc:
        return None, [_syntax_error(exc, name, text)]
    except ReaderError:
        raise  # read_yaml locates these
    except YAMLError as exc:  # pragma: no cover - libyaml marks its errors; a safety net
        first = (str(exc).splitlines() or ["invalid YAML"])[0]
        return None, [Diagnostic(code="yaml.syntax", message=f"invalid YAML: {first}", span=SourceSpan(name, 1, 1))]
    if data is _SKIP:  # a tagged document: reported already
        return None, builder.diags
    if data is _NOTHING or data is None:
        return None, [
            Diagnostic(
                code="input.empty",
                message="file has no content, only an empty document",
                span=SourceSpan(name, 1, 1),
                hint=_EMPTY_HINT,
            )
        ]
    return data, builder.diags


def _syntax_error(exc: MarkedYAMLError, name: str, text: str) -> Diagnostic:
    """Why the parser gave up, in plain words, on the line to change (:mod:`._yamllayout`)."""
    from ._yamllayout import explain  # only when a file does not parse

    def at(mark: Any) -> tuple[int, int] | None:
        return (mark.line, mark.column) if mark is not None else None

    found = explain(text, exc.problem or "", at(exc.problem_mark), exc.context or "", at(exc.context_mark))
    return Diagnostic(
        code="yaml.indentation" if found.layout else "yaml.syntax",
        message=found.message,
        span=SourceSpan(name, found.line, found.column),
        hint=found.hint,
    )


_EMPTY_HINT = "a map file starts with 'map: <id>', a pack file with 'pack: <id>'"


def _unprintable(text: str, name: str) -> list[Diagnostic]:
    """Characters YAML refuses to read, each located (the parser would only give an offset)."""
    found = list(_UNPRINTABLE.finditer(text))
    out: list[Diagnostic] = []
    for match in found[:MAX_REPORTED_CHARS]:
        at = match.start()
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        out.append(
            Diagnostic(
                code="input.control-char",
                message=f"the file contains the control character U+{ord(match.group()):04X}",
                span=SourceSpan(name, line, col),
                hint="remove it; only tab and line breaks are allowed",
            )
        )
    if len(found) > MAX_REPORTED_CHARS:
        out[-1] = Diagnostic(
            code=out[-1].code,
            message=out[-1].message,
            span=out[-1].span,
            hint=f"and {len(found) - MAX_REPORTED_CHARS} more; is this a text file?",
        )
    return out


def _too_large(where: SourceSpan, chars: bool = False) -> Diagnostic:
    what = f"{MAX_CHARS:,} characters" if chars else f"{MAX_NODES:,} values"
    return Diagnostic(
        code="input.too-large",
        message=f"the document expands to more than {what}",
        span=where,
        hint="are aliases (*name) nested inside each other?",
    )


#: Where something starts: a SourceSpan, or the parser's own mark (0-based ``line`` and ``column``)
#: in the file being read.
Where = SourceSpan | Any


def _span_at(file: str, where: Where) -> SourceSpan:
    return where if isinstance(where, SourceSpan) else SourceSpan(file, where.line + 1, where.column + 1)


class Spans(Mapping[str, SourceSpan]):
    """Where each key of one mapping was written, as :class:`SourceSpan` values.

    The reader stores the parser's marks and this makes the SourceSpan when
    one is asked for: a big map has tens of thousands of spans and diagnostics
    look at a handful.  Read-only, like the model it is part of; ``raw`` is the
    reader's and converter's own table.
    """

    __slots__ = ("file", "raw")

    def __init__(self, file: str, raw: dict[str, Where] | None = None) -> None:
        self.file = file
        self.raw: dict[str, Where] = {} if raw is None else raw

    def __getitem__(self, key: str) -> SourceSpan:
        where = self.raw[key]
        return _span_at(self.file, where)

    def get(self, key: str, default: Any = None) -> Any:  # faster than Mapping's try/except
        where = self.raw.get(key)
        if where is None:
            return default
        return _span_at(self.file, where)

    def __contains__(self, key: object) -> bool:
        return key in self.raw

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __repr__(self) -> str:
        return f"Spans({self.file!r}, {len(self.raw)} keys)"


class _Stop(Exception):
    """Reading cannot go on (too deep, too big, a second document)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


class _Skip:
    """Marks a value that was reported and must be left out (a tagged value, a bad key)."""


_SKIP = _Skip()
_RESERVED = frozenset({SPAN, SPANS})
_NOTHING = _Skip()  # no document at all
# Pending-key markers of a mapping frame.
_BAD_KEY = "\x00bad-key"
_DUP_KEY = "\x00duplicate-key"


class _Frame:
    """A collection being read: its value so far and, for a mapping, the key waiting for its value."""

    __slots__ = ("value", "start", "spans", "items", "key", "key_span", "first", "first_chars", "anchor", "skip")

    def __init__(self, is_map: bool, start: Where, first: int, first_chars: int, anchor: str | None, skip: bool) -> None:
        self.value: Any = {SPAN: start} if is_map else []
        self.start = start
        self.spans: dict[str, Where] | None = {} if is_map else None  # a mapping's spans
        self.items: list[Where] | None = None if is_map else []  # a sequence's item spans
        self.key: str | None = None
        self.key_span = start
        self.first = first  # the value count when it started: its size is the difference
        self.first_chars = first_chars  # the character count when it started
        self.anchor = anchor
        self.skip = skip


class _Builder:
    """Events -> plain located data, in one loop with an explicit stack.

    This loop is the hot path of ``argbrief check`` on big maps (a 10,000-node
    map is 85,000 events), hence the inlined common cases and local names.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.diags: list[Diagnostic] = []
        #: anchor -> (value, values it expands to, characters it expands to)
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.root: Any = _NOTHING

    def span(self, mark: Any) -> SourceSpan:
        return SourceSpan(self.name, mark.line + 1, mark.column + 1)

    def at(self, where: Where) -> SourceSpan:
        return _span_at(self.name, where)

    def run(self, events: Iterator[Any]) -> Any:
        """Read every event; returns the document's value (``_NOTHING`` when there is none)."""
        stack: list[_Frame] = []
        top: _Frame | None = None  # stack[-1] while the stack is not empty
        name = self.name
        documents = 0
        plain_values = _PLAIN_VALUES
        plain_max = _PLAIN_MAX
        # Values and characters read so far, an alias counting as what it expands to (the alias-bomb guard).
        count = 0
        chars = 0
        for ev in events:
            kind = ev[0]  # OTHER (stream start and end, document end): nothing to read
            if kind == SCALAR:
                _, text, where, anchor, tag, implicit, style = ev
                count += 1
                chars += len(text)
                # ``where`` is the parser's mark as it is, not a SourceSpan: most are never looked
                # at, and making 70,000 objects is a tenth of reading a big map. Spans makes them on demand.
                if count > MAX_NODES:
                    raise _Stop(_too_large(self.at(where)))
                value = text
                if tag is not None:
                    value = self.tagged_scalar(str(tag), text, where)
                elif implicit[0] and len(text) <= plain_max:  # plain: null, true/false, or text
                    value = plain_values.get(text, text)
                if value.__class__ is str:
                    if len(value) > MAX_TEXT:
                        value = self.too_long(value, where)
                    elif style == '"' and _CONTROL.search(value):
                        # Only escapes ("\x07") can put a control character in a value:
                        # raw ones were refused by the reader.
                        value = self.control(value, where)
                    if not value.isascii() and (bidi := find_bidi_control(value)):
                        self.bidi(bidi, where)
                if top is not None and anchor is None:
                    # The common cases, inlined: a key, a mapping's value, a list item.
                    spans = top.spans
                    if spans is None:
                        if value is not _SKIP:
                            top.value.append(value)
                            top.items.append(where)  # type: ignore[union-attr]
                        continue
                    key = top.key
                    if key is None:
                        if value.__class__ is str and value not in top.value and value not in _RESERVED:
                            top.key = value
                            top.key_span = where
                            continue
                    elif key is not _BAD_KEY and key is not _DUP_KEY and value is not _SKIP:
                        top.key = None
                        spans[key + ".__key__"] = top.key_span
                        spans[key] = where
                        top.value[key] = value
                        continue
                self.add(stack, value, where, 1, anchor, chars=len(text))
            elif kind == END:
                frame = stack.pop()
                top = stack[-1] if stack else None
                if frame.spans is not None:
                    frame.value[SPANS] = Spans(name, frame.spans)
                if top is not None and top.items is not None and frame.anchor is None and not frame.skip:
                    # The common case, inlined: a mapping (a claim) that is an item of a list.
                    top.value.append(frame.value)
                    top.items.append(frame.start)
                    continue
                value = _SKIP if frame.skip else frame.value
                self.add(stack, value, frame.start, count - frame.first + 1, frame.anchor, frame, chars=chars - frame.first_chars)
            elif kind == MAPPING or kind == SEQUENCE:
                _, mark, anchor, tag = ev
                count += 1
                is_map = kind == MAPPING
                # A mapping's start is its __span__, for the model; a list's stays the parser's mark.
                start = SourceSpan(name, mark.line + 1, mark.column + 1) if is_map else mark
                if len(stack) >= MAX_DEPTH:
                    raise _Stop(
                        Diagnostic(
                            code="input.too-deep",
                            message=f"nested deeper than {MAX_DEPTH} levels",
                            span=self.at(start),
                            hint="is a bracket or an indent out of place?",
                        )
                    )
                skip = tag is not None and not self.tag_ok(str(tag), _STD + ("map" if is_map else "seq"), start)
                top = _Frame(is_map, start, count, chars, anchor, skip)
                stack.append(top)
            elif kind == ALIAS:
                _, mark, anchor = ev
                where = self.span(mark)
                if anchor in self.anchors:
                    value, size, length = self.anchors[anchor]
                    count += size
                    chars += length
                    if count > MAX_NODES or chars > MAX_CHARS:
                        raise _Stop(_too_large(where, chars=count <= MAX_NODES))
                    self.add(stack, value, where, size, None)
                else:
                    count += 1
                    self.diags.append(Diagnostic(code="yaml.syntax", message=f"unknown alias '*{anchor}'", span=where))
                    self.add(stack, _SKIP, where, 1, None)
            elif kind == DOCUMENT:
                documents += 1
                if documents > 1:
                    raise _Stop(
                        Diagnostic(
                            code="yaml.syntax",
                            message="file holds more than one YAML document",
                            span=self.span(ev[1]),
                            hint="one map or pack per file; remove the '---' line",
                        )
                    )
        return self.root

    def add(
        self,
        stack: list[_Frame],
        value: Any,
        where: Where,
        size: int,
        anchor: str | None,
        child: _Frame | None = None,
        *,
        chars: int = 0,
    ) -> None:
        """Put a finished value (``size`` values and ``chars`` characters big, for aliases to it) where it belongs."""
        if anchor:
            self.anchors[anchor] = (value, size, chars)
        if not stack:
            self.root = value
            return
        parent = stack[-1]
        if parent.items is not None:  # a sequence
            if value is not _SKIP:
                parent.value.append(value)
                parent.items.append(where)
            return
        spans = parent.spans
        assert spans is not None
        key = parent.key
        if key is None:  # this value is a key
            parent.key = self.key(value, where, spans, child)
            parent.key_span = where
            return
        parent.key = None
        if key is _BAD_KEY or key is _DUP_KEY:
            return
        if value is _SKIP:  # reported: mark it, so that it is not reported missing as well
            spans[f"{key}.{INVALID}"] = where
            return
        spans[key + ".__key__"] = parent.key_span
        spans[key] = where
        if child is not None:
            if child.items is not None:
                # List items that are mappings carry their own __span__; the others get key.N.
                for i, (item, item_span) in enumerate(zip(child.value, child.items)):
                    if item.__class__ is not dict:
                        spans[f"{key}.{i}"] = item_span
            elif child.spans:
                # Values of plain-string mappings (answers, sources) get spans too.
                for k2, s2 in child.spans.items():
                    if "." not in k2:
                        spans[f"{key}.{k2}"] = s2
        parent.value[key] = value

    def key(self, value: Any, where: Where, spans: dict[str, Where], child: _Frame | None) -> str:
        """The name of a mapping key, or a marker saying its value is to be left out."""
        if child is not None or value is _SKIP:
            if child is not None:
                shape = "a list" if child.items is not None else "a mapping"
                self.diags.append(
                    Diagnostic(code="schema.wrong-type", message=f"a key must be a plain name, not {shape}", span=self.at(where))
                )
            return _BAD_KEY
        if value.__class__ is list or value.__class__ is dict:
            # An alias used as a key (``{*k : v}``): never turn what it expands to into text.
            shape = "a list" if value.__class__ is list else "a mapping"
            self.diags.append(
                Diagnostic(
                    code="schema.wrong-type",
                    message=f"a key must be a plain name, not an alias to {shape}",
                    span=self.at(where),
                )
            )
            return _BAD_KEY
        name = "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        if name in (SPAN, SPANS):  # would overwrite the reader's own bookkeeping
            self.diags.append(Diagnostic(code="schema.unknown-key", message=f"unknown key '{name}'", span=self.at(where)))
            return _BAD_KEY
        first = spans.get(name + ".__key__")
        if first is not None:
            self.diags.append(
                Diagnostic(
                    code="yaml.duplicate-key",
                    message=f"duplicate key '{name}'",
                    span=self.at(where),
                    hint=f"first given at line {self.at(first).line}; the first one is used",
                )
            )
            return _DUP_KEY
        return name

    def tag_ok(self, tag: str, default: str, where: Where) -> bool:
        """Whether an explicit tag is harmless; reports it when not."""
        if tag == default or tag in _HARMLESS_TAGS:
            return True
        self.diags.append(
            Diagnostic(
                code="yaml.tag",
                message=f"YAML tag '{tag.replace(_STD, '!!')}' is not allowed",
                span=self.at(where),
                hint="write plain values; tags never construct objects here",
            )
        )
        return False

    def tagged_scalar(self, tag: str, value: str, where: Where) -> Any:
        if tag == _STD + "null" or tag == _STD + "bool":
            return _PLAIN_VALUES.get(value, value)
        return value if self.tag_ok(tag, _STD + "str", where) else _SKIP

    def too_long(self, value: str, where: Where) -> str:
        self.diags.append(
            Diagnostic(
                code="input.text-too-long",
                message=f"text is {len(value):,} characters; the limit is {MAX_TEXT:,}",
                span=self.at(where),
                hint="split it, or quote a shorter passage",
            )
        )
        return value[:MAX_TEXT]

    def bidi(self, char: str, where: Where) -> None:
        # A warning, not an error: the text is kept as written (outputs show the
        # character as a visible code), but a reader of the YAML may be misled.
        self.diags.append(
            Diagnostic(
                code="input.bidi-control",
                message=f"text contains the bidirectional control character {describe(char)}, "
                "which can make it display in another order than it is stored",
                span=self.at(where),
                hint="remove it unless the text needs it; outputs show it as " + show_bidi_controls(char),
            )
        )

    def control(self, value: str, where: Where) -> str:
        bad = _CONTROL.search(value)
        assert bad is not None
        self.diags.append(
            Diagnostic(
                code="input.control-char",
                message=f"text contains the control character U+{ord(bad.group()):04X}",
                span=self.at(where),
                hint="remove it; only tab and newline are allowed",
            )
        )
        return _CONTROL.sub("", value)
