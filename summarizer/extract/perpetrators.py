"""The perpetrator ranker: which of the attacker phrases a message mentions are its perpetrators.

Candidates are the phrases MUC-3/4 DEV keys name as perpetrators in at least two messages ("fmln",
"urban terrorists", "armed men", "shining path"). Each mention is scored by a logistic regression over
case-folded features of the phrase and the words around it ("by", "claimed", "accused", attack verbs,
the sentence's place in the story); a phrase's score is its best mention's. Trained by
`python benchmarks/train.py` on MUC DEV keys and shipped as `data/perpetrators.json`; inference is plain
Python, loaded the first time a perpetrator is looked for.
"""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from typing import NamedTuple

from summarizer.extract import data

WORD = re.compile(r"[a-z]+|\d+")
WINDOW = 5


class Ranker(NamedTuple):
    pattern: re.Pattern[str]
    weights: dict[str, float]
    bias: float
    threshold: float


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=lambda p: (-len(p), p))
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


def mention_features(sentence: str, start: int, end: int, index: int, count: int) -> list[str]:
    """Features of one mention: the phrase, the words just before and after it, the words near it, which
    sentence of the story it is in, and how often the story mentions it."""
    phrase = " ".join(sentence[start:end].lower().split())
    before = ["<num>" if w[0].isdigit() else w for w in WORD.findall(sentence[:start].lower())][-WINDOW:]
    after = ["<num>" if w[0].isdigit() else w for w in WORD.findall(sentence[end:].lower())][:WINDOW]
    feats = [f"p={phrase}", f"sent={min(index, 6)}", f"count={min(count, 4)}", f"len={min(len(phrase.split()), 4)}"]
    feats += [f"b1={before[-1] if before else '<s>'}", f"a1={after[0] if after else '</s>'}"]
    feats += [f"b2={' '.join(before[-2:])}", f"a2={' '.join(after[:2])}"]
    feats += [f"bw={w}" for w in set(before)] + [f"aw={w}" for w in set(after)]
    return feats


def mentions(sentences: list[str], pattern: re.Pattern[str]) -> list[tuple[str, list[str]]]:
    """(phrase as written, features) for every candidate mention in the sentences, in order."""
    found = [(i, m) for i, s in enumerate(sentences) for m in pattern.finditer(s)]
    counts: dict[str, int] = {}
    for _, m in found:
        key = " ".join(m.group().lower().split())
        counts[key] = counts.get(key, 0) + 1
    out = []
    for i, m in found:
        key = " ".join(m.group().lower().split())
        out.append((m.group(), mention_features(sentences[i], m.start(), m.end(), i, counts[key])))
    return out


def _load() -> Ranker:
    raw = json.loads(resources.files(data.__name__).joinpath("perpetrators.json").read_text(encoding="utf-8"))
    return Ranker(phrase_pattern(raw["phrases"]), dict(raw["weights"]), raw["bias"], raw["threshold"])


ranker = data.once(_load)


def score(feats: list[str], model: Ranker) -> float:
    logit = model.bias + sum(model.weights.get(f, 0.0) for f in feats)
    return 1 / (1 + math.exp(-logit))


def rank(sentences: list[str], limit: int = 3) -> list[tuple[str, float]]:
    """The phrases the ranker takes for perpetrators (as first written, with their best score), best first."""
    model = ranker()
    best: dict[str, tuple[str, float]] = {}
    for written, feats in mentions(sentences, model.pattern):
        key = " ".join(written.lower().split())
        p = score(feats, model)
        if key not in best or p > best[key][1]:
            best[key] = (best.get(key, (written, 0.0))[0], p)
    chosen = sorted((v for v in best.values() if v[1] >= model.threshold), key=lambda v: -v[1])
    return chosen[:limit]
