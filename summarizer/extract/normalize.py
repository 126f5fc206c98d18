"""Deterministic normalizers: casualty numbers, dates against the publication date, countries.

Casualty rules, in the spirit of the conflict-data codebooks (UCDP keeps low/best/high; ACLED prefers
the most conservative figure and codes vague words as fixed numbers):

| words                                   | low | best | high |
|-----------------------------------------|-----|------|------|
| "three", "16", "a man"                  | n   | n    | n    |
| "at least 16", "more than 85", "over 5" | n   | n    | —    |
| "up to 10", "as many as 10"             | —   | n    | n    |
| "10 to 12", "between 10 and 12", "10-12"| 10  | 10   | 12   |
| "several", "many", "scores of"          | 10  | 10   | —    |  (ACLED: vague plural = 10)
| "dozens"                                | 12  | 12   | —    |  (ACLED: dozens = 12)
| "hundreds"                              | 100 | 100  | —    |  (ACLED: hundreds = 100)
| "no one", "nobody", "none"              | 0   | 0    | 0    |

"more than 85" keeps 85 as its best figure rather than 86: the conservative reading, and the number the
reader sees in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import dateparser
import pycountry

from summarizer.extract import data
from summarizer.schema import Count, DatePrecision
from summarizer.text.published import read_published

_NUMBERS = data.rows("number_words")
UNITS, TENS, SCALES, VAGUE = (
    {w: int(v) for w, v, k in _NUMBERS if k == kind} for kind in ("unit", "tens", "scale", "vague")
)
AT_LEAST = ("at least", "more than", "over", "no fewer than", "upwards of", "in excess of", "a minimum of")
UP_TO = ("up to", "as many as", "nearly", "almost", "fewer than", "less than", "under")
ONE_DEAD = (
    r"(?:fatal(?:ly)? (?:shooting|stabbing|shot|stabbed|wounded)|deadly (?:shooting|stabbing)|"
    r"(?:shooting|stabbing) death|pronounced dead|shot and killed|(?:first|second)-degree murder|murder charges?|"
    r"charged with murder|(?:was|has been|had been) (?:\w+ )?(?:killed|murdered|assassinated|found dead|slain|"
    r"shot to death)|died)"
)
"""Words that report one death without a number ("the fatal shooting of", "was pronounced dead")."""
SINGLE_PERSON = re.compile(
    rf"^(?:he|she|himself|herself|man|woman|teen|teenager|boy|girl|child|person|officer|driver|motorist|{ONE_DEAD}|"
    r"the (?:victim|man|woman|boy|girl|teen|teenager|child|toddler|baby|person|officer|driver))\b"
)
NONE_WORDS = ("no one", "nobody", "none", "no casualties", "no deaths", "no injuries")

NUMBER_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES, *VAGUE, "half"], key=len, reverse=True))
NUMBER_RE = re.compile(
    rf"\d[\d,]*(?:\.\d+)?(?:\s+(?:hundred|thousand|million|billion)\b)?|\b(?:{NUMBER_WORD})(?:[\s-]+(?:{NUMBER_WORD}|and))*\b",
    re.I,
)


@dataclass(frozen=True)
class ParsedCount:
    count: Count
    qualifier: str | None


def words_to_int(words: str) -> int | None:
    """'twenty-five' → 25, 'a dozen' → 12, 'half a dozen' → 6, '2,500' → 2500; None if not a number."""
    text = words.lower().replace(",", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return int(float(text))
    scaled = re.fullmatch(r"(\d+(?:\.\d+)?)\s+(hundred|thousand|million|billion)", text)
    if scaled:  # "9.1 million" → 9100000
        return round(float(scaled.group(1)) * (SCALES.get(scaled.group(2)) or 10**9))
    if "half a dozen" in text:
        return 6
    total, current, seen = 0, 0, False
    for token in re.split(r"[\s-]+", text):
        if token in {"and", "a", "an"} and seen:
            continue
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token in SCALES:
            current = max(current, 1) * SCALES[token]
            if SCALES[token] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_count(phrase: str | None) -> ParsedCount | None:
    """A casualty phrase ("at least 16 fighters", "dozens", "three people") as a low/best/high range."""
    if not phrase or not phrase.strip():
        return None
    text = " ".join(re.sub(r"\b\d+-year-old\s*", "", phrase.lower()).split())  # an age is not a count
    if any(re.search(rf"\b{w}\b", text) for w in NONE_WORDS):
        return ParsedCount(Count(low=0, best=0, high=0), None)
    numbers = [m for m in NUMBER_RE.finditer(text) if words_to_int(m.group()) is not None or _vague(m.group())]
    if not numbers:
        if SINGLE_PERSON.match(text):  # "Man shot, killed", "where he died": one person
            return ParsedCount(Count(low=1, best=1, high=1), None)
        return None
    first = numbers[0]
    qualifier = _qualifier(text[: first.start()])
    vague = _vague(first.group())
    if vague is not None:
        return ParsedCount(Count(low=vague, best=vague), qualifier or first.group().strip())
    value = words_to_int(first.group())
    assert value is not None
    second = numbers[1] if len(numbers) > 1 else None
    between = text[first.end() : second.start()] if second else ""
    if second and re.fullmatch(r"\s*(?:to|-|–|and|or)\s*", between):
        high = words_to_int(second.group())
        if high is not None and high >= value:
            return ParsedCount(Count(low=value, best=value, high=high), qualifier or "range")
    if qualifier in AT_LEAST:
        return ParsedCount(Count(low=value, best=value), qualifier)
    if qualifier in UP_TO:
        return ParsedCount(Count(best=value, high=value), qualifier)
    return ParsedCount(Count(low=value, best=value, high=value), qualifier)


def _vague(token: str) -> int | None:
    return VAGUE.get(token.lower().strip())


def _qualifier(prefix: str) -> str | None:
    prefix = prefix.strip()
    for phrase in (*AT_LEAST, *UP_TO, "about", "around", "approximately", "some", "roughly", "an estimated"):
        if prefix.endswith(phrase):
            return phrase
    return None


# ---------------------------------------------------------------- dates

MONTH_PHRASES = {
    "last month": -1, "late last month": -1, "earlier last month": -1, "early last month": -1,
    "this month": 0, "earlier this month": 0, "early this month": 0, "late this month": 0,
}  # fmt: skip
WEEK_PHRASES = {"last week": -1, "earlier this week": 0, "this week": 0}
_DAY_PARTS = r"\b(?:night|morning|afternoon|evening|overnight|tonight|midnight|noon|dawn|dusk)\b"


@dataclass(frozen=True)
class ResolvedDate:
    date: str | None
    precision: DatePrecision | None
    relative: bool
    time: str | None = None


ISO = re.compile(r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?")


def parse_published(value: str | None) -> datetime | None:
    """The publication date's wall clock in its own offset (`text.published` reads every shape), or None."""
    found = read_published(value)
    return found.moment if found else None


