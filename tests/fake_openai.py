"""An OpenAI-compatible fake server on 127.0.0.1 for tests and benchmarks that need real sockets.

    with FakeOpenAI(rpm=600) as srv:
        srv.enqueue('{"events": []}')            # next assistant reply (FIFO)
        srv.enqueue_fault(status=429, headers={"Retry-After": "1"})
        srv.responder = lambda request: "..."    # default when the queue is empty
        client = openai.OpenAI(base_url=srv.base_url, api_key="test", max_retries=0)

Serves `POST /v1/chat/completions`, and for the Batch API `POST /v1/files`, `GET /v1/files/{id}/content`,
`POST /v1/batches`, `GET /v1/batches/{id}`. Queue items are consumed by chat completions and by batch
lines alike, so a queued fault turns one batch line into an error line.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeOpenAI", "Fault", "extraction_reply"]


@dataclass
class Fault:
    """One injected misbehaviour, consumed by one request."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    """Sleep before answering; combined with no status, the request then succeeds normally."""
    drop: bool = False
    """Close the connection without sending a response."""
    malformed: bool = False
    """Answer 200 with a body that is not JSON."""
    html: bool = False
    """Answer 200 with an HTML page (a proxy's or captive portal's), content type text/html."""


def extraction_reply(request: dict[str, Any]) -> str:
    """A responder giving a valid `RawExtraction` whose quotes are the article's first sentence.

    Finds the article between the prompt's <article> delimiters, so grounding succeeds.
    """
    user = str(request.get("messages", [{}])[-1].get("content", ""))
    found = re.search(r"<article[^>]*>\n(.*?)\n</article>", user, re.S)
    text = found.group(1) if found else user
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0][:400]
    event = {"primary": True, "event_type": "other", "description": "An event.", "quote": sentence}
    return json.dumps({"events": [event]})


def _approx_tokens(text: str) -> int:
    return max(1, len(text) // 4)


class _Bucket:
    """Server-side request limit: a token bucket refilled continuously, like OpenAI's limits behave."""

    def __init__(self, rpm: float, burst: float | None) -> None:
        self.rate = rpm / 60.0
        self.capacity = burst if burst is not None else max(1.0, self.rate)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> float:
        """Consume one request; 0.0 when allowed, else the seconds until one is available."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class _Window:
    """Server-side request limit in fixed windows (`rpm` scaled to the window), the way a provider that
    enforces 300/min as 5 per second behaves: a burst inside one second is refused even under 300/min."""

    def __init__(self, rpm: float, window_s: float) -> None:
        self.allowed = max(1, int(rpm * window_s / 60))
        self.window_s = window_s
        self.current, self.used = -1, 0

    def take(self) -> float:
        """0.0 when allowed, else the seconds until the next window opens."""
        now = time.monotonic()
        window = int(now // self.window_s)
        if window != self.current:
            self.current, self.used = window, 0
        if self.used < self.allowed:
            self.used += 1
            return 0.0
        return (window + 1) * self.window_s - now


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients killed mid-request are expected
            super().handle_error(request, client_address)


class FakeOpenAI:
    """Thread-safe; every public attribute may be read while the server runs."""

    def __init__(
        self, rpm: float | None = None, burst: float | None = None, batch_polls: int = 1, window_s: float | None = None
    ) -> None:
        """`rpm`: a request limit, a continuous bucket with `burst` (default one second's worth); with
        `window_s`, fixed windows instead, and refusals worded like OpenAI's ("try again in 1ms", no
        Retry-After header)."""
        self.responder: Callable[[dict[str, Any]], str] | None = None
        self.completion_tokens_override: int | None = None
        """Report this many completion tokens (e.g. a cut-off answer that still says "tool_calls")."""
        self.error_message: str | None = None
        """The `error.message` of fault answers (default "fake error <status>")."""
        self.refuse_tools = False
        """Answer requests that carry `tools` with Ollama's 400 "does not support tools"."""
        self.always: Fault | None = None
        """A fault every chat request gets (when the queue is empty), e.g. `Fault(html=True)`."""
        self.models: list[dict[str, Any]] | None = [
            {"id": "fake-model", "object": "model", "owned_by": "fake", "max_model_len": 32768}
        ]
        """What `GET /v1/models` lists (vLLM-style, with the context length); None answers 404."""
        self.requests: list[dict[str, Any]] = []
        """Every JSON request body received at /v1/chat/completions, including refused ones."""
        self.served: list[dict[str, Any]] = []
        """Request bodies that got a successful completion (what a real API would bill)."""
        self.rate_limited = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.batch_polls = batch_polls
        """How many `GET /v1/batches/{id}` answer "in_progress" before the batch completes."""
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._rpm = rpm
        self._bucket: _Bucket | _Window | None = None
        if rpm:
            self._bucket = _Window(rpm, window_s) if window_s else _Bucket(rpm, burst)
        self._queue: deque[str | Fault] = deque()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._polls: dict[str, int] = {}
        self._batch_lock = threading.Lock()  # separate from _lock: running a batch takes _lock per line
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- programming the fake -------------------------------------------------------------------
    def enqueue(self, content: str) -> None:
        with self._lock:
            self._queue.append(content)

    def enqueue_fault(
        self,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        delay_s: float = 0.0,
        drop: bool = False,
        malformed: bool = False,
        html: bool = False,
    ) -> None:
        with self._lock:
            self._queue.append(Fault(status, dict(headers or {}), delay_s, drop, malformed, html))

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- behaviour shared by the handler --------------------------------------------------------
    def _next(self, request: dict[str, Any]) -> str | Fault:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            if self.always is not None:
                return self.always
        return self.responder(request) if self.responder else "OK"

    def _admit(self) -> float:
        """0.0 when the rate limit lets the request through, else seconds to wait."""
        if self._bucket is None:
            return 0.0
        with self._lock:
            wait = self._bucket.take()
            if wait:
                self.rate_limited += 1
            return wait

    def _limit_headers(self, wait: float) -> dict[str, str]:
        if not isinstance(self._bucket, _Bucket):
            return {}
        with self._lock:
            tokens, rate = self._bucket.tokens, self._bucket.rate
        reset = wait or max(0.0, (1.0 - tokens) / rate)  # seconds until the next request is allowed
        return {
            "x-ratelimit-limit-requests": str(int(self._rpm or 0)),
            "x-ratelimit-remaining-requests": str(int(tokens)),
            "x-ratelimit-reset-requests": f"{reset * 1000:.0f}ms",
        }

    def _completion(self, request: dict[str, Any], content: str) -> dict[str, Any]:
        prompt = _approx_tokens(json.dumps(request.get("messages", [])))
        completion = self.completion_tokens_override or _approx_tokens(content)
        with self._lock:
            self.served.append(request)
            self.prompt_tokens += prompt
            self.completion_tokens += completion
            n = next(self._ids)
        message, finish = _message(request, content)
        return {
            "id": f"chatcmpl-{n}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.get("model", "fake-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }

    def _new_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}-{next(self._ids)}"


