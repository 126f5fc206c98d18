"""Markdown and self-contained HTML renderings of eval metrics and run comparisons.

The HTML has inline CSS and a few lines of inline script (sort and filter), no external assets, so a report
opens anywhere, offline.
Article text and model output are untrusted: every piece of either goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from summarizer.eval.diagnose import CARD_ROW, DIAGNOSED_FIELDS, REASONS, Failure, breakdown, diagnose_run
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


def _breakdown_rows(failures: Mapping[str, list[Failure]]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the per-field error table: one row per field, one column per reason seen."""
    counts = breakdown(failures)
    reasons = [r for r in REASONS if any(reason == r for _, reason in counts)]
    rows = [[name, *(str(counts[(name, r)] or "") for r in reasons), str(sum(counts[(name, r)] for r in reasons))]
            for name in DIAGNOSED_FIELDS]  # fmt: skip
    return ["field", *reasons, "total"], rows


def _publication_note(gold: Iterable[GoldArticle], failures: Mapping[str, list[Failure]]) -> str:
    articles = list(gold)
    undated = sum(not g.published for g in articles)
    unresolved = breakdown(failures)[("date", "unresolved date (no publication date)")]
    return (f"{undated} of {len(articles)} articles come without a publication date; {unresolved} predicted "
            "dates stay unresolved for that reason (a relative phrase such as “on Friday” needs one).")  # fmt: skip


def _failing(failures: list[Failure]) -> str:
    fields = dict.fromkeys(f"{f.field} ({f.reason})" for f in failures)
    return ", ".join(fields) or "—"


def _detail_md(article: dict[str, Any], gold: GoldArticle, failures: list[Failure]) -> list[str]:
    head = f"### {gold.title or gold.id} (`{gold.id}`, score {_fmt(article['score'])})"
    lines = ["", head, ""]
    if article["status"] != "ok":
        lines += [f"Prediction {article['status']}: {article.get('error') or ''}", ""]
    if not failures:
        return [*lines, "No failing field."]
    rows = [[_events(f), f.field, f.reason, f.gold, f.pred] for f in failures]
    return lines + _md_table(["events (gold ↔ pred)", "field", "reason", "gold", "predicted"], rows)


def _events(failure: Failure) -> str:
    def number(index: int | None) -> str:
        return "—" if index is None else f"#{index + 1}"

    return f"{number(failure.gold_event)} ↔ {number(failure.pred_event)}"


