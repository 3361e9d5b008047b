"""The two sides of a diff: the project's maps and packs at a git revision, in the working tree, or one file.

Files are loaded through the same reader and converter as ``argbrief check``
(:func:`argbrief.project.load_bytes`), in memory; a file read from git is named
the way git names it, ``HEAD:arguments/x.yaml``, so its diagnostics say which
revision they are about. A file with errors is left out of its side and
remembered as broken, so the diff can say that it was not compared instead of
calling its map removed. Source texts are not read: a diff compares what the
maps say, not whether their quotes are still found.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from attrs import frozen

from .. import paths
from .._yamlread import MAX_BYTES
from ..diagnostics import Diagnostic, Severity
from ..errors import ArgbriefError
from ..model import ArgumentMap, Pack
from ..project import Config, discover_files, display_path, fence_for, load_bytes
from .git import Commit, list_files, read_blobs, repo_root, resolve
from .result import Side

WORKING_TREE = "working tree"
_SUFFIXES = (".yaml", ".yml")


@frozen(kw_only=True)
class Document:
    """One map or pack as loaded at one side; ``key`` pairs it with its file at the other side."""

    kind: str  # "map" | "pack"
    id: str
    obj: ArgumentMap | Pack
    file: str  # how it is named in reports: "arguments/x.yaml" or "HEAD:arguments/x.yaml"
    key: str  # its path from the project root (posix)


@frozen(kw_only=True)
class Version:
    """Everything one side holds.

    ``broken`` maps the key of each file that did not load to what it looked
    like (``map`` or ``pack``) and its name.
    ``focus_file`` names the file a file diff compares ("" for the whole
    project), and ``focus`` is its map or pack (None when it did not load).
    """

    side: Side
    maps: Mapping[str, Document]
    packs: Mapping[str, Document]
    broken: Mapping[str, tuple[str, str]]
    diagnostics: tuple[Diagnostic, ...] = ()
    focus_file: str = ""
    focus: Document | None = None

    def documents(self, kind: str) -> Mapping[str, Document]:
        return self.maps if kind == "map" else self.packs

    @property
    def map_objects(self) -> dict[str, ArgumentMap]:
        return {mid: d.obj for mid, d in self.maps.items()}  # type: ignore[misc]


def _load(files: Iterable[tuple[str, str, bytes]], side: Side, focus_key: str | None = None) -> Version:
    """Load ``(key, name, bytes)`` files into one side; ``focus_key`` names the file a file diff compares."""
    maps: dict[str, Document] = {}
    packs: dict[str, Document] = {}
    broken: dict[str, tuple[str, str]] = {}
    diags: list[Diagnostic] = []
    focus, focus_file = None, ""
    for key, name, raw in files:
        if key == focus_key:
            focus_file = name
        loaded = load_bytes(raw, Path(key), name)
        obj = loaded.obj
        if obj is None or not obj.id or any(d.severity is Severity.ERROR for d in loaded.diagnostics):
            broken[key] = (loaded.kind, name)
            diags += [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
            if obj is not None and not obj.id:
                diags.append(Diagnostic(code="schema.missing", message=f"{loaded.kind} has no id", span=obj.span))
            continue
        kind = "pack" if isinstance(obj, Pack) else "map"
        table = packs if kind == "pack" else maps
        doc = Document(kind=kind, id=obj.id, obj=obj, file=name, key=key)
        if key == focus_key:
            focus = doc
        if obj.id in table and key != focus_key:
            diags.append(
                Diagnostic(
                    code=f"ref.duplicate-{kind}",
                    message=f"{kind} id '{obj.id}' is also declared in {table[obj.id].file}",
                    span=obj.spans.get(kind, obj.span),
                    hint="only the first is compared",
                )
            )
            continue
        table[obj.id] = doc  # a focused file takes the place of the project's copy of its map or pack
    return Version(
        side=side, maps=maps, packs=packs, broken=broken, diagnostics=tuple(diags), focus_file=focus_file, focus=focus
    )


def _is_map_file(rel: Path) -> bool:
    """Files ``check`` reads below the arguments folder: YAML, not under a ``sources`` folder."""
    return rel.suffix in _SUFFIXES and "sources" not in rel.parts[:-1]


def working_tree(config: Config, extra: Path | None = None) -> Version:
    """The project's maps and packs as they are on disk (untracked files too), plus the file ``extra``."""
    files = discover_files([config.arguments])[0] if config.arguments.is_dir() else []
    if extra is not None:
        files = [f for f in files if f.resolve() != extra.resolve()] + [extra]
    out = []
    for path in files:
        raw = paths.read_file(path, fence_for(path, config), limit=MAX_BYTES)  # UnsafePath says why not
        out.append((_key(config, path), _shown(path), raw))
    return _load(out, Side(label=WORKING_TREE), _key(config, extra) if extra is not None else None)


