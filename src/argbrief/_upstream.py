"""Adapters for performance faults in the libraries argbrief drives, until released versions fix them.

Each adapter changes how fast a library does something, never what it does: it
is applied once (the YAML one only while argbrief reads), leaves the library's
classes and results as they were (the tests compare both ways on the same
input), and steps aside when the library no longer looks like the version it
was written for. One exception: WeasyPrint's SVG text, drawn letter by letter,
is itself the fault (no kerning, split combining marks), so that adapter draws
each Graphviz line as one shaped run, and its tests check the text, place and
size instead. docs/performance.md
describes each fault, the upstream patch, and what to do when a fixed version
is released (pin it and delete the adapter).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_applied: set[str] = set()
#: The library functions an adapter replaced, by "module.Class.name" (the tests compare both).
ORIGINALS: dict[str, Any] = {}


# --- ruamel.yaml.clib: parser events as plain tuples while argbrief reads ----------------
#
# libyaml (through ruamel.yaml.clib's CParser) hands each parser event to Python as
# an object of a ruamel.yaml.events class, which the extension looks up by name in
# its own module (``_ruamel_yaml.ScalarEvent`` ...) for every event. Each object runs
# a Python ``__init__`` that fills eight slots (three frames deep in ruamel.yaml
# 0.19). At 50,000 map nodes that is 425,000 events and over a third of libyaml's
# time (0.26 s of 0.74 s), for fields argbrief's reader mostly never looks at.
# While argbrief reads, those names point at functions that keep only what the
# reader uses, as plain tuples; afterwards the library's classes are put back.
# The swap is made under a lock, so that two threads never read with each other's
# names (the GIL runs one reader at a time anyway).

#: Kinds of event tuple: the first item of each. The rest, by kind:
#: SCALAR (value, start mark, anchor, tag, implicit, style); MAPPING and SEQUENCE
#: (start mark, anchor, tag); END (nothing: the end of the innermost collection);
#: ALIAS (start mark, anchor); DOCUMENT (start mark); OTHER (nothing: the stream's
#: start and end, a document's end). Every event is a tuple, so that the reader
#: never checks what it was given.
SCALAR, MAPPING, SEQUENCE, END, ALIAS, DOCUMENT, OTHER = range(7)
_END = (END,)
_OTHER = (OTHER,)

# The extension calls each with positional arguments only (ruamel.yaml.clib 0.2.x);
# ``*_`` takes the optional ones a later version might add.
_EVENT_TUPLES: dict[str, Any] = {
    "ScalarEvent": lambda anchor, tag, implicit, value, start, end, style=None, *_: (
        SCALAR, value, start, anchor, tag, implicit, style),
    "MappingStartEvent": lambda anchor, tag, implicit, start, end=None, *_: (MAPPING, start, anchor, tag),
    "SequenceStartEvent": lambda anchor, tag, implicit, start, end=None, *_: (SEQUENCE, start, anchor, tag),
    "MappingEndEvent": lambda *_: _END,
    "SequenceEndEvent": lambda *_: _END,
    "AliasEvent": lambda anchor, start, *_: (ALIAS, start, anchor),
    "DocumentStartEvent": lambda start, *_: (DOCUMENT, start),
    "DocumentEndEvent": lambda *_: _OTHER,
    "StreamStartEvent": lambda *_: _OTHER,
    "StreamEndEvent": lambda *_: _OTHER,
}
_swap_lock = threading.RLock()


def event_tuple(ev: Any) -> Any:
    """One ruamel.yaml event object as the tuple the adapter makes for it (a tuple as it is).

    The reader's path when the adapter is not applied (the pure-Python parser); the
    tests compare the adapter's tuples with these, made from the library's own events.
    """
    name = type(ev).__name__
    if name == "ScalarEvent":
        return (SCALAR, ev.value, ev.start_mark, ev.anchor, ev.tag, ev.implicit, ev.style)
    if name in ("MappingStartEvent", "SequenceStartEvent"):
        return (MAPPING if name == "MappingStartEvent" else SEQUENCE, ev.start_mark, ev.anchor, ev.tag)
    if name in ("MappingEndEvent", "SequenceEndEvent"):
        return _END
    if name == "AliasEvent":
        return (ALIAS, ev.start_mark, ev.anchor)
    if name == "DocumentStartEvent":
        return (DOCUMENT, ev.start_mark)
    # A tuple already made by the adapter (a read inside another) as it is; any other event is OTHER.
    return ev if isinstance(ev, tuple) else _OTHER


def _clib_module() -> Any:
    """ruamel.yaml.clib's extension module when it looks as the adapter expects, else None."""
    try:
        import _ruamel_yaml as clib
        from ruamel.yaml import events
    except ImportError:  # pragma: no cover - clib missing (PyPy)
        return None
    if not all(getattr(clib, name, None) is getattr(events, name, object()) for name in _EVENT_TUPLES):
        return None  # pragma: no cover - another ruamel.yaml.clib: leave it alone
    return clib


