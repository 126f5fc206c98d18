"""The MUC-3/4 terrorism corpus (DEV, TST1, TST2 texts and answer keys) as gold articles.

Datasets: `muc-dev` (1,300 DEV messages), `muc-tst1`, `muc-tst2` (100 each) and `muc-test` (TST1 then
TST2), read from $SUMMARIZER_MUC_DIR or <repo>/../shared/data/muc and converted on first use (cached per
process). Nothing converted is stored. evals/README.md ("MUC conversion") has the field table; in short:

- One message → one `GoldArticle`, `all_events` true: the keys list every relevant incident, so an
  event predicted for an irrelevant message (its only template is `*`) is a false positive.
- text: the message from its dateline on ("SAN SALVADOR, 3 JAN 90 -- [REPORT] ..."); the id line
  ("DEV-MUC3-0001 (NOSC)") is corpus bookkeeping, not article text. Upper case as distributed.
  published: the dateline's date; null for "NO DATE" or a date without a year.
- One `GoldEvent` per template that is not `*`; "(OPTIONAL)" templates become `optional` events. The
  primary event is the first non-optional template (templates are numbered in the order the text
  reports the incidents, and a wire story leads with its main one); when all are optional, the first.
- Alternative fillers ("A" / "B") stay alternatives: names become "A / B", which the scorer already
  splits; places, admin1 and country codes likewise. A field is a gold target only when every
  alternative of the location fills it (MUC accepts "(EL SALVADOR) / (EL SALVADOR: SAN SALVADOR (CITY))"
  without a city). "?" (uncertain) fillers count like certain ones.
- Dates become `date_windows`: "30 DEC 89" one day, "30 DEC 89 - 03 JAN 90" a range, "- 08 JAN 90" an
  open window "on or before" (the scorer bounds it, `evaluate.ON_OR_BEFORE_DAYS`). A date without a
  year takes the latest year that puts it on or before the publication date.
- Evidence: a name or place gets a span only where the filler occurs in the text word for word (line
  breaks in the text may stand for the filler's spaces); the first occurrence. Never hand-placed.

The keys here are all in the MUC-4 layout (slots 0-24, also TST1's, which was converted from MUC-3);
slots are read by label, and a label this module does not know is an error, not a silent gap.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

import pycountry
from rapidfuzz import fuzz

from summarizer.errors import DatasetError
from summarizer.eval.fetch import data_file, known_files
from summarizer.eval.gold import DateWindow, GoldArticle, GoldEvent
from summarizer.schema import Actor, ActorKind, CasualtyClaim, Count, EventType, Evidence, Precision, What, When, Where
from summarizer.text.folding import strip_accents

SPLITS: dict[str, tuple[str, str]] = {
    "dev": ("dev-muc3-*", "key-dev-*.muc4"),
    "tst1": ("tst1-muc3", "key-tst1.v7"),
    "tst2": ("tst2-muc4", "key-tst2.v4"),
}
"""Split → (message file glob, key file glob) inside the MUC folder."""
DATASETS: dict[str, tuple[str, ...]] = {
    "muc-dev": ("dev",),
    "muc-tst1": ("tst1",),
    "muc-tst2": ("tst2",),
    "muc-test": ("tst1", "tst2"),
}
SLOTS = (
    "MESSAGE: ID", "MESSAGE: TEMPLATE", "INCIDENT: DATE", "INCIDENT: LOCATION", "INCIDENT: TYPE",
    "INCIDENT: STAGE OF EXECUTION", "INCIDENT: INSTRUMENT ID", "INCIDENT: INSTRUMENT TYPE",
    "PERP: INCIDENT CATEGORY", "PERP: INDIVIDUAL ID", "PERP: ORGANIZATION ID", "PERP: ORGANIZATION CONFIDENCE",
    "PHYS TGT: ID", "PHYS TGT: TYPE", "PHYS TGT: NUMBER", "PHYS TGT: FOREIGN NATION",
    "PHYS TGT: EFFECT OF INCIDENT", "PHYS TGT: TOTAL NUMBER", "HUM TGT: NAME", "HUM TGT: DESCRIPTION",
    "HUM TGT: TYPE", "HUM TGT: NUMBER", "HUM TGT: FOREIGN NATION", "HUM TGT: EFFECT OF INCIDENT",
    "HUM TGT: TOTAL NUMBER",
)  # fmt: skip
"""MUC-4 slot labels; the list index is the slot number."""

INCIDENT_TYPES: dict[str, EventType] = {
    "ATTACK": "other",
    "MURDER": "other",  # MUC-3; these keys already turned murders into ATTACK
    "BOMBING": "bombing",
    "KIDNAPPING": "kidnapping",
    "ARSON": "arson",
    "ROBBERY": "robbery",
    "FORCED WORK STOPPAGE": "other",
}
"""MUC incident type → event type. An unknown type reads as `other`."""
INSTRUMENTS: tuple[tuple[EventType, frozenset[str]], ...] = (
    ("air_strike", frozenset({"AERIAL BOMB"})),
    ("shelling", frozenset({"MORTAR", "ROCKET"})),
    ("bombing", frozenset({"BOMB", "VEHICLE BOMB", "EXPLOSIVE", "DYNAMITE", "GRENADE", "MINE"})),
    ("shooting", frozenset({"GUN", "MACHINE GUN", "RIFLE"})),
    ("arson", frozenset({"MOLOTOV COCKTAIL"})),
    ("stabbing", frozenset({"CUTTING DEVICE"})),
    ("assault", frozenset({"STONE", "TORTURE"})),
)
"""ATTACK (and MURDER) are refined by the key's instrument types, first row that applies; BOMBING only
to `air_strike` (aerial bombs). Without an instrument an attack stays `other`."""
REFINED_BY_INSTRUMENT = frozenset({"ATTACK", "MURDER"})
OUTCOMES: dict[str, tuple[bool | None, bool | None]] = {
    "DEATH": (True, None),
    "INJURY": (False, True),
    "NO INJURY OR DEATH": (False, False),
    "NO INJURY": (False, False),
    "NO DEATH": (False, None),
}
"""Human-target effect → (killed, injured): True counts the target's number, False says none were,
None says nothing. REGAINED FREEDOM, ESCAPED, (NO) RESIGNATION say nothing about either."""
ADMIN1_TYPES = frozenset({"DEPARTMENT", "PROVINCE", "STATE", "INTENDANCY"})
CITY_TYPES = frozenset({"CITY", "TOWN", "VILLAGE", "MUNICIPALITY", "HAMLET", "CAPITAL", "SUBURB", "TOWNSHIP",
                        "TOWN IN FEDERAL DISTRICT", "PORT", "CANTON", "JURISDICTION", "CORREGIMIENTO"})  # fmt: skip
COUNTRY_MATCH = 85.0
"""rapidfuzz ratio above which a location's first part is a misspelt country name ("GUATAMALA")."""

