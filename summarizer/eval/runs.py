"""An eval run: each gold article through the pipeline, then scores and reports written to a directory."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from summarizer.config import Settings
from summarizer.db import EventsDB
from summarizer.errors import DatasetError, SummarizerError
from summarizer.eval.gold import GoldArticle, Prediction
from summarizer.eval.report import render_html, render_markdown
from summarizer.eval.scoring import evaluate
from summarizer.pipeline import summarize
from summarizer.render import rows_csv


def predict(article: GoldArticle, settings: Settings) -> Prediction:
    """One article through the pipeline; any failure becomes an error line, never an exception."""
    started = time.monotonic()
    try:
        summary = summarize(article.article(), settings=settings)
        return Prediction(id=article.id, summary=summary, seconds=time.monotonic() - started)
    except SummarizerError as exc:
        error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a bug on one article must not lose the whole run; it is recorded instead
        error = f"internal error {type(exc).__name__}: {exc}"
    return Prediction(id=article.id, status="error", error=error, seconds=time.monotonic() - started)


def write_predictions_csv(path: Path, predictions: Mapping[str, Prediction]) -> None:
    """The predictions as analysts' CSV, one row per event (`render.rows_csv`), beside predictions.jsonl."""
    path.write_text(rows_csv(p.summary for p in predictions.values() if p.summary is not None), encoding="utf-8")


class Overlap(NamedTuple):
    """Which articles a score covers: the gold, the predictions and the ids in both."""

    n_gold: int
    n_predictions: int
    n_scored: int
    without_gold: list[str]
    """Prediction ids that match no gold article (not scored)."""
    all_gold: bool

    @property
    def n_matched(self) -> int:
        return self.n_predictions - len(self.without_gold)

    def describe(self) -> str:
        """One line for the user."""
        missing = self.n_gold - self.n_matched
        text = f"{self.n_matched} of {self.n_gold} gold articles have a prediction"
        if missing and self.all_gold:
            text += f"; --all-gold: the other {missing} count as misses"
        elif missing:
            text += f"; scored those {self.n_matched} (--all-gold would count the other {missing} as misses)"
        if self.without_gold:
            text += f"; {len(self.without_gold)} prediction(s) match no gold id (e.g. {self.without_gold[0]!r})"
        return text


def select_gold(
    gold: list[GoldArticle], predictions: Mapping[str, Prediction], all_gold: bool = False
) -> tuple[list[GoldArticle], Overlap]:
    """The gold articles to score: those with a prediction, or all of them with `all_gold`.

    DatasetError when no prediction id is a gold id: every score would be a miss, which says nothing."""
    ids = {a.id for a in gold}
    without_gold = sorted(i for i in predictions if i not in ids)
    if len(without_gold) == len(predictions):
        example = f" (e.g. {without_gold[0]!r}; gold ids look like {gold[0].id!r})" if without_gold and gold else ""
        raise DatasetError(
            f"no prediction id matches a gold id: {len(predictions)} prediction(s), {len(gold)} gold article(s)"
            f"{example}; score predictions made on this dataset"
        )
    scored = gold if all_gold else [a for a in gold if a.id in predictions]
    return scored, Overlap(len(gold), len(predictions), len(scored), without_gold, all_gold)


def write_reports(
    output: Path, gold: list[GoldArticle], predictions: dict[str, Prediction], title: str, run: dict[str, Any]
) -> dict[str, Any]:
    """Score, then write metrics.json, report.md and report.html into `output`; returns the metrics."""
    metrics = evaluate(gold, predictions)
    metrics["run"] = run
    output.mkdir(parents=True, exist_ok=True)
    (output / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False), encoding="utf-8")
    (output / "report.md").write_text(render_markdown(metrics, title, 20, gold, predictions), encoding="utf-8")
    (output / "report.html").write_text(render_html(metrics, gold, predictions, title), encoding="utf-8")
    return metrics


def record_eval_run(db_path: Path, output: Path, metrics: dict[str, Any]) -> str:
    """Add the run's metrics (its `run` block says dataset and settings) to the events database's `eval_runs`."""
    db = EventsDB(db_path)
    try:
        return db.record_eval(output, metrics.get("run") or {}, metrics)
    finally:
        db.close()


def load_metrics(path: Path) -> dict[str, Any]:
    """A run's metrics: a run directory or its metrics.json."""
    file = path / "metrics.json" if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(f"{file}: no such file; pass a run directory written by `summarizer eval`") from None
    except (OSError, ValueError) as exc:
        raise DatasetError(f"cannot read metrics {file}: {exc}") from None
    if not isinstance(data, dict) or "fields" not in data:
        raise DatasetError(f"{file} is not a metrics.json written by `summarizer eval`")
    return data
