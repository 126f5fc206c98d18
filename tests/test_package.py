"""The package's public surface and its tooling stay honest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import summarizer
from summarizer.backends.prompts import render, template_names

ROOT = Path(__file__).resolve().parent.parent


def test_all_names_every_public_member() -> None:
    public = {name for name in dir(summarizer) if not name.startswith("_") and name not in _SUBMODULES}
    assert set(summarizer.__all__) - {"__version__"} == public


_SUBMODULES = (
    {p.stem for p in (ROOT / "summarizer").glob("*.py")}
    | {"templates"}
    | {p.name for p in (ROOT / "summarizer").iterdir() if (p / "__init__.py").exists()}
)


def test_every_template_renders_against_the_seed(seed_text: str) -> None:
    for name in template_names():
        context = {"article": seed_text, "published": "2024-02-08", "field": "what", "candidates": ["Baghdad"]}
        prompt = render(name.removesuffix(".j2"), **context)
        assert prompt.info.hash.startswith(f"{prompt.info.name}@") and len(prompt.info.hash.split("@")[1]) == 12
        assert "<article" in prompt.messages[-1]["content"] and "Baghdad" in prompt.messages[-1]["content"]


def test_import_layers_hold() -> None:
    """The layer contract in pyproject.toml: each layer imports only from the layers below it."""
    command = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    result = subprocess.run([sys.executable, "-c", command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "summarizer", "tests", "benchmarks"],
                            cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "summarizer"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_readme_seed_output_is_regenerated_not_pasted() -> None:
    """README's seed block is the tool's own output (`cog -r README.md` rewrites it)."""
    command = "import sys; from cogapp import main; sys.exit(main())"
    result = subprocess.run([sys.executable, "-c", command, "--check", "README.md"], cwd=ROOT,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
