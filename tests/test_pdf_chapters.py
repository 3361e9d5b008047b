"""The PDF laid out chapter by chapter and joined (argbrief.packs.chapters).

The joined PDF must read exactly as the pack laid out as one WeasyPrint
document (``render_pdf``, the reference): the same pages and text, running
headers and "Page X of Y", the contents' page numbers, the links and where they
lead, the outline, and the same PDF/UA structure tree. Builds stay
byte-identical, with or without the chapter cache, and an edit lays out again
only the chapters that show it.
"""

from __future__ import annotations

import shutil
import subprocess

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from argbrief.model import SourceSpan
from argbrief.packs.chapters import DEST_SCHEME, chapter_html, split
from argbrief.packs.html import template_dirs
from argbrief.packs.pdf import render_pdf, render_pdf_chapters

from ._packs_project import PACK_YAML, make_project, render_in_memory

# A title a stylesheet string must escape (it runs in every page's footer).
TITLE = 'A "four-day" week \\ for the council?'


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The example pack's document, as one WeasyPrint document and as joined chapters."""
    root = make_project(tmp_path_factory.mktemp("chapters") / "p",
                        pack_yaml=PACK_YAML.replace("title: A four-day week for the council?", f"title: '{TITLE}'"))
    pack = render_in_memory(root)
    dirs = template_dirs(root / "templates")
    span = SourceSpan("arguments/packs/example.yaml")
    single, _ = render_pdf(pack.document, dirs, span=span)
    joined, diags = render_pdf_chapters(pack.document, dirs, span=span, cache=None)
    again, _ = render_pdf_chapters(pack.document, dirs, span=span, cache=root / "cache")
    cached, _ = render_pdf_chapters(pack.document, dirs, span=span, cache=root / "cache")
    return {"root": root, "dirs": dirs, "doc": pack.document, "single": single, "joined": joined, "again": again,
            "cached": cached, "diags": diags}


def _pages_text(data: bytes) -> list[str]:
    import io

    import pypdf

    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def _read(data: bytes) -> dict:
    """What a reader and a screen reader get: links, outline, structure elements, marked content."""
    import io

    pdf = pikepdf.open(io.BytesIO(data))
    index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items()) if "/Names" in pdf.Root else {}

    def page_of(dest) -> int:
        if not isinstance(dest, Array):
            dest = names[str(dest)]
        return index[dest[0].objgen]

    links = []
    for i, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            target = ("page", page_of(annot.Dest)) if "/Dest" in annot else ("uri", str(annot.A.URI))
            links.append((i, tuple(round(float(x)) for x in annot.Rect), target))
    outline = []
    with pdf.open_outline() as ol:
        def walk(items, depth):
            for item in items:
                outline.append((depth, item.title, page_of(item.destination)))
                walk(item.children, depth + 1)
        walk(ol.root, 0)
    tree = pdf.Root.StructTreeRoot
    nums = tree.ParentTree.Nums
    parents = {int(nums[j]): nums[j + 1] for j in range(0, len(nums), 2)}
    types, marked, objects = [], [], 0

    def visit(elem, parent) -> None:
        nonlocal objects
        if isinstance(elem, int):
            marked.append(elem)
            return
        if elem.get("/Type") == Name.OBJR:
            objects += 1
            return
        assert elem.P.objgen == parent.objgen, f"{elem.S} does not point back at its parent"
        types.append(str(elem.S))
        kids = elem.get("/K", Array())
        for kid in kids if isinstance(kids, Array) else [kids]:
            visit(kid, elem)

    for kid in tree.K:
        visit(kid, tree)
    for i, page in enumerate(pdf.pages):
        # every page's marked content is in the parent tree, every link annotation too
        assert int(page.obj.StructParents) in parents, f"page {i + 1} has no parent tree entry"
        for annot in page.obj.get("/Annots", []):
            assert isinstance(parents[int(annot.StructParent)], Dictionary)
    return {"links": links, "outline": outline, "types": types, "marked": len(marked), "objects": objects,
            "lang": str(pdf.Root.Lang), "marked_pdf": bool(pdf.Root.MarkInfo.Marked), "parents": len(parents)}


def test_joined_chapters_read_like_one_document(rendered):
    single, joined = _pages_text(rendered["single"]), _pages_text(rendered["joined"])
    assert len(joined) == len(single) > 3
    assert joined == single  # headers, footers, "Page X of Y", the contents' numbers, "Figure N, p. X"
    n = len(joined)
    assert all(f"Page {i} of {n}" in text for i, text in enumerate(joined, start=1))
    assert all(TITLE.replace("\\", "") in text.replace("\\", "") for text in joined[1:])
    assert "Contents" in joined[1] and "Summary" in joined[1]


def test_joined_chapters_keep_links_outline_and_tags(rendered):
    single, joined = _read(rendered["single"]), _read(rendered["joined"])
    assert joined["links"] and joined["links"] == single["links"]
    assert not [link for link in joined["links"] if DEST_SCHEME in str(link[2])]
    assert joined["outline"] and joined["outline"] == single["outline"]
    assert joined["types"][0] == "/Document" and joined["types"].count("/Document") == 1
    assert joined["types"] == single["types"]
    assert (joined["marked"], joined["objects"]) == (single["marked"], single["objects"])
    assert joined["lang"] == "en" and joined["marked_pdf"]
    assert joined["parents"] == single["parents"]


