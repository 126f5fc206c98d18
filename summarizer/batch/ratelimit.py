"""Client-side rate limiting for batch runs: requests/min and tokens/min, plus the pauses servers ask for.

Two token buckets that may go into debt: a caller reserves what it needs and sleeps for the returned
time, so waiting callers are served in arrival order without polling. On top of the buckets, a shared
"pause until" moment is pushed forward by `Retry-After` on a 429 and by `x-ratelimit-remaining-* == 0`
with its `x-ratelimit-reset-*` duration; every caller waits for it. `httpx_hooks()` applies all of this to
each HTTP request an OpenAI client sends, re-asks included.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """Seconds in OpenAI's reset format ("1s", "6m0s", "120ms", "0.5s") or a bare number of seconds."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    parts = _DURATION.findall(text)
    return sum(float(value) * _UNIT_S[unit] for value, unit in parts) if parts else None


def retry_after_s(headers: Mapping[str, str]) -> float | None:
    """The server's requested wait: `retry-after-ms` (more precise) or `Retry-After` in seconds."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in lowered:
        try:
            return float(lowered["retry-after-ms"]) / 1000
        except ValueError:
            pass
    value = lowered.get("retry-after")
    return parse_duration(value) if value else None


class _Bucket:
    def __init__(self, per_minute: float, clock: Callable[[], float], burst: float | None = None) -> None:
        self.rate = per_minute / 60.0
        # By default one second's worth of burst: enough to keep concurrent workers busy, small enough
        # that a fresh run does not open with a spike the server would refuse.
        self.capacity = burst if burst is not None else max(1.0, self.rate)
        self.level = self.capacity
        self.stamp = clock()

    def reserve(self, amount: float, now: float) -> float:
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now
        self.level -= amount
        return max(0.0, -self.level / self.rate)


class RateLimiter:
    """Thread-safe; shared by the event loop and the worker threads of one batch run."""

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        # Requests are spaced evenly, no burst: servers enforce a per-minute limit over short windows
        # (OpenAI: 300/min can mean 5 per second), and a burst of concurrent workers overruns them.
        self._requests = _Bucket(rpm, clock, burst=1.0) if rpm else None
        self._tokens = _Bucket(tpm, clock) if tpm else None
        self._paused_until = 0.0
        self._lock = threading.Lock()
        self.server_pauses = 0
        """How often the server told us to back off (429 or an exhausted limit)."""

    def reserve(self, tokens: int = 0) -> float:
        """Book one request of about `tokens` tokens; the seconds to wait before sending it."""
        with self._lock:
            now = self._clock()
            start = max(now, self._paused_until)
            waits = [start - now]
            if self._requests:
                waits.append(self._requests.reserve(1, start) + start - now)
            if self._tokens and tokens:
                # A request larger than the whole bucket must still go through eventually.
                amount = min(float(tokens), self._tokens.capacity)
                waits.append(self._tokens.reserve(amount, start) + start - now)
            return max(waits)

    def acquire(self, tokens: int = 0) -> None:
        time.sleep(self.reserve(tokens))

    async def acquire_async(self, tokens: int = 0) -> None:
        await asyncio.sleep(self.reserve(tokens))

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
            self.server_pauses += 1

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Learn from a response: honour Retry-After on 429 and exhausted `x-ratelimit-*` limits."""
        lowered = {k.lower(): v for k, v in headers.items()}
        if status == 429:
            self.pause(retry_after_s(lowered) or 1.0)
            return
        for kind in ("requests", "tokens"):
            if lowered.get(f"x-ratelimit-remaining-{kind}", "").strip() == "0":
                reset = parse_duration(lowered.get(f"x-ratelimit-reset-{kind}", ""))
                if reset:
                    self.pause(reset)

    def httpx_hooks(self) -> dict[str, list[Callable[[Any], None]]]:
        """Event hooks for an `httpx.Client`: wait before each request, learn from each response."""

        def before(request: httpx.Request) -> None:
            self.acquire(estimate_request_tokens(request.content))

        def after(response: httpx.Response) -> None:
            self.observe(response.status_code, response.headers)

        return {"request": [before], "response": [after]}


def estimate_tokens(text: str) -> int:
    """About four characters per token: close enough for budgeting, and needs no tokenizer."""
    return max(1, len(text) // 4)


def estimate_request_tokens(body: bytes) -> int:
    """What a rate limiter counts for a chat request: the prompt plus the completion it may produce."""
    try:
        payload = json.loads(body) if body else {}
    except ValueError:
        payload = {}
    limit = payload.get("max_tokens") or payload.get("max_completion_tokens") or 0
    return estimate_tokens(body.decode("utf-8", "replace")) + int(limit) if isinstance(payload, dict) else 1
