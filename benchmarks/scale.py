"""Articles per second for `batch` on one worker, on every core (`--engine local`, the default) and with
`--engine ray` (when installed), in the same run.

    python benchmarks/scale.py                       # rules backend, GVDB dev articles × repeats
    python benchmarks/scale.py --articles 2000 --workers 2

All three summarize the same JSONL (GVDB dev articles, repeated with new ids up to --articles) with the
rules backend (the default path's extractor):
- 1 worker: `--num-workers 1`, this process alone (the path before the process pool);
- all cores: `--engine local` with its default, one worker process per core (start-up included);
- ray: `--engine ray --num-workers N`; also the cluster start (`ray.init`, paid once per job, excluded),
  each actor's start-up and the rate once the slowest actor is ready.
The ratios are against 1 worker, end to end. The machine's load average is printed too: on a shared
machine more processes also means a larger share of the cores, so compare runs made under similar load.
Ray needs: pip install -e ".[ray]"; without it the ray lines say so.
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
from summarizer.batch.pool import cores  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.errors import ConfigError  # noqa: E402
from summarizer.eval.datasets import load_dataset  # noqa: E402

SETTINGS = Settings(backend="rules", use_cache=False)


def _write_input(path: Path, n: int) -> None:
    articles = load_dataset("gvdb-dev")
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            a = articles[i % len(articles)]
            row = {"id": f"{a.id}-{i}", "text": a.text, "published": a.published, "title": a.title}
            handle.write(json.dumps(row) + "\n")


def _local(source: Path, out: Path, workers: int | None) -> float:
    started = time.perf_counter()
    report = run_batch(source, out, SETTINGS, BatchOptions(progress=False, num_workers=workers))
    assert report.ok + report.failed == report.total and report.ok > 0, report
    return time.perf_counter() - started


def _ray(source: Path, out: Path, workers: int) -> tuple[float, float, list[float]] | str:
    """(cluster start, wall seconds, per-actor start-up seconds), or why Ray did not run."""
    from summarizer.batch.ray_engine import RayOptions, import_ray, run_ray_batch

    try:
        ray = import_ray(local=True)  # a loopback-only cluster
    except ConfigError as exc:
        return str(exc)
    started = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    init_s = time.perf_counter() - started
    try:
        started = time.perf_counter()
        report = run_ray_batch(source, out, SETTINGS, BatchOptions(progress=False), RayOptions(num_workers=workers))
        wall = time.perf_counter() - started
    finally:
        ray.shutdown()
    assert report.ok + report.failed == report.total, report
    note = next((n for n in report.notes if "start-up" in n), "")
    return init_s, wall, [float(x) for x in re.findall(r"([\d.]+)s", note)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=cores(), help="Ray actors (default: one per core)")
    args = parser.parse_args()
    n = args.articles
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        _write_input(source, n)
        load_before = os.getloadavg()[0]
        one_s = _local(source, Path(tmp) / "one.jsonl", 1)
        all_s = _local(source, Path(tmp) / "all.jsonl", None)
        ray = _ray(source, Path(tmp) / "ray", args.workers)
        load_after = os.getloadavg()[0]
    print(f"articles: {n} (GVDB dev articles, repeated), backend rules, {cores()} cores")
    print(f"1 worker  : {one_s:6.1f} s  {n / one_s:6.1f} articles/s")
    print(f"all cores : {all_s:6.1f} s  {n / all_s:6.1f} articles/s  ({cores()} worker processes, start-up included)")
    if isinstance(ray, str):
        print(f"ray       : not run ({ray})")
    else:
        init_s, wall_s, startup = ray
        after_s = wall_s - max(startup, default=0.0)
        print(f"ray       : {wall_s:6.1f} s  {n / wall_s:6.1f} articles/s end to end ({args.workers} actors, "
              "cluster start excluded)")  # fmt: skip
        print(f"ray       : {after_s:6.1f} s  {n / after_s:6.1f} articles/s once the actors are ready")
        print(f"ray cluster start: {init_s:.1f} s; actor start-up: {', '.join(f'{s:.1f}' for s in startup)} s")
    ratios = f"all cores {one_s / all_s:.2f}x"
    if not isinstance(ray, str):
        ratios += f", ray {one_s / ray[1]:.2f}x end to end"
    print(f"ratio to 1 worker: {ratios}")
    print(f"load average (1 min) before/after: {load_before:.1f} / {load_after:.1f} on {cores()} cores")


if __name__ == "__main__":
    main()
