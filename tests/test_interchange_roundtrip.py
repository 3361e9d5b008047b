"""Round trips through the interchange formats are the identity: map -> FORMAT -> map.

Generated maps (the strategies of tests/test_yaml_roundtrip.py: every kind, linked
groups, undercuts anywhere, cross-links, evidence without ids, awkward text) and every
map in arguments/ go out as Argdown, AIF and JSON and come back equal (spans aside),
with no diagnostics; writing the result again gives the same bytes.

One documented exception, Argdown only: a cross-link that repeats a claim's own
relation to its parent (``also_attacks: [T]`` on an objection of T) is the same
Argdown relation stated twice, which Argdown reads as one; see docs/interchange.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from argbrief import model as m
from argbrief.formats import export_map, load_bytes
from argbrief.project import load_file

from .conftest import REPO
from .test_yaml_roundtrip import maps

FORMATS = ("argdown", "aif", "json")
DEMO_MAPS = sorted((REPO / "arguments").glob("*.yaml"))
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def round_trip(amap: m.ArgumentMap, fmt: str) -> tuple[m.ArgumentMap | None, list[str], str]:
    text = export_map(amap, fmt)
    imported = load_bytes(text.encode("utf-8"), f"exported.{fmt}", fmt)
    return imported.map, [d.format() for d in imported.diagnostics], text


def without_repeated_links(amap: m.ArgumentMap) -> m.ArgumentMap:
    """``amap`` less the cross-links that repeat a claim's tree relation (one Argdown relation)."""

    def fix(node: m.Claim | m.Evidence, relation: str, parent: str) -> m.Claim | m.Evidence:
        if not isinstance(node, m.Claim):
            return node
        changes: dict = {}
        if relation == "supports":
            changes["also_supports"] = tuple(t for t in node.also_supports if t != parent)
        elif relation == "attack":
            changes["also_attacks"] = tuple(t for t in node.also_attacks if t != parent)
        for name in m.CHILD_LISTS:
            items = []
            for item in getattr(node, name):
                if isinstance(item, m.Group):
                    items.append(attrs.evolve(item, members=tuple(fix(p, "supports", node.id) for p in item.members)))
                else:
                    kid_relation = "supports" if name in ("premises", "assumptions", "evidence") else (item.relation or "attack")
                    items.append(fix(item, kid_relation, node.id))
            changes[name] = tuple(items)
        return attrs.evolve(node, **changes)

    return attrs.evolve(amap, thesis=fix(amap.thesis, "root", ""))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", DEMO_MAPS, ids=lambda p: p.name)
def test_demo_maps_round_trip(path: Path, fmt: str) -> None:
    amap = load_file(path).obj
    back, diags, text = round_trip(amap, fmt)
    assert diags == []
    assert back == amap
    assert export_map(back, fmt) == text  # and the same map gives the same bytes


@pytest.mark.parametrize("fmt", FORMATS)
def test_generated_maps_round_trip(fmt: str) -> None:
    @SETTINGS
    @given(amap=maps())
    def check(amap: m.ArgumentMap) -> None:
        back, diags, text = round_trip(amap, fmt)
        assert diags == []
        assert back == (without_repeated_links(amap) if fmt == "argdown" else amap)
        assert export_map(back, fmt) == export_map(without_repeated_links(amap) if fmt == "argdown" else amap, fmt)

    check()


def test_repeated_link_is_one_argdown_relation() -> None:
    objection = m.Objection(id="O1", text="No.", also_attacks=("T",))
    amap = m.ArgumentMap(id="x", title="x", thesis=m.Thesis(id="T", text="Yes.", objections=(objection,)))
    back, diags, text = round_trip(amap, "argdown")
    assert "-> [T]" in text and diags == []
    assert back.thesis.objections[0].also_attacks == ()
    # AIF keeps both: two conflict nodes.
    back, diags, _ = round_trip(amap, "aif")
    assert back == amap and diags == []


# --- AIF without argbrief's extension: what AIF itself carries -----------------------------


def skeleton(node: m.Claim | m.Evidence | m.Group) -> tuple:
    """Structure and text only: what pure AIF can say (no ids, kinds of support, labels or notes)."""
    if isinstance(node, m.Group):
        return ("group", tuple(skeleton(p) for p in node.members))
    if isinstance(node, m.Evidence):
        return ("support", node.display_text, (), 0, 0)
    kids = [skeleton(item) for item in node.premises]
    kids += [skeleton(c) for c in (*node.assumptions, *node.evidence)]
    kids += [("undercut" if c.relation == "undercut" else "attack", *skeleton(c)[1:]) for c in (*node.objections, *node.rebuttals)]
    return ("support", node.text, tuple(sorted(kids, key=repr)), len(node.also_supports), len(node.also_attacks))


@pytest.mark.parametrize("path", DEMO_MAPS, ids=lambda p: p.name)
def test_plain_aif_keeps_the_structure(path: Path) -> None:
    """Strip the ``argbrief`` object, as a tool that ignores it would: texts, tree, groups, relations remain."""
    amap = load_file(path).obj
    doc = json.loads(export_map(amap, "aif"))
    del doc["argbrief"]
    imported = load_bytes(json.dumps(doc).encode(), "plain.json", "aif")
    assert imported.diagnostics == ()
    assert skeleton(imported.map.thesis) == skeleton(amap.thesis)
    kinds = {type(w.node) for w in imported.map.walk()}
    assert kinds <= {m.Thesis, m.Premise, m.Objection, m.Rebuttal}  # evidence and assumptions need the extension


def test_plain_aif_keeps_an_undercut_of_the_thesis_as_an_attack() -> None:
    thesis = m.Thesis(id="T", text="Yes.", objections=(m.Objection(id="O", text="Irrelevant.", relation="undercut"),))
    amap = m.ArgumentMap(id="x", title="x", thesis=thesis)
    back, diags, _ = round_trip(amap, "aif")
    assert back == amap and diags == []  # the extension says it is an undercut (the thesis has no inference)
