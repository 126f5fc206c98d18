"""The relevance gate, datelines as publication dates, strict ISO, and incidents kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.extract import relevance, rules
from summarizer.extract.normalize import parse_date_words, parse_published

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_56ed328a523a33ef.txt"
TUNE = sorted((ROOT / "evals" / "nonevents" / "tune").glob("*.txt"))


@pytest.mark.parametrize("path", TUNE[::5], ids=lambda p: p.name)
def test_tuning_non_events_have_no_event(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not relevance.judge(text).relevant
    assert rules.extract(text, None).events == []
    assert (rules.gate_note(text) or "").startswith("no violent event reported (relevance ")


def test_a_short_report_from_elsewhere_passes_on_a_literal_cue() -> None:
    text = "Bandits kill 12 in Zamfara\n\nGUSAU, Nigeria — Bandits killed 12 villagers in an attack on Sunday."
    assert relevance.literal_cue(text) is not None
    assert relevance.judge(text).relevant


def test_metaphors_are_not_literal_cues() -> None:
    text = "The Rovers shot themselves in the foot and killed off their title hopes in a massacre at home."
    assert relevance.literal_cue(text) is None


def test_seed_primary_keeps_its_own_claims_and_the_sdf_deaths_apart() -> None:
    raw = rules.extract(SEED.read_text(encoding="utf-8"), "2024-02-08")
    primary = raw.events[0]
    assert primary.primary
    claims = [(c.killed, c.source) for c in primary.casualties]
    assert claims == [("a", "The US Central Command (CENTCOM)"), ("three people", "A PMF commander")]
    assert any("six" in (c.killed or "") for e in raw.events[1:] for c in e.casualties)


def test_background_incident_never_joins_the_primary() -> None:
    text = (
        "CHICAGO — Two men were shot and killed on Sunday morning in Englewood, police said. "
        "In the summer of 2012, three men were killed on the same block."
    )
    raw = rules.extract(text, "2014-12-15")
    assert [c.killed for c in raw.events[0].casualties] == ["Two men"]
    assert raw.events[1].casualties[0].killed == "three men"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("SAN SALVADOR, 3 JAN 90 -- [REPORT] THE ARMY SAID", "1990-01-03"),
        ("A title\nMonday, December 15, 2014\nCHICAGO (AP) — A man was shot Sunday morning.", "2014-12-15"),
        ("x Updated at 12:45 am on February 8, 2024", "2024-02-08T00:45"),
    ],
)
def test_datelines_give_the_publication_date(text: str, iso: str) -> None:
    found = rules.find_published(text)
    assert found is not None and found[0] == iso


def test_the_dateline_is_not_the_event_date() -> None:
    text = "Monday, December 15, 2014\nCHICAGO (AP) — A man was shot and killed Sunday morning, police said."
    raw = rules.extract(text, "2014-12-15")
    assert raw.events[0].date_phrase == "Sunday morning"


@pytest.mark.parametrize("value", ["yesterday", "2015", "12/11/2015", "Wednesday", ""])
def test_published_refuses_partial_relative_or_ambiguous_dates(value: str) -> None:
    assert parse_published(value) is None


def test_published_iso_forms() -> None:
    assert parse_published("2024-02-08") is not None
    assert parse_published("2024-02-08T00:45") is not None
    assert parse_date_words("3 JAN 90") is not None


def test_many_background_incidents_stay_within_eight_events() -> None:
    years = " ".join(f"In {y}, a man was shot and killed on the same corner." for y in range(2001, 2013))
    text = "CHICAGO — A man was shot and killed on Sunday, police said. " + years
    raw = rules.extract(text, "2014-12-15")
    assert len(raw.events) == rules.MAX_EVENTS and raw.events[0].primary


def test_wire_copy_dates_day_first_and_takes_the_dateline_as_publication() -> None:
    text = (
        "SAN SALVADOR, 3 JAN 90 -- [REPORT] [TEXT] ABOUT 50 PEASANTS HAVE BEEN KIDNAPPED BY TERRORISTS OF THE "
        "FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN].  THE MASS KIDNAPPING TOOK PLACE ON 30 DECEMBER IN "
        "SAN LUIS DE LA REINA."
    )
    assert rules.find_published(text) == ("1990-01-03", "SAN SALVADOR, 3 JAN 90 --")
    raw = rules.extract(text, "1990-01-03")
    primary = raw.events[0]
    assert primary.event_type == "kidnapping"
    assert primary.date_phrase is not None and "30 DECEMBER" in primary.date_phrase
    assert {a.name for a in primary.actors if a.role == "perpetrator"} >= {"TERRORISTS"}
