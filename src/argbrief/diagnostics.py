"""Diagnostics: problems in the user's content, collected and reported together.

Every diagnostic has a stable ``area.problem`` code registered in :data:`CODES`
(documented in docs/diagnostics.md), a severity, a message, the place it points
at and an optional hint.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Iterable, Sequence
from typing import TextIO

from attrs import frozen

from .model import NOWHERE, SourceSpan


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


E, W = Severity.ERROR, Severity.WARNING

#: code -> (default severity, one-line summary). The single registry of codes.
CODES: dict[str, tuple[Severity, str]] = {
    "input.not-found": (E, "a file or folder named on the command line does not exist, or a named folder holds no .yaml files"),
    "input.not-utf8": (E, "a map, pack or source text file is not UTF-8 text"),
    "input.binary": (E, "the file contains NUL bytes: it is binary, not YAML"),
    "input.empty": (E, "the file is empty"),
    "input.too-large": (E, "the file, or what its aliases expand to, is over the size limit"),
    "input.too-deep": (E, "the YAML is nested deeper than the limit"),
    "input.text-too-long": (E, "one text value is longer than the limit"),
    "input.control-char": (E, "a text contains a control character"),
    "input.bidi-control": (W, "a text contains a bidirectional override or isolate character (U+202A-U+202E, U+2066-U+2069)"),
    "input.outside-project": (E, "a path points outside the project"),
    "input.not-a-file": (E, "a path names a FIFO, a device, a socket or a symbolic-link loop, not a regular file"),
    "yaml.syntax": (E, "the YAML does not parse (an unclosed quote or bracket, ': ' inside a value, ...)"),
    "yaml.indentation": (E, "a line is indented with a tab, or is not in line with the lines it belongs with"),
    "yaml.duplicate-key": (E, "a key appears twice in one mapping"),
    "yaml.tag": (E, "a YAML tag (!!python/object, !custom ...) is used; tags are not allowed"),
    "schema.not-mapping": (E, "the top level (or an item) is not a mapping"),
    "schema.unknown-key": (E, "a key that the format does not define"),
    "schema.wrong-type": (E, "a value has the wrong type"),
    "schema.bad-value": (E, "a value is not one of the allowed choices"),
    "schema.missing": (E, "a required key is missing (the id or title of a map or pack)"),
    "schema.bad-id": (E, "an id or slug has characters that are not allowed"),
    "structure.no-thesis": (E, "the map has no thesis"),
    "structure.child-not-allowed": (E, "a node has a kind of child its kind may not have"),
    "structure.relation-not-allowed": (E, "'relation' is set on a node that is not an objection or rebuttal"),
    "structure.cycle": (E, "cross-links (also_supports/also_attacks) form a cycle"),
    "structure.small-group": (E, "a linked-premise group has fewer than two premises"),
    "structure.mutual-not-attack": (E, "'mutual' names a claim that the claim does not attack"),
    "structure.duplicate-section": (E, "two sections of one map have the same title"),
    "text.empty": (E, "a claim, evidence, recommendation, pack question, judgement or indicator has no text"),
    "id.duplicate": (E, "two nodes of one map share an id"),
    "ref.unknown-target": (E, "a reference names a node id that the map does not have"),
    "ref.self": (E, "a node cross-links to itself"),
    "ref.unknown-source": (E, "an evidence item or an answer names a source key that the map's 'sources' lacks"),
    "ref.unknown-map": (E, "a pack names a map that the project does not have"),
    "ref.unknown-question": (E, "a claim answers a question that no pack asks"),
    "ref.unknown-basis": (E, "a judgement's basis is not 'map-id:node-id', or names a map the pack does not use or a node the map lacks"),
    "ref.unknown-judgement": (E, "an indicator names a judgement that the pack does not have"),
    "ref.duplicate-map": (E, "two map files declare the same map id"),
    "ref.duplicate-pack": (E, "two pack files declare the same pack id"),
    "source.missing": (E, "a source text file does not exist or cannot be read"),
    "source.bad-date": (E, "a source's date is not YYYY, YYYY-MM or YYYY-MM-DD"),
    "source.inferred-no-note": (E, "a source's date is inferred but no date_note says how"),
    "source.undated": (W, "a source has no date (reported only with --strict)"),
    "source.stale": (W, "a source is dated more than the pack's currency_months before the pack's date"),
    "quote.not-found": (E, "a quote (of evidence, or of an answer) does not occur in its source text"),
    "quote.no-source-text": (W, "a quote (of evidence, or of an answer) cannot be checked: its source names no text file"),
    "briefing.no-evidence": (W, "a premise has no evidence"),
    "briefing.unanswered-objection": (W, "an objection has no rebuttal"),
    "briefing.no-because": (W, "a recommendation does not say what justifies it"),
    "briefing.no-citation": (W, "an evidence item has no source with a title"),
    "briefing.no-actor": (W, "a recommendation does not say who should act"),
    "briefing.answer-not-endorsed": (W, "a claim the map argues against (an objection) answers a question; it does not count"),
    "briefing.answer-no-basis": (W, "a claim the position endorses answers a question with no basis: no quote, no note, no evidence under it"),
    "briefing.answer-hedge-dropped": (W, "a flat yes or no answer on a claim whose text, or the answer's quote, hedges ('to some extent', 'may' ...)"),
    "pack.unanswered-question": (W, "no position's maps answer a pack question"),
    "pack.no-maps": (E, "a pack names no maps"),
    "pack.changes-since": (E, "a pack's changes_since names no earlier edition that can be read (no such revision or file)"),
    "pack.no-bottom-line": (W, "a pack makes judgements but has no bottom line"),
    "pack.incomplete-appraisal": (W, "some positions of a pack are appraised, but not every position on all four dimensions"),
    "judgement.bad-likelihood": (E, "a judgement's likelihood is not a term of the pack's yardstick"),
    "judgement.no-basis": (W, "a judgement does not say what it rests on"),
    "judgement.vague-hedge": (W, "a judgement's text hedges ('might', 'perhaps' ...) instead of letting its likelihood speak"),
    "ignore.unknown-code": (E, "a map's 'ignore:' entry names no rule (no diagnostic code starts so)"),
    "ignore.not-allowed": (E, "a map's 'ignore:' entry names only rules that cannot be turned off (the map could not be drawn or built)"),
    "ignore.unused": (W, "a map's 'ignore:' entry names a rule the map does not break: the exception can go"),
    "build.front-too-long": (W, "a pack's front section runs to more than three pages of the PDF"),
    "build.renderer-warning": (W, "WeasyPrint reported a problem laying out a pack's PDF (a template or stylesheet issue, or a refused URL)"),
    # The project configuration (argbrief.toml, or [tool.argbrief] in pyproject.toml): it stops every command.
    "config.syntax": (E, "the configuration file cannot be read as TOML (or its [tool.argbrief] is not a table)"),
    "config.unknown-key": (E, "the configuration names a setting argbrief does not have"),
    "config.bad-value": (E, "a setting of the configuration has a value of the wrong kind, or a folder outside the project"),
    # argbrief import (docs/interchange.md): what could not be carried over from another format.
    "import.syntax": (E, "the file is not valid in the format it is read as (JSON, XML or text that does not parse)"),
    "import.no-claims": (E, "the imported file holds no claims"),
    "import.duplicate-node": (W, "a claim id is defined twice in the imported file; the first is kept"),
    "import.duplicate-link": (W, "the same support or attack is stated twice in the imported file; it is kept once"),
    "import.cycle": (W, "links form a cycle; the link that closes it is dropped"),
    "import.several-roots": (W, "the file has several conclusions; they hang under a synthetic 'issue' thesis"),
    "import.linked-attack": (W, "several claims attack only together; argbrief has no linked attacks, so the others become premises of the first"),
    "import.undercut-moved": (W, "an undercut targets an inference that is a cross-link in the map; it is drawn on the tree link instead"),
    "import.undercut-as-attack": (W, "a second undercut by the same claim becomes a plain cross-link attack"),
    "import.too-deep": (W, "a claim is nested deeper than a map may be; it hangs under the thesis, its link kept as a cross-link"),
    "import.kind-changed": (W, "an evidence item or assumption cannot keep its kind where it stands (it has reasons, or its parent does not allow it)"),
    "import.id-changed": (W, "two claims of the file come out with the same id; the second gets a suffix"),
    "import.empty-text": (W, "a claim has no text in the file; it is given a placeholder"),
    "import.control-char": (W, "a claim's text has control characters; they become spaces"),
    "import.dropped": (W, "parts of the file that an argbrief map cannot hold were dropped (counted in the message)"),
    "import.malformed": (W, "a part of the file breaks the format's own rules (an inference without a conclusion, an edge to nowhere); it is skipped"),
    "argdown.syntax": (W, "Argdown that does not parse as intended (an unclosed comment, a relation with no element above it)"),
    "argdown.bad-data": (W, "YAML data in '{...}' or the front matter does not parse; it is ignored"),
    "argdown.data-dropped": (W, "a YAML data key has no place in an argbrief map and is dropped"),
    "argdown.unsupported": (W, "an Argdown construct argbrief cannot represent is ignored"),
    "kialo.syntax": (W, "a line of a Kialo export is not what the format expects (no stance, a dangling '-> See')"),
}


#: Codes reported only under ``--strict``: pedantic for every run, wanted before a pack goes out.
STRICT_ONLY: frozenset[str] = frozenset({"source.undated"})


#: Control characters, which a file name (or text quoted in a message) can hold: printed as they are, a line
#: break would split a diagnostic in two and an escape sequence would act on the terminal.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    """``text`` with each control character shown as an escape (``\\x0a``): one line, nothing for a terminal to act on."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


