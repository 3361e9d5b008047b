"""Argdown there and back, counted by Argdown itself: import each example debate, export it again,
and let the Argdown CLI (the peer, ``@argdown/cli`` 1.7.5) count both files.

For each file: statements, arguments, arguments with a premise-conclusion structure, sections
(every level), and relations by type, as ``argdown json`` exports them.  Prints a Markdown table
(docs/interchange.md, "Argdown, there and back", shows it).  Not a timing benchmark.

    cd benchmarks && npm install @argdown/cli@1.7.5      # once
    .venv/bin/python benchmarks/argdown_fidelity.py                         # the six examples
    .venv/bin/python benchmarks/argdown_fidelity.py path/to/a.argdown ...   # other files
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from argbrief.formats import export_map, import_file

HERE = Path(__file__).resolve().parent
ARGDOWN = HERE / "node_modules" / ".bin" / "argdown"
SHARED = Path(os.environ.get("ARGBRIEF_SHARED", HERE.parent.parent / "shared"))
EXAMPLES = SHARED / "corpora" / "argdown" / "examples"


def argdown_json(path: Path, out: Path) -> dict | None:
    """Argdown's own JSON export of ``path`` (None when Argdown refuses the file)."""
    done = subprocess.run([str(ARGDOWN), "json", str(path), str(out), "--silent"], capture_output=True, timeout=300)
    exported = out / (path.stem + ".json")
    return json.loads(exported.read_text(encoding="utf-8")) if done.returncode == 0 and exported.exists() else None


def counts(doc: dict) -> dict[str, object]:
    def sections(items: list[dict]) -> int:
        return sum(1 + sections(s.get("children", [])) for s in items)

    relations = collections.Counter(r["relationType"] for r in doc.get("relations", []))
    return {
        "statements": len(doc.get("statements", {})),
        "arguments": len(doc.get("arguments", {})),
        "reconstructed": sum(bool(a.get("pcs")) for a in doc.get("arguments", {}).values()),
        "sections": sections(doc.get("sections", [])),
        "relations": ", ".join(f"{n} {kind}" for kind, n in sorted(relations.items())) or "none",
    }


def main(argv: list[str]) -> int:
    if not ARGDOWN.exists():
        raise SystemExit("the Argdown CLI is missing: cd benchmarks && npm install @argdown/cli@1.7.5")
    files = [Path(a) for a in argv] or sorted(EXAMPLES.glob("*.argdown"))
    print("| file | statements | arguments | with a structure | sections | relations |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for path in files:
            imported = import_file(path)
            exported = work / "exported" / path.name
            exported.parent.mkdir(exist_ok=True)
            exported.write_text(export_map(imported.map, "argdown"), encoding="utf-8")
            before_doc, after_doc = argdown_json(path, work / "before"), argdown_json(exported, work / "after")
            if after_doc is None:
                print(f"| {path.stem} | Argdown refuses argbrief's export |")
                continue
            after = counts(after_doc)
            before = counts(before_doc) if before_doc is not None else {k: "(refused)" for k in after}
            cells = [f"{before[k]} → {after[k]}" if before[k] != after[k] else f"{before[k]}" for k in before]
            print(f"| {path.stem} | " + " | ".join(cells) + " |")
    print("\n(a → b: a in the original, b after `argbrief import` and `argbrief export --to argdown`)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
