"""LLM quality with a real small instruct model: per-field F1 of rules, full, hybrid and select, side by side.

    python benchmarks/llm_quality.py --model PATH.gguf [--articles 12] [--datasets gvdb-dev-test,muc-test]
                                     [--strategies rules,select,full,hybrid]

Serves PATH with `python -m llama_cpp.server` on 127.0.0.1 (n_ctx 8192), runs the first N articles of each
held-out dataset through `summarize` with the openai backend pointed at it, once per strategy, and prints
per-field F1, headline F1, grounding, ok articles, tokens and seconds per article. The measuring instrument
is `../shared/tools/instrument-model.sh` (Qwen2.5-Coder-1.5B-Instruct Q4_K_M): for measuring only, never a
dependency or a default. The select rows run with the default settings (`--strategy auto`), which choose
select for a server on this machine; the script checks that each run record says so.

Runs are slow on 2 cores (40-60 s per article per model strategy), so each finished article is kept in
`--state DIR` (per code version, dataset and strategy) together with the response cache: an interrupted
run resumes where it stopped, and its seconds and tokens are those of the first, uncached run. The server
listens on a fixed `--port`, because the endpoint is part of every cache key: a copy of an earlier code
version's cache.sqlite3 into the new version's directory then answers every unchanged request.

Measured 2026-12-04 at commit b4b26f3 (2 cores shared with six other sessions, load average 5-12, so the
seconds are 2-3x what a quiet machine gives; README "LLM quality" has the table).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.config import load_settings  # noqa: E402
from summarizer.eval.datasets import load_dataset  # noqa: E402
from summarizer.eval.gold import Prediction  # noqa: E402
from summarizer.eval.runs import predict  # noqa: E402
from summarizer.eval.scoring import FIELDS, evaluate  # noqa: E402
from tests.real_server import LlamaServer  # noqa: E402

DEFAULT_MODEL = Path.home() / ".cache" / "summarizer-instrument" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
STATE = Path.home() / ".cache" / "summarizer-llm-quality"
SHOWN = ("headline", "what", "who", "perpetrator", "victim", "place", "country_code", "date", "killed", "injured")


def settings_for(strategy: str, base_url: str | None, cache: Path) -> Any:
    if strategy == "rules":
        return load_settings(backend="rules", use_cache=False)
    extra = {"model_field_groups": "what,who,where,when,killed,injured"} if strategy == "hybrid" else {}
    # select is what the default (auto) runs against a local server: measured through the default itself
    chosen = "auto" if strategy == "select" else strategy
    return load_settings(backend="openai", base_url=base_url, model="qwen1.5b", strategy=chosen,
                         cache_path=str(cache), timeout_s=900.0, **extra)  # fmt: skip


def run(strategy: str, dataset: str, n: int, base_url: str | None, state: Path) -> list[Prediction]:
    """The first `n` articles of `dataset`, resumed from `state` where already done."""
    gold = load_dataset(dataset, n)
    path = state / f"{dataset}.{strategy}.jsonl"
    done = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            p = Prediction.model_validate_json(line)
            done[p.id] = p
    settings = settings_for(strategy, base_url, state / "cache.sqlite3")
    with path.open("a", encoding="utf-8") as out:
        for i, article in enumerate(gold):
            if article.id in done:
                continue
            started = time.monotonic()
            done[article.id] = prediction = predict(article, settings)
            out.write(prediction.model_dump_json() + "\n")
            out.flush()
            print(f"  {dataset} {strategy} {i + 1}/{len(gold)} {article.id}: {prediction.status} "
                  f"{time.monotonic() - started:.1f}s", file=sys.stderr, flush=True)  # fmt: skip
    return [done[a.id] for a in gold]


def row(strategy: str, dataset: str, n: int, predictions: list[Prediction]) -> dict[str, Any]:
    metrics = evaluate(load_dataset(dataset, n), {p.id: p for p in predictions})
    usage = [p.summary.run.usage for p in predictions if p.summary]
    ran = {p.summary.run.strategy or "rules" for p in predictions if p.summary}
    if ran and ran != {strategy}:
        raise SystemExit(f"{strategy}: the runs used {sorted(ran)}")
    f1 = {name: metrics["fields"][name]["f1"] for name in FIELDS}
    return {"strategy": strategy, "dataset": dataset, "n": len(predictions), "ok": metrics["n_ok"],
            "headline": metrics["headline_f1"], **f1, "grounding": metrics["grounding_rate"],
            "rejected": metrics["n_rejected"],
            "requests": sum(u.calls for u in usage) / max(1, len(usage)),
            "tokens": sum(u.prompt_tokens + u.completion_tokens for u in usage) / max(1, len(usage)),
            "seconds": sum(p.seconds or 0.0 for p in predictions) / max(1, len(predictions))}  # fmt: skip


def print_table(rows: list[dict[str, Any]]) -> None:
    cols = ["dataset", "strategy", "ok", *SHOWN, "grounding", "requests", "tokens", "seconds"]
    print(" | ".join(f"{c:>10}" for c in cols))
    for r in rows:
        cells = [r["dataset"], r["strategy"], f"{r['ok']}/{r['n']}"]
        cells += ["-" if r[c] is None else f"{r[c]:.3f}" for c in SHOWN]
        cells += ["-" if r["grounding"] is None else f"{r['grounding']:.3f}", f"{r['requests']:.2f}",
                  f"{r['tokens']:.0f}", f"{r['seconds']:.1f}"]  # fmt: skip
        print(" | ".join(f"{c:>10}" for c in cells))


def code_version() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "summarizer", "prompts"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()  # fmt: skip
    return done.stdout.strip() + ("-dirty" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--datasets", default="gvdb-dev-test,muc-test")
    parser.add_argument("--strategies", default="rules,select,full,hybrid")
    parser.add_argument("--state", type=Path, default=STATE, help="kept results and response cache")
    parser.add_argument("--port", type=int, default=8765, help="the server's port: part of every cache key")
    parser.add_argument("--version", default=None, help="results of this code version (default: git HEAD)")
    args = parser.parse_args()
    strategies = args.strategies.split(",")
    state = args.state / (args.version or code_version())
    state.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SUMMARIZER_HOME", str(args.state / "home"))
    server = None
    if any(s != "rules" for s in strategies):
        if not args.model.exists():
            sys.exit(f"no model at {args.model}: run ../shared/tools/instrument-model.sh, or pass --model")
        server = LlamaServer(n_ctx=8192, model_path=args.model, log_path=state / "server.log", port=args.port)
        server.start(wait_s=300)
    rows = []
    try:
        for dataset in args.datasets.split(","):
            for strategy in strategies:
                url = f"{server.url}/v1" if server else None
                rows.append(row(strategy, dataset, args.articles, run(strategy, dataset, args.articles, url, state)))
    finally:
        if server:
            server.stop()
    print(f"model {args.model.name}, code {state.name}, first {args.articles} articles of each dataset")
    print_table(rows)
    (state / "table.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
