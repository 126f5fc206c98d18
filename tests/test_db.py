"""The events database (issue 21): `batch --db`, `db import`, `db serve` (Datasette's in-process client),
`db export --format acled` and `eval run --db`.

The 1,200-article run (GVDB dev articles repeated, four of them empty, rules backend) is made once per
module and shared; the kill -9 test is marked slow (`pytest -m slow`)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from summarizer.batch import BatchOptions, run_batch
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.db import ACLED_COLUMNS
from summarizer.eval.datasets import load_dataset
from tests.conftest import ROOT, require_data

N_ARTICLES = 1200
EMPTY = {7, 307, 607, 907}
"""Input lines whose text is empty: each becomes an error line and an article row without events."""


def gold_ids() -> list[str]:
    """GVDB dev ids, loaded when a test needs them (never at collection, before the fixture that stops
    downloads); the test is skipped where the checkout has no ../shared data."""
    require_data("gvdb-dev")
    return [a.id for a in load_dataset("gvdb-dev")]


def write_input(path: Path, n: int = N_ARTICLES) -> Path:
    gold_ids()  # skips without the data
    gold = load_dataset("gvdb-dev")
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            a = gold[i % len(gold)]
            text = "" if i in EMPTY else a.text
            handle.write(json.dumps({"id": f"{a.id}-{i}", "text": text, "published": a.published,
                                     "title": a.title, "url": f"https://example.org/{i}"}) + "\n")  # fmt: skip
    return path


def jsonl_events(path: Path) -> int:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return sum(len(line["summary"]["events"]) for line in lines if line["summary"])


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = ("runs", "articles", "events", "actors", "casualty_claims", "evidence")
        result = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        result["distinct_articles"] = conn.execute("select count(distinct article_id) from articles").fetchone()[0]
    return result


def batch(source: Path, out: Path, db: Path) -> Any:
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(out), "--backend", "rules", "--db", str(db)])
    assert result.exit_code in (0, 1), result.output  # 1: the empty articles failed, as they should
    return json.loads(result.output.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def big_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("db")
    source, out, db = write_input(folder / "in.jsonl"), folder / "out.jsonl", folder / "events.db"
    with pytest.MonkeyPatch.context() as patch:  # module scope runs before the per-test home fixture
        patch.setenv("SUMMARIZER_HOME", str(folder / "home"))
        report = batch(source, out, db)
    assert report["ok"] == N_ARTICLES - len(EMPTY) and report["failed"] == len(EMPTY)
    return {"source": source, "out": out, "db": db}


# -- batch --db ----------------------------------------------------------------------------------


def test_batch_db_holds_every_article_and_every_event(big_run: dict[str, Path]) -> None:
    found, ids = counts(big_run["db"]), gold_ids()
    assert found["articles"] == found["distinct_articles"] == N_ARTICLES
    assert found["events"] == jsonl_events(big_run["out"]) > N_ARTICLES // 2
    assert found["runs"] == 1 and found["evidence"] > found["events"] and found["casualty_claims"] > 0
    with sqlite3.connect(big_run["db"]) as conn:
        failed = conn.execute("select article_id, error from articles where status = 'error'").fetchall()
        text = conn.execute("select text, title, url from articles where article_id = ?", [f"{ids[0]}-0"]).fetchone()
        run = conn.execute("select backend, model, strategy, ok, errors, events, ended from runs").fetchone()
    assert sorted(i for i, _ in failed) == sorted(f"{ids[i % len(ids)]}-{i}" for i in EMPTY)
    assert all("empty" in (error or "") for _, error in failed)
    assert text is not None and len(text[0]) > 100 and text[2] == "https://example.org/0"
    assert run[:6] == ("rules", "rules", "rules", N_ARTICLES - len(EMPTY), len(EMPTY), found["events"])
    assert run[6]


def test_rerun_and_reimport_add_nothing(big_run: dict[str, Path]) -> None:
    before = counts(big_run["db"])
    report = batch(big_run["source"], big_run["out"], big_run["db"])
    assert report["skipped"] == N_ARTICLES and counts(big_run["db"]) == before
    result = CliRunner().invoke(
        app, ["db", "import", str(big_run["out"]), str(big_run["db"]), "--input", str(big_run["source"])]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["imported"] == N_ARTICLES
    assert counts(big_run["db"]) == before  # the same run (same file, same provenance): upserted, not added


def test_full_text_search_on_text_descriptions_and_quotes(big_run: dict[str, Path]) -> None:
    with sqlite3.connect(big_run["db"]) as conn:
        for table in ("articles_fts", "events_fts", "evidence_fts"):
            hits = conn.execute(f"select count(*) from {table} where {table} match 'shot OR shooting'").fetchone()
            assert hits[0] > 0, table
        fks = {row[2] for row in conn.execute("pragma foreign_key_list(evidence)")}
    assert fks == {"events"}


def test_rows_the_jsonl_has_and_the_db_lacks_are_filled_in(tmp_path: Path) -> None:
    """The kill -9 between the two writes: the JSONL got lines the database never saw."""
    source, out, db = write_input(tmp_path / "in.jsonl", 30), tmp_path / "out.jsonl", tmp_path / "events.db"
    run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False))  # JSONL only
    report = run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False, db=str(db)))
    assert report.skipped == 30
    found = counts(db)
    assert found["articles"] == 30 and found["events"] == jsonl_events(out) and found["runs"] == 1


def test_lines_before_the_first_success_move_into_the_named_run(tmp_path: Path) -> None:
    rows = [
        {"id": "empty", "text": ""},
        *map(json.loads, write_input(tmp_path / "g.jsonl", 3).read_text().splitlines()),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "events.db"
    run_batch(source, tmp_path / "out.jsonl", Settings(backend="rules"), BatchOptions(progress=False, db=str(db)))
    with sqlite3.connect(db) as conn:
        runs = conn.execute("select backend, articles from runs").fetchall()
    assert runs == [("rules", 4)]


def test_db_import_of_an_existing_output_with_and_without_input(tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 12), tmp_path / "out.jsonl"
    run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False))
    bare, full = tmp_path / "bare.db", tmp_path / "full.db"
    assert CliRunner().invoke(app, ["db", "import", str(out), str(bare)]).exit_code == 0
    assert CliRunner().invoke(app, ["db", "import", str(out), str(full), "--input", str(source)]).exit_code == 0
    with sqlite3.connect(bare) as a, sqlite3.connect(full) as b:
        assert a.execute("select count(*) from articles where text is not null").fetchone()[0] == 0
        assert b.execute("select count(*) from articles where text is not null").fetchone()[0] == 12 - 1  # one empty
    assert counts(bare)["events"] == counts(full)["events"] == jsonl_events(out)


def test_bad_database_paths_are_one_line_errors(tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 2), tmp_path / "out.jsonl"
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("this is not a database\n" * 100, encoding="utf-8")
    for db in (tmp_path, not_sqlite):
        result = CliRunner().invoke(app, ["batch", str(source), "-o", str(out), "-b", "rules", "--db", str(db)])
        assert result.exit_code == 2 and result.output.startswith("error: "), result.output
        assert len(result.output.strip().splitlines()) == 1
    missing = CliRunner().invoke(app, ["db", "import", str(tmp_path / "nope.jsonl"), str(tmp_path / "x.db")])
    assert missing.exit_code == 2 and "results not found" in missing.output


# -- export --------------------------------------------------------------------------------------


def test_export_acled_one_row_per_event(big_run: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    result = CliRunner().invoke(app, ["db", "export", str(big_run["db"]), "--format", "acled", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == ACLED_COLUMNS and len(rows) == counts(big_run["db"])["events"]
    dated = [r for r in rows if r["event_date"]]
    assert dated and all(r["year"] == r["event_date"][:4] and r["time_precision"] in "123" for r in dated)
    assert all(int(r["fatalities"]) >= 0 for r in rows) and any(int(r["fatalities"]) > 0 for r in rows)
    assert all(r["backend"] == "rules" and r["source_url"].startswith("https://example.org/") for r in rows)


# -- serve ---------------------------------------------------------------------------------------


def _get(db: Path, *paths: str) -> list[Any]:
    pytest.importorskip("datasette", reason="pip install -e '.[db]'")
    from summarizer.db.serve import datasette_app

    ds = datasette_app(db)

    async def fetch() -> list[Any]:
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(fetch())


def test_serve_answers_the_canned_queries_with_rows(big_run: dict[str, Path]) -> None:
    names = ("deaths_by_country_month", "sources_disagree", "no_event_articles", "event_with_evidence")
    responses = _get(big_run["db"], *(f"/events/{n}.json?_shape=objects" for n in names))
    for name, response in zip(names, responses, strict=True):
        assert response.status_code == 200, (name, response.text[:300])
        assert response.json()["rows"], name
    deaths = responses[0].json()["rows"]
    with sqlite3.connect(big_run["db"]) as conn:
        total = conn.execute("select sum(coalesce(killed_best, killed_low, killed_high, 0)) from events").fetchone()
    assert sum(r["deaths"] for r in deaths) == total[0] > 0
    assert {r["period_precision"] for r in deaths} <= {"month", "year", "unknown"}
    assert {r["status"] for r in responses[2].json()["rows"]} == {"ok", "error"}  # failures and empty results


def test_serve_describes_every_table_and_column_and_links_event_views(big_run: dict[str, Path]) -> None:
    from summarizer.db.tables import specs

    with sqlite3.connect(big_run["db"]) as conn:
        event_id = conn.execute("select id from events where claims > 0 order by id limit 1").fetchone()[0]
    meta, table, view, missing = _get(
        big_run["db"], "/-/metadata.json", "/events/events?_size=5",
        f"/-/summarizer/event?id={quote(event_id, safe='')}", "/-/summarizer/event?id=nope",
    )  # fmt: skip
    tables = meta.json()["databases"]["events"]["tables"]
    for spec in specs().values():
        with sqlite3.connect(big_run["db"]) as conn:
            columns = [row[1] for row in conn.execute(f"pragma table_info({spec.name})")]
        described = tables[spec.name]["columns"]
        assert all(described.get(c) for c in columns), spec.name
    assert table.text.count(">grounded view</a>") == 5
    assert view.status_code == 200 and "<mark" in view.text and "event 1 of" in view.text
    assert missing.status_code == 404


def test_serve_without_datasette_says_how_to_install(big_run: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasette.app", None)  # an import of it now raises ImportError
    result = CliRunner().invoke(app, ["db", "serve", str(big_run["db"])])
    assert (
        result.exit_code == 2
        and result.output.strip() == "error: db serve needs Datasette: pip install 'summarizer[db]'"
    )


# -- eval ----------------------------------------------------------------------------------------


def test_eval_run_db_records_metrics_per_field(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    for _ in range(2):
        cmd = ["eval", "run", "--dataset", "seed", "--backend", "rules", "-o", str(tmp_path / "run"), "--db", str(db)]
        result = CliRunner().invoke(app, cmd)
        assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("select * from eval_runs").fetchall()
    assert len(rows) == 1  # the same run recorded twice is one row
    from summarizer.db.serve import datasette_app

    described = asyncio.run(datasette_app(db).client.get("/-/metadata.json")).json()
    eval_columns = described["databases"]["events"]["tables"]["eval_runs"]["columns"]
    names = rows[0].keys()  # a Row iterates over its values
    assert len(names) > 20 and all(eval_columns.get(name) for name in names)
    row = rows[0]
    assert row["dataset"] == "seed" and row["backend"] == "rules" and row["headline_f1"] == metrics["headline_f1"]
    for name, scores in metrics["fields"].items():
        assert row[f"{name}_f1"] == scores["f1"] and row[f"{name}_recall"] == scores["recall"]


# -- kill -9 -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_kill_9_mid_batch_then_resume_leaves_the_same_counts(tmp_path: Path, big_run: dict[str, Path]) -> None:
    out, db = tmp_path / "out.jsonl", tmp_path / "events.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env |= {"SUMMARIZER_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "summarizer", "batch", str(big_run["source"]), "-o", str(out), "-b", "rules",
           "--db", str(db)]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while (not out.exists() or out.read_bytes().count(b"\n") < 200) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = out.read_bytes().count(b"\n")
    assert 200 <= done < N_ARTICLES
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 1, rerun.stderr  # 1: the empty articles
    assert json.loads(rerun.stdout.strip().splitlines()[-1])["skipped"] == done
    found, reference = counts(db), counts(big_run["db"])
    assert found["articles"] == found["distinct_articles"] == N_ARTICLES
    assert found["events"] == jsonl_events(out) == reference["events"]
    assert found == reference


# -- the ray engine's results directory ----------------------------------------------------------


def test_a_ray_results_directory_is_recorded_like_a_jsonl(tmp_path: Path) -> None:
    from summarizer.batch.dbsink import record_results
    from summarizer.batch.shards import ShardWriter

    source, out = write_input(tmp_path / "in.jsonl", 20), tmp_path / "out.jsonl"
    run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False))
    writer = ShardWriter(tmp_path / "shards", max_lines=7)  # what the ray driver writes
    for line in out.read_text(encoding="utf-8").splitlines():
        writer.add(line)
    writer.flush()
    db = tmp_path / "events.db"
    assert record_results(db, tmp_path / "shards", source) == 20
    assert record_results(db, tmp_path / "shards", source) == 0  # the end-of-run call again: nothing new
    found = counts(db)
    assert found["articles"] == 20 and found["events"] == jsonl_events(out) and found["runs"] == 1


@pytest.mark.ray
def test_batch_engine_ray_db(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="pip install -e '.[ray]'")
    source, db = write_input(tmp_path / "in.jsonl", 40), tmp_path / "events.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_", "RAY_ADDRESS"))}
    env |= {"SUMMARIZER_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(tmp_path / "out"), "-b", "rules",
           "--engine", "ray", "--db", str(db)]  # fmt: skip
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr  # 1: the one empty article (line 7)
    shards = sorted((tmp_path / "out").glob("part-*.jsonl"))
    lines = [json.loads(x) for p in shards for x in p.read_text(encoding="utf-8").splitlines()]
    found = counts(db)
    assert found["articles"] == len(lines) == 40
    assert found["events"] == sum(len(x["summary"]["events"]) for x in lines if x["summary"])


# -- the openai backend: live (concurrent) and openai-batch mode -----------------------------------


@pytest.mark.parametrize("mode", ["live", "openai-batch"])
def test_openai_modes_write_the_db(tmp_path: Path, mode: str) -> None:
    from tests.fake_openai import FakeOpenAI, extraction_reply

    rows = [
        {"id": f"a{i}", "text": f"Gunmen killed {i + 2} people in Kabul on Tuesday, police said."} for i in range(8)
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [*rows, {"id": "bad", "text": ""}]), encoding="utf-8")
    out, db = tmp_path / "out.jsonl", tmp_path / "events.db"
    with FakeOpenAI(batch_polls=1) as srv:
        srv.responder = extraction_reply
        settings = Settings(backend="openai", base_url=srv.base_url, api_key="test", use_cache=False)
        options = BatchOptions(concurrency=4, mode=mode, poll_interval_s=0.01, progress=False, db=str(db))  # type: ignore[arg-type]
        report = run_batch(source, out, settings, options)
    assert report.ok == 8 and report.failed_ids == ["bad"]
    found = counts(db)
    assert found["articles"] == 9 and found["events"] == jsonl_events(out) >= 8 and found["runs"] == 1
    with sqlite3.connect(db) as conn:
        run = conn.execute("select backend, prompt_hash, prompt_tokens from runs").fetchone()
    assert run[0] == "openai" and run[1].startswith("extract@") and run[2] > 0


def test_retry_failed_replaces_the_error_row(tmp_path: Path) -> None:
    source, out, db = write_input(tmp_path / "in.jsonl", 10), tmp_path / "out.jsonl", tmp_path / "events.db"
    run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False, db=str(db)))
    assert counts(db)["articles"] == 10
    lines = [json.loads(x) for x in source.read_text(encoding="utf-8").splitlines()]
    lines[7]["text"] = "Gunmen killed 4 people in Kabul on Tuesday, police said."  # the empty one, now mended
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    options = BatchOptions(progress=False, db=str(db), retry_failed=True)
    report = run_batch(source, out, Settings(backend="rules"), options)
    assert report.ok == 1 and report.failed_ids == []
    with sqlite3.connect(db) as conn:
        statuses = conn.execute("select status, count(*) from articles group by status").fetchall()
        text = conn.execute("select text from articles where article_id = ?", [lines[7]["id"]]).fetchone()[0]
    assert statuses == [("ok", 10)] and "Kabul" in text
    assert counts(db)["events"] == jsonl_events(out)
