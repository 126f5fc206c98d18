"""Backend names → factories, a plain dict; one instance per settings so connections and loaded
models are reused across articles. The SDKs and llama.cpp are imported inside the constructors, so
importing this module is cheap."""

from __future__ import annotations

import threading
from collections.abc import Callable

from summarizer.backends.base import RULES_TRAITS, Backend, Traits
from summarizer.backends.llamacpp import LlamaCppBackend
from summarizer.backends.openai_compat import OpenAIBackend
from summarizer.config import Settings
from summarizer.errors import ConfigError

MODEL_BACKENDS: dict[str, Callable[[Settings], Backend]] = {"openai": OpenAIBackend, "local": LlamaCppBackend}
"""The backends that run a model. `rules` is no backend: the rules extractor needs none."""
TRAITS: dict[str, Callable[[Settings], Traits]] = {
    "openai": OpenAIBackend.traits_for,
    "local": LlamaCppBackend.traits_for,
}
"""Each backend's traits from the settings alone: a new backend adds one line here and one module."""


def traits_for(settings: Settings) -> Traits:
    """What the backend `settings` name is (hosted or local, billed, schema-constrained), without building it."""
    known = TRAITS.get(settings.backend)
    return known(settings) if known else RULES_TRAITS


_instances: dict[Settings, Backend] = {}
_lock = threading.Lock()


def get_backend(settings: Settings) -> Backend:
    """The model backend named in `settings`. Raises ConfigError for `rules` or an unknown name."""
    factory = MODEL_BACKENDS.get(settings.backend)
    if factory is None:
        raise ConfigError(f"backend {settings.backend!r} runs no model; choose one of {', '.join(MODEL_BACKENDS)}")
    with _lock:
        if settings not in _instances:
            _instances[settings] = factory(settings)
        return _instances[settings]
