"""Score predicted summaries against gold: match events, score fields, aggregate, compare runs.

Matching. Per article, gold and predicted events are paired by optimal assignment
(`eval/assignment.py`, the Hungarian method) on a similarity in [0, 1]: the weighted mean of the components
both sides can be compared on:

- type 0.2: same type 1, same family 0.5 (air/drone strike; shelling/bombing/attack on base;
  stabbing/assault), else 0;
- location 0.3: compared at the most specific level both sides fill (place > admin1 > country_code); a
  match scores 1.0/0.8/0.6 divided by the score of the gold's own most specific level (so 1 when the
  prediction is as specific as the gold), a mismatch 0;
- date 0.3: equal at the gold precision 1, ±1 day 0.8, ±7 days 0.5, same month 0.3, else 0;
- actors 0.2: Dice overlap of the fuzzy-matched names (see `who`).

A component missing on either side drops out of the mean; type is always there. Where the gold
annotates one incident per article (`all_events` false, as in GVDB), that incident is what the article is
about, so it always pairs with the predicted primary event: a wrong place then costs the place field,
not every field of the event. Otherwise events pair by assignment, and pairs under `MIN_SIMILARITY` (0.5)
are not matched. Unmatched gold events are misses: each gold target in them is a
false negative. Unmatched predicted events are false positives for every field they fill, but only when
the gold lists all events of the article (`GoldArticle.all_events`); GVDB annotates one incident, so
extra predicted events there are not counted. An article whose prediction failed or is missing scores
every gold target as a false negative.

Fields, for a matched pair (tp/fp/fn are summed per field; F1 = 2tp / (2tp + fp + fn)):

- A gold value that is empty (None, "", no names) is no target: the predicted value is not scored at all,
  neither tp nor fp (gold annotations are partial; unsupported output is caught by `hallucinations`).
- Gold has a value, prediction empty: fn. Both have values: equal → tp, different → fp + fn.
- `what`: the event type, exact.
- `who`: names of actors with role perpetrator, victim or target (victim and target are one group; a
  name matches only within its group). Names are folded (accents, case, punctuation, "U.S." → "us"),
  mapped through `ALIASES` ("U.S.", "United States", "America", "Washington", "CENTCOM" → one name),
  split into alternatives ("U.S. Central Command (CENTCOM)" → itself, "U.S. Central Command", "CENTCOM";
  "a / b", "a aka b"), and match when rapidfuzz `token_set_ratio` ≥ `NAME_THRESHOLD` (85) for any pair
  of alternatives. Names are paired one-to-one; tp = pairs, fp = unpaired predicted names, fn = unpaired
  gold names. `perpetrator` and `victim` score the two role groups of `who` on their own, the same way.
- `place`: `where.place`, with the same fuzzy name match; `admin1` likewise, after dropping words like
  "province" and "governorate"; `country_code`: exact, case-insensitive. Gold values may list
  alternatives ("SAN SALVADOR / SOYAPANGO", "CO / VE"); any one of them is right.
- `date`: `when.date` equal at the gold precision (day: same day; week: within the 7 days starting at the
  gold date; month: same month; year: same year). `date_within_1d`: for day precision, within ±1 day.
  Gold `date_windows` (MUC keys), when given, replace this: the prediction is right when it falls in
  any window; an open "on or before D" window spans the `ON_OR_BEFORE_DAYS` (31) days up to D.
  `date_within_1d` widens every window by a day on each side.
- `killed`, `injured`: an event's figure comes from the claim with the highest `best` (`low`, then
  `high` when `best` is empty), the same rule for gold and prediction. Equal → tp. Otherwise, if the
  chosen predicted count has both `low` and `high` and low ≤ gold ≤ high, it earns `RANGE_CREDIT` (0.5):
  tp += 0.5, fp += 0.5, fn += 0.5. Else fp + fn. A gold 0 with no predicted figure is skipped (articles
  rarely state "no one was killed"; silence reads as zero). `mae`: mean absolute error over pairs
  where both have a figure.

Optional gold events (`GoldEvent.optional`, MUC's optional templates) are paired only with predicted
events left over after the required ones are matched; such a pair counts nothing, an unmatched optional
event is no miss, and the predicted event it absorbed is no false alarm.

Aggregates: micro (tp/fp/fn summed over articles) per field; `macro_f1`: mean of per-article F1 over
articles where the field has any tp/fp/fn. `headline_f1`: the mean of the micro F1 of `HEADLINE_FIELDS`
(what, who, place, country_code, date, killed, injured); `headline_macro_f1` likewise from macro F1.
An article's `score` is the micro F1 over its headline-field counts (1.0 when it has none).

Grounding, over every predicted event: `grounding_rate` = share of evidence spans with
``text[start:end] == quote`` (null when there are none); `hallucinations` = number of predicted values
(the what, each actor, the where, the when, each casualty claim; when non-empty) with no verified span.
Both look only at what reached the summary. The pipeline drops values the article does not support
before they get there, so a model that invents things shows in `rejected`: per field group, how many
values grounding rejected (`Summary.run.rejected`, or counted from the warnings of older predictions),
and `n_rejected`, their total.

Each article result carries `gold_sha`, a short hash of its gold, so `compare` can tell whether two runs
were scored against the same gold.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from summarizer.eval.assignment import linear_sum_assignment
from summarizer.eval.gold import DateWindow, GoldArticle, GoldEvent, Prediction
from summarizer.extract.events import count_rejections, rejections
from summarizer.schema import Actor, Count, Event, Grounded, When, Where
from summarizer.text.folding import fold_name

FIELDS = ("what", "who", "perpetrator", "victim", "place", "admin1", "country_code", "date", "date_within_1d",
          "killed", "injured")  # fmt: skip
HEADLINE_FIELDS = ("what", "who", "place", "country_code", "date", "killed", "injured")
MIN_SIMILARITY = 0.5
NAME_THRESHOLD = 85.0
RANGE_CREDIT = 0.5
ON_OR_BEFORE_DAYS = 31
"""How far back an open "on or before D" gold date reaches (see evals/README.md, MUC conversion)."""
WEIGHTS = {"type": 0.2, "place": 0.3, "date": 0.3, "actors": 0.2}
FAMILIES = (
    {"air_strike", "drone_strike"},
    {"shelling", "bombing", "attack_on_base"},
    {"stabbing", "assault"},
)
_LEVELS = (("place", 1.0), ("admin1", 0.8), ("country_code", 0.6))
_US = "united states"
ALIASES = {
    "us": _US, "usa": _US, "united states of america": _US, "america": _US, "washington": _US,
    "us government": _US, "us military": _US, "us forces": _US, "american forces": _US,
    "us central command": _US, "central command": _US, "centcom": _US, "pentagon": _US,
    "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "idf": "israel defense forces", "israeli military": "israel defense forces",
    "israeli army": "israel defense forces", "pmf": "popular mobilization forces",
    "hashd al shaabi": "popular mobilization forces", "isis": "islamic state", "isil": "islamic state",
    "daesh": "islamic state", "kataib hezbollah": "kataib hezbollah", "kh": "kataib hezbollah",
}  # fmt: skip
_ADMIN_WORDS = {"province", "governorate", "state", "region", "oblast", "prefecture", "of", "the"}
_ALT_SPLIT = re.compile(r"\s*(?:/|\baka\b|\ba\.k\.a\.|\balso known as\b)\s*", re.I)
_PAREN = re.compile(r"\(([^()]*)\)")


# ---------------------------------------------------------------- counting


@dataclass
class Tally:
    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def summary(self) -> dict[str, float | None]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        return {"precision": p, "recall": r, "f1": self.f1, "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _compare(gold: object, pred: object, equal: bool, credit: float = 0.0) -> Tally:
    """The tally of one slot: no gold target → nothing; else tp, partial credit, or fp + fn."""
    if gold is None:
        return Tally()
    if pred is None:
        return Tally(fn=1)
    if equal:
        return Tally(tp=1)
    return Tally(tp=credit, fp=1 - credit, fn=1 - credit)


# ---------------------------------------------------------------- names and places


@lru_cache(maxsize=65_536)
def alternatives(name: str) -> frozenset[str]:
    """Folded, alias-mapped readings of a name: whole, without brackets, bracketed, a/b, aka."""
    parts = {name, _PAREN.sub(" ", name), *_PAREN.findall(name)}
    parts |= {piece for part in list(parts) for piece in _ALT_SPLIT.split(part)}
    folded = {fold_name(part) for part in parts}
    return frozenset(ALIASES.get(f, f) for f in folded if f)


@lru_cache(maxsize=65_536)  # names recur across event pairs, fields and articles
def name_similarity(a: str, b: str) -> float:
    """0–100: the best token_set_ratio over the alternatives of both names."""
    return max((fuzz.token_set_ratio(x, y) for x in alternatives(a) for y in alternatives(b)), default=0.0)


def names_match(a: str | None, b: str | None) -> bool:
    return bool(a and b) and name_similarity(a or "", b or "") >= NAME_THRESHOLD


def _admin(value: str | None) -> str | None:
    """Folded, without "province" and the like; alternatives ("a / b") stay alternatives."""
    readings = [
        " ".join(w for w in fold_name(alt).split() if w not in _ADMIN_WORDS) for alt in _ALT_SPLIT.split(value or "")
    ]
    return " / ".join(r for r in readings if r) or None


def _code(value: str | None) -> str | None:
    return value.strip().upper() or None if value else None


def codes_match(gold: str | None, pred: str | None) -> bool:
    """The predicted country code is the gold one, or one of its alternatives ("CO / VE")."""
    return bool(_codes(gold) & _codes(pred))


def _codes(value: str | None) -> set[str]:
    return {c.strip() for c in (value or "").split("/") if c.strip()}


def _group(actor: Actor) -> str | None:
    return {"perpetrator": "perpetrator", "victim": "victim", "target": "victim"}.get(actor.role)


def _scored_actors(event: Event, group: str | None = None) -> list[Actor]:
    """Actors the `who` field scores; with `group`, only that role group ("perpetrator", "victim")."""
    return [a for a in event.who if _group(a) and a.name.strip() and group in (None, _group(a))]


def _score_actors(gold: Event, pred: Event, group: str | None = None) -> Tally:
    g_actors, p_actors = _scored_actors(gold, group), _scored_actors(pred, group)
    hits = match_actors(g_actors, p_actors)
    return Tally(hits, len(p_actors) - hits, len(g_actors) - hits) if g_actors else Tally()


def match_actors(gold: list[Actor], pred: list[Actor]) -> int:
    """How many names pair up one-to-one (same role group, fuzzy name match)."""
    if not gold or not pred:
        return 0
    hits = [[float(_group(g) == _group(p) and names_match(g.name, p.name)) for p in pred] for g in gold]
    rows, cols = linear_sum_assignment(hits, maximize=True)
    return int(sum(hits[r][c] for r, c in zip(rows, cols, strict=True)))


# ---------------------------------------------------------------- dates and counts


def _parse(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _window_days(window: DateWindow) -> tuple[date, date] | None:
    """The first and last day a gold window accepts; an open window reaches back ON_OR_BEFORE_DAYS."""
    latest = _parse(window.latest)
    if latest is None:
        return None
    return _parse(window.earliest) or latest - timedelta(days=ON_OR_BEFORE_DAYS), latest


def _windows(event: Event) -> list[DateWindow]:
    return event.date_windows if isinstance(event, GoldEvent) else []


def window_distance(windows: Sequence[DateWindow], pred: date) -> int | None:
    """Days from `pred` to the nearest gold window (0 inside one); None when there are no windows."""
    spans = [s for s in map(_window_days, windows) if s]
    if not spans:
        return None
    return min(max((first - pred).days, (pred - last).days, 0) for first, last in spans)


def date_matches(gold: When, pred: When, tolerance_days: int = 0, windows: Sequence[DateWindow] = ()) -> bool:
    """Equal at the gold precision, or inside one of the gold `windows` when there are any;
    `tolerance_days` widens a day-precision gold date and every window."""
    g, p = _parse(gold.date), _parse(pred.date)
    if p is not None and (distance := window_distance(windows, p)) is not None:
        return distance <= tolerance_days
    if g is None or p is None:
        return False
    if gold.precision == "week":
        return g <= p < g + timedelta(days=7)
    if gold.precision == "month":
        return (g.year, g.month) == (p.year, p.month)
    if gold.precision == "year":
        return g.year == p.year
    return abs((p - g).days) <= tolerance_days


def _count_value(count: Count | None) -> int | None:
    return count.value if count is not None else None


def figure(event: Event, kind: str) -> Count | None:
    """The event's killed/injured count: the claim with the highest figure."""
    return event.figure(kind)  # type: ignore[arg-type]


