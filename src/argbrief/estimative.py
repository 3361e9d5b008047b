"""Estimative language and source currency: the vocabulary of decision-ready packs.

No I/O and no model classes: fixed tables and small pure functions that the
validator, the schema and the document model share.

- **Probability yardsticks.** A pack's judgements state how likely they are in the
  words of one yardstick: ICD 203 (US Intelligence Community Directive 203,
  *Analytic Standards*, 2015), the default, or the UK PHIA probability yardstick
  (Professional Head of Intelligence Assessment, 2019 edition). Each term stands
  for a range of probability; docs/format.md lists them.
- **Confidence** (low, moderate, high) says how good a judgement's basis is. It
  is never merged with likelihood: "almost certainly, with low confidence" is a
  coherent thing to say.
- **Hedge words** ("might", "perhaps" ...) blur a judgement that a yardstick term
  should carry; :func:`hedges_in` finds them.
- **Source dates** are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; :func:`parse_source_date`
  reads them and :func:`stale` says whether one is older than a pack's currency window.
"""

from __future__ import annotations

import datetime as dt
import re

from attrs import frozen


@frozen(kw_only=True)
class Band:
    """One range of a yardstick: its term, the other spellings that mean the same, and the range in percent."""

    term: str
    low: int
    high: int
    synonyms: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.synonyms)

    @property
    def range(self) -> str:
        """``"55–80 %"`` (an en dash, a thin space before the percent sign is left to typography)."""
        return f"{self.low}\u2013{self.high}\u00a0%"


@frozen(kw_only=True)
class Yardstick:
    """A probability yardstick: the terms a judgement's ``likelihood`` may use."""

    id: str
    name: str
    bands: tuple[Band, ...]
    note: str = ""

    def band(self, likelihood: str) -> Band | None:
        """The band ``likelihood`` names (any of its spellings, exactly), or None."""
        for band in self.bands:
            if likelihood in band.spellings:
                return band
        return None

    @property
    def terms(self) -> tuple[str, ...]:
        """Every accepted spelling, in the yardstick's order (lowest probability first)."""
        return tuple(s for band in self.bands for s in band.spellings)

    def nearest(self, likelihood: str, n: int = 2) -> tuple[str, ...]:
        """Up to ``n`` accepted terms closest to ``likelihood`` (for "did you mean")."""
        import difflib  # only when something is wrong

        words = likelihood.strip().casefold()
        found = difflib.get_close_matches(words, self.terms, n=n, cutoff=0.5)
        # "pretty likely" -> "likely": a term that is the last words of the input counts too.
        for term in sorted(self.terms, key=len, reverse=True):
            if term not in found and (words.endswith(" " + term) or words == term):
                found.insert(0, term)
        return tuple(found[:n])


#: ICD 203 (2015), section D.6.e.(2)(a): the two rows of terms and their ranges.
ICD_203 = Yardstick(
    id="icd-203",
    name="ICD 203",
    bands=(
        Band(term="almost no chance", low=1, high=5, synonyms=("remote",)),
        Band(term="very unlikely", low=5, high=20, synonyms=("highly improbable",)),
        Band(term="unlikely", low=20, high=45, synonyms=("improbable", "improbably")),
        Band(term="roughly even chance", low=45, high=55, synonyms=("roughly even odds",)),
        Band(term="likely", low=55, high=80, synonyms=("probable", "probably")),
        Band(term="very likely", low=80, high=95, synonyms=("highly probable",)),
        Band(term="almost certain", low=95, high=99, synonyms=("almost certainly", "nearly certain")),
    ),
    note="US Intelligence Community Directive 203, Analytic Standards (2015)",
)

#: The PHIA probability yardstick (2019). Its ranges leave deliberate gaps (20–25 %, 35–40 % ...)
#: so that a judgement is not read as more precise than it is.
PHIA = Yardstick(
    id="phia",
    name="PHIA",
    bands=(
        Band(term="remote chance", low=0, high=5),
        Band(term="highly unlikely", low=10, high=20),
        Band(term="unlikely", low=25, high=35),
        Band(term="realistic possibility", low=40, high=50),
        Band(term="likely or probably", low=55, high=75, synonyms=("likely", "probably", "probable", "likely or probable")),
        Band(term="highly likely", low=80, high=90),
        Band(term="almost certain", low=95, high=100),
    ),
    note="UK Professional Head of Intelligence Assessment probability yardstick (2019)",
)

YARDSTICKS: dict[str, Yardstick] = {y.id: y for y in (ICD_203, PHIA)}
DEFAULT_YARDSTICK = ICD_203.id

CONFIDENCES: tuple[str, ...] = ("low", "moderate", "high")

# --------------------------------------------------------------------------- hedges

#: Words and phrases that hedge without saying how likely: a judgement's likelihood
#: term should carry its uncertainty instead (docs/diagnostics.md lists them).
HEDGES: tuple[str, ...] = (
    "might",
    "may",
    "could",
    "perhaps",
    "possibly",
    "maybe",
    "conceivably",
    "potentially",
    "it is possible",
    "cannot be ruled out",
    "can't be ruled out",
)
# "may" only in lower case: "May 2025" is a month.
_HEDGE = re.compile(
    r"(?<![\w'’])(?:(?i:" + "|".join(re.escape(h) for h in HEDGES if h != "may") + r")|may)(?![\w'’])"
)


def hedges_in(text: str) -> tuple[str, ...]:
    """The hedge words of :data:`HEDGES` in ``text``, lower-cased, each once, in order of appearance."""
    found: dict[str, None] = {}
    for match in _HEDGE.finditer(text.replace("\u2019", "'")):
        found.setdefault(" ".join(match.group(0).lower().split()), None)
    return tuple(found)


# --------------------------------------------------------------------------- dates

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@frozen(order=True)
class SourceDate:
    """A date as precise as it was written: a year, a month or a day."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day the date can mean (the benefit of the doubt, for currency)."""
        import calendar  # here and below: a check that reads no dates never loads it

        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def display(self) -> str:
        """``2024``, ``February 2024`` or ``1 February 2024``."""
        import calendar

        if not self.month:
            return str(self.year)
        name = calendar.month_name[self.month]
        return f"{self.day} {name} {self.year}" if self.day else f"{name} {self.year}"


def parse_source_date(value: str) -> SourceDate | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a :class:`SourceDate`; None when it is not one (or no real day)."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return SourceDate(year, month, day)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    import calendar

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stale(source: SourceDate, pack_date: dt.date, currency_months: int) -> bool:
    """Whether ``source`` is certainly older than ``currency_months`` before ``pack_date``.

    A year or month is given the benefit of the doubt: ``2024`` counts as 31
    December 2024.
    """
    return source.latest < months_before(pack_date, currency_months)


def months_between(older: SourceDate, day: dt.date) -> int:
    """Whole months from ``older`` (its earliest day) to ``day``; never negative."""
    start = older.earliest
    months = (day.year - start.year) * 12 + day.month - start.month - (day.day < start.day)
    return max(months, 0)


def age_text(months: int) -> str:
    """``"3 months"``, ``"1 year"``, ``"4 years 11 months"``."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' * (years != 1)}")
    if rest or not years:
        parts.append(f"{rest} month{'s' * (rest != 1)}")
    return " ".join(parts)
