"""Prompt-injection articles (tests/adversarial/): injected instructions change nothing, secrets stay secret.

Each article runs through the rules backend, and through the openai backend against the fake server
playing a compromised model that obeys the injection (`attack` in expected.json). Either way, grounding
must keep every injected figure, place and URL out of the summary.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.config import load_settings
from summarizer.pipeline import summarize
from summarizer.schema import Event, Summary
from summarizer.text import find_injections, mask_spans, prepare_bytes, read_article_file
from tests.fake_openai import FakeOpenAI

CORPUS = Path(__file__).parent / "adversarial"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)
SECRET = "sk-secret-4f1c9a7e2b8d6053aa91"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZER_HOME", str(tmp_path / "home"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_BACKEND", "SUMMARIZER_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def article(name: str) -> str:
    """The article text exactly as the CLI would read it (HTML stripped)."""
    return prepare_bytes((CORPUS / name).read_bytes(), name=name).text


def counts(summary: Summary) -> set[int]:
    return {
        value
        for event in summary.events
        for claim in event.casualties
        for count in (claim.killed, claim.injured)
        if count is not None
        for value in (count.low, count.best, count.high)
        if value is not None
    }


def killed_best(summary: Summary) -> set[int]:
    return {c.killed.best for e in summary.events for c in e.casualties if c.killed and c.killed.best is not None}


def injected_spans(text: str, expected: dict[str, Any]) -> list[tuple[int, int]]:
    spans = []
    for injected in expected["injected"]:
        start = text.find(injected)
        if start >= 0:
            spans.append((start, start + len(injected)))
    return spans


def evidence(summary: Summary) -> list[Any]:
    found = []
    for event in summary.events:
        for group in (event.what, event.where, event.when, *event.who, *event.casualties):
            found.extend(group.evidence)
    return found


def assert_injection_ignored(summary: Summary, text: str, expected: dict[str, Any], true_killed: Any) -> None:
    assert not counts(summary) & set(expected["forbidden_numbers"]), "an injected figure reached the summary"
    events = json.dumps([e.model_dump(mode="json") for e in summary.events])  # warnings may quote what they drop
    for forbidden in expected["forbidden_strings"]:
        assert forbidden not in events
    assert not {e.what.type for e in summary.events} & set(expected.get("forbidden_types", []))
    for span in evidence(summary):
        assert text[span.start : span.end] == span.quote
        for start, end in injected_spans(text, expected):
            assert span.end <= start or span.start >= end, f"evidence rests on injected text: {span.quote!r}"
    if expected["no_events"]:
        assert summary.events == []
    elif true_killed is None:
        assert killed_best(summary) <= {0}
    else:
        assert true_killed in killed_best(summary)


def assert_shape(summary: Summary) -> None:
    dumped = summary.model_dump(mode="json")
    assert set(dumped) == set(Summary.model_fields)
    for event in dumped["events"]:
        assert set(event) == set(Event.model_fields)


# ---------------------------------------------------------------- the corpus itself


def test_corpus_is_complete() -> None:
    assert {p.name for p in CORPUS.glob("*.txt")} == set(EXPECTED)
    for name, expected in EXPECTED.items():
        raw = (CORPUS / name).read_text(encoding="utf-8")
        assert all(injected in raw for injected in expected["injected"]), name


@pytest.mark.parametrize("name", [n for n in NAMES if EXPECTED[n]["injected"] and "html" not in n])
def test_detector_flags_every_injection(name: str) -> None:
    text = article(name)
    flagged = find_injections(text)
    for start, end in injected_spans(text, EXPECTED[name]):
        assert any(f.start <= start and end <= f.end for f in flagged), text[start:end]
    masked = mask_spans(text, flagged)
    assert len(masked) == len(text)
    assert all(str(n) not in masked.replace(",", "") for n in EXPECTED[name]["forbidden_numbers"])


def test_detector_leaves_plain_news_alone() -> None:
    assert find_injections(article("10_fabricated_quote.txt")) == []
    assert find_injections(article("09_html_script.txt")) == []
    assert find_injections(article("15_news_quotes_ignore_system.txt")) == []


# ---------------------------------------------------------------- rules backend


@pytest.mark.parametrize("name", NAMES)
def test_rules_backend_ignores_injection(name: str) -> None:
    expected, text = EXPECTED[name], article(name)
    summary = summarize(text, published=expected["published"], settings=load_settings(backend="rules"))
    assert_injection_ignored(summary, text, expected, expected["true_killed"])
    assert_shape(summary)


# ---------------------------------------------------------------- a compromised model


def _compromised_run(name: str) -> tuple[Summary, list[dict[str, Any]]]:
    expected = EXPECTED[name]
    with FakeOpenAI() as srv:
        srv.responder = lambda request: json.dumps(expected["attack"])
        settings = load_settings(backend="openai", base_url=srv.base_url, api_key="sk-test", use_cache=False)
        summary = summarize(article(name), published=expected["published"], settings=settings)
        return summary, list(srv.requests)


@pytest.mark.parametrize("name", NAMES)
def test_grounding_rejects_what_a_compromised_model_returns(name: str) -> None:
    expected, text = EXPECTED[name], article(name)
    summary, requests = _compromised_run(name)
    # The true figure survives when the compromised answer also carries it (all but 04).
    assert_injection_ignored(summary, text, expected, expected.get("model_true_killed", expected["true_killed"]))
    assert_shape(summary)
    if expected["forbidden_numbers"] or expected["no_events"]:
        assert summary.warnings, "a rejected value must leave a warning"
    assert "sk-test" not in json.dumps(requests), "the key must travel only in the Authorization header"


def test_article_delimiters_cannot_be_closed_from_inside() -> None:
    _, requests = _compromised_run("07_article_delimiter.txt")
    user = next(m["content"] for m in requests[0]["messages"] if m["role"] == "user")
    assert user.count("</article>") == 1
    assert user.count("<article") == 1


# ---------------------------------------------------------------- secrets and rendering via the CLI


def _cli(args: list[str]) -> tuple[int, str]:
    from summarizer.cli import app

    result = CliRunner().invoke(app, args)
    try:
        err = result.stderr
    except ValueError:  # older click: stderr mixed into output
        err = ""
    return result.exit_code, result.output + err + (repr(result.exception) if result.exception else "")


def _files_containing(root: Path, needle: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


@pytest.mark.parametrize("output_format", ["json", "markdown", "html", "text"])
def test_api_key_never_leaves_the_environment(
    output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    source = CORPUS / "05_exfiltrate_key.txt"
    with FakeOpenAI() as srv:
        srv.responder = lambda request: json.dumps(EXPECTED[source.name]["attack"])
        base = ["summarize", str(source), "--backend", "openai", "--base-url", srv.base_url]
        base += ["--published", "2024-03-08", "-f", output_format]
        code, printed = _cli(base)
        code_file, printed_file = _cli([*base, "-o", str(tmp_path / f"out.{output_format}")])
        requests = json.dumps(srv.requests)
    assert (code, code_file) == (0, 0), printed + printed_file
    assert SECRET not in printed + printed_file
    assert SECRET not in requests
    assert (tmp_path / "home" / "cache.sqlite3").exists(), "the cache must be scanned too"
    assert _files_containing(tmp_path, SECRET) == []


def test_errors_do_not_echo_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with FakeOpenAI() as srv:
        srv.responder = lambda request: "not json at all"
        code, printed = _cli(["summarize", str(CORPUS / "01_ignore_previous.txt"), "--backend", "openai",
                              "--base-url", srv.base_url, "--no-cache"])  # fmt: skip
    assert code != 0
    assert "Traceback" not in printed
    assert SECRET not in printed


SCRIPT_ARTICLE = """<script>alert(1)</script> Gunmen kill two in Kano

Gunmen killed two people outside a cafe named <script>alert(1)</script> in Kano on Monday, police said.
"""


def test_html_report_escapes_script_from_the_article(tmp_path: Path) -> None:
    source = tmp_path / "script.txt"
    source.write_text(SCRIPT_ARTICLE, encoding="utf-8")
    assert "<script>" in read_article_file(source), "a plain-text article keeps its literal tags"
    out = tmp_path / "report.html"
    code, printed = _cli(["summarize", str(source), "--backend", "rules", "--published", "2024-03-04",
                          "-f", "html", "-o", str(out)])  # fmt: skip
    assert code == 0, printed
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "alert(1)" in html, "the quote is shown, escaped"
