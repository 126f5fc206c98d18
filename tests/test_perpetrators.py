"""The perpetrator ranker (extract/perpetrators.py): plain-Python scoring of the shipped weights."""

from summarizer.extract import perpetrators
from summarizer.extract.roles import actors


def test_ranker_picks_the_group_that_claimed_the_attack() -> None:
    sentences = [
        "SAN SALVADOR, 12 JAN 90 -- URBAN TERRORISTS OF THE FMLN BOMBED AN ELECTRIC POWER STATION.",
        "THE FMLN CLAIMED RESPONSIBILITY FOR THE ATTACK.",
    ]
    names = [name.lower() for name, _ in perpetrators.rank(sentences)]
    assert "fmln" in names


def test_ranker_is_only_used_on_all_caps_copy() -> None:
    mixed = ["Gunmen opened fire on a bus in the city on Monday.", "Police said the gunmen fled."]
    assert actors.ranked_perpetrators(mixed) is None
    loud = [s.upper() for s in mixed]
    assert actors.ranked_perpetrators(loud) is not None


def test_mention_features_are_case_folded() -> None:
    low = perpetrators.mention_features("attacked by the fmln today", 16, 20, 0, 1)
    high = perpetrators.mention_features("ATTACKED BY THE FMLN TODAY", 16, 20, 0, 1)
    assert low == high
    assert "p=fmln" in low and "b1=the" in low and "a1=today" in low
