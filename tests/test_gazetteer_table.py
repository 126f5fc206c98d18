"""The shipped city table is exactly what its build command makes, and lookups read it right."""

from __future__ import annotations

from summarizer.extract import build_gazetteer, gazetteer


def test_shipped_table_is_reproducible_from_geonames() -> None:
    assert build_gazetteer.TABLE.read_bytes() == build_gazetteer.build()


def test_city_lookup_by_bisection() -> None:
    aurora = gazetteer.cities("aurora")
    assert aurora and all(p.name == "Aurora" for p in aurora)
    assert [p.population for p in aurora] == sorted((p.population for p in aurora), reverse=True)
    assert any(p.country_code == "US" and p.admin1 == "Colorado" for p in aurora)
    assert gazetteer.cities("no such place anywhere") == ()
    assert gazetteer.lookup("Baghdad") is not None and gazetteer.lookup("Baghdad").country_code == "IQ"  # type: ignore[union-attr]