def test_joined_pdf_passes_qpdf_check(rendered, tmp_path):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        import os

        if os.environ.get("CI"):
            raise RuntimeError("CI: qpdf is missing; scripts/system-deps.sh installs it")
        pytest.skip("qpdf is not installed (scripts/system-deps.sh installs it)")
    path = tmp_path / "joined.pdf"
    path.write_bytes(rendered["joined"])
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_same_bytes_with_and_without_the_cache(rendered):
    assert rendered["joined"] == rendered["again"] == rendered["cached"]
    assert not [d for d in rendered["diags"] if d.code != "build.renderer-warning"]


def test_chapters_split_at_main_sections_and_link_across(rendered):
    from argbrief.packs._floats import FloatPlan
    from argbrief.packs.html import render_html

    html = render_html(rendered["doc"], rendered["dirs"], medium="pdf", floats=FloatPlan())
    prologue, chapters = split(html)
    assert chapters[0].first and "cover" in chapters[0].ids and len(chapters) >= 3
    assert not set.intersection(*(set(c.ids) for c in chapters[:2]))
    text = chapter_html(prologue, chapters[0], start=1, pages_of={"summary": 3}, strings={"doctitle": 'a"b'})
    assert f'href="{DEST_SCHEME}:summary" data-page="3"' in text  # contents -> the summary's page
    later = chapter_html(prologue, chapters[1], start=3, pages_of={}, strings={"doctitle": 'a"b</style>'})
    assert "counter-reset: page 3" in later
    assert 'doctitle "a\\22 b\\3c /style>"' in later  # a CSS string that cannot end the style element


def test_an_edit_lays_out_only_the_chapters_that_show_it(tmp_path, run_cli):
    root = make_project(tmp_path / "p")
    code, _, err = run_cli("build", "--format", "pdf", cwd=root)
    assert code == 0, err
    folder = root / ".argbrief-cache" / "pdf" / "example"
    before = {p.name for p in folder.glob("*.pdf")}
    first = (root / "exports" / "example" / "example.pdf").read_bytes()
    assert len(before) >= 4  # cover and contents, summary, comparison, position, register
    map_file = root / "arguments" / "four-day-week.yaml"
    map_file.write_text(map_file.read_text().replace("Should the council try", "Should the borough try"))
    code, _, err = run_cli("build", "--format", "pdf", cwd=root)
    assert code == 0, err
    after = {p.name for p in folder.glob("*.pdf")}
    assert after - before and len(after - before) < len(after)  # some chapters made again, not all
    assert len(after) == len(before)  # the replaced chapters' files are pruned
    assert (root / "exports" / "example" / "example.pdf").read_bytes() != first
    code, _, err = run_cli("build", "--check", "--format", "pdf", cwd=root)  # no cache: the same bytes
    assert code == 0, err


def test_a_damaged_chapter_cache_is_made_again(rendered, tmp_path):
    """Truncated or garbled entries (a chapter PDF, its record, a layout or a measuring pass) are misses."""
    folder = tmp_path / "cache"
    shutil.copytree(rendered["root"] / "cache", folder)
    for i, path in enumerate(sorted(folder.iterdir())):
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] if i % 2 else b"{not json")
    data, _ = render_pdf_chapters(rendered["doc"], rendered["dirs"], span=SourceSpan("p.yaml"), cache=folder)
    assert data == rendered["joined"]


def test_text_that_reads_like_markup_stays_text(tmp_path):
    """A claim holding ``href="#summary"`` or ``id="register"`` is shown as written, not taken for a link or an anchor."""
    import html as html_module

    from argbrief.packs.chapters import split

    claim = 'see href="#summary" and id="register" data-page="1"'
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
        '<header id="cover"><p>x</p></header><nav><a href="#summary">Summary</a></nav>'
        f'<main><section id="summary"><p>{html_module.escape(claim)}</p><a href="#register">R</a></section>'
        '<section id="register"><p>r</p></section></main></body></html>'
    )
    prologue, chapters = split(page)
    assert [c.ids for c in chapters] == [frozenset({"cover"}), frozenset({"summary"}), frozenset({"register"})]
    text = chapter_html(prologue, chapters[1], start=3, pages_of={"register": 9, "summary": 3}, strings={})
    assert 'data-page="9"' in text and f'href="{DEST_SCHEME}:register"' in text
    assert text.count("data-page=") == 2  # the link's, and the claim's own words
    import lxml.html

    assert claim in lxml.html.document_fromstring(text).text_content()


def test_a_removed_packs_chapters_are_deleted(tmp_path, run_cli):
    """Renaming a pack leaves no cached chapters behind under its old id."""
    root = make_project(tmp_path / "p")
    code, _, err = run_cli("build", "--format", "pdf", cwd=root)
    assert code == 0, err
    cache = root / ".argbrief-cache" / "pdf"
    assert list((cache / "example").glob("*.pdf"))
    pack_file = root / "arguments" / "packs" / "example.yaml"
    pack_file.write_text(pack_file.read_text().replace("pack: example", "pack: renamed", 1))
    code, _, err = run_cli("build", "--format", "pdf", cwd=root)
    assert code == 0, err
    assert sorted(p.name for p in cache.iterdir()) == ["renamed"]
    # A pack that fails to load keeps its chapters: it is broken, not gone.
    pack_file.write_text(pack_file.read_text().replace("pack: renamed", "pack: [renamed", 1))
    code, _, _ = run_cli("build", "--format", "pdf", cwd=root)
    assert code == 1 and sorted(p.name for p in cache.iterdir()) == ["renamed"]
