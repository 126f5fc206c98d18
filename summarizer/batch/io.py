"""Batch input and output: read articles from JSONL, CSV or a directory; append results durably.

Reading never stops at a bad record: each one becomes an `InputRecord` with an error, which the batch
writes as an `error` line so every input shows up in the output exactly once.

The output is append-only JSONL. Each line goes out in a single `write()` followed by `fsync`, so a
`kill -9` can at most leave one partial last line, which `ResultLog` cuts off when it reopens the file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from summarizer.errors import InputError, SummarizerError, UnsupportedLanguageError, one_line
from summarizer.schema import Article, PublishedSource, Summary, Usage
from summarizer.text import looks_like_html, prepare_bytes, prepare_text, read_bytes
from summarizer.text.html import page_meta

FIELDS = ("id", "text", "published", "title", "url")
OPTIONAL_FIELDS = ("published", "title", "url")


class InputRecord(NamedTuple):
    """One input: an article ready to summarize, or the reason it cannot be."""

    id: str
    article: Article | None
    error: str | None


# -- readers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFields:
    """Which key (JSONL) or column (CSV) holds the article text and which its id."""

    text: str = "text"
    id: str = "id"


PARQUET_MAGIC = b"PAR1"


def read_inputs(path: Path, fields: InputFields | None = None) -> Iterator[InputRecord]:
    """Records of a JSONL file, a CSV file or a directory of `.txt` files, duplicates flagged."""
    fields = fields or InputFields()
    if path.is_dir():
        _refuse_parquet(path, any(path.glob("*.parquet")) and not any(path.glob("*.txt")))
        records = _read_dir(path)
    elif not path.exists():
        raise InputError(f"input not found: {path}")
    elif path.suffix.lower() == ".csv":
        records = _read_csv(path, fields)
    elif path.suffix.lower() in (".txt", ".html", ".htm"):
        raise InputError(
            f"{path} is one article; batch reads JSONL, CSV or a folder of .txt files "
            f"(pass its folder, or use `summarizer summarize {path}`)"
        )
    else:
        _refuse_parquet(path, path.suffix.lower() == ".parquet" or _starts_with(path, PARQUET_MAGIC))
        records = _read_jsonl(path, fields)
    return _flag_duplicates(records)


def _refuse_parquet(path: Path, is_parquet: bool) -> None:
    if is_parquet:
        raise InputError(
            f"{path} is Parquet, which only the Ray engine reads: add --engine ray "
            '(pip install "summarizer[ray]"), or convert it to JSONL or CSV'
        )


def _starts_with(path: Path, magic: bytes) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(magic)) == magic


def _flag_duplicates(records: Iterable[InputRecord]) -> Iterator[InputRecord]:
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            # A distinct id keeps "every id exactly once" true in the output.
            n = 2
            while f"{record.id}#dup{n}" in seen:
                n += 1
            alias = f"{record.id}#dup{n}"
            seen.add(alias)
            yield InputRecord(alias, None, f"duplicate id {record.id!r}: only the first record is used")
        else:
            seen.add(record.id)
            yield record


def _record(values: dict[str, Any], fallback_id: str, fields: InputFields | None = None) -> InputRecord:
    fields = fields or InputFields()
    raw_id = values.get(fields.id)
    rid = str(raw_id).strip() if raw_id not in (None, "") else fallback_id
    if fields.text not in values:
        return InputRecord(rid, None, _missing_text(fields.text, values))
    text = values[fields.text]
    if not isinstance(text, str) or not text.strip():
        return InputRecord(rid, None, f"empty {fields.text!r}")
    known = {k: (str(v) if v else None) for k, v in values.items() if k in OPTIONAL_FIELDS}
    published = known.get("published")
    source: PublishedSource | None = None
    if not published and looks_like_html(text):  # a page's own published-time meta or JSON-LD
        published = page_meta(text).published
        source = "page" if published else None
    try:
        # The same cleaning as a single file gets, so offsets mean the same in both paths.
        article = Article(id=rid, text=prepare_text(text, name=rid), title=known.get("title"), url=known.get("url"),
                          published=published, published_source=source)  # fmt: skip
        return InputRecord(rid, article, None)
    except InputError as exc:
        return InputRecord(rid, None, str(exc))
    except ValidationError as exc:
        return InputRecord(rid, None, f"invalid record: {exc.errors()[0]['msg']}")


def _missing_text(key: str, values: dict[str, Any]) -> str:
    keys = ", ".join(repr(k) for k in list(values)[:12]) or "none"
    return f"no {key!r} field (this record has {keys}); name the text field with --text-field"


def _read_jsonl(path: Path, fields: InputFields) -> Iterator[InputRecord]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            fallback = f"line-{number}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield InputRecord(fallback, None, f"line {number} is not valid UTF-8 (binary data?)")
                continue
            try:
                values = json.loads(line)
            except json.JSONDecodeError as exc:
                reason = f"line {number} is not valid JSON at column {exc.colno}: {_reason(exc)}"
                yield InputRecord(fallback, None, reason)
                continue
            except RecursionError:  # e.g. thousands of nested brackets
                yield InputRecord(fallback, None, f"line {number} is nested too deeply to be an article")
                continue
            if not isinstance(values, dict):
                yield InputRecord(fallback, None, f"line {number} is not a JSON object")
                continue
            yield _record(values, fallback, fields)


def _reason(exc: json.JSONDecodeError) -> str:
    """json's message without its dangling "at" ("Invalid control character at"), which expects the position."""
    return exc.msg.removesuffix(" at").removesuffix(" starting")


