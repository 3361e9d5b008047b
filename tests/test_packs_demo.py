"""The demo packs, built once for this module, read back: PDF (pypdf), Word (python-docx), HTML.

The build writes into a temporary exports folder (the repository's exports/ is
not touched). One more build of ukraine-options, in a separate process with
another hash seed and from a copy of the project, must give identical bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

from argbrief import Config
from argbrief.builder import build

from .conftest import REPO

PACKS = ("ukraine-options", "russia-briefing")
FORMATS = ("pdf", "docx", "html")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Both demo packs built in all formats into a temporary exports folder."""
    exports = tmp_path_factory.mktemp("exports")
    config = attrs.evolve(Config.discover(REPO), exports=exports)
    result = build(config, PACKS, FORMATS)
    assert not result.failed, [d.format() for d in result.diagnostics]
    return config, result


@pytest.fixture(scope="module")
def docs(demo):
    """The document model of each pack, as the build assembled it."""
    return {r.plan.pack_id: r.document for r in demo[1].packs}


@pytest.fixture(scope="module")
def pdf_pages(demo):
    """Each pack's PDF pages as text (pypdf's extraction is slow: once per module)."""
    import pypdf

    return {pid: [page.extract_text() for page in pypdf.PdfReader(_path(demo, pid, "pdf")).pages] for pid in PACKS}


def _path(demo, pack_id: str, fmt: str) -> Path:
    return demo[0].exports / pack_id / f"{pack_id}.{fmt}"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _bookmark(anchor: str) -> str:
    from argbrief.packs._docxml import bookmark_name

    return bookmark_name(anchor)


# --------------------------------------------------------------------------- files


def test_every_pack_writes_three_documents_and_its_diagrams(demo, docs):
    config, result = demo
    for pid in PACKS:
        for fmt in FORMATS:
            assert _path(demo, pid, fmt).stat().st_size > 10_000
        svgs = sorted(p.name for p in (config.exports / pid / "maps").glob("*.svg"))
        assert svgs == sorted(f"{f.name}.svg" for f in docs[pid].figures())
    assert not list(config.exports.rglob("*.tmp")), "temp files left behind"
    assert not [d for d in result.diagnostics if d.code == "build.renderer-warning"]


