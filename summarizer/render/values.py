"""The values every view prints the same way: casualty ranges across claims, dates at their precision,
quotes cut between words, descriptions without dateline debris."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from summarizer.schema import CasualtyClaim, Count, Event, When

Kind = Literal["killed", "injured"]
KINDS: tuple[Kind, ...] = ("killed", "injured")
_ABOVE = ("more than", "over", "upwards of", "in excess of")
_PLAIN_QUALIFIERS = {"at least", "no fewer than", "a minimum of", "up to", "range", *_ABOVE}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


# ---------------------------------------------------------------- casualties and dates, one view for all


@dataclass(frozen=True)
class CasualtyRange:
    """One kind of casualty across all of an event's claims. `best` is the figure the scorer uses
    (`Event.figure`: the highest claim); `low`/`high` are None when some claim leaves that end open."""

    low: int | None
    best: int | None
    high: int | None
    claims: int
    qualifier: str | None = None
    """The claim's own words when a single claim gives the range ("at least", "dozens")."""

    @property
    def text(self) -> str:
        """ "16", "≥ 16", "> 85", "≤ 5", "3–19", "1–6 (best 6)"; best is named when it is not an end of a
        single claim's range."""
        if self.low is not None and self.low == self.high:
            return str(self.low)
        if self.low is None and self.high is None:
            return str(self.best)
        if self.high is None:
            shown = f"{'>' if self.qualifier in _ABOVE else '≥'} {self.low}"
        elif self.low is None:
            shown = f"≤ {self.high}"
        else:
            shown = f"{self.low}–{self.high}"
        obvious = self.claims == 1 and self.best in (self.low, self.high)
        return shown if obvious or self.best is None else f"{shown} (best {self.best})"

    def as_dict(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high, "claims": self.claims,
                "qualifier": self.qualifier, "text": self.text}  # fmt: skip


def casualty_range(event: Event, kind: Kind) -> CasualtyRange | None:
    """The range across every claim that gives a `kind` figure; None when no claim does."""
    claims = [c for c in event.casualties if (count := getattr(c, kind)) is not None and count.value is not None]
    if not claims:
        return None
    counts: list[Count] = [getattr(c, kind) for c in claims]
    # A bare `best` (no low, no high) is an exact figure; a missing end beside a given one is open.
    exact = [c.low is None and c.high is None for c in counts]
    lows = [c.best if bare else c.low for c, bare in zip(counts, exact, strict=True)]
    highs = [c.best if bare else c.high for c, bare in zip(counts, exact, strict=True)]
    figure = event.figure(kind)
    return CasualtyRange(
        low=None if None in lows else min(x for x in lows if x is not None),
        best=figure.value if figure else None,
        high=None if None in highs else max(x for x in highs if x is not None),
        claims=len(claims),
        qualifier=claims[0].qualifier if len(claims) == 1 else None,
    )


def fmt_count(count: Count | None, qualifier: str | None = None) -> str:
    """One claim's figure: "16", "≥ 16", "> 85", "≤ 5", "3–19"."""
    if count is None or count.value is None:
        return "—"
    return CasualtyRange(count.low, count.best, count.high, 1, qualifier).text


def range_text(event: Event, kind: Kind) -> str:
    found = casualty_range(event, kind)
    if found is None:
        return "—"
    return found.text + (f" across {found.claims} claims" if found.claims > 1 else "")


def fmt_date(when: When) -> str:
    """The date at its precision: `2024-02-07`, `2024-01`, `2024`, `week of 2024-02-05`."""
    if not when.date:
        return ""
    if when.precision == "month":
        return when.date[:7]
    if when.precision == "year":
        return when.date[:4]
    if when.precision == "week":
        return f"week of {when.date[:10]}"
    return when.date[:10]


def date_words(when: When) -> str:
    """The date in words at its precision: "7 February 2024", "late January 2024", "2024"."""
    try:
        day = date.fromisoformat((when.date or "")[:10])
    except ValueError:
        return ""
    if when.precision == "year":
        return str(day.year)
    if when.precision == "month":
        part = re.search(r"\b(early|mid|late|end of|beginning of)\b", when.phrase or "", re.I)
        return f"{part.group(1).lower() + ' ' if part else ''}{_MONTHS[day.month - 1]} {day.year}"
    prefix = "week of " if when.precision == "week" else ""
    return f"{prefix}{day.day} {_MONTHS[day.month - 1]} {day.year}"


