"""Token prices for cost estimates, in US dollars per million tokens.

The defaults are list prices at the time of writing and drift; override them with a TOML or JSON file
(`--prices FILE`, or `SUMMARIZER_PRICES` holding a path or inline JSON) shaped like

    [gpt-4o-mini]
    input = 0.15
    output = 0.60

Local and rules runs cost nothing; the OpenAI Batch API bills half the live price.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import NamedTuple

from summarizer.errors import ConfigError


class Price(NamedTuple):
    input: float
    output: float


DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
}
BATCH_DISCOUNT = 0.5
FREE_BACKENDS = ("local", "rules")


def load_prices(path: str | None = None) -> dict[str, Price]:
    """Defaults, overridden by a price file (`path`, else `SUMMARIZER_PRICES`)."""
    source = path or os.environ.get("SUMMARIZER_PRICES")
    prices = dict(DEFAULT_PRICES)
    if source:
        prices.update(_parse(source))
    return prices


def _parse(source: str) -> dict[str, Price]:
    try:
        if source.lstrip().startswith("{"):
            raw = json.loads(source)
        else:
            text = Path(source).read_text(encoding="utf-8")
            raw = json.loads(text) if source.endswith(".json") else tomllib.loads(text)
        return {str(model): Price(float(p["input"]), float(p["output"])) for model, p in raw.items()}
    except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"cannot read prices from {source[:80]}: {exc}; expected {{model: {{input: $/1M, output: $/1M}}}}"
        ) from exc


def cost_usd(
    prices: dict[str, Price],
    backend: str,
    model: str,
    prompt_tokens: int,
    completion_tokens: int,
    batch_api: bool = False,
) -> float | None:
    """Estimated cost; None when the model has no known price."""
    if backend in FREE_BACKENDS:
        return 0.0
    price = prices.get(model)
    if price is None:
        return None
    cost = (prompt_tokens * price.input + completion_tokens * price.output) / 1_000_000
    return cost * BATCH_DISCOUNT if batch_api else cost
