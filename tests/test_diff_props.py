"""Property tests of the diff (Hypothesis), on the generated maps of the YAML round-trip tests.

* a map against itself: no change;
* a map against an edited copy (claims added, removed, reworded, renamed, moved,
  re-kinded, answers flipped): applying the reported changes to OLD's nodes gives
  exactly NEW's nodes;
* renamed ids alone: reported as renames, never as removals and additions.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from argbrief import model as m
from argbrief.convert import structure, unstructure
from argbrief.diff import diff_maps, index, node_text

from .test_yaml_roundtrip import SETTINGS, maps

CLAIM_LISTS = ("premises", "assumptions", "objections", "rebuttals")


@SETTINGS
@given(amap=maps())
def test_a_map_against_itself_is_empty(amap: m.ArgumentMap) -> None:
    assert diff_maps(amap, amap).changes == ()


# --- editing a map as plain data -----------------------------------------------------------


def _claims(data: dict[str, Any]) -> list[tuple[dict, list | None, dict | None]]:
    """Every claim mapping with the list that holds it and its parent claim (the thesis: None, None)."""
    out = [(data["thesis"], None, None)]
    i = 0
    while i < len(out):
        claim = out[i][0]
        for name in CLAIM_LISTS:
            for item in claim.get(name, []):
                if "group" in item:
                    out += [(member, item["group"], claim) for member in item["group"]]
                else:
                    out.append((item, claim[name], claim))
        i += 1
    return out


def _inside(claim: dict, other: dict) -> bool:
    """Whether ``other`` is ``claim`` or below it."""
    return any(c is other for c, _, _ in _claims({"thesis": claim}))


@st.composite
def edited(draw, amap: m.ArgumentMap) -> m.ArgumentMap:
    data = unstructure(amap)
    fresh = iter(f"N{i}" for i in range(1000))
    for _ in range(draw(st.integers(1, 5))):
        claims = _claims(data)
        claim, holder, parent = claims[draw(st.integers(0, len(claims) - 1))]
        what = draw(st.sampled_from(["reword", "rename", "add", "remove", "move", "flip", "kind"]))
        if what == "reword":
            claim["text"] = claim.get("text", "") + draw(st.sampled_from([" indeed", " — or so it seems", "!"]))
        elif what == "rename":
            claim["id"] = next(fresh)
        elif what == "add":
            claim.setdefault("premises", []).append(
                {"id": next(fresh), "text": draw(st.sampled_from(["A new reason", "Another"]))}
            )
        elif what == "flip":
            claim["answers"] = {"q": draw(st.sampled_from(m.STANCES))}
        elif what in ("remove", "move", "kind") and parent is not None:
            if not any(holder is parent.get(n) for n in CLAIM_LISTS):
                continue  # a member of a linked group: taking it out would leave a group of one
            if what == "remove":
                holder.remove(claim)
            elif what == "move":
                targets = [c for c, _, _ in claims if not _inside(claim, c)]
                holder.remove(claim)
                targets[draw(st.integers(0, len(targets) - 1))].setdefault("premises", []).append(claim)
                claim.pop("relation", None)
            elif holder is parent.get("premises"):
                holder.remove(claim)
                parent.setdefault("assumptions", []).append(claim)
    new, diags = structure(data, m.ArgumentMap, "edited.yaml")
    assert new is not None and not diags, [d.format() for d in diags]
    return new


# --- applying a change list ----------------------------------------------------------------


def _state(amap: m.ArgumentMap) -> dict[str, dict[str, Any]]:
    out = {}
    for ref, e in index(amap).items():
        node = e.node
        out[ref] = {
            "kind": node.kind,
            "parent": e.parent,
            "quote": node.quote if isinstance(node, m.Evidence) else "",
            "text": node.text,
            "authored": bool(node.id) and node.id == ref,
        }
    return out


def _apply(old: m.ArgumentMap, changes) -> Counter:
    """OLD's nodes with ``changes`` applied, as a multiset of (reference or '', kind, parent, text)."""
    state = _state(old)
    renamed: dict[str, str] = {}
    added = []
    for c in changes:
        if c.subject != "node":
            continue
        if c.op == "removed":
            del state[c.id]
        elif c.op == "added":
            added.append({"ref": c.id, "kind": c.kind, "parent": c.parent, "quote": "", "text": c.text, "new": True})
        else:
            node = state[c.old_id or c.id]
            renamed[c.old_id or c.id] = c.id
            if c.op == "moved":
                node["parent"], node["parent_is_new"] = c.new, True
            elif c.field in ("kind", "text", "quote"):
                node[c.field] = c.new
    out: Counter = Counter()
    for ref, node in state.items():
        parent = node["parent"] if node.get("parent_is_new") else renamed.get(node["parent"], node["parent"])
        text = node["quote"] or node["text"] if node["kind"] == "evidence" else node["text"]
        out[(renamed.get(ref, ref) if node["authored"] else "", node["kind"], parent, text)] += 1
    for node in added:
        authored = "/" not in node["ref"] and "[" not in node["ref"] and "(" not in node["ref"]
        out[(node["ref"] if authored else "", node["kind"], node["parent"], node["text"])] += 1
    return out


def _nodes(amap: m.ArgumentMap) -> Counter:
    out: Counter = Counter()
    for ref, e in index(amap).items():
        out[(ref if e.node.id == ref else "", e.node.kind, e.parent, node_text(e.node))] += 1
    return out


@SETTINGS
@given(data=st.data(), amap=maps())
def test_applying_the_changes_to_old_gives_new(data, amap: m.ArgumentMap) -> None:
    new = data.draw(edited(amap))
    changes = diff_maps(amap, new).changes
    assert _apply(amap, changes) == _nodes(new)
    # Nothing is both removed and added under one id.
    ids = Counter((c.op, c.id) for c in changes if c.subject == "node" and c.op in ("added", "removed"))
    assert not {i for op, i in ids if op == "added"} & {i for op, i in ids if op == "removed"}


@SETTINGS
@given(data=st.data(), amap=maps())
def test_renamed_ids_are_renames(data, amap: m.ArgumentMap) -> None:
    wire = unstructure(amap)
    claims = [c for c, _, _ in _claims(wire)]
    texts = Counter(" ".join(c.get("text", "").split()).casefold() for c in claims)
    # Claims whose text is theirs alone: a rename of one of them can only be matched one way.
    unique = [c for c in claims if texts[" ".join(c.get("text", "").split()).casefold()] == 1]
    chosen = data.draw(st.lists(st.sampled_from(unique), unique_by=id, max_size=3)) if unique else []
    for i, claim in enumerate(chosen):
        claim["id"] = f"Renamed{i}"
    new, _ = structure(wire, m.ArgumentMap, "renamed.yaml")
    ops = Counter(c.op for c in diff_maps(amap, new).changes if c.subject == "node")
    assert ops["renamed"] == len(chosen) and not ops["added"] and not ops["removed"]
