"""Markdown and HTML reports render, mark evidence and escape untrusted text."""

from __future__ import annotations

import re

from summarizer.eval.compare import compare_runs
from summarizer.eval.diagnose import diagnose_run
from summarizer.eval.gold import GoldArticle, Prediction
from summarizer.eval.report import render_compare_markdown, render_html, render_markdown
from summarizer.eval.scoring import evaluate
from summarizer.render import highlight, render_summary_html
from summarizer.schema import ArticleMeta, Event, Evidence, RunInfo, Summary

TEXT = "<script>alert(1)</script> A gunman shot two people in Dayton on Friday."


def _event(name: str = "a gunman") -> Event:
    start = TEXT.index("Dayton")
    return Event.model_validate(
        {
            "primary": True,
            "what": {"type": "shooting", "description": "<b>bold</b> claim"},
            "who": [{"name": name, "role": "perpetrator"}],
            "where": {"place": "Dayton", "evidence": [{"quote": "Dayton", "start": start, "end": start + 6}]},
            "casualties": [{"injured": {"low": 1, "best": 2, "high": 3}}],
        }
    )


def _fixture() -> tuple[list[GoldArticle], dict[str, Prediction], dict[str, object]]:
    gold = [GoldArticle(id="x<1>", text=TEXT, events=[_event()])]
    summary = Summary(
        article=ArticleMeta(id="x<1>"),
        events=[_event("<img src=x onerror=alert(2)>")],
        run=RunInfo(backend="rules", model="none"),
    )
    predictions = {"x<1>": Prediction(id="x<1>", summary=summary)}
    return gold, predictions, evaluate(gold, predictions)


def test_markdown_has_headline_and_field_table() -> None:
    _, _, metrics = _fixture()
    md = render_markdown(metrics, "Seed run")  # type: ignore[arg-type]
    assert md.startswith("# Seed run") and "headline F1" in md
    assert "| **place** | 1 | 1 | 1 |" in md and "Lowest-scoring articles" in md


def test_html_is_self_contained_and_escaped() -> None:
    gold, predictions, metrics = _fixture()
    page = render_html(metrics, gold, predictions, title="<Run>")  # type: ignore[arg-type]
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1, "only the report's own sort/filter script"
    assert "<img" not in page and "&lt;img src=x" in page and "<b>bold</b>" not in page
    assert "&lt;Run&gt;" in page and "x&lt;1&gt;" in page
    assert '<mark class="g p" title="gold, predicted">Dayton</mark>' in page  # gold and predicted, one span
    assert "http" not in page and "<link" not in page  # no external assets
    assert "width:" in page  # the per-field bars


def test_highlight_skips_spans_that_do_not_match() -> None:
    good = Evidence(quote="gunman", start=TEXT.index("gunman"), end=TEXT.index("gunman") + 6)
    bad = Evidence(quote="nothing", start=0, end=7)
    out = highlight(TEXT, {"p": [good, bad]})
    assert out.count("<mark") == 1 and '<mark class="p" title="predicted">gunman</mark>' in out


def test_summary_html_marks_evidence() -> None:
    _, predictions, _ = _fixture()
    summary = predictions["x<1>"].summary
    assert summary is not None
    page = render_summary_html(summary, TEXT)
    assert (
        '<mark class="f-where" data-event="1" title="where · event 1"><a href="#event-1">Dayton</a></mark>' in page
        and "<script>" not in page
    )
    assert "1–3 (best 2)" in page  # the injured range


def test_compare_markdown() -> None:
    _, _, metrics = _fixture()
    md = render_compare_markdown(compare_runs(metrics, metrics, 0.01))  # type: ignore[arg-type]
    assert "headline F1" in md and "**ok**" in md and "| place |" in md


# ---------------------------------------------------------------- where it fails

ART = "Gunmen shot three people in Kano on Friday. Police said. A bomb hit Kaduna in March."


def _ev(**fields: object) -> Event:
    return Event.model_validate({"primary": False, **fields})


def _pred(id_: str, events: list[Event], published: str | None = None) -> Prediction:
    summary = Summary(article=ArticleMeta(id=id_, published=published), events=events,
                      run=RunInfo(backend="rules", model="rules"))  # fmt: skip
    return Prediction(id=id_, summary=summary)


def _failing_run() -> tuple[list[GoldArticle], dict[str, Prediction], dict[str, object]]:
    """One article per reason: missing, wrong value, unresolved date without publication date, wrong event
    paired (GVDB-style forced primary pairing), extra event."""
    kano = {"type": "shooting"}
    gold_event = _ev(primary=True, what=kano, where={"place": "Kano", "country_code": "NG"},
                     when={"date": "2024-03-01", "precision": "day"},
                     casualties=[{"killed": {"low": 3, "best": 3, "high": 3}}])  # fmt: skip
    gold = [
        GoldArticle(id="missing", title="Kano shooting A", text=ART, published="2024-03-02", events=[gold_event]),
        GoldArticle(id="wrong", title="Kano shooting B", text=ART, published="2024-03-02", events=[gold_event]),
        GoldArticle(id="undated", title="Kano shooting C", text=ART, events=[gold_event]),
        GoldArticle(id="paired", title="Kano shooting D", text=ART, all_events=False, events=[gold_event]),
        GoldArticle(id="extra", title="Kano shooting E", text=ART, published="2024-03-02", events=[gold_event]),
    ]
    same = gold_event.model_dump()
    no_killed = _ev(**{**same, "casualties": []})
    wrong_killed = _ev(**{**same, "casualties": [{"killed": {"low": 5, "best": 5, "high": 5}}]})
    unresolved = _ev(**{**same, "when": {"phrase": "on Friday", "resolved": False}})
    other = _ev(primary=True, what={"type": "bombing"}, where={"place": "Kaduna", "country_code": "NG"},
                when={"date": "2023-03-01", "precision": "month"})  # fmt: skip
    extra = _ev(what={"type": "bombing"}, where={"place": "Kaduna"})
    predictions = {
        "missing": _pred("missing", [no_killed]),
        "wrong": _pred("wrong", [wrong_killed]),
        "undated": _pred("undated", [unresolved]),
        "paired": _pred("paired", [other]),
        "extra": _pred("extra", [_ev(**same), extra]),
    }
    return gold, predictions, evaluate(gold, predictions)


