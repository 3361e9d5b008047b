"""Benchmark: `argbrief diff` between two revisions of a 10,000-node map, against `git diff` of the same revisions.

The peer is the line diff a reviewer reads today. Both run as a user runs them,
a fresh process each time, taking turns (the best run of each counts), on a
git repository holding two revisions of a seeded synthetic tree
(benchmarks/generate.py). Revision v2 is v1 after an editing session:

- 2 % of the claims reworded (a word replaced or added),
- 1 % of the ids renamed (text unchanged),
- one branch of about 40 statements moved under another premise,
- 10 leaves removed and 10 new premises added.

Besides the time, the benchmark counts what each tool shows: the lines a line
diff adds and removes, against the changes argbrief reports, and checks that
argbrief found every rename and the one move. `argbrief check` of one revision
is timed too, as the cost of loading a map at all. A second scenario renames
every id (the worst case for matching by text).

    .venv/bin/python benchmarks/bench_diff.py [--nodes 10000] [--runs 5]

The figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)
from bench_check import argbrief_command, interleaved  # noqa: E402

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def nodes(root: generate.Node) -> list[tuple[generate.Node, generate.Node | None]]:
    out, stack = [], [(root, None)]
    while stack:
        node, parent = stack.pop()
        out.append((node, parent))
        stack.extend((c, node) for c in reversed(node.children))
    return out


def size(node: generate.Node) -> int:
    return 1 + sum(size(c) for c in node.children)


def edit(root: generate.Node, seed: int = 7, rename_all: bool = False) -> dict[str, int]:
    """Edit the tree in place as an author would; returns what was done."""
    rng = random.Random(seed)
    everything = nodes(root)
    claims = [n for n, p in everything if n.kind != "evidence" and p is not None]
    done = {"reworded": 0, "renamed": 0, "moved": 0, "removed": 0, "added": 0}
    for node in rng.sample(claims, len(claims) // 50):
        words = node.text.split()
        words[rng.randrange(len(words))] = rng.choice(generate.WORDS)
        node.text = " ".join(words) + (" indeed." if rng.random() < 0.5 else "")
        done["reworded"] += 1
    renamed = claims if rename_all else rng.sample(claims, len(claims) // 100)
    for node in renamed:
        node.id = f"R{node.id}"
        done["renamed"] += 1
    if rename_all:
        return done
    # One branch of 30-60 statements moves under a premise outside it.
    branch, parent = next((n, p) for n, p in everything if n.kind == "premise" and p is not None and 30 <= size(n) <= 60)
    inside = {id(n) for n, _ in nodes(branch)}
    target = next(n for n, _ in reversed(everything) if n.kind == "premise" and id(n) not in inside and n is not parent)
    parent.children.remove(branch)
    target.children.append(branch)
    done["moved"] = 1
    leaves = [(n, p) for n, p in nodes(root) if not n.children and p is not None and id(n) not in inside]
    for node, parent in rng.sample(leaves, 10):
        parent.children.remove(node)
        done["removed"] += 1
    for i, (node, _) in enumerate(rng.sample([x for x in nodes(root) if x[0].kind == "premise"], 10)):
        node.children.append(generate.Node("premise", f"NEW{i}", generate._sentence(rng)))
        done["added"] += 1
    return done


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True
    ).stdout


def repository(folder: Path, n: int, rename_all: bool) -> tuple[Path, dict[str, int]]:
    folder.mkdir(parents=True)
    (folder / "argbrief.toml").write_text('arguments = "arguments"\n', encoding="utf-8")
    (folder / "arguments").mkdir()
    path = folder / "arguments" / "big.yaml"
    tree = generate.build_tree(n)
    path.write_text(generate.to_yaml(tree, "big"), encoding="utf-8")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "v1")
    git(folder, "tag", "v1")
    done = edit(tree, rename_all=rename_all)
    path.write_text(generate.to_yaml(tree, "big"), encoding="utf-8")
    git(folder, "commit", "-qam", "v2")
    git(folder, "tag", "v2")
    return folder, done


def scenario(folder: Path, n: int, runs: int, rename_all: bool) -> dict:
    root, done = repository(folder, n, rename_all)
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1"}
    argbrief = argbrief_command()
    commands = {
        "argbrief diff": [*argbrief, "diff", "v1", "v2", "--format", "json"],
        "git diff": ["git", "diff", "--no-color", "v1", "v2"],
        "argbrief check (one revision)": [*argbrief, "check", "arguments/big.yaml"],
    }
    for command in commands.values():  # warm-up: disk cache, bytecode
        subprocess.run(command, cwd=root, env=env, capture_output=True)
    times = {name: min(t) for name, t in interleaved(commands, runs, root, env).items()}
    report = json.loads(subprocess.run(commands["argbrief diff"], cwd=root, env=env, capture_output=True, text=True).stdout)
    lines = git(root, "diff", "--no-color", "v1", "v2").splitlines()
    changed_lines = sum(1 for ln in lines if ln[:1] in "+-" and not ln.startswith(("+++", "---")))
    summary = report["summary"]
    return {
        "nodes": n,
        "edits": done,
        "times": times,
        "diff / git diff": times["argbrief diff"] / times["git diff"],
        "diff / check": times["argbrief diff"] / times["argbrief check (one revision)"],
        "git diff lines +/-": changed_lines,
        "argbrief changes": summary["changes"],
        "argbrief by op": {op: summary[op] for op in ("added", "removed", "changed", "renamed", "moved")},
        "renames found": f"{summary['renamed']} of {done['renamed']}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, rename_all in (("an editing session", False), ("every id renamed", True)):
            result = scenario(Path(tmp) / name.replace(" ", "-"), args.nodes, args.runs, rename_all)
            print(f"== {name}")
            for key, value in result.items():
                if isinstance(value, float):
                    value = f"{value:.2f}x"
                elif key == "times":
                    value = ", ".join(f"{k} {v:.2f} s" for k, v in value.items())
                print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
