"""The output contract: a `Summary` of one article, its events and the run that produced it.

Every object that holds an extracted value carries `evidence`: the exact quotes it rests on, with
character offsets such that ``article_text[start:end] == quote``. The JSON shape is stable: scripts may
rely on the documented keys; new keys may be added.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EventType = Literal[
    "air_strike",
    "drone_strike",
    "shelling",
    "shooting",
    "bombing",
    "armed_clash",
    "attack_on_base",
    "stabbing",
    "assault",
    "arrest",
    "kidnapping",
    "arson",
    "robbery",
    "other",
]
"""Event vocabulary. `air_strike`/`drone_strike`: aerial attacks; `shelling`: artillery, rockets, mortars;
`shooting`: gunfire at people; `bombing`: IEDs, car bombs, suicide attacks, explosions; `armed_clash`:
two armed sides fighting; `attack_on_base`: an attack on a military base or installation; `stabbing` and
`assault`: violence without firearms; `arrest`: detention or arrest; `kidnapping`: abduction, hostage
taking; `arson`: setting fire to property; `robbery`: taking money or goods by force; `other`: any other
violent event. evals/README.md maps the types to MUC-4, ACLED and PLOVER."""

EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]

Role = Literal["perpetrator", "target", "victim", "claimant", "other"]
ActorKind = Literal["state_force", "armed_group", "person", "organization", "civilians", "unknown"]
Precision = Literal["exact", "city", "admin1", "country", "region", "unknown"]
DatePrecision = Literal["day", "week", "month", "year"]
PublishedSource = Literal["argument", "page", "text", "none"]
"""Where the publication date came from: the caller, the HTML page's meta tags or JSON-LD, the text, nowhere."""
FieldGroup = Literal["what", "who", "where", "when", "killed", "injured"]
"""The one vocabulary of field groups: what `--model-fields` names and `run.field_sources` reports."""
FIELD_GROUPS: tuple[FieldGroup, ...] = FieldGroup.__args__  # type: ignore[attr-defined]
FieldSource = Literal["rules", "model"]


class Evidence(BaseModel):
    """A verbatim span of the article."""

    quote: str
    """The exact text, equal to ``article_text[start:end]``."""
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    match: Literal["exact", "normalized", "fuzzy"] = "exact"
    """How the quote the extractor gave was found in the text."""
    score: float | None = None
    """For a fuzzy match: how similar (0-100) the quote the extractor gave is to this span."""

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError("evidence end precedes start")
        return self


class Grounded(BaseModel):
    evidence: list[Evidence] = Field(default_factory=list)
    """The spans of the article this value rests on."""


class What(Grounded):
    type: EventType = "other"
    """The event type, from the documented vocabulary."""
    description: str = ""
    """One sentence saying what happened."""


class Actor(Grounded):
    name: str
    """The actor as the article names it, e.g. "U.S. Central Command (CENTCOM)"."""
    role: Role = "other"
    kind: ActorKind = "unknown"
    claimed: bool = False
    """A perpetrator by its own claim of responsibility ("al Shabaab claimed responsibility"), not by
    what others report of it."""


class Where(Grounded):
    place: str | None = None
    """The most specific place named: city, town, district or site."""
    admin1: str | None = None
    """First-level administrative area: state, province, governorate."""
    country: str | None = None
    country_code: str | None = None
    """ISO 3166-1 alpha-2."""
    precision: Precision = "unknown"


class When(Grounded):
    date: str | None = None
    """ISO date (YYYY-MM-DD); for coarser precision, the first day of the period."""
    time: str | None = None
    """Local time HH:MM when the article gives one."""
    precision: DatePrecision | None = None
    relative: bool = False
    """True when resolved from a relative phrase ("on Friday") against the publication date."""
    phrase: str | None = None
    """The words the date was read from."""
    resolved: bool = True
    """False when the phrase could not be turned into a date (e.g. no publication date is known)."""


class Count(BaseModel):
    """A casualty figure as a range; `best` is the single figure to use."""

    low: int | None = None
    best: int | None = None
    high: int | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Count:
        values = [v for v in (self.low, self.best, self.high) if v is not None]
        if any(v < 0 for v in values):
            raise ValueError("casualty counts cannot be negative")
        if values != sorted(values):
            raise ValueError("casualty range must satisfy low <= best <= high")
        return self

    @property
    def value(self) -> int | None:
        """The single figure: best, else low, else high."""
        return next((v for v in (self.best, self.low, self.high) if v is not None), None)


