"""The pack's PDF laid out chapter by chapter, each chapter cached, and joined into one tagged PDF.

Editing one map changes one or two chapters of a pack; laying out and drawing
the whole PDF again (what :func:`.pdf.render_pdf` does) costs as much as the
first build. Here the final HTML is cut into *chapters*: the cover and
contents, then each top-level section of ``<main>`` (front section,
comparison, each position or map, the source register). Each chapter is laid
out and drawn as its own WeasyPrint document and kept in a cache folder under
the hash of everything its bytes depend on:

- the chapter's HTML, including what it needs from other chapters: its first
  page number (a ``counter-reset`` on its first page), the page count of the
  whole PDF (``counter(pages)`` in the stylesheets becomes that number), the
  running strings set on the cover (``marking``, ``doctitle``), and for each
  link to another chapter the target's page (``data-page``, shown by
  pack-print.css where ``target-counter()`` cannot look) and a placeholder
  URL the join turns into a link to the named destination;
- the stylesheets and files of the templates folders, the diagrams the chapter
  shows, WeasyPrint's version and the PDF options.

The page numbers come from the chapters' page counts, which are known only
after layout; a chapter's last known layout (cached by its HTML without page
numbers) gives the first guess, and chapters are laid out again only while a
guess proves wrong (a chapter's page count changed) — usually never after an
edit, once after a cold build.

The join (:func:`join`) uses pikepdf: pages in order, one structure tree for
PDF/UA tagging (each chapter's ``/Document`` children under one ``/Document``,
the parent tree's keys and each page's ``/StructParents`` offset), one name
tree of destinations, one outline, the cover's catalog entries and document
information, and a file identifier derived from the content.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from html import unescape
from pathlib import Path

from attrs import frozen

#: The URL scheme of a link to another chapter until the join makes it a link to a named destination.
DEST_SCHEME = "x-argbrief-dest"
#: Cache format; bump when the chapter HTML or the join changes what the bytes depend on.
CACHE_VERSION = "1"
#: Largest cache entry read back (a chapter PDF); a bigger file is made again.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
#: Rounds of "lay out, check the page numbers": a fixed point is normally reached in two.
MAX_ROUNDS = 4

_PAGE_FIRST = re.compile(r"@page\s*:first\b")


@frozen
class Chapter:
    """One chapter of the pack's HTML: its markup (a piece of the body) and the anchors it defines."""

    body: str
    ids: frozenset[str]
    first: bool  # the cover and contents (the document's first page is here)
    name: str = ""  # its first anchor: the same chapter in the next edition of the pack
    token: str = ""  # the data-page placeholder of its links to other chapters (see split)


@frozen
class Layout:
    """What one laid-out chapter gave: its page count and the page index (0-based, in the chapter) of each anchor."""

    pages: int
    anchors: Mapping[str, int]


def split(html: str) -> tuple[str, list[Chapter]]:
    """``html`` (the pack template's output) as its prologue (``<html>`` start tag, head, ``<body>`` start tag) and its chapters.

    The body's children before ``<main>`` make the first chapter, each child
    element of ``<main>`` one more (anything after ``</main>`` joins the
    last). Text between the sections is whitespace in argbrief's template.

    A link to an anchor in another chapter gets the URL ``x-argbrief-dest:<anchor>``
    and a ``data-page`` placeholder that :func:`chapter_html` fills in. Links
    and ids are found in the parsed tree, never by searching the markup, so
    text that reads like markup (``href="#summary"`` in a claim) stays text.
    """
    import lxml.html

    root = lxml.html.document_fromstring(html)
    head = lxml.html.tostring(root.find("head"), encoding="unicode", method="html")
    body = root.find("body")
    prologue = f"<!DOCTYPE html>\n<html{_attrs(root)}>{head}<body{_attrs(body)}>"
    groups: list[list] = [[]]  # the elements of each chapter, and whether each goes inside <main>
    main_seen = False
    for child in body:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "main":
            main_seen = True
            groups.extend([(section, True)] for section in child if isinstance(section.tag, str))
        elif main_seen and len(groups) > 1:
            groups[-1].append((child, False))
        else:
            groups[0].append((child, False))
    # A placeholder no text can hold: derived from the whole document, which would have to contain its own hash.
    token = digest(html)[:24]
    chapters = []
    for i, group in enumerate(groups):
        if not group:
            continue
        ids = [v for element, _ in group for v in element.xpath(".//@id | ./@id")]
        own = frozenset(ids)
        for element, _ in group:
            for link in element.iter("a"):
                href = link.get("href") or ""
                if href.startswith("#") and href[1:] not in own:
                    link.set("href", f"{DEST_SCHEME}:{href[1:]}")
                    link.set("data-page", f"{token}:{href[1:]}")
        text = "\n".join("<main>" + _tostring(el) + "</main>" if in_main else _tostring(el) for el, in_main in group)
        chapters.append(Chapter(body=text, ids=own, first=i == 0, name=ids[0] if ids else f"#{i}", token=token))
    return prologue, chapters


