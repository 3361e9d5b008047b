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

Never a traceback, never exit 3. The loader's own hostile cases (``check``)
are in test_hostile.py; text in every format is in test_packs_hostile.py.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from argbrief import Config
from argbrief.builder import build

from ._ci_helpers import fake_dot, path_with, small_project, tree
from ._html import HtmlParts, parse_html
from ._packs_project import MAP_YAML, SOURCE_TEXT

MAP = "arguments/four-day-week.yaml"
PACK = "arguments/packs/example.yaml"
MARKER = "argbrief-pwned"
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
    outside = tmp / "outside"
    outside.mkdir()
    shutil.rmtree(root / "exports/example")
    (root / "exports/example").symlink_to(outside, target_is_directory=True)
    _set_map(root, "Extend the trial", "Extend the trial now")
    return []


def _outside_untouched(root: Path) -> None:
    assert list((root.parent / "outside").iterdir()) == []


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


def _dot(behaviour: str) -> Callable[[Path, Path], list[str]]:
    def setup(root: Path, tmp: Path) -> list[str]:
        fake_dot(tmp / "bin", behaviour)
        _set_map(root, "label: Work got done faster", "label: Work got done quicker")  # a new drawing
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
        0, then=_html_literal("Bidi \u202eevil\u202c, zero\u200bwidth, emoji \U0001f600, CJK 四天工作制, combining e\u0301."),
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
    "dot-writes-garbage": Case(_dot("garbage"), 1, expect=("output is not SVG",), env=lambda tmp: {"PATH": path_with(tmp / "bin")}),
    "dot-killed": Case(_dot("killed"), 1, expect=("Graphviz 'dot -T", "failed"), env=lambda tmp: {"PATH": path_with(tmp / "bin")}),
    "dot-missing": Case(_no_dot, 1, expect=("'dot' was not found on PATH", "apt-get install graphviz"), env=lambda tmp: {"PATH": str(tmp / "empty-bin")}),
    "corrupt-caches": Case(_corrupt_cache, 0, then=_cache_ignored),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_build(name, built, tmp_path, run_cli, monkeypatch):
    case = CASES[name]
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    args = case.setup(root, tmp_path)
    before = tree(root / "exports")
    for key, value in case.env(tmp_path).items():
        monkeypatch.setenv(key, value)
    code, out, err = run_cli("build", "-j", "1", *args, cwd=root)
    output = out + err
    assert code == case.code, output
    assert "Traceback" not in output and "internal error" not in output
    for text in case.expect:
        assert text in output, (text, output)
    if case.located is not None:
        found = [m for m in LOCATED.finditer(out) if m["code"] == case.located]
        assert found, out
        assert found[0]["file"] in (MAP, PACK, "arguments/sources/four-day-week.txt"), out
        assert int(found[0]["line"]) >= 1 and int(found[0]["col"]) >= 1
    if code != 0:
        assert tree(root / "exports") == before, "a failed build changed the exports"
        assert "nothing was written" in err or "argbrief: error:" in err
    assert not (root / MARKER).exists() and not Path(MARKER).exists()
    assert not list(root.rglob("*.tmp"))
    if case.then is not None:
        case.then(root)


def test_there_are_enough_cases_in_every_category():
    assert len(CASES) >= 30
    for prefix in ("map-", "pack-", "template-", "dot-", "source-text-"):
        assert any(n.startswith(prefix) for n in CASES), prefix
