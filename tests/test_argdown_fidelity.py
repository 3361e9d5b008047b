"""Argdown's own structure survives a round trip: arguments, premise-conclusion structures, sections,
contrary and contradictory relations (docs/interchange.md, "Argdown").

- On the six example debates, import then ``export --to argdown`` gives a text in which Argdown
  counts the same arguments, sections and symmetric relations as in the original (counted by
  argbrief's parser, which matches Argdown's own JSON export on the originals: see
  test_interchange_corpora.py; benchmarks/argdown_fidelity.py runs the Argdown CLI itself).
- Every corpus file reads back from its export as the same map, and exports to the same bytes again.
- Generated maps with arguments, sections and mutual attacks round-trip through Argdown, AIF and JSON.
"""

from __future__ import annotations

import collections
import json
import os
import textwrap
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argbrief import model as m
from argbrief.diagnostics import Severity
from argbrief.formats import export_map, import_file, load_bytes
from argbrief.formats.argdown import parse_argdown
from argbrief.validate import validate_map

from .conftest import SHARED, needs_shared
from .test_interchange_roundtrip import without_repeated_links
from .test_yaml_roundtrip import maps

CORPORA = SHARED / "corpora" / "argdown"
needs_corpora = needs_shared(CORPORA)
EXAMPLES = sorted((CORPORA / "examples").glob("*.argdown"))
EVERY_FILE = sorted(CORPORA.rglob("*.argdown"))
#: Reconstructed arguments (with a premise-conclusion structure) after a round trip, where fewer than in
#: the original: a premise two arguments share stands once in the map's tree, so the other argument keeps
#: it as a support relation; two semmelweis arguments are left with one premise, written as a relation.
FEWER_STRUCTURES = {"semmelweis_betz": 8}


def reference(path: Path) -> dict:
    return json.loads((path.parent.parent / "examples-json" / (path.stem + ".json")).read_text(encoding="utf-8"))


def ref_sections(sections: list[dict], level: int = 1) -> list[tuple[int, str]]:
    out = []
    for s in sections:
        out.append((level, s["title"]))
        out += ref_sections(s.get("children", []), level + 1)
    return out


def symmetric(relations) -> collections.Counter:
    return collections.Counter(r for r in relations if r in ("contrary", "contradictory"))


@needs_corpora
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_export_keeps_argdowns_arguments_sections_and_symmetric_relations(path: Path) -> None:
    ref = reference(path)
    imported = import_file(path)
    text = export_map(imported.map, "argdown")
    doc, diags = parse_argdown(text, "exported.argdown")
    assert diags == []
    assert len(doc.arguments) == len(ref["arguments"])
    assert sum(bool(a.pcs) for a in doc.arguments.values()) == FEWER_STRUCTURES.get(
        path.stem, sum(bool(a.get("pcs")) for a in ref["arguments"].values()))
    original, _ = parse_argdown(path.read_text(encoding="utf-8"), path.name)
    assert [(s.level, s.title) for s in doc.sections] == [(s.level, s.title) for s in original.sections]
    if "group" not in original.front:  # greenspan's front matter regroups its map: Argdown's JSON shows those groups
        assert [(s.level, s.title) for s in original.sections] == ref_sections(ref["sections"])
    assert symmetric(r.type for r in doc.relations) == symmetric(r["relationType"] for r in ref["relations"])
    # Arguments keep their titles (made into ids) and descriptions; each stands in its section.
    ids = {title: w.node for w in imported.map.walk() for title in [w.node.label or w.node.id] if isinstance(w.node, m.Claim)}
    section_title = {s.id: s.title for s in doc.sections}
    original_title = {s.id: s.title for s in original.sections}
    for title, arg in original.arguments.items():
        claim = ids[title]
        assert claim.argument and claim.id in doc.arguments
        assert section_title.get(doc.arguments[claim.id].section, "") == original_title.get(arg.section, "")


