"""The installed package version, at the floor so every layer can stamp it on its output."""

import importlib.metadata as _metadata

try:
    __version__ = _metadata.version("summarizer")
except _metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]
