"""The hybrid extractor behind the `local` backend: rules propose, a small model chooses.

The rules extractor fills every field first. For each field group listed in `settings.model_fields`,
the model gets one short question over the article, answered through a grammar: an enum of the
candidates code found in the text (places, date phrases, number phrases, names), or for `what` an
event type plus one sentence. The rules' value stays when the model declines ("unknown"/"none"), so
the model can change a field but never invent one, and every answer is still grounded afterwards.

Which groups the model answers is a setting (`--model-fields`), chosen by measurement on the dev set;
see evals/README.md.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from summarizer import rules
from summarizer.backends import Backend
from summarizer.config import Settings
from summarizer.errors import BackendError
from summarizer.gazetteer import find_places
from summarizer.prompts import render
from summarizer.raw import RawActor, RawCasualty, RawEvent, RawExtraction
from summarizer.schema import ArticleMeta, EventType, PromptInfo, Usage

DEFAULT_MODEL_FIELDS: tuple[str, ...] = ()
"""Measured on the 200-article GVDB dev sample (evals/README.md): SmolLM2-135M answering any field group
scores at or below the rules on that field, so by default the rules decide every field. A larger GGUF
(`--model-path`) can be given field groups with `--model-fields`; measure before making it a default."""
MODEL_FIELDS = ("what", "who", "where", "when", "killed", "injured")
PREFIX_CHARS = 4000
"""Article characters shown to the model: news leads carry the facts, and ~1,000 tokens keep every
question inside a 4,096-token context with room for the answer."""
MAX_CANDIDATES = 10


class WhatAnswer(BaseModel):
    event_type: EventType
    description: str = Field(max_length=160)


def refine(
    text: str, meta: ArticleMeta, baseline: RawExtraction, backend: Backend, settings: Settings, usage: Usage,
    prompts: list[PromptInfo], warnings: list[str],
) -> tuple[RawExtraction, dict[str, str]]:  # fmt: skip
    """Answer the configured field groups with the model; everything else stays as the rules left it."""
    fields = settings.model_fields if settings.model_fields is not None else DEFAULT_MODEL_FIELDS
    unknown = set(fields) - set(MODEL_FIELDS)
    if unknown:
        from summarizer.errors import ConfigError

        raise ConfigError(f"unknown model field(s) {sorted(unknown)}; choose from {', '.join(MODEL_FIELDS)}")
    sources = {group: "rules" for group in MODEL_FIELDS}
    primary = next((e for e in baseline.events if e.primary), None)
    if primary is None:
        return baseline, sources  # the model never invents an event the rules did not see
    article = text[:PREFIX_CHARS]
    for group in MODEL_FIELDS:
        if group not in fields:
            continue
        answer = _ask(group, article, meta, backend, settings, usage, prompts, warnings)
        if answer is not None and _apply(group, answer, primary, text):
            sources[group] = "model"
    return baseline, sources


def _ask(
    group: str, article: str, meta: ArticleMeta, backend: Backend, settings: Settings, usage: Usage,
    prompts: list[PromptInfo], warnings: list[str],
) -> Any:  # fmt: skip
    from summarizer.pipeline import ask, fence

    candidates = [] if group == "what" else candidates_for(group, article)
    if group != "what" and not candidates:
        return None
    decline = "none" if group in ("killed", "injured") else "unknown"
    model: type[BaseModel] = WhatAnswer if group == "what" else _choice([*candidates, decline])
    prompt = render("field", article=fence(article), published=meta.published, field=group, candidates=candidates)
    if prompt.info not in prompts:
        prompts.append(prompt.info)
    try:
        value = ask(backend, prompt, model, 120 if group == "what" else 60, settings, usage)
    except BackendError as exc:  # one unanswerable question must not cost the whole article
        warnings.append(f"model gave no valid answer for {group!r}; the rules' value stands ({exc})")
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
        found = [m.group() for m in rules.DATE_PHRASE.finditer(article)]
    elif group in ("killed", "injured"):
        outcome, gerund = (rules.KILLED, "killing") if group == "killed" else (rules.INJURED, "injuring|wounding")
        for sentence in rules.split_sentences(article):
            figure = rules._figure(sentence.text, outcome, gerund)
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
    return [n for n in names if not rules.NOT_NAMES.match(n)]


def _apply(group: str, answer: Any, event: RawEvent, text: str) -> bool:
    if group == "what":
        event.event_type, event.description = answer.event_type, answer.description
    elif group == "who":
        event.actors = [RawActor(name=answer, role="perpetrator", kind=rules.actor_kind(answer))] + [
            a for a in event.actors if a.role != "perpetrator"
        ]
    elif group == "where":
        event.place, event.admin1, event.country = _place_fields(answer)
    elif group == "when":
        event.date_phrase = answer
    else:
        _set_figure(event, group, answer, text)
    return True


def _place_fields(name: str) -> tuple[str | None, str | None, str | None]:
    from summarizer.gazetteer import lookup

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
