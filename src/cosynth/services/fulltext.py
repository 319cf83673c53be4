"""Full texts: attaching PDFs to records, reading their pages, and marking those not retrieved.

PRISMA 2020 counts reports sought for retrieval, reports not retrieved and
reports assessed for eligibility; `retrieval_summary` derives all three.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cosynth.domain.review import Record
from cosynth.domain.roles import Permission, Role, may
from cosynth.domain.screening.outcomes import Status
from cosynth.domain.screening.reports import NotRetrieved, Report, ReportPage
from cosynth.domain.screening.stages import Assignment, Stage
from cosynth.errors import InputError, NotFoundError
from cosynth.formats.fulltext import MAX_BYTES, read_pdf
from cosynth.services.screening import needs_vote_from
from cosynth.services.screening_state import StageState, load_stage
from cosynth.services.workspace import Tx
from cosynth.store import dedup as dedup_store
from cosynth.store import fulltext as fulltext_store
from cosynth.store import records as record_store

# The largest PDF cosynth reads; interfaces refuse bigger files before reading them.
MAX_PDF_BYTES = MAX_BYTES


@dataclass(frozen=True, slots=True)
class RetrievalSummary:
    """The full-text boxes of a PRISMA 2020 flow, from the data."""

    sought: int
    not_retrieved: int
    with_report: int
    assessed: int
    excluded: int
    excluded_by_reason: tuple[tuple[str, int], ...]
    included: int


@dataclass(frozen=True, slots=True)
class FullTextEntry:
    """One record at the full-text stage, as the person asking may see it.

    `status` is safe to show under blinding: it stays "awaiting votes" until
    every vote is in, so it never tells which way a vote went. `asked_of_me`
    is True when the person is one of those who screen the record (or, for an
    adviser, was assigned it for advice); `waiting_for_me` when they have not
    voted (or advised) on it yet.
    """

    record: Record
    reports: tuple[Report, ...]
    not_retrieved: NotRetrieved | None
    status: Status
    votes_in: int
    votes_required: int
    asked_of_me: bool
    waiting_for_me: bool


def attach_report(tx: Tx, review_id: int, record_id: int, filename: str, data: bytes) -> Report:
    """Attach a PDF to a record as one of its reports, its text read page by page."""
    tx.require(review_id, Permission.ATTACH_FULL_TEXT)
    unit = _unit(tx, review_id, record_id)
    sha256 = hashlib.sha256(data).hexdigest()
    for report in fulltext_store.reports_of(tx.session, review_id, [unit]):
        if report.sha256 == sha256:
            raise InputError(
                f"{filename} is already attached to record {unit} (as {report.filename})."
            )
    fulltext = read_pdf(data, filename)
    report = fulltext_store.insert_report(
        tx.session,
        review_id=review_id,
        record_id=unit,
        filename=filename,
        sha256=sha256,
        content=data,
        title=fulltext.title,
        pages=[(page.number, page.label, page.text) for page in fulltext.pages],
        has_text=fulltext.has_text,
        warnings=fulltext.warnings,
        at=tx.now,
        actor=tx.actor,
    )
    if unit in fulltext_store.not_retrieved(tx.session, review_id):
        fulltext_store.insert_retrieval(
            tx.session,
            review_id=review_id,
            record_id=unit,
            retrieved=True,
            note=f"{filename} attached",
            at=tx.now,
            actor=tx.actor,
        )
    tx.log("full text attached", review_id, record=unit, report=report.id, filename=filename)
    return report


def mark_not_retrieved(tx: Tx, review_id: int, record_id: int, *, note: str) -> NotRetrieved:
    """Mark a record's full text as sought but not obtained (it then leaves screening)."""
    tx.require(review_id, Permission.ATTACH_FULL_TEXT)
    state = load_stage(tx, review_id, Stage.FULL_TEXT)
    unit = _unit(tx, review_id, record_id)
    if not state.in_stage(unit):
        raise InputError(
            f"Record {unit} is not in the full text stage, so its full text is not sought."
        )
    if fulltext_store.reports_of(tx.session, review_id, [unit]):
        raise InputError(f"Record {unit} has a full text attached; it was retrieved.")
    if state.votes.get(unit):
        raise InputError(f"Record {unit}'s full text has already been screened.")
    if not note.strip():
        raise InputError("Say what was tried (e.g. library, author emailed); it is kept.")
    fulltext_store.insert_retrieval(
        tx.session,
        review_id=review_id,
        record_id=unit,
        retrieved=False,
        note=note.strip(),
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("full text not retrieved", review_id, record=unit, note=note.strip())
    return fulltext_store.not_retrieved(tx.session, review_id)[unit]


def seek_again(tx: Tx, review_id: int, record_id: int, *, note: str = "") -> None:
    """Take back a "not retrieved" mark: the full text is being sought again."""
    tx.require(review_id, Permission.ATTACH_FULL_TEXT)
    unit = _unit(tx, review_id, record_id)
    if unit not in fulltext_store.not_retrieved(tx.session, review_id):
        raise InputError(f"Record {unit}'s full text is not marked not retrieved.")
    fulltext_store.insert_retrieval(
        tx.session,
        review_id=review_id,
        record_id=unit,
        retrieved=True,
        note=note.strip() or "sought again",
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("full text sought again", review_id, record=unit)


def reports_for(tx: Tx, review_id: int, record_id: int) -> list[Report]:
    tx.require(review_id, Permission.VIEW)
    return fulltext_store.reports_of(tx.session, review_id, [_unit(tx, review_id, record_id)])


def get_report(tx: Tx, review_id: int, report_id: int) -> Report:
    tx.require(review_id, Permission.VIEW)
    return _report(tx, review_id, report_id)


def report_pages(tx: Tx, review_id: int, report_id: int) -> list[ReportPage]:
    """The report's text, page by page, numbered and labelled as printed (for quotes)."""
    tx.require(review_id, Permission.VIEW)
    _report(tx, review_id, report_id)
    return fulltext_store.report_pages(tx.session, report_id)


def report_pdf(tx: Tx, review_id: int, report_id: int) -> tuple[Report, bytes]:
    tx.require(review_id, Permission.VIEW)
    report = _report(tx, review_id, report_id)
    content = fulltext_store.report_content(tx.session, review_id, report_id)
    assert content is not None
    return report, content


def not_retrieved(tx: Tx, review_id: int) -> list[NotRetrieved]:
    tx.require(review_id, Permission.VIEW)
    return sorted(
        fulltext_store.not_retrieved(tx.session, review_id).values(), key=lambda m: m.record_id
    )


def retrieval_summary(tx: Tx, review_id: int) -> RetrievalSummary:
    """Reports sought, not retrieved, assessed, excluded (with reasons) and included.

    Each record that passed title/abstract screening is one report sought
    (cosynth counts the record's full text as one report until studies are
    linked in appraisal); those marked not retrieved are not assessed.
    """
    tx.require(review_id, Permission.VIEW)
    state = load_stage(tx, review_id, Stage.FULL_TEXT)
    missing = set(fulltext_store.not_retrieved(tx.session, review_id)) & state.unit_set
    attached = {report.record_id for report in fulltext_store.reports_of(tx.session, review_id)}
    return _summary(state, missing, attached)


def full_text_records(tx: Tx, review_id: int) -> list[FullTextEntry]:
    """Every record at the full-text stage, with its reports and retrieval state."""
    role = tx.require(review_id, Permission.VIEW)
    state = load_stage(tx, review_id, Stage.FULL_TEXT)
    return _entries(tx, review_id, role, state, list(state.units))


def full_text_record(tx: Tx, review_id: int, record_id: int) -> FullTextEntry:
    """One record at the full-text stage (an error if it has not reached that stage)."""
    role = tx.require(review_id, Permission.VIEW)
    unit = _unit(tx, review_id, record_id)
    state = load_stage(tx, review_id, Stage.FULL_TEXT)
    if not state.in_stage(unit):
        raise InputError(
            f"Record {unit} is not in the full text stage: only records included at title "
            "and abstract screening have their full texts read."
        )
    return _entries(tx, review_id, role, state, [unit])[0]


def _entries(
    tx: Tx, review_id: int, role: Role, state: StageState, units: list[int]
) -> list[FullTextEntry]:
    reports: dict[int, list[Report]] = {}
    for report in fulltext_store.reports_of(tx.session, review_id, units):
        reports.setdefault(report.record_id, []).append(report)
    missing = fulltext_store.not_retrieved(tx.session, review_id)
    advice = not may(role, Permission.SCREEN)
    takes_part = may(role, Permission.SCREEN) or may(role, Permission.ADVISE)
    entries = []
    for unit in units:
        record = record_store.get_record(tx.session, review_id, unit)
        assert record is not None
        outcome = state.outcomes[unit]
        asked = takes_part and _asked(state, unit, tx.actor, advice=advice)
        entries.append(
            FullTextEntry(
                record=record,
                reports=tuple(reports.get(unit, ())),
                not_retrieved=missing.get(unit),
                status=outcome.status,
                votes_in=outcome.votes_in,
                votes_required=outcome.votes_required,
                asked_of_me=asked,
                waiting_for_me=asked and needs_vote_from(state, unit, tx.actor, advice=advice),
            )
        )
    return entries


def _asked(state: StageState, unit: int, person: str, *, advice: bool) -> bool:
    """Advisers give advice on what they are assigned; reviewers screen all, or their share."""
    if advice or state.protocol.assignment is Assignment.ASSIGNED:
        return person in state.assignments.get(unit, set())
    return True


def _summary(state: StageState, missing: set[int], attached: set[int]) -> RetrievalSummary:
    statuses = {unit: state.outcomes[unit] for unit in state.units if unit not in missing}
    reasons: dict[str, int] = {}
    for outcome in statuses.values():
        if outcome.status is Status.EXCLUDED:
            key = outcome.reason or "(no reason given)"
            reasons[key] = reasons.get(key, 0) + 1
    return RetrievalSummary(
        sought=len(state.units),
        not_retrieved=len(missing),
        with_report=len(attached & state.unit_set),
        assessed=len(statuses),
        excluded=sum(1 for o in statuses.values() if o.status is Status.EXCLUDED),
        excluded_by_reason=tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        included=sum(1 for o in statuses.values() if o.status is Status.INCLUDED),
    )


def _unit(tx: Tx, review_id: int, record_id: int) -> int:
    if record_store.get_record(tx.session, review_id, record_id) is None:
        raise NotFoundError(f"Review {review_id} has no record {record_id}.")
    merged = dedup_store.group_of_records(tx.session, review_id).get(record_id, record_id)
    if merged != record_id:
        raise InputError(
            f"Record {record_id} is a duplicate merged into record {merged}; "
            f"use record {merged} instead."
        )
    return record_id


def _report(tx: Tx, review_id: int, report_id: int) -> Report:
    report = fulltext_store.get_report(tx.session, review_id, report_id)
    if report is None:
        raise NotFoundError(f"Review {review_id} has no full text {report_id}.")
    return report
