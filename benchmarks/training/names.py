"""Train the name-role model (`summarizer/extract/roles/names.py`) and write `data/name_roles.json`.

One example per name mention in a tuning article that reports an incident (MUC DEV, the GVDB tune
half; never the held-out halves), labelled perpetrator or victim (gold "target" counts as victim)
when the scorer's `names_match` matches it to a gold actor of that role, else other. Thresholds per
role maximise out-of-fold (grouped by article) name-level F1 against the gold actors of that role.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from summarizer.eval.datasets import load_dataset
from summarizer.eval.gold import GoldArticle
from summarizer.eval.scoring import names_match
from summarizer.extract.roles import names as name_roles
from summarizer.extract.rules import split_sentences

DATASETS = ("muc-dev", "gvdb-dev-tune")
C = 0.3
MIN_WEIGHT = 0.05
"""Features whose weights all stay below this are left out of the shipped file: half the features, a
quarter of the load time, and a change of a few hundredths of a logit at most per feature."""
GROUP = {"perpetrator": "perpetrator", "victim": "victim", "target": "victim"}


class Examples:
    def __init__(self) -> None:
        self.rows: list[dict[str, int]] = []
        self.labels: list[str] = []
        self.groups: list[int] = []
        self.keys: list[str] = []
        self.n_gold = {r: 0 for r in name_roles.ROLES}


def _label(name: str, gold: list[tuple[str, str]]) -> str:
    for role in name_roles.ROLES:
        if any(names_match(name, alt) for g, r in gold if r == role for alt in g.split(" / ")):
            return role
    return "other"


def tuning_articles() -> list[GoldArticle]:
    return [a for dataset in DATASETS for a in load_dataset(dataset)]


def examples(articles: list[GoldArticle]) -> Examples:
    out = Examples()
    g = 0
    for article in articles:
        if not article.events:
            continue
        gold = sorted({(a.name, GROUP[a.role]) for e in article.events for a in e.who if a.role in GROUP})
        for role in name_roles.ROLES:
            out.n_gold[role] += sum(r == role for _, r in gold)
        sentences = [s.text for s in split_sentences(article.text)]
        for loc, feats in name_roles.mentions(sentences):
            out.rows.append(dict.fromkeys(feats, 1))
            out.labels.append(_label(loc.mention.text, gold))
            out.groups.append(g)
            out.keys.append(loc.mention.text.lower())
        g += 1
    return out


def _fit(ex: Examples, idx: np.ndarray) -> tuple[DictVectorizer, LogisticRegression]:
    vec = DictVectorizer()
    x = vec.fit_transform([ex.rows[i] for i in idx])
    clf = LogisticRegression(C=C, max_iter=5000, solver="lbfgs")
    return vec, clf.fit(x, [ex.labels[i] for i in idx])


def _thresholds(ex: Examples, oof: list[dict[str, float]]) -> dict[str, tuple[float, float]]:
    """Per role: (threshold, out-of-fold name-level F1)."""
    out = {}
    for role in name_roles.ROLES:
        best_p: dict[tuple[int, str], float] = {}
        positive = set()
        for i, key in enumerate(ex.keys):
            k = (ex.groups[i], key)
            best_p[k] = max(best_p.get(k, 0.0), oof[i][role])
            if ex.labels[i] == role:
                positive.add(k)
        best = (0.0, 0.5)
        for t in np.arange(0.1, 0.95, 0.01):
            chosen = {k for k, p in best_p.items() if p >= t}
            tp = len(chosen & positive)
            f1 = 2 * tp / (len(chosen) + ex.n_gold[role]) if chosen else 0.0
            best = max(best, (round(f1, 6), round(float(t), 2)))
        out[role] = (best[1], best[0])
    return out


def train(articles: list[GoldArticle] | None = None) -> dict[str, object]:
    """The model trained on `articles` (default: the tuning articles), as written to the JSON file."""
    ex = examples(tuning_articles() if articles is None else articles)
    y, groups = np.array(ex.labels), np.array(ex.groups)
    oof: list[dict[str, float]] = [{} for _ in ex.rows]
    for train_idx, test_idx in GroupKFold(n_splits=5).split(ex.rows, y, groups):
        vec, clf = _fit(ex, train_idx)
        probs = clf.predict_proba(vec.transform([ex.rows[i] for i in test_idx]))
        for i, p in zip(test_idx, probs, strict=True):
            oof[i] = dict(zip(clf.classes_, map(float, p), strict=True))
    thresholds = _thresholds(ex, oof)
    vec, clf = _fit(ex, np.arange(len(ex.rows)))
    weights = {
        f: [round(float(w), 3) for w in clf.coef_[:, j]]
        for f, j in sorted(vec.vocabulary_.items())
        if np.abs(clf.coef_[:, j]).max() >= MIN_WEIGHT
    }
    counts = {r: int((y == r).sum()) for r in ("perpetrator", "victim", "other")}
    chosen = ", ".join(f"{r} threshold {t:.2f} (out-of-fold F1 {f:.3f})" for r, (t, f) in thresholds.items())
    print(f"name roles: {len(ex.rows)} mentions in {groups.max() + 1} articles {counts}; {chosen}")
    return {
        "classes": [str(c) for c in clf.classes_],
        "bias": [round(float(b), 4) for b in clf.intercept_],
        "thresholds": {r: t for r, (t, _) in thresholds.items()},
        "weights": weights,
    }


def write(data_dir: Path) -> None:
    path = data_dir / "name_roles.json"
    path.write_text(json.dumps(train(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path.name} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    from summarizer.eval.datasets import REPO_ROOT

    write(REPO_ROOT / "summarizer" / "extract" / "data")
