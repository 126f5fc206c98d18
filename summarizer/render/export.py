"""JSON with helper fields, and CSV rows for analysts (one row per event; columns in the README)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from summarizer.render.values import KINDS, casualty_range, clean_description, fmt_date, when_text
from summarizer.schema import Event, Summary

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
    "article_id", "article_url", "article_title", "published", "event_id", "primary", "event_date",
    "date_precision", "date_text", "event_type", "description", "actor_perpetrator", "actor_victim",
    "actor_other", "place", "admin1", "country", "country_code", "location_precision", "killed_low",
    "killed_best", "killed_high", "killed_text", "injured_low", "injured_best", "injured_high", "injured_text",
    "claims", "sources",
)  # fmt: skip
"""One row per event; documented in the README ("CSV for analysts")."""


def _actors(event: Event, roles: set[str]) -> str:
    return "; ".join(dict.fromkeys(a.name for a in event.who if a.role in roles))


def event_row(summary: Summary, index: int) -> dict[str, Any]:
    """The CSV row of `summary.events[index]`; the event id is `<article id>#<1-based index>`."""
    event, article = summary.events[index], summary.article
    row: dict[str, Any] = {
        "article_id": article.id, "article_url": article.url, "article_title": article.title,
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


def rows_csv(summaries: Iterable[Summary]) -> str:
    """CSV, one row per event of every summary (batch results, eval predictions), header first."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for summary in summaries:
        for index in range(len(summary.events)):
            writer.writerow({k: "" if v is None else v for k, v in event_row(summary, index).items()})
    return out.getvalue()
