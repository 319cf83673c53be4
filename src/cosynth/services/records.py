"""Reading the records of a review: lists, search, single records, sources and exports."""

from __future__ import annotations

from typing import TextIO

from cosynth.domain.review import ImportReport, Record, Source
from cosynth.domain.roles import Permission
from cosynth.errors import NotFoundError
from cosynth.formats import get_writer
from cosynth.formats.base import TableWriter
from cosynth.services.workspace import Tx
from cosynth.store import dedup as dedup_store
from cosynth.store import records as record_store

# Written before the citation fields in table exports: cosynth's record id,
# the file it was imported from, and its duplicate group (the group's first
# record id; a record in no group is its own group).
PROVENANCE_COLUMNS = ("record_id", "source_file", "group_id")


def list_records(
    tx: Tx, review_id: int, *, search: str | None = None, limit: int = 50, offset: int = 0
) -> list[Record]:
    """Records in import order, optionally those whose title, abstract, journal or DOI match."""
    tx.require(review_id, Permission.VIEW)
    return record_store.find_records(tx.session, review_id, search, limit, offset)


def count_records(tx: Tx, review_id: int, *, search: str | None = None) -> int:
    tx.require(review_id, Permission.VIEW)
    return record_store.count_records(tx.session, review_id, search)


def get_record(tx: Tx, review_id: int, record_id: int) -> Record:
    tx.require(review_id, Permission.VIEW)
    record = record_store.get_record(tx.session, review_id, record_id)
    if record is None:
        raise NotFoundError(f"Review {review_id} has no record {record_id}.")
    return record


def record_raw(tx: Tx, review_id: int, record_id: int) -> str:
    """The record's text exactly as the source file had it (provenance)."""
    tx.require(review_id, Permission.VIEW)
    raw = record_store.record_raw(tx.session, review_id, record_id)
    if raw is None:
        raise NotFoundError(f"Review {review_id} has no record {record_id}.")
    return raw


def list_sources(tx: Tx, review_id: int) -> list[Source]:
    """The files imported into the review, in the order they were imported."""
    tx.require(review_id, Permission.VIEW)
    return record_store.sources_of(tx.session, review_id)


def source_report(tx: Tx, review_id: int, source_id: int) -> ImportReport:
    """The import report of one imported file, every skipped record included."""
    tx.require(review_id, Permission.VIEW)
    report = record_store.source_report(tx.session, review_id, source_id)
    if report is None:
        raise NotFoundError(f"Review {review_id} has no imported file {source_id}.")
    return report


def source_file(tx: Tx, review_id: int, source_id: int) -> bytes:
    """The imported file's own bytes, exactly as imported."""
    tx.require(review_id, Permission.VIEW)
    data = record_store.source_bytes(tx.session, review_id, source_id)
    if data is None:
        raise NotFoundError(f"Review {review_id} has no imported file {source_id}.")
    return data


def export_records(tx: Tx, review_id: int, format_name: str, out: TextIO) -> int:
    """Write every record of the review to `out` with the named writer; return the count."""
    tx.require(review_id, Permission.VIEW)
    writer = get_writer(format_name)
    if isinstance(writer, TableWriter):
        groups = dedup_store.group_of_records(tx.session, review_id)
        rows = (
            ((str(record_id), filename, str(groups.get(record_id, record_id))), citation)
            for record_id, filename, citation in record_store.iter_records(tx.session, review_id)
        )
        written = writer.write_table(PROVENANCE_COLUMNS, rows, out)
    else:
        written = writer.write(record_store.iter_citations(tx.session, review_id), out)
    tx.log("records exported", review_id, format=format_name, records=written)
    return written
