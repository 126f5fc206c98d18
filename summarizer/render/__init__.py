"""Renderings of one `Summary`: rich text for the terminal, Markdown, a self-contained HTML page, JSON with
helper fields, and CSV rows for analysts. Article text and model output are untrusted: every piece of
either goes through `escape`.

Every view shows casualties the same way: per event and kind, the range across all claims
(`casualty_range`: low / best / high, "≥ 16", "3–19"), then each claim with its source and quote. Dates are
printed at their precision (`fmt_date`: `2024-01`, "late January 2024").

    values     casualty ranges, dates, quotes, descriptions: what every view prints
    text       rich text (terminal) and Markdown
    htmlview   the HTML page, and the cards and highlighting the eval report reuses
    export     JSON with helper fields, CSV rows
"""

from summarizer.render.export import (
    CSV_COLUMNS,
    NO_EVENT,
    article_row,
    event_row,
    render_json,
    rows_csv,
    summary_dict,
    summary_rows,
    write_rows,
)
from summarizer.render.htmlview import (
    CSS,
    FIELD_COLOURS,
    VIEW_FIELDS,
    escape,
    event_html,
    evidence_of,
    exact_spans,
    field_spans,
    highlight,
    legend,
    page,
    render_summary_html,
)
from summarizer.render.text import render_markdown, render_text, run_line
from summarizer.render.values import (
    KINDS,
    CasualtyRange,
    Kind,
    around,
    casualty_range,
    claim_quote,
    claim_text,
    clean_description,
    crop,
    date_words,
    fmt_count,
    fmt_date,
    range_text,
    when_text,
    where_text,
)

__all__ = [
    "CSS",
    "CSV_COLUMNS",
    "FIELD_COLOURS",
    "KINDS",
    "NO_EVENT",
    "VIEW_FIELDS",
    "CasualtyRange",
    "Kind",
    "around",
    "article_row",
    "casualty_range",
    "claim_quote",
    "claim_text",
    "clean_description",
    "crop",
    "date_words",
    "escape",
    "event_html",
    "event_row",
    "evidence_of",
    "exact_spans",
    "field_spans",
    "fmt_count",
    "fmt_date",
    "highlight",
    "legend",
    "page",
    "range_text",
    "render_json",
    "render_markdown",
    "render_summary_html",
    "render_text",
    "rows_csv",
    "run_line",
    "summary_dict",
    "summary_rows",
    "when_text",
    "where_text",
    "write_rows",
]
