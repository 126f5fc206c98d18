"""Publication dates in the shapes feeds carry, resolved in the offset they carry; never a crash, never a
lost article for a date that cannot be read; a page's own published-time meta used when none is given."""

from __future__ import annotations

import email.utils
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from summarizer.batch import BatchOptions, read_results, run_batch
from summarizer.cli import app
from summarizer.config import Settings, load_settings
from summarizer.extract.normalize import parse_published, resolve_date
from summarizer.pipeline import summarize
from summarizer.schema import Article
from summarizer.text.html import page_meta
from summarizer.text.published import read_published

TEXT = "Gunmen kill three in Kano\n\nGunmen killed three people in Kano on Wednesday, police said."
RULES = load_settings(backend="rules")
runner = CliRunner()


@pytest.mark.parametrize(
    ("value", "iso", "day"),
    [
        ("2024-02-08", "2024-02-08", "2024-02-08"),
        ("2024-02-08T10:00Z", "2024-02-08T10:00+00:00", "2024-02-08"),
        ("2024-02-08T10:00:00+02:00", "2024-02-08T10:00+02:00", "2024-02-08"),
        ("2024-02-08T23:30-05:00", "2024-02-08T23:30-05:00", "2024-02-08"),  # already the 9th in UTC
        ("2024-02-08T00:30+09:00", "2024-02-08T00:30+09:00", "2024-02-08"),  # still the 7th in UTC
        ("Thu, 08 Feb 2024 10:00:00 GMT", "2024-02-08T10:00+00:00", "2024-02-08"),
        ("Thu, 08 Feb 2024 23:30:00 -0500", "2024-02-08T23:30-05:00", "2024-02-08"),
        ("20240208100000", "2024-02-08T10:00+00:00", "2024-02-08"),
        ("February 8, 2024", "2024-02-08", "2024-02-08"),
        ("8 Feb 2024 10:15", "2024-02-08T10:15", "2024-02-08"),
        ("Thursday, February 8, 2024 at 9:30 p.m.", "2024-02-08T21:30", "2024-02-08"),
    ],
)
def test_feed_shapes_resolve_to_the_date_in_their_own_offset(value: str, iso: str, day: str) -> None:
    found = read_published(value)
    assert found is not None and found.iso == iso
    assert found.moment.tzinfo is None and found.moment.date().isoformat() == day
    resolved = resolve_date("on Wednesday", parse_published(value))
    assert resolved is not None and resolved.date == "2024-02-07"


@pytest.mark.parametrize("value", ["yesterday", "2015", "February 2024", "12/11/2015", "20241308100000", "soon"])
def test_partial_relative_and_ambiguous_dates_are_not_guessed(value: str) -> None:
    assert read_published(value) is None


def _shapes(moment: datetime) -> list[str]:
    """One aware moment written the ways feeds write it (all in the moment's own offset, GDELT in UTC)."""
    utc = moment.astimezone(UTC)
    return [
        moment.isoformat(),
        moment.isoformat(timespec="minutes"),
        utc.isoformat().replace("+00:00", "Z"),
        email.utils.format_datetime(moment),
        utc.strftime("%Y%m%d%H%M%S"),
        moment.strftime("%B %-d, %Y"),
        moment.strftime("%a, %d %b %Y %H:%M"),
    ]


OFFSETS = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
MOMENTS = st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2090, 12, 31), timezones=OFFSETS)


@given(moment=MOMENTS.map(lambda m: m.replace(microsecond=0)))
def test_on_wednesday_resolves_to_the_right_day_in_every_shape(moment: datetime) -> None:
    for value in _shapes(moment):
        # the calendar day the value states: UTC for the forms written in UTC, else the moment's own
        own = moment.astimezone(UTC) if value.endswith("Z") or value.isdigit() else moment
        published = parse_published(value)
        assert published is not None, value
        assert published.tzinfo is None and published.date() == own.date(), value
        expected = own.date() - timedelta(days=(own.weekday() - 2) % 7)
        resolved = resolve_date("on Wednesday", published)
        assert resolved is not None and resolved.date == expected.isoformat(), value


@pytest.mark.parametrize("value", ["2024-02-08T10:00Z", "2024-02-08T10:00+02:00", "Thu, 08 Feb 2024 10:00:00 GMT",
                                   "20240208100000"])  # fmt: skip
