"""The rules extractor: no model, deterministic, fills the same `RawExtraction` a model would.

It is the floor every model must beat, the fallback of the hybrid local backend, and the source of
candidates (places, dates, numbers, names) the small model chooses among. Everything it returns is
copied from the text, so grounding always succeeds.

How it reads an article: split into sentences; a sentence with a violence cue belongs to an event; a
cue sentence with its own date that differs from the current event's by more than a day opens a new
event (news stories move from the main event to background ones this way); sentences without a date
stay with the current event. The first event is primary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from summarizer.extract import data, perpetrators, relevance
from summarizer.extract.gazetteer import Mention, find_places, state_after
from summarizer.extract.gazetteer import cities as cities_named
from summarizer.extract.mentions import places
from summarizer.extract.mentions.case import shouting
from summarizer.extract.mentions.dates import DATE_PHRASE as DATE_PHRASE
from summarizer.extract.mentions.dates import background, blank_dateline, date_phrase, published_match
from summarizer.extract.mentions.dates import find_published as find_published
from summarizer.extract.normalize import (
    NUMBER_WORD,
    ONE_DEAD,
    parse_count,
    parse_published,
    resolve_date,
)
from summarizer.extract.people import people
from summarizer.raw import RawActor, RawCasualty, RawEvent, RawExtraction
from summarizer.schema import ActorKind, EventType

TYPE_CUES: list[tuple[EventType, str]] = [(kind, cue) for kind, cue in data.rows("event_type_cues")]  # type: ignore[misc]
VIOLENCE = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|dead|died|death|slain|murder(?:ed)?|homicide|wounded|injur(?:ed|ing|ies)|hurt|"
    r"strikes?|attack(?:ed|s)?|shot|shooting|gunfire|bomb(?:ing)?|explosions?|blast|clash(?:es)?|"
    r"stabb(?:ed|ing)|targeted|kidnap(?:ped|ping)?|abduct(?:ed|ion)|assassinat(?:ed|ion)|dynamite|arson|"
    r"set fire|machinegunned|ambush(?:ed)?)\b",
    re.I,
)
NUM = rf"(?:\d+(?:,\d{{3}})*|(?:{NUMBER_WORD})(?:[\s-]+(?:{NUMBER_WORD}))*)"
QUAL = r"(?:(?:at least|more than|over|up to|as many as|nearly|almost|about|around|some|another)\s+)?"
KILLED = (
    r"(?:killed|dead|died|slain|murdered|assassinated|massacred|shot dead|shot to death|shot and killed|"
    r"fatally (?:shot|wounded))"
)
INJURED = r"(?:injured|wounded|hurt|hospitali[sz]ed|shot and wounded)"
PERSON = r"(?:people|persons?|men|women|children|civilians|soldiers|fighters|militants|members|others|" \
         r"police(?:men)?|officers|troops|passengers|students|victims|man|woman|boy|girl|teens?|teenagers?|" \
         r"child|person|individuals)"  # fmt: skip
SINGULAR = r"(?:an?|one|the)\s+(?:\d+-year-old\s+|young\s+|teenage\s+|elderly\s+|local\s+|off-duty\s+)?" \
           r"(?:man|woman|boy|girl|teen|teenager|person|child|toddler|baby|infant|motorist|driver|officer|" \
           r"policeman|soldier|resident|shopkeeper|civilian|journalist|reporter|worker|student|guard|farmer|" \
           r"villager|teacher|doctor|priest|imam|passenger|pedestrian|bystander|customer|clerk|employee|" \
           r"suspect|gunman|victim|mother|father|son|daughter|wife|husband|neighbor|neighbour)"  # fmt: skip
SOURCE = re.compile(
    r"(?:according to ([^,.;]{3,80})|([A-Z][^,.;\"“”]{2,80}?) (?:said|says|told|reported|confirmed|stated)\b)"
)
STATE_ACTORS = re.compile(r"\b(?:police|army|military|forces|command|troops|government|ministry|navy|air force|"
                          r"sheriff|officers?|deputies|guard|centcom|pentagon|coalition)\b", re.I)  # fmt: skip
ARMED_GROUPS = re.compile(r"\b(?:militia|hezbollah|hamas|taliban|isis|islamic state|al-qaeda|rebels?|insurgents?|"
                          r"militants?|gang|brigades?|resistance|front|movement)\b", re.I)  # fmt: skip
# Organizations acting or hit; named people come from `people.py`.
PERP_PATTERNS = [
    re.compile(
        r"((?:the )?[A-Z][\w.’'()-]*(?:\s+[A-Z(][\w.’'()-]*){0,6})\s+(?:\([A-Z]+\)\s+)?(?:on \w+ )?"
        r"(?:said (?:its|their) forces |forces )?(?:carried out|conducted|launched|claimed)"
    ),
]
VICTIM_PATTERNS = [
    re.compile(
        r"(?:killing|killed)\s+(?:a |an )?(?:top |senior |leading )?(?:commander|leader|member|official)"
        r" of (?:the )?((?:pro-\w+ )?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})"
    ),
]
NOT_NAMES = re.compile(r"^(?:The|This|That|Police|Officers?|Authorities|Sheriff|He|She|They|It|A|An)\b")


ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|St|Ave|Blvd|Rd|Mr|Mrs|Ms|Dr|No|Gen|Lt|"
    r"Sgt|Col|Capt|Cpl|Maj|Gov|Sen|Rep|Det|Ofc|Jr|Sr|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|"
    r"Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Vt|Va|Wash|Wis|Wyo))\.$"
)


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Draft:
    """An event being assembled from sentences."""

    sentences: list[Sentence] = field(default_factory=list)
    date: str | None = None
    date_phrase: str | None = None
    background: str | None = None
    """The words that place this incident before the story's own ("earlier this month")."""
    town: str | None = None
    """The first city its sentences put it in ("in Apopa")."""


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; also splits GVDB's glued title ("...CBS DenverAURORA")."""
    sentences: list[Sentence] = []
    pattern = re.compile(r"(?:[^.!?\n]|\.(?=\d))+(?:[.!?]+[\"”’']?|\n|$)")  # "9.1 million" is one sentence
    for m in pattern.finditer(text):
        chunk = m.group()
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            sentences.append(Sentence(m.start() + lead, m.end(), chunk.strip()))
    return _merge_abbreviations(sentences, text)