def test_map_diagrams_are_svg_files(demo):
    from lxml import etree

    for svg in (demo[0].exports / "ukraine-options" / "maps").glob("*.svg"):
        root = etree.fromstring(svg.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
        assert etree.QName(root).localname == "svg"


# --------------------------------------------------------------------------- PDF


def _outline(reader, items=None, level=1):
    items = reader.outline if items is None else items
    out = []
    for item in items:
        if isinstance(item, list):
            out += _outline(reader, item, level + 1)
        else:
            out.append((level, _norm(item.title), reader.get_destination_page_number(item) + 1))
    return out


@pytest.mark.parametrize("pack_id", PACKS)
def test_pdf_bookmarks_mirror_the_headings_and_the_contents_has_their_pages(demo, docs, pdf_pages, pack_id):
    import pypdf

    reader = pypdf.PdfReader(_path(demo, pack_id, "pdf"))
    doc = docs[pack_id]
    outline = _outline(reader)
    assert [(lvl, title) for lvl, title, _ in outline] == [(h.level, _norm(h.title)) for h in doc.headings()]

    pages = {title: page for _, title, page in outline}
    contents = _norm(pdf_pages[pack_id][1])
    assert contents.startswith("Contents")
    for h in doc.toc():
        # "3.1 The case for ... . . . . 10": the entry, dot leaders, the page the bookmark points at
        entry = re.search(re.escape(_norm(h.title)) + r"[ .]*? (\d+)(?: |$)", contents)
        assert entry, h.title
        assert int(entry.group(1)) == pages[_norm(h.title)], h.title


@pytest.mark.parametrize("pack_id", PACKS)
def test_pdf_text_runs_in_document_order(docs, pdf_pages, pack_id):
    text = _norm(" ".join(pdf_pages[pack_id][2:]))  # after cover and contents
    at = 0
    for h in docs[pack_id].headings():
        found = text.find(_norm(h.title), at)
        assert found >= 0, f"{h.title!r} missing or out of order"
        at = found


@pytest.mark.parametrize("pack_id", PACKS)
def test_pdf_pages_have_marking_and_page_x_of_y(pdf_pages, pack_id):
    n = len(pdf_pages[pack_id])
    for i, text in enumerate(pdf_pages[pack_id], start=1):
        assert f"Page {i} of {n}" in text
        assert text.count("OFFICIAL") >= 2  # header and footer


def test_pdf_metadata_fonts_and_tags(demo):
    import pypdf

    reader = pypdf.PdfReader(_path(demo, "ukraine-options", "pdf"))
    meta = reader.metadata
    assert meta.title == "Ending the war in Ukraine: the options"
    assert meta.subject == "Three positions compared"
    assert "argument map" in meta["/Keywords"] and "ukraine" in meta["/Keywords"]
    assert meta["/CreationDate"] == "D:20250201000000Z" == meta["/ModDate"]
    assert meta["/Creator"].startswith("argbrief")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"  # tagged PDF
    assert len(reader.trailer["/ID"]) == 2
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert any("Noto-Serif" in name for name in fonts)
    for name, font in fonts.items():
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"


def test_pdf_comparison_matrix_is_on_one_page(docs, pdf_pages):
    rows = docs["ukraine-options"].comparison.rows
    pages = [_norm(p) for p in pdf_pages["ukraine-options"]]
    matrix_page = next(i for i, t in enumerate(pages) if "A.1 Positions on the questions" in t and "Verdict" in t)
    for row in rows:
        assert _norm(row.question) in pages[matrix_page], row.question
    assert "Claim ids refer to the position" in pages[matrix_page]


def test_every_format_says_what_each_stance_rests_on(demo, pdf_pages):
    """The comparison cites the passage behind each stance: "Qualified — ‘... To some extent, he has a point.’, para 5"."""
    import docx

    passage = "To some extent, he has a point.’, para 5"
    pdf = _norm(" ".join(pdf_pages["ukraine-options"]))
    assert "What each stance rests on" in pdf and passage in pdf
    html = _norm(_path(demo, "ukraine-options", "html").read_text(encoding="utf-8"))
    assert "What each stance rests on" in html and "To some extent, he has a point.&rsquo;, para 5" in html
    paras = [_norm(p.text) for p in docx.Document(str(_path(demo, "ukraine-options", "docx"))).paragraphs]
    line = next(p for p in paras if passage in p)
    assert line.startswith("Pressure first: ~ Qualified — ‘He thinks he’s winning")


def test_pdf_wide_diagrams_get_landscape_pages(demo, docs):
    import pypdf

    reader = pypdf.PdfReader(_path(demo, "ukraine-options", "pdf"))
    landscape = [p for p in reader.pages if p.mediabox.width > p.mediabox.height]
    wide = [f for f in docs["ukraine-options"].figures() if f.landscape]
    assert len(landscape) >= len(wide)
    assert abs(float(reader.pages[0].mediabox.width) - 595.28) < 1  # A4 portrait


@pytest.mark.parametrize("pack_id", PACKS)
def test_diagram_boxes_name_the_packs_figures_never_internal_ids(docs, pack_id):
    """A box standing for a part drawn elsewhere says "continued in Figure 12" / "see Figure 9": the pack's
    own numbers, of a figure of the same map; never a drawing's name or a position's id."""
    doc = docs[pack_id]
    names = {f.name for f in doc.figures()}
    position_ids = {p.position_id for p in doc.sections if hasattr(p, "position_id")}
    referring = 0
    for section in doc.map_sections():
        numbers = {f.number for f in section.figures}
        for fig in section.figures:
            # "Figure" and its number are joined by a no-break space: the wrap never parts them.
            text = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", fig.svg.decode())).replace("\u00a0", " ")
            assert "see diagram" not in text, (fig.label, text)
            assert not any(re.search(rf"(^|\s){re.escape(n)}(\s|$)", text) for n in names), (fig.label, text)
            assert not any(f"Position: {pid}" in text for pid in position_ids), (fig.label, text)
            named = set(map(int, re.findall(r"Figure (\d+)", text)))
            assert named <= numbers - {fig.number}, (fig.label, named, numbers)
            referring += len(named)
    assert referring  # the demo maps are split: their drawings refer to one another


# --------------------------------------------------------------------------- the front section


def _front_strings(doc) -> list[str]:
    """What the front section must show, in every format: the model's texts, in reading order."""
    f = doc.front
    out = [f.purpose, f.decision, f.bottom_line]
    for j in f.judgements:
        out += [j.text, j.likelihood, j.range, j.confidence, j.note]
        out += [b.claim for b in j.basis] + [b.where.label for b in j.basis if b.where]
    if f.options is not None:
        out += [r.label for r in f.options.rows] + [r.summary for r in f.options.rows]
        if f.options.appraised:
            out += [c.word + " " + c.text for r in f.options.rows for c in r.cells]
    out += [a.thesis for a in f.analyses]
    for group in f.actions:
        out += [group.actor] + [i.text for i in group.items]
    out += [i.text for i in f.indicators]
    out += [r.title for r in f.sources.rows] + [r.date for r in f.sources.rows]
    return [_norm(x) for x in out if x]


def _pdf_front(demo, pack_id: str) -> tuple[int, int]:
    """(first page, first annex page) of the front section, 1-based, from the PDF's bookmarks."""
    import pypdf

    outline = [(lvl, title, page) for lvl, title, page in _outline(pypdf.PdfReader(_path(demo, pack_id, "pdf"))) if lvl == 1]
    assert outline[0][1] == "Summary"
    return outline[0][2], outline[1][2]


@pytest.mark.parametrize("pack_id", PACKS)
def test_front_section_follows_the_contents_on_three_pages_at_most(demo, pack_id):
    start, annex = _pdf_front(demo, pack_id)
    assert start == 3  # cover, contents, then the front section
    assert annex - start <= 3, f"the front section runs to {annex - start} pages"
    assert not [d for d in demo[1].diagnostics if d.code == "build.front-too-long"]


def test_first_six_pages_of_ukraine_options_carry_the_decision(docs, pdf_pages):
    """Bottom line, key judgements in yardstick terms, options table, recommendations by actor, indicators."""
    doc = docs["ukraine-options"]
    text = _norm(" ".join(pdf_pages["ukraine-options"][:6]))
    f = doc.front
    for heading in ("Bottom line", "Key judgements", "Options", "Recommendations by actor", "Indicators to watch"):
        assert heading in text
    assert _norm(f.bottom_line) in text
    assert len(f.judgements) >= 3
    for j in f.judgements:
        assert _norm(j.text) in text
        assert j.likelihood in ("almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely", "almost certain")
        assert _norm(f"{j.likelihood} {j.range}") in text and j.confidence in ("low", "moderate", "high")
    assert "Likelihood (ICD 203): almost no chance 1–5 %" in text
    for word in ("Cost", "Risk", "Feasibility", "Reversibility", "lower is better", "higher is better"):
        assert word in text
    assert len(f.options.rows) == 3 and f.options.appraised
    for row in f.options.rows:
        for cell in row.cells:
            assert cell.rating in ("low", "medium", "high") and _norm(f"{cell.symbol} {cell.word}") in text
    assert {g.actor for g in f.actions} >= {"US administration", "Western states", "Government of Ukraine"}
    for group in f.actions:
        assert _norm(group.actor) in text
    for i in f.indicators:
        assert _norm(i.text) in text
    assert "Source" in text and "(inferred)" in text


@pytest.mark.parametrize("pack_id", PACKS)
def test_pdf_cross_references_name_the_figure_and_its_page(docs, pdf_pages, pack_id):
    """A judgement's basis reads "Figure 9, p. 23", and page 23 is where Figure 9 is."""
    pages = [_norm(p) for p in pdf_pages[pack_id]]
    start = 2  # after cover and contents
    front = " ".join(pages[start : start + 3])
    refs = [b.where for j in docs[pack_id].front.judgements for b in j.basis if b.where]
    assert refs and all(r.kind == "figure" for r in refs)
    for ref in refs:
        number = ref.label.split()[-1]
        found = re.search(rf"Figure {number}, p\. (\d+)", front)
        assert found, ref.label
        page = int(found.group(1))
        assert f"Figure {number}. " in pages[page - 1], (ref.label, page)


def _docx_front_text(path: Path) -> str:
    """The Word file's text from "Summary" up to the first annex heading (paragraphs and tables, in order)."""
    import docx
    from docx.oxml.ns import qn

    word = docx.Document(str(path))
    parts, inside = [], False
    for el in word.element.body:
        if el.tag == qn("w:p"):
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is not None and style.get(qn("w:val")) == "Heading1":
                if inside:
                    break
                inside = text == "Summary"
        else:
            text = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in el.iter(qn("w:p")))
        if inside:
            parts.append(text)
    return _norm(" ".join(parts))


