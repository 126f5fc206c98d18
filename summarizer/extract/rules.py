"""The rules extractor: no model, deterministic, fills the same `RawExtraction` a model would.

It is the floor every model must beat, the fallback of the hybrid local backend, and the source of
candidates (places, dates, numbers, names) the small model chooses among. Everything it returns is
copied from the text, so grounding always succeeds.

How it reads an article: split into sentences; a sentence with a violence cue belongs to an incident,
and `roles.incidents.segment` decides which (another date, another town, "IN ADDITION, ...", a new
paragraph of wire copy reporting another kind of incident, or background words open a new one). Each incident
becomes an event; the first is primary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from summarizer.extract import relevance
from summarizer.extract.gazetteer import Mention, find_places, state_after
from summarizer.extract.gazetteer import cities as cities_named
from summarizer.extract.mentions import Mention as MentionSpan
from summarizer.extract.mentions import attribution, places
from summarizer.extract.mentions.case import shouting
from summarizer.extract.mentions.dates import DATE_PHRASE as DATE_PHRASE
from summarizer.extract.mentions.dates import blank_dateline, date_phrase, published_match
from summarizer.extract.mentions.dates import find_published as find_published
from summarizer.extract.mentions.sentences import Sentence as Sentence
from summarizer.extract.mentions.sentences import split_sentences as split_sentences
from summarizer.extract.normalize import parse_published
from summarizer.extract.roles import actors, incidents
from summarizer.extract.roles import casualties as roles_casualties
from summarizer.extract.roles.casualties import FigureRoles
from summarizer.extract.roles.incidents import VIOLENCE as VIOLENCE
from summarizer.extract.roles.incidents import Draft
from summarizer.extract.roles.incidents import event_type as event_type
from summarizer.extract.switches import ALL_ON, Switches
from summarizer.raw import RawEvent, RawExtraction


def extract(
    text: str, published: str | None, switches: Switches = ALL_ON, figure_roles: FigureRoles = FigureRoles.WIRE
) -> RawExtraction:
    """All events the rules can see, primary first; none when the relevance gate says the article
    reports no violent event (`gate_note` says why)."""
    if switches.gate and not relevance.judge(text).relevant:
        return RawExtraction(events=[])
    base = parse_published(published)
    sentences = split_sentences(text)
    dates = blank_dateline(text)
    wire = shouting([text[:3000]])
    drafts = incidents.segment(sentences, base, dates, wire)
    drafts.sort(key=lambda d: d.background is not None)  # the story's own incident first
    everything = [s.text for s in sentences]
    attributions = attribution.find(text)
    built = [
        _build_event(d, text, attributions, everything if i == 0 else None, switches, figure_roles)
        for i, d in enumerate(drafts)
    ]
    events = [e for e in built if e is not None]
    events[1:] = [e for e in events[1:] if not incidents.side_kind_dropped(e.event_type, wire)]
    if events:
        events[0].primary = True
        if events[0].date_phrase is None and drafts[0].background is None:
            # the lead often dates the story before any violence cue; failing that, a wire report's
            # incident is taken to be of its dateline's day (MUC keys: "on or before" that date)
            dateline = published_match(text)
            events[0].date_phrase = date_phrase(dates[:1500]) or (dateline.group(1) if dateline else None)
    return RawExtraction(events=events[:MAX_EVENTS])


MAX_EVENTS = 8
"""`RawExtraction` holds at most eight events: the primary and the first seven others."""


def gate_note(text: str) -> str | None:
    """The warning to show when the relevance gate rejects the article, else None."""
    verdict = relevance.judge(text)
    return None if verdict.relevant else f"no violent event reported (relevance {verdict.score:.2f})"


def _build_event(
    draft: Draft,
    text: str,
    attributions: list[MentionSpan],
    story: list[str] | None,
    switches: Switches = ALL_ON,
    figure_roles: FigureRoles = FigureRoles.BOTH,
) -> RawEvent | None:
    """`story`: every sentence of the article, given for the primary event, whose people it names."""
    primary = story is not None
    joined = " ".join(s.text for s in draft.sentences)
    casualties = roles_casualties.claims(draft.sentences, attributions, text, mode=figure_roles)
    kind = event_type(draft.sentences[0].text)
    kind = event_type(joined) if kind == "other" else kind
    if not casualties and kind in ("other", "arrest") and len(draft.sentences) < 2:
        return None
    where = _place(draft.sentences, text, primary)
    first = draft.sentences[0].text
    return RawEvent(
        event_type=kind,
        description=_describe(first),
        quote=first[:400],
        actors=actors.find([s.text for s in draft.sentences], story or [], switches),
        place=where.place,
        admin1=where.admin1,
        country=where.country,
        date_phrase=draft.date_phrase,
        casualties=casualties,
    )


def _describe(sentence: str) -> str:
    return sentence if len(sentence) <= 300 else sentence[:297].rsplit(" ", 1)[0] + "..."


@dataclass
class PlaceGuess:
    place: str | None = None
    admin1: str | None = None
    country: str | None = None


def _place(sentences: list[Sentence], text: str, primary: bool) -> PlaceGuess:
    """Places from the event's first sentence when it names any, else from all its sentences; for the
    primary event also the dateline and the story's opening. A city after "in"/"at" wins; admin area and
    country come from the text or the city."""
    dateline = places.dateline(text) if primary else None
    mentions = _mentions(sentences[:1]) or _mentions(sentences)
    if not mentions and primary:
        mentions = _mentions([Sentence(0, min(len(text), 400), text[:400])])  # the story's opening
    context = _countries_named(text)
    cities = [m for m in mentions if m[0].place.kind == "city"]
    # a city in a country the story names before one elsewhere ("SAN JOSE" in a Salvadoran report);
    # then "in Baghdad" before a bare "Baghdad"
    cities.sort(key=lambda m: (bool(context) and _home(m, context) is None, not m[2]))
    if dateline and (not cities or dateline.place.country_code == "US"):
        # US local news: "AURORA, Colo. (CBS4) – ... in the Rogers Park neighborhood": the dateline names
        # the city, the story a part of it. Abroad the dateline is often only where the reporter sits
        # ("ERBIL – ... an air strike in Baghdad"), so there the story's own city wins.
        cities.insert(0, places.PlaceHit(dateline, text[dateline.start : dateline.end], True))
    admins = [m for m in mentions if m[0].place.kind == "admin1"]
    countries = [m for m in mentions if m[0].place.kind == "country"]
    guess = PlaceGuess()
    anchor = cities[0][0].place if cities else admins[0][0].place if admins else None
    if cities:
        guess.place = cities[0][1]
    if admins:
        guess.admin1 = admins[0][1]
    elif anchor and anchor.admin1:
        guess.admin1 = anchor.admin1 if anchor.admin1 in text else _state_as_written(cities[0][0], text)
    same = [m for m in countries if anchor is None or m[0].place.country_code == anchor.country_code]
    home = _home(cities[0], context) if cities else None
    if same:
        guess.country = _event_country([m[0] for m in same], [m[1] for m in same])
    elif home and anchor and home != anchor.country_code:
        guess.country = context[home]  # the named country's city of that name, not the gazetteer's first
    elif primary and anchor is None and context:
        guess.country = next(iter(context.values()))
    return guess


@lru_cache(maxsize=8)
def _countries_named(text: str) -> dict[str, str]:
    """Country code → the words naming it, for the countries the story's opening names, in order."""
    named: dict[str, str] = {}
    for m in find_places(text[:3000]):
        if m.place.kind == "country":
            named.setdefault(m.place.country_code, text[m.start : m.end])
    return named


def _home(city: places.PlaceHit, context: dict[str, str]) -> str | None:
    """The city's own country when the story names it, else the first named country that has a city
    of this name at least a tenth as large, else None."""
    if city[0].place.country_code in context:
        return city[0].place.country_code
    # a namesake a tenth the size or less is not the one meant (Bogotá, not Bogota NJ)
    floor = city[0].place.population / 10
    codes = {p.country_code for p in cities_named(city[1].lower()) if p.population >= floor}
    return next((code for code in context if code in codes), None)


def _mentions(sentences: list[Sentence]) -> list[places.PlaceHit]:
    return [hit for s in sentences for hit in places.hits(s.text)]


def _state_as_written(city: Mention, text: str) -> str | None:
    """ "Colo." in "AURORA, Colo. (CBS4)": the state as the article abbreviates it."""
    m = re.match(r",\s*([A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?)", text[city.end : city.end + 20])
    return m.group(1) if m and state_after(text[city.end : city.end + 20]) else None


def _event_country(countries: list[Mention], written: list[str]) -> str:
    """The country an event happened in: the first one not the US (US forces act abroad far more
    often than a foreign country is named in a US event)."""
    index = next((i for i, m in enumerate(countries) if m.place.country_code != "US"), 0)
    return written[index]
