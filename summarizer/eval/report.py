"""Markdown and self-contained HTML renderings of eval metrics and run comparisons.

The HTML has inline CSS only (no scripts, no external assets), so a report opens anywhere, offline.
Article text and model output are untrusted: every piece of either goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from summarizer.eval.gold import GoldArticle, GoldEvent, Prediction
from summarizer.eval.scoring import FIELDS, HEADLINE_FIELDS
from summarizer.render import escape as _e
from summarizer.render import event_html, evidence_of, highlight, page
from summarizer.schema import Event


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


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


def _gold_card(event: Event) -> str:
    """A gold event's card: MUC's optional templates and on-or-before date windows are marked."""
    when = None
    if isinstance(event, GoldEvent) and event.date_windows:
        when = " / ".join(f"{w.earliest or '≤'}…{w.latest}" for w in event.date_windows)
    optional = isinstance(event, GoldEvent) and event.optional
    return event_html(event, when=when, badge="optional" if optional else None)


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
    marked = highlight(gold.text, {"g": evidence_of(gold.events), "p": evidence_of(pred_events)})
    gold_html = "".join(_gold_card(e) for e in gold.events) or "<p class=muted>none</p>"
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
    return page(title, body)