@contextmanager
def yaml_event_tuples() -> Iterator[bool]:
    """While inside, ruamel.yaml.clib's CParser makes :data:`SCALAR` ... tuples, not event objects.

    Yields True when applied; False (the library's own events: convert them with
    :func:`event_tuple`) when the extension is missing or not shaped as expected.
    """
    with _swap_lock:
        # Looked at under the lock: inside another use of this (the same thread, re-entered),
        # the names are already swapped, and this one then reads the tuples as event_tuple's.
        clib = _clib_module()
        if clib is None:  # pragma: no cover - clib missing or changed
            yield False
            return
        saved = {name: getattr(clib, name) for name in _EVENT_TUPLES}
        for name, fn in _EVENT_TUPLES.items():
            setattr(clib, name, fn)
        _applied.add("yaml-event-tuples")
        try:
            yield True
        finally:
            for name, cls in saved.items():
                setattr(clib, name, cls)


# --- python-docx: pictures added in linear time --------------------------------------------
#
# Adding the n-th picture to a document with python-docx 1.2.0 (the latest release)
# costs time that grows with n, so a document of n pictures costs n squared:
#
# - ``ImageParts._get_by_sha1`` compares the new image's SHA-1 with every earlier
#   image part's, and ``ImagePart.sha1`` hashes that part's whole blob again each
#   time: n(n+1)/2 hashes of whole PNGs (45,150 at 300 pictures).
# - ``ImageParts._next_image_partname`` looks each candidate number up in a list.
# - ``StoryPart.next_id`` scans the whole document (``xpath('//@id')``) for the
#   largest shape id, once per picture.
# - ``OpcPackage.iter_parts`` (behind ``next_partname``, called once per added part,
#   and ``save``) keeps the parts it has visited in a list and searches it for each
#   relationship: n squared per call.
# - ``OpcPackage.save`` can only write a zip whose members are all deflated,
#   already-compressed PNGs too; a writer that wants its own zip (fixed order and
#   timestamps) must deflate everything twice.
# - Each paragraph or table added to the body goes before the body's ``w:sectPr``,
#   which ``insert_element_before`` finds with ``find()``: a scan of every paragraph
#   so far, its last child.


def _cached_sha1(self: Any) -> str:
    """ImagePart.sha1, hashed once per blob (a part's blob is immutable bytes)."""
    import hashlib

    blob = self.blob
    cached = self.__dict__.get("_sha1_of_blob")
    if cached is None or cached[0] is not blob:
        cached = (blob, hashlib.sha1(blob).hexdigest())
        self.__dict__["_sha1_of_blob"] = cached
    return cached[1]


def _next_image_partname(self: Any, ext: str) -> Any:
    """ImageParts._next_image_partname with a set of used numbers: the lowest unused one from 1."""
    from docx.opc.packuri import PackURI

    used = {part.partname.idx for part in self}
    n = 1
    while n in used:
        n += 1
    return PackURI(f"/word/media/image{n}.{ext}")


def _iter_parts(self: Any) -> Any:
    """OpcPackage.iter_parts with the visited parts in a set: the same depth-first order."""
    visited: set[int] = set()
    stack = [iter(self.rels.values())]
    while stack:
        rel = next(stack[-1], None)
        if rel is None:
            stack.pop()
            continue
        if rel.is_external or id(rel.target_part) in visited:
            continue
        part = rel.target_part
        visited.add(id(part))
        yield part
        stack.append(iter(part.rels.values()))


def _body_insert_element_before(self: Any, elm: Any, *tagnames: str) -> Any:
    """CT_Body.insert_element_before, looking at the last child first: the body's one ``w:sectPr``
    is always its last child, and paragraphs and tables are added just before it."""
    if tagnames == ("w:sectPr",) and len(self) and self[-1].tag == _SECT_PR:
        self[-1].addprevious(elm)
        return elm
    return ORIGINALS["docx.oxml.xmlchemy.BaseOxmlElement.insert_element_before"](self, elm, *tagnames)


_SECT_PR = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr"


