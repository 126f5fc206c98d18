"""Raw input (bytes from a file, stdin or a batch line) to "the article text".

The article text is the decoded, HTML-stripped, newline-normalized text that `prepare_bytes` and
`read_article_file` return. Every evidence offset in a `Summary` points into exactly that string, so
nothing downstream may change it: soft hyphens, zero-width characters and curly quotes stay where they
are, and the folding needed to *match* quotes lives in `grounding.FoldedText`, which maps back to these
offsets. Text handed to `pipeline.summarize()` directly is only validated, never rewritten.
"""

from __future__ import annotations

import codecs
import itertools
import logging
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from summarizer.errors import InputError

MAX_CHARS = 2_000_000
MAX_BYTES = 16_000_000
"""Files larger than this are refused before decoding; an HTML page carries far more markup than text."""

_MAGIC = {
    b"%PDF-": "PDF", b"PK\x03\x04": "ZIP/DOCX", b"\x89PNG": "PNG", b"\x1f\x8b": "gzip",
    b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"\x7fELF": "executable", b"MZ\x90\x00": "executable",
    b"\xd0\xcf\x11\xe0": "MS Office", b"\xfd7zXZ\x00": "xz", b"7z\xbc\xaf'\x1c": "7z", b"Rar!": "RAR",
    b"SQLite format 3\x00": "SQLite",
}  # fmt: skip
# UTF-32 LE starts with the UTF-16 LE mark, so test it first.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
MAX_CONTROL_SHARE = 0.05
_log = logging.getLogger(__name__)


class DecodedText(NamedTuple):
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


