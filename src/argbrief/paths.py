"""The one rule for every path argbrief reads or writes on a project's behalf.

A build in CI runs on a working tree that a stranger's pull request controls:
maps, packs, templates, ``argbrief.toml``, ``.argbrief-cache/`` and
``exports/``. Any of them can be a symbolic link, a FIFO, a device or a
symbolic-link loop. Every reader and writer (source texts, maps and packs,
templates and their includes, stylesheets, ``reference.docx``, the caches,
the exports, configured folders and paths given on the command line) asks
this module first, so the rule lives in one place:

- a path is followed through its symbolic links to where it really is, and
  that must be inside its *fence*: the project folder, or the templates folder
  a template was found in (the project's own, or the one argbrief ships). A
  symbolic link that stays inside is fine; one that leads out is refused,
  naming where it leads;
- what is read must be a regular file: a FIFO (which would block for ever), a
  device (``/dev/zero`` never ends), a socket or a folder is refused; reads
  are bounded (``limit``) and opened without blocking, and the opened file is
  checked again, so a file swapped for a FIFO after the check cannot hang a
  read either;
- a symbolic-link loop, or a NUL character in a path, is refused with a clear
  message (Python would raise ``RuntimeError`` or ``ValueError``);
- what is written must not be a folder (the error names the target, not a
  temporary file), and its folder must be inside the fence; a symbolic link at
  the target itself is replaced, never written through (:mod:`argbrief.atomic`).

Paths a user names on the command line outside the project (``argbrief import
~/debate.argdown``) are the user's choice and have no fence; they still get
the other checks. A refusal is an :class:`UnsafePath` (a
:class:`~argbrief.errors.ConfigError`, exit 1) whose ``problem`` lets the
loader report it as a located diagnostic instead.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    from .diagnostics import Diagnostic

#: What a refusal is about, in one word (the loader maps these to diagnostic codes).
OUTSIDE = "outside"  # leads outside its fence
LOOP = "loop"  # a symbolic-link loop
SPECIAL = "special"  # a FIFO, device or socket
FOLDER = "folder"  # a folder where a file is wanted
NOT_FOLDER = "not-folder"  # a file where a folder is wanted
MISSING = "missing"  # does not exist
UNREADABLE = "unreadable"  # exists, but the system refuses to open it
NUL = "nul"  # a NUL character in the path

_O_EXTRA = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


class UnsafePath(ConfigError):
    """A path the rule refuses; ``problem`` is one of the module's problem words, ``detail`` says why."""

    def __init__(self, path: Path | str, problem: str, detail: str) -> None:
        self.path = Path(path)
        self.problem = problem
        self.detail = detail
        super().__init__(f"{shown(path)} {detail}")

    def __reduce__(self) -> tuple:
        # Raised in a build worker, it is pickled back to the main process: made again from its own arguments.
        return type(self), (self.path, self.problem, self.detail)


def shown(path: Path | str) -> str:
    """How a path is named in messages: relative to the working folder when inside it."""
    text = os.fspath(path).replace("\0", "\\0")
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive (Windows)
        return text
    return text if rel.startswith("..") else rel


def real(path: Path | str) -> Path:
    """Where ``path`` really is (symbolic links and ``..`` followed); it need not exist.

    Raises :class:`UnsafePath` for a NUL character or a symbolic-link loop
    (``Path.resolve`` would raise ``ValueError`` or ``RuntimeError``).
    """
    text = os.fspath(path)
    if "\0" in text:
        raise UnsafePath(path, NUL, "contains a NUL character")
    try:
        os.stat(text)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(path, LOOP, "is a symbolic-link loop (a link that leads back to itself)") from None
    return Path(os.path.realpath(text))


def inside(path: Path | str, fence: Path | str, *, where: str = "the project") -> Path:
    """The real path of ``path``, which must be inside ``fence`` (after following symbolic links)."""
    target = real(path)
    base = real(fence)
    if target == base or target.is_relative_to(base):
        return target
    lexical = Path(os.path.abspath(os.fspath(path)))
    if lexical == base or lexical.is_relative_to(base) or lexical.is_relative_to(Path(os.path.abspath(os.fspath(fence)))):
        detail = f"is a symbolic link leading outside {where}; it leads to {target}"
    else:
        detail = f"is outside {where}"
    raise UnsafePath(path, OUTSIDE, detail)


def fenced(path: Path | str, fence: Path | str | None, *, where: str = "the project") -> Path:
    """:func:`inside` when there is a fence, else :func:`real`."""
    return real(path) if fence is None else inside(path, fence, where=where)


