"""Shared fixtures: every test gets its own tool home (config, cache) under tmp_path, and no key."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.eval.fetch import CHECKOUT_DATA
from summarizer.extract import choose

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
    monkeypatch.delenv("SUMMARIZER_STRATEGY", raising=False)
    # The fake servers answer full extractions; `auto` would choose select for them (a server on this
    # machine), so in these tests auto means full where it would mean select. tests/test_select.py tests
    # the real choice (its `real_auto` fixture).
    real = choose.auto_strategy
    monkeypatch.setattr(
        choose, "auto_strategy", lambda settings: "full" if real(settings) == "select" else real(settings)
    )
    return home


DATA_OF = {"gvdb": "gvdb/dev.tsv", "muc": "muc"}
"""Which file or folder of ../shared/data a dataset name's family needs."""


def require_data(*datasets: str) -> None:
    """Skip the calling test when a dataset's files are not beside the checkout (../shared/data): tests
    never download data, and a clone without the data still runs everything else."""
    for dataset in datasets:
        path = CHECKOUT_DATA / DATA_OF[dataset.split("-")[0]]
        if not path.exists():
            pytest.skip(f"{dataset} data not available beside the checkout ({path})")


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
