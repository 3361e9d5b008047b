"""Fidelity over real corpora: count the source, count the import, compare.

The corpora live in ``shared/corpora/`` beside the repository (CI has a copy);
each test is skipped with a clear reason when that folder is absent.

- microtexts (112 + 171 arggraph XML files): the same number of ADUs and of
  each edge type (sup, exa, reb, und, add) as the XML;
- AIF (662 Araucaria maps and the QT30, US2016, IAC and microtext subsets): the
  same number of I-nodes, and of support and attack relations, as the JSON —
  a relation that had to go (a cycle, a duplicate within one inference) is
  counted from its diagnostic, and an inference with no premise or no
  conclusion is counted as malformed;
- the six Argdown example debates: the same statements (by title and text),
  arguments and relations (by type) as Argdown's own JSON export beside them,
  and in the map every statement and argument is a claim (arguments marked as
  such) and every relation an edge of its type (contrary and contradictory ones
  one attack, marked mutual);
- every imported map is valid (``argbrief check`` finds no errors) and its YAML
  reads back as the same map.
"""

from __future__ import annotations

import collections
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from argbrief import model as m
from argbrief._yamlread import read_yaml
from argbrief.convert import structure
from argbrief.diagnostics import Severity
from argbrief.formats import Imported, export_map, import_file
from argbrief.formats._graph import ISSUE_NOTE
from argbrief.formats.argdown import document_graph, parse_argdown
from argbrief.validate import validate_map

from .conftest import SHARED, needs_shared  # noqa: E402
CORPORA = SHARED / "corpora"
needs_corpora = needs_shared(CORPORA)

MICROTEXTS = sorted((CORPORA / "arg-microtexts" / "en").glob("*.xml")) + sorted((CORPORA / "arg-microtexts-part2" / "corpus").glob("*.xml"))
AIF_FOLDERS = ("araucaria", "microtexts", "qt30-subset", "us2016-subset", "iac-subset", "arguebuf-python")
AIF_FILES = [f for d in AIF_FOLDERS for f in sorted((CORPORA / "aif" / d).glob("*.json")) if not f.name.startswith("_")]
ARGDOWN_EXAMPLES = sorted((CORPORA / "argdown" / "examples").glob("*.argdown"))
ARGDOWN_ALL = sorted((CORPORA / "argdown").rglob("*.argdown"))

#: "the support of 'C' by 'P' ..." — how the builder's diagnostics name a relation they drop.
DROPPED = re.compile(r"the (support|attack|undercut) of")


def is_synthetic(amap: m.ArgumentMap) -> bool:
    return amap.thesis is not None and amap.thesis.note.startswith(ISSUE_NOTE.split("{")[0])


def claims(amap: m.ArgumentMap) -> Iterator[m.Walked]:
    """Every claim and evidence item that came from the source (the synthetic thesis is not one)."""
    synthetic = is_synthetic(amap)
    for w in amap.walk():
        if w.relation != "follows" and not (synthetic and w.parent is None):
            yield w


def relation_counts(amap: m.ArgumentMap) -> collections.Counter[str]:
    """Supports and attacks in the map, tree edges and cross-links alike (not the synthetic root's)."""
    synthetic = is_synthetic(amap)
    out: collections.Counter[str] = collections.Counter()
    for w in claims(amap):
        if w.parent is not None and not (synthetic and w.parent is amap.thesis):
            out["support" if w.relation == "supports" else "attack"] += 1
            out["undercut"] += w.relation == "undercut"
        if isinstance(w.node, m.Claim):
            out["support"] += len(w.node.also_supports)
            out["attack"] += len(w.node.also_attacks)
    return out


def assert_clean_and_rereadable(imported: Imported) -> None:
    """The map is valid, and its YAML (what ``argbrief import`` writes) reads back as the same map."""
    amap = imported.map
    assert amap is not None, [d.format() for d in imported.diagnostics]
    assert [d for d in imported.diagnostics if d.severity is Severity.ERROR] == []
    errors = [d.format() for d in validate_map(amap) if d.severity is Severity.ERROR]
    assert errors == []
    text = export_map(amap, "yaml")
    data, diags = read_yaml(text, "imported.yaml")
    assert diags == []
    back, diags = structure(data, m.ArgumentMap, "imported.yaml")
    assert diags == []
    assert back == amap


