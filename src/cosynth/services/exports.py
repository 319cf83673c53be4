"""Records out of the review as RIS, BibTeX or CSV: all, or one set along the PRISMA flow.

A set is the records behind one box of the PRISMA 2020 flow diagram (Page et
al. 2021): those included at full text, those included after critical
appraisal, those excluded at a stage (each with its reason), the duplicates
removed, those still undecided. Sets are built only from a stage's resolved
outcomes (`screening_state`, `domain.screening.outcomes`): a record is
excluded once every reviewer required has voted (or a resolution settled it),
so no export shows a reviewer how another voted on a record before both have
(DESIGN.md rule 3). Nobody's individual vote is in any set.

The CSV puts the reason (or, for undecided records, where the record stands)
in a column after the record id, file and duplicate group; RIS puts it in a
note (N1); BibTeX has no field every reference manager keeps, so it carries
the citations alone.

An export only reads, so it writes nothing to the audit log (which records
changes); the whole-review archive (`services.archive`) is logged.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cosynth.domain.citation import Citation
from cosynth.domain.roles import Permission
from cosynth.domain.screening.outcomes import Status
from cosynth.domain.screening.stages import Stage
from cosynth.errors import InputError
from cosynth.formats import get_writer
from cosynth.formats.base import TableWriter
from cosynth.services.appraisal import appraisal_exclusions
from cosynth.services.screening_state import load_stage
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Tx
from cosynth.store import dedup as dedup_store
from cosynth.store import records as record_store

# Before the citation's own columns in a CSV: cosynth's record id, the file
# it was imported from, its duplicate group (as in `records.export_records`)
# and, for sets that have one, the reason or where the record stands.
PROVENANCE_COLUMNS = ("record_id", "source_file", "group_id")
FORMATS = ("ris", "bibtex", "csv")


@dataclass(frozen=True, slots=True)
class ExportSet:
    """A set of records one can export, in the words the flow diagram uses."""

    name: str
    label: str
    # The CSV column for what each record carries ("reason", "status"); "" for none.
    note_column: str = ""
    # How a RIS note starts ("Excluded at full text"); "" for none.
    note_prefix: str = ""


EXPORT_SETS: dict[str, ExportSet] = {
    found.name: found
    for found in (
        ExportSet("all", "Every record imported"),
        ExportSet("included", "Studies included at full-text screening"),
        ExportSet("included-after-appraisal", "Studies included after critical appraisal"),
        ExportSet(
            "excluded-title-abstract",
            "Records excluded at title and abstract screening, with reasons",
            "reason",
            "Excluded at title and abstract",
        ),
        ExportSet(
            "excluded-full-text",
            "Reports excluded at full-text screening, with reasons",
            "reason",
            "Excluded at full text",
        ),
        ExportSet(
            "excluded-appraisal",
            "Studies excluded by critical appraisal, with reasons",
            "reason",
            "Excluded by critical appraisal",
        ),
        ExportSet("duplicates", "Duplicate records removed", "duplicate_of", "Duplicate of record"),
        ExportSet(
            "undecided-title-abstract",
            "Records not yet decided at title and abstract screening",
            "status",
            "Not yet decided at title and abstract",
        ),
        ExportSet(
            "undecided-full-text",
            "Reports not yet decided at full-text screening",
            "status",
            "Not yet decided at full text",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Exported:
    """An export's bytes, a file name for them, and how many records they hold."""

    data: bytes
    filename: str
    media_type: str
    records: int


_MEDIA_TYPES = {
    "ris": "application/x-research-info-systems",
    "bibtex": "application/x-bibtex",
    "csv": "text/csv",
}


def export_set(tx: Tx, review_id: int, set_name: str, format_name: str) -> bytes:
    """The records of one set (`EXPORT_SETS`) written in one format (ris, bibtex, csv)."""
    return export_set_file(tx, review_id, set_name, format_name).data


