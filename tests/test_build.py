"""``argbrief build`` on a small project: outputs, exit codes, atomic writes, determinism."""

from __future__ import annotations

import re

import pytest

from argbrief import Config
from argbrief.builder import build, parse_formats
from argbrief.errors import UsageError

from ._packs_project import MAP_YAML, make_project, snapshot


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "proj")


def test_build_writes_every_format_and_the_diagrams(run_cli, project):
    code, out, err = run_cli("build", cwd=project)
    assert code == 0, err
    folder = project / "exports" / "example"
    assert out.splitlines() == [f"wrote exports/example/example.{f}" for f in ("html", "pdf", "docx")]
    # The map prints under 7 pt whole on the pack's Letter page: it is drawn as an overview and its branches.
    names = {p.name for p in (folder / "maps").iterdir()}
    assert {"example-comparison.svg", "four-day-week.svg"} <= names
    assert all(n.startswith("four-day-week-") and n.endswith(".svg") for n in names - {"example-comparison.svg", "four-day-week.svg"})
    assert "built 1 pack" in err
    for fmt in ("pdf", "docx", "html"):
        assert (folder / f"example.{fmt}").stat().st_size > 5_000


def test_the_pack_chooses_the_paper(run_cli, project):
    """The example pack says ``page: Letter``: the PDF and the Word file are Letter."""
    import docx
    import pypdf

    assert run_cli("build", "--format", "pdf,docx", cwd=project)[0] == 0
    folder = project / "exports" / "example"
    first = pypdf.PdfReader(folder / "example.pdf").pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (612, 792)
    section = docx.Document(str(folder / "example.docx")).sections[0]
    assert (round(section.page_width.inches, 2), round(section.page_height.inches, 2)) == (8.5, 11.0)


def test_format_option_overrides_the_pack(run_cli, project):
    code, out, _ = run_cli("build", "--format", "html,pdf", cwd=project)
    assert code == 0
    folder = project / "exports" / "example"
    assert sorted(p.name for p in folder.glob("example.*")) == ["example.html", "example.pdf"]


def test_second_build_is_byte_identical_and_touches_nothing(run_cli, project):
    assert run_cli("build", cwd=project)[0] == 0
    first = snapshot(project / "exports")
    stamps = {p: p.stat().st_mtime_ns for p in (project / "exports").rglob("*") if p.is_file()}
    code, out, err = run_cli("build", cwd=project)
    assert code == 0 and out == ""
    assert "0 files written" in err
    assert snapshot(project / "exports") == first
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_source_date_epoch_dates_a_pack_without_a_date(run_cli, tmp_path, monkeypatch):
    import docx
    import pypdf

    from ._packs_project import PACK_YAML

    project = make_project(tmp_path / "p", pack_yaml=PACK_YAML.replace("date: 2025-01-15\n", ""))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    assert run_cli("build", cwd=project)[0] == 0
    folder = project / "exports" / "example"
    assert pypdf.PdfReader(folder / "example.pdf").metadata["/CreationDate"] == "D:20231114221320Z"
    assert docx.Document(str(folder / "example.docx")).core_properties.created.isoformat().startswith("2023-11-14T22:13:20")


def test_errors_in_the_workspace_stop_the_build_and_nothing_is_written(run_cli, tmp_path):
    project = make_project(tmp_path / "p", map_yaml=MAP_YAML.replace("because: [P1, P2]", "because: [P9]"))
    code, out, err = run_cli("build", cwd=project)
    assert code == 1
    assert "four-day-week.yaml" in out and "[ref.unknown-target]" in out
    assert "nothing was written" in err
    assert not (project / "exports").exists()


def test_unknown_pack_and_format_are_usage_errors(run_cli, project):
    code, _, err = run_cli("build", "--pack", "exampel", cwd=project)
    assert code == 2 and "did you mean 'example'" in err
    code, _, err = run_cli("build", "--format", "pdf,odt", cwd=project)
    assert code == 2 and "unknown format 'odt'" in err
    with pytest.raises(UsageError):
        parse_formats(",")
    assert parse_formats("docx, pdf,html") == ("html", "pdf", "docx")


def test_a_failed_render_leaves_earlier_exports_untouched(run_cli, project, monkeypatch):
    assert run_cli("build", cwd=project)[0] == 0
    before = snapshot(project / "exports")
    (project / "arguments" / "four-day-week.yaml").write_text(
        MAP_YAML.replace("The trial worked; extend it.", "The trial worked; extend it now."), encoding="utf-8"
    )

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("argbrief.packs.docx.render_docx", broken)
    code, _, err = run_cli("build", cwd=project)
    assert code == 3 and "renderer crashed" in err
    assert snapshot(project / "exports") == before


def test_a_failed_write_leaves_earlier_exports_untouched_and_no_temp_files(project, monkeypatch):
    import argbrief.atomic as atomic
    from argbrief.errors import ArgbriefError

    config = Config.discover(project)
    build(config, jobs=1)
    before = snapshot(project / "exports")
    (project / "arguments" / "packs" / "example.yaml").write_text(
        (project / "arguments" / "packs" / "example.yaml").read_text().replace("One position", "Changed"), encoding="utf-8"
    )
    real_create = atomic._create
    calls = []

    def failing_create(tmp, data, *, fsync):
        if "exports" in tmp.parts:
            calls.append(tmp)
        if len(calls) == 2:  # the second new export: the disk is full
            raise OSError(28, "No space left on device", str(tmp))
        return real_create(tmp, data, fsync=fsync)

    monkeypatch.setattr(atomic, "_create", failing_create)
    with pytest.raises(ArgbriefError, match="No space left on device.*earlier exports are unchanged"):
        build(config, jobs=1)
    assert len(calls) == 2
    assert snapshot(project / "exports") == before  # byte-identical, and no .tmp files


def test_stale_diagrams_are_removed(project):
    config = Config.discover(project)
    build(config)
    stale = project / "exports" / "example" / "maps" / "old-map.svg"
    stale.write_text("<svg/>")
    result = build(config)
    assert result.report.removed == (stale,)
    assert not stale.exists()


def test_build_without_positions_skips_the_comparison(run_cli, tmp_path):
    pack = """\
pack: example
title: Reading list
maps: [four-day-week]
formats: [html]
"""
    project = make_project(tmp_path / "p", pack_yaml=pack, map_yaml=MAP_YAML.replace('  answers: {faster-service: "yes"}\n', ""))
    code, _, err = run_cli("build", cwd=project)
    assert code == 0, err
    html = (project / "exports" / "example" / "example.html").read_text()
    assert "Comparison of positions" not in html
    assert 'id="map-four-day-week"' in html and "2\u2002" not in html
    # Only the map's own drawings (however many its split gives): no comparison diagram.
    assert html.count("<svg") == html.count('<span class="fig-label">') >= 1
    assert "comparison" not in " ".join(re.findall(r"<figcaption>.*?</figcaption>", html, re.S)).lower()