def test_summarize_command_takes_offset_dates(tmp_path: Path, value: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(path), "--published", value, "-b", "rules", "-f", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["article"]["published"].startswith("2024-02-08T10:00")
    assert summary["events"][0]["when"]["date"] == "2024-02-07"


@pytest.mark.parametrize("value", ["2024-02-08T10:00Z", "2024-02-08T10:00+02:00"])
def test_offset_dates_resolve_month_phrases_without_a_crash(value: str, seed_text: str) -> None:
    # "late last month" took the path that compared an aware publication date with naive ones
    summary = summarize(seed_text, published=value, settings=RULES)
    dates = [event.when.date for event in summary.events]
    assert dates[:3] == ["2024-02-07", "2024-02-02", "2024-01-01"]  # the last at month precision


def test_an_unreadable_date_is_a_warning_and_the_article_is_still_summarized(tmp_path: Path) -> None:
    summary = summarize(TEXT, published="sometime last week", settings=RULES)
    assert summary.events and summary.article.published is None
    assert any("cannot read the publication date 'sometime last week'" in w for w in summary.warnings)

    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(path), "--published", "soon", "-b", "rules", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert any("cannot read the publication date 'soon'" in w for w in json.loads(result.stdout)["warnings"])


def test_an_unreadable_date_falls_back_to_the_one_in_the_text() -> None:
    text = "Monday, December 15, 2014\nCHICAGO (AP) — A man was shot and killed Sunday morning, police said."
    summary = summarize(text, published="n/a", settings=RULES)
    assert summary.article.published == "2014-12-15" and summary.article.published_source == "text"
    assert summary.events[0].when.date == "2014-12-14"


def test_batch_reads_every_shape_and_loses_no_article_for_a_bad_date(tmp_path: Path) -> None:
    values = ["2024-02-08T10:00Z", "2024-02-08T10:00+02:00", "Thu, 08 Feb 2024 10:00:00 GMT", "20240208100000",
              "February 8, 2024", "not a date"]  # fmt: skip
    source = tmp_path / "in.jsonl"
    rows = [{"id": f"a{i}", "text": TEXT, "published": v} for i, v in enumerate(values)]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False))
    assert report.ok == len(values) and not report.failed_ids
    lines = {line["id"]: line for line in read_results(out)}
    for i in range(5):
        assert lines[f"a{i}"]["summary"]["events"][0]["when"]["date"] == "2024-02-07"
    assert any("cannot read the publication date" in w for w in lines["a5"]["summary"]["warnings"])


PAGE = """<!doctype html><html><head><title>Gunmen kill three in Kano | News</title>{head}</head>
<body><article><h1>Gunmen kill three in Kano</h1>
<p>Gunmen killed three people in Kano on Wednesday, police said. The attack happened at a market.</p>
<p>Residents said the gunmen arrived on motorcycles and fired into the crowd before fleeing.</p>
</article></body></html>"""
META = '<meta property="article:published_time" content="2024-02-08T10:00:00+01:00">'
JSON_LD = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": "2024-02-08T10:00:00Z"}]}</script>"""


@pytest.mark.parametrize("head", [META, JSON_LD])
def test_a_page_declares_its_publication_date(tmp_path: Path, head: str) -> None:
    assert page_meta(PAGE.format(head=head)).published is not None
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(head=head), encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(path), "-b", "rules", "-f", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["article"]["published"].startswith("2024-02-08T10:00")
    assert summary["article"]["published_source"] == "page"
    assert summary["events"][0]["when"]["date"] == "2024-02-07"

    given = runner.invoke(app, ["summarize", str(path), "-b", "rules", "-f", "json", "--published", "2024-03-01"])
    assert json.loads(given.stdout)["article"]["published"] == "2024-03-01"  # the caller's date wins


def test_a_page_in_a_batch_line_declares_its_date_too(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "p", "text": PAGE.format(head=META)}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False))
    article = read_results(out)[0]["summary"]["article"]
    assert article["published"] == "2024-02-08T10:00+01:00" and article["published_source"] == "page"


def test_a_broken_json_ld_block_only_loses_its_date() -> None:
    page = PAGE.format(head='<script type="application/ld+json">{"datePublished": </script>')
    assert page_meta(page).published is None
    assert page_meta(page).title == "Gunmen kill three in Kano | News"


def test_an_article_given_a_date_keeps_its_source() -> None:
    summary = summarize(Article(text=TEXT, published="2024-02-08"), settings=RULES)
    assert summary.article.published_source == "argument"
    assert date.fromisoformat(summary.article.published or "") == date(2024, 2, 8)
