"""llama-cpp-python's own OpenAI-compatible server with the embedded GGUF, behind a logging proxy.

    with LlamaServer() as server:             # python -m llama_cpp.server on 127.0.0.1, a free port
        with LoggingProxy(server.url) as proxy:
            ... --base-url proxy.base_url ...
            proxy.log                         # every request: path, body, status, seconds, usage

Used by the `real_server` tests and by benchmarks/llm_server.py. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["Exchange", "LlamaServer", "LoggingProxy", "free_port", "server_available"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_available() -> bool:
    """llama-cpp-python's server extras (uvicorn, fastapi) are installed."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("llama_cpp", "uvicorn", "fastapi", "sse_starlette"))


class LlamaServer:
    """`python -m llama_cpp.server --model <embedded gguf>` on a free local port; stopped on exit."""

    def __init__(self, n_ctx: int = 4096, n_threads: int | None = None, log_path: Path | None = None,
                 model_path: Path | None = None, port: int | None = None) -> None:  # fmt: skip
        from summarizer.backends.llamacpp import embedded_model_path

        self.model_path = model_path or embedded_model_path()
        self.port = port or free_port()
        self.n_ctx, self.n_threads = n_ctx, n_threads or max(1, os.cpu_count() or 1)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait_s: float = 120.0) -> LlamaServer:
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path), "--host", "127.0.0.1",
                   "--port", str(self.port), "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
                   "--seed", "0"]  # fmt: skip
        log = self.log_path.open("wb") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/v1/models", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"llama_cpp.server did not answer within {wait_s:g}s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Exchange:
    """One request through the proxy."""

    method: str
    path: str
    body: dict[str, Any]
    status: int = 0
    seconds: float = 0.0
    response: dict[str, Any] = field(default_factory=dict)
    started: float = 0.0

    @property
    def usage(self) -> dict[str, int]:
        return dict(self.response.get("usage") or {})


class LoggingProxy:
    """Forwards every request to `upstream` and keeps what went over the wire."""

    def __init__(self, upstream: str, timeout_s: float = 600.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.timeout_s = timeout_s
        self.log: list[Exchange] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "proxy not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def chat(self) -> list[Exchange]:
        with self._lock:
            return [x for x in self.log if x.path.endswith("/chat/completions")]

    def start(self) -> LoggingProxy:
        handler = type("_Bound", (_ProxyHandler,), {"proxy": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LoggingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _ProxyHandler(BaseHTTPRequestHandler):
    proxy: LoggingProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._forward("GET")

    def do_POST(self) -> None:
        self._forward("POST")

    def _forward(self, method: str) -> None:
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(data) if data else {}
        except ValueError:
            body = {"_raw": data.decode("utf-8", "replace")}
        exchange = Exchange(method, self.path, body, started=time.monotonic())
        with self.proxy._lock:
            self.proxy.log.append(exchange)
        host, port = self.proxy.upstream.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=self.proxy.timeout_s)
        try:
            headers = {"Content-Type": "application/json"} if data else {}
            connection.request(method, self.path, body=data or None, headers=headers)
            upstream = connection.getresponse()
            payload = upstream.read()
        except OSError:
            exchange.status, exchange.seconds = 599, time.monotonic() - exchange.started
            self.close_connection = True
            return
        finally:
            connection.close()
        exchange.status, exchange.seconds = upstream.status, time.monotonic() - exchange.started
        try:
            exchange.response = json.loads(payload)
        except ValueError:
            exchange.response = {}
        try:
            self.send_response(upstream.status)
            self.send_header("Content-Type", upstream.getheader("Content-Type") or "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up (timeout) while the server was still working
            self.close_connection = True