_MESSAGE_ID = re.compile(r"^((?:DEV|TST\d)-MUC\d-\d{4})(?:\s+\([^()]*\))?\s*$")
_SLOT = re.compile(r"^(\d+)\.\s+(.*)$")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Z]{3,9})\.?,?(?:\s+(\d{2}))?\b", re.I)
_MONTH_DAY = re.compile(r"\b([A-Z]{3,9})\.?\s+(\d{1,2}),?(?:\s+(\d{2}))?\b", re.I)
_NUMBER = re.compile(r"^(~)?\s*(-)?\s*(\d+)\s*(-)?$")
_SEGMENT = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


# ---------------------------------------------------------------- message files


def read_messages(path: Path) -> dict[str, str]:
    """Message id → text, from the dateline on (the id line is dropped, outer whitespace stripped)."""
    messages: dict[str, list[str]] = {}
    lines: list[str] | None = None
    for line in _read(path).splitlines():
        found = _MESSAGE_ID.match(line)
        if found:
            lines = messages.setdefault(found.group(1), [])
        elif lines is not None:
            lines.append(line)
    return {mid: "\n".join(lines).strip() for mid, lines in messages.items()}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file; set SUMMARIZER_MUC_DIR to the MUC folder") from None
    except UnicodeDecodeError:
        raise DatasetError(f"{path} is not UTF-8 text") from None


