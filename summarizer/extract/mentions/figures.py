"""Figure mentions: number phrases with their head noun ("at least 12 people", "21 bodies", "a deputy",
"dozens", "THREE PEASANTS"), read as a low/best/high range by the normalize table.

A bare number counts only where it can be a casualty figure: ages (", 35,"), years, clock times, dates,
sums, percentages and measures are left out. "a"/"one"/"both" count only before a head noun ("a deputy").
Which figure is a death toll and which the injured is not decided here (`extract/roles/figures.py`)."""

from __future__ import annotations

import re

from summarizer.extract import data
from summarizer.extract.mentions.base import Mention, MentionKind
from summarizer.extract.normalize import AT_LEAST, NUMBER_WORD, UP_TO, parse_count

HEAD_CLASS: dict[str, str] = {noun: kind for noun, kind in data.rows("figure_heads")}
"""Head noun (lower case) → its class: "person" or "body"."""
NEEDS_HEAD = frozenset(("a", "an", "one", "single", "lone", "both", "pair", "couple", "twin", "no"))
"""Number words that are a figure only with a head noun: "a deputy", never a bare "a"."""

_QUALIFIERS = (*AT_LEAST, *UP_TO, "about", "around", "approximately", "some", "roughly", "an estimated", "another")
_QUAL = "|".join(r"\s+".join(q.split()) for q in sorted(_QUALIFIERS, key=len, reverse=True))
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{NUMBER_WORD})(?:[\s-]+(?:{NUMBER_WORD}))*)"
_HEADS = "|".join(r"\s+".join(re.escape(w) for w in h.split()) for h in sorted(HEAD_CLASS, key=len, reverse=True))
_GAP_STOP = (
    rf"(?:{NUMBER_WORD}|\d[\d,]*|and|or|but|were|was|is|are|be|been|have|has|had|in|on|at|by|with|who|that|which|"
    r"when|after|as|killed|killing|dead|died|wounded|wounding|injured|injuring|said|says|told)"
)
_GAP = rf"(?:\s+(?!(?:{_GAP_STOP}|{_HEADS})\b)(?:of|[\w().'’-]+)){{0,5}}?"
_NOT_AFTER = (
    r"(?!\d|,\d|\s*(?:-|\s)?(?:years?|yrs?)\b|\s*-year|\s*(?:percent|per cent|%|times|a\.m\.|p\.m\.|am\b|pm\b|:\d)"
    r"|\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|\s*(?:km|kilomet(?:er|re)s?|miles?|meters?|metres?|feet|foot|hours?|minutes?|seconds?|days?|weeks?|months?"
    r"|dollars|pounds|euros|rounds|shots|targets|houses|homes|vehicles|cars|buildings)\b)"
)
FIGURE = re.compile(
    rf"(?<![\w$£€.,-])(?:(?P<qual>{_QUAL})\s+)?(?P<num>{_NUM}){_NOT_AFTER}(?:(?P<gap>{_GAP})\s+(?P<head>{_HEADS})\b)?",
    re.I,
)
_DATE_BEFORE = re.compile(
    r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|\bno\.|\bnumber|\bpage|\bage|\baged"
    r"|\broute|\bhighway|\bchapter|\barticle|\bpoint)\s*$",
    re.I,
)
_AGE = re.compile(r",\s*$")


def find(text: str) -> list[Mention]:
    """Every figure mention in `text`, in order, with its head noun and range."""
    found: list[Mention] = []
    for m in FIGURE.finditer(text):
        figure = _figure(text, m)
        if figure is not None:
            found.append(figure)
    return found


def _figure(text: str, m: re.Match[str]) -> Mention | None:
    num = " ".join(m.group("num").lower().split())
    head = m.group("head")
    if head is None and (num.split()[0] in NEEDS_HEAD or _not_a_count(text, m)):
        return None
    counted = parse_count(m.group(0))
    if counted is None:
        return None
    count = counted.count
    return Mention(
        kind=MentionKind.FIGURE,
        start=m.start(),
        end=m.end(),
        text=m.group(0),
        head=head or "",
        head_start=m.start("head") if head else -1,
        low=count.low,
        best=count.best,
        high=count.high,
        value=HEAD_CLASS.get(" ".join(head.lower().split()), "") if head else "",
    )


def _not_a_count(text: str, m: re.Match[str]) -> bool:
    """A bare number that is an age (", 35,"), a year, or follows a month or "No."."""
    before, after = text[max(0, m.start() - 12) : m.start()], text[m.end() : m.end() + 2]
    digits = m.group("num").replace(",", "")
    if digits.isdigit() and len(digits) == 4 and digits[:2] in ("19", "20"):
        return True
    if _AGE.search(before) and after.startswith(",") and digits.isdigit():
        return True
    return _DATE_BEFORE.search(before) is not None
