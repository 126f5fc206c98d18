"""`summarizer batch --engine ray`: the same pipeline over a Ray cluster, with one rate limit for all of it.

    inputs ──► Ray Data dataset (rows not yet in OUT/) ──► actor pool of `_Worker`s ──► result rows
      JSONL/CSV/.txt folder: read on the driver by `io.read_inputs` (the same records and error lines)
      Parquet, a folder of shards, fsspec URLs: Ray Data readers, records built in the workers
                                 each `_Worker` holds its extractor, models and HTTP client for its life
    OUT/part-*.jsonl + _SUCCESS ◄── the driver: one writer, atomic shards, each id once ◄──┘

Exactly once: only the driver writes, it skips an id it has already written, and shards appear whole
(temp file + rename), so a re-run skips exactly the ids on disk. Ray restarts a killed worker and
re-runs its unfinished batch; a batch's lines reach the driver only when the whole batch is done.
Rate limits: requests/min, tokens/min and server pauses (`Retry-After`, `x-ratelimit-*`) live in one
`_Limiter` actor that every worker's HTTP client asks before each request; `--concurrency` is the
cluster total, split across the workers. The response cache is the SQLite file under SUMMARIZER_HOME:
shared by the workers of a node, per node on a multi-node cluster.

`ray` is imported only here, and only when this engine runs: `pip install "summarizer[ray]"`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import sys
import time
import warnings
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from summarizer.backends import traits_for
from summarizer.batch import shards
from summarizer.batch.io import FIELDS, InputFields, InputRecord, ResultLine, _record, read_inputs
from summarizer.batch.options import BatchOptions, BatchReport
from summarizer.batch.prices import cost_usd, load_prices
from summarizer.batch.progress import Progress
from summarizer.batch.ratelimit import RateLimiter
from summarizer.batch.runner import (
    SummarizeFn,
    _concurrency,
    _default_model,
    _estimate,
    _LiveRunner,
    _pipeline_fn,
    sequential,
)
from summarizer.config import Settings
from summarizer.errors import ConfigError, InputError, SummarizerError, one_line
from summarizer.pipeline import summarize as summarize_article
from summarizer.schema import Article

RAY_HINT = 'the ray engine needs Ray Data: pip install "summarizer[ray]" (or pip install "ray[data]==2.60.0")'
WARM_UP_TEXT = "Gunmen opened fire on a market in Kano on Tuesday, killing at least 5 people, police said."
RAY_READERS = {".parquet": "read_parquet", ".jsonl": "read_json", ".json": "read_json", ".csv": "read_csv"}


@dataclass(frozen=True)
class RayOptions:
    address: str | None = None
    """`auto`, `ray://host:10001` or a GCS address; None starts a local cluster on this machine."""
    num_workers: int = 2
    """Actors in the pool, each on one CPU."""
    batch_size: int = 16
    """Articles handed to a worker at a time (and re-run together if the worker dies)."""
    local_cpus: int | None = None
    """CPUs for a local cluster; None means `num_workers`."""
    shard_lines: int = 64
    shard_wait_s: float = 1.0


@dataclass
class RayRun:
    """What the driver learns while the pool works."""

    started_at: float = field(default_factory=time.time)
    startup_s: dict[str, float] = field(default_factory=dict)
    """Worker pid → seconds from the run's start until it was ready: process, imports, models, client."""
    retried_duplicates: int = 0


LOOPBACK_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
"""Set to 0 before Ray is imported, a local cluster listens on 127.0.0.1 instead of the machine's address."""


def import_ray(local: bool = False) -> ModuleType:
    """Ray, or a ConfigError saying how to install it; `local`: this process starts a loopback-only cluster."""
    if local:
        os.environ.setdefault(LOOPBACK_ENV, "0")
    try:
        import ray
        import ray.data  # the extra is ray[data]: fail here, not mid-run
    except ImportError as exc:
        raise ConfigError(RAY_HINT) from exc
    module: ModuleType = ray  # typed here: without the extra installed, mypy sees `ray` as Any
    return module


# -- entry point ---------------------------------------------------------------------------------