@pytest.mark.parametrize("pack_id", PACKS)
def test_word_and_html_have_the_same_front_section(demo, docs, pdf_pages, pack_id):
    from ._html import parse_html

    wanted = _front_strings(docs[pack_id])
    word = _docx_front_text(_path(demo, pack_id, "docx"))
    html = _path(demo, pack_id, "html").read_text(encoding="utf-8")
    front_html = html[html.index('<section class="summary front"') : html.index('<section class="comparison"' if docs[pack_id].comparison else '<section class="map level-1"')]
    html_text = _norm(" ".join(parse_html(front_html).text))
    start, annex = _pdf_front(demo, pack_id)
    # A line that ends at a hyphen ("quick-|ceasefire") is extracted with a space after it.
    pdf = re.sub(r"(?<=\w)- (?=\w)", "-", _norm(" ".join(pdf_pages[pack_id][start - 1 : annex - 1])))
    for label, text in (("Word", word), ("HTML", html_text), ("PDF", pdf)):
        missing = [w for w in wanted if w not in text]
        assert not missing, (label, missing[:3])
    # The same parts in the same order.
    heads = [_norm(h.text) for h in docs[pack_id].front.headings()]
    for label, text in (("Word", word), ("HTML", html_text)):
        at = [text.find(h) for h in heads]
        assert -1 not in at and at == sorted(at), (label, heads, at)


