"""GVDB conversion on a hand-written TSV, the named datasets, and (when present) the real dev split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import DatasetError
from summarizer.eval.datasets import (
    REPO_ROOT,
    convert_gvdb,
    load_dataset,
    read_sample,
    repair_span,
    url_date,
    us_state,
)
from summarizer.eval.gold import read_gold

HEADER = "Article id\tArticle url\tArticle title\tFull text\tJson\tWorker\n"
DEV_TSV = REPO_ROOT.parent / "shared" / "data" / "gvdb" / "dev.tsv"


def span(text: str, value: str, start: int | None = None) -> dict[str, Any]:
    if not value:
        return {"startIndex": -1, "endIndex": -1, "value": ""}
    start = text.index(value) if start is None else start
    return {"startIndex": start, "endIndex": start + len(value), "value": value}


def person(text: str, name: str, outcome: list[str] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": span(text, name), "age": span(text, ""), "gender": ""}
    if outcome is not None:
        entry["victim-was"] = outcome
    return entry


def row(rid: str, url: str, title: str, body: str, labels: dict[str, Any]) -> str:
    return "\t".join([rid, url, title, title + body, json.dumps(labels), "W1"]) + "\n"


def labels(text: str, city: dict[str, Any], state: str, victims: list[Any], shooters: list[Any]) -> dict[str, Any]:
    return {
        "circumstances": {},
        "date-and-time": {"city": city, "state": state, "date": "2015-8-3", "details": span(text, "")},
        "victim-section": victims,
        "shooter-section": shooters,
    }


@pytest.fixture
def tsv(tmp_path: Path) -> Path:
    title1, body1 = (
        "Man killed « CBS",
        "AURORA, Colo. – Cyril Kim was shot dead and Ann Lee hurt. Phi Pham held.",
    )
    t1 = title1 + body1
    victims = [person(t1, "Cyril Kim", ["killed", "hospitalized"]), person(t1, "Ann Lee", ["injured"])]
    victims.append(person(t1, "", ["hospitalized"]))
    victims.append(person(t1, "", []))
    row1 = row(
        "7",
        "http://x.com/2015/08/04/man-killed/",
        title1,
        body1,
        labels(t1, span(t1, "AURORA, "), "CO - Colorado", victims, [person(t1, "Phi Pham")]),
    )
    title2, body2 = "Shooting", "CHICAGO – A teen&#39;s friend was shot in Austin."
    t2 = title2 + body2
    # The annotation tool put a "publication date" line before the text: the start offset is negative.
    city2 = {
        "startIndex": -28,
        "endIndex": len(title2) + 7,
        "value": "publication date: 1/2/2016\nShootingCHICAGO",
    }
    row2 = row("12", "http://y.com/news/no-date", title2, body2, labels(t2, city2, "Unclear", [], []))
    path = tmp_path / "mini.tsv"
    path.write_text(HEADER + row1 + row2, encoding="utf-8")
    return path


def test_convert_counts_names_and_places(tsv: Path) -> None:
    first, _ = convert_gvdb(tsv)
    event = first.events[0]
    assert event.primary and event.what.type == "shooting" and not first.all_events
    assert first.published == "2015-08-04" and event.when.date == "2015-08-03"
    assert [(a.name, a.role, a.kind) for a in event.who] == [
        ("Phi Pham", "perpetrator", "person"),
        ("Cyril Kim", "victim", "person"),
        ("Ann Lee", "victim", "person"),
    ]
    claim = event.casualties[0]
    assert claim.killed and claim.killed.best == 1  # ["killed", "hospitalized"] is killed, not injured
    assert claim.injured and claim.injured.best == 2  # injured + hospitalized-only; [] counts in neither
    where = event.where
    assert (where.place, where.admin1, where.country_code) == ("AURORA,", "Colorado", "US")
    for value in [where, *event.who]:
        for evidence in value.evidence:
            assert first.text[evidence.start : evidence.end] == evidence.quote


def test_negative_offset_and_html_entities(tsv: Path) -> None:
    article = convert_gvdb(tsv)[1]
    assert "&#39;" not in article.text and "teen's" in article.text
    where = article.events[0].where
    assert where.place == "CHICAGO" and where.evidence[0].quote == "CHICAGO"
    assert (where.admin1, where.country_code) == (None, None)
    assert article.published is None and article.events[0].casualties == []


def test_repair_span_trims_and_rejects() -> None:
    text = "TitleBody Chicago here"
    assert repair_span(text, {"startIndex": 10, "endIndex": 18, "value": "Chicago "}).evidence.end == 17  # type: ignore[union-attr]
    bad = repair_span(text, {"startIndex": 0, "endIndex": 3, "value": "Nope"})
    assert bad is not None and bad.value == "Nope" and bad.evidence is None
    assert repair_span(text, {"startIndex": -1, "endIndex": -1, "value": ""}) is None


def test_small_parsers() -> None:
    assert url_date("http://a.com/2016/jan/26/x/") == "2016-01-26"
    assert url_date("http://a.com/x-20160223-story.html") == "2016-02-23"
    assert url_date("http://a.com/2015/13/40/x") is None
    assert us_state("Calif") == "California" and us_state("Wis.") == "Wisconsin" and us_state("SC")
    assert us_state("Outside the USA") is None and us_state("") is None


def test_bad_tsv_is_a_dataset_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="not a GVDB TSV"):
        convert_gvdb(bad)
    broken = tmp_path / "broken.tsv"
    broken.write_text(HEADER + "1\tu\tt\ttext\t{not json\tW\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="line 2"):
        convert_gvdb(broken)


def test_seed_dataset_evidence_is_exact() -> None:
    (seed,) = load_dataset("seed")
    assert len(seed.events) == 4 and seed.events[0].primary and seed.published == "2024-02-08"
    for event in seed.events:
        for value in [event.what, *event.who, event.where, event.when, *event.casualties]:
            for evidence in value.evidence:
                assert seed.text[evidence.start : evidence.end] == evidence.quote


def test_load_dataset_paths_and_errors(tsv: Path, tmp_path: Path) -> None:
    assert len(load_dataset(str(tsv), limit=1)) == 1
    with pytest.raises(DatasetError, match="unknown dataset"):
        load_dataset("nope")
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "x", "text": "t"}\n{"id": "y", "text": "t", "evnts": []}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="line 2"):
        read_gold(gold)


def test_gvdb_dir_override(tsv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_GVDB_DIR", str(tsv.parent))  # no dev.tsv there
    with pytest.raises(DatasetError, match="SUMMARIZER_GVDB_DIR"):
        load_dataset("gvdb-dev")


@pytest.mark.skipif(not DEV_TSV.exists(), reason="GVDB dev.tsv not available")
def test_real_dev_split_converts_and_sample_ids_exist() -> None:
    articles = convert_gvdb(DEV_TSV)
    assert len(articles) == 400
    ids = {a.id for a in articles}
    sample = read_sample()
    assert len(sample) >= 200 and len(set(sample)) == len(sample) and set(sample) <= ids
    for article in articles:
        for value in [article.events[0].where, *article.events[0].who]:
            for evidence in value.evidence:
                assert article.text[evidence.start : evidence.end] == evidence.quote
