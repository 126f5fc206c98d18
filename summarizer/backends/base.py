"""The backend contract: one method asks a model for a validated response model and its token usage.

Retries, caching and rate limits live in the caller (`calling.ask`, the batch runner), not in every
backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from summarizer.schema import Usage

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Extracted:
    value: BaseModel
    usage: Usage


class Backend(Protocol):
    name: str
    model: str

    def extract(self, messages: list[dict[str, str]], response_model: type[M], max_tokens: int) -> Extracted:
        """Ask the model; return a validated `response_model` instance. Raises BackendError."""
        ...


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
