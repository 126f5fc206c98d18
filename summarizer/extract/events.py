"""Raw extraction → events: ground every quote in the text, normalize every value, drop the unsupported.

Whatever filled the raw extraction (rules, a model, a batch answer), this is where its phrases become
`Evidence` with offsets and normalized values (dates, counts, countries). A value whose words are not in
the article is dropped with a warning, so nothing reaches the summary that the text does not say.
"""

from __future__ import annotations

import re
from datetime import datetime

from summarizer.extract.gazetteer import lookup, us_state
from summarizer.extract.grounding import Locator
from summarizer.extract.normalize import country_code, country_name, parse_count, resolve_date
from summarizer.raw import RawCasualty, RawEvent, RawExtraction
from summarizer.schema import Actor, CasualtyClaim, Event, Evidence, What, When, Where


def build_events(text: str, raw: RawExtraction, published: datetime | None) -> tuple[list[Event], list[str]]:
    """Ground every quote in `text`, normalize every value, drop what the article does not support."""
    locator = Locator(text)
    warnings: list[str] = []
    built = [_event(raw_event, locator, published, warnings) for raw_event in raw.events]
    events = [e for e in built if e is not None]
    if events and sum(e.primary for e in events) != 1:
        for i, e in enumerate(events):
            e.primary = i == 0
    events.sort(key=lambda e: not e.primary)
    return events, warnings


def _event(raw: RawEvent, loc: Locator, published: datetime | None, warnings: list[str]) -> Event | None:
    anchor = loc.locate(raw.quote)
    if anchor is None and raw.quote:
        warnings.append(f"event quote not found in the article, event dropped: {raw.quote[:80]!r}")
        return None
    near = anchor.start if anchor else None
    description = raw.description
    if description and not supported_description(description, loc.text):
        warnings.append(f"description not supported by the article, replaced by its quote: {description[:80]!r}")
        description = anchor.quote if anchor else ""
    what = What(type=raw.event_type, description=description, evidence=[anchor] if anchor else [])
    event = Event(primary=raw.primary, what=what, where=_where(raw, loc, near, warnings),
                  when=_when(raw, loc, near, published, warnings))  # fmt: skip
    event.who = _who(raw, loc, near, warnings)
    event.casualties = [c for c in (_claim(rc, loc, near, warnings) for rc in raw.casualties) if c]
    grounded = [event.what, event.where, event.when, *event.who, *event.casualties]
    if not any(part.evidence for part in grounded):
        warnings.append("an event with no support in the article was dropped")
        return None
    return event


def supported_description(description: str, text: str) -> bool:
    """The one free-text field must still come from the article: no links or key-like strings, and
    most of its content words appear in the text."""
    if re.search(r"https?://|www\.|\bsk-[\w-]{3,}|[{}<>]", description):
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", description)}
    if not words:
        return True
    haystack = text.lower()
    return sum(w in haystack for w in words) / len(words) >= 0.6


def _ground(loc: Locator, phrase: str | None, near: int | None, what: str, warnings: list[str]) -> Evidence | None:
    if not phrase:
        return None
    found = loc.locate(phrase, near)
    if found is None:
        warnings.append(f"{what} {phrase[:80]!r} is not in the article; dropped")
    return found


def _who(raw: RawEvent, loc: Locator, near: int | None, warnings: list[str]) -> list[Actor]:
    actors: list[Actor] = []
    for a in raw.actors:
        found = _ground(loc, a.name, near, "actor", warnings)
        if found and all(_same_name(found.quote, b.name) is False for b in actors):
            actors.append(Actor(name=found.quote, role=a.role, kind=a.kind, evidence=[found]))
    return actors


def _same_name(a: str, b: str) -> bool:
    """ "U.S. Central Command (CENTCOM)" and "US Central Command (CENTCOM)" are one actor."""
    return re.sub(r"[^a-z0-9]", "", a.lower()) == re.sub(r"[^a-z0-9]", "", b.lower())


