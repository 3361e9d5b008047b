"""The one place a time for outputs comes from: ``SOURCE_DATE_EPOCH``, never the wall clock.

`SOURCE_DATE_EPOCH <https://reproducible-builds.org/specs/source-date-epoch/>`_
is a whole number of seconds since 1970-01-01 UTC. argbrief dates packs that
have no ``date`` of their own with it, and stamps it into PDF diagrams. A value
that is not such a number — ``abc``, ``-1``, ``1.5``, or a time after the year
9999 that no date type can hold — is refused the same way by every command (a
:class:`~argbrief.errors.ConfigError`, exit 1), instead of being ignored by
one and crashing another.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import ConfigError

#: 9999-12-31T23:59:59Z, the last second a date can name.
MAX_EPOCH = 253_402_300_799
_DIGITS = re.compile(r"[0-9]+")


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds, None when it is unset or empty; ConfigError when it is not a usable time."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if not _DIGITS.fullmatch(value) or int(value) > MAX_EPOCH:
        shown = value if len(value) <= 30 else value[:27] + "..."
        raise ConfigError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC "
            f"(0 to {MAX_EPOCH}, the end of the year 9999), not {shown!r}"
        )
    return int(value)


def source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time, None when unset."""
    epoch = source_date_epoch()
    return None if epoch is None else dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
