"""Raw extraction → events: ground every quote in the text, normalize every value, drop the unsupported.

Whatever filled the raw extraction (rules, a model, a batch answer), this is where its phrases become
`Evidence` with offsets and normalized values (dates, counts, countries). A value whose words are not in
the article is dropped with a warning, so nothing reaches the summary that the text does not say.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from summarizer.extract.gazetteer import lookup, us_state
from summarizer.extract.grounding import Locator
from summarizer.extract.mentions.dates import DATE_PHRASE
from summarizer.extract.normalize import NUMBER_RE, country_code, country_name, parse_count, resolve_date
from summarizer.extract.rules import event_type, split_sentences
from summarizer.raw import RawCasualty, RawEvent, RawExtraction
from summarizer.schema import (
    Actor,
    CasualtyClaim,
    Event,
    Evidence,
    Rejection,
    RejectionField,
    RejectionReason,
    What,
    When,
    Where,
)


class Notes(NamedTuple):
    """What grounding tells the reader: warning lines, and each dropped value as a typed record."""

    warnings: list[str]
    rejections: list[Rejection]

    def reject(self, field: RejectionField, value: str, reason: RejectionReason, message: str) -> None:
        self.warnings.append(message)
        self.rejections.append(Rejection(field=field, value=value[:200], reason=reason))


class Built(NamedTuple):
    events: list[Event]
    warnings: list[str]
    rejections: list[Rejection]


def build_events(text: str, raw: RawExtraction, published: datetime | None) -> Built:
    """Ground every quote in `text`, normalize every value, drop what the article does not support."""
    locator = Locator(text)
    notes = Notes([], [])
    built = [_event(raw_event, locator, published, notes) for raw_event in raw.events]
    events = [e for e in built if e is not None]
    if events and sum(e.primary for e in events) != 1:
        for i, e in enumerate(events):
            e.primary = i == 0
    events.sort(key=lambda e: not e.primary)
    return Built(events, notes.warnings, notes.rejections)


def _event(raw: RawEvent, loc: Locator, published: datetime | None, notes: Notes) -> Event | None:
    raw = meet_halfway(raw, loc, published)
    anchor = _quote(loc, raw.quote, None, notes)
    near = anchor.start if anchor else None
    description = raw.description
    if description and not supported_description(description, loc.text):
        notes.reject(
            "what",
            description,
            "unsupported_description",
            f"description not supported by the article, replaced by its quote: {description[:80]!r}",
        )
        description = anchor.quote if anchor else ""
    what = What(type=raw.event_type, description=description, evidence=[anchor] if anchor else [])
    event = Event(primary=raw.primary, what=what, where=_where(raw, loc, near, notes),
                  when=_when(raw, loc, near, published, notes))  # fmt: skip
    event.who = _who(raw, loc, near, notes)
    event.casualties = [c for c in (_claim(rc, loc, near, notes) for rc in raw.casualties) if c]
    grounded = [event.what, event.where, event.when, *event.who, *event.casualties]
    if not any(part.evidence for part in grounded):
        quoted = f": {raw.quote[:80]!r}" if raw.quote else ""
        notes.reject("event", raw.quote, "no_support", f"an event with no support in the article was dropped{quoted}")
        return None
    if anchor is None and raw.quote:  # a paraphrased quote: the sentence that holds the event's values
        anchor = _best_sentence(loc.text, [e for part in grounded for e in part.evidence])
        notes.warnings.append(f"event quote not in the article, anchored on the sentence holding its values: "
                        f"{raw.quote[:80]!r}")  # fmt: skip
        event.what.evidence = [anchor]
        event.what.type = event_type(anchor.quote)  # the model's type had no quote to support it
        event.what.description = event.what.description or anchor.quote
    return event


# -- meeting real answers halfway, without inventing --------------------------------------------


def meet_halfway(raw: RawEvent, loc: Locator, published: datetime | None) -> RawEvent:
    """Undo what models habitually do to copied words, where the article still supports the value:
    "Kalamazoo, Michigan" (two names joined) grounds to its parts; a date rewritten as "1989-03-19"
    grounds to the article's date phrase that resolves to the same day; a casualty quote that was
    paraphrased falls back to the sentence holding its figure."""
    update: dict[str, object] = {}
    if raw.place and "," in raw.place:  # even when the pair is a dateline ("AURORA, Colo."), a place is one name
        update |= _split_place(raw, loc)
    if raw.date_phrase and loc.locate(raw.date_phrase) is None:
        phrase = _date_phrase_for(raw.date_phrase, loc, published)
        if phrase:
            update["date_phrase"] = phrase
    casualties = [_requote(c, loc) for c in raw.casualties]
    if casualties != raw.casualties:
        update["casualties"] = casualties
    return raw.model_copy(update=update) if update else raw


def _split_place(raw: RawEvent, loc: Locator) -> dict[str, object]:
    parts = [p.strip() for p in (raw.place or "").split(",") if p.strip()]
    if len(parts) < 2 or any(loc.locate(p) is None for p in parts):
        return {}
    update: dict[str, object] = {"place": parts[0]}
    for part in parts[1:]:
        if country_code(part) and not raw.country and "country" not in update:
            update["country"] = part
        elif not raw.admin1 and "admin1" not in update:
            update["admin1"] = part
    return update


def _date_phrase_for(written: str, loc: Locator, published: datetime | None) -> str | None:
    """The article's date phrase that names the same day as the model's normalized date, if any."""
    target = resolve_date(written, published)
    if target is None or target.date is None or target.precision != "day":
        return None
    for m in DATE_PHRASE.finditer(loc.text):
        found = resolve_date(m.group(), published)
        if found is not None and found.date == target.date:
            return m.group()
    return None


def _requote(claim: RawCasualty, loc: Locator) -> RawCasualty:
    """A paraphrased casualty quote → the article's sentence that shares most of its words and holds its
    figure word for word; unchanged when no sentence shares at least half of them."""
    figures = [f for f in (claim.killed, claim.injured, claim.kidnapped) if f]
    if not claim.quote or not figures or loc.locate(claim.quote) is not None:
        return claim
    words = _content_words(claim.quote)
    best, score = None, 0.5
    for sentence in split_sentences(loc.text):
        if not all(_word(sentence.text, f) for f in figures):
            continue
        overlap = len(words & _content_words(sentence.text)) / max(1, len(words))
        if overlap >= score:
            best, score = sentence.text, overlap
    return claim.model_copy(update={"quote": best}) if best else claim


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'-]{2,}", text)}


def _sentence_at(text: str, start: int, end: int) -> Evidence:
    begin = max(text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0,
                text.rfind("\n", 0, start) + 1)  # fmt: skip
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    finish = min(stops) + (1 if stops and text[min(stops)] == "." else 0) if stops else len(text)
    return Evidence(quote=text[begin:finish], start=begin, end=finish, match="fuzzy")


def _best_sentence(text: str, spans: list[Evidence]) -> Evidence:
    """The sentence that contains the most of the event's grounded values (the first on a tie)."""
    candidates = [_sentence_at(text, e.start, e.end) for e in spans]
    return max(candidates, key=lambda s: sum(s.start <= e.start and e.end <= s.end for e in spans))


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


