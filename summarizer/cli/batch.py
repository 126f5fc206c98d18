"""`summarizer batch`: options in, `run_batch` works, a table (terminal) or a JSON line (pipe) out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from summarizer.batch import BatchOptions, run_batch
from summarizer.batch.progress import print_report
from summarizer.cli.options import BackendOpt, BaseUrlOpt, ContextOpt, LlmModeOpt, ModelOpt, ModelPathOpt, TimeoutOpt
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
    llm_mode: LlmModeOpt = None,
    timeout: TimeoutOpt = None,
    context: ContextOpt = None,
    concurrency: Annotated[
        int | None, Opt(min=1, help="Articles in flight (openai backend); default 8, or 1 for a local server")
    ] = None,
    rpm: Annotated[float | None, Opt(help="Requests per minute allowed by your account")] = None,
    tpm: Annotated[float | None, Opt(help="Tokens per minute allowed by your account")] = None,
    article_timeout: Annotated[float, Opt(help="Seconds per article, retries included")] = 300.0,
    retry_failed: Annotated[bool, Opt("--retry-failed", help="Run failed ids again")] = False,
    no_cache: Annotated[bool, Opt("--no-cache", help="Do not read or write the response cache")] = False,
    dry_run: Annotated[bool, Opt("--dry-run", help="Estimate tokens and cost; call no model")] = False,
    mode: Annotated[str, Opt(help="live, or openai-batch (the Batch API: half price, up to 24 h)")] = "live",
    prices: Annotated[str | None, Opt(help="TOML/JSON price file, $ per 1M tokens by model")] = None,
) -> None:
    """Summarize many articles into one JSONL line each; resumable, rate-limited and cached."""
    try:
        if mode not in ("live", "openai-batch"):
            raise ConfigError(f"unknown --mode {mode!r}; use live or openai-batch")
        cache = False if no_cache else None
        settings = load_settings(
            backend=backend,
            model=model,
            model_path=model_path,
            base_url=base_url,
            use_cache=cache,
            llm_mode=llm_mode,
            timeout_s=timeout,
            context=context,
        )
        flags = {"retry_failed": retry_failed, "dry_run": dry_run, "mode": mode, "prices": prices}
        options = BatchOptions(concurrency, rpm, tpm, article_timeout, **flags)  # type: ignore[arg-type]
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
