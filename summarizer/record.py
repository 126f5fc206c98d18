"""The run record: what one summarize call spent and decided, filled in as the work goes.

Extractors, the model-calling layer and the pipeline all write to the same record; the pipeline turns
it into the `RunInfo` of the summary. One record per article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.schema import FIELD_GROUPS, FieldGroup, FieldSource, PromptInfo, Rejection, Usage


@dataclass
class RunRecord:
    usage: Usage = field(default_factory=Usage)
    prompts: list[PromptInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    field_sources: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FIELD_GROUPS, "rules"))
    """Field group (`FIELD_GROUPS`) → "rules" or "model"."""
    rejections: list[Rejection] = field(default_factory=list)
    """Values an extractor dropped before grounding (e.g. a copy of the prompt's worked example)."""

    def add_prompt(self, info: PromptInfo) -> None:
        if info not in self.prompts:
            self.prompts.append(info)

    def filled_by(self, source: FieldSource, *groups: FieldGroup) -> None:
        for group in groups or FIELD_GROUPS:
            self.field_sources[group] = source
