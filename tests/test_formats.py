"""The format registry, the import/export commands, and each format's reader and writer on small inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argbrief import model as m
from argbrief.diagnostics import Severity
from argbrief.errors import UsageError
from argbrief.formats import (
    Format,
    _table,
    export_format,
    export_map,
    formats,
    get_format,
    import_file,
    infer_format,
    load_bytes,
    names,
)
from argbrief.formats._graph import ISSUE_NOTE, GLink, GNode, Graph, build_map
from argbrief.formats.graphml import G, Y
from argbrief.project import load_file
from argbrief.schema import json_schema
from argbrief.validate import validate_map

from .conftest import REPO

from .conftest import SHARED, needs_shared  # noqa: E402
CORPORA = SHARED / "corpora"
needs_corpora = needs_shared(CORPORA)
KIALO = REPO / "tests" / "fixtures" / "interchange" / "kialo"
PUTIN = REPO / "arguments" / "putin-wants.yaml"
MICRO = CORPORA / "arg-microtexts" / "en" / "micro_b001.xml"


def putin() -> m.ArgumentMap:
    return load_file(PUTIN).obj


# --- the registry --------------------------------------------------------------------------


def test_every_format_is_registered_once_with_what_it_can_do() -> None:
    table = formats()
    assert list(table) == sorted(table)
    assert set(names("load")) == {"aif", "argdown", "json", "kialo", "microtext", "sadface", "yaml"}
    assert set(names("dump")) == {"aif", "argdown", "graphml", "json", "yaml"}
    assert all(f.description and f.suffixes for f in table.values())


def test_duplicate_names_are_refused() -> None:
    fmt = Format(name="x", suffixes=(".x",), description="x", dump=lambda amap: "")
    with pytest.raises(ValueError, match="two interchange formats are named 'x'"):
        _table([fmt, fmt])
    with pytest.raises(ValueError, match="neither load nor dump"):
        _table([Format(name="y", suffixes=(".y",), description="y")])


def test_unknown_names_get_did_you_mean() -> None:
    with pytest.raises(UsageError, match=r"unknown format 'argdwn' \(did you mean 'argdown'\?\)"):
        get_format("argdwn")
    with pytest.raises(UsageError, match="format 'microtext' cannot be written; formats that can: aif, argdown"):
        get_format("microtext", "dump")
    with pytest.raises(UsageError, match="cannot be read"):
        get_format("graphml", "load")


@pytest.mark.parametrize(
    ("name", "need", "expected"),
    [
        ("debate.argdown", "load", "argdown"),
        ("micro_b001.xml", "load", "microtext"),
        ("discussion.txt", "load", "kialo"),
        ("nodeset10.aif.json", "load", "aif"),
        ("data.sadface.json", "load", "sadface"),
        ("map.argbrief.json", "load", "json"),
        ("MAP.YAML", "load", "yaml"),
        ("map.graphml", "dump", "graphml"),
        ("map.argdown", "dump", "argdown"),
    ],
)
def test_suffixes_name_a_format_when_only_one_claims_them(name: str, need: str, expected: str) -> None:
    assert infer_format(Path(name), need, "--from").name == expected


def test_no_silent_fallback_for_shared_or_unknown_suffixes() -> None:
    with pytest.raises(UsageError, match=r"the suffix fits several formats \(aif, json, sadface\); say which with --from"):
        infer_format(Path("data.json"), "load", "--from")
    with pytest.raises(UsageError, match=r"the suffix fits several formats \(aif, json\); say which with --to"):
        infer_format(Path("out.json"), "dump", "--to")
    with pytest.raises(UsageError, match="cannot tell the format from '.docx'"):
        infer_format(Path("brief.docx"), "load", "--from")
    with pytest.raises(UsageError, match="say which format to write with --to"):
        export_format(None, None)
    with pytest.raises(UsageError, match="has the suffix of graphml, but the format asked for is aif"):
        export_format("aif", Path("x.graphml"))
    assert export_format("aif", Path("x.json")).name == "aif"


# --- the command line -------------------------------------------------------------------


@needs_corpora
def test_import_writes_yaml_that_checks_clean(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "micro-b001.yaml"
    code, stdout, stderr = run_cli("import", str(MICRO), "-o", str(out))
    assert code == 0, stderr
    assert "micro_b001.xml:20:3: warning: claims 'a3' and 'a4' undercut" in stderr
    assert f"imported 5 claims from {MICRO}, 1 warning; wrote {out}" in stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("map: micro-b001\ntitle: We Berliners should take the chance")
    assert "relation: undercut" in text
    code, stdout, stderr = run_cli("check", str(out), cwd=tmp_path)
    assert code == 0, stdout
    assert "0 errors" in stderr
    # An existing file is not replaced without --force.
    code, _, stderr = run_cli("import", str(MICRO), "-o", str(out))
    assert code == 2 and "exists; add --force" in stderr
    assert run_cli("import", str(MICRO), "-o", str(out), "--force")[0] == 0


@needs_corpora
def test_import_to_stdout_and_format_choice(run_cli) -> None:
    sadface = CORPORA / "sadface" / "hangback" / "data.json"
    code, stdout, stderr = run_cli("import", str(sadface))
    assert code == 2 and "fits several formats (aif, json, sadface); say which with --from" in stderr
    code, stdout, stderr = run_cli("import", str(sadface), "--from", "sadface")
    assert code == 0 and stdout.startswith("map: hangback-example\n")
    code, _, stderr = run_cli("import", str(sadface), "--from", "sadfac")
    assert code == 2 and "did you mean 'sadface'?" in stderr


def test_import_of_bad_input_exits_1_with_located_diagnostics(run_cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"nodes": [\n  {"nodeID": "1",, "type": "I"}\n]}\n', encoding="utf-8")
    code, stdout, stderr = run_cli("import", str(broken), "--from", "aif", "-o", str(tmp_path / "out.yaml"))
    assert code == 1 and stdout == ""
    assert f"{broken}:2:18: error: not valid JSON" in stderr and "[import.syntax]" in stderr
    assert not (tmp_path / "out.yaml").exists()
    code, _, stderr = run_cli("import", str(tmp_path / "missing.argdown"))
    assert code == 1 and "[input.not-found]" in stderr


def test_export_every_format_to_stdout_and_files(run_cli, tmp_path: Path) -> None:
    for fmt in names("dump"):
        code, stdout, stderr = run_cli("export", str(PUTIN), "--to", fmt)
        assert code == 0, stderr
        assert stdout == export_map(putin(), fmt)
    code, _, stderr = run_cli("export", str(PUTIN), "-o", str(tmp_path / "putin.graphml"))
    assert code == 0 and "(graphml)" in stderr
    ET.parse(tmp_path / "putin.graphml")
    code, _, stderr = run_cli("export", str(PUTIN), "-o", str(tmp_path / "putin.json"))
    assert code == 2 and "say which with --to" in stderr
    code, _, stderr = run_cli("export", str(PUTIN), "--to", "aif", "-o", str(tmp_path / "putin.aif.json"))
    assert code == 0
    assert json.loads((tmp_path / "putin.aif.json").read_text(encoding="utf-8"))["nodes"][0]["nodeID"] == "1"


def test_export_by_map_id_and_refusal_of_broken_maps(run_cli, tmp_path: Path) -> None:
    code, stdout, _ = run_cli("-C", str(REPO), "export", "putin-wants", "--to", "argdown")
    assert code == 0 and "[T]: A quick, partial deal would backfire" in stdout
    code, _, stderr = run_cli("-C", str(REPO), "export", "putin-want", "--to", "argdown")
    assert code == 2 and "did you mean 'putin-wants'?" in stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("map: bad\ntitle: Bad\nthesis:\n  id: T\n  text: x\n  also_supports: [P9]\n", encoding="utf-8")
    code, stdout, stderr = run_cli("export", str(bad), "--to", "aif")
    assert code == 1 and stdout == ""
    assert "bad.yaml:6:" in stderr and "[ref.unknown-target]" in stderr and "cannot export" in stderr


def test_export_converts_between_foreign_formats(run_cli, tmp_path: Path) -> None:
    source = tmp_path / "debate.argdown"
    source.write_text("[Claim]: Cars should go.\n  + [Air]: The air gets cleaner.\n  - [Trade]: Shops lose trade.\n", encoding="utf-8")
    code, stdout, _ = run_cli("export", str(source), "--to", "aif")
    assert code == 0
    kinds = [n["type"] for n in json.loads(stdout)["nodes"]]
    assert kinds.count("I") == 3 and kinds.count("RA") == 1 and kinds.count("CA") == 1


# --- determinism ------------------------------------------------------------------------


def test_exports_are_byte_identical_across_processes() -> None:
    """No uuids, timestamps or hash order: two interpreters with different hash seeds write the same bytes."""
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from argbrief.formats import export_map, names
        from argbrief.project import load_file
        amap = load_file(Path({str(PUTIN)!r})).obj
        sys.stdout.write("".join(export_map(amap, f) for f in sorted(names("dump"))))
        """
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert b"timestamp" not in outputs[0]


