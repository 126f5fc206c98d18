"""Options shared by `summarize`, `batch` and `eval run`, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

BackendOpt = Annotated[str | None, typer.Option("--backend", "-b", help="local (default), openai or rules.")]
ModelOpt = Annotated[str | None, typer.Option(help="Model name for the openai backend.")]
ModelPathOpt = Annotated[str | None, typer.Option(help="A GGUF file for the local backend.")]
BaseUrlOpt = Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (env OPENAI_BASE_URL).")]
StrategyOpt = Annotated[
    str | None, typer.Option(help="auto, full (one schema call) or hybrid (rules plus short model questions).")
]
ModelFieldsOpt = Annotated[
    str | None,
    typer.Option(help="Hybrid: the field groups the model answers, from what,who,where,when,killed,injured."),
]
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
