"""Renderings of one `Summary`: rich text for the terminal, Markdown, a self-contained HTML page, JSON with
helper fields, and CSV rows for analysts. Article text and model output are untrusted: every piece of
either goes through `escape`.

Every view shows casualties the same way: per event and kind, the range across all claims
(`casualty_range`: low / best / high, "≥ 16", "3–19"), then each claim with its source and quote. Dates are
printed at their precision (`fmt_date`: `2024-01`, "late January 2024").
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer.schema import CasualtyClaim, Count, Event, Evidence, Grounded, Summary, When

Kind = Literal["killed", "injured"]
KINDS: tuple[Kind, ...] = ("killed", "injured")
VIEW_FIELDS = ("what", "who", "where", "when", "casualties")
"""The field groups the HTML colours, each with its own evidence colour (see `CSS`)."""
_ABOVE = ("more than", "over", "upwards of", "in excess of")
_PLAIN_QUALIFIERS = {"at least", "no fewer than", "a minimum of", "up to", "range", *_ABOVE}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip

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
@media (max-width:800px){.cols,.pair{grid-template-columns:minmax(0,1fr)}}
.text{white-space:pre-wrap;border:1px solid #ddd;padding:.8em;overflow-wrap:anywhere;line-height:1.7}
.event{border:1px solid #ddd;border-radius:4px;padding:.5em .6em;margin-bottom:.6em;overflow-wrap:anywhere}
.primary{border:2px solid #3b7dd8}.muted{color:#666}.claims{margin:.2em 0 .2em 1.2em;padding:0}
.claims li{margin:.15em 0}.q{color:#555;font-style:italic}
.k{display:inline-block;min-width:5.5em;padding:0 .3em;border-radius:3px;font-weight:600}
mark{color:inherit;padding:0;border-radius:2px}
mark.f-what{background:none;box-shadow:inset 0 -2px #8e44ad}.k.f-what{background:#ead7f2}
mark.g{background:#ffe58a}mark.p{background:#b8e6b0}mark.g.p{background:#9fd3ff}
.legend{display:flex;flex-wrap:wrap;gap:.4em;margin:.4em 0}
details{margin:.8em 0;border-top:1px solid #ccc;padding-top:.4em}summary{cursor:pointer}
""" + _field_css()


# ---------------------------------------------------------------- casualties and dates, one view for all


@dataclass(frozen=True)
class CasualtyRange:
    """One kind of casualty across all of an event's claims. `best` is the figure the scorer uses
    (`Event.figure`: the highest claim); `low`/`high` are None when some claim leaves that end open."""

    low: int | None
    best: int | None
    high: int | None
    claims: int
    qualifier: str | None = None
    """The claim's own words when a single claim gives the range ("at least", "dozens")."""

    @property
    def text(self) -> str:
        """ "16", "≥ 16", "> 85", "≤ 5", "3–19", "1–6 (best 6)"; best is named when it is not an end of a
        single claim's range."""
        if self.low is not None and self.low == self.high:
            return str(self.low)
        if self.low is None and self.high is None:
            return str(self.best)
        if self.high is None:
            shown = f"{'>' if self.qualifier in _ABOVE else '≥'} {self.low}"
        elif self.low is None:
            shown = f"≤ {self.high}"
        else:
            shown = f"{self.low}–{self.high}"
        obvious = self.claims == 1 and self.best in (self.low, self.high)
        return shown if obvious or self.best is None else f"{shown} (best {self.best})"

    def as_dict(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high, "claims": self.claims,
                "qualifier": self.qualifier, "text": self.text}  # fmt: skip


def casualty_range(event: Event, kind: Kind) -> CasualtyRange | None:
    """The range across every claim that gives a `kind` figure; None when no claim does."""
    claims = [c for c in event.casualties if (count := getattr(c, kind)) is not None and count.value is not None]
    if not claims:
        return None
    counts: list[Count] = [getattr(c, kind) for c in claims]
    # A bare `best` (no low, no high) is an exact figure; a missing end beside a given one is open.
    exact = [c.low is None and c.high is None for c in counts]
    lows = [c.best if bare else c.low for c, bare in zip(counts, exact, strict=True)]
    highs = [c.best if bare else c.high for c, bare in zip(counts, exact, strict=True)]
    figure = event.figure(kind)
    return CasualtyRange(
        low=None if None in lows else min(x for x in lows if x is not None),
        best=figure.value if figure else None,
        high=None if None in highs else max(x for x in highs if x is not None),
        claims=len(claims),
        qualifier=claims[0].qualifier if len(claims) == 1 else None,
    )


