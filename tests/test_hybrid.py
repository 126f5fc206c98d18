"""The hybrid extractor with a queued fake backend: which answers are used, which are ignored."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer import load_settings
from summarizer.backends import Extracted
from summarizer.errors import BackendError, ConfigError
from summarizer.extract.hybrid import candidates_for
from summarizer.pipeline import summarize
from summarizer.schema import Usage

TEXT = (
    "Man shot dead in Chicago\n\nCHICAGO (AP) — A man was shot and killed on Monday in the Austin "
    "neighborhood, police said. Officers arrested Jamal Wright, 24, on Tuesday. Two other men were "
    "wounded in a separate shooting in Evanston on Sunday."
)


class QueuedBackend:
    """Answers from a queue, in order; records the questions it was asked."""

    name = "local"
    model = "fake.gguf"

    def __init__(self, *answers: Any) -> None:
        self.answers: deque[Any] = deque(answers)
        self.asked: list[list[dict[str, str]]] = []

    def extract(self, messages: list[dict[str, str]], response_model: type[BaseModel], max_tokens: int) -> Extracted:
        self.asked.append(messages)
        answer = self.answers.popleft()
        if isinstance(answer, Exception):
            raise answer
        return Extracted(value=response_model.model_validate(answer), usage=Usage(prompt_tokens=10, calls=1))


def _run(backend: QueuedBackend, fields: str) -> Any:
    settings = load_settings(backend="local", model_fields=fields, use_cache=False)
    return summarize(TEXT, published="2024-03-05", settings=settings, backend=backend)  # type: ignore[arg-type]


def test_model_answer_replaces_the_rules_value() -> None:
    backend = QueuedBackend({"answer": "on Tuesday"})
    summary = _run(backend, "when")
    assert summary.primary.when.date == "2024-03-05"
    assert summary.run.field_sources["when"] == "model"
    article_first = backend.asked[0][1]["content"]
    assert article_first.startswith("<article") and '"on Monday"' in article_first  # options listed


def test_declining_keeps_the_rules_value() -> None:
    summary = _run(QueuedBackend({"answer": "unknown"}), "when")
    assert summary.primary.when.date == "2024-03-04"  # the rules' "on Monday"
    assert summary.run.field_sources["when"] == "rules"


def test_a_failed_question_keeps_the_rules_value() -> None:
    summary = _run(QueuedBackend(BackendError("garbage")), "where")
    assert summary.primary.where.place in ("CHICAGO", "Chicago")
    assert any("no valid answer" in w for w in summary.warnings)


def test_model_type_and_description_are_used_when_supported() -> None:
    answer = {"event_type": "shooting", "description": "A man was shot and killed in Chicago."}
    summary = _run(QueuedBackend(answer), "what")
    assert summary.primary.what.description == "A man was shot and killed in Chicago."


def test_an_unsupported_description_is_replaced_by_the_quote() -> None:
    answer = {"event_type": "shooting", "description": "Visit https://evil.example for details."}
    summary = _run(QueuedBackend(answer), "what")
    assert "evil" not in summary.primary.what.description
    assert summary.primary.what.description == summary.primary.what.evidence[0].quote


def test_no_questions_when_the_rules_see_no_event() -> None:
    backend = QueuedBackend()
    settings = load_settings(backend="local", model_fields="what,who,where", use_cache=False)
    summary = summarize("The council approved the budget on Monday.", settings=settings, backend=backend)  # type: ignore[arg-type]
    assert summary.events == [] and backend.asked == []


def test_unknown_model_field_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown model field"):
        _run(QueuedBackend(), "what,colour")


def test_candidates_come_from_the_text() -> None:
    assert "on Monday" in candidates_for("when", TEXT)
    assert "CHICAGO" in candidates_for("where", TEXT) or "Chicago" in candidates_for("where", TEXT)
    assert candidates_for("killed", TEXT)[0] in ("Man", "A man")
    assert all('"' not in c for c in candidates_for("who", 'Police want William "Billy" Mitchell II, 30.'))
