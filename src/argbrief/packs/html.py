"""The pack as HTML: one Jinja2 template for the PDF (WeasyPrint) and the self-contained HTML file.

The Jinja2 environment autoescapes and uses ``StrictUndefined`` (a template
typo fails the build instead of printing nothing); user text is only ever a
template *value*, never template source. Templates run in a sandbox with
limits on time, size and memory (:mod:`.sandbox`). Templates are looked up in
the project's templates folder first, then in the ones argbrief ships, so a
team can override one file at a time; :func:`find_template_file` is the one
lookup (Jinja2's loader, stylesheets, ``reference.docx`` and the PDF's URL
fetcher all use it), and every file it finds is checked by
:mod:`argbrief.paths`: a regular file inside the templates folder it was found
in, never a symbolic link out of it, a FIFO or a device.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from lxml import etree
from markupsafe import Markup

from .. import paths
from ..errors import ConfigError
from ._floats import FloatPlan
from ._fonts import font_face_css
from ._parts import EVIDENCE_COLUMNS, RECOMMENDATION_COLUMNS, SOURCE_COLUMNS, Column, column_percentages, running
from .document import Figure, PackDocument
from .sandbox import LimitedSandbox, render_bounded, trusted

TEMPLATE = "pack.html.j2"
STYLESHEETS = ("pack-common.css", "pack-print.css", "pack-screen.css")
#: URL scheme under which the PDF writer serves diagrams from memory.
ASSET_SCHEME = "argbrief-asset"
#: Where the HTML file's embedded fonts go (user text is escaped, so it can never contain this).
FONT_SLOT = Markup('<style id="fonts"></style>')
#: Bytes of one template or stylesheet (argbrief's own are about 30 KB).
MAX_TEMPLATE_BYTES = 1024 * 1024

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def builtin_templates() -> Path:
    """The templates argbrief ships: package data (``argbrief/templates/``), so any install has them."""
    return Path(__file__).resolve().parent.parent / "templates"


def template_dirs(project_templates: Path) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins: the project's, then argbrief's.

    The one place that decides which folders templates come from (the Jinja2
    loader, the PDF's URL fetcher, the Word reference document and the build
    fingerprint all use it), so a project's ``templates/`` overrides argbrief's
    own file by file.
    """
    dirs = [project_templates]
    builtin = builtin_templates()
    if paths.identity(builtin) != paths.identity(project_templates):
        dirs.append(builtin)
    return tuple(d for d in dirs if d.is_dir())


@lru_cache(maxsize=8)
def environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The Jinja2 environment for ``dirs`` (cached: templates compile once per process)."""
    if not dirs:
        raise ConfigError("no templates folder: the project has none and argbrief's own is missing")
    # Sandboxed: a template from a hostile repository cannot reach Python internals
    # (``{{ cycler.__init__.__globals__.os }}``), change argbrief's data, or run
    # for ever; argbrief's own templates need nothing more.
    return LimitedSandbox(
        loader=TemplateLoader(dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


class TemplateLoader(jinja2.BaseLoader):
    """Jinja2's view of the templates folders: every file through :func:`find_template_file`."""

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.dirs = tuple(dirs)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        # Jinja2's own splitting refuses '..' and drops a leading '/': names stay inside the folders.
        name = "/".join(jinja2.loaders.split_template_path(template))
        found = locate_template(self.dirs, name)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        path, folder = found
        text = read_template(path, folder)
        mtime = os.stat(path).st_mtime_ns

        def uptodate() -> bool:
            try:
                return os.stat(path).st_mtime_ns == mtime
            except OSError:
                return False

        return text, str(path), uptodate


def locate_template(dirs: Sequence[Path], name: str) -> tuple[Path, Path] | None:
    """The first ``dirs/name`` there is, with its folder; None when no folder has it.

    Raises :class:`~argbrief.paths.UnsafePath` when the file found is not a
    regular file inside its own templates folder (a symbolic link out of it, a
    FIFO, a device, a loop): it is refused, not skipped.
    """
    for d in dirs:
        candidate = d / name
        if os.path.lexists(candidate):
            check_template_file(candidate, d)
            return candidate, d
    return None


def check_template_file(path: Path, folder: Path) -> Path:
    """``path``'s real location: a regular file inside its templates ``folder`` (:class:`~argbrief.paths.UnsafePath` if not)."""
    return paths.regular_file(path, folder, where=_fence_name(folder))


def _fence_name(folder: Path) -> str:
    return f"the templates folder {paths.shown(folder)}/"


def find_template_file(dirs: Sequence[Path], name: str) -> Path:
    """The first ``dirs/name`` there is, checked (see :func:`locate_template`); ConfigError when none."""
    found = locate_template(dirs, name)
    if found is None:
        raise ConfigError(f"template '{name}' not found in {', '.join(str(d) for d in dirs) or 'any templates folder'}")
    return found[0]


def read_template(path: Path, folder: Path, limit: int = MAX_TEMPLATE_BYTES) -> str:
    """The text of a template file (checked, bounded, UTF-8)."""
    data = paths.read_file(path, folder, limit=limit, where=_fence_name(folder))
    if len(data) > limit:
        raise ConfigError(f"{paths.shown(path)} is over {limit:,} bytes; is it a template?")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{paths.shown(path)}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None