def _in_range(value: int | None, count: Count | None) -> bool:
    """A closed predicted range (both ends given) that holds the gold figure."""
    if value is None or count is None or count.low is None or count.high is None:
        return False
    return count.low <= value <= count.high


def score_count(gold: Count | None, pred: Count | None) -> Tally:
    g, p = _count_value(gold), _count_value(pred)
    if g == 0 and p is None:
        return Tally()  # silence reads as zero
    return _compare(g, p, g == p, RANGE_CREDIT if _in_range(g, pred) else 0.0)


# ---------------------------------------------------------------- fields of one event pair


def _where_values(where: Where) -> dict[str, Any]:
    return {
        "place": where.place or None,
        "admin1": _admin(where.admin1),
        "country_code": _code(where.country_code),
    }


def score_fields(gold: Event, pred: Event) -> dict[str, Tally]:
    """Per-field tallies for a matched pair of events."""
    gw, pw = _where_values(gold.where), _where_values(pred.where)
    tallies = {
        "what": _compare(gold.what.type, pred.what.type, gold.what.type == pred.what.type),
        "place": _compare(gw["place"], pw["place"], names_match(gw["place"], pw["place"])),
        "admin1": _compare(gw["admin1"], pw["admin1"], names_match(gw["admin1"], pw["admin1"])),
        "country_code": _compare(
            gw["country_code"], pw["country_code"], codes_match(gw["country_code"], pw["country_code"])
        ),
        "date": _compare(gold.when.date, pred.when.date, date_matches(gold.when, pred.when, 0, _windows(gold))),
        "date_within_1d": _compare(
            gold.when.date, pred.when.date, date_matches(gold.when, pred.when, 1, _windows(gold))
        ),
        "killed": score_count(figure(gold, "killed"), figure(pred, "killed")),
        "injured": score_count(figure(gold, "injured"), figure(pred, "injured")),
    }
    for field, group in (("who", None), ("perpetrator", "perpetrator"), ("victim", "victim")):
        tallies[field] = _score_actors(gold, pred, group)
    return tallies


