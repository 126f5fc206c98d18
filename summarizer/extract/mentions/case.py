"""All-caps wire copy (MUC) read as mixed case, so capitalized-word detectors work on it unchanged."""

from __future__ import annotations

import re

from summarizer.extract import data

WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def shouting(sentences: list[str]) -> bool:
    """Most letters of the opening upper case: wire copy like "HECTOR OQUELI WAS KILLED"."""
    letters = [ch for s in sentences[:20] for ch in s if ch.isalpha()]
    return len(letters) > 40 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)


def soften(sentence: str) -> str:
    """Same length: ordinary words lower case, other words capitalized ("Hector Oqueli was killed")."""
    return WORD.sub(lambda m: _soft_word(m.group()), sentence)


def _soft_word(word: str) -> str:
    low = word.lower()
    return low if low in data.words("ordinary_words") or len(word) == 1 else word[:1] + low[1:]


def readable(text: str) -> str:
    """The text itself, or its softened copy when it shouts; offsets are the same either way."""
    return soften(text) if shouting([text[:3000]]) else text