def template_bytes(dirs: Sequence[Path], name: str, limit: int) -> tuple[Path, bytes]:
    """The first ``dirs/name`` and its bytes (checked, at most ``limit``): ``reference.docx``."""
    found = locate_template(dirs, name)
    if found is None:
        raise ConfigError(f"template '{name}' not found in {', '.join(str(d) for d in dirs) or 'any templates folder'}")
    path, folder = found
    data = paths.read_file(path, folder, limit=limit, where=_fence_name(folder))
    if len(data) > limit:
        raise ConfigError(f"{paths.shown(path)} is over {limit:,} bytes")
    return path, data


def page_css(doc: PackDocument) -> Markup:
    """The ``@page`` size and margins of ``doc`` (numbers and fixed keywords only)."""
    g = doc.geometry
    margins = f"{g.margin_top_mm}mm {g.margin_right_mm}mm {g.margin_bottom_mm}mm {g.margin_left_mm}mm"
    return Markup(
        f"@page {{ size: {g.css_size}; margin: {margins}; }}\n"
        f"@page wide {{ size: {g.css_size} landscape; margin: {margins}; }}"
    )


def web_url(url: str) -> bool:
    """Whether ``url`` is a web address a reader may follow (http or https, with a host)."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def with_widths(columns: tuple[Column, ...]) -> list[tuple[Column, float]]:
    """Each column with its width in percent of the text width (the template's ``<col>`` elements)."""
    return list(zip(columns, column_percentages(columns)))


def asset_url(fig: Figure) -> str:
    """The URL a PDF's ``<img>`` uses for a figure; :mod:`.pdf` serves it from memory."""
    return f"{ASSET_SCHEME}:maps/{quote(fig.name)}.svg"


def render_html(doc: PackDocument, dirs: Sequence[Path], *, medium: str, floats: FloatPlan | None = None) -> str:
    """``doc`` as an HTML string: ``medium="pdf"`` for WeasyPrint, ``"html"`` for the standalone file.

    ``floats`` says where the PDF puts each map's figures (:mod:`._floats`); by
    default every figure stays where the document model puts it.
    """
    if medium not in ("pdf", "html"):
        raise ValueError(f"medium must be 'pdf' or 'html', not {medium!r}")
    env = environment(tuple(dirs))
    try:
        template = env.get_template(TEMPLATE)
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"template '{TEMPLATE}' not found in {', '.join(map(str, dirs))}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"{exc.filename}:{exc.lineno}: template syntax error: {exc.message}") from exc

    @trusted
    def css(name: str) -> Markup:
        if name not in STYLESHEETS:
            raise ConfigError(f"template asks for stylesheet '{name}'; known: {', '.join(STYLESHEETS)}")
        path = find_template_file(dirs, name)
        text = read_template(path, next(d for d in dirs if path.is_relative_to(d)))
        # A stylesheet is argbrief's or the team's own file, never user content; it
        # must not close the <style> element it is inlined in.
        if "</" in text:
            raise ConfigError(f"stylesheet '{name}' contains '</', which would end its <style> element")
        return Markup(text)

    created = doc.meta.created.strftime("%Y-%m-%dT%H:%M:%SZ") if doc.meta.created else ""
    context = dict(
        doc=doc,
        medium=medium,
        created=created,
        page_css=page_css(doc),
        css=css,
        svg=trusted(inline_svg),
        asset_url=trusted(asset_url),
    )
    try:
        html = render_bounded(
            template,
            {
                **context,
                "columns": {"evidence": EVIDENCE_COLUMNS, "recommendations": RECOMMENDATION_COLUMNS, "sources": SOURCE_COLUMNS},
                "with_widths": with_widths,
                "running": running,
                "floats": floats if floats is not None else FloatPlan(groups=doc.float_groups()),
                "font_slot": FONT_SLOT,
                "web_url": web_url,
            },
        )
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"template '{TEMPLATE}': {exc.message}") from exc
    if medium == "html" and FONT_SLOT in html:
        # The fonts, subset to the characters of this very page (so it is rendered first).
        html = html.replace(str(FONT_SLOT), f'<style id="fonts">{font_face_css(html)}</style>', 1)
    return html


# --------------------------------------------------------------------------- inline SVG

_ACTIVE_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "use", "image", "style"}


def inline_svg(fig: Figure) -> Markup:
    """``fig``'s SVG, ready to inline in HTML.

    Graphviz output is re-serialised: the XML declaration, doctype and comments
    go; every id is prefixed with the figure's anchor (diagrams reuse ids like
    ``node1``, which must stay unique in one HTML page); anything that could act
    or fetch (scripts, event handlers, external links, images) is dropped. The
    root gets ``role="img"`` and the figure's alt text as its label.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    root = etree.fromstring(fig.svg, parser)
    prefix = fig.anchor + "-"
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in _ACTIVE_ELEMENTS:
            el.getparent().remove(el)
            continue
        for name in list(el.attrib):
            qname = etree.QName(name)
            value = el.attrib[name]
            if qname.localname.lower().startswith("on"):
                del el.attrib[name]
            elif qname.localname == "href" or qname.localname == "src":
                if value.startswith("#"):
                    el.attrib[name] = "#" + prefix + value[1:]
                else:
                    del el.attrib[name]
            elif qname.localname == "id":
                el.attrib[name] = prefix + value
            elif "url(" in value:
                el.attrib[name] = value.replace("url(#", f"url(#{prefix}")
                if "url(" in el.attrib[name].replace(f"url(#{prefix}", ""):
                    del el.attrib[name]  # an external url(): never fetch
    root.attrib["role"] = "img"
    root.attrib["aria-label"] = fig.alt
    return Markup(etree.tostring(root, encoding="unicode"))
