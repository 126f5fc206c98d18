"""`batch --engine ray` on a local Ray cluster (2 CPUs, 127.0.0.1 only): same lines as the local engine,
exactly once through a killed worker and a killed driver, one rate limit for all workers.

Marked `ray` (run by .ci/run after installing the extra); skipped when Ray is not installed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch import BatchOptions, read_results, run_batch
from summarizer.batch import shards as shard_dir
from summarizer.config import Settings
from summarizer.eval.gold import read_predictions
from summarizer.pipeline import summarize as summarize_article
from summarizer.schema import Article, Summary
from tests.fake_openai import FakeOpenAI, extraction_reply

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # before Ray is imported: 127.0.0.1 only
ray = pytest.importorskip("ray")
from summarizer.batch.ray_engine import RayOptions, run_ray_batch  # noqa: E402  (after the skip)

pytestmark = pytest.mark.ray
REPO = Path(__file__).resolve().parents[1]
PLACES = ["Kano", "Mosul", "Kabul", "Aleppo", "Goma", "Mogadishu"]
VERBS = ["opened fire on a market", "attacked a checkpoint", "shelled a village", "stormed a church"]


def _text(i: int) -> str:
    place, verb = PLACES[i % len(PLACES)], VERBS[i % len(VERBS)]
    return f"Gunmen {verb} in {place} on Tuesday, killing at least {i % 17 + 1} people, police said. Report number {i}."


def _source(tmp_path: Path, n: int = 300) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": _text(i)}) + "\n" for i in range(n)), encoding="utf-8")
    return path


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_", "RAY_ADDRESS"))}
    return env | {"SUMMARIZER_HOME": str(tmp_path / "home"), "OPENAI_API_KEY": "test", "PYTHONPATH": str(REPO),
                  "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}  # fmt: skip


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """One local cluster for the in-process tests: 2 CPUs, no dashboard."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    assert ray.get_runtime_context().gcs_address.startswith("127.0.0.1:")
    yield
    ray.shutdown()


def _comparable(line: dict[str, Any]) -> dict[str, Any]:
    summary = dict(line["summary"] or {})
    if summary:
        summary["run"] = {k: v for k, v in summary["run"].items() if k != "duration_s"}
    return {"status": line["status"], "summary": summary, "error": line["error"]}


def test_rules_300_articles_match_the_local_engine(tmp_path: Path, cluster: None) -> None:
    source = _source(tmp_path)
    with source.open("a", encoding="utf-8") as handle:  # bad records become the same error lines as locally
        handle.write('{"id": "broken", "text": \n{"id": "empty", "text": " "}\n{"id": "a7", "text": "again"}\n')
    out = tmp_path / "out"
    report = run_ray_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False), RayOptions())
    assert report.ok == 300 and report.total == 303 and len(report.failed_ids) == 3
    lines = read_results(out)
    assert len(lines) == 303 and len({line["id"] for line in lines}) == 303
    assert json.loads((out / shard_dir.SUCCESS).read_text())["lines"] == 303
    run_batch(source, tmp_path / "local.jsonl", Settings(backend="rules"), BatchOptions(progress=False))
    local = {line["id"]: _comparable(line) for line in read_results(tmp_path / "local.jsonl")}
    assert {line["id"]: _comparable(line) for line in lines} == local
    # One file on demand, and readable as a directory wherever a results file is.
    assert shard_dir.merge(out, tmp_path / "merged.jsonl") == 303
    assert len(read_predictions(out)) == 303 == len(read_predictions(tmp_path / "merged.jsonl"))
    again = run_ray_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False), RayOptions())
    assert again.skipped == 303 and again.ok == 0


def test_a_killed_worker_still_gives_each_id_once(tmp_path: Path, cluster: None) -> None:
    source = _source(tmp_path)
    marker = tmp_path / "killed"

    def dies_once(article: Article, published: str | None, settings: Settings) -> Summary:
        if article.id == "a150" and not marker.exists():
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)  # the actor's process, mid-batch
        return summarize_article(article, published, settings)

    out = tmp_path / "out"
    settings, options = Settings(backend="rules"), BatchOptions(progress=False)
    report = run_ray_batch(source, out, settings, options, RayOptions(), summarize_fn=dies_once)
    ids = Counter(line["id"] for line in read_results(out))
    assert marker.exists(), "the fault was never injected"
    assert set(ids) == {f"a{i}" for i in range(300)} and max(ids.values()) == 1
    assert report.ok == 300