def fast_docx_pictures() -> bool:
    """Cache image parts' SHA-1, find free part names from a set, add body paragraphs at once; True when applied.

    Skipped (the library's own code runs) when python-docx is not shaped as expected.
    """
    if "docx-pictures" in _applied:
        return True
    from docx.opc.package import OpcPackage
    from docx.oxml.document import CT_Body
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.package import ImageParts
    from docx.parts.image import ImagePart

    sha1 = ImagePart.__dict__.get("sha1")
    if not isinstance(sha1, property) or "insert_element_before" in CT_Body.__dict__ or not all(
        callable(getattr(cls, name, None))
        for cls, name in (
            (ImageParts, "_next_image_partname"),
            (OpcPackage, "iter_parts"),
            (BaseOxmlElement, "insert_element_before"),
        )
    ):
        return False  # pragma: no cover - another python-docx: leave it alone
    ORIGINALS["docx.parts.image.ImagePart.sha1"] = sha1
    ORIGINALS["docx.package.ImageParts._next_image_partname"] = ImageParts._next_image_partname
    ORIGINALS["docx.opc.package.OpcPackage.iter_parts"] = OpcPackage.iter_parts
    ORIGINALS["docx.oxml.xmlchemy.BaseOxmlElement.insert_element_before"] = BaseOxmlElement.insert_element_before
    CT_Body.insert_element_before = _body_insert_element_before  # type: ignore[method-assign]
    ImagePart.sha1 = property(_cached_sha1, doc=sha1.__doc__)  # type: ignore[method-assign,assignment]
    ImageParts._next_image_partname = _next_image_partname  # type: ignore[method-assign]
    OpcPackage.iter_parts = _iter_parts  # type: ignore[method-assign]
    _applied.add("docx-pictures")
    return True


def add_picture(run: Any, image: Any, width: Any = None, height: Any = None) -> Any:
    """``run.add_picture(image, width, height)``, with the picture's shape id counted, not searched for.

    python-docx gives each picture the largest ``id`` in the document plus one,
    found by scanning the whole document every time. Here the scan runs once per
    document part; later pictures count on from it. That is the same number as
    long as nothing else adds un-namespaced ``id`` attributes to the part between
    two pictures, and in argbrief's Word writer only pictures do.
    """
    from docx.oxml.shape import CT_Inline
    from docx.shape import InlineShape

    fast_docx_pictures()
    part = run.part
    rid, img = part.get_or_add_image(image)
    cx, cy = img.scaled_dimensions(width, height)
    shape_id = part.__dict__.get("_next_shape_id") or part.next_id
    part.__dict__["_next_shape_id"] = shape_id + 1
    inline = CT_Inline.new_pic_inline(shape_id, rid, img.filename, cx, cy)
    run._r.add_drawing(inline)
    return InlineShape(inline)


def docx_members(document: Any) -> dict[str, bytes]:
    """The zip members ``document.save()`` would write ({name: bytes}), without making the zip.

    The same steps as python-docx's ``OpcPackage.save`` and ``PackageWriter.write``,
    with a dict in place of the zip writer, so that the caller compresses each
    member once, as it chooses.
    """
    from docx.opc.pkgwriter import PackageWriter

    class Members(dict):
        def write(self, pack_uri: Any, blob: bytes) -> None:
            self[pack_uri.membername] = blob

    fast_docx_pictures()
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    members = Members()
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, parts)
    return dict(members)


# --- pydyf: the list of page references made once, not once per tagged element -----------
#
# WeasyPrint 70 tags the PDF (PDF/UA) by asking ``pdf.page_references[n]`` for every
# tagged element, and pydyf 0.13 (both the latest releases) rebuilds the tuple of all
# page references on each call: elements x pages, 30,000 calls and 4.6 s at 227 pages.


def _page_references(self: Any) -> tuple[bytes, ...]:
    """pydyf.PDF.page_references, remade only when pages were added (pages are only ever appended)."""
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_page_references_of")
    if cached is None or cached[0] != len(kids):
        refs = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = (len(kids), refs)
        self.__dict__["_page_references_of"] = cached
    return cached[1]


def fast_pdf_tags() -> bool:
    """Make pydyf's ``page_references`` once per page count; True when applied."""
    if "pdf-page-references" in _applied:
        return True
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property):
        return False  # pragma: no cover - another pydyf: leave it alone
    ORIGINALS["pydyf.PDF.page_references"] = original
    pydyf.PDF.page_references = property(_page_references)  # type: ignore[method-assign,assignment]
    _applied.add("pdf-page-references")
    return True