@needs_corpora
def test_imports_are_deterministic() -> None:
    first = export_map(import_file(CORPORA / "aif" / "qt30-subset" / "nodeset25445.json", "aif").map, "yaml")
    again = export_map(import_file(CORPORA / "aif" / "qt30-subset" / "nodeset25445.json", "aif").map, "yaml")
    assert first == again


# --- JSON --------------------------------------------------------------------------------


def test_json_export_follows_the_map_schema() -> None:
    doc = json.loads(export_map(putin(), "json"))
    jsonschema.validate(doc, json_schema("map"))
    assert doc["map"] == "putin-wants" and doc["thesis"]["id"] == "T"


def test_json_import_reports_paths() -> None:
    doc = {"map": "x", "title": "x", "thesis": {"id": "T", "text": "x", "premises": [{"id": "P1", "txt": "typo"}]}}
    imported = load_bytes(json.dumps(doc).encode(), "x.json", "json")
    (d,) = [d for d in imported.diagnostics if d.code == "schema.unknown-key"]
    assert "unknown key 'txt'" in d.message and d.hint == "did you mean 'text'?"
    not_object = load_bytes(b"[1, 2]", "x.json", "json")
    assert not_object.map is None and not_object.errors[0].code == "schema.not-mapping"


def test_json_import_refuses_what_a_map_file_cannot_hold_and_names_the_file() -> None:
    """Control characters and lone surrogate halves (JSON escapes can hold both) are errors, as 'check' makes
    them in YAML; every diagnostic names the file, never '<unknown>'."""
    doc = {"map": "x", "title": "a\u0000b", "thesis": {"id": "T", "text": "t\ud800", "premises": [
        {"id": "P1", "text": "p"}, {"id": "P1", "text": "again", "also_supports": ["ZZ"]}]}}
    imported = load_bytes(json.dumps(doc).encode(), "x.json", "json")
    shown = [d.format() for d in imported.diagnostics]
    assert shown == [
        "x.json: error: title: text contains the control character U+0000 (remove it; only tab and newline are allowed) [input.control-char]",
        "x.json: error: thesis.text: text contains the control character U+D800 (remove it; only tab and newline are allowed) [input.control-char]",
        "x.json: error: id 'P1' is used twice (first used by the premise) [id.duplicate]",
        "x.json: error: premise 'P1' also supports unknown node 'ZZ' [ref.unknown-target]",
    ]


