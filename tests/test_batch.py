"""Batch runs: readers, durable output, retries under injected faults, kill -9 and resume, dry runs."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import openai
import pytest

from summarizer.backends import is_transient
from summarizer.batch import BatchOptions, read_results, run_batch
from summarizer.batch import openai_batch as batch_api
from summarizer.batch.io import ResultLine, ResultLog, read_inputs
from summarizer.batch.ratelimit import RateLimiter, parse_duration
from summarizer.config import Settings
from summarizer.errors import BackendError, InputError
from summarizer.schema import Article, ArticleMeta, RunInfo, Summary, Usage
from tests.batch_inputs import TEXT
from tests.batch_inputs import numbered_articles as _articles
from tests.batch_inputs import write_jsonl as _jsonl
from tests.fake_openai import FakeOpenAI, extraction_reply

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable


def _fake_summary(article: Article, usage: Usage) -> Summary:
    meta = ArticleMeta(id=article.id, chars=len(article.text))
    return Summary(article=meta, run=RunInfo(backend="fake", model="fake", usage=usage))


def _sdk_summarize(base_url: str) -> Any:
    """A stand-in for `pipeline.summarize` that makes one real SDK call, wrapping errors like the pipeline."""
    client = openai.OpenAI(base_url=base_url, api_key="test", max_retries=0, timeout=2.0)

    def summarize(article: Article, published: str | None, settings: Settings) -> Summary:
        try:
            reply = client.chat.completions.create(model="fake", messages=[{"role": "user", "content": article.text}])
        except Exception as exc:
            raise BackendError(f"request failed: {exc}") from exc
        assert reply.usage is not None
        return _fake_summary(article, Usage(prompt_tokens=reply.usage.prompt_tokens, calls=1))

    return summarize


def _ids(path: Path) -> Counter[str]:
    return Counter(line["id"] for line in read_results(path))


# -- readers -------------------------------------------------------------------------------------


def test_jsonl_reader_turns_bad_records_into_errors(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    rows = [
        {"id": "ok", "text": TEXT, "published": "2024-02-08"},
        "{broken json",
        {"id": "empty", "text": "  "},
        {"id": "ok", "text": TEXT},
        {"text": TEXT},
        {"id": "bin", "text": "\x00\x01\x02" * 10},
        "[1, 2]",
    ]
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe\xfa not utf-8\n")
    records = {r.id: r for r in read_inputs(path)}
    assert records["ok"].article is not None and records["ok"].article.published == "2024-02-08"
    assert "not valid JSON" in (records["line-2"].error or "")
    assert "empty" in (records["empty"].error or "")
    assert "duplicate" in (records["ok#dup2"].error or "")
    assert records["line-5"].article is not None  # no id: the line number stands in
    assert "binary" in (records["bin"].error or "")
    assert "not a JSON object" in (records["line-7"].error or "")
    assert "UTF-8" in (records["line-8"].error or "")


def test_csv_and_directory_readers(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text(f'id,text,title\nc1,"{TEXT}",T\nc2,,\n', encoding="utf-8")
    records = list(read_inputs(tmp_path / "in.csv"))
    assert [(r.id, r.article is not None) for r in records] == [("c1", True), ("c2", False)]
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "one.txt").write_text(TEXT, encoding="utf-8")
    (folder / "pic.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "notes.md").write_text("ignored", encoding="utf-8")
    by_id = {r.id: r for r in read_inputs(folder)}
    assert set(by_id) == {"one", "pic"}
    assert by_id["one"].article is not None and by_id["pic"].error


def test_csv_without_text_column_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="'text' column"):
        list(read_inputs(tmp_path / "bad.csv"))


# -- output log ----------------------------------------------------------------------------------


def test_result_log_cuts_a_partial_line_and_drops_failed_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    log = ResultLog(out)
    log.append(ResultLine("a", "ok"))
    log.append(ResultLine("b", "error", error="boom"))
    log.close()
    with out.open("ab") as handle:
        handle.write(b'{"id": "c", "stat')  # what a kill -9 mid-write could leave
    log = ResultLog(out)
    assert log.status == {"a": "ok", "b": "error"} and out.read_bytes().endswith(b"\n")
    assert log.drop_failed() == ["b"]
    assert [line["id"] for line in read_results(out)] == ["a"]


def test_output_must_differ_from_input(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "in.jsonl", _articles(1))
    with pytest.raises(InputError, match="is the input file"):
        run_batch(path, path, Settings(backend="rules"))


# -- rate limiter and retry policy ---------------------------------------------------------------


def test_rate_limiter_spaces_requests_and_honours_server_pauses() -> None:
    now = [100.0]
    limiter = RateLimiter(rpm=60, tpm=600, clock=lambda: now[0])
    assert limiter.reserve(5) == 0.0  # the burst allowance
    assert limiter.reserve(5) == pytest.approx(1.0)  # then one request per second
    limiter.observe(429, {"Retry-After": "7"})
    assert limiter.reserve(0) >= 7.0
    now[0] += 100
    limiter.observe(200, {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1m30s"})
    assert limiter.reserve(0) == pytest.approx(90.0)
    assert parse_duration("6m0s") == 360 and parse_duration("120ms") == pytest.approx(0.12)


def test_transient_errors_are_found_through_the_wrapping() -> None:
    import httpx

    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    limited = openai.RateLimitError("slow down", response=httpx.Response(429, request=request), body=None)
    try:
        try:
            raise limited
        except openai.RateLimitError as exc:
            raise BackendError("the model failed") from exc
    except BackendError as wrapped:
        assert is_transient(wrapped)
    assert is_transient(openai.APITimeoutError(request=request))
    assert not is_transient(BackendError("failed validation"))
    assert not is_transient(openai.BadRequestError("bad", response=httpx.Response(400, request=request), body=None))


# -- live runs -----------------------------------------------------------------------------------


def test_faults_never_lose_or_duplicate_an_article(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", _articles(300))
    out = tmp_path / "out.jsonl"
    with FakeOpenAI() as srv:
        for _ in range(3):
            srv.enqueue_fault(status=429, headers={"Retry-After": "0.2"})
            srv.enqueue_fault(status=500)
            srv.enqueue_fault(delay_s=3.0)  # longer than the client's 2 s timeout
            srv.enqueue_fault(drop=True)
            srv.enqueue_fault(malformed=True)
        options = BatchOptions(concurrency=16, article_timeout_s=20, progress=False)
        report = run_batch(source, out, Settings(backend="openai"), options, summarize_fn=_sdk_summarize(srv.base_url))
    ids = _ids(out)
    assert set(ids) == {f"a{i}" for i in range(300)} and max(ids.values()) == 1
    assert report.ok == 300 and report.failed == 0 and report.prompt_tokens > 0


def test_rerun_skips_done_ids_and_retry_failed_reruns_only_failures(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [*_articles(5), {"id": "bad", "text": ""}])
    out = tmp_path / "out.jsonl"
    calls: list[str] = []

    def flaky(article: Article, published: str | None, settings: Settings) -> Summary:
        calls.append(str(article.id))
        if article.id == "a3" and calls.count("a3") == 1:
            raise BackendError("the model's answer failed validation after retries")
        return _fake_summary(article, Usage(prompt_tokens=1, calls=1))

    options = BatchOptions(progress=False)
    first = run_batch(source, out, Settings(backend="rules"), options, summarize_fn=flaky)
    assert first.failed_ids == ["a3", "bad"] and first.ok == 4 and len(calls) == 5
    again = run_batch(source, out, Settings(backend="rules"), options, summarize_fn=flaky)
    assert again.skipped == 6 and len(calls) == 5
    retry = BatchOptions(retry_failed=True, progress=False)
    retried = run_batch(source, out, Settings(backend="rules"), retry, summarize_fn=flaky)
    assert retried.failed_ids == ["bad"] and calls[5:] == ["a3"]
    assert sorted(_ids(out)) == ["a0", "a1", "a2", "a3", "a4", "bad"] and max(_ids(out).values()) == 1


def test_article_budget_turns_a_hang_into_an_error_line(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", _articles(2))

    def slow(article: Article, published: str | None, settings: Settings) -> Summary:
        if article.id == "a0":
            time.sleep(1.5)
        return _fake_summary(article, Usage())

    options = BatchOptions(concurrency=2, article_timeout_s=0.5, progress=False)
    report = run_batch(source, tmp_path / "out.jsonl", Settings(backend="openai"), options, summarize_fn=slow)
    assert report.failed_ids == ["a0"] and report.ok == 1


def test_dry_run_estimates_without_calling_or_writing(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", _articles(10))
    out = tmp_path / "out.jsonl"
    prices = tmp_path / "prices.toml"
    prices.write_text("[my-model]\ninput = 1.0\noutput = 2.0\n", encoding="utf-8")

    def never(*args: Any) -> Summary:
        raise AssertionError("dry run called the model")

    options = BatchOptions(dry_run=True, prices=str(prices), progress=False)
    report = run_batch(source, out, Settings(backend="openai", model="my-model"), options, summarize_fn=never)
    assert not out.exists() and report.prompt_tokens > 10 * 900
    expected = (report.prompt_tokens * 1.0 + report.completion_tokens * 2.0) / 1e6
    assert report.cost_usd == pytest.approx(expected)


# -- end to end through the real summarize() -----------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    return env | {
        "SUMMARIZER_HOME": str(tmp_path / "home"),
        "OPENAI_API_KEY": "test",
        "PYTHONPATH": str(REPO),
    }


def _article_number(request: dict[str, Any]) -> str:
    """The article a chat request asked about; "?" for one without messages (a client killed mid-request
    sends its headers but no body, which the fake server records as {})."""
    messages = request.get("messages") or [{}]
    found = re.search(r"Report number (\d+)\.", str(messages[-1].get("content", "")))
    return f"a{found.group(1)}" if found else "?"


def test_rules_backend_end_to_end(tmp_path: Path) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"{TEXT} Report number {i}.", encoding="utf-8")
    report = run_batch(folder, tmp_path / "out.jsonl", Settings(backend="rules"), BatchOptions(progress=False))
    lines = read_results(tmp_path / "out.jsonl")
    assert report.ok == 3 and {line["id"] for line in lines} == {"0", "1", "2"}
    assert all(Summary.model_validate(line["summary"]).events for line in lines)


def test_openai_backend_with_faults_end_to_end(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", _articles(40))
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply
        for fault in ({"status": 429, "headers": {"Retry-After": "0.1"}}, {"status": 500}, {"drop": True}):
            srv.enqueue_fault(**fault)  # type: ignore[arg-type]
        settings = Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False, timeout_s=5)
        report = run_batch(source, tmp_path / "out.jsonl", settings, BatchOptions(concurrency=8, progress=False))
    lines = read_results(tmp_path / "out.jsonl")
    assert report.ok == 40 and len(lines) == 40 and len(srv.served) == 40
    assert lines[0]["usage"]["prompt_tokens"] > 0 and report.prompt_tokens > 0


@pytest.mark.slow
def test_kill_9_then_resume_loses_nothing_and_respends_nothing(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", _articles(120))
    out = tmp_path / "out.jsonl"
    with FakeOpenAI() as srv:

        def slow_reply(request: dict[str, Any]) -> str:
            time.sleep(0.1)  # slow enough to kill the run mid-way, even on a loaded machine
            return extraction_reply(request)

        srv.responder = slow_reply
        cmd = [PY, "-m", "summarizer", "batch", str(source), "-o", str(out), "--backend", "openai",
               "--strategy", "full", "--base-url", srv.base_url, "--no-cache", "--concurrency", "4"]  # fmt: skip
        proc = subprocess.Popen(cmd, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while (not out.exists() or out.read_bytes().count(b"\n") < 30) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        done_before = set(_ids(out))
        assert 30 <= len(done_before) < 120
        rerun = subprocess.run(cmd, env=_env(tmp_path), capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        final = json.loads(rerun.stdout.strip().splitlines()[-1])
        assert final["skipped"] == len(done_before) and final["ok"] == 120 - len(done_before)
        requested = Counter(_article_number(r) for r in srv.served)
    ids = _ids(out)
    assert set(ids) == {f"a{i}" for i in range(120)} and max(ids.values()) == 1
    assert all(requested[rid] == 1 for rid in done_before)  # finished ids cost nothing on resume
    assert len(srv.served) <= 120 + 4  # at most the requests in flight at the kill are paid twice


def test_cli_dry_run_and_same_path_error(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", _articles(4))
    cmd = [PY, "-m", "summarizer", "batch", str(source), "--backend", "openai", "--dry-run", "-o"]
    dry = subprocess.run([*cmd, str(tmp_path / "out.jsonl")], env=_env(tmp_path), capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout.strip().splitlines()[-1])
    assert report["dry_run"] and report["cost_usd"] > 0 and not (tmp_path / "out.jsonl").exists()
    same = subprocess.run([*cmd, str(source)], env=_env(tmp_path), capture_output=True, text=True)
    assert same.returncode == 2 and same.stderr.startswith("error: ") and "Traceback" not in same.stderr


def test_openai_batch_mode_resumes_by_batch_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [*_articles(6), {"id": "bad", "text": "\x00"}])
    out = tmp_path / "out.jsonl"
    real_poll = batch_api._poll

    def crash(*args: Any) -> Any:
        raise KeyboardInterrupt  # the run dies after submitting, before any result

    with FakeOpenAI(batch_polls=1) as srv:
        srv.responder = extraction_reply
        srv.enqueue_fault(status=500)  # the first batch line fails on the server
        settings = Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False)
        options = BatchOptions(mode="openai-batch", poll_interval_s=0.01, progress=False)
        monkeypatch.setattr(batch_api, "_poll", crash)
        with pytest.raises(KeyboardInterrupt):
            run_batch(source, out, settings, options)
        assert batch_api.state_path(out).exists()
        monkeypatch.setattr(batch_api, "_poll", real_poll)
        report = run_batch(source, out, settings, options)
        assert len(srv.batches) == 1 and not batch_api.state_path(out).exists()
    ids = _ids(out)
    assert set(ids) == {*(f"a{i}" for i in range(6)), "bad"} and max(ids.values()) == 1
    assert report.ok == 5 and sorted(report.failed_ids) == ["a0", "bad"]
    assert report.prompt_tokens > 0 and any("resuming batch" in note for note in report.notes)