def _merge_abbreviations(sentences: list[Sentence], text: str) -> list[Sentence]:
    """Undo splits after "U.S.", "Jan.", "Colo.", "p.m.", single initials."""
    merged: list[Sentence] = []
    for s in sentences:
        if merged and ABBREVIATION.search(merged[-1].text) and s.text[:1].isalnum():
            prev = merged[-1]
            merged[-1] = Sentence(prev.start, s.end, text[prev.start : s.end].strip())
        else:
            merged.append(s)
    return merged


def event_type(text: str) -> EventType:
    for kind, cue in TYPE_CUES:
        if re.search(cue, text, re.I):
            return kind
    return "other"


def extract(text: str, published: str | None) -> RawExtraction:
    """All events the rules can see, primary first; none when the relevance gate says the article
    reports no violent event (`gate_note` says why)."""
    if not relevance.judge(text).relevant:
        return RawExtraction(events=[])
    base = parse_published(published)
    sentences = split_sentences(text)
    dates = blank_dateline(text)
    drafts = _group_sentences(sentences, base, dates)
    drafts.sort(key=lambda d: d.background is not None)  # the story's own incident first
    everything = [s.text for s in sentences]
    built = [_build_event(d, text, everything if i == 0 else None) for i, d in enumerate(drafts)]
    events = [e for e in built if e is not None]
    if events:
        events[0].primary = True
        if events[0].date_phrase is None and drafts[0].background is None:
            # the lead often dates the story before any violence cue; failing that, a wire report's
            # incident is taken to be of its dateline's day (MUC keys: "on or before" that date)
            dateline = published_match(text)
            events[0].date_phrase = date_phrase(dates[:1500]) or (dateline.group(1) if dateline else None)
    return RawExtraction(events=events[:MAX_EVENTS])


MAX_EVENTS = 8
"""`RawExtraction` holds at most eight events: the primary and the first seven others."""


def gate_note(text: str) -> str | None:
    """The warning to show when the relevance gate rejects the article, else None."""
    verdict = relevance.judge(text)
    return None if verdict.relevant else f"no violent event reported (relevance {verdict.score:.2f})"


