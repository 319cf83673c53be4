"""alice logs the review's way through Noblit & Hare's seven phases, for the eMERGe report."""

from __future__ import annotations

import pytest

from cosynth.domain.synthesis import Phase, PhaseEventKind, PhaseStatus
from cosynth.errors import InputError, PermissionDeniedError
from cosynth.services import phases
from cosynth.services.workspace import Workspace
from tests.conftest import Team

READING = Phase.READING_THE_STUDIES


def test_it_logs_what_a_phase_produced_and_who_by(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        phases.log_phase(tx, team.review_id, READING, PhaseEventKind.STARTED)
    with workspace.transaction("bob") as tx:
        phases.log_phase(
            tx, team.review_id, READING, PhaseEventKind.PRODUCED, " first-order concepts listed "
        )
    with workspace.transaction("alice") as tx:
        phases.log_phase(tx, team.review_id, READING, PhaseEventKind.COMPLETED)
    with workspace.transaction("pat") as tx:
        log = phases.phase_log(tx, team.review_id)
        states = phases.phase_states(tx, team.review_id)
    assert [(e.kind, e.actor, e.text) for e in log] == [
        (PhaseEventKind.STARTED, "alice", ""),
        (PhaseEventKind.PRODUCED, "bob", "first-order concepts listed"),
        (PhaseEventKind.COMPLETED, "alice", ""),
    ]
    assert [s.phase for s in states] == list(Phase)
    reading = states[READING.value - 1]
    assert reading.status is PhaseStatus.COMPLETED
    assert reading.started_at == log[0].at and reading.completed_at == log[2].at
    assert len(reading.events) == 3
    assert states[0].status is PhaseStatus.NOT_STARTED and states[0].events == ()


def test_it_refuses_events_out_of_turn(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        with pytest.raises(InputError, match="only a phase in progress can be completed"):
            phases.log_phase(tx, team.review_id, READING, PhaseEventKind.COMPLETED)
        with pytest.raises(InputError, match="Start it before"):
            phases.log_phase(tx, team.review_id, READING, PhaseEventKind.PRODUCED, "notes")
        phases.log_phase(tx, team.review_id, READING, PhaseEventKind.STARTED)
        with pytest.raises(InputError, match="started already"):
            phases.log_phase(tx, team.review_id, READING, PhaseEventKind.STARTED)
        with pytest.raises(InputError, match="Say what"):
            phases.log_phase(tx, team.review_id, READING, PhaseEventKind.PRODUCED, "  ")
        with pytest.raises(InputError, match="only a completed phase can be reopened"):
            phases.log_phase(tx, team.review_id, READING, PhaseEventKind.REOPENED)
        assert len(phases.phase_log(tx, team.review_id)) == 1


def test_it_reopens_a_completed_phase(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        for kind in (PhaseEventKind.STARTED, PhaseEventKind.COMPLETED):
            phases.log_phase(tx, team.review_id, READING, kind)
        with pytest.raises(InputError, match="reopen it instead"):
            phases.log_phase(tx, team.review_id, READING, PhaseEventKind.STARTED)
        phases.log_phase(
            tx, team.review_id, READING, PhaseEventKind.REOPENED, "the roundtable's concepts"
        )
        state = phases.phase_states(tx, team.review_id)[READING.value - 1]
    assert (state.status, state.completed_at) == (PhaseStatus.IN_PROGRESS, None)


def test_it_lets_only_the_team_log_phases(workspace: Workspace, team: Team) -> None:
    for who in ("pat", "mallory"):
        with workspace.transaction(who) as tx:
            with pytest.raises(PermissionDeniedError):
                phases.log_phase(tx, team.review_id, READING, PhaseEventKind.STARTED)
    with workspace.transaction("mallory") as tx:
        with pytest.raises(PermissionDeniedError):
            phases.phase_states(tx, team.review_id)
