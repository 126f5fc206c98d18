"""Seconds per article for a backend on the seed and the GVDB dev sample: median, p95, model load.

    python benchmarks/speed.py                 # embedded default (local), 30 GVDB articles + seed
    python benchmarks/speed.py --backend rules --limit 200

The response cache is off, so every article pays for its model calls.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from summarizer import load_settings, summarize
from summarizer.backends import get_backend
from summarizer.eval.datasets import load_dataset

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_56ed328a523a33ef.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="local")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--model-fields", default=None)
    args = parser.parse_args()
    settings = load_settings(backend=args.backend, use_cache=False, model_fields=args.model_fields)
    started = time.perf_counter()
    if args.backend != "rules":
        get_backend(settings)
    load_s = time.perf_counter() - started
    seed_s = _time(SEED.read_text(encoding="utf-8"), None, settings)
    seconds = [_time(a.text, a.published, settings) for a in load_dataset("gvdb-dev", args.limit)]
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    print(f"backend: {args.backend}  articles: {len(seconds)} (GVDB dev sample) + seed")
    print(f"model load: {load_s:.2f} s")
    print(f"seed: {seed_s:.2f} s")
    print(f"per article: median {statistics.median(seconds):.2f} s, p95 {p95:.2f} s, max {seconds[-1]:.2f} s")


def _time(text: str, published: str | None, settings: object) -> float:
    started = time.perf_counter()
    summarize(text, published=published, settings=settings)  # type: ignore[arg-type]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
