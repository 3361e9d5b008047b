"""The JSON Schemas (`argbrief schema map|pack`) accept every real file and refuse what check refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from argbrief._yamlread import SPAN, SPANS, read_yaml
from argbrief.convert import unstructure
from argbrief.schema import json_schema

from .conftest import REPO
from .test_yaml_roundtrip import maps, packs

FIXTURES = Path(__file__).parent / "fixtures" / "check"


def _plain(data: Any) -> Any:
    """Located data without the reader's bookkeeping keys: what an editor sees."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items() if k not in (SPAN, SPANS)}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _read(path: Path) -> Any:
    data, diags = read_yaml(path.read_text(encoding="utf-8"), path.name)
    assert diags == []
    return _plain(data)


VALIDATORS = {kind: Draft202012Validator(json_schema(kind)) for kind in ("map", "pack")}


def _errors(kind: str, data: Any) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.path))}: {e.message}" for e in VALIDATORS[kind].iter_errors(data))


def test_schemas_are_valid_json_schemas() -> None:
    for kind in ("map", "pack"):
        Draft202012Validator.check_schema(json_schema(kind))


def test_schema_command_prints_it(run_cli) -> None:
    for kind in ("map", "pack"):
        code, out, _ = run_cli("schema", kind)
        assert code == 0
        assert json.loads(out) == json_schema(kind)


DEMO = sorted((REPO / "arguments").glob("*.yaml")) + sorted((REPO / "arguments" / "packs").glob("*.yaml"))
CLEAN_FIXTURE = sorted((FIXTURES / "clean" / "arguments").rglob("*.yaml"))


@pytest.mark.parametrize("path", DEMO + CLEAN_FIXTURE, ids=lambda p: p.name)
def test_every_real_file_validates(path: Path) -> None:
    kind = "pack" if path.parent.name == "packs" else "map"
    assert _errors(kind, _read(path)) == []


def test_init_project_files_validate(tmp_path: Path) -> None:
    from argbrief.skeleton import create_project

    create_project(tmp_path)
    assert _errors("map", _read(tmp_path / "arguments" / "four-day-week.yaml")) == []
    assert _errors("pack", _read(tmp_path / "arguments" / "packs" / "example.yaml")) == []
    # The files name the schemas that init wrote next to them, relative to themselves.
    first = (tmp_path / "arguments" / "four-day-week.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/map.schema.json"
    written = json.loads((tmp_path / "schemas" / "map.schema.json").read_text(encoding="utf-8"))
    assert written == json_schema("map")


def _demo_map() -> dict[str, Any]:
    return _read(REPO / "arguments" / "putin-wants.yaml")


def test_an_unknown_key_is_rejected() -> None:
    data = _demo_map()
    data["thesis"]["lable"] = "a typo"
    assert _errors("map", data) == ["thesis: Additional properties are not allowed ('lable' was unexpected)"]
    data = _demo_map()
    data["colour"] = "red"
    assert _errors("map", data) == [": Additional properties are not allowed ('colour' was unexpected)"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("thesis"), ""),  # required
        (lambda d: d.__setitem__("map", "Not_A_Slug"), "map"),
        (lambda d: d["thesis"]["premises"][0].__setitem__("answers", {"time-favours-russia": "maybe"}), "thesis/premises/0"),
        # The long form of an answer: a misspelt key, no stance, a stance that is not one.
        (lambda d: d["thesis"]["premises"][0]["answers"]["time-favours-russia"].__setitem__("qoute", "x"), "thesis/premises/0"),
        (lambda d: d["thesis"]["premises"][0]["answers"]["time-favours-russia"].pop("stance"), "thesis/premises/0"),
        (lambda d: d["thesis"]["premises"][0]["answers"]["time-favours-russia"].__setitem__("stance", "maybe"), "thesis/premises/0"),
        (lambda d: d["thesis"]["premises"][0]["evidence"][0].__setitem__("strength", "huge"), "thesis/premises/0"),
        (lambda d: d["thesis"]["premises"][0]["evidence"][0].__setitem__("premises", []), "thesis/premises/0"),
        (lambda d: d["thesis"]["premises"][0]["evidence"][0].pop("quote"), "thesis/premises/0"),
        (lambda d: d["thesis"]["premises"][0].__setitem__("tags", "not-a-list"), "thesis/premises/0"),
        (lambda d: d["thesis"]["premises"].append({"group": [{"text": "only one"}]}), "thesis/premises/"),
        (lambda d: d["recommendations"][0].__setitem__("priority", "urgent"), "recommendations/0/priority"),
        (lambda d: d["recommendations"][0].__setitem__("because", ["not an id"]), "recommendations/0/because/0"),
    ],
)
def test_what_check_refuses_the_schema_refuses(change, where: str) -> None:
    data = _demo_map()
    change(data)
    errors = _errors("map", data)
    assert errors, "the schema accepted it"
    assert errors[0].startswith(where + ":") or any(e.startswith(where) for e in errors), errors