def _tostring(element) -> str:  # an lxml element, without its tail (whitespace between sections)
    import lxml.html

    element.tail = None
    return lxml.html.tostring(element, encoding="unicode", method="html")


def _attrs(element) -> str:
    return "".join(f' {k}="{_attr(v)}"' for k, v in sorted(element.attrib.items()))


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _css_string(value: str) -> str:
    """``value`` as a CSS string literal (quotes, backslashes and line breaks escaped)."""
    out = ['"']
    for ch in value:
        if ch in '"\\' or ch in "\n\r\f" or ord(ch) < 32 or ch == "<":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def running_strings(first: Chapter) -> dict[str, str]:
    """The running strings the cover sets (pack-print.css: ``marking`` and ``doctitle``), for later chapters."""
    import lxml.html

    fragment = lxml.html.fragment_fromstring(first.body, create_parent="div")
    found: dict[str, str] = {}
    marking = fragment.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' cover ')]"
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' marking ')]"
    )
    title = fragment.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' cover-title-running ')]")
    if marking:
        found["marking"] = " ".join(marking[0].text_content().split())
    if title:
        found["doctitle"] = " ".join(title[0].text_content().split())
    return found


def chapter_html(
    prologue: str,
    chapter: Chapter,
    *,
    start: int | None,
    pages_of: Mapping[str, int] | None,
    strings: Mapping[str, str],
) -> str:
    """One chapter as a whole HTML document.

    ``start`` is its first page number and ``pages_of`` the page number of
    every anchor of the pack; both None give the chapter's HTML without page
    numbers (the key of its last known layout). Links to anchors of other
    chapters point at :data:`DEST_SCHEME` URLs and carry the target's page in
    ``data-page``.
    """

    def number(match: re.Match) -> str:
        # without numbers, a placeholder of a page number's width (target-counter() cannot see the target)
        target = unescape(match.group(1))
        return f'data-page="{"00" if pages_of is None else pages_of.get(target, "?")}"'

    body = re.sub(f'data-page="{chapter.token}:([^"]*)"', number, chapter.body) if chapter.token else chapter.body
    css = []
    if start is not None:
        css.append(f"@page :nth(1) {{ counter-reset: page {start}; }}")  # not ":first", which later chapters drop
    if not chapter.first and strings:
        css.append("html { string-set: " + ", ".join(f"{k} {_css_string(v)}" for k, v in sorted(strings.items())) + "; }")
    style = f"<style>{' '.join(css)}</style>" if css else ""
    prologue = prologue.replace("</head>", style + "</head>", 1) if style else prologue
    return f"{prologue}\n{body}\n</body></html>"


class ChapterCache:
    """A folder of chapter PDFs and layouts, by content hash (files written whole, then renamed)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, key: str, suffix: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{key}{suffix}"

    def get(self, key: str, suffix: str) -> bytes | None:
        """The entry's bytes; None when missing, unsafe (a link out, a FIFO) or too big."""
        from .. import paths

        path = self._path(key, suffix)
        if path is None:
            return None
        try:
            data = paths.read_file(path, self.folder, limit=MAX_ENTRY_BYTES, where="the chapter cache")
        except (OSError, paths.UnsafePath):
            return None
        if len(data) > MAX_ENTRY_BYTES:
            return None
        self.used.add(path.name)
        return data

    def get_chapter(self, key: str) -> tuple[bytes, dict] | None:
        """A cached chapter: its PDF and its record (pages, anchors, warnings); None when missing or damaged."""
        meta, data = self.get(key, ".json"), self.get(key, ".pdf")
        if meta is None or data is None:
            return None
        try:
            record = json.loads(meta)
            ok = record["sha256"] == hashlib.sha256(data).hexdigest()
            record = {"pages": int(record["pages"]), "warnings": [str(w) for w in record["warnings"]],
                      "anchors": {str(k): int(v) for k, v in dict(record["anchors"]).items()}}
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return (data, record) if ok else None

    def put(self, key: str, suffix: str, data: bytes) -> None:
        path = self._path(key, suffix)
        if path is None:
            return
        from ..atomic import write_atomic

        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, fsync=False)  # a cache: a lost file is made again
        self.used.add(path.name)


