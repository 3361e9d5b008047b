"""The Argdown writer: an argbrief map -> Argdown text that reads back into the same map.

One relation tree from the thesis: every claim is a statement ``[id]: text``,
supports ``+``, attacks ``-``, undercuts ``_``; cross-links are outgoing
relations (``+> [id]``), a linked group is an argument whose
premise-conclusion structure concludes its parent, and what Argdown has no
syntax for (labels, notes, kinds, evidence details, the map's metadata and
recommendations) rides in YAML data (``{...}``) and the front matter.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import attrs

from ... import convert
from ... import model as m
from ...model import ArgumentMap

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
        from ..yaml import dump_map

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


def dump_argdown(amap: ArgumentMap) -> str:
    """``amap`` as Argdown text that reads back into the same map."""
    return _Writer(amap).write()