_FIELD_OF: dict[str, RejectionField] = {
    "actor": "who",
    "place": "where",
    "admin area": "where",
    "country": "where",
    "date phrase": "when",
    "casualty quote": "casualties",
}
"""The words a drop warning names the value with → its field group in the rejection record."""


def _ground(loc: Locator, phrase: str | None, near: int | None, what: str, notes: Notes) -> Evidence | None:
    if not phrase:
        return None
    found = loc.locate(phrase, near)
    if found is None:
        message = f"{what} {phrase[:80]!r} is not in the article; dropped"
        notes.reject(_FIELD_OF[what], phrase, "not_in_article", message)
    return found


def _who(raw: RawEvent, loc: Locator, near: int | None, notes: Notes) -> list[Actor]:
    actors: list[Actor] = []
    for a in raw.actors:
        found = _ground(loc, a.name, near, "actor", notes)
        if found and all(_same_name(found.quote, b.name) is False for b in actors):
            actors.append(Actor(name=found.quote, role=a.role, kind=a.kind, claimed=a.claimed, evidence=[found]))
    return actors


def _same_name(a: str, b: str) -> bool:
    """ "U.S. Central Command (CENTCOM)" and "US Central Command (CENTCOM)" are one actor."""
    return re.sub(r"[^a-z0-9]", "", a.lower()) == re.sub(r"[^a-z0-9]", "", b.lower())


def _where(raw: RawEvent, loc: Locator, near: int | None, notes: Notes) -> Where:

    where = Where()
    place = _ground(loc, raw.place, near, "place", notes)
    admin = _ground(loc, raw.admin1, near, "admin area", notes)
    country = _ground(loc, raw.country, near, "country", notes)
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


def _when(raw: RawEvent, loc: Locator, near: int | None, published: datetime | None, notes: Notes) -> When:
    phrase = _ground(loc, raw.date_phrase, near, "date phrase", notes)
    if phrase is None:
        return When()
    resolved = resolve_date(phrase.quote, published)
    if resolved is None:
        notes.warnings.append(f"date phrase {phrase.quote!r} holds no date; left empty")
        return When(phrase=phrase.quote, resolved=False, evidence=[phrase])
    if resolved.date is None:
        notes.warnings.append(f"date phrase {phrase.quote!r} needs a publication date to resolve")
    return When(date=resolved.date, time=resolved.time, precision=resolved.precision, relative=resolved.relative,
                phrase=phrase.quote, resolved=resolved.date is not None, evidence=[phrase])  # fmt: skip