@pytest.mark.parametrize("fmt", ["aif", "sadface"])
def test_a_lone_surrogate_in_a_json_source_becomes_a_space_and_the_map_checks(fmt: str, tmp_path: Path, run_cli) -> None:
    source = {
        "aif": {"nodes": [{"nodeID": "1", "text": "a \ud800 claim", "type": "I"}], "edges": []},
        "sadface": {"metadata": {"core": {"title": "t\udfff"}}, "nodes": [{"id": "1", "type": "atom", "text": "a \ud800 claim"}],
                    "edges": []},
    }[fmt]
    (tmp_path / "in.json").write_text(json.dumps(source), encoding="ascii")  # the escapes as written: "\ud800"
    code, _, err = run_cli("import", "in.json", "--from", fmt, "-o", "m.yaml", cwd=tmp_path)
    assert code == 0 and "[import.control-char]" in err, err
    assert "\\u" not in (tmp_path / "m.yaml").read_text(encoding="utf-8")
    code, out, err = run_cli("check", "m.yaml", "--select", "input.,yaml.,schema.", cwd=tmp_path)
    assert code == 0, out


# --- AIF --------------------------------------------------------------------------------


def test_aif_export_shape() -> None:
    doc = json.loads(export_map(putin(), "aif"))
    assert list(doc) == ["nodes", "edges", "locutions", "argbrief"]
    ids = [n["nodeID"] for n in doc["nodes"]]
    assert ids == [str(i) for i in range(1, len(ids) + 1)]
    assert all(set(n) <= {"nodeID", "text", "type", "scheme"} for n in doc["nodes"])
    types = [n["type"] for n in doc["nodes"]]
    amap = putin()
    n_claims = sum(1 for w in amap.walk() if w.relation != "follows")
    assert types.count("I") == n_claims
    assert types.count("CA") == sum(1 for w in amap.walk() if w.relation in ("attack", "undercut"))
    # The undercut B1 targets the conflict node of O1's attack, not a claim.
    by_id = {n["nodeID"]: n for n in doc["nodes"]}
    ext = doc["argbrief"]["nodes"]
    b1 = next(k for k, v in ext.items() if v.get("id") == "B1")
    ca = next(e["toID"] for e in doc["edges"] if e["fromID"] == b1)
    target = next(e["toID"] for e in doc["edges"] if e["fromID"] == ca)
    assert by_id[target]["type"] == "CA"


