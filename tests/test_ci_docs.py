"""docs/ci.md: its workflow and hook snippets are valid, their argbrief commands are real, the git hook works."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from ruamel.yaml import YAML

from argbrief.cli import cli

from ._ci_helpers import small_project
from .conftest import REPO

DOC = REPO / "docs" / "ci.md"


def _blocks(lang: str, doc: Path = DOC) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", doc.read_text(encoding="utf-8"), re.S | re.M)


def _argbrief_commands(text: str) -> list[list[str]]:
    """The arguments of every ``argbrief ...`` (``.venv/bin/argbrief ...``, ``"$ARGBRIEF" ...``) command in a snippet.

    A synopsis (``argbrief render MAP [-o OUT]``) is not a command; ``-C DIR`` before the command is dropped.
    """
    out = []
    for line in text.splitlines():
        for segment in re.split(r"&&|\|\|?|;", line):
            segment = re.sub(r"^\s*(?:-\s+)?(?:run:|entry:)?\s*", "", segment).split(" #")[0].split(" >")[0].strip()
            m = re.match(r'^(?:"\$ARGBRIEF"|(?:\.venv/bin/)?argbrief)\s+(.*)$', segment)
            if m and "[" not in m.group(1):
                args = shlex.split(m.group(1))
                while args[:1] in (["-C"], ["--project"]):
                    args = args[2:]
                if args and args[0] not in ("--version", "--help", "-h"):
                    out.append(args)
    return out


def _parses(args: list[str]) -> None:
    """``argbrief <args>`` is accepted by the real command line (options and values), without running it."""
    assert args[0] in cli.commands, f"no command 'argbrief {args[0]}'"
    command = cli.commands[args[0]]
    command.make_context(args[0], list(args[1:]), resilient_parsing=False)


def test_yaml_snippets_parse_and_their_commands_are_real():
    blocks = _blocks("yaml")
    # the packs workflow, .pre-commit-hooks.yaml, a project's .pre-commit-config.yaml, the argument-diff workflow
    assert len(blocks) == 4
    yaml = YAML(typ="safe")
    workflow = yaml.load(blocks[0])
    steps = workflow["jobs"]["packs"]["steps"]
    runs = " \n".join(s.get("run", "") for s in steps)
    assert "argbrief check --strict --format github" in runs and "argbrief build --check" in runs
    assert "argbrief build --report" in runs
    hooks = yaml.load(blocks[1])
    assert {h["entry"] for h in hooks} == {"argbrief check", "argbrief build --check --quiet"}
    # The published hook and the CI workflow never trust a cache a pull request could plant.
    assert "--trust-cache" not in blocks[0] and "--trust-cache" not in blocks[1]
    commands = [c for b in blocks for c in _argbrief_commands(b)] + [shlex.split(h["entry"])[1:] for h in hooks]
    config_hooks = yaml.load(blocks[2])["repos"][0]["hooks"]
    commands += [shlex.split(h["entry"])[1:] + h.get("args", []) for h in hooks for c in config_hooks if c["id"] == h["id"]]
    assert len(commands) >= 7
    for args in commands:
        _parses(args)


def test_the_workflow_works_for_a_project_made_by_init():
    """Nothing from argbrief's own repository (its scripts, an editable install), and no browser on every run."""
    workflow = _blocks("yaml")[0]
    for only_here in ("scripts/", "system-deps", "pip install -e", "make ", "chromium", "playwright"):
        assert only_here not in workflow, only_here
    runs = YAML(typ="safe").load(workflow)["jobs"]["packs"]["steps"]
    installs = [s["run"] for s in runs if "apt-get install" in s.get("run", "")]
    assert len(installs) == 1 and _apt_packages(installs[0]) == SYSTEM_PACKAGES


#: What a project made by `argbrief init` needs: dot, rsvg-convert (the Word file's pictures) and the packs' fonts.
SYSTEM_PACKAGES = {"graphviz", "librsvg2-bin", "fonts-dejavu-core", "fonts-noto-core"}


def _apt_packages(text: str) -> set[str]:
    (line,) = re.findall(r"apt-get install ([^`\n]*)", text)
    return {word for word in line.split() if not word.startswith("-")}


def test_the_tutorial_installs_what_a_new_project_needs():
    assert _apt_packages((REPO / "docs" / "tutorial.md").read_text(encoding="utf-8")) == SYSTEM_PACKAGES


def test_the_published_hooks_are_the_documented_ones():
    """.pre-commit-hooks.yaml at the root is what docs/ci.md shows, and a project's config names its hooks."""
    published = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert published.split("\n", 1)[1] == _blocks("yaml")[1]
    yaml = YAML(typ="safe")
    hooks = yaml.load(published)
    assert len({h["id"] for h in hooks}) == len(hooks)
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert hook["entry"].startswith("argbrief ")
        assert re.compile(hook["files"]).search("arguments/four-day-week.yaml")
    used = {h["id"] for h in yaml.load(_blocks("yaml")[2])["repos"][0]["hooks"]}
    assert used <= {h["id"] for h in hooks}


def test_shell_snippets_use_real_commands():
    commands = [c for b in _blocks("sh") for c in _argbrief_commands(b)]
    assert ["build", "--check"] in commands and ["build", "--watch"] in commands
    for args in commands:
        _parses(args)


def test_every_command_in_the_readme_and_the_docs_is_real():
    """Each `argbrief ...` line a reader may copy from a shell block names a real command and real options."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    commands = {page.name: [c for b in _blocks("sh", page) for c in _argbrief_commands(b)] for page in pages}
    assert len(commands["README.md"]) >= 30 and ["templates", "pack-screen.css"] in commands["packs.md"]
    for page, found in commands.items():
        for args in found:
            try:
                _parses(args)
            except click.exceptions.Exit:  # --help after a command
                pass
            except click.ClickException as exc:
                raise AssertionError(f"{page}: argbrief {shlex.join(args)}: {exc.format_message()}") from None


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


def test_the_argument_diff_workflow_posts_and_updates_one_comment():
    steps = YAML(typ="safe").load(_blocks("yaml")[3])["jobs"]["diff"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "argbrief diff HEAD^1 HEAD --format markdown > argument-diff.md" in runs
    script = steps[-1]["with"]["script"]
    assert "<!-- argbrief-diff -->" in script and "updateComment" in script and "createComment" in script