# --- microtexts -------------------------------------------------------------------------


def microtext_source_counts(path: Path) -> collections.Counter[str]:
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()  # the corpus' own files: trusted test input
    counts = collections.Counter(e.get("type") for e in root.iter("edge") if e.get("type") != "seg")
    counts["adu"] = len(list(root.iter("adu")))
    return +counts


def microtext_map_counts(imported: Imported) -> collections.Counter[str]:
    """ADUs and edges by type, read back from the map: a group of n premises is one sup and n-1 add."""
    counts: collections.Counter[str] = collections.Counter()
    for w in claims(imported.map):
        counts["adu"] += 1
        node = w.node
        if not isinstance(node, m.Claim):
            continue
        for item in node.premises:
            counts["sup"] += 1
            counts["add"] += len(item.members) - 1 if isinstance(item, m.Group) else 0
        counts["sup"] += len(node.assumptions)
        counts["exa"] += len(node.evidence)
        for attacker in (*node.objections, *node.rebuttals):
            counts["und" if attacker.relation == "undercut" else "reb"] += 1
    # A linked attack ('add' on an attack edge) became a premise of the attacker: one add, not one sup.
    linked = sum(d.code == "import.linked-attack" for d in imported.diagnostics)
    counts["sup"] -= linked
    counts["add"] += linked
    return +counts


@needs_corpora
def test_microtext_corpus_sizes() -> None:
    assert len(MICROTEXTS) == 112 + 171


@needs_corpora
@pytest.mark.parametrize("path", MICROTEXTS, ids=lambda p: p.stem)
def test_microtext_imports_every_adu_and_edge(path: Path) -> None:
    imported = import_file(path)
    assert_clean_and_rereadable(imported)
    assert microtext_map_counts(imported) == microtext_source_counts(path)
    # Nothing else was lost: the only warnings are the linked attacks counted above.
    assert {d.code for d in imported.diagnostics} <= {"import.linked-attack"}
    assert not is_synthetic(imported.map)


@needs_corpora
def test_microtext_implicit_central_claim_is_noted() -> None:
    path = CORPORA / "arg-microtexts-part2" / "corpus" / "micro_c002.xml"
    amap = import_file(path).map
    assert amap.thesis.id == "a1"
    assert amap.thesis.text == "Hunting is good for the environment."
    assert "Implicit in the text" in amap.thesis.note
    # exa -> evidence with the example as its text (no quote: nothing to check against a source file)
    (evidence,) = [w.node for w in amap.walk() if isinstance(w.node, m.Evidence)]
    assert evidence.id == "a3" and evidence.quote == "" and evidence.text.startswith("Texas, in particular")


@needs_corpora
def test_microtext_undercut_and_linked_attack() -> None:
    imported = import_file(CORPORA / "arg-microtexts" / "en" / "micro_b001.xml")
    amap = imported.map
    nodes = amap.nodes()
    # a1 rebuts the claim a5; a3 (with a4) undercuts that rebuttal: a rebuttal of a1 with relation undercut.
    assert nodes["a1"] in amap.thesis.objections
    assert nodes["a3"] in nodes["a1"].rebuttals and nodes["a3"].relation == "undercut"
    assert nodes["a4"] in nodes["a3"].premises
    (warning,) = imported.diagnostics
    assert warning.code == "import.linked-attack"
    assert (warning.span.line, warning.span.column) == (20, 3)  # the 'add' edge's line in the XML


# --- AIF ----------------------------------------------------------------------------------


