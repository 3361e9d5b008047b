"""The converter's quick path makes exactly what cattrs makes, and leaves everything unusual to cattrs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

from argbrief import model as m
from argbrief._yamlread import read_yaml
from argbrief.convert import _quick_hooks, _structurer, structure
from argbrief.formats.yaml import dump_map, dump_pack

from .conftest import REPO
from .test_yaml_roundtrip import SETTINGS, maps, packs

YAML_FILES = sorted(p for p in {*(REPO / "arguments").rglob("*.yaml"), *(REPO / "tests" / "fixtures").rglob("*.yaml")} if p.is_file())


def _same(a: Any, b: Any) -> bool:
    """Equal in every field, spans too (the model's own equality leaves spans out)."""
    if attrs.has(type(a)):
        return type(a) is type(b) and all(_same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(a) is type(b) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _both(data: dict, cls: type) -> tuple[Any, Any]:
    """(quick path's object or None when it declines, cattrs' object or None when it reports problems)."""
    try:
        quick = _quick_hooks()[cls](copy.deepcopy(data))
    except Exception:  # noqa: BLE001 - declining is allowed: cattrs then decides
        quick = None
    try:
        detailed = _structurer().structure(copy.deepcopy(data), cls)
    except Exception:  # noqa: BLE001
        detailed = None
    return quick, detailed


def _data(text: str) -> Any:
    data, _ = read_yaml(text, "x.yaml")
    return data


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_quick_path_makes_what_cattrs_makes(path: Path) -> None:
    data = _data(path.read_text(encoding="utf-8", errors="replace"))
    if not isinstance(data, dict):
        return
    cls = m.Pack if "pack" in data and "map" not in data else m.ArgumentMap
    quick, detailed = _both(data, cls)
    if quick is not None:
        assert detailed is not None and _same(quick, detailed)


def test_demo_files_take_the_quick_path() -> None:
    for path in sorted((REPO / "arguments").rglob("*.yaml")):
        data = _data(path.read_text(encoding="utf-8"))
        cls = m.Pack if "pack" in data else m.ArgumentMap
        assert _both(data, cls)[0] is not None, path


@SETTINGS
@given(amap=maps())
def test_quick_path_on_generated_maps(amap: m.ArgumentMap) -> None:
    quick, detailed = _both(_data(dump_map(amap)), m.ArgumentMap)
    assert quick is not None and _same(quick, detailed)


@SETTINGS
@given(pack=packs())
def test_quick_path_on_generated_packs(pack: m.Pack) -> None:
    quick, detailed = _both(_data(dump_pack(pack)), m.Pack)
    assert quick is not None and _same(quick, detailed)


@pytest.mark.parametrize(
    "text",
    [
        "map: x\ntitle: 2024\n",  # a number as text: only other formats' data holds numbers
        "map: x\nthesis:\n  id: T\n  text: t\n  colour: red\n",  # an unknown key
        "map: x\nthesis:\n  id: T\n  text: [a]\n",  # a list for text
        "map: x\nthesis:\n",  # an empty thesis
        "map: x\nthesis:\n  id: T\n  premises: P1\n",  # a string for a list
        "map: x\nthesis:\n  id: T\n  answers: {q: {stance: yes, bogus: 1}}\n",
    ],
)
def test_unusual_data_is_left_to_cattrs(text: str) -> None:
    data = _data(text)
    if "title: 2024" in text:
        data["title"] = 2024
    quick, _ = _both(data, m.ArgumentMap)
    assert quick is None
    # ... and structure() gives what cattrs' detailed pass says: the number becomes text, the rest is reported.
    amap, diags = structure(data, m.ArgumentMap, "x.yaml")
    assert (amap.title == "2024" and not diags) if "2024" in text else diags
