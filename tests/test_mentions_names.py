"""Name mentions on hand-written sentences: mixed case and all-caps wire copy."""

from __future__ import annotations

import pytest

from summarizer.extract.mentions import MentionKind, names


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.head) for m in names.find(text)]


def test_titles_are_left_out_of_a_persons_name() -> None:
    text = "Police Capt. John Smith said the gunman, Antwan Green, shot two people."
    assert found(text) == [("John Smith", "person"), ("Antwan Green", "person")]


def test_groups_and_organizations_by_their_words() -> None:
    text = (
        "The US Central Command (CENTCOM) said its forces killed a commander of the pro-Iran Kataib Hezbollah "
        "militia and members of the Farabundo Marti National Liberation Front."
    )
    assert found(text) == [
        ("US Central Command", "organization"),
        ("CENTCOM", "organization"),
        ("Kataib Hezbollah", "group"),
        ("Farabundo Marti National Liberation Front", "group"),
    ]


def test_one_word_groups_come_from_the_list() -> None:
    text = "Zabihullah Mujahid, the Taliban spokesman, said al Shabaab had lost."
    assert found(text) == [("Zabihullah Mujahid", "person"), ("Taliban", "group"), ("al Shabaab", "group")]


def test_all_caps_wire_copy_is_read_softened() -> None:
    text = (
        "PRESIDENT ALFREDO CRISTIANI SAID THAT HECTOR OQUELI WAS KILLED BY THE FMLN IN THE CAPITAL "
        "AND THAT THE ARMY WILL INVESTIGATE."
    )
    assert found(text) == [("ALFREDO CRISTIANI", "person"), ("HECTOR OQUELI", "person"), ("FMLN", "group")]


def test_places_days_and_sentence_words_are_not_names() -> None:
    assert found("On Monday, gunmen in Baghdad shot a man. The New York police said nothing.") == []


@pytest.mark.parametrize(
    "text",
    ["Police Capt. John Smith said.", "THE FMLN HAS CLAIMED IT.", "Kataib Hezbollah’s commander"],
)
def test_every_mention_is_grounded(text: str) -> None:
    for m in names.find(text):
        assert m.kind is MentionKind.NAME
        assert text[m.start : m.end] == m.text


def test_possessive_is_not_part_of_the_name() -> None:
    assert found("Kataib Hezbollah’s commander was killed.") == [("Kataib Hezbollah", "group")]
