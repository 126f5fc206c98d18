"""The openai backend against a fake server: modes, what goes over the wire, fail-fast errors, usage."""

from __future__ import annotations

import json
from typing import Any

import pytest

from summarizer import summarize
from summarizer.config import Settings
from summarizer.errors import BackendError
from tests.fake_openai import FakeOpenAI, Fault, extraction_reply

TEXT = "Gunmen killed three people in Riverton on Saturday, police said. Two others were wounded."


def _settings(srv: FakeOpenAI, **extra: Any) -> Settings:
    return Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False, **extra)


def _schema(request: dict[str, Any]) -> dict[str, Any]:
    if request.get("tools"):
        return dict(request["tools"][0]["function"]["parameters"])
    fmt = request["response_format"]
    return dict(fmt["json_schema"]["schema"] if fmt["type"] == "json_schema" else fmt["schema"])


def test_tools_schema_over_http_holds_descriptions_and_requires_every_key() -> None:
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply
        summary = summarize(TEXT, settings=_settings(srv, llm_mode="tools"))
    request = srv.requests[0]
    assert request["tool_choice"]["function"]["name"] == "RawExtraction"
    schema = _schema(request)
    event = schema["$defs"]["RawEvent"]
    assert schema["required"] == ["events"] and schema["additionalProperties"] is False
    assert set(event["required"]) == set(event["properties"]) and event["additionalProperties"] is False
    assert "copied exactly" in event["properties"]["place"]["description"]
    assert request["max_tokens"] <= 32768 // 4 and summary.run.usage.calls == 1


@pytest.mark.parametrize(("mode", "kind"), [("json_schema", "json_schema"), ("json_object_schema", "json_object")])
def test_json_modes_send_the_schema_in_response_format(mode: str, kind: str) -> None:
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply
        summarize(TEXT, settings=_settings(srv, llm_mode=mode))
    request = srv.requests[0]
    assert "tools" not in request and request["response_format"]["type"] == kind
    assert "date_phrase" in _schema(request)["$defs"]["RawEvent"]["required"]


def test_auto_picks_the_mode_from_the_model_list() -> None:
    with FakeOpenAI() as srv:
        srv.models = [{"id": "llama3.1", "object": "model", "owned_by": "library"}]  # Ollama
        srv.responder = extraction_reply
        summarize(TEXT, settings=_settings(srv))
    assert srv.requests[0]["response_format"]["type"] == "json_schema"


def test_auto_switches_once_when_tools_are_refused_and_remembers_it() -> None:
    with FakeOpenAI() as srv:
        srv.models = None
        srv.refuse_tools = True  # Ollama: 400 "does not support tools"
        srv.responder = extraction_reply
        settings = _settings(srv)
        summarize(TEXT, settings=settings)
        summarize(TEXT + " More.", settings=settings)
    assert [("tools" in r) for r in srv.requests] == [True, False, False]


def test_explicit_tools_mode_fails_fast_on_a_refusal_naming_the_fix() -> None:
    with FakeOpenAI() as srv:
        srv.refuse_tools = True
        with pytest.raises(BackendError, match=r"does not support tools.*try --llm-mode json_schema"):
            summarize(TEXT, settings=_settings(srv, llm_mode="tools"))
    assert len(srv.requests) == 1


def test_request_validation_500_fails_fast_with_the_fix() -> None:
    with FakeOpenAI() as srv:
        srv.always = Fault(status=500)
        srv.error_message = (
            "1 validation error: response_format.type literal_error: Input should be 'text' or 'json_object'"
        )
        with pytest.raises(BackendError, match="--llm-mode json_object_schema") as caught:
            summarize(TEXT, settings=_settings(srv, llm_mode="json_schema"))
    assert len(srv.requests) == 1 and "\n" not in str(caught.value)


def test_html_200_is_a_server_error_not_a_reask() -> None:
    with FakeOpenAI() as srv:
        srv.always = Fault(html=True)
        with pytest.raises(BackendError, match=r"HTML page.*--base-url"):
            summarize(TEXT, settings=_settings(srv))
    assert len(srv.requests) == 1


