"""The one way to call a model: through the response cache, retrying transient failures.

Every extractor that asks a model goes through `ask`; usage and prompts land in the run record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

from pydantic import BaseModel
from tenacity import (
    RetryCallState,
    Retrying,
    before_sleep_log,
    retry_if_exception,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from summarizer.backends.base import Backend, Extracted, ModelCallError, remaining_s
from summarizer.backends.cache import cache_key, open_cache
from summarizer.backends.prompts import RenderedPrompt
from summarizer.config import Settings
from summarizer.errors import BackendError, one_line
from summarizer.record import RunRecord
from summarizer.schema import Usage

_log = logging.getLogger(__name__)


def ask(
    backend: Backend, prompt: RenderedPrompt, model: type[BaseModel], max_tokens: int, settings: Settings,
    record: RunRecord,
) -> Any:  # fmt: skip
    """One model answer, from the cache when the same request was answered before."""
    record.add_prompt(prompt.info)
    cache = open_cache(settings)
    key = cache_key({"backend": backend.name, "model": backend.model, "endpoint": endpoint_id(settings),
                     "mode": getattr(backend, "mode", None), "prompt": prompt.info.hash, "messages": prompt.messages,
                     "schema": model.model_json_schema(), "max_tokens": max_tokens,
                     "settings": settings.cache_settings()})  # fmt: skip
    hit = cache.get(key) if cache else None
    if hit is not None:
        record.usage.add(Usage(cached_calls=1))
        return model.model_validate(hit["value"])
    retrying = Retrying(
        stop=RetryBudget(settings.max_retries, fallback_budget_s=settings.request_timeout()),
        wait=_wait,
        retry=retry_if_exception(is_transient),
        before_sleep=before_sleep_log(_log, logging.INFO),  # shown with the CLI's -v
        reraise=True,
    )

    def attempt() -> Extracted:
        _log.info("asking %s (%s) with prompt %s", backend.name, backend.model, prompt.info.hash)
        try:
            result = backend.extract(prompt.messages, model, max_tokens)
        except ModelCallError as exc:
            record.usage.add(exc.usage)  # failed attempts spent tokens too
            raise
        record.usage.add(result.usage)
        return result

    try:
        result = retrying(attempt)
    except ModelCallError as exc:
        exc.usage = record.usage.model_copy()  # what the whole article spent, for its batch error line
        raise
    except BackendError:
        raise
    except Exception as exc:
        if is_transient(exc) or type(exc).__module__.startswith(("openai", "httpx")):
            failed = ModelCallError(f"{backend.name} backend failed after retries: {one_line(exc)}", transient=False)
            raise failed.with_usage(record.usage.model_copy()) from exc
        raise
    if cache:
        cache.put(key, {"value": result.value.model_dump(mode="json"), "usage": result.usage.model_dump()})
    return result.value


_backoff = wait_exponential_jitter(initial=1, max=30)


def _wait(state: RetryCallState) -> float:
    """Exponential backoff with jitter, never shorter than what the server asked for (Retry-After)."""
    exc = state.outcome.exception() if state.outcome else None
    return max(_backoff(state), server_wait(exc) or 0.0) if exc else _backoff(state)


class RetryBudget(stop_base):
    """When to give up: after `retries` more attempts for broken answers and server faults, or once the
    article's budget is spent. A rate limit (429) is not a fault: it is retried, honouring the server's
    wait, until the budget (the batch's `--article-timeout`, else `fallback_budget_s` from the first
    attempt: `--timeout`) is spent, and counts against neither. Stateful: one per call."""

    def __init__(self, retries: int, fallback_budget_s: float | None = None) -> None:
        self.retries, self.faults = retries, 0
        self._fallback = None if fallback_budget_s is None else time.monotonic() + fallback_budget_s

    def __call__(self, retry_state: RetryCallState) -> bool:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        left = remaining_s()
        sleep = retry_state.upcoming_sleep or 0.0
        if left is not None and left - sleep <= 1.0:  # no attempt could start, or finish, in time
            return True
        if exc is not None and is_rate_limited(exc):
            fallback = self._fallback
            return left is None and fallback is not None and fallback - time.monotonic() - sleep <= 0
        self.faults += 1
        return self.faults > self.retries


def is_rate_limited(exc: BaseException) -> bool:
    """A 429 anywhere in the chain (the SDK's error, or an httpx response): the quota, not the request."""
    for cause in exception_chain(exc):
        response = getattr(cause, "response", None)
        status = getattr(cause, "status_code", None) or getattr(response, "status_code", None)
        if status == 429:
            # OpenAI's "insufficient_quota" is a 429 too, but no wait refills an empty account.
            return getattr(cause, "code", None) != "insufficient_quota"
    return False


def server_wait(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (`retry-after-ms`, `Retry-After`), from any error in the chain."""
    for cause in exception_chain(exc):
        headers = getattr(getattr(cause, "response", None), "headers", None)
        if headers is None:
            continue
        for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
            try:
                return float(headers.get(name)) * scale
            except (TypeError, ValueError):
                continue
    return None


def endpoint_id(settings: Settings) -> str | None:
    """The server a cached answer came from, hashed: one model name on two servers answers differently,
    and a URL may carry credentials that must not sit in the cache in clear."""
    if not settings.base_url:
        return None
    return hashlib.sha256(settings.base_url.rstrip("/").encode("utf-8")).hexdigest()[:16]


def is_transient(exc: BaseException) -> bool:
    """Worth another attempt: rate limits, 5xx, remote timeouts, broken connections, garbled bodies; a
    `ModelCallError` says itself. `ask` is the one layer that retries model calls."""
    import httpx
    import openai

    for cause in exception_chain(exc):
        if isinstance(cause, ModelCallError):
            return cause.transient
        if isinstance(cause, openai.RateLimitError | openai.APIConnectionError | httpx.TransportError):
            return True  # APITimeoutError is an APIConnectionError
        if isinstance(cause, openai.APIStatusError) and cause.status_code >= 500:
            return True
        if isinstance(cause, json.JSONDecodeError):  # a response body that is not JSON
            return True
    return False


def exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes: callers wrap SDK errors in BackendError."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
