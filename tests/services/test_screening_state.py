"""The stage state each process keeps between requests stays exactly what the store holds."""

from __future__ import annotations

import random
from contextlib import suppress

import pytest

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import InputError
from cosynth.services import screening
from cosynth.services.screening_state import StageState, _load, load_stage
from cosynth.services.workspace import Workspace
from tests.conftest import ENGINE, Team
from tests.services.screening_helpers import import_search, vote

TA = Stage.TITLE_ABSTRACT


def kept_and_fresh(
    workspace: Workspace, team: Team, stage: Stage = TA
) -> tuple[StageState, StageState]:
    with workspace.transaction("alice", read_only=True) as tx:
        kept = load_stage(tx, team.review_id, stage)
        previous = _load(tx, team.review_id, TA, None) if stage is Stage.FULL_TEXT else None
        fresh = _load(tx, team.review_id, stage, previous)
    return kept, fresh


def assert_same(kept: StageState, fresh: StageState) -> None:
    assert kept.units == fresh.units
    assert kept.votes == fresh.votes
    assert kept.history == fresh.history
    assert kept.resolutions == fresh.resolutions
    assert {u: kept.outcomes[u] for u in kept.units} == {u: fresh.outcomes[u] for u in fresh.units}


def test_it_keeps_up_with_votes_cast_by_everyone(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    chance = random.Random(7)
    for _ in range(40):
        who = chance.choice(("bob", "carol"))
        decision = chance.choice((Decision.INCLUDE, Decision.UNSURE, Decision.EXCLUDE))
        reason = "wrong phenomenon of interest" if decision is Decision.EXCLUDE else ""
        record_id = chance.choice(ids)
        with suppress(InputError):  # a record alice has resolved takes no more votes
            vote(workspace, who, team, record_id, decision, reason=reason)
        if chance.random() < 0.1:
            with workspace.transaction("alice") as tx:
                conflicts = screening.list_conflicts(tx, team.review_id, stage=TA)
                if conflicts:
                    screening.resolve(
                        tx,
                        team.review_id,
                        conflicts[0].record.id,
                        Decision.INCLUDE,
                        stage=TA,
                        rationale="agreed at the team meeting",
                    )
        assert_same(*kept_and_fresh(workspace, team))


def test_it_forgets_a_vote_that_was_rolled_back(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    kept_and_fresh(workspace, team)
    with pytest.raises(RuntimeError), workspace.transaction("bob") as tx:
        screening.cast_vote(tx, team.review_id, ids[0], Decision.INCLUDE, stage=TA)
        seen = load_stage(tx, team.review_id, TA)
        assert [v.reviewer for v in seen.votes[ids[0]]] == ["bob"]
        raise RuntimeError("the power went")
    kept, fresh = kept_and_fresh(workspace, team)
    assert ids[0] not in kept.votes
    assert_same(kept, fresh)


@pytest.mark.skipif(ENGINE == "sqlite", reason="SQLite commits one writer at a time, in id order")
def test_it_finds_a_vote_that_committed_after_a_newer_one(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    vote(workspace, "carol", team, ids[5], Decision.INCLUDE)  # screening has begun
    with workspace.transaction("bob") as slow:
        screening.cast_vote(slow, team.review_id, ids[0], Decision.INCLUDE, stage=TA)
        vote(workspace, "carol", team, ids[1], Decision.INCLUDE)
        kept, _ = kept_and_fresh(workspace, team)
        assert ids[0] not in kept.votes and ids[1] in kept.votes
    kept, fresh = kept_and_fresh(workspace, team)
    assert ids[0] in kept.votes
    assert_same(kept, fresh)


def test_it_follows_the_title_stage_into_full_text(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    kept_and_fresh(workspace, team, Stage.FULL_TEXT)
    for who in ("bob", "carol"):
        vote(workspace, who, team, ids[2], Decision.INCLUDE)
    kept, fresh = kept_and_fresh(workspace, team, Stage.FULL_TEXT)
    assert kept.units == (ids[2],)
    assert_same(kept, fresh)
