"""Casualty roles: which words in a sentence give its dead, its injured and its kidnapped or missing,
and who gives the figure.

Each outcome has its patterns, compiled once at import, tried in order; the first match that passes
`_clean` wins. A match is refused when the words between its figure and its verb hold another number or
another outcome's verb ("7 people were killed and 15 wounded": 7 are not the injured). The source of a
claim is the attribution mention inside its sentence (`mentions/attribution.py`); "We have confirmed 12
dead" has none."""

from __future__ import annotations

import re
from enum import StrEnum

from summarizer.extract.mentions import figures
from summarizer.extract.mentions.base import Mention
from summarizer.extract.mentions.case import shouting
from summarizer.extract.mentions.sentences import Sentence
from summarizer.extract.normalize import NUMBER_WORD, ONE_DEAD, parse_count
from summarizer.extract.roles import figure_model
from summarizer.raw import RawCasualty


class FigureRoles(StrEnum):
    """Which part decides a figure's role (an ablation switch, `Settings.figure_roles`)."""

    RULES = "rules"
    """The hand patterns alone."""
    LEARNED = "learned"
    """The learned model alone (kidnapped figures stay with the patterns: gold has no such count)."""
    BOTH = "both"
    """The model where it is confident, else the patterns."""
    FILL = "fill"
    """The patterns, and the model (where confident) only for an outcome the patterns found no figure for:
    the model never overrides a figure the patterns read."""
    WIRE = "wire"
    """`fill` on all-caps wire copy, the patterns alone on mixed-case news: out of fold on the tuning sets
    the model's figures paid on MUC DEV (killed 0.283 → 0.314) and cost on the GVDB tune half (killed
    0.834 → 0.800), overriding the patterns or not (`benchmarks/oof.py`)."""


class Outcome(StrEnum):
    KILLED = "killed"
    INJURED = "injured"
    KIDNAPPED = "kidnapped"
    """Kidnapped, abducted, taken hostage or missing: kept apart from the dead and the injured."""


NUM = rf"(?:\d+(?:,\d{{3}})*|(?:{NUMBER_WORD})(?:[\s-]+(?:{NUMBER_WORD}))*)"
QUAL = r"(?:(?:at least|more than|over|up to|as many as|nearly|almost|about|around|some|another)\s+)?"
FIGURE_NUM = (
    rf"{QUAL}{NUM}(?![\d,]|\s*(?:-|\s)?years?\b|\s*percent|\s*%|\s*times\b|\s*targets\b|\s*rounds\b|\s*shots\b)"
)
VERB_NUM = rf"{QUAL}{NUM}(?!\d|,\d|\s*(?:-|\s)?years?\b|\s*percent|\s*%|\s*times\b|\s*targets\b|\s*rounds\b|\s*shots\b)"
"""A figure right after its verb ("wounding three, police said"): a comma may follow, an age does not
come there."""
VERB_WORDS = {
    Outcome.KILLED: r"(?:killed|dead|died|slain|murdered|assassinated|massacred|shot dead|shot to death|"
    r"shot and killed|fatally (?:shot|wounded))",
    Outcome.INJURED: r"(?:injured|wounded|hurt|hospitali[sz]ed|shot and wounded)",
    Outcome.KIDNAPPED: r"(?:kidnapped|abducted|taken hostage|held hostage|taken captive|missing|disappeared)",
}
GERUNDS = {Outcome.KILLED: "killing", Outcome.INJURED: "injuring|wounding", Outcome.KIDNAPPED: "kidnapping|abducting"}
ACTIVE = {
    Outcome.KILLED: "killed|shot and killed|fatally (?:shot|shooting|stabbed|wounded)|gunned down|murdered|shot dead|"
    "shot to death",
    Outcome.INJURED: "wounded|injured|shot and wounded|injuring|wounding",
    Outcome.KIDNAPPED: "kidnapped|abducted|seized|took hostage",
}
PERSON = r"(?:people|persons?|men|women|children|civilians|soldiers|fighters|militants|members|others|" \
         r"police(?:men)?|officers|troops|passengers|students|victims|man|woman|boy|girl|teens?|teenagers?|" \
         r"child|person|individuals|peasants|guerrillas|workers|villagers|residents|journalists)"  # fmt: skip
