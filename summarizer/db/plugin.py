"""The Datasette plugin `db serve` registers: the event view route, and a link in every `view` cell.

Imported only by `serve` (Datasette is the optional `db` extra)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from datasette import Response
from datasette import hookimpl as _hookimpl
from markupsafe import Markup

from summarizer.db.rows import EVENT_VIEW
from summarizer.db.view import event_page

hookimpl: Callable[[Callable[..., Any]], Callable[..., Any]] = _hookimpl  # pluggy's marker, typed
_EVENT_SQL = "select a.summary, a.text, e.idx from events e join articles a on a.id = e.article_key where e.id = ?"


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(f"^{EVENT_VIEW}$", _event)]


@hookimpl
def render_cell(value: Any, column: str) -> Markup | None:
    if column == "view" and isinstance(value, str) and value.startswith(EVENT_VIEW + "?"):
        return Markup(f'<a href="{html.escape(value)}">grounded view</a>')
    return None


async def _event(datasette: Any, request: Any) -> Any:
    event_id = request.args.get("id") or ""
    db = datasette.get_database()
    row = (await db.execute(_EVENT_SQL, [event_id])).first()
    if row is None or not row["summary"]:
        return Response.html(f"<p>no event {html.escape(event_id)}</p>", status=404)
    wanted = quote(event_id, safe="")
    links = {
        "event row": f"{datasette.urls.table(db.name, 'events')}?id={wanted}",
        "its quotes": f"{datasette.urls.database(db.name)}/event_with_evidence?event_id={wanted}",
    }
    return Response.html(event_page(row["summary"], row["text"], int(row["idx"]), links))