def _group_sentences(sentences: list[Sentence], base: datetime | None, dates: str) -> list[Draft]:
    """`dates`: the text with its dateline blanked, so a sentence's date comes from its own words."""
    drafts: list[Draft] = []
    current: Draft | None = None
    for s in sentences:
        if not VIOLENCE.search(s.text):
            continue
        own = dates[s.start : s.end]
        behind = background(own)
        if behind:
            _background(drafts, s, behind, base)
            continue
        phrase = date_phrase(own)
        resolved = resolve_date(phrase, base) if phrase else None
        iso = resolved.date if resolved else None
        town = _town(s)
        if current is None:
            current = Draft()
            drafts.append(current)
        elif iso and current.date and not _same_day(iso, current.date):
            current = next((d for d in drafts if d.date and _same_day(iso, d.date)), None) or Draft()
            if current not in drafts:
                drafts.append(current)
        elif town and current.town and town != current.town:
            # the same day in another town is another incident
            current = next((d for d in drafts if d.town == town), None) or Draft(date=iso)
            if current not in drafts:
                drafts.append(current)
        if iso and current.date is None:
            current.date, current.date_phrase = iso, phrase
        current.town = current.town or town
        current.sentences.append(s)
    return drafts


def _town(s: Sentence) -> str | None:
    """The city a sentence puts its incident in ("in Apopa"), lower-cased, if any."""
    return next((m[1].lower() for m in _mentions([s]) if m[2] and m[0].place.kind == "city"), None)


def _background(drafts: list[Draft], s: Sentence, phrase: str, base: datetime | None) -> None:
    """A sentence about an earlier incident joins the draft with the same background words, or opens
    its own; it never joins the story's main incident."""
    key = phrase.lower()
    for d in drafts:
        if d.background == key:
            d.sentences.append(s)
            return
    resolved = resolve_date(phrase, base)
    dated = phrase if resolved is not None and resolved.date else None
    drafts.append(Draft([s], resolved.date if resolved and dated else None, dated, key))


def _same_day(a: str, b: str) -> bool:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 1


def _build_event(draft: Draft, text: str, story: list[str] | None) -> RawEvent | None:
    """`story`: every sentence of the article, given for the primary event, whose people it names."""
    primary = story is not None
    joined = " ".join(s.text for s in draft.sentences)
    casualties = _casualties(draft.sentences)
    kind = event_type(draft.sentences[0].text)
    kind = event_type(joined) if kind == "other" else kind
    if not casualties and kind in ("other", "arrest") and len(draft.sentences) < 2:
        return None
    where = _place(draft.sentences, text, primary)
    first = draft.sentences[0].text
    return RawEvent(
        event_type=kind,
        description=_describe(first),
        quote=first[:400],
        actors=_actors(draft.sentences, story or []),
        place=where.place,
        admin1=where.admin1,
        country=where.country,
        date_phrase=draft.date_phrase,
        casualties=casualties,
    )


def _describe(sentence: str) -> str:
    return sentence if len(sentence) <= 300 else sentence[:297].rsplit(" ", 1)[0] + "..."


@dataclass
class PlaceGuess:
    place: str | None = None
    admin1: str | None = None
    country: str | None = None


def _place(sentences: list[Sentence], text: str, primary: bool) -> PlaceGuess:
    """Places from the event's first sentence when it names any, else from all its sentences; for the
    primary event also the dateline and the story's opening. A city after "in"/"at" wins; admin area and
    country come from the text or the city."""
    dateline = places.dateline(text) if primary else None
    mentions = _mentions(sentences[:1]) or _mentions(sentences)
    if not mentions and not dateline and primary:
        mentions = _mentions([Sentence(0, min(len(text), 400), text[:400])])  # the story's opening
    context = _countries_named(text)
    cities = [m for m in mentions if m[0].place.kind == "city"]
    # a city in a country the story names before one elsewhere ("SAN JOSE" in a Salvadoran report);
    # then "in Baghdad" before a bare "Baghdad"
    cities.sort(key=lambda m: (bool(context) and _home(m, context) is None, not m[2]))
    if dateline and (not cities or dateline.place.country_code == "US"):
        # US local news: "AURORA, Colo. (CBS4) – ... in the Rogers Park neighborhood": the dateline names
        # the city, the story a part of it. Abroad the dateline is often only where the reporter sits
        # ("ERBIL – ... an air strike in Baghdad"), so there the story's own city wins.
        cities.insert(0, places.PlaceHit(dateline, text[dateline.start : dateline.end], True))
    admins = [m for m in mentions if m[0].place.kind == "admin1"]
    countries = [m for m in mentions if m[0].place.kind == "country"]
    guess = PlaceGuess()
    anchor = cities[0][0].place if cities else admins[0][0].place if admins else None
    if cities:
        guess.place = cities[0][1]
    if admins:
        guess.admin1 = admins[0][1]
    elif anchor and anchor.admin1:
        guess.admin1 = anchor.admin1 if anchor.admin1 in text else _state_as_written(cities[0][0], text)
    same = [m for m in countries if anchor is None or m[0].place.country_code == anchor.country_code]
    home = _home(cities[0], context) if cities else None
    if same:
        guess.country = _event_country([m[0] for m in same], [m[1] for m in same])
    elif home and anchor and home != anchor.country_code:
        guess.country = context[home]  # the named country's city of that name, not the gazetteer's first
    elif primary and anchor is None and context:
        guess.country = next(iter(context.values()))
    return guess