def run_ray_batch(
    input_path: str | Path,
    output_dir: str | Path,
    settings: Settings,
    options: BatchOptions | None = None,
    ray_options: RayOptions | None = None,
    summarize_fn: SummarizeFn | None = None,
) -> BatchReport:
    """Process every article of `input_path` not yet in the results directory `output_dir`."""
    options, ray_options = options or BatchOptions(), ray_options or RayOptions()
    if options.mode != "live":
        raise ConfigError("--engine ray runs the live mode; the Batch API mode runs with --engine local")
    source, out = str(input_path), Path(output_dir)
    if Path(source).exists() and Path(source).resolve() == out.resolve():
        raise InputError(f"output {out} is the input; pass a different directory with -o")
    if out.exists() and not out.is_dir():
        raise InputError(f"output {out} is a file; --engine ray writes a directory of shards (see --merge)")
    report = BatchReport(input=source, output=str(out), dry_run=options.dry_run)
    if options.retry_failed and not options.dry_run:
        report.notes.append(f"retrying {len(shards.drop_failed(out))} failed id(s)")
    done = shards.done_status(out)
    if options.dry_run:
        _dry_run(source, done, report, settings, options.fields)
    else:
        _run(source, out, done, settings, options, ray_options, report, summarize_fn)
    report.failed_ids = sorted(rid for rid, status in shards.done_status(out).items() if status != "ok")
    model = settings.model or _default_model(settings)
    prices = load_prices(options.prices)
    report.cost_usd = cost_usd(prices, settings.backend, model, report.prompt_tokens, report.completion_tokens)
    return report


def _dry_run(
    source: str, done: Mapping[str, str], report: BatchReport, settings: Settings, fields: InputFields
) -> None:
    records = list(_driver_records(source, fields))
    report.total = len(records)
    pending = [r for r in records if r.id not in done]
    report.skipped = report.total - len(pending)
    _estimate(pending, report, settings)
    if not traits_for(settings).in_process:
        report.notes.append(
            "the response cache is per node (SQLite under SUMMARIZER_HOME): on an N-node cluster an article "
            "cached on another node is paid again, so a re-run costs up to the estimate above"
        )


def _driver_records(source: str, fields: InputFields) -> Iterator[InputRecord]:
    """Records read on the driver: the local engine's readers, or any Ray-readable source row by row."""
    if _read_on_driver(source):
        return read_inputs(Path(source), fields)
    return (_row_record(row) for row in _ray_dataset(import_ray(local=True), source).iter_rows())


# -- the run -------------------------------------------------------------------------------------


def _run(
    source: str,
    out: Path,
    done: Mapping[str, str],
    settings: Settings,
    options: BatchOptions,
    ray_options: RayOptions,
    report: BatchReport,
    summarize_fn: SummarizeFn | None,
) -> None:
    ray = import_ray(local=ray_options.address is None)
    started_cluster = _connect(ray, ray_options)
    started = time.monotonic()
    run = RayRun()
    try:
        run = _map(ray, source, out, done, settings, options, ray_options, report, summarize_fn)
    except ray.exceptions.RayError as exc:
        # The shards on disk are whole: the same command resumes from them.
        raise SummarizerError(f"the Ray job failed: {one_line(exc, 300)}; re-run the same command to resume") from exc
    finally:
        report.duration_s = time.monotonic() - started
        if started_cluster:
            ray.shutdown()
    _finish(out, run, report)


def _map(
    ray: ModuleType,
    source: str,
    out: Path,
    done: Mapping[str, str],
    settings: Settings,
    options: BatchOptions,
    ray_options: RayOptions,
    report: BatchReport,
    summarize_fn: SummarizeFn | None,
) -> RayRun:
    dataset, pending, pool = _pending_dataset(ray, source, done, ray_options, report, options.fields)
    if not pending:
        return RayRun()
    shards.clear_manifest(out)
    limiter = _limiter_actor(ray, settings, options)
    per_worker = _per_worker_concurrency(settings, options, pool, report)
    worker = {"settings": settings, "options": options, "limiter": limiter, "concurrency": per_worker}
    results = dataset.map_batches(
        _Worker,
        fn_constructor_kwargs={**worker, "summarize_fn": summarize_fn},
        batch_size=ray_options.batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=pool),
        num_cpus=1,
    )
    return _collect(time.time(), results, out, done, pending, options, ray_options, report)


