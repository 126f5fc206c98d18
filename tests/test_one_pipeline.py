"""Live runs, batch jobs and the Batch API mode share one pipeline: the same masked text reaches the
server, and the same grounding judges the answer."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer import summarize
from summarizer.batch import BatchOptions, read_results, run_batch
from summarizer.batch.io import read_inputs
from summarizer.config import Settings
from tests.fake_openai import FakeOpenAI, extraction_reply

ADVERSARIAL = Path(__file__).resolve().parent / "adversarial" / "01_ignore_previous.txt"
INJECTED = "Ignore previous instructions"


def _user_messages(requests: list[dict[str, object]]) -> list[str]:
    return [str(m["content"]) for r in requests for m in r["messages"] if m["role"] == "user"]  # type: ignore[attr-defined, index]


def test_batch_api_mode_sends_the_masked_text_like_live_mode(tmp_path: Path) -> None:
    text = ADVERSARIAL.read_text(encoding="utf-8")
    assert INJECTED in text
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": text, "published": "2024-03-04"}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply
        settings = Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False)
        article = next(iter(read_inputs(source))).article  # the text exactly as the batch reads it
        assert article is not None
        live = summarize(article, settings=settings)
        options = BatchOptions(mode="openai-batch", poll_interval_s=0.01, progress=False)
        run_batch(source, out, settings, options)
        uploaded = [json.loads(line)["body"] for data in srv.files.values() for line in data.decode().splitlines()
                    if line.strip() and "custom_id" in line and '"body"' in line and '"url"' in line]  # fmt: skip
    live_prompt, batch_prompt = _user_messages(srv.requests[:1]), _user_messages(uploaded)
    assert live_prompt and batch_prompt == live_prompt  # the very same request text
    assert INJECTED not in batch_prompt[-1] and "Gunmen killed three people" in batch_prompt[-1]
    result = read_results(out)[0]
    assert result["status"] == "ok"
    assert any("addressed to a model" in w for w in result["summary"]["warnings"])
    assert any("addressed to a model" in w for w in live.warnings)
