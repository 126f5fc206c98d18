"""Layer 3: from a prepared document to events.

`base` (the `Extractor` protocol, `Document`, the rules extractor), `choose` (settings → extractor),
`rules`, `people`, `gazetteer`, `normalize` (the deterministic extractor and its parts), `full` and
`hybrid` (the model-backed extractors), `grounding` (finding quotes in the text) and `events` (raw
phrases → grounded, normalized events). Word lists live in `extract/data/`. Imports only from
layers 0–2.
"""

from summarizer.extract.base import Document, Extractor, RulesExtractor
from summarizer.extract.choose import choose_extractor
from summarizer.extract.events import build_events

__all__ = ["Document", "Extractor", "RulesExtractor", "build_events", "choose_extractor"]
