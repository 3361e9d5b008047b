"""Round trips through the interchange formats are the identity: map -> FORMAT -> map.

Generated maps (the strategies of tests/test_yaml_roundtrip.py: every kind, linked
groups, undercuts, cross-links, awkward text) and every map in arguments/ go out as
Argdown, AIF and JSON and come back equal (spans aside), with no diagnostics.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from argbrief import model as m
from argbrief.formats import export_map, load_bytes
from argbrief.project import load_file

from .conftest import REPO
from .test_yaml_roundtrip import maps

FORMATS = ("argdown", "aif", "json")
DEMO_MAPS = sorted((REPO / "arguments").glob("*.yaml"))
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def round_trip(amap: m.ArgumentMap, fmt: str) -> tuple[m.ArgumentMap | None, list[str], str]:
    text = export_map(amap, fmt)
    imported = load_bytes(text.encode("utf-8"), f"exported.{fmt}", fmt)
    return imported.map, [d.format() for d in imported.diagnostics], text


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
        assert back == amap
        assert export_map(back, fmt) == text

    check()
