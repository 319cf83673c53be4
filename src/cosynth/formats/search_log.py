"""The search log as CSV: one row per search as run, in the order of PRISMA-S
(Rethlefsen et al. 2021): the database, the platform, the date searched, the limits,
the exact string, the records found, and the imports its records went into.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from cosynth.domain.search import SearchLogEntry

SEARCH_LOG_COLUMNS = (
    "Database",
    "Platform",
    "Date searched",
    "Limits",
    "Search string",
    "Records found",
    "Imported as source",
    "Logged by",
    "Note",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_search_log_csv(entries: Sequence[SearchLogEntry]) -> bytes:
    """The log as CSV (UTF-8 with a byte-order mark, so spreadsheets read the accents);
    a cell a spreadsheet would run as a formula (OWASP CSV injection) is kept as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SEARCH_LOG_COLUMNS)
    for entry in entries:
        row = (
            entry.database,
            entry.platform,
            entry.run_on.isoformat(),
            entry.limits,
            entry.string,
            "" if entry.hits is None else str(entry.hits),
            " ".join(str(source) for source in entry.source_ids),
            entry.logged_by,
            entry.note,
        )
        writer.writerow([_safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