def at_revision(config: Config, root: Path, commit: Commit, extra: str | None = None) -> Version:
    """The project's maps and packs at ``commit``; ``extra`` (a path from the repository root) is the focus."""
    folder = _from_root(root, config.arguments)
    blobs = [
        b
        for b in list_files(root, commit, folder.as_posix() if folder.parts else "")
        if _is_map_file(Path(b.path).relative_to(folder))
    ]
    if extra is not None:
        wanted = [b for b in list_files(root, commit, extra) if b.path == extra]
        if not wanted:
            raise ArgbriefError(f"{extra} is not in {commit.label} (a file git did not have then)")
        blobs = [b for b in blobs if b.path != extra] + wanted
    data = read_blobs(root, blobs)
    files = [(_key(config, root / b.path), f"{commit.label}:{b.path}", data[b.path]) for b in blobs]
    side = Side(label=commit.label, commit=commit.sha, date=commit.date)
    return _load(files, side, _key(config, root / extra) if extra is not None else None)


def _from_root(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ArgbriefError(f"{display_path(path)} is outside the git repository at {root}")
    return resolved.relative_to(root.resolve())


def _key(config: Config, path: Path) -> str:
    resolved = path.resolve() if path.is_absolute() else (Path.cwd() / path).resolve()
    if resolved.is_relative_to(config.root):
        return resolved.relative_to(config.root).as_posix()
    return resolved.as_posix()


def _shown(path: Path) -> str:
    rel = display_path(path)
    return str(path) if rel.startswith("..") else rel


# --- what the command line names ---------------------------------------------------------


def _looks_like_file(arg: str) -> bool:
    return arg.endswith(_SUFFIXES) or os.path.isfile(arg)


def _split_revision_path(arg: str) -> tuple[str, str] | None:
    """``REV:path.yaml`` -> (REV, path); None for anything else."""
    rev, sep, path = arg.partition(":")
    if sep and rev and path.endswith(_SUFFIXES) and not os.path.exists(arg):
        return rev, path
    return None


def sides(config: Config, old: str | None, new: str | None) -> tuple[Version, Version]:
    """The two sides ``argbrief diff [OLD [NEW]]`` names (see docs/diff.md, "What to compare")."""
    args = [a for a in (old, new) if a is not None]
    if not args:
        args = ["HEAD"]
    plain = [a for a in args if _looks_like_file(a) and _split_revision_path(a) is None]
    at_rev = [a for a in args if _split_revision_path(a) is not None]
    if not plain and not at_rev:  # revisions only: the whole project
        root = repo_root(config.root)
        left = at_revision(config, root, resolve(root, args[0]))
        right = at_revision(config, root, resolve(root, args[1])) if len(args) == 2 else working_tree(config)
        return left, right
    if len(plain) == 2:  # two files on disk: no git needed
        return _on_disk(config, plain[0]), _on_disk(config, plain[1])
    return _file_sides(config, args)


def _on_disk(config: Config, arg: str) -> Version:
    """The file ``arg`` names in the working tree; an error saying why when it is not a file."""
    if not os.path.isfile(arg):
        raise ArgbriefError(f"not a regular file (a folder, a FIFO or a device): {arg}" if os.path.lexists(arg) else f"no such file: {arg}")
    return working_tree(config, Path(arg))


def _file_sides(config: Config, args: list[str]) -> tuple[Version, Version]:
    """One file at two versions: ``FILE`` (HEAD and now), ``REV FILE``, ``FILE REV``, ``REV:FILE [FILE|REV:FILE]``."""
    root = repo_root(config.root)

    def in_repo(path: str, relative_to_root: bool) -> str:
        base = root if relative_to_root and not path.startswith(("./", "../")) else Path.cwd()
        return _from_root(root, base / path).as_posix()

    # The file every side is about, from the repository root.
    named = next((a for a in args if _looks_like_file(a) and _split_revision_path(a) is None), None)
    split = [_split_revision_path(a) for a in args]
    target = in_repo(named, False) if named is not None else in_repo(next(s for s in split if s)[1], True)

    def side(arg: str) -> Version:
        pair = _split_revision_path(arg)
        if pair is not None:
            return at_revision(config, root, resolve(root, pair[0]), in_repo(pair[1], True))
        if _looks_like_file(arg):
            return _on_disk(config, arg)
        return at_revision(config, root, resolve(root, arg), target)

    if len(args) == 1:
        pair = _split_revision_path(args[0])
        old = side(args[0]) if pair else at_revision(config, root, resolve(root, "HEAD"), target)
        return old, working_tree(config, root / target)
    return side(args[0]), side(args[1])


def project_at(config: Config, revision: str) -> Version:
    """The project's maps and packs at git ``revision`` (:class:`~argbrief.diff.git.RevisionError` when unknown)."""
    root = repo_root(config.root)
    return at_revision(config, root, resolve(root, revision))


def describe(side: Side) -> str:
    """How a side is named in a caption or a heading: ``HEAD~2 (15 January 2025)``, ``working tree``."""
    return f"{side.label} ({side.day})" if side.date else side.label
