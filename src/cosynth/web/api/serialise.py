"""What the services return, as the JSON the API sends (its shapes are in `schemas`).

Only values a service returned for the person acting are written here, so
the API shows no vote that the screens would hide (DESIGN.md rule 3).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from cosynth.domain.agreement import Agreement
from cosynth.domain.citation import Citation
from cosynth.domain.dedup.outcomes import DuplicateGroup, PairToReview
from cosynth.domain.review import ImportReport, Record, Review, ReviewStatus, Source
from cosynth.domain.roles import Role
from cosynth.domain.screening.outcomes import Outcome
from cosynth.domain.screening.reports import NotRetrieved, Report
from cosynth.domain.screening.stages import StageProtocol, protocol_fields
from cosynth.domain.screening.votes import Resolution, Vote
from cosynth.services.agreement import StageAgreement
from cosynth.services.fulltext import FullTextEntry, RetrievalSummary
from cosynth.services.screening import Conflict, RecordScreening, StageProgress
from cosynth.services.screening_queue import Queue

Json = dict[str, Any]


def review(found: Review) -> Json:
    return {
        "id": found.id,
        "title": found.title,
        "question": found.question,
        "created_at": found.created_at.isoformat(),
        "started_on": _day(found.started_on),
        "completed_on": _day(found.completed_on),
    }


def review_detail(status: ReviewStatus, role: Role) -> Json:
    return {
        "review": review(status.review),
        "role": role.value,
        "status": {
            "members": status.members,
            "sources": status.sources,
            "records": status.records,
            "records_by_database": [
                {"database": name, "records": n} for name, n in status.records_by_database
            ],
            "duplicate_groups": status.duplicate_groups,
            "duplicates_removed": status.duplicates_removed,
        },
    }


def citation(found: Citation) -> Json:
    return {
        "title": found.title,
        "authors": list(found.authors),
        "year": found.year,
        "journal": found.journal,
        "volume": found.volume,
        "issue": found.issue,
        "pages": found.pages,
        "doi": found.doi,
        "pmid": found.pmid,
        "pmcid": found.pmcid,
        "isbn": found.isbn,
        "issn": found.issn,
        "abstract": found.abstract,
        "keywords": list(found.keywords),
        "language": found.language,
        "publication_type": found.publication_type,
        "url": found.url,
        "accession": found.accession,
        "database": found.database,
    }


def record(found: Record) -> Json:
    return {
        "id": found.id,
        "source_id": found.source_id,
        "line": found.line,
        "citation": citation(found.citation),
    }


def vote(cast: Vote) -> Json:
    return {
        "id": cast.id,
        "record_id": cast.record_id,
        "stage": cast.stage.value,
        "reviewer": cast.reviewer,
        "decision": cast.decision.value,
        "reason": cast.reason,
        "note": cast.note,
        "tags": list(cast.tags),
        "advice": cast.advice,
        "calibration": cast.calibration,
        "cast_at": cast.cast_at.isoformat(),
    }


def resolution(found: Resolution) -> Json:
    return {
        "id": found.id,
        "record_id": found.record_id,
        "stage": found.stage.value,
        "decision": found.decision.value,
        "reason": found.reason,
        "rationale": found.rationale,
        "method": found.method.value,
        "resolved_by": found.resolved_by,
        "resolved_at": found.resolved_at.isoformat(),
    }


def outcome(found: Outcome) -> Json:
    return {
        "status": found.status.value,
        "votes_in": found.votes_in,
        "votes_required": found.votes_required,
        "reason": found.reason,
        "resolution": resolution(found.resolution) if found.resolution is not None else None,
    }


def record_screening(view: RecordScreening) -> Json:
    return {
        "record": record(view.record),
        "stage": view.stage.value,
        "outcome": outcome(view.outcome) if view.outcome is not None else None,
        "votes": [vote(cast) for cast in view.votes],
        "advice": [vote(cast) for cast in view.advice],
        "my_vote": vote(view.my_vote) if view.my_vote is not None else None,
        "votes_in": view.votes_in,
        "votes_required": view.votes_required,
        "blinded": view.blinded,
    }


def queue(found: Queue, *, limit: int) -> Json:
    shown = found.record_ids[:limit]
    return {
        "stage": found.stage.value,
        "order": found.order.value,
        "ranker": found.ranker,
        "waiting": len(found.record_ids),
        "record_ids": list(shown),
        "exploration_picks": sorted(set(shown) & found.explored),
        "note": found.note,
        "stopping": asdict(found.stopping) if found.stopping is not None else None,
    }


def conflicts(stage: str, found: list[Conflict]) -> Json:
    return {
        "stage": stage,
        "conflicts": [
            {
                "record": record(conflict.record),
                "votes": [vote(cast) for cast in conflict.votes],
                "advice": [vote(cast) for cast in conflict.advice],
            }
            for conflict in found
        ],
    }


def protocol(found: StageProtocol) -> Json:
    return protocol_fields(found)


def progress(found: StageProgress) -> Json:
    return {
        "stage": found.stage.value,
        "records": found.records,
        "awaiting": found.awaiting,
        "partly_voted": found.partly_voted,
        "conflicts": found.conflicts,
        "included": found.included,
        "excluded": found.excluded,
        "excluded_by_reason": [
            {"reason": reason, "records": n} for reason, n in found.excluded_by_reason
        ],
        "marked_ineligible_by_automation": found.marked_ineligible_by_automation,
        "reviewers": [
            {"reviewer": p.reviewer, "voted": p.voted, "to_do": p.to_do} for p in found.reviewers
        ],
        "protocol": protocol(found.protocol),
    }


def agreement(found: Agreement) -> Json:
    return {
        "statistic": found.statistic,
        "records": found.units,
        "percent": found.percent,
        "value": found.value,
        "band": found.band,
        "note": found.note,
    }


def stage_agreement(found: StageAgreement) -> Json:
    return {
        "stage": found.stage.value,
        "calibration": found.calibration,
        "unsure_rule": found.unsure_rule,
        "overall": agreement(found.overall),
        "pairs": [
            {
                "reviewer_a": p.reviewer_a,
                "reviewer_b": p.reviewer_b,
                "agreement": agreement(p.agreement),
            }
            for p in found.pairs
        ],
    }


def source(found: Source) -> Json:
    return {
        "id": found.id,
        "filename": found.filename,
        "format": found.format,
        "database": found.database,
        "platform": found.platform,
        "searched_on": _day(found.searched_on),
        "sha256": found.sha256,
        "size": found.size,
        "imported_at": found.imported_at.isoformat(),
        "imported_by": found.imported_by,
        "records_imported": found.records_imported,
        "records_skipped": found.records_skipped,
    }


def import_report(found: ImportReport) -> Json:
    return {
        "source": source(found.source),
        "reader": found.reader,
        "records_read": found.records_read,
        "records_imported": found.records_imported,
        "skipped": [{"line": skip.line, "reason": skip.reason} for skip in found.skipped],
    }


def duplicate_pair(found: PairToReview) -> Json:
    return {"a": record(found.a), "b": record(found.b), "reason": found.reason}


def duplicate_group(found: DuplicateGroup) -> Json:
    return {
        "id": found.id,
        "records": [record(member) for member in found.records],
        "evidence": list(found.evidence),
    }


def report(found: Report) -> Json:
    return {
        "id": found.id,
        "record_id": found.record_id,
        "filename": found.filename,
        "sha256": found.sha256,
        "size": found.size,
        "title": found.title,
        "page_count": found.page_count,
        "has_text": found.has_text,
        "warnings": list(found.warnings),
        "added_at": found.added_at.isoformat(),
        "added_by": found.added_by,
    }


def not_retrieved(found: NotRetrieved) -> Json:
    return {
        "record_id": found.record_id,
        "note": found.note,
        "marked_at": found.marked_at.isoformat(),
        "marked_by": found.marked_by,
    }


def full_text_entry(found: FullTextEntry) -> Json:
    return {
        "record": record(found.record),
        "reports": [report(one) for one in found.reports],
        "not_retrieved": (
            not_retrieved(found.not_retrieved) if found.not_retrieved is not None else None
        ),
        "status": found.status.value,
        "votes_in": found.votes_in,
        "votes_required": found.votes_required,
        "asked_of_me": found.asked_of_me,
        "waiting_for_me": found.waiting_for_me,
    }


def full_text_list(entries: list[FullTextEntry], summary: RetrievalSummary) -> Json:
    return {
        "entries": [full_text_entry(entry) for entry in entries],
        "summary": {
            "sought": summary.sought,
            "not_retrieved": summary.not_retrieved,
            "with_report": summary.with_report,
            "assessed": summary.assessed,
            "excluded": summary.excluded,
            "excluded_by_reason": [
                {"reason": reason, "records": n} for reason, n in summary.excluded_by_reason
            ],
            "included": summary.included,
        },
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
