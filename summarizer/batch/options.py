"""What a batch run is asked to do (`BatchOptions`) and what it did (`BatchReport`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

from summarizer.batch.io import InputFields, ResultLine
from summarizer.errors import SummarizerError

DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True)
class BatchOptions:
    concurrency: int | None = None
    """Articles in flight; None: 1 for a local server or backend (it answers one request at a time),
    else `DEFAULT_CONCURRENCY`."""
    rpm: float | None = None
    tpm: float | None = None
    article_timeout_s: float = 300.0
    """Wall-clock budget per article, retries and rate-limit waits included."""
    max_attempts: int = 6
    """Attempts per article for failures the pipeline does not retry itself (an injected `summarize_fn`
    calling an SDK directly); model calls through the pipeline are retried once, in `calling.ask`."""
    retry_failed: bool = False
    dry_run: bool = False
    mode: Literal["live", "openai-batch"] = "live"
    prices: str | None = None
    progress: bool | None = None
    """Show a progress bar; None means "when stderr is a terminal"."""
    poll_interval_s: float = 30.0
    """How often `openai-batch` mode asks whether the batch is done."""
    fields: InputFields = field(default_factory=InputFields)
    """The JSONL key / CSV column holding each article's text and id (`--text-field`, `--id-field`)."""
    db: str | None = None
    """An events database (SQLite) to keep in step with the results file (`batch --db`)."""
    num_workers: int | None = None
    """Processes for an in-process backend (rules, local); None: one per core, 1: this process only."""


@dataclass
class BatchReport:
    input: str
    output: str
    total: int = 0
    skipped: int = 0
    """Ids already in the output from an earlier run."""
    ok: int = 0
    failed: int = 0
    unsupported_language: int = 0
    """Articles in a language the backend cannot read (their lines' status); not counted in `failed`."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    cost_note: str = ""
    """Which price the cost uses (model, source) and whether it is a guess; why it is $0 or unknown."""
    duration_s: float = 0.0
    dry_run: bool = False
    failed_ids: list[str] = field(default_factory=list)
    final_ids: list[str] = field(default_factory=list)
    """Failed ids that running again cannot fix (broken JSON, empty text): fix the input instead."""
    notes: list[str] = field(default_factory=list)

    def add(self, line: ResultLine) -> None:
        if line.status == "ok":
            self.ok += 1
        elif line.status == "unsupported_language":
            self.unsupported_language += 1
        else:
            self.failed += 1
        self.prompt_tokens += line.usage.get("prompt_tokens", 0)
        self.completion_tokens += line.usage.get("completion_tokens", 0)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))


class BatchInterrupted(SummarizerError):
    """Ctrl-C or SIGTERM during a run: the lines written so far stay, and the same command resumes."""

    def __init__(self, report: BatchReport, signal_number: int) -> None:
        done = report.skipped + report.ok + report.failed
        super().__init__(f"interrupted: {done:,} done, {report.total - done:,} left; "
                         "run the same command again to resume")  # fmt: skip
        self.report, self.signal_number = report, signal_number
