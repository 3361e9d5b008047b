"""What a build reports while it runs (for progress bars, CI logs and ``-v``)."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen


@frozen(kw_only=True)
class BuildEvent:
    """Something to show while building.

    ``kind``: ``"stage"`` (a stage starts; ``total`` steps), ``"step"`` (one
    step of it done), ``"reason"`` (why a part is rebuilt), ``"fresh"`` (a
    part is up to date), ``"note"`` (anything else worth a line with ``-v``),
    ``"warning"`` (something the user should see even with ``-q``: a build
    cache that is not used because it leads outside the project).
    """

    kind: str
    message: str
    stage: str = ""
    done: int = 0
    total: int = 0


Progress = Callable[[BuildEvent], None]


def no_progress(event: BuildEvent) -> None:
    """A :data:`Progress` that shows nothing."""
