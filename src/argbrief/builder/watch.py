"""``argbrief build --watch`` (and ``argbrief serve``): run, then run again whenever the arguments or templates change.

Changes are collected by watchfiles and debounced (an editor saving several
files, or ``git checkout``, gives one rebuild). A rebuild only renders what
changed (the build cache). Bad input never ends the loop: the diagnostics
(or the error) are shown and the next change is awaited. Ctrl-C — or
``stop_event`` / ``max_builds`` from Python — stops it cleanly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..atomic import TEMP_PATTERN
from ..errors import ArgbriefError
from ..project import Config
from .run import BuildResult

#: Milliseconds of quiet before a burst of changes triggers one rebuild.
DEBOUNCE_MS = 300

Outcome = BuildResult | ArgbriefError
#: What one run gives: a build's result, or (``argbrief serve``) the refreshed preview.
R = TypeVar("R")


def watched_paths(config: Config) -> tuple[Path, ...]:
    """What ``--watch`` watches: the arguments folder and the templates folder (those that exist)."""
    return tuple(p for p in (config.arguments, config.templates) if p.is_dir())


def watch(
    config: Config,
    run_build: Callable[[], R],
    on_outcome: Callable[[R | ArgbriefError, tuple[str, ...]], None],
    *,
    stop_event: threading.Event | None = None,
    max_builds: int | None = None,
    debounce_ms: int = DEBOUNCE_MS,
    force_polling: bool | None = None,
) -> int:
    """Build now and after every change; returns the number of builds run.

    ``run_build`` runs one build; ``on_outcome`` gets its result (or the
    :class:`~argbrief.errors.ArgbriefError` that stopped it) and the changed
    files (none for the first build). Stops after ``max_builds`` builds, when
    ``stop_event`` is set, or on Ctrl-C. Bugs (other exceptions) propagate.
    """
    import watchfiles

    builds = 0

    def once(changed: tuple[str, ...]) -> None:
        nonlocal builds
        builds += 1
        try:
            outcome: R | ArgbriefError = run_build()
        except ArgbriefError as exc:
            outcome = exc
        on_outcome(outcome, changed)

    paths = watched_paths(config)
    # watchfiles logs "KeyboardInterrupt caught, stopping watch" itself; argbrief says it in its own words.
    quiet, level = logging.getLogger("watchfiles"), logging.getLogger("watchfiles").level
    quiet.setLevel(logging.ERROR)
    try:
        before = _snapshot(paths)
        once(())
        if max_builds is not None and builds >= max_builds or not paths:
            return builds
        changes = watchfiles.watch(
            *paths,
            watch_filter=_Filter(),
            debounce=debounce_ms,
            stop_event=stop_event,
            raise_interrupt=False,
            force_polling=force_polling,
            poll_delay_ms=100,
            rust_timeout=500,
            yield_on_timeout=True,  # an empty batch now and then: see below
        )
        for batch in changes:
            if before is not None:
                # The watcher starts with the first batch; what changed during the first
                # build (before it started) is found by comparing snapshots, once.
                after, before_ = _snapshot(paths), before
                before = None
                if not batch and after != before_:
                    batch = {(watchfiles.Change.modified, name) for name in _differences(before_, after)}
            changed = _relevant(batch)
            if not changed:
                continue  # an editor's or a tool's temporary file came and went
            once(tuple(sorted({_shown(path, config.root) for path in changed})))
            if max_builds is not None and builds >= max_builds:
                break
    except KeyboardInterrupt:
        pass  # Ctrl-C during a build: the build wrote nothing half-way; stop quietly
    finally:
        quiet.setLevel(level)
    return builds


#: Files that can matter to a build even when they are gone (a deleted map or template).
_KNOWN = (".yaml", ".yml", ".txt", ".j2", ".css", ".docx", ".svg", ".png", ".jpg", ".jpeg")


def _relevant(batch: set[tuple[object, str]]) -> set[str]:
    """The changed paths worth a rebuild: files that exist, and deleted files of a kind a build reads."""
    return {path for _, path in batch if Path(path).exists() or path.lower().endswith(_KNOWN)}


def _snapshot(paths: tuple[Path, ...]) -> dict[str, tuple[int, int]]:
    """Every file below ``paths`` with its modification time and size."""
    out = {}
    for root in paths:
        for p in root.rglob("*"):
            try:
                st = p.stat()
            except OSError:
                continue
            if p.is_file() and not TEMP_PATTERN.match(p.name):
                out[str(p)] = (st.st_mtime_ns, st.st_size)
    return out


def _differences(old: dict[str, tuple[int, int]], new: dict[str, tuple[int, int]]) -> set[str]:
    return {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}


class _Filter:
    """watchfiles' default filter (editor swap files, caches), plus argbrief's own temporary files."""

    def __init__(self) -> None:
        import watchfiles

        self._default = watchfiles.DefaultFilter()

    def __call__(self, change, path: str) -> bool:  # noqa: ANN001 - watchfiles.Change
        return self._default(change, path) and not TEMP_PATTERN.match(Path(path).name)


def _shown(path: str, root: Path) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path
