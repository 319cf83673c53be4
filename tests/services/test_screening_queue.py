"""bob screens in ranked order, or by date, at random or as imported; the queue is his alone."""

from __future__ import annotations

import time

import pytest

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services.screening_queue import Order, screening_queue
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import TITLES, both_vote, import_search, vote

TA = Stage.TITLE_ABSTRACT
INCLUDE, EXCLUDE = Decision.INCLUDE, Decision.EXCLUDE


@pytest.fixture
def records(workspace: Workspace, team: Team) -> list[int]:
    return import_search(workspace, team)


def queue_of(workspace: Workspace, who: str, team: Team, order: Order, seed: int = 0):
    with workspace.transaction(who) as tx:
        return screening_queue(tx, team.review_id, stage=TA, order=order, seed=seed)


def test_it_orders_by_import_by_date_and_at_random(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    vote(workspace, "bob", team, records[0], INCLUDE)
    assert queue_of(workspace, "bob", team, Order.FILE).record_ids == tuple(records[1:])
    assert queue_of(workspace, "carol", team, Order.FILE).record_ids == tuple(records)
    assert queue_of(workspace, "bob", team, Order.DATE).record_ids == tuple(reversed(records[1:]))
    shuffled = queue_of(workspace, "bob", team, Order.RANDOM, seed=1).record_ids
    assert sorted(shuffled) == records[1:]
    assert queue_of(workspace, "bob", team, Order.RANDOM, seed=1).record_ids == shuffled


def test_it_ranks_what_looks_like_the_included_records_first(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    both_vote(workspace, team, records[0], INCLUDE, INCLUDE)  # co-producing care with carers
    both_vote(workspace, team, records[2], EXCLUDE, EXCLUDE)  # a statin trial
    queue = queue_of(workspace, "bob", team, Order.RANKED)
    assert queue.ranker and queue.note == ""
    assert set(queue.record_ids) == {records[1], records[3], records[4], records[5]}
    parking = records[TITLES.index("Hospital car parking charges and staff satisfaction")]
    assert queue.record_ids[-1] == parking
    assert queue.stopping is not None
    assert (queue.stopping.screened, queue.stopping.relevant_found) == (2, 1)


def test_it_starts_in_random_order_until_there_is_something_to_learn_from(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    queue = queue_of(workspace, "carol", team, Order.RANKED)
    assert sorted(queue.record_ids) == records
    assert "Random order until" in queue.note


def test_it_gives_mallory_nothing(workspace: Workspace, team: Team, records: list[int]) -> None:
    from cosynth.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        queue_of(workspace, "mallory", team, Order.FILE)


def test_it_ranks_a_big_stage_in_the_background_and_catches_up(
    workspace: Workspace, team: Team, records: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a big stage a page shows the newest ranking finished while the next one trains."""
    from cosynth.services import screening_queue as queues

    monkeypatch.setattr(queues, "BACKGROUND_FROM", 0)
    monkeypatch.setattr(queues, "_RETRAINER", queues._Retrainer())
    both_vote(workspace, team, records[0], INCLUDE, INCLUDE)
    first = queue_of(workspace, "bob", team, Order.RANKED)  # the first page ranks at once
    assert "Random order until" in first.note
    both_vote(workspace, team, records[2], EXCLUDE, EXCLUDE)
    at_once = queue_of(workspace, "bob", team, Order.RANKED)
    # What bob has voted on never shows, even in a ranking made before his vote.
    assert set(at_once.record_ids) == {records[1], records[3], records[4], records[5]}
    parking = records[TITLES.index("Hospital car parking charges and staff satisfaction")]
    deadline = time.monotonic() + 30
    while True:
        caught_up = queue_of(workspace, "bob", team, Order.RANKED)
        if caught_up.note == "" and caught_up.record_ids[-1] == parking:
            break
        assert time.monotonic() < deadline, "the background retrain never caught up"
        time.sleep(0.05)
