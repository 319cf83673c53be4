"""The review's included studies: full-text screening's inclusions, in a stable order.

Appraisal, extraction and co-production scoring start from `included_studies`;
none of them keeps its own list, so a study excluded at full text after a
change of mind leaves every later stage at once (DESIGN.md rule 1).
"""

from __future__ import annotations

from cosynth.domain.roles import Permission
from cosynth.domain.screening.outcomes import Status
from cosynth.domain.screening.stages import Stage
from cosynth.domain.study import Study, study_labels
from cosynth.errors import NotFoundError
from cosynth.services.screening_state import load_stage
from cosynth.services.workspace import Tx
from cosynth.store import fulltext as fulltext_store
from cosynth.store import records as record_store


def included_studies(tx: Tx, review_id: int) -> list[Study]:
    """Every unit included at full text, in import order, labelled "Surname Year"."""
    tx.require(review_id, Permission.VIEW)
    state = load_stage(tx, review_id, Stage.FULL_TEXT)
    included = [unit for unit in state.units if state.outcomes[unit].status is Status.INCLUDED]
    citations = []
    for record_id in included:
        record = record_store.get_record(tx.session, review_id, record_id)
        if record is not None:
            citations.append((record_id, record.citation))
    labels = study_labels(citations)
    reports: dict[int, list[int]] = {}
    for report in fulltext_store.reports_of(tx.session, review_id, labels):
        reports.setdefault(report.record_id, []).append(report.id)
    return [
        Study(
            record_id=record_id,
            label=labels[record_id],
            citation=citation,
            report_ids=tuple(reports.get(record_id, ())),
        )
        for record_id, citation in citations
    ]


def get_study(tx: Tx, review_id: int, record_id: int) -> Study:
    """One included study, or a plain refusal naming why the record is not one."""
    for study in included_studies(tx, review_id):
        if study.record_id == record_id:
            return study
    raise NotFoundError(
        f"Record {record_id} is not an included study of review {review_id}: "
        "only records included at full-text screening are appraised, extracted and scored."
    )
