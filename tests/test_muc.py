"""The MUC-3/4 converter on hand-made messages and keys, the scorer rules it needs, and the real corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import DatasetError
from summarizer.eval.datasets import load_dataset
from summarizer.eval.gold import DateWindow, GoldArticle, GoldEvent, Prediction
from summarizer.eval.muc import (
    Template,
    casualties,
    date_windows,
    human_targets,
    parse_location,
    parse_number,
    published_date,
    split_top,
    strings,
    unwrap,
)
from summarizer.eval.scoring import HEADLINE_FIELDS, ON_OR_BEFORE_DAYS, evaluate
from summarizer.schema import ArticleMeta, Count, Event, RunInfo, Summary

MUC_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "muc"

MESSAGES = """DEV-MUC3-0001 (NOSC)

   SAN SALVADOR, 3 JAN 90 (RADIO VENCEREMOS) -- [REPORT] [TEXT] ABOUT 50
PEASANTS HAVE BEEN KIDNAPPED BY TERRORISTS OF THE FARABUNDO MARTI
NATIONAL LIBERATION FRONT [FMLN] IN SAN LUIS DE LA REINA, SAN MIGUEL
DEPARTMENT, ON 30 DECEMBER.

   IN APOPA, A MORTAR ATTACK KILLED SOLDIER JOSE PEREZ AND WOUNDED THREE
POLICEMEN.  REBELS ALSO BURNED A BUS NEAR THE BORDER.


DEV-MUC3-0002 (NOSC)

   LIMA, NO DATE (DOMESTIC SERVICE) -- [SPEECH] [GARCIA] [TEXT] THE ECONOMY
WILL GROW THIS YEAR.
"""

KEY = r""";;; file header: conversion notes about the whole file

0.  MESSAGE: ID                     DEV-MUC3-0001 (NCCOSC)
1.  MESSAGE: TEMPLATE               1
2.  INCIDENT: DATE                  30 DEC 89
3.  INCIDENT: LOCATION              EL SALVADOR: SAN MIGUEL (DEPARTMENT): SAN LUIS DE LA REINA (TOWN)
4.  INCIDENT: TYPE                  KIDNAPPING
7.  INCIDENT: INSTRUMENT TYPE       *
8.  PERP: INCIDENT CATEGORY         TERRORIST ACT
9.  PERP: INDIVIDUAL ID             "TERRORISTS"
10. PERP: ORGANIZATION ID           "FARABUNDO MARTI NATIONAL LIBERATION FRONT" / "FMLN"
18. HUM TGT: NAME                   -
19. HUM TGT: DESCRIPTION            "PEASANTS"
21. HUM TGT: NUMBER                 50: "PEASANTS"
23. HUM TGT: EFFECT OF INCIDENT     -

;;; xx attack kept as one template
0.  MESSAGE: ID                     DEV-MUC3-0001 (NCCOSC)
1.  MESSAGE: TEMPLATE               2
2.  INCIDENT: DATE                  - 03 JAN 90
3.  INCIDENT: LOCATION              (EL SALVADOR: APOPA (CITY)) / (EL SALVADOR: SOYAPANGO (CITY))
4.  INCIDENT: TYPE                  ATTACK
7.  INCIDENT: INSTRUMENT TYPE       MORTAR: "MORTAR"
9.  PERP: INDIVIDUAL ID             ? "REBELS"
10. PERP: ORGANIZATION ID           -
18. HUM TGT: NAME                   "JOSE PEREZ"
19. HUM TGT: DESCRIPTION            "SOLDIER": "JOSE PEREZ"
                                    "POLICEMEN"
21. HUM TGT: NUMBER                 3: "POLICEMEN"
23. HUM TGT: EFFECT OF INCIDENT     DEATH: "JOSE PEREZ"
                                    INJURY: "POLICEMEN"

0.  MESSAGE: ID                     DEV-MUC3-0001 (NCCOSC)
1.  MESSAGE: TEMPLATE               3 (OPTIONAL)
2.  INCIDENT: DATE                  (02 JAN) / (01 JAN 90 - 02 JAN 90)
3.  INCIDENT: LOCATION              COLOMBIA / VENEZUELA
4.  INCIDENT: TYPE                  ARSON
9.  PERP: INDIVIDUAL ID             "REBELS"
12. PHYS TGT: ID                    "BUS"
18. HUM TGT: NAME                   -
19. HUM TGT: DESCRIPTION            -
23. HUM TGT: EFFECT OF INCIDENT     -

