"""Compare two eval runs: per-field deltas, articles that got worse, and a regression verdict."""

from __future__ import annotations

from typing import Any

from summarizer.eval.scoring import FIELDS


def _delta(a: float | None, b: float | None) -> dict[str, float | None]:
    return {"a": a, "b": b, "delta": None if a is None or b is None else b - a}


def compare_runs(metrics_a: dict[str, Any], metrics_b: dict[str, Any], fail_below: float | None = None
                 ) -> dict[str, Any]:  # fmt: skip
    """How run B differs from run A. A regression: headline F1 fell by more than `fail_below`."""
    scores_a = {a["id"]: a["score"] for a in metrics_a.get("articles", [])}
    scores_b = {a["id"]: a["score"] for a in metrics_b.get("articles", [])}
    common = [i for i in scores_a if i in scores_b]
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
        "n_common_articles": len(common),
        "worse_articles": sorted(worse, key=lambda w: (w["delta"], w["id"])),
        "n_better_articles": sum(scores_b[i] > scores_a[i] + 1e-9 for i in common),
        "fail_below": fail_below,
        "regression": regression,
    }  # fmt: skip
