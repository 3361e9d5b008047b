"""argbrief: argument maps to Graphviz diagrams and Word/PDF/HTML briefing packs that compare positions.

The Python API mirrors the command line::

    from argbrief import Config, load_workspace
    ws = load_workspace(Config.discover())
    for d in ws.diagnostics:
        print(d.format())
"""

from __future__ import annotations

__version__ = "0.1.0"

from .diagnostics import CODES, Diagnostic, Severity
from .errors import ArgbriefError, ConfigError, InputError, ToolError, UsageError
from .model import (
    Answer,
    ArgumentMap,
    Assumption,
    Claim,
    Evidence,
    Group,
    Objection,
    Pack,
    Position,
    Premise,
    Question,
    Rebuttal,
    Recommendation,
    Source,
    SourceSpan,
    Thesis,
)
from .project import Config, Workspace, load_file, load_workspace

_LAZY = {
    "BuildEvent": "builder",
    "BuildResult": "builder",
    "build": "builder",
    "Comparison": "compare",
    "build_comparison": "compare",
    "compare_workspace": "compare",
    "export_map": "formats",
    "import_file": "formats",
    "write_atomic": "atomic",
}


def __getattr__(name: str):  # PEP 562: loaded on first use, so `argbrief check` starts faster
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'argbrief' has no attribute {name!r}")

__all__ = [
    "CODES",
    "Answer",
    "ArgbriefError",
    "ArgumentMap",
    "Assumption",
    "BuildEvent",
    "BuildResult",
    "Claim",
    "Comparison",
    "Config",
    "ConfigError",
    "Diagnostic",
    "Evidence",
    "Group",
    "InputError",
    "Objection",
    "Pack",
    "Position",
    "Premise",
    "Question",
    "Rebuttal",
    "Recommendation",
    "Severity",
    "Source",
    "SourceSpan",
    "Thesis",
    "ToolError",
    "UsageError",
    "Workspace",
    "__version__",
    "build",
    "build_comparison",
    "compare_workspace",
    "export_map",
    "import_file",
    "load_file",
    "load_workspace",
    "write_atomic",
]
