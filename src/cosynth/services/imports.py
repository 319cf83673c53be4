"""Importing a database export into a review: one file, one transaction, nothing lost.

The whole file lands or none of it does (DESIGN.md rule 4): the records, the
file's own bytes (kept for provenance), and the import report listing every
skipped record with its line and reason (rule 5).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date

from cosynth.domain.citation import Citation
from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.review import ImportReport, Skipped
from cosynth.domain.roles import Permission
from cosynth.errors import AlreadyImportedError, ImportFileError
from cosynth.formats import Document, Entry, detect_reader, get_reader
from cosynth.services.workspace import Tx
from cosynth.store import records as record_store
from cosynth.store.savepoints import one_at_a_time

# Larger exports are refused before they are read: every database cosynth
# knows exports in batches far below this (PubMed 10,000, Scopus 20,000,
# Web of Science 1,000 records per file).
MAX_IMPORT_BYTES = 512 * 1024 * 1024
_BATCH = 5_000

Progress = Callable[[int, int], None]
"""Called with (lines read so far, lines in the file) while an import runs."""


def check_size(filename: str, size: int) -> None:
    """Refuse a file too large to import, before anyone reads it into memory."""
    if size > MAX_IMPORT_BYTES:
        raise ImportFileError(
            filename,
            f"the file is {size / 1024**3:.1f} GB; cosynth imports files of up to "
            f"{MAX_IMPORT_BYTES // 1024**2} MB at a time. Export the search in "
            "smaller batches (by year, say) and import each file.",
        )


def import_file(
    tx: Tx,
    review_id: int,
    filename: str,
    data: bytes,
    *,
    database: str = "",
    platform: str = "",
    searched_on: date | None = None,
    again: bool = False,
    reader: str | None = None,
    options: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    deduplicated: bool = False,
    method: IdentificationMethod = IdentificationMethod.DATABASE,
) -> ImportReport:
    """Import every record of one exported file into the review.

    `method` says how the records were found (a database search by default;
    a register, a website, an organisation or citation searching): the
    column of the PRISMA 2020 flow they are counted in.
    """
    tx.require(review_id, Permission.IMPORT)
    check_size(filename, len(data))
    sha256 = hashlib.sha256(data).hexdigest()
    if not again:
        # The same file sent twice at once (two clicks, two people) lands once.
        one_at_a_time(tx.session, "import", review_id, sha256)
        _refuse_repeat(tx, review_id, filename, sha256)

    doc = Document(filename, data, options)
    chosen = get_reader(reader) if reader else detect_reader(doc)
    # Counted on the bytes: decoding the whole file here would hold a second
    # copy of it (up to four times its size) beside the reader's own pass.
    total_lines = max(data.count(b"\n"), data.count(b"\r")) + 1
    source_id = record_store.insert_source(
        tx.session,
        review_id=review_id,
        filename=filename,
        format_name=chosen.name,
        database=database.strip(),
        platform=platform.strip(),
        searched_on=searched_on,
        sha256=sha256,
        data=data,
        at=tx.now,
        actor=tx.actor,
        deduplicated=deduplicated,
        method=method.value,
    )

    skipped: list[Skipped] = []
    named: Counter[str] = Counter()
    imported = 0
    for batch in _batches(chosen.read(doc), _BATCH):
        usable: list[tuple[int, str, Citation]] = []
        for entry in batch:
            if entry.citation is None:
                skipped.append(Skipped(line=entry.line, reason=entry.skipped))
                continue
            if entry.citation.database:
                named[entry.citation.database] += 1
            usable.append((entry.line, entry.raw, entry.citation))
        record_store.insert_records(tx.session, review_id, source_id, imported, usable)
        imported += len(usable)
        if progress is not None:
            progress(batch[-1].line, total_lines)

    if imported == 0:
        raise ImportFileError(filename, _nothing_imported(skipped))

    # The team's own name for the database wins; else the one the file gives.
    database_name = database.strip() or (named.most_common(1)[0][0][:200] if named else "")
    report = record_store.finish_source(
        tx.session, source_id, imported=imported, skipped=skipped, database=database_name
    )
    tx.log(
        "file imported",
        review_id,
        source_id=source_id,
        filename=filename,
        sha256=sha256,
        format=chosen.name,
        records=imported,
        skipped=len(skipped),
    )
    return ImportReport(
        source=report.source,
        reader=chosen.label,
        records_read=report.records_read,
        records_imported=imported,
        skipped=tuple(skipped),
    )


def _refuse_repeat(tx: Tx, review_id: int, filename: str, sha256: str) -> None:
    earlier = record_store.find_source_by_sha256(tx.session, review_id, sha256)
    if earlier is not None:
        raise AlreadyImportedError(
            f"{filename}: this exact file was already imported into this review "
            f"(as {earlier.filename}, on {earlier.imported_at:%Y-%m-%d}). "
            "Import it again only if you mean to, with --again."
        )


def _batches(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    batch: list[Entry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _nothing_imported(skipped: list[Skipped]) -> str:
    if not skipped:
        return "no records were found in this file"
    reasons = Counter(s.reason for s in skipped)
    common, n = reasons.most_common(1)[0]
    return (
        f"none of its {len(skipped)} records could be imported; the first, on line "
        f"{skipped[0].line}, was skipped because {skipped[0].reason}"
        + (f" ({n} records share the reason: {common})" if n > 1 else "")
    )
