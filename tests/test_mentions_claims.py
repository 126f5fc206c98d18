"""Claims of responsibility on hand-written sentences."""

from __future__ import annotations

from summarizer.extract.mentions import MentionKind, claims


def claimants(text: str) -> list[str]:
    return [m.head for m in claims.find(text)]


def test_active_claim_names_its_claimant() -> None:
    assert claimants("Al Shabaab claimed responsibility for the attack, a spokesman said.") == ["Al Shabaab"]


def test_all_caps_claim_with_auxiliary() -> None:
    assert claimants("THE FMLN HAS CLAIMED RESPONSIBILITY FOR THE ATTACK.") == ["FMLN"]


def test_passive_claim_takes_the_words_after_by() -> None:
    assert claimants("Responsibility for the bombing was claimed by the Islamic State group on Friday.") == [
        "Islamic State group"
    ]


def test_relative_clause_gives_the_phrase_before_it() -> None:
    text = (
        "THE CINCHONERO POPULAR LIBERATION MOVEMENT, WHICH ON 25 JANUARY CLAIMED RESPONSIBILITY FOR KILLING "
        "GENERAL GUSTAVO ALVAREZ, CLAIMED RESPONSIBILITY TODAY FOR A BOMB."
    )
    assert claimants(text) == ["CINCHONERO POPULAR LIBERATION MOVEMENT"]


def test_claimed_the_attack() -> None:
    assert claimants("The Taliban claimed the attack on Monday.") == ["Taliban"]


def test_denials_are_not_claims() -> None:
    text = "No group has claimed responsibility. NOBODY HAD CLAIMED CREDIT FOR THAT ATTACK. Police said nothing."
    assert claimants(text) == []


def test_a_clause_before_the_verb_is_no_claimant() -> None:
    text = "A LEFTIST GROUP, WHICH CLAIMED RESPONSIBILITY FOR AN ATTACK ON A U.S. CONVOY LAST WEEK CLAIMED IT."
    assert claimants(text) == ["LEFTIST GROUP"]


def test_claims_are_grounded() -> None:
    text = "Residents said al-Shabaab later claimed responsibility."
    (m,) = claims.find(text)
    assert m.kind is MentionKind.CLAIM
    assert text[m.start : m.end] == m.text
    assert text[m.head_start : m.head_start + len(m.head)] == m.head == "al-Shabaab"
