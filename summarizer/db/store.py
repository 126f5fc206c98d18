"""The events database file: open it (tables created on first use), write results lines in transactions,
record runs and eval runs. Writes go through sqlite-utils; every multi-table write is one transaction."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import sqlite_utils

from summarizer.db.rows import line_rows
from summarizer.db.tables import create_tables
from summarizer.errors import InputError
from summarizer.schema import Article

CHILD_TABLES = ("evidence", "casualty_claims", "actors")
"""Tables hanging off events, deleted before their events when an article is written again."""


class Provenance(NamedTuple):
    """What, besides the output file, makes a run: as the results' summaries report it."""

    backend: str = ""
    model: str = ""
    strategy: str = ""
    prompt_hash: str = ""
    version: str = ""

    @property
    def known(self) -> bool:
        return bool(self.backend)


def provenance_of(lines: Iterable[Mapping[str, Any]]) -> Provenance:
    """From the first ok line; an empty `Provenance` when no line succeeded yet."""
    for line in lines:
        run = (line.get("summary") or {}).get("run") if line.get("status") == "ok" else None
        if isinstance(run, dict):
            prompts = ",".join(sorted({str(p.get("hash", "")) for p in run.get("prompts") or []}))
            return Provenance(str(run.get("backend", "")), str(run.get("model", "")), str(run.get("extractor", "")),
                              prompts, str(run.get("summarizer_version", "")))  # fmt: skip
    return Provenance()


def key_hash(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class EventsDB:
    """One SQLite file. WAL with `synchronous=NORMAL`: a crash may lose the last commits, never corrupt the
    file, and what it loses is refilled from the results file (the source of truth) on the next start."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"database {self.path} is a directory; pass a file path such as events.db")
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.enable_wal()
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            create_tables(self.db)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot use {self.path} as the events database: {exc}") from None

    def close(self) -> None:
        self.db.close()

    # -- runs ------------------------------------------------------------------------------------

    def ensure_run(self, output: Path, provenance: Provenance, input_path: str | None = None) -> str:
        """The run id of `output` with `provenance`, creating its row the first time."""
        output_name = str(output.resolve())
        run_id = key_hash(output_name, *provenance[:4])  # backend, model, strategy, prompt hash; not the version
        runs = self.db.table("runs")
        with self.db.atomic():
            if not self.db.execute("select 1 from runs where id = ?", [run_id]).fetchone():
                runs.insert({"id": run_id, "output": output_name, "input": input_path, "started": now(),
                             **provenance._asdict()})  # fmt: skip
            elif input_path:
                runs.update(run_id, {"input": input_path})
        return run_id

    def drop_unnamed_runs(self, output: Path, keep: str) -> None:
        """Remove the run a results file had before any line succeeded (it had no backend or model yet)."""
        rows = self.db.execute(
            "select id from runs where output = ? and backend = '' and id != ?", [str(output.resolve()), keep]
        ).fetchall()
        for (run_id,) in rows:
            with self.db.atomic():
                self._delete_articles(run_id, None)
                self.db.execute("delete from runs where id = ?", [run_id])

    def finish_run(self, run_id: str, cost_usd: float | None = None) -> None:
        """Counts and tokens from the rows, and the end time."""
        totals = self.db.execute(
            "select count(*), sum(status = 'ok'), sum(status != 'ok'), coalesce(sum(events), 0), "
            "coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0) from articles where run_id = ?",
            [run_id],
        ).fetchone()
        names = ("articles", "ok", "errors", "events", "prompt_tokens", "completion_tokens")
        values: dict[str, Any] = {n: v or 0 for n, v in zip(names, totals, strict=True)}
        values["ended"] = now()
        if cost_usd is not None:
            values["cost_usd"] = cost_usd
        with self.db.atomic():
            self.db.table("runs").update(run_id, values)

    # -- articles and their events ---------------------------------------------------------------

    def statuses(self, run_id: str) -> dict[str, str]:
        """Article id → status for every article of the run."""
        rows = self.db.execute("select article_id, status from articles where run_id = ?", [run_id]).fetchall()
        return {str(a): str(s) for a, s in rows}

    def write(self, run_id: str, lines: Iterable[Mapping[str, Any]], sources: Mapping[str, Article]) -> int:
        """Upsert each line's article and replace its events, all in one transaction; returns the count."""
        count = 0
        with self.db.atomic():
            for line in lines:
                rows = line_rows(run_id, dict(line), sources.get(str(line["id"])))
                self._delete_events([rows.article["id"]])
                self.db.table("articles").upsert(rows.article, pk="id")
                self.db.table("events").insert_all(rows.events)
                for name in ("actors", "casualty_claims", "evidence"):
                    self.db.table(name).insert_all(getattr(rows, name))
                count += 1
        return count

    def drop_articles(self, run_id: str, article_ids: Iterable[str]) -> None:
        ids = list(article_ids)
        if ids:
            with self.db.atomic():
                self._delete_articles(run_id, ids)

    def _delete_articles(self, run_id: str, article_ids: list[str] | None) -> None:
        where, params = "run_id = ?", [run_id]
        if article_ids is not None:
            where += f" and article_id in ({','.join('?' * len(article_ids))})"
            params += article_ids
        keys = [k for (k,) in self.db.execute(f"select id from articles where {where}", params).fetchall()]
        self._delete_events(keys)
        self.db.execute(f"delete from articles where {where}", params)

    def _delete_events(self, article_keys: list[str]) -> None:
        for start in range(0, len(article_keys), 500):  # below SQLite's variable limit
            chunk = article_keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            events = f"select id from events where article_key in ({marks})"
            for table in CHILD_TABLES:
                self.db.execute(f"delete from {table} where event_id in ({events})", chunk)
            self.db.execute(f"delete from events where article_key in ({marks})", chunk)

    # -- eval runs -------------------------------------------------------------------------------

    def record_eval(self, output: Path, run: Mapping[str, Any], metrics: Mapping[str, Any]) -> str:
        """One eval run's metrics: the headline figures and precision, recall and F1 per field."""
        settings = run.get("settings") or {}
        backend, model = str(run.get("backend") or ""), str(settings.get("model") or "")
        strategy, dataset = str(settings.get("strategy") or ""), str(run.get("dataset") or "")
        eval_id = key_hash(str(output.resolve()), dataset, backend, model, strategy)
        row: dict[str, Any] = {
            "id": eval_id, "output": str(output.resolve()), "dataset": dataset, "backend": backend, "model": model,
            "strategy": strategy, "created": now(), "n_articles": metrics.get("n_articles"),
            "n_errors": metrics.get("n_errors"), "headline_f1": metrics.get("headline_f1"),
            "grounding_rate": metrics.get("grounding_rate"), "hallucinations": metrics.get("hallucinations"),
            "metrics": json.dumps(metrics, ensure_ascii=False, default=str),
        }  # fmt: skip
        for name, scores in (metrics.get("fields") or {}).items():
            for measure in ("precision", "recall", "f1"):
                row[f"{name}_{measure}"] = scores.get(measure)
        with self.db.atomic():
            self.db.table("eval_runs").upsert(row, pk="id", alter=True)  # one column per field and measure
        return eval_id
