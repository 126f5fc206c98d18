"""The readable text of an HTML page: paragraphs separated by blank lines, page chrome dropped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

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