@frozen(kw_only=True)
class Diagnostic:
    code: str
    message: str
    span: SourceSpan = NOWHERE
    severity: Severity | None = None
    hint: str = ""

    def __attrs_post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered diagnostic code {self.code!r}")
        if self.severity is None:
            object.__setattr__(self, "severity", CODES[self.code][0])

    @property
    def sort_key(self) -> tuple:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def format(self, color: bool = False) -> str:
        """``path:line:col: severity: message (hint) [code]``; ``color`` marks the severity with ANSI codes."""
        hint = f" ({self.hint})" if self.hint else ""
        severity = str(self.severity)
        if color:
            severity = _ANSI[self.severity] + severity + "\x1b[0m"
        return f"{_visible(str(self.span))}: {severity}: {_visible(self.message + hint)} [{self.code}]"

    def to_json(self) -> dict:
        return {
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "hint": self.hint or None,
        }

    def format_github(self) -> str:
        """A GitHub Actions workflow command (``::error file=...,line=...::message``).

        Escaped as GitHub's own toolkit does: ``%``, CR and LF in the message;
        also ``:`` and ``,`` in the properties (a file name may hold them).
        """
        level = "error" if self.severity is Severity.ERROR else "warning"
        msg = self.message + (f" ({self.hint})" if self.hint else "")
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::{level} file={_gh_property(self.span.file)},line={self.span.line or 1},"
            f"col={self.span.column or 1},title={_gh_property(self.code)}::{msg}"
        )


