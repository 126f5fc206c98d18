"""`db serve`: Datasette over the events database, with the description of every table and column, the
canned queries of `data/queries/*.sql` and the event view plugin. Datasette is the optional `db` extra."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from summarizer.db.store import EventsDB
from summarizer.db.tables import specs
from summarizer.errors import ConfigError, InputError

INSTALL_HINT = "db serve needs Datasette: pip install 'summarizer[db]'"
TITLE = "summarizer events"
DESCRIPTION = (
    "Events extracted from news articles, each value with the quotes it rests on. One row per event as each "
    "article reports it: articles about the same event are not merged."
)


def canned_queries() -> dict[str, dict[str, str]]:
    """Name → sql, title and description (the SQL file's leading `--` comment lines)."""
    folder = resources.files("summarizer.db").joinpath("data/queries")
    queries = {}
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".sql"):
            continue
        sql = file.read_text(encoding="utf-8")
        comment = " ".join(ln.removeprefix("--").strip() for ln in sql.splitlines() if ln.startswith("--"))
        name = file.name.removesuffix(".sql")
        queries[name] = {"sql": sql, "title": name.replace("_", " "), "description": comment}
    return queries


MEASURES = {"precision": "Precision", "recall": "Recall", "f1": "F1"}


def metadata(database: str, eval_columns: list[str] | None = None) -> dict[str, Any]:
    """Datasette metadata; `eval_columns` are the eval_runs columns the database has (one per field and
    measure, added as runs bring fields), each described too."""
    columns = {s.name: dict(s.descriptions) for s in specs().values()}
    described = columns["eval_runs"]
    for column in eval_columns or []:
        field, _, measure = column.rpartition("_")
        if column not in described and field and measure in MEASURES:
            described[column] = f"{MEASURES[measure]} of the {field} field"
    tables = {s.name: {"description": s.description, "columns": columns[s.name]} for s in specs().values()}
    return {"title": TITLE, "description": DESCRIPTION,
            "databases": {database: {"tables": tables, "queries": canned_queries()}}}  # fmt: skip


def datasette_app(path: Path) -> Any:
    """A `datasette.app.Datasette` over `path` (which must exist), the plugin registered."""
    if not path.is_file():
        raise InputError(f"no events database at {path}; create one with `summarizer batch ... --db {path}`")
    events = EventsDB(path)  # tables a newer version added are created before Datasette reads the schema
    eval_columns = [c.name for c in events.db.table("eval_runs").columns]
    events.close()
    try:
        from datasette.app import Datasette
        from datasette.plugins import pm

        from summarizer.db import plugin
    except ImportError as exc:
        raise ConfigError(INSTALL_HINT) from exc
    if not pm.is_registered(plugin):
        pm.register(plugin, name="summarizer-events")
    return Datasette([str(path)], metadata=metadata(path.stem, eval_columns))


def serve(path: Path, host: str, port: int) -> None:
    app = datasette_app(path)
    import uvicorn  # installed with Datasette

    uvicorn.run(app.app(), host=host, port=port, log_level="warning")