def aif_source_counts(path: Path) -> collections.Counter[str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    types: dict[str, str] = {}
    for node in doc["nodes"]:
        types.setdefault(str(node["nodeID"]), node.get("type"))
    ins: dict[str, list[str]] = collections.defaultdict(list)
    outs: dict[str, list[str]] = collections.defaultdict(list)
    for edge in doc["edges"]:
        a, b = str(edge["fromID"]), str(edge["toID"])
        if a in types and b in types:
            outs[a].append(b)
            ins[b].append(a)
    counts = collections.Counter(I=sum(t == "I" for t in types.values()))
    for s, kind in types.items():
        if kind not in ("RA", "CA"):
            continue
        premises = [p for p in ins[s] if types[p] == "I"]
        if kind == "RA":
            targets = [t for t in outs[s] if types[t] == "I"]
        else:  # a conflict targets a claim (rebut) or an inference or conflict that has a premise (undercut)
            targets = [t for t in outs[s] if types[t] == "I" or (types[t] in ("RA", "CA") and any(types[p] == "I" for p in ins[t]))]
        if not premises or not targets:
            counts["malformed"] += 1
            continue
        counts["support" if kind == "RA" else "attack"] += len(premises) * len(targets)
    return counts


def aif_map_counts(imported: Imported) -> collections.Counter[str]:
    counts = relation_counts(imported.map)
    counts["I"] = sum(1 for _ in claims(imported.map))
    for d in imported.diagnostics:
        if d.code in ("import.cycle", "import.duplicate-link"):  # a relation that had to go, counted
            counts["support" if DROPPED.search(d.message).group(1) == "support" else "attack"] += 1
        elif d.code == "import.linked-attack":  # an attacker's partner became its premise
            counts["support"] -= 1
            counts["attack"] += 1
        elif d.code == "import.malformed" and re.search(r"has no (premise|conclusion)", d.message):
            counts["malformed"] += 1
    del counts["undercut"]
    return +counts


@needs_corpora
def test_aif_corpus_sizes() -> None:
    by_folder = collections.Counter(p.parent.name for p in AIF_FILES)
    assert by_folder["araucaria"] == 662
    assert by_folder["qt30-subset"] == 30 and by_folder["us2016-subset"] == 30 and by_folder["iac-subset"] == 50


@needs_corpora
@pytest.mark.parametrize("folder", AIF_FOLDERS)
def test_aif_imports_every_proposition_and_relation(folder: str) -> None:
    files = [p for p in AIF_FILES if p.parent.name == folder]
    mismatched = []
    for path in files:
        imported = import_file(path, "aif")
        assert imported.map is not None, path
        errors = [d.format() for d in validate_map(imported.map) if d.severity is Severity.ERROR]
        assert errors == [], path
        want, got = aif_source_counts(path), aif_map_counts(imported)
        if +want != got:
            mismatched.append(f"{path.name}: source {dict(want)} != imported {dict(got)}")
    assert mismatched == []


@needs_corpora
def test_aif_undercuts_stay_undercuts() -> None:
    """The AIF microtexts: a conflict aimed at an inference is an undercut in the map."""
    total_source = total_map = 0
    for path in (p for p in AIF_FILES if p.parent.name == "microtexts"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        types = {str(n["nodeID"]): n["type"] for n in doc["nodes"]}
        total_source += sum(1 for e in doc["edges"] if types.get(str(e["fromID"])) == "CA" and types.get(str(e["toID"])) in ("RA", "CA"))
        total_map += relation_counts(import_file(path, "aif").map)["undercut"]
    assert total_source == total_map > 0


@needs_corpora
@pytest.mark.parametrize("name", ["araucaria/nodeset10.json", "qt30-subset/nodeset25445.json", "iac-subset/nodeset7903.json"])
def test_aif_imports_read_back_from_yaml(name: str) -> None:
    imported = import_file(CORPORA / "aif" / name, "aif")
    assert_clean_and_rereadable(imported)


@needs_corpora
def test_aif_linked_premises_become_a_group_and_dialogue_is_dropped_knowingly() -> None:
    imported = import_file(CORPORA / "aif" / "araucaria" / "nodeset10.json", "aif")
    amap = imported.map
    (group,) = amap.thesis.premises
    assert isinstance(group, m.Group) and [p.id for p in group.members] == ["n278", "n279", "n280"]
    qt30 = import_file(CORPORA / "aif" / "qt30-subset" / "nodeset25445.json", "aif")
    dropped = [d for d in qt30.diagnostics if d.code == "import.dropped"]
    assert len(dropped) == 1 and "L (locution)" in dropped[0].message and "MA (rephrase)" in dropped[0].message


@needs_corpora
def test_aif_several_roots_hang_under_a_synthetic_issue() -> None:
    imported = import_file(CORPORA / "aif" / "iac-subset" / "nodeset7903.json", "aif")
    amap = imported.map
    assert is_synthetic(amap) and amap.thesis.id == "issue"
    assert any(d.code == "import.several-roots" for d in imported.diagnostics)
    # Every root of the source is a direct child; nothing else is.
    assert all(isinstance(p, m.Premise) for p in amap.thesis.premises)


# --- Argdown ---------------------------------------------------------------------------

_TAG = re.compile(r"(?<![^\s(])#(?:\(([^)]*)\)|([\w-]+))")
_SYMMETRIC = {"contrary", "contradictory"}
_EDGE_TYPE = {"support": "supports", "entails": "supports", "attack": "attack", "contrary": "attack",
              "contradictory": "attack", "undercut": "undercut"}


def _reference(path: Path) -> dict:
    return json.loads((path.parent.parent / "examples-json" / (path.stem + ".json")).read_text(encoding="utf-8"))


def _relation_key(kind: str, source: str, target: str) -> tuple:
    return (kind, frozenset((source, target))) if kind in _SYMMETRIC else (kind, source, target)


@needs_corpora
def test_argdown_corpus_sizes() -> None:
    assert len(ARGDOWN_EXAMPLES) == 6
    assert all((p.parent.parent / "examples-json" / (p.stem + ".json")).is_file() for p in ARGDOWN_EXAMPLES)


@needs_corpora
@pytest.mark.parametrize("path", ARGDOWN_EXAMPLES, ids=lambda p: p.stem)
def test_argdown_parse_matches_argdowns_own_export(path: Path) -> None:
    """Statements, their texts, arguments, premise-conclusion structures and relations, as Argdown exports them."""
    doc, diags = parse_argdown(path.read_text(encoding="utf-8"), path.name)
    ref = _reference(path)
    assert diags == []
    assert set(doc.statements) == set(ref["statements"])
    assert set(doc.arguments) == set(ref["arguments"])
    for title, ec in ref["statements"].items():
        want = [" ".join(_TAG.sub("", mem.get("text", "")).split()) for mem in ec["members"]]  # argbrief keeps tags apart
        assert [mem.text for mem in doc.statements[title].members if mem.text] == [t for t in want if t], title
    for title, arg in ref["arguments"].items():
        want = [s["title"] for s in arg.get("pcs", [])]
        got = []
        for step in doc.arguments[title].pcs:
            got += [p for p in step.premises if p not in got] + [step.conclusion]
        assert got == want, title
    want_relations = collections.Counter(_relation_key(r["relationType"], r["from"], r["to"]) for r in ref["relations"])
    got_relations = collections.Counter(_relation_key(r.type, r.source[1], r.target[1]) for r in {(r.type, r.source, r.target): r for r in doc.relations}.values())
    assert got_relations == want_relations


@needs_corpora
@pytest.mark.parametrize("path", ARGDOWN_EXAMPLES, ids=lambda p: p.stem)
def test_argdown_map_has_every_statement_argument_and_relation(path: Path) -> None:
    ref = _reference(path)
    imported = import_file(path)
    assert_clean_and_rereadable(imported)
    amap = imported.map
    doc, _ = parse_argdown(path.read_text(encoding="utf-8"), path.name)
    free = {s.title for s in doc.free_text()}

    # Every statement (but prose: untitled, unrelated paragraphs) and every argument is one claim,
    # found by the id the importer gives it, with the text Argdown's export gives it.
    graph, _ = document_graph(doc, path.name)
    ids = {node.key: node.id for node in graph.nodes}
    nodes = amap.nodes()
    node_of: dict[tuple[str, str], m.Claim] = {}
    for kind, table in (("statement", ref["statements"]), ("argument", ref["arguments"])):
        for title, el in table.items():
            if kind == "statement" and title in free:
                continue
            node = nodes[ids[f"{kind[0]}:{title}"]]
            texts = [" ".join(_TAG.sub("", mem.get("text", "")).split()) for mem in el["members"]]
            assert node.text == next((t for t in texts if t), node.text), (kind, title)
            node_of[(kind, title)] = node
    n_statements = len(ref["statements"]) - len(free)
    assert sum(1 for _ in claims(amap)) == n_statements + len(ref["arguments"])
    # Prose is kept: in the map's summary or the note of the claim it introduces.
    kept = amap.summary + "".join(w.node.note for w in amap.walk() if isinstance(w.node, m.Claim))
    for title in free:
        text = next(mem.text for mem in doc.statements[title].members if mem.text)
        assert text in kept

    # Every relation is an edge of its type (tree edge or cross-link), unless a cycle made it go (counted).
    edges: set[tuple[str, str, str]] = set()
    for w in claims(amap):
        if w.parent is not None:
            edges.add((w.node.id, w.parent.id, w.relation))
        if isinstance(w.node, m.Claim):
            edges |= {(w.node.id, t, "supports") for t in w.node.also_supports}
            edges |= {(w.node.id, t, "attack") for t in w.node.also_attacks}
    dropped = sum(d.code == "import.cycle" for d in imported.diagnostics)
    missing = []
    for r in ref["relations"]:
        src = node_of[("statement" if r["fromType"] == "equivalence-class" else "argument", r["from"])]
        dst = node_of[("statement" if r["toType"] == "equivalence-class" else "argument", r["to"])]
        if r["relationType"] in _SYMMETRIC:  # one attack, either way, marked mutual on the attacker
            if not any((a.id, b.id, "attack") in edges and a.mutual.get(b.id) == r["relationType"]
                       for a, b in ((src, dst), (dst, src))):
                missing.append(r)
        elif (src.id, dst.id, _EDGE_TYPE[r["relationType"]]) not in edges:
            missing.append(r)
    assert len(missing) <= dropped, missing
    # Every argument is marked as one; its premise-conclusion structure: it supports its main conclusion.
    for title, arg in ref["arguments"].items():
        assert node_of[("argument", title)].argument
        pcs = arg.get("pcs") or []
        if pcs:
            conclusion = node_of[("statement", pcs[-1]["title"])]
            assert (node_of[("argument", title)].id, conclusion.id, "supports") in edges or dropped


@needs_corpora
def test_argdown_undercuts_stay_undercuts() -> None:
    path = CORPORA / "argdown" / "examples" / "legalisation-softdrugs.argdown"
    ref = _reference(path)
    amap = import_file(path).map
    assert sum(r["relationType"] == "undercut" for r in ref["relations"]) == relation_counts(amap)["undercut"] == 2
    undercutters = [w.node for w in amap.walk() if isinstance(w.node, m.Claim) and w.node.relation == "undercut"]
    assert all(isinstance(n, (m.Objection, m.Rebuttal)) for n in undercutters)


@needs_corpora
@pytest.mark.parametrize("path", ARGDOWN_ALL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_argdown_file_imports_cleanly_or_says_why(path: Path) -> None:
    """Parser fixtures included: a map that checks clean, or (prose only) a clear error."""
    imported = import_file(path)
    if imported.map is None:
        assert [d.code for d in imported.errors] == ["import.no-claims"]
        return
    assert_clean_and_rereadable(imported)


# --- SADFace --------------------------------------------------------------------------


@needs_corpora
def test_sadface_example() -> None:
    imported = import_file(CORPORA / "sadface" / "hangback" / "data.json", "sadface")
    assert_clean_and_rereadable(imported)
    amap = imported.map
    assert amap.title == "Hangback Example" and amap.id == "hangback-example"
    assert amap.thesis.text.startswith("The 'Hang Back' campaign video should not have been published")
    (group,) = amap.thesis.premises  # one support scheme with two atoms: linked premises
    assert isinstance(group, m.Group) and len(group.members) == 2
    attacked = group.members[0]
    assert len(attacked.objections) == 1 and attacked.objections[0].text.startswith("Road users")
    assert relation_counts(amap) == collections.Counter(support=2, attack=1)
    dropped = [d for d in imported.diagnostics if d.code == "import.dropped"]
    assert dropped and "analyst_email" in dropped[0].message


@needs_corpora
def test_sadface_empty_document_is_a_clear_error() -> None:
    imported = import_file(CORPORA / "sadface" / "minimal.json", "sadface")
    assert imported.map is None
    assert [d.code for d in imported.errors] == ["import.no-claims"]