def _gh_property(value: str) -> str:
    return (
        value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")
    )


_ANSI = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m"}


def use_color(stream: TextIO) -> bool:
    """Colour on a terminal, unless ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely meant: the same but for case (``p1`` -> ``P1``), else a near miss."""
    import difflib  # only needed when something is wrong; keeps start-up fast

    by_lower: dict[str, str] = {}
    for choice in sorted(set(choices)):
        by_lower.setdefault(choice.lower(), choice)
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice (see :func:`closest`), or ''."""
    found = closest(word, choices)
    return f"did you mean '{found}'?" if found is not None else ""


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """By file, then place, code and message (the order of ``sort_key``); exact repeats dropped.

    Grouped by file first and each file sorted on its own: files are few, so no
    sort runs over every diagnostic of a big project at once.
    """
    by_file: dict[str, dict[tuple, Diagnostic]] = {}
    for d in diags:
        span = d.span
        bucket = by_file.get(span.file)
        if bucket is None:
            bucket = by_file[span.file] = {}
        bucket[(span.line, span.column, d.code, d.message, d.severity.value, d.hint)] = d  # type: ignore[union-attr]
    out: list[Diagnostic] = []
    for name in sorted(by_file):
        bucket = by_file[name]
        out += [bucket[k] for k in sorted(bucket)]
    return out


def has_errors(diags: Sequence[Diagnostic], strict: bool = False) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in diags)


JSON_SCHEMA_VERSION = 1


def render_json(diags: Sequence[Diagnostic]) -> str:
    """The versioned JSON report of ``argbrief check --format json`` (docs/diagnostics.md)."""
    import json

    errors = sum(d.severity is Severity.ERROR for d in diags)
    doc = {
        "version": JSON_SCHEMA_VERSION,
        "errors": errors,
        "warnings": len(diags) - errors,
        "diagnostics": [d.to_json() for d in diags],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