def filled(event: Event, side: str) -> dict[str, int]:
    """How many scored values an event without a partner holds per field: its misses (gold side) or
    false alarms (pred side). A gold figure of 0 is no target, as for matched pairs."""
    w = _where_values(event.where)
    has_date = int(bool(event.when.date))
    figures = {k: _count_value(figure(event, k)) for k in ("killed", "injured")}
    counted = {k: int(v is not None and (side == "pred" or v > 0)) for k, v in figures.items()}
    return {"what": 1, "who": len(_scored_actors(event)), "perpetrator": len(_scored_actors(event, "perpetrator")),
            "victim": len(_scored_actors(event, "victim")), "place": int(bool(w["place"])),
            "admin1": int(bool(w["admin1"])), "country_code": int(bool(w["country_code"])),
            "date": has_date, "date_within_1d": has_date, **counted}  # fmt: skip


# ---------------------------------------------------------------- matching


def similarity(gold: Event, pred: Event) -> float:
    """How alike two events are, 0–1 (see the module docstring)."""
    parts = {
        "type": _type_similarity(gold.what.type, pred.what.type),
        "place": _place_similarity(gold, pred),
        "date": _date_similarity(gold.when, pred.when, _windows(gold)),
        "actors": _actor_similarity(gold, pred),
    }
    known = {k: v for k, v in parts.items() if v is not None}
    return sum(WEIGHTS[k] * v for k, v in known.items()) / sum(WEIGHTS[k] for k in known)


