"""The seed summary HTML and a small eval report, rendered in headless Chromium: evidence coloured per field,
no horizontal overflow at phone (390 px) and desktop (1280 px) width, no console errors, the report's
sort and filter controls working.

Needs Debian's `chromium` (`apt-get install -y chromium`) and the `browser` extra (playwright, driving
that Chromium over the DevTools protocol; `playwright install` is never needed). `.ci/run` runs
`pytest -m browser`; a plain `pytest` leaves these out.

`SUMMARIZER_SCREENSHOTS=docs pytest -m browser -k screenshot` rewrites the README screenshots in docs/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from tests import chromium
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
FIELDS = ("what", "who", "where", "when", "casualties")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("browser")
    runner = CliRunner()
    seed_html = out / "seed.html"
    home = {"SUMMARIZER_HOME": str(out / "home")}
    result = runner.invoke(app, ["summarize", str(SEED), "--backend", "rules", "-f", "html", "-o", str(seed_html)],
                           env=home)  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["eval", "run", "--dataset", "seed", "--backend", "rules", "-o", str(out / "run")],
                           env=home)  # fmt: skip
    assert result.exit_code == 0, result.output
    return {"summary": seed_html, "report": out / "run" / "report.html"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium.launched()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """Opens a file at a width, recording console errors and page errors in `page.errors`."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    errors: list[str] = []

    def _open(path: Path, width: int) -> Any:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: errors.append(f"request {r.url}") if not r.url.startswith("file:") else None)
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(path.as_uri())
        page.errors = errors
        return page

    yield _open
    context.close()


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["summary", "report"])
def test_no_horizontal_overflow_no_console_errors_no_requests(
    name: str, width: int, pages: dict[str, Path], open_page: Any
) -> None:
    page = open_page(pages[name], width)
    assert _overflow(page) <= 0, f"{name} is wider than {width}px"
    assert page.errors == []


def test_summary_evidence_is_coloured_per_field(pages: dict[str, Path], open_page: Any) -> None:
    page = open_page(pages["summary"], 1280)
    colours = {}
    for field in FIELDS:
        marks = page.locator(f"mark.f-{field}")
        assert marks.count() > 0, field
        style = "background-color" if field != "what" else "box-shadow"
        only = page.locator(f"mark[class='f-{field}']").first
        colours[field] = only.evaluate(f"e => getComputedStyle(e).getPropertyValue('{style}')")
        legend = page.locator(f".legend .k.f-{field}").evaluate("e => getComputedStyle(e).backgroundColor")
        assert legend not in ("rgba(0, 0, 0, 0)", "transparent"), field
        if field != "what":
            assert colours[field] == legend, f"{field}: the span and its legend share a colour"
    assert len(set(colours.values())) == len(FIELDS), colours
    # exact spans: the casualty figure is marked, not its whole sentence
    figure = page.locator("mark.f-casualties", has_text="three people")
    assert figure.count() == 1 and figure.inner_text() == "three people"


def test_summary_layout_uses_the_page(pages: dict[str, Path], open_page: Any) -> None:
    wide = open_page(pages["summary"], 1280)
    text, card = (wide.locator(s).first.bounding_box() for s in (".text", ".event"))
    assert text["width"] > 640 and card["x"] > text["x"] + text["width"], "article and events side by side"
    assert wide.evaluate("getComputedStyle(document.querySelector('.text')).maxHeight") == "none"
    assert text["height"] > 2000, "the whole article is shown, not a 32em box"
    narrow = open_page(pages["summary"], 390)
    text, card = (narrow.locator(s).first.bounding_box() for s in (".text", ".event"))
    last_card = narrow.locator(".event").last.bounding_box()
    assert last_card["y"] + last_card["height"] <= text["y"] + 1, "on a phone the event cards come first"
    assert card["y"] < 800, "the primary event is on the first screen"
    assert "1–3" in narrow.locator(".event.primary").inner_text()  # CENTCOM's 1 and the PMF's 3


def test_each_highlight_says_its_event_and_leads_to_its_card(pages: dict[str, Path], open_page: Any) -> None:
    page = open_page(pages["summary"], 390)
    marks = page.locator(".text mark")
    assert marks.count() > 0 and page.locator(".text mark:not([data-event])").count() == 0
    friday = page.locator(".text mark", has_text="on Friday night").first
    assert friday.get_attribute("data-event") == "2" and "event 2" in (friday.get_attribute("title") or "")
    friday.locator("a").click()
    assert page.evaluate("location.hash") == "#event-2"
    card = page.locator("#event-2")
    assert "event 2" in card.inner_text() and "2024-02-02" in card.inner_text()
    top = card.bounding_box()["y"]
    assert 0 <= top < 800, "the card is scrolled into view"
    assert page.errors == []


def test_report_shows_gold_beside_prediction_and_filters(pages: dict[str, Path], open_page: Any) -> None:
    page = open_page(pages["report"], 1280)
    gold, pred = page.locator(".side.gold").first.bounding_box(), page.locator(".side.pred").first.bounding_box()
    assert abs(gold["y"] - pred["y"]) < 2 and pred["x"] > gold["x"] + 300, "side by side"
    assert page.locator(".row.fail .reason").count() > 0
    assert page.locator("text=Where it fails").count() == 1
    shown = page.locator("section.article:visible")
    assert shown.count() == 1
    page.select_option("#field", "injured")  # the seed's rules run gets every injured figure right
    assert shown.count() == 0 and "0 of 1" in page.inner_text("#shown")
    page.select_option("#field", "who")  # killed is right too since the SDF deaths left the primary event
    assert shown.count() == 1
    page.select_option("#field", "")
    page.select_option("#reason", "event not found")
    assert shown.count() == 0  # all four seed events are found since the SDF deaths became their own event
    narrow = open_page(pages["report"], 390)
    gold, pred = narrow.locator(".side.gold").first.bounding_box(), narrow.locator(".side.pred").first.bounding_box()
    gold_card = narrow.locator(".pair .event").first.bounding_box()
    assert gold["y"] < gold_card["y"] < pred["y"], "stacked on a phone: GOLD, its card, then PREDICTED"


def test_screenshots_for_the_readme(pages: dict[str, Path], open_page: Any) -> None:
    target = os.environ.get("SUMMARIZER_SCREENSHOTS")
    if not target:
        pytest.skip("set SUMMARIZER_SCREENSHOTS=docs to write the README screenshots")
    docs = ROOT / target
    docs.mkdir(exist_ok=True)
    summary = open_page(pages["summary"], 1100)
    summary.set_viewport_size({"width": 1100, "height": 760})
    summary.screenshot(path=str(docs / "summary-html.png"))
    report = open_page(pages["report"], 1100)
    report.set_viewport_size({"width": 1100, "height": 760})
    report.locator("h2", has_text="Articles").scroll_into_view_if_needed()
    report.evaluate("document.querySelector('#articles').scrollIntoView()")
    report.screenshot(path=str(docs / "report-html.png"))
