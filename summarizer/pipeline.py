"""`summarize()`: article → prompt → cache → backend → grounding → normalization → `Summary`.

Three ways to fill the raw extraction, chosen by backend:
- `rules`: the deterministic extractor alone;
- `openai`: one schema-constrained call for the whole extraction (capable models);
- `local`: the hybrid: rules fill every field, and the small model answers the field groups in
  `settings.model_fields` through short, grammar-constrained questions (`hybrid.py`).
Whatever filled it, `finish()` grounds every quote and normalizes every value the same way.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from summarizer import __version__, rules
from summarizer.backends import Backend, get_backend, is_transient
from summarizer.cache import cache_key, open_cache
from summarizer.config import Settings, load_settings
from summarizer.errors import BackendError, ConfigError, InputError
from summarizer.gazetteer import lookup, us_state
from summarizer.grounding import Locator
from summarizer.normalize import country_code, country_name, parse_count, parse_published, resolve_date
from summarizer.prompts import RenderedPrompt, render
from summarizer.raw import RawCasualty, RawEvent, RawExtraction
from summarizer.schema import (
    Actor,
    Article,
    ArticleMeta,
    CasualtyClaim,
    Event,
    Evidence,
    PromptInfo,
    PublishedSource,
    RunInfo,
    Summary,
    Usage,
    What,
    When,
    Where,
)
from summarizer.text import chunk_text, detect_language, find_injections, fold_quote, mask_spans, validate_text

MAX_ARTICLE_CHARS = 12_000
"""Characters of article text one full-extraction prompt carries; longer articles are read in
overlapping chunks of this size and their events merged (the Batch API mode, one request per article,
cuts instead, with a warning)."""
CHUNK_OVERLAP = 1_000
FULL_MAX_TOKENS = 3000


@dataclass(frozen=True)
class Prepared:
    """An article ready for extraction: its validated text, metadata and publication date."""

    text: str
    meta: ArticleMeta
    published: datetime | None
    masked: str
    """`text` with passages addressed to a model (injected instructions, role markers, pasted answers)
    blanked to spaces: same length, so offsets hold. Extraction and grounding see only this."""
    injections: int = 0


def summarize(
    article: str | Article, published: str | None = None, settings: Settings | None = None,
    *, backend: Backend | None = None,
) -> Summary:  # fmt: skip
    """Summarize one article. Raises `InputError`, `ConfigError` or `BackendError` with a fix hint.

    `backend` overrides the one `settings` names (batch passes an OpenAI client with a rate limiter)."""
    started = time.monotonic()
    settings = settings or load_settings()
    prepared = prepare(article, published)
    model = backend or get_backend(settings)
    usage, prompts, warnings = Usage(), list[PromptInfo](), list[str]()
    raw, field_sources = _extract(prepared, model, settings, usage, prompts, warnings)
    events, grounding_warnings = finish(prepared.masked, raw, prepared.published)
    run = RunInfo(
        backend=settings.backend, model=model.model if model else "rules", prompts=prompts, usage=usage,
        duration_s=round(time.monotonic() - started, 3), field_sources=field_sources,
        summarizer_version=__version__,
    )  # fmt: skip
    return assemble(prepared, events, warnings + grounding_warnings, run)


def prepare(article: str | Article, published: str | None = None) -> Prepared:
    """Validate the text and settle the publication date: the argument, else one stated in the text."""
    art = article if isinstance(article, Article) else Article(text=article, published=published)
    text = validate_text(art.text)
    given = published or art.published
    source: PublishedSource = "argument" if given else "none"
    if not given:
        found = rules.find_published(text)
        given, source = (found[0], "text") if found else (None, "none")
    base = parse_published(given)
    if given and base is None:
        raise InputError(f"cannot read the publication date {given!r}; use ISO format, e.g. 2024-02-08")
    meta = ArticleMeta(id=art.id, title=art.title or _title(text), url=art.url,
                       published=given if base else None, published_source=source if base else "none",
                       language=detect_language(text), chars=len(text))  # fmt: skip
    injections = find_injections(text)
    return Prepared(text, meta, base, mask_spans(text, injections), len(injections))


def assemble(prepared: Prepared, events: list[Event], warnings: list[str], run: RunInfo) -> Summary:
    notes = list(warnings)
    if prepared.injections:
        notes.append(f"ignored {prepared.injections} passage(s) addressed to a model rather than reporting news")
    return Summary(article=prepared.meta, events=events, run=run, warnings=notes + _notes(prepared.meta))


def _title(text: str) -> str | None:
    first = text.strip().split("\n", 1)[0].strip()
    return first if 0 < len(first) <= 200 and "\n" in text.strip() else None


def _notes(meta: ArticleMeta) -> list[str]:
    notes = []
    if meta.published is None:
        notes.append("no publication date given or found: relative dates ('on Friday') stay unresolved")
    if meta.language not in (None, "en"):
        notes.append(f"article language looks like {meta.language!r}; extraction is tuned for English")
    return notes


def _extract(
    prepared: Prepared, backend: Backend | None, settings: Settings, usage: Usage, prompts: list[PromptInfo],
    warnings: list[str],
) -> tuple[RawExtraction, dict[str, str]]:  # fmt: skip
    baseline = rules.extract(prepared.masked, prepared.meta.published)
    if backend is None:
        return baseline, {}
    strategy = settings.strategy if settings.strategy != "auto" else ("hybrid" if backend.name == "local" else "full")
    if strategy not in ("full", "hybrid"):
        raise ConfigError(f"unknown strategy {settings.strategy!r}; choose auto, full or hybrid")
    if strategy == "hybrid":
        from summarizer.hybrid import refine

        return refine(prepared.masked, prepared.meta, baseline, backend, settings, usage, prompts, warnings)
    chunks = chunk_text(prepared.masked, MAX_ARTICLE_CHARS, CHUNK_OVERLAP)
    if len(chunks) > 1:
        warnings.append(f"article read in {len(chunks)} overlapping chunks; events merged")
    events: list[RawEvent] = []
    for chunk in chunks:
        request = build_request(chunk.text, prepared.meta.published)
        if request.info not in prompts:
            prompts.append(request.info)
        raw = ask(backend, request, RawExtraction, FULL_MAX_TOKENS, settings, usage)
        events += [e for e in raw.events if not any(_same_event(e, seen) for seen in events)]
    for i, event in enumerate(events):  # the first chunk's primary event stays primary
        event.primary = event.primary and not any(e.primary for e in events[:i])
    return RawExtraction(events=events), {group: "model" for group in ("what", "who", "where", "when", "casualties")}


def _same_event(a: RawEvent, b: RawEvent) -> bool:
    """One event reported twice, e.g. from the overlap between two chunks."""
    if a.quote and fold_quote(a.quote) == fold_quote(b.quote):
        return True
    return (a.event_type, a.place, a.date_phrase) == (b.event_type, b.place, b.date_phrase) and bool(a.place)


def build_request(text: str, published: str | None) -> RenderedPrompt:
    """The full-extraction prompt for one article (also used by the OpenAI Batch API mode)."""
    return render("extract", article=fence(text[:MAX_ARTICLE_CHARS]), published=published)


def fence(text: str) -> str:
    """Keep the article inside its delimiters: a closing tag in the text cannot end the data block."""
    return text.replace("</article", "< /article").replace("<article", "< article")


def ask(
    backend: Backend, prompt: RenderedPrompt, model: type[BaseModel], max_tokens: int, settings: Settings,
    usage: Usage,
) -> Any:  # fmt: skip
    """One model call through the cache, retrying transient failures with backoff and jitter."""
    cache = open_cache(settings)
    key = cache_key({"backend": backend.name, "model": backend.model, "prompt": prompt.info.hash,
                     "messages": prompt.messages, "schema": model.model_json_schema(),
                     "max_tokens": max_tokens, "settings": settings.cache_settings()})  # fmt: skip
    hit = cache.get(key) if cache else None
    if hit is not None:
        usage.add(Usage(cached_calls=1))
        return model.model_validate(hit["value"])
    retrying = Retrying(
        stop=stop_after_attempt(settings.max_retries + 1),
        wait=wait_exponential_jitter(initial=1, max=30),
        retry=retry_if_exception(is_transient),
        reraise=True,
    )
    try:
        result = retrying(backend.extract, prompt.messages, model, max_tokens)
    except BackendError:
        raise
    except Exception as exc:
        if is_transient(exc) or type(exc).__module__.startswith(("openai", "httpx")):
            raise BackendError(f"{backend.name} backend failed after retries: {_one_line(exc)}") from exc
        raise
    usage.add(result.usage)
    if cache:
        cache.put(key, {"value": result.value.model_dump(mode="json"), "usage": result.usage.model_dump()})
    return result.value


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


# ---------------------------------------------------------------- grounding and normalization


def finish(text: str, raw: RawExtraction, published: datetime | None) -> tuple[list[Event], list[str]]:
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
