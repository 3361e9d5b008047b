"""YAML layout mistakes explained in plain words, on the line to change, around the constructs that are not mistakes.

tests/fixtures/check/layout-* has the five mistakes of the done-when list in a fresh
``init`` project (one line each); here the explanation must not be thrown off by what
comes before the mistake: block scalars, text that goes on over lines, compact lists,
flow lists and quoted text over several lines.
"""

from __future__ import annotations

import re

import pytest

from argbrief._yamlread import read_yaml
from argbrief.skeleton import FILES

# Phrases of libyaml's own messages: never shown to an author.
LIBYAML = re.compile(r"expected|while parsing|while scanning|could not find|block (mapping|collection|end)|found character|"
                     r"mapping values are not allowed|violates indentation|cannot start any token")


def _one(text: str):
    data, diags = read_yaml(text, "m.yaml")
    assert data is None and len(diags) == 1, diags
    d = diags[0]
    assert not LIBYAML.search(d.message + d.hint), d.format()
    return d


BEFORE = """\
map: m
title: t
thesis:
  id: T
  text: >-
    A folded text
      with a deeper line: and a colon
    that goes on.
  note: a plain text that
    goes on over a second line
  tags: [a,
    b]
  label: "a quoted text
    over two lines"
  premises:
  - id: P1
    text: compact list item
  - id: P2
    text: |
      literal
        block
"""


@pytest.mark.parametrize(
    ("mistake", "where", "message"),
    [
        ("    label: one too far\n", "25:5", "this key is indented 4 spaces, like the '-' of the list item on line 23"),
        ("\ttext: tabbed\n", "25:1", "indented with a tab"),
        (" objections:\n", "25:2", "this key is indented 1 space; its siblings use 2"),
        ("       note: one too far\n", "25:8", "this key is indented 7 spaces; its siblings use 6"),
    ],
)
def test_the_mistake_is_found_after_constructs_that_are_not_mistakes(mistake: str, where: str, message: str) -> None:
    assert read_yaml(BEFORE, "m.yaml")[1] == []  # all of it is fine YAML
    d = _one(BEFORE + "  evidence:\n    - id: E1\n      quote: q\n" + mistake)
    assert f"{d.span.line}:{d.span.column}" == where and message in d.message, d.format()


def test_every_line_of_the_init_map_indented_off_by_one_or_two_is_reported_on_that_line() -> None:
    """Each line of the example map, moved one or two columns either way: one error, on that line, in plain words."""
    lines = FILES["arguments/four-day-week.yaml"].splitlines(keepends=True)
    checked = 0
    for i, line in enumerate(lines):
        if not re.match(r"^ +[a-z_-]", line):
            continue
        for moved in (" " + line, line[1:], "  " + line, line[2:]):
            text = "".join(lines[:i] + [moved] + lines[i + 1 :])
            data, diags = read_yaml(text, "m.yaml")
            if data is not None:
                continue  # still valid YAML (a dedent to a parent's level): the schema and structure checks see it
            assert len(diags) == 1, (i + 1, diags)
            d = diags[0]
            assert d.span.line == i + 1 and d.code == "yaml.indentation", (i + 1, d.format())
            assert not LIBYAML.search(d.message + d.hint), d.format()
            checked += 1
    assert checked >= 130


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    d = _one('map: m\ntitle: "never closed\nthesis:\n  text: t\n')
    assert (d.span.line, d.span.column) == (2, 8) and d.message == "this quoted text is never closed"


@pytest.mark.parametrize("escape", ["\\uD800", "\\uDFFF", "\\U00110000"])
def test_an_escape_that_names_no_character_says_so(escape: str) -> None:
    """Not "an escape YAML does not know": \\u is known; the number is no character (a JSON import once wrote such)."""
    d = _one(f'map: m\ntitle: "a {escape} b"\nthesis:\n  text: t\n')
    assert d.span.line == 2 and d.code == "yaml.syntax" and "names no character" in d.message, d.format()


def test_a_colon_inside_a_flow_list_says_to_quote_the_item() -> None:
    """`basis: [putin-wants:P3]` reads naturally but is no YAML libyaml accepts: say why, on the item, with the fix."""
    d = _one("pack: p\ntitle: t\njudgements:\n  - id: J1\n    basis: [putin-wants:P3, putin-wants:P4]\n")
    assert (d.span.line, d.span.column, d.code) == (5, 13, "yaml.syntax"), d.format()
    assert "a ':' starts a key" in d.message and '"putin-wants:P3"' in d.hint, d.format()
