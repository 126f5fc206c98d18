"""Eval data a user can reach: lookup order, a checked download from a server on 127.0.0.1, the checksum
failure and the offline message. Nothing here reaches the network."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import DatasetError
from summarizer.eval import datasets, fetch
from summarizer.eval.datasets import load_dataset
from summarizer.eval.fetch import DataFile, data_file, known_files

SHARED = fetch.CHECKOUT_DATA
BODY = b"Article id\tx\n1\thello\n"
SPEC = DataFile("demo/file.tsv", "https://example.invalid/demo/file.tsv", hashlib.sha256(BODY).hexdigest(), len(BODY))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder served on 127.0.0.1 as SUMMARIZER_DATA_URL; no local copy beside the checkout."""
    root = tmp_path / "served"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SUMMARIZER_DATA_URL", f"http://127.0.0.1:{httpd.server_address[1]}")
    monkeypatch.setattr(fetch, "CHECKOUT_DATA", tmp_path / "no-checkout")
    monkeypatch.delenv("SUMMARIZER_DATA", raising=False)
    try:
        yield root
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> DataFile:
    monkeypatch.setattr(fetch, "known_files", lambda: {SPEC.name: SPEC})
    return SPEC


def _serve(root: Path, name: str, body: bytes) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(body)


def test_download_is_checked_and_cached(server: Path, demo: DataFile, isolated_home: Path) -> None:
    _serve(server, demo.name, BODY)
    path = data_file(demo.name)
    assert path == isolated_home / "data" / demo.name and path.read_bytes() == BODY
    (server / demo.name).unlink()  # the second use reads the cache, no server needed
    assert data_file(demo.name).read_bytes() == BODY


def test_checksum_mismatch_keeps_nothing(server: Path, demo: DataFile, isolated_home: Path) -> None:
    _serve(server, demo.name, BODY + b"tampered")
    with pytest.raises(DatasetError, match=r"checksum mismatch for demo/file\.tsv") as info:
        data_file(demo.name)
    assert "SUMMARIZER_DATA" in str(info.value)
    assert not list((isolated_home / "data").rglob("*file.tsv*"))


def test_offline_names_the_url_and_the_manual_step(
    demo: DataFile, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "CHECKOUT_DATA", tmp_path / "no-checkout")
    monkeypatch.delenv("SUMMARIZER_DATA", raising=False)  # conftest points SUMMARIZER_DATA_URL at a closed port
    with pytest.raises(DatasetError) as info:
        data_file(demo.name)
    message = str(info.value)
    assert "cannot download demo/file.tsv from http://127.0.0.1:9/demo/file.tsv" in message
    assert f"save it as {isolated_home / 'data' / demo.name}" in message and "SUMMARIZER_DATA" in message


def test_a_corrupt_cache_is_fetched_again(server: Path, demo: DataFile, isolated_home: Path) -> None:
    _serve(server, demo.name, BODY)
    cached = isolated_home / "data" / demo.name
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"half a file")
    assert data_file(demo.name).read_bytes() == BODY


def test_lookup_order(tmp_path: Path, demo: DataFile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMARIZER_DATA", raising=False)  # the order is what this test checks
    local, beside = tmp_path / "local", tmp_path / "checkout-shared"
    for folder in (local, beside):
        _serve(folder, demo.name, folder.name.encode())
    monkeypatch.setattr(fetch, "CHECKOUT_DATA", beside)
    assert data_file(demo.name).read_bytes() == b"checkout-shared"
    monkeypatch.setenv("SUMMARIZER_DATA", str(local))
    assert data_file(demo.name).read_bytes() == b"local"
    monkeypatch.setenv("SUMMARIZER_DATA", str(tmp_path / "empty"))
    with pytest.raises(DatasetError, match="SUMMARIZER_DATA="):
        data_file(demo.name)


def test_sources_pin_a_commit_and_match_the_local_copies() -> None:
    files = known_files()
    assert "gvdb/dev.tsv" in files and "muc/key-tst1.v7" in files
    assert files["gvdb/dev.tsv"].url.startswith(
        "https://raw.githubusercontent.com/pitrack/arglinking/ebc84d15e9a46cd0a65a42ee391e9f249dfeda72/"
    )
    assert all("/d829ed82f59afc755080b8ced6f2554f081b781a/" in f.url for n, f in files.items() if n.startswith("muc/"))
    for name, spec in files.items():
        local = SHARED / name
        if local.exists():
            assert fetch.sha256_of(local) == spec.sha256, name
            assert local.stat().st_size == spec.bytes, name
    raw = json.loads(fetch.SOURCES.read_text(encoding="utf-8"))
    assert set(raw["sources"]) == {"gvdb", "muc"}


@pytest.mark.skipif(not (SHARED / "gvdb" / "dev.tsv").exists(), reason="GVDB dev.tsv not available")
def test_gvdb_dev_for_a_user_without_a_checkout(server: Path, tmp_path: Path) -> None:
    """`eval run --dataset gvdb-dev` works with no ../shared/data: fetched, checked, cached; then offline."""
    _serve(server, "gvdb/dev.tsv", (SHARED / "gvdb" / "dev.tsv").read_bytes())
    assert len(load_dataset("gvdb-dev")) == 200
    shutil.rmtree(server / "gvdb")
    result = CliRunner().invoke(
        app, ["eval", "run", "--dataset", "gvdb-dev", "--limit", "2", "--backend", "rules", "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output


def test_offline_dataset_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "CHECKOUT_DATA", tmp_path / "no-checkout")
    for name in ("SUMMARIZER_GVDB_DIR", "SUMMARIZER_DATA"):  # a user with neither, offline
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, ["eval", "run", "-d", "gvdb-dev", "--backend", "rules", "-o", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot download gvdb/dev.tsv") and "offline?" in result.output


@pytest.mark.skipif(not (SHARED / "gvdb" / "dev.tsv").exists(), reason="GVDB dev.tsv not available")
def test_without_a_checkout_the_sample_is_recomputed_identically(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    committed = [a.id for a in load_dataset("gvdb-dev")]
    monkeypatch.setattr(datasets, "GVDB_SAMPLE", tmp_path / "no-sample.txt")  # as in a pip install
    assert [a.id for a in load_dataset("gvdb-dev")] == committed
