"""`summarizer db serve` in headless Chromium: the canned queries and an event's grounded view open, show
rows, link to each other and log no errors. Needs Debian's `chromium`, the `browser` extra (playwright) and
the `db` extra (Datasette); `.ci/run` runs it with `pytest -m browser`."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from summarizer.batch import BatchOptions, run_batch
from summarizer.config import Settings
from tests import chromium
from tests.conftest import ROOT
from tests.test_db import write_input

pytestmark = pytest.mark.browser

QUERIES = ("deaths_by_country_month", "sources_disagree", "no_event_articles", "event_with_evidence")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    pytest.importorskip("datasette", reason="pip install -e '.[db]'")
    folder = tmp_path_factory.mktemp("served")
    source, db = write_input(folder / "in.jsonl", 60), folder / "events.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUMMARIZER_HOME", str(folder / "home"))
        run_batch(source, folder / "out.jsonl", Settings(backend="rules"), BatchOptions(progress=False, db=str(db)))
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "summarizer", "db", "serve", str(db), "--port", str(port)]
    log = (folder / "serve.log").open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/events/deaths_by_country_month.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert proc.poll() is None, (folder / "serve.log").read_text(errors="replace")
                time.sleep(0.2)
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium.launched()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.errors.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
    yield page
    context.close()


def test_canned_queries_open_with_rows_and_descriptions(served: tuple[str, Path], page: Any) -> None:
    base, _ = served
    for name in QUERIES:
        response = page.goto(f"{base}/events/{name}")
        assert response.status == 200, name
        assert page.locator("table.rows-and-columns tbody tr").count() > 0, name
    page.goto(f"{base}/events/deaths_by_country_month")
    assert "not merged" in page.inner_text("body")
    assert page.errors == []


def test_event_link_opens_the_grounded_view(served: tuple[str, Path], page: Any) -> None:
    base, db = served
    with sqlite3.connect(db) as conn:
        wanted = conn.execute("select count(*) from evidence where event_id = (select min(id) from events)").fetchone()
    page.goto(f"{base}/events/events?_sort=id&_size=1")
    link = page.locator("a", has_text="grounded view").first
    link.click()
    page.wait_for_load_state()
    assert "/-/summarizer/event?id=" in page.url
    assert " · event " in page.locator("h1").inner_text()
    assert page.locator(".text mark").count() > 0 and wanted[0] > 0
    assert page.locator(".event").count() == 1
    page.locator("a", has_text="its quotes").click()
    page.wait_for_load_state()
    assert page.locator("table.rows-and-columns tbody tr").count() == wanted[0]  # back in Datasette: its quotes
    assert page.errors == []
