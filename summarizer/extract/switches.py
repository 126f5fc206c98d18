"""Which parts of the rules extractor run: each can be switched off to measure what it buys.

Built from the settings' `without` list (`--without` of benchmarks/ablation.py, or
`SUMMARIZER_WITHOUT=learned,ranker`), so an ablation run is an ordinary run with other settings, never a
patched module.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Switches:
    gate: bool = True
    """The relevance gate (`extract/relevance.py`); off, every article is read for events."""
    rules: bool = True
    """The hand sentence shapes for names (people, acting and hit patterns)."""
    learned: bool = True
    """The learned name-role model (`roles/names.py`)."""
    lexicon: bool = True
    """The role lexicon for unnamed groups ("guerrillas", "peasants")."""
    ranker: bool = True
    """The perpetrator ranker on all-caps wire copy."""
    caps: bool = True
    """All-caps copy read softened before looking for people."""
    claims: bool = True
    """Claims of responsibility make their claimant the perpetrator."""
    news_rules: bool = True
    """On mixed-case news the learned name roles only fill a role (perpetrator, victim) that the claims and
    hand shapes left empty; on all-caps wire copy they add to it. Out of fold on the GVDB tune half the
    learned roles beside the hand shapes cost perpetrator and victim F1 (`benchmarks/oof.py`). Off, they
    add on every story."""
    aliases: bool = True
    """A learned name that is another spelling of an actor already found ("Kata'ib Hezbollah" beside
    "pro-Iran Kataib Hezbollah") is left out, whatever role the model gives it."""

    @classmethod
    def without(cls, parts: list[str] | tuple[str, ...] | None) -> Switches:
        """All on except `parts`; an unknown part is an error."""
        known = {f.name for f in fields(cls)}
        unknown = set(parts or ()) - known
        if unknown:
            raise ValueError(f"unknown part(s) {sorted(unknown)}: choose from {sorted(known)}")
        return cls(**dict.fromkeys(parts or (), False))


PARTS = tuple(f.name for f in fields(Switches))
ALL_ON = Switches()
