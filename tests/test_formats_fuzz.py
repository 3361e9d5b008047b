"""Hostile input: mangled files of every format never crash an importer, and what they import is valid."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argbrief.diagnostics import Severity
from argbrief.formats import export_map, load_bytes, names
from argbrief.project import load_file
from argbrief.validate import validate_map

from .conftest import REPO

MICROTEXT = b"""<?xml version='1.0' encoding='UTF-8'?>
<arggraph id="micro_x" topic_id="t" stance="pro">
  <edu id="e1"><![CDATA[Claim.]]></edu>
  <edu id="e2"><![CDATA[Reason.]]></edu>
  <edu id="e3"><![CDATA[Objection.]]></edu>
  <adu id="a1" type="pro"/>
  <adu id="a2" type="pro"/>
  <adu id="a3" type="opp"/>
  <edge id="c1" src="e1" trg="a1" type="seg"/>
  <edge id="c2" src="e2" trg="a2" type="seg"/>
  <edge id="c3" src="e3" trg="a3" type="seg"/>
  <edge id="c4" src="a2" trg="a1" type="sup"/>
  <edge id="c5" src="a3" trg="c4" type="und"/>
</arggraph>
"""
SADFACE = b"""{"edges": [{"id": "e1", "source_id": "b", "target_id": "s"}, {"id": "e2", "source_id": "s", "target_id": "a"}],
 "metadata": {"core": {"title": "T"}},
 "nodes": [{"id": "a", "type": "atom", "text": "Claim."}, {"id": "b", "type": "atom", "text": "Reason."},
           {"id": "s", "type": "scheme", "name": "support"}], "resources": []}"""


def seeds() -> dict[str, bytes]:
    amap = load_file(REPO / "arguments" / "putin-wants.yaml").obj
    return {
        "argdown": export_map(amap, "argdown").encode(),
        "aif": export_map(amap, "aif").encode(),
        "json": export_map(amap, "json").encode(),
        "yaml": export_map(amap, "yaml").encode(),
        "microtext": MICROTEXT,
        "kialo": (REPO / "tests" / "fixtures" / "interchange" / "kialo" / "city-car-ban.txt").read_bytes(),
        "sadface": SADFACE,
    }


SEEDS = seeds()
PIECES = [b"{", b"}", b"[", b"]", b"<", b">", b'"', b"'", b"\\", b"\n", b"  ", b"+ ", b"- ", b"_ ", b"><", b"(1) ",
          b"----\n", b"//", b"/*", b"<!--", b"#", b"@", b":", b",", b"\x00", b"\xff", b"\r", b"\t", b"===\n",
          b"1.1. Con: ", b"-> See 1.", b"null", b"0", b"true", b'"type": "CA"', b"&amp;", b"<!DOCTYPE"]


@st.composite
def mangled(draw, fmt: str) -> bytes:
    data = bytearray(SEEDS[fmt])
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "copy"]))
        if op == "insert":
            data[pos:pos] = draw(st.sampled_from(PIECES))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 40))]
        else:
            start = draw(st.integers(0, len(data)))
            data[pos:pos] = data[start:start + draw(st.integers(1, 200))]
    return bytes(data)


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_mangled_input_never_crashes_an_importer(fmt: str) -> None:
    assert fmt in names("load")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=mangled(fmt))
    def check(data: bytes) -> None:
        imported = load_bytes(data, f"fuzz.{fmt}", fmt)
        if imported.map is None or imported.errors:
            assert imported.errors, "no map, yet no error says why"
            return
        assert [d.format() for d in validate_map(imported.map) if d.severity is Severity.ERROR] == []
        for out in names("dump"):
            assert export_map(imported.map, out)

    check()