@lru_cache(maxsize=8)
def _countries_named(text: str) -> dict[str, str]:
    """Country code → the words naming it, for the countries the story's opening names, in order."""
    named: dict[str, str] = {}
    for m in find_places(text[:3000]):
        if m.place.kind == "country":
            named.setdefault(m.place.country_code, text[m.start : m.end])
    return named


def _home(city: places.PlaceHit, context: dict[str, str]) -> str | None:
    """The city's own country when the story names it, else the first named country that has a city
    of this name at least a tenth as large, else None."""
    if city[0].place.country_code in context:
        return city[0].place.country_code
    # a namesake a tenth the size or less is not the one meant (Bogotá, not Bogota NJ)
    floor = city[0].place.population / 10
    codes = {p.country_code for p in cities_named(city[1].lower()) if p.population >= floor}
    return next((code for code in context if code in codes), None)


def _mentions(sentences: list[Sentence]) -> list[places.PlaceHit]:
    return [hit for s in sentences for hit in places.hits(s.text)]


def _state_as_written(city: Mention, text: str) -> str | None:
    """ "Colo." in "AURORA, Colo. (CBS4)": the state as the article abbreviates it."""
    m = re.match(r",\s*([A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?)", text[city.end : city.end + 20])
    return m.group(1) if m and state_after(text[city.end : city.end + 20]) else None


def _event_country(countries: list[Mention], written: list[str]) -> str:
    """The country an event happened in: the first one not the US (US forces act abroad far more
    often than a foreign country is named in a US event)."""
    index = next((i for i, m in enumerate(countries) if m.place.country_code != "US"), 0)
    return written[index]


def _casualties(sentences: list[Sentence]) -> list[RawCasualty]:
    claims: list[RawCasualty] = []
    # When the incident killed someone, "the boy was shot" elsewhere is about the dead, not a wounded one.
    deadly = any(_figure(s.text, KILLED, "killing") for s in sentences)
    for s in sentences:
        killed = _figure(s.text, KILLED, "killing")
        injured = _figure(s.text, INJURED, "injuring|wounding", shot_is_hurt=not deadly)
        if killed is None and injured is None:
            continue
        source = SOURCE.search(s.text)
        if source is None and any(_same_figures(c, killed, injured) for c in claims):
            continue  # the same figure again, unattributed: a repeat of the earlier claim
        claims.append(
            RawCasualty(
                quote=s.text[:400],
                killed=killed,
                injured=injured,
                source=_clean_source(source) if source else None,
            )
        )
        if len(claims) == 4:
            break
    return claims


def _same_figures(claim: RawCasualty, killed: str | None, injured: str | None) -> bool:
    return parse_count(claim.killed) == parse_count(killed) and parse_count(claim.injured) == parse_count(injured)


