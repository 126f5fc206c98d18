"""Why an article scored what it did: each failing field of each event, with a reason category.

Derived from gold and the paired prediction, after scoring (`scoring.score_article` pairs the events;
`scoring.score_fields` says which fields of a pair fail). A field of a pair fails when its tally has a false
positive or a false negative. Reasons, in the order they are tested:

- `prediction failed`: the article has no prediction, or its extraction raised an error;
- `wrong event paired`: the prediction describes another incident than the gold. GVDB pairs the primary
  events whatever their similarity; a pair below `MIN_SIMILARITY` counts as another incident when another
  predicted event of the article is more like the gold one (the wrong event was made primary), or when
  both dates are known and more than `OTHER_INCIDENT_DAYS` apart. A low similarity alone is not enough:
  the failing fields themselves lower it (a wrong place is a wrong value, not another incident);
- `unresolved date (no publication date)`: the prediction has a date phrase it could not resolve, and
  the article has no publication date to resolve it against; `unresolved date`: the same with one;
- `missing`: gold has a value, the prediction none (for `who`: some gold names not found, none extra);
- `wrong value`: both have a value and they differ;
- `event not found`: a gold event no predicted event was paired with (each of its values counts);
- `extra event`: a predicted event paired with no gold event, where the gold lists every event.

Counts are of values (an event's field), not of tp/fp/fn: a wrong date is one `wrong value`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from summarizer.eval.gold import GoldArticle, Prediction
from summarizer.eval.scoring import FIELDS, MIN_SIMILARITY, filled, score_fields, similarity
from summarizer.render import KINDS, casualty_range, fmt_date
from summarizer.schema import Event

DIAGNOSED_FIELDS = tuple(f for f in FIELDS if f != "date_within_1d")
REASONS = (
    "missing",
    "wrong value",
    "unresolved date (no publication date)",
    "unresolved date",
    "wrong event paired",
    "event not found",
    "extra event",
    "prediction failed",
)
OTHER_INCIDENT_DAYS = 7
CARD_ROW = {"place": "where", "admin1": "where", "country_code": "where", "date": "when"}
"""Which row of an event card (`render.event_html`) shows a scored field; the rest share their name."""


@dataclass(frozen=True)
class Failure:
    """One failing value: which field, why, the events involved (indices or None) and both values."""

    field: str
    reason: str
    gold_event: int | None
    pred_event: int | None
    gold: str
    pred: str


def field_value(event: Event | None, name: str) -> str:
    """A scored field of an event, as the report prints it."""
    if event is None:
        return "—"
    w, when = event.where, event.when
    values: dict[str, Any] = {
        "what": event.what.type,
        "who": "; ".join(f"{a.name} ({a.role})" for a in event.who),
        "place": w.place, "admin1": w.admin1, "country_code": w.country_code,
        "date": fmt_date(when) or (f"unresolved “{when.phrase}”" if when.phrase else None),
    }  # fmt: skip
    for kind in KINDS:
        found = casualty_range(event, kind)
        values[kind] = found.text if found else None
    return str(values.get(name) or "—")


def another_incident(gold: Event, pred_events: list[Event], paired: int, sim: float) -> bool:
    """Whether the paired prediction describes another incident than the gold (see the module docstring)."""
    if sim >= MIN_SIMILARITY:
        return False
    if any(similarity(gold, e) > sim for i, e in enumerate(pred_events) if i != paired):
        return True
    try:
        days = abs((date.fromisoformat(gold.when.date or "")
                    - date.fromisoformat(pred_events[paired].when.date or "")).days)  # fmt: skip
    except ValueError:
        return False
    return days > OTHER_INCIDENT_DAYS


def _pair_reason(name: str, tally_fp: float, other_incident: bool, pred: Event, published: str | None) -> str:
    if other_incident:
        return "wrong event paired"
    if name == "date" and not pred.when.date and pred.when.phrase:
        return "unresolved date" if published else "unresolved date (no publication date)"
    return "wrong value" if tally_fp else "missing"


def diagnose(gold: GoldArticle, prediction: Prediction | None, result: Mapping[str, Any]) -> list[Failure]:
    """Every failing value of one scored article (`result` is its entry in `metrics["articles"]`)."""
    summary = prediction.summary if prediction is not None else None
    pred_events = summary.events if summary is not None else []
    if summary is None:
        return _unpaired(gold.events, "prediction failed", "gold")
    published = gold.published or summary.article.published
    failures: list[Failure] = []
    for match in result["matches"]:
        g, p = gold.events[match["gold"]], pred_events[match["pred"]]
        other = another_incident(g, pred_events, match["pred"], match["similarity"])
        for name, tally in score_fields(g, p).items():
            if name in DIAGNOSED_FIELDS and (tally.fp or tally.fn):
                reason = _pair_reason(name, tally.fp, other, p, published)
                gv, pv = field_value(g, name), field_value(p, name)
                failures.append(Failure(name, reason, match["gold"], match["pred"], gv, pv))
    failures += _unpaired([gold.events[i] for i in result["unmatched_gold"]], "event not found", "gold",
                          result["unmatched_gold"])  # fmt: skip
    if gold.all_events:
        extra = [pred_events[i] for i in result["unmatched_pred"]]
        failures += _unpaired(extra, "extra event", "pred", result["unmatched_pred"])
    return failures


def _unpaired(events: Sequence[Event], reason: str, side: str, indices: Iterable[int] | None = None) -> list[Failure]:
    out = []
    for index, event in zip(indices if indices is not None else range(len(events)), events, strict=True):
        for name, n in filled(event, side).items():
            if name in DIAGNOSED_FIELDS and n:
                value = field_value(event, name)
                gold_event, pred_event = (index, None) if side == "gold" else (None, index)
                gv, pv = (value, "—") if side == "gold" else ("—", value)
                out.append(Failure(name, reason, gold_event, pred_event, gv, pv))
    return out


def diagnose_run(
    gold: Iterable[GoldArticle], predictions: Mapping[str, Prediction], metrics: Mapping[str, Any]
) -> dict[str, list[Failure]]:
    """Article id → its failing values, for every scored article."""
    by_id = {g.id: g for g in gold}
    return {
        a["id"]: diagnose(by_id[a["id"]], predictions.get(a["id"]), a) for a in metrics["articles"] if a["id"] in by_id
    }


def breakdown(failures: Mapping[str, list[Failure]]) -> Counter[tuple[str, str]]:
    """(field, reason) → how many values failed that way."""
    return Counter((f.field, f.reason) for fs in failures.values() for f in fs)