def _month(word: str) -> int | None:
    prefix = word[:3].upper()
    return _MONTHS.index(prefix) + 1 if prefix in _MONTHS else None


def _calendar_date(year: int, month: int, day: int) -> date | None:
    """The date; a day past the month's end ("31 NOV 89" in a key) is the month's last day."""
    if not 1 <= month <= 12 or day < 1:
        return None
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def published_date(text: str) -> str | None:
    """The dateline's date ("SAN SALVADOR, 3 JAN 90 (...) --" → 1990-01-03), ISO; None without a year."""
    dateline = text[:200].split("--", 1)[0]  # the body may hold other dates
    for pattern, day_first in ((_DAY_MONTH, True), (_MONTH_DAY, False)):
        for found in pattern.finditer(dateline):
            day, word = (found.group(1), found.group(2)) if day_first else (found.group(2), found.group(1))
            month, year = _month(word), found.group(3)
            if month and year and (parsed := _calendar_date(1900 + int(year), month, int(day))):
                return parsed.isoformat()
    return None


# ---------------------------------------------------------------- key files


@dataclass
class Template:
    """One filled template of an answer key: slot label → its lines (one filler per line)."""

    message_id: str
    slots: dict[str, list[str]] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)

    def lines(self, label: str) -> list[str]:
        return [line for line in self.slots.get(label, []) if line.strip() not in ("", "*", "-")]

    @property
    def relevant(self) -> bool:
        """False for `*`: the message reports no relevant incident (or the template was withdrawn)."""
        return bool(self.lines("MESSAGE: TEMPLATE"))

    @property
    def optional(self) -> bool:
        return "(OPTIONAL)" in " ".join(self.slots.get("MESSAGE: TEMPLATE", []))

    @property
    def number(self) -> str:
        return " ".join(self.slots.get("MESSAGE: TEMPLATE", [])).replace("(OPTIONAL)", "").strip()


def read_templates(path: Path) -> list[Template]:
    """Every template of a key file, in file order. `;` lines are annotators' comments. A comment block
    followed by a blank line is about what precedes it (the file itself, before the first template);
    one that runs into a template is about that template."""
    templates: list[Template] = []
    pending: list[str] = []
    label: str | None = None
    for number, line in enumerate(_read(path).splitlines(), start=1):
        if not line.strip():
            if pending and templates:
                templates[-1].comments.extend(pending)
            pending = []
        elif line.lstrip().startswith(";"):
            pending.append(line.strip().lstrip(";").strip())
        elif line[:1].isspace():
            if not templates or label is None:
                raise DatasetError(f"{path} line {number}: continuation line outside a slot")
            templates[-1].slots[label].append(line.strip())
        else:
            label = _slot_line(path, number, line, templates, pending)
            pending = []
    if pending and templates:
        templates[-1].comments.extend(pending)
    return templates


def _slot_line(path: Path, number: int, line: str, templates: list[Template], comments: list[str]) -> str:
    """Store one `N.  LABEL  value` line; slot 0 opens a new template. Returns the label."""
    found = _SLOT.match(line)
    slot = int(found.group(1)) if found else -1
    if not found or slot >= len(SLOTS) or not found.group(2).startswith(SLOTS[slot]):
        raise DatasetError(f"{path} line {number}: not a MUC-4 slot line: {line[:60]!r}")
    label = SLOTS[slot]
    value = found.group(2)[len(label) :].strip()
    if slot == 0:
        templates.append(Template(message_id=value.split()[0] if value else ""))
    elif not templates:
        raise DatasetError(f"{path} line {number}: slot {slot} before any '0.  MESSAGE: ID'")
    templates[-1].comments.extend(comments)
    templates[-1].slots.setdefault(label, []).append(value)
    return label


