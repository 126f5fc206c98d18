"""Find each quote the extractor gave in the article and pin it to character offsets.

Three passes, cheapest first: exact substring; the same after folding whitespace, curly quotes, dashes
and soft hyphens; then fuzzy (rapidfuzz partial alignment) above a high threshold. A quote found by no
pass is unsupported: the caller drops the value it was meant to support.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from summarizer.schema import Evidence
from summarizer.text.folding import FoldedText, fold_quote

FUZZY_THRESHOLD = 90.0
NEAR_COPY_THRESHOLD = 80.0
"""A quote at least this similar (rapidfuzz ratio, folded) to one whole sentence is that sentence, copied
carelessly: small models drop or swap a word of a long sentence."""
MIN_QUOTE_CHARS = 2


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

    def locate(self, quote: str | None, near: int | None = None, fuzzy: bool = True) -> Evidence | None:
        """The evidence span for `quote`, or None when the article does not contain it. `fuzzy=False` stops
        after the exact and normalized passes (the caller tries a sentence anchor first)."""
        if quote is None or len(quote.strip()) < MIN_QUOTE_CHARS:
            return None
        quote = quote.strip()
        start = self._exact(quote, near)
        if start is not None:
            return Evidence(quote=quote, start=start, end=start + len(quote), match="exact")
        found = self._normalized(quote, near)
        if found is not None:
            return self._evidence(*found, match="normalized")
        aligned = self._fuzzy(quote) if fuzzy else None
        return self._evidence(aligned[0], aligned[1], match="fuzzy", score=aligned[2]) if aligned else None

    def near_copy(self, quote: str | None, sentences: list[tuple[int, int]]) -> Evidence | None:
        """The sentence (start, end) that `quote` best copies, when it is a near-copy of it, with its score."""
        needle = fold_quote(quote or "")
        if len(needle) < 8:
            return None
        best: tuple[float, int, int] | None = None
        for start, end in sentences:
            score = fuzz.ratio(needle, fold_quote(self.text[start:end]))
            if score >= NEAR_COPY_THRESHOLD and (best is None or score > best[0]):
                best = (score, start, end)
        return self._evidence(best[1], best[2], match="fuzzy", score=round(best[0], 1)) if best else None

    def _evidence(self, start: int, end: int, match: str, score: float | None = None) -> Evidence:
        return Evidence(quote=self.text[start:end], start=start, end=end, match=match, score=score)  # type: ignore[arg-type]

    def _exact(self, quote: str, near: int | None) -> int | None:
        hits = [m.start() for m in re.finditer(re.escape(quote), self.text)]
        return _closest(hits, near)

    def _normalized(self, quote: str, near: int | None) -> tuple[int, int] | None:
        needle = fold_quote(quote)
        if not needle:
            return None
        hits = [m.start() for m in re.finditer(re.escape(needle), self.folded.text)]
        nearest = _closest(hits, near)
        if nearest is None:
            return None
        return self.folded.span(nearest, nearest + len(needle), len(self.text))

    def _fuzzy(self, quote: str) -> tuple[int, int, float] | None:
        needle = fold_quote(quote)
        if len(needle) < 8:  # short strings match anything fuzzily; only exact support counts
            return None
        result = fuzz.partial_ratio_alignment(needle, self.folded.text, score_cutoff=FUZZY_THRESHOLD)
        if result is None or result.dest_end <= result.dest_start:
            return None
        return (*self.folded.span(result.dest_start, result.dest_end, len(self.text)), round(result.score, 1))


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
