"""JSON with helper fields, and CSV rows for analysts (one row per event; columns in the README)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from summarizer.render.values import KINDS, casualty_range, clean_description, fmt_date, when_text
from summarizer.schema import ArticleMeta, Event, Summary

# ---------------------------------------------------------------- JSON and CSV


def summary_dict(summary: Summary) -> dict[str, Any]:
    """`Summary` JSON plus helper fields per event (added, never renamed): `casualty_range` (killed and
    injured: low, best, high, claims, qualifier, text) and `when.display` (the date at its precision)."""
    data = summary.model_dump(mode="json")
    for event, out in zip(summary.events, data["events"], strict=True):
        out["casualty_range"] = {k: r.as_dict() if (r := casualty_range(event, k)) else None for k in KINDS}
        out["when"]["display"] = when_text(event.when, summary.article.published)
    return data


def render_json(summary: Summary) -> str:
    return json.dumps(summary_dict(summary), indent=2, ensure_ascii=False)


CSV_COLUMNS = (
    "article_id", "status", "article_url", "article_title", "published", "event_id", "primary", "event_date",
    "date_precision", "date_text", "event_type", "description", "actor_perpetrator", "actor_victim",
    "actor_other", "place", "admin1", "country", "country_code", "location_precision", "killed_low",
    "killed_best", "killed_high", "killed_text", "injured_low", "injured_best", "injured_high", "injured_text",
    "claims", "sources", "error",
)  # fmt: skip
"""One row per event, plus one per article with no event or an error; documented in the README ("CSV for
analysts")."""
NO_EVENT = "no_event"
"""The `status` of an article that was read and holds no event: never confused with one never read."""


def _actors(event: Event, roles: set[str]) -> str:
    return "; ".join(dict.fromkeys(a.name for a in event.who if a.role in roles))


def event_row(summary: Summary, index: int) -> dict[str, Any]:
    """The CSV row of `summary.events[index]`; the event id is `<article id>#<1-based index>`."""
    event, article = summary.events[index], summary.article
    row: dict[str, Any] = {
        "article_id": article.id, "status": "ok", "article_url": article.url, "article_title": article.title,
        "published": article.published, "event_id": f"{article.id or 'article'}#{index + 1}",
        "primary": int(event.primary), "event_date": fmt_date(event.when),
        "date_precision": event.when.precision if event.when.date else None,
        "date_text": event.when.phrase, "event_type": event.what.type,
        "description": clean_description(event.what.description),
        "actor_perpetrator": _actors(event, {"perpetrator"}), "actor_victim": _actors(event, {"victim", "target"}),
        "actor_other": _actors(event, {"claimant", "other"}), "place": event.where.place,
        "admin1": event.where.admin1, "country": event.where.country, "country_code": event.where.country_code,
        "location_precision": event.where.precision, "claims": len(event.casualties),
        "sources": "; ".join(dict.fromkeys(c.source for c in event.casualties if c.source)),
    }  # fmt: skip
    for kind in KINDS:
        found = casualty_range(event, kind)
        row[f"{kind}_low"], row[f"{kind}_best"], row[f"{kind}_high"] = (
            (found.low, found.best, found.high) if found else (None, None, None)
        )
        row[f"{kind}_text"] = found.text if found else ""
    return row


def article_row(
    article_id: str | None, status: str, error: str | None = None, article: ArticleMeta | None = None
) -> dict[str, Any]:
    """The one row of an article without events: read and empty (`no_event`), failed (`error`), or any other
    status a batch line carries; the event columns stay empty."""
    row: dict[str, Any] = dict.fromkeys(CSV_COLUMNS)
    row |= {"article_id": article_id, "status": status, "error": error}
    if article is not None:
        row |= {"article_url": article.url, "article_title": article.title, "published": article.published}
    return row


def summary_rows(summary: Summary, status: str = "ok", error: str | None = None) -> list[dict[str, Any]]:
    """One row per event, or the article's one row when it has none (`no_event` for an ok summary)."""
    article = summary.article
    if not summary.events:
        return [article_row(article.id, NO_EVENT if status == "ok" else status, error, article)]
    rows = [event_row(summary, index) for index in range(len(summary.events))]
    return [row | {"status": status, "error": error} for row in rows]


def write_rows(rows: Iterable[dict[str, Any]]) -> str:
    """CSV text of `CSV_COLUMNS` rows, header first; None becomes an empty cell."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def rows_csv(summaries: Iterable[Summary]) -> str:
    """CSV, one row per event of every summary (eval predictions, `summarize -f csv`), and one `no_event`
    row for a summary without events, header first."""
    return write_rows(row for summary in summaries for row in summary_rows(summary))
