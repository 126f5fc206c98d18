"""Word lists and tables the extractor reads, as data files beside this module.

`words("x")` reads `x.txt` (one entry per line, `#` comments); `rows("x")` reads `x.tsv`. Both are read
once per process through `importlib.resources`, so they work from a wheel or a zip.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TypeVar

T = TypeVar("T")


def _read(name: str) -> list[str]:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def words(name: str) -> frozenset[str]:
    """The entries of `name.txt`, stripped."""
    return frozenset(line.strip() for line in _read(f"{name}.txt"))


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The tab-separated rows of `name.tsv`; the first row is the header and is skipped."""
    lines = _read(f"{name}.tsv")
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in lines[1:])


def gzipped_lines(name: str) -> list[str]:
    """The lines of `name.tsv.gz` without its header (large tables ship compressed), unsplit: callers
    split only the rows they use."""
    raw = resources.files(__name__).joinpath(f"{name}.tsv.gz").read_bytes()
    return gzip.decompress(raw).decode("utf-8").splitlines()[1:]


def once(build: Callable[[], T]) -> Callable[[], T]:
    """`build()` runs once per process even when threads ask at the same time (a batch at concurrency 8
    must not load the GeoNames table eight times)."""
    lock = threading.Lock()
    done: list[T] = []

    def get() -> T:
        if not done:
            with lock:
                if not done:
                    done.append(build())
        return done[0]

    get.__doc__ = build.__doc__
    return get
