"""`summarizer eval score` and `compare` through typer's CliRunner, on tiny files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli.eval import app as eval_app
from summarizer.eval.gold import GoldArticle, Prediction, write_gold, write_predictions
from summarizer.schema import ArticleMeta, Event, RunInfo, Summary

runner = CliRunner()
TEXT = "Police said a gunman shot a man in Dayton on Friday."


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_HOME", str(tmp_path / "home"))


def _event(place: str, killed: int) -> Event:
    return Event.model_validate(
        {
            "primary": True,
            "what": {"type": "shooting"},
            "where": {"place": place, "country_code": "US"},
            "when": {"date": "2016-01-08"},
            "casualties": [{"killed": {"best": killed}}],
        }
    )


def _files(tmp_path: Path, place: str, name: str) -> tuple[Path, Path]:
    gold, preds = tmp_path / "gold.jsonl", tmp_path / f"{name}.jsonl"
    write_gold(gold, [GoldArticle(id="a", text=TEXT, events=[_event("Dayton", 1)])])
    summary = Summary(article=ArticleMeta(id="a"), events=[_event(place, 1)], run=RunInfo(backend="t", model="m"))
    write_predictions(preds, [Prediction(id="a", summary=summary)])
    return gold, preds


def test_score_writes_metrics_and_reports(tmp_path: Path) -> None:
    gold, preds = _files(tmp_path, "Dayton", "good")
    result = runner.invoke(eval_app, ["score", str(preds), str(gold), "-o", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["headline_f1"] == 1.0 and metrics["n_articles"] == 1
    assert (tmp_path / "run" / "report.md").exists() and (tmp_path / "run" / "report.html").exists()


def test_score_accepts_bare_summary_lines(tmp_path: Path) -> None:
    gold, _ = _files(tmp_path, "Dayton", "good")
    bare = tmp_path / "bare.jsonl"
    summary = Summary(article=ArticleMeta(id="a"), events=[_event("Dayton", 1)], run=RunInfo(backend="t", model="m"))
    bare.write_text(summary.model_dump_json() + "\n", encoding="utf-8")
    result = runner.invoke(eval_app, ["score", str(bare), str(gold), "-o", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output


def test_score_bad_file_is_one_line_exit_2(tmp_path: Path) -> None:
    gold, _ = _files(tmp_path, "Dayton", "good")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "status": "ok"}\n', encoding="utf-8")
    result = runner.invoke(eval_app, ["score", str(bad), str(gold), "-o", str(tmp_path / "run")])
    assert result.exit_code == 2 and "line 1" in result.output and "Traceback" not in result.output
    missing = runner.invoke(eval_app, ["score", str(tmp_path / "none.jsonl"), str(gold), "-o", str(tmp_path)])
    assert missing.exit_code == 2


def test_compare_exit_codes(tmp_path: Path) -> None:
    gold, good = _files(tmp_path, "Dayton", "good")
    _, bad = _files(tmp_path, "Toledo", "bad")
    for name, preds in (("a", good), ("b", bad)):
        assert runner.invoke(eval_app, ["score", str(preds), str(gold), "-o", str(tmp_path / name)]).exit_code == 0
    same = runner.invoke(eval_app, ["compare", str(tmp_path / "a"), str(tmp_path / "a"), "--fail-below", "0"])
    assert same.exit_code == 0, same.output
    worse = runner.invoke(
        eval_app,
        [
            "compare",
            str(tmp_path / "a"),
            str(tmp_path / "b"),
            "--fail-below",
            "0.01",
            "-o",
            str(tmp_path / "cmp.md"),
        ],
    )
    assert worse.exit_code == 1 and "regression" in worse.output
    assert "Articles that got worse" in (tmp_path / "cmp.md").read_text(encoding="utf-8")
    lenient = runner.invoke(eval_app, ["compare", str(tmp_path / "a"), str(tmp_path / "b")])
    assert lenient.exit_code == 0
    nothing = runner.invoke(eval_app, ["compare", str(tmp_path / "a"), str(tmp_path / "zzz")])
    assert nothing.exit_code == 2
