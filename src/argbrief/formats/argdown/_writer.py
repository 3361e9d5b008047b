"""The Argdown writer: an argbrief map -> Argdown text that reads back into the same map.

One relation tree from the thesis: every claim is a statement ``[id]: text``
(an argument, ``argument: true``, is ``<id>: text``), supports ``+``, attacks
``-``, undercuts ``_``, contradictions ``><``; cross-links are outgoing
relations (``+> [id]``).  An argument's one linked group (or one premise) is its
premise-conclusion structure, concluding its parent; any other linked group is
an argument of argbrief's own (``{group: true}``) concluding its parent.
Sections are headings, and a claim is defined under the heading its section
tag names.  What Argdown has no syntax for (labels, notes, kinds, evidence
details, a contrary or contradictory cross-link, the map's metadata and
recommendations) rides in YAML data (``{...}``) and the front matter.  Where
Argdown cannot hold an argument as one (a member of a linked group, say), it
is a statement with ``{argument: true}``.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

import attrs
from attrs import frozen

from ... import convert
from ... import model as m
from ...model import ArgumentMap
from ._tokens import SHORTCODE, SHORTCODES, TAG, clean_text, data_spans

WIDTH = 88
_SAFE_TAG = re.compile(r"[\w-]+")
_SAFE_BRACKETED_TAG = re.compile(r"[^()#\\\s]+(?: [^()#\\\s]+)*")
_ESCAPED = re.compile(r"([\\\[\]<>{}#*_@])")
_ITEM_START = re.compile(r"(<\+|\+>|<-|->|<_|_>|><|[+\-_*])(\s|$)|\(\d+\)|\d+\.\s|-{2,}|===")


def _escape(text: str) -> str:
    """``text`` with every character Argdown would read as markup escaped (titles are read as they are)."""
    text = _ESCAPED.sub(r"\\\1", text)
    return re.sub(r"/(?=[/*])", r"\\/", text)


def _escape_text(text: str) -> str:
    """A statement's text or a heading, escaped: also shortcodes (``:heart:`` would read as "❤")."""
    return SHORTCODE.sub(lambda mt: "\\" + mt.group(0) if _is_shortcode(mt.group(0)) else mt.group(0), _escape(text))


def _is_shortcode(code: str) -> bool:
    return not code.startswith("\\") and (code[1:-1] in SHORTCODES or code[1:-1] == "smile")


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


# --- the plan: how each claim is written -------------------------------------------------------


@frozen
class _Plan:
    """Decisions made before writing, from the whole map (frozen; claims are keyed by ``id()``)."""

    #: Claims written as Argdown arguments ``<id>``; the others (and arguments that cannot be) as statements ``[id]``.
    arguments: frozenset[int]
    #: Ids of the claims written as arguments, for references by id (cross-links).
    argument_ids: frozenset[str]
    #: An argument's premise-conclusion structure: its one linked group, from which it concludes its parent.
    pcs: Mapping[int, m.Group]
    #: Each claim's parent.
    parent: Mapping[int, m.Claim]
    #: Whether the map's sections are written as headings (every title exactly, at most 6 levels).
    headings: bool
    #: Section title -> heading level, in document order.
    levels: Mapping[str, int]
    #: Argdown's strict mode: every attack between two statements goes both ways, some are contrary.
    strict: bool
    #: Intermediary conclusions: the first premise of a structure, when its one linked group is an
    #: inference of the same structure (written before it).
    steps: frozenset[int]
    #: Statements kept out of Argdown's map (``{isInMap: false}``): see :data:`_UNTITLED`.
    hidden: frozenset[int]


