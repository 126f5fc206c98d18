"""Who did it and who was hit: the actors of one event, from name mentions and the story's words.

Three sources, in order: the people `extract/people.py` names with a role from the sentence shapes;
claims of responsibility (`mentions/claims.py`: the claimant is the perpetrator, marked `claimed`);
organizations in the acting and hit shapes ("X carried out", "killing a commander of X"); then the
learned name roles (`roles/names.py`) and the role lexicon or perpetrator ranker for unnamed groups
("guerrillas", "peasants"). A name that only speaks ("..., the Taliban spokesman, said") is a claim's
source, never a victim. `Switches` turns each part off for ablation.
"""

from __future__ import annotations

import re

from summarizer.extract import data, perpetrators
from summarizer.extract.mentions import claims
from summarizer.extract.mentions.case import shouting
from summarizer.extract.people import people
from summarizer.extract.roles import names as learned_names
from summarizer.extract.switches import ALL_ON, Switches
from summarizer.raw import RawActor
from summarizer.schema import ActorKind, Role

STATE_ACTORS = re.compile(r"\b(?:police|army|military|forces|command|troops|government|ministry|navy|air force|"
                          r"sheriff|officers?|deputies|guard|centcom|pentagon|coalition)\b", re.I)  # fmt: skip
ARMED_GROUPS = re.compile(r"\b(?:militia|hezbollah|hamas|taliban|isis|islamic state|al-qaeda|rebels?|insurgents?|"
                          r"militants?|gang|brigades?|resistance|front|movement|shabaab)\b", re.I)  # fmt: skip
# Organizations acting or hit; named people come from `people.py`.
PERP_PATTERNS = [
    re.compile(
        r"((?:the )?[A-Z][\w.’'()-]*(?:\s+[A-Z(][\w.’'()-]*){0,6})\s+(?:\([A-Z]+\)\s+)?(?:on \w+ )?"
        r"(?:said (?:its|their) forces |forces )?(?:carried out|conducted|launched)"
    ),
]
VICTIM_PATTERNS = [
    re.compile(
        r"(?:killing|killed)\s+(?:a |an )?(?:top |senior |leading )?(?:commander|leader|member|official)"
        r" of (?:the )?((?:pro-\w+ )?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})"
    ),
]
THE = re.compile(r"^the\s+")
FOLD_DROP = re.compile(r"[’'`‘]")
NON_WORD = re.compile(r"[^a-z0-9]+")
NOT_NAMES = re.compile(r"^(?:The|This|That|Police|Officers?|Authorities|Sheriff|He|She|They|It|A|An)\b")
MAX_ACTORS = 6
LEXICON_PER_ROLE = 3
RANKED_PER_EVENT = 2
"""At most two ranked perpetrators an event, also beside a person the sentence shapes name as one (on
muc-dev: perpetrator F1 0.336 with three, 0.355 with two; one loses recall)."""


def find(sentences: list[str], story: list[str], switches: Switches = ALL_ON) -> list[RawActor]:
    """The actors of an event from its sentences; `story` (every sentence of the article, given for
    the primary event) is where its people and claims are looked for."""
    scope = story or sentences
    actors: list[RawActor] = []
    seen: set[str] = set()
    speakers = learned_names.speakers(scope)

    def add(actor: RawActor) -> None:
        key = actor.name.lower()
        if actor.role == "victim" and key in speakers:
            return
        bare = THE.sub("", key)
        for i, known in enumerate(actors):
            if bare in known.name.lower():
                return  # "Kataib Hezbollah" after "pro-Iran Kataib Hezbollah": the same actor again
            if known.name.lower() in bare and known.role == actor.role:
                # the fuller name of the same actor
                actors[i] = actor.model_copy(update={"claimed": actor.claimed or known.claimed})
                seen.add(key)
                return
        seen.add(key)
        actors.append(actor)

    if switches.claims:
        for claimant in _claimants(scope):
            add(claimant)
    if switches.rules:
        for person in people(story, caps=switches.caps):
            add(person)
        for actor in _patterned(sentences):
            add(actor)
    wire = shouting(scope)
    if switches.learned:
        # on all-caps wire copy the perpetrator ranker, trained on it alone, names the perpetrators
        ranked = switches.ranker and wire
        # on mixed-case news the model only fills a role the claims and hand shapes left empty
        filled = {a.role for a in actors} if switches.news_rules and not wire else set()
        for actor in learned_names.decide(scope):
            if ranked and actor.role == "perpetrator":
                continue
            if actor.role in filled:
                continue
            if switches.aliases and any(same_actor(actor.name, known.name) for known in actors):
                continue
            add(actor)
    named = {a.role for a in actors}
    for actor in _described(scope, set(seen), named, switches):
        add(actor)
    return actors[:MAX_ACTORS]


