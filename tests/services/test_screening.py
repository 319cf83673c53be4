"""bob and carol screen blinded; alice settles their conflicts; pat advises at full text."""

from __future__ import annotations

import io
import threading

import pytest

from cosynth.domain.roles import Role
from cosynth.domain.screening.outcomes import Status
from cosynth.domain.screening.stages import Assignment, ProtocolChange, Stage
from cosynth.domain.screening.votes import Decision, ResolutionMethod
from cosynth.errors import (
    ConcurrentChangeError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from cosynth.services import screening, screening_protocol
from cosynth.services.reviews import add_member
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search, vote

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT
INCLUDE, EXCLUDE, UNSURE = Decision.INCLUDE, Decision.EXCLUDE, Decision.UNSURE


@pytest.fixture
def records(workspace: Workspace, team: Team) -> list[int]:
    return import_search(workspace, team)


def seen_by(workspace: Workspace, who: str, team: Team, record_id: int, stage: Stage = TA):
    with workspace.transaction(who) as tx:
        return screening.record_screening(tx, team.review_id, record_id, stage=stage)


def test_it_hides_bobs_vote_from_carol_until_she_has_voted(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    first = records[0]
    vote(workspace, "bob", team, first, INCLUDE)
    for who in ("carol", "alice", "pat"):
        view = seen_by(workspace, who, team, first)
        assert view.votes == () and view.blinded
        assert (view.votes_in, view.votes_required) == (1, 2)
        with workspace.transaction(who) as tx:
            assert screening.vote_history(tx, team.review_id, first, stage=TA) == []
            out = io.StringIO()
            screening.export_votes(tx, team.review_id, out, stage=TA)
            assert "bob" not in out.getvalue()
            assert screening.list_conflicts(tx, team.review_id, stage=TA) == []
    assert [v.reviewer for v in seen_by(workspace, "bob", team, first).votes] == ["bob"]
    vote(workspace, "carol", team, first, INCLUDE)
    view = seen_by(workspace, "carol", team, first)
    assert {v.reviewer for v in view.votes} == {"bob", "carol"}
    assert view.outcome is not None and view.outcome.status is Status.INCLUDED


def test_it_counts_unsure_as_disagreement_and_alice_resolves_by_consensus(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    second = records[1]
    both_vote(workspace, team, second, INCLUDE, UNSURE)
    with workspace.transaction("bob") as tx:
        (conflict,) = screening.list_conflicts(tx, team.review_id, stage=TA)
    assert conflict.record.id == second
    assert {(v.reviewer, v.decision) for v in conflict.votes} == {
        ("bob", INCLUDE),
        ("carol", UNSURE),
    }
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        screening.resolve(tx, team.review_id, second, INCLUDE, stage=TA, rationale="I think so")
    with workspace.transaction("alice") as tx:
        resolution = screening.resolve(
            tx, team.review_id, second, INCLUDE, stage=TA, rationale="Peer support is co-delivery"
        )
    assert resolution.method is ResolutionMethod.CONSENSUS
    view = seen_by(workspace, "carol", team, second)
    assert view.outcome is not None and view.outcome.status is Status.INCLUDED
    assert view.outcome.resolution == resolution
    with pytest.raises(InputError, match="resolved"):
        vote(workspace, "carol", team, second, EXCLUDE, reason="wrong setting")


def test_it_lets_a_third_reviewer_who_did_not_vote_decide(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    both_vote(workspace, team, records[2], INCLUDE, EXCLUDE)
    with workspace.transaction("bob") as tx, pytest.raises(InputError, match="did not"):
        screening.resolve(
            tx,
            team.review_id,
            records[2],
            EXCLUDE,
            stage=TA,
            reason="wrong study design",
            rationale="trial",
            method=ResolutionMethod.THIRD_REVIEWER,
        )
    with workspace.transaction("alice") as tx:
        resolution = screening.resolve(
            tx,
            team.review_id,
            records[2],
            EXCLUDE,
            stage=TA,
            reason="Wrong  study design",
            rationale="A statin trial: no co-production",
            method=ResolutionMethod.THIRD_REVIEWER,
        )
    assert resolution.reason == "wrong study design"


def test_it_keeps_a_change_of_mind_and_its_history(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    vote(workspace, "bob", team, records[0], EXCLUDE, reason="wrong setting")
    vote(workspace, "bob", team, records[0], INCLUDE, note="on second reading: carers")
    again = vote(workspace, "bob", team, records[0], INCLUDE, note="on second reading: carers")
    with workspace.transaction("bob") as tx:
        history = screening.vote_history(tx, team.review_id, records[0], stage=TA)
    assert [v.decision for v in history] == [EXCLUDE, INCLUDE]  # the repeat added nothing
    assert again.id == history[-1].id and again.sequence == 2
    assert seen_by(workspace, "bob", team, records[0]).my_vote == history[-1]


def test_it_screens_full_text_only_what_title_and_abstract_included(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    both_vote(workspace, team, records[0], INCLUDE, INCLUDE)
    both_vote(workspace, team, records[2], EXCLUDE, EXCLUDE, reason="wrong study design")
    with pytest.raises(
        InputError, match="not in the full text stage: at title and abstract it is excluded"
    ):
        vote(workspace, "bob", team, records[2], INCLUDE, stage=FT)
    vote(workspace, "bob", team, records[0], INCLUDE, stage=FT)
    with pytest.raises(InputError, match="already being screened at full text"):
        vote(workspace, "carol", team, records[0], EXCLUDE, reason="wrong setting")
    with workspace.transaction("alice") as tx:
        progress = screening.stage_progress(tx, team.review_id, stage=FT)
    assert (progress.records, progress.partly_voted) == (1, 1)


def test_it_needs_matching_reasons_to_exclude_at_full_text(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    both_vote(workspace, team, records[0], INCLUDE, INCLUDE)
    vote(workspace, "bob", team, records[0], EXCLUDE, stage=FT, reason="wrong setting")
    vote(workspace, "carol", team, records[0], EXCLUDE, stage=FT, reason="no qualitative data")
    with workspace.transaction("alice") as tx:
        (conflict,) = screening.list_conflicts(tx, team.review_id, stage=FT)
        screening.resolve(
            tx,
            team.review_id,
            records[0],
            EXCLUDE,
            stage=FT,
            reason="no qualitative data",
            rationale="Survey only; the setting was fine",
        )
        progress = screening.stage_progress(tx, team.review_id, stage=FT)
    assert conflict.record.id == records[0]
    assert progress.excluded_by_reason == (("no qualitative data", 1),)


def test_it_refuses_bad_votes_plainly_and_changes_nothing(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    first = records[0]
    with pytest.raises(PermissionDeniedError, match="not a member"):
        vote(workspace, "mallory", team, first, INCLUDE)
    with pytest.raises(NotFoundError, match="no record 999999"):
        vote(workspace, "bob", team, 999999, INCLUDE)
    with pytest.raises(InputError, match="Say why"):
        vote(workspace, "bob", team, first, EXCLUDE)
    with pytest.raises(InputError, match='"off topic" is not one of'):
        vote(workspace, "bob", team, first, EXCLUDE, reason="off topic")
    with pytest.raises(InputError, match="only when excluding"):
        vote(workspace, "bob", team, first, INCLUDE, reason="wrong setting")
    with pytest.raises(PermissionDeniedError, match="not assigned to pat for advice"):
        vote(workspace, "pat", team, first, INCLUDE)
    with workspace.transaction("alice") as tx:
        add_member(tx, team.review_id, "olive", Role.OBSERVER)
    with pytest.raises(PermissionDeniedError, match="observer"):
        vote(workspace, "olive", team, first, INCLUDE)
    with workspace.transaction("bob") as tx:
        assert screening.vote_history(tx, team.review_id, first, stage=TA) == []


def test_it_refuses_a_vote_on_a_merged_away_duplicate(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    from cosynth.services import dedup

    with workspace.transaction("alice") as tx:
        dedup.decide_pair(tx, team.review_id, records[0], records[5], duplicate=True)
    with pytest.raises(InputError, match=f"merged into record {records[0]}"):
        vote(workspace, "bob", team, records[5], INCLUDE)
    with workspace.transaction("bob") as tx:
        progress = screening.stage_progress(tx, team.review_id, stage=TA)
    assert progress.records == len(records) - 1  # a group is screened once


def test_it_refuses_the_same_vote_sent_twice_at_once(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def send() -> None:
        try:
            with workspace.transaction("bob") as tx:
                barrier.wait(timeout=10)
                screening.cast_vote(tx, team.review_id, records[0], INCLUDE, stage=TA)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(
        isinstance(exc, ConcurrentChangeError | threading.BrokenBarrierError) for exc in failures
    ), failures
    with workspace.transaction("bob") as tx:
        history = screening.vote_history(tx, team.review_id, records[0], stage=TA)
    assert [v.sequence for v in history] == [1]


def test_it_locks_the_protocol_once_screening_starts_and_logs_amendments(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        screening_protocol.set_protocol(
            tx, team.review_id, TA, ProtocolChange(reasons=("off topic", "not primary research"))
        )
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        screening_protocol.set_protocol(tx, team.review_id, TA, ProtocolChange(blinded=False))
    vote(workspace, "bob", team, records[0], EXCLUDE, reason="Off topic")
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="locked"):
        screening_protocol.set_protocol(
            tx, team.review_id, TA, ProtocolChange(reviewers_required=1)
        )
    with workspace.transaction("alice") as tx:
        amended = screening_protocol.set_protocol(
            tx,
            team.review_id,
            TA,
            ProtocolChange(reasons=("off topic", "not primary research", "a protocol only")),
            amendment="Protocols kept turning up",
        )
        history = screening_protocol.protocol_history(tx, team.review_id, TA)
    assert amended.version == 2 and amended.amendment == "Protocols kept turning up"
    assert [p.version for p in history] == [1, 2]


def test_it_shows_every_vote_once_alice_unblinds(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    vote(workspace, "bob", team, records[0], INCLUDE)
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="Say why"):
        screening_protocol.unblind(tx, team.review_id, TA, reason=" ")
    with workspace.transaction("alice") as tx:
        screening_protocol.unblind(tx, team.review_id, TA, reason="Training session")
    assert [v.reviewer for v in seen_by(workspace, "carol", team, records[0]).votes] == ["bob"]


def test_it_asks_pat_for_advice_on_two_full_texts_and_shows_it_beside_the_votes(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    for record in records[:3]:
        both_vote(workspace, team, record, INCLUDE, INCLUDE)
    with workspace.transaction("alice") as tx:
        screening_protocol.assign(tx, team.review_id, FT, records[:2], ["pat"])
    with workspace.transaction("pat") as tx:
        assert screening.records_to_screen(tx, team.review_id, stage=FT) == records[:2]
    vote(
        workspace,
        "pat",
        team,
        records[0],
        INCLUDE,
        stage=FT,
        note="Carers shaped it from the start",
    )
    with pytest.raises(PermissionDeniedError, match="not assigned to pat"):
        vote(workspace, "pat", team, records[2], INCLUDE, stage=FT)
    vote(workspace, "bob", team, records[0], INCLUDE, stage=FT)
    assert seen_by(workspace, "carol", team, records[0], FT).advice == ()  # blinded too
    vote(workspace, "carol", team, records[0], EXCLUDE, stage=FT, reason="no qualitative data")
    with workspace.transaction("alice") as tx:
        (conflict,) = screening.list_conflicts(tx, team.review_id, stage=FT)
    assert [(v.reviewer, v.note) for v in conflict.advice] == [
        ("pat", "Carers shaped it from the start")
    ]
    assert {v.reviewer for v in conflict.votes} == {"bob", "carol"}  # advice is not a vote


def test_it_asks_only_assigned_reviewers_when_the_stage_is_split(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        screening_protocol.set_protocol(
            tx,
            team.review_id,
            TA,
            ProtocolChange(reviewers_required=1, assignment=Assignment.ASSIGNED),
        )
        shares = screening_protocol.split(tx, team.review_id, TA, ["bob", "carol"], seed=3)
    assert shares == {"bob": 3, "carol": 3}
    with workspace.transaction("bob") as tx:
        bobs = screening.records_to_screen(tx, team.review_id, stage=TA)
    with workspace.transaction("carol") as tx:
        carols = screening.records_to_screen(tx, team.review_id, stage=TA)
    assert sorted(bobs + carols) == records
    with pytest.raises(PermissionDeniedError, match="not assigned to bob"):
        vote(workspace, "bob", team, carols[0], INCLUDE)


def test_it_keeps_calibration_votes_apart_from_real_ones(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        sample = screening_protocol.start_calibration(tx, team.review_id, TA, size=3, seed=1)
    outside = next(r for r in records if r not in sample)
    vote(workspace, "bob", team, sample[0], INCLUDE, calibration=True)
    with pytest.raises(InputError, match="not in the calibration sample"):
        vote(workspace, "bob", team, outside, INCLUDE, calibration=True)
    with workspace.transaction("bob") as tx:
        progress = screening.stage_progress(tx, team.review_id, stage=TA)
    assert progress.partly_voted == 0
    with workspace.transaction("alice") as tx:
        screening_protocol.set_protocol(tx, team.review_id, TA, ProtocolChange(blinded=True))
    vote(workspace, "bob", team, sample[0], INCLUDE)
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="already started"):
        screening_protocol.start_calibration(tx, team.review_id, TA, size=2)


def test_it_never_trains_carols_ranking_on_bobs_hidden_votes(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    from cosynth.services.screening_queue import training_labels
    from cosynth.services.screening_state import load_stage

    vote(workspace, "bob", team, records[0], INCLUDE)  # carol has not voted: hidden from her
    vote(workspace, "carol", team, records[1], EXCLUDE, reason="wrong setting")
    both_vote(workspace, team, records[2], INCLUDE, UNSURE)  # a conflict: counts as relevant
    both_vote(workspace, team, records[3], EXCLUDE, EXCLUDE)
    with workspace.transaction("carol") as tx:
        labels = training_labels(load_stage(tx, team.review_id, TA), "carol")
    assert labels == {records[1]: False, records[2]: True, records[3]: False}


def test_the_ranking_learns_bobs_decisions_in_the_order_he_made_them(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    """Rankers read runs of decisions (e.g. a dry spell) from the labels' order."""
    from cosynth.services.screening_queue import training_labels
    from cosynth.services.screening_state import load_stage

    vote(workspace, "bob", team, records[3], INCLUDE)
    vote(workspace, "bob", team, records[0], EXCLUDE, reason="wrong setting")
    both_vote(workspace, team, records[2], EXCLUDE, EXCLUDE)
    vote(workspace, "bob", team, records[1], EXCLUDE, reason="wrong setting")
    with workspace.transaction("bob") as tx:
        labels = training_labels(load_stage(tx, team.review_id, TA), "bob")
    assert list(labels.items()) == [
        (records[3], True),
        (records[0], False),
        (records[2], False),
        (records[1], False),
    ]


def test_it_marks_records_ineligible_only_when_alice_stops_screening(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    both_vote(workspace, team, records[0], INCLUDE, INCLUDE)
    vote(workspace, "bob", team, records[1], INCLUDE)  # half voted: not touched
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        screening.stop_screening(tx, team.review_id, stage=TA, rationale="tired")
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="rationale"):
        screening.stop_screening(tx, team.review_id, stage=TA, rationale="")
    with workspace.transaction("alice") as tx:
        n = screening.stop_screening(
            tx, team.review_id, stage=TA, rationale="Knee method met; 200 irrelevant in a row"
        )
        progress = screening.stage_progress(tx, team.review_id, stage=TA)
    assert n == len(records) - 2
    assert progress.marked_ineligible_by_automation == n
    assert (progress.included, progress.excluded, progress.awaiting) == (1, 0, 1)
