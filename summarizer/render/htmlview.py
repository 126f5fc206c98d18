"""A self-contained HTML page of one summary, and the pieces the eval report reuses (cards, highlighting).
Article text and model output are untrusted: every piece of either goes through `escape`."""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from summarizer.render.values import (
    KINDS,
    claim_quote,
    claim_text,
    clean_description,
    range_text,
    when_text,
    where_text,
)
from summarizer.schema import Event, Evidence, Grounded, Summary

Span = tuple[int, int]
"""(start, end) of an evidence span in the article text."""
VIEW_FIELDS = ("what", "who", "where", "when", "casualties")
"""The field groups the HTML colours, each with its own evidence colour (see `CSS`)."""
FIELD_COLOURS = {"who": "#ffd6a5", "where": "#a8e0f0", "when": "#c7f0b0", "casualties": "#ffb3b3"}
"""Evidence backgrounds; `what` (whole sentences, usually) is a purple underline so other fields show on it."""


def _field_css() -> str:
    """One background per field; a span that supports two fields shows both colours, half and half."""
    rules = [f"mark.f-{f},.k.f-{f}{{background:{c}}}" for f, c in FIELD_COLOURS.items()]
    rules += [f"mark.f-{a}.f-{b}{{background:linear-gradient({FIELD_COLOURS[a]} 50%,{FIELD_COLOURS[b]} 50%)}}"
              for a, b in itertools.combinations(FIELD_COLOURS, 2)]  # fmt: skip
    return "\n".join(rules) + "\n"


CSS = """
*{box-sizing:border-box}
body{font:15px/1.55 system-ui,sans-serif;margin:0 auto;max-width:1280px;color:#222;padding:.5em 1em 2em}
h1{font-size:1.4em;line-height:1.25;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.scroll{overflow-x:auto;max-width:100%}
.bar{background:#eee;width:10em;height:14px}.bar div{background:#3b7dd8;height:14px}
.cols{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1em;align-items:start}
.pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:.8em}
@media (max-width:800px){.cols,.pair{grid-template-columns:minmax(0,1fr)}.cols>.events{order:-1}}
.text{white-space:pre-wrap;border:1px solid #ddd;padding:.8em;overflow-wrap:anywhere;line-height:1.7}
.event{border:1px solid #ddd;border-radius:4px;padding:.5em .6em;margin-bottom:.6em;overflow-wrap:anywhere}
.primary{border:2px solid #3b7dd8}.muted{color:#666}.claims{margin:.2em 0 .2em 1.2em;padding:0}
.claims li{margin:.15em 0}.q{color:#555;font-style:italic}
.k{display:inline-block;min-width:5.5em;padding:0 .3em;border-radius:3px;font-weight:600}
mark{color:inherit;padding:0;border-radius:2px}mark a{color:inherit;text-decoration:none}
.event:target{outline:3px solid #3b7dd8}
mark.f-what{background:none;box-shadow:inset 0 -2px #8e44ad}.k.f-what{background:#ead7f2}
mark.g{background:#ffe58a}mark.p{background:#b8e6b0}mark.g.p{background:#9fd3ff}
.legend{display:flex;flex-wrap:wrap;gap:.4em;margin:.4em 0}
details{margin:.8em 0;border-top:1px solid #ccc;padding-top:.4em}summary{cursor:pointer}
""" + _field_css()


# ---------------------------------------------------------------- HTML