def _type_similarity(a: str, b: str) -> float:
    return 1.0 if a == b else 0.5 if any(a in f and b in f for f in FAMILIES) else 0.0


def _place_similarity(gold: Event, pred: Event) -> float | None:
    """Compared at the most specific level both fill; a prediction coarser than the gold scores less."""
    g, p = _where_values(gold.where), _where_values(pred.where)
    finest = next((w for key, w in _LEVELS if g[key]), None)
    for key, weight in _LEVELS:
        if g[key] and p[key]:
            same = codes_match(g[key], p[key]) if key == "country_code" else names_match(g[key], p[key])
            return weight / (finest or weight) if same else 0.0
    return None


def _date_similarity(gold: When, pred: When, windows: Sequence[DateWindow] = ()) -> float | None:
    g, p = _parse(gold.date), _parse(pred.date)
    if g is None or p is None:
        return None
    if date_matches(gold, pred, 0, windows):
        return 1.0
    window_days = window_distance(windows, p)
    days = abs((p - g).days) if window_days is None else window_days
    return 0.8 if days <= 1 else 0.5 if days <= 7 else 0.3 if (g.year, g.month) == (p.year, p.month) else 0.0


def _actor_similarity(gold: Event, pred: Event) -> float | None:
    g, p = _scored_actors(gold), _scored_actors(pred)
    return 2 * match_actors(g, p) / (len(g) + len(p)) if g and p else None


