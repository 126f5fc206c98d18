"""Article text checks: clean line endings once, then refuse what cannot be summarized, saying why.

Text handed to `pipeline.summarize()` directly is only validated, never rewritten: offsets point into it.
"""

from __future__ import annotations

from summarizer.errors import InputError

MAX_CHARS = 2_000_000
MAX_CONTROL_SHARE = 0.05
"""More control characters than this share (tabs and line breaks aside) means binary data, not text."""
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def control_share(text: str) -> float:
    """The share of characters that are control codes other than tabs and line breaks."""
    if not text:
        return 0.0
    controls = sum(1 for ch in text if (ch < " " or "\x7f" <= ch <= "\x9f") and ch not in _TEXT_CONTROLS)
    return controls / len(text)


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
