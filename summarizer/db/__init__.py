"""Layer 4½: the events database. Tables (`tables`, described in `data/tables.json`), results lines as rows
(`rows`), the SQLite file with its transactions (`store`), keeping a run in step with its results file
(`sync`), the ACLED/UCDP export (`export`) and Datasette over it (`serve`, with the `plugin` and the event
`view`; Datasette is the optional `db` extra). Used by batch and eval alike; imports only layers 0–4.
"""

from summarizer.db.export import ACLED_COLUMNS, acled_csv, acled_rows
from summarizer.db.store import EventsDB, Provenance, provenance_of
from summarizer.db.sync import ResultsSync

__all__ = ["ACLED_COLUMNS", "EventsDB", "Provenance", "ResultsSync", "acled_csv", "acled_rows", "provenance_of"]
