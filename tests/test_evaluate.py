"""The scorer on tiny hand-made gold: matching, every field, partial credit, aggregates, run comparison."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.eval.compare import compare_runs
from summarizer.eval.gold import GoldArticle, Prediction
from summarizer.eval.scoring import (
    evaluate,
    match_events,
    name_similarity,
    names_match,
    score_count,
)
from summarizer.schema import ArticleMeta, CasualtyClaim, Count, Event, Evidence, RunInfo, Summary

TEXT = "A drone strike hit Baghdad on Wednesday, killing three. Gunmen shot two in Anbar."


def ev(
    kind: str = "drone_strike",
    place: str | None = "Baghdad",
    admin1: str | None = None,
    cc: str | None = "IQ",
    day: str | None = "2024-02-07",
    who: tuple[tuple[str, str], ...] = (("U.S. Central Command (CENTCOM)", "perpetrator"),),
    killed: dict[str, int] | None = None,
    injured: dict[str, int] | None = None,
    primary: bool = False,
    **when: Any,
) -> Event:
    claim = {"killed": killed, "injured": injured} if killed or injured else None
    return Event.model_validate(
        {
            "primary": primary,
            "what": {"type": kind},
            "who": [{"name": n, "role": r} for n, r in who],
            "where": {"place": place, "admin1": admin1, "country_code": cc},
            "when": {"date": day, "precision": "day", **when},
            "casualties": [claim] if claim else [],
        }
    )


STRIKE = ev(killed={"best": 3}, primary=True)
SHOOTING = ev("shooting", None, "Anbar", "IQ", "2024-02-02", (("gunmen", "perpetrator"),), {"best": 2})


def _first_primary(events: tuple[Event, ...]) -> list[Event]:
    return [e.model_copy(update={"primary": i == 0}) for i, e in enumerate(events)]


def gold(*events: Event, all_events: bool = True, gid: str = "a1") -> GoldArticle:
    return GoldArticle(id=gid, text=TEXT, published="2024-02-08", events=_first_primary(events), all_events=all_events)


def pred(*events: Event, gid: str = "a1") -> Prediction:
    run = RunInfo(backend="test", model="none")
    summary = Summary(article=ArticleMeta(id=gid), events=_first_primary(events), run=run)
    return Prediction(id=gid, summary=summary)


def run(g: GoldArticle, p: Prediction | None) -> dict[str, Any]:
    return evaluate([g], {p.id: p} if p else {})


def f1(metrics: dict[str, Any], name: str) -> float | None:
    return metrics["fields"][name]["f1"]  # type: ignore[no-any-return]


def test_perfect_prediction_scores_one() -> None:
    m = run(gold(STRIKE, SHOOTING), pred(STRIKE, SHOOTING))
    assert m["headline_f1"] == 1.0
    assert all(m["fields"][n]["f1"] == 1.0 for n in ("what", "who", "place", "country_code", "date", "killed"))
    assert m["events"]["f1"] == 1.0


def test_swapped_event_order_still_matches() -> None:
    m = run(gold(STRIKE, SHOOTING), pred(SHOOTING, STRIKE))
    assert m["headline_f1"] == 1.0
    assert {(x["gold"], x["pred"]) for x in m["articles"][0]["matches"]} == {(0, 1), (1, 0)}


def test_missing_event_counts_its_targets_as_misses() -> None:
    m = run(gold(STRIKE, SHOOTING), pred(STRIKE))
    assert (m["fields"]["what"]["tp"], m["fields"]["what"]["fn"], m["fields"]["what"]["fp"]) == (1, 1, 0)
    assert m["fields"]["admin1"]["fn"] == 1  # only the shooting has an admin1
    assert m["events"]["recall"] == 0.5 and m["events"]["precision"] == 1.0


def test_extra_event_is_a_false_positive_only_when_gold_is_complete() -> None:
    complete = run(gold(STRIKE), pred(STRIKE, SHOOTING))
    assert complete["fields"]["what"]["fp"] == 1 and complete["fields"]["killed"]["fp"] == 1
    partial = run(gold(STRIKE, all_events=False), pred(STRIKE, SHOOTING))
    assert partial["fields"]["what"]["fp"] == 0 and partial["headline_f1"] == 1.0


def test_error_prediction_misses_everything() -> None:
    failed = Prediction(id="a1", status="error", error="backend down")
    m = run(gold(STRIKE), failed)
    assert m["fields"]["what"]["recall"] == 0.0 and m["n_errors"] == 1
    assert run(gold(STRIKE), None)["n_missing"] == 1


def test_unrelated_events_do_not_match() -> None:
    other = ev("stabbing", "Paris", None, "FR", "2023-05-01", (("a man", "perpetrator"),))
    assert match_events([STRIKE], [other]) == []


def test_wrong_type_is_fp_and_fn_for_what() -> None:
    m = run(gold(STRIKE), pred(ev("air_strike", killed={"best": 3})))
    assert (m["fields"]["what"]["fp"], m["fields"]["what"]["fn"]) == (1, 1)
    assert f1(m, "place") == 1.0


def test_place_admin1_country_fields() -> None:
    g = gold(ev(place="Baghdad", admin1="Baghdad Governorate", cc="IQ"))
    m = run(g, pred(ev(place="baghdad, Iraq", admin1="Baghdad", cc="iq")))
    assert f1(m, "place") == 1.0 and f1(m, "admin1") == 1.0 and f1(m, "country_code") == 1.0
    m = run(g, pred(ev(place="Mosul", admin1="Nineveh", cc="IQ")))
    assert f1(m, "place") == 0.0 and f1(m, "admin1") == 0.0 and f1(m, "country_code") == 1.0


def test_empty_gold_value_is_not_a_target() -> None:
    m = run(gold(ev(place=None)), pred(ev(place="Baghdad")))
    assert m["fields"]["place"]["fp"] == 0 and f1(m, "place") is None


def test_missing_prediction_value_is_a_miss() -> None:
    m = run(gold(ev()), pred(ev(place=None)))
    assert (m["fields"]["place"]["tp"], m["fields"]["place"]["fn"]) == (0, 1)


def test_date_exact_and_within_one_day() -> None:
    m = run(gold(ev(day="2024-02-07")), pred(ev(day="2024-02-08")))
    assert f1(m, "date") == 0.0 and f1(m, "date_within_1d") == 1.0


def test_date_is_compared_at_gold_precision() -> None:
    g = gold(ev(day="2024-01-01", precision="month"))
    assert f1(run(g, pred(ev(day="2024-01-28"))), "date") == 1.0
    assert f1(run(g, pred(ev(day="2024-02-01"))), "date") == 0.0


def test_fuzzy_names_and_aliases() -> None:
    assert names_match("U.S. Central Command (CENTCOM)", "CENTCOM")
    assert names_match("United States", "U.S.")
    assert names_match("Wisam Mohammed Saber al-Saedi (Abu Baqer al-Saidi)", "Abu Baqer al-Saidi")
    assert names_match("Kata’ib Hezbollah", "Kataib Hezbollah")
    assert not names_match("Islamic State", "Kataib Hezbollah")
    assert name_similarity("", "x") == 0.0


def test_who_partial_and_role_sensitive() -> None:
    g = gold(ev(who=(("CENTCOM", "perpetrator"), ("Wisam al-Saedi", "victim"))))
    m = run(g, pred(ev(who=(("US forces", "perpetrator"), ("Kataib Hezbollah", "target")))))
    assert m["fields"]["who"]["tp"] == 1 and m["fields"]["who"]["fp"] == 1 and m["fields"]["who"]["fn"] == 1
    swapped = run(g, pred(ev(who=(("Wisam al-Saedi", "perpetrator"),))))
    assert swapped["fields"]["who"]["tp"] == 0


def test_killed_exact_wrong_and_range_credit() -> None:
    g = gold(ev(killed={"best": 3}))
    assert f1(run(g, pred(ev(killed={"best": 3}))), "killed") == 1.0
    wrong = run(g, pred(ev(killed={"best": 5})))
    assert f1(wrong, "killed") == 0.0 and wrong["fields"]["killed"]["mae"] == 2
    ranged = run(g, pred(ev(killed={"low": 2, "best": 4, "high": 5})))
    assert ranged["fields"]["killed"]["tp"] == 0.5 and f1(ranged, "killed") == 0.5
    open_range = run(g, pred(ev(killed={"low": 1, "best": 1})))
    assert open_range["fields"]["killed"]["tp"] == 0


def test_highest_claim_is_the_figure() -> None:
    g = gold(STRIKE.model_copy(update={"casualties": [CasualtyClaim(killed=Count(best=1)), *STRIKE.casualties]}))
    assert f1(run(g, pred(ev(killed={"best": 3}))), "killed") == 1.0


def test_gold_zero_and_silence() -> None:
    assert score_count(Count(best=0), None).fn == 0
    assert score_count(Count(best=0), Count(best=0)).tp == 1
    assert score_count(None, Count(best=2)).fp == 0
    m = run(gold(ev(injured={"best": 4})), pred(ev(killed={"best": 1})))
    assert m["fields"]["injured"]["fn"] == 1 and m["fields"]["killed"]["fp"] == 0


def test_grounding_rate_and_hallucinations() -> None:
    event = ev().model_copy(deep=True)
    event.where.evidence = [Evidence(quote="Baghdad", start=19, end=26)]
    event.who[0].evidence = [Evidence(quote="Baghdad", start=0, end=7)]
    p = pred(event)
    m = run(gold(STRIKE), p)
    assert m["evidence_spans"] == 2 and m["grounding_rate"] == 0.5
    # what, who (bad span), when: no verified span; where is grounded.
    assert m["hallucinations"] == 3


def test_macro_and_article_scores() -> None:
    g = [gold(STRIKE, gid="a"), gold(STRIKE, gid="b")]
    m = evaluate(g, {"a": pred(STRIKE, gid="a"), "b": pred(ev(place="Mosul", killed={"best": 3}), gid="b")})
    assert m["fields"]["place"]["macro_f1"] == 0.5
    scores = {a["id"]: a["score"] for a in m["articles"]}
    assert scores["a"] == 1.0 and scores["b"] < 1.0


def test_compare_runs_flags_regressions() -> None:
    g = [gold(STRIKE, gid="a"), gold(STRIKE, gid="b")]
    good = evaluate(g, {"a": pred(STRIKE, gid="a"), "b": pred(STRIKE, gid="b")})
    bad = evaluate(g, {"a": pred(STRIKE, gid="a"), "b": pred(ev("shooting", killed={"best": 9}), gid="b")})
    cmp = compare_runs(good, bad, fail_below=0.01)
    assert cmp["regression"] and [w["id"] for w in cmp["worse_articles"]] == ["b"]
    assert cmp["fields"]["what"]["delta"] == pytest.approx(-0.5)
    assert not compare_runs(good, bad, fail_below=None)["regression"]
    assert not compare_runs(bad, good, fail_below=0.01)["regression"]


def test_scoring_is_deterministic() -> None:
    g, p = gold(STRIKE, SHOOTING), pred(SHOOTING, STRIKE)
    assert run(g, p) == run(g, p)