def test_pack_schema_refuses_bad_values() -> None:
    data = _read(REPO / "arguments" / "packs" / "ukraine-options.yaml")
    assert _errors("pack", data) == []
    data["formats"] = ["pdf", "odt"]
    data["theme"] = "dark"
    data["positions"][0]["colour"] = "red"
    errors = _errors("pack", data)
    assert len(errors) == 3, errors


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(amap=maps(), pack=packs())
def test_every_generated_valid_file_validates(amap, pack) -> None:
    # The generators make maps and packs that check accepts: the schema must accept them too.
    assert _errors("map", unstructure(amap)) == []
    assert _errors("pack", unstructure(pack)) == []


def test_pack_schema_has_the_decision_keys_and_the_yardstick_terms() -> None:
    schema = json_schema("pack")
    for key in ("purpose", "decision", "bottom_line", "yardstick", "judgements", "indicators", "currency_months"):
        assert key in schema["properties"], key
    assert set(schema["$defs"]["Judgement"]["required"]) == {"id", "text", "likelihood", "confidence"}
    assert schema["$defs"]["Position"]["properties"]["appraisal"] == {"$ref": "#/$defs/Appraisal"}
    assert set(schema["$defs"]["Appraisal"]["properties"]) == {"cost", "risk", "feasibility", "reversibility"}
    map_schema = json_schema("map")
    assert {"date", "date_basis", "date_note", "kind", "reliability"} <= set(map_schema["$defs"]["Source"]["properties"])
    data = _read(REPO / "arguments" / "packs" / "ukraine-options.yaml")
    assert _errors("pack", data) == []
    data["judgements"][0]["likelihood"] = "pretty likely"
    data["judgements"][1]["confidence"] = "sure"
    data["judgements"][2]["basis"] = ["no colon"]
    data["indicators"][0]["direction"] = "up"
    data["positions"][0]["appraisal"]["cost"]["rating"] = "severe"
    paths = {e.split(":")[0] for e in _errors("pack", data)}
    assert paths == {
        "judgements/0/likelihood", "judgements/1/confidence", "judgements/2/basis/0",
        "indicators/0/direction", "positions/0/appraisal/cost/rating",
    }
    # The yardstick decides which terms are allowed.
    data = _read(REPO / "arguments" / "packs" / "ukraine-options.yaml")
    data["judgements"][0]["likelihood"] = "realistic possibility"
    assert _errors("pack", data)
    data["yardstick"] = "phia"
    data["judgements"] = [j for j in data["judgements"] if j["likelihood"] in ("likely", "unlikely")] + [data["judgements"][0]]
    assert _errors("pack", data) == []
    data = _read(REPO / "arguments" / "putin-wants.yaml")
    data["source"]["date"] = "March 2019"
    assert _errors("map", data)
