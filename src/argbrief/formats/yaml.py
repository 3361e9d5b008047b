"""argbrief YAML out: maps and packs written as a person would write them.

The model goes through :func:`argbrief.convert.unstructure` (wire key names,
empty values left out), then keys are put in the documented order
(docs/format.md), and every text gets the plainest style that reads back to
exactly the same text:

- a short one-line text is plain when YAML allows it, quoted when it does not
  (``'- a dash'``, ``'key: value'``, ``"yes"``, which YAML 1.1 tools read as true);
- a long one-line text is folded (``>-``) and wrapped at :data:`WIDTH` columns;
- a text with line breaks is a literal block (``|``);
- anything those styles cannot carry exactly (leading or double spaces, tabs,
  unusual characters) stays on one line, quoted when YAML needs it, however long.

Lists of ids and tags are written inline (``because: [P1, P3]``); there are
never anchors or aliases.  ``load(dump(x)) == x`` for every map and pack (the
round-trip tests check it on generated maps).
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from ..convert import unstructure
from ..model import ArgumentMap, Pack

WIDTH = 88

# Key order per kind of mapping, as docs/format.md lists them; keys not listed keep their place after these.
_CLAIM = ("id", "label", "text", "relation", "answers", "also_supports", "also_attacks", "tags", "note",
          "premises", "assumptions", "evidence", "objections", "rebuttals")
_ORDER: dict[str, tuple[str, ...]] = {
    "map": ("map", "title", "subtitle", "author", "publisher", "date", "url", "source", "sources", "position",
            "summary", "tags", "ignore", "thesis", "recommendations"),
    "pack": ("pack", "title", "subtitle", "audience", "author", "date", "marking", "formats", "theme", "page",
             "purpose", "decision", "bottom_line", "positions", "maps", "questions", "yardstick", "judgements",
             "indicators", "currency_months"),
    "claim": _CLAIM,
    "evidence": ("id", "quote", "text", "source", "locator", "strength", "tags", "note"),
    "answer": ("stance", "quote", "source", "locator", "note"),
    "recommendation": ("id", "actor", "text", "because", "priority", "tags", "note"),
    "source": ("title", "author", "publisher", "date", "date_basis", "date_note", "kind", "reliability", "url", "text"),
    "position": ("id", "label", "summary", "maps", "appraisal"),
    "question": ("id", "text", "note"),
    "judgement": ("id", "text", "likelihood", "confidence", "basis", "note"),
    "indicator": ("id", "text", "judgement", "direction"),
    "appraisal": ("cost", "risk", "feasibility", "reversibility"),
    "rating": ("rating", "text"),
    "ignore": ("code", "reason"),
}
# Lists of short strings, written inline.
_INLINE = {"tags", "also_supports", "also_attacks", "because", "maps", "formats"}
# Which kind the items (or the value) under a key are.
_CHILD_KIND = {
    "thesis": "claim", "premises": "claim", "assumptions": "claim", "objections": "claim", "rebuttals": "claim",
    "group": "claim", "evidence": "evidence", "recommendations": "recommendation", "source": "source",
    "positions": "position", "questions": "question", "judgements": "judgement", "indicators": "indicator",
    "appraisal": "appraisal", "cost": "rating", "risk": "rating", "feasibility": "rating", "reversibility": "rating",
}
# Plain words that YAML 1.1 tools (and some editors) read as booleans: always quoted.
_BOOLISH = re.compile(r"^(?:y|n|yes|no|on|off|true|false)$", re.IGNORECASE)
# Words that are plain in an inline list (ruamel still quotes those that read as numbers).
_PLAIN_WORDS = re.compile(r"^[\w][\w.'/+-]*(?: [\w.'/+-]+)*$")
# Characters a block scalar cannot carry exactly.
_NOT_IN_BLOCKS = re.compile(r"[\t\r\x85\u2028\u2029\ufeff]|  ")


def dump_map(amap: ArgumentMap) -> str:
    """``amap`` as argbrief YAML text."""
    return _dump(_style(unstructure(amap), "map", 0))


def dump_pack(pack: Pack) -> str:
    """``pack`` as argbrief YAML text."""
    return _dump(_style(unstructure(pack), "pack", 0))


def _dump(data: CommentedMap) -> str:
    yaml = YAML(typ="rt")
    # Lines are broken here (folded texts), never by ruamel.yaml: its own wrapping of plain
    # and double-quoted texts can lose a space (after "a.  " or an escaped tab).
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.representer.ignore_aliases = lambda _data: True  # never &anchors / *aliases
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _style(data: dict[str, Any], kind: str, column: int) -> CommentedMap:
    """A mapping of ``kind`` whose keys start at ``column``, keys ordered and values styled."""
    order = _ORDER.get(kind, ())
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    out = CommentedMap()
    for key in keys:
        out[key] = _value(data[key], key, kind, column)
    return out


def _value(value: Any, key: str, kind: str, column: int) -> Any:
    if key == "currency_months" and isinstance(value, str) and value.isdigit() and value == str(int(value)):
        return int(value)  # written as a number, as a person would; argbrief reads it back as the same text
    if isinstance(value, str):
        return _text(value, column, len(key))
    if isinstance(value, dict):
        if kind == "map" and key == "sources":
            return _named(value, "source", column + 2)
        if key == "answers":  # short answers stay short ({q: "yes"}); long ones are mappings
            return _named(value, "answer", column + 2)
        return _style(value, _CHILD_KIND.get(key, key), column + 2)
    if isinstance(value, list):
        seq = CommentedSeq()
        if key in _INLINE and all(isinstance(v, str) for v in value):
            seq.extend(_inline(v) for v in value)
            seq.fa.set_flow_style()
            return seq
        item_kind = _CHILD_KIND.get(key, key)
        for item in value:
            if isinstance(item, dict) and set(item) == {"group"}:  # linked premises
                group = CommentedMap()
                group["group"] = _value(item["group"], "group", "claim", column + 4)
                seq.append(group)
            elif isinstance(item, dict):
                seq.append(_style(item, item_kind, column + 4))
            else:
                seq.append(_text(item, column + 2, 0) if isinstance(item, str) else item)
        return seq
    return value


def _named(value: dict[str, Any], kind: str, column: int) -> CommentedMap:
    """A mapping whose keys are names (question ids, source keys), in the authored order."""
    out = CommentedMap()
    for name, item in value.items():
        out[name] = _style(item, kind, column + 2) if isinstance(item, dict) else _text(item, column, len(name))
    return out


def _text(text: str, column: int, key_length: int) -> Any:
    """``text`` as the value of a key of ``key_length`` at ``column``, in the plainest style
    that reads back the same (see the module docstring)."""
    if _BOOLISH.match(text):
        return DoubleQuotedScalarString(text)
    block_safe = _block_safe(text)
    fits = column + key_length + 2 + len(text) <= WIDTH
    if "\n" in text:
        return LiteralScalarString(text) if block_safe else DoubleQuotedScalarString(text)  # "a\n  b"
    if not fits and block_safe:
        return _folded(text, column + 2)
    # One line (a long one, if no block style can carry the text exactly): plain, or quoted
    # when YAML needs that.
    return text


def _folded(text: str, indent: int) -> FoldedScalarString:
    """A ``>-`` block whose lines, starting at ``indent``, end by :data:`WIDTH` where the words allow.

    ruamel.yaml by itself breaks only once a line is past its width; folding at
    chosen spaces (``fold_pos``) keeps every line within it.
    """
    folded = FoldedScalarString(text)
    room = WIDTH - indent
    folds: list[int] = []
    start = 0  # where the current line starts in ``text``
    for match in re.finditer(" ", text):
        nxt = text.find(" ", match.start() + 1)
        end = len(text) if nxt < 0 else nxt
        if end - start > room:  # the next word would not fit: break at this space
            folds.append(match.start())
            start = match.start() + 1
    folded.fold_pos = folds  # type: ignore[attr-defined]
    return folded


def _inline(text: str) -> Any:
    """An item of an inline list (ids, tags): plain only when it is plainly safe.

    ruamel.yaml writes some texts plain in flow context that no parser reads
    back (``[?a]``, ``[: a]``), so anything but simple words is quoted here.
    """
    if _BOOLISH.match(text) or not text.isprintable():
        return DoubleQuotedScalarString(text)
    return text if _PLAIN_WORDS.match(text) else SingleQuotedScalarString(text)


def _block_safe(text: str) -> bool:
    """Whether a folded or literal block gives back exactly ``text``."""
    if not text or text != text.strip() or _NOT_IN_BLOCKS.search(text):
        return False
    # Every line printable, starting and ending with no space (blank lines are fine).
    return all(line.isprintable() and line == line.strip() for line in text.split("\n"))
