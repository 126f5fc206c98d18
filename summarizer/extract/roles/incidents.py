"""Incident segmentation: which violence sentences of a story report which incident.

A story (above all a wire message) can report several incidents. A violence sentence opens a new
incident when it gives another date than the current incident's (more than a day apart), names
another town, or begins with words that announce another incident ("IN ADDITION, ...", "MEANWHILE,
...", `data/incident_openers.txt`); words that put it before the story's own incident ("last
October", "in January") give it a background incident of its own. Sentences without such a signal
stay with the current incident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from summarizer.extract import data
from summarizer.extract.mentions import places
from summarizer.extract.mentions.dates import background, date_phrase
from summarizer.extract.mentions.sentences import Sentence
from summarizer.extract.normalize import resolve_date
from summarizer.schema import EventType

VIOLENCE = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|dead|died|death|slain|murder(?:ed|s)?|homicide|wound(?:ed|ing|s)?|"
    r"injur(?:ed|ing|ies)|hurt|strikes?|attack(?:ed|ing|s)?|shot|shooting|gunfire|bomb(?:ed|ing|s)?|"
    r"explosions?|explod(?:ed|es)|blown up|burned|blast|clash(?:es)?|"
    r"stabb(?:ed|ing)|targeted|kidnap(?:ped|ping)?|abduct(?:ed|ion)|assassinat(?:ed|ion)|dynamite|arson|"
    r"set fire|machinegunned|ambush(?:ed)?|bombers?|suicide|blew (?:himself|herself|themselves) up|stormed|"
    r"bodies|corpses|massacred?|gunmen)\b",
    re.I,
)
TYPE_CUES: list[tuple[EventType, re.Pattern[str]]] = [
    (kind, re.compile(cue, re.I))  # type: ignore[misc]
    for kind, cue in data.rows("event_type_cues")
]
_PARAGRAPH_START = re.compile(r"(?:\A|\n[ \t]*\n|\n[ \t]+)[ \t]*\Z")
"""The words before a sentence end at a paragraph break: a blank line or an indented line (wire copy)."""
_OPENER = re.compile(
    r"^(?:" + "|".join(re.escape(w) for w in sorted(data.words("incident_openers"), key=len, reverse=True)) + r")\b",
    re.I,
)


@dataclass
class Draft:
    """An incident being assembled from sentences."""

    sentences: list[Sentence] = field(default_factory=list)
    date: str | None = None
    date_phrase: str | None = None
    background: str | None = None
    """The words that place this incident before the story's own ("earlier this month")."""
    town: str | None = None
    """The first city its sentences put it in ("in Apopa")."""
    kind: EventType | None = None
    """The kind of incident its first sentence with a type cue reports."""


def segment(sentences: list[Sentence], base: datetime | None, dates: str, wire: bool = False) -> list[Draft]:
    """The incidents of a story in the order the story reaches them. `dates`: the text with its
    dateline blanked, so a sentence's date comes from its own words. `wire`: all-caps wire copy, where
    a paragraph reporting another kind of incident opens a new one (in news prose a paragraph often
    names the same incident another way: an air strike, then "the explosion")."""
    drafts: list[Draft] = []
    current: Draft | None = None
    for s in sentences:
        if not VIOLENCE.search(s.text):
            continue
        own = dates[s.start : s.end]
        behind = background(own)
        if behind:
            _background(drafts, s, behind, base)
            continue
        phrase = date_phrase(own)
        resolved = resolve_date(phrase, base) if phrase else None
        iso = resolved.date if resolved else None
        town = _town(s)
        kind = event_type(s.text)
        turn = wire and _PARAGRAPH_START.search(dates[max(0, s.start - 12) : s.start]) is not None and kind != "other"
        current = _incident_for(drafts, current, s, iso, town, kind if turn else None)
        if iso and current.date is None:
            current.date, current.date_phrase = iso, phrase
        current.town = current.town or town
        current.kind = current.kind or (kind if kind != "other" else None)
        current.sentences.append(s)
    return drafts


def side_kind_dropped(kind: EventType, wire: bool) -> bool:
    """Whether a secondary event of this kind is left out: in wire copy, the kinds of
    `data/wire_side_kinds.txt`."""
    return wire and kind in data.words("wire_side_kinds")


def event_type(text: str) -> EventType:
    """The kind of incident a sentence reports, from the first cue of `data/event_type_cues.tsv` it has."""
    return next((kind for kind, cue in TYPE_CUES if cue.search(text)), "other")


def opens_incident(sentence: str) -> bool:
    """Whether a sentence begins with words announcing another incident ("IN ADDITION, ...")."""
    return _OPENER.match(sentence) is not None


def _incident_for(
    drafts: list[Draft], current: Draft | None, s: Sentence, iso: str | None, town: str | None, turn: EventType | None
) -> Draft:
    """The draft a violence sentence joins, appended to `drafts` when new. `turn`: the kind of incident
    a sentence that opens a paragraph reports, if any."""
    if current is None or opens_incident(s.text) or (turn and current.kind and turn != current.kind):
        chosen = Draft(date=iso) if current is not None else Draft()
    elif iso and current.date and not _same_day(iso, current.date):
        chosen = next((d for d in drafts if d.date and _same_day(iso, d.date)), None) or Draft()
    elif town and current.town and town != current.town:
        # the same day in another town is another incident
        chosen = next((d for d in drafts if d.town == town), None) or Draft(date=iso)
    else:
        return current
    if chosen not in drafts:
        drafts.append(chosen)
    return chosen


def _town(s: Sentence) -> str | None:
    """The city a sentence puts its incident in ("in Apopa"), lower-cased, if any."""
    return next((hit[1].lower() for hit in places.hits(s.text) if hit[2] and hit[0].place.kind == "city"), None)


def _background(drafts: list[Draft], s: Sentence, phrase: str, base: datetime | None) -> None:
    """A sentence about an earlier incident joins the draft with the same background words, or opens
    its own; it never joins the story's main incident."""
    key = phrase.lower()
    for d in drafts:
        if d.background == key:
            d.sentences.append(s)
            return
    resolved = resolve_date(phrase, base)
    dated = phrase if resolved is not None and resolved.date else None
    drafts.append(Draft([s], resolved.date if resolved and dated else None, dated, key))


def _same_day(a: str, b: str) -> bool:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 1
