"""Batch throughput against a rate-limited fake OpenAI server, with a kill -9 and resume in the middle.

    /work/venv/bin/python benchmarks/batch_throughput.py [--rpm 600] [--articles 330] [--concurrency 16]

Prints: achieved requests/min as a share of the server's limit (goal >= 95 %), lost articles (goal 0),
duplicated lines (goal 0), tokens re-spent on finished ids after the resume (goal 0), and 429s seen.
Everything runs on 127.0.0.1; the batch runs as the real CLI in a subprocess so kill -9 is real.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fake_openai import FakeOpenAI, extraction_reply  # noqa: E402  (run as a script from anywhere)

TEXT = "Gunmen opened fire on a market in Kano on Tuesday, killing at least 5 people, police said."


class Recorder:
    """Wraps the fake's responder to note when each article was answered and what it cost."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.served: list[tuple[float, str, int]] = []

    def __call__(self, request: dict[str, Any]) -> str:
        content = str(request["messages"][-1]["content"])
        rid = content.split("Report number ", 1)[-1].split(".", 1)[0]
        reply = extraction_reply(request)
        tokens = len(json.dumps(request["messages"])) // 4 + len(reply) // 4
        with self.lock:
            self.served.append((time.monotonic(), f"a{rid}", tokens))
        return reply


def _command(source: Path, out: Path, base_url: str, rpm: float, concurrency: int) -> list[str]:
    flags = ["--backend", "openai", "--base-url", base_url, "--no-cache", "--rpm", str(rpm)]
    return [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out), *flags,
            "--concurrency", str(concurrency)]  # fmt: skip


def _lines(out: Path) -> list[dict[str, Any]]:
    data = out.read_bytes() if out.exists() else b""
    return [json.loads(x) for x in data[: data.rfind(b"\n") + 1].splitlines() if x.strip()]


def _rate(stamps: list[float]) -> tuple[int, float]:
    """Requests and active seconds of one phase (first to last answer)."""
    return len(stamps), (max(stamps) - min(stamps)) if len(stamps) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rpm", type=float, default=600)
    parser.add_argument("--articles", type=int, default=330)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    source, out = work / "in.jsonl", work / "out.jsonl"
    rows = [{"id": f"a{i}", "text": f"{TEXT} Report number {i}."} for i in range(args.articles)]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env |= {"SUMMARIZER_HOME": str(work / "home"), "OPENAI_API_KEY": "bench", "PYTHONPATH": str(REPO)}
    recorder = Recorder()
    with FakeOpenAI(rpm=args.rpm) as srv:
        srv.responder = recorder
        cmd = _command(source, out, srv.base_url, args.rpm, args.concurrency)
        first = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while len(_lines(out)) < args.articles // 2 and first.poll() is None:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = time.monotonic()
        done_before = {line["id"] for line in _lines(out)}
        second = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        rate_limited = srv.rate_limited
    _report(args, out, recorder, done_before, killed_at, rate_limited, second.returncode)


def _report(args: argparse.Namespace, out: Path, recorder: Recorder, done_before: set[str], killed_at: float,
            rate_limited: int, exit_code: int) -> None:  # fmt: skip
    lines = _lines(out)
    ids = Counter(line["id"] for line in lines)
    expected = {f"a{i}" for i in range(args.articles)}
    phase1 = [t for t, _, _ in recorder.served if t <= killed_at]
    phase2 = [t for t, _, _ in recorder.served if t > killed_at]
    (n1, s1), (n2, s2) = _rate(phase1), _rate(phase2)
    achieved = 60 * (n1 + n2 - 2) / (s1 + s2) if s1 + s2 else 0.0
    seen: Counter[str] = Counter()
    respent = 0
    for _, rid, tokens in recorder.served:
        seen[rid] += 1
        if rid in done_before and seen[rid] > 1:
            respent += tokens
    print(f"articles: {args.articles}  concurrency: {args.concurrency}  server limit: {args.rpm:.0f} rpm")
    print(f"phase 1 (killed with SIGKILL after {len(done_before)} lines): {n1} requests in {s1:.1f}s")
    print(f"phase 2 (resume, exit code {exit_code}): {n2} requests in {s2:.1f}s")
    print(f"achieved: {achieved:.0f} requests/min = {100 * achieved / args.rpm:.1f}% of the limit (goal >= 95%)")
    print(f"429 answers from the server: {rate_limited}")
    print(f"lost articles: {len(expected - set(ids))} (goal 0)")
    print(f"duplicated lines: {sum(c - 1 for c in ids.values())} (goal 0)")
    print(f"ok lines: {sum(1 for line in lines if line['status'] == 'ok')}/{args.articles}")
    print(f"tokens re-spent on ids finished before the kill: {respent} (goal 0)")
    print(f"requests for articles in flight at the kill, paid twice: {sum(1 for c in seen.values() if c > 1)}")


if __name__ == "__main__":
    main()
