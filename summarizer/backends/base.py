"""The backend contract: one method asks a model for a validated response model and its token usage.

Retries, caching and rate limits live in the caller (`calling.ask`, the batch runner), not in every
backend.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from summarizer.errors import BackendError
from summarizer.schema import Usage

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Extracted:
    value: BaseModel
    usage: Usage


@dataclass(frozen=True)
class Traits:
    """What callers need to know about a backend, asked of the backend instead of comparing its name.

    Known from the settings alone (`traits_for`), before any model is loaded or server asked."""

    hosted: bool
    """A hosted API (OpenAI's): capable models, billed tokens, generous concurrency."""
    in_process: bool
    """Runs in this process (the rules, the embedded model): one article at a time, nothing sent anywhere."""
    local_server: bool
    """A server on this machine: one request at a time, and a timed-out request is still being worked on."""
    billed: bool
    """Tokens cost money: estimates need a price, and a cost is reported."""
    supports_json_schema: bool
    """The request can carry a JSON schema that constrains the answer (grammar, strict mode, guided decoding)."""


RULES_TRAITS = Traits(hosted=False, in_process=True, local_server=False, billed=False, supports_json_schema=False)
"""The rules backend: no model, nothing to limit or bill."""


class Backend(Protocol):
    name: str
    model: str

    @property
    def traits(self) -> Traits:
        """What this backend is (hosted or local, billed, schema-constrained); see `registry.traits_for`."""
        ...

    def extract(self, messages: list[dict[str, str]], response_model: type[M], max_tokens: int) -> Extracted:
        """Ask the model; return a validated `response_model` instance. Raises BackendError."""
        ...


class ModelCallError(BackendError):
    """A model request that failed, in one line naming the server and the fix.

    `transient`: worth sending again (429, other 5xx, a dropped connection, a remote timeout);
    `switch_to`: the mode that avoids a refusal about the request's shape (auto mode switches once);
    `usage`: the tokens the failed attempts spent, which the run still counts."""

    def __init__(self, message: str, *, transient: bool, switch_to: Any = None) -> None:
        super().__init__(message)
        self.transient, self.switch_to = transient, switch_to
        self.usage = Usage()

    def with_usage(self, usage: Usage) -> ModelCallError:
        self.usage = usage
        return self


DEADLINE: ContextVar[float | None] = ContextVar("summarizer_deadline", default=None)
"""`time.monotonic()` by which the current article's work must end (the batch article budget), or None.
Context variables follow `asyncio.to_thread`, so the batch runner sets it and every request sees it."""


def remaining_s() -> float | None:
    """Seconds left before the deadline (may be negative), or None when there is none."""
    deadline = DEADLINE.get()
    return None if deadline is None else deadline - time.monotonic()


def usage_of(completion: Any) -> Usage:
    """Token usage from an SDK completion object or a plain dict (llama-cpp-python)."""
    usage = getattr(completion, "usage", None)
    if usage is None and isinstance(completion, dict):
        usage = completion.get("usage")
    if usage is None:
        return Usage(calls=1)
    get = usage.get if isinstance(usage, dict) else lambda k, d=0: getattr(usage, k, d)
    return Usage(prompt_tokens=get("prompt_tokens", 0) or 0, completion_tokens=get("completion_tokens", 0) or 0,
                 calls=1)  # fmt: skip
