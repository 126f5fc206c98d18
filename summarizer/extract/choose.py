"""Pick the extractor from the settings, before any backend is built.

`--backend rules` → rules. `--strategy full` → one schema call per chunk. `--strategy select` → the rules
draft, the model assigns roles to candidate ids marked in the text (one request per article).
`--strategy hybrid` (the default for `local`) → the rules plus model questions for the field groups in
`--model-fields`; with no field group given to the model, the rules alone, said in the run note, and no
model is loaded. `auto` decides on measured evidence (`AUTO_WHY`) and says so in the run note.
"""

from __future__ import annotations

from summarizer.backends import Backend, get_backend, traits_for
from summarizer.backends.llamacpp import require_runtime
from summarizer.config import Settings
from summarizer.extract.base import Extractor, RulesExtractor
from summarizer.extract.full import FullExtractor
from summarizer.extract.hybrid import DEFAULT_MODEL_FIELDS, HybridExtractor
from summarizer.extract.select import SelectExtractor
from summarizer.schema import FieldGroup

NO_MODEL_FIELDS = "rules only: the {backend} backend was given no field group to answer (--model-fields)"
WHY_LOCAL = "; measured on GVDB dev, the embedded model loses to the rules on every field"
AUTO_WHY = {
    "select": "strategy select (auto: a self-hosted server, where small models choose among marked candidates "
    "better than they write a free extraction; measured in README 'LLM quality')",
    "full": "strategy full (auto: a hosted model writes the whole extraction in one call)",
}
"""What `run.note` says when `auto` chose the strategy: the choice and the evidence for it."""


def auto_strategy(settings: Settings) -> str:
    """The strategy `auto` means for these settings."""
    traits = traits_for(settings)
    if traits.in_process:
        return "hybrid"
    return "full" if traits.hosted else "select"


def _strategy(settings: Settings) -> str:
    return auto_strategy(settings) if settings.strategy == "auto" else settings.strategy


def _model_fields(settings: Settings) -> tuple[FieldGroup, ...]:
    return settings.model_field_groups if settings.model_field_groups is not None else DEFAULT_MODEL_FIELDS


def check_installed(settings: Settings) -> None:
    """ConfigError with the install command when these settings load the local model and the `local` extra
    is missing; the default (no field group, no --model-path) loads none, so a lean install runs it."""
    if settings.backend != "local":
        return
    if _strategy(settings) == "full" or _model_fields(settings) or settings.model_path:
        require_runtime(settings)


def choose_extractor(settings: Settings, backend: Backend | None = None) -> Extractor:
    """`backend`: an already built backend to use (batch passes one with a rate-limited client)."""
    if settings.backend == "rules":
        return RulesExtractor.for_settings(settings)

    def build() -> Backend:
        return backend or get_backend(settings)

    strategy = _strategy(settings)
    note = AUTO_WHY.get(strategy) if settings.strategy == "auto" else None
    fields = _model_fields(settings)
    if backend is None:
        check_installed(settings)
    if strategy == "full":
        return FullExtractor(settings, build, note)
    if strategy == "select":
        return SelectExtractor(settings, build, note)
    if not fields:
        why = WHY_LOCAL if settings.backend == "local" and settings.model_field_groups is None else ""
        note = NO_MODEL_FIELDS.format(backend=settings.backend) + why
        return RulesExtractor.for_settings(settings, note)
    return HybridExtractor(settings, build, fields)
