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


@dataclass
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; also splits GVDB's glued title ("...CBS DenverAURORA")."""
    sentences: list[Sentence] = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group()
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            sentences.append(Sentence(m.start() + lead, m.end(), chunk.strip()))
    return _merge_abbreviations(sentences, text)


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
