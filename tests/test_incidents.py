"""Incident segmentation on short hand-written wire messages: several incidents per message, a new
incident for a new town, a new "IN ADDITION" report or a paragraph reporting another kind of incident,
background incidents kept apart, and news prose that names one incident two ways left whole."""

from __future__ import annotations

from datetime import datetime

from summarizer.extract import rules
from summarizer.extract.mentions.dates import blank_dateline
from summarizer.extract.mentions.sentences import split_sentences
from summarizer.extract.roles import incidents

TWO_TOWNS = """SAN SALVADOR, 12 JAN 90 (AFP) -- [TEXT] URBAN GUERRILLAS TODAY BOMBED A POWER
STATION IN SOYAPANGO, KILLING TWO WATCHMEN, POLICE SOURCES REPORTED.

   A PEASANT WAS KILLED BY A BOMB TODAY IN USULUTAN, WHERE ANOTHER BOMB EXPLODED
NEAR THE CATHEDRAL, THE SAME SOURCES SAID.
"""

IN_ADDITION = """SAN SALVADOR, 14 MAR 89 (CANAL DOCE TELEVISION) -- [TEXT] FMLN URBAN COMMANDOS
DESTROYED A TRUCK WITH A DYNAMITE CHARGE TODAY ON THE MAIN ROAD OF THE CITY.
THE EXPLOSION CAUSED NO CASUALTIES.

   IN ADDITION, TWO PARAMILITARY MEN WERE MURDERED BY FMLN UNITS EARLY THIS
MORNING IN THE NORTHERN END OF THE CITY.
"""

NEW_KIND = """LIMA, 25 JAN 89 (EFE) -- [TEXT] SHINING PATH TERRORISTS TODAY BOMBED THE OFFICES
OF THE AGRARIAN BANK IN THE TOWN, CAUSING HEAVY DAMAGE BUT NO CASUALTIES.

   SHINING PATH TERRORISTS ALSO KIDNAPPED THE MAYOR OF THE TOWN AND TWO
COUNCILMEN, POLICE SAID.
"""

BACKGROUND = """BOGOTA, 9 FEB 90 (EFE) -- [TEXT] DRUG TRAFFICKERS TODAY KILLED THREE POLICEMEN
WITH A CAR BOMB IN MEDELLIN, POLICE REPORTED.

   LAST OCTOBER A BOMB AT THE NEWSPAPER EL ESPECTADOR KILLED ONE PERSON AND
INJURED 73 OTHERS.
"""

SIDE_CLASH = """SAN SALVADOR, 20 MAR 89 (RADIO VENCEREMOS) -- [TEXT] FMLN GUERRILLAS TODAY
KIDNAPPED THE MAYOR OF SAN MIGUEL AND TWO OF HIS BODYGUARDS, THE MAYOR'S FAMILY REPORTED.

   MEANWHILE, THE ARMED FORCES REPORTED CLASHES WITH THE REBELS IN
CHALATENANGO, WHERE TWO SOLDIERS WERE KILLED.
"""

PROSE = """An air strike on Wednesday hit a car in Baghdad, killing a commander of the militia.

A commander told reporters that three people were killed in the explosion.
"""


def _segment(text: str, wire: bool = True) -> list[incidents.Draft]:
    return incidents.segment(split_sentences(text), datetime(1990, 1, 12), blank_dateline(text), wire)


def test_same_day_incidents_in_two_towns_are_two_events() -> None:
    events = rules.extract(TWO_TOWNS, "1990-01-12").events
    assert [e.place for e in events] == ["SOYAPANGO", "USULUTAN"]
    assert events[0].primary and not events[1].primary


def test_in_addition_opens_another_incident_in_the_same_town_on_the_same_day() -> None:
    drafts = _segment(IN_ADDITION)
    assert len(drafts) == 2
    assert drafts[1].sentences[0].text.startswith("IN ADDITION, TWO PARAMILITARY MEN")
    assert len(rules.extract(IN_ADDITION, "1989-03-14").events) == 2


def test_a_wire_paragraph_reporting_another_kind_of_incident_opens_one() -> None:
    drafts = _segment(NEW_KIND)
    assert [d.kind for d in drafts] == ["bombing", "kidnapping"]
    kinds = [e.event_type for e in rules.extract(NEW_KIND, "1989-01-25").events]
    assert kinds == ["bombing", "kidnapping"]


def test_news_prose_naming_one_incident_two_ways_stays_one_incident() -> None:
    assert len(_segment(PROSE, wire=False)) == 1
    assert len(_segment(PROSE.upper(), wire=True)) == 2  # the same words as wire copy: the rule is wire-only


def test_a_background_incident_is_kept_apart_and_never_primary() -> None:
    events = rules.extract(BACKGROUND, "1990-02-09").events
    assert len(events) == 2
    assert events[0].primary and "THREE POLICEMEN" in events[0].quote
    assert "LAST OCTOBER" in events[1].quote and not events[1].primary


def test_a_secondary_clash_in_wire_copy_is_left_out() -> None:
    assert len(_segment(SIDE_CLASH)) == 2  # segmentation sees two incidents
    events = rules.extract(SIDE_CLASH, "1989-03-20").events
    assert [e.event_type for e in events] == ["kidnapping"]


def test_a_secondary_clash_in_news_prose_is_kept() -> None:
    assert not incidents.side_kind_dropped("armed_clash", wire=False)
    assert incidents.side_kind_dropped("armed_clash", wire=True)
    assert not incidents.side_kind_dropped("bombing", wire=True)


def test_openers_are_read_at_the_start_of_a_sentence_only() -> None:
    assert incidents.opens_incident("IN ADDITION, A BUS WAS BURNED.")
    assert incidents.opens_incident("Meanwhile, gunmen shot two guards.")
    assert not incidents.opens_incident("Police said that in addition two guards were shot.")
    assert not incidents.opens_incident("Finalists were shot at.")


def test_wire_verb_forms_are_violence_cues() -> None:
    for sentence in ("TERRORISTS BOMBED A BANK.", "A CHARGE EXPLODED NEAR THE CHURCH.", "REBELS BURNED A BUS."):
        assert incidents.VIOLENCE.search(sentence), sentence
    assert incidents.event_type("URBAN COMMANDOS BOMBED TWO POWER STATIONS.") == "bombing"