def digest(*parts: str | bytes) -> str:
    """A hex SHA-256 of ``parts``, each length-prefixed so that boundaries count."""
    h = hashlib.sha256()
    for part in parts:
        raw = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(raw).to_bytes(8, "big"))
        h.update(raw)
    return h.hexdigest()


def templates_digest(dirs: Sequence[Path]) -> str:
    """A hash of every file in the templates folders (stylesheets, fonts, images a chapter may fetch)."""
    h = hashlib.sha256()
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def shown(html: str, assets: Mapping[str, str]) -> str:
    """The (URL, content hash) of each file in ``assets`` that ``html`` uses, as text for a cache key.

    A chapter's key holds only the diagrams it shows: a map's new drawing
    makes its own chapter again, not every chapter.
    """
    return "\n".join(f"{url} {sha}" for url, sha in sorted(assets.items()) if url in html or _attr(url) in html)


def numbered(
    layouts: Sequence[Layout], chapters: Sequence[Chapter]
) -> tuple[list[int], int, dict[str, int]]:
    """From each chapter's layout: its first page number, the total, and each anchor's page number."""
    starts, page = [], 1
    pages_of: dict[str, int] = {}
    for layout in layouts:
        starts.append(page)
        for name, index in layout.anchors.items():
            pages_of.setdefault(name, page + index)
        page += layout.pages
    return starts, page - 1, pages_of


def render_chapters(
    prologue: str,
    chapters: Sequence[Chapter],
    *,
    render: Callable[[str, int, bool], tuple[bytes, Layout, list[str]]],
    measure: Callable[[int, str], Layout],
    cache: ChapterCache,
    salt: str,
    assets: Mapping[str, str],
) -> tuple[list[bytes], list[Layout], list[str]]:
    """Each chapter's PDF bytes, with page numbers consistent across chapters.

    ``render(html, total, first)`` lays out and draws one chapter document
    (``total`` replaces ``counter(pages)``; ``first`` for the cover's chapter) and
    returns its bytes, layout and the renderer's warnings (cached with it).
    ``measure(i, html)`` lays chapter ``i`` out from its HTML without numbers
    (no drawing) when nothing better is known of its length: the layout cached
    for that HTML, else the last layout of the same chapter (an edit seldom
    changes a chapter's length; a wrong guess costs one more round). ``salt`` is everything
    else the bytes depend on (templates, WeasyPrint, options) but the files of
    ``assets`` (URL -> content hash) a chapter shows (:func:`shown`).
    """
    strings = running_strings(chapters[0]) if chapters and chapters[0].first else {}
    plain = [chapter_html(prologue, c, start=None, pages_of=None, strings=strings) for c in chapters]
    layouts = []
    for i, html in enumerate(plain):
        known = cached_layout(cache, layout_key(salt, html, assets)) or cached_layout(cache, _last_key(salt, chapters[i]))
        layouts.append(known if known is not None else measure(i, html))
    results: list[tuple[bytes, Layout, list[str]] | None] = [None] * len(chapters)
    for _ in range(MAX_ROUNDS):
        starts, total, pages_of = numbered(layouts, chapters)
        changed = False
        for i, chapter in enumerate(chapters):
            html = chapter_html(prologue, chapter, start=starts[i], pages_of=pages_of, strings=strings)
            key = digest(CACHE_VERSION, salt, html, shown(html, assets), str(total))
            hit = cache.get_chapter(key)
            if hit is not None:
                data, record = hit
                layout = Layout(pages=record["pages"], anchors=record["anchors"])
                warnings = record["warnings"]
            else:
                data, layout, warnings = render(html, total, chapter.first)
                record = {"pages": layout.pages, "anchors": dict(layout.anchors), "warnings": warnings,
                          "sha256": hashlib.sha256(data).hexdigest()}
                cache.put(key, ".pdf", data)
                cache.put(key, ".json", json.dumps(record, sort_keys=True).encode())
            # the chapter's layout without numbers, the next build's first guess
            known = json.dumps({"pages": layout.pages, "anchors": dict(layout.anchors)}, sort_keys=True).encode()
            cache.put(layout_key(salt, plain[i], assets), ".layout.json", known)
            cache.put(_last_key(salt, chapter), ".layout.json", known)
            results[i] = (data, layout, warnings)
            if layout != layouts[i]:
                changed = True
                layouts[i] = layout
        if not changed:
            break
    else:
        pass  # page numbers still moving after MAX_ROUNDS (a chapter's length oscillates): keep the last round
    done = [r for r in results if r is not None]
    return [r[0] for r in done], [r[1] for r in done], [w for r in done for w in r[2]]


