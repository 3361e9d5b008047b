"""Located, safe, bounded YAML reading.

The YAML is parsed to ruamel.yaml's node graph (nothing is constructed, so no
tag can run code), checked against size and depth limits, and converted to
plain data.  Every mapping gets two extra keys: ``__span__`` (where the mapping
starts) and ``__spans__`` (where each key's value, and each scalar list item as
``key.N``, starts); keys are recorded as ``key.__key__``.  The converter turns
those into the model's ``span``/``spans`` fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic
from .model import SourceSpan

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 100
MAX_NODES = 500_000
MAX_TEXT = 20_000

SPAN = "__span__"
SPANS = "__spans__"

_STD = "tag:yaml.org,2002:"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _yaml() -> YAML:
    try:
        return YAML(typ="safe", pure=False)  # libyaml-backed when ruamel.yaml.clib is there
    except Exception:  # pragma: no cover - clib missing
        return YAML(typ="safe", pure=True)


class _TooBig(Exception):
    pass


def decode(data: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text, or a located diagnostic saying why not."""
    if len(data) > MAX_BYTES:
        return None, [
            Diagnostic(
                code="input.too-large",
                message=f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}",
                span=SourceSpan(name, 1, 1),
            )
        ]
    if b"\x00" in data:
        return None, [_at_offset("input.binary", "file contains NUL bytes: binary data, not YAML", data, data.index(b"\x00"), name)]
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
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return Diagnostic(code=code, message=message, span=SourceSpan(name, line, col), hint=hint)


def read_yaml(text: str, name: str) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text to plain located data; ``(None, diags)`` when it cannot be read."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [Diagnostic(code="input.empty", message="file is empty", span=SourceSpan(name, 1, 1))]
    yaml = _yaml()
    try:
        diag = _check_events(yaml.parse(text), name)
        if diag:
            return None, [diag]
        docs = list(yaml.compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = SourceSpan(name, mark.line + 1, mark.column + 1) if mark else SourceSpan(name, 1, 1)
        problem = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        return None, [Diagnostic(code="yaml.syntax", message=problem, span=span)]
    except (YAMLError, RecursionError, ValueError) as exc:
        return None, [Diagnostic(code="yaml.syntax", message=f"invalid YAML: {exc}", span=SourceSpan(name, 1, 1))]
    if not docs or docs[0] is None:
        return None, [Diagnostic(code="input.empty", message="file has no YAML document", span=SourceSpan(name, 1, 1))]
    if len(docs) > 1:
        second = docs[1]
        return None, [
            Diagnostic(
                code="yaml.syntax",
                message="file holds more than one YAML document",
                span=_span(second, name) if second is not None else SourceSpan(name, 1, 1),
                hint="one map or pack per file",
            )
        ]
    builder = _Builder(name)
    try:
        data = builder.build(docs[0])
    except _TooBig:
        return None, builder.diags + [
            Diagnostic(
                code="input.too-large",
                message=f"the document expands to more than {MAX_NODES:,} nodes",
                span=SourceSpan(name, 1, 1),
                hint="are aliases (*name) nested many times?",
            )
        ]
    return data, builder.diags


def _check_events(events: Iterator[Any], name: str) -> Diagnostic | None:
    """Depth limit before composing (the composer recurses; the event stream does not)."""
    depth = 0
    for ev in events:
        if isinstance(ev, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                m = ev.start_mark
                return Diagnostic(
                    code="input.too-deep",
                    message=f"nested deeper than {MAX_DEPTH} levels",
                    span=SourceSpan(name, m.line + 1, m.column + 1),
                )
        elif isinstance(ev, CollectionEndEvent):
            depth -= 1
        elif isinstance(ev, AliasEvent):
            pass
    return None


def _span(node: Node, name: str) -> SourceSpan:
    m = node.start_mark
    return SourceSpan(name, m.line + 1, m.column + 1)


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.diags: list[Diagnostic] = []

    def build(self, node: Node) -> Any:
        # Iterative would be nicer, but depth is already bounded by MAX_DEPTH.
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        tag = str(node.tag)
        if isinstance(node, MappingNode):
            if tag != _STD + "map":
                self._tag(node, tag)
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            if tag != _STD + "seq":
                self._tag(node, tag)
            return [self.build(item) for item in node.value]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, tag)

    def _tag(self, node: Node, tag: str) -> None:
        shown = tag.replace(_STD, "!!")
        self.diags.append(
            Diagnostic(
                code="yaml.tag",
                message=f"YAML tag '{shown}' is not allowed",
                span=_span(node, self.name),
                hint="write plain values; tags never construct objects here",
            )
        )

    def _scalar(self, node: ScalarNode, tag: str) -> Any:
        value: str = node.value
        if tag == _STD + "str" or tag == _STD + "timestamp":
            return self._text(value, node)
        if tag == _STD + "null":
            return None
        if tag == _STD + "bool":
            return value.lower() in ("true", "yes", "on")
        if tag == _STD + "int":
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return value
        if tag == _STD + "float":
            try:
                return float(value.replace("_", ""))
            except ValueError:
                return value
        self._tag(node, tag)
        return self._text(value, node)

    def _text(self, value: str, node: Node) -> str:
        if len(value) > MAX_TEXT:
            self.diags.append(
                Diagnostic(
                    code="input.text-too-long",
                    message=f"text is {len(value):,} characters; the limit is {MAX_TEXT:,}",
                    span=_span(node, self.name),
                    hint="split it, or quote a shorter passage",
                )
            )
            return value[:MAX_TEXT]
        bad = _CONTROL.search(value)
        if bad:
            self.diags.append(
                Diagnostic(
                    code="input.control-char",
                    message=f"text contains the control character U+{ord(bad.group()):04X}",
                    span=_span(node, self.name),
                    hint="remove it; only tab and newline are allowed",
                )
            )
            return _CONTROL.sub("", value)
        return value

    def _mapping(self, node: MappingNode) -> dict[str, Any]:
        out: dict[str, Any] = {SPAN: _span(node, self.name)}
        spans: dict[str, SourceSpan] = {}
        for knode, vnode in node.value:
            self.count += 1
            if not isinstance(knode, ScalarNode):
                self.diags.append(
                    Diagnostic(
                        code="schema.wrong-type",
                        message="a mapping key must be a plain name",
                        span=_span(knode, self.name),
                    )
                )
                continue
            key = str(knode.value)
            if key in spans:
                first = spans[key + ".__key__"]
                self.diags.append(
                    Diagnostic(
                        code="yaml.duplicate-key",
                        message=f"duplicate key '{key}'",
                        span=_span(knode, self.name),
                        hint=f"first given at line {first.line}; the first one is used",
                    )
                )
                continue
            spans[key + ".__key__"] = _span(knode, self.name)
            spans[key] = _span(vnode, self.name)
            value = self.build(vnode)
            if isinstance(vnode, SequenceNode):
                for i, item in enumerate(vnode.value):
                    spans[f"{key}.{i}"] = _span(item, self.name)
            if isinstance(vnode, MappingNode) and isinstance(value, dict):
                # Keys of plain-string mappings (answers, sources) get spans too.
                for k2, v2 in vnode.value:
                    spans[f"{key}.{k2.value}"] = _span(v2, self.name)
            out[key] = value
        out[SPANS] = spans
        return out
