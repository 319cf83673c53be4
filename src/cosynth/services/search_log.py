"""The search log: each search as run in each database (PRISMA-S).

PRISMA-S asks for each database and platform, the date searched, the limits
and the exact string as run, and the number of records each search found; the
paper searched thirteen databases between March 2012 and March 2022
(Search strategy). An entry is linked to the import of its records (a
`Source`, made by `services.imports.import_file`), so PRISMA's per-database
counts of records identified can be set beside the hits each database
reported. A string from one of the databases cosynth writes for is checked by
the validator; what it finds is kept with the entry as warnings (the string is
logged as run, right or wrong: it is a record of what was done).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from cosynth.domain import search_syntax
from cosynth.domain.roles import Permission
from cosynth.domain.search import Database, DatabaseCount, SearchLogEntry, database_named
from cosynth.errors import InputError, NotFoundError
from cosynth.formats.search_log import write_search_log_csv
from cosynth.services.workspace import Tx
from cosynth.store import search as search_store

MAX_NAME = 200
MAX_STRING = 100_000
MAX_TEXT = 2000


def log_search(
    tx: Tx,
    review_id: int,
    database: str,
    *,
    run_on: date,
    string: str,
    platform: str = "",
    limits: str = "",
    hits: int | None = None,
    source_id: int | None = None,
    note: str = "",
) -> SearchLogEntry:
    """Log one search as run: the database and platform, the date, the limits, the exact
    string and the hits it reported; `source_id` links the import of its records."""
    tx.require(review_id, Permission.IMPORT)
    database = " ".join(database.split())
    if not database:
        raise InputError("Say which database was searched (e.g. MEDLINE, CINAHL, Scopus).")
    if len(database) > MAX_NAME or len(platform) > MAX_NAME:
        raise InputError(f"The database or platform name is longer than {MAX_NAME} characters.")
    if not string.strip():
        raise InputError("Paste the exact search string as it was run.")
    if len(string) > MAX_STRING:
        raise InputError(f"The search string is longer than {MAX_STRING:,} characters.")
    if hits is not None and hits < 0:
        raise InputError("The number of hits cannot be below 0.")
    if run_on > tx.now.date():
        raise InputError(f"The search date {run_on.isoformat()} is in the future.")
    if len(limits) > MAX_TEXT or len(note) > MAX_TEXT:
        raise InputError(f"The limits or the note are longer than {MAX_TEXT} characters.")
    known = _known(database)
    entry_id = search_store.insert_log_entry(
        tx.session, review_id, database=known.database_name if known else database,
        platform=platform.strip() or (known.platform if known else ""), run_on=run_on,
        string=string.strip(), limits=limits.strip(), hits=hits, note=note.strip(),
        at=tx.now, actor=tx.actor,
    )  # fmt: skip
    if source_id is not None:
        _link(tx, review_id, entry_id, source_id)
    tx.log("search logged", review_id, entry=entry_id, database=database, hits=hits)
    return _entry(tx, review_id, entry_id)


def link_source(tx: Tx, review_id: int, entry_id: int, source_id: int) -> SearchLogEntry:
    """Link a logged search to the import of the records it found."""
    tx.require(review_id, Permission.IMPORT)
    _entry(tx, review_id, entry_id)
    _link(tx, review_id, entry_id, source_id)
    tx.log("search linked to import", review_id, entry=entry_id, source=source_id)
    return _entry(tx, review_id, entry_id)


def search_log(tx: Tx, review_id: int) -> list[SearchLogEntry]:
    """Every logged search, by date run, each with the validator's warnings."""
    tx.require(review_id, Permission.VIEW)
    return [_checked(e) for e in search_store.log_of(tx.session, review_id)]


def search_log_csv(tx: Tx, review_id: int) -> bytes:
    """The search log as CSV, for the review's appendix (PRISMA-S)."""
    return write_search_log_csv(search_log(tx, review_id))


def database_counts(tx: Tx, review_id: int) -> list[DatabaseCount]:
    """Per database: searches logged, hits reported (None where one search has none) and
    the records imported from the linked sources (PRISMA 2020 item 16a's per-database
    counts of records identified)."""
    entries = search_log(tx, review_id)
    imported = search_store.records_per_source(
        tx.session, sorted({s for e in entries for s in e.source_ids})
    )
    counts: list[DatabaseCount] = []
    for name in dict.fromkeys(e.database for e in entries):
        mine = [e for e in entries if e.database == name]
        hits = None if any(e.hits is None for e in mine) else sum(e.hits or 0 for e in mine)
        sources = {s for e in mine for s in e.source_ids}
        counts.append(
            DatabaseCount(
                database=name,
                searches=len(mine),
                hits=hits,
                records_imported=sum(imported.get(s, 0) for s in sources),
            )
        )
    return counts


def _known(name: str) -> Database | None:
    try:
        return database_named(name)
    except InputError:
        return None


def _checked(entry: SearchLogEntry) -> SearchLogEntry:
    database = next(
        (
            d
            for d in Database
            if (d.database_name.lower(), d.platform.lower())
            == (entry.database.lower(), entry.platform.lower())
        ),
        None,
    )
    if database is None:
        return entry
    found = search_syntax.validate(database, entry.string)
    return replace(entry, warnings=tuple(p.message for p in found))


def _link(tx: Tx, review_id: int, entry_id: int, source_id: int) -> None:
    if search_store.source_review(tx.session, source_id) != review_id:
        raise NotFoundError(f"Review {review_id} has no imported file (source) {source_id}.")
    entry = _entry(tx, review_id, entry_id)
    if source_id in entry.source_ids:
        raise InputError(f"Search {entry_id} is already linked to source {source_id}.")
    search_store.insert_log_source(tx.session, entry_id, source_id, at=tx.now, actor=tx.actor)


def _entry(tx: Tx, review_id: int, entry_id: int) -> SearchLogEntry:
    for entry in search_store.log_of(tx.session, review_id):
        if entry.id == entry_id:
            return _checked(entry)
    raise NotFoundError(f"Review {review_id}'s search log has no search {entry_id}.")
