"""Human-readable renderings of one `Summary`: rich text for the terminal, Markdown and a self-contained
HTML page. Article text and model output are untrusted: every piece of either goes through `escape`."""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer.schema import CasualtyClaim, Count, Event, Evidence, Grounded, Summary

CSS = """
body{font:14px/1.5 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.bar{background:#eee;width:240px;height:14px}
.bar div{background:#3b7dd8;height:14px}.cols{display:grid;grid-template-columns:3fr 2fr 2fr;gap:1em}
.text{white-space:pre-wrap;border:1px solid #ddd;padding:.8em;max-height:32em;overflow:auto}
mark.g{background:#ffe58a}mark.p{background:#b8e6b0}mark.g.p{background:#9fd3ff}
.event{border:1px solid #ddd;padding:.5em;margin-bottom:.6em}.primary{border-color:#3b7dd8}
.muted{color:#777}details{margin:1em 0;border-top:1px solid #ccc;padding-top:.5em}
"""


def fmt_count(count: Count | None) -> str:
    if count is None:
        return "—"
    if count.low is not None and count.high is not None and count.low != count.high:
        return f"{count.low}–{count.high}"
    if count.high is None and count.low is not None:
        return f"≥{count.low}"
    if count.low is None and count.high is not None:
        return f"≤{count.high}"
    return str(count.best)


def _quotes(evidence: list[Evidence]) -> str:
    return " · ".join(f"“{e.quote[:140]}”" for e in evidence[:2])


def _rows(event: Event) -> list[tuple[str, str, str]]:
    where = ", ".join(x for x in (event.where.place, event.where.admin1, event.where.country) if x) or "—"
    if event.where.country_code:
        where += f" ({event.where.country_code})"
    when = event.when.date or (f"unresolved: {event.when.phrase}" if event.when.phrase else "—")
    if event.when.date and event.when.precision in ("month", "year"):
        when = event.when.date[: 7 if event.when.precision == "month" else 4] + f" ({event.when.precision})"
    elif event.when.date and event.when.precision == "week":
        when = f"week of {event.when.date}"
    if event.when.time:
        when += f" {event.when.time}"
    if event.when.relative and event.when.date:
        when += " (from a relative phrase)"
    rows = [
        ("what", f"{event.what.type}: {event.what.description}", _quotes(event.what.evidence)),
        ("where", where, _quotes(event.where.evidence)),
        ("when", when, _quotes(event.when.evidence)),
    ]
    rows += [(f"who ({a.role})", f"{a.name} [{a.kind}]", _quotes(a.evidence)) for a in event.who]
    rows += [("casualties", _claim(c), f"“{_around_figure(c)}”") for c in event.casualties]
    return rows


def _around_figure(claim: CasualtyClaim, width: int = 140) -> str:
    """The claim's sentence, cropped around the figure so the number is always shown."""
    sentence = claim.evidence[0]
    if len(sentence.quote) <= width or len(claim.evidence) < 2:
        return sentence.quote[:width]
    at = claim.evidence[1].start - sentence.start
    begin = max(0, min(at - width // 3, len(sentence.quote) - width))
    crop = sentence.quote[begin : begin + width]
    return ("…" if begin else "") + crop + ("…" if begin + width < len(sentence.quote) else "")


def _claim(claim: CasualtyClaim) -> str:
    parts = [f"killed {fmt_count(claim.killed)}", f"injured {fmt_count(claim.injured)}"]
    if claim.qualifier and claim.qualifier not in ("at least", "more than", "up to", "range"):  # ≥, ≤, – say it
        parts[0 if claim.killed else 1] += f" ({claim.qualifier})"
    if claim.source:
        parts.append(f"per {claim.source}")
    return " · ".join(parts)


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
        for row in _rows(event):
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
        for name, value, quotes in _rows(event):
            lines.append(f"| {name} | {_cell(value)} | {_cell(quotes)} |")
    if summary.warnings:
        lines += ["", "## Notes", ""] + [f"- {w}" for w in summary.warnings]
    lines += ["", f"_{run_line(summary)}_", ""]
    return "\n".join(lines)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


# ---------------------------------------------------------------- HTML


def escape(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def evidence_of(events: Iterable[Event]) -> Iterable[Evidence]:
    for event in events:
        values: list[Grounded] = [event.what, *event.who, event.where, event.when, *event.casualties]
        for value in values:
            yield from value.evidence


def highlight(text: str, marks: Mapping[str, Iterable[Evidence]]) -> str:
    """The escaped text with every verified span wrapped in <mark class="…"> (one class per source)."""
    spans = [
        (e.start, e.end, cls)
        for cls, evs in marks.items()
        for e in evs
        if 0 <= e.start < e.end <= len(text) and text[e.start : e.end] == e.quote
    ]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for start, end in itertools.pairwise(cuts):
        classes = sorted({cls for s, e, cls in spans if s <= start and end <= e})
        piece = escape(text[start:end])
        out.append(f'<mark class="{" ".join(classes)}">{piece}</mark>' if classes else piece)
    return "".join(out)


def _count(event: Event, kind: Literal["killed", "injured"]) -> str:
    count = event.figure(kind)
    if count is None:
        return "–"
    if count.low is not None and count.high is not None and count.low != count.high:
        return f"{count.best} ({count.low}–{count.high})"
    return str(count.value)


def event_html(event: Event, *, when: str | None = None, badge: str | None = None) -> str:
    """One event as a small escaped card; `when` overrides the date shown, `badge` marks the type line."""
    who = "; ".join(f"{escape(a.name)} <span class=muted>({escape(a.role)})</span>" for a in event.who) or "–"
    w = event.where
    where = ", ".join(escape(v) for v in (w.place, w.admin1, w.country, w.country_code) if v) or "–"
    if when is None:
        when = (event.when.date or "–") + (f" {event.when.time}" if event.when.time else "")
    mark = f" <span class=muted>({escape(badge)})</span>" if badge else ""
    rows = [
        ("what", f"<b>{escape(event.what.type)}</b>{mark} {escape(event.what.description)}"),
        ("who", who),
        ("where", where),
        ("when", escape(when)),
        ("killed", escape(_count(event, "killed"))),
        ("injured", escape(_count(event, "injured"))),
    ]
    body = "".join(f"<div><span class=muted>{k}:</span> {v}</div>" for k, v in rows)
    return f'<div class="event{" primary" if event.primary else ""}">{body}</div>'


def page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{escape(title)}</title>"
        f"<style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def render_summary_html(summary: Summary, text: str) -> str:
    """One article: its text with evidence marked, and the extracted events beside it."""
    marked = highlight(text, {"p": evidence_of(summary.events)})
    events = "".join(event_html(e) for e in summary.events) or "<p class=muted>no events found</p>"
    notes = "".join(f"<li>{escape(w)}</li>" for w in summary.warnings)
    title = summary.article.title or summary.article.id or "Summary"
    body = (
        f"<h1>{escape(title)}</h1><div class=cols style='grid-template-columns:3fr 2fr'>"
        f"<div class=text>{marked}</div><div>{events}<ul>{notes}</ul>"
        f"<p class=muted>{escape(summary.run.backend)} · {escape(summary.run.model)}</p></div></div>"
    )
    return page(title, body)
