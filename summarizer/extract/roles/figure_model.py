"""The learned figure-role model: for each figure mention, killed / injured / other.

A multinomial logistic regression over a few sparse features of the mention and the words around it
(`features`), trained by `python benchmarks/train.py` (`benchmarks/training/figures.py`) on figures
aligned to the gold casualty counts of the GVDB tune half and MUC DEV, and shipped as
`data/figure_roles.json`. Inference is plain Python: one dot product per label, then softmax. The
hand patterns (`roles/casualties.py`) are features here and the fallback when the model abstains."""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from typing import NamedTuple

from summarizer.extract import data
from summarizer.extract.mentions.base import Mention
from summarizer.extract.mentions.dates import BACKGROUND

LABELS = ("killed", "injured", "other")
WINDOW_LEFT, WINDOW_RIGHT = 4, 5
_WORD = re.compile(r"[a-z]+|\d+")


def features(figure: Mention, sentence: str, offset: int, rule_roles: frozenset[str]) -> dict[str, float]:
    """Sparse features of one figure in its sentence. `offset`: the sentence's start in the article (the
    mention's offsets are the article's); `rule_roles`: the outcomes whose hand pattern picked this figure."""
    start, end = figure.start - offset, figure.end - offset
    left = _WORD.findall(sentence[:start].lower())[-WINDOW_LEFT:]
    right = _WORD.findall(sentence[end:].lower())[:WINDOW_RIGHT]
    feats: dict[str, float] = {"bias": 1.0, f"head={figure.head.lower()}": 1.0, f"class={figure.value}": 1.0}
    feats.update({f"L={w}": 1.0 for w in left})
    feats.update({f"R={w}": 1.0 for w in right})
    if left:
        feats[f"L1={left[-1]}"] = 1.0
    if right:
        feats[f"R1={right[0]}"] = 1.0
    feats.update({f"rule={r}": 1.0 for r in rule_roles})
    feats["open"] = float(figure.high is None)
    feats["big"] = float((figure.best or 0) >= 100)
    feats["background"] = float(BACKGROUND.search(sentence) is not None)
    feats["first_half"] = float(start < len(sentence) / 2)
    return feats


class Model(NamedTuple):
    weights: dict[str, dict[str, float]]
    """label → feature → weight"""
    bias: dict[str, float]
    threshold: float
    """The smallest probability at which the model's label is taken over the rules'."""

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        logits = {
            label: self.bias[label] + sum(self.weights[label].get(f, 0.0) * v for f, v in feats.items())
            for label in LABELS
        }
        top = max(logits.values())
        exp = {label: math.exp(v - top) for label, v in logits.items()}
        total = sum(exp.values())
        return {label: v / total for label, v in exp.items()}


def _load() -> Model:
    raw = json.loads(resources.files(data.__name__).joinpath("figure_roles.json").read_text(encoding="utf-8"))
    return Model(raw["weights"], raw["bias"], raw["threshold"])


model = data.once(_load)
