"""`--mode openai-batch`: the same articles and output as live mode, through OpenAI's Batch API.

    pending articles ──► request JSONL (same messages and tool schema as the live path) ──► upload
        ──► create batch ──► poll ──► download results + errors ──► validate, ground, normalize ──► OUT

Resumable: the batch id is saved beside OUT (`OUT.batch.json`) right after the batch is created, so a
re-run polls the existing batch instead of paying for a second one. Answers are validated once (there is
no re-ask in a batch); invalid ones become error lines that `--retry-failed` can send again.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import ValidationError

from summarizer.backends.openai_compat import DEFAULT_OPENAI_MODEL
from summarizer.backends.prompts import RenderedPrompt
from summarizer.batch.io import InputRecord, ResultLine, ResultLog, input_error_line
from summarizer.batch.options import BatchOptions, BatchReport
from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError, SummarizerError
from summarizer.extract import Document
from summarizer.extract.full import FULL_MAX_TOKENS, MAX_ARTICLE_CHARS, drop_example_copies, example_values, request_for
from summarizer.pipeline import RunLabel, complete, prepare
from summarizer.raw import RawExtraction
from summarizer.record import RunRecord
from summarizer.schema import Article, Summary, Usage

if TYPE_CHECKING:
    import openai

TERMINAL = ("completed", "failed", "expired", "cancelled")
ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"


def state_path(out: Path) -> Path:
    return out.with_name(out.name + ".batch.json")


def run_openai_batch(
    pending: list[InputRecord], log: ResultLog, settings: Settings, options: BatchOptions, report: BatchReport
) -> None:
    started = time.monotonic()
    for record in pending:
        if record.article is None:
            _write(log, report, input_error_line(record))
    articles = {r.id: r.article for r in pending if r.article is not None}
    client = _client(settings)
    state_file = state_path(log.path)
    state = _load_state(state_file)
    if state is None:
        sendable = _sendable(articles, log, report)
        if not sendable:
            return
        state = _submit(client, sendable, settings, state_file)
    else:
        report.notes.append(f"resuming batch {state['batch_id']}")
    batch = _poll(client, state["batch_id"], options)
    _collect(client, batch, state["ids"], articles, log, report, settings)
    state_file.unlink(missing_ok=True)
    left = [rid for rid in articles if rid not in log.status]
    if left:
        report.notes.append(f"{len(left)} article(s) were not in batch {state['batch_id']}; re-run to send them")
    report.duration_s = time.monotonic() - started


def _sendable(articles: dict[str, Article], log: ResultLog, report: BatchReport) -> dict[str, Article]:
    """The articles a prompt can be built for; the others (e.g. text that fails validation) get error lines now."""
    ready: dict[str, Article] = {}
    for rid, article in articles.items():
        try:
            _prepare(article)
        except SummarizerError as exc:
            _write(log, report, ResultLine(rid, "error", error=str(exc)))
        else:
            ready[rid] = article
    return ready


def _client(settings: Settings) -> openai.OpenAI:
    import openai

    if not settings.api_key and not settings.base_url:
        raise ConfigError("openai-batch mode needs OPENAI_API_KEY (or --base-url for a compatible server)")
    # A handful of control-plane calls: the SDK's own retries are enough here.
    return openai.OpenAI(api_key=settings.api_key or "not-needed", base_url=settings.base_url, max_retries=5)


class _Prepared(NamedTuple):
    doc: Document
    request: RenderedPrompt


def _prepare(article: Article) -> _Prepared:
    """The live pipeline's own preparation (validation, publication date, injection masking) and the
    full extractor's request over the masked text; deterministic, so recomputed on collect."""
    doc = prepare(article)
    return _Prepared(doc, request_for(doc.masked, doc.meta.published))


def _model(settings: Settings) -> str:
    return settings.model or DEFAULT_OPENAI_MODEL


def _request_line(custom_id: str, article: Article, settings: Settings) -> dict[str, Any]:
    """One Batch API request: the live path's messages and instructor's tool schema (Mode.TOOLS)."""
    import instructor

    schema: dict[str, Any] = instructor.openai_schema(RawExtraction).openai_schema  # type: ignore[attr-defined]
    body = {
        "model": _model(settings),
        "messages": _prepare(article).request.messages,
        "temperature": settings.temperature,
        "seed": settings.seed,
        "max_tokens": FULL_MAX_TOKENS,
        "tools": [{"type": "function", "function": schema}],
        "tool_choice": {"type": "function", "function": {"name": schema["name"]}},
    }
    return {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}


