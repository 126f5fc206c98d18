"""`batch --db`: the events database kept in step with the results file, which stays the source of truth.

The results file is written first (fsync'd), the database second; on start the database is reconciled
from the file, so a kill -9 between the two writes loses nothing. Every engine and mode is covered: the
live runner and openai-batch mode append through `RecordingLog`; the ray driver's shards are recorded
by `record_results` when the run ends (and on the next start after a kill).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from summarizer.batch.io import ResultLine, ResultLog, read_inputs
from summarizer.batch.shards import read_result_dicts
from summarizer.db import EventsDB, ResultsSync
from summarizer.errors import InputError
from summarizer.schema import Article


class InputArticles(Mapping[str, Article]):
    """Id → input article (text, title, url), read only when a row needs one."""

    def __init__(self, source: Path | None) -> None:
        self.source = source

    @cached_property
    def _articles(self) -> dict[str, Article]:
        if self.source is None or not self.source.exists():
            return {}  # e.g. a remote ray input: rows go without text
        try:
            return {r.id: r.article for r in read_inputs(self.source) if r.article is not None}
        except InputError:
            return {}

    def __getitem__(self, key: str) -> Article:
        return self._articles[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._articles)

    def __len__(self) -> int:
        return len(self._articles)


def result_lines(path: Path) -> list[dict[str, Any]]:
    """The complete lines of a results file or ray results directory (a torn last line is not a result)."""
    if path.is_dir():
        return read_result_dicts(path)
    if not path.exists():
        return []
    data = path.read_bytes()
    lines = []
    for raw in data[: data.rfind(b"\n") + 1].splitlines():
        try:
            item = json.loads(raw)
        except ValueError:
            continue
        if isinstance(item, dict) and "id" in item:
            lines.append(item)
    return lines


def open_sync(db_path: str | Path, output: Path, source: Path | None) -> ResultsSync:
    db = EventsDB(db_path)
    return ResultsSync(db, output, lambda: result_lines(output), InputArticles(source), str(source) if source else None)


class RecordingLog(ResultLog):
    """The results file, each appended line also written to the events database."""

    def __init__(self, path: Path, db_path: str | Path, source: Path) -> None:
        super().__init__(path)  # cuts a torn last line first, so reconciling reads only whole lines
        self.sync = open_sync(db_path, path, source)
        self.sync.reconcile()

    def append_all(self, lines: list[ResultLine]) -> None:
        super().append_all(lines)  # the JSONL first: it is the source of truth
        for line in lines:
            self.sync.add(json.loads(line.to_json()))

    def close(self) -> None:
        super().close()
        if self.sync.run_id:
            self.sync.finish()
            self.sync.db.close()
            self.sync.run_id = ""  # closed: a second close does nothing


def record_results(
    db_path: str | Path, output: Path, source: Path | None, cost_usd: float | None = None, force: bool = False
) -> int:
    """Bring the database in line with a finished run's results (any engine) and close the run's row;
    `force` rewrites every line (an import, which may now know the article texts)."""
    sync = open_sync(db_path, output, source)
    try:
        written = sync.reconcile(force)
        sync.finish(cost_usd)
    finally:
        sync.db.close()
    return written