0.  MESSAGE: ID                     DEV-MUC3-0002 (NCCOSC)
1.  MESSAGE: TEMPLATE               *
2.  INCIDENT: DATE                  *
3.  INCIDENT: LOCATION              *
"""


@pytest.fixture
def muc_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "dev-muc3-0001-0100").write_text(MESSAGES, encoding="utf-8")
    (tmp_path / "key-dev-0001.muc4").write_text(KEY, encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_MUC_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def articles(muc_dir: Path) -> dict[str, GoldArticle]:
    return {a.id: a for a in load_dataset("muc-dev")}


# ---------------------------------------------------------------- conversion, field by field


def test_message_text_id_and_published(articles: dict[str, GoldArticle]) -> None:
    first, second = articles["DEV-MUC3-0001"], articles["DEV-MUC3-0002"]
    assert first.text.startswith("SAN SALVADOR, 3 JAN 90 (RADIO VENCEREMOS) -- [REPORT]")
    assert "DEV-MUC3" not in first.text and first.text.endswith("NEAR THE BORDER.")
    assert first.published == "1990-01-03" and second.published is None  # "NO DATE"
    assert first.all_events and second.all_events
    assert first.notes == "xx attack kept as one template"  # the file header comment is not about it


def test_irrelevant_message_has_no_events(articles: dict[str, GoldArticle]) -> None:
    assert articles["DEV-MUC3-0002"].events == []


def test_kidnapping_template(articles: dict[str, GoldArticle]) -> None:
    kidnap, attack, arson = articles["DEV-MUC3-0001"].events
    assert kidnap.primary and not attack.primary and not arson.primary
    assert kidnap.what.type == "kidnapping" and not kidnap.optional
    assert kidnap.what.description == "MUC template 1: KIDNAPPING"
    assert [(a.name, a.role, a.kind) for a in kidnap.who] == [
        ("FARABUNDO MARTI NATIONAL LIBERATION FRONT / FMLN", "perpetrator", "armed_group"),
        ("TERRORISTS", "perpetrator", "unknown"),
        ("PEASANTS", "victim", "unknown"),
    ]
    w = kidnap.where
    assert (w.place, w.admin1, w.country, w.country_code, w.precision) == (
        "SAN LUIS DE LA REINA", "SAN MIGUEL", "El Salvador", "SV", "city",
    )  # fmt: skip
    assert kidnap.when.date == "1989-12-30" and kidnap.when.precision == "day"
    assert kidnap.date_windows == [DateWindow(earliest="1989-12-30", latest="1989-12-30")]
    assert kidnap.casualties == []  # 50 peasants kidnapped, no effect stated: no figure either way


def test_evidence_only_where_the_filler_is_in_the_text(articles: dict[str, GoldArticle]) -> None:
    article = articles["DEV-MUC3-0001"]
    kidnap = article.events[0]
    front = kidnap.who[0].evidence[0]
    assert front.quote == "FARABUNDO MARTI\nNATIONAL LIBERATION FRONT"  # across a line break, verbatim
    for event in article.events:
        for value in [*event.who, event.where]:
            for span in value.evidence:
                assert article.text[span.start : span.end] == span.quote
    assert [e.quote for e in kidnap.where.evidence] == ["SAN LUIS DE LA REINA", "SAN MIGUEL"]
    assert kidnap.what.evidence == [] and kidnap.when.evidence == []


def test_attack_with_alternatives_and_casualties(articles: dict[str, GoldArticle]) -> None:
    attack = articles["DEV-MUC3-0001"].events[1]
    assert attack.what.type == "shelling"  # ATTACK with a mortar
    assert attack.where.place == "APOPA / SOYAPANGO" and attack.where.country_code == "SV"
    assert attack.where.admin1 is None
    assert attack.date_windows == [DateWindow(earliest=None, latest="1990-01-03")]  # on or before
    assert attack.when.date == "1990-01-03"
    assert [(a.name, a.role) for a in attack.who] == [
        ("REBELS", "perpetrator"),  # "?" uncertain fillers count
        ("JOSE PEREZ", "victim"),  # the description refers to the name: one target, not two
        ("POLICEMEN", "victim"),
    ]
    (claim,) = attack.casualties
    assert claim.killed == Count(best=1)  # a named person counts one without a NUMBER line
    assert claim.injured == Count(best=3)


def test_optional_template_with_date_and_country_alternatives(articles: dict[str, GoldArticle]) -> None:
    arson = articles["DEV-MUC3-0001"].events[2]
    assert arson.optional and arson.what.type == "arson"
    assert arson.where.country_code == "CO / VE" and arson.where.place is None
    assert arson.date_windows == [
        DateWindow(earliest="1990-01-02", latest="1990-01-02"),  # no year: the one before publication
        DateWindow(earliest="1990-01-01", latest="1990-01-02"),
    ]
    assert [a.name for a in arson.who] == ["REBELS"]  # a physical target is no victim


@pytest.mark.parametrize(
    ("optional", "primary"),
    [((1,), [False, True, False]), ((1, 2), [True, False, False])],
)
def test_primary_is_the_first_required_template(muc_dir: Path, optional: tuple[int, ...], primary: list[bool]) -> None:
    key = (muc_dir / "key-dev-0001.muc4").read_text(encoding="utf-8")
    for n in optional:
        key = key.replace(f"TEMPLATE               {n}\n", f"TEMPLATE               {n} (OPTIONAL)\n")
    (muc_dir / "key-dev-0001.muc4").write_text(key, encoding="utf-8")
    events = load_dataset("muc-dev")[0].events
    assert [e.optional for e in events] == [1 in optional, 2 in optional, True]
    assert [e.primary for e in events] == primary  # all optional: the first


def test_key_errors_are_dataset_errors(muc_dir: Path) -> None:
    (muc_dir / "key-dev-0001.muc4").write_text(KEY.replace("4.  INCIDENT: TYPE", "4.  INCIDENT: KIND"), "utf-8")
    with pytest.raises(DatasetError, match="not a MUC-4 slot line"):
        load_dataset("muc-dev")
    (muc_dir / "key-dev-0001.muc4").write_text(KEY.split("0.  MESSAGE: ID                     DEV-MUC3-0002")[0])
    with pytest.raises(DatasetError, match="without a key"):
        load_dataset("muc-dev")


def test_missing_folder_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MUC_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(DatasetError, match="SUMMARIZER_MUC_DIR"):
        load_dataset("muc-tst1")


def _claim(effects: list[str], numbers: list[str], names: tuple[str, ...] = ()) -> tuple[int | None, ...] | None:
    """(killed, injured) best figures of a template with these HUM TGT slots; None when it has no claim."""
    slots = {
        "HUM TGT: NAME": [f'"{n}"' for n in names],
        "HUM TGT: DESCRIPTION": ['"PEOPLE" / "VILLAGERS"', '"GUARD"'],
        "HUM TGT: NUMBER": numbers,
        "HUM TGT: EFFECT OF INCIDENT": effects,
    }
    template = Template("X", slots)
    claims = casualties(template, human_targets(template))
    return tuple(c.best if c else None for c in (claims[0].killed, claims[0].injured)) if claims else None


def test_casualty_rules() -> None:
    numbers = ['PLURAL: "PEOPLE"', '1: "GUARD"']
    assert _claim(['INJURY: "GUARD"'], numbers) == (0, 1)  # injured, so not killed
    assert _claim(['INJURY: "GUARD"', 'DEATH: "PEOPLE"'], numbers) == (None, 1)  # PLURAL dead: no figure
    assert _claim(['NO INJURY OR DEATH: "-"'], numbers) == (0, 0)
    assert _claim(['NO DEATH: "GUARD"'], numbers) == (0, None)
    assert _claim(['? (INJURY / DEATH): "GUARD"'], numbers) is None  # the alternatives disagree
    assert _claim(['REGAINED FREEDOM: "GUARD"'], numbers) is None
    assert _claim(['DEATH: "PEOPLE"'], ['4: "VILLAGERS"']) == (4, None)  # the number names another alternative
    assert _claim(['DEATH: "ANA ROJAS"', 'DEATH: "GUARD"'], ['5-: "GUARD"'], ("ANA ROJAS",)) == (6, None)


# ---------------------------------------------------------------- small parsers


def test_filler_helpers() -> None:
    assert split_top('"A / B" / "C"', " / ") == ['"A / B"', '"C"']
    assert split_top("(X (CITY)) / (Y)", "/") == ["(X (CITY)) ", " (Y)"]
    assert unwrap("? (EL SALVADOR)") == "EL SALVADOR" and unwrap("(A) / (B)") == "(A) / (B)"
    assert strings(r'"\"SANTO TOMAS\" FARM" / "FARM"') == ['"SANTO TOMAS" FARM', "FARM"]
    assert strings("BASQUE FATHERLAND LIBERTY") == ["BASQUE FATHERLAND LIBERTY"] and strings("-") == []


@pytest.mark.parametrize(
    ("value", "count"),
    [("3", Count(best=3)), ("5-", Count(low=5, best=5)), ("-26", Count(best=26, high=26)),
     ("~40", Count(best=40)), ("PLURAL", None), ("PLURAL / 2", Count(best=2)), ("? 1", Count(best=1))],
)  # fmt: skip
def test_parse_number(value: str, count: Count | None) -> None:
    assert parse_number(value) == count


def test_published_date_forms() -> None:
    assert published_date("BOGOTA, 18 APRIL 89 (AFP) -- [TEXT] ON 3 MAY 89 ...") == "1989-04-18"
    assert published_date("PERTH (AUSTRALIA), JUNE 11 89 (AFP) -- [TEXT]") == "1989-06-11"
    assert published_date("TEGUCIGALPA, 7 FEB (REUTER) -- [TEXT] ON 3 MAY 89") is None  # no year
    assert published_date("LIMA, NO DATE -- [TEXT] 3 MAY 89") is None


def test_date_windows_forms() -> None:
    pub = date(1989, 11, 20)
    assert date_windows("- 20 NOV 89", pub) == [DateWindow(latest="1989-11-20")]
    assert date_windows("11 NOV 89 - 31 NOV 89", pub) == [DateWindow(earliest="1989-11-11", latest="1989-11-30")]
    # a range that ends before it starts keeps only its end, as on-or-before
    assert date_windows("11 NOV 90 - 19 NOV 89", pub) == [DateWindow(latest="1989-11-19")]
    assert date_windows("OCT 18", pub) == [DateWindow(earliest="1989-10-18", latest="1989-10-18")]
    assert date_windows("25 DEC", pub) == [DateWindow(earliest="1988-12-25", latest="1988-12-25")]
    assert date_windows("25 DEC", None) == [] and date_windows("-", pub) == []


def test_location_forms() -> None:
    (peru,) = parse_location("PERU: LA MAR (PROVINCE): CHINCHIPE (VILLAGE)")
    assert (peru.admin1, peru.place, peru.country_code) == (None, "CHINCHIPE", "PE")  # a province of Ayacucho
    (ayacucho,) = parse_location("PERU: AYACUCHO (DEPARTMENT): AYACUCHO (CITY)")
    assert (ayacucho.admin1, ayacucho.place) == ("AYACUCHO", "AYACUCHO")
    (dept,) = parse_location("EL SALVADOR: MORAZAN (DEPARTMENT)")
    assert (dept.admin1, dept.place, dept.precision) == ("MORAZAN", None, "admin1")
    (typo,) = parse_location("GUATAMALA: GUATAMALA CITY (CITY)")
    assert typo.country_code == "GT" and typo.place == "GUATAMALA CITY"
    (either,) = parse_location("EL SALVADOR: SAN SALVADOR (CITY / DEPARTMENT)")
    assert either.place == "SAN SALVADOR"  # the most specific reading
    between = parse_location("EL SALVADOR: PERQUIN (CITY) / SAN SALVADOR: PERKIN (CITY)")
    assert [(s.place, s.country_code) for s in between] == [("PERQUIN", "SV"), ("PERKIN", "SV")]
    (road,) = parse_location("COLOMBIA: PEREIRA (CITY) - MEDELLIN (CITY)")
    assert road.place == "PEREIRA / MEDELLIN"


# ---------------------------------------------------------------- scorer rules MUC needs


def _event(**fields: Any) -> Event:
    base: dict[str, Any] = {"what": {"type": "bombing"}, "where": {"country_code": "SV"}}
    return Event.model_validate({**base, **fields})


def _gold_event(**fields: Any) -> GoldEvent:
    """A bombing in El Salvador, so that a prediction (`_event`) always pairs with it."""
    base: dict[str, Any] = {"primary": True, "what": {"type": "bombing"}, "where": {"country_code": "SV"}}
    return GoldEvent.model_validate({**base, **fields})


def _gold(*events: GoldEvent) -> GoldArticle:
    return GoldArticle(id="m1", text="SAN SALVADOR, 3 JAN 90 -- A BOMB.", published="1990-01-03", events=list(events))


def _pred(*events: Event) -> dict[str, Prediction]:
    summary = Summary(article=ArticleMeta(id="m1"), events=list(events), run=RunInfo(backend="t", model="t"))
    return {"m1": Prediction(id="m1", summary=summary)}


def _counts(metrics: dict[str, Any], field: str) -> tuple[float, float, float]:
    f = metrics["fields"][field]
    return f["tp"], f["fp"], f["fn"]


REQUIRED = _gold_event(where={"place": "SAN SALVADOR", "country_code": "SV"})
OPTIONAL = _gold_event(primary=False, optional=True, what={"type": "kidnapping"}, where={"place": "APOPA"})


def test_optional_event_matched_counts_nothing() -> None:
    bombing = _event(primary=True, where={"place": "San Salvador"})
    kidnapping = _event(what={"type": "kidnapping"}, where={"place": "Apopa"})
    m = evaluate([_gold(REQUIRED, OPTIONAL)], _pred(bombing, kidnapping))
    article = m["articles"][0]
    assert article["matches"] == [{"gold": 0, "pred": 0, "similarity": 1.0}]
    assert [o["gold"] for o in article["optional_matches"]] == [1] and article["unmatched_pred"] == []
    assert _counts(m, "what") == (1, 0, 0) and _counts(m, "place") == (1, 0, 0)
    assert m["events"]["precision"] == 1.0 and m["events"]["recall"] == 1.0


def test_optional_event_missed_is_no_miss_and_extra_event_still_false_alarm() -> None:
    m = evaluate([_gold(REQUIRED, OPTIONAL)], _pred(_event(primary=True, where={"place": "San Salvador"})))
    assert _counts(m, "what") == (1, 0, 0) and m["articles"][0]["unmatched_gold"] == []
    unrelated = _event(
        what={"type": "arson"}, where={"place": "Lima", "country_code": "PE"}, when={"date": "1980-01-01"}
    )
    m = evaluate([_gold(REQUIRED, OPTIONAL)], _pred(_event(primary=True, where={"place": "San Salvador"}), unrelated))
    assert _counts(m, "what") == (1, 1, 0)  # the optional event absorbs only what resembles it


def test_required_event_takes_the_prediction_before_an_optional_one() -> None:
    twin = OPTIONAL.model_copy(update={"what": REQUIRED.what, "where": REQUIRED.where, "primary": True})
    gold = _gold(twin, REQUIRED.model_copy(update={"primary": False}))
    m = evaluate([gold], _pred(_event(primary=True, where={"place": "San Salvador"})))
    # the only gold primary is the optional twin here; the required one still gets the prediction
    assert m["articles"][0]["matches"][0]["gold"] == 1 and _counts(m, "what") == (1, 0, 0)


def test_alternative_places_admin1_and_country_codes() -> None:
    where = {"place": "APOPA / SOYAPANGO", "admin1": "SAN SALVADOR / LA LIBERTAD", "country_code": "CO / VE"}
    gold = _gold_event(where=where)
    for place, admin1, code in (("Soyapango", "La Libertad Department", "VE"), ("Apopa", "San Salvador", "CO")):
        predicted = {"place": place, "admin1": admin1, "country_code": code}
        m = evaluate([_gold(gold)], _pred(_event(primary=True, where=predicted)))
        assert [_counts(m, f) for f in ("place", "admin1", "country_code")] == [(1, 0, 0)] * 3
    m = evaluate([_gold(gold)], _pred(_event(primary=True, where={"place": "Lima", "country_code": "PE"})))
    assert _counts(m, "place") == (0, 1, 1) and _counts(m, "country_code") == (0, 1, 1)


@pytest.mark.parametrize(
    ("predicted", "date_ok", "within_1d_ok"),
    [("1990-01-08", True, True), ("1990-01-01", True, True), ("1989-12-08", True, True),
     ("1989-12-07", False, True), ("1989-11-01", False, False), ("1990-01-09", False, True),
     ("1990-01-10", False, False)],
)  # fmt: skip
def test_on_or_before_window(predicted: str, date_ok: bool, within_1d_ok: bool) -> None:
    assert ON_OR_BEFORE_DAYS == 31
    gold = _gold_event(when={"date": "1990-01-08", "precision": "day"}, date_windows=[{"latest": "1990-01-08"}])
    m = evaluate([_gold(gold)], _pred(_event(primary=True, when={"date": predicted, "precision": "day"})))
    assert _counts(m, "date") == ((1, 0, 0) if date_ok else (0, 1, 1))
    assert _counts(m, "date_within_1d") == ((1, 0, 0) if within_1d_ok else (0, 1, 1))


def test_date_alternatives_any_window() -> None:
    windows = [
        DateWindow(earliest="1989-12-09", latest="1989-12-09"),
        DateWindow(earliest="1989-12-01", latest="1989-12-03"),
    ]
    gold = _gold_event(when={"date": "1989-12-09", "precision": "day"}, date_windows=windows)
    for predicted, ok in (("1989-12-09", True), ("1989-12-02", True), ("1989-12-05", False)):
        m = evaluate([_gold(gold)], _pred(_event(primary=True, when={"date": predicted})))
        assert (_counts(m, "date")[0] == 1) is ok


def test_perpetrator_and_victim_fields_are_scored_apart_and_not_headline() -> None:
    front = "FARABUNDO MARTI NATIONAL LIBERATION FRONT / FMLN"
    gold_who = [(front, "perpetrator"), ("JOSE PEREZ", "victim"), ("POLICEMEN", "victim")]
    pred_who = [("FMLN", "perpetrator"), ("José Pérez", "target"), ("Army", "perpetrator")]
    gold = _gold_event(who=[{"name": n, "role": r} for n, r in gold_who])
    pred = _event(primary=True, who=[{"name": n, "role": r} for n, r in pred_who])
    m = evaluate([_gold(gold)], _pred(pred))
    assert _counts(m, "perpetrator") == (1, 1, 0)
    assert _counts(m, "victim") == (1, 0, 1)  # target and victim are one group
    assert _counts(m, "who") == (2, 1, 1)
    assert "perpetrator" not in HEADLINE_FIELDS and "victim" not in HEADLINE_FIELDS


def test_irrelevant_article_with_a_predicted_event_is_counted() -> None:
    empty = GoldArticle(id="m1", text="LIMA, NO DATE -- THE ECONOMY.", events=[])
    m = evaluate([empty], _pred(_event(primary=True, who=[{"name": "Shining Path", "role": "perpetrator"}])))
    assert m["no_event_articles"] == {"articles": 1, "with_predicted_events": 1}
    assert _counts(m, "what") == (0, 1, 0) and _counts(m, "perpetrator") == (0, 1, 0)


# ---------------------------------------------------------------- the real corpus


def _self_score(gold: list[GoldArticle]) -> float | None:
    """Headline F1 of the gold's own events given back as predictions (optional ones included)."""
    predictions = {}
    for article in gold:
        events = [Event.model_validate(e.model_dump(exclude={"optional", "date_windows"})) for e in article.events]
        predictions[article.id] = _pred(*events)["m1"].model_copy(update={"id": article.id})
    metrics = evaluate(gold, predictions)
    assert all(f["f1"] in (None, 1.0) for f in metrics["fields"].values())
    return metrics["headline_f1"]  # type: ignore[no-any-return]


