"""The pipeline on the seed with the rules backend (no model), and the schema contract."""

import json

import pytest
from pydantic import BaseModel, ValidationError

from summarizer import Summary, load_settings, summarize
from summarizer.extract.events import build_events as finish
from summarizer.extract.grounding import is_valid
from summarizer.raw import RawCasualty, RawEvent, RawExtraction
from summarizer.schema import Count, Evidence


def _all_evidence(obj: object) -> list[Evidence]:
    found: list[Evidence] = []
    if isinstance(obj, Evidence):
        return [obj]
    if isinstance(obj, list):
        for item in obj:
            found += _all_evidence(item)
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            found += _all_evidence(getattr(obj, name))
    return found


def test_rules_backend_on_the_seed(seed_text: str) -> None:
    summary = summarize(seed_text, settings=load_settings(backend="rules"))
    primary = summary.primary
    assert primary is not None and summary.events[0] is primary
    assert (primary.where.place, primary.where.country_code) == ("Baghdad", "IQ")
    assert primary.when.date == "2024-02-07" and primary.when.relative
    perpetrators = [a.name for a in primary.who if a.role == "perpetrator"]
    assert any("CENTCOM" in name for name in perpetrators)
    pmf = [c for c in primary.casualties if c.source == "A PMF commander"]
    assert pmf and pmf[0].killed == Count(low=3, best=3, high=3)
    assert summary.article.published == "2024-02-08T00:45" and summary.article.published_source == "text"
    anbar = [e for e in summary.events if e.where.admin1 == "Anbar"]
    assert anbar and anbar[0].when.date == "2024-02-02"
    assert anbar[0].casualties[0].killed == Count(low=16, best=16, high=None)
    assert anbar[0].casualties[0].injured is not None and anbar[0].casualties[0].injured.best == 36
    evidence = _all_evidence(summary)
    assert evidence and all(is_valid(seed_text, e) for e in evidence)


def test_published_argument_wins_over_the_text(seed_text: str) -> None:
    summary = summarize(seed_text, published="2024-02-10", settings=load_settings(backend="rules"))
    assert summary.article.published_source == "argument"
    assert summary.primary is not None and summary.primary.when.date == "2024-02-07"  # "on Wednesday" before the 10th


def test_json_shape_is_stable(seed_text: str) -> None:
    data = json.loads(summarize(seed_text, settings=load_settings(backend="rules")).model_dump_json())
    assert {"article", "events", "run"} <= data.keys()
    event = data["events"][0]
    assert {"primary", "what", "who", "where", "when", "casualties"} <= event.keys()
    assert {"type", "description", "evidence"} <= event["what"].keys()
    assert {"place", "admin1", "country", "country_code", "precision", "evidence"} <= event["where"].keys()
    assert {"date", "time", "precision", "relative", "evidence"} <= event["when"].keys()
    claim = event["casualties"][0]
    assert {"killed", "injured", "qualifier", "victims", "source", "evidence"} <= claim.keys()
    assert {"name", "role", "kind", "evidence"} <= event["who"][0].keys()
    assert Summary.model_validate(data) is not None


def test_no_violent_event_gives_an_empty_list() -> None:
    text = "The city council met on Tuesday to discuss the new library budget. The vote was unanimous."
    summary = summarize(text, published="2024-03-01", settings=load_settings(backend="rules"))
    assert summary.events == []


def test_grounding_drops_values_the_article_does_not_hold() -> None:
    text = "A man was shot and killed in Chicago on Monday, police said."
    raw = RawExtraction(events=[RawEvent(
        primary=True, event_type="shooting", quote="A man was shot and killed in Chicago on Monday",
        place="Springfield", date_phrase="on Monday",
        casualties=[RawCasualty(quote="A man was shot and killed", killed="500"),
                    RawCasualty(quote="A man was shot and killed", killed="A man")],
    )])  # fmt: skip
    events, warnings, _ = finish(text, raw, None)
    event = events[0]
    assert event.where.place is None and any("Springfield" in w for w in warnings)
    assert [c.killed.best for c in event.casualties if c.killed] == [1]
    assert any("500" in w for w in warnings)
    assert event.when.date is None and event.when.phrase == "on Monday"


def test_schema_rejects_inconsistent_values() -> None:
    with pytest.raises(ValidationError):
        Count(low=5, best=3)
    with pytest.raises(ValidationError):
        Count(best=-1)
    with pytest.raises(ValidationError):
        Evidence(quote="x", start=5, end=2)
