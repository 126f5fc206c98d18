"""Ablation switches come from settings (`without`), never from patched modules."""

from __future__ import annotations

from typing import get_args

import pytest

from summarizer import load_settings
from summarizer.config import RulesPart
from summarizer.errors import ConfigError
from summarizer.extract import rules
from summarizer.extract.switches import PARTS, Switches

CLAIM = (
    "A car bomb exploded at a market in Mogadishu on Saturday, killing 12 people, police said. "
    "Al Shabaab claimed responsibility for the attack."
)


def test_settings_parts_are_the_switches() -> None:
    assert set(get_args(RulesPart)) == set(PARTS)


def test_without_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_WITHOUT", "learned, ranker")
    settings = load_settings(backend="rules")
    assert settings.without == ("learned", "ranker")
    switches = Switches.without(settings.without)
    assert not switches.learned and not switches.ranker and switches.gate


def test_unknown_part_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        load_settings(without="gates")


def test_claims_switch_changes_the_perpetrators() -> None:
    def perpetrators(switches: Switches) -> list[tuple[str, bool]]:
        event = rules.extract(CLAIM, "2024-02-03", switches).events[0]
        return [(a.name, a.claimed) for a in event.actors if a.role == "perpetrator"]

    assert ("Al Shabaab", True) in perpetrators(Switches())
    assert ("Al Shabaab", True) not in perpetrators(Switches.without(["claims"]))


def test_gate_switch_reads_what_the_gate_turns_away() -> None:
    text = (
        "THE DEFENSE MINISTER TODAY SAID THE ARMED FORCES WILL KEEP UP THE FIGHT. HE SAID THAT THE ARMY "
        "KILLED 12 GUERRILLAS IN CLASHES IN MORAZAN DEPARTMENT LAST WEEK AND THAT THE PEACE TALKS HAVE FAILED."
    )
    assert rules.extract(text, None).events == []
    assert rules.extract(text, None, Switches.without(["gate"])).events != []
