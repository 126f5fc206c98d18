"""`summarizer summarize` end to end: the real OpenAI SDK and instructor against a fake server on
127.0.0.1, and the rules backend. No network, no key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from tests.conftest import SEED
from tests.fake_openai import FakeOpenAI

runner = CliRunner()

GOOD = {
    "events": [
        {
            "primary": True,
            "event_type": "drone_strike",
            "description": "A US strike killed a Kataib Hezbollah commander in Baghdad.",
            "quote": "the vehicle has been hit by a drone",
            "actors": [
                {"name": "U.S. Central Command (CENTCOM)", "role": "perpetrator", "kind": "state_force"},
                {"name": "Wisam Mohammed Saber al-Saedi", "role": "victim", "kind": "person"},
            ],
            "place": "Baghdad",
            "country": "Iraq",
            "date_phrase": "At 9:30 p.m. February 7",
            "casualties": [
                {
                    "quote": "A PMF commander told Rudaw that three people were killed in the explosion",
                    "killed": "three people",
                    "source": "A PMF commander",
                }
            ],
        }
    ]
}


def _invoke(srv: FakeOpenAI, *args: str) -> object:
    return runner.invoke(app, ["summarize", str(SEED), "--backend", "openai", "--base-url", srv.base_url,
                               "--format", "json", *args], env={"OPENAI_API_KEY": "sk-test-key"})  # fmt: skip


def test_correct_answer_comes_out_grounded() -> None:
    with FakeOpenAI() as srv:
        srv.enqueue(json.dumps(GOOD))
        result = _invoke(srv)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    event = summary["events"][0]
    assert (event["where"]["place"], event["where"]["country_code"]) == ("Baghdad", "IQ")
    assert (event["when"]["date"], event["when"]["time"]) == ("2024-02-07", "21:30")
    assert event["casualties"][0]["killed"] == {"low": 3, "best": 3, "high": 3}
    assert event["casualties"][0]["source"] == "A PMF commander"
    text = SEED.read_text(encoding="utf-8")
    for actor in event["who"]:
        for ev in actor["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["quote"]
    assert summary["run"]["backend"] == "openai" and summary["run"]["usage"]["prompt_tokens"] > 0
    assert summary["run"]["prompts"][0]["hash"].startswith("extract@")
    request = srv.requests[0]
    assert "<article" in request["messages"][1]["content"]  # the article is fenced as data


def test_values_not_in_the_article_are_rejected() -> None:
    bad = json.loads(json.dumps(GOOD))
    event = bad["events"][0]
    event["place"] = "Mosul"
    event["actors"].append({"name": "Vladimir Putin", "role": "perpetrator", "kind": "person"})
    event["casualties"].append({"quote": "the strike killed 500 civilians", "killed": "500"})
    with FakeOpenAI() as srv:
        srv.enqueue(json.dumps(bad))
        result = _invoke(srv)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    got = summary["events"][0]
    assert got["where"]["place"] is None
    assert "Vladimir Putin" not in [a["name"] for a in got["who"]]
    assert all((c["killed"] or {}).get("best") != 500 for c in got["casualties"])
    assert any("Mosul" in w for w in summary["warnings"])
    assert any("Putin" in w for w in summary["warnings"])


def test_malformed_answer_is_retried_then_succeeds() -> None:
    with FakeOpenAI() as srv:
        srv.enqueue("this is not json at all")
        srv.enqueue(json.dumps(GOOD))
        result = _invoke(srv)
    assert result.exit_code == 0, result.output
    assert len(srv.requests) == 2
    assert json.loads(result.stdout)["events"][0]["where"]["place"] == "Baghdad"


def test_malformed_answers_end_in_a_clear_error() -> None:
    with FakeOpenAI() as srv:
        srv.responder = lambda request: '{"events": [{"primary": "maybe"'
        result = _invoke(srv)
    assert result.exit_code == 2
    assert "failed validation" in result.stderr
    assert "Traceback" not in result.output
    assert len(srv.requests) == 4  # the first try and three re-asks


def test_server_errors_are_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tenacity.nap.time.sleep", lambda s: None)
    with FakeOpenAI() as srv:
        srv.enqueue_fault(status=500)
        srv.enqueue_fault(status=429, headers={"Retry-After": "0"})
        srv.enqueue(json.dumps(GOOD))
        result = _invoke(srv)
    assert result.exit_code == 0, result.output
    assert len(srv.requests) == 3


def test_second_run_is_served_from_the_cache() -> None:
    with FakeOpenAI() as srv:
        srv.enqueue(json.dumps(GOOD))
        first = _invoke(srv)
        second = _invoke(srv)
    assert first.exit_code == second.exit_code == 0
    assert len(srv.requests) == 1
    assert json.loads(second.stdout)["run"]["usage"]["cached_calls"] == 1


def test_missing_key_is_a_one_line_error() -> None:
    result = runner.invoke(app, ["summarize", str(SEED), "--backend", "openai"])
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_rules_backend_every_format(fmt: str) -> None:
    result = runner.invoke(app, ["summarize", str(SEED), "--backend", "rules", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "Baghdad" in result.stdout


def test_output_file_and_stdin(tmp_path: Path) -> None:
    out = tmp_path / "summary.json"
    text = SEED.read_text(encoding="utf-8")
    result = runner.invoke(app, ["summarize", "-", "--backend", "rules", "-f", "json", "-o", str(out)], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["events"][0]["where"]["place"] == "Baghdad"


def test_output_never_overwrites_the_input(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("A man was shot and killed in Chicago on Monday.")
    result = runner.invoke(app, ["summarize", str(article), "--backend", "rules", "-o", str(article)])
    assert result.exit_code == 2
    assert article.read_text() == "A man was shot and killed in Chicago on Monday."


def test_an_unexpected_bug_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer import cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "summarize", broken)
    monkeypatch.setattr("sys.argv", ["summarizer", "summarize", str(SEED), "--backend", "rules"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert "internal error" in err and "boom" in err and "Traceback" not in err


def test_a_long_article_is_read_in_chunks_and_events_merged(tmp_path: Path) -> None:
    from tests.fake_openai import extraction_reply

    filler = "The council also discussed the budget for the new library at length. " * 250
    text = "A man was shot dead in Chicago on Monday, police said.\n\n" + filler + "\n\nA second man was stabbed."
    article = tmp_path / "long.txt"
    article.write_text(text, encoding="utf-8")
    with FakeOpenAI() as srv:
        srv.responder = extraction_reply  # quotes each chunk's first sentence
        args = ["summarize", str(article), "-b", "openai", "--base-url", srv.base_url, "-f", "json"]
        result = runner.invoke(app, [*args, "--published", "2024-03-05"], env={"OPENAI_API_KEY": "sk-t"})
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert len(srv.requests) >= 2
    assert any("overlapping chunks" in w for w in summary["warnings"])
    assert sum(e["primary"] for e in summary["events"]) == 1 and summary["events"][0]["primary"]
    quotes = [e["what"]["evidence"][0] for e in summary["events"]]
    assert len({q["quote"] for q in quotes}) == len(quotes)  # the overlap did not double an event
    assert all(text[q["start"] : q["end"]] == q["quote"] for q in quotes)
