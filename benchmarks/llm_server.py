"""The LLM path against a real slow local server: request counts and times, printed as a table.

    python benchmarks/llm_server.py [--code DIR] [--only cold,batch,html] [--articles N]

Scenarios (each counted through a logging proxy on 127.0.0.1):
  cold   `summarize --backend openai` on the seed against a freshly started `python -m llama_cpp.server`
         with the embedded SmolLM2 GGUF (n_ctx 4096); requests sent, seconds, duplicates
  batch  `batch` of N GVDB dev articles (default 16) at the default settings against the same kind of
         server; ok/error lines, requests, requests repeated for one article, seconds; and the time of
         one article alone, for "close to N x single"
  html   the fake server answering every request 200 with an HTML page; requests sent, seconds, the error

`--code DIR` runs the CLI from another checkout (e.g. the commit before this work, for "before"
numbers). Needs `pip install "llama-cpp-python[server]"`.

Measured 2026-11-30 on 2 shared cores (load average 6-9 from other jobs, so seconds are noisy; request
counts are not). Before = commit 32036d4 (`--code`), after = this branch:

    scenario                     before                                    after
    cold summarize (seed)        4 requests, 3 repeats, 260 s, failed:     3 requests (2 chunks + 1 re-ask),
                                 "APITimeoutError" (60 s client timeout    0 repeats, 118 s, ok (server: 66,
                                 re-sent while the server worked)          37, 13 s)
    16 GVDB dev articles, batch  15 lines in 1,860 s (14 ok, 1 "no         16 ok, 17 requests, 0 repeats,
    at default settings          result within the 300s article budget"),  787 s; usage reported = served
                                 16th unfinished at the 2,400 s cap        (17,514 prompt tokens); one
                                                                           article alone: 10.7 s warm
    HTML-body 200 (fake)         4 requests, 7 s, error: 300 chars of      1 request, 2 s, "answered 200
                                 instructor's <failed_attempts> markup     with an HTML page … check --base-url"

Re-measured later the same day on a quiet machine (`--only batch`, this code): 16 ok, 17 requests, 0
repeated, 133.3 s; one article alone 5.7 s warm (16 × 5.7 = 91 s; the single article is the first of the
16, the others vary in length); usage reported = served (17,523 prompt tokens).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_openai import FakeOpenAI, Fault  # noqa: E402
from tests.real_server import LlamaServer, LoggingProxy  # noqa: E402

SEED = ROOT / "seeds" / "000_56ed328a523a33ef.txt"


def cli(code: Path, args: list[str], home: Path, timeout: float = 3600) -> tuple[int, str, str, float]:
    path = os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "SUMMARIZER_HOME": str(home)}
    env.pop("OPENAI_API_KEY", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", "from summarizer.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def article_key(body: dict[str, object]) -> str:
    """Which article (and chunk/question) a request was for: its user message."""
    messages = body.get("messages") or []
    return json.dumps(messages[-1] if isinstance(messages, list) and messages else body, sort_keys=True)[:4000]


def repeats(proxy: LoggingProxy) -> int:
    counts = collections.Counter(article_key(x.body) for x in proxy.chat())
    return sum(n - 1 for n in counts.values())


def _openai(base_url: str, model: str) -> list[str]:
    return ["--backend", "openai", "--base-url", base_url, "--model", model]


def cold(code: Path, work: Path) -> dict[str, object]:
    with LlamaServer() as server, LoggingProxy(server.url) as proxy:
        args = ["summarize", str(SEED), *_openai(proxy.base_url, "smollm2"), "--format", "json"]
        rc, _, err, seconds = cli(code, args, work / "home-cold")
        chat = proxy.chat()
        return {
            "scenario": "cold summarize (seed)",
            "exit": rc,
            "requests": len(chat),
            "repeated": repeats(proxy),
            "seconds": round(seconds, 1),
            "server_s": [round(x.seconds, 1) for x in chat],
            "error": err.strip().splitlines()[-1][:200] if rc else "",
        }


def gvdb_jsonl(path: Path, n: int) -> None:
    from summarizer.eval.datasets import load_dataset

    with path.open("w", encoding="utf-8") as out:
        for art in load_dataset("gvdb-dev", limit=n):
            out.write(json.dumps({"id": art.id, "text": art.text, "published": art.published}) + "\n")


def batch(code: Path, work: Path, n: int) -> dict[str, object]:
    source, out = work / "gvdb.jsonl", work / "out.jsonl"
    gvdb_jsonl(source, n)
    with LlamaServer() as server, LoggingProxy(server.url) as proxy:
        single_src = work / "one.txt"
        single_src.write_text(json.loads(source.read_text().splitlines()[0])["text"], encoding="utf-8")
        one = ["summarize", str(single_src), *_openai(proxy.base_url, "smollm2"), "--no-cache", "--format", "json"]
        cli(code, one, work / "home-single")  # warm the server first
        _, _, _, single = cli(code, one, work / "home-single")  # then time one article alone (no cache)
        before = len(proxy.chat())
        proxy.log.clear()
        args = ["batch", str(source), "-o", str(out), *_openai(proxy.base_url, "smollm2")]
        rc, _, err, seconds = cli(code, args, work / "home-batch")
        lines = [json.loads(x) for x in out.read_text().splitlines() if x.strip()] if out.exists() else []
        errors = collections.Counter(str(x.get("error"))[:60] for x in lines if x["status"] != "ok")
        usage = sum(int((x.get("usage") or {}).get("prompt_tokens", 0)) for x in lines)
        served = sum(int(x.usage.get("prompt_tokens", 0)) for x in proxy.chat())
        return {
            "scenario": f"batch of {n} GVDB dev articles",
            "exit": rc,
            "ok": sum(x["status"] == "ok" for x in lines),
            "errors": dict(errors),
            "requests": len(proxy.chat()),
            "repeated": repeats(proxy),
            "seconds": round(seconds, 1),
            "single_article_s": round(single, 1),
            "warmup_requests": before,
            "prompt_tokens_reported": usage,
            "prompt_tokens_served": served,
            "notes": [line for line in err.splitlines() if "concurrency" in line][:2],
        }


def html(code: Path, work: Path) -> dict[str, object]:
    with FakeOpenAI() as srv:
        srv.always = Fault(html=True)
        args = ["summarize", str(SEED), *_openai(srv.base_url, "fake"), "--no-cache"]
        rc, _, err, seconds = cli(code, args, work / "home-html")
        return {
            "scenario": "HTML-body 200 (fake server)",
            "exit": rc,
            "requests": len(srv.requests),
            "seconds": round(seconds, 1),
            "error": (err.strip().splitlines() or [""])[-1][:300],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose summarizer package runs")
    parser.add_argument("--only", default="cold,batch,html")
    parser.add_argument("--articles", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in args.only.split(","):
            started = time.monotonic()
            if name == "cold":
                row = cold(args.code, work)
            elif name == "batch":
                row = batch(args.code, work, args.articles)
            elif name == "html":
                row = html(args.code, work)
            else:
                raise SystemExit(f"unknown scenario {name}")
            row["wall_s"] = round(time.monotonic() - started, 1)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
