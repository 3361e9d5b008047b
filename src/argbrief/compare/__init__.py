"""Compare a pack's positions: questions x positions, agreement and clash, evidence on each side.

:func:`build_comparison` (pure) takes a pack and its maps and returns a frozen
:class:`Comparison`; :mod:`.report` turns one into JSON, Markdown or a rich
table.  Read :mod:`.analysis` first, then the part you need: :mod:`.stances`
(who says what, and the polarity rule), :mod:`.clashes`, :mod:`.health`,
:mod:`.shared` (one passage, several positions), :mod:`.actors`.  The rules and
the JSON schema are in docs/compare.md.
"""

# fmt: off
from .analysis import build_comparison, compare_workspace, comparison_errors
from .report import JSON_SCHEMA, comparison_to_json, print_text, render_json, render_markdown
from .result import (
    ASCII_SYMBOLS,
    CELL_STANCES,
    JSON_VERSION,
    MIXED,
    NO,
    QUALIFIED,
    SILENT,
    SYMBOLS,
    VERDICTS,
    YES,
    ActorRow,
    Basis,
    Cell,
    ClaimRef,
    Comparison,
    EvidenceItem,
    EvidenceUse,
    Health,
    ObjectionRef,
    QuestionResult,
    RecommendationRef,
    SharedEvidence,
    strongest_strength,
)
from .stances import combine_stances

__all__ = [
    "ASCII_SYMBOLS", "CELL_STANCES", "JSON_SCHEMA", "JSON_VERSION", "MIXED", "NO", "QUALIFIED",
    "SILENT", "SYMBOLS", "VERDICTS", "YES",
    "ActorRow", "Basis", "Cell", "ClaimRef", "Comparison", "EvidenceItem", "EvidenceUse", "Health",
    "ObjectionRef", "QuestionResult", "RecommendationRef", "SharedEvidence",
    "build_comparison", "combine_stances", "compare_workspace", "comparison_errors",
    "comparison_to_json", "print_text", "render_json", "render_markdown", "strongest_strength",
]
# fmt: on
