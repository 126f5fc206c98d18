"""Results directories of `batch --engine ray` without Ray: shards, manifest, merge, retry, readers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.batch import read_results, shards
from summarizer.batch.io import ResultLine
from summarizer.batch.ray_engine import RAY_HINT, import_ray
from summarizer.errors import ConfigError, InputError
from summarizer.eval.gold import read_predictions

REPO = Path(__file__).resolve().parents[1]


def _write(directory: Path, ids: list[str], status: str = "error", max_lines: int = 2) -> shards.ShardWriter:
    writer = shards.ShardWriter(directory, max_lines=max_lines, max_wait_s=60)
    for rid in ids:
        writer.add(ResultLine(rid, status, error="boom" if status == "error" else None).to_json())
    writer.flush()
    return writer


def test_shards_are_whole_files_and_a_reader_keeps_each_id_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    writer = _write(out, ["a", "b", "c"])
    assert writer.written == [p.name for p in shards.shard_files(out)] and len(writer.written) == 2
    (out / ".part-x.jsonl.123.tmp").write_text('{"id": "half', encoding="utf-8")  # a killed write
    _write(out, ["a"])  # a hand-copied duplicate shard
    assert shards.done_status(out) == {"a": "error", "b": "error", "c": "error"}
    assert [line["id"] for line in read_results(out)] == ["a", "b", "c"]


def test_merge_needs_the_manifest_and_writes_one_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, ["a", "b", "c"], status="error")
    with pytest.raises(InputError, match="_SUCCESS"):
        shards.merge(out, tmp_path / "merged.jsonl")
    shards.write_manifest(out, {"total": 3})
    assert json.loads((out / shards.SUCCESS).read_text())["shards"] == [p.name for p in shards.shard_files(out)]
    assert shards.merge(out, tmp_path / "merged.jsonl") == 3
    assert [line["id"] for line in read_results(tmp_path / "merged.jsonl")] == ["a", "b", "c"]
    assert set(read_predictions(out)) == {"a", "b", "c"}  # eval score reads the directory too


def test_drop_failed_rewrites_only_shards_with_errors(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, ["e1", "e2"], status="error")
    writer = shards.ShardWriter(out, max_lines=10, max_wait_s=60)
    writer.add(ResultLine("ok1", "ok", summary={}).to_json())
    writer.add(ResultLine("e3", "error", error="x").to_json())
    writer.flush()
    assert shards.drop_failed(out) == ["e1", "e2", "e3"]
    assert shards.done_status(out) == {"ok1": "ok"}


def test_cli_merge_and_missing_ray_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _write(out, ["a", "b"])
    shards.write_manifest(out, {"total": 2})
    env = {"PYTHONPATH": str(REPO), "SUMMARIZER_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "summarizer", "batch", str(out), "--merge", "-o", str(tmp_path / "one.jsonl")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["merged"] == 2 and len(read_results(tmp_path / "one.jsonl")) == 2
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    with pytest.raises(ConfigError) as info:
        import_ray()
    assert str(info.value) == RAY_HINT and "summarizer[ray]" in RAY_HINT
