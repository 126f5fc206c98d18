"""The LLM path against llama-cpp-python's own server (`python -m llama_cpp.server`, embedded SmolLM2).

Marked `real_server`: excluded from a plain `pytest` (see addopts), run by .ci/run. Every request goes
through a logging proxy on 127.0.0.1, so the tests assert on what went over the wire (mode, schema with
descriptions, max_tokens within the context) and on outcomes (no request sent twice, usage equal to the
server's own count). SmolLM2-135M answers poorly: the tests check mechanics, not quality.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.real_server import LlamaServer, LoggingProxy, server_available

pytestmark = [
    pytest.mark.real_server,
    pytest.mark.skipif(not server_available(), reason='needs pip install "llama-cpp-python[server]"'),
]
REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_56ed328a523a33ef.txt"
N_CTX = 4096
SHORT = [
    "Police said two men were shot and killed outside a bar in Dayton, Ohio, on Friday night.",
    "A roadside bomb killed three soldiers near Kandahar on Tuesday, officials said.",
    "Gunmen wounded four people in an attack on a market in Kano on Sunday.",
    "An air strike killed five fighters in Idlib province on Monday, a monitor said.",
]


@pytest.fixture(scope="module")
def proxy() -> Iterator[LoggingProxy]:
    with LlamaServer(n_ctx=N_CTX) as server, LoggingProxy(server.url) as logging_proxy:
        yield logging_proxy


def _run(args: list[str], home: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env |= {"SUMMARIZER_HOME": str(home), "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO),
            os.environ.get("PYTHONPATH")]))}  # fmt: skip
    command = [sys.executable, "-m", "summarizer", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _summarize(
    proxy: LoggingProxy, tmp_path: Path, *extra: str, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """The full strategy unless `extra` names one (auto would choose select for this local server)."""
    article = tmp_path / "article.txt"
    article.write_text(" ".join(SHORT[:2]), encoding="utf-8")
    extra = extra if "--strategy" in extra else ("--strategy", "full", *extra)
    return _run(["summarize", str(article), "--backend", "openai", "--base-url", proxy.base_url, "--model", "smollm2",
                 "--format", "json", "--no-cache", "--published", "2024-02-08", *extra], tmp_path / "home",
                timeout)  # fmt: skip


def _new(proxy: LoggingProxy, before: int) -> list[dict[str, object]]:
    return [x.body for x in proxy.chat()[before:]]


@pytest.mark.parametrize("mode", ["auto", "tools", "json_object_schema"])
def test_summarize_in_each_supported_mode(proxy: LoggingProxy, tmp_path: Path, mode: str) -> None:
    before = len(proxy.chat())
    done = _summarize(proxy, tmp_path, "--llm-mode", mode)
    exchanges = proxy.chat()[before:]
    assert exchanges, done.stderr
    request = exchanges[0].body
    if mode in ("auto", "tools"):  # llama-cpp-python lists owned_by "me": auto picks tools
        assert request["tool_choice"]["function"]["name"] == "RawExtraction"  # type: ignore[index]
        schema = request["tools"][0]["function"]["parameters"]  # type: ignore[index]
    else:
        assert request["response_format"]["type"] == "json_object"  # type: ignore[index]
        schema = request["response_format"]["schema"]  # type: ignore[index]
    assert "copied exactly" in schema["$defs"]["RawEvent"]["properties"]["place"]["description"]
    for x in exchanges:
        assert x.usage["prompt_tokens"] + int(x.body["max_tokens"]) <= N_CTX  # type: ignore[call-overload]
    assert max(Counter(json.dumps(x.body, sort_keys=True) for x in exchanges).values()) == 1
    if done.returncode == 0:
        usage = json.loads(done.stdout)["run"]["usage"]
        assert usage["prompt_tokens"] == sum(x.usage["prompt_tokens"] for x in exchanges)
        assert usage["completion_tokens"] == sum(x.usage["completion_tokens"] for x in exchanges)
    else:  # a poor answer from a 135M model: one clear line, never a traceback
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_json_schema_mode_fails_fast_with_the_fix(proxy: LoggingProxy, tmp_path: Path) -> None:
    before = len(proxy.chat())
    done = _summarize(proxy, tmp_path, "--llm-mode", "json_schema")
    assert done.returncode == 2 and "--llm-mode json_object_schema" in done.stderr
    assert len(proxy.chat()) - before == 1 and len(done.stderr.strip().splitlines()) == 1


def test_hybrid_with_model_fields(proxy: LoggingProxy, tmp_path: Path) -> None:
    before = len(proxy.chat())
    done = _summarize(proxy, tmp_path, "--strategy", "hybrid", "--model-fields", "what,where")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert len(proxy.chat()) > before and summary["run"]["usage"]["calls"] == len(proxy.chat()) - before


def test_batch_at_concurrency_2_resumes_after_kill_9_sending_no_request_twice(
    proxy: LoggingProxy, tmp_path: Path
) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i}", "text": t, "published": "2024-02-08"}) + "\n"
                              for i, t in enumerate(SHORT)), encoding="utf-8")  # fmt: skip
    before = len(proxy.chat())
    args = ["batch", str(source), "-o", str(out), "--backend", "openai", "--base-url", proxy.base_url, "--model",
            "smollm2", "--concurrency", "2"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env |= {"SUMMARIZER_HOME": str(tmp_path / "home"), "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO),
            os.environ.get("PYTHONPATH")]))}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "summarizer", *args], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    while (not out.exists() or not out.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done_before = {json.loads(x)["id"] for x in out.read_text().splitlines() if x.strip()}
    at_kill = len(proxy.chat())
    _run(args, tmp_path / "home", timeout=600)  # resume
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert sorted(x["id"] for x in lines) == ["a0", "a1", "a2", "a3"] and done_before
    resent = [x for x in proxy.chat()[at_kill:] if any(SHORT[int(i[1:])] in json.dumps(x.body) for i in done_before)]
    assert not resent, "an article already written was asked again"
    first_run = [json.dumps(b, sort_keys=True) for b in _new(proxy, before)[: at_kill - before]]
    assert max(Counter(first_run).values()) == 1, "a request was sent twice within one run"
    again = len(proxy.chat())
    _run(args, tmp_path / "home")  # every id has a line: nothing is sent
    assert len(proxy.chat()) == again


def test_eval_run_on_the_seed(proxy: LoggingProxy, tmp_path: Path) -> None:
    done = _run(["eval", "run", "--dataset", "seed", "--backend", "openai", "--base-url", proxy.base_url,
                 "--model", "smollm2", "-o", str(tmp_path / "run")], tmp_path / "home", timeout=400)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "run" / "metrics.json").exists() and (tmp_path / "run" / "predictions.jsonl").exists()


def _spans(summary: dict[str, object]) -> list[dict[str, object]]:
    events = summary["events"]
    assert isinstance(events, list)
    parts = [p for e in events for p in [e["what"], e["where"], e["when"], *e["who"], *e["casualties"]]]
    return [span for part in parts for span in part["evidence"]]


@pytest.mark.parametrize("strategy", ["select", "auto"])
def test_select_answers_with_valid_ids_one_request_exact_offsets(
    proxy: LoggingProxy, tmp_path: Path, strategy: str
) -> None:
    before = len(proxy.chat())
    done = _summarize(proxy, tmp_path, "--strategy", strategy, "--timeout", "600", timeout=700)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["run"]["extractor"] == "select" and summary["run"]["strategy"] == "select"
    exchanges = proxy.chat()[before:]
    assert 1 <= len(exchanges) <= 2, "one request per article (a re-ask at most)"
    request = exchanges[0].body
    schema = request["tools"][0]["function"]["parameters"]  # type: ignore[index]
    answer = json.loads(exchanges[-1].response["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
    for key in ("killed", "injured", "perpetrator", "victim", "place", "date"):
        assert answer[key] in schema["properties"][key]["enum"], f"{key}: {answer[key]!r} is no candidate id"
    text = " ".join(SHORT[:2])
    assert all(text[s["start"] : s["end"]] == s["quote"] for s in _spans(summary))  # type: ignore[index, misc]


def test_select_batch_sends_about_one_request_per_article(proxy: LoggingProxy, tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i}", "text": t, "published": "2024-02-08"}) + "\n"
                              for i, t in enumerate(SHORT)), encoding="utf-8")  # fmt: skip
    before = len(proxy.chat())
    args = ["batch", str(source), "-o", str(out), "--backend", "openai", "--base-url", proxy.base_url, "--model",
            "smollm2", "--strategy", "select", "--no-cache", "--article-timeout", "900"]  # fmt: skip
    done = _run(args, tmp_path / "home", timeout=1800)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert done.returncode == 0 and [x["status"] for x in lines] == ["ok"] * len(SHORT), done.stdout
    assert 1 <= len(proxy.chat()) - before <= len(SHORT) + 1
    for line, text in zip(lines, SHORT, strict=True):
        assert all(text[s["start"] : s["end"]] == s["quote"] for s in _spans(line["summary"]))  # type: ignore[index, misc]
