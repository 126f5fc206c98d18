"""The one way to call a model: through the response cache, retrying transient failures.

Every extractor that asks a model goes through `ask`; usage and prompts land in the run record.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from pydantic import BaseModel
from tenacity import (
    RetryCallState,
    Retrying,
    before_sleep_log,
    retry_if_exception,
    stop_after_attempt,
    stop_any,
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
        stop=stop_any(stop_after_attempt(settings.max_retries + 1), _BudgetSpent()),
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


class _BudgetSpent(stop_base):
    """No new attempt once the article's budget (batch) is spent."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        left = remaining_s()
        return left is not None and left <= 1.0


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
