"""The package's public surface and its tooling stay honest."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
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
    | {"prompts"}
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


def _shipped_sources() -> list[str]:
    """Files that would be committed: tracked ones plus new, not ignored ones."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the files a commit would hold are unknown")
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()  # fmt: skip
    return [name for name in listed if (ROOT / name).is_file()]


def _expected_in_wheel(tree: Path) -> set[str]:
    """Every module, data file and template the package reads, at its place in the wheel."""
    package = {str(p.relative_to(tree)) for p in (tree / "summarizer").rglob("*") if p.is_file()}
    templates = {f"summarizer/prompts/{p.name}" for p in (tree / "prompts").iterdir() if p.is_file()}
    return {name for name in package | templates if "__pycache__" not in name}


def test_the_wheel_holds_every_subpackage_template_and_data_file(tmp_path: Path) -> None:
    """Built offline from the files a commit would hold, plus a new subpackage, data file and template
    (as the helpers adding extract/mentions, db/ … would): nothing is left out of the wheel."""
    tree = tmp_path / "tree"
    for name in _shipped_sources():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tree / name)
    probes = ["summarizer/probe_layer/__init__.py", "summarizer/probe_layer/deeper/__init__.py",
              "summarizer/extract/data/probe_table.yaml", "prompts/probe.j2"]  # fmt: skip
    for name in probes:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text("{# probe #}\n" if name.endswith(".j2") else "# probe\n", encoding="utf-8")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
               "--no-cache-dir", "-q", "-w", str(tmp_path / "dist"), str(tree)]  # fmt: skip
    built = subprocess.run(command, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("summarizer-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = _expected_in_wheel(tree)
    assert {"summarizer/prompts/extract.j2", "summarizer/extract/data/cities.tsv.gz", "summarizer/py.typed",
            "summarizer/probe_layer/deeper/__init__.py", "summarizer/prompts/probe.j2"} <= expected  # fmt: skip
    assert sorted(expected - shipped) == []
    assert not [n for n in shipped if n.startswith(("tests/", "evals/", "benchmarks/", "prompts/", "seeds/"))]
