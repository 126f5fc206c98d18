"""summarizer: structured, source-grounded summaries of news articles about violent events."""

import importlib.metadata as _metadata

try:
    __version__ = _metadata.version("summarizer")
except _metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

from summarizer.backends import get_backend
from summarizer.config import Settings, load_settings
from summarizer.errors import SummarizerError
from summarizer.pipeline import summarize
from summarizer.schema import Article, Event, Summary

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
