"""The full extractor: one schema-constrained model call per chunk of the article fills everything.

Long articles are read in overlapping chunks whose events are merged; the first chunk's primary event
stays primary. The Batch API mode sends the same request (`request_for`) one article at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from summarizer.backends import RenderedPrompt, ask, render
from summarizer.errors import ConfigError
from summarizer.extract.base import Document, ModelExtractor
from summarizer.raw import RawEvent, RawExtraction
from summarizer.record import RunRecord
from summarizer.schema import Rejection, RejectionField
from summarizer.text import chunk_text, fold_quote

MAX_ARTICLE_CHARS = 12_000
"""Characters of article text one full-extraction prompt carries; longer articles are read in
overlapping chunks of this size and their events merged (the Batch API mode, one request per article,
cuts instead, with a warning)."""
CHUNK_OVERLAP = 1_000
FULL_MAX_TOKENS = 3000
"""The most an answer may take; less when the context is small (`fit`)."""
MIN_ANSWER_TOKENS = 512
CHARS_PER_TOKEN = 4.0
"""Article text: English news measured 4.4 characters a token (SmolLM2's tokenizer, the seed)."""
CHARS_PER_TOKEN_DENSE = 3.2
"""Instructions and the JSON schema: measured 3.9 and 3.3."""
SAFETY_TOKENS = 64


@dataclass(frozen=True)
class Fit:
    """How much article one request carries and how long its answer may be, for one context window."""

    chunk_chars: int
    max_tokens: int


def fit(context_tokens: int) -> Fit:
    """Chunk size and `max_tokens` such that prompt plus answer always fit in `context_tokens`."""
    max_tokens = max(MIN_ANSWER_TOKENS, min(FULL_MAX_TOKENS, context_tokens // 4))
    overhead = estimate_tokens(json.dumps(request_for("", None).messages), CHARS_PER_TOKEN_DENSE) + schema_tokens()
    room = context_tokens - max_tokens - overhead - SAFETY_TOKENS
    if room * CHARS_PER_TOKEN < 2 * CHUNK_OVERLAP:
        raise ConfigError(f"a context of {context_tokens} tokens leaves no room for the article after the "
                          f"instructions ({overhead}) and the answer ({max_tokens}); use a model with a larger "
                          "context or pass the right --context")  # fmt: skip
    return Fit(chunk_chars=min(MAX_ARTICLE_CHARS, int(room * CHARS_PER_TOKEN)), max_tokens=max_tokens)


def estimate_tokens(text: str, chars_per_token: float = CHARS_PER_TOKEN) -> int:
    return int(len(text) / chars_per_token) + 1


@lru_cache(maxsize=1)
def schema_tokens() -> int:
    """The answer schema, which tool-calling servers may put into the prompt: counted, to be safe."""
    return estimate_tokens(json.dumps(RawExtraction.model_json_schema()), CHARS_PER_TOKEN_DENSE)


class FullExtractor(ModelExtractor):
    name = "full"

    def extract(self, doc: Document, record: RunRecord) -> RawExtraction:
        backend = self._get()
        sized = fit(getattr(backend, "context_tokens", None) or self.settings.n_ctx)
        chunks = chunk_text(doc.masked, sized.chunk_chars, CHUNK_OVERLAP)
        if len(chunks) > 1:
            record.warnings.append(f"article read in {len(chunks)} overlapping chunks; events merged")
        events: list[RawEvent] = []
        for chunk in chunks:
            request = request_for(chunk.text, doc.meta.published)
            raw = ask(backend, request, RawExtraction, sized.max_tokens, self.settings, record)
            drop_example_copies(raw, example_values(request.example), doc.masked, record)
            events += [e for e in raw.events if not any(_same_event(e, seen) for seen in events)]
        for i, event in enumerate(events):  # the first chunk's primary event stays primary
            event.primary = event.primary and not any(e.primary for e in events[:i])
        record.filled_by("model")
        return RawExtraction(events=events)


def example_values(example: str | None) -> frozenset[str]:
    """Every string in the worked example's answer, folded: what a copying model would repeat."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and len(node) > 2:
            found.add(fold_quote(node))

    walk(json.loads(example) if example else {})
    return frozenset(found)


def drop_example_copies(raw: RawExtraction, example: frozenset[str], text: str, record: RunRecord) -> None:
    """Values the model copied from the worked example (its town, names, quotes) that this article does not
    say are dropped, each as a rejection record: they describe the example, not the article."""
    if not example:
        return
    article = fold_quote(text)

    def copied(value: str | None) -> bool:
        folded = fold_quote(value or "")
        return bool(folded) and folded in example and folded not in article

    def reject(field: RejectionField, value: str) -> None:
        record.rejections.append(Rejection(field=field, value=value[:200], reason="example_copy"))
        record.warnings.append(f"{field} {value[:80]!r} repeats the prompt's worked example; dropped")

    for event in raw.events:
        for key, field in (("place", "where"), ("admin1", "where"), ("country", "where"), ("date_phrase", "when"),
                           ("quote", "what")):  # fmt: skip
            value = getattr(event, key)
            if copied(value):
                reject(field, value)  # type: ignore[arg-type]
                setattr(event, key, "" if key == "quote" else None)
        for actor in [a for a in event.actors if copied(a.name)]:
            reject("who", actor.name)
            event.actors.remove(actor)
        for claim in [c for c in event.casualties if copied(c.quote)]:
            reject("casualties", claim.quote)
            event.casualties.remove(claim)


def _same_event(a: RawEvent, b: RawEvent) -> bool:
    """One event reported twice, e.g. from the overlap between two chunks."""
    if a.quote and fold_quote(a.quote) == fold_quote(b.quote):
        return True
    return (a.event_type, a.place, a.date_phrase) == (b.event_type, b.place, b.date_phrase) and bool(a.place)


def request_for(text: str, published: str | None) -> RenderedPrompt:
    """The full-extraction prompt for one article or chunk (also what the Batch API mode sends)."""
    return render("extract", article=fence(text[:MAX_ARTICLE_CHARS]), published=published)


def fence(text: str) -> str:
    """Keep the article inside its delimiters: a closing tag in the text cannot end the data block."""
    return text.replace("</article", "< /article").replace("<article", "< article")
