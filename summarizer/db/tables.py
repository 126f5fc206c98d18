"""The events database's tables, read from `data/tables.json` (types, keys, full-text columns and the
description of every table and column, which `db serve` shows in Datasette), and created with sqlite-utils."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import sqlite_utils

TYPES = {"text": str, "integer": int, "float": float}


class TableSpec(NamedTuple):
    name: str
    description: str
    pk: str
    columns: dict[str, str]
    """Column → type name (text, integer, float), in order."""
    descriptions: dict[str, str]
    foreign_keys: list[tuple[str, str, str]]
    fts: list[str]


@cache
def specs() -> dict[str, TableSpec]:
    """Every table, in creation order (referenced tables first)."""
    raw = json.loads(resources.files("summarizer.db").joinpath("data/tables.json").read_text(encoding="utf-8"))
    return {name: _spec(name, body) for name, body in raw.items()}


def _spec(name: str, body: dict[str, Any]) -> TableSpec:
    columns = {col: kind for col, (kind, _) in body["columns"].items()}
    descriptions = {col: text for col, (_, text) in body["columns"].items()}
    keys = [(col, table, other) for col, table, other in body.get("foreign_keys", [])]
    return TableSpec(name, body["description"], body["pk"], columns, descriptions, keys, body.get("fts", []))


def create_tables(db: sqlite_utils.Database) -> None:
    """Create whatever tables, indexes and full-text indexes are missing; existing ones are left as they are."""
    for spec in specs().values():
        table = db.table(spec.name)
        if table.exists():
            continue
        table.create(
            {col: TYPES[kind] for col, kind in spec.columns.items()},
            pk=spec.pk,
            foreign_keys=spec.foreign_keys or None,
        )
        for column, _, _ in spec.foreign_keys:
            table.create_index([column], if_not_exists=True)
        if spec.fts:
            # Triggers keep the index in step with every upsert and delete.
            table.enable_fts(spec.fts, create_triggers=True)
