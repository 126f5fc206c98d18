"""Property tests: invariants that must hold for any input, not just the examples we thought of."""

from __future__ import annotations

import itertools
import json
import tempfile
from datetime import date, datetime
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from summarizer.batch.io import read_inputs
from summarizer.errors import InputError
from summarizer.eval.gold import GoldArticle, Prediction
from summarizer.eval.scoring import evaluate, score_article, similarity
from summarizer.extract.grounding import Locator, is_valid
from summarizer.extract.normalize import parse_count, parse_published, resolve_date, words_to_int
from summarizer.schema import (
    EVENT_TYPES,
    ArticleMeta,
    CasualtyClaim,
    Count,
    Event,
    RunInfo,
    Summary,
    What,
    When,
    Where,
)
from summarizer.text import (
    MAX_CONTROL_SHARE,
    chunk_text,
    control_share,
    decode_bytes,
    detect_language,
    find_injections,
    mask_spans,
    prepare_bytes,
    validate_text,
)

FAST = settings(max_examples=150, deadline=None)
SLOW = settings(max_examples=60, deadline=None)  # dateparser and the scorer take milliseconds per call

PROSE = st.text(alphabet=st.sampled_from("abc XYZ.,!?\n\n\t\u00ad\u200b\u2019\u201c\u2014-0123456789"), max_size=400)
WORDS = ["at least", "more than", "up to", "between", "and", "to", "-", "dozens", "hundreds", "several",
         "twenty", "five", "a", "half", "dozen", "no one", "1,200", "3", "0", "killed", "or"]  # fmt: skip
PHRASE = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8).map(" ".join)
DATE_WORDS = ["on", "Monday", "last", "week", "month", "Feb", "8", "2024", "night", "earlier", "this",
              "yesterday", "at", "3 p.m.", "late", "December", "31", "Sunday", "noon"]  # fmt: skip


# ---------------------------------------------------------------- inputs


@FAST
@given(text=PROSE | st.text(max_size=300), max_chars=st.integers(1, 120), data=st.data())
def test_chunks_cover_the_text(text: str, max_chars: int, data: st.DataObject) -> None:
    overlap = data.draw(st.integers(0, max_chars - 1))
    chunks = chunk_text(text, max_chars, overlap)
    if not text:
        assert chunks == []
        return
    assert chunks[0].start == 0
    assert chunks[-1].end == len(text)
    for chunk in chunks:
        assert 0 <= chunk.start < chunk.end <= len(text)
        assert chunk.end - chunk.start <= max_chars
        assert text[chunk.start : chunk.end] == chunk.text
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start <= before.end


ENCODINGS = st.sampled_from([None, "utf-8", "cp1252", "latin-1", "utf-16", "shift_jis", "koi8-r", "bogus", ""])


@FAST
@given(data=st.binary(max_size=600), declared=ENCODINGS)
@example(data=b"\xff\xfe\x00", declared=None)  # a UTF-16 mark on an odd number of bytes
@example(data=b"\x00\x00\xfe\xff\x00", declared=None)
def test_decode_raises_only_input_errors(data: bytes, declared: str | None) -> None:
    try:
        decoded = decode_bytes(data, declared)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(decoded.text, str)
    assert control_share(decoded.text) <= MAX_CONTROL_SHARE


@FAST
@given(text=st.text(max_size=300), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_unicode_text_round_trips(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # lone surrogates cannot be stored in a file at all
        return
    if encoding == "utf-16" and text.startswith("\x00"):
        return  # FF FE 00 00 is also the UTF-32 byte-order mark: such bytes are ambiguous by design
    try:
        decoded = decode_bytes(data)
    except InputError:
        assert control_share(text) > MAX_CONTROL_SHARE or "\x00" in text
        return
    assert decoded.text == text


@FAST
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "replace")))
def test_prepare_bytes_gives_valid_article_text_or_input_error(data: bytes) -> None:
    try:
        text = prepare_bytes(data).text
    except InputError:
        return
    assert text.strip()
    assert validate_text(text) == text


@FAST
@given(text=st.text(max_size=400) | PROSE)
def test_language_and_injection_scans_never_fail(text: str) -> None:
    language = detect_language(text)
    assert language is None or (len(language) == 2 and language.isalpha())
    spans = find_injections(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
    masked = mask_spans(text, spans)
    assert len(masked) == len(text)


# ---------------------------------------------------------------- grounding


@FAST
@given(text=PROSE, quote=st.text(max_size=60) | PROSE)
def test_locator_offsets_are_always_valid(text: str, quote: str) -> None:
    found = Locator(text).locate(quote)
    if found is not None:
        assert is_valid(text, found)
        assert 0 <= found.start <= found.end <= len(text)
        assert text[found.start : found.end] == found.quote


@FAST
@given(text=PROSE, data=st.data())
def test_locator_finds_every_real_substring(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    found = Locator(text).locate(quote, near=start)
    if len(quote.strip()) >= 2:
        assert found is not None
        assert is_valid(text, found)


# ---------------------------------------------------------------- normalize


@FAST
@given(phrase=PHRASE | st.text(max_size=40))
@example(phrase="between 12 and 10")
@example(phrase="-5 killed")
def test_count_parser_gives_ordered_non_negative_ranges(phrase: str) -> None:
    parsed = parse_count(phrase)
    words_to_int(phrase)
    if parsed is None:
        return
    values = [v for v in (parsed.count.low, parsed.count.best, parsed.count.high) if v is not None]
    assert values
    assert all(v >= 0 for v in values)
    assert values == sorted(values)


DATE_PHRASE = st.lists(st.sampled_from(DATE_WORDS), max_size=6).map(" ".join) | st.text(max_size=30)
PUBLISHED = st.none() | st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31))


