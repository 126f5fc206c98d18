"""Named eval datasets, and the GVDB (Gun Violence Database) converter.

`load_dataset` takes `seed` (evals/gold/seed.jsonl), `gvdb-dev` (the GVDB dev TSV, restricted to the
committed sample list evals/samples/gvdb-dev.txt), `muc-dev`, `muc-tst1`, `muc-tst2`, `muc-test` (the
MUC-3/4 corpus, converted by `summarizer.eval.muc`) or a path to a gold JSONL or a GVDB-format TSV.
The dev TSV is found by `fetch.data_file` (SUMMARIZER_DATA, ../shared/data beside the checkout, the cache
under SUMMARIZER_HOME, else a checked download from its public source); `SUMMARIZER_GVDB_DIR` still
names a folder holding dev.tsv. Without a checkout the sample list is recomputed with `sample_ids`,
which is how it was made.

GVDB conversion (`convert_gvdb`), one primary event per article, `all_events=False` (GVDB annotates a
single incident, so other events a model finds are not counted against it):

- text: the `Full text` column as is (title glued to the body, no separator), because every annotated
  offset counts from its first character. Rows containing HTML entities (`&#39;`) are HTML-unescaped,
  title included: their offsets fit the unescaped text.
- published: GVDB has no publication-date column. When the URL holds a year, month and day
  (`/2015/12/28/`, `/2016/jan/26/`, `-20160223-`; not M-D-Y) that date is used, else null; the
  extractor then cannot resolve relative dates ("on Friday") for that article.
- what: type `shooting`, no description, no evidence.
- who: every shooter with a non-empty name → role `perpetrator`, kind `person`; every named victim →
  role `victim`, kind `person`. Unnamed entries add nothing. Names are cleaned of soft hyphens,
  zero-width spaces and outer whitespace; the evidence quote stays verbatim.
- where: `city` span → place (evidence from its offsets). `state` "XX - Name" → admin1 Name, country
  "United States", country_code "US"; free-text states ("Calif", "Wis.", "SC", " Ohio") are looked up
  as US state names, postal codes or AP abbreviations. "Outside the USA", "Unclear", "" and anything
  unknown → admin1, country and country_code null.
- when: the annotated `date` (zero-padded), precision day. Some of these are wrong: for 10 of the 169
  dev rows with a URL date, the annotated date is 2+ days after publication (see the GVDB README).
  They are kept as annotated; the `date_within_1d` score absorbs off-by-one picks but not these.
- casualties: one claim when the article has at least one victim entry: killed best = number of
  victims whose `victim-was` contains "killed"; injured best = number with "injured" or
  "hospitalized" and not "killed". Victims with an empty `victim-was` count in neither. An article
  without victim entries has no claim (no target for killed/injured).
- spans: offsets are 0-based, end-exclusive code points into the text. A negative start (the annotation
  tool showed a "publication date: …" line before the text) is repaired by keeping the longest suffix
  of its last line that ends at `endIndex` in the text, cut at the title/body boundary (the tool showed
  a line break there that `Full text` lacks). Outer whitespace is trimmed from the span. A span that
  still does not match keeps its value but gets no evidence.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from summarizer.errors import DatasetError
from summarizer.eval.fetch import data_file
from summarizer.eval.gold import GoldArticle, GoldEvent, read_gold
from summarizer.eval.muc import DATASETS as MUC_DATASETS
from summarizer.eval.muc import load_muc
from summarizer.extract.gazetteer import ap_states, us_state_names
from summarizer.schema import Actor, CasualtyClaim, Count, Evidence, Precision, Role, What, When, Where
from summarizer.text.folding import fold_name, strip_invisible

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_GOLD = REPO_ROOT / "evals" / "gold" / "seed.jsonl"
GVDB_SAMPLE = REPO_ROOT / "evals" / "samples" / "gvdb-dev.txt"
SAMPLE_SALT = "summarizer-gvdb-dev-v1"
"""The sample list is the first N dev ids ordered by sha256(SAMPLE_SALT + ":" + id)."""
COLUMNS = ("Article id", "Article url", "Article title", "Full text", "Json")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), start=1)}  # fmt: skip
_URL_DATES = (
    re.compile(r"/((?:19|20)\d\d)[/_-](\d{1,2}|[a-z]{3})[/_-](\d{1,2})(?=[/_.-]|$)", re.I),
    re.compile(r"(?<![\d])((?:19|20)\d\d)(\d\d)(\d\d)(?![\d])"),
)


class Span(NamedTuple):
    """A GVDB span after repair: the cleaned value and, when the offsets hold, its evidence."""

    value: str
    evidence: Evidence | None


# ---------------------------------------------------------------- small field parsers


def url_date(url: str) -> str | None:
    """The Y/M/D date a URL carries, as ISO, or None."""
    for pattern in _URL_DATES:
        for match in pattern.finditer(url):
            year, month, day = match.groups()
            month_no = _MONTHS.get(month.lower()[:3]) if month.isalpha() else int(month)
            try:
                return date(int(year), month_no or 0, int(day)).isoformat()
            except ValueError:
                continue
    return None


def iso_date(value: str) -> str | None:
    """'2015-8-23' → '2015-08-23'; None for anything that is not a Y-M-D date."""
    try:
        year, month, day = (int(part) for part in value.strip().split("-"))
        return date(year, month, day).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    """Folded state name, postal code and AP abbreviation → state name."""
    names = us_state_names()
    table = {fold_name(name): name for name in names.values()}
    table.update({code.lower(): name for code, name in names.items()})
    table.update({fold_name(ap): names[code] for ap, code in ap_states().items()})
    table["calif"] = names["CA"]  # seen in GVDB without the AP full stop
    return table


def us_state(raw: str) -> str | None:
    """The US state a GVDB `state` value names ("CA - California", "Calif", "Wis."), or None."""
    raw = raw.strip()
    if " - " in raw:
        raw = raw.split(" - ", 1)[1]
    return _us_states().get(fold_name(raw))


def clean_value(value: str) -> str:
    """Invisible characters out, whitespace collapsed: the value as a reader sees it."""
    return " ".join(unicodedata.normalize("NFC", strip_invisible(value)).split())


# ---------------------------------------------------------------- spans


def repair_span(text: str, span: dict[str, Any], body_start: int = 0) -> Span | None:
    """A GVDB span object as a cleaned value plus verified evidence; None when it is empty.

    `body_start` is where the body follows the title in `text`: the annotation tool showed a line
    break there, so a repaired span that crosses it is cut to its body part.
    """
    value = str(span.get("value") or "")
    if not value.strip():
        return None
    start, end = int(span.get("startIndex", -1)), int(span.get("endIndex", -1))
    if start < 0 <= end:
        # The tool prefixed lines that are not in the file; the annotated words end at `end`.
        value = value.splitlines()[-1] if value.splitlines() else value
        k = next((k for k in range(min(len(value), end), 0, -1) if text[end - k : end] == value[-k:]), 0)
        start, value = end - k, value[len(value) - k :]
        if start < body_start < end:
            start, value = body_start, value[body_start - start :]
    if start < 0 or text[start:end] != value or not value.strip():
        return Span(clean_value(value), None)
    start += len(value) - len(value.lstrip())
    end -= len(value) - len(value.rstrip())
    return Span(clean_value(value), Evidence(quote=text[start:end], start=start, end=end))


# ---------------------------------------------------------------- one row


def _evidence(span: Span | None) -> list[Evidence]:
    return [span.evidence] if span and span.evidence else []


def _actors(text: str, body: int, people: list[dict[str, Any]], role: Role) -> list[Actor]:
    actors: list[Actor] = []
    seen: set[str] = set()
    for person in people:
        name = repair_span(text, person.get("name") or {}, body)
        if name and name.value and name.value.casefold() not in seen:
            seen.add(name.value.casefold())
            actors.append(Actor(name=name.value, role=role, kind="person", evidence=_evidence(name)))
    return actors


def _where(text: str, body: int, place: dict[str, Any]) -> Where:
    city = repair_span(text, place.get("city") or {}, body)
    admin1 = us_state(str(place.get("state") or ""))
    precision: Precision = "city" if city else "admin1" if admin1 else "unknown"
    return Where(
        place=city.value if city else None,
        admin1=admin1,
        country="United States" if admin1 else None,
        country_code="US" if admin1 else None,
        precision=precision,
        evidence=_evidence(city),
    )


def _casualties(victims: list[dict[str, Any]]) -> list[CasualtyClaim]:
    if not victims:
        return []
    outcomes = [set(v.get("victim-was") or []) for v in victims]
    killed = sum("killed" in o for o in outcomes)
    injured = sum(bool(o & {"injured", "hospitalized"}) and "killed" not in o for o in outcomes)
    return [CasualtyClaim(killed=Count(best=killed), injured=Count(best=injured), source="GVDB annotation")]


def convert_row(row: dict[str, str]) -> GoldArticle:
    """One GVDB row (a dict keyed by the TSV header) as a gold article."""
    text, title = row["Full text"], row["Article title"]
    if html.unescape(text) != text:
        text, title = html.unescape(text), html.unescape(title)
    labels = json.loads(row["Json"])
    place = labels.get("date-and-time") or {}
    body = len(title) if title and text.startswith(title) else 0
    event = GoldEvent(
        primary=True,
        what=What(type="shooting"),
        who=_actors(text, body, labels.get("shooter-section") or [], "perpetrator")
        + _actors(text, body, labels.get("victim-section") or [], "victim"),
        where=_where(text, body, place),
        when=When(date=iso_date(str(place.get("date") or "")), precision="day"),
        casualties=_casualties(labels.get("victim-section") or []),
    )
    return GoldArticle(
        id=row["Article id"].strip(),
        text=text,
        published=url_date(row["Article url"]),
        title=title or None,
        url=row["Article url"] or None,
        all_events=False,
        events=[event],
    )


# ---------------------------------------------------------------- files


def read_gvdb_rows(tsv_path: str | Path) -> list[dict[str, str]]:
    """The rows of a GVDB-format TSV as dicts; DatasetError names the line of the first bad row."""
    path = Path(tsv_path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, [])
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise DatasetError(f"{path}: not a GVDB TSV, header lacks {', '.join(missing)}")
            rows = []
            for number, cells in enumerate(reader, start=2):
                if len(cells) != len(header):
                    raise DatasetError(f"{path} line {number}: {len(cells)} fields, expected {len(header)}")
                rows.append(dict(zip(header, cells, strict=True)))
            return rows
    except FileNotFoundError:
        raise DatasetError(
            f"{path}: no such file; set SUMMARIZER_DATA to a folder holding gvdb/dev.tsv "
            "(or SUMMARIZER_GVDB_DIR to the folder with dev.tsv)"
        ) from None
    except UnicodeDecodeError:
        raise DatasetError(f"{path} is not UTF-8 text") from None


def convert_gvdb(tsv_path: str | Path) -> list[GoldArticle]:
    """Every row of a GVDB-format TSV as a gold article (see the module docstring for the rules)."""
    articles = []
    for number, row in enumerate(read_gvdb_rows(tsv_path), start=2):
        try:
            articles.append(convert_row(row))
        except (ValueError, TypeError, AttributeError) as exc:  # bad JSON or a span of the wrong shape
            raise DatasetError(f"{tsv_path} line {number}: cannot convert GVDB row: {exc}") from None
    return articles


def sample_ids(ids: list[str], n: int = 200) -> list[str]:
    """The documented deterministic sample: first `n` ids by salted sha256, listed in numeric order."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{SAMPLE_SALT}:{i}".encode()).hexdigest())
    return sorted(ranked[:n], key=lambda i: (len(i), i))


