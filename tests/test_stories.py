"""Checking stories: short wire stories written for this test (several sources, a background incident,
a spokesman, bodies counted, a strike reported under another city's dateline). The primary event's
killed and injured figures, sources and place must come out exactly right with the rules backend."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.config import load_settings
from summarizer.pipeline import summarize

STORIES = Path(__file__).with_name("stories") / "figures"
EXPECTED: dict[str, dict[str, Any]] = json.loads((STORIES / "expected.json").read_text(encoding="utf-8"))


def _claims(name: str) -> tuple[str | None, list[list[Any]]]:
    expected = EXPECTED[name]
    text = (STORIES / name).read_text(encoding="utf-8")
    summary = summarize(text, published=expected["published"], settings=load_settings(backend="rules"))
    primary = next(e for e in summary.events if e.primary)
    claims = [
        [c.killed.value if c.killed else None, c.injured.value if c.injured else None, c.source]
        for c in primary.casualties
    ]
    return primary.where.place, claims


@pytest.mark.parametrize(
    "name",
    sorted(EXPECTED),
)
def test_story_comes_out_right(name: str) -> None:
    place, claims = _claims(name)
    expected = EXPECTED[name]
    assert place == expected["place"]
    assert claims == expected["claims"]