# --- WeasyPrint: an SVG text drawn as one shaped run, not letter by letter ----------------------
#
# WeasyPrint 70 (the latest release) draws every SVG <text> one code point at a time: a
# Pango layout and a PDF text object per letter (svg/text.py), because SVG may place
# each character itself (x/y/dx/dy/rotate lists). Graphviz never does: each line of a
# box is one <text> with one x and one y. Drawing those letter by letter costs
# 18 layouts per line (4.0 s of a 5.0 s profile of the demo packs' 43 drawings) and
# shapes nothing across letters: no kerning, so lines come out wider than Graphviz
# measured them, and combining marks and ligatures break (WeasyPrint issue #2249,
# where the maintainers propose this very workaround; PR #2754, closed unmerged
# awaiting a rewrite of WeasyPrint's text handling). Here a text that places no
# character of its own is handed to WeasyPrint's own function as a string that
# iterates as one "letter": the same code lays out, positions and draws the whole run.


class _Run(str):
    """A text that WeasyPrint's per-letter loop sees as one letter: the whole run."""

    __slots__ = ()

    def __iter__(self) -> Iterator[str]:
        yield str(self)


#: SVG attributes that place or space characters one by one: a text with any of them keeps the per-letter path.
_PER_CHARACTER = ("dx", "dy", "rotate", "letter-spacing", "textLength")


def _one_run(node: Any) -> bool:
    """Whether ``node`` (a WeasyPrint SVG node) is a <text> or <tspan> that places no character of its own."""
    if node.tag not in ("text", "tspan") or not isinstance(node.text, str) or len(node.text) < 2:
        return False
    if any(node.get(name) is not None for name in _PER_CHARACTER):
        return False
    return all(len(str(node.get(name) or "").replace(",", " ").split()) <= 1 for name in ("x", "y"))


def _svg_text(svg: Any, node: Any, font_size: float) -> Any:
    """weasyprint.svg.text.text, drawing a text that places no character of its own as one shaped run."""
    original = ORIGINALS["weasyprint.svg.text.text"]
    if not _one_run(node):
        return original(svg, node, font_size)
    element = node._etree_node
    text = element.text
    element.text = _Run(text)
    try:
        return original(svg, node, font_size)
    finally:
        element.text = text


def whole_svg_text() -> bool:
    """Draw Graphviz's SVG text as whole shaped runs in WeasyPrint; True when applied.

    WeasyPrint's SVG drawer recognises text elements by comparing their entry in
    its ``TAGS`` table with its module's ``text`` (for the text anchor and
    bounding boxes): both are replaced, so the comparison still holds.
    """
    if "svg-text-runs" in _applied:
        return True
    import importlib

    weasy_svg = importlib.import_module("weasyprint.svg")
    # The module, not the function: the package's ``text`` name is the function.
    weasy_text = importlib.import_module("weasyprint.svg.text")

    original = getattr(weasy_text, "text", None)
    tags = getattr(weasy_svg, "TAGS", None)
    if original is None or getattr(weasy_svg, "text", None) is not original or not isinstance(tags, dict) \
            or any(tags.get(tag) is not original for tag in ("text", "tspan")):
        return False  # pragma: no cover - another WeasyPrint: leave it alone
    ORIGINALS["weasyprint.svg.text.text"] = original
    weasy_svg.text = _svg_text
    for tag, draw in list(tags.items()):
        if draw is original:
            tags[tag] = _svg_text
    _applied.add("svg-text-runs")
    return True


@contextmanager
def weasyprint_own_svg_text() -> Iterator[None]:
    """Inside, WeasyPrint draws SVG text with its own function again (letter by letter): to compare the two.

    For the tests and benchmarks, in one thread: it undoes :func:`whole_svg_text`
    for the block and puts the adapter back after it.
    """
    import importlib

    original = ORIGINALS.get("weasyprint.svg.text.text")
    if original is None:  # the adapter was never applied: WeasyPrint's own function is in place
        yield
        return
    weasy_svg = importlib.import_module("weasyprint.svg")
    saved = (weasy_svg.text, dict(weasy_svg.TAGS))
    weasy_svg.text = original
    weasy_svg.TAGS.update({tag: original for tag, draw in saved[1].items() if draw is _svg_text})
    try:
        yield
    finally:
        weasy_svg.text = saved[0]
        weasy_svg.TAGS.update(saved[1])


def pdf_adapters() -> str:
    """Apply the adapters of a PDF build (pydyf's tagging, WeasyPrint's SVG text).

    Returns what makes the drawn pages differ from WeasyPrint's own ("svg-text-runs",
    or "" when that adapter stood aside): part of the key of cached chapters.
    """
    fast_pdf_tags()
    return "svg-text-runs" if whole_svg_text() else ""
