"""Fuzzing the loader: random bytes and random YAML-ish text give diagnostics, never an exception."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argbrief import load_file
from argbrief.diagnostics import CODES
from argbrief.model import ArgumentMap
from argbrief.validate import validate_map

# Pieces of argbrief YAML and of YAML syntax, glued at random: far more likely than random
# bytes to get deep into the parser, the converter and validation.
KEYS = [
    "map", "pack", "title", "thesis", "premises", "assumptions", "evidence", "objections", "rebuttals",
    "group", "id", "text", "quote", "source", "sources", "answers", "also_supports", "also_attacks",
    "because", "recommendations", "relation", "strength", "tags", "positions", "maps", "questions",
]
PIECES = [
    *(k + ":" for k in KEYS), *(k + ": " for k in KEYS),
    "\n", "\n  ", "\n    ", "\n- ", "\n  - ", "- ", "  ", "\t", ": ", ":", ",", "[", "]", "{", "}", "? ",
    "&a ", "*a", "&b ", "*b", "!!python/object:os.system ", "!x ", "!!str ", "'", '"', "\\x00", "|", ">-",
    "#", "---", "...", "%YAML 1.2", "T", "P1", "yes", "no", "qualified", "undercut", "~", "null", "true",
    "1.50", "0x1F", "\u00e9", "\u2019", "\U0001f600", "\x1b", "\x07", "\r\n", "\ufeff", "__span__", "<<",
]
yamlish = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)

# ARGBRIEF_FUZZ_EXAMPLES=2000 pytest ... runs the generators much harder than CI does.
EXAMPLES = int(os.environ.get("ARGBRIEF_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(path: Path) -> None:
    loaded = load_file(path)
    assert all(d.code in CODES for d in loaded.diagnostics)
    assert all(d.span.file == loaded.name for d in loaded.diagnostics)
    if loaded.obj is None:
        assert loaded.diagnostics, "a file that gave nothing must say why"
    if isinstance(loaded.obj, ArgumentMap):
        for d in validate_map(loaded.obj, questions=["q"]):
            assert d.code in CODES


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    _check(path)


@SETTINGS
@given(text=yamlish)
def test_random_yamlish_text_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _check(path)


@SETTINGS
@given(text=yamlish)
def test_random_text_after_a_valid_start_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text("map: fuzz\ntitle: Fuzz\nthesis:\n  id: T\n  text: t\n  " + text, encoding="utf-8")
    _check(path)
