"""The full strategy where it lost with a small model: the worked example in its own turn, copies of it
rejected as records, near-copy quotes anchored with a score, figure words read in any case or form, and
placeholders ("unknown", "null") read as null."""

from __future__ import annotations

import json

from summarizer.backends import render
from summarizer.extract.events import build_events
from summarizer.extract.full import drop_example_copies, example_values
from summarizer.pipeline import RunLabel, complete, prepare
from summarizer.raw import RawCasualty, RawEvent, RawExtraction
from summarizer.record import RunRecord

TEXT = (
    "Man killed in Dayton shooting\n"
    "One person was killed and two others were wounded when shots were fired outside a bar in Dayton on Friday "
    "night, police said. Officers arrested a 22-year-old man nearby."
)


def test_the_worked_example_is_an_earlier_turn_not_part_of_the_article_message() -> None:
    prompt = render("extract", article=TEXT, published=None)
    roles = [m["role"] for m in prompt.messages]
    assert roles == ["system", "user", "assistant", "user"]
    assert "Riverton" in prompt.messages[1]["content"] and "Riverton" in prompt.messages[2]["content"]
    assert "Riverton" not in prompt.messages[3]["content"] and TEXT in prompt.messages[3]["content"]
    assert json.loads(prompt.messages[2]["content"])["events"][0]["place"] == "Riverton"


def test_values_copied_from_the_example_are_rejected_as_records() -> None:
    example = example_values(render("extract", article=TEXT, published=None).example)
    raw = RawExtraction(events=[RawEvent(
        primary=True, event_type="shooting", quote="One person was killed", place="Riverton", admin1="Ohio",
        date_phrase="on Friday", actors=[{"name": "Mark Dole", "role": "perpetrator"}],  # type: ignore[list-item]
        casualties=[RawCasualty(quote="Two people were killed and four wounded", killed="Two people")],
    )])  # fmt: skip
    record = RunRecord()
    drop_example_copies(raw, example, TEXT, record)
    event = raw.events[0]
    assert event.place is None and event.admin1 is None and event.actors == [] and event.casualties == []
    assert event.date_phrase == "on Friday", "words the article itself says stay, even when the example has them"
    reasons = {(r.field, r.value, r.reason) for r in record.rejections}
    assert ("where", "Riverton", "example_copy") in reasons and ("who", "Mark Dole", "example_copy") in reasons
    doc = prepare(TEXT, published="2024-03-02")
    summary = complete(doc, raw, record, RunLabel("full", "openai", "m"), 0.0)
    assert summary.run.rejected["where"] == 2 and summary.run.rejected["who"] == 1
    assert {r.reason for r in summary.run.rejections} == {"example_copy"}


def test_a_near_copy_quote_is_anchored_on_its_sentence_with_a_score() -> None:
    near = (
        "One person was killed and two others wounded when shots were fired outside a bar in Dayton on "
        "Friday night, police said."
    )  # fmt: skip  ("were" dropped)
    raw = RawExtraction(events=[RawEvent(primary=True, quote=near, casualties=[
        RawCasualty(quote=near, killed="one person", injured="two others")])])  # fmt: skip
    events, warnings, rejections = build_events(TEXT, raw, None)
    claim = events[0].casualties[0]
    anchor = claim.evidence[0]
    assert anchor.match == "fuzzy" and anchor.score is not None and 80 <= anchor.score < 100
    assert TEXT[anchor.start : anchor.end] == anchor.quote and anchor.quote.startswith("One person was killed")
    assert claim.killed is not None and claim.killed.best == 1 and claim.injured is not None
    assert claim.injured.best == 2 and not rejections and any("near-copy" in w for w in warnings)


def test_figure_words_match_in_any_case_and_as_numbers() -> None:
    quote = "One person was killed and two others were wounded"
    raw = RawExtraction(events=[RawEvent(primary=True, casualties=[
        RawCasualty(quote=quote, killed="one person", injured="2 others")])])  # fmt: skip
    events, _, rejections = build_events(TEXT, raw, None)
    claim = events[0].casualties[0]
    assert claim.killed is not None and claim.killed.best == 1
    assert claim.injured is not None and claim.injured.best == 2 and not rejections


def test_placeholders_are_null_not_values() -> None:
    event = RawEvent.model_validate({"place": "unknown", "admin1": "null", "country": "", "date_phrase": "N/A",
                                     "actors": [{"name": "Unknown", "role": "perpetrator"}],
                                     "casualties": [{"quote": "x", "killed": "null", "injured": "two"}]})  # fmt: skip
    assert (event.place, event.admin1, event.country, event.date_phrase) == (None, None, None, None)
    assert event.actors == [] and event.casualties[0].killed is None and event.casualties[0].injured == "two"
