"""Eval numbers that cannot mislead: overlap, refusals, and rejected values counted.

Each test names the defect it guards; all run on tiny hand-made files, no model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from summarizer.cli.eval import app as eval_app
from summarizer.eval.gold import GoldArticle, Prediction, write_gold, write_predictions
from summarizer.eval.scoring import evaluate
from summarizer.extract.events import build_events, count_rejections, rejections
from summarizer.pipeline import RunLabel, complete, prepare
from summarizer.raw import RawCasualty, RawEvent, RawExtraction
from summarizer.record import RunRecord
from summarizer.schema import ArticleMeta, Event, RunInfo, Summary

runner = CliRunner()
TEXT = "Police said a gunman shot a man in Dayton on Friday. One man was killed."
PLACES = ["Dayton", "Toledo", "Akron", "Parma"]


def _event(place: str) -> Event:
    return Event.model_validate(
        {
            "primary": True,
            "what": {"type": "shooting"},
            "where": {"place": place, "country_code": "US"},
            "when": {"date": "2016-01-08"},
            "casualties": [{"killed": {"best": 1}}],
        }
    )


def _gold(path: Path, ids: list[str], text: str = TEXT) -> Path:
    write_gold(path, [GoldArticle(id=i, text=text, events=[_event(PLACES[n % 4])]) for n, i in enumerate(ids)])
    return path


def _preds(path: Path, ids: list[str], place: str | None = None) -> Path:
    lines = []
    for n, i in enumerate(ids):
        events = [_event(place or PLACES[n % 4])]
        summary = Summary(article=ArticleMeta(id=i), events=events, run=RunInfo(backend="t", model="m"))
        lines.append(Prediction(id=i, summary=summary))
    write_predictions(path, lines)
    return path


def _score(tmp_path: Path, preds: Path, gold: Path, name: str, *extra: str) -> Any:
    return runner.invoke(eval_app, ["score", str(preds), str(gold), "-o", str(tmp_path / name), *extra])


def _metrics(tmp_path: Path, name: str) -> dict[str, Any]:
    return json.loads((tmp_path / name / "metrics.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# ---------------------------------------------------------------- score: overlap


def test_score_covers_only_ids_in_both_sets_and_says_so(tmp_path: Path) -> None:
    """Defect: predictions for 50 of 200 articles were scored against all 200 (F1 0.26, not 0.65)."""
    gold = _gold(tmp_path / "gold.jsonl", ["a", "b", "c", "d"])
    preds = _preds(tmp_path / "p.jsonl", ["a"])
    result = _score(tmp_path, preds, gold, "run")
    assert result.exit_code == 0, result.output
    metrics = _metrics(tmp_path, "run")
    assert metrics["n_articles"] == 1 and metrics["headline_f1"] == 1.0 and metrics["n_missing"] == 0
    assert "1 of 4 gold articles have a prediction" in result.output and "--all-gold" in result.output
    assert metrics["run"]["overlap"]["n_scored"] == 1


def test_score_all_gold_counts_the_rest_as_misses(tmp_path: Path) -> None:
    gold = _gold(tmp_path / "gold.jsonl", ["a", "b", "c", "d"])
    preds = _preds(tmp_path / "p.jsonl", ["a"])
    result = _score(tmp_path, preds, gold, "run", "--all-gold")
    assert result.exit_code == 0, result.output
    metrics = _metrics(tmp_path, "run")
    assert metrics["n_articles"] == 4 and metrics["n_missing"] == 3 and metrics["headline_f1"] < 0.5


def test_score_with_no_overlap_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    """Defect: prediction ids matching no gold gave F1 0.0, "grounding None" and exit 0."""
    gold = _gold(tmp_path / "gold.jsonl", ["46", "47"])
    preds = _preds(tmp_path / "p.jsonl", ["46.txt", "47.txt"])
    result = _score(tmp_path, preds, gold, "run")
    assert result.exit_code == 2
    assert "no prediction id matches a gold id" in result.output and "'46.txt'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "run" / "metrics.json").exists()


def test_score_reports_predictions_without_gold(tmp_path: Path) -> None:
    gold = _gold(tmp_path / "gold.jsonl", ["a", "b"])
    preds = _preds(tmp_path / "p.jsonl", ["a", "b", "zz"])
    result = _score(tmp_path, preds, gold, "run")
    assert result.exit_code == 0 and "1 prediction(s) match no gold id (e.g. 'zz')" in result.output


def test_eval_run_and_eval_score_report_the_same_headline(tmp_path: Path) -> None:
    """Done-when: `eval score` of a limited run's predictions reports the run's own headline."""
    gold = _gold(tmp_path / "gold.jsonl", ["a", "b", "c", "d"])
    ran = runner.invoke(eval_app, ["run", "-d", str(gold), "--backend", "rules", "--limit", "2",
                                   "-o", str(tmp_path / "ran")])  # fmt: skip
    assert ran.exit_code == 0, ran.output
    scored = _score(tmp_path, tmp_path / "ran" / "predictions.jsonl", gold, "scored")
    assert scored.exit_code == 0, scored.output
    a, b = _metrics(tmp_path, "ran"), _metrics(tmp_path, "scored")
    assert a["n_articles"] == b["n_articles"] == 2
    assert a["headline_f1"] == b["headline_f1"] and a["fields"] == b["fields"]


# ---------------------------------------------------------------- compare: same gold only


def _run(tmp_path: Path, name: str, gold: Path, preds: Path) -> Path:
    assert _score(tmp_path, preds, gold, name).exit_code == 0
    return tmp_path / name


def test_compare_refuses_runs_over_different_datasets(tmp_path: Path) -> None:
    """Defect: a seed run compared with a GVDB run declared a regression."""
    seed = _run(
        tmp_path, "seed", _gold(tmp_path / "seed.jsonl", ["000_seed"]), _preds(tmp_path / "s.jsonl", ["000_seed"])
    )
    gvdb_ids = ["46", "47", "48"]
    gvdb = _run(tmp_path, "gvdb", _gold(tmp_path / "gvdb.jsonl", gvdb_ids), _preds(tmp_path / "g.jsonl", gvdb_ids))
    result = runner.invoke(eval_app, ["compare", str(seed), str(gvdb), "--fail-below", "0.02"])
    assert result.exit_code == 2, result.output
    assert "share no article" in result.output and "regression" not in result.output


def test_compare_refuses_same_ids_scored_against_different_gold(tmp_path: Path) -> None:
    ids = ["a", "b"]
    one = _run(tmp_path, "one", _gold(tmp_path / "g1.jsonl", ids), _preds(tmp_path / "p.jsonl", ids))
    other_text = "Police said a gunman shot a man in Toledo on Friday."
    two = _run(tmp_path, "two", _gold(tmp_path / "g2.jsonl", ids, other_text), _preds(tmp_path / "p.jsonl", ids))
    result = runner.invoke(eval_app, ["compare", str(one), str(two)])
    assert result.exit_code == 2 and "different gold" in result.output


def test_compare_covers_only_shared_articles_and_says_so(tmp_path: Path) -> None:
    gold = _gold(tmp_path / "gold.jsonl", ["a", "b", "c", "d"])
    full = _run(tmp_path, "full", gold, _preds(tmp_path / "all.jsonl", ["a", "b", "c", "d"], place="Nowhere"))
    part = _run(tmp_path, "part", gold, _preds(tmp_path / "two.jsonl", ["a", "b"], place="Nowhere"))
    result = runner.invoke(
        eval_app, ["compare", str(full), str(part), "--fail-below", "0", "-o", str(tmp_path / "c.md")]
    )
    assert result.exit_code == 0, result.output  # same predictions on the shared articles: no change
    assert "compared on the 2 article(s) both runs scored (A has 4, B has 2)" in result.output
    assert "shared articles only" in (tmp_path / "c.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- rejected values


INVENTED = RawExtraction(
    events=[
        RawEvent(
            primary=True, event_type="shooting", quote="a gunman shot a man in Dayton on Friday",
            description="Aliens landed in Paris and abducted the mayor of Gotham.",
            place="Atlantis", country="Wakanda", date_phrase="on Friday",
            casualties=[RawCasualty(quote="One man was killed.", killed="seven"),
                        RawCasualty(quote="Ten people were killed.", killed="Ten")],
        )
    ]
)  # fmt: skip


def test_rejected_values_are_counted_per_field() -> None:
    """Defect: unsupported values were dropped before scoring and never counted."""
    _, warnings, records = build_events(TEXT, INVENTED, None)
    assert rejections(warnings) == {"what": 1, "where": 2, "killed": 1, "casualties": 1}
    assert count_rejections(records) == {"what": 1, "where": 2, "killed": 1, "casualties": 1}


def test_rejected_values_reach_the_summary_and_metrics(tmp_path: Path) -> None:
    doc = prepare(TEXT, published="2016-01-08")
    summary = complete(doc, INVENTED, RunRecord(), RunLabel("full", "openai", "m"), 0.0)
    assert summary.run.rejected == {"what": 1, "where": 2, "killed": 1, "casualties": 1}
    assert json.loads(summary.model_dump_json())["run"]["rejected"]["where"] == 2
    gold = GoldArticle(id="a", text=TEXT, events=[_event("Dayton")])
    metrics = evaluate([gold], {"a": Prediction(id="a", summary=summary)})
    assert metrics["rejected"] == {"casualties": 1, "killed": 1, "what": 1, "where": 2}
    assert metrics["n_rejected"] == 5


def test_rejections_are_counted_from_the_warnings_of_older_predictions() -> None:
    _, warnings, _ = build_events(TEXT, INVENTED, None)
    summary = Summary(article=ArticleMeta(id="a"), events=[_event("Dayton")], run=RunInfo(backend="t", model="m"),
                      warnings=warnings)  # fmt: skip
    gold = GoldArticle(id="a", text=TEXT, events=[_event("Dayton")])
    assert evaluate([gold], {"a": Prediction(id="a", summary=summary)})["n_rejected"] == 5


def test_headline_line_shows_rejections(tmp_path: Path) -> None:
    doc = prepare(TEXT, published="2016-01-08")
    summary = complete(doc, INVENTED, RunRecord(), RunLabel("full", "openai", "m"), 0.0)
    gold = _gold(tmp_path / "gold.jsonl", ["a"])
    preds = tmp_path / "p.jsonl"
    write_predictions(preds, [Prediction(id="a", summary=summary)])
    result = _score(tmp_path, preds, gold, "run")
    assert result.exit_code == 0 and "rejected 5 (casualties 1, killed 1, what 1, where 2)" in result.output
    assert "rejected by grounding: 5" in (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
