"""Render the Jinja templates in `prompts/` into chat messages, with a versioned prompt id.

A template sets `version`, `system` and `user`, and optionally a worked example as an earlier turn
(`example_user`, `example_answer`); the article goes in the last user message inside <article>
delimiters. Rendering uses StrictUndefined so a missing variable is an error, not a blank.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from summarizer.schema import PromptInfo

PROMPTS = "summarizer.prompts"
"""The templates' package: the top-level `prompts/` of the repository, installed into the package."""

if TYPE_CHECKING:
    import jinja2


@dataclass(frozen=True)
class RenderedPrompt:
    messages: list[dict[str, str]]
    info: PromptInfo
    example: str | None = None
    """The worked example's answer, when the template has one: values copied from it are no extraction."""


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2  # only runs that ask a model render prompts; the rules path never pays for it

    root = resources.files(PROMPTS)
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (root / name).read_text(encoding="utf-8")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text prompts, not HTML
        keep_trailing_newline=False,
    )


def template_names() -> list[str]:
    root = resources.files(PROMPTS)
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".j2") and not p.name.startswith("_"))


@lru_cache(maxsize=64)
def _source_hash(name: str) -> str:
    """Hash of the template and the partials it includes, so editing either changes the id."""
    root = resources.files(PROMPTS)
    digest = hashlib.sha256()
    for part in sorted(p.name for p in root.iterdir() if p.name.endswith(".j2")):
        if part == name or part.startswith("_"):
            digest.update((root / part).read_bytes())
    return digest.hexdigest()[:12]


def render(name: str, **context: Any) -> RenderedPrompt:
    """Messages for template `name` (without `.j2`) and its id `name@sha256[:12]`."""
    template = _environment().get_template(f"{name}.j2")
    module = template.make_module(context)
    parts = vars(module)  # the template's top-level {% set %} values
    system, user = str(parts["system"]).strip(), str(parts["user"]).strip()
    info = PromptInfo(name=name, version=str(parts["version"]), hash=f"{name}@{_source_hash(name + '.j2')}")
    messages = [{"role": "system", "content": system}]
    example = str(parts["example_answer"]).strip() if "example_answer" in parts else None
    if example is not None:  # an earlier turn of its own, so the article's message holds the article alone
        messages += [{"role": "user", "content": str(parts["example_user"]).strip()},
                     {"role": "assistant", "content": example}]  # fmt: skip
    messages.append({"role": "user", "content": user})
    return RenderedPrompt(messages=messages, info=info, example=example)