def _read_csv(path: Path, fields: InputFields) -> Iterator[InputRecord]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not valid UTF-8; save the CSV as UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or fields.text not in reader.fieldnames:
        columns = ", ".join(repr(c) for c in (reader.fieldnames or [])[:12]) or "no header row"
        raise InputError(
            f"{path} has no {fields.text!r} column (columns: {columns}); "
            "name the text column with --text-field (and the id column with --id-field)"
        )
    for number, row in enumerate(reader, start=1):
        yield _record(dict(row), f"row-{number}", fields)


def _read_dir(path: Path) -> Iterator[InputRecord]:
    for file in sorted(path.glob("*.txt")):
        try:
            text = prepare_bytes(read_bytes(file), name=file.name).text
        except InputError as exc:
            yield InputRecord(file.stem, None, str(exc))
            continue
        # The id is the stem ("4759.txt" → "4759"), so a folder's results join to gold ids.
        yield InputRecord(file.stem, Article(id=file.stem, text=text), None)


# -- output --------------------------------------------------------------------------------------


@dataclass
class ResultLine:
    """One output line; the JSON keys are a stable contract."""

    id: str
    status: str
    summary: dict[str, Any] | None = None
    error: str | None = None
    usage: dict[str, int] = field(default_factory=lambda: Usage().model_dump())
    duration_s: float = 0.0
    retryable: bool = True
    """For a failed line: whether running it again can succeed (not for bad input: broken JSON, empty text)."""

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "summary": self.summary,
            "error": self.error,
            "usage": self.usage,
            "duration_s": round(self.duration_s, 3),
        }
        if self.status != "ok":
            data["retryable"] = self.retryable
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def input_error_line(record: InputRecord) -> ResultLine:
    """The error line of an input that cannot be summarized as it is: re-running it cannot help."""
    return ResultLine(record.id, "error", error=f"input: {record.error}", retryable=False)


def ok_line(rid: str, summary: Summary, duration_s: float) -> ResultLine:
    usage = summary.run.usage.model_dump()
    return ResultLine(rid, "ok", summary.model_dump(mode="json"), usage=usage, duration_s=duration_s)


def error_line(rid: str, exc: BaseException, duration_s: float) -> ResultLine:
    """Any failure as an error line: an id is never lost. Bad input (`InputError`) is marked not retryable."""
    spent = getattr(exc, "usage", None)  # failed attempts spent tokens too
    usage = (spent if isinstance(spent, Usage) else Usage()).model_dump()
    status = exc.status if isinstance(exc, SummarizerError) else "error"
    unsupported = isinstance(exc, UnsupportedLanguageError)  # another backend reads it: worth a --retry-failed
    return ResultLine(rid, status, error=one_line(exc, 500), usage=usage, duration_s=duration_s,
                      retryable=unsupported or not isinstance(exc, InputError))  # fmt: skip


def is_retryable(line: dict[str, Any]) -> bool:
    """Whether a failed line read from disk can succeed when run again (lines written before the
    `retryable` key: all but input errors)."""
    flag = line.get("retryable")
    return flag if isinstance(flag, bool) else not str(line.get("error") or "").startswith("input:")


class ResultLog:
    """The output file: what is already done, and a durable append for each new line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.status: dict[str, str] = {}
        """Id → "ok" / "error" for every complete line on disk."""
        self.final: set[str] = set()
        """Failed ids that running again cannot fix (bad input)."""
        self._fd: int | None = None
        if path.exists():
            self._load()

    def _load(self) -> None:
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a partial last line from a killed run: it never counted as done
            with self.path.open("r+b") as handle:
                handle.truncate(end)
                os.fsync(handle.fileno())
        for raw in data[:end].splitlines():
            try:
                item = json.loads(raw)
                self._note(str(item["id"]), str(item["status"]), item["status"] == "ok" or is_retryable(item))
            except (ValueError, KeyError, TypeError, RecursionError):
                continue  # not one of ours; its id (if any) will be processed again

    def _note(self, rid: str, status: str, retryable: bool) -> None:
        self.status[rid] = status
        if retryable:
            self.final.discard(rid)
        else:
            self.final.add(rid)

    @property
    def failed(self) -> list[str]:
        return [rid for rid, status in self.status.items() if status != "ok"]

    def drop_failed(self) -> list[str]:
        """Rewrite the file without its error lines (atomically) and return their ids."""
        failed = set(self.failed)
        if not failed:
            return []
        lines = self.path.read_bytes().splitlines(keepends=True)
        kept = [line for line in lines if _line_id(line) not in failed]
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.writelines(kept)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.path.parent)
        for rid in failed:
            del self.status[rid]
        self.final -= failed
        return sorted(failed)

    def append(self, line: ResultLine) -> None:
        self.append_all([line])

    def append_all(self, lines: list[ResultLine]) -> None:
        """Lines that finished together: one write each, one fsync for all (an fsync costs milliseconds,
        as much as summarizing an article with the rules)."""
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        for line in lines:
            os.write(self._fd, (line.to_json() + "\n").encode("utf-8"))  # one write: never interleaved or torn
        os.fsync(self._fd)
        for line in lines:
            self._note(line.id, line.status, line.status == "ok" or line.retryable)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _line_id(raw: bytes) -> str | None:
    try:
        return str(json.loads(raw)["id"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
