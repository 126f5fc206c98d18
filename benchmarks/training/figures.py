"""Train the figure-role model (`summarizer/extract/roles/figure_model.py`) → `data/figure_roles.json`.

Examples: every figure mention (`mentions/figures.py`) in the GVDB tune half and the MUC DEV messages that
report an incident. A figure is labelled killed when its number is a gold killed count of its article
and no gold injured count, injured the other way round, other when it is neither; a number that is both
is left out. Never the held-out sets (gvdb-dev-test, MUC TST1/TST2). Deterministic: lbfgs, fixed folds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from summarizer.eval.datasets import load_dataset
from summarizer.eval.gold import GoldArticle
from summarizer.extract.mentions import figures
from summarizer.extract.mentions.sentences import split_sentences
from summarizer.extract.roles.casualties import Outcome, figure
from summarizer.extract.roles.figure_model import LABELS, features
from summarizer.schema import Event

C = 0.5
MIN_WEIGHT = 0.01
"""Weights smaller than this are left out of the shipped file."""


def _counts(events: list[Event], kind: str) -> set[int]:
    found = (e.figure(kind) for e in events)  # type: ignore[arg-type]
    return {c.value for c in found if c is not None and c.value}


def rule_roles(sentence: str, mention_text: str) -> frozenset[str]:
    """The outcomes whose hand pattern picked this figure's words."""
    picked = ((o, figure(sentence, o)) for o in (Outcome.KILLED, Outcome.INJURED))
    return frozenset(o.value for o, p in picked if p and (p in mention_text or mention_text in p))


def tuning_articles() -> list[GoldArticle]:
    return load_dataset("gvdb-dev-tune") + [a for a in load_dataset("muc-dev") if a.events]


def examples(articles: list[GoldArticle]) -> tuple[list[dict[str, float]], list[str], list[int]]:
    rows, labels, groups = [], [], []
    for g, article in enumerate(articles):
        killed, injured = _counts(article.events, "killed"), _counts(article.events, "injured")
        for s in split_sentences(article.text):
            for m in figures.find(s.text):
                value = m.best
                if not value or (value in killed and value in injured):
                    continue
                label = "killed" if value in killed else "injured" if value in injured else "other"
                rows.append(features(m, s.text, 0, rule_roles(s.text, m.text)))
                labels.append(label)
                groups.append(g)
    return rows, labels, groups


def _fit(rows: list[dict[str, float]], labels: list[str]) -> tuple[DictVectorizer, LogisticRegression]:
    vec = DictVectorizer()
    clf = LogisticRegression(C=C, max_iter=5000, solver="lbfgs")
    return vec, clf.fit(vec.fit_transform(rows), labels)


def _threshold(rows: list[dict[str, float]], labels: list[str], groups: list[int]) -> tuple[float, float]:
    """The probability above which a killed/injured label is taken: best out-of-fold micro-F1 of the
    killed and injured labels (folds grouped by article)."""
    y = np.array(labels)
    probs = np.zeros((len(rows), len(LABELS)))
    for train, test in GroupKFold(n_splits=5).split(rows, y, np.array(groups)):
        vec, clf = _fit([rows[i] for i in train], [labels[i] for i in train])
        p = clf.predict_proba(vec.transform([rows[i] for i in test]))
        probs[test] = p[:, [list(clf.classes_).index(label) for label in LABELS]]
    best = (0.0, 0.5)
    for t in np.arange(0.3, 0.95, 0.05):
        tp = fp = fn = 0
        for i, gold in enumerate(labels):
            k = int(np.argmax(probs[i]))
            guess = LABELS[k] if probs[i][k] >= t else "other"
            if guess != "other":
                tp, fp = tp + (guess == gold), fp + (guess != gold)
            if gold != "other" and guess != gold:
                fn += 1
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, (round(f1, 4), round(float(t), 2)))
    return best


def fit_model(articles: list[GoldArticle]) -> tuple[dict[str, Any], list[str], float]:
    """The model trained on `articles` (as written to the JSON file), its labels, and its out-of-fold F1."""
    rows, labels, groups = examples(articles)
    f1, threshold = _threshold(rows, labels, groups)
    vec, clf = _fit(rows, labels)
    classes = list(clf.classes_)
    names = vec.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {}
    for label in LABELS:
        coef = clf.coef_[classes.index(label)]
        weights[label] = {
            str(names[j]): round(float(coef[j]), 4) for j in np.argsort(names) if abs(coef[j]) >= MIN_WEIGHT
        }
    bias = {label: round(float(clf.intercept_[classes.index(label)]), 4) for label in LABELS}
    return {"threshold": threshold, "bias": bias, "weights": weights}, labels, f1


def train(out: Path) -> None:
    model, labels, f1 = fit_model(tuning_articles())
    threshold = model["threshold"]
    out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    counts = {label: labels.count(label) for label in LABELS}
    print(f"figure roles: {len(labels)} figures {counts}; threshold {threshold:.2f}, out-of-fold killed+injured F1 "
          f"{f1:.3f}; wrote {out.name} ({out.stat().st_size // 1024} KB)")  # fmt: skip
