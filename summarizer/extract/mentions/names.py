"""Person, group and organization names: capitalized runs and the known armed groups.

A name is a run of capitalized words ("Wisam Mohammed Saber", "Kurdish-led Syrian Democratic Forces",
"al Shabaab"), joined by the small words names contain ("of", "de", "al"). Leading titles and sentence
words ("Police Capt.", "The", "On") are left out of it. Its kind comes from its words
(`data/name_words.tsv`): "Liberation Front" is a group, "Interior Ministry" an organization, two or more
plain words a person. One-word groups and acronyms that a capital letter cannot tell apart ("FMLN",
"Taliban") come from `data/armed_groups.tsv`. All-caps wire copy is read softened (`case.readable`), so
"HECTOR OQUELI" is a person and "THE ARMY" is not a name. Places are the place detector's job: a run the
gazetteer knows as a whole is left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.extract import data
from summarizer.extract.gazetteer import lookup
from summarizer.extract.mentions.base import Mention, MentionKind
from summarizer.extract.mentions.case import readable

CAP = r"(?:[A-Z][\w'’.-]*|(?:al|el|bin|ibn)-[A-Z][\w'’-]*)"
LINK = r"(?:of|the|de|del|la|las|los|el|al|bin|ibn|y|for|du|van|von|da|dos)"
GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
RUN = re.compile(rf"(?<![\w'’-])(?:(?:al|el)[ -](?=[A-Z]))?{CAP}(?:{GAP}(?:{LINK}{GAP})*{CAP})*")
LINK_WORDS = frozenset(re.findall(r"\w+", LINK))
ACRONYM = re.compile(r"^[A-Z]{2,6}$")
PERSON, GROUP, ORGANIZATION = "person", "group", "organization"
MAX_WORDS = 8


def _lexicon() -> tuple[dict[str, str], re.Pattern[str], dict[str, str]]:
    words = {w.lower(): kind for w, kind in data.rows("name_words")}
    groups = {" ".join(n.lower().split()): kind for n, kind in data.rows("armed_groups")}
    ordered = sorted(groups, key=lambda n: (-len(n), n))
    alternatives = "|".join(r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", n)) for n in ordered)
    return words, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I), groups


lexicon = data.once(_lexicon)


def find(text: str) -> list[Mention]:
    """Every name in the text, in order, none overlapping (the longer of two overlapping spans wins)."""
    words, known, groups = lexicon()
    found = [
        Mention(MentionKind.NAME, m.start(), m.end(), m.group(), head=groups[_fold(m.group())])
        for m in known.finditer(text)
    ]
    soft = readable(text)
    for m in RUN.finditer(soft):
        mention = _name(text, soft, m.start(), m.end(), words)
        if mention is not None:
            found.append(mention)
    return _without_overlaps(found)


def _fold(name: str) -> str:
    return " ".join(re.split(r"[\s-]+", name.lower()))


def _tokens(span: str) -> list[str]:
    return [w.strip(".,'’").lower() for w in span.split()]


def _name(text: str, soft: str, start: int, end: int, words: dict[str, str]) -> Mention | None:
    """The name in one capitalized run, without leading titles and sentence words, or None."""
    pieces = [(m.start(), m.end(), _tokens(m.group())[0]) for m in re.finditer(r"\S+", soft[start:end])]
    titles = [i for i, p in enumerate(pieces) if words.get(p[2]) == "title"]
    if titles and titles[-1] + 1 < len(pieces):
        rest = pieces[titles[-1] + 1 :]
        if not {words.get(p[2]) for p in rest} & {GROUP, ORGANIZATION}:
            pieces = rest  # "Police Capt. John Smith": the person, not the police
    titled = bool(titles)
    while pieces and (words.get(pieces[0][2]) in ("stop", "title") or pieces[0][2] in LINK_WORDS):
        pieces.pop(0)
    while pieces and (pieces[-1][2] in LINK_WORDS or words.get(pieces[-1][2]) in ("stop", "title")):
        pieces.pop()
    if not pieces or len(pieces) > MAX_WORDS:
        return None
    s, e = start + pieces[0][0], start + pieces[-1][1]
    while e > s and text[e - 1] in ".,'’":
        e -= 1
    if text[e - 2 : e] in ("'s", "’s"):
        e -= 2
    kind = _kind(soft[s:e], words, titled)
    return None if kind is None else Mention(MentionKind.NAME, s, e, text[s:e], head=kind)


def _kind(name: str, words: dict[str, str], titled: bool) -> str | None:
    tokens = [t for t in _tokens(name) if t]
    kinds = {words.get(t) for t in re.split(r"[\s-]+", " ".join(tokens))}
    if GROUP in kinds:
        return GROUP
    if ORGANIZATION in kinds or ACRONYM.match(name):
        return ORGANIZATION
    if len(name) < 3 or _is_place(name):
        return None
    plain = [t for t in tokens if t not in LINK_WORDS]
    if len(plain) >= 2 or titled:
        return PERSON if not any(t in data.words("not_people") for t in plain) else None
    return None


@lru_cache(maxsize=4096)
def _is_place(name: str) -> bool:
    return lookup(name) is not None


def _without_overlaps(found: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for m in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