def parse_date_words(value: str) -> datetime | None:
    """A full date as an article writes it ("February 8, 2024", "3 JAN 90", "2024-02-08"), else None."""
    value = value.strip()
    if ISO.fullmatch(value):
        return parse_published(value)
    m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d\d)", value)
    if m:  # MUC wire datelines: two-digit years are 19xx
        value = f"{m.group(1)} {m.group(2)} 19{m.group(3)}"
    for layout in _PUBLISHED_LAYOUTS:  # the common shapes, without dateparser's first-call cost (~0.5 s)
        try:
            return datetime.strptime(value, layout)
        except ValueError:
            continue
    parsed: datetime | None = dateparser.parse(value, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed


_PUBLISHED_LAYOUTS = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y")


def resolve_date(phrase: str | None, published: datetime | None) -> ResolvedDate | None:
    """Turn a date phrase into an ISO date, relative to the publication date when it is relative.

    Returns None when the phrase holds no date; a result with `date=None` when it needs a publication
    date that is not known ("on Friday" with no `published`).
    """
    if not phrase or not phrase.strip():
        return None
    text = " ".join(phrase.lower().replace("\u2019", "'").split())
    time = extract_time(text)
    for words, months in MONTH_PHRASES.items():
        if words in text:
            if published is None:
                return ResolvedDate(None, "month", True, time)
            first = published.date().replace(day=1)
            target = (first - timedelta(days=1)).replace(day=1) if months < 0 else first
            return ResolvedDate(target.isoformat(), "month", True, time)
    for words, weeks in WEEK_PHRASES.items():
        if words in text:
            if published is None:
                return ResolvedDate(None, "week", True, time)
            monday = published.date() - timedelta(days=published.weekday() - 7 * weeks)
            return ResolvedDate(monday.isoformat(), "week", True, time)
    return _resolve_day(text, published, time)


def _resolve_day(text: str, published: datetime | None, time: str | None) -> ResolvedDate | None:
    cleaned = re.sub(_DAY_PARTS, " ", text)
    cleaned = re.sub(r"\b\d{1,2}(?::\d\d)?\s*[ap]\.?m\b\.?", " ", cleaned)  # the clock time, kept in `time`
    cleaned = re.sub(r"\b(?:on|at|late|early|last|this|the|of|in|around|about)\b", " ", cleaned)
    cleaned = " ".join(cleaned.replace(",", " ").split())
    explicit_year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text) is not None
    relative = not explicit_year and not re.search(r"\b\d{1,2}\b", cleaned) and not _has_month(cleaned)
    if re.search(r"\b(?:today|tonight|yesterday)\b", text) or (re.search(_DAY_PARTS, text) and not cleaned):
        relative = True
    if not cleaned and re.search(r"\b(?:tonight|this morning|this afternoon|this evening)\b", text):
        cleaned = "today"
    if not cleaned:
        return None
    if published is None and not explicit_year:
        return ResolvedDate(None, "day", relative, time) if _looks_like_date(cleaned) else None
    weekday = _bare_weekday(cleaned)
    if weekday is not None and published is not None:
        # News convention: "Saturday" in a Saturday paper is that day, else the most recent one before.
        back = (published.weekday() - weekday) % 7
        day = published.date() - timedelta(days=back)
        return ResolvedDate(day.isoformat(), "day", True, time)
    # End of the publication day, so "Jan. 8" in a Jan. 8 article is not pushed back a year.
    base = (published or datetime(2000, 1, 1)).replace(hour=23, minute=59, second=59)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    parsed = _month_day(cleaned, base) or _dateparse(cleaned, tuple(sorted(settings.items(), key=lambda kv: kv[0])))
    if parsed is None:
        return None
    precision: DatePrecision = "day" if re.search(r"\d|day|yesterday|today|tonight", cleaned) else "month"
    day = parsed.date()
    if precision == "month":
        day = day.replace(day=1)
    return ResolvedDate(day.isoformat(), precision, relative, time)


