"""`summarizer eval`: run an extractor over a gold dataset, score predictions offline, compare runs.

Each command parses its options, calls the library and prints; a `SummarizerError` or a failed write
becomes one line on stderr and exit code 2. `compare` exits 1 when run B regresses beyond `--fail-below`.
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
    Command,
    ContextOpt,
    LlmModeOpt,
    ModelFieldsOpt,
    ModelOpt,
    ModelPathOpt,
    StrategyOpt,
    TimeoutOpt,
    VerboseOpt,
    fail,
    new_app,
    quiet_retries,
    server_hint,
    settings_for,
    write_error,
)
from summarizer.config import describe
from summarizer.errors import SummarizerError
from summarizer.eval.compare import compare_runs, describe_scope
from summarizer.eval.datasets import load_dataset
from summarizer.eval.gold import read_predictions, write_predictions
from summarizer.eval.report import render_compare_markdown
from summarizer.eval.runs import (
    load_metrics,
    predict,
    record_eval_run,
    select_gold,
    write_predictions_csv,
    write_reports,
)
from summarizer.eval.scoring import FIELDS

HELP = """Run an extractor over a gold dataset, score saved predictions, compare runs.

Example: summarizer eval run --dataset seed --backend rules -o runs/rules-seed
"""
app = new_app(HELP, no_args_is_help=True)
_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)

DatasetArg = Annotated[
    str,
    typer.Option("--dataset", "-d", help="seed, gvdb-dev, muc-dev/-tst1/-tst2/-test, or a gold .jsonl / GVDB .tsv."),
]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="Directory for predictions, metrics, reports.")]


def _fail(exc: SummarizerError | OSError, path: Path | None = None) -> NoReturn:
    if isinstance(exc, OSError):
        fail(write_error(exc.filename or path or "output", exc))
    fail(str(exc))


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _headline(metrics: dict[str, Any], output: Path) -> None:
    rejected = metrics.get("rejected") or {}
    detail = f" ({', '.join(f'{k} {n}' for k, n in rejected.items())})" if rejected else ""
    _out.print(
        f"{metrics['n_articles']} articles · headline F1 {_fmt(metrics['headline_f1'])} · "
        f"grounding {_fmt(metrics['grounding_rate'])} · hallucinations {metrics['hallucinations']} · "
        f"rejected {metrics.get('n_rejected', 0)}{detail} · errors {metrics['n_errors']} → {output}",
        markup=False,
    )


# ---------------------------------------------------------------- commands


@app.command("run", cls=Command)
def run_command(
    dataset: DatasetArg,
    output: OutputOpt,
    backend: BackendOpt = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles.", show_default="all")] = None,
    model: ModelOpt = None,
    model_path: ModelPathOpt = None,
    base_url: BaseUrlOpt = None,
    strategy: StrategyOpt = None,
    model_fields: ModelFieldsOpt = None,
    verbose: VerboseOpt = False,
    llm_mode: LlmModeOpt = None,
    timeout: TimeoutOpt = None,
    context: ContextOpt = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="Also record the metrics in this events database's eval_runs")
    ] = None,
) -> None:
    """Extract every article of a dataset, then score and report.

    Example: summarizer eval run --dataset gvdb-dev --backend rules --limit 50 -o runs/rules-gvdb50
    """
    quiet_retries(verbose)
    try:
        gold = load_dataset(dataset, limit)
        settings = settings_for(
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
        write_predictions_csv(output / "predictions.csv", predictions)
        _, overlap = select_gold(gold, predictions)
        run = {"dataset": dataset, "backend": settings.backend, "settings": json.loads(describe(settings)),
               "overlap": overlap._asdict()}  # fmt: skip
        metrics = write_reports(output, gold, predictions, f"{dataset} · {settings.backend}", run)
        if db is not None:
            record_eval_run(db, output, metrics)
    except (SummarizerError, OSError) as exc:
        _fail(exc, output)
    _headline(metrics, output)
    errors = [p.error or "" for p in predictions.values() if p.status == "error"]
    if errors and len(errors) == len(predictions):
        fail(f"every article failed; the first: {server_hint(errors[0], settings.backend, settings.base_url)}")


@app.command("score", cls=Command)
def score_command(
    predictions: Annotated[Path, typer.Argument(help="Predictions JSONL (batch output format).")],
    gold: Annotated[str, typer.Argument(help="Gold JSONL, GVDB TSV, or a dataset name (seed, gvdb-dev).")],
    output: OutputOpt,
    all_gold: Annotated[
        bool, typer.Option("--all-gold", help="Score every gold article; those without a prediction are misses.")
    ] = False,
) -> None:
    """Score existing predictions against gold, offline: only the articles in both, unless --all-gold.

    Example: summarizer eval score out.jsonl gvdb-dev -o runs/batch-scored
    """
    try:
        articles = load_dataset(gold)
        preds = read_predictions(predictions)
        scored, overlap = select_gold(articles, preds, all_gold)
        _err.print(overlap.describe(), markup=False)
        run = {"dataset": gold, "predictions": str(predictions), "overlap": overlap._asdict()}
        metrics = write_reports(output, scored, preds, f"{gold} · {predictions.name}", run)
    except (SummarizerError, OSError) as exc:
        _fail(exc, output)
    _headline(metrics, output)


def _cell(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:+d}" if signed else str(value)
    text = f"{value:+.3f}" if signed else f"{value:.3f}"
    if signed and abs(value) > 1e-9:
        return f"[{'green' if value > 0 else 'red'}]{text}[/]"
    return text


@app.command("compare", cls=Command)
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="Baseline run directory (or its metrics.json).")],
    run_b: Annotated[Path, typer.Argument(help="New run directory (or its metrics.json).")],
    fail_below: Annotated[
        float | None,
        typer.Option(help="Exit 1 if headline F1 drops by more than this, e.g. 0.02.", show_default="never fail"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write this Markdown file.", show_default="none")
    ] = None,
) -> None:
    """Per-field F1 deltas of run B against run A over the same articles; exit code 1 on a regression.

    Runs over different datasets are refused (exit 2); runs over overlapping article sets are compared on
    the shared articles only.

    Example: summarizer eval compare runs/rules-gvdb runs/local-gvdb --fail-below 0.02
    """
    try:
        comparison = compare_runs(load_metrics(run_a), load_metrics(run_b), fail_below)
        if output is not None:
            output.write_text(render_compare_markdown(comparison), encoding="utf-8")
    except (SummarizerError, OSError) as exc:
        _fail(exc, output)
    scope = describe_scope(comparison)
    if scope:
        _err.print(scope, markup=False)
    table = Table("field", "A", "B", "Δ", title=escape(f"{run_b} vs {run_a}"))
    rows = {"headline_f1": comparison["headline_f1"], **comparison["fields"]}
    for name in ["headline_f1", *FIELDS, "grounding_rate", "n_rejected"]:
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
