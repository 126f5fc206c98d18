"""Casualty roles: the hand patterns, the learned figure-role model and the switch between them."""

from __future__ import annotations

import pytest

from summarizer.config import load_settings
from summarizer.extract.mentions import attribution, figures
from summarizer.extract.mentions.sentences import split_sentences
from summarizer.extract.roles import casualties, figure_model
from summarizer.extract.roles.casualties import FigureRoles, Outcome


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("7 people were killed and 15 wounded in the blast.", "7 people", "15"),
        ("Twelve people were wounded and three killed.", "three", "Twelve people"),
        ("Ambulances carried 21 bodies from the scene.", "21 bodies", None),
        ("The morgue received 46 bodies.", "46 bodies", None),
        ("A man, 35, was killed.", "A man", None),
    ],
)
def test_a_figure_is_not_read_across_another_number(sentence: str, killed: str | None, injured: str | None) -> None:
    decided = casualties.decide(sentence, True, FigureRoles.RULES)
    assert (decided[Outcome.KILLED], decided[Outcome.INJURED]) == (killed, injured)


def test_kidnapped_figures_are_kept_apart() -> None:
    decided = casualties.decide("Gunmen kidnapped 14 passengers and killed two guards.", True, FigureRoles.BOTH)
    assert decided[Outcome.KIDNAPPED] == "14"
    assert decided[Outcome.KILLED] == "two"
    assert decided[Outcome.INJURED] is None


def test_claim_sources_come_from_attributions_and_never_from_we() -> None:
    text = 'The blast killed 12 people, police said. "We have confirmed 30 wounded," a nurse said.\nWe have 5 dead.'
    found = casualties.claims(split_sentences(text), attribution.find(text), text, mode=FigureRoles.RULES)
    assert [(c.killed, c.injured, c.source) for c in found] == [
        ("12", None, "police"),
        (None, "30", "a nurse"),
        ("5", None, None),
    ]


def test_the_learned_model_gives_probabilities_and_reads_the_injured() -> None:
    sentence = "A bomb killed 12 people and wounded 30 others in the market."
    model = figure_model.model()
    for m in figures.find(sentence):
        probs = model.probabilities(figure_model.features(m, sentence, 0, frozenset()))
        assert set(probs) == set(figure_model.LABELS)
        assert abs(sum(probs.values()) - 1) < 1e-9
    decided = casualties.decide(sentence, True, FigureRoles.LEARNED)
    assert decided[Outcome.INJURED] == "30 others"
    assert decided[Outcome.KILLED] != "30 others"


def test_modes_differ_only_where_the_model_decides() -> None:
    sentence = "Seven people were killed and 15 wounded."
    rules = casualties.decide(sentence, True, FigureRoles.RULES)
    both = casualties.decide(sentence, True, FigureRoles.BOTH)
    assert rules[Outcome.INJURED] == both[Outcome.INJURED] == "15"


def test_settings_switch() -> None:
    assert load_settings(backend="rules").figure_roles == "wire"
    assert load_settings(backend="rules", figure_roles="rules").figure_roles == "rules"


def test_fill_keeps_the_patterns_figure_and_lets_the_model_add_only_where_they_found_none() -> None:
    # "both" takes the model's "a description" over the patterns' "died"; "fill" never overrides
    overridden = "The boy gave police a description of the suspect, but his mother died on the way to a hospital."
    assert casualties.decide(overridden, True, FigureRoles.RULES)[Outcome.KILLED] == "died"
    assert casualties.decide(overridden, True, FigureRoles.BOTH)[Outcome.KILLED] != "died"
    assert casualties.decide(overridden, True, FigureRoles.FILL)[Outcome.KILLED] == "died"
    missed = "A man was shot in the leg on Main Street Tuesday night."
    assert casualties.decide(missed, False, FigureRoles.RULES)[Outcome.INJURED] is None
    assert casualties.decide(missed, False, FigureRoles.FILL)[Outcome.INJURED] == "A man"


def test_fill_is_a_setting() -> None:
    assert load_settings(backend="rules", figure_roles="fill").figure_roles == "fill"


def test_wire_is_fill_on_all_caps_copy_and_the_patterns_on_news() -> None:
    story = "Two people were killed in the attack.\nA teenager was shot Sunday, police said."
    for text, expected in ((story, FigureRoles.RULES), (story.upper(), FigureRoles.FILL)):
        sentences, said = split_sentences(text), attribution.find(text)
        wire = casualties.claims(sentences, said, text, mode=FigureRoles.WIRE)
        assert wire == casualties.claims(sentences, said, text, mode=expected)
    news = casualties.claims(split_sentences(story), attribution.find(story), story, mode=FigureRoles.WIRE)
    filled = casualties.claims(split_sentences(story), attribution.find(story), story, mode=FigureRoles.FILL)
    assert [c.killed for c in filled] == ["Two people", "A teenager"]  # the model's reading of "was shot"
    assert [c.killed for c in news] == ["Two people"]  # on news the patterns decide