def _message(request: dict[str, Any], content: str) -> tuple[dict[str, Any], str]:
    """A plain message, or a tool call carrying the JSON when instructor asked for tools."""
    tools = request.get("tools") or []
    if tools:
        try:
            json.loads(content)
        except ValueError:
            pass
        else:
            choice = request.get("tool_choice")
            forced = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
            name = forced or tools[0]["function"]["name"]
            call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": content}}
            return {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
    return {"role": "assistant", "content": content}, "stop"


def _error_body(status: int) -> dict[str, Any]:
    kind = "rate_limit_exceeded" if status == 429 else "server_error"
    return {"error": {"message": f"fake error {status}", "type": kind, "code": kind, "param": None}}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet

    # -- plumbing -------------------------------------------------------------------------------
    def _send(
        self,
        status: int,
        body: bytes | dict[str, Any],
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def do_POST(self) -> None:
        routes = {"/v1/chat/completions": self._chat, "/v1/files": self._upload, "/v1/batches": self._batch}
        route = routes.get(self.path.split("?")[0])
        if route is None:
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
        else:
            route()

    def do_GET(self) -> None:
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["v1", "files"] and parts[3] == "content":
            data = self.fake.files.get(parts[2])
            if data is None:
                self._send(404, {"error": {"message": "no such file", "type": "not_found"}})
            else:
                self._send(200, data, content_type="application/octet-stream")
        elif parts == ["v1", "models"] and self.fake.models is not None:
            self._send(200, {"object": "list", "data": self.fake.models})
        elif len(parts) == 3 and parts[:2] == ["v1", "batches"] and parts[2] in self.fake.batches:
            self._send(200, self._poll(parts[2]))
        else:
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    # -- chat completions -----------------------------------------------------------------------
    def _chat(self) -> None:
        request = json.loads(self._body() or b"{}")
        with self.fake._lock:
            self.fake.requests.append(request)
        wait = self.fake._admit()
        if wait and isinstance(self.fake._bucket, _Window):
            body = _error_body(429)
            body["error"]["message"] = (f"Rate limit reached for requests per min (RPM): Limit {self.fake._rpm:g}. "
                                        "Please try again in 1ms.")  # fmt: skip
            self._send(429, body)
            return
        if wait:
            headers = {"Retry-After": str(max(1, round(wait))), "retry-after-ms": f"{wait * 1000:.0f}"}
            self._send(429, _error_body(429), {**headers, **self.fake._limit_headers(wait)})
            return
        if self.fake.refuse_tools and request.get("tools"):
            message = "registry.ollama.ai/library/fake does not support tools"
            self._send(400, {"error": {"message": message, "type": "api_error", "param": None, "code": None}})
            return
        reply = self.fake._next(request)
        if isinstance(reply, Fault):
            self._fault(request, reply)
        else:
            self._send(200, self.fake._completion(request, reply), self.fake._limit_headers(0.0))

    def _fault(self, request: dict[str, Any], fault: Fault) -> None:
        time.sleep(fault.delay_s)
        if fault.drop:
            self._drop()
        elif fault.malformed:
            self._send(200, b'{"id": "chatcmpl-broken", "choices": [', fault.headers)
        elif fault.html:
            page = b"<!DOCTYPE html><html><body><h1>Gateway</h1><p>Please sign in.</p></body></html>"
            self._send(200, page, fault.headers, content_type="text/html; charset=utf-8")
        elif fault.status:
            body = _error_body(fault.status)
            if self.fake.error_message:
                body["error"]["message"] = self.fake.error_message
            self._send(fault.status, body, fault.headers)
        else:  # only slow: answer normally with the next queued content
            reply = self.fake._next(request)
            content = reply if isinstance(reply, str) else "OK"
            self._send(200, self.fake._completion(request, content), fault.headers)

    # -- files and batches ----------------------------------------------------------------------
    def _upload(self) -> None:
        header = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + self._body())
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        data = fields["file"].get_payload(decode=True) if "file" in fields else b""
        file_id = self.fake._new_id("file")
        self.fake.files[file_id] = data
        purpose = fields["purpose"].get_payload(decode=True).decode() if "purpose" in fields else "batch"
        self._send(
            200,
            {
                "id": file_id,
                "object": "file",
                "bytes": len(data),
                "created_at": int(time.time()),
                "filename": fields["file"].get_filename() if "file" in fields else "upload.jsonl",
                "purpose": purpose,
                "status": "processed",
            },
        )

    def _batch(self) -> None:
        request = json.loads(self._body() or b"{}")
        batch_id = self.fake._new_id("batch")
        batch = {
            "id": batch_id,
            "object": "batch",
            "endpoint": request.get("endpoint"),
            "input_file_id": request.get("input_file_id"),
            "completion_window": request.get("completion_window", "24h"),
            "status": "validating",
            "created_at": int(time.time()),
            "metadata": request.get("metadata"),
            "output_file_id": None,
            "error_file_id": None,
            "errors": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
        }
        self.fake.batches[batch_id] = batch
        self._send(200, batch)

    def _poll(self, batch_id: str) -> dict[str, Any]:
        with self.fake._batch_lock:
            return self._advance(batch_id)

    def _advance(self, batch_id: str) -> dict[str, Any]:
        batch = self.fake.batches[batch_id]
        polls = self.fake._polls.get(batch_id, 0) + 1
        self.fake._polls[batch_id] = polls
        if batch["status"] != "completed":
            if polls > self.fake.batch_polls:
                self._run_batch(batch)
            else:
                batch["status"] = "in_progress"
        return batch

    def _run_batch(self, batch: dict[str, Any]) -> None:
        ok: list[str] = []
        failed: list[str] = []
        for line in self.fake.files[batch["input_file_id"]].decode().splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            reply = self.fake._next(item["body"])
            entry = {"id": self.fake._new_id("batch_req"), "custom_id": item["custom_id"]}
            if isinstance(reply, Fault):
                status = reply.status or 500
                entry |= {
                    "response": {"status_code": status, "body": _error_body(status)},
                    "error": {"code": "server_error", "message": f"fake error {status}"},
                }
                failed.append(json.dumps(entry))
            else:
                body = self.fake._completion(item["body"], reply)
                entry |= {
                    "response": {"status_code": 200, "request_id": entry["id"], "body": body},
                    "error": None,
                }
                ok.append(json.dumps(entry))
        batch["output_file_id"] = self._store(ok)
        batch["error_file_id"] = self._store(failed) if failed else None
        batch["request_counts"] = {
            "total": len(ok) + len(failed),
            "completed": len(ok),
            "failed": len(failed),
        }
        batch["status"] = "completed"
        batch["completed_at"] = int(time.time())

    def _store(self, lines: list[str]) -> str:
        file_id = self.fake._new_id("file")
        self.fake.files[file_id] = "".join(f"{line}\n" for line in lines).encode()
        return file_id
