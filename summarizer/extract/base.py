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
from summarizer.raw import RawExtraction
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


class Extractor(Protocol):
    name: str
    """"rules", "full", "hybrid" or "select": what `run.extractor` reports."""
    backend: str
    """The backend that answers ("rules" when none does)."""
    note: str | None
    """Why this extractor was chosen when that is not obvious (e.g. no field given to the model)."""

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

    def __init__(self, note: str | None = None) -> None:
        self.note = note

    def extract(self, doc: Document, record: RunRecord) -> RawExtraction:
        record.filled_by("rules")
        raw = rules.extract(doc.masked, doc.meta.published)
        note = None if raw.events else rules.gate_note(doc.masked)
        if note:
            record.warnings.append(note)
        return raw


class ModelExtractor:
    """What the model-backed extractors share: the backend is built (or the given one taken) on first
    use, so choosing an extractor costs nothing and a rules-only run never loads a model."""

    note: str | None = None

    def __init__(self, settings: Settings, backend: Callable[[], Backend], note: str | None = None) -> None:
        self.settings, self._backend_factory, self.note = settings, backend, note
        self._backend: Backend | None = None
        self.backend: str = settings.backend

    @property
    def model(self) -> str:
        return self._get().model

    def _get(self) -> Backend:
        if self._backend is None:
            self._backend = self._backend_factory()
        return self._backend
