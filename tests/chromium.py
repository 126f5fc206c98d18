"""Debian's Chromium driven by playwright over the DevTools protocol (never `playwright install`), shared by
the browser tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# No background networking: this machine's closed network refuses Chromium's own connections.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


def launched() -> Iterator[Any]:
    """A headless Chromium for a module's tests; skips them when Chromium or playwright is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[browser]'")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()
