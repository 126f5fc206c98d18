"""Grounding meets real answers halfway: answers that imitate what models do to copied words (combined
places, ISO dates, paraphrased quotes, skipped keys), replayed from the fake server, come out with the same
fields as their exact-copy versions. The exact answers are the rules extractor's, so this runs anywhere."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import pytest

from summarizer import summarize
from summarizer.config import Settings
from summarizer.errors import DatasetError
from summarizer.extract import rules
from summarizer.extract.normalize import parse_published, resolve_date
from summarizer.pipeline import prepare
from summarizer.schema import Summary
from tests.conftest import SEED
from tests.fake_openai import FakeOpenAI


def _articles() -> list[tuple[str, str | None]]:
    from summarizer.eval.datasets import load_dataset

    found: list[tuple[str, str | None]] = [(SEED.read_text(encoding="utf-8"), "2024-02-08")]
    with contextlib.suppress(DatasetError, OSError):  # the GVDB files are not in every checkout
        found += [(a.text, a.published) for a in load_dataset("gvdb-dev", limit=20)]
    return found


def _paraphrase(quote: str) -> str:
    words = quote.split()
    return "Reports said " + " ".join(w for i, w in enumerate(words) if i % 3 != 1) if len(words) > 4 else quote


def _habits(event: dict[str, Any], published: str | None) -> dict[str, Any]:
    """What models do: join place names, normalize dates, paraphrase quotes, skip null keys."""
    out = dict(event)
    for key in ("admin1", "country"):
        if out.get("place") and out.get(key):
            out["place"], out[key] = f"{out['place']}, {out[key]}", None
            break
    resolved = resolve_date(out.get("date_phrase"), parse_published(published))
    if resolved and resolved.date and resolved.precision == "day":
        out["date_phrase"] = resolved.date
    out["quote"] = _paraphrase(out.get("quote") or "")
    out["casualties"] = [
        {k: v for k, v in ({**c, "quote": _paraphrase(c["quote"])}).items() if v is not None}
        for c in out.get("casualties", [])
    ]
    return {k: v for k, v in out.items() if v not in (None, [])}


def _fields(summary: Summary) -> list[tuple[object, ...]]:
    return [
        (e.primary, e.where.place, e.where.admin1, e.where.country_code, e.when.date,
         sorted((c.killed.best if c.killed else -1, c.injured.best if c.injured else -1) for c in e.casualties),
         sorted(a.name for a in e.who))
        for e in summary.events
    ]  # fmt: skip


def _replay(answers: dict[str, str], text: str, published: str | None) -> Summary:
    with FakeOpenAI() as srv:
        srv.responder = lambda request: next(v for k, v in answers.items() if k in request["messages"][-1]["content"])
        settings = Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False)
        return summarize(text, published=published, settings=settings)


@pytest.mark.parametrize("index", range(21))
def test_habits_of_real_models_come_out_like_exact_copies(index: int) -> None:
    articles = _articles()
    if index >= len(articles):
        pytest.skip("GVDB dev data not available")
    text, published = articles[index]
    doc = prepare(text, published)
    exact = rules.extract(doc.masked, doc.meta.published).model_dump(mode="json")
    key = re.sub(r"\s+", " ", doc.masked.strip())[:60]
    sloppy = {"events": [_habits(e, doc.meta.published) for e in exact["events"]]}
    first = _replay({"": json.dumps(exact)}, text, published)
    second = _replay({"": json.dumps(sloppy)}, text, published)
    assert key and _fields(second) == _fields(first)
