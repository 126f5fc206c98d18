"""The mention detectors on small hand-written sentences: spans are grounded and read right."""

from __future__ import annotations

from datetime import datetime

import pytest

from summarizer.extract.mentions import Mention, MentionKind, attribution, dates, figures, places


def _grounded(text: str, found: list[Mention]) -> None:
    for m in found:
        assert text[m.start : m.end] == m.text
        if m.head_start >= 0:
            assert text[m.head_start : m.head_start + len(m.head)] == m.head


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police said at least 12 people were killed.", [("at least 12 people", "people", 12, 12, None)]),
        ("Ambulances carried 21 bodies to the morgue.", [("21 bodies", "bodies", 21, 21, 21)]),
        ("A deputy was shot.", [("A deputy", "deputy", 1, 1, 1)]),
        ("Dozens were hurt.", [("Dozens", "", 12, 12, None)]),
        ("THREE PEASANTS WERE KILLED.", [("THREE PEASANTS", "PEASANTS", 3, 3, 3)]),
        ("two policemen died", [("two policemen", "policemen", 2, 2, 2)]),
        ("7 people were killed and 15 wounded", [("7 people", "people", 7, 7, 7), ("15", "", 15, 15, 15)]),
        ("up to 40 PMF (Iraq) fighters", [("up to 40 PMF (Iraq) fighters", "fighters", None, 40, 40)]),
        ("hundreds of people fled", [("hundreds of people", "people", 100, 100, None)]),
    ],
)  # fmt: skip
def test_figures_read_number_and_head(text: str, expected: list[tuple[str, str, int, int, int]]) -> None:
    found = figures.find(text)
    _grounded(text, found)
    assert [(m.text, m.head, m.low, m.best, m.high) for m in found] == expected
    assert all(m.kind is MentionKind.FIGURE for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "John Kim, 35, was killed.",
        "It happened on Jan 5, 2020 at 5 p.m.",
        "SAN SALVADOR, 3 JAN 90 -- nothing",
        "The strike hit more than 85 targets, 30 percent of them in 10 minutes.",
    ],
)
def test_ages_dates_years_and_measures_are_not_figures(text: str) -> None:
    assert figures.find(text) == []


def test_a_bare_article_is_not_a_figure_but_a_deputy_is() -> None:
    assert [m.text for m in figures.find("They met a week ago; a deputy was hurt.")] == ["a deputy"]
    assert figures.find("a group of them") == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The blast killed 12 people, police said.", "police"),
        ("Zabihullah Mujahid, the Taliban spokesman, said 12 died.", "Zabihullah Mujahid"),
        ("Twelve died, the Taliban spokesman, said.", "the Taliban spokesman"),
        ("Twelve died, according to the health ministry.", "the health ministry"),
        ("Twelve died, said police spokesman Ali Omar.", "police spokesman Ali Omar"),
        ("A doctor at the Medina hospital said 20 were wounded.", "A doctor at the Medina hospital"),
        ("The US Central Command (CENTCOM) on Wednesday said its forces struck.", "The US Central Command (CENTCOM)"),
        ("A local official told Reuters that 9 died.", "A local official"),
    ],
)
def test_attribution_finds_the_speaker(text: str, speaker: str) -> None:
    found = attribution.find(text)
    _grounded(text, found)
    assert [a.head for a in found] == [speaker]


def test_he_said_resolves_to_the_speaker_named_earlier_in_the_paragraph() -> None:
    text = "Ali Hassan, a police captain, told Reuters the market was hit. He said 12 died.\nHe said more."
    found = attribution.find(text)
    assert [(a.head, a.value) for a in found] == [("Ali Hassan", ""), ("Ali Hassan", "He")]


def test_first_person_is_no_speaker() -> None:
    assert attribution.find('"We have confirmed 12 dead," he said.') == []
    assert attribution.find("We have confirmed 12 dead.") == []


def test_dates_resolve_and_mark_background() -> None:
    text = "Gunmen attacked on Wednesday. Twin car bombs killed 121 people last October."
    found = dates.find(text, datetime(2024, 2, 9))
    _grounded(text, found)
    assert [(d.text, d.value, "background" in d.tags) for d in found] == [
        ("on Wednesday", "2024-02-07", False),
        ("last October", "2023-10-01", True),
    ]


@pytest.mark.parametrize(
    "phrase", ["last year", "in January", "since October", "three years ago", "in a separate attack", "in 2019"]
)
def test_background_words(phrase: str) -> None:
    assert dates.background(f"Militants killed 5 people {phrase}.") == phrase


def test_a_day_and_month_is_not_background() -> None:
    assert dates.background("Militants killed 5 people on January 4.") is None


def test_published_date_from_a_dateline() -> None:
    assert dates.find_published("SAN SALVADOR, 3 JAN 90 -- [TEXT] ...") == ("1990-01-03", "SAN SALVADOR, 3 JAN 90 --")


def test_places_mark_the_dateline_and_in() -> None:
    text = "SANAA, Yemen (Reuters) - An air strike on Saada killed 9 people, residents in Baghdad said."
    found = places.find(text)
    _grounded(text, found)
    rows = [(p.text, p.head, "dateline" in p.tags, "after_in" in p.tags) for p in found]
    assert ("SANAA", "city", True, False) in rows
    assert ("Yemen", "country", False, False) in rows
    assert ("Baghdad", "city", False, True) in rows
