"""Markdown and self-contained HTML renderings of eval metrics, run comparisons and single summaries.

The HTML has inline CSS only (no scripts, no external assets), so a report opens anywhere, offline.
Article text and model output are untrusted: every piece of either goes through `html.escape`.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from summarizer.evaluate import FIELDS, HEADLINE_FIELDS, figure
from summarizer.gold import GoldArticle, GoldEvent, Prediction
from summarizer.schema import Event, Evidence, Grounded, Summary

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


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


# ---------------------------------------------------------------- markdown


def _md_table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]


def _field_rows(metrics: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name in [*FIELDS, "events"]:
        m = metrics["events"] if name == "events" else metrics["fields"].get(name)
        if m is None:
            continue
        label = f"**{name}**" if name in HEADLINE_FIELDS else name
        cells = [m.get(k) for k in ("precision", "recall", "f1", "tp", "fp", "fn", "macro_f1", "mae")]
        rows.append([label, *(_fmt(c) for c in cells)])
    return rows


def render_markdown(metrics: dict[str, Any], title: str = "Eval report", worst: int = 10) -> str:
    """Headline figures, the per-field table and the worst-scored articles."""
    lines = [f"# {title}", ""]
    for label, key in (
        ("articles", "n_articles"),
        ("headline F1 (micro)", "headline_f1"),
        ("headline F1 (macro)", "headline_macro_f1"),
        ("grounding rate", "grounding_rate"),
        ("hallucinations", "hallucinations"),
        ("seconds / article", "seconds_per_article"),
        ("errors", "n_errors"),
        ("missing", "n_missing"),
    ):
        lines.append(f"- {label}: {_fmt(metrics.get(key))}")
    empty = metrics.get("no_event_articles") or {}
    if empty.get("articles"):
        lines.append(
            f"- articles with no gold event: {empty['articles']}, given an event: {empty['with_predicted_events']}"
        )
    lines += [
        "",
        f"Headline F1 = mean F1 of {', '.join(metrics.get('headline_fields', HEADLINE_FIELDS))}.",
        "",
    ]
    header = ["field", "precision", "recall", "F1", "tp", "fp", "fn", "macro F1", "MAE"]
    lines += _md_table(header, _field_rows(metrics))
    articles = sorted(metrics.get("articles", []), key=lambda a: (a["score"], a["id"]))[:worst]
    if articles:
        lines += ["", f"## Lowest-scoring articles ({len(articles)})", ""]
        rows = [
            [a["id"], a["status"], _fmt(a["score"]), str(a["n_gold"]), str(a["n_pred"]), a.get("error") or ""]
            for a in articles
        ]
        lines += _md_table(["id", "status", "score", "gold events", "pred events", "error"], rows)
    return "\n".join(lines) + "\n"


def render_compare_markdown(comparison: dict[str, Any]) -> str:
    """Run B against run A: field deltas, then the articles that got worse."""
    h = comparison["headline_f1"]
    verdict = "REGRESSION" if comparison["regression"] else "ok"
    lines = [
        "# Run comparison (B − A)",
        "",
        f"- headline F1: {_fmt(h['a'])} → {_fmt(h['b'])} "
        f"(Δ {_fmt(h['delta'])}); threshold {_fmt(comparison['fail_below'])}: **{verdict}**",
        f"- articles compared: {comparison['n_common_articles']}, better: "
        f"{comparison['n_better_articles']}, worse: {len(comparison['worse_articles'])}",
        "",
    ]
    rows = [[name, _fmt(d["a"]), _fmt(d["b"]), _fmt(d["delta"])] for name, d in comparison["fields"].items()]
    for key in ("grounding_rate", "hallucinations"):
        d = comparison[key]
        rows.append([key, _fmt(d["a"]), _fmt(d["b"]), _fmt(d["delta"])])
    lines += _md_table(["field", "A", "B", "Δ"], rows)
    if comparison["worse_articles"]:
        lines += ["", "## Articles that got worse", ""]
        worse = [[w["id"], _fmt(w["a"]), _fmt(w["b"]), _fmt(w["delta"])] for w in comparison["worse_articles"]]
        lines += _md_table(["id", "A", "B", "Δ"], worse)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- HTML pieces


def _evidence(events: Iterable[Event]) -> Iterable[Evidence]:
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
        piece = _e(text[start:end])
        out.append(f'<mark class="{" ".join(classes)}">{piece}</mark>' if classes else piece)
    return "".join(out)


def _count(event: Event, kind: str) -> str:
    count = figure(event, kind)
    if count is None:
        return "–"
    if count.low is not None and count.high is not None and count.low != count.high:
        return f"{_fmt(count.best)} ({count.low}–{count.high})"
    return _fmt(count.best if count.best is not None else count.low)


def event_html(event: Event) -> str:
    """One event as a small escaped card."""
    who = "; ".join(f"{_e(a.name)} <span class=muted>({_e(a.role)})</span>" for a in event.who) or "–"
    w = event.where
    where = ", ".join(_e(v) for v in (w.place, w.admin1, w.country, w.country_code) if v) or "–"
    when = _e(event.when.date or "–") + (f" {_e(event.when.time)}" if event.when.time else "")
    if isinstance(event, GoldEvent) and event.date_windows:
        when = " / ".join(_e(f"{w.earliest or '≤'}…{w.latest}") for w in event.date_windows)
    optional = " <span class=muted>(optional)</span>" if isinstance(event, GoldEvent) and event.optional else ""
    rows = [
        ("what", f"<b>{_e(event.what.type)}</b>{optional} {_e(event.what.description)}"),
        ("who", who),
        ("where", where),
        ("when", when),
        ("killed", _e(_count(event, "killed"))),
        ("injured", _e(_count(event, "injured"))),
    ]
    body = "".join(f"<div><span class=muted>{k}:</span> {v}</div>" for k, v in rows)
    return f'<div class="event{" primary" if event.primary else ""}">{body}</div>'


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{_e(title)}</title>"
        f"<style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def render_summary_html(summary: Summary, text: str) -> str:
    """One article: its text with evidence marked, and the extracted events beside it."""
    marked = highlight(text, {"p": _evidence(summary.events)})
    events = "".join(event_html(e) for e in summary.events) or "<p class=muted>no events found</p>"
    notes = "".join(f"<li>{_e(w)}</li>" for w in summary.warnings)
    title = summary.article.title or summary.article.id or "Summary"
    body = (
        f"<h1>{_e(title)}</h1><div class=cols style='grid-template-columns:3fr 2fr'>"
        f"<div class=text>{marked}</div><div>{events}<ul>{notes}</ul>"
        f"<p class=muted>{_e(summary.run.backend)} · {_e(summary.run.model)}</p></div></div>"
    )
    return _page(title, body)


def _bars(metrics: dict[str, Any]) -> str:
    rows = []
    for name in FIELDS:
        f1 = metrics["fields"].get(name, {}).get("f1")
        width = 0.0 if f1 is None else max(0.0, min(1.0, f1)) * 100
        rows.append(
            f"<tr><td>{_e(name)}</td><td><div class=bar><div style='width:{width:.1f}%'></div></div>"
            f"</td><td>{_e(_fmt(f1))}</td></tr>"
        )
    return "<table><tr><th>field</th><th>F1</th><th></th></tr>" + "".join(rows) + "</table>"


def _article_html(result: dict[str, Any], gold: GoldArticle, prediction: Prediction | None) -> str:
    pred_events = prediction.summary.events if prediction and prediction.summary else []
    marked = highlight(gold.text, {"g": _evidence(gold.events), "p": _evidence(pred_events)})
    gold_html = "".join(event_html(e) for e in gold.events) or "<p class=muted>none</p>"
    error = f"<p><b>error:</b> {_e(result.get('error'))}</p>" if result["status"] != "ok" else ""
    pred_html = error + ("".join(event_html(e) for e in pred_events) or "<p class=muted>none</p>")
    pairs = ", ".join(f"{m['gold']}↔{m['pred']} ({m['similarity']:.2f})" for m in result["matches"]) or "none"
    return (
        f"<details><summary><b>{_e(gold.id)}</b> score {_e(_fmt(result['score']))} · "
        f"{_e(result['status'])} · matches {_e(pairs)}</summary><div class=cols>"
        f"<div class=text>{marked}</div><div><h3>gold</h3>{gold_html}</div>"
        f"<div><h3>predicted</h3>{pred_html}</div></div></details>"
    )


def render_html(
    metrics: dict[str, Any],
    gold: Iterable[GoldArticle],
    predictions: Mapping[str, Prediction],
    title: str = "Eval report",
) -> str:
    """A self-contained report: headline figures, per-field bars and table, then every article."""
    by_id = {g.id: g for g in gold}
    summary_md = render_markdown(metrics, title, worst=0).split("\n")
    facts = "".join(f"<li>{_e(line[2:])}</li>" for line in summary_md if line.startswith("- "))
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(c.strip('*'))}</td>" for c in row) + "</tr>" for row in _field_rows(metrics)
    )
    head = "".join(f"<th>{h}</th>" for h in ("field", "P", "R", "F1", "tp", "fp", "fn", "macro F1", "MAE"))
    articles = sorted(metrics.get("articles", []), key=lambda a: (a["score"], a["id"]))
    detail = "".join(_article_html(a, by_id[a["id"]], predictions.get(a["id"])) for a in articles if a["id"] in by_id)
    legend = (
        "<p><mark class=g>gold evidence</mark> <mark class=p>predicted evidence</mark> "
        "<mark class='g p'>both</mark></p>"
    )
    body = (
        f"<h1>{_e(title)}</h1><ul>{facts}</ul>{_bars(metrics)}<table><tr>{head}</tr>{rows}</table>"
        f"<h2>Articles, lowest score first</h2>{legend}{detail}"
    )
    return _page(title, body)