def layout_key(salt: str, html: str, assets: Mapping[str, str]) -> str:
    """The key of a chapter's last known layout: its HTML without page numbers, and what it shows."""
    return digest(CACHE_VERSION, salt, html, shown(html, assets))


def _last_key(salt: str, chapter: Chapter) -> str:
    """The key of the last layout of the chapter that starts with the same anchor."""
    return digest(CACHE_VERSION, salt, "last", chapter.name)


def cached_layout(cache: ChapterCache, key: str) -> Layout | None:
    """The layout recorded under ``key``, if any."""
    raw = cache.get(key, ".layout.json")
    if raw is None:
        return None
    try:
        record = json.loads(raw)
        return Layout(pages=int(record["pages"]), anchors={str(k): int(v) for k, v in dict(record["anchors"]).items()})
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged guess: lay the chapter out to learn its length


def join(parts: Sequence[bytes]) -> bytes:
    """The chapter PDFs ``parts`` as one tagged PDF: pages, structure tree, destinations, outline, links."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    if not parts:
        raise ValueError("a PDF needs at least one chapter")
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in parts]
    first = sources[0]
    # The catalog and document information of the first chapter (language, marked, viewer preferences).
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        if key in first.Root:
            out.Root[key] = _copy(out, first, first.Root[key])
    if "/Info" in first.trailer:
        out.trailer.Info = _copy(out, first, first.trailer.Info)

    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    struct_root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = struct_root
    parent_nums: list = []
    offset = 0
    dests: dict[str, object] = {}
    outline_items: list[tuple[int, object, object]] = []  # (depth, title, dest) in document order
    role_map, namespaces = Dictionary(), None
    for src in sources:
        start = len(out.pages)
        with warnings.catch_warnings():  # pikepdf warns that named destinations are not copied: they are, below
            warnings.simplefilter("ignore")
            out.pages.extend(src.pages)
        highest = -1
        for page in list(out.pages)[start:]:
            if "/StructParents" in page.obj:
                highest = max(highest, int(page.obj.StructParents))
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", Array()):
                if "/StructParent" in annot:
                    highest = max(highest, int(annot.StructParent))
                    annot.StructParent = int(annot.StructParent) + offset
                action = annot.get("/A")
                uri = str(action.get("/URI", "")) if action is not None else ""
                if uri.startswith(DEST_SCHEME + ":"):
                    del annot["/A"]
                    annot.Dest = String(uri[len(DEST_SCHEME) + 1:])
        tree = src.Root.get("/StructTreeRoot")
        if tree is not None:
            if namespaces is None and "/Namespaces" in tree:
                namespaces = _copy(out, src, tree.Namespaces)
            if "/RoleMap" in tree:
                for k, v in tree.RoleMap.items():
                    role_map[k] = _copy(out, src, v)
            nums = tree.ParentTree.get("/Nums", Array()) if "/ParentTree" in tree else Array()
            for j in range(0, len(nums), 2):
                key = int(nums[j])
                highest = max(highest, key)
                parent_nums.append((key + offset, _copy(out, src, nums[j + 1])))
            kids = tree.get("/K", Array())
            kids = kids if isinstance(kids, Array) else Array([kids])
            for kid in kids:
                elem = _copy(out, src, kid)
                if elem.get("/S") == Name.Document:  # flatten each chapter's Document into the pack's
                    inner = elem.get("/K", Array())
                    for child in inner if isinstance(inner, Array) else [inner]:
                        if isinstance(child, Dictionary):
                            child.P = document
                        document.K.append(child)
                else:
                    elem.P = document
                    document.K.append(elem)
        names = src.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in _name_tree(names.Dests):
                dests.setdefault(name, _copy(out, src, dest))
        if "/Outlines" in src.Root:
            for depth, item in _outline(src.Root.Outlines.get("/First"), 0):
                dest = item.get("/Dest")
                outline_items.append((depth, item.Title, _copy(out, src, dest) if dest is not None else None))
        offset += highest + 1

    parent_nums.sort(key=lambda kv: kv[0])
    struct_root.ParentTree = out.make_indirect(Dictionary(Nums=Array([x for kv in parent_nums for x in kv])))
    struct_root.ParentTreeNextKey = offset
    if namespaces is not None:
        struct_root.Namespaces = namespaces
    if len(role_map):
        struct_root.RoleMap = role_map
    out.Root.StructTreeRoot = struct_root
    if dests:
        flat = Array()
        for name in sorted(dests):
            flat.append(String(name))
            flat.append(dests[name])
        out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=flat)))
    if outline_items:
        out.Root.Outlines = _build_outline(out, outline_items)
    buffer = io.BytesIO()
    out.save(
        buffer,
        deterministic_id=True,
        fix_metadata_version=False,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,  # many small structure elements
    )
    for src in sources:
        src.close()
    return buffer.getvalue()


def join_apart(parts: Sequence[bytes]) -> bytes:
    """:func:`join` in a process of its own: qpdf holds every object of every chapter
    while it joins (about 80 MB for a 200-page pack), and a fresh process gives that
    memory back, instead of adding it to the peak of the worker that laid the
    chapters out."""
    import subprocess
    import sys

    framed = b"".join(len(part).to_bytes(8, "big") + part for part in parts)
    done = subprocess.run(
        [sys.executable, "-m", "argbrief.packs.chapters"], input=framed, capture_output=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"joining the PDF's chapters failed: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return done.stdout


def _main() -> None:
    """``python -m argbrief.packs.chapters``: length-framed chapter PDFs on stdin, the joined PDF on stdout."""
    import sys

    data = sys.stdin.buffer.read()
    parts, at = [], 0
    while at < len(data):
        size = int.from_bytes(data[at:at + 8], "big")
        parts.append(data[at + 8:at + 8 + size])
        at += 8 + size
    del data
    sys.stdout.buffer.write(join(parts))


def _copy(out, src, obj):
    """``obj`` of the PDF ``src`` copied into ``out`` (with what it references; once per source object)."""
    import pikepdf

    if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
        return obj  # a number, name or string: a value, not a reference
    if not obj.is_indirect:
        obj = src.make_indirect(obj)
    return out.copy_foreign(obj)


def _name_tree(node) -> list[tuple[str, object]]:
    """The (name, value) pairs of a PDF name tree."""
    found = []
    names = node.get("/Names")
    if names is not None:
        for j in range(0, len(names), 2):
            found.append((str(names[j]), names[j + 1]))
    for kid in node.get("/Kids", []):
        found.extend(_name_tree(kid))
    return found


def _outline(item, depth: int):
    """The outline items from ``item`` on, depth first, as (depth, item)."""
    while item is not None:
        yield depth, item
        if "/First" in item:
            yield from _outline(item.First, depth + 1)
        item = item.get("/Next")


def _build_outline(out, items: Sequence[tuple[int, object, object]]):
    """An outline (bookmarks) dictionary from (depth, title, destination) in document order."""
    from pikepdf import Dictionary, Name

    root = out.make_indirect(Dictionary(Type=Name.Outlines))
    stack: list = [root]  # stack[d] is the parent of items at depth d
    last: dict[int, object] = {}
    counts: dict = {}
    for depth, title, dest in items:
        depth = min(depth, len(stack) - 1)
        del stack[depth + 1:]
        for d in [d for d in last if d > depth]:
            del last[d]
        parent = stack[depth]
        node = out.make_indirect(Dictionary(Title=title, Parent=parent))
        if dest is not None:
            node.Dest = dest
        prev = last.get(depth)
        if prev is None:
            parent.First = node
        else:
            prev.Next = node
            node.Prev = prev
        parent.Last = node
        last[depth] = node
        stack.append(node)
        for ancestor in stack[:-1]:  # every open ancestor counts its visible descendants
            counts[ancestor.objgen] = counts.get(ancestor.objgen, 0) + 1
    for node in _all(root):
        if node.objgen in counts:
            node.Count = counts[node.objgen]
    return root


def _all(node):
    yield node
    child = node.get("/First")
    while child is not None:
        yield from _all(child)
        child = child.get("/Next")


def pdf_options_digest(options: Mapping[str, object]) -> str:
    """The PDF options that change a chapter's bytes, as text for a cache key."""
    return json.dumps({k: repr(v) for k, v in sorted(options.items())}, sort_keys=True)


def prune(folder: Path | None, keep: set[str], *, prefix_ok: Callable[[str], bool] = lambda name: True) -> None:
    """Delete the cache files in ``folder`` that the last build did not use."""
    if folder is None or not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name not in keep and prefix_ok(path.name):
            try:
                os.unlink(path)
            except OSError:
                pass


if __name__ == "__main__":
    _main()
