"""Layer 2: model backends and the one way to call them.

`base` (the protocol), `registry` (name → factory), `openai_compat` and `llamacpp` (the two model
backends, both through instructor), `prompts` (Jinja templates → messages), `cache` (content-addressed
responses), `calling` (cache + retries around one call). Imports only from layers 0–1.
"""

from summarizer.backends.base import Backend, Extracted, Traits
from summarizer.backends.calling import ask, exception_chain, is_transient
from summarizer.backends.prompts import RenderedPrompt, render
from summarizer.backends.registry import MODEL_BACKENDS, get_backend, traits_for

__all__ = [
    "MODEL_BACKENDS",
    "Backend",
    "Extracted",
    "RenderedPrompt",
    "Traits",
    "ask",
    "exception_chain",
    "get_backend",
    "is_transient",
    "render",
    "traits_for",
]
