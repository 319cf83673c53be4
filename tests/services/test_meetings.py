"""alice keeps the group's meetings and the action log (the paper's Figure 2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cosynth.domain.advisory import GroupMember, MeetingMode
from cosynth.domain.synthesis import Phase
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import meetings
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.advisory_helpers import form_group


@pytest.fixture
def group(workspace: Workspace, team: Team) -> dict[str, GroupMember]:
    return form_group(workspace, team)


def test_it_records_a_meeting_with_who_came_and_later_minutes(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    came = [group["Pat"].id, group["Jo"].id, group["Pat"].id]
    with workspace.transaction("alice") as tx:
        first = meetings.add_meeting(
            tx, team.review_id, held_on=date(2021, 10, 5), mode=MeetingMode.ONLINE,
            title="Meeting 1: the question and the search", phase=Phase.DECIDING_WHAT_IS_RELEVANT,
            attendee_ids=came, agenda="Introductions; search terms.",
        )  # fmt: skip
        meetings.record_minutes(tx, team.review_id, first.id, "Search terms suggested.")
        meetings.record_minutes(tx, team.review_id, first.id, "Search terms and definitions.")
    with workspace.transaction("pat") as tx:
        shown = meetings.get_meeting(tx, team.review_id, first.id)
    assert shown.attendee_ids == (group["Pat"].id, group["Jo"].id)
    assert shown.minutes == "Search terms and definitions."
    assert shown.phase is Phase.DECIDING_WHAT_IS_RELEVANT


def test_it_lists_meetings_by_date_whatever_the_order_they_were_added(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx:
        for day, mode in ((date(2022, 5, 10), MeetingMode.EMAIL), (date(2021, 10, 5), None)):
            meetings.add_meeting(
                tx, team.review_id, held_on=day, mode=mode or MeetingMode.IN_PERSON
            )
    with workspace.transaction("bob") as tx:
        found = meetings.meetings(tx, team.review_id)
    assert [m.held_on for m in found] == [date(2021, 10, 5), date(2022, 5, 10)]
    assert [m.mode for m in found] == [MeetingMode.IN_PERSON, MeetingMode.EMAIL]


def test_it_refuses_an_attendee_who_is_not_in_the_group(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(NotFoundError, match="no member 77"):
        meetings.add_meeting(
            tx, team.review_id, held_on=date(2021, 10, 5), mode=MeetingMode.ONLINE,
            attendee_ids=[group["Pat"].id, 77],
        )  # fmt: skip
    with workspace.transaction("alice") as tx:
        assert meetings.meetings(tx, team.review_id) == []


def test_it_lets_only_the_lead_keep_the_records_and_mallory_see_none(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    for who in ("bob", "pat"):
        with workspace.transaction(who) as tx, pytest.raises(PermissionDeniedError):
            meetings.add_action(tx, team.review_id, "Read the findings", review_team=True)
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        meetings.action_log(tx, team.review_id)
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        meetings.meetings(tx, team.review_id)


def test_it_keeps_the_action_log_with_who_does_what_in_which_phase(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    everyone = [m.id for m in group.values()]
    with workspace.transaction("alice") as tx:
        terms = meetings.add_action(
            tx, team.review_id, "Comment on the draft search terms", member_ids=everyone,
            phase=Phase.DECIDING_WHAT_IS_RELEVANT, due_on=date(2021, 10, 19),
        )  # fmt: skip
        tool = meetings.add_action(
            tx, team.review_id, "Co-design the data extraction tool",
            member_ids=[group["Pat"].id], review_team=True, phase=Phase.READING_THE_STUDIES,
            due_on=date(2022, 6, 1),
        )  # fmt: skip
        meetings.complete_action(tx, team.review_id, terms.id, done_on=date(2021, 10, 18))
    with workspace.transaction("pat") as tx:
        log = meetings.action_log(tx, team.review_id)
        pats = meetings.action_log(tx, team.review_id, member_id=group["Sam"].id)
    assert [a.task for a in log] == [terms.task, tool.task]
    assert log[0].done_on == date(2021, 10, 18) and not log[1].done
    assert log[1].review_team and log[1].member_ids == (group["Pat"].id,)
    assert [a.id for a in pats] == [terms.id]


def test_it_derives_overdue_from_the_due_date_and_today(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx:
        late = meetings.add_action(
            tx, team.review_id, "Read two studies", review_team=True, due_on=date(2022, 5, 10)
        )
        meetings.add_action(tx, team.review_id, "No date", review_team=True)
    with workspace.transaction("alice") as tx:
        tx.now = tx.now.replace(year=2022, month=5, day=11)
        overdue = meetings.action_log(tx, team.review_id, overdue=True)
        meetings.complete_action(tx, team.review_id, late.id)
        after = meetings.action_log(tx, team.review_id, overdue=True)
    assert [a.id for a in overdue] == [late.id] and after == []
    assert late.overdue(date(2022, 5, 11)) and not late.overdue(date(2022, 5, 10))
    assert not replace(late, done_on=date(2022, 5, 11)).overdue(date(2022, 6, 1))


def test_it_reopens_an_action_keeping_the_history(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx:
        action = meetings.add_action(tx, team.review_id, "Agree definitions", review_team=True)
        meetings.complete_action(tx, team.review_id, action.id, done_on=date(2021, 10, 19))
        with pytest.raises(InputError, match="already done"):
            meetings.complete_action(tx, team.review_id, action.id)
        reopened = meetings.reopen_action(tx, team.review_id, action.id)
        with pytest.raises(InputError, match="nothing to reopen"):
            meetings.reopen_action(tx, team.review_id, action.id)
    assert reopened.done_on is None


def test_it_asks_who_does_a_task(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="who does"):
        meetings.add_action(tx, team.review_id, "Read the findings")
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="what the task"):
        meetings.add_action(tx, team.review_id, "  ", review_team=True)