# ---------------------------------------------------------------- fillers


def split_top(value: str, sep: str) -> list[str]:
    """`value` cut at every `sep` that is outside double quotes and brackets."""
    parts: list[str] = []
    depth, quoted, start, i = 0, False, 0, 0
    while i < len(value):
        ch = value[i]
        if quoted and ch == "\\":
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "([":
            depth += 1
        elif not quoted and ch in ")]":
            depth = max(0, depth - 1)
        elif not quoted and depth == 0 and value.startswith(sep, i):
            parts.append(value[start:i])
            start = i = i + len(sep)
            continue
        i += 1
    return [*parts, value[start:]]


def _enclosed(value: str) -> bool:
    """True when the bracket that opens `value` is the one that closes it: "(A)", not "(A) / (B)"."""
    if not (value.startswith("(") and value.endswith(")")):
        return False
    depth, quoted = 0, False
    for i, ch in enumerate(value):
        quoted = quoted != (ch == '"')
        depth += 0 if quoted else (ch == "(") - (ch == ")")
        if depth == 0 and i < len(value) - 1:
            return False
    return True


def unwrap(value: str) -> str:
    """Without a leading "?" (uncertain) and brackets that enclose the whole value."""
    value = value.strip().lstrip("?").strip()
    while _enclosed(value):
        value = value[1:-1].strip().lstrip("?").strip()
    return value


def strings(value: str) -> list[str]:
    """The string fillers in `value`: its quoted strings, or the bare text when it has none."""
    quoted = [s.replace('\\"', '"').strip() for s in _QUOTED.findall(value)]
    if quoted:
        return [s for s in quoted if s]
    bare = unwrap(value)
    return [bare] if bare and bare not in ("-", "*") else []


@dataclass(frozen=True)
class Filler:
    """One filler line: `LEFT` or `LEFT: "REF"`, LEFT being strings, a number or a set value."""

    left: str
    ref: tuple[str, ...]
    """The strings after the top-level colon: what a number, effect or description refers to."""


def filler(line: str) -> Filler:
    parts = split_top(unwrap(line), ":")
    if len(parts) == 1:
        return Filler(parts[0].strip(), ())
    return Filler(":".join(parts[:-1]).strip(), tuple(strings(parts[-1])))


def set_values(left: str) -> list[str]:
    """The alternatives of a set filler ("NO INJURY / NO INJURY OR DEATH", "(INJURY / DEATH)")."""
    return [v for v in (unwrap(p) for p in split_top(unwrap(left), "/")) if v and v not in ("-", "*")]


# ---------------------------------------------------------------- evidence


def locate(text: str, phrase: str) -> Evidence | None:
    """The first occurrence of `phrase` as whole words, any whitespace between its words, or None."""
    words = phrase.split()
    if not words:
        return None
    found = re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", text)
    return Evidence(quote=found.group(0), start=found.start(), end=found.end()) if found else None


def _evidence(text: str, names: Iterable[str]) -> list[Evidence]:
    """One span per name that occurs (the first alternative found), in order."""
    spans: list[Evidence] = []
    for name in names:
        span = next((s for alt in name.split(" / ") if (s := locate(text, alt))), None)
        if span and span not in spans:
            spans.append(span)
    return spans


# ---------------------------------------------------------------- who


def perpetrators(template: Template, text: str) -> list[Actor]:
    """PERP: INDIVIDUAL ID and ORGANIZATION ID fillers, one actor each; an individual filler that names
    an organisation already listed is the same actor, not a second one."""
    state = "STATE" in " ".join(template.slots.get("PERP: INCIDENT CATEGORY", []))
    org_kind: ActorKind = "state_force" if state else "armed_group"
    rows: list[tuple[str, ActorKind]] = [("PERP: ORGANIZATION ID", org_kind), ("PERP: INDIVIDUAL ID", "unknown")]
    actors: list[Actor] = []
    seen: set[str] = set()
    for label, kind in rows:
        for line in template.lines(label):
            names = strings(line)
            if names and not seen & set(names):
                seen |= set(names)
                name = " / ".join(names)
                actors.append(Actor(name=name, role="perpetrator", kind=kind, evidence=_evidence(text, [name])))
    return actors