_MONTH_DAY = re.compile(r"^(?:([a-z]{3,9})\.? (\d{1,2})|(\d{1,2}) ([a-z]{3,9})\.?)(?: (\d{4}))?$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_day(cleaned: str, base: datetime) -> datetime | None:
    """ "today", "february 7", "7 feb 2024": the commonest shapes, read without dateparser (whose first call costs
    ~0.5 s of regex compiling). Same rule as dateparser's PREFER_DATES_FROM past: with no year, the
    latest such day not after the base."""
    if cleaned in ("today", "yesterday"):
        return base - timedelta(days=cleaned == "yesterday")
    m = _MONTH_DAY.match(cleaned)
    if not m:
        return None
    name, day, year = (m.group(1) or m.group(4)), int(m.group(2) or m.group(3)), m.group(5)
    month = next((i + 1 for i, prefix in enumerate(_MONTHS) if name.startswith(prefix)), None)
    if month is None or (name not in _FULL_MONTHS and len(name) > 4 and name != "sept"):
        return None
    try:
        found = datetime(int(year) if year else base.year, month, day)
        if not year and found > base:
            found = found.replace(year=base.year - 1)
    except ValueError:  # 30 February, or 29 February in the year before
        return None
    return found


_FULL_MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august", "september",
                          "october", "november", "december"))  # fmt: skip


@lru_cache(maxsize=4096)
def _dateparse(text: str, settings: tuple[tuple[str, object], ...]) -> datetime | None:
    try:
        parsed: datetime | None = dateparser.parse(text, languages=["en"], settings=dict(settings))
        return parsed
    except (ValueError, OverflowError, TypeError):
        return None


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _bare_weekday(text: str) -> int | None:
    return WEEKDAYS.index(text) if text in WEEKDAYS else None


def _has_month(text: str) -> bool:
    return re.search(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", text) is not None


def _looks_like_date(text: str) -> bool:
    days = r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\byesterday\b|\btoday\b"
    return re.search(days, text) is not None or _has_month(text)


def extract_time(text: str) -> str | None:
    """'9:30 p.m.' → '21:30'; '12:55 AM' → '00:55'; None when no clock time is given."""
    m = re.search(r"\b(\d{1,2})(?::(\d\d))?\s*([ap])\.?\s?m\b\.?", text, re.I)
    if not m:
        return None
    hour, minute = int(m.group(1)) % 12, int(m.group(2) or 0)
    if m.group(3).lower() == "p":
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


# ---------------------------------------------------------------- countries

COUNTRY_ALIASES = {alias: code for alias, code in data.rows("country_aliases")}


@lru_cache(maxsize=2048)
def country_code(name: str | None) -> str | None:
    """A country name, demonym-free alias or code → ISO 3166-1 alpha-2, or None."""
    if not name or not name.strip():
        return None
    key = " ".join(name.strip().lower().split()).removeprefix("the ")
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    try:
        found = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(found.alpha_2)


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    if not code:
        return None
    if code == "XK":
        return "Kosovo"
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return None
    return str(getattr(found, "common_name", None) or found.name)
