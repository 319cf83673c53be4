"""The full-text list: each record's reports, retrieval and status, and who is asked to read it."""

from __future__ import annotations

import pytest

from cosynth.domain.screening.outcomes import Status
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import fulltext, screening_protocol
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search, vote
from tests.services.test_fulltext import study_pdf

FT = Stage.FULL_TEXT
INCLUDE, EXCLUDE = Decision.INCLUDE, Decision.EXCLUDE


@pytest.fixture
def records(workspace: Workspace, team: Team) -> list[int]:
    ids = import_search(workspace, team)
    for record in ids[:3]:
        both_vote(workspace, team, record, INCLUDE, INCLUDE)
    both_vote(workspace, team, ids[3], EXCLUDE, EXCLUDE)
    with workspace.transaction("alice") as tx:
        screening_protocol.assign(tx, team.review_id, FT, [ids[0]], ["pat"])
    return ids


def test_it_lists_the_full_text_stage_with_reports_and_retrieval(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        report = fulltext.attach_report(
            tx, team.review_id, records[0], "carers.pdf", study_pdf("Carers' views.")
        )
        fulltext.mark_not_retrieved(tx, team.review_id, records[2], note="Library tried")
    vote(workspace, "bob", team, records[0], INCLUDE, stage=FT)
    with workspace.transaction("bob") as tx:
        entries = fulltext.full_text_records(tx, team.review_id)
        assert fulltext.get_report(tx, team.review_id, report.id) == report
    assert [entry.record.id for entry in entries] == records[:3]
    first, second, third = entries
    assert first.reports == (report,) and first.not_retrieved is None
    assert (first.status, first.votes_in, first.votes_required) == (Status.AWAITING, 1, 2)
    assert (first.asked_of_me, first.waiting_for_me) == (True, False)
    assert second.reports == () and second.waiting_for_me
    assert third.not_retrieved is not None and third.not_retrieved.note == "Library tried"


def test_it_asks_pat_only_about_what_she_was_assigned(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("pat") as tx:
        entries = fulltext.full_text_records(tx, team.review_id)
    assert [(e.record.id, e.asked_of_me, e.waiting_for_me) for e in entries] == [
        (records[0], True, True),
        (records[1], False, False),
        (records[2], False, False),
    ]
    vote(workspace, "pat", team, records[0], INCLUDE, stage=FT, note="Carers speak here")
    with workspace.transaction("pat") as tx:
        entry = fulltext.full_text_record(tx, team.review_id, records[0])
    # Advice is not a vote: the record still waits for both reviewers.
    assert (entry.asked_of_me, entry.waiting_for_me, entry.votes_in) == (True, False, 0)


def test_it_shows_the_status_only_once_the_votes_are_in(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    vote(workspace, "bob", team, records[1], INCLUDE, stage=FT)
    with workspace.transaction("carol") as tx:
        assert fulltext.full_text_record(tx, team.review_id, records[1]).status is Status.AWAITING
    vote(workspace, "carol", team, records[1], EXCLUDE, stage=FT, reason="no qualitative data")
    with workspace.transaction("pat") as tx:
        assert fulltext.full_text_record(tx, team.review_id, records[1]).status is Status.CONFLICT


def test_it_refuses_records_outside_the_stage_and_outsiders(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("bob") as tx, pytest.raises(InputError, match="not in the full"):
        fulltext.full_text_record(tx, team.review_id, records[3])
    with workspace.transaction("bob") as tx, pytest.raises(NotFoundError):
        fulltext.full_text_record(tx, team.review_id, 9999)
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        fulltext.full_text_records(tx, team.review_id)