def _article_number(request: dict[str, Any]) -> str:
    content = str(request["messages"][-1]["content"])
    return "a" + content.split("Report number ", 1)[-1].split(".", 1)[0]


def test_kill_9_of_the_driver_then_resume_runs_no_id_twice(tmp_path: Path) -> None:
    source, out = _source(tmp_path), tmp_path / "out"
    with FakeOpenAI() as srv:

        def slow_reply(request: dict[str, Any]) -> str:
            time.sleep(0.1)  # slow enough to kill the run mid-way
            return extraction_reply(request)

        srv.responder = slow_reply
        cmd = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out), "--engine", "ray",
               "--backend", "openai", "--strategy", "full", "--base-url", srv.base_url, "--no-cache",
               "--concurrency", "4"]  # fmt: skip
        proc = subprocess.Popen(cmd, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while len(shard_dir.done_status(out)) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        done_before = set(shard_dir.done_status(out))
        assert 40 <= len(done_before) < 300
        rerun = subprocess.run(cmd, env=_env(tmp_path), capture_output=True, text=True, timeout=240)
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        final = json.loads(rerun.stdout.strip().splitlines()[-1])
        requested = Counter(_article_number(r) for r in srv.served)
    assert final["skipped"] == len(done_before) and final["ok"] == 300 - len(done_before)
    ids = Counter(line["id"] for line in read_results(out))
    assert set(ids) == {f"a{i}" for i in range(300)} and max(ids.values()) == 1
    assert all(requested[rid] == 1 for rid in done_before)  # finished ids are never sent again


def test_one_rate_limit_for_all_workers(tmp_path: Path, cluster: None) -> None:
    n, rpm = 150, 600
    source = _source(tmp_path, n)
    times: list[float] = []
    lock = threading.Lock()

    def timed(request: dict[str, Any]) -> str:
        with lock:
            times.append(time.monotonic())
        return extraction_reply(request)

    with FakeOpenAI(rpm=rpm) as srv:
        srv.responder = timed
        # The workers are other processes, where conftest's "auto means full" does not reach: ask for full.
        settings = Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False, timeout_s=10,
                            strategy="full")  # fmt: skip
        options = BatchOptions(concurrency=8, rpm=rpm, progress=False)
        report = run_ray_batch(source, tmp_path / "out", settings, options, RayOptions(num_workers=2))
    lines = read_results(tmp_path / "out")
    assert report.ok == n and len(lines) == n and len({line["id"] for line in lines}) == n  # 0 lost
    assert any("2 worker(s)" in note for note in report.notes)
    # Over any 10 s the served rate stays within 600/min plus the 1 s burst; a request delayed in transit
    # may meet the server's bucket a moment early, and its 429 is honoured and retried, never lost.
    assert srv.rate_limited <= 3
    times.sort()
    for i, start in enumerate(times):
        in_window = sum(1 for t in times[i:] if t < start + 10.0)
        assert in_window <= rpm / 60 * 10 + rpm / 60 + 1
    assert times[-1] - times[0] >= (n - rpm / 60) / (rpm / 60) * 0.95  # 2 workers did not double the rate


def test_parquet_input_is_read_by_ray_and_resumes(tmp_path: Path, cluster: None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "shards"
    folder.mkdir()
    for part in range(2):
        ids = [f"p{i}" for i in range(part * 10, part * 10 + 10)]
        table = pa.table({"id": ids, "text": [_text(i) for i in range(part * 10, part * 10 + 10)]})
        pq.write_table(table, folder / f"part-{part}.parquet")
    out = tmp_path / "out"
    settings, options = Settings(backend="rules"), BatchOptions(progress=False)
    first = run_ray_batch(folder / "part-0.parquet", out, settings, options, RayOptions())
    assert first.ok == 10 and first.total == 10
    second = run_ray_batch(folder, out, settings, options, RayOptions())  # the whole folder: 10 new
    assert second.total == 20 and second.ok == 10 and second.skipped == 10
    ids = Counter(line["id"] for line in read_results(out))
    assert set(ids) == {f"p{i}" for i in range(20)} and max(ids.values()) == 1