def render_markdown(
    metrics: dict[str, Any],
    title: str = "Eval report",
    worst: int = 20,
    gold: Iterable[GoldArticle] | None = None,
    predictions: Mapping[str, Prediction] | None = None,
) -> str:
    """Headline figures, the per-field table, and with `gold` and `predictions`: the per-field error
    breakdown and the `worst` lowest-scoring articles with title, failing fields and their values."""
    lines = [f"# {title}", ""]
    for label, key in (
        ("articles", "n_articles"),
        ("headline F1 (micro)", "headline_f1"),
        ("headline F1 (macro)", "headline_macro_f1"),
        ("grounding rate", "grounding_rate"),
        ("hallucinations", "hallucinations"),
        ("rejected by grounding", "n_rejected"),
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
    if metrics.get("rejected"):
        lines.append("- rejected per field: " + ", ".join(f"{k} {n}" for k, n in metrics["rejected"].items()))
    lines += [
        "",
        f"Headline F1 = mean F1 of {', '.join(metrics.get('headline_fields', HEADLINE_FIELDS))}.",
        "",
    ]
    header = ["field", "precision", "recall", "F1", "tp", "fp", "fn", "macro F1", "MAE"]
    lines += _md_table(header, _field_rows(metrics))
    gold = list(gold) if gold is not None else None
    failures = diagnose_run(gold, predictions or {}, metrics) if gold is not None else {}
    if gold is not None:
        note = "Failing values per field and reason (see `summarizer/eval/diagnose.py`)."
        lines += ["", "## Where it fails", "", note, "", _publication_note(gold, failures), ""]
        lines += _md_table(*_breakdown_rows(failures))
    articles = sorted(metrics.get("articles", []), key=lambda a: (a["score"], a["id"]))[:worst]
    if articles:
        by_id = {g.id: g for g in gold or []}
        titles = {i: g.title or "" for i, g in by_id.items()}
        lines += ["", f"## Lowest-scoring articles ({len(articles)})", ""]
        rows = [
            [a["id"], titles.get(a["id"], ""), _fmt(a["score"]), a["status"], str(a["n_gold"]), str(a["n_pred"]),
             _failing(failures.get(a["id"], [])) if gold is not None else (a.get("error") or "")]
            for a in articles
        ]  # fmt: skip
        last = "failing fields (reason)" if gold is not None else "error"
        lines += _md_table(["id", "title", "score", "status", "gold events", "pred events", last], rows)
        for a in articles if gold is not None else []:
            if a["id"] in by_id:
                lines += _detail_md(a, by_id[a["id"]], failures.get(a["id"], []))
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
    scope = comparison.get("scope") or {}
    if scope.get("shared_only"):
        lines.insert(-1, f"- compared on the {scope['n_shared']} shared articles only (A has {scope['n_a']}, "
                         f"B has {scope['n_b']})")  # fmt: skip
    for key in ("grounding_rate", "hallucinations", "n_rejected"):
        d = comparison.get(key)
        if d is None:
            continue
        rows.append([key, _fmt(d["a"]), _fmt(d["b"]), _fmt(d["delta"])])
    lines += _md_table(["field", "A", "B", "Δ"], rows)
    if comparison["worse_articles"]:
        lines += ["", "## Articles that got worse", ""]
        worse = [[w["id"], _fmt(w["a"]), _fmt(w["b"]), _fmt(w["delta"])] for w in comparison["worse_articles"]]
        lines += _md_table(["id", "A", "B", "Δ"], worse)
    return "\n".join(lines) + "\n"


def _gold_card(event: Event, published: str | None, failures: Mapping[str, str]) -> str:
    """A gold event's card: MUC's optional templates and on-or-before date windows are marked."""
    when = None
    if isinstance(event, GoldEvent) and event.date_windows:
        when = " / ".join(f"{w.earliest or '≤'}…{w.latest}" for w in event.date_windows)
    optional = isinstance(event, GoldEvent) and event.optional
    return event_html(event, published, failures, when=when, badge="optional" if optional else None)


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


REPORT_CSS = """
.side{font-weight:700;letter-spacing:.05em;padding:.1em .5em;border-radius:3px;display:inline-block;margin:.2em 0}
.side.gold{background:#fff1c2}.side.pred{background:#d8ecff}.article{border-top:2px solid #bbb;margin-top:1.2em}
.row.fail{background:#fff0f0}.reason{color:#b00020;font-weight:600}.fails{color:#b00020}
.controls{padding:.4em 0;border-bottom:1px solid #ddd}
.controls label{margin-right:.8em;white-space:nowrap}button.n{border:0;background:none;color:#0645ad;cursor:pointer}
"""

SCRIPT = """
const list=document.getElementById('articles'),arts=[...list.children],sel=id=>document.getElementById(id);
function apply(){const s=sel('sort').value,f=sel('field').value,r=sel('reason').value;let n=0;
arts.sort((a,b)=>s==='id'?a.dataset.id.localeCompare(b.dataset.id):(s==='asc'?1:-1)*(a.dataset.score-b.dataset.score)
||a.dataset.id.localeCompare(b.dataset.id));
for(const a of arts){const ok=(!f||a.dataset.fields.split(' ').includes(f))
&&(!r||a.dataset.reasons.split('|').includes(r));a.hidden=!ok;n+=ok;list.appendChild(a);}
sel('shown').textContent=n+' of '+arts.length+' articles shown';}
for(const id of ['sort','field','reason'])sel(id).addEventListener('change',apply);
for(const b of document.querySelectorAll('button.n'))b.addEventListener('click',()=>{sel('field').value=b.dataset.f;
sel('reason').value=b.dataset.r||'';apply();sel('articles').scrollIntoView();});
apply();
"""


GOLD = "<span class='side gold'>GOLD</span>"
PRED = "<span class='side pred'>PREDICTED</span>"
"""Every cell carries its side, so the pairs still read right when a phone stacks them."""


def _card_failures(failures: list[Failure], index: int, side: str) -> dict[str, str]:
    """Card row → "field: reason; …" for the failures of one gold (side "gold") or predicted event."""
    rows: dict[str, list[str]] = {}
    for f in failures:
        if (f.gold_event if side == "gold" else f.pred_event) == index:
            row = CARD_ROW.get(f.field, f.field)
            rows.setdefault(row, []).append(f.reason if row == f.field else f"{f.field}: {f.reason}")
    return {row: "; ".join(dict.fromkeys(reasons)) for row, reasons in rows.items()}


def _pairs_html(result: dict[str, Any], gold: GoldArticle, prediction: Prediction | None, fails: list[Failure]) -> str:
    pred_events = prediction.summary.events if prediction and prediction.summary else []
    published = gold.published
    paired = {m["gold"]: m for m in result["matches"]}
    none = "<p class=muted>{}</p>"
    rows = []
    for g, event in enumerate(gold.events):
        left = _gold_card(event, published, _card_failures(fails, g, "gold"))
        m = paired.get(g)
        if m is None:
            right = none.format("no predicted event paired with this one")
        else:
            note = f"<p class=muted>paired, similarity {_e(_fmt(m['similarity'], 2))}</p>"
            right = note + event_html(pred_events[m["pred"]], published, _card_failures(fails, m["pred"], "pred"))
        rows.append(f"<div>{GOLD}{left}</div><div>{PRED}{right}</div>")
    for p in result["unmatched_pred"]:
        label = "extra event" if gold.all_events else "not scored: the gold annotates one incident"
        card = event_html(pred_events[p], published, _card_failures(fails, p, "pred"))
        rows.append(
            f"<div>{GOLD}{none.format('no gold event')}</div><div>{PRED}<p class=muted>{_e(label)}</p>{card}</div>"
        )
    return f"<div class=pair>{''.join(rows)}</div>"


def _article_html(
    result: dict[str, Any], gold: GoldArticle, prediction: Prediction | None, failures: list[Failure]
) -> str:
    pred_events = prediction.summary.events if prediction and prediction.summary else []
    marked = highlight(gold.text, {"g": evidence_of(gold.events), "p": evidence_of(pred_events)})
    error = f"<p class=fails><b>prediction {_e(result['status'])}:</b> {_e(result.get('error'))}</p>"
    failing = _failing(failures)
    fields = " ".join(dict.fromkeys(f.field for f in failures))
    reasons = "|".join(dict.fromkeys(f.reason for f in failures))
    return (
        f"<section class=article data-id='{_e(gold.id)}' data-score='{result['score']:.6f}' data-fields='{_e(fields)}'"
        f" data-reasons='{_e(reasons)}'><h3>{_e(gold.title or '(untitled)')} <span class=muted>· {_e(gold.id)} · "
        f"score {_e(_fmt(result['score']))} · published {_e(gold.published or 'unknown')}</span></h3>"
        f"{error if result['status'] != 'ok' else ''}<p class=fails>failing: {_e(failing)}</p>"
        f"{_pairs_html(result, gold, prediction, failures)}"
        f"<details><summary>article text, evidence marked</summary><div class=text>{marked}</div></details></section>"
    )


def _breakdown_html(failures: Mapping[str, list[Failure]]) -> str:
    header, rows = _breakdown_rows(failures)
    cells = []
    for row in rows:
        tds = [f"<td>{_e(row[0])}</td>"]
        for reason, count in zip(header[1:-1], row[1:-1], strict=True):
            button = f"<button class=n data-f='{_e(row[0])}' data-r='{_e(reason)}'>{count}</button>"
            tds.append(f"<td>{button if count else ''}</td>")
        tds.append(f"<td><button class=n data-f='{_e(row[0])}'>{row[-1]}</button></td>")
        cells.append("<tr>" + "".join(tds) + "</tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    return f"<div class=scroll><table><tr>{head}</tr>{''.join(cells)}</table></div>"


def _controls(n: int) -> str:
    fields = "".join(f"<option>{_e(f)}</option>" for f in DIAGNOSED_FIELDS)
    reasons = "".join(f"<option>{_e(r)}</option>" for r in REASONS)
    return (
        "<div class=controls><label>sort <select id=sort><option value=asc>score, lowest first</option>"
        "<option value=desc>score, highest first</option><option value=id>id</option></select></label>"
        f"<label>failing field <select id=field><option value=''>any</option>{fields}</select></label>"
        f"<label>reason <select id=reason><option value=''>any</option>{reasons}</select></label>"
        f"<span id=shown class=muted>{n} articles</span></div>"
    )


def render_html(
    metrics: dict[str, Any],
    gold: Iterable[GoldArticle],
    predictions: Mapping[str, Prediction],
    title: str = "Eval report",
) -> str:
    """A self-contained report: headline figures, the per-field error breakdown, per-field bars and table,
    then every article (gold and prediction side by side, failing fields marked), sortable and filterable."""
    gold = list(gold)
    by_id = {g.id: g for g in gold}
    failures = diagnose_run(gold, predictions, metrics)
    summary_md = render_markdown(metrics, title, worst=0).split("\n")
    facts = "".join(f"<li>{_e(line[2:])}</li>" for line in summary_md if line.startswith("- "))
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(c.strip('*'))}</td>" for c in row) + "</tr>" for row in _field_rows(metrics)
    )
    head = "".join(f"<th>{h}</th>" for h in ("field", "P", "R", "F1", "tp", "fp", "fn", "macro F1", "MAE"))
    articles = sorted(metrics.get("articles", []), key=lambda a: (a["score"], a["id"]))
    detail = "".join(
        _article_html(a, by_id[a["id"]], predictions.get(a["id"]), failures.get(a["id"], []))
        for a in articles
        if a["id"] in by_id
    )
    legend = (
        "<p>Article text: <mark class=g>gold evidence</mark> <mark class=p>predicted evidence</mark> "
        "<mark class='g p'>both</mark></p>"
    )
    body = (
        f"<style>{REPORT_CSS}</style><h1>{_e(title)}</h1><ul>{facts}</ul>"
        f"<h2>Where it fails</h2><p>{_e(_publication_note(gold, failures))} Click a count to list those articles."
        f"</p>{_breakdown_html(failures)}<h2>Per field</h2>{_bars(metrics)}"
        f"<div class=scroll><table><tr>{head}</tr>{rows}</table></div>"
        f"<h2>Articles</h2>{legend}{_controls(len(articles))}<div id=articles>{detail}</div>"
    )
    return page(title, body, SCRIPT)