def _plan(amap: ArgumentMap) -> _Plan:
    """How ``amap`` is written.

    A claim with ``argument: true`` is an Argdown argument unless Argdown cannot
    hold it as one: a member of a linked group (a premise of a structure, which
    must be a statement), or one with a linked group that cannot be its structure
    (other premises beside it, cross-links of its own, which Argdown would give to
    its conclusion, or no parent to conclude).  Those are statements that say
    ``{argument: true}``.
    """
    walked = [w for w in amap.walk() if isinstance(w.node, (m.Claim, m.Evidence)) and w.relation != "follows"]
    parent = {id(w.node): w.parent for w in walked if w.parent is not None}
    in_group = {id(p) for w in walked if isinstance(w.node, m.Claim)
                for item in w.node.premises if isinstance(item, m.Group) for p in item.members}
    arguments: set[int] = set()
    pcs: dict[int, m.Group] = {}
    for w in walked:  # parents before children: a parent's form is known when its children's is decided
        node = w.node
        if not isinstance(node, m.Claim) or not node.argument or id(node) in in_group:
            continue
        up = w.parent
        item = node.premises[0] if len(node.premises) == 1 else None
        if (isinstance(item, m.Group) and up is not None and id(up) not in arguments
                and (any(p is node for p in up.premises) or any(a is node for a in up.assumptions))
                and not node.also_supports and not node.also_attacks):
            pcs[id(node)] = item  # its linked premises are its premises, its parent its conclusion
            arguments.add(id(node))
        elif not any(isinstance(item, m.Group) for item in node.premises):
            arguments.add(id(node))  # linked premises of an argument need a premise-conclusion structure
    argument_ids = frozenset(w.node.id for w in walked if id(w.node) in arguments)
    levels = {s.title: level for s, level in amap.all_sections()}
    headings = bool(levels) and len(levels) == sum(1 for _ in amap.all_sections()) and all(
        level <= 6 and _heading_text(title) == title for title, level in levels.items())
    statement = {id(w.node): id(w.node) not in arguments for w in walked}
    attacks: list[tuple[m.Claim, str]] = []  # attacks between two statements: (attacker, attacked id)
    for w in walked:
        node = w.node
        if not isinstance(node, m.Claim) or not statement[id(node)]:
            continue
        if w.parent is not None and w.relation == "attack" and statement[id(w.parent)]:
            attacks.append((node, w.parent.id))
        attacks += [(node, t) for t in node.also_attacks if t not in argument_ids]
    strict = any(node.mutual.get(t) == "contrary" for node, t in attacks) and all(t in node.mutual for node, t in attacks)
    steps: set[int] = set()
    for group in pcs.values():
        first = group.members[0]
        while len(first.premises) == 1 and isinstance(first.premises[0], m.Group):
            steps.add(id(first))
            first = first.premises[0].members[0]
    in_structures = {id(parent[a]) for a in pcs} | {id(w.node) for w in walked if isinstance(w.node, m.Claim) and (
        id(w.node) in in_group or any(isinstance(item, m.Group) for item in w.node.premises))}
    hidden = frozenset(i for w in walked for i in [id(w.node)] if i in in_structures and i not in arguments
                       and not w.node.label and _UNTITLED.fullmatch(w.node.id))
    return _Plan(arguments=frozenset(arguments), argument_ids=argument_ids, pcs=pcs, parent=parent,
                 headings=headings, levels=levels, strict=strict, steps=frozenset(steps), hidden=hidden)


#: The ids argbrief's Argdown import gives statements written without a title.  Argdown's map leaves
#: out untitled premises and conclusions of arguments (the argument stands for them) and shows every
#: titled statement; here every statement has a title (its id), so those are left out explicitly.
_UNTITLED = re.compile(r"s[1-9][0-9]*")


def _heading_text(title: str) -> str:
    """What Argdown's heading ``# title`` (escaped as argbrief writes it) reads back as."""
    if "\n" in title:
        return ""
    raw = _escape_text(title)
    for a, b in reversed(data_spans(raw)):
        raw = raw[:a] + raw[b:]
    return clean_text(TAG.sub("", raw))


# --- the writer -----------------------------------------------------------------------------------


@frozen
class _Queued:
    """A premise-conclusion structure to write below the relation trees, in ``block`` (a section title or "")."""

    block: str
    owner: m.Claim  # the argument, or the claim a linked group supports
    item: m.Group
    title: str = ""  # a linked group's argument title ("" for an argument's own structure)


