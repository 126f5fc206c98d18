"""The fake OpenAI server answers the real SDK the way the API does, faults included."""

from __future__ import annotations

import json
import time

import httpx
import openai
import pytest

from tests.fake_openai import FakeOpenAI


def _client(srv: FakeOpenAI, timeout: float = 5.0) -> openai.OpenAI:
    return openai.OpenAI(base_url=srv.base_url, api_key="test", max_retries=0, timeout=timeout)


def _ask(client: openai.OpenAI, **extra: object) -> openai.types.chat.ChatCompletion:
    messages = [{"role": "user", "content": "hello"}]
    return client.chat.completions.create(model="fake", messages=messages, **extra)  # type: ignore[arg-type]


def test_queue_then_responder_then_default() -> None:
    with FakeOpenAI() as srv:
        client = _client(srv)
        srv.enqueue("first")
        assert _ask(client).choices[0].message.content == "first"
        assert _ask(client).choices[0].message.content == "OK"
        srv.responder = lambda request: request["messages"][0]["content"].upper()
        reply = _ask(client)
        assert reply.choices[0].message.content == "HELLO"
        assert reply.usage is not None and reply.usage.prompt_tokens > 0
        assert len(srv.requests) == 3 and len(srv.served) == 3


def test_tools_request_gets_a_tool_call() -> None:
    tool = {"type": "function", "function": {"name": "Extraction", "parameters": {"type": "object"}}}
    with FakeOpenAI() as srv:
        srv.enqueue('{"events": []}')
        reply = _ask(_client(srv), tools=[tool], tool_choice={"type": "function", "function": {"name": "Extraction"}})
        calls = reply.choices[0].message.tool_calls
        assert calls and calls[0].function.name == "Extraction"  # type: ignore[union-attr]
        assert json.loads(calls[0].function.arguments) == {"events": []}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"status": 429, "headers": {"Retry-After": "1"}}, openai.RateLimitError),
        ({"status": 500}, openai.InternalServerError),
        ({"drop": True}, openai.APIConnectionError),
        ({"delay_s": 1.0}, openai.APITimeoutError),
        ({"malformed": True}, Exception),
    ],
)
def test_faults_raise_the_sdk_errors(fault: dict[str, object], error: type[Exception]) -> None:
    with FakeOpenAI() as srv:
        srv.enqueue_fault(**fault)  # type: ignore[arg-type]
        with pytest.raises(error) as caught:
            _ask(_client(srv, timeout=0.3))
        if fault.get("status") == 429:
            assert caught.value.response.headers["retry-after"] == "1"  # type: ignore[attr-defined]
        srv.enqueue("recovered")
        assert _ask(_client(srv)).choices[0].message.content == "recovered"


def test_rate_limit_answers_429_with_headers() -> None:
    with FakeOpenAI(rpm=60, burst=2) as srv:
        client = _client(srv)
        _ask(client)
        _ask(client)
        with pytest.raises(openai.RateLimitError) as caught:
            _ask(client)
        headers = caught.value.response.headers
        assert float(headers["retry-after-ms"]) > 0
        assert headers["x-ratelimit-remaining-requests"] == "0"
        assert headers["x-ratelimit-reset-requests"].endswith("ms")
        assert srv.rate_limited == 1 and len(srv.served) == 2


def test_batch_api_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {
            "custom_id": f"a{i}",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {"model": "fake", "messages": [{"role": "user", "content": f"n{i}"}]},
        }
        for i in range(3)
    ]
    path = tmp_path / "requests.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with FakeOpenAI(batch_polls=1) as srv:
        srv.responder = lambda request: request["messages"][0]["content"]
        srv.enqueue_fault(status=500)
        client = _client(srv)
        with path.open("rb") as handle:
            upload = client.files.create(file=handle, purpose="batch")
        batch = client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
        assert client.batches.retrieve(batch.id).status == "in_progress"
        done = client.batches.retrieve(batch.id)
        assert done.status == "completed" and done.output_file_id and done.error_file_id
        output = [json.loads(x) for x in client.files.content(done.output_file_id).text.splitlines()]
        errors = [json.loads(x) for x in client.files.content(done.error_file_id).text.splitlines()]
        assert {o["custom_id"] for o in output} == {"a1", "a2"}
        assert output[0]["response"]["body"]["choices"][0]["message"]["content"] == "n1"
        assert errors[0]["custom_id"] == "a0"


def test_raw_httpx_sees_only_localhost() -> None:
    with FakeOpenAI() as srv:
        started = time.monotonic()
        response = httpx.get(srv.base_url.replace("/v1", "/nowhere"))
        assert response.status_code == 404 and time.monotonic() - started < 5
        assert srv.base_url.startswith("http://127.0.0.1:")


def test_html_fault_and_model_list() -> None:
    with FakeOpenAI() as srv:
        assert httpx.get(srv.base_url + "/models").json()["data"][0]["max_model_len"] == 32768
        srv.models = None
        assert httpx.get(srv.base_url + "/models").status_code == 404
        srv.enqueue_fault(html=True)
        page = httpx.post(srv.base_url + "/chat/completions", json={"messages": []})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