def match_events(gold: list[Event], pred: list[Event], pair_primary: bool = False) -> list[tuple[int, int, float]]:
    """(gold index, pred index, similarity) of the optimal one-to-one pairing above MIN_SIMILARITY; with
    `pair_primary` the two primary events pair first, whatever their similarity."""
    if not gold or not pred:
        return []
    sims = [[similarity(g, p) for p in pred] for g in gold]
    # A hair of preference for pairing the two primary events breaks ties without moving the threshold.
    sims_bonus = [[s + 0.01 * (g.primary and p.primary) for s, p in zip(row, pred, strict=True)]
                  for row, g in zip(sims, gold, strict=True)]  # fmt: skip
    g0 = next((i for i, e in enumerate(gold) if e.primary), None) if pair_primary else None
    p0 = next((j for j, e in enumerate(pred) if e.primary), None) if pair_primary else None
    fixed = [(g0, p0, sims[g0][p0])] if g0 is not None and p0 is not None else []
    rest_g = [i for i in range(len(gold)) if i != g0 or not fixed]
    rest_p = [j for j in range(len(pred)) if j != p0 or not fixed]
    if not rest_g or not rest_p:
        return fixed
    rows, cols = linear_sum_assignment([[sims_bonus[i][j] for j in rest_p] for i in rest_g], maximize=True)
    paired = [(rest_g[r], rest_p[c], sims[rest_g[r]][rest_p[c]]) for r, c in zip(rows, cols, strict=True)]
    return fixed + [m for m in paired if m[2] >= MIN_SIMILARITY]


# ---------------------------------------------------------------- grounding


def _values(event: Event) -> Iterable[Grounded]:
    """The predicted values that need evidence, when they are non-empty."""
    if event.what.type != "other" or event.what.description:
        yield event.what
    yield from event.who
    w = event.where
    if w.place or w.admin1 or w.country or w.country_code:
        yield w
    if event.when.date or event.when.phrase:
        yield event.when
    yield from (c for c in event.casualties if c.killed or c.injured)