def _claim(raw: RawCasualty, loc: Locator, near: int | None, notes: Notes) -> CasualtyClaim | None:
    quote = _quote(loc, raw.quote, near, notes)
    if quote is None:
        _ground(loc, raw.quote, near, "casualty quote", notes)  # records the rejection
        return None
    inside = Locator(quote.quote)
    claim = CasualtyClaim(evidence=[quote])
    for outcome in ("killed", "injured", "kidnapped"):
        phrase = getattr(raw, outcome)
        span = _word(quote.quote, phrase) or inside.locate(phrase) if phrase else None
        if phrase and span is None:
            notes.reject(outcome, phrase, "not_in_quote", f"{outcome} figure {phrase!r} is not in its quote; dropped")
        parsed = parse_count(span.quote) if span else None
        if span and parsed:
            setattr(claim, outcome, parsed.count)
            claim.qualifier = claim.qualifier or parsed.qualifier
            claim.evidence.append(_shift(span, quote.start))
    if claim.killed is None and claim.injured is None and claim.kidnapped is None:
        return None
    claim.victims = _inside(inside, raw.victims, quote.start, claim)
    claim.source = _inside(inside, raw.source, quote.start, claim)
    return claim


def _quote(loc: Locator, quote: str | None, near: int | None, notes: Notes) -> Evidence | None:
    """A sentence-long quote: the words themselves, else the sentence it nearly copies, else a fuzzy span."""
    if not quote:
        return None
    return loc.locate(quote, near, fuzzy=False) or _near_copy(loc, quote, notes) or loc.locate(quote, near)


def _near_copy(loc: Locator, quote: str | None, notes: Notes) -> Evidence | None:
    """A quote that is no substring but a near-copy of one sentence: anchored on that sentence, said so."""
    sentences = [(s.start, s.end) for s in split_sentences(loc.text)]
    found = loc.near_copy(quote, sentences)
    if found is not None:
        notes.warnings.append(f"quote {(quote or '')[:80]!r} is a near-copy ({found.score:g}) of an article sentence; "
                              "anchored on it")  # fmt: skip
    return found


def _word(text: str, phrase: str) -> Evidence | None:
    """A whole-word match, case-insensitive, so a one-letter figure ("a man") is found where the locator needs
    more; else the number phrase in `text` that means the same count ("3 people" for "three people")."""
    m = re.search(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", text, re.I)
    if m:
        return Evidence(quote=m.group(), start=m.start(), end=m.end())
    wanted = parse_count(phrase)
    if wanted is None or wanted.count.best is None:
        return None
    for number in NUMBER_RE.finditer(text):
        got = parse_count(number.group())
        if got is not None and got.count.best == wanted.count.best:
            return Evidence(quote=number.group(), start=number.start(), end=number.end())
    return None


def _inside(inside: Locator, phrase: str | None, offset: int, claim: CasualtyClaim) -> str | None:
    span = inside.locate(phrase) if phrase else None
    if span is None:
        return None
    claim.evidence.append(_shift(span, offset))
    return span.quote


def _shift(span: Evidence, offset: int) -> Evidence:
    return Evidence(quote=span.quote, start=span.start + offset, end=span.end + offset, match=span.match)


_REJECTIONS = (
    ("description not supported", "what"),
    ("actor ", "who"),
    ("place ", "where"),
    ("admin area ", "where"),
    ("country ", "where"),
    ("date phrase ", "when"),
    ("casualty quote ", "casualties"),
    ("killed figure ", "killed"),
    ("injured figure ", "injured"),
    ("kidnapped figure ", "casualties"),
    ("an event with no support", "event"),
)
"""Warning prefix → what was rejected, for predictions written before rejections were records."""


def count_rejections(records: list[Rejection]) -> dict[str, int]:
    """How many values were rejected, per field group."""
    counts: dict[str, int] = {}
    for record in records:
        counts[record.field] = counts.get(record.field, 0) + 1
    return counts


def rejections(warnings: list[str]) -> dict[str, int]:
    """How many values grounding rejected, per field group, read from the warnings of an older prediction
    (one written before `run.rejections`); new runs count their records (`count_rejections`)."""
    counts: dict[str, int] = {}
    for warning in warnings:
        if not (warning.endswith("dropped") or "dropped: " in warning or "not supported by" in warning):
            continue  # e.g. "date phrase … holds no date; left empty" keeps the phrase
        group = next((g for prefix, g in _REJECTIONS if warning.startswith(prefix)), None)
        if group:
            counts[group] = counts.get(group, 0) + 1
    return counts
