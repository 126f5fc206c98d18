"""A content-addressed response cache in SQLite, shared by `summarize`, `batch` and `eval run`.

Keys are hashes of canonical JSON of everything that changes a model's answer (backend, model, prompt
hash, the messages, settings) and nothing else, so re-runs cost no tokens. Secrets never enter a key.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from summarizer.config import Settings, home_dir


def cache_key(parts: dict[str, Any]) -> str:
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    """Thread-safe; one connection per cache, serialized by a lock (SQLite writes are short)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO responses (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    def close(self) -> None:
        with self._lock:
            self._db.close()


_shared: dict[str, ResponseCache] = {}
_shared_lock = threading.Lock()


def open_cache(settings: Settings) -> ResponseCache | None:
    """The cache a run should use, or None when caching is off; one instance per path per process."""
    if not settings.use_cache:
        return None
    path = str(settings.cache_path or home_dir() / "cache.sqlite3")
    with _shared_lock:
        if path not in _shared:
            _shared[path] = ResponseCache(path)
        return _shared[path]
