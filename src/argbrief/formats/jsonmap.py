"""argbrief's own JSON: the map exactly as the YAML holds it (the converter's wire format).

The document is the unstructured model — the same keys and nesting as a map
file — so ``argbrief schema map`` is its JSON Schema too, and reading it back
gives the same map.  Problems are reported with the JSON path of the value
(``thesis.premises[2].text``), since JSON carries no line numbers through the
standard parser.
"""

from __future__ import annotations

import json

from .. import convert
from ..diagnostics import Diagnostic, Severity
from ..model import ArgumentMap, SourceSpan
from ..validate import validate_map
from . import Format, Imported
from .aif import read_json

def load_json(data: bytes, name: str) -> Imported:
    """An argbrief JSON map: structured like a YAML map, then validated."""
    doc, diags = read_json(data, name, "argbrief JSON")
    if doc is None:
        return Imported(map=None, diagnostics=tuple(diags))
    if not isinstance(doc, dict):
        return Imported(map=None, diagnostics=(*diags, Diagnostic(
            code="schema.not-mapping", message="the top level must be an object with the map's keys", span=SourceSpan(name))))
    amap, more = convert.structure(doc, ArgumentMap, name)
    diags = list(diags) + [_without_position(d, name) for d in more]
    if amap is not None:
        diags += [d for d in validate_map(amap) if d.severity is Severity.ERROR]  # warnings are for 'check'
    return Imported(map=amap, diagnostics=tuple(diags))


def _without_position(d: Diagnostic, name: str) -> Diagnostic:
    # The converter falls back to line 1 column 1 when data has no marks; for JSON say only the file.
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