def grounding(text: str, events: list[Event]) -> dict[str, int]:
    """Evidence spans checked against the article text, and values left without a verified span."""
    spans = grounded = hallucinations = 0
    for event in events:
        for value in _values(event):
            ok = [text[e.start : e.end] == e.quote for e in value.evidence]
            spans, grounded = spans + len(ok), grounded + sum(ok)
            hallucinations += not any(ok)
    return {"spans": spans, "grounded": grounded, "hallucinations": hallucinations}


def rejected(prediction: Prediction | None) -> dict[str, int]:
    """Values grounding rejected in this prediction, per field group."""
    summary = prediction.summary if prediction else None
    if summary is None:
        return {}
    if summary.run.rejections:  # the records: every dropped value, with its field and reason
        return count_rejections(summary.run.rejections)
    return dict(summary.run.rejected) if summary.run.rejected else rejections(summary.warnings)


def gold_sha(gold: GoldArticle) -> str:
    """A short fingerprint of one gold article (text and labels)."""
    return hashlib.sha256(gold.model_dump_json().encode()).hexdigest()[:16]


# ---------------------------------------------------------------- articles and runs


def _empty_tallies() -> dict[str, Tally]:
    return {name: Tally() for name in FIELDS}


Match = tuple[int, int, float]


def _match_among(gold: list[GoldEvent], g_idx: list[int], pred: list[Event], p_idx: list[int],
                 pair_primary: bool) -> list[Match]:  # fmt: skip
    """`match_events` on a subset of each side, with indices into the full lists."""
    found = match_events([gold[i] for i in g_idx], [pred[j] for j in p_idx], pair_primary)
    return [(g_idx[g], p_idx[p], s) for g, p, s in found]


def pair_events(gold: GoldArticle, pred: list[Event]) -> tuple[list[Match], list[Match]]:
    """(scored matches, optional matches). Required gold events pair first, so an optional event never
    takes a prediction a required one could have; optional events then pair with what is left."""
    required = [i for i, e in enumerate(gold.events) if not e.optional]
    optional = [i for i, e in enumerate(gold.events) if e.optional]
    matches = _match_among(gold.events, required, pred, list(range(len(pred))), not gold.all_events)
    left = sorted(set(range(len(pred))) - {p for _, p, _ in matches})
    return matches, _match_among(gold.events, optional, pred, left, False) if optional else []


def score_article(gold: GoldArticle, prediction: Prediction | None) -> dict[str, Any]:
    """One article's result: status, event pairing, per-field counts, score, grounding, count errors."""
    pred_events = prediction.summary.events if prediction and prediction.summary else []
    status = "missing" if prediction is None else prediction.status
    matches, optional_matches = pair_events(gold, pred_events)
    tallies = _empty_tallies()
    errors: dict[str, list[int]] = {"killed": [], "injured": []}
    for g, p, _ in matches:
        for name, tally in score_fields(gold.events[g], pred_events[p]).items():
            tallies[name].add(tally)
        for kind, diffs in errors.items():
            gv, pv = _count_value(figure(gold.events[g], kind)), _count_value(figure(pred_events[p], kind))
            if gv is not None and pv is not None:
                diffs.append(abs(gv - pv))
    required = {i for i, e in enumerate(gold.events) if not e.optional}
    unmatched_gold = sorted(required - {g for g, _, _ in matches})
    unmatched_pred = sorted(set(range(len(pred_events))) - {p for _, p, _ in matches + optional_matches})
    for g in unmatched_gold:
        for name, n in filled(gold.events[g], "gold").items():
            tallies[name].add(Tally(fn=n))
    for p in unmatched_pred if gold.all_events else []:
        for name, n in filled(pred_events[p], "pred").items():
            tallies[name].add(Tally(fp=n))
    headline = Tally()
    for name in HEADLINE_FIELDS:
        headline.add(tallies[name])
    return {
        "id": gold.id, "status": status, "error": prediction.error if prediction else "no prediction",
        "seconds": prediction.seconds if prediction else None,
        "score": 1.0 if headline.f1 is None else headline.f1,
        "n_gold": len(gold.events), "n_pred": len(pred_events), "all_events": gold.all_events,
        "matches": [{"gold": g, "pred": p, "similarity": round(s, 4)} for g, p, s in matches],
        "optional_matches": [{"gold": g, "pred": p, "similarity": round(s, 4)} for g, p, s in optional_matches],
        "unmatched_gold": unmatched_gold, "unmatched_pred": unmatched_pred,
        "fields": {name: {"tp": t.tp, "fp": t.fp, "fn": t.fn} for name, t in tallies.items()},
        "abs_errors": errors, "grounding": grounding(gold.text, pred_events),
        "rejected": rejected(prediction), "gold_sha": gold_sha(gold),
    }  # fmt: skip


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _field_metrics(name: str, articles: list[dict[str, Any]]) -> dict[str, Any]:
    per_article = [Tally(**a["fields"][name]) for a in articles]
    total = Tally()
    for tally in per_article:
        total.add(tally)
    result: dict[str, Any] = total.summary()
    result["macro_f1"] = _mean(t.f1 for t in per_article)
    if name in ("killed", "injured"):
        diffs = [d for a in articles for d in a["abs_errors"][name]]
        result["mae"], result["mae_n"] = _mean(diffs), len(diffs)
    return result


