"""What the events database costs a batch: `batch` with and without `--db`, and `db import` of the result.

    python benchmarks/events_db.py                   # 1,200 GVDB dev articles (repeated), rules backend
    python benchmarks/events_db.py --articles 3000

Prints wall seconds and articles/s for the plain batch, the batch with `--db` (a new output and database),
the re-run with `--db` (everything skipped: the reconcile on start), and `db import --input` of the same
output into a fresh database; then the row counts. Compare runs made under similar machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summarizer.batch import BatchOptions, run_batch  # noqa: E402
from summarizer.batch.dbsink import record_results  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.eval.datasets import load_dataset  # noqa: E402


def _write_input(path: Path, n: int) -> None:
    articles = load_dataset("gvdb-dev")
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            a = articles[i % len(articles)]
            handle.write(json.dumps({"id": f"{a.id}-{i}", "text": a.text, "published": a.published}) + "\n")


def _timed(label: str, n: int, fn: object) -> None:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:7.1f} s  {n / seconds:7.1f} articles/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1200)
    n = parser.parse_args().articles
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["SUMMARIZER_HOME"] = str(root / "home")
        source = root / "in.jsonl"
        _write_input(source, n)
        settings, quiet = Settings(backend="rules"), BatchOptions(progress=False)
        with_db = BatchOptions(progress=False, db=str(root / "events.db"))
        print(f"articles: {n} (GVDB dev, repeated), backend rules, load average {os.getloadavg()[0]:.1f}")
        _timed("batch", n, lambda: run_batch(source, root / "plain.jsonl", settings, quiet))
        _timed("batch --db", n, lambda: run_batch(source, root / "out.jsonl", settings, with_db))
        _timed("batch --db again (skips)", n, lambda: run_batch(source, root / "out.jsonl", settings, with_db))
        _timed("db import --input", n, lambda: record_results(root / "imported.db", root / "out.jsonl", source,
                                                               force=True))  # fmt: skip
        with sqlite3.connect(root / "events.db") as conn:
            tables = ("articles", "events", "actors", "casualty_claims", "evidence")
            rows = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        size = (root / "events.db").stat().st_size / 1e6
        print("rows: " + ", ".join(f"{t} {c}" for t, c in rows.items()) + f"; file {size:.1f} MB")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