def _figure(sentence: str, outcome: str, gerund: str, shot_is_hurt: bool = True) -> str | None:
    """The words that give a casualty figure in one sentence, or None. Ages ("Kim, 35, was killed")
    and years are not figures: a number directly followed by a comma or "year" is skipped."""
    num = rf"{QUAL}{NUM}(?![\d,]|\s*(?:-|\s)?years?\b|\s*percent|\s*%|\s*times\b|\s*targets\b|\s*rounds\b|\s*shots\b)"
    verb = (
        "killed|shot and killed|fatally (?:shot|shooting|stabbed|wounded)|gunned down|murdered|shot dead|shot to death"
    )
    if outcome == INJURED:
        verb = "wounded|injured|shot and wounded|injuring|wounding"
    patterns = [
        rf"\b(?:{gerund})\s+({num})\b",
        rf"\b(?:deaths? of|bodies of)\s+({num})\b" if outcome == KILLED else rf"\binjuries to\s+({num})\b",
        rf"\b(?:{verb})\s+({SINGULAR}|{num})\b",
        rf"\b({num}\s+(?:[\w()'-]+\s+){{0,4}}?{PERSON})\s+(?:\w+\s+){{0,3}}?"
        rf"(?:were|was|have been|had been|are|is|being)?\s*(?:\w+\s+)?{outcome}",
        rf"\b({num})\s+(?:people\s+|others\s+)?{outcome}",
        rf"\b({num})\s+[a-z]+s\b[^.;:]{{0,50}}?\s+(?:were|have been|had been)\s+(?:\w+\s+)?{outcome}",
        rf"\bleft\s+({num})\s+(?:\w+\s+)?(?:dead|injured|wounded)",
        rf"\b({SINGULAR})\b[^.;]{{0,60}}?\b(?:was|is|has been)\s+(?:\w+\s+)?(?:\w+\s+)?{outcome}",
        rf"^(?:[^.]*?\b)?((?:man|woman|teen|teenager|boy|girl|child|person|officer|driver|motorist))(?:,)?\s+"
        rf"(?:\w+\s+)?(?:shot(?:,|\s+and)?\s+)?{outcome}",
    ]
    if outcome == KILLED:
        patterns += [
            r"\b(he|she)\s+(?:later\s+)?(?:died|was pronounced dead|was killed)\b",
            r"\b(?:killed|shot|stabbed) (himself|herself)\b",
            rf"\b(?:shooting |stabbing )?(?:death|killing|murder) of\s+({SINGULAR}|(?:an?|the) \d+-year-old)",
            r"\b(an?\s+(?:fatal|deadly)\s+(?:[\w-]+\s+){0,2}?(?:shooting|stabbing|attack|crash|blast))\b",
        ]
    elif shot_is_hurt and not re.search(KILLED, sentence, re.I):  # in crime news a person shot, not killed, is hurt
        unharmed = r"(?!\s+(?:at|and killed|dead|to death|by police and killed))"
        patterns += [
            rf"\b({SINGULAR})\b[^.;]{{0,60}}?\b(?:was|is|has been|had been)\s+(?:\w+\s+)?shot\b{unharmed}",
            rf"\b({num}\s+(?:[\w-]+\s+){{0,2}}?{PERSON})\s+(?:were|have been|had been)\s+shot\b{unharmed}",
            rf"\b({num})\s+(?:people\s+|men\s+|women\s+)?(?:were\s+)?shot\b{unharmed}",
            rf"\b(he|she)\s+was\s+(?:\w+\s+)?shot\b{unharmed}",
            rf"\b({SINGULAR}|(?:an?|the)\s+\d+-year-old)\s+(?:\w+\s+){{0,3}}?(?:with|suffering from|suffered)\s+"
            r"(?:an?\s+)?(?:\w+\s+)?(?:gunshot|stab|bullet) wounds?",
            r"^(?:[^.]*?\b)?(man|woman|teen|teenager|boy|girl|child|person|officer|cop|driver|motorist)\s+"
            r"(?:is\s+)?(?:\w+\s+)?shot\b(?!\s*(?:,|and)\s*killed|\s+dead|\s+to death)",
        ]
    if outcome == KILLED and not NEGATED.search(sentence):
        patterns.append(rf"(?<!attempted )\b({ONE_DEAD})\b")  # one death, no number: the last resort
    for pattern in patterns:
        m = re.search(pattern, sentence, re.I)
        if m:
            return m.group(1).strip()
    return None


NEGATED = re.compile(r"\b(?:no one|nobody|none|not|never|no)\b", re.I)


def _clean_source(m: re.Match[str]) -> str | None:
    source = (m.group(1) or m.group(2) or "").strip()
    source = re.split(r"\s[-–—]\s|\bthat\b|\bwhen\b|,", source)[-1].strip()  # drop datelines, clauses
    source = re.sub(r"\s+(?:on|late|early)?\s*(?:\w+day|\w+ night)$", "", source).strip()
    if not source or len(source.split()) > 10:
        return None
    return source