SINGULAR = r"(?:an?|one|the)\s+(?:\d+-year-old\s+|young\s+|teenage\s+|elderly\s+|local\s+|off-duty\s+)?" \
           r"(?:man|woman|boy|girl|teen|teenager|person|child|toddler|baby|infant|motorist|driver|officer|" \
           r"policeman|soldier|resident|shopkeeper|civilian|journalist|reporter|worker|student|guard|farmer|" \
           r"villager|teacher|doctor|priest|imam|passenger|pedestrian|bystander|customer|clerk|employee|" \
           r"suspect|gunman|victim|mother|father|son|daughter|wife|husband|neighbor|neighbour|deputy)"  # fmt: skip
_COUNT_WORDS = "|".join(w for w in NUMBER_WORD.split("|") if w not in {"a", "an", "no", "none", "single", "lone"})
_NUMBER_TOKEN = re.compile(rf"\b(?:\d+|{_COUNT_WORDS})\b", re.I)
NEGATED = re.compile(r"\b(?:no one|nobody|none|not|never|no)\b", re.I)
_UNHARMED = r"(?!\s+(?:at|and killed|dead|to death|by police and killed))"


Pattern = tuple[str, bool]
"""A pattern and whether it leaves free words between its figure and its verb (then a match must pass
`_clean`)."""


def _common(outcome: Outcome) -> list[Pattern]:
    num, verb, gerund = FIGURE_NUM, VERB_WORDS[outcome], GERUNDS[outcome]
    return [
        (rf"\b(?:{gerund})\s+({VERB_NUM})\b", False),
        (
            rf"\b({num}\s+(?:[\w()'-]+\s+){{0,4}}?{PERSON})\s+(?:\w+\s+){{0,3}}?"
            rf"(?:were|was|have been|had been|are|is|being)?\s*(?:\w+\s+)?{verb}",
            True,
        ),
        (rf"\b(?:{ACTIVE[outcome]})\s+({SINGULAR}|{VERB_NUM})\b", False),
        (rf"\b({num})\s+(?:people\s+|others\s+)?{verb}", False),
        (rf"\b({num})\s+[a-z]+s\b[^.;:]{{0,50}}?\s+(?:were|have been|had been)\s+(?:\w+\s+)?{verb}", True),
    ]


def _patterns(outcome: Outcome) -> list[Pattern]:
    num, verb = FIGURE_NUM, VERB_WORDS[outcome]
    common = _common(outcome)
    if outcome is Outcome.KIDNAPPED:
        return common
    extra = rf"\b(?:deaths? of|bodies of)\s+({num})\b" if outcome is Outcome.KILLED else rf"\binjuries to\s+({num})\b"
    singular = [
        rf"\bleft\s+({num})\s+(?:\w+\s+)?(?:dead|injured|wounded)",
        rf"\b({SINGULAR})\b[^.;]{{0,60}}?\b(?:was|is|has been)\s+(?:\w+\s+)?(?:\w+\s+)?{verb}",
        rf"^(?:[^.]*?\b)?((?:man|woman|teen|teenager|boy|girl|child|person|officer|driver|motorist))(?:,)?\s+"
        rf"(?:\w+\s+)?(?:shot(?:,|\s+and)?\s+)?{verb}",
    ]
    found = [common[0], (extra, False), common[2], common[1], common[3], common[4], *((p, False) for p in singular)]
    if outcome is Outcome.KILLED:
        found += [
            (r"\b(he|she)\s+(?:later\s+)?(?:died|was pronounced dead|was killed)\b", False),
            (r"\b(?:killed|shot|stabbed) (himself|herself)\b", False),
            (rf"\b(?:shooting |stabbing )?(?:death|killing|murder) of\s+({SINGULAR}|(?:an?|the) \d+-year-old)", False),
            (r"\b(an?\s+(?:fatal|deadly)\s+(?:[\w-]+\s+){0,2}?(?:shooting|stabbing|attack|crash|blast))\b", False),
            (rf"\b({num}\s+(?:[\w-]+\s+)?(?:bodies|corpses))\b", False),  # "carried 21 bodies", "received 46 bodies"
        ]
    return found


