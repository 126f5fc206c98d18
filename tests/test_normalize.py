from datetime import datetime

import pytest

from summarizer.extract.normalize import country_code, extract_time, parse_count, resolve_date, words_to_int

PUBLISHED = datetime(2024, 2, 8, 0, 45)  # a Thursday


@pytest.mark.parametrize(
    ("phrase", "iso", "precision", "relative"),
    [
        ("Wednesday", "2024-02-07", "day", True),
        ("on Wednesday", "2024-02-07", "day", True),
        ("Friday night", "2024-02-02", "day", True),
        ("late last month", "2024-01-01", "month", True),
        ("earlier this month", "2024-02-01", "month", True),
        ("February 7", "2024-02-07", "day", False),
        ("Tuesday, Jan. 27", "2024-01-27", "day", False),
        ("yesterday", "2024-02-07", "day", True),
        ("Dec. 25, 2015", "2015-12-25", "day", False),
        ("last week", "2024-01-29", "week", True),
    ],
)
def test_resolve_date_against_publication(phrase: str, iso: str, precision: str, relative: bool) -> None:
    resolved = resolve_date(phrase, PUBLISHED)
    assert resolved is not None
    assert (resolved.date, resolved.precision, resolved.relative) == (iso, precision, relative)


def test_relative_date_without_publication_stays_unresolved() -> None:
    resolved = resolve_date("on Friday", None)
    assert resolved is not None and resolved.date is None and resolved.relative


def test_phrase_without_a_date() -> None:
    assert resolve_date("hours ago", PUBLISHED) is None
    assert resolve_date("", PUBLISHED) is None


def test_clock_time() -> None:
    assert resolve_date("At 9:30 p.m. February 7", PUBLISHED).time == "21:30"  # type: ignore[union-attr]
    assert extract_time("12:55 AM") == "00:55"
    assert extract_time("no time here") is None


@pytest.mark.parametrize(
    ("phrase", "low", "best", "high", "qualifier"),
    [
        ("three people", 3, 3, 3, None),
        ("at least 16", 16, 16, None, "at least"),
        ("more than 85 targets", 85, 85, None, "more than"),
        ("dozens", 12, 12, None, "dozens"),
        ("several people", 10, 10, None, "several"),
        ("a man", 1, 1, 1, None),
        ("twenty-five", 25, 25, 25, None),
        ("2,500", 2500, 2500, 2500, None),
        ("between 10 and 12", 10, 10, 12, "range"),
        ("10 to 12", 10, 10, 12, "range"),
        ("up to 7", None, 7, 7, "up to"),
        ("no one", 0, 0, 0, None),
        ("half a dozen", 6, 6, 6, None),
    ],
)
def test_parse_count(phrase: str, low: int | None, best: int, high: int | None, qualifier: str | None) -> None:
    parsed = parse_count(phrase)
    assert parsed is not None
    assert (parsed.count.low, parsed.count.best, parsed.count.high, parsed.qualifier) == (low, best, high, qualifier)


def test_parse_count_rejects_non_numbers() -> None:
    assert parse_count("the police") is None
    assert parse_count("") is None
    assert words_to_int("hello") is None


@pytest.mark.parametrize(("name", "code"), [("Iraq", "IQ"), ("U.S.", "US"), ("Syria", "SY"), ("Jordan", "JO"),
                                            ("United Kingdom", "GB"), ("Narnia", None)])  # fmt: skip
def test_country_code(name: str, code: str | None) -> None:
    assert country_code(name) == code