def _events_metrics(articles: list[dict[str, Any]]) -> dict[str, float | None]:
    tally = Tally()
    for a in articles:
        counted_pred = len(a["unmatched_pred"]) if a["all_events"] else 0
        tally.add(Tally(tp=len(a["matches"]), fp=counted_pred, fn=len(a["unmatched_gold"])))
    return tally.summary()


def _no_event_articles(articles: list[dict[str, Any]]) -> dict[str, int]:
    """Articles whose complete gold has no event (MUC's irrelevant messages), and how many of them the
    extractor still gave an event: the article-level false alarms behind those articles' fp."""
    empty = [a for a in articles if a["all_events"] and a["n_gold"] == 0]
    return {"articles": len(empty), "with_predicted_events": sum(a["n_pred"] > 0 for a in empty)}


def _sum_counts(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for count in counts:
        for key, n in count.items():
            total[key] = total.get(key, 0) + n
    return dict(sorted(total.items()))


def evaluate(gold: list[GoldArticle], predictions: Mapping[str, Prediction]) -> dict[str, Any]:
    """Metrics for a run (the `metrics.json` content); predictions are keyed by article id."""
    return aggregate([score_article(article, predictions.get(article.id)) for article in gold])


def aggregate(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Run metrics from per-article results (`score_article`), e.g. a subset of a run's articles."""
    fields = {name: _field_metrics(name, articles) for name in FIELDS}
    spans = sum(a["grounding"]["spans"] for a in articles)
    statuses = [a["status"] for a in articles]
    return {
        "n_articles": len(articles),
        "n_ok": statuses.count("ok"),
        "n_errors": statuses.count("error"),
        "n_missing": statuses.count("missing"),
        "headline_f1": _mean(fields[n]["f1"] for n in HEADLINE_FIELDS),
        "headline_macro_f1": _mean(fields[n]["macro_f1"] for n in HEADLINE_FIELDS),
        "headline_fields": list(HEADLINE_FIELDS),
        "events": _events_metrics(articles),
        "fields": fields,
        "grounding_rate": sum(a["grounding"]["grounded"] for a in articles) / spans if spans else None,
        "evidence_spans": spans,
        "hallucinations": sum(a["grounding"]["hallucinations"] for a in articles),
        "rejected": _sum_counts(a.get("rejected", {}) for a in articles),
        "n_rejected": sum(sum(a.get("rejected", {}).values()) for a in articles),
        "seconds_per_article": _mean(a["seconds"] for a in articles),
        "no_event_articles": _no_event_articles(articles),
        "scorer": {"min_similarity": MIN_SIMILARITY, "name_threshold": NAME_THRESHOLD,
                   "range_credit": RANGE_CREDIT, "weights": WEIGHTS, "on_or_before_days": ON_OR_BEFORE_DAYS},
        "articles": articles,
    }  # fmt: skip
