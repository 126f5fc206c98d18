"""Checking stories: short wire stories written for checking (tests/stories/), not taken from any data set
the extractor was tuned on, with the roles their names must come out with (`expected.json`): the
perpetrator (and whether it is known from its own claim), the victim, and the people who only speak."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer import load_settings, summarize
from summarizer.schema import Actor

STORIES = Path(__file__).parent / "stories" / "roles"
EXPECTED: dict[str, dict[str, list[str]]] = json.loads((STORIES / "expected.json").read_text(encoding="utf-8"))


def _actors(name: str) -> list[Actor]:
    text = (STORIES / name).read_text(encoding="utf-8")
    summary = summarize(text, settings=load_settings(backend="rules", use_cache=False))
    assert summary.primary is not None, f"{name}: no event"
    return summary.primary.who


def _named(actors: list[Actor], name: str, role: str) -> list[Actor]:
    return [a for a in actors if a.name.lower() == name.lower() and a.role == role]


@pytest.mark.parametrize("story", sorted(EXPECTED))
def test_story_roles(story: str) -> None:
    expected, actors = EXPECTED[story], _actors(story)
    for name in expected.get("perpetrator", []):
        assert _named(actors, name, "perpetrator"), f"{story}: {name} is no perpetrator in {actors}"
    for name in expected.get("claimed", []):
        assert all(a.claimed for a in _named(actors, name, "perpetrator")), f"{story}: {name} not marked claimed"
    for name in expected.get("victim", []):
        assert _named(actors, name, "victim"), f"{story}: {name} is no victim in {actors}"
    for name in expected.get("never_victim", []):
        assert not _named(actors, name, "victim"), f"{story}: {name}, who only speaks, is a victim"
    wrong = [a.name for a in actors if a.role == "victim" and a.name in expected.get("perpetrator", [])]
    assert not wrong


def test_every_story_has_expectations() -> None:
    assert sorted(p.name for p in STORIES.glob("*.txt")) == sorted(EXPECTED)