@needs_corpora
@pytest.mark.parametrize("path", EVERY_FILE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_corpus_file_reads_back_from_its_export(path: Path) -> None:
    imported = import_file(path)
    if imported.map is None:
        return  # prose only: nothing to export
    text = export_map(imported.map, "argdown")
    back = load_bytes(text.encode("utf-8"), "exported.argdown", "argdown")
    assert back.diagnostics == ()
    assert back.map == imported.map
    assert export_map(back.map, "argdown") == text


# --- small cases -----------------------------------------------------------------------------


def load(source: str) -> m.ArgumentMap:
    imported = load_bytes(textwrap.dedent(source).encode(), "debate.argdown", "argdown")
    assert [d for d in imported.diagnostics if d.severity is Severity.ERROR] == []
    return imported.map


def test_contrary_and_contradictory_relations_are_mutual_attacks() -> None:
    amap = load(
        """\
        ===
        model:
            mode: strict
        ===

        [H1]: Epidemics cause it.
          - [H2]: Rough examinations cause it.
          >< [H3]: Epidemics do not cause it.
          -> [H2]
        """
    )
    nodes = amap.nodes()
    assert nodes["H2"].mutual == {"H1": "contrary"} and nodes["H3"].mutual == {"H1": "contradictory"}
    assert isinstance(nodes["H2"], m.Objection) and isinstance(nodes["H3"], m.Objection)
    text = export_map(amap, "argdown")
    assert "mode: strict" in text and ">< [H3]" in text and "mutual" not in text
    assert load(text) == amap


def test_contradiction_turns_round_to_give_a_claim_its_place() -> None:
    """'><' under an argument's conclusion: the conclusion becomes an objection, not a second root."""
    amap = load(
        """\
        [Harm]: Examinations by students harm women.
          + [More injuries]: Students cause more injuries.

        <Skill>: Students are skilled.

          (1) Students are trained.
          (2) Trained people are careful.
          ----
          (3) [No more injuries]: Students cause no more injuries.
            >< [More injuries]
        """
    )
    assert amap.thesis.id == "Harm"
    (injuries,) = amap.thesis.premises
    (objection,) = injuries.objections
    assert objection.id == "No-more-injuries" and objection.mutual == {"More-injuries": "contradictory"}
    assert objection.premises[0].argument and objection.premises[0].id == "Skill"


def test_mutual_attacks_argdown_cannot_say_ride_in_data() -> None:
    """Loose mode has no contrary relation, and no cross-link is '><': the data says it."""
    thesis = m.Thesis(id="T", text="Tax carbon.", objections=(
        m.Objection(id="O1", text="It is regressive.", mutual={"T": "contrary"}),
        m.Objection(id="O2", text="Do not tax carbon.", relation="attack", mutual={"T": "contradictory"},
                    also_attacks=("O1",)),
        m.Objection(id="O3", text="It is too late.", also_attacks=("O1",), mutual={"O1": "contradictory"}),
    ))
    amap = m.ArgumentMap(id="x", title="x", thesis=thesis)
    text = export_map(amap, "argdown")
    assert "mode: strict" not in text  # O2 attacks O1 one way: strict mode would make that contrary
    assert "- [O1]: It is regressive. {mutual: {T: contrary}}" in text
    assert ">< [O2]" in text and "{mutual: {O1: contradictory}}" in text
    back = load_bytes(text.encode(), "x.argdown", "argdown")
    assert back.diagnostics == () and back.map == amap


def test_arguments_and_their_structures() -> None:
    amap = load(
        """\
        [Tax]: A carbon tax is the best climate policy.
          + <Price signal>: Prices make polluters cut where it is cheapest.
            - [Leakage]: Firms move abroad.

        <Price signal>

        (1) [Respond]: Polluters respond to prices.
        (2) Cutting where it is cheapest lowers the total cost.
        ----
        (3) [Cheap]: Cuts happen where they are cheapest.
        (4) Cheap cuts are the best policy.
        ----
        (5) [Tax]
        """
    )
    signal = amap.thesis.premises[0]
    assert signal.argument and signal.label == "Price signal" and signal.objections[0].id == "Leakage"
    (group,) = signal.premises
    cheap = group.members[0]
    assert cheap.id == "Cheap" and [p.id for p in cheap.premises[0].members] == ["Respond", "s1"]
    text = export_map(amap, "argdown")
    # The argument with its two-step structure; no linked group of argbrief's own.
    assert "+ <Price-signal>: Prices make" in text and "{group: true}" not in text
    assert "\n<Price-signal>\n\n(1) [Respond]: Polluters respond to prices." in text
    assert "----\n(3) [Cheap]: Cuts happen where they are cheapest." in text
    # A premise written without a title stays out of Argdown's map, as it was (the argument stands for it).
    assert "(2) [s1]: Cutting where it is cheapest lowers the total cost. {isInMap: false}" in text
    assert text.rstrip().endswith("----\n(5) [Tax]")
    assert load(text) == amap


def test_an_argument_argdown_cannot_hold_as_one_is_a_statement_that_says_so() -> None:
    """A member of a linked group is a premise of a structure: a statement, with data saying what it is."""
    group = m.Group(members=(m.Premise(id="A", text="An argument.", argument=True), m.Premise(id="B", text="A premise.")))
    amap = m.ArgumentMap(id="x", title="x", thesis=m.Thesis(id="T", text="Claim.", premises=(group,)))
    text = export_map(amap, "argdown")
    assert "(1) [A]: An argument. {argument: true}" in text
    back = load_bytes(text.encode(), "x.argdown", "argdown")
    assert back.diagnostics == () and back.map == amap


def test_sections_are_headings_and_each_claim_is_defined_under_its_own() -> None:
    amap = load(
        """\
        # Hypotheses

        [H1]: Epidemics cause it. #H1
          - [H2]

        ## Rivals {isGroup: false}

        [H2]: Rough examinations cause it.

        # Evidence

        [E]: No seasonal variation.
          -> [H1]
        """
    )
    assert [(s.title, [c.title for c in s.sections]) for s in amap.sections] == [("Hypotheses", ["Rivals"]), ("Evidence", [])]
    nodes = amap.nodes()
    assert nodes["H1"].tags == ("H1", "Hypotheses") and nodes["H2"].tags == ("Rivals",) and nodes["E"].tags == ("Evidence",)
    text = export_map(amap, "argdown")
    assert "\n# Hypotheses\n" in text and "\n## Rivals\n\n[H2]: Rough examinations cause it." in text
    assert "\n# Evidence\n\n[E]: No seasonal variation.\n" in text
    assert "sections:" not in text  # the headings say it
    assert load(text) == amap


def test_sections_that_headings_cannot_say_stay_in_the_front_matter() -> None:
    title = "Two\nlines"
    thesis = m.Thesis(id="T", text="Claim.", tags=(title,))
    amap = m.ArgumentMap(id="x", title="x", sections=(m.Section(title=title),), thesis=thesis)
    text = export_map(amap, "argdown")
    assert "\n# " not in text and "sections:" in text
    back = load_bytes(text.encode(), "x.argdown", "argdown")
    assert back.diagnostics == () and back.map == amap


def test_untitled_statements_skip_the_ids_of_titled_ones_and_shortcodes_read_as_argdown_reads_them() -> None:
    amap = load(
        """\
        [s1]: A titled statement. :heart:
          + An untitled one.
          - Another, \\:y: escaped.
        """
    )
    assert amap.thesis.text == "A titled statement. ❤"
    assert [amap.thesis.premises[0].id, amap.thesis.objections[0].id] == ["s2", "s3"]
    assert amap.thesis.objections[0].text == "Another, :y: escaped."
    text = export_map(amap, "argdown")
    assert "[s3]: Another, \\:y: escaped." in text and load(text) == amap


# --- generated maps ---------------------------------------------------------------------------

SECTION_TITLES = ["Evidence", "Hypotheses", "a b", "#x", "[y]", "x: y", "@[Mention]", "Rivals (2)", "é"]


@st.composite
def argdown_maps(draw) -> m.ArgumentMap:
    """A generated map (tests/test_yaml_roundtrip.py) with arguments, sections and mutual attacks added."""
    amap = draw(maps())
    titles = draw(st.lists(st.sampled_from(SECTION_TITLES), max_size=4, unique=True))
    sections: list[m.Section] = []
    for title in titles:  # nest some under the one before
        if sections and draw(st.booleans()):
            sections[-1] = attrs.evolve(sections[-1], sections=(*sections[-1].sections, m.Section(title=title)))
        else:
            sections.append(m.Section(title=title))

    def decorate(node, parent: m.Claim | None, relation: str):
        changes: dict = {}
        if node.id and titles and draw(st.booleans()):
            tag = draw(st.sampled_from(titles))
            at = draw(st.integers(0, len(node.tags)))
            changes["tags"] = tuple(t for t in (*node.tags[:at], tag, *node.tags[at:]))
        if isinstance(node, m.Claim):
            changes["argument"] = draw(st.booleans())
            attacked = list(node.also_attacks) + ([parent.id] if parent is not None and relation == "attack" else [])
            mutual = {t: draw(st.sampled_from(m.MUTUAL)) for t in attacked if draw(st.booleans())}
            changes["mutual"] = mutual
            for name in m.CHILD_LISTS:
                items = []
                for item in getattr(node, name):
                    if isinstance(item, m.Group):
                        items.append(attrs.evolve(item, members=tuple(decorate(p, node, "supports") for p in item.members)))
                    else:
                        rel = "supports" if name in ("premises", "assumptions", "evidence") else (item.relation or "attack")
                        items.append(decorate(item, node, rel))
                changes[name] = tuple(items)
        if "tags" in changes and len(set(changes["tags"])) != len(changes["tags"]):
            changes["tags"] = tuple(dict.fromkeys(changes["tags"]))
        return attrs.evolve(node, **changes)

    return attrs.evolve(amap, sections=tuple(sections), thesis=decorate(amap.thesis, None, "root"))


SETTINGS = settings(max_examples=int(os.environ.get("ARGBRIEF_FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("fmt", ["argdown", "aif", "json"])
def test_generated_maps_with_arguments_sections_and_mutual_attacks_round_trip(fmt: str) -> None:
    @SETTINGS
    @given(amap=argdown_maps())
    def check(amap: m.ArgumentMap) -> None:
        assert [d.format() for d in validate_map(amap) if d.severity is Severity.ERROR] == []
        expected = without_repeated_links(amap) if fmt == "argdown" else amap
        text = export_map(amap, fmt)
        back = load_bytes(text.encode("utf-8"), f"exported.{fmt}", fmt)
        assert [d.format() for d in back.diagnostics] == []
        assert back.map == expected
        assert export_map(back.map, fmt) == export_map(expected, fmt)

    check()