@dataclass
class HumanTarget:
    """A human target: its name or description alternatives, and every string that refers to it."""

    names: list[str]
    named: bool
    refs: set[str] = field(default_factory=set)


def human_targets(template: Template) -> list[HumanTarget]:
    """Named targets (HUM TGT: NAME), then described ones; a description that refers to a name
    (`"MONSIGNOR": "ARNULFO ROMERO"`) describes that target rather than adding one."""
    targets = [HumanTarget(strings(line), True, set(strings(line))) for line in template.lines("HUM TGT: NAME")]
    targets = [t for t in targets if t.names]
    for line in template.lines("HUM TGT: DESCRIPTION"):
        fill = filler(line)
        described = strings(fill.left)
        if fill.ref:
            target = _target_for(targets, fill.ref)
            if target is None:  # refers to a name the NAME slot lacks: the reference is the name
                target = HumanTarget(list(fill.ref), True, set(fill.ref))
                targets.append(target)
            target.refs |= set(described)
        elif described:
            targets.append(HumanTarget(described, False, set(described)))
    return targets


def _target_for(targets: list[HumanTarget], ref: Iterable[str]) -> HumanTarget | None:
    wanted = set(ref)
    return next((t for t in targets if t.refs & wanted), None)


def victims(targets: list[HumanTarget], text: str) -> list[Actor]:
    actors = []
    for target in targets:
        name = " / ".join(target.names)
        kind: ActorKind = "person" if target.named else "unknown"
        actors.append(Actor(name=name, role="victim", kind=kind, evidence=_evidence(text, [name])))
    return actors


# ---------------------------------------------------------------- casualties


def parse_number(left: str) -> Count | None:
    """A HUM TGT NUMBER value: "3" exact, "5-" at least 5, "-26" up to 26, "~40" about 40; of
    alternatives the first that is a number; "PLURAL" (no figure) → None."""
    for alt in split_top(unwrap(left), "/"):
        found = _NUMBER.match(unwrap(alt))
        if found:
            n = int(found.group(3))
            if found.group(4):
                return Count(low=n, best=n)
            if found.group(2):
                return Count(best=n, high=n)
            return Count(best=n)
    return None


def _outcome(effects: list[str]) -> tuple[bool | None, bool | None]:
    """What an effect filler says about (killed, injured); alternatives that disagree say nothing."""
    readings = [OUTCOMES.get(e, (None, None)) for e in effects] or [(None, None)]
    killed = {r[0] for r in readings}
    injured = {r[1] for r in readings}
    return (killed.pop() if len(killed) == 1 else None, injured.pop() if len(injured) == 1 else None)


def _target_number(template: Template, targets: list[HumanTarget], ref: tuple[str, ...]) -> Count | None:
    """How many people an effect refers to: its HUM TGT NUMBER, else 1 for a named person, else unknown."""
    wanted = set(ref)
    target = _target_for(targets, wanted)
    refs = wanted | (target.refs if target else set())
    for line in template.lines("HUM TGT: NUMBER"):
        fill = filler(line)
        if refs & set(fill.ref):
            return parse_number(fill.left)
    return Count(best=1) if target and target.named else None


def _total(flags: list[tuple[bool | None, Count | None]]) -> Count | None:
    """Sum over targets with the effect; 0 when none has it but one is said to be spared; None when a
    hit target has no figure (PLURAL) or nothing is said."""
    hit = [count for flag, count in flags if flag]
    if hit:
        if any(c is None or c.best is None for c in hit):
            return None
        return Count(best=sum(c.best or 0 for c in hit if c))
    return Count(best=0) if any(flag is False for flag, _ in flags) else None


