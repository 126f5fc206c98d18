"""Any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp server) through instructor."""

from __future__ import annotations

from typing import Any

from summarizer.backends.base import Extracted, M, usage_of
from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError, one_line

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


class OpenAIBackend:
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
            raise BackendError(f"the model's answer failed validation after retries: {one_line(exc)}") from exc
        except IncompleteOutputException as exc:
            raise BackendError(f"the model's answer was cut off at {max_tokens} tokens") from exc
        return Extracted(value=value, usage=usage_of(completion))
