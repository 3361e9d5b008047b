"""Rules with a fast path for maps with nothing to report say the same as their full loop."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argbrief import model as m
from argbrief.validate import NODE_ID, MapContext, node_ids


def _ids_map(ids: list[str]) -> m.ArgumentMap:
    premises = tuple(m.Premise(id=i, text="t", span=m.SourceSpan("x.yaml", n + 3, 5)) for n, i in enumerate(ids[1:]))
    return m.ArgumentMap(id="x", title="t", thesis=m.Thesis(id=ids[0], text="t", premises=premises, span=m.SourceSpan("x.yaml", 2, 3)))


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["T", "P1", "P2"], []),
        (["T", "P1", "P1"], ["id.duplicate"]),
        (["T", "", "", "P2"], []),  # no id: not this rule's business
        (["T", "1P", "P2"], ["schema.bad-id"]),
        (["T", "P1\n", "P2"], []),  # NODE_ID's $ matches before a final newline
        (["T", "P1\nX", "P2"], ["schema.bad-id"]),
        (["T", "P 1", "P 1"], ["schema.bad-id", "schema.bad-id", "id.duplicate"]),
    ],
)
def test_node_ids_fast_path_agrees_with_the_loop(ids: list[str], expected: list[str]) -> None:
    assert [d.code for d in node_ids(MapContext.of(_ids_map(ids)))] == expected


@settings(max_examples=200, deadline=None)
@given(ids=st.lists(st.text(alphabet="aZ1_.- \n\t", max_size=4), min_size=1, max_size=8))
def test_node_ids_fast_path_on_any_ids(ids: list[str]) -> None:
    # What the rule reported before its fast path: each non-empty id checked and counted in turn.
    expected, seen = [], set()
    for i in ids:
        if i:
            expected += ["schema.bad-id"] * (not NODE_ID.match(i)) + ["id.duplicate"] * (i in seen)
            seen.add(i)
    assert [d.code for d in node_ids(MapContext.of(_ids_map(ids)))] == expected