def casualties(template: Template, targets: list[HumanTarget]) -> list[CasualtyClaim]:
    """One claim with the killed and injured totals the HUM TGT EFFECT and NUMBER slots give."""
    killed: list[tuple[bool | None, Count | None]] = []
    injured: list[tuple[bool | None, Count | None]] = []
    for line in template.lines("HUM TGT: EFFECT OF INCIDENT"):
        fill = filler(line)
        dead, hurt = _outcome(set_values(fill.left))
        number = _target_number(template, targets, fill.ref)
        killed.append((dead, number))
        injured.append((hurt, number))
    claim = CasualtyClaim(killed=_total(killed), injured=_total(injured), source="MUC answer key")
    return [claim] if claim.killed or claim.injured else []


# ---------------------------------------------------------------- where


@dataclass(frozen=True)
class Site:
    """One reading of a location filler."""

    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    place: str | None = None
    precision: Precision = "unknown"


@lru_cache(maxsize=256)
def country(name: str) -> tuple[str, str] | None:
    """(name, ISO alpha-2) of a country name as MUC spells it, misspellings included; None if not one."""
    try:
        found = pycountry.countries.lookup(name.strip())
        return str(getattr(found, "common_name", found.name)), str(found.alpha_2)
    except LookupError:
        pass
    folded = name.strip().upper()
    best = max(pycountry.countries, key=lambda c: fuzz.ratio(folded, str(c.name).upper()))
    return (str(best.name), str(best.alpha_2)) if fuzz.ratio(folded, str(best.name).upper()) >= COUNTRY_MATCH else None


def _fold(name: str) -> str:
    return " ".join(strip_accents(name).upper().split())


@lru_cache(maxsize=64)
def _admin1_names(code: str) -> frozenset[str]:
    """Folded names of a country's first-level subdivisions (ISO 3166-2)."""
    subdivisions = pycountry.subdivisions.get(country_code=code) or []  # type: ignore[no-untyped-call]
    return frozenset(_fold(str(s.name)) for s in subdivisions if not s.parent_code)


def _pieces(segment: str) -> list[tuple[str, set[str]]]:
    """(name, types) of one location segment; "A (CITY) - B (TOWN)" (between A and B) gives both."""
    pieces = []
    for piece in split_top(segment, " - "):
        found = _SEGMENT.match(piece.strip())
        name, types = (found.group(1), found.group(2)) if found else (piece, "")
        pieces.append((" ".join(name.split()), {t.strip() for t in types.split("/") if t.strip()}))
    return [(n, t) for n, t in pieces if n]


def parse_site(reading: str, inherited: tuple[str, str] | None) -> Site:
    """One reading, "COUNTRY: PLACE (TYPE): PLACE (TYPE)": the admin1 is a DEPARTMENT/PROVINCE/STATE/
    INTENDANCY that ISO 3166-2 lists for the country (Peru's provinces are second-level, its departments
    are not); the place is the last part unless that is the admin1. A reading that does not start with a
    country belongs to the country of the reading before it."""
    segments = [_pieces(s) for s in split_top(unwrap(reading), ":") if s.strip()]
    nation = country(segments[0][0][0]) if segments and len(segments[0]) == 1 else None
    if nation is None:
        nation = inherited
    else:
        segments = segments[1:]
    code = nation[1] if nation else None
    at = next((i for i, s in enumerate(segments) if len(s) == 1 and _is_admin1(*s[0], code)), None)
    admin1 = segments[at][0][0] if at is not None else None
    places = segments[-1] if segments and at != len(segments) - 1 else []
    place = " / ".join(n for n, _ in places) or None
    return Site(nation[0] if nation else None, code, admin1, place, _precision(places, admin1, code))


def _is_admin1(name: str, types: set[str], code: str | None) -> bool:
    return bool(types) and types <= ADMIN1_TYPES and code is not None and _fold(name) in _admin1_names(code)


def _precision(places: list[tuple[str, set[str]]], admin1: str | None, code: str | None) -> Precision:
    if places:
        return "city" if any(t & CITY_TYPES for _, t in places) else "exact"
    return "admin1" if admin1 else "country" if code else "unknown"


