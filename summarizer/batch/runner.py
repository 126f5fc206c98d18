"""`summarizer batch`: many articles in, one JSONL line per article out; resumable, rate-limited, cached.

    input (JSONL / CSV / dir) ──► skip ids already in OUT ──► asyncio workers ──► summarize() in threads
                                                                  │  (rate limiter, tenacity retries)
    OUT.jsonl ◄── one fsync'd line per article (ok or error) ◄────┘

Nothing lost, nothing twice: every input id gets exactly one line, written as soon as it is known;
a re-run skips ids that have a line; `retry_failed` first removes the error lines (atomically).
The per-article work is the plain synchronous `summarize()`, so every backend works; `summarize_fn`
can be injected for tests.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_before_delay
from tenacity.wait import wait_random_exponential

from summarizer.backends import exception_chain, is_transient, traits_for
from summarizer.backends.base import DEADLINE, ModelCallError
from summarizer.backends.calling import RetryBudget
from summarizer.backends.openai_compat import DEFAULT_OPENAI_MODEL, OpenAIBackend
from summarizer.batch.dbsink import RecordingLog
from summarizer.batch.io import InputRecord, ResultLine, ResultLog, error_line, input_error_line, ok_line, read_inputs
from summarizer.batch.openai_batch import run_openai_batch
from summarizer.batch.options import DEFAULT_CONCURRENCY, BatchInterrupted, BatchOptions, BatchReport
from summarizer.batch.pool import ArticlePool, worker_count
from summarizer.batch.prices import cost_usd, quote
from summarizer.batch.progress import Progress
from summarizer.batch.ratelimit import RateLimiter, estimate_tokens, retry_after_s
from summarizer.batch.shards import read_result_dicts
from summarizer.config import Settings
from summarizer.errors import InputError, SummarizerError
from summarizer.pipeline import summarize as summarize_article
from summarizer.render import article_row, summary_rows, write_rows
from summarizer.schema import Article, Summary

SummarizeFn = Callable[[Article, str | None, Settings], Summary]
P = ParamSpec("P")
T = TypeVar("T")
PROMPT_OVERHEAD_TOKENS = 900
"""Instructions and JSON schema around the article, for estimates made before the prompt is rendered."""
BUDGET_GRACE_S = 0.0
"""How long past its budget an article waits for its thread: none, its requests time out at the deadline."""
COMPLETION_ESTIMATE_TOKENS = 400
"""A typical extraction answer; used for the tokens/min budget and `--dry-run`."""


# -- entry point ---------------------------------------------------------------------------------


def run_batch(
    input_path: str | Path,
    output_path: str | Path,
    settings: Settings,
    options: BatchOptions | None = None,
    summarize_fn: SummarizeFn | None = None,
) -> BatchReport:
    """Process every article of `input_path` not yet in `output_path`; raises SummarizerError
    (`BatchInterrupted` on Ctrl-C / SIGTERM). The rules and local backends run on a process pool, so a
    script calling this needs an `if __name__ == "__main__":` guard (or `num_workers=1`)."""
    options = options or BatchOptions()
    source, out = Path(input_path), Path(output_path)
    _check_paths(source, out)
    report = BatchReport(input=str(source), output=str(out), dry_run=options.dry_run)
    log = RecordingLog(out, options.db, source) if options.db and not options.dry_run else ResultLog(out)
    try:
        if options.retry_failed and not options.dry_run:
            retried = log.drop_failed()
            report.notes.append(f"retrying {len(retried)} failed id(s)")
        records = list(read_inputs(source, options.fields))
        report.total = len(records)
        retrying = set(log.failed) if options.retry_failed else set()
        pending = [r for r in records if r.id not in log.status or r.id in retrying]
        report.skipped = report.total - len(pending)
        if options.dry_run:
            _estimate(pending, report, settings)
        elif options.mode == "openai-batch":
            run_openai_batch(pending, log, settings, options, report)
        else:
            _run_live(pending, log, settings, options, report, summarize_fn)
    finally:
        log.close()
    report.failed_ids = sorted(log.failed)
    report.final_ids = sorted(log.final)
    model = settings.model or _default_model(settings)
    price = quote(settings.backend, model, settings.base_url, options.prices)
    report.cost_usd = cost_usd(
        {model: price.price} if price.price else {},
        settings.backend,
        model,
        report.prompt_tokens,
        report.completion_tokens,
        batch_api=options.mode == "openai-batch",
    )
    report.cost_note = price.note
    return report


def _check_paths(source: Path, out: Path) -> None:
    if out.exists() and out.is_dir():
        raise InputError(f"output {out} is a directory; pass a .jsonl file path with -o")
    if source.exists() and out.resolve() == source.resolve():
        raise InputError(f"output {out} is the input file; pass a different path with -o")


def _default_model(settings: Settings) -> str:
    return settings.backend if traits_for(settings).in_process else DEFAULT_OPENAI_MODEL


def _estimate(pending: list[InputRecord], report: BatchReport, settings: Settings) -> None:
    """Token figures for `--dry-run`, computed without calling any model; none for backends that
    send nothing anywhere."""
    if traits_for(settings).in_process:
        report.notes.append(
            f"dry run: {len(pending)} article(s) would be processed; 0 tokens: the {settings.backend} backend "
            "sends nothing to a server"
        )
        return
    for record in pending:
        if record.article is None:
            continue
        report.prompt_tokens += _article_tokens(record.article) - COMPLETION_ESTIMATE_TOKENS
        report.completion_tokens += COMPLETION_ESTIMATE_TOKENS
    report.notes.append(f"dry run: {len(pending)} article(s) would be sent; token counts are estimates")


# -- live mode -----------------------------------------------------------------------------------


def _run_live(
    pending: list[InputRecord],
    log: ResultLog,
    settings: Settings,
    options: BatchOptions,
    report: BatchReport,
    summarize_fn: SummarizeFn | None,
) -> None:
    limiter = RateLimiter(options.rpm, options.tpm)
    # Each request's timeout is bounded by its article's remaining budget (`backends.base.DEADLINE`).
    client = httpx.Client(event_hooks=limiter.httpx_hooks(), timeout=settings.request_timeout())
    fn, limited_per_request = (summarize_fn, False) if summarize_fn else _pipeline_fn(settings, client)
    runner = _LiveRunner(fn, settings, options, limiter, limited_per_request)
    pool = _pool(pending, settings, options, summarize_fn, report)
    started = time.monotonic()
    instructor_log = logging.getLogger("instructor")
    level = instructor_log.level
    instructor_log.setLevel(logging.CRITICAL)  # its per-attempt errors would tear through the progress bar
    try:
        if pool is not None:
            asyncio.run(runner.run(pending, log, report, pool.in_flight, pool.line_for))
        else:
            asyncio.run(runner.run(pending, log, report, _concurrency(settings, options, report), runner.line_for))
    finally:
        if pool is not None:
            pool.close(interrupted=runner.interrupted is not None)
        client.close()
        instructor_log.setLevel(level)
        report.duration_s = time.monotonic() - started
    if runner.interrupted is not None:
        raise BatchInterrupted(report, runner.interrupted)


def _pool(
    pending: list[InputRecord], settings: Settings, options: BatchOptions, summarize_fn: SummarizeFn | None,
    report: BatchReport,
) -> ArticlePool | None:  # fmt: skip
    """A process pool for an in-process backend (rules, local), one worker per core unless asked
    otherwise; None: this process does the work (one worker, an injected function, a backend that waits
    on a server and runs concurrent requests in threads instead)."""
    if summarize_fn is not None or not sequential(settings):
        return None
    workers = worker_count(options.num_workers, sum(r.article is not None for r in pending))
    if workers <= 1:
        return None
    report.notes.append(f"{workers} worker processes")
    return ArticlePool(settings, workers, options.article_timeout_s)


def sequential(settings: Settings) -> bool:
    """A backend that runs in this process answers one article at a time."""
    return traits_for(settings).in_process


def _concurrency(settings: Settings, options: BatchOptions, report: BatchReport) -> int:
    """Articles in flight: as asked, except one for a backend or server that answers one at a time."""
    if sequential(settings):
        if (options.concurrency or 1) > 1:
            report.notes.append(f"the {settings.backend} backend runs one article at a time (concurrency 1)")
        return 1
    if options.concurrency is not None:
        return max(1, options.concurrency)
    if traits_for(settings).local_server:
        report.notes.append(f"concurrency 1: {settings.base_url} is a local server, which answers one request at "
                            "a time; pass --concurrency to change it")  # fmt: skip
        return 1
    return DEFAULT_CONCURRENCY


def _pipeline_fn(settings: Settings, client: httpx.Client) -> tuple[SummarizeFn, bool]:
    """The real `summarize`; for the openai backend with an HTTP client that applies the rate limiter.

    Returns the function and whether it rate-limits each HTTP request itself (else the runner limits
    per article, which cannot see instructor's re-asks).
    """
    if traits_for(settings).in_process:
        return summarize_article, False
    backend = OpenAIBackend(settings, http_client=client)

    def summarize(article: Article, published: str | None, s: Settings) -> Summary:
        return summarize_article(article, published, s, backend=backend)

    return summarize, True


def _server_wait(exc: BaseException) -> float | None:
    for cause in exception_chain(exc):
        headers = getattr(getattr(cause, "response", None), "headers", None)  # httpx or httpx2 response
        wait = retry_after_s(headers) if headers is not None else None
        if wait is not None:
            return wait
    return None


class _LiveRunner:
    def __init__(
        self,
        fn: SummarizeFn,
        settings: Settings,
        options: BatchOptions,
        limiter: RateLimiter,
        limited_per_request: bool,
    ) -> None:
        self.fn, self.settings, self.options = fn, settings, options
        self.limiter, self.limited_per_request = limiter, limited_per_request
        self._backoff = wait_random_exponential(multiplier=0.5, max=30)
        self.interrupted: int | None = None
        """The signal (SIGINT, SIGTERM) that stopped the run, if one did."""

    async def run(
        self,
        pending: list[InputRecord],
        log: ResultLog,
        report: BatchReport,
        workers: int,
        work: Callable[[InputRecord], Awaitable[ResultLine]],
    ) -> None:
        """Every pending record through `work`, `workers` at a time; each line written as it comes in."""
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(workers)
        show = self.options.progress if self.options.progress is not None else sys.stderr.isatty()
        tasks: list[asyncio.Task[None]] = []
        finished: asyncio.Queue[ResultLine] = asyncio.Queue()
        with _signals_cancel(loop, self._stop), Progress(report.total, enabled=show, done=report.skipped) as progress:
            try:
                tasks = [asyncio.create_task(self._deliver(work, record, gate, finished)) for record in pending]
                left = len(pending)
                while left:
                    lines = [await finished.get()]
                    while not finished.empty():  # whatever else is done goes out with it, one fsync for all
                        lines.append(finished.get_nowait())
                    log.append_all(lines)  # only the event loop writes: lines never interleave
                    for line in lines:
                        report.add(line)
                        progress.advance(line)
                    left -= len(lines)
            except asyncio.CancelledError:
                if self.interrupted is None:
                    raise
                for task in tasks:
                    task.cancel()

    def _stop(self, signal_number: int) -> None:
        self.interrupted = signal_number

    @classmethod
    async def _deliver(
        cls,
        work: Callable[[InputRecord], Awaitable[ResultLine]],
        record: InputRecord,
        gate: asyncio.Semaphore,
        finished: asyncio.Queue[ResultLine],
    ) -> None:
        started = time.monotonic()
        try:
            line = await cls._gated(work, record, gate)
        except Exception as exc:  # whatever went wrong, the id gets its line and the run goes on
            line = error_line(record.id, exc, time.monotonic() - started)
        finished.put_nowait(line)

    @staticmethod
    async def _gated(
        work: Callable[[InputRecord], Awaitable[ResultLine]], record: InputRecord, gate: asyncio.Semaphore
    ) -> ResultLine:
        async with gate:
            return await work(record)

    async def line_for(self, record: InputRecord) -> ResultLine:
        """One article in this process: its summary, or why not, as a result line."""
        if record.article is None:
            return input_error_line(record)
        started = time.monotonic()
        try:
            summary = await self._attempts(record.article)
        except Exception as exc:  # any failure becomes an error line: an id is never lost
            return error_line(record.id, exc, time.monotonic() - started)
        return ok_line(record.id, summary, time.monotonic() - started)

    async def _attempts(self, article: Article) -> Summary:
        """One article within its budget. Model calls through the pipeline are retried in `calling.ask`
        (a `ModelCallError` here is final); only transient errors from an injected function are
        retried here. The deadline bounds every request's timeout, and no request starts after it."""
        budget = self.options.article_timeout_s
        deadline = time.monotonic() + budget
        DEADLINE.set(deadline)  # this task's own context, copied into the worker thread
        retrying = AsyncRetrying(
            stop=RetryBudget(self.options.max_attempts - 1) | stop_before_delay(budget),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: is_transient(exc) and not isinstance(exc, ModelCallError)),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                if not self.limited_per_request:
                    await self.limiter.acquire_async(_article_tokens(article))
                remaining = max(0.1, deadline - time.monotonic())
                call = _in_daemon_thread(self.fn, article, article.published, self.settings)
                try:
                    return await asyncio.wait_for(call, remaining + BUDGET_GRACE_S)
                except TimeoutError:
                    raise _BudgetExceeded(f"no result within the {budget:g}s article budget") from None
        raise AssertionError("unreachable: tenacity either returns or reraises")

    def _wait(self, state: RetryCallState) -> float:
        """Exponential backoff with jitter, never shorter than what the server asked for."""
        backoff = self._backoff(state)
        exc = state.outcome.exception() if state.outcome else None
        server = _server_wait(exc) if exc else None
        if server:
            self.limiter.pause(server)  # every worker holds off, not only this one
        return max(backoff, server or 0.0)


class _BudgetExceeded(SummarizerError):
    pass


@contextmanager
def _signals_cancel(loop: asyncio.AbstractEventLoop, note: Callable[[int], None]) -> Iterator[None]:
    """While the run lasts, SIGINT and SIGTERM cancel it (after `note(signal)`) instead of killing it."""
    main = asyncio.current_task()
    installed: list[signal.Signals] = []

    def stop(signal_number: int) -> None:
        note(signal_number)
        if main is not None:
            main.cancel()

    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(number, stop, number)
            installed.append(number)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
            pass
    try:
        yield
    finally:
        for number in installed:
            loop.remove_signal_handler(number)


def _in_daemon_thread(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> asyncio.Future[T]:
    """`asyncio.to_thread` on a daemon thread: an interrupted run exits without waiting for the requests
    in flight (their lines are never written, so a re-run does them). The context (the article's
    deadline) goes along."""
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    return asyncio.get_running_loop().run_in_executor(_DAEMON_THREADS, call)


class DaemonThreads(Executor):
    """Each call on its own daemon thread (the run's gate bounds how many run at once)."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:
                future.set_exception(exc)

        threading.Thread(target=run, daemon=True, name="batch").start()
        return future


def _article_tokens(article: Article) -> int:
    return estimate_tokens(article.text) + PROMPT_OVERHEAD_TOKENS + COMPLETION_ESTIMATE_TOKENS


def results_csv(path: str | Path) -> str:
    """An output file (or results directory) as CSV (`render`'s documented columns): one row per event of
    each summary, and one row for each article with no event (`no_event`) or that failed (its line's
    status, e.g. `error`, and message), so "no event" never looks like "never read"."""
    rows: list[dict[str, Any]] = []
    for line in read_results(path):
        status, error = str(line.get("status") or "error"), line.get("error")
        summary = line.get("summary")
        if isinstance(summary, dict):
            rows += summary_rows(Summary.model_validate(summary), status, error)
        else:
            rows.append(article_row(str(line.get("id")), status, error))
    return write_rows(rows)


def read_results(path: str | Path) -> list[dict[str, Any]]:
    """The complete lines of an output file (or `--engine ray` results directory), for tests and scripts."""
    if Path(path).is_dir():
        return read_result_dicts(Path(path))
    data = Path(path).read_bytes()
    return [json.loads(line) for line in data[: data.rfind(b"\n") + 1].splitlines() if line.strip()]


_DAEMON_THREADS = DaemonThreads()
