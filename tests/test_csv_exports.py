"""`--format csv` for batch results and eval predictions: one row per event, the documented columns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.render import CSV_COLUMNS
from tests.conftest import SEED

runner = CliRunner()


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == list(CSV_COLUMNS)
    return list(reader)


def test_batch_format_csv_writes_one_row_per_event_beside_the_results(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [{"id": "seed", "text": SEED.read_text(encoding="utf-8")}, {"id": "bad", "text": ""}]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--backend", "rules", "--format", "csv"])
    assert result.exit_code == 1, result.output  # the empty article is an error line; the rest is written
    rows = _rows((tmp_path / "out.csv").read_text(encoding="utf-8"))
    summary = next(json.loads(x)["summary"] for x in out.read_text().splitlines() if json.loads(x)["id"] == "seed")
    seed_rows = [r for r in rows if r["article_id"] == "seed"]
    assert len(seed_rows) == len(summary["events"]) >= 2 and {r["status"] for r in seed_rows} == {"ok"}
    assert sum(r["primary"] in ("True", "true", "1") for r in seed_rows) == 1
    (bad,) = [r for r in rows if r["article_id"] == "bad"]  # the failed article keeps its row
    assert bad["status"] == "error" and "empty" in bad["error"] and bad["event_id"] == ""


def test_eval_run_writes_predictions_csv(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(app, ["eval", "run", "--dataset", "seed", "--backend", "rules", "-o", str(out)])
    assert result.exit_code == 0, result.output
    predictions = [json.loads(x) for x in (out / "predictions.jsonl").read_text().splitlines()]
    rows = _rows((out / "predictions.csv").read_text(encoding="utf-8"))
    assert len(rows) == sum(len(p["summary"]["events"]) for p in predictions) > 0
