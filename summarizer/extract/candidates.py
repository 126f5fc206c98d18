"""Grounded candidates for the select strategy: mentions found by code, given short ids, marked in the text.

A candidate is a `Mention` (a span of the article) with an id such as `F3` (figure), `N2` (name), `P1`
(place), `D4` (date). The model sees the article with each candidate's id written right after its span
("killing three people[F1] in Baghdad[P1]") and may answer only with those ids; `Candidates.span` maps an
id back to its exact span, so whatever the model picks is grounded by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from summarizer.extract import rules
from summarizer.extract.gazetteer import find_places, lookup
from summarizer.extract.mentions import Mention, MentionKind
from summarizer.extract.mentions import dates as mentioned_dates
from summarizer.extract.mentions import figures as mentioned_figures
from summarizer.extract.mentions import names as mentioned_names
from summarizer.extract.mentions import places as mentioned_places
from summarizer.extract.roles import casualties
from summarizer.extract.roles.actors import NOT_NAMES
from summarizer.extract.roles.casualties import Outcome

PREFIXES: dict[MentionKind, str] = {
    MentionKind.FIGURE: "F",
    MentionKind.NAME: "N",
    MentionKind.PLACE: "P",
    MentionKind.DATE: "D",
}
"""The id letter of each kind the model assigns roles to."""
MAX_PER_KIND = 12
"""A small model chooses well among a few options; the article's first twelve of a kind hold its lead."""


@dataclass(frozen=True)
class Candidates:
    """The article prefix the model reads, its candidates by id, and the same text with the ids marked."""

    text: str
    by_id: dict[str, Mention]

    def ids(self, kind: MentionKind) -> list[str]:
        return [cid for cid, m in self.by_id.items() if m.kind == kind]

    def marked(self) -> str:
        """The text with `[ID]` written right after each candidate's span."""
        out, last = [], 0
        for cid, m in sorted(self.by_id.items(), key=lambda item: item[1].end):
            out += [self.text[last : m.end], f"[{cid}]"]
            last = m.end
        return "".join([*out, self.text[last:]])


def collect(text: str, finders: Iterable[Callable[[str], list[Mention]]] | None = None) -> Candidates:
    """Candidates in `text`: each detector's mentions, overlaps dropped (a name gives way to any other kind,
    then the shorter span to the longer), numbered per kind in text order."""
    found = [m for finder in (finders or DEFAULT_FINDERS) for m in finder(text) if m.kind in PREFIXES]
    kept: list[Mention] = []
    # a span two detectors claim is first what the more specific one says: "New Orleans East" is a place
    for m in sorted(found, key=lambda m: (m.kind == MentionKind.NAME, -(m.end - m.start), m.start)):
        if all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
    by_id: dict[str, Mention] = {}
    counts = dict.fromkeys(PREFIXES, 0)
    seen: set[tuple[MentionKind, str]] = set()
    for m in sorted(kept, key=lambda m: m.start):
        words = (m.kind, " ".join(m.text.lower().split()))
        if m.kind != MentionKind.FIGURE and words in seen:
            continue  # a name, place or date repeated is one choice; the same figure twice may be two claims
        seen.add(words)
        if counts[m.kind] < MAX_PER_KIND:
            counts[m.kind] += 1
            by_id[f"{PREFIXES[m.kind]}{counts[m.kind]}"] = m
    return Candidates(text=text, by_id=by_id)


# -- detectors (the rules' own finders, as mentions) ---------------------------------------------------


def figures(text: str) -> list[Mention]:
    """Casualty figures, killed or injured: the number words the rules read in each sentence."""
    found: list[Mention] = []
    for sentence in rules.split_sentences(text):
        for outcome in (Outcome.KILLED, Outcome.INJURED):
            phrase = casualties.figure(sentence.text, outcome)
            at = sentence.text.find(phrase) if phrase else -1
            if phrase and at >= 0:
                found.append(_mention(MentionKind.FIGURE, text, sentence.start + at, len(phrase)))
    return found


def places(text: str) -> list[Mention]:
    return [_mention(MentionKind.PLACE, text, p.start, p.end - p.start, p.place.kind) for p in find_places(text)]


def names(text: str) -> list[Mention]:
    """Actors the rules name in any event, and capitalized phrases in the sentences about violence."""
    written = [a.name for e in rules.extract(text, None).events for a in e.actors]
    for sentence in rules.split_sentences(text)[:8]:
        if rules.VIOLENCE.search(sentence.text):
            written += [m.group() for m in NAME_RUN.finditer(sentence.text)]
    found: list[Mention] = []
    for name in dict.fromkeys(n for n in written if not NOT_NAMES.match(n) and lookup(n) is None):
        m = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) or re.search(re.escape(name), text, re.I)
        if m:
            found.append(_mention(MentionKind.NAME, text, m.start(), len(m.group())))
    return found


NAME_RUN = re.compile(r"\b[A-Z][\w.'’-]+(?:\s+(?:of\s+)?[A-Z][\w.'’()-]+){1,4}")


def _mention(kind: MentionKind, text: str, start: int, length: int, head: str = "") -> Mention:
    return Mention(kind=kind, start=start, end=start + length, text=text[start : start + length], head=head)


def event_dates(text: str) -> list[Mention]:
    """The date detector's phrases, without its background words ("years ago"): those date other events."""
    return [m for m in mentioned_dates.find(text) if "background" not in m.tags]


DEFAULT_FINDERS: tuple[Callable[[str], list[Mention]], ...] = (
    figures, mentioned_figures.find, names, mentioned_names.find, places, mentioned_places.find, event_dates,
)  # fmt: skip
"""The rules' casualty readings ("a woman … was killed") and the mention detectors' spans, side by side."""
