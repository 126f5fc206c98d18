"""Articles per second for `batch --engine local` vs `--engine ray` on this machine, in the same run.

    python benchmarks/scale.py                       # rules backend, GVDB dev articles × repeats
    python benchmarks/scale.py --articles 2000 --workers 2

Both engines summarize the same JSONL (GVDB dev articles, repeated with new ids up to --articles) with
the rules backend (the default path's extractor). Prints, per engine: wall time and articles/s; for
Ray also the cluster start (`ray.init`, paid once per job), each actor's start-up (process, imports,
gazetteer and word lists, until the actor is ready) and the rate once the slowest actor is ready. The
ratio is ray / local articles/s, end to end (cluster start excluded, actor start-up included) and after
start-up. The machine's load average is printed too: on a shared machine more processes also means a
larger share of the cores, so compare runs made under similar load. Needs: pip install -e ".[ray]".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PYTHONPATH", str(REPO))  # Ray's worker processes import the package from here

from summarizer.batch import BatchOptions, run_batch  # noqa: E402
from summarizer.batch.ray_engine import RayOptions, import_ray, run_ray_batch  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.eval.datasets import load_dataset  # noqa: E402


def _write_input(path: Path, n: int) -> None:
    articles = load_dataset("gvdb-dev")
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            a = articles[i % len(articles)]
            row = {"id": f"{a.id}-{i}", "text": a.text, "published": a.published, "title": a.title}
            handle.write(json.dumps(row) + "\n")


def _local(source: Path, out: Path) -> float:
    started = time.perf_counter()
    report = run_batch(source, out, Settings(backend="rules", use_cache=False), BatchOptions(progress=False))
    assert report.failed == 0 or report.ok > 0
    return time.perf_counter() - started


def _ray(source: Path, out: Path, workers: int) -> tuple[float, list[float]]:
    """(wall seconds, per-actor start-up seconds)."""
    started = time.perf_counter()
    report = run_ray_batch(source, out, Settings(backend="rules", use_cache=False),
                           BatchOptions(progress=False), RayOptions(num_workers=workers))  # fmt: skip
    wall = time.perf_counter() - started
    assert report.ok + report.failed == report.total, report
    note = next((n for n in report.notes if "start-up" in n), "")
    return wall, [float(x) for x in re.findall(r"([\d.]+)s", note)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ray = import_ray(local=True)  # a loopback-only cluster
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        _write_input(source, args.articles)
        n = args.articles
        load_before = os.getloadavg()[0]
        local_s = _local(source, Path(tmp) / "local.jsonl")
        started = time.perf_counter()
        ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        init_s = time.perf_counter() - started
        try:
            wall_s, startup = _ray(source, Path(tmp) / "ray", args.workers)
        finally:
            ray.shutdown()
        load_after = os.getloadavg()[0]
    cores = os.cpu_count()
    print(f"articles: {n} (GVDB dev articles, repeated), backend rules, {cores} cores, {args.workers} Ray workers")
    print(f"local : {local_s:6.1f} s  {n / local_s:6.1f} articles/s")
    print(f"ray   : {wall_s:6.1f} s  {n / wall_s:6.1f} articles/s end to end (cluster start excluded)")
    after_s = wall_s - max(startup, default=0.0)
    print(f"ray   : {after_s:6.1f} s  {n / after_s:6.1f} articles/s once the actors are ready")
    print(f"ray cluster start (ray.init): {init_s:.1f} s; actor start-up: {', '.join(f'{s:.1f}' for s in startup)} s")
    print(f"ratio ray/local: {local_s / wall_s:.2f}x end to end, {local_s / after_s:.2f}x after actor start-up")
    print(f"load average (1 min) before/after: {load_before:.1f} / {load_after:.1f} on {cores} cores")


if __name__ == "__main__":
    main()
