"""Git projects for the diff tests: ``argbrief init``, ``git init``, one commit, with a fixed identity and clock."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from argbrief.skeleton import create_project

# Fixed so that commits (and so the reports that name them) are the same on every run.
ENV = {
    "GIT_AUTHOR_NAME": "argbrief tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "argbrief tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
    "GIT_AUTHOR_DATE": "2025-01-15T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2025-01-15T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **ENV}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def init_project(root: Path) -> Path:
    """A project made by ``argbrief init`` in a new git repository, committed once."""
    create_project(root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "first edition")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    """Replace each ``old`` with ``new`` in ``path``; each ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


MAP = "arguments/four-day-week.yaml"
PACK = "arguments/packs/example.yaml"

#: The edit of the issue: a premise added, an evidence item removed, a claim reworded, a stance flipped.
THE_EDIT = (
    ('  answers: {faster-service: "yes"}', '  answers: {faster-service: "no"}'),
    (
        "      text: The trial office decided planning applications faster.",
        "      text: The trial office decided planning applications faster than the other offices.",
    ),
    ("      evidence:\n        - id: E2\n          quote: sick days fell by a third\n", ""),
    (
        "  objections:\n",
        (
            "    - id: P3\n      label: Less stress\n      text: Staff reported lower stress during the trial.\n"
            "  objections:\n"
        ),
    ),
)