def test_each_failing_field_gets_its_reason() -> None:
    gold, predictions, metrics = _failing_run()
    failures = diagnose_run(gold, predictions, metrics)
    reasons = {id_: {(f.field, f.reason) for f in fs} for id_, fs in failures.items()}
    assert reasons["missing"] == {("killed", "missing")}
    assert reasons["wrong"] == {("killed", "wrong value")}
    assert reasons["undated"] == {("date", "unresolved date (no publication date)")}
    assert ("place", "wrong event paired") in reasons["paired"] and ("what", "wrong event paired") in reasons["paired"]
    assert ("what", "extra event") in reasons["extra"] and ("place", "extra event") in reasons["extra"]


def test_markdown_has_the_error_breakdown_and_the_worst_articles_in_detail() -> None:
    gold, predictions, metrics = _failing_run()
    md = render_markdown(metrics, "Run", 20, gold, predictions)  # type: ignore[arg-type]
    assert "## Where it fails" in md
    assert "2 of 5 articles come without a publication date; 1 predicted dates stay unresolved" in md
    header = next(line for line in md.splitlines() if line.startswith("| field | missing"))
    assert "wrong value" in header and "unresolved date (no publication date)" in header
    assert "wrong event paired" in header and "extra event" in header
    assert re.search(r"\| killed \| 1 \| 1 \|", md), "killed: one missing, one wrong value"
    assert "| undated | Kano shooting C |" in md and "date (unresolved date (no publication date))" in md
    assert "### Kano shooting B (`wrong`, score" in md and "| #1 ↔ #1 | killed | wrong value | 3 | 5 |" in md


def test_markdown_lists_up_to_20_articles() -> None:
    gold, predictions, _ = _failing_run()
    many = [g.model_copy(update={"id": f"a{i:02}"}) for i in range(25) for g in gold[:1]]
    preds = {g.id: predictions["missing"].model_copy(update={"id": g.id}) for g in many}
    md = render_markdown(evaluate(many, preds), "Run", gold=many, predictions=preds)
    assert "## Lowest-scoring articles (20)" in md and md.count("\n### ") == 20


def test_html_report_shows_gold_and_prediction_side_by_side_with_failures_marked() -> None:
    gold, predictions, metrics = _failing_run()
    page = render_html(metrics, gold, predictions, "Run")  # type: ignore[arg-type]
    assert page.count("<section class=article") == 5 and "<details><summary><b>" not in page, "not collapsed"
    assert "Kano shooting B" in page and "GOLD</span>" in page and "PREDICTED</span>" in page
    wrong = page.split("data-id='wrong'")[1].split("</section>")[0]
    assert "data-fields='killed'" in wrong and "data-reasons='wrong value'" in wrong
    assert "<div class='row fail' data-field='killed'>" in wrong and "✗ wrong value" in wrong
    assert "<h2>Where it fails</h2>" in page and page.index("Where it fails") < page.index("<h2>Per field")
    assert "<select id=field>" in page and "<select id=sort>" in page and "data-score='" in page
    assert "<script src" not in page and "<link" not in page and "http" not in page


def test_a_low_similarity_alone_is_not_another_incident() -> None:
    gold_event = _ev(primary=True, what={"type": "shooting"}, where={"place": "Philadelphia"},
                     when={"date": "2015-12-06", "precision": "day"})  # fmt: skip
    other_place_no_date = _ev(primary=True, what={"type": "shooting"}, where={"place": "Point Breeze"})
    background = _ev(primary=True, what={"type": "bombing"}, where={"place": "Kaduna"})
    secondary = other_place_no_date.model_copy(update={"primary": False})
    gold = [GoldArticle(id="a", text=ART, all_events=False, events=[gold_event]),
            GoldArticle(id="b", text=ART, all_events=False, events=[gold_event])]  # fmt: skip
    predictions = {"a": _pred("a", [other_place_no_date]), "b": _pred("b", [background, secondary])}
    metrics = evaluate(gold, predictions)
    assert metrics["articles"][0]["matches"][0]["similarity"] < 0.5  # type: ignore[index]
    reasons = {i: {(f.field, f.reason) for f in fs} for i, fs in diagnose_run(gold, predictions, metrics).items()}
    assert reasons["a"] == {("place", "wrong value"), ("date", "missing")}, "the same shooting, its place wrong"
    assert ("what", "wrong event paired") in reasons["b"], "a better-matching event was not made primary"
