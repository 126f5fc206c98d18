"""The views of one summary agree: one casualty view (range across claims, then each claim with its source
and quote), dates at their precision, evidence coloured per field with exact spans, CSV and JSON helpers."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from summarizer import Summary, load_settings, summarize
from summarizer.cli import app
from summarizer.render import (
    CSS,
    CSV_COLUMNS,
    casualty_range,
    clean_description,
    crop,
    render_json,
    render_markdown,
    render_summary_html,
    render_text,
    rows_csv,
)
from summarizer.schema import ArticleMeta, Event, RunInfo
from tests.conftest import ROOT, SEED

MARKET = (
    "KABUL (AP) — A bomb tore through a crowded market in Kabul on Tuesday. At least 31 people were killed, "
    "a health official said. Police said 61 people were wounded. The attack happened late last month."
)


def _span(text: str, quote: str) -> dict[str, object]:
    start = text.index(quote)
    return {"quote": quote, "start": start, "end": start + len(quote)}


def _market() -> Summary:
    t = MARKET
    killed_sentence = "At least 31 people were killed, a health official said."
    injured_sentence = "Police said 61 people were wounded."
    event = {
        "primary": True,
        "what": {"type": "bombing", "description": "KABUL (AP) — A bomb tore through a market | fox13now.",
                 "evidence": [_span(t, "A bomb tore through a crowded market in Kabul on Tuesday.")]},
        "who": [{"name": "Police", "role": "other", "evidence": [_span(t, "Police")]}],
        "where": {"place": "Kabul", "country": "Afghanistan", "country_code": "AF", "evidence": [_span(t, "Kabul")]},
        "when": {"date": "2024-01-01", "precision": "month", "relative": True, "phrase": "late last month",
                 "evidence": [_span(t, "late last month")]},
        "casualties": [
            {"killed": {"low": 31, "best": 31}, "qualifier": "at least", "source": "a health official",
             "evidence": [_span(t, killed_sentence), _span(t, "At least 31 people"), _span(t, "a health official")]},
            {"injured": {"low": 61, "best": 61, "high": 61}, "source": "Police",
             "evidence": [_span(t, injured_sentence), _span(t, "61 people")]},
        ],
    }  # fmt: skip
    return Summary(
        article=ArticleMeta(id="m1", title="Market bombing", url="https://example.org/m1", published="2024-02-08"),
        events=[Event.model_validate(event)],
        run=RunInfo(backend="rules", model="rules"),
    )


@pytest.fixture(scope="module")
def seed() -> tuple[Summary, str]:
    text = SEED.read_text(encoding="utf-8")
    return summarize(text, settings=load_settings(backend="rules")), text


def _card(page: str, index: int = 0) -> str:
    card = r'<div class="event[^"]*"[^>]*>'
    return re.findall(rf"{card}.*?</ol></div>|{card}.*?</div></div>", page)[index]


# ---------------------------------------------------------------- casualties


def test_primary_card_shows_the_range_and_every_claim_with_its_source(seed: tuple[Summary, str]) -> None:
    summary, text = seed
    page = render_summary_html(summary, text)
    card = _card(page)
    assert "killed:</span> 6<" not in page, "the old card showed one (background) figure, no source"
    # the primary's own claims only: CENTCOM's one commander and the PMF commander's three; the SDF
    # deaths "earlier this month" (per Dujarric) are another incident's
    assert "1–3" in card and "across 2 claims" in card
    for source in ("per A PMF commander", "per The US Central Command (CENTCOM)"):
        assert source in card
    assert "per Dujarric" not in card and "per Dujarric" in page
    assert "“A PMF commander told Rudaw that three people were killed" in card


def test_killed_and_injured_from_different_sources_each_keep_their_source() -> None:
    page = render_summary_html(_market(), MARKET)
    assert re.search(r"killed ≥ 31 · per a health official", page)
    assert re.search(r"injured 61 · per Police", page)
    assert "injured:</span> 61" not in page  # the old bare pair, no source


def test_at_least_keeps_its_qualifier_in_every_view(seed: tuple[Summary, str]) -> None:
    summary, text = seed
    second = summary.events[1]
    found = casualty_range(second, "killed")
    assert found is not None and found.text == "≥ 16" and (found.low, found.high) == (16, None)
    assert "≥ 16" in _card(render_summary_html(summary, text), 1)
    assert "| killed | ≥ 16 |" in render_markdown(summary)
    assert json.loads(render_json(summary))["events"][1]["casualty_range"]["killed"]["text"] == "≥ 16"


def test_range_text_for_ranges_and_open_ends() -> None:
    claims = [{"killed": {"low": 3, "best": 10, "high": 19}}, {"killed": {"best": 5, "high": 5}, "qualifier": "up to"}]
    event = Event.model_validate({"casualties": claims})
    assert casualty_range(event, "killed").text == "≤ 19 (best 10)"  # type: ignore[union-attr]
    single = Event.model_validate({"casualties": [{"killed": {"low": 3, "best": 10, "high": 19}}]})
    assert casualty_range(single, "killed").text == "3–19 (best 10)"  # type: ignore[union-attr]
    bare = Event.model_validate({"casualties": [{"killed": {"best": 3}}, {"killed": {"best": 1}}]})
    assert casualty_range(bare, "killed").text == "1–3 (best 3)"  # type: ignore[union-attr]
    above = Event.model_validate({"casualties": [{"killed": {"low": 85, "best": 85}, "qualifier": "more than"}]})
    assert casualty_range(above, "killed").text == "> 85"  # type: ignore[union-attr]


def test_text_view_shows_the_same_casualty_view_and_dates(seed: tuple[Summary, str]) -> None:
    summary, _ = seed
    console = Console(record=True, width=160, file=io.StringIO())
    console.print(render_text(summary))
    text = console.export_text()
    assert re.search(r"killed\s+1–3 \(best 3\) across 2 claims", text)
    assert re.search(r"killed\s+≥ 16", text) and re.search(r"injured\s+36", text)
    assert "killed 6 · per Dujarric" in text and "killed 3 · per A PMF commander" in text
    assert "2024-01 (late January 2024)" in text and "2024-01-01" not in text


# ---------------------------------------------------------------- dates


def test_month_precision_date_is_printed_at_its_precision(seed: tuple[Summary, str]) -> None:
    summary, text = seed
    page = render_summary_html(summary, text)
    assert "2024-01-01" not in _card(page, 2)
    assert "2024-01 (late January 2024)" in _card(page, 2)
    assert "2024-01 (late January 2024)" in render_markdown(summary)
    assert json.loads(render_json(summary))["events"][2]["when"]["display"].startswith("2024-01 (late January")


# ---------------------------------------------------------------- evidence colours and spans


def test_each_field_has_its_own_colour_and_a_legend(seed: tuple[Summary, str]) -> None:
    summary, text = seed
    page = render_summary_html(summary, text)
    for field in ("what", "who", "where", "when", "casualties"):
        assert f'<mark class="f-{field}"' in page or f"f-{field}" in re.findall(r'<mark class="([^"]*)"', page)[0]
        assert f"mark.f-{field}" in CSS and f"<span class='k f-{field}'>{field}</span>" in page
    assert re.search(r'<mark class="[^"]*f-where[^"]*" [^>]*><a href="#event-1">Baghdad</a></mark>', page)
    assert (
        '<mark class="f-when" data-event="1" title="when · event 1"><a href="#event-1">on Wednesday</a></mark>' in page
    )
    assert (
        '<mark class="f-casualties" data-event="1" title="casualties · event 1"><a href="#event-1">three people' in page
    )


def test_each_highlight_names_its_events_and_links_to_the_first_card(seed: tuple[Summary, str]) -> None:
    summary, text = seed
    page = render_summary_html(summary, text)
    cards = re.findall(r'<div class="event[^"]*" id="event-(\d+)"><div class=muted>event (\d+)', page)
    assert [a for a, b in cards if a == b] == [str(n) for n in range(1, len(summary.events) + 1)]
    marks = re.findall(
        r'<mark class="[^"]*" data-event="([\d ]+)" title="[^"]*event ([\d, event]+)"><a href="#event-(\d+)">', page
    )
    assert len(marks) == page.count("<mark"), "every highlight names its events"
    assert {m[2] for m in marks} == {str(n) for n in range(1, len(summary.events) + 1)}
    assert all(m[0].split()[0] == m[2] for m in marks), "the link goes to the first event named"
    assert (
        '<mark class="f-what f-when" data-event="2" title="what, when · event 2"><a href="#event-2">on Friday night</a>'
        in page
    )


def test_casualty_evidence_is_the_figure_and_source_not_the_sentence() -> None:
    page = render_summary_html(_market(), MARKET)
    marks = dict((m[1], m[0]) for m in re.findall(r'<mark class="([^"]*)"[^>]*><a [^>]*>([^<]*)</a></mark>', page))
    assert marks.get("At least 31 people") == "f-casualties"
    assert marks.get("a health official") == "f-casualties"
    assert "At least 31 people were killed, a health official said." not in marks
    after = page.split("At least 31 people</a></mark>")[1]
    assert after.startswith(" were killed, <mark"), "the rest of the sentence is not marked"


def test_article_box_is_not_capped_and_page_fits_a_phone() -> None:
    page = render_summary_html(_market(), MARKET)
    assert "max-height:32em" not in page
    assert "name=viewport" in page and "@media (max-width:800px)" in page
    assert "http" not in page.replace("https://example.org/m1", "") and "<link" not in page  # self-contained


# ---------------------------------------------------------------- quotes and descriptions


def test_quotes_are_cut_between_words_with_an_ellipsis(seed: tuple[Summary, str]) -> None:
    summary, _ = seed
    md = render_markdown(summary)
    assert "last mont”" not in md and "“…ENTCOM" not in md
    for quote in re.findall(r"“([^”]*)”", md):
        if quote.endswith("…"):
            assert quote[-2] != " " and quote[:-1].split()[-1] in summary.model_dump_json(), quote
    assert crop("alpha beta gamma delta", 13) == "alpha beta…"


def test_descriptions_drop_dateline_debris() -> None:
    assert clean_description("KABUL (AP) — A bomb tore through a market") == "A bomb tore through a market"
    assert clean_description("(AP) — Police shot a man | fox13now.") == "Police shot a man"
    assert clean_description("ERBIL, Kurdistan Region - The US said") == "The US said"
    assert clean_description("A plain sentence - with a dash.") == "A plain sentence - with a dash."
    assert clean_description("Man shot on Southwest Side | CLTVCHICAGO – A man was taken to the hospital") == (
        "A man was taken to the hospital"
    )
    assert clean_description("Man shot by employee charged with robbery of tip jarHARTFORD, Connecticut — A 36-year-old"
                             " man was shot") == "A 36-year-old man was shot"  # fmt: skip
    assert clean_description("Gunman shot at Walmart | National News - Home(CNN) - A man wielding two handguns") == (
        "A man wielding two handguns"
    )
    assert clean_description("Backpage date leads to double shooting | News, Weather, Sports | WCIV") == (
        "Backpage date leads to double shooting"
    )
    assert clean_description("more page: | 1 | 2 | Search | Police: No arrests after a shooting") == (
        "Police: No arrests after a shooting"
    )
    assert clean_description("Police said the NYPD — and others — arrived late.") == (
        "Police said the NYPD — and others — arrived late."
    )
    page = render_summary_html(_market(), MARKET)
    assert "(AP) —" not in _card(page) and "fox13now" not in page


# ---------------------------------------------------------------- JSON and CSV


def test_json_adds_helper_fields_and_keeps_every_old_key(seed: tuple[Summary, str]) -> None:
    summary, _ = seed
    new = json.loads(render_json(summary))
    old = json.loads(summary.model_dump_json())

    def keys(a: object, b: object) -> None:
        if isinstance(a, dict):
            assert isinstance(b, dict) and set(a) <= set(b)
            for k in a:
                keys(a[k], b[k])
        elif isinstance(a, list):
            assert isinstance(b, list)
            for x, y in zip(a, b, strict=True):
                keys(x, y)
        else:
            assert a == b

    keys(old, new)
    assert new["events"][0]["casualty_range"]["killed"] == {
        "low": 1, "best": 3, "high": 3, "claims": 2, "qualifier": None, "text": "1–3 (best 3)"}  # fmt: skip
    assert Summary.model_validate(new) == summary, "the helper fields read back"


def test_csv_has_one_row_per_event_in_the_documented_shape() -> None:
    rows = list(csv.DictReader(io.StringIO(rows_csv([_market(), _market()]))))
    assert len(rows) == 2 and tuple(rows[0]) == CSV_COLUMNS
    row = rows[0]
    assert (row["event_id"], row["event_date"], row["date_precision"]) == ("m1#1", "2024-01", "month")
    assert (row["killed_low"], row["killed_best"], row["killed_high"], row["killed_text"]) == ("31", "31", "", "≥ 31")
    assert (row["injured_best"], row["sources"]) == ("61", "a health official; Police")
    assert (row["country_code"], row["article_url"], row["description"]) == (
        "AF", "https://example.org/m1", "A bomb tore through a market")  # fmt: skip


def test_csv_columns_are_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for column in CSV_COLUMNS:
        assert f"`{column}`" in readme, column


def test_summarize_format_csv(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--backend", "rules", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # four events: the Baghdad strike, the Friday strikes, the Jordan base attack, the SDF deaths (its own incident)
    assert len(rows) == 4 and rows[0]["place"] == "Baghdad" and rows[2]["event_date"] == "2024-01"
