"""Out-of-fold scores of the whole rules pipeline on the tuning sets, to choose how rules and learned
parts combine without looking at the held-out sets.

    python benchmarks/oof.py                       # every variant, 5 folds, gvdb-dev-tune and muc-dev
    python benchmarks/oof.py --variant both --variant fill

The tuning articles (gvdb-dev-tune, muc-dev) are cut into folds by article. For each fold the
figure-role and name-role models are trained (`benchmarks/training/`) on the other folds only, exactly
as `train.py` trains them on all, and the pipeline is scored on the held-out fold with each variant of
the settings (`VARIANTS`). The per-article scores of all folds are then pooled per dataset, so every
article is scored by models that never saw it. Prints one row per dataset and variant.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from training import figures as figure_training
from training import names as name_training

from summarizer.config import Settings
from summarizer.eval.datasets import load_dataset
from summarizer.eval.gold import GoldArticle
from summarizer.eval.runs import predict
from summarizer.eval.scoring import aggregate, score_article
from summarizer.extract.roles import figure_model
from summarizer.extract.roles import names as name_roles

DATASETS = ("gvdb-dev-tune", "muc-dev")
K = 5
VARIANTS: dict[str, dict[str, Any]] = {
    "rules": {"figure_roles": "rules", "without": ("learned",)},
    "learned": {"figure_roles": "learned", "without": ("rules", "news_rules")},
    "main": {"figure_roles": "both", "without": ("aliases", "news_rules")},
    "both": {"figure_roles": "both", "without": ("news_rules",)},
    "fill": {"figure_roles": "fill", "without": ("news_rules",)},
    "rules-figures": {"figure_roles": "rules", "without": ("news_rules",)},
    "noalias": {"figure_roles": "fill", "without": ("aliases", "news_rules")},
    "wire": {"figure_roles": "wire"},
}
FIELDS = ("killed", "injured", "perpetrator", "victim", "who", "place")


def fold_of(index: int) -> int:
    return index % K


def _inject(train: list[GoldArticle]) -> None:
    """The two learned models, trained on `train` only, in place of the shipped files for this process."""
    fig, _, _ = figure_training.fit_model([a for a in train if a.events])
    fig_model = figure_model.Model(fig["weights"], fig["bias"], fig["threshold"])
    raw = name_training.train(train)
    name_model = name_roles.Model(
        tuple(raw["classes"]),  # type: ignore[arg-type]
        tuple(raw["bias"]),  # type: ignore[arg-type]
        raw["weights"],  # type: ignore[arg-type]
        dict(raw["thresholds"]),  # type: ignore[call-overload]
    )
    figure_model.model = lambda: fig_model  # a benchmark's stand-in; the package reads its shipped files
    name_roles.model = lambda: name_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", choices=list(VARIANTS))
    args = parser.parse_args()
    variants = args.variant or list(VARIANTS)
    data = {d: load_dataset(d) for d in DATASETS}
    tagged = [(d, i, a) for d in DATASETS for i, a in enumerate(data[d])]
    scores: dict[tuple[str, str], list[dict[str, Any]]] = {(d, v): [] for d in DATASETS for v in variants}
    for k in range(K):
        _inject([a for _, i, a in tagged if fold_of(i) != k])
        held = [(d, a) for d, i, a in tagged if fold_of(i) == k]
        for v in variants:
            settings = Settings(use_cache=False, **VARIANTS[v])
            for d, article in held:
                scores[(d, v)].append(score_article(article, predict(article, settings)))
        print(f"fold {k + 1}/{K} done", file=sys.stderr, flush=True)
    print("| dataset | variant | headline | " + " | ".join(FIELDS) + " |")
    print("|---|---|---|" + "---|" * len(FIELDS))
    for (d, v), articles in scores.items():
        m = aggregate(articles)
        cells = " | ".join(f"{m['fields'][f]['f1']:.3f}" for f in FIELDS)
        print(f"| {d} | {v} | {m['headline_f1']:.3f} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
