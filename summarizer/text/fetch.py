"""A web page's bytes for `summarizer summarize https://…`: one GET with httpx, redirects followed,
size-capped like a file, every failure one line that names the URL."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

import httpx

from summarizer.errors import InputError

FETCH_TIMEOUT_S = 30.0
_URL_SCHEMES = ("http", "https")


class FetchedPage(NamedTuple):
    data: bytes
    url: str
    """The URL the page came from, after redirects."""
    charset: str | None
    """The encoding the server declared in Content-Type, if any."""


def is_url(source: str) -> bool:
    """An http or https URL (anything else is a path)."""
    parts = urlsplit(source.strip())
    return parts.scheme.lower() in _URL_SCHEMES and bool(parts.netloc)


def fetch_page(url: str, max_bytes: int, timeout_s: float = FETCH_TIMEOUT_S) -> FetchedPage:
    """The page's bytes (at most `max_bytes` + 1, so the caller can refuse an oversized one)."""
    headers = {"User-Agent": "summarizer"}
    try:
        with (
            httpx.Client(follow_redirects=True, timeout=timeout_s, headers=headers) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise InputError(f"cannot fetch {url}: the server answered {response.status_code} "
                                 f"{response.reason_phrase}".rstrip())  # fmt: skip
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > max_bytes:
                    break
            return FetchedPage(bytes(data), str(response.url), response.charset_encoding)
    except httpx.TimeoutException:
        raise InputError(f"cannot fetch {url}: no answer within {timeout_s:g}s") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"cannot fetch {url}: {reason}") from None
