"""Everyday inputs and outputs: `-o FILE` picks the format from its extension, a URL argument is fetched
from a real server on 127.0.0.1, stdin is read when piped, batch reads other text/id keys when told, and
Parquet without the Ray engine is one clear error."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batch import BatchOptions, read_results, run_batch
from summarizer.batch.io import InputFields, read_inputs
from summarizer.cli import app, article_source
from summarizer.config import Settings
from summarizer.errors import InputError

TEXT = "Gunmen kill three in Kano\n\nGunmen killed three people in Kano on Wednesday, police said."
runner = CliRunner()


def _one_line_error(stderr: str) -> str:
    message = stderr.strip()
    assert message.startswith("error: ") and "\n" not in message, stderr
    return message


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


# ---------------------------------------------------------------- -o FILE: the format from the extension


@pytest.mark.parametrize(
    ("name", "looks_right"),
    [
        ("s.json", lambda out: json.loads(out)["article"]["title"] == "Gunmen kill three in Kano"),
        ("s.md", lambda out: out.startswith("# ")),
        ("s.html", lambda out: out.lstrip().lower().startswith("<!doctype html")),
        ("s.csv", lambda out: next(csv.reader(io.StringIO(out)))[0] == "article_id"),
        ("s.txt", lambda out: "PRIMARY EVENT" in out),
        ("s.out", lambda out: "PRIMARY EVENT" in out),  # an extension that names no format: text
    ],
)
def test_output_format_follows_the_extension(tmp_path: Path, article: Path, name: str, looks_right: object) -> None:
    target = tmp_path / name
    result = runner.invoke(app, ["summarize", str(article), "-b", "rules", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert callable(looks_right) and looks_right(target.read_text(encoding="utf-8"))


def test_an_explicit_format_that_agrees_is_fine(tmp_path: Path, article: Path) -> None:
    target = tmp_path / "s.json"
    result = runner.invoke(app, ["summarize", str(article), "-b", "rules", "-f", "json", "-o", str(target)])
    assert result.exit_code == 0 and json.loads(target.read_text(encoding="utf-8"))["events"]


def test_an_explicit_format_that_contradicts_the_extension_is_one_line(tmp_path: Path, article: Path) -> None:
    target = tmp_path / "s.html"
    result = runner.invoke(app, ["summarize", str(article), "-b", "rules", "-f", "json", "-o", str(target)])
    assert result.exit_code == 2 and not target.exists()
    assert "-f json contradicts" in _one_line_error(result.stderr) and "s.html" in result.stderr


# ---------------------------------------------------------------- a URL argument, from a real server


PAGE = """<!doctype html><html><head><title>Gunmen kill three in Kano - The Daily</title>
<meta property="og:title" content="Gunmen kill three in Kano">
<meta property="article:published_time" content="Thu, 08 Feb 2024 10:00:00 GMT">
</head><body><nav>Home | World | Sport</nav><article><h1>Gunmen kill three in Kano</h1>
<p>Gunmen killed three people in Kano on Wednesday, police said. The attack happened at a market.</p>
<p>Residents said the gunmen arrived on motorcycles and fired into the crowd before fleeing.</p>
</article><footer>Copyright The Daily</footer></body></html>"""


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/news/kano")
            self.end_headers()
            return
        if self.path != "/news/kano":
            self.send_error(404, "Not Found")
            return
        body = PAGE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_url_is_fetched_cleaned_and_keeps_its_url_title_and_date(site: str) -> None:
    result = runner.invoke(app, ["summarize", f"{site}/moved", "-b", "rules", "-f", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    article = summary["article"]
    assert article["url"] == f"{site}/news/kano"  # where the redirect led
    assert article["title"] == "Gunmen kill three in Kano"
    assert article["published"] == "2024-02-08T10:00+00:00" and article["published_source"] == "page"
    assert summary["events"][0]["when"]["date"] == "2024-02-07"
    assert summary["events"][0]["where"]["place"] == "Kano"
    assert "Home | World" not in result.stdout and "Copyright" not in result.stdout


def test_a_missing_page_is_one_line(site: str) -> None:
    result = runner.invoke(app, ["summarize", f"{site}/gone", "-b", "rules"])
    assert result.exit_code == 2
    assert "404" in _one_line_error(result.stderr) and f"{site}/gone" in result.stderr


def test_a_server_that_is_not_there_is_one_line() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = runner.invoke(app, ["summarize", f"http://127.0.0.1:{port}/x", "-b", "rules"])
    assert result.exit_code == 2
    assert f"cannot fetch http://127.0.0.1:{port}/x" in _one_line_error(result.stderr)


# ---------------------------------------------------------------- stdin


def test_piped_text_is_read_without_an_argument() -> None:
    result = runner.invoke(app, ["summarize", "-b", "rules", "-f", "json"], input=TEXT)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["events"][0]["where"]["place"] == "Kano"


def test_no_argument_at_a_terminal_says_what_to_pass() -> None:
    assert article_source(None, stdin_is_terminal=False) == "-"
    assert article_source("a.txt", stdin_is_terminal=True) == "a.txt"
    with pytest.raises(InputError, match="no ARTICLE given"):
        article_source(None, stdin_is_terminal=True)


# ---------------------------------------------------------------- batch: other keys, Parquet


def _jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_keyed_body_is_read_with_text_field(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [{"guid": "k1", "body": TEXT}, {"guid": "k2", "content": TEXT}])
    records = list(read_inputs(source, InputFields(text="body", id="guid")))
    assert records[0].id == "k1" and records[0].article is not None and records[0].error is None
    assert records[1].id == "k2" and records[1].error is not None
    assert "no 'body' field" in records[1].error and "'content'" in records[1].error
    assert "--text-field" in records[1].error


def test_without_the_flag_each_line_names_the_missing_key_and_the_flag(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [{"id": "a", "body": TEXT}, {"id": "b", "text": TEXT}])
    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, Settings(backend="rules"), BatchOptions(progress=False))
    lines = {line["id"]: line for line in read_results(out)}
    assert lines["b"]["status"] == "ok" and report.failed_ids == ["a"]
    assert "no 'text' field" in lines["a"]["error"] and "'body'" in lines["a"]["error"]
    assert "--text-field" in lines["a"]["error"]


def test_batch_command_reads_csv_columns_named_by_the_flags(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["story_id", "content"], ["s1", TEXT]])
    out = tmp_path / "out.jsonl"
    refused = runner.invoke(app, ["batch", str(source), "-o", str(out), "-b", "rules"])
    assert refused.exit_code == 2
    assert "no 'text' column" in _one_line_error(refused.stderr) and "--text-field" in refused.stderr
    args = ["batch", str(source), "-o", str(out), "-b", "rules", "--text-field", "content", "--id-field", "story_id"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [(line["id"], line["status"]) for line in read_results(out)] == [("s1", "ok")]


PARQUET_BYTES = b"PAR1" + bytes(range(256)) * 40 + b"\n" * 50 + b"PAR1"


@pytest.mark.parametrize("name", ["articles.parquet", "articles.jsonl"])
def test_parquet_without_the_ray_engine_is_one_error(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes(PARQUET_BYTES)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "-b", "rules"])
    assert result.exit_code == 2
    message = _one_line_error(result.stderr)
    assert "is Parquet" in message and "--engine ray" in message
    assert not out.exists()


def test_a_folder_of_parquet_without_the_ray_engine_is_one_error(tmp_path: Path) -> None:
    folder = tmp_path / "shards"
    folder.mkdir()
    (folder / "part-0.parquet").write_bytes(PARQUET_BYTES)
    with pytest.raises(InputError, match="--engine ray"):
        read_inputs(folder)
