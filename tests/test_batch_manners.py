"""Batch manners: rate limits retried within the budget, honest retry hints, interrupts that say how to
resume, a progress bar that counts what a resumed run skipped, JSON errors with their column."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tenacity import wait_fixed

from summarizer.backends import calling
from summarizer.batch import BatchOptions, read_results, run_batch
from summarizer.batch.io import ResultLine, read_inputs
from summarizer.batch.progress import Progress, print_report
from summarizer.config import Settings
from summarizer.errors import BackendError
from summarizer.pipeline import summarize
from summarizer.schema import Article, ArticleMeta, RunInfo, Summary
from tests.batch_inputs import TEXT
from tests.batch_inputs import numbered_articles as _articles
from tests.batch_inputs import write_jsonl as _jsonl
from tests.fake_openai import FakeOpenAI, Fault, extraction_reply

REPO = Path(__file__).resolve().parents[1]


def _fake_summary(article: Article, published: str | None, settings: Settings) -> Summary:
    return Summary(article=ArticleMeta(id=article.id, chars=len(article.text)), run=RunInfo(backend="f", model="f"))


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    return env | {"SUMMARIZER_HOME": str(tmp_path / "home"), "OPENAI_API_KEY": "test", "PYTHONPATH": str(REPO)}


# -- input errors ---------------------------------------------------------------------------------


def test_a_broken_json_line_names_its_line_and_column_in_full(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "ok", "text": "fine"}\n{"id": "x", "text": "tab\there"}\n{"id": "y", "text": "open')
    errors = {r.id: r.error for r in read_inputs(path)}
    assert errors["line-2"] == "line 2 is not valid JSON at column 25: Invalid control character"
    assert errors["line-3"] == "line 3 is not valid JSON at column 21: Unterminated string"


# -- what can be retried ------------------------------------------------------------------------


def _report_text(report: Any) -> str:
    buffer = io.StringIO()
    print_report(report, Console(file=buffer, width=200))
    return buffer.getvalue()


def test_bad_input_is_not_retryable_and_gets_no_retry_hint(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [*_articles(2), {"id": "empty", "text": " "}])
    source.write_text(source.read_text() + "{broken\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False), _fake_summary)
    lines = {line["id"]: line for line in read_results(out)}
    assert (lines["empty"]["retryable"], lines["line-4"]["retryable"]) == (False, False)
    assert "retryable" not in lines["a0"]  # ok lines keep their shape
    assert report.final_ids == ["empty", "line-4"] and report.failed_ids == ["empty", "line-4"]
    text = _report_text(report)
    assert "--retry-failed" not in text and "cannot succeed as they are" in text


def test_a_failure_that_may_pass_next_time_keeps_the_retry_hint(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [*_articles(2), {"id": "empty", "text": ""}])

    def flaky(article: Article, published: str | None, settings: Settings) -> Summary:
        if article.id == "a1":
            raise BackendError("the server at http://127.0.0.1:1/v1 gave no answer within 5s")
        return _fake_summary(article, published, settings)

    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False), flaky)
    assert {line["id"]: line.get("retryable") for line in read_results(out)} == {"a0": None, "a1": True, "empty": False}
    text = _report_text(report)
    assert "1 failed id(s): a1" in text and "--retry-failed" in text and "empty" in text


# -- progress -------------------------------------------------------------------------------------


def test_the_progress_bar_of_a_resumed_run_starts_at_what_it_skipped() -> None:
    buffer = io.StringIO()
    with Progress(6, enabled=True, console=Console(file=buffer, width=120), done=4) as progress:
        progress.advance(ResultLine("a4", "ok"))
    assert " 5/6 " in buffer.getvalue()


def test_a_resumed_batch_shows_done_over_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _jsonl(tmp_path / "in.jsonl", _articles(4))
    out = tmp_path / "out.jsonl"
    _jsonl(tmp_path / "first.jsonl", _articles(3))
    run_batch(tmp_path / "first.jsonl", out, Settings(backend="rules"), BatchOptions(progress=False), _fake_summary)
    capsys.readouterr()
    run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=True), _fake_summary)
    assert " 4/4 " in capsys.readouterr().err  # was 1/1: the skipped three were not counted


# -- rate limits ----------------------------------------------------------------------------------


@pytest.fixture
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calling, "_backoff", wait_fixed(0.01))


def _openai(srv: FakeOpenAI, **extra: Any) -> Settings:
    return Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False, **extra)


def test_429s_do_not_use_up_the_retries_meant_for_broken_answers(quick_backoff: None) -> None:
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply
        for _ in range(5):
            srv.enqueue_fault(status=429, headers={"retry-after-ms": "10"})
        summary = summarize(TEXT, settings=_openai(srv, max_retries=0, timeout_s=30))
    assert summary.events and len(srv.requests) == 6


def test_429s_are_retried_only_until_the_time_budget_is_spent(quick_backoff: None) -> None:
    with FakeOpenAI() as srv:
        srv.enqueue_fault(status=500)  # a fault counts: with max_retries=1 one more is allowed…
        srv.enqueue_fault(status=500)  # …and this one ends the article
        with pytest.raises(BackendError, match="500"):
            summarize(TEXT, settings=_openai(srv, max_retries=1, timeout_s=30))
        assert len(srv.requests) == 2
        srv.always = Fault(status=429, headers={"retry-after-ms": "50"})
        started = time.monotonic()
        with pytest.raises(BackendError, match="429"):
            summarize(TEXT, settings=_openai(srv, max_retries=0, timeout_s=1.0))  # --timeout bounds the 429s
        assert time.monotonic() - started < 5
        assert len(srv.requests) > 5  # retried many times, not max_retries + 1


def test_a_burst_against_a_one_second_window_loses_no_article(tmp_path: Path) -> None:
    """No client limit at all (the worst case): every 429 is retried, even with max_retries=0."""
    source = _jsonl(tmp_path / "in.jsonl", _articles(40))
    with FakeOpenAI(rpm=1200, window_s=1.0) as srv:
        srv.responder = extraction_reply
        started = time.monotonic()
        report = run_batch(source, tmp_path / "out.jsonl", _openai(srv, max_retries=0),
                           BatchOptions(concurrency=16, progress=False))  # fmt: skip
        elapsed = time.monotonic() - started
    assert srv.rate_limited > 0, "the burst should have met the window limit"
    assert report.ok == 40 and report.failed == 0 and elapsed < 60


@pytest.mark.slow
def test_rpm_300_against_a_300_per_minute_one_second_window(tmp_path: Path) -> None:
    """The reported case: 120 articles, concurrency 16, --rpm 300; no error line, and 429s stay rare."""
    source = _jsonl(tmp_path / "in.jsonl", _articles(120))
    with FakeOpenAI(rpm=300, window_s=1.0) as srv:
        srv.responder = extraction_reply
        started = time.monotonic()
        report = run_batch(source, tmp_path / "out.jsonl", _openai(srv),
                           BatchOptions(concurrency=16, rpm=300, progress=False))  # fmt: skip
        elapsed = time.monotonic() - started
    assert report.ok == 120 and report.failed == 0 and elapsed < 120
    assert srv.rate_limited <= 6, f"{srv.rate_limited} requests refused: the limiter should space them"


# -- interrupts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_keeps_what_was_written_and_says_how_to_resume(tmp_path: Path, sig: signal.Signals) -> None:
    source = _jsonl(tmp_path / "in.jsonl", _articles(60))
    out = tmp_path / "out.jsonl"
    with FakeOpenAI() as srv:

        def slow_reply(request: dict[str, Any]) -> str:
            time.sleep(0.1)
            return extraction_reply(request)

        srv.responder = slow_reply
        cmd = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out), "--backend", "openai",
               "--strategy", "full", "--base-url", srv.base_url, "--no-cache", "--concurrency", "2"]  # fmt: skip
        proc = subprocess.Popen(cmd, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while (not out.exists() or out.read_bytes().count(b"\n") < 5) and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
        done = len(read_results(out))
        assert proc.returncode == 128 + sig, stderr
        assert f"interrupted: {done} done, {60 - done} left; run the same command again to resume" in stderr
        assert "Traceback" not in stderr and 5 <= done < 60
        rerun = subprocess.run(cmd, env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout.splitlines()[-1])["skipped"] == done
    ids = [line["id"] for line in read_results(out)]
    assert sorted(ids) == sorted(f"a{i}" for i in range(60)) and len(ids) == 60
