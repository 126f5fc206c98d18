"""Eval data files a user can reach: found locally, else fetched once from their public source.

A data file is named by its path under the data folder, e.g. `gvdb/dev.tsv` or `muc/key-tst1.v7`
(`data/sources.json` lists them, each with the raw-file URL at a pinned commit of its public repository
and its sha256). `data_file(name)` looks, in order:

1. `$SUMMARIZER_DATA/<name>` when `SUMMARIZER_DATA` is set (a local copy; tests and CI point it, or
   rely on 2, at `../shared/data`). When set, it is the only place looked at;
2. `<checkout>/../shared/data/<name>`, beside a repository checkout;
3. the cache, `<home>/data/<name>` (`SUMMARIZER_HOME`, default ~/.summarizer), checked against its sha256;
4. a download from the pinned URL (or `$SUMMARIZER_DATA_URL/<name>`, for tests and mirrors), checked
   against the sha256 before it is moved into the cache.

Offline, or on a checksum mismatch, `DatasetError` says what failed and the manual step.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from summarizer.config import home_dir
from summarizer.errors import DatasetError

SOURCES = Path(__file__).with_name("data") / "sources.json"
CHECKOUT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TIMEOUT_S = 60.0
log = logging.getLogger(__name__)


class DataFile(NamedTuple):
    name: str
    url: str
    sha256: str
    bytes: int


@lru_cache(maxsize=1)
def known_files() -> dict[str, DataFile]:
    """Every data file the package can fetch, by name."""
    raw = json.loads(SOURCES.read_text(encoding="utf-8"))["files"]
    return {name: DataFile(name, f["url"], f["sha256"], f["bytes"]) for name, f in raw.items()}


def cache_dir() -> Path:
    return home_dir() / "data"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_file(name: str) -> Path:
    """The local path of data file `name`, downloading it into the cache on first use."""
    env = os.environ.get("SUMMARIZER_DATA")
    if env:
        path = Path(env) / name
        if not path.is_file():
            raise DatasetError(f"{path} not found: SUMMARIZER_DATA={env} must hold {name}")
        return path
    beside = CHECKOUT_DATA / name
    if beside.is_file():
        return beside
    spec = known_files().get(name)
    if spec is None:
        raise DatasetError(f"unknown data file {name!r}; set SUMMARIZER_DATA to a folder holding it")
    cached = cache_dir() / name
    if cached.is_file() and sha256_of(cached) == spec.sha256:
        return cached
    return download(spec, cached)


def url_of(spec: DataFile) -> str:
    base = os.environ.get("SUMMARIZER_DATA_URL")
    return f"{base.rstrip('/')}/{spec.name}" if base else spec.url


def download(spec: DataFile, target: Path) -> Path:
    """Fetch `spec` into `target`, checked against its sha256; nothing is kept when the check fails."""
    url = url_of(spec)
    manual = f"download {url} yourself and save it as {target}, or set SUMMARIZER_DATA to a folder holding {spec.name}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"cannot create {target.parent}: {exc.strerror}; set SUMMARIZER_HOME") from None
    log.info("downloading %s (%d bytes) from %s", spec.name, spec.bytes, url)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            for block in iter(lambda: response.read(1 << 16), b""):
                out.write(block)
        got = sha256_of(tmp)
        if got != spec.sha256:
            raise DatasetError(
                f"checksum mismatch for {spec.name} from {url}: sha256 {got[:12]}…, expected {spec.sha256[:12]}…; "
                f"the file was not kept. Retry later, or {manual}"
            )
        tmp.replace(target)
        return target
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DatasetError(f"cannot download {spec.name} from {url} ({reason}); offline? {manual}") from None
    finally:
        tmp.unlink(missing_ok=True)
