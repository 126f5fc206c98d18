"""Token prices for cost estimates, in US dollars per million tokens.

The defaults are list prices at the time of writing and drift; override them with a TOML or JSON file
(`--prices FILE`, or `SUMMARIZER_PRICES` holding a path or inline JSON) shaped like

    [gpt-4o-mini]
    input = 0.15
    output = 0.60

Local and rules runs cost nothing; the OpenAI Batch API bills half the live price. `quote` says which
price an estimate used and whether it is a guess: a server at a custom `--base-url` is priced only from a
price file the user gave, since list prices are OpenAI's.
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
OPENAI_HOSTS = ("api.openai.com",)


class Quote(NamedTuple):
    """The price an estimate uses (None: unknown) and a sentence saying where it comes from."""

    price: Price | None
    note: str


def quote(backend: str, model: str, base_url: str | None = None, path: str | None = None) -> Quote:
    """Which price applies to `model` on `backend`, and how sure that is."""
    if backend in FREE_BACKENDS:
        where = "in-process rules" if backend == "rules" else "a model on this machine"
        return Quote(Price(0.0, 0.0), f"$0: the {backend} backend runs {where}; no tokens are billed")
    given = _given(path)
    custom = base_url is not None and not any(host in base_url for host in OPENAI_HOSTS)
    if model in given:
        mine = given[model]
        return Quote(mine, f"priced as {model} from your price file (${mine.input}/${mine.output} per 1M in/out)")
    if custom:
        return Quote(None, f"cost unknown: {base_url} is not OpenAI's API, so list prices do not apply; "
                           f"give a price for {model!r} with --prices")  # fmt: skip
    listed = DEFAULT_PRICES.get(model)
    if listed is None:
        return Quote(None, f"cost unknown: no price for model {model!r}; give one with --prices")
    p = listed
    return Quote(p, f"priced as {model} at OpenAI list prices (${p.input}/${p.output} per 1M in/out), "
                    "which drift: a guess; override with --prices")  # fmt: skip


def _given(path: str | None) -> dict[str, Price]:
    source = path or os.environ.get("SUMMARIZER_PRICES")
    return _parse(source) if source else {}


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
