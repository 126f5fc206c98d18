"""One results line (the batch JSONL contract) as database rows: its article, events, actors, casualty claims
and evidence. Event columns reuse the CSV export (`render.event_row`), so the two never disagree."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from summarizer.render import event_row
from summarizer.schema import Article, CasualtyClaim, Count, Event, Evidence, Summary

EVENT_VIEW = "/-/summarizer/event"
"""Route of the grounded HTML view of one event (`db serve`), taking `?id=<event id>`."""


@dataclass
class Rows:
    article: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    casualty_claims: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def article_key(run_id: str, article_id: str) -> str:
    return f"{run_id}:{article_id}"


def event_view(event_id: str) -> str:
    return f"{EVENT_VIEW}?id={quote(event_id, safe='')}"


def line_rows(run_id: str, line: dict[str, Any], source: Article | None) -> Rows:
    """Rows of one results line; `source` is the input article (text, title, url) when known."""
    article_id = str(line["id"])
    key = article_key(run_id, article_id)
    summary = Summary.model_validate(line["summary"]) if line.get("status") == "ok" and line.get("summary") else None
    usage = line.get("usage") or {}
    meta = summary.article if summary else None
    rows = Rows(
        article={
            "id": key, "run_id": run_id, "article_id": article_id, "status": line.get("status"),
            "error": line.get("error"), "title": (meta and meta.title) or (source and source.title),
            "url": (meta and meta.url) or (source and source.url),
            "published": (meta and meta.published) or (source and source.published),
            "published_source": meta.published_source if meta else None, "language": meta.language if meta else None,
            "chars": meta.chars if meta else (len(source.text) if source else None),
            "text": source.text if source else None, "events": len(summary.events) if summary else 0,
            "warnings": "\n".join(summary.warnings) if summary else None, "duration_s": line.get("duration_s"),
            "prompt_tokens": usage.get("prompt_tokens", 0), "completion_tokens": usage.get("completion_tokens", 0),
            "summary": json.dumps(line["summary"], ensure_ascii=False) if summary else None,
        }
    )  # fmt: skip
    if summary is not None:
        for index, event in enumerate(summary.events):
            _add_event(rows, key, run_id, article_id, summary, index, event)
    return rows


def _add_event(rows: Rows, key: str, run_id: str, article_id: str, summary: Summary, index: int, event: Event) -> None:
    event_id = f"{key}#{index + 1}"
    csv = event_row(summary, index)
    rows.events.append({
        "id": event_id, "article_key": key, "run_id": run_id, "article_id": article_id, "idx": index + 1,
        "is_primary": int(event.primary), "event_type": event.what.type, "description": csv["description"],
        "date": event.when.date, "date_precision": event.when.precision if event.when.date else None,
        "date_display": csv["event_date"], "date_text": event.when.phrase, "date_relative": int(event.when.relative),
        "place": event.where.place, "admin1": event.where.admin1, "country": event.where.country,
        "country_code": event.where.country_code, "location_precision": event.where.precision,
        "perpetrators": csv["actor_perpetrator"], "victims": csv["actor_victim"], "other_actors": csv["actor_other"],
        **{f"{k}_{p}": csv[f"{k}_{p}"] for k in ("killed", "injured") for p in ("low", "best", "high")},
        "claims": csv["claims"], "sources": csv["sources"], "view": event_view(event_id),
    })  # fmt: skip
    _add_evidence(rows, event_id, "what", None, event.what.evidence)
    _add_evidence(rows, event_id, "where", None, event.where.evidence)
    _add_evidence(rows, event_id, "when", None, event.when.evidence)
    for number, actor in enumerate(event.who, start=1):
        first = actor.evidence[0].quote if actor.evidence else None
        rows.actors.append({"event_id": event_id, "name": actor.name, "role": actor.role, "kind": actor.kind,
                            "quote": first})  # fmt: skip
        _add_evidence(rows, event_id, "who", number, actor.evidence)
    for number, claim in enumerate(event.casualties, start=1):
        rows.casualty_claims.append(_claim_row(event_id, number, claim))
        _add_evidence(rows, event_id, "casualties", number, claim.evidence)


def _claim_row(event_id: str, number: int, claim: CasualtyClaim) -> dict[str, Any]:
    row: dict[str, Any] = {"event_id": event_id, "idx": number}
    for kind in ("killed", "injured"):
        count: Count | None = getattr(claim, kind)
        for part in ("low", "best", "high"):
            row[f"{kind}_{part}"] = getattr(count, part) if count else None
    quote_text = max((e.quote for e in claim.evidence), key=len, default=None)  # the sentence, not the source name
    return {**row, "qualifier": claim.qualifier, "victims": claim.victims, "source": claim.source, "quote": quote_text}


def _add_evidence(rows: Rows, event_id: str, field: str, item: int | None, spans: list[Evidence]) -> None:
    for span in spans:
        rows.evidence.append({"event_id": event_id, "field": field, "item": item, "quote": span.quote,
                              "start": span.start, "end": span.end, "match": span.match})  # fmt: skip
