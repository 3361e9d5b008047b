"""Briefing packs: one document model, three writers.

- :mod:`.document` — :func:`~.document.assemble`: workspace + pack (+ rendered
  diagrams and the comparison) -> :class:`~.document.PackDocument`, plain frozen data;
- :mod:`.comparison` — the comparison chapter of that model;
- :mod:`.html` — the Jinja2 template shared by the PDF and the HTML file;
- :mod:`.pdf` — WeasyPrint, with a URL fetcher that serves only diagrams and template files;
- :mod:`.docx` — python-docx over ``templates/reference.docx``
  (raw WordprocessingML in :mod:`._docxml`).

WeasyPrint and python-docx are imported only by :mod:`.pdf` and :mod:`.docx`.
``argbrief.builder`` runs the stages and writes the files; see docs/packs.md.
"""