def parse_location(value: str) -> list[Site]:
    """Every reading of a location filler ("(A) / (B)", "COLOMBIA / VENEZUELA")."""
    sites: list[Site] = []
    for reading in split_top(value, "/"):
        if unwrap(reading) not in ("", "-", "*"):
            last = sites[-1] if sites else None
            inherited = (last.country, last.country_code) if last and last.country and last.country_code else None
            sites.append(parse_site(reading, inherited))
    return sites


def _common(values: list[str | None]) -> str | None:
    """Alternatives "a / b" when every reading has a value, else None (a reading without it is right)."""
    if not values or not all(values):
        return None
    return " / ".join(dict.fromkeys(v for v in values if v))


def where(template: Template, text: str) -> Where:
    sites = parse_location(" ".join(template.lines("INCIDENT: LOCATION")))
    place, admin1 = _common([s.place for s in sites]), _common([s.admin1 for s in sites])
    return Where(
        place=place,
        admin1=admin1,
        country=_common([s.country for s in sites]),
        country_code=_common([s.country_code for s in sites]),
        precision=sites[0].precision if sites else "unknown",
        evidence=_evidence(text, [v for v in (place, admin1) if v]),
    )


# ---------------------------------------------------------------- when


def _day(value: str, published: date | None) -> date | None:
    """ "30 DEC 89", "03 MARCH 90", "OCT 18"; a missing year is the latest one that puts the day on or
    before publication."""
    value = unwrap(value)
    for pattern, day_first in ((_DAY_MONTH, True), (_MONTH_DAY, False)):
        found = pattern.fullmatch(value)
        if not found:
            continue
        day, word = (found.group(1), found.group(2)) if day_first else (found.group(2), found.group(1))
        month = _month(word)
        if month is None:
            continue
        if found.group(3):
            return _calendar_date(1900 + int(found.group(3)), month, int(day))
        if published is not None:
            this_year = _calendar_date(published.year, month, int(day))
            return (
                this_year
                if this_year and this_year <= published
                else _calendar_date(published.year - 1, month, int(day))
            )
    return None


def date_windows(value: str, published: date | None) -> list[DateWindow]:
    """The accepted dates of a date filler: "D", "D1 - D2", "- D" (on or before), alternatives by "/".
    A range that ends before it starts ("11 NOV 90 - 19 NOV 89", a typo in the key) keeps what is sure:
    on or before its end."""
    windows: list[DateWindow] = []
    for alternative in split_top(value, "/"):
        reading = unwrap(alternative)
        if reading.startswith("-"):
            first, last = None, _day(reading[1:], published)
        elif " - " in reading:
            start, end = reading.split(" - ", 1)
            first, last = _day(start, published), _day(end, published)
            if first is not None and last is not None and first > last:
                first = None
        else:
            first = last = _day(reading, published)
        if last is not None:
            windows.append(DateWindow(earliest=first.isoformat() if first else None, latest=last.isoformat()))
    return windows


def when(windows: list[DateWindow]) -> When:
    """The date a reader sees: the last day of the first window (the key's date), precision day."""
    return When(date=windows[0].latest, precision="day") if windows else When()


# ---------------------------------------------------------------- what


def event_type(template: Template) -> EventType:
    """The MUC incident type in our vocabulary (`INCIDENT_TYPES`, refined by `INSTRUMENTS`); of
    alternatives ("BOMBING / ATTACK", one in the keys) the first."""
    muc_types = set_values(" ".join(template.lines("INCIDENT: TYPE")))
    muc_type = muc_types[0] if muc_types else ""
    kind = INCIDENT_TYPES.get(muc_type, "other")
    instruments = {v for line in template.lines("INCIDENT: INSTRUMENT TYPE") for v in set_values(filler(line).left)}
    for refined, names in INSTRUMENTS:
        if instruments & names and (muc_type in REFINED_BY_INSTRUMENT or refined == "air_strike"):
            return refined
    return kind