class Chunk(NamedTuple):
    """A slice of the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


# ---------------------------------------------------------------- decoding


def decode_bytes(data: bytes, declared_encoding: str | None = None, *, name: str = "input") -> DecodedText:
    """Bytes to text: UTF-8 (BOM stripped), else the declared encoding, else a legacy 8-bit guess.

    Raises InputError for binary data and for bytes no encoding explains; never anything else.
    """
    _reject_magic(data, name)
    for bom, encoding in _BOMS:
        if data.startswith(bom):  # UTF-16/32 text is full of NUL bytes, so decode before the NUL check
            return _checked(_decode(data, encoding, name), encoding, (f"{name} decoded as {encoding}",), name)
    if b"\x00" in data:
        raise InputError(f"{name} looks like binary data (NUL bytes), not text; pass a text or HTML file")
    try:
        return _checked(data.decode("utf-8-sig"), "utf-8", (), name)
    except UnicodeDecodeError:
        pass
    declared = _declared(data, declared_encoding)
    if declared is not None:
        text, encoding = declared
        return _checked(text, encoding, (f"{name} is not UTF-8; decoded as declared {encoding}",), name)
    if _looks_legacy(data):
        encoding = "cp1252" if _decodes(data, "cp1252") else "latin-1"
        warning = f"{name} is not valid UTF-8; decoded as {encoding}: check accented characters"
        return _checked(data.decode(encoding), encoding, (warning,), name)
    raise InputError(f"{name} is not valid UTF-8 and its encoding cannot be told; re-save it as UTF-8")


def _reject_magic(data: bytes, name: str) -> None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name} looks like binary ({kind}) data, not text; pass a text or HTML file")


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{name} has a {encoding} byte-order mark but is not {encoding}") from None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _declared(data: bytes, encoding: str | None) -> tuple[str, str] | None:
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
        return data.decode(name), name
    except (LookupError, UnicodeDecodeError):  # an unknown or wrong declaration is only a hint
        return None


def _looks_legacy(data: bytes) -> bool:
    """Mostly ASCII prose with a few high bytes (accents, curly quotes), as cp1252/latin-1 files are."""
    if not data:
        return False
    high = sum(b >= 0x80 for b in data)
    prose = sum(b == 32 or 65 <= b <= 90 or 97 <= b <= 122 for b in data)
    return high / len(data) < 0.3 and prose / len(data) > 0.6


def _checked(text: str, encoding: str, warnings: tuple[str, ...], name: str) -> DecodedText:
    if control_share(text) > MAX_CONTROL_SHARE:
        raise InputError(f"{name} looks like binary data (control characters); pass a text or HTML file")
    return DecodedText(text, encoding, warnings)


def control_share(text: str) -> float:
    """The share of characters that are control codes other than tabs and line breaks."""
    if not text:
        return 0.0
    controls = sum(1 for ch in text if (ch < " " or "\x7f" <= ch <= "\x9f") and ch not in _TEXT_CONTROLS)
    return controls / len(text)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def sniff_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag within its first 4 KB, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


# ---------------------------------------------------------------- HTML

_HTML_DOC = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
# Script tags do not count: prose quoting "<script>alert(1)</script>" is not a web page.
_HTML_TAG = re.compile(r"</?(?:p|div|br|span|a|h[1-6]|li|ul|article|section|meta)\b[^>]*>", re.I)
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer",
                   "aside", "form", "iframe", "button", "select"})  # fmt: skip
_BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section",
                    "blockquote", "pre", "table", "ul", "ol", "figcaption", "main", "hr"})  # fmt: skip


def looks_like_html(text: str) -> bool:
    """A document marker, or several layout tags: one stray "</article>" in prose is not a page."""
    return bool(_HTML_DOC.search(text, 0, 4096)) or len(_HTML_TAG.findall(text, 0, 200_000)) >= 3


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive already unescaped in handle_data
        self.paragraphs: list[list[str]] = [[]]
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag in _BLOCK:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.paragraphs[-1].append(data)


def strip_html(text: str) -> str:
    """The readable text of an HTML page: paragraphs separated by blank lines, page chrome dropped."""
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    paragraphs = (" ".join("".join(parts).split()) for parts in parser.paragraphs)
    return "\n\n".join(p for p in paragraphs if p)


# ---------------------------------------------------------------- language

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


# ---------------------------------------------------------------- chunking

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


# ---------------------------------------------------------------- text addressed to a model

# Sentences that talk to a model rather than report news: instructions, chat role markers, prompt
# delimiters and pasted answers. Whatever rests on them is not news, whoever extracted it.
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
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def find_injections(text: str) -> list[Chunk]:
    """Spans of `text` that address a model (instructions, role markers, pasted answers), merged."""
    if not _INVISIBLE.search(text):
        return [Chunk(b, e, text[b:e]) for b, e in _injection_spans(text)]
    # "Ig\u00adnore previous instructions" reads as an instruction: search without the invisible
    # characters, then map the spans back to offsets in the text as given.
    kept = [i for i, ch in enumerate(text) if not _INVISIBLE.match(ch)]
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


# ---------------------------------------------------------------- cleaning and validation


def clean_text(text: str) -> str:
    """Normalize line endings and trim the ends; done once, before any offset exists."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def validate_text(text: str, max_chars: int = MAX_CHARS) -> str:
    """Return `text` unchanged if it can be summarized, else raise InputError saying why."""
    if not isinstance(text, str):
        raise InputError(f"article text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InputError("article is empty; pass a file or text with the article in it")
    if len(text) > max_chars:
        raise InputError(f"article is {len(text):,} characters, over the {max_chars:,} limit; pass a part")
    if "\x00" in text or control_share(text) > MAX_CONTROL_SHARE:
        raise InputError("article text looks like binary data (control characters); pass a text or HTML file")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates would break JSON output and the cache later
        raise InputError(f"article text holds characters that are not valid Unicode ({exc.reason})") from None
    return text


def prepare_text(text: str, *, name: str = "input") -> str:
    """Decoded text to the article text: strip HTML if it is a page, clean, validate."""
    if looks_like_html(text):
        text = strip_html(text)
        if not text.strip():
            raise InputError(f"{name} is an HTML page with no text outside scripts, styles and navigation")
    return validate_text(clean_text(text))


def prepare_bytes(data: bytes, *, name: str = "input") -> DecodedText:
    """Bytes to the article text, with the decoding warnings the summary should carry."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is {len(data):,} bytes; the maximum is {MAX_BYTES:,}: pass an excerpt")
    decoded = decode_bytes(data, sniff_charset(data), name=name)
    return decoded._replace(text=prepare_text(decoded.text, name=name))


def read_bytes(path_or_dash: str | Path) -> bytes:
    """A file's bytes, or stdin's for "-", reading at most one byte past the limit."""
    if str(path_or_dash) == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    path = Path(path_or_dash)
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory; pass a file (`summarizer batch` reads folders)") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_article_file(path_or_dash: str | Path) -> str:
    """The article text of a file or stdin; decoding warnings go to the log."""
    name = "stdin" if str(path_or_dash) == "-" else str(path_or_dash)
    decoded = prepare_bytes(read_bytes(path_or_dash), name=name)
    for warning in decoded.warnings:
        _log.warning(warning)
    return decoded.text