def test_aif_malformed_parts_are_counted_with_paths() -> None:
    doc = {
        "nodes": [
            {"nodeID": "1", "text": "Claim", "type": "I"},
            {"nodeID": "2", "text": "Reason", "type": "I"},
            {"nodeID": "3", "text": "RA", "type": "RA"},
            {"nodeID": "4", "text": "RA", "type": "RA"},
            {"nodeID": "5", "text": "Speaker: words", "type": "L"},
        ],
        "edges": [
            {"edgeID": "1", "fromID": "2", "toID": "3"},
            {"edgeID": "2", "fromID": "3", "toID": "1"},
            {"edgeID": "3", "fromID": "2", "toID": "4"},
            {"edgeID": "4", "fromID": "9", "toID": "1"},
        ],
    }
    imported = load_bytes(json.dumps(doc).encode(), "x.json", "aif")
    messages = [d.message for d in imported.diagnostics]
    assert "edges[3] links node '9', which the file does not have; it is skipped" in messages
    assert "nodes[3]: inference (RA) '4' has no conclusion; it is skipped" in messages
    assert "nodes a map cannot hold were dropped: 1 L (locution)" in messages
    assert imported.map.thesis.text == "Claim" and imported.map.thesis.premises[0].text == "Reason"
    assert load_bytes(b'{"a": 1}', "x.json", "aif").errors[0].message.startswith("not AIF")


# --- Argdown --------------------------------------------------------------------------------


def test_argdown_export_reads_like_argdown() -> None:
    text = export_map(putin(), "argdown")
    lines = text.splitlines()
    assert lines[0] == "===" and "argbrief:" in lines
    assert "[T]: A quick, partial deal would backfire; Washington should instead even up the scales" in text
    assert "    _ [B1]: Welcoming a summit is no sign of readiness to compromise" in text  # an undercut
    assert "    + <P4.1 + P4.2>" in text and "<P4.1 + P4.2> {group: true}" in text  # a linked group ...
    assert "----\n(3) [P4]" in text  # ... as an argument concluding its parent
    assert "{kind: quote, strength: strong}" in text
    assert max(len(line) for line in lines) <= 100  # wrapped, data included


def test_argdown_user_text_is_escaped() -> None:
    thesis = m.Thesis(id="T", text="<Carbon tax works> [sic] #1 {not data} // not a comment *really* @[x]",
                      premises=(m.Premise(id="P", text="- looks like a relation\n(1) and a premise"),))
    amap = m.ArgumentMap(id="x", title="x", thesis=thesis)
    text = export_map(amap, "argdown")
    assert r"[T]: \<Carbon tax works\> \[sic\] \#1 \{not data\} \// not a comment \*really\* \@\[x\]" in text
    back = load_bytes(text.encode(), "x.argdown", "argdown")
    assert back.map == amap and back.diagnostics == ()


