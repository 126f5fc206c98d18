"""Markdown and HTML reports render, mark evidence and escape untrusted text."""

from __future__ import annotations

from summarizer.eval.compare import compare_runs
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
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
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
    assert '<mark class="f-where" title="where">Dayton</mark>' in page and "<script>" not in page
    assert "1–3 (best 2)" in page  # the injured range


def test_compare_markdown() -> None:
    _, _, metrics = _fixture()
    md = render_compare_markdown(compare_runs(metrics, metrics, 0.01))  # type: ignore[arg-type]
    assert "headline F1" in md and "**ok**" in md and "| place |" in md
