"""The build report (``argbrief build --report FILE.json``): what went in, what came out, how long it took.

Versioned like ``argbrief check --format json``: ``version`` changes only
when a field changes meaning or goes away; new fields may be added. The
fields are documented in docs/ci.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..atomic import write_atomic
from ..paths import identity
from .run import BuildResult

REPORT_VERSION = 1


def report_data(result: BuildResult, root: Path) -> dict:
    """The report of ``result`` as JSON-ready data; paths are relative to the project ``root`` when inside it."""

    def name(path: Path) -> str:
        try:
            return identity(path).relative_to(identity(root)).as_posix()
        except ValueError:
            return path.as_posix()

    errors = sum(d.severity.value == "error" for d in result.diagnostics)
    return {
        "version": REPORT_VERSION,
        "argbrief": __version__,
        "mode": "check" if result.checked else "build",
        "ok": not result.failed and not result.stale,
        "jobs": result.jobs,
        "errors": errors,
        "warnings": len(result.diagnostics) - errors,
        "inputs": [{"path": p, "sha256": h} for p, h in result.inputs.items()],
        "outputs": [{"path": p, "sha256": h, "size": size} for p, (h, size) in result.outputs.items()],
        "units": [
            {"pack": u.pack_id, "unit": u.unit, "fresh": u.fresh, "reasons": list(u.reasons)} for u in result.units
        ],
        "written": [name(p) for p in result.report.written],
        "unchanged": [name(p) for p in result.report.unchanged],
        "removed": [name(p) for p in result.report.removed],
        "check": [{"path": name(e.path), "state": e.state, "reason": e.reason} for e in result.check],
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "timings": {k: round(v, 4) for k, v in result.timings.items()},
        "cache": {
            "units_fresh": result.cache.units_fresh,
            "units_rendered": result.cache.units_rendered,
            "dot_hits": result.cache.dot_hits,
            "dot_misses": result.cache.dot_misses,
        },
    }


def write_report(result: BuildResult, root: Path, path: Path) -> None:
    """Write the report to ``path`` atomically."""
    data = json.dumps(report_data(result, root), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, data.encode("utf-8"))