def what(template: Template) -> What:
    parts = [" ".join(template.lines(label)) for label in ("INCIDENT: TYPE", "INCIDENT: STAGE OF EXECUTION")]
    description = f"MUC template {template.number}: " + ", ".join(p for p in parts if p)
    return What(type=event_type(template), description=description)


# ---------------------------------------------------------------- messages


def convert_event(template: Template, text: str, published: date | None) -> GoldEvent:
    targets = human_targets(template)
    windows = date_windows(" ".join(template.lines("INCIDENT: DATE")), published)
    return GoldEvent(
        optional=template.optional,
        date_windows=windows,
        what=what(template),
        who=perpetrators(template, text) + victims(targets, text),
        where=where(template, text),
        when=when(windows),
        casualties=casualties(template, targets),
    )


def convert_message(message_id: str, text: str, templates: list[Template]) -> GoldArticle:
    """One message and its templates as a gold article (see the module docstring for the rules)."""
    published = published_date(text)
    day = date.fromisoformat(published) if published else None
    events = [convert_event(t, text, day) for t in templates if t.relevant]
    primary = next((i for i, e in enumerate(events) if not e.optional), 0)
    for i, event in enumerate(events):
        event.primary = i == primary
    notes = "; ".join(c for t in templates for c in t.comments if c)
    return GoldArticle(id=message_id, text=text, published=published, all_events=True, notes=notes or None,
                       events=events)  # fmt: skip


def _files(directory: Path, pattern: str) -> list[Path]:
    files = sorted(directory.glob(pattern))
    if not files:
        raise DatasetError(f"{directory}: no file matches {pattern!r}; set SUMMARIZER_MUC_DIR to the MUC folder")
    return files


def _templates_by_message(keys: list[Path]) -> dict[str, list[Template]]:
    by_message: dict[str, list[Template]] = {}
    for key in keys:
        for template in read_templates(key):
            by_message.setdefault(template.message_id, []).append(template)
    return by_message


def convert_split(directory: Path, split: str) -> list[GoldArticle]:
    """Every message of a split (`dev`, `tst1`, `tst2`) in id order, each with its key's templates."""
    texts_glob, keys_glob = SPLITS[split]
    messages: dict[str, str] = {}
    for path in _files(directory, texts_glob):
        messages.update(read_messages(path))
    templates = _templates_by_message(_files(directory, keys_glob))
    unkeyed = sorted(set(messages) - set(templates))
    stray = sorted(set(templates) - set(messages))
    if unkeyed or stray:
        raise DatasetError(
            f"{directory} {split}: messages without a key {unkeyed[:3]}, keys without a message {stray[:3]}"
        )
    return [convert_message(mid, messages[mid], templates[mid]) for mid in sorted(messages)]


def muc_dir() -> Path:
    """Where the MUC files live: $SUMMARIZER_MUC_DIR, else wherever `fetch.data_file` finds (or fetches,
    checked by sha256) the message and key files: $SUMMARIZER_DATA/muc, ../shared/data/muc, the cache."""
    env = os.environ.get("SUMMARIZER_MUC_DIR")
    if env:
        return Path(env)
    patterns = [p for split in SPLITS.values() for p in split]
    names = [n for n in known_files() if n.startswith("muc/") and any(fnmatch(n[4:], p) for p in patterns)]
    folders: set[Path] = {data_file(name).parent for name in sorted(names)}
    if len(folders) != 1:
        raise DatasetError(f"the MUC files are spread over {sorted(map(str, folders))}; set SUMMARIZER_MUC_DIR")
    return folders.pop()


@lru_cache(maxsize=8)
def _cached_split(directory: str, split: str) -> tuple[GoldArticle, ...]:
    return tuple(convert_split(Path(directory), split))


def load_muc(name: str) -> list[GoldArticle]:
    """A MUC dataset by name (`DATASETS`), converted once per process and folder."""
    if name not in DATASETS:
        raise DatasetError(f"unknown MUC dataset {name!r}: use {', '.join(DATASETS)}")
    directory = str(muc_dir())
    return [a.model_copy(deep=True) for split in DATASETS[name] for a in _cached_split(directory, split)]
