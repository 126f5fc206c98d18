"""Pick the extractor from the settings, before any backend is built.

`--backend rules` → rules. `--strategy full` (the default for `openai`) → one schema call per chunk.
`--strategy hybrid` (the default for `local`) → the rules plus model questions for the field groups
in `--model-fields`; with no field group given to the model, the rules alone, said in the run note,
and no model is loaded.
"""

from __future__ import annotations

from summarizer.backends import Backend, get_backend
from summarizer.config import Settings
from summarizer.extract.base import Extractor, RulesExtractor
from summarizer.extract.full import FullExtractor
from summarizer.extract.hybrid import DEFAULT_MODEL_FIELDS, HybridExtractor
from summarizer.extract.roles.casualties import FigureRoles

NO_MODEL_FIELDS = "rules only: the {backend} backend was given no field group to answer (--model-fields)"
WHY_LOCAL = "; measured on GVDB dev, the embedded model loses to the rules on every field"


def choose_extractor(settings: Settings, backend: Backend | None = None) -> Extractor:
    """`backend`: an already built backend to use (batch passes one with a rate-limited client)."""
    if settings.backend == "rules":
        return RulesExtractor(figure_roles=FigureRoles(settings.figure_roles))

    def build() -> Backend:
        return backend or get_backend(settings)

    strategy = settings.strategy
    if strategy == "auto":
        strategy = "hybrid" if settings.backend == "local" else "full"
    if strategy == "full":
        return FullExtractor(settings, build)
    fields = settings.model_field_groups if settings.model_field_groups is not None else DEFAULT_MODEL_FIELDS
    if not fields:
        why = WHY_LOCAL if settings.backend == "local" and settings.model_field_groups is None else ""
        note = NO_MODEL_FIELDS.format(backend=settings.backend) + why
        return RulesExtractor(note=note, figure_roles=FigureRoles(settings.figure_roles))
    return HybridExtractor(settings, build, fields)
