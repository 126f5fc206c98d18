"""The hybrid extractor behind the `local` backend: rules propose, a small model chooses.

The rules extractor fills every field first. For each field group listed in `settings.model_field_groups`,
the model gets one short question over the article, answered through a grammar: an enum of the
candidates code found in the text (places, date phrases, number phrases, names), or for `what` an
event type plus one sentence. The rules' value stays when the model declines ("unknown"/"none"), so
the model can change a field but never invent one, and every answer is still grounded afterwards.

Which groups the model answers is a setting (`--model-fields`), chosen by measurement on the dev set;
see evals/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from summarizer.backends import Backend, ask, render
from summarizer.config import Settings
from summarizer.errors import BackendError
from summarizer.extract import rules
from summarizer.extract.base import ENGLISH, Document, ModelExtractor
from summarizer.extract.full import fence
from summarizer.extract.gazetteer import find_places, lookup
from summarizer.extract.mentions.dates import DATE_PHRASE
from summarizer.extract.roles import casualties
from summarizer.extract.roles.actors import NOT_NAMES, actor_kind
from summarizer.extract.roles.casualties import Outcome
from summarizer.raw import RawActor, RawCasualty, RawEvent, RawExtraction
from summarizer.record import RunRecord
from summarizer.schema import FIELD_GROUPS, ArticleMeta, EventType, FieldGroup

DEFAULT_MODEL_FIELDS: tuple[FieldGroup, ...] = ()
"""Measured on the 200-article GVDB dev sample (evals/README.md): SmolLM2-135M answering any field group
scores at or below the rules on that field, so by default the rules decide every field. A larger GGUF
(`--model-path`) can be given field groups with `--model-fields`; measure before making it a default."""
PREFIX_CHARS = 4000
"""Article characters shown to the model: news leads carry the facts, and ~1,000 tokens keep every
question inside a 4,096-token context with room for the answer."""
MAX_CANDIDATES = 10


class WhatAnswer(BaseModel):
    event_type: EventType
    description: str = Field(max_length=160)


class HybridExtractor(ModelExtractor):
    """Rules fill every field; the model answers the field groups in `fields`. Build it only when
    `fields` is non-empty: with none, the rules extractor alone is the honest choice."""

    name = "hybrid"
    languages: frozenset[str] | None = ENGLISH  # the rules find every candidate the model chooses from

    def __init__(self, settings: Settings, backend: Callable[[], Backend], fields: tuple[FieldGroup, ...]) -> None:
        super().__init__(settings, backend)
        self.fields = fields

    def extract(self, doc: Document, record: RunRecord) -> RawExtraction:
        baseline, primary = self._rules_draft(doc, record)
        if primary is None:
            return baseline  # the model never invents an event the rules did not see
        article = doc.masked[:PREFIX_CHARS]
        for group in FIELD_GROUPS:
            if group in self.fields:
                answer = self._ask(group, article, doc.meta, record)
                if answer is not None and _apply(group, answer, primary, doc.masked):
                    record.filled_by("model", group)
        return baseline

    def _ask(self, group: FieldGroup, article: str, meta: ArticleMeta, record: RunRecord) -> Any:
        candidates = [] if group == "what" else candidates_for(group, article)
        if group != "what" and not candidates:
            return None
        decline = "none" if group in ("killed", "injured") else "unknown"
        model: type[BaseModel] = WhatAnswer if group == "what" else _choice([*candidates, decline])
        prompt = render("field", article=fence(article), published=meta.published, field=group, candidates=candidates)
        try:
            value = ask(self._get(), prompt, model, 120 if group == "what" else 60, self.settings, record)
        except BackendError as exc:  # one unanswerable question must not cost the whole article
            record.warnings.append(f"model gave no valid answer for {group!r}; the rules' value stands ({exc})")
            return None
        if group == "what":
            return value
        choice = value.answer
        return None if choice == decline else choice


def _choice(options: list[str]) -> type[BaseModel]:
    literal = Literal[tuple(dict.fromkeys(options))]  # type: ignore[valid-type]
    return create_model("Choice", answer=(literal, ...))  # type: ignore[arg-type]


def candidates_for(group: str, article: str) -> list[str]:
    """What code finds in the article for a field group, in text order, deduplicated."""
    found: list[str] = []
    if group == "where":
        found = [article[m.start : m.end] for m in find_places(article)]
    elif group == "when":
        found = [m.group() for m in DATE_PHRASE.finditer(article)]
    elif group in ("killed", "injured"):
        outcome = Outcome.KILLED if group == "killed" else Outcome.INJURED
        for sentence in rules.split_sentences(article):
            figure = casualties.figure(sentence.text, outcome)
            if figure:
                found.append(figure)
    elif group == "who":
        found = _names(article)
    # Quotes and backslashes break llama.cpp's enum grammar; such names stay with the rules.
    unique = list(dict.fromkeys(c.strip() for c in found if c.strip() and not set(c) & {'"', "\\"}))
    return unique[:MAX_CANDIDATES]


def _names(article: str) -> list[str]:
    """Actors the rules see plus capitalized phrases from the sentences that describe violence."""
    names = [a.name for e in rules.extract(article, None).events for a in e.actors]
    for sentence in rules.split_sentences(article)[:8]:
        if rules.VIOLENCE.search(sentence.text):
            names += [m.group() for m in re.finditer(r"\b[A-Z][\w.'’-]+(?:\s+(?:of\s+)?[A-Z][\w.'’()-]+){1,4}",
                                                      sentence.text)]  # fmt: skip
    return [n for n in names if not NOT_NAMES.match(n)]


def _apply(group: str, answer: Any, event: RawEvent, text: str) -> bool:
    if group == "what":
        event.event_type, event.description = answer.event_type, answer.description
    elif group == "who":
        event.actors = [RawActor(name=answer, role="perpetrator", kind=actor_kind(answer))] + [
            a for a in event.actors if a.role != "perpetrator"
        ]
    elif group == "where":
        event.place, event.admin1, event.country = place_fields(answer)
    elif group == "when":
        event.date_phrase = answer
    else:
        _set_figure(event, group, answer, text)
    return True


def place_fields(name: str) -> tuple[str | None, str | None, str | None]:
    place = lookup(name)
    if place is None or place.kind == "city":
        return name, None, None
    if place.kind == "admin1":
        return None, name, None
    return None, None, name


def _set_figure(event: RawEvent, group: str, phrase: str, text: str) -> None:
    """The chosen figure becomes the event's only one of its kind, in a claim quoting its sentence."""
    sentence = next((s.text for s in rules.split_sentences(text) if phrase in s.text), None)
    if sentence is None:
        return
    for claim in event.casualties:
        setattr(claim, group, None)
    existing = next((c for c in event.casualties if c.quote == sentence[:400]), None)
    claim = existing or RawCasualty(quote=sentence[:400])
    setattr(claim, group, phrase)
    if existing is None:
        event.casualties.insert(0, claim)
    event.casualties[:] = [c for c in event.casualties if c.killed or c.injured]
