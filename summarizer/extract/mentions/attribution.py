"""Attribution mentions: who says so. "police said", "said police spokesman Ali", "according to the
ministry", "a doctor at the hospital told Reuters", "Zabihullah Mujahid, the Taliban spokesman, said".

`head` is the speaker as written and `head_start` its offset. "he said"/"she said" resolves to the speaker
named last before it in the same paragraph (`value` then holds the pronoun); "We have confirmed" and other
first-person words are no speaker at all."""

from __future__ import annotations

import re

from summarizer.extract.mentions.base import Mention, MentionKind

_VERB = r"(?:said|says|told|reported|confirmed|stated|added|announced|explained|reports|tells)"
SPEAKER_BEFORE = re.compile(rf"(?<![\w-]){_VERB}\b")
SAID_BY = re.compile(
    r"\b(?:said|says|added|told reporters|told Reuters|told AFP|told AP)\s+"
    r"(?P<who>(?:an?\s+|the\s+)?(?:[A-Z][\w.'’-]*|police|officials?|authorities|witnesses|residents|doctors?|"
    r"spokes(?:man|woman|person))(?:\s+(?:[A-Z][\w.'’-]*|of|for|the|police|spokes(?:man|woman|person)|official|"
    r"officer|chief|commander|minister|ministry|governor|director|doctor|witness|resident)){0,6})"
)
ACCORDING_TO = re.compile(r"\baccording to\s+(?P<who>[^,.;:\"“”()]{2,80}?)(?=\s*(?:[,.;:\"“”()]|$|\s+(?:on|in)\s))")
_BOUNDARY = re.compile(r"[,;:\"“”—–]|\s[-–—]\s|\b(?:and|but|that|when|while|as|after|because|so)\s|\n|^|(?<=[.!?])\s")
PRONOUNS = frozenset(("he", "she"))
FIRST_PERSON = frozenset(("i", "we", "you", "they", "it", "this", "that", "there", "which", "who"))
MAX_WORDS = 10
_WHEN_AFTER = re.compile(
    r"(?:\s+(?:on|late|early|earlier|later)?\s*(?:\w+day|\w+ night|yesterday|today|tonight)|\s+(?:also|later|then))+$",
    re.I,
)
"""A time or adverb between speaker and verb ("CENTCOM on Wednesday said") is not the speaker's name."""


def find(text: str) -> list[Mention]:
    """Every attribution in `text`, in order; "he said" resolved within its paragraph."""
    found: list[Mention] = []
    for m in SPEAKER_BEFORE.finditer(text):
        speaker = _speaker_before(text, m.start())
        if speaker is not None:
            found.append(_mention(text, speaker[0], speaker[1], m.end()))
    for pattern in (SAID_BY, ACCORDING_TO):
        for m in pattern.finditer(text):
            who = m.group("who").strip().rstrip(".,")
            start = m.start("who")
            if who.split()[0].lower() not in FIRST_PERSON | PRONOUNS and not _inside(found, start):
                found.append(_mention(text, start, start + len(who), start + len(who), m.start()))
    found.sort(key=lambda a: a.start)
    return _resolve_pronouns(text, found)


def _mention(text: str, start: int, end: int, verb_end: int, span_start: int | None = None) -> Mention:
    first = min(start, span_start if span_start is not None else start)
    last = max(end, verb_end)
    return Mention(MentionKind.ATTRIBUTION, first, last, text[first:last], text[start:end], start)


def _inside(found: list[Mention], offset: int) -> bool:
    return any(a.start <= offset < a.end for a in found)


def _speaker_before(text: str, verb: int) -> tuple[int, int] | None:
    """(start, end) of the noun phrase right before a speech verb, or None."""
    window_start = max(0, verb - 160)
    window = text[window_start:verb]
    bare = window.rstrip()
    if bare.endswith(","):
        return _appositive(text, window_start, bare[:-1])
    cut = _last_boundary(bare)
    phrase = bare[cut:]
    lead = len(phrase) - len(phrase.lstrip())
    return _checked(text, window_start + cut + lead, window_start + len(bare))


def _appositive(text: str, offset: int, before: str) -> tuple[int, int] | None:
    """ "Zabihullah Mujahid, the Taliban spokesman, said": the name when one stands before the
    appositive, else the appositive ("..., the Taliban spokesman, said")."""
    cut = _last_boundary(before)
    if cut == 0 or before[cut - 1 : cut] != ",":
        return None
    appositive_start = cut + len(before[cut:]) - len(before[cut:].lstrip())
    name_part = before[: cut - 1]
    name = re.search(r"(?:[A-Z][\w.'’-]+\s+){0,3}[A-Z][\w.'’-]+$", name_part)
    if name and _last_boundary(name_part) <= name.start():
        return _checked(text, offset + name.start(), offset + name.end())
    return _checked(text, offset + appositive_start, offset + len(before))


def _last_boundary(window: str) -> int:
    ends = [m.end() for m in _BOUNDARY.finditer(window)]
    return ends[-1] if ends else 0


def _checked(text: str, start: int, end: int) -> tuple[int, int] | None:
    phrase = _WHEN_AFTER.sub("", text[start:end].strip())
    words = phrase.split()
    if not words or len(words) > MAX_WORDS or any(c.isdigit() for c in phrase):
        return None
    if words[0].lower() in FIRST_PERSON:
        return None
    return start, start + len(phrase)


def _resolve_pronouns(text: str, found: list[Mention]) -> list[Mention]:
    """ "he said" → the speaker named last before it in its paragraph; unresolved pronouns are dropped."""
    resolved: list[Mention] = []
    for a in found:
        if a.head.lower() not in PRONOUNS:
            resolved.append(a)
            continue
        paragraph = text.rfind("\n", 0, a.start)
        earlier = [r for r in resolved if r.start > paragraph and r.head.lower() not in PRONOUNS]
        if earlier:
            named = earlier[-1]
            resolved.append(Mention(a.kind, a.start, a.end, a.text, named.head, named.head_start, value=a.head))
    return resolved
