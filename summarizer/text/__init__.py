"""The text layer: raw input to article text, and the text utilities every later stage shares.

Layer 1. Modules here import only from summarizer.schema, summarizer.raw, summarizer.errors and
summarizer.config, the standard library and third-party libraries; never from backends, extract,
pipeline, batch, eval or cli, which all build on this layer.

- reading: files, stdin, web pages and byte limits; bytes or decoded text to the article text
- fetch: a web page's bytes (httpx), for a URL argument
- published: the publication date in every shape feeds carry (ISO 8601, RFC 2822, GDELT, written out)
- decoding: bytes to text (byte-order marks, UTF-8, declared and detected encodings), binary refused
- html: the article text of an HTML page
- validate: line endings cleaned once; text that cannot be summarized refused
- language: the article's language
- chunking: overlapping chunks cut at paragraph and sentence ends
- injection: passages addressed to a model, found and masked without moving offsets
- folding: the one place text is folded for comparison (invisibles, quotes, accents, look-alikes)
"""

from summarizer.text.chunking import Chunk, chunk_text
from summarizer.text.decoding import DecodedText, decode_bytes, sniff_charset
from summarizer.text.fetch import FETCH_TIMEOUT_S, FetchedPage, fetch_page, is_url
from summarizer.text.folding import (
    INVISIBLE,
    FoldedText,
    Skeleton,
    fold_confusables,
    fold_name,
    fold_quote,
    skeleton,
    strip_accents,
    strip_invisible,
)
from summarizer.text.html import PageMeta, looks_like_html, page_meta, strip_html
from summarizer.text.injection import find_injections, mask_spans
from summarizer.text.language import detect_language, language_name
from summarizer.text.published import FORMATS_HINT, Published, read_published
from summarizer.text.reading import (
    MAX_BYTES,
    article_from_bytes,
    prepare_bytes,
    prepare_text,
    read_article,
    read_article_file,
    read_bytes,
)
from summarizer.text.validate import MAX_CHARS, MAX_CONTROL_SHARE, clean_text, control_share, validate_text

__all__ = [
    "FETCH_TIMEOUT_S",
    "FORMATS_HINT",
    "INVISIBLE",
    "MAX_BYTES",
    "MAX_CHARS",
    "MAX_CONTROL_SHARE",
    "Chunk",
    "DecodedText",
    "FetchedPage",
    "FoldedText",
    "PageMeta",
    "Published",
    "Skeleton",
    "article_from_bytes",
    "chunk_text",
    "clean_text",
    "control_share",
    "decode_bytes",
    "detect_language",
    "fetch_page",
    "find_injections",
    "fold_confusables",
    "fold_name",
    "fold_quote",
    "is_url",
    "language_name",
    "looks_like_html",
    "mask_spans",
    "page_meta",
    "prepare_bytes",
    "prepare_text",
    "read_article",
    "read_article_file",
    "read_bytes",
    "read_published",
    "skeleton",
    "sniff_charset",
    "strip_accents",
    "strip_html",
    "strip_invisible",
    "validate_text",
]
