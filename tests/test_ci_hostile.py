"""Hostile input to ``argbrief build``: maps, packs, templates, configuration, paths and a misbehaving ``dot``.

Each case starts from a copy of a small project built once (HTML only, so the
suite stays fast), makes it hostile, runs ``argbrief build`` in-process and
asserts one of two outcomes:

- **refused**: exit 1 (2 for a usage error) with a diagnostic located at
  ``file:line:col`` (or, for a template or configuration, an error naming the
  file and line), the earlier exports byte-identical, nothing outside the
  project touched;
- **rendered safely**: exit 0, and the hostile text shows up *literally* in
  the SVG, HTML or Word file — never as markup, template code or a fetched file.

Never a traceback, never exit 3, never a hang (a watchdog ends the run), and
nothing outside the project read into an export or the output, written or
deleted: every case runs beside an ``outside`` folder holding a secret, and
the folder must be byte-identical afterwards. The loader's own hostile cases
(``check``) are in test_hostile.py; text in every format is in
test_packs_hostile.py.

The cases marked "issue 17 (N)" are the regression tests of the security and
fault items in docs/ci.md's security model (N is the item's number there).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from argbrief import Config
from argbrief.builder import build

from ._ci_helpers import REPO_SRC, dot_runs, fake_dot, no_hang, path_with, run_capped, small_project, tree
from ._html import HtmlParts, parse_html
from ._packs_project import MAP_YAML, SOURCE_TEXT

MAP = "arguments/four-day-week.yaml"
PACK = "arguments/packs/example.yaml"
MARKER = "argbrief-pwned"
#: What the file outside the project holds: it must never show up in an export or the output.
SECRET = "argbrief-secret-outside-the-project"
SVG_NS = "{http://www.w3.org/2000/svg}"
LOCATED = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+): error: .* \[(?P<code>[a-z]+\.[a-z0-9-]+)\]$", re.M)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = small_project(tmp_path_factory.mktemp("hostile") / "proj")
    assert not build(Config.discover(root), jobs=1).failed
    return root


# --------------------------------------------------------------------------- building blocks


def _q(text: str) -> str:
    """``text`` as a YAML scalar (a JSON string is a valid YAML double-quoted scalar)."""
    return json.dumps(text, ensure_ascii=False)


def _set_map(root: Path, old: str, new: str) -> None:
    path = root / MAP
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _set_pack(root: Path, old: str, new: str) -> None:
    path = root / PACK
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _templates(root: Path) -> Path:
    from argbrief.packs.html import builtin_templates

    if not (root / "templates").exists():
        shutil.copytree(builtin_templates(), root / "templates")
    return root / "templates"


def _template_line(root: Path, line: str) -> None:
    """Put ``line`` into the project's copy of the pack template, after the <body> tag."""
    path = _templates(root) / "pack.html.j2"
    text = path.read_text(encoding="utf-8")
    head, sep, tail = text.partition("<body")
    end = tail.index(">") + 1
    path.write_text(head + sep + tail[:end] + "\n" + line + "\n" + tail[end:], encoding="utf-8")


def _svg_text(root: Path, name: str = "four-day-week") -> str:
    svg = etree.fromstring((root / f"exports/example/maps/{name}.svg").read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
    assert not svg.findall(f".//{SVG_NS}script") and not svg.findall(f".//{SVG_NS}image")
    return "".join("".join(t.itertext()) for t in svg.iter(f"{SVG_NS}text"))




def _html(root: Path) -> HtmlParts:
    return parse_html((root / "exports/example/example.html").read_text(encoding="utf-8"))


def _html_text(root: Path) -> str:
    return " ".join(" ".join(_html(root).text).split())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- the cases


@dataclass
class Case:
    """One hostile scenario: ``setup`` makes the project hostile and returns extra CLI arguments."""

    setup: Callable[[Path, Path], list[str]]
    code: int
    expect: tuple[str, ...] = ()
    #: For exit 1: the code of a located diagnostic that must be printed.
    located: str | None = None
    then: Callable[[Path], None] | None = None
    env: Callable[[Path], dict[str, str]] = field(default=lambda tmp: {})
    #: Module attributes to set for the run ("module.NAME" -> value), e.g. a lower limit.
    patch: dict[str, object] = field(default_factory=dict)


def _map_case(old: str, new: str) -> Callable[[Path, Path], list[str]]:
    def setup(root: Path, tmp: Path) -> list[str]:
        _set_map(root, old, new)
        return []

    return setup


def _raw_map(data: bytes) -> Callable[[Path, Path], list[str]]:
    def setup(root: Path, tmp: Path) -> list[str]:
        (root / MAP).write_bytes(data)
        return []

    return setup


def _bomb() -> bytes:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return (MAP_YAML.replace("summary: The trial worked; extend it.\n", "") + "\n".join(lines) + "\n").encode()


THESIS = "The council should extend its four-day week trial before deciding."
LABEL = "label: Work got done faster"
TITLE = "title: Should the council try a four-day week?"


def _quote_case(hostile: str) -> Callable[[Path, Path], list[str]]:
    """A hostile evidence quote (added to the source text, so it checks) and the map's summary."""

    def setup(root: Path, tmp: Path) -> list[str]:
        (root / "arguments/sources/four-day-week.txt").write_text(SOURCE_TEXT + f"\n{hostile}\n", encoding="utf-8")
        _set_map(root, "quote: decided planning applications 9% faster", f"quote: {_q(hostile)}")
        _set_pack(root, "formats: [html]", "formats: [html, docx]")
        return []

    return setup


def _docx_literal(hostile: str) -> Callable[[Path], None]:
    def then(root: Path) -> None:
        import docx

        data = (root / "exports/example/example.docx").read_bytes()
        word = docx.Document(io.BytesIO(data))
        text = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
        assert hostile in text
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
        assert b"<!DOCTYPE" not in xml and b"<!ENTITY" not in xml
        assert b"root:x:0:0" not in xml
        etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))  # well-formed

    return then


