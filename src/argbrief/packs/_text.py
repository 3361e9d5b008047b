"""Small text helpers shared by the pack writers: XML-safe text, shortening, dates.

User text reaches three writers (Jinja2 HTML, WeasyPrint, python-docx/lxml). XML 1.0
forbids most C0 control characters, lone surrogates and U+FFFE/U+FFFF; lxml raises on
them, so every user string passes through :func:`clean` once, when the document
model is assembled (and the DOCX writer guards again, because it is the one that
crashes).
"""

from __future__ import annotations

import datetime as dt
import re

from ..bidi import show_bidi_controls

# Characters XML 1.0 does not allow (tab, newline and carriage return are allowed),
# and the C1 controls it allows but no document should show.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"[ \t\r\n\x85\u2028\u2029]+")


def clean(text: str | None) -> str:
    """``text`` without control characters, runs of white space (line breaks too) folded to one space,
    and bidirectional controls shown as visible codes (``<U+202E>``, see :mod:`argbrief.bidi`)."""
    if not text:
        return ""
    return show_bidi_controls(_SPACE.sub(" ", _CONTROL.sub("", str(text))).strip())


def shorten(text: str, words: int = 24) -> str:
    """At most ``words`` words of ``text``, with an ellipsis when cut."""
    parts = text.split()
    if len(parts) <= words:
        return text
    return " ".join(parts[:words]).rstrip(",;:.") + "\u2026"


def sentence(text: str) -> str:
    """``text`` ending with a full stop (unless it already ends with punctuation)."""
    text = text.strip()
    if text and text[-1] not in ".!?\u2026\"'\u201d\u2019)":
        text += "."
    return text


def parse_date(value: str) -> dt.date | None:
    """An ISO date (``2025-02-01``, or the date part of a timestamp), or None."""
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def display_date(value: str) -> str:
    """``2025-02-01`` -> ``1 February 2025``; anything else is shown as written."""
    day = parse_date(value)
    return f"{day.day} {day:%B %Y}" if day else value


def document_timestamp(date: str) -> dt.datetime | None:
    """The creation/modification time stamped into exports: never the wall clock.

    The pack's own ``date`` (midnight UTC) when it has one, else ``SOURCE_DATE_EPOCH``
    (the reproducible-builds convention), else None (no timestamp is written).
    """
    day = parse_date(date) if date else None
    if day is not None:
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    from ..clock import source_date

    return source_date()