def _submit(
    client: openai.OpenAI, articles: dict[str, Article], settings: Settings, state_file: Path
) -> dict[str, Any]:
    # Custom ids are positions in `ids`: the API limits their length, article ids have no limit.
    lines = [json.dumps(_request_line(f"req-{i}", a, settings)) for i, a in enumerate(articles.values())]
    with tempfile.TemporaryFile() as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
        handle.seek(0)
        upload = client.files.create(file=("requests.jsonl", handle), purpose="batch")
    batch = client.batches.create(input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h")
    state = {"batch_id": batch.id, "input_file_id": upload.id, "ids": list(articles)}
    _save_state(state_file, state)  # before anything else can fail: never pay for the same batch twice
    return state


def _poll(client: openai.OpenAI, batch_id: str, options: BatchOptions) -> Any:
    show = options.progress if options.progress is not None else sys.stderr.isatty()
    while True:
        batch = client.batches.retrieve(batch_id)
        if show:
            counts = batch.request_counts
            done = f" {counts.completed + counts.failed}/{counts.total}" if counts else ""
            print(f"batch {batch_id}: {batch.status}{done}", file=sys.stderr)
        if batch.status in TERMINAL:
            return batch
        time.sleep(options.poll_interval_s)


def _collect(
    client: openai.OpenAI,
    batch: Any,
    ids: list[str],
    articles: dict[str, Article],
    log: ResultLog,
    report: BatchReport,
    settings: Settings,
) -> None:
    for file_id in (batch.output_file_id, batch.error_file_id):
        if not file_id:
            continue
        for raw in client.files.content(file_id).text.splitlines():
            if raw.strip():
                item = json.loads(raw)
                rid = _article_id(str(item.get("custom_id")), ids)
                if rid in articles and rid not in log.status:  # else: done earlier, or gone from the input
                    _one_result(rid, item, articles[rid], log, report, settings)
    reason = _batch_failure(batch)
    for rid in ids:
        if rid in articles and rid not in log.status:
            _write(log, report, ResultLine(rid, "error", error=f"no result from batch {batch.id}: {reason}"))


def _batch_failure(batch: Any) -> str:
    errors = getattr(batch, "errors", None)
    data = getattr(errors, "data", None) or []
    detail = "; ".join(str(getattr(e, "message", e)) for e in data[:3])
    return f"status {batch.status}" + (f" ({detail})" if detail else "")


def _article_id(custom_id: str, ids: list[str]) -> str | None:
    try:
        return ids[int(custom_id.removeprefix("req-"))]
    except (ValueError, IndexError):
        return None


def _one_result(
    rid: str, item: dict[str, Any], article: Article, log: ResultLog, report: BatchReport, settings: Settings
) -> None:
    response = item.get("response") or {}
    body = response.get("body") or {}
    if response.get("status_code") != 200 or item.get("error"):
        error = item.get("error") or body.get("error") or {}
        message = error.get("message", "unknown error") if isinstance(error, dict) else str(error)
        _write(log, report, ResultLine(rid, "error", error=f"batch request failed: {message}"))
        return
    usage = Usage(**{k: body.get("usage", {}).get(k, 0) for k in ("prompt_tokens", "completion_tokens")}, calls=1)
    try:
        summary = _finish(article, body, settings, usage)
    except SummarizerError as exc:
        _write(log, report, ResultLine(rid, "error", error=str(exc), usage=usage.model_dump()))
        return
    _write(log, report, ResultLine(rid, "ok", summary.model_dump(mode="json"), usage=usage.model_dump()))


def _finish(article: Article, body: dict[str, Any], settings: Settings, usage: Usage) -> Summary:
    """Validate the answer against the live path's response model, then complete it as a live run does."""
    doc, request = _prepare(article)
    raw = _parse(body, RawExtraction)
    record = RunRecord(usage=usage)
    record.add_prompt(request.info)
    record.filled_by("model")
    drop_example_copies(raw, example_values(request.example), doc.masked, record)  # as the live full run does
    if len(doc.masked) > MAX_ARTICLE_CHARS:  # one request per article: long ones are cut
        record.warnings.append(f"article cut to its first {MAX_ARTICLE_CHARS} characters for the model")
    label = RunLabel("full", "openai", str(body.get("model") or _model(settings)))
    return complete(doc, raw, record, label, 0.0)


def _parse(body: dict[str, Any], response_model: type[RawExtraction]) -> RawExtraction:
    try:
        message = body["choices"][0]["message"]
        calls = message.get("tool_calls") or []
        arguments = calls[0]["function"]["arguments"] if calls else message.get("content") or ""
        return response_model.model_validate_json(arguments)
    except (KeyError, IndexError, TypeError) as exc:
        raise BackendError(f"batch answer has no message: {exc!r}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]["msg"]
        raise BackendError(f"batch answer failed validation ({exc.error_count()} error(s)): {first}") from exc


def _write(log: ResultLog, report: BatchReport, line: ResultLine) -> None:
    log.append(line)
    report.add(line)


def _load_state(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        return {"batch_id": str(state["batch_id"]), "ids": [str(i) for i in state["ids"]]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"cannot read batch state {path}: {exc}; delete it to submit a new batch") from exc


def _save_state(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(state, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
