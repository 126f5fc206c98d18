"""Tiny batch inputs shared by the batch tests: one short article, numbered so a request names its article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEXT = "Gunmen opened fire on a market in Kano on Tuesday, killing at least 5 people, police said."


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def numbered_articles(n: int) -> list[dict[str, Any]]:
    return [{"id": f"a{i}", "text": f"{TEXT} Report number {i}."} for i in range(n)]
