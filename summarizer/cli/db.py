"""`summarizer db`: the events database. `import` records an existing results file, `serve` browses it in
Datasette (the `db` extra), `export` writes one row per event in the ACLED/UCDP shape."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Annotated, Literal

import typer

from summarizer.batch.dbsink import record_results
from summarizer.cli.options import Command, fail, new_app, write_error
from summarizer.db import EventsDB, acled_csv
from summarizer.db.serve import serve
from summarizer.errors import SummarizerError

HELP = """The events database (SQLite): import results, browse them in Datasette, export events.

Example: summarizer db import out.jsonl events.db --input articles.jsonl && summarizer db serve events.db
"""
app = new_app(HELP, no_args_is_help=True)
DbArg = Annotated[Path, typer.Argument(help="The events database file (SQLite), e.g. events.db")]


@app.command("import", cls=Command)
def import_command(
    results: Annotated[Path, typer.Argument(help="Results JSONL written by `summarizer batch` (or a ray results dir)")],
    db: DbArg,
    input: Annotated[
        Path | None, typer.Option("--input", help="The batch input: article text, title and url come from it")
    ] = None,
) -> None:
    """Record a results file in the database; importing again adds nothing (upserts by article id).

    Example: summarizer db import out.jsonl events.db --input articles.jsonl
    """
    if not results.exists():
        fail(f"results not found: {results}")
    if input is not None and not input.exists():
        fail(f"input not found: {input}")
    try:
        written = record_results(db, results, input, force=True)
    except SummarizerError as exc:
        fail(str(exc))
    except (OSError, sqlite3.Error) as exc:
        fail(f"cannot write {db}: {exc}")
    typer.echo(json.dumps({"imported": written, "results": str(results), "db": str(db)}))


@app.command("serve", cls=Command)
def serve_command(
    db: DbArg,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on")] = 8001,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 exposes it to the network)")] = "127.0.0.1",
) -> None:
    """Browse the database in Datasette: every table and column described, canned queries, event views.

    Example: summarizer db serve events.db --port 8001   (then open /events/deaths_by_country_month)
    """
    try:
        serve(db, host, port)
    except SummarizerError as exc:
        fail(str(exc))


@app.command("export", cls=Command)
def export_command(
    db: DbArg,
    export_format: Annotated[
        Literal["acled"], typer.Option("--format", "-f", help="acled: one row per event, ACLED/UCDP columns")
    ] = "acled",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the CSV here", show_default="stdout")
    ] = None,
) -> None:
    """Every event of every run in the database as CSV in the ACLED/UCDP shape (columns in the README).

    Example: summarizer db export events.db --format acled -o events.csv
    """
    if not db.is_file():
        fail(f"no events database at {db}")
    try:
        events = EventsDB(db)
        try:
            text = acled_csv(events)
        finally:
            events.close()
    except SummarizerError as exc:
        fail(str(exc))
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(write_error(output, exc))