def _svg_literal(*literals: str, nodes: int | None = None) -> Callable[[Path], None]:
    def then(root: Path) -> None:
        text = _squash(_svg_text(root))
        for literal in literals:
            assert _squash(literal) in text, literal
        if nodes is not None:
            svg = etree.fromstring((root / "exports/example/maps/four-day-week.svg").read_bytes())
            assert len(svg.findall(f".//{SVG_NS}g[@class='node thesis']")) == nodes

    return then


def _html_literal(*literals: str, forbidden_tags: tuple[str, ...] = ("script", "img", "iframe")) -> Callable[[Path], None]:
    def then(root: Path) -> None:
        parsed = _html(root)
        text = " ".join(" ".join(parsed.text).split())
        for literal in literals:
            assert literal in text, literal
        for tag in forbidden_tags:
            assert tag not in parsed.tags, tag
        assert not [k for k, _ in parsed.attrs if k.startswith("on")]
        assert not (root / MARKER).exists()

    return then


def _symlinked_exports(root: Path, tmp: Path) -> list[str]:
    outside = tmp / "outside" / "exports-target"
    outside.mkdir()
    shutil.rmtree(root / "exports/example")
    (root / "exports/example").symlink_to(outside, target_is_directory=True)
    _set_map(root, "Extend the trial", "Extend the trial now")
    return []


def _outside_untouched(root: Path) -> None:
    assert list((root.parent / "outside" / "exports-target").iterdir()) == []


def _symlinked_export_file(root: Path, tmp: Path) -> list[str]:
    victim = tmp / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    html = root / "exports/example/example.html"
    html.unlink()
    html.symlink_to(victim)
    _set_map(root, "Extend the trial", "Extend the trial now")
    return []


def _victim_untouched(root: Path) -> None:
    victim = root.parent / "victim.txt"
    assert victim.read_text(encoding="utf-8") == "precious"
    html = root / "exports/example/example.html"
    assert not html.is_symlink() and "Extend the trial now" in html.read_text(encoding="utf-8")


def _config(text: str) -> Callable[[Path, Path], list[str]]:
    def setup(root: Path, tmp: Path) -> list[str]:
        (tmp / "outside").mkdir(exist_ok=True)
        (root / "argbrief.toml").write_text(text, encoding="utf-8")
        return []

    return setup


def _template(line: str) -> Callable[[Path, Path], list[str]]:
    def setup(root: Path, tmp: Path) -> list[str]:
        _template_line(root, line)
        return []

    return setup


def _css(text: str) -> Callable[[Path, Path], list[str]]:
    def setup(root: Path, tmp: Path) -> list[str]:
        with open(_templates(root) / "pack-common.css", "a", encoding="utf-8") as fh:
            fh.write("\n" + text + "\n")
        return []

    return setup


def _fetching_template(root: Path, tmp: Path) -> list[str]:
    _template_line(
        root,
        '<img src="file:///etc/passwd"><img src="../arguments/sources/four-day-week.txt">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css"><object data="file:///etc/shadow"></object>',
    )
    return ["--format", "pdf"]


def _nothing_fetched(root: Path) -> None:
    pdf = (root / "exports/example/example.pdf").read_bytes()
    assert b"root:x:0:0" not in pdf and b"planning applications 9% faster" not in pdf.replace(b"\n", b"")


def _garbage_reference(root: Path, tmp: Path) -> list[str]:
    (_templates(root) / "reference.docx").write_bytes(b"PK\x03\x04 this is not a zip file at all")
    return ["--format", "docx"]


def _dot(behaviour: str, label: str = "label: Work got done quicker") -> Callable[[Path, Path], list[str]]:
    """A misbehaving ``dot``, and a new drawing (its own ``label``: not measured before, in this process either)."""

    def setup(root: Path, tmp: Path) -> list[str]:
        fake_dot(tmp / "bin", behaviour)
        _set_map(root, "label: Work got done faster", label)
        return []

    return setup


def _no_dot(root: Path, tmp: Path) -> list[str]:
    _set_map(root, "label: Work got done faster", "label: Work got done quicker")
    return []


def _corrupt_cache(root: Path, tmp: Path) -> list[str]:
    (root / ".argbrief-cache/build.json").write_bytes(b"\xff\xfe" + b"\x00" * 64)
    for entry in (root / ".argbrief-cache/dot").iterdir():
        entry.write_bytes(b"argbrief-dot-cache 2 " + b"0" * 64 + b"\n<svg>forged</svg>")
    return []


def _cache_ignored(root: Path) -> None:
    assert "forged" not in (root / "exports/example/maps/four-day-week.svg").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- issue 17: security and faults


def _outside(tmp: Path) -> Path:
    return tmp / "outside"


def _new_drawing(root: Path) -> None:
    """A change that makes the diagrams and documents stale (so the build draws and renders)."""
    _set_map(root, "label: Work got done faster", "label: Work got done quicker")


def _template_link(name: str, include: str | None = None) -> Callable[[Path, Path], list[str]]:
    """(1) A template file that is a symbolic link to the secret outside the project."""

    def setup(root: Path, tmp: Path) -> list[str]:
        templates = _templates(root)
        if include:
            _template_line(root, "{% include '" + include + "' %}")
        (templates / name).unlink(missing_ok=True)
        (templates / name).symlink_to(_outside(tmp) / "secret.txt")
        return []

    return setup


