"""Layer 6, the `summarizer` command: thin wrappers that parse options, call the library and print.

`summarize` is here; the `batch`, `eval` and `db` groups are imported only when invoked (or listed by
`--help`), so `summarizer summarize` never pays for the eval harness or the batch runner.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from summarizer.cli.options import (
    CONTEXT,
    BackendOpt,
    BaseUrlOpt,
    Command,
    ContextOpt,
    Group,
    LlmModeOpt,
    ModelFieldsOpt,
    ModelOpt,
    ModelPathOpt,
    StrategyOpt,
    TimeoutOpt,
    VerboseOpt,
    fail,
    quiet_retries,
    server_hint,
    settings_for,
    write_error,
)
from summarizer.errors import BackendError, InputError, SummarizerError
from summarizer.pipeline import summarize
from summarizer.render import render_json, render_markdown, render_summary_html, render_text, rows_csv
from summarizer.schema import Summary
from summarizer.text import read_article
from summarizer.text.fetch import is_url
from summarizer.version import __version__

LAZY_GROUPS = {"batch": "summarizer.cli.batch", "eval": "summarizer.cli.eval", "db": "summarizer.cli.db"}
"""Command name → module whose `app` holds it."""


class _LazyGroup(Group):
    # typer vendors click; its types are reached through the methods we override.
    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *LAZY_GROUPS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in LAZY_GROUPS:
            sub = typer.main.get_command(importlib.import_module(LAZY_GROUPS[cmd_name]).app)
            sub.name = cmd_name
            return sub
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    cls=_LazyGroup,
    context_settings=CONTEXT,
    add_completion=False,
    no_args_is_help=True,
    help="Structured, source-grounded summaries of news articles about violent events.\n\n"
    "Example: summarizer summarize article.txt --backend rules",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Structured, source-grounded summaries of news articles about violent events."""


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"
    csv = "csv"


@app.command("summarize", cls=Command)
def summarize_command(
    article: Annotated[
        str | None,
        typer.Argument(help="Article file (text or HTML), an http(s) URL, or - for stdin.", show_default="stdin"),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date: 2024-02-08, 2024-02-08T10:00Z, RFC 2822, 20240208100000 or 'February 8, 2024'.",
            show_default="the page's meta tags, else read from the text",
        ),
    ] = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    model_path: ModelPathOpt = None,
    base_url: BaseUrlOpt = None,
    strategy: StrategyOpt = None,
    model_fields: ModelFieldsOpt = None,
    llm_mode: LlmModeOpt = None,
    timeout: TimeoutOpt = None,
    context: ContextOpt = None,
    output_format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format.", show_default="from the -o extension, else text"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.", show_default="stdout")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the response cache.")] = False,
    verbose: VerboseOpt = False,
) -> None:
    """Summarize one article: who, what, where, when and casualties, each with its evidence.

    Example: summarizer summarize article.txt --backend rules --format json -o summary.json
    """
    quiet_retries(verbose)
    try:
        settings = settings_for(
            backend=backend, model=model, model_path=model_path, base_url=base_url, strategy=strategy,
            model_fields=model_fields, use_cache=False if no_cache else None, llm_mode=llm_mode, timeout_s=timeout,
            context=context,
        )  # fmt: skip
        fmt = output_format_for(output, output_format)
        source = article_source(article, sys.stdin.isatty())
        if output is not None and not is_url(source) and source != "-" and output.resolve() == Path(source).resolve():
            raise InputError("the output path is the input file; choose another -o")
        read = read_article(source)
        summary = summarize(read, published=published, settings=settings)
    except BackendError as exc:
        fail(server_hint(str(exc), settings.backend, settings.base_url))
    except SummarizerError as exc:
        fail(str(exc), exc.exit_code)
    rendered = _render(summary, read.text, fmt, output is None)
    if output is None:
        if rendered is not None:
            sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
        return
    try:
        output.write_text(rendered if rendered is not None else summary.model_dump_json(indent=2), encoding="utf-8")
    except OSError as exc:
        fail(write_error(output, exc))
    Console(stderr=True).print(f"wrote {output}")


FORMAT_BY_SUFFIX = {
    ".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown, ".html": Format.html,
    ".htm": Format.html, ".csv": Format.csv, ".txt": Format.text,
}  # fmt: skip
"""`-o FILE` without `-f`: the format its extension names (any other extension gets text)."""


def output_format_for(output: Path | None, given: Format | None) -> Format:
    """The format `-f` names, else the one `-o`'s extension names; a contradiction is an InputError."""
    named = FORMAT_BY_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if given is not None and named is not None and given is not named:
        raise InputError(f"-f {given.value} contradicts -o {output} (a .{named.value} name); "
                         f"drop -f, or name the file for {given.value}")  # fmt: skip
    return given or named or Format.text


def article_source(article: str | None, stdin_is_terminal: bool) -> str:
    """What to read: the argument, else stdin when something is piped into it."""
    if article is not None:
        return article
    if stdin_is_terminal:
        raise InputError(
            "no ARTICLE given: pass a file, an http(s) URL, or pipe the text in (cat a.txt | summarizer summarize)"
        )
    return "-"


def _render(summary: Summary, text: str, fmt: Format, to_terminal: bool) -> str | None:
    """The summary in `fmt`; None when it was printed straight to the terminal."""
    if fmt is Format.json:
        return render_json(summary)
    if fmt is Format.csv:
        return rows_csv([summary])
    if fmt is Format.markdown:
        return render_markdown(summary)
    if fmt is Format.html:
        return render_summary_html(summary, text)
    if to_terminal:
        Console().print(render_text(summary))
        return None
    console = Console(record=True, width=100, file=io.StringIO())
    console.print(render_text(summary))
    return console.export_text()


def main() -> None:
    """The console script: a bug shows as one line (SUMMARIZER_DEBUG=1 shows the traceback)."""
    if os.environ.get("SUMMARIZER_DEBUG"):
        app()
        return
    try:
        app(standalone_mode=True)
    except Exception as exc:
        Console(stderr=True).print(
            f"[red]internal error:[/red] {type(exc).__name__}: {exc} (rerun with SUMMARIZER_DEBUG=1 and report it)",
            highlight=False,
            soft_wrap=True,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