def fmt_count(count: Count | None, qualifier: str | None = None) -> str:
    """One claim's figure: "16", "≥ 16", "> 85", "≤ 5", "3–19"."""
    if count is None or count.value is None:
        return "—"
    return CasualtyRange(count.low, count.best, count.high, 1, qualifier).text


def range_text(event: Event, kind: Kind) -> str:
    found = casualty_range(event, kind)
    if found is None:
        return "—"
    return found.text + (f" across {found.claims} claims" if found.claims > 1 else "")


def fmt_date(when: When) -> str:
    """The date at its precision: `2024-02-07`, `2024-01`, `2024`, `week of 2024-02-05`."""
    if not when.date:
        return ""
    if when.precision == "month":
        return when.date[:7]
    if when.precision == "year":
        return when.date[:4]
    if when.precision == "week":
        return f"week of {when.date[:10]}"
    return when.date[:10]


def date_words(when: When) -> str:
    """The date in words at its precision: "7 February 2024", "late January 2024", "2024"."""
    try:
        day = date.fromisoformat((when.date or "")[:10])
    except ValueError:
        return ""
    if when.precision == "year":
        return str(day.year)
    if when.precision == "month":
        part = re.search(r"\b(early|mid|late|end of|beginning of)\b", when.phrase or "", re.I)
        return f"{part.group(1).lower() + ' ' if part else ''}{_MONTHS[day.month - 1]} {day.year}"
    prefix = "week of " if when.precision == "week" else ""
    return f"{prefix}{day.day} {_MONTHS[day.month - 1]} {day.year}"


def when_text(when: When, published: str | None = None) -> str:
    """What every view prints for a date, including why it is missing."""
    if not when.date:
        if not when.phrase:
            return "—"
        why = "" if published else " (no publication date to resolve it against)"
        return f"unresolved: “{when.phrase}”{why}"
    text = fmt_date(when)
    words = date_words(when)
    if when.precision not in (None, "day") and words:
        text += f" ({words})"
    if when.time:
        text += f" {when.time}"
    if when.relative:
        text += " (from a relative phrase)"
    return text


def where_text(event: Event) -> str:
    where = ", ".join(x for x in (event.where.place, event.where.admin1, event.where.country) if x) or "—"
    return where + (f" ({event.where.country_code})" if event.where.country_code else "")


# ---------------------------------------------------------------- quotes and descriptions

_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z .'’-]{1,40}(?:,[^—–\-(]{1,40})?\s*)?\((?:AP|Reuters|AFP|UPI|CNN|dpa)\)\s*[—–-]+\s*"
    r"|^\s*[A-Z][A-Z .'’-]{2,40}(?:,[^—–\-]{1,40})?\s+[—–-]+\s+"
)
_GLUED = re.compile(
    r"(?:\((?:AP|Reuters|AFP|UPI|CNN|dpa)\)\s*[—–-]"
    r"|(?:(?<=[a-z])|(?<=[|-] ))[A-Z]{3,}(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)?\s+[—–])\s+"
)
"""A dateline inside the text, glued to page chrome: "…tip jarHARTFORD, Connecticut — ", "| CLTVCHICAGO – "."""
_TAIL = re.compile(r"\s*\|\s*[\w.\- ]{1,40}\.?\s*$")


def clean_description(text: str) -> str:
    """A description without dateline debris and page chrome: "BAGHDAD (AP) — ", "ERBIL, Kurdistan Region - ",
    "headline | fox13now.", "headline | CLTVCHICAGO – the story" (the story is kept)."""
    cleaned = _DATELINE.sub("", text)
    glued = [m for m in _GLUED.finditer(cleaned) if m.start() > 0 and len(cleaned) - m.end() >= 20]
    if glued:
        cleaned = cleaned[glued[-1].end() :]
    elif " | " in cleaned:  # "headline | site": the first piece that reads like a sentence
        cleaned = next((part for part in cleaned.split(" | ") if len(part.split()) >= 4), cleaned)
    cleaned = _TAIL.sub("", cleaned).strip()
    return cleaned[:1].upper() + cleaned[1:] if cleaned else text.strip()


