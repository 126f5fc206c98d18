"""People named in a crime or conflict report, and whether each is a victim or a perpetrator.

Crime news names people in a few fixed shapes: "Cyril Kim, 35, was found shot", "21-year-old Antwan
Green", "identified the victim as Derek Burgess", "police arrested Phi Pham". A capitalized name in one
of those shapes is a person; the words around it (shot, died, victim / arrested, charged, suspect) give
the role. A name with no such cue is left out rather than guessed.
"""

from __future__ import annotations

import re

from summarizer.extract import data
from summarizer.extract.gazetteer import lookup
from summarizer.extract.mentions.case import shouting, soften
from summarizer.raw import RawActor
from summarizer.schema import Role

_PART = r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|(?:Mc|Mac|O'|D')[A-Z][a-z]+|[A-Z]\.|\"[A-Z][a-z]+\")"
NAME = rf"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s+{_PART}){{1,3}}(?:,?\s+(?:Jr\.|Sr\.|II|III|IV)(?!\w))?"
_SHAPES = [
    rf"\b\d{{1,3}}-year-old\s+(?:\w+\s+)?({NAME})",
    rf"({NAME}),\s+\d{{1,3}},",
    rf"({NAME})\s+\(\d{{1,3}}\)",
    rf"\bidentified\s+(?:\w+\s+){{0,5}}?as\s+(?:\d{{1,3}}-year-old\s+)?({NAME})",
    rf"\bnamed\s+({NAME})",
    rf"\b(?:victim|suspect|shooter|gunman|driver|boyfriend|girlfriend|husband|wife|son|daughter|father|"
    rf"mother|brother|sister|owner|officer|deputy|trooper|Officer|Deputy|Sgt\.|Cpl\.),?\s+({NAME})",
    rf"({NAME})\s+(?:was|is|has been|had been)\s+(?:\w+\s+)?(?:arrested|charged|booked|shot|killed|found|"
    rf"pronounced|taken|wounded|injured|stabbed|hospitali[sz]ed|sentenced|indicted|identified)",
    rf"({NAME})\s+(?:faces|died|is accused|was accused|allegedly|pleaded|turned himself|turned herself)",
    rf"\b(?:arrested|charged|booked|looking for|searching for|killed|shot|wounded)\s+({NAME})",
    rf"\b(?:assassination|murder|killing|kidnapping|abduction|death|assassinated|kidnapped|abducted|murdered)\s+"
    rf"(?:of\s+)?(?:[a-z]+\s+){{0,2}}?({NAME})",
]
SHAPES = [re.compile(s) for s in _SHAPES]
IDENTIFIED = SHAPES[3:5]
"""'identified … as NAME', 'named NAME': reports identify the dead and wounded far more often than
suspects (who are "arrested" or "charged"), so with no other cue the person is taken as a victim."""
_NOT_PEOPLE = data.words("not_people")
PERPETRATOR_CUES = re.compile(
    r"\b(?:arrest\w*|charg\w+|suspect\w*|accused|booked|gunman|shooter|wanted|custody|indicted|sentenced|"
    r"faces|murder charge|turned (?:himself|herself) in|looking for|searching for|opened fire|fired)\b",
    re.I,
)
VICTIM_CUES = re.compile(
    r"\b(?:victim\w*|died|dead|killed|wounded|injured|hospitali[sz]ed|pronounced|deceased|body|"
    r"shot (?:in|and|multiple|several|once|twice)|was shot|were shot|gunshot wounds?|struck)\b",
    re.I,
)


def people(sentences: list[str], limit: int = 6) -> list[RawActor]:
    """Named people with a role, in order of first mention, one entry per name. An all-caps message
    (wire copy) is read with its ordinary words lower-cased and the rest capitalized, so "HECTOR OQUELI
    WAS KILLED" reads "Hector Oqueli was killed" (grounding matches case-insensitively)."""
    if shouting(sentences):
        sentences = [soften(s) for s in sentences]
    found: dict[str, RawActor] = {}
    for sentence in sentences:
        for shape in SHAPES:
            for m in shape.finditer(sentence):
                name = clean_name(m.group(1))
                if name and name.lower() not in found and not _known_part(name, found):
                    role = _role(sentence, m.start(1), m.end(1)) or ("victim" if shape in IDENTIFIED else None)
                    if role and role != "other":  # a speaker is the claim's source, not an actor
                        found[name.lower()] = RawActor(name=name, role=role, kind="person")
    if not any(a.role == "victim" for a in found.values()):
        # Measured on the GVDB dev sample: when no cue sits next to a victim's name, the first person
        # named in a sentence about someone shot, killed or hurt is the victim far more often than not.
        hurt = [s for s in sentences if VICTIM_CUES.search(s)]
        first = next((n for s in hurt for m in re.finditer(NAME, s) if (n := clean_name(m.group()))), None)
        if first and first.lower() not in found and not _known_part(first, found):
            found[first.lower()] = RawActor(name=first, role="victim", kind="person")
    return list(found.values())[:limit]


