"""`summarize()`: the one pipeline that live runs, batch jobs and the Batch API mode all use.

    article ─► prepare (validate, publication date, mask injected passages) ─► Document
    Document ─► check_language (a language the extractor cannot read is refused, never reported empty)
    Document ─► extractor (rules | full | hybrid; chosen from the settings) ─► raw extraction
    raw extraction ─► complete (ground, normalize, assemble) ─► Summary

The Batch API mode runs `prepare`, sends `extract.full.request_for(doc.masked, …)` itself, and hands
the answer to `complete`: the same text is masked, asked about and grounded as in a live run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from summarizer.backends import Backend
from summarizer.config import Settings, load_settings
from summarizer.errors import UnsupportedLanguageError
from summarizer.extract import Document, Extractor, build_events, choose_extractor
from summarizer.extract.events import count_rejections
from summarizer.extract.mentions.dates import find_published
from summarizer.raw import RawExtraction
from summarizer.record import RunRecord
from summarizer.schema import Article, ArticleMeta, PublishedSource, RunInfo, Summary
from summarizer.text import detect_language, find_injections, mask_spans, validate_text
from summarizer.text.language import language_name
from summarizer.text.published import FORMATS_HINT, Published, read_published
from summarizer.version import __version__


def summarize(
    article: str | Article, published: str | None = None, settings: Settings | None = None,
    *, backend: Backend | None = None,
) -> Summary:  # fmt: skip
    """Summarize one article. Raises `InputError`, `ConfigError` or `BackendError` with a fix hint.

    `backend` overrides the one `settings` names (batch passes an OpenAI client with a rate limiter)."""
    started = time.monotonic()
    settings = settings or load_settings()
    extractor = choose_extractor(settings, backend)
    doc = prepare(article, published)
    check_language(doc.meta.language, extractor, settings.backend)
    record = RunRecord()
    raw = extractor.extract(doc, record)
    label = RunLabel(extractor.name, extractor.backend, extractor.model, extractor.note)
    return complete(doc, raw, record, label, time.monotonic() - started)


def prepare(article: str | Article, published: str | None = None) -> Document:
    """Validate the text and settle the publication date: the argument, else the article's own (a batch
    field, a page's meta tags), else one stated in the text. An unreadable date is a warning, not a failure."""
    art = article if isinstance(article, Article) else Article(text=article, published=published)
    text = validate_text(art.text)
    notes: list[str] = []
    found, source = _published(art, published, text, notes)
    meta = ArticleMeta(id=art.id, title=art.title or _title(text), url=art.url,
                       published=found.iso if found else None, published_source=source,
                       language=detect_language(text), chars=len(text))  # fmt: skip
    injections = find_injections(text)
    masked = mask_spans(text, injections)
    return Document(text, meta, found.moment if found else None, masked, len(injections), tuple(notes))


def _published(
    art: Article, published: str | None, text: str, notes: list[str]
) -> tuple[Published | None, PublishedSource]:
    given = published or art.published
    if given:
        found = read_published(given)
        if found is not None:
            own = published in (None, art.published)  # batch passes the article's own date back in
            return found, (art.published_source if own and art.published_source else "argument")
        notes.append(f"cannot read the publication date {given!r}, so it is ignored; give {FORMATS_HINT}")
    stated = find_published(text)
    found = read_published(stated[0]) if stated else None
    return (found, "text") if found else (None, "none")


def check_language(language: str | None, extractor: Extractor, backend: str) -> None:
    """Refuse an article in a language the extractor cannot read, rather than report it empty."""
    if language is None or extractor.languages is None or language in extractor.languages:
        return
    reads = ", ".join(sorted(language_name(code) for code in extractor.languages))
    raise UnsupportedLanguageError(
        f"the article is in {language_name(language)} ({language}), and the {backend} backend reads "
        f"{reads} only: use --backend openai (any OpenAI-compatible server) for this article"
    )


MODEL_STRATEGIES = ("full", "hybrid", "select")


@dataclass(frozen=True)
class RunLabel:
    """Who answered, for `RunInfo`: the extractor's name, backend, model and note."""

    extractor: str
    backend: str
    model: str
    note: str | None = None


def complete(doc: Document, raw: RawExtraction, record: RunRecord, label: RunLabel, duration_s: float) -> Summary:
    """Ground and normalize the raw extraction against the masked text and assemble the summary."""
    events, grounding_warnings, rejected = build_events(doc.masked, raw, doc.published)
    rejected = record.rejections + rejected
    run = RunInfo(
        backend=label.backend, model=label.model, prompts=record.prompts, usage=record.usage,
        duration_s=round(duration_s, 3), field_sources=dict(record.field_sources), summarizer_version=__version__,
        extractor=label.extractor, note=label.note, rejected=count_rejections(rejected), rejections=rejected,
        strategy=label.extractor if label.extractor in MODEL_STRATEGIES else None,
    )  # fmt: skip
    notes = list(doc.warnings) + record.warnings + grounding_warnings
    if doc.injections:
        notes.append(f"ignored {doc.injections} passage(s) addressed to a model rather than reporting news")
    return Summary(article=doc.meta, events=events, run=run, warnings=notes + _notes(doc.meta))


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
