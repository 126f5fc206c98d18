"""The relevance gate: does an article report a violent event at all?

A logistic regression over case-folded word unigrams and bigrams (tf-idf, sublinear tf, l2-normed),
trained by `python benchmarks/train.py` on the GVDB tune half, MUC-3/4 DEV (relevant and irrelevant
messages) and the tuning non-event set, and shipped as `data/relevance.json`. Inference is plain Python
(no scikit-learn at run time): a dot product over the words of the article.

Sports reports, attack ads, market crashes, reviews, health statistics, accidents and natural
disasters score low; so do MUC messages that report no terrorist incident.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from importlib import resources
from typing import Any, NamedTuple

from summarizer.extract import data

MAX_CHARS = 6000
"""Only the opening of a long article is read: the event, if any, is reported there."""
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")


class Relevance(NamedTuple):
    score: float
    """0 to 1; 0.5 and above: the article reports a violent event."""
    relevant: bool


def tokens(text: str) -> list[str]:
    """Case-folded words; every number becomes "<num>" (MUC is upper case, GVDB mixed)."""
    return ["<num>" if t[0].isdigit() else t for t in TOKEN.findall(text[:MAX_CHARS].lower())]


def features(text: str) -> Counter[str]:
    words = tokens(text)
    grams = Counter(words)
    grams.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return grams


class Model(NamedTuple):
    weights: dict[str, tuple[float, float]]
    """feature → (idf, weight)"""
    bias: float
    threshold: float

    def probability(self, grams: Counter[str]) -> float:
        total = norm = 0.0
        for feature, count in grams.items():
            known = self.weights.get(feature)
            if known is not None:
                value = (1 + math.log(count)) * known[0]
                norm += value * value
                total += value * known[1]
        logit = self.bias + (total / math.sqrt(norm) if norm else 0.0)
        return 1 / (1 + math.exp(-logit))


class Models(NamedTuple):
    violent: Model
    """Reports a violent event at all, vs sports, markets, reviews, health, accidents, disasters."""
    incident: Model
    """Reports an attack (MUC's relevance), vs political and military news that reports none."""


def _model(raw: dict[str, Any]) -> Model:
    return Model({f: (idf, w) for f, idf, w in raw["features"]}, raw["bias"], raw["threshold"])


def _load() -> Models:
    raw = json.loads(resources.files(data.__name__).joinpath("relevance.json").read_text(encoding="utf-8"))
    return Models(_model(raw["violent"]), _model(raw["incident"]))


models = data.once(_load)


def judge(text: str) -> Relevance:
    """The gate's decision on one article; `score` is the lower of the two models' probabilities, each
    rescaled so that its threshold sits at 0.5."""
    grams = features(text)
    m = models()
    scaled = [_rescale(part.probability(grams), part.threshold) for part in m]
    score = min(scaled)
    return Relevance(round(score, 3), score >= 0.5)


def _rescale(p: float, threshold: float) -> float:
    return p / threshold * 0.5 if p < threshold else 0.5 + (p - threshold) / (1 - threshold) * 0.5