def test_argdown_problems_are_located() -> None:
    source = textwrap.dedent(
        """\
        [A]: Claim. {bad: [yaml}
          + [B]: Reason.

        /* never closed
        """
    )
    imported = load_bytes(source.encode(), "doc.argdown", "argdown")
    found = {(d.code, d.span.line, d.span.column) for d in imported.diagnostics}
    assert ("argdown.syntax", 4, 1) in found
    bad_data = [d for d in imported.diagnostics if d.code == "argdown.bad-data"]
    assert bad_data and bad_data[0].span.line == 1 and bad_data[0].span.column > 12
    assert imported.map.thesis.premises[0].text == "Reason."


def test_argdown_reading_keeps_undercuts_and_linked_premises() -> None:
    source = textwrap.dedent(
        """\
        ===
        title: Carbon tax
        ===

        [Tax]: A carbon tax is the best climate policy.
          + <Price signal>: A price makes polluters cut where it is cheapest.
            <_ [Leakage]: Firms move abroad, so the price cuts nothing.
          - [Regressive]: It hits poor households hardest. #equity

        <Price signal>

        (1) Polluters respond to prices.
        (2) Cutting where it is cheapest lowers the total cost.
        ----
        (3) [Tax]
        """
    )
    imported = load_bytes(source.encode(), "tax.argdown", "argdown")
    amap = imported.map
    assert imported.diagnostics == () and amap.title == "Carbon tax"
    signal = amap.thesis.premises[0]
    assert signal.id == "Price-signal" and signal.label == "Price signal"
    (group,) = signal.premises
    assert isinstance(group, m.Group) and [p.text for p in group.members] == [
        "Polluters respond to prices.", "Cutting where it is cheapest lowers the total cost."]
    (leakage,) = signal.objections
    assert leakage.id == "Leakage" and leakage.relation == "undercut"
    assert amap.thesis.objections[0].tags == ("equity",)


# --- microtexts ----------------------------------------------------------------------------


def test_microtext_xml_errors_are_located_and_entities_refused() -> None:
    broken = load_bytes(b"<arggraph id='x'>\n  <edu id='e1'>text</edu\n</arggraph>\n", "x.xml", "microtext")
    (d,) = broken.errors
    assert d.code == "import.syntax" and d.span.line == 3 and "not well-formed" in d.message
    bomb = b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY a 'aaaa'>]><arggraph id='x'>&a;</arggraph>"
    assert "entity declarations are not allowed" in load_bytes(bomb, "x.xml", "microtext").errors[0].message
    assert "not a microtext arggraph" in load_bytes(b"<html/>", "x.xml", "microtext").errors[0].message


# --- Kialo -------------------------------------------------------------------------------


def test_kialo_tree_links_and_text() -> None:
    imported = import_file(KIALO / "city-car-ban.txt")
    amap = imported.map
    assert imported.diagnostics == ()
    assert amap.id == "city-car-ban" and amap.title == "Should cities ban private cars from their centres?"
    nodes = amap.nodes()
    assert amap.thesis.id == "c1" and [p.id for p in amap.thesis.premises] == ["c1.1", "c1.3"]
    assert nodes["c1.1.1"] in nodes["c1.1"].objections  # Con under Pro: an objection
    assert nodes["c1.1.1.1"] in nodes["c1.1.1"].rebuttals  # Con under Con: a rebuttal
    assert nodes["c1.1.1"].also_supports == ("c1.2",)  # '1.2.1. Pro: -> See 1.1.1.'
    assert nodes["c1.2.2"].text == "Permits for deliveries and blue-badge holders can keep access open\nwhile still banning through traffic."
    assert "WHO fact sheet (https://www.who.int/)" in nodes["c1.1.2"].text
    assert nodes["c1.3"].text.endswith("(and everyone else).")


def test_kialo_see_link_to_a_later_claim_keeps_the_written_tree() -> None:
    amap = import_file(KIALO / "four-day-week.txt").map
    nodes = amap.nodes()
    assert nodes["c1.3"] in amap.thesis.objections and nodes["c1.3"].also_supports == ("c1.2",)


