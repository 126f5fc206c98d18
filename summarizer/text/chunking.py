"""Overlapping chunks of an article for models with a small context, cut at paragraph or sentence ends."""

from __future__ import annotations

import re
from typing import NamedTuple


class Chunk(NamedTuple):
    """A slice of the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"[.!?][\"')\]\u201d\u2019]*\s+"), re.compile(r"\s+"))
"""Where a chunk may end, best first: a paragraph break, a sentence end, any whitespace."""


def chunk_text(text: str, max_chars: int, overlap: int = 0) -> list[Chunk]:
    """Overlapping chunks of at most `max_chars`, ending at paragraph or sentence breaks where possible.

    Chunks cover the text in order; each starts at or before the previous one's end.
    """
    if max_chars <= 0 or not 0 <= overlap < max_chars:
        raise ValueError("chunk_text needs max_chars > 0 and 0 <= overlap < max_chars")
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= max_chars else _break_before(text, start, max_chars, overlap)
        chunks.append(Chunk(start, end, text[start:end]))
        if end == len(text):
            break
        start = _restart(text, start, end, overlap)
    return chunks


def _break_before(text: str, start: int, max_chars: int, overlap: int) -> int:
    # Look only in the second half of the window so chunks stay large, and past the overlap so the
    # next chunk starts after this one does (the loop always advances).
    low, high = start + max(overlap + 1, max_chars // 2), start + max_chars
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(text, low, high) if low < m.end() <= high]
        if ends:
            return ends[-1]
    return high


def _restart(text: str, start: int, end: int, overlap: int) -> int:
    """The next chunk's start: `overlap` characters back, moved forward to a word or sentence start."""
    back = end - overlap
    for pattern in _BREAKS[1:]:
        match = pattern.search(text, back, end)
        if match and start < match.end() <= end:
            return match.end()
    return max(back, start + 1)
