"""`db export --format acled`: one row per event across every run in the database, in the shape of ACLED
and UCDP GED event data (columns documented in the README, "Events database")."""

from __future__ import annotations

import csv
import io
from typing import Any

from summarizer.db.store import EventsDB

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "date_precision", "time_precision", "date_prec", "year", "event_type",
    "actor1", "actor2", "country", "iso", "admin1", "location", "geo_precision", "fatalities", "deaths_low",
    "deaths_best", "deaths_high", "injured", "source", "source_url", "notes", "article_id", "run_id", "backend",
    "model",
)  # fmt: skip
ACLED_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
"""ACLED's time_precision: 1 the day, 2 a few days or a week, 3 a month or less precise."""
UCDP_DATE_PREC = {"day": 1, "week": 3, "month": 4, "year": 5}
"""UCDP GED's date_prec: 1 the day, 3 the week, 4 the month, 5 the year."""
ACLED_GEO_PRECISION = {"exact": 1, "city": 1, "admin1": 3, "country": 3, "region": 3}
"""ACLED's geo_precision: 1 the town itself, 3 only the region or province is known."""

_QUERY = """
select e.*, a.title, a.url, r.backend, r.model
from events e join articles a on a.id = e.article_key join runs r on r.id = e.run_id
order by r.started, e.article_id, e.idx
"""


def acled_rows(db: EventsDB) -> list[dict[str, Any]]:
    cursor = db.db.execute(_QUERY)
    names = [d[0] for d in cursor.description]
    return [_acled(dict(zip(names, values, strict=True))) for values in cursor.fetchall()]


def _acled(e: dict[str, Any]) -> dict[str, Any]:
    precision = e["date_precision"]
    deaths = (e["killed_low"], e["killed_best"], e["killed_high"])
    sources = [s for s in (e["sources"], e["title"]) if s]
    return {
        "event_id_cnty": e["id"], "event_date": e["date"], "date_precision": precision,
        "time_precision": ACLED_TIME_PRECISION.get(precision or ""), "date_prec": UCDP_DATE_PREC.get(precision or ""),
        "year": e["date"][:4] if e["date"] else None, "event_type": e["event_type"], "actor1": e["perpetrators"],
        "actor2": e["victims"], "country": e["country"], "iso": e["country_code"], "admin1": e["admin1"],
        "location": e["place"], "geo_precision": ACLED_GEO_PRECISION.get(e["location_precision"] or ""),
        "fatalities": next((v for v in (deaths[1], deaths[0], deaths[2]) if v is not None), 0),
        "deaths_low": deaths[0], "deaths_best": deaths[1], "deaths_high": deaths[2],
        "injured": next((v for v in (e["injured_best"], e["injured_low"], e["injured_high"]) if v is not None), None),
        "source": "; ".join(sources), "source_url": e["url"], "notes": e["description"],
        "article_id": e["article_id"], "run_id": e["run_id"], "backend": e["backend"], "model": e["model"],
    }  # fmt: skip


def acled_csv(db: EventsDB) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in acled_rows(db):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()
