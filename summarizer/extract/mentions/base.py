"""The one shape every detector returns: a span of the article with what the detector read in it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MentionKind(StrEnum):
    FIGURE = "figure"
    """A number phrase with its head noun: "at least 12 people", "21 bodies", "a deputy", "dozens"."""
    NAME = "name"
    """A person, group or organization name."""
    PLACE = "place"
    """A place the gazetteer knows (city, admin1 area, country)."""
    DATE = "date"
    """A date phrase ("on Wednesday", "last October", "3 JAN 90")."""
    ATTRIBUTION = "attribution"
    """Who says so: "police said", "according to X", "X told Reuters"."""
    CLAIM = "claim"
    """A claim of responsibility: "al Shabaab claimed responsibility"."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A grounded span: `text == article[start:end]` always holds.

    Detectors fill the optional fields their kind needs and leave the rest empty; role deciders read
    them as features and never re-parse the span."""

    kind: MentionKind
    start: int
    end: int
    text: str
    head: str = ""
    """figure: its head noun ("people", "bodies"); attribution: the speaker ("police"); claim: the
    claimant; name: its kind ("person", "group", "organization"); place: its level ("city", "admin1",
    "country"); date: "" ."""
    head_start: int = -1
    """Offset of `head` in the article when it is a span of its own (speaker, claimant, head noun)."""
    low: int | None = None
    """figure: the lower end of the number ("at least 12" -> 12), None when open."""
    best: int | None = None
    """figure: the best reading of the number ("dozens" -> 12)."""
    high: int | None = None
    """figure: the upper end, None when open ("at least 12")."""
    value: str = ""
    """Normalized reading: place -> canonical name; date -> ISO date at its precision when resolved;
    figure -> its head noun's class ("person", "body"); attribution -> the pronoun a resolved "he said" had."""
    tags: frozenset[str] = frozenset()
    """Marks a detector sets: place "dateline" (the story's dateline), "after_in" ("in/at/near X");
    date "background" (words that put an incident before the story's own: "last October")."""
