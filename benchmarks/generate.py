"""Synthetic argument trees for benchmarks, written as argbrief YAML and as Argdown.

The same seeded tree is written in both syntaxes, so a benchmark compares like
with like: statements joined by support and attack relations, with sentence
lengths of real argument maps (10 to 40 words).  The tree is shaped like an
authored map: a thesis, premises with evidence, objections answered by
rebuttals, and is kept shallow (depth <= 10) because real maps are.

    python benchmarks/generate.py 10000 -o benchmarks/out        # writes big-10000.yaml and .argdown
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

WORDS = (
    "sanctions ceasefire pressure negotiations security guarantees territory attrition economy "
    "alliance partners support supplies defence strategy talks settlement leverage deterrence "
    "sovereignty frontline reserves industry production energy revenue budget inflation elections "
    "public opinion government minister council allies neighbours border troops artillery drones "
    "air defence shells factories exports imports markets oil gas grain ports shipping insurance "
    "the a of in on for with against because while although however therefore without before after "
    "over under long short weak strong slow fast more less most least early late costly cheap "
    "durable fragile likely unlikely clear uncertain rising falling stable growing shrinking"
).split()

# kind -> the child kinds it may have, with weights (how often each is drawn).
CHILDREN: dict[str, tuple[tuple[str, int], ...]] = {
    "thesis": (("premise", 6), ("objection", 2), ("evidence", 1)),
    "premise": (("premise", 4), ("evidence", 4), ("objection", 2)),
    "objection": (("rebuttal", 5), ("evidence", 1), ("premise", 1)),
    "rebuttal": (("evidence", 4), ("premise", 2), ("objection", 1)),
}
LIST_KEY = {"premise": "premises", "evidence": "evidence", "objection": "objections", "rebuttal": "rebuttals"}
PREFIX = {"thesis": "T", "premise": "P", "evidence": "E", "objection": "O", "rebuttal": "B"}
MAX_DEPTH = 10


@dataclass
class Node:
    kind: str
    id: str
    text: str
    label: str = ""
    children: list[Node] = field(default_factory=list)

    def supports_parent(self) -> bool:
        return self.kind in ("premise", "evidence")


def _sentence(rng: random.Random, lo: int = 10, hi: int = 40) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    # A comma now and then, a capital and a full stop: sentences, not word soup.
    for i in range(3, len(words) - 2, rng.randint(5, 9)):
        words[i] += ","
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def build_tree(n: int, seed: int = 1) -> Node:
    """A tree of exactly ``n`` statements (breadth first, so it stays shallow)."""
    rng = random.Random(seed)
    counters = {k: 0 for k in PREFIX}

    def make(kind: str) -> Node:
        counters[kind] += 1
        label = _sentence(rng, 3, 6).rstrip(".") if kind != "evidence" and rng.random() < 0.5 else ""
        return Node(kind, f"{PREFIX[kind]}{counters[kind]}", _sentence(rng), label)

    root = make("thesis")
    frontier: list[tuple[Node, int]] = [(root, 0)]
    made = 1
    while made < n:
        next_frontier: list[tuple[Node, int]] = []
        for parent, depth in frontier:
            if made >= n:
                break
            if parent.kind == "evidence" or depth >= MAX_DEPTH:
                continue
            kinds, weights = zip(*CHILDREN[parent.kind])
            for _ in range(rng.randint(2, 4)):
                if made >= n:
                    break
                child = make(rng.choices(kinds, weights)[0])
                parent.children.append(child)
                next_frontier.append((child, depth + 1))
                made += 1
        if not next_frontier:  # every branch reached the depth limit: widen the top
            next_frontier = [(root, 0)]
        frontier = next_frontier
    return root


def _walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        here = stack.pop()
        yield here
        stack.extend(reversed(here.children))


def to_yaml(root: Node, map_id: str) -> str:
    """The tree as an argbrief map (block style, two-space indents, list dashes at their key's indent).

    Dashes at the key's indent (PyYAML's and many editors' style) keep a 50,000-node
    tree under the 16 MB file limit; with them indented two more it would be 16.8 MB.
    """
    lines = [
        f"map: {map_id}",
        f"title: Synthetic map of {sum(1 for _ in _walk(root))} statements",
        "source:",
        "  title: A synthetic source",
        "  publisher: benchmarks/generate.py",
        "thesis:",
    ]

    def keys(node: Node, indent: str) -> list[str]:
        """The node's keys, each line starting at ``indent``."""
        out = [f"{indent}id: {node.id}"]
        if node.label:
            out.append(f"{indent}label: {node.label}")
        out.append(f"{indent}text: {node.text}")
        for kind in ("premise", "evidence", "objection", "rebuttal"):
            kids = [c for c in node.children if c.kind == kind]
            if kids:
                out.append(f"{indent}{LIST_KEY[kind]}:")
            for kid in kids:
                item = keys(kid, indent + "  ")
                # The first key goes on the dash line: "- id: P1".
                out.append(f"{indent}- " + item[0].lstrip())
                out.extend(item[1:])
        return out

    lines += keys(root, "  ")
    return "\n".join(lines) + "\n"


def to_argdown(root: Node) -> str:
    """The same tree in Argdown: ``[title]: text`` statements, ``+``/``-`` incoming relations."""
    lines = ["===", "title: Synthetic map", "===", ""]

    def emit(node: Node, depth: int, rel: str) -> None:
        lead = "    " * depth + (f"{rel} " if rel else "")
        lines.append(f"{lead}[{node.id}]: {node.text}")
        for kid in node.children:
            emit(kid, depth + 1, "+" if kid.supports_parent() else "-")

    emit(root, 0, "")
    return "\n".join(lines) + "\n"


def write(n: int, out: Path, seed: int = 1) -> tuple[Path, Path]:
    """Write ``big-N.yaml`` and ``big-N.argdown`` into ``out``; returns both paths."""
    out.mkdir(parents=True, exist_ok=True)
    root = build_tree(n, seed)
    yaml_path = out / f"big-{n}.yaml"
    ad_path = out / f"big-{n}.argdown"
    yaml_path.write_text(to_yaml(root, f"big-{n}"), encoding="utf-8")
    ad_path.write_text(to_argdown(root), encoding="utf-8")
    return yaml_path, ad_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", type=int, nargs="?", default=10_000)
    parser.add_argument("-o", "--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for path in write(args.nodes, args.out, args.seed):
        print(path)


if __name__ == "__main__":
    main()
