"""Two versions of a project (or of one file) -> a :class:`DiffResult`: pair the maps and packs, diff each pair.

Maps and packs are paired by id, not by file name, so moving a map to another
file is no change. A file that does not load on one side is reported with its
diagnostics and its document is ``not-compared``: never called removed or added.
"""

from __future__ import annotations

from ..diagnostics import sort_diagnostics
from ..errors import ArgbriefError
from .maps import MapDiff, diff_maps
from .packs import diff_packs
from .result import Change, DiffResult, DocumentDiff
from .versions import Document, Version


def diff_versions(old: Version, new: Version) -> DiffResult:
    """What changed from ``old`` to ``new``: every map and pack, or the one file each side focuses on."""
    if old.focus_file or new.focus_file:
        return _diff_files(old, new)
    diags = sort_diagnostics((*old.diagnostics, *new.diagnostics))
    matches: dict[str, dict[str, str]] = {}
    documents: list[DocumentDiff] = []
    for mid in sorted({*old.maps, *new.maps}):
        doc, found = _pair(old, new, old.maps.get(mid), new.maps.get(mid))
        if found is not None:
            matches[mid] = dict(found.matches)
        if doc is not None:
            documents.append(doc)
    for pid in sorted({*old.packs, *new.packs}):
        doc, _ = _pair(old, new, old.packs.get(pid), new.packs.get(pid), matches)
        if doc is not None:
            documents.append(doc)
    documents += _broken_alone(old, new)
    return DiffResult(old=old.side, new=new.side, documents=tuple(documents), diagnostics=tuple(diags))


def _diff_files(old: Version, new: Version) -> DiffResult:
    names = {old.focus_file, new.focus_file}
    diags = sort_diagnostics(d for d in (*old.diagnostics, *new.diagnostics) if d.span.file in names)
    a, b = old.focus, new.focus
    if a is None or b is None:
        broken = [v.focus_file for v in (old, new) if v.focus is None]
        doc = DocumentDiff(
            document=(a or b).kind if (a or b) else "map",
            id=(a or b).id if (a or b) else broken[0],
            status="not-compared",
            old_file=old.focus_file,
            new_file=new.focus_file,
            note=f"{' and '.join(broken)} {'do' if len(broken) > 1 else 'does'} not load (see the errors)",
        )
        return DiffResult(old=old.side, new=new.side, documents=(doc,), diagnostics=tuple(diags))
    if a.kind != b.kind:
        raise ArgbriefError(
            f"{a.file} holds {a.kind} '{a.id}' but {b.file} holds {b.kind} '{b.id}': "
            "diff compares two versions of one map or pack"
        )
    if a.id != b.id:
        raise ArgbriefError(
            f"{a.file} holds {a.kind} '{a.id}' but {b.file} holds {a.kind} '{b.id}': "
            f"diff compares two versions of one {a.kind} (same id)"
        )
    matches: dict[str, dict[str, str]] = {}
    if a.kind == "pack":  # the pack's maps on each side give its stances
        for mid in a.obj.map_ids():  # type: ignore[union-attr]
            if mid in old.maps and mid in new.maps:
                matches[mid] = dict(diff_maps(old.maps[mid].obj, new.maps[mid].obj).matches)  # type: ignore[arg-type]
    doc, _ = _pair(old, new, a, b, matches)
    return DiffResult(old=old.side, new=new.side, documents=(doc,) if doc else (), diagnostics=tuple(diags))


def _pair(
    old: Version,
    new: Version,
    a: Document | None,
    b: Document | None,
    matches: dict[str, dict[str, str]] | None = None,
) -> tuple[DocumentDiff | None, MapDiff | None]:
    """The diff of one map or pack: ``a`` in OLD, ``b`` in NEW (either None when that side lacks it)."""
    some = a or b
    assert some is not None
    kind, doc_id = some.kind, some.id
    if a is not None and b is not None:
        if kind == "map":
            found = diff_maps(a.obj, b.obj)  # type: ignore[arg-type]
            changes, note = found.changes, ""
        else:
            found = None
            stances, note = _stances_comparable(old, new, b.obj)  # type: ignore[arg-type]
            changes = diff_packs(
                a.obj,
                b.obj,
                old.map_objects,
                new.map_objects,
                matches or {},
                stances=stances,  # type: ignore[arg-type]
            )
        if not changes and not note:
            return None, found
        status = "changed" if changes else "not-compared"
        return DocumentDiff(
            document=kind,
            id=doc_id,
            status=status,
            title=b.obj.title,
            old_file=a.file,
            new_file=b.file,
            note=note,
            changes=changes,
        ), found
    if b is not None:  # only in NEW
        if b.key in old.broken:
            return _not_compared(kind, doc_id, b.obj.title, old.broken[b.key][1], b.file, old), None
        change = Change(subject=kind, op="added", id=doc_id, text=b.obj.title, where=b.obj.span)
        return DocumentDiff(
            document=kind, id=doc_id, status="added", title=b.obj.title, new_file=b.file, changes=(change,)
        ), None
    assert a is not None
    if a.key in new.broken:
        return _not_compared(kind, doc_id, a.obj.title, a.file, new.broken[a.key][1], new), None
    change = Change(subject=kind, op="removed", id=doc_id, text=a.obj.title, where=a.obj.span)
    return DocumentDiff(
        document=kind, id=doc_id, status="removed", title=a.obj.title, old_file=a.file, changes=(change,)
    ), None


def _not_compared(
    kind: str, doc_id: str, title: str, old_file: str, new_file: str, broken_side: Version
) -> DocumentDiff:
    return DocumentDiff(
        document=kind,
        id=doc_id,
        status="not-compared",
        title=title,
        old_file=old_file,
        new_file=new_file,
        note=f"its file does not load at {broken_side.side.label} (see the errors)",
    )


def _broken_alone(old: Version, new: Version) -> list[DocumentDiff]:
    """Files that do not load on one side and whose document the other side does not have either."""
    paired = {d.key for v in (old, new) for d in (*v.maps.values(), *v.packs.values())}
    out = []
    for key in sorted({*old.broken, *new.broken} - paired):
        kind, _ = old.broken.get(key) or new.broken[key]
        where = [v.side.label for v in (old, new) if key in v.broken]
        out.append(
            DocumentDiff(
                document=kind,
                id=key,
                status="not-compared",
                old_file=old.broken.get(key, ("", ""))[1],
                new_file=new.broken.get(key, ("", ""))[1],
                note=f"the file does not load at {' or '.join(where)} (see the errors)",
            )
        )
    return out


def _stances_comparable(old: Version, new: Version, pack) -> tuple[bool, str]:
    """Stances can be compared unless a map the pack uses is missing on a side where some file did not load."""
    for version in (old, new):
        missing = [m for m in pack.map_ids() if m not in version.maps]
        if missing and version.broken:
            return False, (
                f"stances not compared: map '{missing[0]}' is not loaded at {version.side.label} "
                "(a file there does not load; see the errors)"
            )
    return True, ""