@SLOW
@given(phrase=DATE_PHRASE, published=PUBLISHED)
@example(phrase="last month", published=datetime(2024, 1, 1))
@example(phrase="last week", published=datetime(1901, 1, 1))
def test_date_resolver_gives_iso_or_none(phrase: str, published: datetime | None) -> None:
    resolved = resolve_date(phrase, published)
    if resolved is not None and resolved.date is not None:
        assert date.fromisoformat(resolved.date)


@SLOW
@given(value=st.none() | st.text(max_size=30) | DATE_PHRASE)
def test_published_parser_never_raises(value: str | None) -> None:
    parsed = parse_published(value)
    assert parsed is None or isinstance(parsed, datetime)


# ---------------------------------------------------------------- evaluate

PLACES = ["Kano", "Baghdad", "Tikrit", "Kharkiv", "São Paulo", "U.S. Central Command", "Zamfara"]
COUNT = st.none() | st.builds(lambda n, d: Count(low=n, best=n, high=n + d), st.integers(0, 500), st.integers(0, 20))


@st.composite
def events(draw: st.DrawFn) -> Event:
    killed = draw(COUNT)
    return Event(
        what=What(type=draw(st.sampled_from(EVENT_TYPES))),
        where=Where(
            place=draw(st.none() | st.sampled_from(PLACES)),
            country_code=draw(st.none() | st.sampled_from(["NG", "IQ", "UA", "US"])),
        ),
        when=When(date=draw(st.none() | st.dates(date(2020, 1, 1), date(2025, 12, 31)).map(date.isoformat))),
        casualties=[CasualtyClaim(killed=killed)] if killed else [],
    )


EVENT_LISTS = st.lists(events(), max_size=4)


def _one_primary(items: list[Event]) -> list[Event]:
    return [e.model_copy(update={"primary": i == 0}) for i, e in enumerate(items)]


def _summary(items: list[Event]) -> Summary:
    return Summary(article=ArticleMeta(), events=_one_primary(items), run=RunInfo(backend="rules", model="rules"))


def _gold(items: list[Event]) -> GoldArticle:
    return GoldArticle(id="a", text="Gunmen killed three people.", events=_one_primary(items))


@SLOW
@given(a=events(), b=events())
def test_similarity_is_bounded_and_self_similarity_is_one(a: Event, b: Event) -> None:
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, a) == 1.0


@SLOW
@given(gold=EVENT_LISTS, pred=EVENT_LISTS)
def test_article_score_is_bounded(gold: list[Event], pred: list[Event]) -> None:
    result = score_article(_gold(gold), Prediction(id="a", summary=_summary(pred)))
    assert 0.0 <= result["score"] <= 1.0
    assert all(0.5 <= m["similarity"] <= 1.0 for m in result["matches"])


@SLOW
@given(gold=EVENT_LISTS)
def test_perfect_prediction_scores_one(gold: list[Event]) -> None:
    article = _gold(gold)
    result = score_article(article, Prediction(id="a", summary=_summary(gold)))
    assert result["score"] == 1.0
    metrics = evaluate([article], {"a": Prediction(id="a", summary=_summary(gold))})
    assert metrics["headline_f1"] in (1.0, None)


# ---------------------------------------------------------------- batch input reader

JSON_LINE = st.fixed_dictionaries(
    {"text": st.text(max_size=80) | st.integers() | st.none()},
    optional={"id": st.text(max_size=5) | st.integers() | st.lists(st.integers(), max_size=2),
              "published": st.text(max_size=12) | st.none(), "extra": st.booleans()},
).map(lambda d: json.dumps(d).encode())  # fmt: skip
LINE = (st.binary(max_size=120) | JSON_LINE).map(lambda b: b.replace(b"\n", b" "))


@FAST
@given(lines=st.lists(LINE, max_size=8))
@example(lines=[b"[" * 5000])  # nesting deeper than the JSON decoder's recursion limit
@example(lines=[b'{"text": "\\ud800 lone surrogate"}'])
def test_batch_reader_turns_every_line_into_an_article_or_an_error(lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.jsonl"
        path.write_bytes(b"\n".join(lines))
        records = list(read_inputs(path))
    assert len(records) == sum(1 for line in lines if line.strip())
    for record in records:
        assert (record.article is None) != (record.error is None)
        if record.article is not None:
            assert validate_text(record.article.text)
