"""`results_csv`: every article of a batch shows up in the CSV, with or without events, failed or not."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from summarizer.batch import results_csv
from summarizer.batch.io import ResultLine
from summarizer.render import CSV_COLUMNS, rows_csv
from summarizer.schema import ArticleMeta, RunInfo, Summary

QUIET = Summary(
    article=ArticleMeta(id="quiet", title="Council meets", url="https://example.org/q", chars=40),
    run=RunInfo(backend="rules", model="rules"),
)


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == list(CSV_COLUMNS)
    return list(reader)


def test_no_event_error_and_other_statuses_each_get_one_row(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lines = [
        ResultLine("quiet", "ok", QUIET.model_dump(mode="json")),
        ResultLine("line-6", "error", error="input: line 6 is not valid JSON at column 12: Invalid control character"),
        ResultLine("fr", "unsupported_language", QUIET.model_copy(update={"article": ArticleMeta(id="fr", chars=9)})
                   .model_dump(mode="json"), error="the rules read English only; use --backend openai"),
    ]  # fmt: skip
    out.write_text("".join(line.to_json() + "\n" for line in lines), encoding="utf-8")
    rows = {r["article_id"]: r for r in _rows(results_csv(out))}
    assert set(rows) == {"quiet", "line-6", "fr"}
    assert (rows["quiet"]["status"], rows["quiet"]["article_title"], rows["quiet"]["error"]) == (
        "no_event", "Council meets", "")  # fmt: skip
    assert rows["line-6"]["status"] == "error" and rows["line-6"]["error"].endswith("Invalid control character")
    assert rows["fr"]["status"] == "unsupported_language" and "openai" in rows["fr"]["error"]
    assert all(r["event_id"] == "" and r["event_type"] == "" for r in rows.values())


def test_rows_csv_marks_a_summary_without_events() -> None:
    (row,) = _rows(rows_csv([QUIET]))
    assert (row["article_id"], row["status"], row["article_url"]) == ("quiet", "no_event", "https://example.org/q")


def test_rules_batch_csv_has_a_row_for_every_article(tmp_path: Path) -> None:
    from summarizer.batch import BatchOptions, run_batch
    from summarizer.config import Settings

    source = tmp_path / "in.jsonl"
    records = [
        {"id": "kano", "text": "Gunmen opened fire on a market in Kano on Tuesday, killing at least 5 people."},
        {"id": "quiet", "text": "The city council met on Tuesday to discuss the budget for new parks and roads."},
        {"id": "empty", "text": " "},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    run_batch(source, tmp_path / "out.jsonl", Settings(backend="rules", use_cache=False), BatchOptions(progress=False))
    statuses = {r["article_id"]: r["status"] for r in _rows(results_csv(tmp_path / "out.jsonl"))}
    assert statuses == {"kano": "ok", "quiet": "no_event", "empty": "error"}
