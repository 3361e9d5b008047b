"""Paragraph locators: which first line is a title, so that "para 1" is the body's first paragraph."""

from __future__ import annotations

import pytest

from argbrief.quotes import SourceText

BODY = "\n\nFirst paragraph of the body.\n\nSecond paragraph, with the quote.\n"


@pytest.mark.parametrize(
    ("first", "para"),
    [
        ("To deal with Russia, first understand what Putin wants", 2),  # a title: not counted
        ("Will Ukraine Survive?", 2),  # a short question is a title too
        ("Stop!", 2),
        ("Is this, after all the years of argument and all the money spent on it, what the town wanted?", 3),
        ("One opening sentence of body text.", 3),
        ("A heading over\ntwo lines", 3),  # two lines: body text
    ],
)
def test_the_first_line_is_a_title_only_when_it_looks_like_one(first: str, para: int) -> None:
    st = SourceText.from_raw(first + BODY)
    assert st.find("with the quote") == para


def test_a_quote_from_the_title_is_located_as_the_title() -> None:
    st = SourceText.from_raw("Will Ukraine Survive?" + BODY)
    assert st.find("Ukraine Survive") == 0  # locate_quotes writes "title"
