"""The adapters for upstream performance faults (argbrief/_upstream.py) change speed, never results."""

from __future__ import annotations

import itertools

import pytest

from argbrief import _upstream
from argbrief._yamlread import _events, read_yaml


def _slots(obj: object) -> dict[str, object]:
    """Every slot of an event object and its value ("<unset>" when never set)."""
    return {n: getattr(obj, n, "<unset>") for n in sorted(_upstream._all_slots(type(obj)))}


def test_yaml_event_adapter_is_applied() -> None:
    assert _upstream.fast_yaml_events()
    assert "ruamel.yaml.events.ScalarEvent.__init__" in _upstream.ORIGINALS


@pytest.mark.parametrize("kind", ["ScalarEvent", "MappingStartEvent", "SequenceStartEvent"])
def test_flattened_event_constructors_set_what_the_originals_set(kind: str) -> None:
    from ruamel.yaml import events

    cls = getattr(events, kind)
    scalar = kind == "ScalarEvent"
    original = _upstream.ORIGINALS[f"ruamel.yaml.events.{'ScalarEvent' if scalar else 'CollectionStartEvent'}.__init__"]
    head = ("a1", "tag:yaml.org,2002:str", (True, False)) + (("text",) if scalar else ())
    tails = [(), ("m1",), ("m1", "m2"), ("m1", "m2", "|")]
    comments = [{}, {"comment": None}, {"comment": ["# c"]}, {"comment": events.CommentCheck}]
    for tail, comment in itertools.product(tails, comments):
        new = cls(*head, *tail, **comment)
        old = cls.__new__(cls)
        original(old, *head, *tail, **comment)
        assert _slots(new) == _slots(old), (tail, comment)
    extra = {} if scalar else {"nr_items": 3}
    new, old = cls(*head, **extra), cls.__new__(cls)
    original(old, *head, **extra)
    assert _slots(new) == _slots(old)


def test_events_and_data_are_those_of_the_library() -> None:
    text = "a: &x [1, 'two', !!str 3]\nb: *x\nc: {d: \"e\\te\"}  # note\nf: |\n  block\n"
    events = [(type(e).__name__, _slots(e)) for e in _events(text)]
    assert [name for name, _ in events][:4] == ["StreamStartEvent", "DocumentStartEvent", "MappingStartEvent", "ScalarEvent"]
    scalars = [s for name, s in events if name == "ScalarEvent"]
    assert [s["value"] for s in scalars] == ["a", "1", "two", "3", "b", "c", "d", "e\te", "f", "block\n"]
    assert scalars[3]["ctag"] == "tag:yaml.org,2002:str" and scalars[1]["ctag"] is None
    data, diags = read_yaml(text, "x.yaml")
    assert not diags
    assert data["a"] == ["1", "two", "3"] and data["b"] is data["a"] and data["f"] == "block\n"
