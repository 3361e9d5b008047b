"""The code's shape, as docs/architecture.md describes it: generated module diagram, no cycles, no hidden folders."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "argbrief"


def _module_graph():
    spec = importlib.util.spec_from_file_location("module_graph", ROOT / "scripts" / "module_graph.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_module_diagram_is_current():
    mg = _module_graph()
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert mg.render_doc(text, mg.mermaid(mg.edges())) == text, "run: python scripts/module_graph.py"


def test_module_diagram_has_every_stage():
    mg = _module_graph()
    graph = mg.edges()
    for unit in ("project", "validate", "compare", "render", "packs", "builder", "formats", "cli"):
        assert unit in graph
    assert "m_builder --> m_render" in mg.mermaid(graph)


def test_no_import_runs_back_up():
    """The units' import graph is acyclic: stages only import stages below them."""
    graph = _module_graph().edges()
    state: dict[str, int] = {}

    def visit(unit: str, path: tuple[str, ...]) -> None:
        state[unit] = 1
        for nxt in sorted(graph.get(unit, ())):
            assert state.get(nxt) != 1, f"import cycle: {' -> '.join((*path, unit, nxt))}"
            if nxt not in state:
                visit(nxt, (*path, unit))
        state[unit] = 2

    for unit in sorted(graph):
        if unit not in state:
            visit(unit, ())


def test_no_folder_named_like_build_output():
    hidden = {"build", "dist", "out", "target"}
    bad = [p for p in SRC.parent.rglob("*") if p.is_dir() and p.name in hidden]
    assert not bad


def test_compare_package_face_is_short():
    assert len((SRC / "compare" / "__init__.py").read_text(encoding="utf-8").splitlines()) <= 60


def _anchors(page: Path) -> set[str]:
    """The heading anchors GitHub gives a page: lower case, punctuation dropped, spaces to dashes."""
    headings = re.findall(r"^#+ (.*)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_docs_stand_on_their_own():
    """README and docs never send a reader to files outside the repository, and every link of theirs resolves."""
    links = 0
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"DESIGN\.md|\.\./shared", text), path
        prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
        for link in re.findall(r"\]\(([^)\s]+)\)", prose):
            if re.match(r"[a-z]+:", link):
                continue
            file, _, anchor = link.partition("#")
            target = (path.parent / file).resolve() if file else path
            assert target.is_relative_to(ROOT) and target.exists(), f"{path.name}: {link}"
            if anchor and target.suffix == ".md":
                assert anchor in _anchors(target), f"{path.name}: {link}"
            links += 1
    assert links > 50
