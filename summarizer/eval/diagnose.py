"""Why an article scored what it did: each failing field of each event, with a reason category.

Derived from gold and the paired prediction, after scoring (`scoring.score_article` pairs the events;
`scoring.score_fields` says which fields of a pair fail). A field of a pair fails when its tally has a false
positive or a false negative. Reasons, in the order they are tested:

- `prediction failed`: the article has no prediction, or its extraction raised an error;
- `wrong event paired`: the pair is below `MIN_SIMILARITY` (GVDB pairs the primary events whatever their
  similarity), so the prediction describes another incident than the gold;
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from summarizer.eval.gold import GoldArticle, Prediction
from summarizer.eval.scoring import FIELDS, MIN_SIMILARITY, filled, score_fields
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


def _pair_reason(name: str, tally_fp: float, similarity: float, pred: Event, published: str | None) -> str:
    if similarity < MIN_SIMILARITY:
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
        for name, tally in score_fields(g, p).items():
            if name in DIAGNOSED_FIELDS and (tally.fp or tally.fn):
                reason = _pair_reason(name, tally.fp, match["similarity"], p, published)
                gv, pv = field_value(g, name), field_value(p, name)
                failures.append(Failure(name, reason, match["gold"], match["pred"], gv, pv))
    failures += _unpaired([gold.events[i] for i in result["unmatched_gold"]], "event not found", "gold",
                          result["unmatched_gold"])  # fmt: skip
    if gold.all_events:
        extra = [pred_events[i] for i in result["unmatched_pred"]]
        failures += _unpaired(extra, "extra event", "pred", result["unmatched_pred"])
    return failures


def _unpaired(events: list[Event], reason: str, side: str, indices: Iterable[int] | None = None) -> list[Failure]:
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
