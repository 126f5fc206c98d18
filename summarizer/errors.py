"""One exception base; every message says what went wrong and how to fix it.

SummarizerError
├── InputError        the article or input file cannot be used (empty, binary, malformed)
│   └── UnsupportedLanguageError   the chosen backend cannot read the article's language
├── ConfigError       a setting, key or model file is missing or wrong
├── BackendError      the model or server failed after retries (timeouts, rate limits, garbage)
└── DatasetError      a gold or prediction file cannot be read
"""


class SummarizerError(Exception):
    """Base class: the CLI prints these as one line, never a traceback."""

    status = "error"
    """The status of a batch output line for an article that failed with this error."""
    exit_code = 2
    """What `summarizer summarize` exits with after printing the message."""


class InputError(SummarizerError):
    pass


class UnsupportedLanguageError(InputError):
    """Read, but not by this backend: the message names the language and the backend that reads it."""

    status = "unsupported_language"
    exit_code = 3


class ConfigError(SummarizerError):
    pass


class BackendError(SummarizerError):
    pass


class DatasetError(SummarizerError):
    pass


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception as one short line for a user: our own errors by message, others with their type."""
    text = " ".join(str(exc).split())
    if not isinstance(exc, SummarizerError) or not text:
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