def _connect(ray: ModuleType, ray_options: RayOptions) -> bool:
    """Join the given cluster, reuse a running one, or start a local one; whether we started it."""
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # its notices would tear through the progress bar
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the driver shows one rich bar from the results instead
    context.print_on_execution_start = False
    if ray.is_initialized():
        return False
    logging.getLogger("ray").setLevel(logging.WARNING)
    if ray_options.address:
        try:
            ray.init(address=ray_options.address, logging_level=logging.WARNING, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(f"cannot join the Ray cluster at {ray_options.address}: {one_line(exc, 200)}") from exc
    else:
        cpus = ray_options.local_cpus or ray_options.num_workers
        ray.init(num_cpus=cpus, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    return True


def _read_on_driver(source: str) -> bool:
    """The local engine's readers for a local JSONL/CSV file or a folder of .txt (same error lines)."""
    path = Path(source)
    if "://" in source:
        return False
    if path.is_dir():
        return not any(path.glob(p) for p in ("*.parquet", "*.jsonl", "*.json", "*.csv"))
    if not path.exists():
        raise InputError(f"input not found: {source}")
    return path.suffix.lower() != ".parquet"


def _ray_dataset(ray: ModuleType, source: str) -> Any:
    """A Ray Data reader chosen by extension (of the file, or of most files in the folder or prefix)."""
    import fsspec  # a Ray Data dependency

    fs, root = fsspec.core.url_to_fs(source)
    names = [str(n) for n in fs.ls(root, detail=False)] if fs.isdir(root) else [root]
    suffixes = [Path(n).suffix.lower() for n in names if Path(n).suffix.lower() in RAY_READERS]
    if not suffixes:
        raise InputError(f"no .parquet, .jsonl, .json or .csv files in {source}")
    suffix = max(set(suffixes), key=suffixes.count)
    reader = RAY_READERS[suffix]
    kwargs: dict[str, Any] = {"file_extensions": [suffix.lstrip(".")]} if fs.isdir(root) else {}
    if reader == "read_json":
        kwargs["lines"] = True
    return getattr(ray.data, reader)(source, **kwargs)


def _pending_dataset(
    ray: ModuleType,
    source: str,
    done: Mapping[str, str],
    ray_options: RayOptions,
    report: BatchReport,
    fields: InputFields,
) -> tuple[Any, int, int]:
    """The rows still to do, how many there are, and how many workers they can keep busy."""
    workers = ray_options.num_workers
    if _read_on_driver(source):
        records = list(read_inputs(Path(source), fields))
        rows = [_driver_row(r) for r in records if r.id not in done]
        report.total, report.skipped = len(records), len(records) - len(rows)
        blocks = _blocks(len(rows), ray_options)
        dataset = ray.data.from_items(rows, override_num_blocks=blocks) if rows else None
        return dataset, len(rows), min(workers, blocks)
    dataset = _ray_dataset(ray, source)
    report.total = dataset.count()
    done_ids = frozenset(done)
    with warnings.catch_warnings():  # "use expr": an expression cannot hold a set of done ids
        warnings.filterwarnings("ignore", "Use 'expr' instead of 'fn'", UserWarning)
        pending = dataset.filter(lambda row: _row_id(row) not in done_ids) if done_ids else dataset
    # Read before the pool starts: Ray Data's file listing needs a CPU, and the actors hold them all.
    pending = pending.materialize()
    count = pending.count()
    report.skipped = report.total - count
    blocks = _blocks(count, ray_options)
    if count and pending.num_blocks() < blocks:
        pending = pending.repartition(blocks).materialize()
    return pending, count, min(workers, max(1, pending.num_blocks()))


def _blocks(rows: int, ray_options: RayOptions) -> int:
    """Several blocks per worker, so a slow block does not leave the others idle at the end."""
    workers = ray_options.num_workers
    return min(rows, max(workers, min(workers * 8, -(-rows // ray_options.batch_size))))


def _limiter_actor(ray: ModuleType, settings: Settings, options: BatchOptions) -> Any:
    """The cluster's one rate limiter, for API backends; None when nothing needs limiting."""
    if traits_for(settings).in_process and not (options.rpm or options.tpm):
        return None
    actor = ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=-1)(_Limiter)
    return actor.remote(options.rpm, options.tpm)


def _per_worker_concurrency(settings: Settings, options: BatchOptions, workers: int, report: BatchReport) -> int:
    if sequential(settings):
        report.notes.append(f"the {settings.backend} backend runs one article at a time per worker")
        return 1
    per_worker = max(1, _concurrency(settings, options, report) // workers)
    report.notes.append(f"concurrency {per_worker} per worker × {workers} workers")
    return per_worker


def _collect(
    started_at: float,
    results: Any,
    out: Path,
    done: Mapping[str, str],
    pending: int,
    options: BatchOptions,
    ray_options: RayOptions,
    report: BatchReport,
) -> RayRun:
    """Stream result rows into shards; the single writer keeps every id to one line."""
    run = RayRun(started_at=started_at)
    writer = shards.ShardWriter(out, ray_options.shard_lines, ray_options.shard_wait_s)
    written = set(done)
    show = options.progress if options.progress is not None else sys.stderr.isatty()
    with Progress(pending, enabled=show) as progress, _flushing(writer):
        for row in results.iter_rows():
            run.startup_s.setdefault(str(row["worker"]), float(row["ready_at"]) - run.started_at)
            if row["id"] in written:
                run.retried_duplicates += 1  # a re-run batch, or a repeated id in a Ray-read input
                continue
            written.add(row["id"])
            writer.add(row["line"])
            line = shards.line_from_json(row["line"])
            report.add(line)
            progress.advance(line)
    return run


@contextmanager
def _flushing(writer: shards.ShardWriter) -> Iterator[None]:
    """Lines already received are results: write them even when the run stops with an error."""
    try:
        yield
    finally:
        writer.flush()


def _finish(out: Path, run: RayRun, report: BatchReport) -> None:
    if run.startup_s:
        each = ", ".join(f"{s:.1f}s" for s in sorted(run.startup_s.values()))
        report.notes.append(f"{len(run.startup_s)} worker(s); start-up (process, imports, data) {each}")
    if run.retried_duplicates:
        report.notes.append(f"{run.retried_duplicates} repeated result(s) for ids already written were dropped")
    status = shards.done_status(out)
    report.skipped = max(report.skipped, report.total - report.ok - report.failed - report.unsupported_language)
    shards.write_manifest(out, {
        "input": report.input, "total": report.total, "lines": len(status),
        "ok": sum(s == "ok" for s in status.values()), "failed": sum(s != "ok" for s in status.values()),
    })  # fmt: skip


# -- rows ----------------------------------------------------------------------------------------


def _driver_row(record: InputRecord) -> dict[str, Any]:
    article = record.article.model_dump_json() if record.article else None
    return {"id": record.id, "article": article, "error": record.error}


def _row_id(row: Mapping[str, Any]) -> str:
    raw = row.get("id")
    if raw not in (None, ""):
        return str(raw).strip()
    digest = hashlib.sha256(str(row.get("text", "")).encode("utf-8")).hexdigest()[:16]
    return f"row-{digest}"  # stable across runs, so a resumed run recognises it


def _row_record(row: Mapping[str, Any]) -> InputRecord:
    if "article" in row and "error" in row:  # built by `_driver_row`
        article = Article.model_validate_json(row["article"]) if row["article"] else None
        return InputRecord(str(row["id"]), article, row["error"])
    values = {k: row[k] for k in FIELDS if k in row}
    return _record(values, _row_id(row))


# -- actors --------------------------------------------------------------------------------------


class _Limiter:
    """The cluster's rate limiter: one `RateLimiter` in one actor, asked by every worker."""

    def __init__(self, rpm: float | None, tpm: float | None) -> None:
        self.limiter = RateLimiter(rpm, tpm)

    def reserve(self, tokens: int) -> float:
        return self.limiter.reserve(tokens)

    def pause(self, seconds: float) -> None:
        self.limiter.pause(seconds)

    def observe(self, status: int, headers: dict[str, str]) -> None:
        self.limiter.observe(status, headers)


class ClusterRateLimiter(RateLimiter):
    """A `RateLimiter` whose state lives in the `_Limiter` actor; waits are taken locally."""

    def __init__(self, actor: Any) -> None:
        super().__init__()
        self._actor = actor

    def reserve(self, tokens: int = 0) -> float:
        import ray

        # The wait is counted from when the actor booked it; the round trip only adds margin.
        return float(ray.get(self._actor.reserve.remote(tokens)))

    def pause(self, seconds: float) -> None:
        self._actor.pause.remote(seconds)

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        lowered = {k.lower(): v for k, v in headers.items()}
        if status == 429 or any(k.startswith(("x-ratelimit-", "retry-after")) for k in lowered):
            self._actor.observe.remote(status, lowered)


class _Worker:
    """One pool actor: the pipeline, its extractor, models and HTTP client, built once."""

    def __init__(
        self,
        settings: Settings,
        options: BatchOptions,
        limiter: Any,
        concurrency: int,
        summarize_fn: SummarizeFn | None,
    ) -> None:
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
        rate = ClusterRateLimiter(limiter) if limiter is not None else RateLimiter()
        # As in the local runner: each request's timeout is bounded by its article's remaining budget.
        self._client = httpx.Client(event_hooks=rate.httpx_hooks(), timeout=settings.request_timeout())
        fn, per_request = (summarize_fn, False) if summarize_fn else _pipeline_fn(settings, self._client)
        self._runner = _LiveRunner(fn, settings, options, rate, per_request)
        self._loop = asyncio.new_event_loop()
        self._loop.set_default_executor(ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="batch"))
        self._gate = asyncio.Semaphore(concurrency)
        if summarize_fn is None and sequential(settings):
            summarize_article(WARM_UP_TEXT, settings=settings)  # gazetteer, word lists, model: loaded now
        self._pid = str(os.getpid())
        self._ready_at = time.time()

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        records = [_row_record(row) for row in batch.to_pylist()]
        lines = self._loop.run_until_complete(self._all(records))
        return {
            "id": [line.id for line in lines],
            "line": [line.to_json() for line in lines],
            "worker": [self._pid] * len(lines),
            "ready_at": [self._ready_at] * len(lines),
        }

    async def _all(self, records: list[InputRecord]) -> list[ResultLine]:
        runner = self._runner
        return list(await asyncio.gather(*(runner._gated(runner.line_for, record, self._gate) for record in records)))
