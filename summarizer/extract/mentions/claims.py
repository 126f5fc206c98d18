"""Claims of responsibility: who says they did it ("al Shabaab claimed responsibility", "THE FMLN HAS
CLAIMED RESPONSIBILITY FOR", "responsibility was claimed by the ELN").

Each claim is a `Mention` over the claiming words, with the claimant as `head` (and `head_start`).
Active claims take the noun phrase before the verb, back to the clause's start ("A LEFTIST GROUP, WHICH
CLAIMED ..." gives "A LEFTIST GROUP"); passive ones the words after "by". Denials are no claims: "no
group has claimed responsibility", "nobody had claimed credit".
"""

from __future__ import annotations

import re

from summarizer.extract.mentions.base import Mention, MentionKind

_WHAT = r"(?:responsibility|credit|authorship)"
ACTIVE = re.compile(
    rf"\b(?:has|have|had|later|quickly|swiftly|also|immediately|reportedly|\s)*"
    rf"(?:(?:claimed|claims|claim|accepted|accepts|took|takes|assumed|admitted|acknowledged)\s+{_WHAT}|"
    r"(?:claimed|claims)\s+(?:the|this|that|both|a|an)\s+(?:\w+\s+){0,2}?(?:attacks?|bombings?|blasts?|killings?|"
    r"assault|ambush|kidnapping|abduction|assassination|explosion|massacre|raid)s?)\b",
    re.I,
)
PASSIVE = re.compile(
    rf"\b(?:{_WHAT}\s+(?:for\s+[^.;:]{{0,100}}?\s+)?(?:was|has been|had been|is|were)\s+(?:\w+\s+)?claimed\s+by|"
    rf"claims?\s+of\s+{_WHAT}\s+(?:\w+\s+){{0,6}}?(?:by|from))\s+",
    re.I,
)
BOUNDARY = re.compile(
    r"(?:(?<!\b[A-Za-z])\.|[;:!?\"“”(\[\]]|--|—|\n\s*\n|,|\bthat\b|\band\b|\bbut\b|\bsaid\b|\bsays\b)", re.I
)
"""Where the claimant's phrase begins: a sentence end (not "U.S."), punctuation, or a clause word."""
RELATIVE = re.compile(r"^\s*(?:which|who|that)\b", re.I)
TIME = re.compile(
    r"\s+(?:on\s+\d{1,2}\s+\w+|on\s+\w+day|today|yesterday|tonight|last\s+\w+|this\s+\w+|later|quickly|"
    r"immediately|also|reportedly|swiftly|subsequently|already|since|then|now)$",
    re.I,
)
LEAD = re.compile(r"^(?:the|a|an|and|but|while|as|yet|so|later|meanwhile|however|reportedly)\s+", re.I)
DENIAL = re.compile(r"^(?:no|nobody|none|no one|not|neither)\b|\b(?:not|never|yet to)\b", re.I)
CLAUSE = re.compile(r"\b(?:for|on|against|at|in|to|after|if|whether|when)\b", re.I)
"""A claimant phrase with one of these words is a clause, not a name ("AN ATTACK ON A CONVOY")."""
PASSIVE_END = re.compile(
    r"[.;:,!?\"“”()\[\]\n]|--|\s(?:for|in|on|at|which|who|that|after|when|through|via|and|saying)\b", re.I
)
PRONOUNS = frozenset({"it", "they", "he", "she", "we", "who", "which", "group", "someone", "anyone"})
MAX_WORDS = 10


def find(text: str) -> list[Mention]:
    """Every claim of responsibility, in order of the text."""
    found = [c for m in ACTIVE.finditer(text) if (c := _active(text, m)) is not None]
    found += [c for m in PASSIVE.finditer(text) if (c := _passive(text, m)) is not None]
    # one claim per claimant: the first and shortest
    unique = {c.head_start: c for c in sorted(found, key=lambda c: (-c.start, c.start - c.end))}
    return sorted(unique.values(), key=lambda c: c.start)


def _active(text: str, verb: re.Match[str]) -> Mention | None:
    start = max(0, verb.start() - 200)
    before = text[start : verb.start()]
    cut = [0] + [m.end() for m in BOUNDARY.finditer(before)]
    phrase_start = start + cut[-1]
    if RELATIVE.match(text[phrase_start : verb.start()]) and len(cut) >= 2:
        # "THE CINCHONERO ... MOVEMENT, WHICH ON 25 JANUARY CLAIMED": the phrase before the comma
        phrase_start, phrase_end = start + cut[-2], start + cut[-1] - 1
    else:
        phrase_end = verb.start()
    return _claim(text, phrase_start, phrase_end, verb.start(), verb.end())


def _passive(text: str, by: re.Match[str]) -> Mention | None:
    stop = PASSIVE_END.search(text, by.end(), by.end() + 160)
    end = stop.start() if stop else min(len(text), by.end() + 160)
    return _claim(text, by.end(), end, by.start(), end)


def _claim(text: str, start: int, end: int, span_start: int, span_end: int) -> Mention | None:
    """The claim over `span_start:span_end` when `start:end` holds a claimant that is not a denial."""
    phrase = text[start:end]
    while True:
        trimmed = TIME.sub("", phrase.rstrip())
        if trimmed == phrase.rstrip():
            break
        phrase = trimmed
    phrase = phrase.rstrip()
    lead = LEAD.match(phrase.lstrip())
    offset = start + (len(phrase) - len(phrase.lstrip())) + (lead.end() if lead else 0)
    claimant = text[offset : start + len(phrase)].strip()
    if not claimant or not claimant[0].isalnum() or len(claimant.split()) > MAX_WORDS:
        return None
    if DENIAL.search(claimant) or CLAUSE.search(claimant) or claimant.lower() in PRONOUNS:
        return None
    lo, hi = min(offset, span_start), max(span_end, offset + len(claimant))
    return Mention(MentionKind.CLAIM, lo, hi, text[lo:hi], head=claimant, head_start=offset)
