"""The select strategy: code finds grounded candidates, the model only assigns them roles.

The rules extractor drafts the events first. The mention detectors' candidates (figures, names, places,
dates) are marked in the article with short ids, and one request asks the model which ids are the main
event's killed and injured figures, perpetrator, victim, place and date. The answer schema enumerates
the ids (a `Literal` per field), so a constrained server (json_schema, OpenAI strict mode, llama.cpp's
grammar) can only answer with real ids, and an unconstrained one that invents an id fails validation and
is asked again. Each chosen id maps back to its span, so every value the model sets is grounded by
construction; where the model answers "none", the rules' value stands. Small models choose well and
write badly: this keeps their job to choosing.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from summarizer.backends import RenderedPrompt, ask, render
from summarizer.extract import rules
from summarizer.extract.base import Document, ModelExtractor
from summarizer.extract.candidates import Candidates, collect
from summarizer.extract.full import fence
from summarizer.extract.hybrid import place_fields
from summarizer.extract.mentions import Mention, MentionKind, attribution
from summarizer.extract.roles import casualties
from summarizer.extract.roles.actors import actor_kind
from summarizer.raw import RawActor, RawCasualty, RawEvent, RawExtraction
from summarizer.record import RunRecord
from summarizer.schema import EventType, FieldGroup

PREFIX_CHARS = 4000
"""Article characters the model reads: news leads carry the main event, and ~1,000 tokens keep the prompt
quick on a small local server (about 100 prompt tokens/s on 2 cores)."""
NONE = "none"
SELECT_MAX_TOKENS = 200
"""Seven short keys of ids: ~80 tokens; room for a model that pads with whitespace."""
ROLES: tuple[tuple[str, MentionKind, FieldGroup], ...] = (
    ("killed", MentionKind.FIGURE, "killed"),
    ("injured", MentionKind.FIGURE, "injured"),
    ("perpetrator", MentionKind.NAME, "who"),
    ("victim", MentionKind.NAME, "who"),
    ("place", MentionKind.PLACE, "where"),
    ("date", MentionKind.DATE, "when"),
)
"""Answer key → the kind of candidate it takes → the field group it fills. The order is the answer's."""


class SelectExtractor(ModelExtractor):
    name = "select"

    def extract(self, doc: Document, record: RunRecord) -> RawExtraction:
        baseline, primary = self._rules_draft(doc, record)
        if primary is None:
            return baseline  # the model never invents an event the rules did not see
        found = collect(doc.masked[:PREFIX_CHARS])
        answer = ask(self._get(), request_for(found, doc.meta.published), answer_model(found), SELECT_MAX_TOKENS,
                     self.settings, record)  # fmt: skip
        record.filled_by("model", *apply(answer, found, primary, doc.masked))
        return baseline


def request_for(found: Candidates, published: str | None) -> RenderedPrompt:
    lines = [f"{cid}: {json.dumps(m.text, ensure_ascii=False)}" for cid, m in found.by_id.items()]
    return render("select", article=fence(found.marked()), published=published, candidates=lines)


def answer_model(found: Candidates) -> type[BaseModel]:
    """The answer's schema: per role, the ids of the candidates of its kind, or "none"; every key required."""
    # No descriptions: the prompt says what each key means, and tool-calling servers put the schema into the
    # prompt, where every word costs a small local model prompt time.
    fields: dict[str, Any] = {"event_type": (EventType, ...)}
    for key, kind, _ in ROLES:
        fields[key] = (Literal[tuple([*found.ids(kind), NONE])], ...)
    config = ConfigDict(extra="ignore", json_schema_extra=_closed)
    model: type[BaseModel] = create_model("Selection", __config__=config, **fields)
    return model


def _closed(schema: dict[str, Any]) -> None:
    schema["required"] = list(schema.get("properties", {}))
    schema["additionalProperties"] = False


def apply(answer: BaseModel, found: Candidates, event: RawEvent, text: str) -> list[FieldGroup]:
    """Set the primary event's fields from the chosen ids; the field groups the model filled."""
    filled: list[FieldGroup] = []
    event.event_type = answer.event_type  # type: ignore[attr-defined]
    filled.append("what")
    for key, _, group in ROLES:
        chosen = getattr(answer, key)
        mention = found.by_id.get(chosen) if chosen != NONE else None
        if mention is None:
            continue
        _SETTERS[key](event, mention, text)
        filled.append(group)
    return list(dict.fromkeys(filled))


def _figure(outcome: Literal["killed", "injured"]) -> Any:
    def setter(event: RawEvent, mention: Mention, text: str) -> None:
        """The chosen figure becomes the event's only one of its kind, in a claim quoting its sentence."""
        sentence = next((s for s in rules.split_sentences(text) if s.start <= mention.start < s.end), None)
        if sentence is None:
            return
        quote = sentence.text[:400]
        for claim in event.casualties:
            setattr(claim, outcome, None)
        found = next((c for c in event.casualties if c.quote == quote), None)
        if found is None:
            said = casualties.attribution_in(sentence, attribution.find(text))
            found = RawCasualty(quote=quote, source=said.head if said is not None and said.head in quote else None)
            event.casualties.insert(0, found)
        claim = found
        setattr(claim, outcome, mention.text)
        event.casualties[:] = [c for c in event.casualties if c.killed or c.injured]

    return setter


def _actor(role: Literal["perpetrator", "victim"]) -> Any:
    def setter(event: RawEvent, mention: Mention, text: str) -> None:
        others = [a for a in event.actors if a.role != role and a.name != mention.text]
        event.actors = [RawActor(name=mention.text, role=role, kind=actor_kind(mention.text)), *others][:6]

    return setter


def _place(event: RawEvent, mention: Mention, text: str) -> None:
    event.place, event.admin1, event.country = place_fields(mention.text)


def _date(event: RawEvent, mention: Mention, text: str) -> None:
    event.date_phrase = mention.text


_SETTERS: dict[str, Any] = {
    "killed": _figure("killed"),
    "injured": _figure("injured"),
    "perpetrator": _actor("perpetrator"),
    "victim": _actor("victim"),
    "place": _place,
    "date": _date,
}
