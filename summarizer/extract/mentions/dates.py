"""Date mentions: phrases that date an incident ("on Wednesday", "Jan. 5", "3 JAN 90", "last night"),
words that put an incident before the story's own ("last October", "since January", "a year ago"), and
the publication date a story states at its top (a dateline or an "Updated ..." line)."""

from __future__ import annotations

import re
from datetime import datetime

from summarizer.extract.mentions.base import Mention, MentionKind
from summarizer.extract.normalize import extract_time, parse_date_words, resolve_date

MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_FULL_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
DATE_PHRASE = re.compile(
    r"\b(?:(?:late|early|earlier|on|last)\s+)*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"(?:\s+(?:morning|afternoon|evening|night))?(?:,?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2})?|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
    r"|may\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+(?:19|20)?\d\d)?|yesterday|last night|tonight|this (?:morning|afternoon|evening)|"
    r"(?:late |early |earlier )?(?:last|this) (?:month|week))\b",
    re.I,
)
BACKGROUND = re.compile(
    r"\b(?:(?:late |early |earlier )?last (?:month|year)|(?:earlier|early|late) this (?:month|year)|"
    r"(?:in|since|during) (?:the (?:summer|spring|fall|autumn|winter) of |(?:early |late )?)(?:19|20)\d\d\b|"
    r"(?:\w+ )?(?:weeks|months|years) (?:ago|earlier|before)|in a (?:separate|similar|previous|prior|"
    r"an unrelated) (?:incident|attack|shooting|case)|previous (?:attack|incident|shooting)|"
    rf"(?:late |early )?last {_FULL_MONTH}|since (?:early |late )?{_FULL_MONTH}|"
    rf"(?:in|during) (?:early |late )?{_FULL_MONTH}(?!\s+\d))\b",
    re.I,
)
"""Words that place a sentence in another, earlier incident: its figures must not join the main one."""
_CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?\s*$", re.I)
PUBLISHED_LINE = re.compile(
    rf"(?:Updated|Published|Posted|Last updated)[^\n]{{0,30}}?({MONTH} \d{{1,2}},? \d{{4}}|\d{{4}}-\d\d-\d\d|"
    r"\d{1,2}/\d{1,2}/\d{4})",
    re.I,
)
DATELINES = (
    # "SAN SALVADOR, 3 JAN 90 -- [REPORT]" (MUC wire), "LONDON, 12 March 2019 —"
    re.compile(
        rf"^[ \t]*[A-Z][\w .'-]{{1,40}},\s+(\d{{1,2}} {MONTH} (?:\d\d|\d{{4}}))\b[^\n]{{0,40}}?(?:--|—|–)", re.I | re.M
    ),
    # "GENEVA, May 18, 2021 —", "Monday, December 15, 2014", "Dec. 15, 2014 (AP) —" near the top
    re.compile(rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?({MONTH}\s+\d{{1,2}},\s+\d{{4}})", re.I),
)


def find(text: str, published: datetime | None = None) -> list[Mention]:
    """Date phrases and background words in `text`, in order; `value` is the resolved ISO date when
    `published` lets it be resolved; background words carry the tag "background"."""
    found = [_mention(m, "", published) for m in DATE_PHRASE.finditer(text)]
    found += [_mention(m, "background", published) for m in BACKGROUND.finditer(text)]
    return sorted(found, key=lambda d: (d.start, -d.end))


def _mention(m: re.Match[str], tag: str, published: datetime | None) -> Mention:
    resolved = resolve_date(m.group(), published) if published else None
    return Mention(
        MentionKind.DATE,
        m.start(),
        m.end(),
        m.group(),
        value=resolved.date or "" if resolved else "",
        tags=frozenset((tag,)) if tag else frozenset(),
    )


def date_phrase(sentence: str) -> str | None:
    """The first date phrase of a sentence, with a clock time before it ("5 p.m. Friday") kept."""
    m = DATE_PHRASE.search(sentence)
    if not m:
        return None
    clock = _CLOCK.search(sentence[: m.start()])
    return sentence[clock.start() : m.end()] if clock else m.group()


def background(sentence: str) -> str | None:
    """The words that put a sentence's incident before the story's own, or None."""
    m = BACKGROUND.search(sentence)
    return m.group() if m else None


def published_match(text: str) -> re.Match[str] | None:
    """The publication-date line or dateline at the top of `text`; group 1 is the date."""
    head = text[:400]
    for pattern in (PUBLISHED_LINE, *DATELINES):
        m = pattern.search(head if pattern is not PUBLISHED_LINE else text)
        if m and parse_date_words(m.group(1)) is not None:
            return m
    return None


def find_published(text: str) -> tuple[str, str] | None:
    """A publication date stated in the text ("Updated at 12:45 am on February 8, 2024", a dateline
    "SAN SALVADOR, 3 JAN 90 --" or "Monday, December 15, 2014" at the top): (iso, quote)."""
    m = published_match(text)
    parsed = parse_date_words(m.group(1)) if m else None
    if m is None or parsed is None:
        return None
    clock = extract_time(m.group(0))
    if clock:
        hour, minute = (int(x) for x in clock.split(":"))
        return parsed.replace(hour=hour, minute=minute).isoformat(timespec="minutes"), m.group(0)
    return parsed.date().isoformat(), m.group(0)


def blank_dateline(text: str) -> str:
    """The text with its publication-date line blanked (same length): that date is not the event's."""
    found = published_match(text)
    if found is None:
        return text
    return text[: found.start()] + " " * (found.end() - found.start()) + text[found.end() :]
