"""Language honesty: a French or Spanish wire story (15 and 6 dead) is refused by the English-only
default with its own status and the fix, never reported as "no violent event"; the openai backend reads it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from summarizer.batch import BatchOptions, read_results, run_batch
from summarizer.batch.options import BatchReport
from summarizer.batch.progress import print_report
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.errors import UnsupportedLanguageError
from summarizer.pipeline import summarize
from tests.conftest import SEED
from tests.fake_openai import FakeOpenAI, extraction_reply

LANGUAGES = Path(__file__).resolve().parent / "languages"
STORIES = {"fr": LANGUAGES / "fr_wire.txt", "es": LANGUAGES / "es_wire.txt"}
NAMES = {"fr": "French", "es": "Spanish"}
runner = CliRunner()


@pytest.mark.parametrize("code", sorted(STORIES))
@pytest.mark.parametrize("backend", [[], ["-b", "rules"]])  # the default (local, rules only) and rules
def test_summarize_refuses_with_its_own_exit_code_and_the_fix(code: str, backend: list[str]) -> None:
    result = runner.invoke(app, ["summarize", str(STORIES[code]), *backend])
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("error: ")
    assert f"{NAMES[code]} ({code})" in message and "use --backend openai" in message


def test_the_library_raises_a_distinct_error() -> None:
    with pytest.raises(UnsupportedLanguageError, match="French"):
        summarize(STORIES["fr"].read_text(encoding="utf-8"), settings=Settings(backend="rules"))


def test_batch_gives_them_their_own_status_and_counts_them(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [{"id": code, "text": path.read_text(encoding="utf-8")} for code, path in STORIES.items()]
    rows.append({"id": "en", "text": SEED.read_text(encoding="utf-8")})
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False))
    lines = {line["id"]: line for line in read_results(out)}
    assert {rid: line["status"] for rid, line in lines.items()} == {
        "fr": "unsupported_language", "es": "unsupported_language", "en": "ok",
    }  # fmt: skip
    assert "use --backend openai" in lines["fr"]["error"] and lines["fr"]["summary"] is None
    assert (report.ok, report.failed, report.unsupported_language) == (1, 0, 2)
    assert json.loads(report.to_json())["unsupported_language"] == 2
    assert report.failed_ids == ["es", "fr"]  # --retry-failed with --backend openai sends them again

    result = runner.invoke(app, ["batch", str(source), "-o", str(tmp_path / "cli.jsonl"), "-b", "rules"])
    assert json.loads(result.stdout)["unsupported_language"] == 2


def test_the_batch_table_names_the_count_and_the_fix() -> None:
    console = Console(record=True, width=100, file=io.StringIO())
    print_report(BatchReport(input="in", output="out", total=3, ok=1, unsupported_language=2), console)
    table = console.export_text()
    assert "unsupported language" in table and "2 (use --backend openai)" in table


@pytest.mark.parametrize("code", sorted(STORIES))
def test_the_openai_backend_still_reads_them(code: str) -> None:
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply
        settings = Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False)
        summary = summarize(STORIES[code].read_text(encoding="utf-8"), settings=settings)
    assert summary.article.language == code and len(summary.events) == 1
    assert any("tuned for English" in w for w in summary.warnings)
