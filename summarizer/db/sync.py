"""Keep one results file's run in the database: the results file is the source of truth.

`reconcile()` brings the database in line with every line of the file (on start, so a kill -9 between the
JSONL write and the database write loses nothing; and for `db import`); `add()` records one line just
written. The run key is the output file plus the provenance the first ok line reports (backend, model,
strategy, prompt hash), so `batch --db` and `db import` of the same file land in the same run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from summarizer.db.store import EventsDB, Provenance, provenance_of
from summarizer.schema import Article

ResultLines = Callable[[], list[dict[str, Any]]]
"""Reads the complete lines of the results file (JSONL or a ray results directory)."""


class ResultsSync:
    def __init__(
        self,
        db: EventsDB,
        output: Path,
        read_lines: ResultLines,
        sources: Mapping[str, Article] | None = None,
        input_path: str | None = None,
    ) -> None:
        self.db, self.output, self.read_lines = db, output, read_lines
        self.sources: Mapping[str, Article] = sources or {}
        self.input_path = input_path
        self.run_id = ""
        self.provenance = Provenance()

    def reconcile(self, force: bool = False) -> int:
        """Write every line the database lacks (or holds with another status; all of them with `force`)
        and drop the run's articles the file no longer has; returns the number of lines written."""
        lines = {str(line["id"]): line for line in self.read_lines() if "id" in line}
        self._use(provenance_of(lines.values()))
        held = self.db.statuses(self.run_id)
        stale = [line for rid, line in lines.items() if force or held.get(rid) != line.get("status")]
        written = self.db.write(self.run_id, stale, self.sources)
        self.db.drop_articles(self.run_id, [rid for rid in held if rid not in lines])
        return written

    def add(self, line: dict[str, Any]) -> None:
        """Record a line just appended to the results file."""
        if not self.provenance.known and line.get("status") == "ok":
            self.reconcile()  # the first success names the run: move what was written so far into it
            return
        self.db.write(self.run_id, [line], self.sources)

    def finish(self, cost_usd: float | None = None) -> None:
        if self.run_id:
            self.db.finish_run(self.run_id, cost_usd)

    def _use(self, provenance: Provenance) -> None:
        self.provenance = provenance
        self.run_id = self.db.ensure_run(self.output, provenance, self.input_path)
        if provenance.known:
            self.db.drop_unnamed_runs(self.output, self.run_id)
