"""Print how long the scorer takes on 1,000 synthetic gold/prediction pairs (target: under 2 s).

/work/venv/bin/python benchmarks/score_speed.py [N]
"""

from __future__ import annotations

import random
import sys
import time

from summarizer.eval.gold import GoldArticle, Prediction
from summarizer.eval.scoring import evaluate
from summarizer.schema import EVENT_TYPES, ArticleMeta, Event, RunInfo, Summary

PLACES = [
    ("Baghdad", "Baghdad", "IQ"),
    ("Chicago", "Illinois", "US"),
    ("Kharkiv", "Kharkiv Oblast", "UA"),
    ("Gaza City", None, "PS"),
    ("Aurora", "Colorado", "US"),
    ("Idlib", "Idlib", "SY"),
]
NAMES = [
    "U.S. Central Command (CENTCOM)",
    "Kataib Hezbollah",
    "Cyril Kim",
    "Phi Pham",
    "Islamic State",
    "Chicago Police Department",
    "Popular Mobilization Forces (PMF)",
    "Syrian Democratic Forces",
]


def _event(rng: random.Random, primary: bool) -> Event:
    place, admin1, code = rng.choice(PLACES)
    who = [{"name": rng.choice(NAMES), "role": rng.choice(["perpetrator", "victim", "target"])} for _ in range(3)]
    killed = rng.randint(0, 20)
    return Event.model_validate(
        {
            "primary": primary,
            "what": {"type": rng.choice(EVENT_TYPES)},
            "who": who,
            "where": {"place": place, "admin1": admin1, "country_code": code},
            "when": {"date": f"2024-0{rng.randint(1, 9)}-{rng.randint(10, 28)}", "precision": "day"},
            "casualties": [
                {
                    "killed": {"low": max(0, killed - 2), "best": killed, "high": killed + 2},
                    "injured": {"best": rng.randint(0, 50)},
                }
            ],
        }
    )


def _noisy(rng: random.Random, event: Event) -> Event:
    """A prediction: the gold event, sometimes replaced by a random one."""
    return event if rng.random() < 0.6 else _event(rng, event.primary)


def build(n: int, seed: int = 0) -> tuple[list[GoldArticle], dict[str, Prediction]]:
    rng = random.Random(seed)
    gold, predictions = [], {}
    for i in range(n):
        events = [_event(rng, primary=j == 0) for j in range(rng.randint(1, 4))]
        gold.append(GoldArticle(id=str(i), text="x" * 200, events=events))
        predicted = [_noisy(rng, e) for e in events] + ([_event(rng, False)] if rng.random() < 0.3 else [])
        rng.shuffle(predicted)
        predicted = [e.model_copy(update={"primary": k == 0}) for k, e in enumerate(predicted)]
        summary = Summary(article=ArticleMeta(id=str(i)), events=predicted, run=RunInfo(backend="b", model="m"))
        predictions[str(i)] = Prediction(id=str(i), summary=summary)
    return gold, predictions


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    gold, predictions = build(n)
    started = time.perf_counter()
    metrics = evaluate(gold, predictions)
    seconds = time.perf_counter() - started
    print(f"scored {n} articles in {seconds:.2f} s (headline F1 {metrics['headline_f1']:.3f})")


if __name__ == "__main__":
    main()
