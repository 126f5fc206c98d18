"""CLI manners: -h and --version, choices and defaults in --help, flags as flags, one example per command,
and every user-facing failure a one-line error with exit 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.version import __version__
from tests.conftest import ROOT, SEED

runner = CliRunner()
COMMANDS = [[], ["summarize"], ["batch"], ["eval"], ["eval", "run"], ["eval", "score"], ["eval", "compare"]]


def _help(*words: str) -> str:
    result = runner.invoke(app, [*words, "-h"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "root")
def test_dash_h_shows_help_with_an_example(words: list[str]) -> None:
    text = _help(*words)
    assert "Usage" in text
    assert "Example: summarizer" in text
    assert "<bool>" not in text  # a flag must not look like it takes true/false


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"summarizer {__version__}"


def test_help_shows_choices_and_defaults() -> None:
    summarize = _help("summarize")
    for expected in ("<local|openai|rules>", "<auto|full|hybrid|select>", "default: (local)", "gpt-4o-mini",
                     "default: (auto", "<text|json|markdown|html|"):  # fmt: skip
        assert expected in summarize, expected
    batch = _help("batch")
    for expected in ("<live|openai-batch>", "default: (no limit)", "default 8, or 1 for a", "default: live",
                     "--strategy", "--model-fields"):  # fmt: skip
        assert expected in batch, expected
    assert "default: (all)" in _help("eval", "run")


def test_a_flag_given_a_value_is_refused() -> None:
    result = runner.invoke(app, ["summarize", str(SEED), "--backend", "rules", "--no-cache", "true"])
    assert result.exit_code == 2 and "unexpected extra argument" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["summarize", str(SEED), "--backend", "rules", "--strategy", "bogus"],
        ["summarize", str(SEED), "--backend", "bogus"],
        ["batch", str(SEED), "-o", "x.jsonl", "--backend", "rules", "--mode", "bogus"],
        ["eval", "run", "-d", "seed", "-o", "x", "--backend", "rules", "--strategy", "bogus"],
    ],
    ids=["strategy-rules", "backend", "batch-mode", "eval-strategy"],
)
def test_bad_option_values_are_refused_with_the_choices(args: list[str]) -> None:
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 2
    assert "is not one of" in result.output and "Traceback" not in result.output


def test_write_error_is_one_line_exit_2(tmp_path: Path) -> None:
    """Defect: `-o /nonexistent/dir/x.json` gave "internal error … report it"."""
    target = tmp_path / "no" / "such" / "dir" / "x.json"
    result = runner.invoke(app, ["summarize", str(SEED), "--backend", "rules", "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert f"error: cannot write {target}" in result.output and "does not exist" in result.output
    assert "internal error" not in result.output and len(result.output.strip().splitlines()) == 1


def test_eval_and_batch_write_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    ran = runner.invoke(app, ["eval", "run", "-d", "seed", "--backend", "rules", "-o", str(blocker / "run")])
    assert ran.exit_code == 2 and "error: cannot write" in ran.output, ran.output
    batch = runner.invoke(app, ["batch", str(SEED.parent), "--backend", "rules", "-o", str(blocker / "o.jsonl")])
    assert batch.exit_code == 2 and "error: cannot write" in batch.output, batch.output


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_server_is_one_line_naming_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect: nine lines of instructor retry noise, and the URL never named."""
    monkeypatch.setenv("SUMMARIZER_MAX_RETRIES", "1")
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    args = ["summarize", str(SEED), "--backend", "openai", "--base-url", url]
    result = runner.invoke(app, args, env={"OPENAI_API_KEY": "sk-test"})
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and url in lines[0] and lines[0].startswith("error: cannot reach"), result.output
    assert "API call failed" not in result.output


def test_retry_logging_stays_off_stderr_unless_verbose(tmp_path: Path) -> None:
    """A real process (pytest captures logging, a user's terminal does not): one line, or the log with -v."""
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    env = {**os.environ, "OPENAI_API_KEY": "sk-test", "SUMMARIZER_MAX_RETRIES": "1", "PYTHONPATH": str(ROOT),
           "SUMMARIZER_HOME": str(tmp_path)}  # fmt: skip
    cmd = [
        sys.executable,
        "-m",
        "summarizer",
        "summarize",
        str(SEED),
        "--backend",
        "openai",
        "--strategy",
        "full",
        "--base-url",
        url,
    ]
    quiet = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 2 and len(quiet.stderr.strip().splitlines()) == 1, quiet.stderr
    assert url in quiet.stderr
    loud = subprocess.run([*cmd, "-v"], env=env, capture_output=True, text=True, timeout=120)
    assert loud.returncode == 2 and "summarizer.backends.calling: asking openai" in loud.stderr
    assert "Retrying" in loud.stderr  # the retry, logged with -v only


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["summarize", str(SEED), "--backend", "rules", "--strategy", "full"], "--strategy is how a model is asked"),
        (["summarize", str(SEED), "--backend", "rules", "--model-path", "m.gguf"], "--model-path is a GGUF file"),
        (["summarize", str(SEED), "--backend", "local", "--base-url", "http://x/v1"], "--base-url is the server"),
        (["summarize", str(SEED), "--backend", "rules", "--model", "gpt-4o"], "--model is a model of the openai"),
        (["eval", "run", "-d", "seed", "-o", "x", "--backend", "rules", "--model-fields", "who"], "--model-fields"),
        (["batch", str(SEED.parent), "-o", "x.jsonl", "--backend", "openai", "--model-path", "m.gguf"], "local"),
    ],
    ids=["strategy-rules", "model-path-rules", "base-url-local", "model-rules", "eval-fields-rules", "batch-openai"],
)
def test_an_option_the_backend_would_ignore_is_refused(args: list[str], expected: str, tmp_path: Path) -> None:
    result = runner.invoke(app, args, env={"OPENAI_API_KEY": "sk-test"})
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and expected in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("flag", ["--rpm", "--tpm", "--article-timeout"])
def test_batch_refuses_negative_limits(flag: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(SEED.parent), "-o", str(tmp_path / "o.jsonl"), flag, "-5"])
    assert result.exit_code == 2 and "Invalid value" in result.output


def test_batch_of_one_text_file_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(SEED), "-o", str(tmp_path / "o.jsonl"), "--backend", "rules"])
    assert result.exit_code == 2 and "is one article" in result.output and "summarizer summarize" in result.output
    assert not (tmp_path / "o.jsonl").exists() or not (tmp_path / "o.jsonl").read_text(encoding="utf-8")


def test_eval_run_against_an_unreachable_server_exits_2_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUMMARIZER_MAX_RETRIES", "1")
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    args = ["eval", "run", "-d", "seed", "--backend", "openai", "--base-url", url, "-o", str(tmp_path / "run")]
    result = runner.invoke(app, args, env={"OPENAI_API_KEY": "sk-test"})
    assert result.exit_code == 2, result.output
    assert "error: every article failed; the first: " in result.output and url in result.output
    assert (tmp_path / "run" / "predictions.jsonl").exists()  # the error lines are kept for inspection
