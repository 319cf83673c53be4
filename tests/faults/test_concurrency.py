"""Two people at the same instant: the outcome is one of the serial orders, never a mix.

Each story is repeated on fresh records, its two units of work released
together by a barrier from two threads, each on its own connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from sqlalchemy import text

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import CosynthError
from cosynth.services import screening
from cosynth.services.imports import import_file
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.faults.harness import big_ris

REPETITIONS = 10
STAGE = Stage.TITLE_ABSTRACT
WHY = "wrong phenomenon of interest"


def at_once(*work: Callable[[], Any]) -> list[BaseException | None]:
    """Run each piece of work in its own thread, all released at the same instant."""
    barrier = threading.Barrier(len(work))
    outcomes: list[BaseException | None] = [None] * len(work)

    def run(i: int) -> None:
        barrier.wait()
        try:
            work[i]()
        except BaseException as exc:  # kept, to be checked by the test
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def only_plain_refusals(outcomes: list[BaseException | None]) -> list[str]:
    """The refusals, each one of cosynth's own plain errors (never a driver's traceback)."""
    refused = [exc for exc in outcomes if exc is not None]
    for exc in refused:
        assert isinstance(exc, CosynthError), repr(exc)
    return [str(exc) for exc in refused]


def records(workspace: Workspace, team: Team, count: int) -> list[int]:
    with workspace.transaction(team.lead) as tx:
        import_file(tx, team.review_id, "cinahl.ris", big_ris(count, seed=11, tag="c"))
        return [record.id for record in list_records(tx, team.review_id)]


def vote(workspace: Workspace, who: str, team: Team, record_id: int, decision: Decision) -> None:
    with workspace.transaction(who) as tx:
        why = WHY if decision is Decision.EXCLUDE else ""
        screening.cast_vote(tx, team.review_id, record_id, decision, stage=STAGE, reason=why)


def votes_on(workspace: Workspace, record_id: int) -> list[tuple[str, str, int]]:
    with workspace.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT reviewer, decision, sequence FROM screening_votes "
                "WHERE record_id = :r ORDER BY reviewer, sequence"
            ),
            {"r": record_id},
        )
        return [(row[0], row[1], row[2]) for row in rows]


def resolutions_on(workspace: Workspace, record_id: int) -> list[str]:
    with workspace.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT decision FROM screening_resolutions WHERE record_id = :r"),
            {"r": record_id},
        )
        return [row[0] for row in rows]


def test_it_keeps_both_votes_when_two_reviewers_vote_on_a_record_at_once(
    workspace: Workspace, team: Team
) -> None:
    for record_id in records(workspace, team, REPETITIONS):
        outcomes = at_once(
            partial(vote, workspace, "bob", team, record_id, Decision.INCLUDE),
            partial(vote, workspace, "carol", team, record_id, Decision.EXCLUDE),
        )
        assert only_plain_refusals(outcomes) == []
        assert votes_on(workspace, record_id) == [("bob", "include", 1), ("carol", "exclude", 1)]
        with workspace.transaction(team.lead) as tx:
            seen = screening.record_screening(tx, team.review_id, record_id, stage=STAGE)
        assert seen.outcome is not None
        assert seen.outcome.status.value == "conflict"


def test_it_keeps_one_vote_after_another_when_bob_votes_twice_at_once(
    workspace: Workspace, team: Team
) -> None:
    # bob has the record open in two tabs and clicks in both.
    for record_id in records(workspace, team, REPETITIONS):
        outcomes = at_once(
            partial(vote, workspace, "bob", team, record_id, Decision.INCLUDE),
            partial(vote, workspace, "bob", team, record_id, Decision.EXCLUDE),
        )
        refused = only_plain_refusals(outcomes)
        found = votes_on(workspace, record_id)
        serial = (
            [("bob", "include", 1), ("bob", "exclude", 2)],
            [("bob", "exclude", 1), ("bob", "include", 2)],
        )
        if refused:  # the second was refused as a change made at the same moment
            assert len(refused) == 1
            assert found in ([("bob", "include", 1)], [("bob", "exclude", 1)])
        else:
            assert found in serial


def test_it_settles_either_the_resolution_or_the_changed_vote_never_both(
    workspace: Workspace, team: Team
) -> None:
    for record_id in records(workspace, team, REPETITIONS):
        vote(workspace, "bob", team, record_id, Decision.INCLUDE)
        vote(workspace, "carol", team, record_id, Decision.EXCLUDE)

        def resolve(r: int = record_id) -> None:
            with workspace.transaction(team.lead) as tx:
                screening.resolve(
                    tx, team.review_id, r, Decision.INCLUDE, stage=STAGE,
                    rationale="Discussed at the team meeting: carers are the phenomenon.",
                )  # fmt: skip

        outcomes = at_once(
            resolve, partial(vote, workspace, "carol", team, record_id, Decision.INCLUDE)
        )
        refused = only_plain_refusals(outcomes)
        assert len(refused) == 1, f"both were kept: {votes_on(workspace, record_id)}"
        resolved_first = outcomes[1] is not None
        carol = [v for v in votes_on(workspace, record_id) if v[0] == "carol"]
        if resolved_first:  # carol's change came after the record was reconciled
            assert resolutions_on(workspace, record_id) == ["include"]
            assert carol == [("carol", "exclude", 1)]
        else:  # the votes agreed before alice resolved: nothing to resolve
            assert resolutions_on(workspace, record_id) == []
            assert carol == [("carol", "exclude", 1), ("carol", "include", 2)]


@pytest.mark.parametrize("repetition", range(4))
def test_it_imports_the_same_file_once_when_two_imports_run_at_once(
    workspace: Workspace, team: Team, repetition: int
) -> None:
    data = big_ris(300, seed=100 + repetition, tag=f"twice{repetition}")

    def load() -> None:
        with workspace.transaction(team.lead) as tx:
            import_file(tx, team.review_id, "scopus.ris", data, database="Scopus")

    refused = only_plain_refusals(at_once(load, load))
    assert len(refused) == 1, "the same file was imported twice"
    assert "already imported" in refused[0]
    with workspace.engine.connect() as connection:
        sources = connection.execute(text("SELECT count(*) FROM sources")).scalar_one()
        found = connection.execute(text("SELECT count(*) FROM records")).scalar_one()
    assert (sources, found) == (1, 300)
