"""Rich text for the terminal and Markdown, one table of rows per event."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer.render.values import (
    KINDS,
    claim_quote,
    claim_text,
    clean_description,
    crop,
    range_text,
    when_text,
    where_text,
)
from summarizer.schema import Event, Evidence, Summary

# ---------------------------------------------------------------- text and markdown


def _quotes(evidence: list[Evidence]) -> str:
    return " · ".join(f"“{crop(e.quote)}”" for e in evidence[:2])


def _rows(event: Event, published: str | None) -> list[tuple[str, str, str]]:
    rows = [
        ("what", f"{event.what.type}: {clean_description(event.what.description)}", _quotes(event.what.evidence)),
        ("where", where_text(event), _quotes(event.where.evidence)),
        ("when", when_text(event.when, published), _quotes(event.when.evidence)),
    ]
    rows += [(f"who ({a.role})", a.name + (f" [{a.kind}]" if a.kind != "unknown" else ""), _quotes(a.evidence))
             for a in event.who]  # fmt: skip
    rows += [(kind, range_text(event, kind), "") for kind in KINDS]
    rows += [("  claim", claim_text(c), f"“{q}”" if (q := claim_quote(c)) else "") for c in event.casualties]
    return rows


def render_text(summary: Summary) -> RenderableType:
    head = Text(summary.article.title or "(untitled article)", style="bold")
    published = summary.article.published or "unknown"
    head.append(f"\npublished {published} (from {summary.article.published_source})", style="dim")
    parts: list[RenderableType] = [head]
    if not summary.events:
        parts.append(Text("No violent event found in the article.", style="yellow"))
    for i, event in enumerate(summary.events, 1):
        table = Table(show_header=False, box=None, padding=(0, 1))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        table.add_column(style="dim italic")
        for row in _rows(event, summary.article.published):
            table.add_row(*row)
        title = "PRIMARY EVENT" if event.primary else f"event {i}"
        parts.append(Panel(table, title=title, title_align="left"))
    for warning in summary.warnings:
        parts.append(Text(f"note: {warning}", style="yellow"))
    parts.append(Text(run_line(summary), style="dim"))
    return Group(*parts)


def run_line(summary: Summary) -> str:
    """Who answered, honestly: "rules" with the reason when no model was asked; cached calls as cached."""
    run = summary.run
    if run.model == "rules":
        head = "rules" + (f" ({run.note})" if run.note else "")
    else:
        usage = run.usage
        spent = f"{usage.calls} call(s), {usage.prompt_tokens}+{usage.completion_tokens} tokens"
        if usage.cached_calls:
            spent += f", {usage.cached_calls} cached"
        head = f"{run.backend} · {run.model} · {spent}"
    return f"{head} · {run.duration_s:.1f}s"


def render_markdown(summary: Summary) -> str:
    lines = [f"# {summary.article.title or 'Summary'}", ""]
    lines.append(f"Published: {summary.article.published or 'unknown'} ({summary.article.published_source})")
    if not summary.events:
        lines += ["", "No violent event found in the article."]
    for i, event in enumerate(summary.events, 1):
        lines += ["", f"## {'Primary event' if event.primary else f'Event {i}'}", "",
                  "| field | value | evidence |", "|---|---|---|"]  # fmt: skip
        for name, value, quotes in _rows(event, summary.article.published):
            lines.append(f"| {_cell(name.strip())} | {_cell(value)} | {_cell(quotes)} |")
    if summary.warnings:
        lines += ["", "## Notes", ""] + [f"- {w}" for w in summary.warnings]
    lines += ["", f"_{run_line(summary)}_", ""]
    return "\n".join(lines)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")