def _template_folder_link(root: Path, tmp: Path) -> list[str]:
    """(1) A folder of the templates that is a symbolic link out of the project, and a template including from it."""
    _template_line(root, "{% include 'parts/secret.txt' %}")
    (_templates(root) / "parts").symlink_to(_outside(tmp), target_is_directory=True)
    return []


def _cache_folder_link(root: Path, tmp: Path) -> list[str]:
    """(2) .argbrief-cache is a symbolic link to a folder outside the project."""
    shutil.rmtree(root / ".argbrief-cache")
    (_outside(tmp) / "cache").mkdir()
    (root / ".argbrief-cache").symlink_to(_outside(tmp) / "cache", target_is_directory=True)
    _new_drawing(root)
    return []


def _dot_cache_link(root: Path, tmp: Path) -> list[str]:
    """(2) .argbrief-cache/dot is a symbolic link to a folder of more files than the cache keeps."""
    many = _outside(tmp) / "many"
    many.mkdir()
    for i in range(2003):
        (many / f"{i:064x}").write_bytes(b"x")  # named like cache keys, so pruning would pick them
    shutil.rmtree(root / ".argbrief-cache/dot")
    (root / ".argbrief-cache/dot").symlink_to(many, target_is_directory=True)
    _new_drawing(root)
    return []


