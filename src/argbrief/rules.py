"""Selecting rules, in the style of ruff: ``--select`` / ``--ignore``, the same keys in the configuration,
and a map's own ``ignore:`` list (reasoned exceptions).

A rule is a diagnostic code (``briefing.no-evidence``); a pattern is a code or a
prefix of codes (``briefing.``, or ``briefing``). ``select`` names the rules that
are reported (default: all), ``ignore`` takes rules away again. A map's
``ignore:`` entries apply to that map's own file only, and each gives its reason.

Rules that guard the model itself — a file that cannot be read, a key that is not
in the format, a broken structure, a duplicate id, a reference to nothing
(:data:`FIXED_AREAS`) — cannot be turned off: a map with such an error cannot be
drawn or built, so they are always reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen

from .diagnostics import CODES, Diagnostic, did_you_mean
from .model import ArgumentMap

#: Areas whose codes are always reported: without them the map cannot be used at all.
FIXED_AREAS = ("input", "yaml", "schema", "structure", "id", "ref", "config")
#: Single codes of other areas that are as fundamental.
FIXED_CODES = frozenset({"pack.no-maps"})


def is_fixed(code: str) -> bool:
    """Whether ``code`` is always reported (it cannot be ignored)."""
    return code.split(".", 1)[0] in FIXED_AREAS or code in FIXED_CODES


def matches(pattern: str, code: str) -> bool:
    """``pattern`` (a code, or a prefix: ``quote.`` or ``quote``) names ``code``."""
    if pattern == code:
        return True
    prefix = pattern if pattern.endswith(".") else pattern + "."
    return code.startswith(prefix)


def pattern_problem(pattern: str, *, ignoring: bool) -> tuple[str, str] | None:
    """Why ``pattern`` is not usable (message, hint), or None when it is.

    It must name at least one registered code; to ignore, at least one of the
    codes it names must be one that can be turned off.
    """
    named = [code for code in CODES if matches(pattern, code)]
    if not named:
        areas = {code.split(".", 1)[0] + "." for code in CODES}
        return f"'{pattern}' is not a rule or a prefix of rules", did_you_mean(pattern, [*CODES, *areas]) or (
            "rules are diagnostic codes, e.g. briefing.no-evidence (docs/diagnostics.md)"
        )
    if ignoring and all(is_fixed(code) for code in named):
        return (
            f"'{pattern}' cannot be ignored: a map with such an error cannot be drawn or built",
            "fix the map instead",
        )
    return None


def split_patterns(values: Iterable[str]) -> tuple[str, ...]:
    """``["a,b", "c"]`` -> ``("a", "b", "c")``, blanks dropped."""
    return tuple(p.strip() for value in values for p in value.split(",") if p.strip())


@frozen
class RuleSelection:
    """Which rules are reported: ``select`` (empty: all), less ``ignore``."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def reports(self, code: str) -> bool:
        if is_fixed(code):
            return True
        if self.select and not any(matches(p, code) for p in self.select):
            return False
        return not any(matches(p, code) for p in self.ignore)


def check_map_ignores(amap: ArgumentMap) -> list[Diagnostic]:
    """Each ``ignore:`` entry of ``amap`` names a rule that can be ignored, and gives a reason."""
    out: list[Diagnostic] = []
    for entry in amap.ignore:
        span = entry.spans.get("code", entry.span)
        if not entry.code.strip():
            out.append(Diagnostic(code="schema.missing", message="an ignore entry names no rule ('code:')", span=entry.span))
            continue
        problem = pattern_problem(entry.code, ignoring=True)
        if problem is not None:
            fixed = "cannot be ignored" in problem[0]
            out.append(
                Diagnostic(
                    code="ignore.not-allowed" if fixed else "ignore.unknown-code",
                    message=problem[0],
                    span=span,
                    hint=problem[1],
                )
            )
        if not entry.reason.strip():
            out.append(
                Diagnostic(
                    code="schema.missing",
                    message=f"ignoring '{entry.code}' gives no reason",
                    span=entry.span,
                    hint="add 'reason:' saying why the rule does not apply to this map",
                )
            )
    return out


def apply_map_ignores(amap: ArgumentMap, diags: Sequence[Diagnostic]) -> tuple[list[Diagnostic], int]:
    """``diags`` (of ``amap``'s file) less those its ``ignore:`` entries name; also the count left out.

    An entry that names no diagnostic of the map is reported (``ignore.unused``):
    an exception that no longer applies should go.
    """
    # Only a reasoned exception counts: an entry without a reason is reported (check_map_ignores) and not applied.
    entries = [
        e for e in amap.ignore if e.code.strip() and e.reason.strip() and pattern_problem(e.code, ignoring=True) is None
    ]
    if not entries:
        return list(diags), 0
    kept: list[Diagnostic] = []
    used: set[int] = set()
    for d in diags:
        hit = None if is_fixed(d.code) else next((i for i, e in enumerate(entries) if matches(e.code, d.code)), None)
        if hit is None:
            kept.append(d)
        else:
            used.add(hit)
    left_out = len(diags) - len(kept)
    unused = [entry for i, entry in enumerate(entries) if i not in used]
    kept += [
        Diagnostic(code="ignore.unused", message=f"'{e.code}' is ignored, but this map has no such problem",
                   span=e.spans.get("code", e.span), hint="remove the entry")
        for e in unused
    ]
    return kept, left_out