def when_text(when: When, published: str | None = None) -> str:
    """What every view prints for a date, including why it is missing."""
    if not when.date:
        if not when.phrase:
            return "—"
        why = "" if published else " (no publication date to resolve it against)"
        return f"unresolved: “{when.phrase}”{why}"
    text = fmt_date(when)
    words = date_words(when)
    if when.precision not in (None, "day") and words:
        text += f" ({words})"
    if when.time:
        text += f" {when.time}"
    if when.relative:
        text += " (from a relative phrase)"
    return text


def where_text(event: Event) -> str:
    where = ", ".join(x for x in (event.where.place, event.where.admin1, event.where.country) if x) or "—"
    return where + (f" ({event.where.country_code})" if event.where.country_code else "")


# ---------------------------------------------------------------- quotes and descriptions

_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z .'’-]{1,40}(?:,[^—–\-(]{1,40})?\s*)?\((?:AP|Reuters|AFP|UPI|CNN|dpa)\)\s*[—–-]+\s*"
    r"|^\s*[A-Z][A-Z .'’-]{2,40}(?:,[^—–\-]{1,40})?\s+[—–-]+\s+"
)
_GLUED = re.compile(
    r"(?:\((?:AP|Reuters|AFP|UPI|CNN|dpa)\)\s*[—–-]"
    r"|(?:(?<=[a-z])|(?<=[|-] ))[A-Z]{3,}(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)?\s+[—–])\s+"
)
"""A dateline inside the text, glued to page chrome: "…tip jarHARTFORD, Connecticut — ", "| CLTVCHICAGO – "."""
_TAIL = re.compile(r"\s*\|\s*[\w.\- ]{1,40}\.?\s*$")


def clean_description(text: str) -> str:
    """A description without dateline debris and page chrome: "BAGHDAD (AP) — ", "ERBIL, Kurdistan Region - ",
    "headline | fox13now.", "headline | CLTVCHICAGO – the story" (the story is kept)."""
    cleaned = _DATELINE.sub("", text)
    glued = [m for m in _GLUED.finditer(cleaned) if m.start() > 0 and len(cleaned) - m.end() >= 20]
    if glued:
        cleaned = cleaned[glued[-1].end() :]
    elif " | " in cleaned:  # "headline | site": the first piece that reads like a sentence
        cleaned = next((part for part in cleaned.split(" | ") if len(part.split()) >= 4), cleaned)
    cleaned = _TAIL.sub("", cleaned).strip()
    return cleaned[:1].upper() + cleaned[1:] if cleaned else text.strip()


def crop(text: str, width: int = 140) -> str:
    """At most about `width` characters, cut between words, with "…" where something was cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > width // 2 else width].rstrip(" ,;:") + "…"


def around(quote: str, at: int, width: int = 140) -> str:
    """`quote` cropped to about `width` characters around offset `at`, cut between words, "…" at cuts."""
    if len(quote) <= width:
        return " ".join(quote.split())
    begin = max(0, min(at - width // 3, len(quote) - width))
    end = begin + width
    if begin:
        space = quote.find(" ", begin)
        begin = space + 1 if 0 <= space < at else begin
    if end < len(quote):
        space = quote.rfind(" ", at, end)
        end = space if space > at else end
    body = " ".join(quote[begin:end].split()).rstrip(" ,;:")
    return ("…" if begin else "") + body + ("…" if end < len(quote) else "")


def claim_quote(claim: CasualtyClaim, width: int = 140) -> str:
    """The claim's sentence, cropped around the figure so the number is always shown."""
    if not claim.evidence:
        return ""
    sentence = claim.evidence[0]
    at = claim.evidence[1].start - sentence.start if len(claim.evidence) > 1 else 0
    return around(sentence.quote, max(0, at), width)


def claim_text(claim: CasualtyClaim) -> str:
    """One claim: "killed ≥ 16 · injured 36 · per A PMF commander"."""
    parts = [f"{k} {fmt_count(getattr(claim, k), claim.qualifier)}" for k in KINDS if getattr(claim, k)]
    if claim.qualifier and claim.qualifier not in _PLAIN_QUALIFIERS:
        parts.append(f"“{claim.qualifier}”")
    parts.append(f"per {claim.source}" if claim.source else "source not named")
    return " · ".join(parts)
