"""The pack as HTML: one Jinja2 template for the PDF (WeasyPrint) and the self-contained HTML file.

The Jinja2 environment autoescapes and uses ``StrictUndefined`` (a template
typo fails the build instead of printing nothing); user text is only ever a
template *value*, never template source. Templates are looked up in the
project's templates folder first, then in the ones argbrief ships, so a team
can override one file at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import jinja2
import jinja2.sandbox
from lxml import etree
from markupsafe import Markup

from ..errors import ConfigError
from .document import Figure, PackDocument

TEMPLATE = "pack.html.j2"
STYLESHEETS = ("pack-common.css", "pack-print.css", "pack-screen.css")
#: URL scheme under which the PDF writer serves diagrams from memory.
ASSET_SCHEME = "argbrief-asset"

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
    if builtin.resolve() != project_templates.resolve():
        dirs.append(builtin)
    return tuple(d for d in dirs if d.is_dir())


@lru_cache(maxsize=8)
def environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The Jinja2 environment for ``dirs`` (cached: templates compile once per process)."""
    if not dirs:
        raise ConfigError("no templates folder: the project has none and argbrief's own is missing")
    # Sandboxed: a template from a hostile repository cannot reach Python internals
    # (``{{ cycler.__init__.__globals__.os }}``); argbrief's own templates need nothing more.
    return jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def find_template_file(dirs: Sequence[Path], name: str) -> Path:
    """The first ``dirs/name`` that exists (ConfigError naming the folders when none does)."""
    for d in dirs:
        if (d / name).is_file():
            return d / name
    raise ConfigError(f"template '{name}' not found in {', '.join(str(d) for d in dirs) or 'any templates folder'}")


def page_css(doc: PackDocument) -> Markup:
    """The ``@page`` size and margins of ``doc`` (numbers and fixed keywords only)."""
    g = doc.geometry
    margins = f"{g.margin_top_mm}mm {g.margin_right_mm}mm {g.margin_bottom_mm}mm {g.margin_left_mm}mm"
    return Markup(
        f"@page {{ size: {g.css_size}; margin: {margins}; }}\n"
        f"@page wide {{ size: {g.css_size} landscape; margin: {margins}; }}"
    )


def asset_url(fig: Figure) -> str:
    """The URL a PDF's ``<img>`` uses for a figure; :mod:`.pdf` serves it from memory."""
    return f"{ASSET_SCHEME}:maps/{quote(fig.name)}.svg"


def render_html(doc: PackDocument, dirs: Sequence[Path], *, medium: str) -> str:
    """``doc`` as an HTML string: ``medium="pdf"`` for WeasyPrint, ``"html"`` for the standalone file."""
    if medium not in ("pdf", "html"):
        raise ValueError(f"medium must be 'pdf' or 'html', not {medium!r}")
    env = environment(tuple(dirs))
    try:
        template = env.get_template(TEMPLATE)
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"template '{TEMPLATE}' not found in {', '.join(map(str, dirs))}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"{exc.filename}:{exc.lineno}: template syntax error: {exc.message}") from exc

    def css(name: str) -> Markup:
        if name not in STYLESHEETS:
            raise ConfigError(f"template asks for stylesheet '{name}'; known: {', '.join(STYLESHEETS)}")
        text = find_template_file(dirs, name).read_text(encoding="utf-8")
        # A stylesheet is argbrief's or the team's own file, never user content; it
        # must not close the <style> element it is inlined in.
        if "</" in text:
            raise ConfigError(f"stylesheet '{name}' contains '</', which would end its <style> element")
        return Markup(text)

    created = doc.meta.created.strftime("%Y-%m-%dT%H:%M:%SZ") if doc.meta.created else ""
    try:
        return template.render(
            doc=doc,
            medium=medium,
            created=created,
            page_css=page_css(doc),
            css=css,
            svg=inline_svg,
            asset_url=asset_url,
        )
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"template '{TEMPLATE}': {exc.message}") from exc


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
