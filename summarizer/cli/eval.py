"""`summarizer eval`: run an extractor over a gold dataset, score predictions offline, compare runs.

Each command parses its options, calls the library and prints; a `SummarizerError` becomes one line on
stderr and exit code 2. `compare` exits 1 when run B regresses beyond `--fail-below`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import track
from rich.table import Table

from summarizer.cli.options import (
    BackendOpt,
    BaseUrlOpt,
    ContextOpt,
    LlmModeOpt,
    ModelFieldsOpt,
    ModelOpt,
    ModelPathOpt,
    StrategyOpt,
    TimeoutOpt,
)
from summarizer.config import describe, load_settings
from summarizer.errors import SummarizerError
from summarizer.eval.compare import compare_runs
from summarizer.eval.datasets import load_dataset
from summarizer.eval.gold import read_predictions, write_predictions
from summarizer.eval.report import render_compare_markdown
from summarizer.eval.runs import load_metrics, predict, write_reports
from summarizer.eval.scoring import FIELDS

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
_out = Console(highlight=False)
_err = Console(stderr=True, highlight=False)

DatasetArg = Annotated[str, typer.Option("--dataset", "-d", help="seed, gvdb-dev, or a gold .jsonl / GVDB .tsv.")]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="Directory for predictions, metrics, reports.")]


def _fail(exc: SummarizerError) -> NoReturn:
    _err.print(f"error: {exc}", markup=False)
    raise typer.Exit(2)


def _headline(metrics: dict[str, Any], output: Path) -> None:
    f1, rate = metrics["headline_f1"], metrics["grounding_rate"]
    _out.print(
        f"{metrics['n_articles']} articles · headline F1 {f1 if f1 is None else round(f1, 3)} · "
        f"grounding {rate if rate is None else round(rate, 3)} · hallucinations "
        f"{metrics['hallucinations']} · errors {metrics['n_errors']} → {output}",
        markup=False,
    )


# ---------------------------------------------------------------- commands


@app.command("run")
def run_command(
    dataset: DatasetArg,
    output: OutputOpt,
    backend: BackendOpt = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles.")] = None,
    model: ModelOpt = None,
    model_path: ModelPathOpt = None,
    base_url: BaseUrlOpt = None,
    strategy: StrategyOpt = None,
    model_fields: ModelFieldsOpt = None,
    llm_mode: LlmModeOpt = None,
    timeout: TimeoutOpt = None,
    context: ContextOpt = None,
) -> None:
    """Extract every article of a dataset, then score and report."""
    try:
        gold = load_dataset(dataset, limit)
        settings = load_settings(
            backend=backend,
            model=model,
            model_path=model_path,
            base_url=base_url,
            strategy=strategy,
            model_fields=model_fields,
            llm_mode=llm_mode,
            timeout_s=timeout,
            context=context,
        )
        predictions = {a.id: predict(a, settings) for a in track(gold, "extracting", console=_err)}
        output.mkdir(parents=True, exist_ok=True)
        write_predictions(output / "predictions.jsonl", predictions.values())
        run = {"dataset": dataset, "backend": settings.backend, "settings": json.loads(describe(settings))}
        metrics = write_reports(output, gold, predictions, f"{dataset} · {settings.backend}", run)
    except SummarizerError as exc:
        _fail(exc)
    _headline(metrics, output)


@app.command("score")
def score_command(
    predictions: Annotated[Path, typer.Argument(help="Predictions JSONL (batch output format).")],
    gold: Annotated[str, typer.Argument(help="Gold JSONL, GVDB TSV, or a dataset name (seed, gvdb-dev).")],
    output: OutputOpt,
) -> None:
    """Score existing predictions against gold, offline."""
    try:
        articles = load_dataset(gold)
        preds = read_predictions(predictions)
        run = {"dataset": gold, "predictions": str(predictions)}
        metrics = write_reports(output, articles, preds, f"{gold} · {predictions.name}", run)
    except SummarizerError as exc:
        _fail(exc)
    _headline(metrics, output)


def _cell(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{value:+.3f}" if signed else f"{value:.3f}"
    if signed and abs(value) > 1e-9:
        return f"[{'green' if value > 0 else 'red'}]{text}[/]"
    return text


@app.command("compare")
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="Baseline run directory (or its metrics.json).")],
    run_b: Annotated[Path, typer.Argument(help="New run directory (or its metrics.json).")],
    fail_below: Annotated[
        float | None, typer.Option(help="Exit 1 if headline F1 drops by more than this, e.g. 0.02.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write this Markdown file.")] = None,
) -> None:
    """Per-field F1 deltas of run B against run A; exit code 1 on a regression."""
    try:
        comparison = compare_runs(load_metrics(run_a), load_metrics(run_b), fail_below)
    except SummarizerError as exc:
        _fail(exc)
    if output is not None:
        output.write_text(render_compare_markdown(comparison), encoding="utf-8")
    table = Table("field", "A", "B", "Δ", title=escape(f"{run_b} vs {run_a}"))
    rows = {"headline_f1": comparison["headline_f1"], **comparison["fields"]}
    for name in ["headline_f1", *FIELDS, "grounding_rate"]:
        d = rows.get(name) or comparison.get(name)
        if d:
            table.add_row(name, _cell(d["a"]), _cell(d["b"]), _cell(d["delta"], signed=True))
    _out.print(table)
    worse = comparison["worse_articles"]
    if worse:
        _out.print(f"{len(worse)} article(s) worse: {', '.join(w['id'] for w in worse[:10])}", markup=False)
    if comparison["regression"]:
        _out.print(f"[red]regression[/]: headline F1 fell by more than {fail_below}")
        raise typer.Exit(1)
