"""Ablation switches come from settings (`without`), never from patched modules."""

from __future__ import annotations

from typing import get_args

import pytest

from summarizer import load_settings
from summarizer.config import RulesPart
from summarizer.errors import ConfigError
from summarizer.extract import rules
from summarizer.extract.base import RulesExtractor
from summarizer.extract.hybrid import HybridExtractor
from summarizer.extract.select import SelectExtractor
from summarizer.extract.switches import PARTS, Switches
from summarizer.pipeline import prepare
from summarizer.record import RunRecord

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


@pytest.mark.parametrize("strategy", ["hybrid", "select"])
def test_the_model_strategies_draft_with_the_rules_runs_switches(strategy: str) -> None:
    """hybrid and select refine the rules' draft: the same switches and figure roles as a rules run."""
    settings = load_settings(backend="openai", strategy=strategy, without="claims", figure_roles="rules")
    extractor = (HybridExtractor(settings, lambda: None, ("what",)) if strategy == "hybrid"  # type: ignore[arg-type,return-value]
                 else SelectExtractor(settings, lambda: None))  # type: ignore[arg-type,return-value]  # fmt: skip
    doc = prepare(CLAIM)
    draft, primary = extractor._rules_draft(doc, RunRecord())
    assert draft == RulesExtractor.for_settings(settings).draft(doc)
    assert primary is not None and not any(a.claimed for a in primary.actors)  # claims switched off
    assert draft != rules.extract(doc.masked, None)  # the defaults would mark Al Shabaab as claimed