def escape(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def evidence_of(events: Iterable[Event]) -> Iterable[Evidence]:
    for event in events:
        values: list[Grounded] = [event.what, *event.who, event.where, event.when, *event.casualties]
        for value in values:
            yield from value.evidence


def exact_spans(value: Grounded) -> list[Evidence]:
    """The value's own spans: a span that contains another span of the same value (a claim's sentence
    around its figure and source) is dropped for the narrower ones."""
    ev = value.evidence
    return [e for e in ev if not any(o is not e and e.start <= o.start and o.end <= e.end and o != e for o in ev)]


def field_spans(events: Iterable[Event]) -> dict[str, list[Evidence]]:
    """Exact evidence spans per field group (`VIEW_FIELDS`)."""
    spans: dict[str, list[Evidence]] = {name: [] for name in VIEW_FIELDS}
    for event in events:
        groups: dict[str, list[Grounded]] = {
            "what": [event.what], "who": list(event.who), "where": [event.where], "when": [event.when],
            "casualties": list(event.casualties),
        }  # fmt: skip
        for name, values in groups.items():
            spans[name] += [e for v in values for e in exact_spans(v)]
    return spans


_MARK_TITLES = {"g": "gold", "p": "predicted"}


def highlight(
    text: str, marks: Mapping[str, Iterable[Evidence]], owners: Mapping[Span, Iterable[int]] | None = None
) -> str:
    """The escaped text with every verified span wrapped in <mark class="…"> (one class per source). `owners`
    maps a span (start, end) to the numbers of the events it supports: such a mark names them in
    `data-event` and its title, and links to the first one's card (`#event-N`)."""
    spans = [
        (e.start, e.end, cls)
        for cls, evs in marks.items()
        for e in evs
        if 0 <= e.start < e.end <= len(text) and text[e.start : e.end] == e.quote
    ]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for start, end in itertools.pairwise(cuts):
        covering = [(s, e, cls) for s, e, cls in spans if s <= start and end <= e]
        piece = escape(text[start:end])
        if not covering:
            out.append(piece)
            continue
        classes = sorted({cls for _, _, cls in covering})
        events = sorted({n for s, e, _ in covering for n in (owners or {}).get((s, e), ())})
        out.append(_mark(piece, classes, events))
    return "".join(out)


def _mark(piece: str, classes: list[str], events: list[int]) -> str:
    title = ", ".join(_MARK_TITLES.get(c, c.removeprefix("f-")) for c in classes)
    if not events:
        return f'<mark class="{" ".join(classes)}" title="{escape(title)}">{piece}</mark>'
    title += " · " + ", ".join(f"event {n}" for n in events)
    data = " ".join(str(n) for n in events)
    return (
        f'<mark class="{" ".join(classes)}" data-event="{data}" title="{escape(title)}">'
        f'<a href="#event-{events[0]}">{piece}</a></mark>'
    )


def _label(name: str, field: str | None = None, note: str = "") -> str:
    cls = f"k f-{field}" if field else "k"
    return f"<span class='{cls}'>{escape(name)}</span>{note}"


def _q(quote: str) -> str:
    return f" <span class=q>“{escape(quote)}”</span>" if quote else ""


def _casualties_html(event: Event) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = [(kind, "casualties", escape(range_text(event, kind))) for kind in KINDS]
    claims = "".join(f"<li>{escape(claim_text(c))}{_q(claim_quote(c))}</li>" for c in event.casualties)
    if claims:
        rows.append(("claims", "casualties", f"<ol class=claims>{claims}</ol>"))
    return rows


def event_html(
    event: Event, published: str | None = None, failures: Mapping[str, str] | None = None, *,
    when: str | None = None, badge: str | None = None, number: int | None = None,
) -> str:  # fmt: skip
    """One event as a small escaped card; `failures` maps a row (what, who, where, when, killed, injured)
    to the reason it was scored wrong, shown beside it; `when` overrides the date shown (gold date windows),
    `badge` marks the type line (e.g. "optional"); `number` heads the card "event N" with the id `event-N`
    the highlights link to."""
    who = "; ".join(f"{escape(a.name)} <span class=muted>({escape(a.role)})</span>" for a in event.who) or "—"
    mark = f" <span class=muted>({escape(badge)})</span>" if badge else ""
    rows = [
        ("what", "what", f"<b>{escape(event.what.type)}</b>{mark} {escape(clean_description(event.what.description))}"),
        ("who", "who", who),
        ("where", "where", escape(where_text(event))),
        ("when", "when", escape(when if when is not None else when_text(event.when, published))),
        *_casualties_html(event),
    ]
    failures = failures or {}
    body = "".join(
        f"<div class='row{' fail' if name in failures else ''}' data-field='{name}'>{_label(name, field)} {value}"
        + (f" <span class=reason>✗ {escape(failures[name])}</span>" if name in failures else "")
        + "</div>"
        for name, field, value in rows
    )
    heading = ([f"event {number}"] if number is not None else []) + (["primary event"] if event.primary else [])
    head = f"<div class=muted>{' · '.join(heading)}</div>" if heading else ""
    anchor = f' id="event-{number}"' if number is not None else ""
    return f'<div class="event{" primary" if event.primary else ""}"{anchor}>{head}{body}</div>'


def legend() -> str:
    return "<div class=legend>" + "".join(_label(f, f) for f in VIEW_FIELDS) + "</div>"


def page(title: str, body: str, script: str = "") -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}"
        + (f"<script>{script}</script>" if script else "")
        + "</body></html>\n"
    )


def render_summary_html(summary: Summary, text: str) -> str:
    """One article: its text with each field's evidence in that field's colour, and the events beside it (above
    it on a phone); each highlight names its events and links to the first one's card."""
    marks: dict[str, list[Evidence]] = {f"f-{name}": [] for name in VIEW_FIELDS}
    owners: dict[Span, set[int]] = {}
    for number, event in enumerate(summary.events, 1):
        for name, spans in field_spans([event]).items():
            marks[f"f-{name}"] += spans
            for span in spans:
                owners.setdefault((span.start, span.end), set()).add(number)
    marked = highlight(text, marks, owners)
    published = summary.article.published
    cards = "".join(event_html(e, published, number=n) for n, e in enumerate(summary.events, 1))
    events = cards or "<p class=muted>no events found</p>"
    notes = "".join(f"<li>{escape(w)}</li>" for w in summary.warnings)
    title = summary.article.title or summary.article.id or "Summary"
    body = (
        f"<h1>{escape(title)}</h1><p class=muted>published {escape(published or 'unknown')} · evidence:</p>"
        f"{legend()}<div class=cols><div class=text>{marked}</div><div class=events>{events}<ul>{notes}</ul>"
        f"<p class=muted>{escape(summary.run.backend)} · {escape(summary.run.model)}</p></div></div>"
    )
    return page(title, body)
