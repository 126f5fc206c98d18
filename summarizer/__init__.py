"""summarizer: structured, source-grounded summaries of news articles about violent events.

Layers, each importing only from the layers below it (`lint-imports` checks this in CI; see the
`[tool.importlinter]` contract in pyproject.toml):

    6  cli/                     typer app; `eval`, `batch` and `db` command groups mounted lazily
    5  batch/ | eval/           many articles through the pipeline | gold, datasets, scoring, reports
    4½ db/                     the events database (SQLite): tables, upserts, reconciling, Datasette
    4  pipeline | render        prepare → extractor → ground + normalize → Summary | its renderings
    3  extract/                 the Extractor protocol; rules, full, hybrid; grounding, normalization
    2  backends/                model backends, prompts, response cache, the one call-with-retries
    1  text/                    reading, decoding, HTML, language, chunking, injection masking, folding
    0  schema, raw, errors, config, record, version    the contracts every layer shares
"""

from summarizer.backends import get_backend
from summarizer.config import Settings, load_settings
from summarizer.errors import SummarizerError
from summarizer.pipeline import summarize
from summarizer.schema import Article, Event, Summary
from summarizer.version import __version__

__all__ = [
    "Article",
    "Event",
    "Settings",
    "SummarizerError",
    "Summary",
    "__version__",
    "get_backend",
    "load_settings",
    "summarize",
]