class CasualtyClaim(Grounded):
    killed: Count | None = None
    injured: Count | None = None
    kidnapped: Count | None = None
    """Kidnapped, abducted, taken hostage or missing: kept apart from killed and injured (not scored)."""
    qualifier: str | None = None
    """The raw words that qualify the figure, e.g. "at least", "dozens"."""
    victims: str | None = None
    """Who was hit, e.g. "Popular Mobilization Forces (PMF) fighters"."""
    source: str | None = None
    """Who gives the figure, e.g. "A PMF commander"."""


class Event(BaseModel):
    primary: bool = False
    what: What = Field(default_factory=What)
    who: list[Actor] = Field(default_factory=list)
    where: Where = Field(default_factory=Where)
    when: When = Field(default_factory=When)
    casualties: list[CasualtyClaim] = Field(default_factory=list)

    def figure(self, kind: Literal["killed", "injured"]) -> Count | None:
        """The event's killed/injured count: the claim with the highest figure (scorer and views alike)."""
        counts = [
            c for c in (getattr(claim, kind) for claim in self.casualties) if c is not None and c.value is not None
        ]
        return max(counts, key=lambda c: c.value or 0, default=None)


class ArticleMeta(BaseModel):
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    """Publication date or date-time, ISO 8601, with the offset the given value carried."""
    published_source: PublishedSource = "none"
    """Where `published` came from: the caller ("argument"), the article text, or nowhere."""
    language: str | None = None
    chars: int = 0


class PromptInfo(BaseModel):
    name: str
    version: str
    hash: str
    """`name@sha256[:12]` of the template source."""


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cached_calls: int = 0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.calls += other.calls
        self.cached_calls += other.cached_calls


RejectionField = Literal["what", "who", "where", "when", "casualties", "killed", "injured", "kidnapped", "event"]
RejectionReason = Literal["not_in_article", "not_in_quote", "unsupported_description", "no_support", "example_copy"]
"""Why a value was dropped: its words are not in the article; a figure is not in its own quote; the
description's words are not the article's; nothing of an event was grounded; the value repeats the
prompt's worked example rather than this article. (A placeholder such as "unknown" is read as null, not
rejected: `raw.PLACEHOLDERS`.)"""


class Rejection(BaseModel):
    """A value an extractor gave that did not reach the summary, and why."""

    field: RejectionField
    value: str
    """The value as given (cut to 200 characters)."""
    reason: RejectionReason


class RunInfo(BaseModel):
    backend: str
    model: str
    prompts: list[PromptInfo] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    duration_s: float = 0.0
    field_sources: dict[str, str] = Field(default_factory=dict)
    """For each field group (`FIELD_GROUPS`), what filled it: "model" or "rules"."""
    summarizer_version: str = ""
    extractor: str = ""
    """Which extractor ran: "rules", "full" (one schema call per chunk) or "hybrid"."""
    note: str | None = None
    """Why the run looks the way it does, e.g. why no model was asked."""
    rejected: dict[str, int] = Field(default_factory=dict)
    """Values grounding rejected (quote not in the text, unsupported description, figure not in its
    quote), counted per field group: what, who, where, when, casualties, killed, injured, event."""
    rejections: list[Rejection] = Field(default_factory=list)
    """Each rejected value as a record (field, value, reason); `rejected` counts them per field."""
    strategy: str | None = None
    """How the model was asked ("full", "hybrid", "select"), None when no model was; `note` says why when
    `auto` chose it."""


class Summary(BaseModel):
    article: ArticleMeta
    events: list[Event] = Field(default_factory=list)
    run: RunInfo
    warnings: list[str] = Field(default_factory=list)
    """Values rejected by grounding, unresolved dates, and other things a reader should know."""

    @property
    def primary(self) -> Event | None:
        return next((e for e in self.events if e.primary), None)

    @model_validator(mode="after")
    def _one_primary(self) -> Summary:
        if self.events and sum(e.primary for e in self.events) != 1:
            raise ValueError("exactly one event must be primary")
        return self


class Article(BaseModel):
    """One input article, as read from disk, a batch file or the API."""

    model_config = ConfigDict(extra="forbid")

    text: str
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    published_source: PublishedSource | None = None
    """Where `published` came from when the caller did not give it: "page" for an HTML page's meta tags."""
