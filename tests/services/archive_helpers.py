"""A review with something in every table, built through the services, and ways to compare two.

The demo's five sample exports de-duplicated; the worked example's ten studies
screened, extracted, quoted and scored; its synthesis and advisory group; then
what the worked example does not have: a calibration round, a conflict
resolved, exclusions with reasons at both stages, a record still awaiting a
vote, a full text with a real PDF, the question with its search strategy and
log, a checklist item placed, and a dual appraisal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fpdf import FPDF

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.domain.search import TermKind
from cosynth.services import (
    checklists,
    fulltext,
    question,
    screening,
    screening_protocol,
    search_log,
    strategy,
)
from cosynth.services.dedup import run_dedup
from cosynth.services.demo import build_demo_review
from cosynth.services.records import list_records, list_sources
from cosynth.services.screening_state import load_stage
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import build_worked_synthesis, load_worked_synthesis
from cosynth.services.workspace import Workspace
from cosynth.store import archive as archive_store
from tests.conftest import Team
from tests.services.appraisal_helpers import appraise, choose_tapupas
from tests.services.screening_helpers import both_vote, vote
from tests.services.test_search import QUESTION, SPICES

INCLUDE, EXCLUDE = Decision.INCLUDE, Decision.EXCLUDE


@dataclass(frozen=True)
class RichReview:
    team: Team
    excluded: int  # excluded by both at title and abstract
    resolved: int  # a conflict at title and abstract, resolved to include, then excluded
    awaiting: int  # bob has voted to exclude; carol has not voted
    studies: tuple[int, ...]  # the worked example's included studies


def study_pdf(*pages: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def build_rich_review(workspace: Workspace) -> RichReview:
    with workspace.transaction("alice") as tx:
        review, _reports = build_demo_review(tx)
        run_dedup(tx, review.id)
        samples = [record.id for record in list_records(tx, review.id, limit=1000)]
        screening_protocol.start_calibration(tx, review.id, Stage.TITLE_ABSTRACT, size=3, seed=7)
    team = Team(review_id=review.id)
    example = load_worked_example()
    refs = build_worked_example(workspace, review.id, example)
    build_worked_synthesis(workspace, review.id, refs, load_worked_synthesis(example))
    with workspace.transaction("alice") as tx:
        units = set(load_stage(tx, review.id, Stage.TITLE_ABSTRACT).units)
        calibrated = set(screening_protocol.calibration_sample(tx, review.id, Stage.TITLE_ABSTRACT))
    free = [record_id for record_id in samples if record_id in units - calibrated]
    excluded, resolved, awaiting = free[0], free[1], free[2]
    both_vote(workspace, team, excluded, EXCLUDE, EXCLUDE, reason="wrong setting")
    both_vote(workspace, team, resolved, INCLUDE, EXCLUDE)
    with workspace.transaction("alice") as tx:
        screening.resolve(
            tx,
            review.id,
            resolved,
            INCLUDE,
            stage=Stage.TITLE_ABSTRACT,
            rationale="It may describe co-production; the full text will tell.",
        )
    vote(workspace, "bob", team, awaiting, EXCLUDE, reason="wrong study design")
    studies = tuple(refs.values())
    with workspace.transaction("bob") as tx:
        fulltext.attach_report(
            tx,
            review.id,
            resolved,
            "resolved.pdf",
            study_pdf("Page one: a hospital pharmacy audit.", "Page two: no service users."),
        )
        fulltext.attach_report(
            tx, review.id, studies[0], "study.pdf", study_pdf("We were listened to.")
        )
    both_vote(
        workspace, team, resolved, EXCLUDE, EXCLUDE, stage=Stage.FULL_TEXT,
        reason="no qualitative data",
    )  # fmt: skip
    with workspace.transaction("alice") as tx:
        # The question, its search strategy and log, and a checklist item placed.
        question.set_question(tx, review.id, "spices", SPICES, text=QUESTION)
        block = strategy.blocks_from_question(tx, review.id)[0]
        strategy.add_term(
            tx, review.id, block.id, "co-produc", kind=TermKind.KEYWORD, truncated=True,
            suggested_by_username="pat",
        )  # fmt: skip
        source = list_sources(tx, review.id)[0]
        search_log.log_search(
            tx, review.id, source.database, run_on=date(2022, 3, 31),
            string='"co-production" AND "integrated care"', hits=20, source_id=source.id,
        )  # fmt: skip
        checklists.record_reported(tx, review.id, "prisma-2020", "24a", "Methods, p. 3")
    choose_tapupas(workspace, team, threshold=7)
    for who in ("bob", "carol"):
        appraise(workspace, who, team, studies[0])
        appraise(workspace, who, team, studies[1], unmet=("T", "A", "Pu"))
    return RichReview(
        team=team, excluded=excluded, resolved=resolved, awaiting=awaiting, studies=studies
    )


def canonical(workspace: Workspace, review_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the review with ids replaced by their rank (see store.archive)."""
    with workspace.transaction("alice", read_only=True) as tx:
        dump = archive_store.dump_review(tx.session, review_id, revision="")
    return archive_store.canonical_rows(dump)
