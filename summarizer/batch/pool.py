"""Every core for the in-process backends (rules, local): articles summarized on a pool of processes.

    parent: read inputs ──► submit (at most 2 per worker in flight) ──► ResultLine ──► OUT.jsonl (fsync)
    worker: load the extractor once (initializer) ──► summarize(article) ──► ResultLine, never an exception

Workers only compute; the parent alone writes and fsyncs lines, so resuming and `kill -9` behave as with
one process. Workers start with "forkserver" (or "spawn" where there is none), never a plain fork of a
parent that runs an event loop and threads; they ignore SIGINT (the parent decides what an interrupt
does) and exit when their parent dies, so a killed batch leaves no orphans.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext

from summarizer.backends.base import DEADLINE
from summarizer.batch.io import InputRecord, ResultLine, error_line, input_error_line, ok_line
from summarizer.config import Settings
from summarizer.pipeline import summarize as summarize_article
from summarizer.schema import Article

WARM_UP_TEXT = "Gunmen opened fire on a market in Kano on Tuesday, killing at least 5 people, police said."
"""Summarized once per worker before its first article: gazetteer, word lists and model load then."""
IN_FLIGHT_PER_WORKER = 2
"""Articles queued per worker: enough that none idles between articles, few enough that an interrupt
leaves little queued work behind."""

_settings: Settings | None = None


def cores() -> int:
    """The cores this process may run on (the affinity mask, not the machine's count, where known)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def worker_count(requested: int | None, articles: int) -> int:
    """Processes to start: as requested (else one per core), never more than there are articles."""
    return max(1, min(requested or cores(), articles))


# -- worker side ---------------------------------------------------------------------------------


def _start_worker(settings: Settings) -> None:
    global _settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent decides
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    _settings = settings
    summarize_article(WARM_UP_TEXT, settings=settings)


def _exit_with_parent() -> None:
    """A worker whose parent is gone (killed with -9) has nobody to hand its results to. The parent's
    sentinel is a pipe that closes when it dies (its pid does not change: a forkserver is in between)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


def summarize_in_worker(article: Article, budget_s: float) -> ResultLine:
    """One article's result line, in a worker: every failure becomes an error line (nothing to unpickle)."""
    assert _settings is not None, "worker not initialised"
    started = time.monotonic()
    DEADLINE.set(started + budget_s)
    try:
        summary = summarize_article(article, article.published, _settings)
    except Exception as exc:
        return error_line(article.id or "", exc, time.monotonic() - started)
    return ok_line(article.id or "", summary, time.monotonic() - started)


# -- parent side ---------------------------------------------------------------------------------


class ArticlePool:
    """A process pool that turns input records into result lines; restarted if a worker dies."""

    def __init__(self, settings: Settings, workers: int, budget_s: float) -> None:
        self.workers, self.budget_s, self._settings = workers, budget_s, settings
        self._context: BaseContext = multiprocessing.get_context("spawn")
        if "forkserver" in multiprocessing.get_all_start_methods():
            server = multiprocessing.get_context("forkserver")
            # The server imports the pipeline once; each worker forks from it with the modules loaded.
            server.set_forkserver_preload([__name__])
            self._context = server
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=_start_worker,
                                   initargs=(self._settings,))  # fmt: skip

    @property
    def in_flight(self) -> int:
        return self.workers * IN_FLIGHT_PER_WORKER

    async def line_for(self, record: InputRecord) -> ResultLine:
        if record.article is None:
            return input_error_line(record)
        started, executor = time.monotonic(), self._executor
        future: Future[ResultLine] = executor.submit(summarize_in_worker, record.article, self.budget_s)
        try:
            # The worker's own requests stop at the deadline; the parent does not wait past it either.
            return await asyncio.wait_for(asyncio.wrap_future(future), self.budget_s)
        except TimeoutError:
            message = f"no result within the {self.budget_s:g}s article budget"
            return ResultLine(record.id, "error", error=message, duration_s=time.monotonic() - started)
        except BrokenProcessPool as exc:  # a worker crashed (e.g. killed, out of memory): the others go on
            if executor is self._executor:
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._start()
            return error_line(record.id, exc, time.monotonic() - started)

    def close(self, interrupted: bool = False) -> None:
        """Stop the workers: after the last article, or at once (an interrupt: queued articles are dropped,
        and the ones in flight are never written, so a re-run does them)."""
        if interrupted:
            processes = list(getattr(self._executor, "_processes", None) or {})  # pids; no public API before 3.14
            self._executor.shutdown(wait=False, cancel_futures=True)
            for pid in processes:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
        self._executor.shutdown(wait=True, cancel_futures=True)
