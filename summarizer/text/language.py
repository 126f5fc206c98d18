"""The language an article is written in, as an ISO 639-1 code, or None when unsure."""

from __future__ import annotations

import itertools
import re

# (first, last, language) code-point ranges for scripts that name their language well enough to flag it.
_SCRIPTS = (
    (0x0600, 0x06FF, "ar"), (0x0750, 0x077F, "ar"), (0xFB50, 0xFDFF, "ar"), (0xFE70, 0xFEFF, "ar"),
    (0x0400, 0x04FF, "ru"), (0x0590, 0x05FF, "he"), (0x0370, 0x03FF, "el"), (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"), (0x0B80, 0x0BFF, "ta"), (0x0E00, 0x0E7F, "th"), (0x0530, 0x058F, "hy"),
    (0x10A0, 0x10FF, "ka"), (0x3040, 0x30FF, "ja"), (0xAC00, 0xD7AF, "ko"), (0x1100, 0x11FF, "ko"),
    (0x3400, 0x4DBF, "zh"), (0x4E00, 0x9FFF, "zh"),
)  # fmt: skip
# Letters that only some languages of a shared script use: they refine the script's default language.
_REFINE = {"ar": (("fa", "پچژگ"), ("ur", "ٹڈڑںے")), "ru": (("uk", "іїєґІЇЄҐ"),), "zh": ()}
_STOPWORDS = {
    "en": "the of and to in a is that for on was with by at as from has were said have it are he his",
    "fr": "le la les de des et un une du est que dans pour qui sur au pas il a été par ont",
    "es": "el la los las de del y en un una que por con para se fue al es su lo han",
    "de": "der die das und ist nicht ein eine mit den dem von zu sich auf für im wurde des",
    "pt": "o a os as de do da dos das e em um uma que para com foi por não no na",
    "it": "il lo la gli le di del della e un una che per con è sono nel alla ha stato",
}
# Only words unique to one list count: "de" or "la" say nothing about which Romance language it is.
_SHARED = {w for a, b in itertools.combinations(_STOPWORDS.values(), 2) for w in set(a.split()) & set(b.split())}
_STOPWORD_SETS = {lang: frozenset(words.split()) - _SHARED for lang, words in _STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code when the script or the stopwords make it clear; None when unsure or too short."""
    sample = text[:20_000]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 20:
        return None
    counts: dict[str, int] = {}
    for ch in letters:
        lang = _script_language(ord(ch))
        counts[lang] = counts.get(lang, 0) + 1
    lang, count = max(counts.items(), key=lambda item: item[1])
    if lang == "other" or count / len(letters) < 0.5:
        return None
    if lang == "latin":
        return _stopword_language(sample)
    if lang == "zh" and counts.get("ja", 0) > 0.05 * len(letters):  # kana mark Japanese mixed with kanji
        return "ja"
    return _refine(lang, sample)


def _script_language(code: int) -> str:
    if code < 0x0250:
        return "latin"
    return next((lang for first, last, lang in _SCRIPTS if first <= code <= last), "other")


def _refine(lang: str, sample: str) -> str:
    for variant, marks in _REFINE.get(lang, ()):
        if sum(sample.count(mark) for mark in marks) >= 3:
            return variant
    return lang


def _stopword_language(sample: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 5:
        return None
    shares = {lang: sum(w in stops for w in words) / len(words) for lang, stops in _STOPWORD_SETS.items()}
    ranked = sorted(shares.items(), key=lambda item: item[1], reverse=True)
    (best, share), (_, runner_up) = ranked[0], ranked[1]
    return best if share >= 0.08 and share >= 2 * runner_up else None