def clean_name(name: str) -> str | None:
    name = re.sub(r"[,\s]+$", "", name.strip())
    name = re.sub(r"'s$", "", name)
    words = [w.strip('".').lower() for w in name.split()]
    if len(words) < 2 or any(w in _NOT_PEOPLE for w in words):
        return None
    if lookup(name) is not None:  # "New Orleans", "Van Buren"
        return None
    return name


def _known_part(name: str, found: dict[str, RawActor]) -> bool:
    """ "Kim" after "Cyril Kim": the same person, named again."""
    low = name.lower()
    return any(low in known or known in low for known in found)


_HIT = (
    r"(?:shot|killed|wounded|injured|stabbed|murdered|hurt|struck|hit|found dead|pronounced dead|hospitali[sz]ed|slain)"
)
_ACT = r"(?:shot|killed|stabbed|murdered|fired|opened fire|gunned down|attacked|ambushed)"
_BEFORE = [  # the words right before the name
    (
        re.compile(
            rf"(?:{_ACT}|fatally shot|shot and killed|killing|death of|murder of|shooting of|assassination of|"
            r"kidnapping of|abduction of|assassinated|kidnapped|abducted)\s+$",
            re.I,
        ),
        "victim",
    ),
    (
        re.compile(
            r"\b(?:by|suspect|shooter|gunman|accused|arrested|charged|booked|identified the (?:suspect|shooter|"
            r"gunman) as)\s+(?:\w+\s+)?$",
            re.I,
        ),
        "perpetrator",
    ),
    (
        re.compile(
            r"\b(?:victim|identified (?:the victim|him|her|the man|the woman|the deceased) as)\s+(?:\w+\s+)?$", re.I
        ),
        "victim",
    ),
]
_AFTER = [  # the words right after the name (", 35," and titles skipped)
    (
        re.compile(rf"^(?:,[^,]{{1,40}},)?\s+(?:was|were|has been|had been|is|got)\s+(?:\w+\s+)?{_HIT}\b", re.I),
        "victim",
    ),
    (re.compile(r"^(?:,[^,]{1,40},)?\s+(?:later\s+)?(?:died|was pronounced dead)\b", re.I), "victim"),
    (
        re.compile(
            r"^(?:,[^,]{1,40},)?\s+(?:was|has been|had been|is)\s+(?:\w+\s+)?(?:arrested|charged|booked|indicted|"
            r"sentenced|convicted|accused|wanted|taken into custody)\b",
            re.I,
        ),
        "perpetrator",
    ),
    (re.compile(rf"^(?:,[^,]{{1,40}},)?\s+(?:allegedly\s+|then\s+)?{_ACT}\b", re.I), "perpetrator"),
    (re.compile(r"^(?:,[^,]{1,40},)?\s+(?:said|says|told|added|confirmed|explained|stated)\b", re.I), "other"),
]
"""Roles from the sentence, not proximity: the subject of "shot" is the shooter, the subject of "was
shot" or the object of "killed" the victim, whoever "said" only speaks."""


def _role(sentence: str, start: int, end: int) -> Role | None:
    """The name's place in the sentence when it is clear, else the nearer cue in the clause around it."""
    for pattern, role in _AFTER:
        if pattern.search(sentence[end : end + 120]):
            return role  # type: ignore[return-value]
    for pattern, role in _BEFORE:
        if pattern.search(sentence[max(0, start - 80) : start]):
            return role  # type: ignore[return-value]
    return _nearer_cue(sentence, start, end)


def _nearer_cue(sentence: str, start: int, end: int) -> Role | None:
    """Cues in the clause around the name; the nearer cue wins when both kinds appear."""
    window = sentence[max(0, start - 80) : end + 120]
    offset = max(0, start - 80)
    perp = [m.start() + offset for m in PERPETRATOR_CUES.finditer(window)]
    vict = [m.start() + offset for m in VICTIM_CUES.finditer(window)]
    if not perp and not vict:
        return None
    dist_p = min((abs(p - start) for p in perp), default=10**6)
    dist_v = min((abs(v - start) for v in vict), default=10**6)
    return "perpetrator" if dist_p < dist_v else "victim"