# --------------------------------------------------------------------------- Word


@pytest.mark.parametrize("pack_id", PACKS)
def test_docx_headings_use_heading_styles_in_order_with_real_numbers(demo, docs, pack_id):
    """Heading 1-3 are numbered by the reference document's multilevel list, which gives the model's numbers."""
    import docx
    from docx.oxml.ns import qn

    from argbrief.packs.docx import heading_lists

    word = docx.Document(str(_path(demo, pack_id, "docx")))
    paragraphs = [p for p in word.paragraphs if p.style.name.startswith("Heading ")]
    headings = [(int(p.style.name.split()[-1]), _norm(p.text)) for p in paragraphs]
    model = docs[pack_id].headings()
    assert headings == [(h.level, _norm(h.text)) for h in model]  # no typed numbers
    plan = heading_lists(docs[pack_id])
    assert plan
    for p, h in zip(paragraphs, model):
        own = p._p.pPr.find(qn("w:numPr")) if p._p.pPr is not None else None
        if h.number and plan[h.anchor][0] == "annex":  # numbered by the annex list ("Annex A", "A.1")
            assert own is not None and own.find(qn("w:numId")).get(qn("w:val")) != "0", h.title
        elif h.number:  # numbered by its style's list
            assert own is None, h.title
            assert p.style.element.pPr.find(qn("w:numPr")) is not None
        elif h.level <= 3:  # taken out of the list
            assert own.find(qn("w:numId")).get(qn("w:val")) == "0", h.title
    contents = next(p for p in word.paragraphs if p.style.name == "TOC Heading")
    assert contents._p.pPr.find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val")) == "0"


