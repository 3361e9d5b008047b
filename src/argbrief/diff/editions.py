"""A pack's ``changes_since``: the earlier edition it is compared with, and what changed since then.

``changes_since`` names a git revision (``v1.0``, ``main~4``, a commit) or an
earlier pack file (a path ending in ``.yaml``/``.yml``, relative to the pack
file, inside the project). With a revision, the pack and its maps at that
revision are compared with the working tree; with a pack file, that file's
pack is compared with the current one, on the current maps (so its own
content — questions, positions, judgements — and the stances its questions
get). Problems come back as located ``pack.changes-since`` diagnostics.
"""

from __future__ import annotations

from pathlib import Path

import attrs
from attrs import frozen

from ..diagnostics import Diagnostic
from ..errors import ArgbriefError
from ..model import Pack
from ..project import Config
from .documents import diff_versions
from .result import DiffResult, Side, as_words
from .versions import Document, project_at, working_tree

_SUFFIXES = (".yaml", ".yml")


@frozen(kw_only=True)
class Edition:
    """What changed in a pack since an earlier edition.

    ``since`` is how the pack names that edition ("15 January 2025 (v1.0)");
    ``key`` identifies its content for the build cache (a commit hash, or the
    earlier file's name and content); ``result`` holds the pack's own diff
    and its maps' (nothing else of the project).
    """

    since: str
    key: str
    result: DiffResult


def is_pack_file(value: str) -> bool:
    """Whether a ``changes_since`` value names an earlier pack file rather than a git revision."""
    return value.endswith(_SUFFIXES)


def earlier_edition(config: Config, pack: Pack, pack_path: Path) -> tuple[Edition | None, tuple[Diagnostic, ...]]:
    """The :class:`Edition` ``pack.changes_since`` names (None with diagnostics when it cannot be read)."""
    value = pack.changes_since
    where = pack.spans.get("changes_since", pack.span)

    def problem(message: str, hint: str = "") -> tuple[None, tuple[Diagnostic, ...]]:
        return None, (Diagnostic(code="pack.changes-since", message=message, span=where, hint=hint),)

    now = working_tree(config)
    if is_pack_file(value):
        path = (pack_path.parent / value).resolve()
        if not path.is_relative_to(config.root):
            return problem(f"changes_since '{value}' is outside the project")
        if not path.is_file():
            return problem(f"changes_since names no file: '{value}'", "a git revision, or an earlier pack file")
        then = working_tree(config, path)
        earlier = then.focus
        if earlier is None or earlier.kind != "pack" or earlier.id != pack.id:
            what = "does not load" if earlier is None else f"holds {earlier.kind} '{earlier.id}', not pack '{pack.id}'"
            return problem(f"changes_since '{value}' {what}", "it must be an earlier edition of this pack")
        old = attrs.evolve(
            now, packs={**now.packs, pack.id: earlier}, side=Side(label=value), focus_file="", focus=None
        )
        key = f"{value}:{_digest(path)}"
    else:
        try:
            old = project_at(config, value)
        except ArgbriefError as exc:
            return problem(
                f"changes_since: {exc}", "a git revision (a tag, a branch, a commit) or an earlier pack file"
            )
        key = old.side.commit
    result = diff_versions(old, now)
    keep = {("pack", pack.id), *(("map", m) for m in pack.map_ids())}
    documents = tuple(d for d in result.documents if (d.document, d.id) in keep)
    result = attrs.evolve(result, documents=documents, diagnostics=_about(result, old, now, pack))
    return Edition(since=_since(old.packs.get(pack.id), old.side), key=key, result=result), ()


def _about(result: DiffResult, old, now, pack: Pack) -> tuple[Diagnostic, ...]:
    """The diagnostics of the files the pack uses (its own, its maps'), at either side."""
    names = {d.file for v in (old, now) for d in (v.packs.get(pack.id), *(v.maps.get(m) for m in pack.map_ids())) if d}
    names |= {name for v in (old, now) for _, name in v.broken.values()}
    return tuple(d for d in result.diagnostics if d.span.file in names)


def _since(earlier: Document | None, side: Side) -> str:
    """ "the edition of 1 February 2025 (v1.0)": the earlier pack's date, else the commit's; the revision or file."""
    date = as_words(earlier.obj.date) if earlier is not None and earlier.obj.date else side.day
    return f"{date} ({side.label})" if date else side.label


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
