"""Mention detectors: grounded candidate spans, found before any role is decided.

One module per detector (`figures`, `names`, `places`, `dates`, `attribution`, `claims`), each with a
public `find(text) -> list[Mention]`. They know nothing of how roles are decided: the default's learned
roles (`extract/roles/`) and the select strategy's model both take the same mentions.
"""

from summarizer.extract.mentions.base import Mention, MentionKind

__all__ = ["Mention", "MentionKind"]