def crop(text: str, width: int = 140) -> str:
    """At most about `width` characters, cut between words, with "…" where something was cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > width // 2 else width].rstrip(" ,;:") + "…"


def around(quote: str, at: int, width: int = 140) -> str:
    """`quote` cropped to about `width` characters around offset `at`, cut between words, "…" at cuts."""
    if len(quote) <= width:
        return " ".join(quote.split())
    begin = max(0, min(at - width // 3, len(quote) - width))
    end = begin + width
    if begin:
        space = quote.find(" ", begin)
        begin = space + 1 if 0 <= space < at else begin
    if end < len(quote):
        space = quote.rfind(" ", at, end)
        end = space if space > at else end
    body = " ".join(quote[begin:end].split()).rstrip(" ,;:")
    return ("…" if begin else "") + body + ("…" if end < len(quote) else "")


def claim_quote(claim: CasualtyClaim, width: int = 140) -> str:
    """The claim's sentence, cropped around the figure so the number is always shown."""
    if not claim.evidence:
        return ""
    sentence = claim.evidence[0]
    at = claim.evidence[1].start - sentence.start if len(claim.evidence) > 1 else 0
    return around(sentence.quote, max(0, at), width)


def _quotes(evidence: list[Evidence]) -> str:
    return " · ".join(f"“{crop(e.quote)}”" for e in evidence[:2])


def claim_text(claim: CasualtyClaim) -> str:
    """One claim: "killed ≥ 16 · injured 36 · per A PMF commander"."""
    parts = [f"{k} {fmt_count(getattr(claim, k), claim.qualifier)}" for k in KINDS if getattr(claim, k)]
    if claim.qualifier and claim.qualifier not in _PLAIN_QUALIFIERS:
        parts.append(f"“{claim.qualifier}”")
    parts.append(f"per {claim.source}" if claim.source else "source not named")
    return " · ".join(parts)


# ---------------------------------------------------------------- text and markdown


def _rows(event: Event, published: str | None) -> list[tuple[str, str, str]]:
    rows = [
        ("what", f"{event.what.type}: {clean_description(event.what.description)}", _quotes(event.what.evidence)),
        ("where", where_text(event), _quotes(event.where.evidence)),
        ("when", when_text(event.when, published), _quotes(event.when.evidence)),
    ]
    rows += [(f"who ({a.role})", a.name, _quotes(a.evidence)) for a in event.who]
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
    run = summary.run
    parts.append(Text(f"{run.backend} · {run.model} · {run.usage.prompt_tokens}+{run.usage.completion_tokens} "
                      f"tokens · {run.duration_s:.1f}s", style="dim"))  # fmt: skip
    return Group(*parts)


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
    run = summary.run
    lines += ["", f"_{run.backend} · {run.model} · {run.duration_s:.1f}s_", ""]
    return "\n".join(lines)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


# ---------------------------------------------------------------- JSON and CSV


def summary_dict(summary: Summary) -> dict[str, Any]:
    """`Summary` JSON plus helper fields per event (added, never renamed): `casualty_range` (killed and
    injured: low, best, high, claims, qualifier, text) and `when.display` (the date at its precision)."""
    data = summary.model_dump(mode="json")
    for event, out in zip(summary.events, data["events"], strict=True):
        out["casualty_range"] = {k: r.as_dict() if (r := casualty_range(event, k)) else None for k in KINDS}
        out["when"]["display"] = when_text(event.when, summary.article.published)
    return data


def render_json(summary: Summary) -> str:
    return json.dumps(summary_dict(summary), indent=2, ensure_ascii=False)


CSV_COLUMNS = (
    "article_id", "article_url", "article_title", "published", "event_id", "primary", "event_date",
    "date_precision", "date_text", "event_type", "description", "actor_perpetrator", "actor_victim",
    "actor_other", "place", "admin1", "country", "country_code", "location_precision", "killed_low",
    "killed_best", "killed_high", "killed_text", "injured_low", "injured_best", "injured_high", "injured_text",
    "claims", "sources",
)  # fmt: skip
"""One row per event; documented in the README ("CSV for analysts")."""