SHOT_IS_HURT = [
    rf"\b({SINGULAR})\b[^.;]{{0,60}}?\b(?:was|is|has been|had been)\s+(?:\w+\s+)?shot\b{_UNHARMED}",
    rf"\b({FIGURE_NUM}\s+(?:[\w-]+\s+){{0,2}}?{PERSON})\s+(?:were|have been|had been)\s+shot\b{_UNHARMED}",
    rf"\b({FIGURE_NUM})\s+(?:people\s+|men\s+|women\s+)?(?:were\s+)?shot\b{_UNHARMED}",
    rf"\b(he|she)\s+was\s+(?:\w+\s+)?shot\b{_UNHARMED}",
    rf"\b({SINGULAR}|(?:an?|the)\s+\d+-year-old)\s+(?:\w+\s+){{0,3}}?(?:with|suffering from|suffered)\s+"
    r"(?:an?\s+)?(?:\w+\s+)?(?:gunshot|stab|bullet) wounds?",
    r"^(?:[^.]*?\b)?(man|woman|teen|teenager|boy|girl|child|person|officer|cop|driver|motorist)\s+"
    r"(?:is\s+)?(?:\w+\s+)?shot\b(?!\s*(?:,|and)\s*killed|\s+dead|\s+to death)",
]
"""In crime news a person shot, not killed, is hurt: tried for the injured when nobody died."""

PATTERNS = {outcome: tuple((re.compile(p, re.I), checked) for p, checked in _patterns(outcome)) for outcome in Outcome}
SHOT_PATTERNS = tuple((re.compile(p, re.I), False) for p in SHOT_IS_HURT)
ONE_DEATH = re.compile(rf"(?<!attempted )\b({ONE_DEAD})\b", re.I)
"""One death, no number: the last resort for the dead."""
KILLED_WORDS = re.compile(VERB_WORDS[Outcome.KILLED], re.I)
_OTHER_VERBS = {
    o: re.compile(rf"\b(?:{'|'.join(VERB_WORDS[x] for x in Outcome if x is not o)})\b", re.I) for o in Outcome
}


def figure(sentence: str, outcome: Outcome, shot_is_hurt: bool = True) -> str | None:
    """The words that give one outcome's figure in a sentence, or None. Ages ("Kim, 35, was killed")
    and years are not figures: a number directly followed by a comma or "year" is skipped."""
    patterns = list(PATTERNS[outcome])
    if outcome is Outcome.INJURED and shot_is_hurt and not KILLED_WORDS.search(sentence):
        patterns += SHOT_PATTERNS
    for pattern, checked in patterns:
        found = _first_clean(pattern, sentence, outcome) if checked else pattern.search(sentence)
        if isinstance(found, re.Match):
            return found.group(1).strip()
        if found:
            return found
    if outcome is Outcome.KILLED and not NEGATED.search(sentence):
        m = ONE_DEATH.search(sentence)
        return m.group(1).strip() if m else None
    return None


def _first_clean(pattern: re.Pattern[str], sentence: str, outcome: Outcome) -> str | None:
    for m in pattern.finditer(sentence):
        if _clean(m, outcome):
            return m.group(1).strip()
    return None


def _clean(m: re.Match[str], outcome: Outcome) -> bool:
    """No other number and no other outcome's verb between the figure and its verb."""
    between = m.string[m.end(1) : m.end()]
    return _NUMBER_TOKEN.search(between) is None and _OTHER_VERBS[outcome].search(between) is None


