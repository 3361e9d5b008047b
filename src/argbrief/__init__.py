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
from .compare import Comparison, build_comparison, compare_workspace
from .project import Config, Workspace, load_file, load_workspace

__all__ = [
    "CODES",
    "ArgbriefError",
    "ArgumentMap",
    "Assumption",
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
    "build_comparison",
    "compare_workspace",
    "load_file",
    "load_workspace",
]
