"""`summarizer batch`: options in, `run_batch` works, a table (terminal) or a JSON line (pipe) out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from summarizer.batch import BatchInterrupted, BatchOptions, results_csv, run_batch
from summarizer.batch.dbsink import record_results
from summarizer.batch.io import InputFields
from summarizer.batch.progress import print_report
from summarizer.batch.ray_engine import RayOptions, run_ray_batch
from summarizer.batch.shards import merge as merge_results
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
from summarizer.errors import BackendError, SummarizerError

Opt = typer.Option
_NO = "no limit"


def batch_command(
    input: Annotated[Path, typer.Argument(help="JSONL/CSV (id, text, published, title, url) or .txt folder")],
    output: Annotated[Path, Opt("-o", "--output", help="Output JSONL; re-running skips ids already in it")],
    backend: BackendOpt = None,
    model: ModelOpt = None,
    model_path: ModelPathOpt = None,
    base_url: BaseUrlOpt = None,
    strategy: StrategyOpt = None,
    model_fields: ModelFieldsOpt = None,
    llm_mode: LlmModeOpt = None,
    timeout: TimeoutOpt = None,
    context: ContextOpt = None,
    concurrency: Annotated[
        int | None, Opt(min=1, help="Articles in flight (openai backend); default 8, or 1 for a local server")
    ] = None,
    rpm: Annotated[
        float | None, Opt(min=0.01, help="Requests per minute your account allows", show_default="no limit")
    ] = None,
    tpm: Annotated[
        float | None, Opt(min=1, help="Tokens per minute allowed by your account", show_default="no limit")
    ] = None,
    article_timeout: Annotated[float, Opt(min=0.01, help="Seconds per article, retries included")] = 300.0,
    retry_failed: Annotated[bool, Opt("--retry-failed", help="Run failed ids again")] = False,
    no_cache: Annotated[bool, Opt("--no-cache", help="Do not read or write the response cache")] = False,
    dry_run: Annotated[bool, Opt("--dry-run", help="Estimate tokens and cost; call no model")] = False,
    mode: Annotated[
        Literal["live", "openai-batch"], Opt(help="live, or openai-batch (the Batch API: half price, up to 24 h)")
    ] = "live",
    prices: Annotated[
        str | None, Opt(help="TOML/JSON price file, $ per 1M tokens by model", show_default="built-in list prices")
    ] = None,
    verbose: VerboseOpt = False,
    engine: Annotated[
        Literal["local", "ray"], Opt(help="local (this process), or ray (Ray Data; -o is a directory of shards)")
    ] = "local",
    address: Annotated[str | None, Opt(help="Ray cluster: auto or ray://host:10001", show_default="local")] = None,
    num_workers: Annotated[
        int | None,
        Opt(
            min=1,
            help="Processes: rules/local backends with --engine local (1: this process only); Ray actors",
            show_default="one per core (local), 2 (ray)",
        ),
    ] = None,
    merge: Annotated[bool, Opt("--merge", help="INPUT is a ray results directory: write it to -o as one file")] = False,
    text_field: Annotated[
        str, Opt("--text-field", help="JSONL key / CSV column holding the article text, e.g. body or content")
    ] = "text",
    id_field: Annotated[str, Opt("--id-field", help="JSONL key / CSV column holding the article id")] = "id",
    output_format: Annotated[
        Literal["jsonl", "csv"],
        Opt("--format", "-f", help="jsonl (the resumable results), or csv: also write one row per event to OUT.csv"),
    ] = "jsonl",
    db: Annotated[
        Path | None, Opt("--db", help="Also keep this events database (SQLite) in step with the results")
    ] = None,
) -> None:
    """Summarize many articles into one JSONL line each; resumable, rate-limited and cached.

    Example: summarizer batch articles.jsonl -o out.jsonl --backend openai --rpm 500 --dry-run
    """
    quiet_retries(verbose)
    settings = None
    try:
        cache = False if no_cache else None
        settings = settings_for(
            backend=backend, model=model, model_path=model_path, base_url=base_url, use_cache=cache,
            llm_mode=llm_mode, timeout_s=timeout, context=context, strategy=strategy,
            model_fields=model_fields,
        )  # fmt: skip
        flags = {"retry_failed": retry_failed, "dry_run": dry_run, "mode": mode, "prices": prices,
                 "fields": InputFields(text=text_field, id=id_field),
                 "db": str(db) if db else None}  # fmt: skip
        options = BatchOptions(concurrency, rpm, tpm, article_timeout, num_workers=num_workers, **flags)  # type: ignore[arg-type]
        if merge:
            typer.echo(json.dumps({"merged": merge_results(input, output), "output": str(output)}))
            return
        if engine == "ray":
            report = run_ray_batch(input, output, settings, options, RayOptions(address, num_workers or 2))
        else:
            report = run_batch(input, output, settings, options)
        if output_format == "csv" and not dry_run:
            csv_path = csv_path_for(output)
            csv_path.write_text(results_csv(output), encoding="utf-8")
            report.notes.append(f"one row per event in {csv_path}")
        if db is not None and not dry_run:
            record_results(db, output, input, report.cost_usd)  # the ray driver's shards; a no-op check otherwise
            report.notes.append(f"events database {db} (summarizer db serve {db})")
    except BatchInterrupted as exc:
        typer.echo(str(exc), err=True)  # what was written stays: the same command resumes
        raise typer.Exit(128 + exc.signal_number) from None
    except BackendError as exc:
        fail(server_hint(str(exc), settings.backend if settings else None, settings.base_url if settings else None))
    except SummarizerError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(write_error(exc.filename or output, exc))
    if sys.stderr.isatty():
        print_report(report, Console(stderr=True))
    else:
        typer.echo(report.to_json())
    raise typer.Exit(1 if report.failed_ids else 0)


def csv_path_for(output: Path) -> Path:
    """out.jsonl → out.csv; a results directory (--engine ray) → a .csv beside it."""
    return output.with_suffix(".csv") if output.suffix else output.with_name(output.name + ".csv")


app = new_app(None)
app.command("batch", cls=Command)(batch_command)
