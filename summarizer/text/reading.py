"""Raw input (a file, stdin, a web page or a batch line's bytes) to the article text, within size limits.

The article text is the decoded, HTML-stripped, newline-normalized text these functions return. Every
evidence offset in a `Summary` points into exactly that string, so nothing downstream may change it:
soft hyphens, zero-width characters and curly quotes stay where they are (matching folds them through
`folding`, which maps back to these offsets).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from summarizer.errors import InputError
from summarizer.schema import Article, PublishedSource
from summarizer.text.decoding import DecodedText, decode_bytes, sniff_charset
from summarizer.text.fetch import fetch_page, is_url
from summarizer.text.html import PageMeta, looks_like_html, page_meta, strip_html
from summarizer.text.validate import clean_text, validate_text

MAX_BYTES = 16_000_000
"""Files larger than this are refused before decoding; an HTML page carries far more markup than text."""
_log = logging.getLogger(__name__)


def prepare_text(text: str, *, name: str = "input") -> str:
    """Decoded text to the article text: strip HTML if it is a page, clean, validate."""
    if looks_like_html(text):
        text = strip_html(text)
        if not text.strip():
            raise InputError(f"{name} is an HTML page with no text outside scripts, styles and navigation")
    return validate_text(clean_text(text))


def prepare_bytes(data: bytes, *, name: str = "input", declared: str | None = None) -> DecodedText:
    """Bytes to the article text, with the decoding warnings the summary should carry.

    `declared`: the encoding a server named in its Content-Type, which overrides the page's own."""
    decoded = _decoded(data, name, declared)
    return decoded._replace(text=prepare_text(decoded.text, name=name))


def _decoded(data: bytes, name: str, declared: str | None) -> DecodedText:
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is {len(data):,} bytes; the maximum is {MAX_BYTES:,}: pass an excerpt")
    return decode_bytes(data, declared or sniff_charset(data), name=name)


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


def read_article(source: str) -> Article:
    """A file, stdin ("-") or a web page (an http/https URL) as an article; a page keeps its URL and the
    title and publication date it declares. Decoding warnings go to the log."""
    if is_url(source):
        page = fetch_page(source, MAX_BYTES)
        return article_from_bytes(page.data, name=source, url=page.url, declared=page.charset)
    return article_from_bytes(read_bytes(source), name="stdin" if source == "-" else source)


def article_from_bytes(data: bytes, *, name: str, url: str | None = None, declared: str | None = None) -> Article:
    """Bytes (a text file or an HTML page) to an article, with what a page declares about itself."""
    decoded = _decoded(data, name, declared)
    for warning in decoded.warnings:
        _log.warning(warning)
    meta = page_meta(decoded.text) if looks_like_html(decoded.text) else PageMeta(None, None)
    source: PublishedSource | None = "page" if meta.published else None
    text = prepare_text(decoded.text, name=name)
    return Article(text=text, url=url, title=meta.title, published=meta.published, published_source=source)