def test_docx_contents_bookmarks_and_properties(demo, docs):
    import docx

    path = _path(demo, "ukraine-options", "docx")
    word = docx.Document(str(path))
    body = word.element.body.xml
    names = set(re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', body))
    links = set(re.findall(r'w:hyperlink w:anchor="([^"]+)"', body))
    assert links and links <= names
    # Contents: one linked entry per heading, each with a PAGEREF to the heading's bookmark
    # (LibreOffice computes those on opening; Word updates them when it opens the file).
    entries = [p for p in word.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert [_norm(p.text) for p in entries] == [_norm(h.title) for h in docs["ukraine-options"].toc()]
    pagerefs = re.findall(r"PAGEREF (\S+) \\h", body)
    assert len(pagerefs) == len(entries) and set(pagerefs) <= names
    assert "PAGE" in word.sections[0].footer._element.xml and "NUMPAGES" in word.sections[0].footer._element.xml
    assert "OFFICIAL" in word.sections[0].header.paragraphs[0].text
    props = word.core_properties
    assert props.title == "Ending the war in Ukraine: the options"
    assert props.author == docs["ukraine-options"].meta.author != ""
    assert props.subject == "Three positions compared"
    assert "argument map" in props.keywords
    assert props.created.isoformat().startswith("2025-02-01") and props.modified == props.created
    with zipfile.ZipFile(path) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b'w:updateFields w:val="true"' in z.read("word/settings.xml")


def test_docx_tables_repeat_their_header_rows(demo):
    import docx
    from docx.oxml.ns import qn

    word = docx.Document(str(_path(demo, "ukraine-options", "docx")))
    headers = [[c.text for c in t.rows[0].cells] for t in word.tables]
    assert ["Question", "Quick ceasefire", "Pressure first", "Defend and sustain", "Verdict"] in headers
    assert headers.count(["ID", "Quote", "Source", "Where", "Supports"]) == 3
    assert headers.count(["ID", "Actor", "Action", "Because", "Priority"]) == 3
    # The front section's judgements and recommendations may run on to the next page (it is tight).
    may_split = (["#", "Judgement", "Likelihood", "Confidence", "Basis"], ["Actor", "Recommendations"])
    assert all(h in headers for h in may_split)
    for table, header in zip(word.tables, headers):
        assert table.style.name == "Argbrief Table"
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None
        for row in table.rows:
            assert header in may_split or row._tr.trPr.find(qn("w:cantSplit")) is not None or len(table.rows) == 2


@pytest.mark.parametrize("pack_id", PACKS)
def test_docx_pictures_are_svg_with_a_palette_png_fallback_under_the_size_cap(demo, docs, pack_id):
    import io

    import docx
    from PIL import Image

    from argbrief.packs.docx import MIN_FALLBACK_DPI

    path = _path(demo, pack_id, "docx")
    assert path.stat().st_size <= 1.5 * 1024 * 1024
    word = docx.Document(str(path))
    figures = docs[pack_id].figures()
    shapes = word.inline_shapes
    assert len(shapes) == len(figures)
    for shape, fig in zip(shapes, figures):
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        fallback = Image.open(io.BytesIO(word.part.related_parts[blip.embed].blob))
        assert fallback.mode == "P", fig.name  # a palette picture
        assert fallback.size[0] / shape.width.inches >= MIN_FALLBACK_DPI - 1, fig.name
        svg_ids = re.findall(r'asvg:svgBlip[^>]*r:embed="([^"]+)"', blip.xml)
        assert len(svg_ids) == 1, fig.name
        assert word.part.related_parts[svg_ids[0]].blob == fig.svg


def test_docx_figures_have_alt_text_captions_and_cross_references(demo, docs):
    import docx
    from docx.enum.section import WD_ORIENT

    word = docx.Document(str(_path(demo, "ukraine-options", "docx")))
    figures = docs["ukraine-options"].figures()
    shapes = word.inline_shapes
    assert len(shapes) == len(figures)
    for shape, fig in zip(shapes, figures):
        doc_pr = shape._inline.docPr
        assert doc_pr.get("descr") == fig.alt and len(fig.alt) > 40
    body = word.element.body.xml
    for fig in figures[1:]:  # every map figure is listed under its map's "Argument map" heading, linked
        link = rf'w:hyperlink w:anchor="{_bookmark(fig.anchor)}"[^>]*>.*?Figure[ \u00a0]{fig.number}<'
        assert re.search(link, body, re.DOTALL), fig.name
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert captions == [f"Figure {f.number}. {f.caption}" for f in figures]
    orientations = {s.orientation for s in word.sections}
    # Landscape sections exactly when a figure was planned for a landscape page (the demo maps are split instead).
    assert (WD_ORIENT.LANDSCAPE in orientations) == any(f.landscape for f in figures)
    assert word.sections[-1].orientation == WD_ORIENT.PORTRAIT


# --------------------------------------------------------------------------- HTML


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.ids: list[str] = []
        self.toc: list[str] = []
        self._in_toc = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src", "xlink:href", "action", "poster", "data"):
                self.urls.append(value or "")
            if name == "id":
                self.ids.append(value or "")
        if tag == "nav":
            self._in_toc = True
        if self._in_toc and tag == "a":
            self.toc.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False


@pytest.mark.parametrize("pack_id", PACKS)
def test_html_is_self_contained(demo, docs, pack_id):
    html = _path(demo, pack_id, "html").read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(html)
    assert all(u.startswith("#") for u in parser.urls), [u for u in parser.urls if not u.startswith("#")]
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parser.tags)
    assert not re.search(r"(?i)(https?:|file:|ftp:)//", re.sub(r"<svg\b.*?</svg>", "", html, flags=re.DOTALL).replace(
        "http://www.w3.org/", ""
    ))
    # The only url() is each embedded font's data (subset WOFF2); a CSP has the browser refuse anything else.
    assert "@import" not in html and not re.search(r"url\((?!#|data:font/woff2;base64,)", html)
    fonts = re.search(r'<style id="fonts">(.*?)</style>', html, re.DOTALL).group(1)
    assert {"Noto Serif", "Noto Sans"} <= set(re.findall(r'font-family: "([^"]+)"', fonts))
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert len(parser.ids) == len(set(parser.ids)), "duplicate ids (diagram ids must be prefixed)"
    assert parser.toc == [f"#{h.anchor}" for h in docs[pack_id].toc()]
    assert set(a[1:] for a in parser.toc) <= set(parser.ids)
    assert html.count("<svg") == len(docs[pack_id].figures())


def test_html_renders_in_headless_chromium(demo, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        pytest.skip("chromium is not installed")
    from PIL import Image

    shot = tmp_path / "pack.png"
    profile = tmp_path / "profile"
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        # Any request for another host would fail: the page must not need one.
        "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1200,3000",
        f"--screenshot={shot}", _path(demo, "ukraine-options", "html").as_uri(),
    ]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert shot.is_file(), "chromium wrote no screenshot"
    image = Image.open(shot).convert("L")
    assert image.size == (1200, 3000)
    lo, hi = image.getextrema()
    assert hi - lo > 100  # text and diagrams, not a blank page


# --------------------------------------------------------------------------- determinism


def test_another_build_in_another_process_is_byte_identical(demo, tmp_path):
    """A copy of the project (so argbrief's own templates are used), another hash seed, same bytes."""
    shutil.copytree(REPO / "arguments", tmp_path / "arguments")
    (tmp_path / "argbrief.toml").write_text('formats = ["pdf", "docx", "html"]\n', encoding="utf-8")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    proc = subprocess.run(
        [sys.executable, "-m", "argbrief", "-C", str(tmp_path), "build", "--pack", "ukraine-options"],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for fmt in FORMATS:
        again = tmp_path / "exports" / "ukraine-options" / f"ukraine-options.{fmt}"
        assert again.read_bytes() == _path(demo, "ukraine-options", fmt).read_bytes(), fmt
    for svg in (demo[0].exports / "ukraine-options" / "maps").glob("*.svg"):
        assert (tmp_path / "exports" / "ukraine-options" / "maps" / svg.name).read_bytes() == svg.read_bytes()


def test_the_sources_table_has_one_column_spec_in_every_format(demo):
    """The front section's sources table takes its columns (titles, widths) from one spec, as the others do."""
    import re

    import docx
    from docx.oxml.ns import qn

    from argbrief.packs._parts import SOURCE_COLUMNS, column_percentages

    titles = [c.title for c in SOURCE_COLUMNS]
    html = _path(demo, "ukraine-options", "html").read_text(encoding="utf-8")
    table = html[html.index('<table class="sources-table">') :]
    table = table[: table.index("</table>")]
    widths = [float(w) for w in re.findall(r'<col class="[^"]+" style="width: ([\d.]+)%">', table)]
    assert widths == list(column_percentages(SOURCE_COLUMNS))
    assert re.findall(r"<th[^>]*>([^<]*)</th>", table) == titles
    word = docx.Document(str(_path(demo, "ukraine-options", "docx")))
    (sources,) = [t for t in word.tables if [c.text for c in t.rows[0].cells] == titles]
    grid = [int(g.get(qn("w:w"))) for g in sources._tbl.tblGrid.findall(qn("w:gridCol"))]
    shares = [round(100 * g / sum(grid)) for g in grid]
    assert shares == [round(p) for p in column_percentages(SOURCE_COLUMNS)]
