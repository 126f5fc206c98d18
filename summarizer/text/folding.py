"""The one place that knows how text is folded for comparison: invisible characters, quotes, accents, look-alikes.

The article text itself is never folded (every evidence offset points into it); these functions make
*comparison keys* or *search views*, and the two that search keep a map back to the article's offsets.

- `INVISIBLE`: the characters a reader does not see (soft hyphen, zero-width and direction marks, word
  joiners, BOM). Every caller drops the same set.
- `FoldedText` / `fold_quote`: quote matching for grounding: curly quotes and dashes to ASCII, case and
  whitespace runs folded, invisibles dropped; `FoldedText.span` maps a match back to article offsets.
- `strip_accents`: "Al Anbār" → "Al Anbar", for place names.
- `fold_name`: accents, case and punctuation out ("U.S. Kata’ib" → "us kataib"), for comparing names.
- `Skeleton` / `skeleton`: what the letters look like, for finding text addressed to a model: invisibles
  and combining marks dropped, look-alike letters (Cyrillic "о", Greek "Ι", fullwidth "ｉ", math bold)
  folded to Latin one character for one character, with the article offset of each kept character.

The look-alike table is hand-kept: Unicode's confusables skeleton (and the packages built on it, such
as confusable-homoglyphs, which only answers "is this string confusable?") maps some characters to
several, which would break the one-for-one offsets masking relies on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
"""Soft hyphen, zero-width space/non-joiner/joiner, LTR/RTL marks, word joiner, invisible operators, BOM."""
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
_QUOTES_AND_DASHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                                    "\u2014": "-", "\u00a0": " "})  # fmt: skip
_NAME_PUNCTUATION = dict.fromkeys(map(ord, ".'’‘`"), None) | _DROP_INVISIBLE


def strip_invisible(text: str) -> str:
    """`text` without the characters in `INVISIBLE`."""
    return text.translate(_DROP_INVISIBLE)


# ---------------------------------------------------------------- quotes, for grounding


@dataclass(frozen=True)
class FoldedText:
    """Text folded for quote matching, with the original offset of every folded character."""

    text: str
    starts: list[int]

    @classmethod
    def build(cls, original: str) -> FoldedText:
        chars: list[str] = []
        starts: list[int] = []
        previous_space = False
        for i, ch in enumerate(original):
            if ch in INVISIBLE:
                continue
            ch = ch.translate(_QUOTES_AND_DASHES).lower()
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
        """The original offsets of the folded slice [start, end)."""
        begin = self.starts[start]
        finish = self.starts[end - 1] + 1 if end > start else begin
        return begin, min(finish, original_len)


def fold_quote(text: str) -> str:
    """`text` folded as `FoldedText` folds the article, ends trimmed: the key two quotes compare by."""
    return FoldedText.build(text).text.strip()


# ---------------------------------------------------------------- names


def strip_accents(text: str) -> str:
    """'Al Anbār' → 'Al Anbar': articles rarely carry transliteration marks."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=65_536)  # the scorer compares the same names across event pairs and fields
def fold_name(text: str) -> str:
    """Accents, case and punctuation out: "U.S. Kata’ib" → "us kataib"."""
    text = strip_accents(text.translate(_NAME_PUNCTUATION)).casefold()
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    return text.removeprefix("the ")


# ---------------------------------------------------------------- look-alike letters

# Letters of other scripts drawn like a Latin letter (after Unicode's confusables.txt, the ones seen in
# spoofing). Compatibility forms (fullwidth, mathematical bold/italic, small ligature-free letters) and
# accented Latin letters are folded by decomposition in `_LookAlikes.__missing__`, not listed here.
_CONFUSABLES = dict(zip(
    map(ord, "аеорсухіјѕԁԛԝһӏк" "АВЕКМНОРСТХУІЈЅԚԜӀ" "αορικνυχγε" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ" "ıɡɑ"),
    map(ord, "aeopcyxijsdqwhlk" "ABEKMHOPCTXYIJSQWI" "aopikvuxye" "ABEZHIKMNOPTYX" "iga"),
    strict=True,
))  # fmt: skip


class _LookAlikes(dict[int, int]):
    """A `str.translate` table filled on first sight of each code point: one character in, one out."""

    def __missing__(self, code: int) -> int:
        folded = unicodedata.normalize("NFKD", chr(code))
        base = folded[0] if folded else chr(code)
        # Only a decomposition to one Latin letter or digit (plus combining marks) counts, so that
        # "ﬁ" (two letters) or "½" keep their own character and the length never changes.
        keep = base.isascii() and base.isalnum() and all(unicodedata.combining(ch) for ch in folded[1:])
        self[code] = ord(base) if keep else code
        return self[code]


_LOOK_ALIKES = _LookAlikes(_CONFUSABLES)


def fold_confusables(text: str) -> str:
    """Look-alike letters to the Latin letter they imitate, one for one: `len` never changes."""
    return text if text.isascii() else text.translate(_LOOK_ALIKES)


class Skeleton(NamedTuple):
    """`text` as its letters look, and `offsets[i]`: the offset in the original of `text[i]`."""

    text: str
    offsets: Sequence[int]


def skeleton(text: str) -> Skeleton:
    """Invisibles and combining marks dropped, look-alikes folded: "Ig\u00adnоre" → "Ignore"."""
    if text.isascii():
        return Skeleton(text, range(len(text)))  # nothing to drop or fold: offsets are the identity
    offsets = [i for i, ch in enumerate(text) if ch not in INVISIBLE and not unicodedata.combining(ch)]
    return Skeleton(fold_confusables("".join(text[i] for i in offsets)), offsets)
