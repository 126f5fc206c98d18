"""Sentences with their offsets in the article: the unit figures, sources and incidents are read in."""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|St|Ave|Blvd|Rd|Mr|Mrs|Ms|Dr|No|Gen|Lt|"
    r"Sgt|Col|Capt|Cpl|Maj|Gov|Sen|Rep|Det|Ofc|Jr|Sr|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|"
    r"Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Vt|Va|Wash|Wis|Wyo))\.$"
)
_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+(?:[.!?]+[\"”’']?|\n|$)")  # "9.1 million" is one sentence
_WRAPPED_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d)|\n(?![ \t]*\n|[ \t]))+(?:[.!?]+[\"”’']?|\n|$)")
"""In hard-wrapped copy (MUC wire: lines of ~70 characters, paragraphs indented or after a blank line) a
line break inside a paragraph is a space, not the end of a sentence."""
WRAP_WIDTH = (50, 90)


@dataclass
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; also splits GVDB's glued title ("...CBS DenverAURORA")."""
    sentences: list[Sentence] = []
    pattern = _WRAPPED_SENTENCE if hard_wrapped(text) else _SENTENCE
    for m in pattern.finditer(text):
        chunk = m.group()
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            sentences.append(Sentence(m.start() + lead, m.end(), chunk.strip()))
    return _merge_abbreviations(sentences, text)


def hard_wrapped(text: str) -> bool:
    """Most lines of a similar, typewriter width: the copy breaks lines inside sentences."""
    lines = [len(line) for line in text.splitlines() if line.strip()]
    if len(lines) < 4:
        return False
    low, high = WRAP_WIDTH
    return sum(low <= n <= high for n in lines) >= 0.7 * len(lines)


def _merge_abbreviations(sentences: list[Sentence], text: str) -> list[Sentence]:
    """Undo splits after "U.S.", "Jan.", "Colo.", "p.m.", single initials."""
    merged: list[Sentence] = []
    for s in sentences:
        if merged and ABBREVIATION.search(merged[-1].text) and s.text[:1].isalnum():
            prev = merged[-1]
            merged[-1] = Sentence(prev.start, s.end, text[prev.start : s.end].strip())
        else:
            merged.append(s)
    return merged