def regular_file(path: Path | str, fence: Path | str | None = None, *, where: str = "the project") -> Path:
    """The real path of ``path``, which must be an existing regular file (inside ``fence``, when given)."""
    target = fenced(path, fence, where=where)
    try:
        st = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        raise UnsafePath(path, MISSING, "does not exist") from None
    except OSError as exc:
        raise UnsafePath(path, UNREADABLE, f"cannot be read: {exc.strerror or exc}") from None
    _expect_file(path, st.st_mode)
    return target


def _expect_file(path: Path | str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise UnsafePath(path, FOLDER, "is a folder, not a file")
    raise UnsafePath(path, SPECIAL, f"is {_kind(mode)}, not a regular file")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open(path: Path | str, fence: Path | str | None, where: str) -> int:
    """A file descriptor for reading ``path``, after the checks; the opened file is checked again."""
    target = regular_file(path, fence, where=where)
    try:
        # O_NONBLOCK: were the file swapped for a FIFO since the check, opening it does not wait for a writer.
        fd = os.open(target, os.O_RDONLY | _O_EXTRA | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(path, LOOP, "turned into a symbolic link while being read") from None
        raise UnsafePath(path, UNREADABLE, f"cannot be read: {exc.strerror or exc}") from None
    try:
        _expect_file(path, os.fstat(fd).st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_file(path: Path | str, fence: Path | str | None = None, *, limit: int, where: str = "the project") -> bytes:
    """At most ``limit`` + 1 bytes of the regular file ``path``: enough to tell that it is too big."""
    fd = _open(path, fence, where)
    with os.fdopen(fd, "rb") as f:
        return f.read(limit + 1)


def hash_file(path: Path | str, fence: Path | str | None = None, *, where: str = "the project") -> str:
    """The SHA-256 of a regular file, read in chunks (any size, little memory)."""
    import hashlib  # only the build hashes files: not loaded for check

    fd = _open(path, fence, where)
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def folder(path: Path | str, fence: Path | str | None = None, *, where: str = "the project") -> Path:
    """The real path of ``path``, a folder (or nothing yet) inside ``fence``."""
    target = fenced(path, fence, where=where)
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return target
    if not stat.S_ISDIR(mode):
        raise UnsafePath(path, NOT_FOLDER, "is not a folder")
    return target


def writable(path: Path | str, fence: Path | str | None = None, *, where: str = "the project") -> Path:
    """``path``, checked as a place to write a file: its folder inside ``fence``, itself not a folder.

    A symbolic link (or a FIFO) at ``path`` is fine: an atomic write replaces
    it with a new file and never writes through it.
    """
    path = Path(path)
    folder(path.parent, fence, where=where)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise UnsafePath(path.parent, NOT_FOLDER, "is not a folder") from None
        return path
    if stat.S_ISDIR(mode):
        raise UnsafePath(path, FOLDER, "is a folder; a file cannot be written in its place")
    return path


#: The diagnostic code a refusal is reported with when a map, pack or source text is read.
DIAGNOSTIC_CODES = {
    OUTSIDE: "input.outside-project",
    LOOP: "input.not-a-file",
    SPECIAL: "input.not-a-file",
    NUL: "input.not-a-file",
    FOLDER: "input.not-found",
    NOT_FOLDER: "input.not-found",
    MISSING: "input.not-found",
    UNREADABLE: "input.not-found",
}


def file_diagnostic(exc: UnsafePath, name: str) -> Diagnostic:
    """A map, pack or imported file that was refused, as the diagnostic its reader reports (named ``name``)."""
    from .diagnostics import Diagnostic
    from .model import SourceSpan

    code = DIAGNOSTIC_CODES[exc.problem]
    if code == "input.not-found":
        return Diagnostic(code=code, message=f"cannot read file: it {exc.detail}", span=SourceSpan(name))
    return Diagnostic(code=code, message=f"the file {exc.detail}", span=SourceSpan(name, 1, 1))


def identity(path: Path | str) -> Path:
    """A path's real location for telling files apart; unlike :func:`real` it never raises (a loop stays as named)."""
    try:
        return Path(os.path.realpath(os.fspath(path)))
    except (OSError, ValueError):
        return Path(os.path.abspath(os.fspath(path).replace("\0", "")))


def files_below(top: Path, *, skip: tuple[str, ...] = ()) -> Iterator[Path]:
    """Every entry below ``top`` that is not a folder, sorted; folders named in ``skip`` are left out.

    Symbolic links to folders are not descended into (they are not listed
    either); a symbolic link to a file, a loop, a FIFO or a device *is* listed,
    so that whoever reads it reports it, instead of it vanishing silently.
    """
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            yield Path(dirpath, name)


__all__ = [
    "UnsafePath",
    "file_diagnostic",
    "files_below",
    "folder",
    "hash_file",
    "identity",
    "inside",
    "read_file",
    "real",
    "regular_file",
    "shown",
    "writable",
]
