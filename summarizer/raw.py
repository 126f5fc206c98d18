"""What an extractor returns before grounding: verbatim phrases, no offsets, no normalized values.

Models (and the rules extractor) copy words from the article; code then finds those words, computes
offsets and normalizes them (`pipeline.finish`). Keeping the model's job to copying short phrases is what
makes its answers checkable, and bounded lengths keep a small model from looping.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from summarizer.schema import ActorKind, EventType, Role

PLACEHOLDERS = frozenset({"", "null", "none", "unknown", "n/a", "na", "not stated", "not specified", "unspecified"})
"""Words small models write where the schema wants null: they mean "not said", never a value."""


def _null_placeholder(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip().strip(".").lower() in PLACEHOLDERS else value


Phrase = Annotated[str | None, BeforeValidator(_null_placeholder)]


def _every_key_required(schema: dict[str, Any]) -> None:
    """In the schema a model is given, every key is required (nullable where the article may not say)
    and no other key is allowed: neither a grammar built from it nor a lazy model can skip a field."""
    schema["required"] = list(schema.get("properties", {}))
    schema["additionalProperties"] = False


class _Raw(BaseModel):
    # Field docstrings become the JSON-schema descriptions a model reads: they are its field guide.
    # The schema forbids other keys; an answer that adds some anyway (a compromised or chatty model) keeps
    # its known keys, while one without `events` is an error, never an empty success. Python code (rules,
    # tests) may leave fields at their defaults, and so may an answer that skips a nullable key.
    model_config = ConfigDict(use_attribute_docstrings=True, extra="ignore", json_schema_extra=_every_key_required)


def _named(actors: Any) -> Any:
    """An actor named "unknown" is no actor."""
    if not isinstance(actors, list):
        return actors
    return [a for a in actors if _null_placeholder(a.get("name") if isinstance(a, dict) else a.name) is not None]


class RawActor(_Raw):
    name: str = Field(max_length=120)
    """The actor's name copied exactly from the article."""
    role: Role = "other"
    """perpetrator (who attacked), target, victim, claimant (who claimed it), or other."""
    kind: ActorKind = "unknown"
    """What the actor is (a person, a state force, an armed group…), or unknown."""
    claimed: bool = False
    """True for a perpetrator known only from its own claim of responsibility ("X claimed responsibility")."""


class RawCasualty(_Raw):
    quote: str = Field(max_length=400)
    """The words of the article that state the figure, copied exactly."""
    killed: Phrase = Field(default=None, max_length=80)
    """The number words for the dead, copied exactly (e.g. "at least 16"), or null."""
    injured: Phrase = Field(default=None, max_length=80)
    """The number words for the injured, copied exactly, or null."""
    kidnapped: Phrase = Field(default=None, max_length=80)
    """The number words for the kidnapped, abducted or missing, copied exactly, or null (never the dead or
    the injured)."""
    victims: Phrase = Field(default=None, max_length=120)
    """Who was killed or hurt, copied exactly."""
    source: Phrase = Field(default=None, max_length=120)
    """Who gives the figure, copied exactly (e.g. "A PMF commander"), or null."""


class RawEvent(_Raw):
    primary: bool = False
    """True for the one event the article is mainly about."""
    event_type: EventType = "other"
    """The kind of violence; "other" when none fits."""
    description: str = Field(default="", max_length=300)
    """One sentence in your own words: who did what to whom, where."""
    quote: str = Field(default="", max_length=400)
    """The sentence of the article that reports the event, copied exactly."""
    actors: Annotated[list[RawActor], BeforeValidator(_named)] = Field(default_factory=list, max_length=6)
    """Who attacked, who was targeted or hurt, who claimed it: names copied exactly; [] when none is named."""
    place: Phrase = Field(default=None, max_length=80)
    """The most specific place named (city, town, site), copied exactly: one name, not "City, Country"."""
    admin1: Phrase = Field(default=None, max_length=80)
    """State, province or governorate, copied exactly, or null."""
    country: Phrase = Field(default=None, max_length=60)
    """The country named for the event, copied exactly, or null."""
    date_phrase: Phrase = Field(default=None, max_length=80)
    """The words that date the event, copied exactly as written (e.g. "on Wednesday", "February 7"), not
    rewritten as a date, or null."""
    casualties: list[RawCasualty] = Field(default_factory=list, max_length=4)
    """Each figure of dead or injured the article gives for this event, one per source; [] when none."""


class RawExtraction(_Raw):
    events: list[RawEvent] = Field(max_length=8)
    """Every violent event the article reports; an empty list when it reports none."""
