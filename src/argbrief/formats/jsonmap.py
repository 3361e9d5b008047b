"""argbrief's own JSON: the map exactly as the YAML holds it (the converter's wire format).

The document is the unstructured model — the same keys and nesting as a map
file — so ``argbrief schema map`` is its JSON Schema too, and reading it back
gives the same map.  Problems are reported with the JSON path of the value
(``thesis.premises[2].text``), since JSON carries no line numbers through the
standard parser.
"""

from __future__ import annotations

import json
from typing import Any

from .. import convert
from ..diagnostics import Diagnostic, Severity
from ..model import ArgumentMap, SourceSpan
from ..validate import validate_map
from . import Format, Imported
from ._graph import NOT_IN_YAML
from .aif import read_json

def load_json(data: bytes, name: str) -> Imported:
    """An argbrief JSON map: structured like a YAML map, then validated."""
    doc, diags = read_json(data, name, "argbrief JSON")
    if doc is None:
        return Imported(map=None, diagnostics=tuple(diags))
    if not isinstance(doc, dict):
        return Imported(map=None, diagnostics=(*diags, Diagnostic(
            code="schema.not-mapping", message="the top level must be an object with the map's keys", span=SourceSpan(name))))
    diags += _refused_characters(doc, name)
    amap, more = convert.structure(doc, ArgumentMap, name)
    if amap is not None:
        more += [d for d in validate_map(amap) if d.severity is Severity.ERROR]  # warnings are for 'check'
    return Imported(map=amap, diagnostics=tuple(diags + [_without_position(d, name) for d in more]))


def _refused_characters(doc: Any, name: str) -> list[Diagnostic]:
    """Texts holding a character a map file cannot hold (as 'check' refuses it there), named by their JSON path."""
    found = []
    todo: list[tuple[str, Any]] = [("", doc)]
    while todo:  # no recursion: the JSON may be nested as deeply as its parser allows
        path, value = todo.pop()
        if isinstance(value, str) and (bad := NOT_IN_YAML.search(value)):
            found.append(Diagnostic(
                code="input.control-char", message=f"{path}: text contains the control character U+{ord(bad.group()):04X}",
                span=SourceSpan(name), hint="remove it; only tab and newline are allowed"))
        elif isinstance(value, dict):
            todo += reversed([(f"{path}.{key}" if path else str(key), item) for key, item in value.items()])
        elif isinstance(value, list):
            todo += reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)])
    return found


def _without_position(d: Diagnostic, name: str) -> Diagnostic:
    # The converter falls back to line 1 column 1 when data has no marks, the model to no file at all
    # (NOWHERE); for JSON say only the file.
    import attrs

    return attrs.evolve(d, span=SourceSpan(name)) if d.span.line <= 1 else d


def dump_json(amap: ArgumentMap) -> str:
    """``amap`` as JSON with the map file's keys (indented, keys in model order, UTF-8 kept)."""
    return json.dumps(convert.unstructure(amap), indent=2, ensure_ascii=False) + "\n"


FORMAT = Format(
    name="json",
    suffixes=(".argbrief.json", ".json"),
    description="argbrief's map as JSON (the YAML's keys; 'argbrief schema map' validates it)",
    load=load_json,
    dump=dump_json,
)