def export_set_file(tx: Tx, review_id: int, set_name: str, format_name: str) -> Exported:
    """As `export_set`, with a file name and media type for a download."""
    tx.require(review_id, Permission.VIEW)
    chosen = EXPORT_SETS.get(set_name)
    if chosen is None:
        known = ", ".join(EXPORT_SETS)
        raise InputError(f"There is no set of records called {set_name!r}. Sets: {known}.")
    writer = get_writer(format_name)
    notes = _members(tx, review_id, set_name)
    groups = dedup_store.group_of_records(tx.session, review_id)
    out = io.StringIO()
    if isinstance(writer, TableWriter):
        columns = (*PROVENANCE_COLUMNS, *((chosen.note_column,) if chosen.note_column else ()))
        rows = (
            (
                (
                    str(record_id),
                    filename,
                    str(groups.get(record_id, record_id)),
                    *((notes[record_id],) if chosen.note_column else ()),
                ),
                citation,
            )
            for record_id, filename, citation in _records(tx, review_id, notes)
        )
        written = writer.write_table(columns, rows, out)
    else:
        citations = (
            _with_note(citation, chosen, notes[record_id]) if format_name == "ris" else citation
            for record_id, _filename, citation in _records(tx, review_id, notes)
        )
        written = writer.write(citations, out)
    return Exported(
        data=out.getvalue().encode("utf-8"),
        filename=f"{set_name}.{writer.extension}",
        media_type=_MEDIA_TYPES.get(format_name, "text/csv"),
        records=written,
    )


def _records(tx: Tx, review_id: int, notes: dict[int, str]) -> Iterator[tuple[int, str, Citation]]:
    """The set's records in import order, streamed."""
    for record_id, filename, citation in record_store.iter_records(tx.session, review_id):
        if record_id in notes:
            yield record_id, filename, citation


def _with_note(citation: Citation, chosen: ExportSet, note: str) -> Citation:
    if not chosen.note_prefix:
        return citation
    text = f"{chosen.note_prefix}: {note}" if note else chosen.note_prefix
    extra = dict(citation.extra)
    extra["N1"] = (*extra.get("N1", ()), text)
    return citation.with_changes(extra=extra)


def _members(tx: Tx, review_id: int, set_name: str) -> dict[int, str]:
    """The set's record ids, each with its note (a reason, a status, or "")."""
    build: dict[str, Callable[[Tx, int], dict[int, str]]] = {
        "all": _every_record,
        "included": _included,
        "included-after-appraisal": _included_after_appraisal,
        "excluded-title-abstract": lambda tx, r: _excluded(tx, r, Stage.TITLE_ABSTRACT),
        "excluded-full-text": lambda tx, r: _excluded(tx, r, Stage.FULL_TEXT),
        "excluded-appraisal": _excluded_by_appraisal,
        "duplicates": _duplicates,
        "undecided-title-abstract": lambda tx, r: _undecided(tx, r, Stage.TITLE_ABSTRACT),
        "undecided-full-text": lambda tx, r: _undecided(tx, r, Stage.FULL_TEXT),
    }
    return build[set_name](tx, review_id)


def _every_record(tx: Tx, review_id: int) -> dict[int, str]:
    return {record_id: "" for record_id, _f, _c in record_store.iter_records(tx.session, review_id)}


def _included(tx: Tx, review_id: int) -> dict[int, str]:
    return {study.record_id: "" for study in included_studies(tx, review_id)}


def _included_after_appraisal(tx: Tx, review_id: int) -> dict[int, str]:
    excluded = {found.study.record_id for found in appraisal_exclusions(tx, review_id)}
    return {
        study.record_id: ""
        for study in included_studies(tx, review_id)
        if study.record_id not in excluded
    }


def _excluded_by_appraisal(tx: Tx, review_id: int) -> dict[int, str]:
    return {found.study.record_id: found.reason for found in appraisal_exclusions(tx, review_id)}


def _excluded(tx: Tx, review_id: int, stage: Stage) -> dict[int, str]:
    state = load_stage(tx, review_id, stage)
    return {
        unit: outcome.reason
        for unit, outcome in sorted(state.outcomes.decided.items())
        if outcome.status is Status.EXCLUDED
    }


def _undecided(tx: Tx, review_id: int, stage: Stage) -> dict[int, str]:
    # Only where a record stands ("awaiting votes", "conflict"): never whose
    # votes are in or what they were.
    state = load_stage(tx, review_id, stage)
    return {
        unit: state.outcomes[unit].status.value
        for unit in state.units
        if not state.outcomes[unit].status.decided
    }


def _duplicates(tx: Tx, review_id: int) -> dict[int, str]:
    groups = dedup_store.group_of_records(tx.session, review_id)
    return {record_id: str(first) for record_id, first in groups.items() if record_id != first}
