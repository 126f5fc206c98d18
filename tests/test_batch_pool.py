"""Every core: the in-process backends on a process pool give the same summaries as one process, and
keep resuming, interrupts and `kill -9` as safe as before (only the parent writes lines)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch import BatchOptions, read_results, run_batch
from summarizer.batch.pool import worker_count
from summarizer.config import Settings
from summarizer.eval.datasets import load_dataset
from tests.conftest import SEED, require_data

REPO = Path(__file__).resolve().parents[1]


def _gvdb_input(path: Path, n: int, repeat: int = 1) -> Path:
    require_data("gvdb-dev")
    articles = load_dataset("gvdb-dev")
    rows = [{"id": f"{a.id}-{k}", "text": a.text, "published": a.published, "title": a.title}
            for k in range(repeat) for a in articles[:n]]  # fmt: skip
    rows += [{"id": "seed", "text": SEED.read_text(encoding="utf-8")}, {"id": "empty", "text": " "}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _by_id(path: Path) -> dict[str, dict[str, Any]]:
    lines = {}
    for line in read_results(path):
        line.pop("duration_s")
        if line["summary"]:
            line["summary"]["run"].pop("duration_s")
        lines[line["id"]] = line
    return lines


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMARIZER_")}
    return env | {"SUMMARIZER_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)}


def _our_processes(marker: str) -> list[int]:
    """Pids of live processes whose environment carries `marker` (this test's home directory)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_worker_count_follows_the_request_and_never_exceeds_the_articles() -> None:
    assert worker_count(4, 100) == 4 and worker_count(4, 2) == 2 and worker_count(None, 1) == 1
    assert worker_count(None, 10_000) == len(os.sched_getaffinity(0))


def test_two_workers_give_the_same_summary_per_id_as_one(tmp_path: Path) -> None:
    source = _gvdb_input(tmp_path / "in.jsonl", 30)
    settings = Settings(backend="rules", use_cache=False)
    one = run_batch(source, tmp_path / "one.jsonl", settings, BatchOptions(num_workers=1, progress=False))
    two = run_batch(source, tmp_path / "two.jsonl", settings, BatchOptions(num_workers=2, progress=False))
    assert "2 worker processes" in two.notes and not any("worker" in n for n in one.notes)
    assert (one.ok, one.failed) == (two.ok, two.failed) == (31, 1)
    assert _by_id(tmp_path / "one.jsonl") == _by_id(tmp_path / "two.jsonl")
    assert _by_id(tmp_path / "two.jsonl")["empty"]["retryable"] is False


def test_the_cli_takes_num_workers_for_the_local_engine(tmp_path: Path) -> None:
    source = _gvdb_input(tmp_path / "in.jsonl", 6)
    cmd = [sys.executable, "-m", "summarizer", "batch", str(source), "--backend", "rules", "--no-cache", "-o"]
    runs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        result = subprocess.run([*cmd, str(out), "--num-workers", workers], env=_env(tmp_path), capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert result.returncode == 1, result.stderr  # the empty article
        runs[workers] = json.loads(result.stdout.splitlines()[-1])
    assert runs["1"]["notes"] == [] and runs["2"]["notes"] == ["2 worker processes"]
    assert _by_id(tmp_path / "out1.jsonl") == _by_id(tmp_path / "out2.jsonl")


def _start_and_wait(cmd: list[str], env: dict[str, str], out: Path, lines: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while (not out.exists() or out.read_bytes().count(b"\n") < lines) and time.monotonic() < deadline:
        time.sleep(0.02)
    return proc


def _wait_gone(marker: str, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _our_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_ctrl_c_stops_the_workers_and_says_how_to_resume(tmp_path: Path) -> None:
    source = _gvdb_input(tmp_path / "in.jsonl", 100, repeat=20)  # ~2,000 articles: still running at the signal
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out), "--backend", "rules",
           "--no-cache", "--num-workers", "2"]  # fmt: skip
    proc = _start_and_wait(cmd, _env(tmp_path), out, 20)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    done = len(read_results(out))
    assert proc.returncode == 130 and "Traceback" not in stderr, stderr
    assert f"interrupted: {done:,} done, {2002 - done:,} left; run the same command again to resume" in stderr
    assert _wait_gone(str(tmp_path / "home"), 10) == [], "worker processes outlived the interrupted batch"


@pytest.mark.slow
def test_kill_9_with_a_pool_then_resume_writes_each_id_once(tmp_path: Path) -> None:
    source = _gvdb_input(tmp_path / "in.jsonl", 100, repeat=20)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out), "--backend", "rules",
           "--no-cache", "--num-workers", "2"]  # fmt: skip
    proc = _start_and_wait(cmd, _env(tmp_path), out, 50)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    done_before = {line["id"] for line in read_results(out)}
    assert 50 <= len(done_before) < 2002
    assert _wait_gone(str(tmp_path / "home"), 15) == [], "orphaned workers after kill -9"
    rerun = subprocess.run(cmd, env=_env(tmp_path), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 1, rerun.stderr  # the empty article
    assert json.loads(rerun.stdout.splitlines()[-1])["skipped"] == len(done_before)
    ids = [line["id"] for line in read_results(out)]
    assert len(ids) == len(set(ids)) == 2002
