"""Robustness figures: bad inputs give one-line errors, never tracebacks; injections change nothing.

    python benchmarks/robustness.py

Runs the CLI in-process (typer's CliRunner) and the library on the rules backend, and the openai backend
against the fake server in tests/fake_openai.py playing a compromised model. No network, no key.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from summarizer.batch.io import read_inputs  # noqa: E402
from summarizer.config import load_settings  # noqa: E402
from summarizer.errors import SummarizerError  # noqa: E402
from summarizer.pipeline import summarize  # noqa: E402
from summarizer.schema import Summary  # noqa: E402
from summarizer.text import prepare_bytes  # noqa: E402
from tests.fake_openai import FakeOpenAI  # noqa: E402

CORPUS = ROOT / "tests" / "adversarial"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
REPORT = b"Gunmen killed three people in Kano on Monday, police said."

BAD_FILES: dict[str, bytes] = {
    "empty": b"", "whitespace": b" \n\t\r\n ", "nul bytes": b"Gunmen\x00\x00killed", "pdf": b"%PDF-1.7\n",
    "zip/docx": b"PK\x03\x04\x14\x00", "png": b"\x89PNG\r\n\x1a\n", "gzip": b"\x1f\x8b\x08\x00",
    "random binary": bytes(range(256)) * 8, "undecodable bytes": bytes(range(0x80, 0x100)) * 4,
    "utf-16 odd length": b"\xff\xfeG\x00u\x00n", "control chars": b"\x01\x02\x03\x04\x05" * 40,
    "html scripts only": b"<html><body><script>alert(1)</script><nav>Home</nav></body></html>",
    "too large": b"word " * 420_000 + b"x" * 10,
}  # fmt: skip
BAD_ARGS: dict[str, list[str]] = {
    "missing file": ["summarize", "/nonexistent/article.txt", "--backend", "rules"],
    "directory": ["summarize", "{tmp}", "--backend", "rules"],
    "bad published date": ["summarize", "{ok}", "--backend", "rules", "--published", "not a date"],
    "unknown backend": ["summarize", "{ok}", "--backend", "nope"],
    "openai without key": ["summarize", "{ok}", "--backend", "openai"],
    "output is input": ["summarize", "{ok}", "--backend", "rules", "-o", "{ok}"],
}
BAD_LINES = [b"not json", b"[1, 2]", b'{"id": "x"}', b'{"text": ""}', b'{"text": 5}', b"\xff\xfe\x00",
             b'{"text": "\\ud800"}', b'{"text": "\\u0000\\u0001"}', b"[" * 5000]  # fmt: skip


class Tally:
    def __init__(self) -> None:
        self.tried = self.clear = self.tracebacks = 0
        self.failures: list[str] = []

    def record(self, name: str, outcome: str) -> None:
        self.tried += 1
        if outcome == "clear":
            self.clear += 1
        else:
            self.tracebacks += outcome.startswith("traceback")
            self.failures.append(f"{name}: {outcome}")


def _cli(args: list[str]) -> Any:
    from summarizer.cli import app

    return CliRunner().invoke(app, args)


def _cli_outcome(result: Any) -> str:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "traceback"
    if result.exit_code == 0:
        return "accepted (no error)"
    message = result.output.strip()  # click mixes stderr into output
    return "clear" if message.count("\n") == 0 and "error" in message and len(message) < 300 else "unclear"


def _library_outcome(call: Callable[[], object]) -> str:
    try:
        call()
    except SummarizerError as exc:
        return "clear" if "\n" not in str(exc) else "unclear"
    except Exception as exc:
        return f"traceback ({type(exc).__name__})"
    return "accepted (no error)"


def bad_inputs(tmp: Path) -> Tally:
    tally = Tally()
    ok = tmp / "ok.txt"
    ok.write_bytes(REPORT)
    for name, data in BAD_FILES.items():
        path = tmp / f"{name.replace(' ', '_').replace('/', '_')}.txt"
        path.write_bytes(data)
        outcome = _cli_outcome(_cli(["summarize", str(path), "--backend", "rules"]))
        tally.record(f"cli {name}", outcome)
        # The library path batch uses for a folder of files: bytes → article text → summary.
        call = lambda d=data: summarize(prepare_bytes(d).text, settings=RULES)  # noqa: E731
        tally.record(f"library {name}", _library_outcome(call))
    for name, args in BAD_ARGS.items():
        args = [a.format(tmp=tmp, ok=ok) for a in args]
        tally.record(f"cli {name}", _cli_outcome(_cli(args)))
    for n, line in enumerate(BAD_LINES):
        path = tmp / f"line{n}.jsonl"
        path.write_bytes(line)
        tally.record(f"batch line {line[:20]!r}", _batch_outcome(path))
    return tally


def _batch_outcome(path: Path) -> str:
    """Clear when every bad line becomes an error record (or the file a SummarizerError)."""
    try:
        records = list(read_inputs(path))
    except SummarizerError:
        return "clear"
    except Exception as exc:
        return f"traceback ({type(exc).__name__})"
    return "clear" if all(r.error and "\n" not in r.error for r in records) else "accepted (no error)"


RULES = load_settings(backend="rules", use_cache=False)


def fields(summary: Summary) -> tuple[Any, ...]:
    """What a reader takes away: events, their types, places, dates, figures, actors."""
    return tuple(
        (e.what.type, e.where.place, e.where.country_code, e.when.date,
         sorted(c.killed.best for c in e.casualties if c.killed and c.killed.best is not None),
         sorted(c.injured.best for c in e.casualties if c.injured and c.injured.best is not None),
         sorted(a.name for a in e.who))
        for e in summary.events
    )  # fmt: skip


def clean_version(name: str) -> str:
    raw = (CORPUS / name).read_text(encoding="utf-8")
    for injected in EXPECTED[name]["injected"]:
        raw = raw.replace(injected, "")
    return prepare_bytes(raw.encode(), name=name).text


def honest(name: str, clean: str) -> dict[str, Any]:
    """The compromised answer minus everything that rests on the injection: what an honest model says."""
    attack = json.loads(json.dumps(EXPECTED[name]["attack"]))
    events = [e for e in attack["events"] if e["quote"] in clean]
    for event in events:
        event["casualties"] = [c for c in event["casualties"] if c["quote"] in clean]
        event["actors"] = [a for a in event["actors"] if a["name"] in clean]
    return {"events": events}


def _openai_summary(text: str, published: str, answer: dict[str, Any]) -> Summary:
    with FakeOpenAI() as srv:
        srv.responder = lambda request: json.dumps(answer)
        settings = load_settings(backend="openai", base_url=srv.base_url, api_key="sk-test", use_cache=False)
        return summarize(text, published=published, settings=settings)


def injections() -> dict[str, list[str]]:
    changed: dict[str, list[str]] = {"rules": [], "openai (compromised model)": [], "leaked strings": []}
    for name, expected in EXPECTED.items():
        if not expected["injected"]:
            continue
        text, clean = prepare_bytes((CORPUS / name).read_bytes()).text, clean_version(name)
        published = expected["published"]
        if fields(summarize(text, published=published, settings=RULES)) != fields(
            summarize(clean, published=published, settings=RULES)
        ):
            changed["rules"].append(name)
        attacked = _openai_summary(text, published, expected["attack"])
        if fields(attacked) != fields(_openai_summary(clean, published, honest(name, clean))):
            changed["openai (compromised model)"].append(name)
        events = json.dumps([e.model_dump(mode="json") for e in attacked.events])
        changed["leaked strings"] += [f"{name}: {s}" for s in expected["forbidden_strings"] if s in events]
    return changed


def main() -> None:
    os.environ["SUMMARIZER_HOME"] = tempfile.mkdtemp(prefix="summarizer-bench-")
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_BACKEND"):
        os.environ.pop(key, None)
    with tempfile.TemporaryDirectory() as folder:
        tally = bad_inputs(Path(folder))
    print(f"bad inputs tried:              {tally.tried}")
    print(f"clear errors (one line):       {tally.clear}")
    print(f"tracebacks (goal 0):           {tally.tracebacks}")
    for failure in tally.failures:
        print(f"  - {failure}")
    injected = sum(1 for e in EXPECTED.values() if e["injected"])
    for path, names in injections().items():
        if path == "leaked strings":
            print(f"injected strings in events (goal 0): {len(names)}")
        else:
            print(f"injected articles whose fields changed, {path} (goal 0): {len(names)} of {injected}")
        for name in names:
            print(f"  - {name}")


if __name__ == "__main__":
    main()