def _where(raw: RawEvent, loc: Locator, near: int | None, warnings: list[str]) -> Where:

    where = Where()
    place = _ground(loc, raw.place, near, "place", warnings)
    admin = _ground(loc, raw.admin1, near, "admin area", warnings)
    country = _ground(loc, raw.country, near, "country", warnings)
    found = lookup(place.quote) if place else None
    if place:
        where.place, where.precision = place.quote, "city"
        where.evidence.append(place)
    if admin:
        where.admin1 = us_state(admin.quote) or admin.quote  # "Colo." → "Colorado"
        where.precision = "city" if place else "admin1"
        where.evidence.append(admin)
    elif found and found.admin1 and found.kind == "city" and found.country_code == "US":
        where.admin1 = found.admin1  # implied by an unambiguous US city; its evidence is the city
    code = country_code(country.quote) if country else None
    if code is None and found is not None:
        code = found.country_code
    if code is None and admin is not None:
        sub = lookup(admin.quote)
        code = sub.country_code if sub else "US" if us_state(admin.quote) else None
    if country and code:
        where.evidence.append(country)
    where.country_code, where.country = code, country_name(code)
    if where.precision == "unknown" and code:
        where.precision = "country"
    return where


def _when(raw: RawEvent, loc: Locator, near: int | None, published: datetime | None, warnings: list[str]) -> When:
    phrase = _ground(loc, raw.date_phrase, near, "date phrase", warnings)
    if phrase is None:
        return When()
    resolved = resolve_date(phrase.quote, published)
    if resolved is None:
        warnings.append(f"date phrase {phrase.quote!r} holds no date; left empty")
        return When(phrase=phrase.quote, resolved=False, evidence=[phrase])
    if resolved.date is None:
        warnings.append(f"date phrase {phrase.quote!r} needs a publication date to resolve")
    return When(date=resolved.date, time=resolved.time, precision=resolved.precision, relative=resolved.relative,
                phrase=phrase.quote, resolved=resolved.date is not None, evidence=[phrase])  # fmt: skip


def _claim(raw: RawCasualty, loc: Locator, near: int | None, warnings: list[str]) -> CasualtyClaim | None:
    quote = _ground(loc, raw.quote, near, "casualty quote", warnings)
    if quote is None:
        return None
    inside = Locator(quote.quote)
    claim = CasualtyClaim(evidence=[quote])
    for outcome in ("killed", "injured"):
        phrase = getattr(raw, outcome)
        span = _word(quote.quote, phrase) or inside.locate(phrase) if phrase else None
        if phrase and span is None:
            warnings.append(f"{outcome} figure {phrase!r} is not in its quote; dropped")
        parsed = parse_count(span.quote) if span else None
        if span and parsed:
            setattr(claim, outcome, parsed.count)
            claim.qualifier = claim.qualifier or parsed.qualifier
            claim.evidence.append(_shift(span, quote.start))
    if claim.killed is None and claim.injured is None:
        return None
    claim.victims = _inside(inside, raw.victims, quote.start, claim)
    claim.source = _inside(inside, raw.source, quote.start, claim)
    return claim


def _word(text: str, phrase: str) -> Evidence | None:
    """A whole-word match, so a one-letter figure ("a man") is found where the locator needs more."""
    m = re.search(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", text, re.I)
    return Evidence(quote=m.group(), start=m.start(), end=m.end()) if m else None


def _inside(inside: Locator, phrase: str | None, offset: int, claim: CasualtyClaim) -> str | None:
    span = inside.locate(phrase) if phrase else None
    if span is None:
        return None
    claim.evidence.append(_shift(span, offset))
    return span.quote


def _shift(span: Evidence, offset: int) -> Evidence:
    return Evidence(quote=span.quote, start=span.start + offset, end=span.end + offset, match=span.match)


_REJECTIONS = (
    ("event quote not found", "what"),
    ("description not supported", "what"),
    ("actor ", "who"),
    ("place ", "where"),
    ("admin area ", "where"),
    ("country ", "where"),
    ("date phrase ", "when"),
    ("casualty quote ", "casualties"),
    ("killed figure ", "killed"),
    ("injured figure ", "injured"),
    ("an event with no support", "event"),
)
"""Warning prefix → what was rejected. The messages above are the one place values are dropped."""


def rejections(warnings: list[str]) -> dict[str, int]:
    """How many values grounding rejected, per field group, read from its warnings."""
    counts: dict[str, int] = {}
    for warning in warnings:
        if not (warning.endswith("dropped") or "dropped: " in warning or "not supported by" in warning):
            continue  # e.g. "date phrase … holds no date; left empty" keeps the phrase
        group = next((g for prefix, g in _REJECTIONS if warning.startswith(prefix)), None)
        if group:
            counts[group] = counts.get(group, 0) + 1
    return counts
