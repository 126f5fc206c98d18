"""`batch --dry-run` estimates that say what they are, and folder ids that join to gold ids."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from summarizer.batch import BatchOptions, run_batch
from summarizer.batch.io import read_inputs
from summarizer.batch.prices import quote
from summarizer.batch.progress import print_report
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.schema import Summary

TEXT = "Police said a gunman shot two men in Dayton, Ohio, on Friday. One of them died."


def _never(*args: Any) -> Summary:
    raise AssertionError("a dry run called the model")


def _jsonl(path: Path, n: int = 3) -> Path:
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": TEXT}) + "\n" for i in range(n)), encoding="utf-8")
    return path


def _dry(tmp_path: Path, settings: Settings, prices: str | None = None) -> Any:
    options = BatchOptions(dry_run=True, progress=False, prices=prices)
    return run_batch(_jsonl(tmp_path / "in.jsonl"), tmp_path / "out.jsonl", settings, options, summarize_fn=_never)


def test_folder_ids_are_file_stems(tmp_path: Path) -> None:
    """Defect: folder batch ids kept ".txt", so they could not be joined to gold ids."""
    (tmp_path / "4759.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "report.final.txt").write_text(TEXT, encoding="utf-8")
    records = {r.id: r for r in read_inputs(tmp_path)}
    assert set(records) == {"4759", "report.final"}
    assert records["4759"].article is not None and records["4759"].article.id == "4759"


@pytest.mark.parametrize("backend", ["rules", "local"])
def test_dry_run_on_a_free_backend_reports_zero_tokens_and_why(tmp_path: Path, backend: str) -> None:
    """Defect: `--dry-run` on the rules backend reported 34,417 tokens "would be sent"."""
    report = _dry(tmp_path, Settings(backend=backend))  # type: ignore[arg-type]
    assert (report.prompt_tokens, report.completion_tokens, report.cost_usd) == (0, 0, 0.0)
    notes = " ".join(report.notes)
    assert f"0 tokens: the {backend} backend sends nothing" in notes and "$0" in report.cost_note
    assert "would be sent" not in notes


def test_dry_run_against_a_custom_server_is_not_priced_as_gpt_4o_mini(tmp_path: Path) -> None:
    """Defect: a custom --base-url was priced at gpt-4o-mini without saying so."""
    url = "http://127.0.0.1:8000/v1"
    report = _dry(tmp_path, Settings(backend="openai", base_url=url))
    assert report.prompt_tokens > 0 and report.cost_usd is None
    note = report.cost_note
    assert url in note and "--prices" in note and "'gpt-4o-mini'" in note


def test_dry_run_names_the_model_and_says_the_price_is_a_guess(tmp_path: Path) -> None:
    report = _dry(tmp_path, Settings(backend="openai"))
    assert report.cost_usd is not None and report.cost_usd > 0
    assert "priced as gpt-4o-mini at OpenAI list prices" in report.cost_note and "guess" in report.cost_note


def test_a_price_file_prices_a_custom_server(tmp_path: Path) -> None:
    prices = tmp_path / "prices.toml"
    prices.write_text('["qwen2.5"]\ninput = 1.0\noutput = 2.0\n', encoding="utf-8")
    report = _dry(tmp_path, Settings(backend="openai", base_url="http://127.0.0.1:8000/v1", model="qwen2.5"),
                  str(prices))  # fmt: skip
    expected = (report.prompt_tokens * 1.0 + report.completion_tokens * 2.0) / 1e6
    assert report.cost_usd == pytest.approx(expected) and "from your price file" in report.cost_note


def test_quote_for_an_unknown_model() -> None:
    assert quote("openai", "my-model").price is None
    assert "no price for model 'my-model'" in quote("openai", "my-model").note


def test_cli_dry_run_table_shows_the_reason(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(_jsonl(tmp_path / "in.jsonl")),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--backend",
            "rules",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["prompt_tokens"] == 0 and report["cost_usd"] == 0
    assert any("sends nothing" in note for note in report["notes"])


def test_the_report_table_shows_the_cost_basis(tmp_path: Path) -> None:
    report = _dry(tmp_path, Settings(backend="openai"))
    out = StringIO()
    print_report(report, Console(file=out, width=200))
    assert "cost basis" in out.getvalue() and "priced as gpt-4o-mini" in out.getvalue()
