"""The extractor contract: a prepared document in, a raw extraction (verbatim phrases) out.

Three implementations: `RulesExtractor` (no model), `full.FullExtractor` (one schema-constrained call
per chunk) and `hybrid.HybridExtractor` (rules, then short model questions for chosen field groups).
`choose.choose_extractor` picks one from the settings before any backend is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from summarizer.backends import Backend
from summarizer.config import Settings
from summarizer.extract import rules
from summarizer.extract.roles.casualties import FigureRoles
from summarizer.extract.switches import ALL_ON, Switches
from summarizer.raw import RawEvent, RawExtraction
from summarizer.record import RunRecord
from summarizer.schema import ArticleMeta


@dataclass(frozen=True)
class Document:
    """An article ready for extraction: its validated text, metadata and publication date."""

    text: str
    meta: ArticleMeta
    published: datetime | None
    masked: str
    """`text` with passages addressed to a model (injected instructions, role markers, pasted answers)
    blanked to spaces: same length, so offsets hold. Extraction and grounding see only this."""
    injections: int = 0
    warnings: tuple[str, ...] = ()
    """What preparing the article noticed (an unreadable publication date), for the summary's warnings."""


ENGLISH = frozenset({"en"})


class Extractor(Protocol):
    name: str
    """"rules", "full", "hybrid" or "select": what `run.extractor` reports."""
    backend: str
    """The backend that answers ("rules" when none does)."""
    note: str | None
    """Why this extractor was chosen when that is not obvious (e.g. no field given to the model)."""
    languages: frozenset[str] | None
    """The languages it reads (ISO 639-1); None for any. The rules' word lists and patterns are English."""

    @property
    def model(self) -> str:
        """The model that answers, "rules" when none does."""
        ...

    def extract(self, doc: Document, record: RunRecord) -> RawExtraction: ...


class RulesExtractor:
    """The deterministic extractor alone: no model is loaded or asked."""

    name = "rules"
    backend = "rules"
    model = "rules"
    languages: frozenset[str] | None = ENGLISH

    def __init__(
        self, note: str | None = None, switches: Switches = ALL_ON, figure_roles: FigureRoles = FigureRoles.WIRE
    ) -> None:
        self.note, self.switches, self.figure_roles = note, switches, figure_roles

    @classmethod
    def for_settings(cls, settings: Settings, note: str | None = None) -> RulesExtractor:
        """The rules with the settings' ablation switches and figure-role mode."""
        return cls(note, Switches.without(settings.without), FigureRoles(settings.figure_roles))

    def draft(self, doc: Document) -> RawExtraction:
        """Every event the rules see, nothing recorded."""
        return rules.extract(doc.masked, doc.meta.published, self.switches, self.figure_roles)

    def extract(self, doc: Document, record: RunRecord) -> RawExtraction:
        record.filled_by("rules")
        raw = self.draft(doc)
        note = None if raw.events else rules.gate_note(doc.masked)
        if note:
            record.warnings.append(note)
        return raw


class ModelExtractor:
    """What the model-backed extractors share: the backend is built (or the given one taken) on first
    use, so choosing an extractor costs nothing and a rules-only run never loads a model."""

    note: str | None = None
    languages: frozenset[str] | None = None
    """A model asked for the whole extraction reads the article whatever its language."""

    def __init__(self, settings: Settings, backend: Callable[[], Backend], note: str | None = None) -> None:
        self.settings, self._backend_factory, self.note = settings, backend, note
        self._backend: Backend | None = None
        self.backend: str = settings.backend

    @property
    def model(self) -> str:
        return self._get().model

    def _rules_draft(self, doc: Document, record: RunRecord) -> tuple[RawExtraction, RawEvent | None]:
        """The rules' events, configured as a rules run is, for the model to refine, and the primary one."""
        baseline = RulesExtractor.for_settings(self.settings).draft(doc)
        record.filled_by("rules")
        return baseline, next((e for e in baseline.events if e.primary), None)

    def _get(self) -> Backend:
        if self._backend is None:
            self._backend = self._backend_factory()
        return self._backend
