"""The grounded HTML view of one event: its article's text with that event's evidence highlighted, rendered
by `summarizer.render` (everything from the article or a model is escaped there)."""

from __future__ import annotations

import json

from summarizer.render import escape, render_summary_html
from summarizer.schema import Summary

NO_TEXT = "the article text is not in the database (import with --input to see the evidence in place)"


def event_page(summary_json: str, text: str | None, index: int, links: dict[str, str] | None = None) -> str:
    """The page for event number `index` (1-based) of the summary stored with its article; `links` (label →
    URL, ours) are shown above it, e.g. back to the event's row in Datasette."""
    summary = Summary.model_validate(json.loads(summary_json))
    event = summary.events[index - 1].model_copy(update={"primary": True})
    title = f"{summary.article.title or summary.article.id or 'article'} · event {index} of {len(summary.events)}"
    article = summary.article.model_copy(update={"title": title})
    warnings = summary.warnings if text else [NO_TEXT, *summary.warnings]
    one = summary.model_copy(update={"events": [event], "article": article, "warnings": warnings})
    page = render_summary_html(one, text or "")
    if links:
        nav = " · ".join(f'<a href="{escape(url)}">{escape(label)}</a>' for label, url in links.items())
        page = page.replace("<body>", f"<body><p class=muted>{nav}</p>", 1)
    return page