def _rehash_manifest(root: Path, name: str, data: bytes) -> None:
    path = root / ".argbrief-cache/build.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    import hashlib

    for unit in doc["units"].values():
        if name in unit["outputs"]:
            unit["outputs"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    path.write_text(json.dumps(doc), encoding="utf-8")


def _forged_export(root: Path, tmp: Path) -> list[str]:
    """(3) An export edited in the pull request, with its new hash written into the build cache."""
    forged = b"<p>forged, and the cache agrees</p>"
    (root / "exports/example/example.html").write_bytes(forged)
    _rehash_manifest(root, "exports/example/example.html", forged)
    return ["--check"]


def _rewrite_dot_cache(root: Path, change: Callable[[bytes], bytes]) -> None:
    """Change every SVG entry of the Graphviz cache, with a correct self-hash (a forgery, not damage)."""
    import hashlib

    for entry in (root / ".argbrief-cache/dot").iterdir():
        header, _, data = entry.read_bytes().partition(b"\n")
        if b"<svg" in data:
            data = change(data)
            magic, version, _ = header.split(b" ")
            entry.write_bytes(b"%s %s %s\n" % (magic, version, hashlib.sha256(data).hexdigest().encode()) + data)


def _forged_graphviz_cache(root: Path, tmp: Path) -> list[str]:
    """(3) A drawing edited in the pull request, and the Graphviz cache forged to hold the same drawing."""
    def forge(data: bytes) -> bytes:
        return data.replace(b"Extend the trial", b"Forged thesis")

    _rewrite_dot_cache(root, forge)
    svg = root / "exports/example/maps/four-day-week.svg"
    svg.write_bytes(forge(svg.read_bytes()))
    return ["--check"]


def _script_in_graphviz_cache(root: Path, tmp: Path) -> list[str]:
    """(3) A Graphviz cache entry with a correct self-hash that carries a script."""
    _rewrite_dot_cache(root, lambda data: data.replace(b"</svg>", b"<script>alert(1)</script></svg>"))
    _set_pack(root, "label: Extend the trial", "label: Extend the trial (again)")  # stale, same drawings
    return []


def _special_export(kind: str) -> Callable[[Path, Path], list[str]]:
    """(4) With no build cache, an export that is /dev/zero (through a link) or a FIFO, under --check."""

    def setup(root: Path, tmp: Path) -> list[str]:
        shutil.rmtree(root / ".argbrief-cache")
        html = root / "exports/example/example.html"
        html.unlink()
        if kind == "fifo":
            os.mkfifo(html)
        else:
            html.symlink_to("/dev/zero")
        return ["--check"]

    return setup


def _manifest(kind: str) -> Callable[[Path, Path], list[str]]:
    """(5) build.json nested 200,000 deep, /dev/zero, a FIFO, or naming a device or a FIFO outside as an output."""

    def setup(root: Path, tmp: Path) -> list[str]:
        path = root / ".argbrief-cache/build.json"
        if kind == "deep":
            path.write_bytes(b"[" * 200_000 + b"]" * 200_000)
        elif kind in ("dev-zero", "fifo"):
            path.unlink()
            path.symlink_to("/dev/zero") if kind == "dev-zero" else os.mkfifo(path)
        else:
            os.mkfifo(_outside(tmp) / "fifo")
            doc = json.loads(path.read_text(encoding="utf-8"))
            name = "/dev/zero" if kind == "names-device" else "exports/../../outside/fifo"
            next(iter(doc["units"].values()))["outputs"][name] = {"sha256": "0" * 64, "size": 1}
            path.write_text(json.dumps(doc), encoding="utf-8")
        _new_drawing(root)
        return ["-v"]

    return setup


def _loop(where: str) -> Callable[[Path, Path], list[str]]:
    """(13) A symbolic-link loop as a source text, the exports folder, or a pack's export folder."""

    def setup(root: Path, tmp: Path) -> list[str]:
        if where == "source-text":
            text = root / "arguments/sources/four-day-week.txt"
            text.unlink()
            text.symlink_to("four-day-week.txt")
        elif where == "exports":
            (root / "loop").symlink_to("loop")
            (root / "argbrief.toml").write_text('exports = "loop"\n', encoding="utf-8")
        else:
            shutil.rmtree(root / "exports/example")
            (root / "exports/example").symlink_to("example")
            _new_drawing(root)
        return []

    return setup


def _zip_bomb(unpacked: int) -> Callable[[Path, Path], list[str]]:
    """(9) reference.docx whose document part unpacks to ``unpacked`` bytes of zeros."""

    def setup(root: Path, tmp: Path) -> list[str]:
        with zipfile.ZipFile(_templates(root) / "reference.docx", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", b"\0" * unpacked)
        return ["--format", "docx"]

    return setup


def _reference_edited(pattern: bytes) -> Callable[[Path, Path], list[str]]:
    """(15) argbrief's own reference.docx with a part of its document.xml cut out."""

    def setup(root: Path, tmp: Path) -> list[str]:
        path = _templates(root) / "reference.docx"
        source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "word/document.xml":
                    data = re.sub(pattern, b"", data, flags=re.DOTALL)
                    assert data != source.read(info.filename)
                target.writestr(info.filename, data)
        return ["--format", "docx"]

    return setup


def _docx_opens(root: Path) -> None:
    import docx

    word = docx.Document(io.BytesIO((root / "exports/example/example.docx").read_bytes()))
    assert any("Extend the trial" in p.text for p in word.paragraphs)
    assert word.sections[0].page_width is not None


def _symlinked_map(root: Path, tmp: Path) -> list[str]:
    """(19) A map file that is a symbolic link to a YAML file outside the project."""
    outside_map = _outside(tmp) / "four-day-week.yaml"
    outside_map.write_text(MAP_YAML.replace("The trial worked; extend it.", SECRET), encoding="utf-8")
    (root / MAP).unlink()
    (root / MAP).symlink_to(outside_map)
    return []


def _export_is_a_folder(root: Path, tmp: Path) -> list[str]:
    """(20) The place of an export is a folder."""
    html = root / "exports/example/example.html"
    html.unlink()
    html.mkdir()
    (html / "keep.txt").write_text("kept", encoding="utf-8")
    _new_drawing(root)
    return []


def _dot_runs_once(flag: str) -> Callable[[Path], None]:
    """(10) Fail fast: after the first dot run that hangs, no other is started."""

    def then(root: Path) -> None:
        runs = [args for _, _, args in dot_runs(root.parent / "bin") if flag in args]
        assert len(runs) == 1, runs

    return then


def _DOT_ENV(tmp: Path) -> dict[str, str]:
    return {"PATH": path_with(tmp / "bin"), "ARGBRIEF_DOT_TIMEOUT": "1"}
_NESTED_LOOPS = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
_DOUBLING = '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}'
_CONCAT = '{% set s = "y" * 1000000 %}{{ ' + " ~ ".join(["s"] * 200) + " }}"

SECURITY_CASES: dict[str, Case] = {
    # (1) templates read outside the project through symbolic links
    "template-stylesheet-symlinked-outside": Case(
        _template_link("pack-common.css"), 1,
        expect=("templates/pack-common.css is a symbolic link leading outside the templates folder templates/",),
    ),
    "template-include-symlinked-outside": Case(
        _template_link("evil.html", include="evil.html"), 1, expect=("templates/evil.html is a symbolic link leading outside",)
    ),
    "template-main-symlinked-outside": Case(
        _template_link("pack.html.j2"), 1, expect=("templates/pack.html.j2 is a symbolic link leading outside",)
    ),
    "template-folder-symlinked-outside": Case(
        _template_folder_link, 1, expect=("templates/parts/secret.txt is a symbolic link leading outside",)
    ),
    # (2) the cache writes and deletes outside the project
    "cache-folder-symlinked-outside": Case(
        _cache_folder_link, 0, expect=("warning: build cache ignored: .argbrief-cache is a symbolic link leading outside",)
    ),
    "cache-dot-folder-symlinked-outside": Case(
        _dot_cache_link, 0, expect=("warning: build cache ignored: .argbrief-cache/dot is a symbolic link leading outside",)
    ),
    # (3) the cache is an optimisation, never an authority
    "check-forged-build-cache": Case(_forged_export, 1, expect=("edited: exports/example/example.html",)),
    "check-forged-graphviz-cache": Case(_forged_graphviz_cache, 1, expect=("edited: exports/example/maps/four-day-week.svg",)),
    "graphviz-cache-entry-with-a-script": Case(_script_in_graphviz_cache, 0, then=_svg_literal("Extend the trial")),
    # (4) exports that would hang --check
    "check-export-is-dev-zero": Case(
        _special_export("dev-zero"), 1,
        expect=("edited: exports/example/example.html (it is a symbolic link leading outside the exports folder",),
    ),
    "check-export-is-a-fifo": Case(
        _special_export("fifo"), 1, expect=("edited: exports/example/example.html (it is a FIFO (named pipe)",)
    ),
    # (5) cache files that would hang or crash the build
    "cache-manifest-nested-deep": Case(_manifest("deep"), 0, expect=("build cache ignored: build.json is damaged",)),
    "cache-manifest-is-dev-zero": Case(
        _manifest("dev-zero"), 0, expect=("build cache ignored: build.json is a symbolic link leading outside the project",)
    ),
    "cache-manifest-is-a-fifo": Case(_manifest("fifo"), 0, expect=("build cache ignored: build.json is a FIFO",)),
    "cache-manifest-names-a-device": Case(_manifest("names-device"), 0, expect=("build cache ignored: build.json is damaged",)),
    "cache-manifest-names-a-fifo-outside": Case(_manifest("names-fifo"), 0, expect=("build cache ignored: build.json is damaged",)),
    # (8) templates that would run for ever or fill memory
    "template-range-too-big": Case(
        _template("{% for i in range(100000) %}{% endfor %}"), 1,
        expect=("templates/pack.html.j2:", "range() of 100,000 items; templates may make at most 10,000"),
    ),
    "template-runs-out-of-time": Case(
        _template(_NESTED_LOOPS), 1, expect=("templates/pack.html.j2:", "took longer than 1 s"),
        patch={"argbrief.packs.sandbox.RENDER_SECONDS": 1.0},
    ),
    "template-huge-string": Case(_template('{{ "x" * 10**9 }}'), 1, expect=("'*' would be longer than 1,000,000",)),
    "template-huge-power": Case(_template("{{ 2**10000000 }}"), 1, expect=("'**' would make a number of more than",)),
    "template-huge-width": Case(_template('{{ "x"|center(10**9) }}'), 1, expect=("a number over 1,000,000",)),
    "template-doubling-text": Case(_template(_DOUBLING), 1, expect=("would be longer than 1,000,000",)),
    "template-memory": Case(
        _template(_CONCAT), 1, expect=("templates/pack.html.j2:", "needed more than 64 MB of memory"),
        patch={"argbrief.packs.sandbox.MAX_MEMORY": 64 * 1024 * 1024},
    ),
    # (9) reference.docx as a zip bomb
    "reference-docx-part-too-big": Case(
        _zip_bomb(70 * 1024 * 1024), 1, expect=("reference.docx: part 'word/document.xml' would unpack to 73,400,320 bytes",)
    ),
    "reference-docx-zip-bomb-ratio": Case(_zip_bomb(4 * 1024 * 1024), 1, expect=("times its packed size", "zip bomb")),
    # (10) a stuck dot fails fast and is named; the measuring pass has the limit too (and draws the SVG: it is the
    # run that hangs on -Tsvg, named by the map it lays out)
    "dot-hangs-fails-fast": Case(_dot("sleep"), 1, expect=("argbrief: error: map '", "took longer than 1 s"),
                                 env=_DOT_ENV, then=_dot_runs_once("-T")),
    "dot-hangs-measuring": Case(
        _dot("plain-sleep", "label: Work got done sooner"), 1,
        expect=("map 'four-day-week' (laying it out to fit the page): Graphviz 'dot -Tplain' took longer than 1 s",),
        env=_DOT_ENV, then=_dot_runs_once("-Tplain"),
    ),
    # (13) symbolic-link loops
    "source-text-symlink-loop": Case(_loop("source-text"), 1, located="input.not-a-file"),
    "exports-symlink-loop": Case(_loop("exports"), 1, expect=("exports = 'loop' is a symbolic-link loop",)),
    "pack-folder-symlink-loop": Case(
        _loop("pack-folder"), 1, expect=("refusing to write into exports/example: it is a symbolic-link loop",)
    ),
    # (14) configuration values of the wrong type
    "config-formats-not-a-list": Case(_config("formats = 5\n"), 1, expect=("formats must be a list of format names",)),
    "config-nul-in-a-path": Case(_config('exports = "a\\u0000b"\n'), 1, expect=("contains a NUL character",)),
    "config-theme-not-text": Case(_config("theme = 5\n"), 1, expect=("theme must be one of default, print, colorblind, not a number (5)",)),
    "config-jobs-not-a-number": Case(_config('jobs = "2"\n'), 1, expect=("jobs must be a whole number >= 0, not a string ('2')",)),
    # (15) a structurally broken reference.docx
    "reference-docx-without-body": Case(
        _reference_edited(rb"<w:body>.*</w:body>"), 1, expect=("reference.docx: has no document body (w:body)",)
    ),
    "reference-docx-without-section": Case(_reference_edited(rb"<w:sectPr.*?</w:sectPr>"), 0, then=_docx_opens),
    # (16) garbage from dot -Tplain
    "dot-measures-garbage": Case(
        _dot("plain-garbage", "label: Work got done earlier"), 1,
        expect=(
            (
                "map 'four-day-week' (laying it out to fit the page): Graphviz 'dot -Tplain' exited normally but its output "
                "is not a layout argbrief can read: its first line has a number that does not read ('graph one two three')"
            ),
        ),
        env=lambda tmp: {"PATH": path_with(tmp / "bin")},
    ),
    # (17) odd SOURCE_DATE_EPOCH values
    "source-date-epoch-past-9999": Case(
        lambda root, tmp: [], 1, expect=("SOURCE_DATE_EPOCH must be a whole number of seconds", "'99999999999999'"),
        env=lambda tmp: {"SOURCE_DATE_EPOCH": "99999999999999"},
    ),
    "source-date-epoch-not-a-number": Case(
        lambda root, tmp: [], 1, expect=("SOURCE_DATE_EPOCH must be a whole number of seconds", "'abc'"),
        env=lambda tmp: {"SOURCE_DATE_EPOCH": "abc"},
    ),
    # (19) a map that is a symbolic link out of the project is refused
    "map-symlinked-outside": Case(
        _symlinked_map, 1, located="input.outside-project",
        expect=(f"{MAP}:1:1: error: the file is a symbolic link leading outside the project; it leads to ",),
    ),
    # (20) the error names the export, not a temporary file
    "export-path-is-a-folder": Case(
        _export_is_a_folder, 1, expect=("exports/example/example.html is a folder; a file cannot be written in its place",)
    ),
}


HOSTILE_ID_PACK = "pack: ../../evil"

CASES: dict[str, Case] = {
    # ---- YAML: tags, bombs, depth, size, encoding --------------------------------------------
    "map-python-tag": Case(_map_case(TITLE, f'title: !!python/object/apply:os.system ["touch {MARKER}"]'), 1, located="yaml.tag"),
    "pack-python-tag": Case(
        lambda root, tmp: _set_pack(root, "subtitle: One position", f"subtitle: !!python/object/new:os.system [touch {MARKER}]") or [],
        1, located="yaml.tag",
    ),
    "alias-bomb": Case(_raw_map(_bomb()), 1, located="input.too-large"),
    "deep-nesting": Case(_raw_map(MAP_YAML.encode() + b"note: " + b"[" * 2000 + b"]" * 2000 + b"\n"), 1, located="input.too-deep"),
    "label-over-the-limit": Case(_map_case(LABEL, "label: " + "x" * 25_000), 1, located="input.text-too-long"),
    "invalid-utf8-map": Case(_raw_map(MAP_YAML.encode().replace(b"four-day week?", b"four-day \xc3\x28week?")), 1, located="input.not-utf8"),
    "invalid-utf8-source-text": Case(
        lambda root, tmp: (root / "arguments/sources/four-day-week.txt").write_bytes(SOURCE_TEXT.encode() + b"\xff\xfe\n") and [],
        1, located="input.not-utf8",
    ),
    "binary-pack": Case(lambda root, tmp: (root / PACK).write_bytes(bytes(range(256))) and [], 1, located="input.binary"),
    "raw-control-char": Case(_map_case(THESIS, "The council \x1b[31mshould\x1b[0m extend it."), 1, located="input.control-char"),
    # ---- ids and paths that try to leave the project ---------------------------------------------
    "source-text-traversal": Case(_map_case("text: sources/four-day-week.txt", "text: ../../../../../../etc/passwd"), 1, located="input.outside-project"),
    "source-text-absolute": Case(_map_case("text: sources/four-day-week.txt", "text: /etc/passwd"), 1, located="input.outside-project"),
    "map-id-traversal": Case(_map_case("map: four-day-week", "map: ../../evil"), 1, located="schema.bad-id"),
    "pack-id-traversal": Case(lambda root, tmp: _set_pack(root, "pack: example", HOSTILE_ID_PACK) or [], 1, located="schema.bad-id"),
    "pack-id-with-slash": Case(lambda root, tmp: _set_pack(root, "pack: example", "pack: exports/evil") or [], 1, located="schema.bad-id"),
    "node-id-traversal": Case(_map_case("id: P1", "id: ../../P1"), 1, located="schema.bad-id"),
    "position-id-with-slash": Case(
        lambda root, tmp: (_set_pack(root, "- id: extend-trial", "- id: a/../b"), _set_map(root, "position: extend-trial", "position: a/../b"))
        and [],
        1, located="schema.bad-id",
    ),
    "pack-option-traversal": Case(lambda root, tmp: ["--pack", "../../../tmp/x"], 2, expect=("no pack '../../../tmp/x'",)),
    "exports-outside": Case(_config('exports = "../outside"\n'), 1, expect=("exports = '../outside' is outside the project",)),
    "templates-outside": Case(_config('templates = "../outside"\n'), 1, expect=("templates = '../outside' is outside the project",)),
    "arguments-outside": Case(_config('arguments = "/etc"\n'), 1, expect=("arguments = '/etc' is outside the project",)),
    "exports-folder-symlinked-outside": Case(
        _symlinked_exports, 1, expect=("refusing to write into exports/example", "a symbolic link leading outside the exports folder"), then=_outside_untouched
    ),
    "export-file-symlinked-outside": Case(_symlinked_export_file, 0, then=_victim_untouched),
    # ---- injection in claim text and titles: rendered literally ----------------------------------
    "dot-injection": Case(
        _map_case(THESIS, _q('Ends here"]; evil [label="pwned"]; x -> y; //\\N\\G\\L')),
        0, then=_svg_literal('Ends here"]; evil [label="pwned"]; x -> y; //\\N\\G\\L', nodes=1),
    ),
    "dot-html-label-injection": Case(
        _map_case(LABEL, 'label: "<B>bold</B><IMG SRC=\\"/etc/passwd\\"/></TD></TR></TABLE>>"'),
        0, then=_svg_literal('<B>bold</B><IMG SRC="/etc/passwd"/></TD></TR></TABLE>>'),
    ),
    "html-injection-in-title": Case(
        lambda root, tmp: _set_pack(root, 'title: A four-day week for the council?', "title: " + _q("</title><script>alert(1)</script>")) or [],
        0, then=_html_literal("</title><script>alert(1)</script>"),
    ),
    "html-attribute-injection": Case(
        lambda root, tmp: _set_pack(root, "label: Extend the trial", "label: " + _q('x" onmouseover="alert(1)" data-x="')) or [],
        0, then=_html_literal('x" onmouseover="alert(1)" data-x="'),
    ),
    "jinja-injection-in-claim": Case(
        _map_case(THESIS, _q(f"{{{{ cycler.__init__.__globals__.os.popen('touch {MARKER}').read() }}}}")),
        0, then=_html_literal(f"{{{{ cycler.__init__.__globals__.os.popen('touch {MARKER}').read() }}}}"),
    ),
    "jinja-loop-in-title": Case(
        _map_case(TITLE, "title: " + _q("{% for x in range(10**9) %}x{% endfor %}{{ 9**9**9 }}")),
        0, then=_html_literal("{% for x in range(10**9) %}x{% endfor %}{{ 9**9**9 }}"),
    ),
    "xml-injection-in-word": Case(
        _quote_case('</w:t></w:r><w:r><w:t>pwned <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> &e; ]]>'),
        0, then=_docx_literal('</w:t></w:r><w:r><w:t>pwned <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> &e; ]]>'),
    ),
    "unicode-tricks": Case(
        _map_case(THESIS, _q("Bidi \u202eevil\u202c, zero\u200bwidth, emoji \U0001f600, CJK 四天工作制, combining e\u0301.")),
        # Bidirectional overrides are shown as visible codes (argbrief.bidi); the rest as written.
        0, then=_html_literal("Bidi <U+202E>evil<U+202C>, zero\u200bwidth, emoji \U0001f600, CJK 四天工作制, combining e\u0301."),
    ),
    "whitespace-only-label": Case(_map_case(LABEL, 'label: "\\u00a0 \\t "'), 0, then=_svg_literal("Extend the trial")),
    "huge-label-within-limits": Case(
        _map_case(LABEL, "label: " + " ".join(["Longword"] * 2000)),
        0, then=_html_literal(" ".join(["Longword"] * 2000)),
    ),
    # ---- hostile templates and stylesheets -------------------------------------------------------
    "template-ssti": Case(
        _template(f"{{{{ cycler.__init__.__globals__.os.popen('touch {MARKER}').read() }}}}"),
        1, expect=("templates/pack.html.j2:", "template error", "unsafe", "sandboxed"),
    ),
    "template-include-traversal": Case(_template("{% include '../../../../etc/passwd' %}"), 1, expect=("templates/pack.html.j2:", "../../../../etc/passwd")),
    "template-include-absolute": Case(_template("{% include '/etc/passwd' %}"), 1, expect=("templates/pack.html.j2:", "/etc/passwd")),
    "template-syntax-error": Case(_template("{% if %}"), 1, expect=("templates/pack.html.j2:", "template syntax error")),
    "template-runtime-error": Case(_template("{{ 1 // 0 }}"), 1, expect=("templates/pack.html.j2:", "ZeroDivisionError")),
    "template-undefined-name": Case(_template("{{ doc.meta.titel }}"), 1, expect=("templates/pack.html.j2:", "titel")),
    "stylesheet-closes-style": Case(_css("</style><script>alert(1)</script>"), 1, expect=("pack-common.css", "contains '</'")),
    "template-fetches-files-and-network": Case(
        _fetching_template, 0,
        expect=("[build.renderer-warning]", "file:///etc/passwd", "127.0.0.1", "four-day-week.txt"),
        then=_nothing_fetched,
    ),
    "garbage-reference-docx": Case(_garbage_reference, 1, expect=("reference.docx: not a readable Word document",)),
    # ---- a misbehaving Graphviz --------------------------------------------------------------------
    "dot-crashes": Case(_dot("crash"), 1, expect=("Graphviz 'dot -T", "failed"), env=lambda tmp: {"PATH": path_with(tmp / "bin")}),
    "dot-hangs": Case(
        _dot("sleep"), 1, expect=("took longer than 2 s",),
        env=lambda tmp: {"PATH": path_with(tmp / "bin"), "ARGBRIEF_DOT_TIMEOUT": "2"},
    ),
    # A run with -Tsvg measures too (-Tplain on standard output, where the fake writes): the error names whichever
    # output it read first ("... output is not SVG" or "... is not a layout argbrief can read").
    "dot-writes-garbage": Case(_dot("garbage"), 1, expect=("exited normally but its output is not",),
                               env=lambda tmp: {"PATH": path_with(tmp / "bin")}),
    "dot-killed": Case(_dot("killed"), 1, expect=("Graphviz 'dot -T", "failed"), env=lambda tmp: {"PATH": path_with(tmp / "bin")}),
    "dot-missing": Case(_no_dot, 1, expect=("'dot' was not found on PATH", "apt-get install graphviz"), env=lambda tmp: {"PATH": str(tmp / "empty-bin")}),
    "corrupt-caches": Case(_corrupt_cache, 0, then=_cache_ignored),
    **SECURITY_CASES,
}


def _listing(folder: Path) -> list[str]:
    """Every entry below ``folder`` (links, FIFOs and folders too), as relative names."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_build(name, built, tmp_path, run_cli, monkeypatch):
    case = CASES[name]
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    outside = _outside(tmp_path)
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    args = case.setup(root, tmp_path)
    before = tree(root / "exports")
    outside_before = (tree(outside), _listing(outside))
    for key, value in case.env(tmp_path).items():
        monkeypatch.setenv(key, value)
    for target, value in case.patch.items():
        monkeypatch.setattr(target, value)
    with no_hang():
        code, out, err = run_cli("build", "-j", "1", *args, cwd=root)
    output = out + err
    assert code == case.code, output
    assert "Traceback" not in output and "internal error" not in output
    assert not re.search(r"\.[0-9a-f]{8}\.tmp", output), "an error names a temporary file"
    # Nothing outside the project was written, deleted, or read into the output or an export.
    assert (tree(outside), _listing(outside)) == outside_before
    assert SECRET not in output
    assert not [p for p in (root / "exports").rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    for text in case.expect:
        assert text in output, (text, output)
    if case.located is not None:
        found = [m for m in LOCATED.finditer(out) if m["code"] == case.located]
        assert found, out
        assert found[0]["file"] in (MAP, PACK, "arguments/sources/four-day-week.txt"), out
        assert int(found[0]["line"]) >= 1 and int(found[0]["col"]) >= 1
    if code != 0:
        assert tree(root / "exports") == before, "a failed build changed the exports"
        assert "nothing was written" in err or ": error: " in err or "check failed" in err  # argbrief: error:, or a located line
    assert not (root / MARKER).exists() and not Path(MARKER).exists()
    assert not list(root.rglob("*.tmp"))
    if case.then is not None:
        case.then(root)


def test_there_are_enough_cases_in_every_category():
    assert len(CASES) >= 30
    for prefix in ("map-", "pack-", "template-", "dot-", "source-text-"):
        assert any(n.startswith(prefix) for n in CASES), prefix


# --------------------------------------------------------------------------- issue 17: the items a table cannot hold


def test_jobs_from_the_configuration_are_capped_at_the_cores_and_the_command_line_forces(built, tmp_path):
    """(7) ``jobs = 200`` in argbrief.toml (a pull request can write it) gives one worker per core, no more."""
    from argbrief.builder.pool import cpu_count

    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    (root / "argbrief.toml").write_text('arguments = "arguments"\nexports = "exports"\njobs = 200\n', encoding="utf-8")
    config = Config.discover(root)
    assert build(config).jobs == cpu_count()
    (root / "argbrief.toml").write_text('arguments = "arguments"\nexports = "exports"\njobs = 1\n', encoding="utf-8")
    assert build(Config.discover(root)).jobs == 1  # fewer is fine
    assert build(config, jobs=3).jobs == 3  # --jobs 3: forced


def test_a_stuck_dot_runs_out_of_the_builds_deadline():
    """(10) Every dot run ends by the build's one deadline, whatever time each run would still have."""
    from argbrief.errors import ToolError
    from argbrief.render.graphviz import DotLimits, dot_limits, run_dot

    limits = DotLimits(timeout=60, deadline=time.monotonic() - 1)
    assert limits.left()[0] == 0
    with dot_limits(limits), pytest.raises(ToolError, match=r"not started: the build's deadline for Graphviz \(10 x 60 s\) has passed"):
        run_dot("digraph { a }", "svg")
    assert DotLimits.for_build(5).deadline - time.monotonic() == pytest.approx(50, abs=5)


def test_sigterm_ends_the_workers_and_their_dot(built, tmp_path):
    """(11) SIGTERM to ``build -j 2`` while drawings hang: exit 143, no worker or dot left, stdout closed."""
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    _new_drawing(root)
    before = tree(root / "exports")
    bin_dir = fake_dot(tmp_path / "bin", "sleep")
    env = {**os.environ, "PATH": path_with(bin_dir), "PYTHONPATH": str(REPO_SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "argbrief", "build", "-j", "2"], cwd=root, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    for _ in range(600):  # until a drawing hangs (a run that measures draws the SVG too: the first new one hangs)
        if any("-Tsvg" in args for _, _, args in dot_runs(bin_dir)):
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)  # to the build process only, as a CI runner's cancel does
    out, err = proc.communicate(timeout=60)  # returns only when every holder of stdout has gone
    assert proc.returncode == 143, err
    assert b"terminated" in err and b"Traceback" not in out + err
    for pid, parent, _ in dot_runs(bin_dir):
        for gone in (pid, parent):  # the dot, and the worker that ran it
            for _ in range(50):
                if not _alive(gone):
                    break
                time.sleep(0.1)
            assert not _alive(gone), f"process {gone} outlived the build"
    assert tree(root / "exports") == before
    assert not list(root.rglob("*.tmp"))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"  # a zombie has exited
    except (FileNotFoundError, IndexError):
        return False


def test_extra_maps_of_a_pack_with_positions_are_in_its_documents(built, tmp_path, run_cli):
    """(18) A map under ``maps:`` of a pack with positions gets a chapter after the positions, in every format."""
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    extra = MAP_YAML.replace("map: four-day-week", "map: background").replace(
        "title: Should the council try a four-day week?", "title: Background on the trial"
    ).replace("position: extend-trial\n", "")
    (root / "arguments/background.yaml").write_text(extra, encoding="utf-8")
    _set_pack(root, "formats: [html]", "formats: [html, docx]\nmaps: [background]")
    code, out, err = run_cli("build", "-j", "1", cwd=root)
    assert code == 0, out + err
    html = _html(root)
    headings = " ".join(" ".join(html.text).split())
    assert "Position: Extend the trial" in headings and "Background on the trial" in headings
    assert headings.index("Position: Extend the trial") < headings.rindex("Background on the trial")
    assert (root / "exports/example/maps/background.svg").exists()
    import docx

    word = docx.Document(io.BytesIO((root / "exports/example/example.docx").read_bytes()))
    assert any(p.text.endswith("Background on the trial") and p.style.name.startswith("Heading") for p in word.paragraphs)


def test_source_date_epoch_is_refused_the_same_way_by_every_command(built, tmp_path, run_cli, monkeypatch):
    """(17) ``render`` refused ``abc`` with exit 3 while ``build`` ignored it: now every command says the same."""
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    for value in ("abc", "-1", "1.5", "99999999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        for command in (["render", "four-day-week", "-o", "x.pdf"], ["build"], ["check"]):
            code, _, err = run_cli(*command, cwd=root)
            assert code == 1, (command, err)
            assert "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC (0 to 253402300799" in err
            assert "Traceback" not in err and "internal error" not in err
    assert not (root / "x.pdf").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")  # the last second of 9999 is fine
    assert run_cli("render", "four-day-week", "-o", "x.pdf", cwd=root)[0] == 0


def test_the_worst_attacks_stay_under_a_gigabyte(built, tmp_path):
    """(4, 5) /dev/zero as an export under --check and as the build cache, in a process capped at 1 GB."""
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    (root / "exports/example/example.html").unlink()
    (root / "exports/example/example.html").symlink_to("/dev/zero")
    (root / ".argbrief-cache/build.json").unlink()
    (root / ".argbrief-cache/build.json").symlink_to("/dev/zero")
    code, out, err = run_capped(["build", "--check", "-j", "1", "-v"], cwd=root)
    assert code == 1, err
    assert "edited: exports/example/example.html (it is a symbolic link leading outside the exports folder" in out
    assert "build.json is a symbolic link leading outside the project" in err
    assert "Traceback" not in err and "internal error" not in err