@pytest.mark.skipif(not MUC_DIR.is_dir(), reason="MUC data not available")
def test_real_corpus_counts_and_evidence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MUC_DIR", str(MUC_DIR))
    expected = {  # messages, relevant (a non-* template), events, optional events
        "muc-dev": (1300, 700, 1114, 161),
        "muc-tst1": (100, 50, 85, 6),
        "muc-tst2": (100, 66, 106, 25),
        "muc-test": (200, 116, 191, 31),
    }
    for name, (n, relevant, n_events, n_optional) in expected.items():
        articles = load_dataset(name)
        events = [e for a in articles for e in a.events]
        assert (len(articles), sum(bool(a.events) for a in articles)) == (n, relevant), name
        assert (len(events), sum(e.optional for e in events)) == (n_events, n_optional), name
        assert len({a.id for a in articles}) == n and all(a.all_events for a in articles)
        for article in articles:
            assert article.text[:1].isalpha() and "-MUC" not in article.text[:20]
            assert not article.events or sum(e.primary for e in article.events) == 1
            for event in article.events:
                for value in [*event.who, event.where]:
                    for span in value.evidence:
                        assert article.text[span.start : span.end] == span.quote, article.id
    dev = load_dataset("muc-dev")
    assert _self_score(dev) == 1.0
    assert dev[0].id == "DEV-MUC3-0001" and dev[0].published == "1990-01-03"
    types = [e.what.type for a in dev for e in a.events]
    assert types.count("kidnapping") > 100 and types.count("arson") > 30 and types.count("robbery") > 10
    assert sum(a.published is None for a in dev) < 100  # "NO DATE" and year-less datelines only
