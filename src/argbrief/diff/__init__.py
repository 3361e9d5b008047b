"""What changed in the argument between two versions: ``argbrief diff`` (docs/diff.md).

Read in this order: :mod:`.versions` (the two sides: a git revision, the
working tree or one file, loaded like ``check`` loads them), :mod:`.maps`
(node matching, renamed ids, field by field), :mod:`.packs` (stances and
verdicts through :mod:`argbrief.compare`), :mod:`.documents` (pairing maps and
packs), :mod:`.result` (the frozen change list) and :mod:`.report` (text,
Markdown, JSON and its schema). :mod:`.git` is the only place ``git`` runs.
"""

from __future__ import annotations

from .documents import diff_versions
from .maps import ELSEWHERE_RATIO, SAME_PLACE_RATIO, MapDiff, diff_maps, index, match, node_text
from .packs import diff_packs
from .result import JSON_VERSION, OPS, STATUSES, SUBJECTS, Change, DiffResult, DocumentDiff, Side
from .versions import Version, at_revision, sides, working_tree

__all__ = [
    "ELSEWHERE_RATIO",
    "JSON_VERSION",
    "OPS",
    "SAME_PLACE_RATIO",
    "STATUSES",
    "SUBJECTS",
    "Change",
    "DiffResult",
    "DocumentDiff",
    "MapDiff",
    "Side",
    "Version",
    "at_revision",
    "diff_maps",
    "diff_packs",
    "diff_versions",
    "index",
    "match",
    "node_text",
    "sides",
    "working_tree",
]
