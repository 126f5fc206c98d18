"""The article text of an HTML page: its title and main-content paragraphs, separated by blank lines.

trafilatura (2.3) finds the main content; a small HTMLParser pass stays as a guard. Measured on three
news-style pages with cookie banners, share bars, related-story lists, comments and sidebars, plus the
test page and the adversarial script page: both keep 14/14 news sentences, but trafilatura keeps 1 of
26 boilerplate strings where the parser alone keeps 16 ("Related stories", comments, "Most read"
headlines that carry casualty figures of other events). trafilatura loses on pages with no article at
all: it falls back to the whole page and returns the navigation ("Home | World"), where the parser,
which drops scripts, styles, navigation, headers, footers and asides, correctly finds nothing; so a
page is refused when the parser finds no text, and the parser's text is used if trafilatura finds none.

trafilatura costs ~11 ms a page, 7 of them finding the headline (the parser 0.3 ms), and ~0.35 s
more for the first page (lxml, justext, htmldate: 0.45 s alone, 0.2 s beyond what the CLI loads),
so it is imported on the first HTML page, not with the package.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import NamedTuple

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
    """The article text of an HTML page: title and main content, paragraphs separated by blank lines.

    Empty when the page holds no text outside scripts, styles, navigation, headers and footers.
    """
    readable = _readable_text(text)
    if not readable:
        return ""
    return _main_content(text) or readable


def _readable_text(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    paragraphs = (" ".join("".join(parts).split()) for parts in parser.paragraphs)
    return "\n\n".join(p for p in paragraphs if p)


def _main_content(text: str) -> str:
    import trafilatura  # ~0.45 s of imports, paid only by HTML input
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        text, include_comments=False, include_tables=True, deduplicate=False, with_metadata=True
    )
    if not isinstance(document, Document) or not document.text:
        return ""
    paragraphs = [" ".join(line.split()) for line in document.text.splitlines() if line.strip()]
    title = " ".join((document.title or "").split())
    if title and not paragraphs[0].startswith(title):  # a headline above the article body is dropped
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs)


_PUBLISHED_META = frozenset({"article:published_time", "datepublished", "og:published_time"})
"""`<meta>` property / name / itemprop values that carry the page's publication date (lower-cased)."""
_JSON_LD_DEPTH = 6


class PageMeta(NamedTuple):
    """What a page says about itself, outside its text."""

    title: str | None
    published: str | None
    """The raw value of the published-time meta tag, else the first JSON-LD `datePublished`."""


class _MetaReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta_published: str | None = None
        self.og_title: str | None = None
        self.title: list[str] = []
        self.json_ld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "").strip() for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key in _PUBLISHED_META and values.get("content") and self.meta_published is None:
                self.meta_published = values["content"]
            elif key == "og:title" and values.get("content"):
                self.og_title = values["content"]
        elif tag == "title" or (tag == "script" and values.get("type", "").lower() == "application/ld+json"):
            self._in = tag
            if tag == "script":
                self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title.append(data)
        elif self._in == "script":
            self.json_ld[-1] += data


def page_meta(page: str) -> PageMeta:
    """The title and publication date a page declares (meta tags, JSON-LD); None for what it does not."""
    reader = _MetaReader()
    reader.feed(page)
    reader.close()
    title = reader.og_title or " ".join("".join(reader.title).split()) or None
    published = reader.meta_published
    for block in reader.json_ld if published is None else ():
        published = _date_published(_json_or_none(block), _JSON_LD_DEPTH)
        if published:
            break
    return PageMeta(title, published)


def _json_or_none(block: str) -> object:
    try:
        return json.loads(block)
    except (ValueError, RecursionError):
        return None  # a broken JSON-LD block only loses its metadata


def _date_published(node: object, depth: int) -> str | None:
    """The first `datePublished` string in a JSON-LD document (objects, lists and `@graph`)."""
    if depth <= 0:
        return None
    if isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str) and value.strip():
            return value.strip()
        children: list[object] = list(node.values())
    elif isinstance(node, list):
        children = list(node)
    else:
        return None
    for child in children:
        found = _date_published(child, depth - 1)
        if found:
            return found
    return None