def _actors(event: Event, roles: set[str]) -> str:
    return "; ".join(dict.fromkeys(a.name for a in event.who if a.role in roles))


def event_row(summary: Summary, index: int) -> dict[str, Any]:
    """The CSV row of `summary.events[index]`; the event id is `<article id>#<1-based index>`."""
    event, article = summary.events[index], summary.article
    row: dict[str, Any] = {
        "article_id": article.id, "article_url": article.url, "article_title": article.title,
        "published": article.published, "event_id": f"{article.id or 'article'}#{index + 1}",
        "primary": int(event.primary), "event_date": fmt_date(event.when),
        "date_precision": event.when.precision if event.when.date else None,
        "date_text": event.when.phrase, "event_type": event.what.type,
        "description": clean_description(event.what.description),
        "actor_perpetrator": _actors(event, {"perpetrator"}), "actor_victim": _actors(event, {"victim", "target"}),
        "actor_other": _actors(event, {"claimant", "other"}), "place": event.where.place,
        "admin1": event.where.admin1, "country": event.where.country, "country_code": event.where.country_code,
        "location_precision": event.where.precision, "claims": len(event.casualties),
        "sources": "; ".join(dict.fromkeys(c.source for c in event.casualties if c.source)),
    }  # fmt: skip
    for kind in KINDS:
        found = casualty_range(event, kind)
        row[f"{kind}_low"], row[f"{kind}_best"], row[f"{kind}_high"] = (
            (found.low, found.best, found.high) if found else (None, None, None)
        )
        row[f"{kind}_text"] = found.text if found else ""
    return row


def rows_csv(summaries: Iterable[Summary]) -> str:
    """CSV, one row per event of every summary (batch results, eval predictions), header first."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for summary in summaries:
        for index in range(len(summary.events)):
            writer.writerow({k: "" if v is None else v for k, v in event_row(summary, index).items()})
    return out.getvalue()


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
        title = f' title="{escape(", ".join(_MARK_TITLES.get(c, c.removeprefix("f-")) for c in classes))}"'
        out.append(f'<mark class="{" ".join(classes)}"{title}>{piece}</mark>' if classes else piece)
    return "".join(out)


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


def event_html(event: Event, published: str | None = None, failures: Mapping[str, str] | None = None) -> str:
    """One event as a small escaped card; `failures` maps a row (what, who, where, when, killed, injured)
    to the reason it was scored wrong, shown beside it."""
    who = "; ".join(f"{escape(a.name)} <span class=muted>({escape(a.role)})</span>" for a in event.who) or "—"
    rows = [
        ("what", "what", f"<b>{escape(event.what.type)}</b> {escape(clean_description(event.what.description))}"),
        ("who", "who", who),
        ("where", "where", escape(where_text(event))),
        ("when", "when", escape(when_text(event.when, published))),
        *_casualties_html(event),
    ]
    failures = failures or {}
    body = "".join(
        f"<div class='row{' fail' if name in failures else ''}' data-field='{name}'>{_label(name, field)} {value}"
        + (f" <span class=reason>✗ {escape(failures[name])}</span>" if name in failures else "")
        + "</div>"
        for name, field, value in rows
    )
    head = "<div class=muted>primary event</div>" if event.primary else ""
    return f'<div class="event{" primary" if event.primary else ""}">{head}{body}</div>'


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
    """One article: its text with each field's evidence in that field's colour, and the events beside it."""
    marked = highlight(text, {f"f-{name}": spans for name, spans in field_spans(summary.events).items()})
    published = summary.article.published
    events = "".join(event_html(e, published) for e in summary.events) or "<p class=muted>no events found</p>"
    notes = "".join(f"<li>{escape(w)}</li>" for w in summary.warnings)
    title = summary.article.title or summary.article.id or "Summary"
    body = (
        f"<h1>{escape(title)}</h1><p class=muted>published {escape(published or 'unknown')} · evidence:</p>"
        f"{legend()}<div class=cols><div class=text>{marked}</div><div>{events}<ul>{notes}</ul>"
        f"<p class=muted>{escape(summary.run.backend)} · {escape(summary.run.model)}</p></div></div>"
    )
    return page(title, body)
