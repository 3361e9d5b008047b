"""Showing a build's progress: a rich progress bar on a terminal, one plain line per step elsewhere.

- terminal (and not ``--quiet``): a bar per stage, redrawn on each event (no
  refresh thread, so forking workers is safe);
- not a terminal (CI logs, pipes): ``[3/7] diagrams: putin-wants: 6 diagrams ...``
  one line per step;
- ``--quiet``: nothing (the command still prints errors and its summary);
- ``--verbose``: also why each file is rebuilt, and which are up to date.

``NO_COLOR`` turns colour off (rich honours it too).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from ..diagnostics import Severity
from .events import BuildEvent
from .run import BuildResult


class BuildConsole:
    """A callable for :func:`argbrief.builder.build`'s ``progress``; use as a context manager."""

    def __init__(self, stream: TextIO, *, quiet: bool = False, verbose: bool = False, fancy: bool | None = None) -> None:
        self.stream = stream
        self.quiet = quiet
        self.verbose = verbose
        isatty = getattr(stream, "isatty", None)
        self.fancy = (bool(isatty and isatty()) if fancy is None else fancy) and not quiet
        self._progress = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> BuildConsole:
        if self.fancy:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            console = Console(file=self.stream, no_color=bool(os.environ.get("NO_COLOR")), highlight=False)
            self._progress = Progress(
                TextColumn("{task.fields[stage]:<9}"),
                BarColumn(bar_width=20),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=console,
                auto_refresh=False,  # redrawn on each event: no thread running beside forked workers
                transient=True,
            )
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __call__(self, event: BuildEvent) -> None:
        if event.kind == "warning":
            self._line(f"warning: {event.message}")
            return
        if self.quiet:
            return
        if event.kind in ("reason", "fresh", "note"):
            if self.verbose:
                self._line(event.message)
            return
        if self._progress is None:
            if event.kind == "step":
                self._line(f"[{event.done}/{event.total}] {event.stage}: {event.message}")
            return
        if event.kind == "stage":
            self._tasks[event.stage] = self._progress.add_task(event.message, total=event.total or None, stage=event.stage)
        elif event.kind == "step" and event.stage in self._tasks:
            message = event.message if len(event.message) <= 60 else event.message[:59] + "…"
            self._progress.update(self._tasks[event.stage], completed=event.done, description=message)
        self._progress.refresh()

    def _line(self, text: str) -> None:
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False)
            self._progress.refresh()
        else:
            print(text, file=self.stream, flush=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def shown(path: Path, root: Path) -> str:
    """A path as the build prints it: relative to the working folder, else to the project."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = ""
    if rel and not rel.startswith(".."):
        return rel
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def outcome_lines(result: BuildResult, root: Path, *, quiet: bool = False) -> tuple[list[str], list[str]]:
    """What the ``build`` command prints after a build: (standard output lines, standard error lines).

    Standard output: the documents written (``wrote exports/...``) or, for
    ``--check``, one line per export that is not current; standard error: the
    one-line summary. ``quiet`` keeps only the summary and the ``--check`` list.
    """
    out: list[str] = []
    err: list[str] = []
    seconds = result.timings.get("total", 0.0)
    if result.failed:
        errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
        err.append(f"build stopped: {_plural(errors, 'error')} above; nothing was written")
        return out, err
    parts = len(result.units)
    fresh = result.cache.units_fresh
    packs = len({u.pack_id for u in result.units})
    if result.checked:
        out += [f"{e.state}: {shown(e.path, root)} ({e.reason})" for e in result.check]
        rendered = f"{result.cache.units_rendered} rendered in memory" if result.cache.units_rendered else "none rendered"
        if result.check:
            err.append(
                f"check failed: {_plural(len(result.check), 'export')} of {_plural(packs, 'pack')} not current "
                f"({rendered}); run 'argbrief build' and commit the exports"
            )
        else:
            err.append(f"check passed: the exports of {_plural(packs, 'pack')} are current ({fresh} of {parts} parts from the build cache, {rendered})")
        return out, err
    written = result.report.written
    if not quiet:
        out += [f"wrote {shown(p, root)}" for p in written if p.suffix != ".svg"]
    diagrams = sum(p.suffix == ".svg" for p in written)
    summary = f"built {_plural(packs, 'pack')} in {seconds:.1f} s: {_plural(len(written), 'file')} written ({_plural(diagrams, 'diagram')})"
    if result.report.unchanged:
        summary += f", {len(result.report.unchanged)} unchanged"
    if result.report.removed:
        summary += f", {len(result.report.removed)} stale removed"
    summary += f"; {fresh} of {_plural(parts, 'part')} up to date" if fresh < parts else "; everything was up to date"
    err.append(summary)
    return out, err