def _actors(sentences: list[Sentence], story: list[str]) -> list[RawActor]:
    actors: list[RawActor] = []
    seen: set[str] = set()
    for person in people(story):
        seen.add(person.name.lower())
        actors.append(person)
    for s in sentences:
        for role, patterns in (("perpetrator", PERP_PATTERNS), ("victim", VICTIM_PATTERNS)):
            for pattern in patterns:
                for m in pattern.finditer(s.text):
                    name = _trim_name(m.group(1))
                    if name and name.lower() not in seen:
                        seen.add(name.lower())
                        actors.append(RawActor(name=name, role=role, kind=actor_kind(name)))  # type: ignore[arg-type]
    # the story's main incident: its attackers are often named in another sentence than its violence
    named: set[str] = {a.role for a in actors}
    actors += _described([Sentence(0, 0, t) for t in story] if story else sentences, seen, named)
    return actors[:6]


def _lexicon() -> tuple[re.Pattern[str], dict[str, str]]:
    """The role lexicon (`data/role_lexicon.tsv`, learned from MUC DEV keys by benchmarks/train.py): one
    case-insensitive pattern, longest phrase first, and each phrase's role."""
    roles = {phrase: role for phrase, role, *_ in data.rows("role_lexicon")}
    ordered = sorted(roles, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I), roles


lexicon = data.once(_lexicon)
LEXICON_PER_ROLE = 3


def _described(sentences: list[Sentence], seen: set[str], named: set[str]) -> list[RawActor]:
    """Unnamed and named actors the role lexicon knows ("guerrillas", "FMLN", "peasants"), in the event's
    sentences, at most three per role, and none for a role (`named`) the article already names someone in;
    on all-caps copy the perpetrator ranker picks the perpetrators instead."""
    pattern, roles = lexicon()
    found: list[RawActor] = []
    ranked = ranked_perpetrators([s.text for s in sentences])
    for phrase, _ in ranked or []:
        if phrase.lower() not in seen:
            seen.add(phrase.lower())
            group: ActorKind = actor_kind(phrase) if actor_kind(phrase) != "unknown" else "armed_group"
            found.append(RawActor(name=phrase, role="perpetrator", kind=group))
    for s in sentences:
        for m in pattern.finditer(s.text):
            phrase = " ".join(m.group().split())
            role = roles[phrase.lower()]
            if ranked is not None and role == "perpetrator":
                continue  # the ranker chose the perpetrators
            if phrase.lower() in seen or role in named or sum(a.role == role for a in found) >= LEXICON_PER_ROLE:
                continue
            seen.add(phrase.lower())
            kind: ActorKind = "civilians"
            if role == "perpetrator":
                kind = actor_kind(phrase) if actor_kind(phrase) != "unknown" else "armed_group"
            found.append(RawActor(name=m.group(), role=role, kind=kind))  # type: ignore[arg-type]
    return found


def ranked_perpetrators(sentences: list[str]) -> list[tuple[str, float]] | None:
    """The perpetrator ranker's choice (`extract/perpetrators.py`); None leaves perpetrators to the role
    lexicon (benchmarks/ablation.py switches the ranker off this way). Only for all-caps wire copy, the
    kind it was trained on: on the GVDB tune half it cost perpetrator F1 (0.621 → 0.574), so mixed-case
    news keeps the lexicon."""
    if not shouting(sentences):
        return None
    return perpetrators.rank(sentences, RANKED_PER_EVENT)


RANKED_PER_EVENT = 2
"""At most two ranked perpetrators an event, also beside a person the sentence shapes name as one (on
muc-dev: perpetrator F1 0.336 with three, 0.355 with two; one loses recall)."""


def _trim_name(name: str) -> str | None:
    name = re.sub(r"^(?:the|The)\s+", "", name.strip(" ,.;:"))
    name = re.sub(r"\s+(?:on|in|at)$", "", name)
    if len(name) < 3 or NOT_NAMES.match(name) or len(name) > 120:
        return None
    return name


def actor_kind(name: str) -> ActorKind:
    if STATE_ACTORS.search(name):
        return "state_force"
    if ARMED_GROUPS.search(name):
        return "armed_group"
    if re.fullmatch(r"[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){1,3}", name):
        return "person"
    return "unknown"
