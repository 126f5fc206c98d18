"""Place mentions: the gazetteer's cities, first-level areas and countries named in a text, each with
its level (`head`: "city", "admin1", "country"), its canonical name (`value`), and tags: "after_in"
when "in/at/near/..." precedes it, "dateline" for the story's dateline ("AURORA, Colo. (CBS4) –")."""

from __future__ import annotations

import re
from typing import NamedTuple

from summarizer.extract.gazetteer import Mention as Located
from summarizer.extract.gazetteer import Place, find_places, lookup, state_after, us_state_names
from summarizer.extract.mentions.base import Mention, MentionKind

SMALL_TOWN = 100_000
"""Towns smaller than this count only after "in/at/near" or before a state: "Daishawn Rogers",
"Trooper Wilson" are people named like small towns."""
AFTER_IN = re.compile(r"\b(?:in|at|near|outside|of|from|on)\s+(?:the\s+)?$", re.I)
DATELINE = re.compile(r"([A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3})(?=\s*(?:,|\(|—|–|-|\?))")


class PlaceHit(NamedTuple):
    """A gazetteer place found in a text, as the role deciders read it."""

    located: Located
    written: str
    after_in: bool


def hits(text: str) -> list[PlaceHit]:
    """The places of `text` worth a role: small towns only after "in/at/near" or before a US state."""
    found: list[PlaceHit] = []
    for m in find_places(text):
        after_in = AFTER_IN.search(text[max(0, m.start - 12) : m.start]) is not None
        with_state = state_after(text[m.end : m.end + 14]) is not None
        if m.place.kind == "city" and m.place.population < SMALL_TOWN and not (after_in or with_state):
            continue
        found.append(PlaceHit(m, text[m.start : m.end], after_in))
    return found


def dateline(text: str) -> Located | None:
    """The dateline: an upper-case city or county followed by a comma, "(AP)" or a dash. Station call
    letters may be glued in front ("WBFFBALTIMORE (WBFF) –"), so suffixes of the first word are tried."""
    head = text[:400]
    for m in DATELINE.finditer(head):
        run, after = m.group(1), head[m.end() : m.end() + 14]
        first_word = run.split()[0]
        for cut in range(0, max(1, len(first_word) - 2)):
            place = _dateline_place(run[cut:], after)
            if place is not None:
                return Located(place, m.start() + cut, m.end())
    return None


def _dateline_place(name: str, after: str) -> Place | None:
    if name.endswith(" COUNTY"):
        state = state_after(after)
        return Place(name, "US", us_state_names()[state], 0, "city") if state else None
    place = lookup(name, after)
    return place if place is not None and place.kind == "city" else None


def find(text: str) -> list[Mention]:
    """Every place mention in `text`, in order, the dateline tagged."""
    top = dateline(text)
    found = [_mention(text, top, frozenset(("dateline",)))] if top else []
    for hit in hits(text):
        if top is None or hit.located.start >= top.end or hit.located.end <= top.start:
            found.append(_mention(text, hit.located, frozenset(("after_in",)) if hit.after_in else frozenset()))
    return sorted(found, key=lambda m: m.start)


def _mention(text: str, located: Located, tags: frozenset[str]) -> Mention:
    place = located.place
    return Mention(
        MentionKind.PLACE,
        located.start,
        located.end,
        text[located.start : located.end],
        head=place.kind,
        value=place.name,
        tags=tags,
    )
