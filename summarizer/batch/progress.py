"""What a batch run shows: a live progress bar on a terminal, and a final table or JSON line."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from summarizer.batch.io import ResultLine
from summarizer.batch.options import BatchReport


class Progress:
    """A rich progress bar with done / failed / rate / ETA / tokens; a no-op when disabled."""

    def __init__(self, total: int, enabled: bool, console: Console | None = None, done: int = 0) -> None:
        """`done`: articles already in the output from an earlier run; the bar starts there (done/total)."""
        self.enabled = enabled
        self.ok = self.failed = self.tokens = 0
        self._started = time.monotonic()
        self._bar = RichProgress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[green]{task.fields[ok]} ok[/] [red]{task.fields[failed]} failed[/]"),
            TextColumn("{task.fields[rate]:.0f}/min"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[tokens]:,} tok"),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task("batch", total=total, completed=done, ok=0, failed=0, rate=0.0, tokens=0)

    def __enter__(self) -> Progress:
        if self.enabled:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._bar.stop()

    def advance(self, line: ResultLine) -> None:
        if line.status == "ok":
            self.ok += 1
        else:
            self.failed += 1
        self.tokens += line.usage.get("prompt_tokens", 0) + line.usage.get("completion_tokens", 0)
        minutes = max(time.monotonic() - self._started, 1e-6) / 60
        rate = (self.ok + self.failed) / minutes
        fields: dict[str, Any] = {"ok": self.ok, "failed": self.failed, "rate": rate, "tokens": self.tokens}
        self._bar.update(self._task, advance=1, **fields)


def print_report(report: BatchReport, console: Console) -> None:
    """The final summary table, then the notes and the ids that failed."""
    table = Table(title="dry run (nothing sent)" if report.dry_run else "batch finished", show_header=False)
    cost = "unknown model price" if report.cost_usd is None else f"${report.cost_usd:,.4f}"
    rows = [
        ("articles in input", f"{report.total:,}"),
        ("already done (skipped)", f"{report.skipped:,}"),
        ("ok", f"{report.ok:,}"),
        ("failed", f"{report.failed:,}"),
        *(
            [("unsupported language", f"{report.unsupported_language:,} (use --backend openai)")]
            if report.unsupported_language
            else []
        ),
        ("prompt tokens", f"{report.prompt_tokens:,}"),
        ("completion tokens", f"{report.completion_tokens:,}"),
        ("estimated cost", cost),
        *([("cost basis", report.cost_note)] if report.cost_note else []),
        ("time", f"{report.duration_s:.1f}s"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    for note in report.notes:
        console.print(f"note: {note}")
    final = set(report.final_ids)
    retryable = [rid for rid in report.failed_ids if rid not in final]
    if retryable:
        console.print(f"[red]{len(retryable)} failed id(s):[/] {_ids(retryable)}")
        console.print("re-run with --retry-failed to try them again")
    if final:
        console.print(f"[red]{len(final)} id(s) cannot succeed as they are (bad input):[/] {_ids(report.final_ids)}")
        console.print("fix them in the input; their lines say what is wrong")


def _ids(ids: list[str]) -> str:
    return ", ".join(ids[:20]) + (" …" if len(ids) > 20 else "")
