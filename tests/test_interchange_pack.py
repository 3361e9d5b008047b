"""A corpus map goes straight into a pack: import -> check -> build -> PDF."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from .conftest import SHARED, needs_shared  # noqa: E402
CORPORA = SHARED / "corpora"
needs_corpora = needs_shared(CORPORA)


@needs_corpora
def test_imported_maps_check_and_build_into_a_pdf(run_cli, tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert run_cli("init", str(project))[0] == 0
    arguments = project / "arguments"
    sources = {
        "micro-b001.yaml": (CORPORA / "arg-microtexts" / "en" / "micro_b001.xml", "microtext"),
        "state-censorship.yaml": (CORPORA / "argdown" / "examples" / "state-censorship.argdown", "argdown"),
        "nodeset10.yaml": (CORPORA / "aif" / "araucaria" / "nodeset10.json", "aif"),
    }
    for name, (source, fmt) in sources.items():
        code, _, stderr = run_cli("import", str(source), "--from", fmt, "-o", str(arguments / name), cwd=project)
        assert code == 0, stderr
    (arguments / "packs" / "corpus.yaml").write_text(
        "pack: corpus\ntitle: Maps from the corpora\nformats: [pdf]\nmaps: [micro-b001, state-censorship, nodeset10]\n",
        encoding="utf-8",
    )
    code, stdout, stderr = run_cli("check", cwd=project)
    assert code == 0, stdout + stderr
    assert "error" not in stdout
    code, stdout, stderr = run_cli("build", "--pack", "corpus", cwd=project)
    assert code == 0, stdout + stderr
    pdf = project / "exports" / "corpus" / "corpus.pdf"
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)
    assert "We Berliners should take the chance and become pioneers in waste separation!" in text
    assert "Censorship is not wrong in principle." in text
    assert "But still Germany produces way too much rubbish" in text
