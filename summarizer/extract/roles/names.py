"""Learned name roles: each name mention → perpetrator, victim or other.

A multinomial logistic regression over features of one mention (`features`): the name's kind, the
words around it, what the hand sentence shapes (`extract/people.py`) and the claim detector say of it,
whether it only speaks, and where in the story it sits. Trained by `python benchmarks/train.py` on MUC
DEV and the GVDB tune half (labels: the scorer's name match against gold actors) and shipped as
`data/name_roles.json`; inference is plain Python. A name's role is that of its best mention, kept when
its probability reaches the role's threshold (chosen out of fold for F1 at training time).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from summarizer.extract import data
from summarizer.extract.mentions import Mention, claims, names
from summarizer.extract.mentions.case import shouting, soften
from summarizer.extract.people import role_from_shapes
from summarizer.raw import RawActor
from summarizer.schema import ActorKind, Role

WORD = re.compile(r"[a-z]+|\d+")
WINDOW = 4
ROLES: tuple[Role, ...] = ("perpetrator", "victim")
PER_ROLE = 3
SPEAKS_AFTER = re.compile(
    r"^(?:,(?!\s+(?:was|were|is|are|had|has|have|and|but)\b)[^,.;]{1,80},)?\s+(?:\w+\s+)?(?:said|says|told|added|stated|confirmed|explained|declared|reported|"
    r"announced|denied|warned|claimed)\b",
    re.I,
)
SPEAKS_BEFORE = re.compile(
    r"(?:\b(?:said|says|according to|told by|quoted)\s+(?:\w+\s+){0,3}?|\bspokes(?:man|woman|person)\s+)$", re.I
)
SPOKESMAN = re.compile(r"^,\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){0,4}?spokes(?:man|woman|person)\b", re.I)
KINDS: dict[str, ActorKind] = {"person": "person", "group": "armed_group", "organization": "unknown"}


class Located(NamedTuple):
    """A name mention in one sentence of the story."""

    mention: Mention
    sentence: str
    position: int
    """The sentence's place in the story."""


def located(sentences: list[str]) -> list[Located]:
    """Every name mention, with its sentence; all-caps copy is read softened, as `people` reads it."""
    return _located(tuple(sentences))


@lru_cache(maxsize=4)
def _located(sentences: tuple[str, ...]) -> list[Located]:
    loud = shouting(list(sentences))
    out = []
    for i, s in enumerate(sentences):
        text = soften(s) if loud else s
        out += [Located(m, text, i) for m in names.find(text, loud=False)]
    return out


def speaks(loc: Located) -> bool:
    """ "X said", "X, the Taliban spokesman, said", "according to X", "spokesman X"."""
    m, s = loc.mention, loc.sentence
    after, before = s[m.end : m.end + 120], s[max(0, m.start - 60) : m.start]
    return bool(SPEAKS_AFTER.match(after) or SPEAKS_BEFORE.search(before) or SPOKESMAN.match(after))


def speakers(sentences: list[str]) -> set[str]:
    """The lower-cased names that speak somewhere in the story: sources, never victims."""
    return {loc.mention.text.lower() for loc in located(sentences) if speaks(loc)}


def _claimed(sentence: str) -> list[tuple[int, int]]:
    return [(c.head_start, c.head_start + len(c.head)) for c in claims.find(sentence)]


def features(loc: Located, count: int, claimed: list[tuple[int, int]]) -> list[str]:
    """Features of one mention; `count`: how often the story names it; `claimed`: claimant spans."""
    m, s = loc.mention, loc.sentence
    low = s.lower()
    before = ["<num>" if w[0].isdigit() else w for w in WORD.findall(low[: m.start])][-WINDOW:]
    after = ["<num>" if w[0].isdigit() else w for w in WORD.findall(low[m.end :])][:WINDOW]
    feats = [f"kind={m.head}", f"sent={min(loc.position, 6)}", f"count={min(count, 4)}"]
    feats += [f"b1={before[-1] if before else '<s>'}", f"a1={after[0] if after else '</s>'}"]
    feats += [f"b2={' '.join(before[-2:])}", f"a2={' '.join(after[:2])}"]
    feats += [f"bw={w}" for w in set(before)] + [f"aw={w}" for w in set(after)]
    feats.append(f"shape={role_from_shapes(s, m.start, m.end)}")
    if speaks(loc):
        feats.append("speaks")
    if any(a <= m.start < b or m.start <= a < m.end for a, b in claimed):
        feats.append("claimant")
    return feats  # not the name itself: out of fold it bought nothing, and it would only know DEV's names


def mentions(sentences: list[str]) -> list[tuple[Located, list[str]]]:
    """Every name mention of the story with its features, in order."""
    found = located(sentences)
    counts: dict[str, int] = {}
    for loc in found:
        key = loc.mention.text.lower()
        counts[key] = counts.get(key, 0) + 1
    claimed = {i: _claimed(s) for i, s in enumerate(sentences)}
    return [(loc, features(loc, counts[loc.mention.text.lower()], claimed[loc.position])) for loc in found]


class Model(NamedTuple):
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, list[float]]
    thresholds: dict[str, float]

    def probabilities(self, feats: list[str]) -> dict[str, float]:
        logits = list(self.bias)
        for f in feats:
            for i, w in enumerate(self.weights.get(f, [])):
                logits[i] += w
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}


def _load() -> Model:
    raw = json.loads(resources.files(data.__name__).joinpath("name_roles.json").read_text(encoding="utf-8"))
    weights: dict[str, list[float]] = raw["weights"]  # as parsed: a copy per feature costs start-up time
    return Model(tuple(raw["classes"]), tuple(raw["bias"]), weights, dict(raw["thresholds"]))


model = data.once(_load)


def scored(sentences: list[str]) -> dict[str, tuple[Mention, dict[str, float]]]:
    """Each name (lower-cased) → its first mention and, per role, its best mention's probability."""
    m = model()
    best: dict[str, tuple[Mention, dict[str, float]]] = {}
    for loc, feats in mentions(sentences):
        key = loc.mention.text.lower()
        p = m.probabilities(feats)
        first, known = best.get(key, (loc.mention, {}))
        best[key] = (first, {r: max(known.get(r, 0.0), p[r]) for r in ROLES})
    return best


def decide(sentences: list[str]) -> list[RawActor]:
    """The names the model gives a role, best first, at most three per role."""
    m = model()
    chosen: list[tuple[float, RawActor]] = []
    for mention, p in scored(sentences).values():
        role = max(ROLES, key=lambda r: p[r] / m.thresholds[r])
        if p[role] >= m.thresholds[role]:
            chosen.append((p[role], RawActor(name=mention.text, role=role, kind=KINDS[mention.head])))
    chosen.sort(key=lambda c: -c[0])
    out: list[RawActor] = []
    for _, actor in chosen:
        if sum(a.role == actor.role for a in out) < PER_ROLE:
            out.append(actor)
    return out
