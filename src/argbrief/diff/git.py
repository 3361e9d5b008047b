"""Reading a project at a git revision, through the ``git`` command (never by reading .git ourselves).

Every call runs ``git`` with an argument list (no shell) and ``--end-of-options``
before user-given revisions, so a revision such as ``--output=x`` is a name to
look up, never an option. Blobs are read in one ``git cat-file --batch``
process, and their sizes are known before they are read, so an oversized file
in history costs nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from .._yamlread import MAX_BYTES
from ..errors import ArgbriefError, ToolError

INSTALL_HINT = "install git (sudo apt-get install git; macOS: xcode-select --install)"
TIMEOUT = 60  # seconds for one git command; reading a project's maps takes well under one


class RevisionError(ArgbriefError):
    """A revision that git does not know, or a project that is not in a git repository (exit 1)."""


@frozen(kw_only=True)
class Commit:
    """A resolved revision: as the user wrote it, its full hash and its commit date (YYYY-MM-DD)."""

    label: str
    sha: str
    date: str


@frozen(kw_only=True)
class Blob:
    """One file of a tree: its path from the repository root, and its size in bytes."""

    path: str
    sha: str
    size: int


def _git(root: Path, args: Sequence[str], *, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    binary = shutil.which("git")
    if binary is None:
        raise ToolError(f"'git' was not found on PATH; {INSTALL_HINT}")
    try:
        return subprocess.run(
            # Paths are literal: a folder called "a[1]" is not a pattern.
            [binary, "-C", str(root), "--literal-pathspecs", *args],
            input=data,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ToolError(f"'git {args[0]}' took longer than {TIMEOUT} s") from None
    except OSError as exc:
        raise ToolError(f"cannot run git: {exc}") from exc


def _message(proc: subprocess.CompletedProcess[bytes]) -> str:
    lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[0] if lines else f"exit status {proc.returncode}"


def repo_root(start: Path) -> Path:
    """The top folder of the git work tree that holds ``start``; :class:`RevisionError` when there is none."""
    proc = _git(start, ["rev-parse", "--show-toplevel"])
    if proc.returncode != 0:
        raise RevisionError(
            f"{start} is not in a git repository ({_message(proc)}); "
            "to compare two files instead, name both: argbrief diff OLD.yaml NEW.yaml"
        )
    return Path(proc.stdout.decode("utf-8", "surrogateescape").strip())


def resolve(root: Path, revision: str) -> Commit:
    """The commit ``revision`` names (a branch, tag, hash, ``HEAD~2`` ...); :class:`RevisionError` otherwise."""
    if not revision or revision.startswith("-") or any(c in revision for c in "\0\n\r"):
        raise RevisionError(f"'{revision}' is not a revision name")
    proc = _git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"])
    if proc.returncode != 0:
        raise RevisionError(
            f"unknown revision '{revision}' in the git repository at {root}"
            + (" (it has no commits yet)" if revision == "HEAD" else "")
        )
    sha = proc.stdout.decode("ascii").strip()
    shown = _git(root, ["show", "-s", "--format=%cI", sha])
    date = shown.stdout.decode("ascii", "replace").strip()[:10] if shown.returncode == 0 else ""
    return Commit(label=revision, sha=sha, date=date)


def list_files(root: Path, commit: Commit, folder: str) -> list[Blob]:
    """Regular files below ``folder`` (a path from the repository root, '' for all) at ``commit``, sorted.

    Symbolic links and submodules are left out: what a link points to at a
    revision is not a file of the project.
    """
    args = ["ls-tree", "-r", "-l", "-z", "--full-tree", commit.sha]
    if folder:
        args += ["--", folder]
    proc = _git(root, args)
    if proc.returncode != 0:
        raise RevisionError(f"cannot list the files of {commit.label}: {_message(proc)}")
    blobs = []
    for record in proc.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, sha, size = meta.split()
        if kind != b"blob" or mode not in (b"100644", b"100755"):
            continue
        blobs.append(Blob(path=path.decode("utf-8", "surrogateescape"), sha=sha.decode("ascii"), size=int(size)))
    return sorted(blobs, key=lambda b: b.path)


def read_blobs(root: Path, blobs: Sequence[Blob], limit: int = MAX_BYTES) -> dict[str, bytes]:
    """The contents of ``blobs`` by path, in one ``git cat-file --batch``.

    A blob over ``limit`` bytes is not read: its value is ``limit + 1`` zero
    bytes, which the loader reports as too large, as it does for a file.
    """
    small = [b for b in blobs if b.size <= limit]
    out = {b.path: bytes(limit + 1) for b in blobs if b.size > limit}
    if not small:
        return out
    proc = _git(root, ["cat-file", "--batch"], data="".join(f"{b.sha}\n" for b in small).encode("ascii"))
    if proc.returncode != 0:
        raise RevisionError(f"cannot read files from git: {_message(proc)}")
    data, pos = proc.stdout, 0
    for blob in small:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise RevisionError(f"cannot read {blob.path} from git: {data[pos:end].decode('utf-8', 'replace')}")
        size = int(header[2])
        out[blob.path] = data[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1  # the content is followed by a newline
    return out


def read_file(root: Path, commit: Commit, path: str) -> bytes | None:
    """One file at ``commit`` (``path`` from the repository root), or None when it is not there."""
    blobs = [b for b in list_files(root, commit, path) if b.path == path]
    return read_blobs(root, blobs)[path] if blobs else None
