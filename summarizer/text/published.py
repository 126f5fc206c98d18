"""The publication date: the one reader of a `published` value, in every shape feeds carry.

    "2024-02-08", "2024-02-08T10:00Z", "2024-02-08T10:00:00+02:00"   ISO 8601 (datetime.fromisoformat)
    "Thu, 08 Feb 2024 10:00:00 GMT"                                  RFC 2822, RSS (email.utils)
    "20240208100000"                                                 GDELT's 14-digit stamps (UTC)
    "February 8, 2024", "8 Feb 2024 10:00"                           written out (dateutil)

The value resolves to the calendar date and clock time *in the offset it carries* (Z and GMT are UTC):
"2024-02-08T23:30-05:00" is 8 February, as its reader saw it, though it is already the 9th in UTC. The
moment is returned naive (that wall clock, offset dropped) so nothing downstream ever compares naive
with aware datetimes; the ISO string keeps the offset for the record.

Refused (None), so a caller can warn instead of guessing: relative words ("yesterday"), partial dates
("2015", "February 2024", "Wednesday"), and all-numeric forms whose day and month order is unknown
("12/11/2015").
"""

from __future__ import annotations

import email.utils
import warnings
from datetime import UTC, date, datetime, time
from typing import NamedTuple

import dateutil.parser

_GDELT_LAYOUT = "%Y%m%d%H%M%S"
# Two defaults that differ in every field: a part the value leaves out shows up as a difference.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2001, 2, 2, 1, 1, 1)
FORMATS_HINT = "ISO 8601 (2024-02-08, 2024-02-08T10:00Z), RFC 2822, GDELT 20240208100000 or 'February 8, 2024'"


class Published(NamedTuple):
    """A publication date read from a value."""

    moment: datetime
    """The wall-clock date and time in the value's own offset, naive; midnight for a bare date."""
    iso: str
    """ISO 8601: the date alone for a bare date, else date and time with the offset the value carried."""


def read_published(value: str | None) -> Published | None:
    """The publication date in `value`, or None when it holds no full, unambiguous date."""
    text = " ".join((value or "").split())
    if not text:
        return None
    for reader in (_gdelt, _iso, _rfc2822, _written):
        found = reader(text)
        if found is not None:
            return found
    return None


def _result(moment: datetime, timed: bool = True) -> Published:
    if not timed:
        return Published(moment.replace(tzinfo=None), moment.date().isoformat())
    spec = "minutes" if not (moment.second or moment.microsecond) else "seconds"
    return Published(moment.replace(tzinfo=None), moment.isoformat(timespec=spec))


def _gdelt(text: str) -> Published | None:
    if not (text.isdigit() and len(text) == 14):
        return None
    try:
        return _result(datetime.strptime(text, _GDELT_LAYOUT).replace(tzinfo=UTC))  # GDELT stamps are UTC
    except ValueError:
        return None


def _iso(text: str) -> Published | None:
    try:
        return _result(datetime.combine(date.fromisoformat(text), time()), timed=False)
    except ValueError:
        pass
    try:
        return _result(datetime.fromisoformat(text))
    except ValueError:
        return None


def _rfc2822(text: str) -> Published | None:
    try:
        return _result(email.utils.parsedate_to_datetime(text))
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def _written(text: str) -> Published | None:
    if not any(ch.isalpha() for ch in text):
        return None  # "12/11/2015": day and month order unknown
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unknown zone name ("EST") stays the wall clock as written
            a = dateutil.parser.parse(text, default=_DEFAULT_A)
            b = dateutil.parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError, TypeError):
        return None
    if not (isinstance(a, datetime) and isinstance(b, datetime)) or a.date() != b.date():
        return None  # a year, month or day left out
    return _result(a, timed=(a.hour, a.minute) == (b.hour, b.minute))
