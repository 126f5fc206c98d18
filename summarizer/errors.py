"""One exception base; every message says what went wrong and how to fix it.

SummarizerError
├── InputError        the article or input file cannot be used (empty, binary, malformed)
├── ConfigError       a setting, key or model file is missing or wrong
├── BackendError      the model or server failed after retries (timeouts, rate limits, garbage)
└── DatasetError      a gold or prediction file cannot be read
"""


class SummarizerError(Exception):
    """Base class: the CLI prints these as one line, never a traceback."""


class InputError(SummarizerError):
    pass


class ConfigError(SummarizerError):
    pass


class BackendError(SummarizerError):
    pass


class DatasetError(SummarizerError):
    pass
