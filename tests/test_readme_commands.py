"""Every command in a ```bash block of README.md is exercised: the offline ones run (CLI in-process, in a
temporary folder holding tiny inputs), and every other one is skipped for a reason listed in `SKIPPED`. A
command that is neither makes the test fail, so a new documented command gets a test or a stated reason.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from tests.conftest import DATA_OF, ROOT, SEED, require_data

README = ROOT / "README.md"

SKIPPED: dict[str, str] = {
    r"^python3 -m venv": "creates the virtualenv the tests already run in",
    r"(^|/)pip install": "installs packages from the registry (network); timed by hand, see the lead's notes",
    r"^\.venv/bin/pytest( -m .*)?$": "this suite, or a marked part of it (.ci/run runs each; the fast one's "
    "marker filter is checked below)",
    r"SUMMARIZER_SCREENSHOTS=": "needs Chromium and the browser extra; .ci/run runs `pytest -m browser`",
    r"^\.venv/bin/(ruff|mypy|lint-imports)": "lint, types and layers: tests/test_package.py and .ci/run",
    r"^\.venv/bin/cog -r": "rewrites README.md; tests/test_package.py runs `cog --check`",
    r"^\.venv/bin/python benchmarks/": "prints figures over minutes; benchmarks are run by hand",
    r"--backend openai(?!.*--dry-run)": "needs an OpenAI key or an OpenAI-compatible server",
    r"--mode openai-batch": "sends the batch to OpenAI's Batch API (a key, the network)",
    r"--model-path '?~/": "needs a GGUF file the user downloads",
    r"--model-fields": "runs the embedded model over a dataset: minutes on 2 cores even with --limit 3 (126 s "
    "measured); `pytest -m embedded` runs the model on the seed",
    r"--engine ray|--merge": "needs the ray extra; `pytest -m ray` (tests/test_ray.py) runs the Ray engine",
    r"^export ": "sets a key",
    r"^summarizer db serve": "serves until stopped; tests/test_db.py asks it in-process and tests/test_db_browser.py "
    "drives it in Chromium",
}
"""Documented commands not run here, each with the reason (a regular expression on the command line)."""

FAST_SUITE_MARKERS = ("embedded", "slow", "browser", "ray", "real_server")
"""Markers that need a model, a server, a browser, a cluster or minutes: a "fast, no model" run leaves all out."""

ARTICLES = [
    {"id": "a1", "text": "Two people were killed and three injured in a shooting in Chicago on Friday, police said."},
    {"id": "a2", "text": "A car bomb killed at least 12 people in Baghdad on Monday, officials said."},
    {"id": "a3", "text": "The city council met on Tuesday to discuss the budget for the coming year."},
]


@dataclass(frozen=True)
class Command:
    block: int
    line: str

    @property
    def words(self) -> list[str]:
        return shlex.split(self.line)


def documented_commands(text: str) -> list[Command]:
    """Each command of each ```bash block: continuation lines joined, comments dropped, `&&` chains split."""
    commands = []
    for number, block in enumerate(re.findall(r"```bash\n(.*?)```", text, flags=re.S)):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            chain: list[str] = []
            for word in [*words, "&&"]:
                if word == "&&" and chain:
                    commands.append(Command(number, shlex.join(chain)))
                    chain = []
                elif word != "&&":
                    chain.append(word)
    return commands


def skip_reason(command: Command) -> str | None:
    listed = next((why for pattern, why in SKIPPED.items() if re.search(pattern, command.line)), None)
    reads = [out for out in _skipped_outputs(command) if out in _inputs(command)]
    return listed or (f"reads {reads[0]}, which a skipped command above writes" if reads else None)


def _inputs(command: Command) -> list[str]:
    words = command.words
    return [w for i, w in enumerate(words[1:], 1) if not w.startswith("-") and words[i - 1] != "-o"]


def _skipped_outputs(command: Command) -> list[str]:
    """What the skipped commands before `command` in its block write (`-o`)."""
    before = COMMANDS[: COMMANDS.index(command)] if command in COMMANDS else []
    return [c.words[c.words.index("-o") + 1] for c in before
            if c.block == command.block and "-o" in c.words and skip_reason(c)]  # fmt: skip


COMMANDS = documented_commands(README.read_text(encoding="utf-8"))


def _prepare(folder: Path) -> None:
    """The inputs the README's commands name, tiny: a seed folder, an article, JSONL, a folder of .txt, and a
    batch output over three GVDB dev articles."""
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    shutil.copy(SEED, folder / "article.txt")
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    (folder / "texts").mkdir()
    for article in ARTICLES:
        (folder / "texts" / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")


def _run(command: Command, folder: Path) -> None:
    words = command.words
    program = Path(words[0]).name
    assert program == "summarizer", f"no way to run {command.line!r} here: add a runner or a reason to SKIPPED"
    args = words[1:]
    datasets = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "--dataset"]
    if args[:2] == ["eval", "score"]:
        datasets.append(args[3])
    require_data(*(d for d in datasets if d.split("-")[0] in DATA_OF))
    if args[:2] == ["eval", "run"]:
        args += ["--limit", "3"]  # tiny inputs: three articles of any dataset
    if args[:2] == ["eval", "score"] and not (folder / args[2]).exists():
        _batch_over_gold(folder / args[2])
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, f"{command.line}\n{result.output}"


def _batch_over_gold(out: Path) -> None:
    """A batch output over the first GVDB dev articles, for `eval score` (the batch above read other ids)."""
    from summarizer.eval.datasets import load_dataset

    gold = load_dataset("gvdb-dev", limit=3)
    source = out.with_suffix(".gold.jsonl")
    source.write_text("".join(json.dumps({"id": g.id, "text": g.text}) + "\n" for g in gold), encoding="utf-8")
    out.unlink(missing_ok=True)
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output


def _blocks() -> list[int]:
    return sorted({c.block for c in COMMANDS})


def test_every_documented_command_is_run_or_skipped_for_a_reason() -> None:
    assert len(COMMANDS) > 20
    runnable = [c for c in COMMANDS if skip_reason(c) is None]
    assert all(Path(c.words[0]).name == "summarizer" for c in runnable), [c.line for c in runnable]
    assert any(c.words[:2] == ["summarizer", "eval"] for c in runnable)


def test_every_run_a_command_reads_is_made_by_a_documented_command() -> None:
    made: set[str] = set()
    for command in COMMANDS:
        words = command.words
        if "compare" in words:
            inputs = [w for w in words[words.index("compare") + 1 :] if not w.startswith("-")]
            missing = [w for w in inputs if w not in made and not w.replace(".", "").isdigit()]
            assert not missing, f"{command.line}: no documented command writes {missing}"
        if "-o" in words:
            made.add(words[words.index("-o") + 1])


def test_the_documented_fast_suite_leaves_out_every_slow_marker() -> None:
    """An explicit `-m` replaces the marker filter of addopts, so it must name every excluded marker."""
    fast = [c for c in COMMANDS if c.words[:2] == [".venv/bin/pytest", "-m"] and "not" in c.words[2]]
    assert fast, "the Development section documents a fast suite"
    for command in fast:
        expression = command.words[2]
        assert all(f"not {marker}" in expression for marker in FAST_SUITE_MARKERS), command.line


@pytest.mark.parametrize("block", _blocks())
def test_the_offline_commands_of_a_block_run(block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In order, in one folder per block (an `eval compare` reads the runs made above it)."""
    commands = [c for c in COMMANDS if c.block == block and skip_reason(c) is None]
    if not commands:
        pytest.skip("; ".join(sorted({f"{c.line[:40]}…: {skip_reason(c)}" for c in COMMANDS if c.block == block})))
    _prepare(tmp_path)
    monkeypatch.chdir(tmp_path)
    for command in commands:
        _run(command, tmp_path)
