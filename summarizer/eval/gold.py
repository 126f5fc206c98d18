"""Gold and prediction files: JSONL in, typed records out, one clear error per malformed line.

Gold is JSONL, one article per line::

    {"id": "...", "text": "...", "published": "2024-02-08" | null, "title": "...", "url": "...",
     "all_events": true, "notes": "...", "events": [<schema.Event>, ...]}

`events` has the shape of `Summary.events` (evidence optional); exactly one event is primary.
`all_events` says whether the gold lists every event the article reports (hand-labelled seed) or only
some (GVDB annotates one incident per article), which decides if unmatched predictions are errors.

Two gold-only keys per event, both optional, carry what answer keys such as MUC-4 say and a summary
cannot: `"optional": true` marks an event a system may report or omit (the scorer neither rewards nor
penalises it), and `"date_windows"` lists the accepted incident dates, each a day range
`{"earliest": ISO | null, "latest": ISO}`; `earliest` null means "on or before `latest`".

Predictions are the batch output format, one line per article::

    {"id": "...", "status": "ok" | "error", "summary": <Summary JSON> | null, "error": str | null}

A line that is a bare Summary JSON is also accepted; its `article.id` is the id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from summarizer.errors import DatasetError
from summarizer.schema import Article, Event, Summary


class DateWindow(BaseModel):
    """An accepted incident date: the days from `earliest` to `latest`, both included."""

    earliest: str | None = None
    """ISO date; null means the event happened on or before `latest` (MUC's `- 08 JAN 90`)."""
    latest: str


class GoldEvent(Event):
    """A labelled event: a `schema.Event` plus what only gold can say."""

    optional: bool = False
    """True when a system may report or omit the event: matching it earns nothing, missing it costs
    nothing (MUC's "(OPTIONAL)" templates)."""
    date_windows: list[DateWindow] = Field(default_factory=list)
    """Accepted dates, any of which is right (MUC alternatives, ranges, on-or-before); empty: `when.date`
    at its `precision` is the only answer. `when.date` then shows the first window's last day."""


class GoldArticle(BaseModel):
    """One labelled article."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    published: str | None = None
    """Publication date (ISO) the extractor is given; null when unknown."""
    title: str | None = None
    url: str | None = None
    all_events: bool = True
    """True when `events` lists every event in the article; false when only some are annotated."""
    notes: str | None = None
    """Labeller's notes: doubtful calls, known gold errors."""
    events: list[GoldEvent] = Field(default_factory=list)

    @field_validator("events", mode="before")
    @classmethod
    def _gold_events(cls, value: Any) -> Any:
        # Gold built in code from plain `schema.Event`s (GVDB, tests) gets the gold-only defaults.
        if isinstance(value, list):
            return [e.model_dump() if isinstance(e, Event) and not isinstance(e, GoldEvent) else e for e in value]
        return value

    @model_validator(mode="after")
    def _one_primary(self) -> GoldArticle:
        if self.events and sum(e.primary for e in self.events) != 1:
            raise ValueError("exactly one event must be primary")
        return self

    def article(self) -> Article:
        """The extractor's input: everything but the labels."""
        return Article(id=self.id, text=self.text, title=self.title, url=self.url, published=self.published)


class Prediction(BaseModel):
    """One line of a predictions (batch output) file."""

    model_config = ConfigDict(extra="ignore")

    id: str
    status: Literal["ok", "error"] = "ok"
    summary: Summary | None = None
    error: str | None = None
    seconds: float | None = None
    """Wall-clock seconds the extraction took, when the writer recorded it."""

    @model_validator(mode="after")
    def _consistent(self) -> Prediction:
        if self.status == "ok" and self.summary is None:
            raise ValueError("status is 'ok' but 'summary' is null")
        return self


def _lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) for every non-blank line."""
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file; pass a gold/predictions JSONL file") from None
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, _parse(line, path, number)
        except UnicodeDecodeError:
            raise DatasetError(f"{path} is not UTF-8 text; re-save it as UTF-8 JSONL") from None


def _parse(line: str, path: Path, number: int) -> Any:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path} line {number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(value, dict):
        raise DatasetError(f"{path} line {number}: expected a JSON object, got {type(value).__name__}")
    return value


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(line)"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {err['msg']}{more}"


def read_gold(path: str | Path) -> list[GoldArticle]:
    """Every article of a gold JSONL file; raises DatasetError naming the line of the first problem."""
    path = Path(path)
    articles: list[GoldArticle] = []
    seen: set[str] = set()
    for number, data in _lines(path):
        try:
            # extra="forbid" reaches the nested events too: a misspelt key is an error, not a silent gap.
            article = GoldArticle.model_validate(data, extra="forbid")
        except ValidationError as exc:
            raise DatasetError(f"{path} line {number}: invalid gold article: {_first_error(exc)}") from None
        if article.id in seen:
            raise DatasetError(f"{path} line {number}: duplicate id {article.id!r}; ids must be unique")
        seen.add(article.id)
        articles.append(article)
    return articles


def write_gold(path: str | Path, articles: Iterable[GoldArticle]) -> None:
    """Write gold JSONL: one article per line, UTF-8, unset optional keys left out."""
    with Path(path).open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(article.model_dump_json(exclude_none=True) + "\n")


def _prediction(data: dict[str, Any]) -> Prediction:
    if "summary" not in data and "article" in data and "run" in data:
        # A bare Summary (e.g. `summarizer summarize --format json` output): its article id is the id.
        summary = Summary.model_validate(data)
        if not summary.article.id:
            raise ValueError("a bare Summary line needs 'article.id'")
        return Prediction(id=summary.article.id, status="ok", summary=summary)
    return Prediction.model_validate(data)


def read_predictions(path: str | Path) -> dict[str, Prediction]:
    """Predictions by article id; the last line wins for a repeated id (a resumed batch retries)."""
    path = Path(path)
    predictions: dict[str, Prediction] = {}
    for number, data in _lines(path):
        try:
            prediction = _prediction(data)
        except ValidationError as exc:
            raise DatasetError(f"{path} line {number}: invalid prediction: {_first_error(exc)}") from None
        except ValueError as exc:
            raise DatasetError(f"{path} line {number}: invalid prediction: {exc}") from None
        predictions[prediction.id] = prediction
    return predictions


def write_predictions(path: str | Path, predictions: Iterable[Prediction]) -> None:
    """Write predictions JSONL in the batch output format."""
    with Path(path).open("w", encoding="utf-8") as handle:
        for prediction in predictions:
            handle.write(prediction.model_dump_json() + "\n")
