"""Comparing plain field values: which fields differ, and which list members came and went."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .result import Change, Value


def list_change(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Members added and removed, or None when the two lists hold the same members."""
    added = tuple(x for x in dict.fromkeys(new) if x not in old)
    removed = tuple(x for x in dict.fromkeys(old) if x not in new)
    return (added, removed) if added or removed else None


def field_changes(old: Mapping[str, Value], new: Mapping[str, Value], **common: object) -> Iterator[Change]:
    """A ``changed`` change per field whose value differs; a field only one side has counts as empty there.

    ``common`` fills the other attributes of each change (``subject``, ``id`` ...).
    """
    for name in dict.fromkeys((*new, *old)):
        a, b = old.get(name), new.get(name)
        if isinstance(a, tuple) or isinstance(b, tuple):
            before, after = tuple(a or ()), tuple(b or ())
            members = list_change(before, after)
            if members is not None:
                yield Change(
                    op="changed", field=name, old=before, new=after, added=members[0], removed=members[1], **common
                )  # type: ignore[arg-type]
        elif (a or "") != (b or ""):
            yield Change(op="changed", field=name, old=a or "", new=b or "", **common)  # type: ignore[arg-type]
