"""A results directory: shard files of result lines plus a `_SUCCESS` manifest, and its merge to one file.

    OUT/part-<run>-<seq>.jsonl   complete shards, each written to a hidden temp file, fsynced, renamed
    OUT/_SUCCESS                 written when a run ends with every input id present (JSON: counts, shards)

Only complete shards are ever visible under their final name, so after a `kill -9` the directory holds
whole lines only, and a re-run skips every id in it. One writer (the driver) appends shards, so no id is
written twice; readers still keep the first line of an id, as a safety net for hand-copied shards.
Any tool that reads a results file also reads this directory (`eval score` reads `*.jsonl` in it).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from summarizer.batch.io import ResultLine
from summarizer.errors import InputError

SUCCESS = "_SUCCESS"
SHARD_GLOB = "part-*.jsonl"


def shard_files(directory: Path) -> list[Path]:
    """Complete shards in name order (which is write order within a run)."""
    return sorted(directory.glob(SHARD_GLOB)) if directory.is_dir() else []


def iter_lines(directory: Path) -> Iterator[bytes]:
    """Raw result lines of every shard, first occurrence of an id only."""
    seen: set[str] = set()
    for shard in shard_files(directory):
        for raw in shard.read_bytes().splitlines():
            rid = _line_id(raw)
            if rid is None or rid in seen:
                continue
            seen.add(rid)
            yield raw


def done_status(directory: Path) -> dict[str, str]:
    """Id → "ok" / "error" for every line in a complete shard."""
    status: dict[str, str] = {}
    for raw in iter_lines(directory):
        item = json.loads(raw)
        status[str(item["id"])] = str(item["status"])
    return status


class ShardWriter:
    """Buffers result lines and writes them as shards, every `max_lines` lines or `max_wait_s` seconds."""

    def __init__(self, directory: Path, max_lines: int = 64, max_wait_s: float = 1.0) -> None:
        if directory.exists() and not directory.is_dir():
            raise InputError(f"output {directory} is a file; --engine ray writes a directory of shards")
        directory.mkdir(parents=True, exist_ok=True)
        self.directory, self.max_lines, self.max_wait_s = directory, max_lines, max_wait_s
        self.run = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.written: list[str] = []
        self._buffer: list[str] = []
        self._since = time.monotonic()

    def add(self, line: str) -> None:
        if not self._buffer:
            self._since = time.monotonic()
        self._buffer.append(line)
        if len(self._buffer) >= self.max_lines or time.monotonic() - self._since >= self.max_wait_s:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        name = f"part-{self.run}-{len(self.written):06d}.jsonl"
        write_atomic(self.directory / name, "".join(line + "\n" for line in self._buffer).encode("utf-8"))
        self.written.append(name)
        self._buffer.clear()


def write_manifest(directory: Path, summary: dict[str, Any]) -> None:
    shards = [p.name for p in shard_files(directory)]
    body = json.dumps({**summary, "shards": shards}, indent=2, sort_keys=True) + "\n"
    write_atomic(directory / SUCCESS, body.encode("utf-8"))


def clear_manifest(directory: Path) -> None:
    (directory / SUCCESS).unlink(missing_ok=True)


def drop_failed(directory: Path) -> list[str]:
    """Rewrite (atomically) every shard holding error lines without them; the ids dropped."""
    dropped: list[str] = []
    for shard in shard_files(directory):
        lines = shard.read_bytes().splitlines(keepends=True)
        kept = [raw for raw in lines if _line_status(raw) != "error"]
        if len(kept) == len(lines):
            continue
        dropped += [rid for raw in lines if _line_status(raw) == "error" and (rid := _line_id(raw))]
        if kept:
            write_atomic(shard, b"".join(kept))
        else:
            shard.unlink()
    return sorted(dropped)


def merge(directory: Path, output: Path) -> int:
    """One results file from a results directory; the number of lines written."""
    if not directory.is_dir():
        raise InputError(f"{directory} is not a results directory; pass the -o directory of an --engine ray run")
    if not (directory / SUCCESS).exists():
        raise InputError(f"{directory} has no {SUCCESS}: the run did not finish; re-run it first, then merge")
    lines = list(iter_lines(directory))
    write_atomic(output, b"".join(raw + b"\n" for raw in lines))
    return len(lines)


def read_result_dicts(directory: Path) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in iter_lines(directory)]


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same directory, fsync, rename, fsync the directory: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _line_id(raw: bytes) -> str | None:
    try:
        return str(json.loads(raw)["id"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def _line_status(raw: bytes) -> str | None:
    try:
        return str(json.loads(raw)["status"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def line_from_json(text: str) -> ResultLine:
    """A `ResultLine` back from its JSON (for counting: status and usage)."""
    item = json.loads(text)
    return ResultLine(item["id"], item["status"], item.get("summary"), item.get("error"), item.get("usage") or {})
