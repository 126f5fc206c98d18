"""Passages addressed to a model rather than reporting news: found, then blanked so offsets still hold.

Instructions, chat role markers, prompt delimiters and pasted answers are not news; whatever an
extractor builds on them is not either, so the pipeline masks them before any backend reads the text.
"""

from __future__ import annotations

import re

from summarizer.text.chunking import Chunk
from summarizer.text.folding import INVISIBLE

_INJECTION = re.compile(
    "|".join([
        r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|prompts?|rules|directions)\b",
        r"\b(?:new|updated|real|system) (?:instructions?|prompt)\b|\byou are (?:now|an? (?:AI|language))\b",
        r"\b(?:assistant|AI|model|LLM|chatbot|summari[sz]er|extractor)s?\b[^.\n]{0,40}\b(?:must|should|shall|will)"
        r"\b[^.\n]{0,20}\b(?:output|report|say|print|respond|reply|return|include|answer|write|state)\b",
        r"\b(?:api[_ ]?key|OPENAI_API_KEY|environment variables?)\b",
        r"<\|[a-z_]+\|>|\[/?INST\]|^[ \t]*#{2,}\s*(?:system|instructions?|assistant|user)\b",
        r"^[ \t]*(?:system|assistant)\s*:|</?\s*(?:article|system|instructions?)\s*>|\{\s*\"events\"\s*:",
    ]),
    re.I | re.M,
)  # fmt: skip
# The unit flagged: from the start of a sentence or line to the end of its paragraph when a block
# (role markers, pasted JSON) opens, else to the end of the sentence.
_BLOCK_OPENERS = re.compile(r"<\|[a-z_]+\|>|\[INST\]|^[ \t]*#{2,}|\{\s*\"events\"|</?\s*system", re.I | re.M)
_SENTENCE_START = re.compile(r"(?:[.!?][\"')\]\u201d]*\s+|\n)(?=\S)")
_SENTENCE_END = re.compile(r"[.!?][\"')\]\u201d]*(?=\s|$)|\n")
_PARAGRAPH_END = re.compile(r"\n\s*\n")


def find_injections(text: str) -> list[Chunk]:
    """Spans of `text` that address a model (instructions, role markers, pasted answers), merged."""
    if not any(ch in INVISIBLE for ch in text):
        return [Chunk(b, e, text[b:e]) for b, e in _injection_spans(text)]
    # "Ig\u00adnore previous instructions" reads as an instruction: search without the invisible
    # characters, then map the spans back to offsets in the text as given.
    kept = [i for i, ch in enumerate(text) if ch not in INVISIBLE]
    spans = _injection_spans("".join(text[i] for i in kept))
    return [Chunk(kept[b], kept[e - 1] + 1, text[kept[b] : kept[e - 1] + 1]) for b, e in spans if e > b]


def _injection_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _INJECTION.finditer(text):
        window = max(0, match.start() - 500)  # a sentence start is near; do not rescan from 0 each time
        starts = _SENTENCE_START.finditer(text, window, match.start() + 1)  # +1: the lookahead needs it
        begin = max((m.end() for m in starts if m.end() <= match.start()), default=window)
        block = _BLOCK_OPENERS.match(text, match.start())
        stop = (_PARAGRAPH_END if block else _SENTENCE_END).search(text, match.end())
        spans.append((begin, stop.end() if stop else len(text)))
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and (begin <= merged[-1][1] or not text[merged[-1][1] : begin].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def mask_spans(text: str, spans: list[Chunk]) -> str:
    """`text` with each span blanked to spaces (newlines kept): same length, so offsets still hold."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = [ch if ch == "\n" else " " for ch in text[span.start : span.end]]
    return "".join(chars)