def test_cut_off_is_completion_tokens_at_max_whatever_finish_reason_says() -> None:
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply
        srv.completion_tokens_override = 3000  # the fake still answers finish_reason "tool_calls"
        with pytest.raises(BackendError, match="cut off at max_tokens"):
            summarize(TEXT, settings=_settings(srv))
    assert len(srv.requests) == 1


def test_shapeless_answer_is_an_error_never_an_empty_success() -> None:
    with FakeOpenAI() as srv:
        srv.responder = lambda request: json.dumps({"answer": "nothing here"})
        with pytest.raises(BackendError, match=r"failed validation.*events"):
            summarize(TEXT, settings=_settings(srv, max_retries=1))
    assert len(srv.requests) == 2


def test_usage_counts_failed_attempts_and_equals_the_servers_count() -> None:
    with FakeOpenAI() as srv:
        srv.enqueue(json.dumps({"events": "not a list"}))  # re-asked by instructor
        srv.responder = extraction_reply
        summary = summarize(TEXT, settings=_settings(srv))
    usage = summary.run.usage
    assert usage.calls == 2 == len(srv.served)
    assert (usage.prompt_tokens, usage.completion_tokens) == (srv.prompt_tokens, srv.completion_tokens)


def test_a_local_timeout_is_not_sent_again() -> None:
    with FakeOpenAI() as srv:
        srv.enqueue_fault(delay_s=1.5)
        srv.responder = extraction_reply
        with pytest.raises(BackendError, match="not sent again: raise --timeout"):
            summarize(TEXT, settings=_settings(srv, timeout_s=0.5))
    assert len(srv.requests) == 1


def test_cache_key_includes_the_endpoint() -> None:
    with FakeOpenAI() as one, FakeOpenAI() as two:
        one.responder = two.responder = extraction_reply
        for srv in (one, two, one):
            summarize(TEXT, settings=_settings(srv).with_overrides(use_cache=True))
    assert (len(one.requests), len(two.requests)) == (1, 1)


def test_request_timeout_default_suits_the_endpoint() -> None:
    assert Settings(backend="openai").request_timeout() == 60
    assert Settings(backend="openai", base_url="http://127.0.0.1:8080/v1").request_timeout() == 600
    assert Settings(backend="openai", base_url="http://x/v1", timeout_s=5).request_timeout() == 5


@pytest.mark.parametrize("context", [4096, 8192, 32768, 128_000])
def test_requests_are_fitted_to_the_context(context: int) -> None:
    from summarizer.extract.full import CHARS_PER_TOKEN, CHARS_PER_TOKEN_DENSE, fit, request_for, schema_tokens

    sized = fit(context)
    overhead = len(json.dumps(request_for("", None).messages)) / CHARS_PER_TOKEN_DENSE + schema_tokens()
    assert overhead + sized.chunk_chars / CHARS_PER_TOKEN + sized.max_tokens <= context


def test_a_context_too_small_for_any_article_is_refused_before_sending() -> None:
    from summarizer.errors import ConfigError
    from summarizer.extract.full import fit

    with pytest.raises(ConfigError, match="no room for the article"):
        fit(2048)


def test_long_article_is_chunked_to_fit_a_small_server() -> None:
    with FakeOpenAI() as srv:
        srv.models = None  # says nothing: 4096 assumed
        srv.responder = extraction_reply
        summary = summarize((TEXT + " ") * 60, settings=_settings(srv))
    assert len(srv.requests) > 1 and all(r["max_tokens"] == 1024 for r in srv.requests)
    assert any("chunks" in w for w in summary.warnings)


def test_batch_against_a_local_server_runs_one_article_at_a_time_and_says_so(tmp_path: Any) -> None:
    from summarizer.batch import BatchOptions, run_batch

    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i}", "text": f"{TEXT} Report {i}."}) + "\n" for i in range(3)))
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply
        report = run_batch(source, tmp_path / "out.jsonl", _settings(srv), BatchOptions(progress=False))
    assert report.ok == 3 and any("concurrency 1" in note for note in report.notes)
    assert report.prompt_tokens == srv.prompt_tokens
