"""The select strategy against the fake OpenAI server: candidates marked with ids, ids enumerated in the
schema, ids mapped back to exact spans, an invented id asked again, and `auto` choosing it for local servers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import summarize
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.extract import choose
from summarizer.extract.candidates import collect
from summarizer.extract.choose import auto_strategy, choose_extractor
from summarizer.extract.mentions import MentionKind
from tests.fake_openai import FakeOpenAI

TEXT = (
    "Gunman kills three in Riverton\n"
    "Three people were killed and two others wounded when a gunman opened fire in Riverton, Ohio, on Saturday, "
    "police said. Police arrested John Smith at the scene."
)


@pytest.fixture
def real_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    """`auto` as it really chooses (conftest makes it full for the other tests' fake servers)."""
    monkeypatch.setattr(choose, "auto_strategy", auto_strategy)


def _settings(srv: FakeOpenAI, **extra: Any) -> Settings:
    return Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False, **extra)


def _listed(request: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, words) of every candidate in the prompt's list."""
    user = next(str(m["content"]) for m in request["messages"] if m["role"] == "user")  # re-asks append more
    return [(cid, json.loads(words)) for cid, words in re.findall(r"^([FNPD]\d+): (\".*\")$", user, re.M)]


def _ids(request: dict[str, Any]) -> dict[str, str]:
    """Candidate words → the first id with those words."""
    ids: dict[str, str] = {}
    for cid, words in _listed(request):
        ids.setdefault(words, cid)
    return ids


def _schema(request: dict[str, Any]) -> dict[str, Any]:
    return dict(request["tools"][0]["function"]["parameters"])


def _answer(request: dict[str, Any], **override: str) -> str:
    ids = _ids(request)
    answer = {"event_type": "shooting", "killed": ids["Three people"], "injured": ids["two others"],
              "perpetrator": ids["John Smith"], "victim": "none", "place": ids["Riverton"],
              "date": ids["on Saturday"]}  # fmt: skip
    return json.dumps(answer | override)


def test_candidates_are_marked_after_their_words_and_map_back_to_exact_spans() -> None:
    found = collect(TEXT)
    marked = found.marked()
    for cid, mention in found.by_id.items():
        assert TEXT[mention.start : mention.end] == mention.text
        assert f"{mention.text}[{cid}]" in marked
    assert {m.kind for m in found.by_id.values()} == set(MentionKind) - {MentionKind.ATTRIBUTION, MentionKind.CLAIM}


def test_select_fills_the_event_from_ids_in_one_request_every_value_grounded() -> None:
    with FakeOpenAI() as srv:
        srv.responder = _answer
        summary = summarize(TEXT, settings=_settings(srv, strategy="select"))
    assert len(srv.requests) == 1 and summary.run.extractor == "select" and summary.run.strategy == "select"
    properties = _schema(srv.requests[0])["properties"]
    assert properties["place"]["enum"] == [*(c for c, _ in _listed(srv.requests[0]) if c.startswith("P")), "none"]
    assert all("enum" in properties[k] for k in ("killed", "injured", "perpetrator", "victim", "place", "date"))
    primary = summary.primary
    assert primary is not None
    assert primary.where.place == "Riverton" and primary.when.phrase == "on Saturday"
    assert primary.figure("killed").best == 3 and primary.figure("injured").best == 2  # type: ignore[union-attr]
    assert [a.name for a in primary.who if a.role == "perpetrator"] == ["John Smith"]
    spans = [e for part in [primary.what, primary.where, primary.when, *primary.who, *primary.casualties]
             for e in part.evidence]  # fmt: skip
    assert spans and all(TEXT[e.start : e.end] == e.quote for e in spans)
    assert summary.run.field_sources["killed"] == "model" and not summary.run.rejections


def test_an_invented_id_is_asked_again() -> None:
    answers = iter(["F99"])

    def responder(request: dict[str, Any]) -> str:
        return _answer(request, killed=next(answers, _ids(request)["Three people"]))

    with FakeOpenAI() as srv:
        srv.responder = responder
        summary = summarize(TEXT, settings=_settings(srv, strategy="select", llm_mode="json_object_schema"))
    assert len(srv.requests) == 2, "the invalid id fails validation and is re-asked once"
    assert summary.primary is not None and summary.primary.figure("killed").best == 3  # type: ignore[union-attr]
    assert summary.run.usage.calls == 2


def test_none_keeps_the_rules_value() -> None:
    with FakeOpenAI() as srv:
        srv.responder = lambda request: _answer(request, place="none", date="none")
        summary = summarize(TEXT, settings=_settings(srv, strategy="select"))
    assert summary.primary is not None and summary.primary.where.place == "Riverton"
    assert summary.primary.when.phrase == "on Saturday"


@pytest.mark.usefixtures("real_auto")
def test_auto_is_select_for_a_self_hosted_server_and_full_for_openai_and_says_so() -> None:
    local = choose_extractor(Settings(backend="openai", base_url="http://127.0.0.1:8080/v1", strategy="auto"))
    hosted = choose_extractor(Settings(backend="openai", api_key="k", strategy="auto"))
    assert local.name == "select" and "auto" in (local.note or "")
    assert hosted.name == "full" and "auto" in (hosted.note or "")
    explicit = choose_extractor(Settings(backend="openai", base_url="http://127.0.0.1:8080/v1", strategy="full"))
    assert explicit.name == "full" and explicit.note is None


def test_auto_is_the_default_strategy() -> None:
    assert Settings().strategy == "auto"


@pytest.mark.usefixtures("real_auto")
def test_auto_choice_is_written_into_the_run_record() -> None:
    with FakeOpenAI() as srv:
        srv.responder = _answer
        summary = summarize(TEXT, settings=_settings(srv, strategy="auto"))
    assert summary.run.strategy == "select" and summary.run.note and "auto" in summary.run.note


def test_batch_takes_strategy_select(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    with FakeOpenAI() as srv:
        srv.responder = _answer
        result = CliRunner().invoke(app, ["batch", str(source), "-o", str(out), "--backend", "openai",
                                          "--base-url", srv.base_url, "--strategy", "select"])  # fmt: skip
    line = json.loads(out.read_text(encoding="utf-8"))
    assert result.exit_code == 0 and line["status"] == "ok", result.output
    assert line["summary"]["run"]["strategy"] == "select" and len(srv.requests) == 1
