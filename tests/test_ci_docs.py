"""docs/ci.md: its workflow and hook snippets are valid, their argbrief commands are real, the git hook works."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from argbrief.cli import cli

from ._ci_helpers import small_project
from .conftest import REPO

DOC = REPO / "docs" / "ci.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)


def _argbrief_commands(text: str) -> list[list[str]]:
    """The arguments of every ``argbrief ...`` (or ``"$ARGBRIEF" ...``) command in a snippet."""
    out = []
    for line in text.splitlines():
        for segment in re.split(r"&&|\|\||;", line):
            segment = re.sub(r"^\s*(?:-\s+)?(?:run:|entry:)?\s*", "", segment).split(" #")[0].split(" >")[0].strip()
            m = re.match(r'^(?:"\$ARGBRIEF"|argbrief)\s+(.*)$', segment)
            if m:
                args = shlex.split(m.group(1))
                if args and args[0] in cli.commands:
                    out.append(args)
    return out


def _parses(args: list[str]) -> None:
    """``argbrief <args>`` is accepted by the real command line (options and values), without running it."""
    command = cli.commands[args[0]]
    command.make_context(args[0], list(args[1:]), resilient_parsing=False)


def test_yaml_snippets_parse_and_their_commands_are_real():
    blocks = _blocks("yaml")
    # the workflows (packs, argument diff), .pre-commit-config.yaml, .pre-commit-hooks.yaml
    assert len(blocks) == 4
    yaml = YAML(typ="safe")
    workflow = yaml.load(blocks[0])
    steps = workflow["jobs"]["packs"]["steps"]
    runs = " \n".join(s.get("run", "") for s in steps)
    assert "argbrief check --strict --format github" in runs and "argbrief build --check" in runs
    diff_steps = yaml.load(blocks[1])["jobs"]["diff"]["steps"]
    assert "argbrief diff HEAD^1 HEAD --format markdown > argument-diff.md" in " ".join(s.get("run", "") for s in diff_steps)
    script = diff_steps[-1]["with"]["script"]
    assert "<!-- argbrief-diff -->" in script and "updateComment" in script
    hooks = yaml.load(blocks[2])["repos"][0]["hooks"] + yaml.load(blocks[3])
    assert {h["entry"] for h in hooks} == {"argbrief check --strict", "argbrief build --check --quiet"}
    commands = [c for b in blocks for c in _argbrief_commands(b)] + [shlex.split(h["entry"])[1:] for h in hooks]
    assert len(commands) >= 7
    for args in commands:
        _parses(args)


def test_shell_snippets_use_real_commands():
    commands = [c for b in _blocks("sh") for c in _argbrief_commands(b)]
    assert ["build", "--check"] in commands and ["build", "--watch"] in commands
    for args in commands:
        _parses(args)


def _hook() -> str:
    (hook,) = [b for b in _blocks("sh") if b.startswith("#!/bin/sh")]
    return hook


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_git_hook_refuses_stale_exports_and_lets_current_ones_through(tmp_path):
    root = small_project(tmp_path / "repo")
    env = {
        **os.environ,
        "ARGBRIEF": str(Path(sys.executable).parent / "argbrief"),  # the one installed beside this Python
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull,
    }

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)

    assert git("init", "-q").returncode == 0
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(_hook(), encoding="utf-8")
    hook.chmod(0o755)
    assert subprocess.run([env["ARGBRIEF"], "build", "-q"], cwd=root, env=env, capture_output=True).returncode == 0
    git("add", "arguments", "exports", "argbrief.toml")
    done = git("commit", "-q", "-m", "maps and exports")
    assert done.returncode == 0, done.stderr
    # a map changes, the exports are not rebuilt: the hook refuses the commit
    path = root / "arguments" / "four-day-week.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("extend it.", "extend it now."), encoding="utf-8")
    git("add", "arguments")
    refused = git("commit", "-q", "-m", "map only")
    assert refused.returncode != 0
    assert "stale: exports/example/example.html" in refused.stdout + refused.stderr
    # rebuilt and staged: accepted
    assert subprocess.run([env["ARGBRIEF"], "build", "-q"], cwd=root, env=env, capture_output=True).returncode == 0
    git("add", "exports")
    accepted = git("commit", "-q", "-m", "map and exports")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
