"""`summarizer batch`: options in, `run_batch` works, a table (terminal) or a JSON line (pipe) out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from summarizer.batch import BatchOptions, run_batch
from summarizer.batch.progress import print_report
from summarizer.batch.ray_engine import RayOptions, run_ray_batch
from summarizer.batch.shards import merge as merge_results
from summarizer.cli.options import BackendOpt, BaseUrlOpt, ModelOpt, ModelPathOpt
from summarizer.config import load_settings
from summarizer.errors import ConfigError, SummarizerError

Opt = typer.Option


def batch_command(
    input: Annotated[Path, typer.Argument(help="JSONL/CSV (id, text, published, title, url) or .txt folder")],
    output: Annotated[Path, Opt("-o", "--output", help="Output JSONL; re-running skips ids already in it")],
    backend: BackendOpt = None,
    model: ModelOpt = None,
    model_path: ModelPathOpt = None,
    base_url: BaseUrlOpt = None,
    concurrency: Annotated[int, Opt(min=1, help="Articles in flight (openai backend)")] = 8,
    rpm: Annotated[float | None, Opt(help="Requests per minute allowed by your account")] = None,
    tpm: Annotated[float | None, Opt(help="Tokens per minute allowed by your account")] = None,
    article_timeout: Annotated[float, Opt(help="Seconds per article, retries included")] = 300.0,
    retry_failed: Annotated[bool, Opt("--retry-failed", help="Run failed ids again")] = False,
    no_cache: Annotated[bool, Opt("--no-cache", help="Do not read or write the response cache")] = False,
    dry_run: Annotated[bool, Opt("--dry-run", help="Estimate tokens and cost; call no model")] = False,
    mode: Annotated[str, Opt(help="live, or openai-batch (the Batch API: half price, up to 24 h)")] = "live",
    prices: Annotated[str | None, Opt(help="TOML/JSON price file, $ per 1M tokens by model")] = None,
    engine: Annotated[str, Opt(help="local (this process), or ray (Ray Data; -o is a directory of shards)")] = "local",
    address: Annotated[str | None, Opt(help="Ray cluster: auto or ray://host:10001; default a local one")] = None,
    num_workers: Annotated[int, Opt(min=1, help="Ray actors, one CPU each (--engine ray)")] = 2,
    merge: Annotated[bool, Opt("--merge", help="INPUT is a ray results directory: write it to -o as one file")] = False,
) -> None:
    """Summarize many articles into one JSONL line each; resumable, rate-limited and cached."""
    try:
        if mode not in ("live", "openai-batch"):
            raise ConfigError(f"unknown --mode {mode!r}; use live or openai-batch")
        cache = False if no_cache else None
        settings = load_settings(
            backend=backend, model=model, model_path=model_path, base_url=base_url, use_cache=cache
        )
        flags = {"retry_failed": retry_failed, "dry_run": dry_run, "mode": mode, "prices": prices}
        options = BatchOptions(concurrency, rpm, tpm, article_timeout, **flags)  # type: ignore[arg-type]
        if merge:
            typer.echo(json.dumps({"merged": merge_results(input, output), "output": str(output)}))
            return
        if engine not in ("local", "ray"):
            raise ConfigError(f"unknown --engine {engine!r}; use local or ray")
        if engine == "ray":
            report = run_ray_batch(input, output, settings, options, RayOptions(address, num_workers))
        else:
            report = run_batch(input, output, settings, options)
    except SummarizerError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if sys.stderr.isatty():
        print_report(report, Console(stderr=True))
    else:
        typer.echo(report.to_json())
    raise typer.Exit(1 if report.failed_ids else 0)


app = typer.Typer(add_completion=False)
app.command("batch")(batch_command)