def test_kialo_problems() -> None:
    not_kialo = load_bytes(b"Hello\n1. x\n", "x.txt", "kialo")
    assert not_kialo.errors[0].message.startswith("not a Kialo export")
    odd = load_bytes(b"Discussion Title: T\n\n1. Claim\n1.1. Reason without stance\n1.2. Con: -> See 9.9.\n", "x.txt", "kialo")
    messages = [d.message for d in odd.diagnostics]
    assert "claim 1.1. says neither 'Pro:' nor 'Con:'; it is read as a Pro" in messages
    assert "'-> See 9.9.' names no claim of the discussion; it is skipped" in messages


# --- GraphML --------------------------------------------------------------------------------


def test_graphml_for_yed() -> None:
    amap = putin()
    root = ET.fromstring(export_map(amap, "graphml"))
    g = f"{{{G}}}"
    nodes = root.iter(f"{g}node")
    data = {}
    for node in nodes:
        values = {d.get("key"): d.text for d in node.findall(f"{g}data") if d.get("key") != "ng"}
        data[node.get("id")] = values
        assert node.find(f"{g}data/{{{Y}}}ShapeNode") is not None or values.get("kind") == "group"
    kinds = [v["kind"] for v in data.values()]
    walked = [w for w in amap.walk() if w.relation != "follows"]
    assert len(kinds) - kinds.count("group") == len(walked)
    assert kinds.count("group") == sum(isinstance(i, m.Group) for w in walked if isinstance(w.node, m.Claim) for i in w.node.premises)
    edges = list(root.iter(f"{g}edge"))
    relations = [next(d.text for d in e.findall(f"{g}data") if d.get("key") == "relation") for e in edges]
    assert relations.count("attack") + relations.count("undercut") == sum(1 for w in walked if w.relation in ("attack", "undercut"))
    texts = {v.get("text") for v in data.values()}
    assert amap.thesis.text in texts


def test_graphml_escapes_user_text() -> None:
    amap = m.ArgumentMap(id="x", title="A & B", thesis=m.Thesis(id="T", text='<b>bold</b> & "quoted"'))
    root = ET.fromstring(export_map(amap, "graphml"))
    (text,) = [d.text for d in root.iter(f"{{{G}}}data") if d.get("key") == "text"]
    assert text == '<b>bold</b> & "quoted"'


# --- the builder: any graph makes a valid map ------------------------------------------------

@st.composite
def graphs(draw) -> Graph:
    """Small arbitrary graphs: cycles, self-links, linked attacks, undercuts, kind hints, clashing ids."""
    n = draw(st.integers(1, 10))
    keys = [f"k{i}" for i in range(n)]
    nodes = tuple(
        GNode(
            key=k,
            text=draw(st.sampled_from(["A claim.", "", "Another claim.", "x\x07y"])),
            id=draw(st.sampled_from(["", "P", "P", "a b", "1x", k])),
            fields={"kind": draw(st.sampled_from(["", "assumption", "quote", "evidence"]))},
        )
        for k in keys
    )
    links = []
    for i in range(draw(st.integers(0, 14))):
        premises = tuple(draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3)))
        relation = draw(st.sampled_from(["supports", "attack", "undercut"]))
        undercut_of = draw(st.sampled_from(["", "l0", "l1"])) if relation == "undercut" else ""
        links.append(GLink(premises=premises, target=draw(st.sampled_from(keys)), relation=relation, key=f"l{i}", undercut_of=undercut_of))
    return Graph(name="g.json", nodes=nodes, links=tuple(links), merge_duplicates=draw(st.booleans()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=graphs())
def test_builder_makes_a_valid_map_from_any_graph(graph: Graph) -> None:
    amap, diags = build_map(graph)
    assert amap is not None
    assert [d.format() for d in diags if d.severity is Severity.ERROR] == []
    assert [d.format() for d in validate_map(amap) if d.severity is Severity.ERROR] == []
    synthetic = amap.thesis.note.startswith(ISSUE_NOTE.split("{")[0])
    claims = [w for w in amap.walk() if not (synthetic and w.parent is None)]
    assert len(claims) == len({n.key for n in graph.nodes})  # every claim, once
