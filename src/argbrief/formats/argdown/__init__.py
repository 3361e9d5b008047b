"""Argdown (``.argdown``): read Argdown's own syntax in Python, and write maps back as Argdown.

Reading is three stages, one module each:

``_tokens.py``
    text -> front matter and blocks of items (frozen :class:`~._tokens.Block`,
    :class:`~._tokens.Item`): comments blanked, YAML data found, lines grouped.
``_parser.py``
    tokens -> :class:`ArgdownDocument` (``_document.py``, frozen): equivalence
    classes of statements, arguments with their premise-conclusion structures,
    relations and sections — the same units Argdown's own JSON export lists.
``_builder.py``
    document -> the neutral argument graph that
    :func:`argbrief.formats._graph.build_map` makes a map of.

Writing is ``_writer.py`` (:func:`dump_argdown`).  docs/interchange.md says what
is kept each way.
"""

from __future__ import annotations

from ..._yamlread import decode
from .. import Format, Imported
from .._graph import build_map
from ._builder import document_graph
from ._document import ArgdownDocument, Argument, Member, PcsStep, Relation, Section, Statement
from ._parser import parse_argdown
from ._tokens import clean_text
from ._writer import dump_argdown

__all__ = [
    "FORMAT",
    "ArgdownDocument",
    "Argument",
    "Member",
    "PcsStep",
    "Relation",
    "Section",
    "Statement",
    "clean_text",
    "document_graph",
    "dump_argdown",
    "load_argdown",
    "parse_argdown",
]


def load_argdown(data: bytes, name: str) -> Imported:
    """An Argdown file (bytes) as an argbrief map."""
    text, diags = decode(data, name)
    if text is None:
        return Imported(map=None, diagnostics=tuple(diags))
    doc, more = parse_argdown(text, name)
    diags += more
    graph, more = document_graph(doc, name)
    diags += more
    amap, more = build_map(graph)
    return Imported(map=amap, diagnostics=tuple(diags + more))


FORMAT = Format(
    name="argdown",
    suffixes=(".argdown",),
    description="Argdown argument reconstructions (statements, arguments, relations, premise-conclusion structures)",
    load=load_argdown,
    dump=dump_argdown,
    unsatisfiable=(
        ("briefing.no-evidence", "Imported from Argdown, which backs claims with other claims, not with quoted evidence"),
    ),
)
