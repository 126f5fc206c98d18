"""Find each quote the extractor gave in the article and pin it to character offsets.

Three passes, cheapest first: exact substring; the same after folding whitespace, curly quotes, dashes
and soft hyphens; then fuzzy (rapidfuzz partial alignment) above a high threshold. A quote found by no
pass is unsupported: the caller drops the value it was meant to support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from summarizer.schema import Evidence

FUZZY_THRESHOLD = 90.0
MIN_QUOTE_CHARS = 2
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                       "\u2014": "-", "\u00a0": " "})  # fmt: skip
_INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}


@dataclass(frozen=True)
class FoldedText:
    """The article folded for matching, with a map from folded positions back to original offsets."""

    text: str
    starts: list[int]

    @classmethod
    def build(cls, original: str) -> FoldedText:
        chars: list[str] = []
        starts: list[int] = []
        previous_space = False
        for i, ch in enumerate(original):
            if ch in _INVISIBLE:
                continue
            ch = ch.translate(_FOLD).lower()
            if ch.isspace():
                if previous_space:
                    continue
                ch, previous_space = " ", True
            else:
                previous_space = False
            chars.append(ch)
            starts.append(i)
        return cls("".join(chars), starts)

    def span(self, start: int, end: int, original_len: int) -> tuple[int, int]:
        begin = self.starts[start]
        finish = self.starts[end - 1] + 1 if end > start else begin
        return begin, min(finish, original_len)


def fold(text: str) -> str:
    return FoldedText.build(text).text.strip()


class Locator:
    """Grounds many quotes against one article; builds the folded text once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: FoldedText | None = None

    @property
    def folded(self) -> FoldedText:
        if self._folded is None:
            self._folded = FoldedText.build(self.text)
        return self._folded

    def locate(self, quote: str | None, near: int | None = None) -> Evidence | None:
        """The evidence span for `quote`, or None when the article does not contain it."""
        if quote is None or len(quote.strip()) < MIN_QUOTE_CHARS:
            return None
        quote = quote.strip()
        start = self._exact(quote, near)
        if start is not None:
            return Evidence(quote=quote, start=start, end=start + len(quote), match="exact")
        found = self._normalized(quote, near)
        if found is not None:
            return self._evidence(*found, match="normalized")
        found = self._fuzzy(quote)
        return self._evidence(*found, match="fuzzy") if found else None

    def _evidence(self, start: int, end: int, match: str) -> Evidence:
        return Evidence(quote=self.text[start:end], start=start, end=end, match=match)  # type: ignore[arg-type]

    def _exact(self, quote: str, near: int | None) -> int | None:
        hits = [m.start() for m in re.finditer(re.escape(quote), self.text)]
        return _closest(hits, near)

    def _normalized(self, quote: str, near: int | None) -> tuple[int, int] | None:
        needle = fold(quote)
        if not needle:
            return None
        hits = [m.start() for m in re.finditer(re.escape(needle), self.folded.text)]
        nearest = _closest(hits, near)
        if nearest is None:
            return None
        return self.folded.span(nearest, nearest + len(needle), len(self.text))

    def _fuzzy(self, quote: str) -> tuple[int, int] | None:
        needle = fold(quote)
        if len(needle) < 8:  # short strings match anything fuzzily; only exact support counts
            return None
        result = fuzz.partial_ratio_alignment(needle, self.folded.text, score_cutoff=FUZZY_THRESHOLD)
        if result is None or result.dest_end <= result.dest_start:
            return None
        return self.folded.span(result.dest_start, result.dest_end, len(self.text))


def _closest(hits: list[int], near: int | None) -> int | None:
    if not hits:
        return None
    if near is None:
        return hits[0]
    return min(hits, key=lambda h: abs(h - near))


def locate(text: str, quote: str | None) -> Evidence | None:
    """Convenience wrapper for one quote."""
    return Locator(text).locate(quote)


def is_valid(text: str, evidence: Evidence) -> bool:
    return 0 <= evidence.start <= evidence.end <= len(text) and text[evidence.start : evidence.end] == evidence.quote
