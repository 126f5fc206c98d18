"""Compare two eval runs: per-field deltas, articles that got worse, and a regression verdict.

Two runs are comparable only over the same gold. `compare_runs` refuses (DatasetError) runs that share
no article, runs whose shared articles were scored against different gold (per-article `gold_sha`), and
older runs without fingerprints whose datasets differ by name. Runs over overlapping but different article
sets are compared on the shared articles only: both sides are re-aggregated from their per-article counts,
and `scope` says so.
"""

from __future__ import annotations

from typing import Any

from summarizer.errors import DatasetError
from summarizer.eval.scoring import FIELDS, aggregate


def _delta(a: float | None, b: float | None) -> dict[str, float | None]:
    return {"a": a, "b": b, "delta": None if a is None or b is None else b - a}


def _dataset(metrics: dict[str, Any]) -> str:
    run = metrics.get("run") or {}
    return str(run.get("dataset") or "?")


def _describe(metrics: dict[str, Any]) -> str:
    return f"dataset {_dataset(metrics)}, {len(metrics.get('articles', []))} article(s)"


def shared_articles(metrics_a: dict[str, Any], metrics_b: dict[str, Any]) -> list[str]:
    """Ids both runs scored against the same gold; DatasetError when the runs are not comparable."""
    arts_a = {a["id"]: a for a in metrics_a.get("articles", [])}
    arts_b = {a["id"]: a for a in metrics_b.get("articles", [])}
    common = [i for i in arts_a if i in arts_b]
    if not common:
        raise DatasetError(
            f"the runs share no article (A: {_describe(metrics_a)}; B: {_describe(metrics_b)}); "
            "compare two runs over the same dataset"
        )
    shas = [(arts_a[i].get("gold_sha"), arts_b[i].get("gold_sha")) for i in common]
    if any(a and b and a != b for a, b in shas):
        raise DatasetError(
            f"the runs scored the same article ids against different gold (A: {_describe(metrics_a)}; "
            f"B: {_describe(metrics_b)}); if the gold was revised, re-score both runs' predictions.jsonl "
            "with `summarizer eval score` against the current gold"
        )
    fingerprinted = all(a and b for a, b in shas)
    if not fingerprinted and _dataset(metrics_a) != _dataset(metrics_b):
        raise DatasetError(
            f"the runs are over different datasets ({_dataset(metrics_a)} vs {_dataset(metrics_b)}); "
            "compare two runs over the same dataset"
        )
    return common


def _scope(metrics_a: dict[str, Any], metrics_b: dict[str, Any], common: list[str]) -> dict[str, Any]:
    n_a, n_b = len(metrics_a.get("articles", [])), len(metrics_b.get("articles", []))
    return {"n_a": n_a, "n_b": n_b, "n_shared": len(common), "shared_only": not n_a == n_b == len(common)}


def _restricted(metrics: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    return aggregate([a for a in metrics["articles"] if a["id"] in ids])


def compare_runs(metrics_a: dict[str, Any], metrics_b: dict[str, Any], fail_below: float | None = None
                 ) -> dict[str, Any]:  # fmt: skip
    """How run B differs from run A. A regression: headline F1 fell by more than `fail_below`."""
    common = shared_articles(metrics_a, metrics_b)
    scope = _scope(metrics_a, metrics_b, common)
    if scope["shared_only"]:
        metrics_a, metrics_b = _restricted(metrics_a, set(common)), _restricted(metrics_b, set(common))
    scores_a = {a["id"]: a["score"] for a in metrics_a.get("articles", [])}
    scores_b = {a["id"]: a["score"] for a in metrics_b.get("articles", [])}
    worse = [{"id": i, "a": scores_a[i], "b": scores_b[i], "delta": scores_b[i] - scores_a[i]}
             for i in common if scores_b[i] < scores_a[i] - 1e-9]  # fmt: skip
    headline = _delta(metrics_a.get("headline_f1"), metrics_b.get("headline_f1"))
    drop = headline["delta"]
    regression = fail_below is not None and drop is not None and drop < -abs(fail_below)
    names = [n for n in FIELDS if n in metrics_a.get("fields", {}) or n in metrics_b.get("fields", {})]
    return {
        "headline_f1": headline,
        "fields": {n: _delta(metrics_a.get("fields", {}).get(n, {}).get("f1"),
                             metrics_b.get("fields", {}).get(n, {}).get("f1")) for n in names},
        "grounding_rate": _delta(metrics_a.get("grounding_rate"), metrics_b.get("grounding_rate")),
        "hallucinations": _delta(metrics_a.get("hallucinations"), metrics_b.get("hallucinations")),
        "n_rejected": _delta(metrics_a.get("n_rejected"), metrics_b.get("n_rejected")),
        "n_common_articles": len(common),
        "scope": scope,
        "worse_articles": sorted(worse, key=lambda w: (w["delta"], w["id"])),
        "n_better_articles": sum(scores_b[i] > scores_a[i] + 1e-9 for i in common),
        "fail_below": fail_below,
        "regression": regression,
    }  # fmt: skip


def describe_scope(comparison: dict[str, Any]) -> str | None:
    """A line saying the comparison covers only the shared articles, when it does."""
    scope = comparison.get("scope") or {}
    if not scope.get("shared_only"):
        return None
    return (
        f"compared on the {scope['n_shared']} article(s) both runs scored "
        f"(A has {scope['n_a']}, B has {scope['n_b']}); both sides re-scored on those only"
    )