def _folded_words(name: str) -> list[str]:
    words = FOLD_DROP.sub("", name.lower())
    return [w for w in NON_WORD.split(words) if w and w != "the"]


def same_actor(a: str, b: str) -> bool:
    """Two spellings of one actor: the words of one (folded: case, apostrophes, hyphens) all in the
    other's, or both ending in the same two words ("Iraqi Kataib Hezbollah", "pro-Iran Kataib Hezbollah")."""
    x, y = _folded_words(a), _folded_words(b)
    if not x or not y:
        return False
    if set(x) <= set(y) or set(y) <= set(x):
        return True
    return len(x) >= 2 and len(y) >= 2 and x[-2:] == y[-2:]


def _claimants(sentences: list[str]) -> list[RawActor]:
    found = []
    for s in sentences:
        for claim in claims.find(s):
            name = _trim_name(claim.head)
            if name:
                kind = actor_kind(name)
                found.append(RawActor(name=name, role="perpetrator", kind=kind if kind != "unknown" else "armed_group",
                                      claimed=True))  # fmt: skip
    return found


def _patterned(sentences: list[str]) -> list[RawActor]:
    found = []
    for s in sentences:
        for role, patterns in (("perpetrator", PERP_PATTERNS), ("victim", VICTIM_PATTERNS)):
            for pattern in patterns:
                for m in pattern.finditer(s):
                    name = _trim_name(m.group(1))
                    if name:
                        found.append(RawActor(name=name, role=role, kind=actor_kind(name)))  # type: ignore[arg-type]
    return found


def _lexicon() -> tuple[re.Pattern[str], dict[str, str]]:
    """The role lexicon (`data/role_lexicon.tsv`, learned from MUC DEV keys by benchmarks/train.py): one
    case-insensitive pattern, longest phrase first, and each phrase's role."""
    roles = {phrase: role for phrase, role, *_ in data.rows("role_lexicon")}
    ordered = sorted(roles, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I), roles


lexicon = data.once(_lexicon)


def _described(sentences: list[str], seen: set[str], named: set[Role], switches: Switches) -> list[RawActor]:
    """Unnamed and named actors the role lexicon knows ("guerrillas", "FMLN", "peasants"), in the event's
    sentences, at most three per role, and none for a role (`named`) the article already names someone in;
    on all-caps copy the perpetrator ranker picks the perpetrators instead."""
    found: list[RawActor] = []
    ranked = ranked_perpetrators(sentences) if switches.ranker else None
    for phrase, _ in ranked or []:
        if phrase.lower() not in seen:
            seen.add(phrase.lower())
            group: ActorKind = actor_kind(phrase) if actor_kind(phrase) != "unknown" else "armed_group"
            found.append(RawActor(name=phrase, role="perpetrator", kind=group))
    if not switches.lexicon:
        return found
    pattern, roles = lexicon()
    for s in sentences:
        for m in pattern.finditer(s):
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
    lexicon. Only for all-caps wire copy, the kind it was trained on: on the GVDB tune half it cost
    perpetrator F1 (0.621 → 0.574), so mixed-case news keeps the lexicon."""
    if not shouting(sentences):
        return None
    return perpetrators.rank(sentences, RANKED_PER_EVENT)


def _trim_name(name: str) -> str | None:
    name = re.sub(r"^(?:the|The|THE)\s+", "", name.strip(" ,.;:"))
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