def decide(sentence: str, shot_is_hurt: bool, mode: FigureRoles) -> dict[Outcome, str | None]:
    """The sentence's killed, injured and kidnapped figures, as `mode` says to decide them."""
    rule = {
        Outcome.KILLED: figure(sentence, Outcome.KILLED),
        Outcome.INJURED: figure(sentence, Outcome.INJURED, shot_is_hurt),
        Outcome.KIDNAPPED: figure(sentence, Outcome.KIDNAPPED),
    }
    if mode in (FigureRoles.RULES, FigureRoles.WIRE):  # WIRE is resolved per story in `claims`
        return rule
    learned = _learned(sentence, rule, confident=mode is not FigureRoles.LEARNED)
    if mode is FigureRoles.LEARNED:
        return {**learned, Outcome.KIDNAPPED: rule[Outcome.KIDNAPPED]}
    if mode is FigureRoles.FILL:
        return {o: rule[o] or learned.get(o) for o in Outcome}
    return {o: _agreed(learned.get(o), rule[o]) for o in Outcome}


def _agreed(learned: str | None, rule: str | None) -> str | None:
    """The model's figure, but the patterns' words when both name the same figure ("a" in "a top
    commander"): the patterns' span is the one grounding and the renderers have always seen."""
    if learned and rule and (rule in learned or learned in rule):
        return rule
    return learned or rule


def _learned(sentence: str, rule: dict[Outcome, str | None], confident: bool) -> dict[Outcome, str | None]:
    """Per outcome, the figure the model gives that role with the highest probability; with `confident`,
    only at or above the model's threshold."""
    model = figure_model.model()
    best: dict[Outcome, tuple[float, str]] = {}
    for m in figures.find(sentence):
        roles = frozenset(o.value for o, p in rule.items() if p and (p in m.text or m.text in p))
        probs = model.probabilities(figure_model.features(m, sentence, 0, roles))
        label = max(probs, key=lambda k: probs[k])
        if label == "other" or (confident and probs[label] < model.threshold):
            continue
        outcome = Outcome(label)
        if probs[label] > best.get(outcome, (0.0, ""))[0]:
            best[outcome] = (probs[label], m.text)
    return {o: best[o][1] if o in best else None for o in (Outcome.KILLED, Outcome.INJURED)}


def claims(
    sentences: list[Sentence],
    attributions: list[Mention],
    text: str,
    limit: int = 4,
    mode: FigureRoles = FigureRoles.WIRE,
) -> list[RawCasualty]:
    """One claim per sentence that gives a figure, at most `limit`; an unattributed repeat of an earlier
    claim's figures is dropped. `attributions`: the article's attribution mentions (offsets in `text`).
    A claim sourced by "he said" quotes from the speaker it resolves to, so the source stays grounded."""
    found: list[RawCasualty] = []
    if mode is FigureRoles.WIRE:
        mode = FigureRoles.FILL if shouting([s.text for s in sentences]) else FigureRoles.RULES
    # When the incident killed someone, "the boy was shot" elsewhere is about the dead, not a wounded one.
    deadly = any(figure(s.text, Outcome.KILLED) for s in sentences)
    for s in sentences:
        decided = decide(s.text, not deadly, mode)
        killed, injured, kidnapped = decided[Outcome.KILLED], decided[Outcome.INJURED], decided[Outcome.KIDNAPPED]
        if killed is None and injured is None and kidnapped is None:
            continue
        said = attribution_in(s, attributions)
        if said is None and any(_same_figures(c, killed, injured, kidnapped) for c in found):
            continue  # the same figure again, unattributed: a repeat of the earlier claim
        quote = s.text
        if said is not None and said.head_start < s.start and s.end - said.head_start <= MAX_QUOTE:
            quote = text[said.head_start : s.end]
        source = said.head if said is not None and said.head in quote else None
        found.append(
            RawCasualty(quote=quote[:MAX_QUOTE], killed=killed, injured=injured, kidnapped=kidnapped, source=source)
        )
        if len(found) == limit:
            break
    return found


MAX_QUOTE = 400


def attribution_in(sentence: Sentence, attributions: list[Mention]) -> Mention | None:
    """The first attribution inside the sentence, or None."""
    return next((a for a in attributions if sentence.start <= a.start < sentence.end and a.head), None)


def _same_figures(claim: RawCasualty, killed: str | None, injured: str | None, kidnapped: str | None) -> bool:
    return all(
        parse_count(old) == parse_count(new)
        for old, new in ((claim.killed, killed), (claim.injured, injured), (claim.kidnapped, kidnapped))
    )
