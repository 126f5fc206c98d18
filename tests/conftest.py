"""Shared fixtures: every test gets its own tool home (config, cache) under tmp_path, and no key."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_56ed328a523a33ef.txt"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "summarizer-home"
    monkeypatch.setenv("SUMMARIZER_HOME", str(home))
    monkeypatch.setenv("SUMMARIZER_DATA_URL", "http://127.0.0.1:9")  # a test never downloads data
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_BACKEND", "SUMMARIZER_MODEL_FIELDS",
                 "SUMMARIZER_CONFIG", "SUMMARIZER_USE_CACHE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    # The fake servers answer full extractions; `auto` would choose select for them (a server on this
    # machine), so tests that do not name a strategy ask for full. Select and auto are tested by name
    # (tests/test_select.py, which passes strategy="auto" where it tests the default).
    monkeypatch.setenv("SUMMARIZER_STRATEGY", "full")
    return home


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