class _Writer:
    """Writes one map: the relation tree from the thesis, then the premise-conclusion structures.

    With sections, the text is one block per section (and one before the first
    heading); a claim is defined (``[id]: text {data}``) in the block of its
    section and referred to (``[id]``) wherever else it stands, because Argdown
    puts a statement in the section of its definition.
    """

    def __init__(self, amap: ArgumentMap) -> None:
        self.amap = amap
        self.plan = _plan(amap)
        self.blocks: dict[str, list[str]] = {"": [], **{title: [] for title in self.plan.levels}}
        self.block = ""  # where the lines being written go
        self.queue: list[_Queued] = []
        self.defined: set[int] = set()  # claims whose definition is written

    @property
    def lines(self) -> list[str]:
        return self.blocks[self.block]

    def write(self) -> str:
        out = self._front()
        if self.amap.thesis is not None:
            self.block = self._home(self.amap.thesis, "")
            self.lines.append("")
            self._claim(self.amap.thesis, "", 0)
        while self.queue:
            self._pcs(self.queue.pop(0))
        out += self.blocks[""]
        if self.plan.headings:
            for title, level in self.plan.levels.items():
                out += ["", "#" * level + " " + _escape_text(title), *self.blocks[title]]
        return "\n".join(out).rstrip("\n") + "\n"

    def _front(self) -> list[str]:
        """Argdown's own title keys (where plain), then the whole map but its thesis under 'argbrief:'."""
        from ..yaml import dump_map

        lines = ["==="]
        for src, dst in (("title", "title"), ("subtitle", "subTitle"), ("author", "author"), ("date", "date")):
            value = getattr(self.amap, src)
            if value and value == value.strip() and value.isprintable() and _PLAIN_LINE.fullmatch(value):
                lines.append(f"{dst}: {_yaml_value(value)}")
        if self.plan.strict:
            lines += ["model:", "  mode: strict"]
        # The headings say what the sections are (unless they cannot say it exactly).
        head = dump_map(attrs.evolve(self.amap, thesis=None, sections=() if self.plan.headings else self.amap.sections))
        if head.strip() not in ("", "{}"):
            lines.append("argbrief:")
            lines.extend(("  " + line) if line else "" for line in head.rstrip("\n").split("\n"))
        lines.append("===")
        return lines

    # where and how a claim is written --------------------------------------------------------

    def _home(self, node: m.Claim | m.Evidence, here: str) -> str:
        """The block a node is defined in: its section (the last of its tags that names one), else ``here``
        for a node without an id (it cannot be referred to), else the one before the first heading."""
        if not node.id or not self.plan.headings:
            return here if not node.id else ""
        return next((t for t in reversed(node.tags) if t in self.plan.levels), "")

    def _is_argument(self, node: m.Claim | m.Evidence) -> bool:
        return id(node) in self.plan.arguments

    def _ref(self, node_id: str) -> str:
        return f"<{_escape(node_id)}>" if node_id in self.plan.argument_ids else f"[{_escape(node_id)}]"

    def _native_mutual(self, node: m.Claim) -> set[str]:
        """The targets of ``node``'s mutual attacks that Argdown's own syntax says (so its data need not)."""
        out: set[str] = set()
        up = self.plan.parent.get(id(node))
        for target, how in node.mutual.items():
            statements = not self._is_argument(node) and target not in self.plan.argument_ids
            tree = (up is not None and up.id == target and node.relation != "undercut"
                    and any(c is node for c in (*up.objections, *up.rebuttals)))
            if statements and ((how == "contradictory" and tree) or (how == "contrary" and self.plan.strict)):
                out.add(target)
        return out

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
            if wire.pop("argument", False) and not self._is_argument(node):
                data["argument"] = True  # an argument Argdown cannot hold as one (see _plan)
            if id(node) in self.plan.hidden:
                data["isInMap"] = False  # (a display setting of Argdown's, which reading ignores)
            native = self._native_mutual(node)
            # In the order reading gives them: the attack on the parent, then the cross-links'.
            up = self.plan.parent.get(id(node))
            order = [*([up.id] if up is not None else []), *node.also_attacks]
            given = wire.pop("mutual", {})
            mutual = {t: given[t] for t in sorted(given, key=lambda t: order.index(t) if t in order else len(order))
                      if t not in native}
            if mutual:
                data["mutual"] = mutual
        native_text = wire.pop(native_key, "")
        if " ".join(native_text.split()) != native_text:
            data[native_key] = native_text  # spacing Argdown would not keep
        tags = list(wire.pop("tags", []))
        if node.id and tags and self.plan.headings and tags[-1] == self._home(node, "") and tags.count(tags[-1]) == 1:
            tags.pop()  # the heading says it (reading adds a claim's section as its last tag)
        tag_text = ""
        if tags and all(_SAFE_TAG.fullmatch(t) or _SAFE_BRACKETED_TAG.fullmatch(t) for t in tags) and len(set(tags)) == len(tags):
            tag_text = " ".join(f"#{t}" if _SAFE_TAG.fullmatch(t) else f"#({t})" for t in tags)
        elif tags:
            data["tags"] = tags
        data.update(wire)
        text = _escape_text(" ".join(native_text.split()))
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

    def _define(self, node: m.Claim | m.Evidence, head: str, indent: int) -> None:
        """Write ``node`` here after ``head`` (a relation symbol or a premise number): defined, or referred to
        when its definition belongs to another section (written there, on its own, or by its own
        premise-conclusion structure, which is written in its section)."""
        ref = self._ref(node.id) if node.id else ""
        home = self._home(node, self.block)
        if home == self.block:
            self.defined.add(id(node))
            self._emit(indent, head + (f"{ref}: " if ref else ""), *self._node_line(node))
            return
        self.lines.append(" " * indent + head + ref)
        if id(node) not in self.plan.pcs:
            here, self.block = self.block, home
            self.lines.append("")
            self._define(node, "", 0)
            self.block = here

    def _claim(self, node: m.Claim | m.Evidence, symbol: str, indent: int) -> None:
        self._define(node, symbol + " " if symbol else "", indent)
        if isinstance(node, m.Claim):
            self._below(node, indent + 2)

    def _below(self, node: m.Claim, indent: int, premises: bool = True) -> None:
        """Cross-links, then the children, of ``node`` (each child one relation line)."""
        pad = " " * indent
        for target in node.also_supports:
            self.lines.append(f"{pad}+> {self._ref(target)}")
        for target in node.also_attacks:
            self.lines.append(f"{pad}-> {self._ref(target)}")
        if id(node) in self.plan.pcs:
            self.queue.append(_Queued(block=self._home(node, self.block), owner=node, item=self.plan.pcs[id(node)]))
        elif premises:
            for item in node.premises:
                if isinstance(item, m.Group):
                    title = " + ".join(p.id for p in item.members)
                    self.lines.append(f"{pad}+ <{_escape(title)}>")
                    self.queue.append(_Queued(block=self.block, owner=node, item=item, title=title))
                else:
                    self._claim(item, "+", indent)
        for child in (*node.assumptions, *node.evidence):
            self._claim(child, "+", indent)
        for child in (*node.objections, *node.rebuttals):
            self._claim(child, self._attack_symbol(child), indent)

    def _attack_symbol(self, child: m.Claim) -> str:
        if child.relation == "undercut":
            return "_"
        up = self.plan.parent.get(id(child))
        native = up is not None and up.id in self._native_mutual(child)
        return "><" if native and child.mutual[up.id] == "contradictory" else "-"

    # premise-conclusion structures -------------------------------------------------------------

    def _pcs(self, queued: _Queued) -> None:
        """An argument's premise-conclusion structure, or a linked group as an argument concluding its parent."""
        self.block = queued.block
        owner = queued.owner
        self.lines.append("")
        if queued.title:  # a linked group: an argument of argbrief's, marked as such
            self.lines.append(f"<{_escape(queued.title)}> {{group: true}}")
            conclusion = owner
        else:
            if id(owner) in self.defined:  # in a relation tree of this section
                self.lines.append(self._ref(owner.id))
            else:
                self._define(owner, "", 0)
            conclusion = self.plan.parent[id(owner)]
        self.lines.append("")
        number = self._steps(queued.item, 1)
        self.lines.append("----")
        self.lines.append(f"({number}) {self._ref(conclusion.id)}")

    def _steps(self, item: m.Group, number: int) -> int:
        """The numbered premises of ``item`` (and, for an argument, the inference to an intermediary
        conclusion that its first premise has: Argdown's next inference starts from the last conclusion);
        returns the next number."""
        for i, member in enumerate(item.members):
            steps = i == 0 and id(member) in self.plan.steps
            if steps:  # an intermediary conclusion: its own inference comes first
                number = self._steps(member.premises[0], number)
                self.lines.append("----")
            self._define(member, f"({number}) ", 0)
            self._below(member, 4, premises=not steps)
            number += 1
        return number


def dump_argdown(amap: ArgumentMap) -> str:
    """``amap`` as Argdown text that reads back into the same map."""
    return _Writer(amap).write()