def read_sample(path: Path = GVDB_SAMPLE) -> list[str]:
    """Ids of a sample list: one per line, '#' comments and blank lines ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DatasetError(f"sample list {path} not found; run from a repository checkout") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def gvdb_dev_tsv() -> Path:
    """The GVDB dev TSV: in $SUMMARIZER_GVDB_DIR when set, else wherever `fetch.data_file` finds it."""
    env = os.environ.get("SUMMARIZER_GVDB_DIR")
    return Path(env) / "dev.tsv" if env else data_file("gvdb/dev.tsv")


def _gvdb_dev() -> list[GoldArticle]:
    by_id = {a.id: a for a in convert_gvdb(gvdb_dev_tsv())}
    wanted = read_sample() if GVDB_SAMPLE.exists() else sample_ids(list(by_id))
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise DatasetError(f"{GVDB_SAMPLE}: ids not in dev.tsv: {', '.join(unknown[:5])}")
    return [by_id[i] for i in wanted]


SPLIT_SALT = "summarizer-gvdb-split-v1"
"""`gvdb-dev-tune` / `gvdb-dev-test`: all 400 dev rows, split by the first hex digit of
sha256(SPLIT_SALT + ":" + id): even → tune, odd → test. Rules and learned parts are tuned only on
`gvdb-dev-tune`; `gvdb-dev-test` is for reporting."""


def split_half(article_id: str) -> str:
    digit = int(hashlib.sha256(f"{SPLIT_SALT}:{article_id}".encode()).hexdigest()[0], 16)
    return "tune" if digit % 2 == 0 else "test"


def _gvdb_half(half: str) -> list[GoldArticle]:
    rows = [a for a in convert_gvdb(gvdb_dev_tsv()) if split_half(a.id) == half]
    return sorted(rows, key=lambda a: (len(a.id), a.id))


def load_dataset(name_or_path: str, limit: int | None = None) -> list[GoldArticle]:
    """A named dataset (`seed`, `gvdb-dev`, `gvdb-dev-tune`, `gvdb-dev-test`, `muc-*`) or a gold JSONL /
    GVDB TSV path, cut to `limit` articles."""
    if name_or_path == "seed":
        if not SEED_GOLD.exists():
            raise DatasetError(f"dataset 'seed' needs a repository checkout ({SEED_GOLD} not found)")
        articles = read_gold(SEED_GOLD)
    elif name_or_path == "gvdb-dev":
        articles = _gvdb_dev()
    elif name_or_path in ("gvdb-dev-tune", "gvdb-dev-test"):
        articles = _gvdb_half(name_or_path.rsplit("-", 1)[1])
    elif name_or_path in MUC_DATASETS:
        articles = load_muc(name_or_path)
    elif Path(name_or_path).suffix.lower() == ".tsv" and Path(name_or_path).exists():
        articles = convert_gvdb(name_or_path)
    elif Path(name_or_path).exists():
        articles = read_gold(name_or_path)
    else:
        names = ", ".join(["seed", "gvdb-dev", "gvdb-dev-tune", "gvdb-dev-test", *MUC_DATASETS])
        raise DatasetError(f"unknown dataset {name_or_path!r}: use {names} or a .jsonl/.tsv path")
    return articles if limit is None else articles[:limit]
