"""Adapters for performance faults in the libraries argbrief drives, until released versions fix them.

Each adapter changes how fast a library does something, never what it does: it
is applied once, leaves the library's classes and results as they were (the
tests compare both ways on the same input), and steps aside when the library
no longer looks like the version it was written for. docs/performance.md
describes each fault, the upstream patch, and what to do when a fixed version
is released (pin it and delete the adapter).
"""

from __future__ import annotations

from typing import Any

_applied: set[str] = set()
#: The library functions an adapter replaced, by "module.Class.name" (the tests compare both).
ORIGINALS: dict[str, Any] = {}


# --- ruamel.yaml: one Python frame per parser event, not three -----------------------------
#
# libyaml (through ruamel.yaml.clib) makes one ruamel.yaml event object per YAML
# node, and each scalar's __init__ runs three Python frames (ScalarEvent ->
# NodeEvent -> Event). At 50,000 map nodes that is 350,000 events and a fifth of
# `argbrief check`'s time. The flattened __init__s below set exactly the same
# slots to the same values.


def _scalar_init(self: Any, anchor: Any, tag: Any, implicit: Any, value: Any, start_mark: Any = None,
                 end_mark: Any = None, style: Any = None, comment: Any = None) -> None:
    self.start_mark, self.end_mark, self.comment = start_mark, end_mark, (None if comment is _COMMENT_CHECK else comment)
    self.anchor, self.ctag, self.implicit, self.value, self.style = anchor, tag, implicit, value, style


def _collection_start_init(self: Any, anchor: Any, tag: Any, implicit: Any, start_mark: Any = None,
                           end_mark: Any = None, flow_style: Any = None, comment: Any = None, nr_items: Any = None) -> None:
    self.start_mark, self.end_mark, self.comment = start_mark, end_mark, (None if comment is _COMMENT_CHECK else comment)
    self.anchor, self.ctag, self.implicit, self.flow_style, self.nr_items = anchor, tag, implicit, flow_style, nr_items


_COMMENT_CHECK: Any = None
#: The slots each flattened class must have (all of them set by its __init__), as in ruamel.yaml 0.17-0.19.
_EVENT_SLOTS = {
    "ScalarEvent": {"start_mark", "end_mark", "comment", "anchor", "ctag", "implicit", "value", "style"},
    "CollectionStartEvent": {"start_mark", "end_mark", "comment", "anchor", "ctag", "implicit", "flow_style", "nr_items"},
}


def _all_slots(cls: type) -> set[str]:
    slots: set[str] = set()
    for klass in cls.__mro__:
        own = klass.__dict__.get("__slots__", ())
        slots.update((own,) if isinstance(own, str) else own)
    return slots


def fast_yaml_events() -> bool:
    """Flatten ruamel.yaml's ScalarEvent and CollectionStartEvent constructors; True when applied.

    Skipped (the library's own code runs) when the classes are not shaped as expected.
    """
    if "yaml-events" in _applied:
        return True
    global _COMMENT_CHECK
    try:
        from ruamel.yaml import events
    except ImportError:  # pragma: no cover - a dependency
        return False
    if not all(_all_slots(getattr(events, name, object)) == slots for name, slots in _EVENT_SLOTS.items()):
        return False  # pragma: no cover - another ruamel.yaml: leave it alone
    _COMMENT_CHECK = getattr(events, "CommentCheck", None)
    ORIGINALS["ruamel.yaml.events.ScalarEvent.__init__"] = events.ScalarEvent.__init__
    ORIGINALS["ruamel.yaml.events.CollectionStartEvent.__init__"] = events.CollectionStartEvent.__init__
    events.ScalarEvent.__init__ = _scalar_init  # type: ignore[method-assign]
    events.CollectionStartEvent.__init__ = _collection_start_init  # type: ignore[method-assign]
    _applied.add("yaml-events")
    return True
