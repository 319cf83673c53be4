"""The advisory group's meetings and its action log (the paper's Figure 2).

The paper's group "met three times with additional email and telephone
communications" and Figure 2, the CAG action log, "depicts key tasks performed
by CAG members" (Methods). The lead keeps both; the whole team reads them,
minutes included, since minutes go round to everyone who took part. Personal
matters belong in a member's own records (services.advisory_group), not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cosynth.domain.advisory import Action, Meeting, MeetingMode
from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import Phase
from cosynth.errors import InputError, NotFoundError
from cosynth.services.advisory_group import member_ids as checked_members
from cosynth.services.workspace import Tx
from cosynth.store import advisory as advisory_store

MAX_TITLE = 500


def add_meeting(
    tx: Tx,
    review_id: int,
    *,
    held_on: date,
    mode: MeetingMode,
    title: str = "",
    phase: Phase | None = None,
    attendee_ids: Sequence[int] = (),
    agenda: str = "",
    minutes: str = "",
) -> Meeting:
    """Record a meeting of the group (by email or telephone too), who came and its agenda."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        raise InputError(f"The meeting's title is longer than {MAX_TITLE} characters.")
    attendees = checked_members(tx, review_id, attendee_ids)
    meeting_id = advisory_store.insert_meeting(
        tx.session, review_id, held_on=held_on, mode=mode.value, title=title, phase=phase,
        attendee_ids=attendees, agenda=agenda.strip(), at=tx.now, actor=tx.actor,
    )  # fmt: skip
    if minutes.strip():
        advisory_store.insert_minutes(
            tx.session, meeting_id, minutes.strip(), at=tx.now, actor=tx.actor
        )
    tx.log("group meeting added", review_id, meeting=meeting_id, attendees=list(attendees))
    return _meeting(tx, review_id, meeting_id)


def record_minutes(tx: Tx, review_id: int, meeting_id: int, text: str) -> Meeting:
    """The meeting's minutes, written after it; earlier minutes are kept, the latest shown."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    _meeting(tx, review_id, meeting_id)
    if not text.strip():
        raise InputError("The minutes are empty: write what was discussed and agreed.")
    advisory_store.insert_minutes(tx.session, meeting_id, text.strip(), at=tx.now, actor=tx.actor)
    tx.log("group meeting minutes recorded", review_id, meeting=meeting_id)
    return _meeting(tx, review_id, meeting_id)


def meetings(tx: Tx, review_id: int) -> list[Meeting]:
    """The group's meetings by date."""
    tx.require(review_id, Permission.VIEW)
    return advisory_store.meetings_of(tx.session, review_id)


def get_meeting(tx: Tx, review_id: int, meeting_id: int) -> Meeting:
    tx.require(review_id, Permission.VIEW)
    return _meeting(tx, review_id, meeting_id)


def _meeting(tx: Tx, review_id: int, meeting_id: int) -> Meeting:
    for meeting in advisory_store.meetings_of(tx.session, review_id):
        if meeting.id == meeting_id:
            return meeting
    raise NotFoundError(f"Review {review_id} has no advisory-group meeting {meeting_id}.")


# --- the action log ----------------------------------------------------------------


def add_action(
    tx: Tx,
    review_id: int,
    task: str,
    *,
    member_ids: Sequence[int] = (),
    review_team: bool = False,
    phase: Phase | None = None,
    due_on: date | None = None,
) -> Action:
    """Add a task to the action log, for group members and/or the review team."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    task = " ".join(task.split())
    if not task:
        raise InputError("Say what the task is, e.g. 'Comment on the draft search terms'.")
    who = checked_members(tx, review_id, member_ids)
    if not who and not review_team:
        raise InputError("Say who does the task: one or more group members, or the review team.")
    action_id = advisory_store.insert_action(
        tx.session, review_id, task=task, member_ids=who, review_team=review_team,
        phase=phase, due_on=due_on, at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group action added", review_id, action_id=action_id)
    return _action(tx, review_id, action_id)


def complete_action(
    tx: Tx, review_id: int, action_id: int, *, done_on: date | None = None
) -> Action:
    """Mark an action done (today unless `done_on` says when)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    action = _action(tx, review_id, action_id)
    if action.done_on is not None:
        raise InputError(f"Action {action_id} was already done on {action.done_on.isoformat()}.")
    done = done_on or tx.now.date()
    advisory_store.insert_action_done(tx.session, action_id, done, at=tx.now, actor=tx.actor)
    tx.log("group action done", review_id, action_id=action_id)
    return _action(tx, review_id, action_id)


def reopen_action(tx: Tx, review_id: int, action_id: int) -> Action:
    """An action marked done by mistake, or needing more: open again (the record stays)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    action = _action(tx, review_id, action_id)
    if action.done_on is None:
        raise InputError(f"Action {action_id} is not done, so there is nothing to reopen.")
    advisory_store.insert_action_done(tx.session, action_id, None, at=tx.now, actor=tx.actor)
    tx.log("group action reopened", review_id, action_id=action_id)
    return _action(tx, review_id, action_id)


def action_log(
    tx: Tx, review_id: int, *, member_id: int | None = None, overdue: bool = False
) -> list[Action]:
    """The action log in the order the tasks were added; `overdue` keeps only tasks past
    their due date and not done (today being the transaction's date)."""
    tx.require(review_id, Permission.VIEW)
    found = advisory_store.actions_of(tx.session, review_id)
    if member_id is not None:
        found = [a for a in found if member_id in a.member_ids]
    if overdue:
        found = [a for a in found if a.overdue(tx.now.date())]
    return found


def get_action(tx: Tx, review_id: int, action_id: int) -> Action:
    tx.require(review_id, Permission.VIEW)
    return _action(tx, review_id, action_id)


def _action(tx: Tx, review_id: int, action_id: int) -> Action:
    for action in advisory_store.actions_of(tx.session, review_id):
        if action.id == action_id:
            return action
    raise NotFoundError(f"Review {review_id}'s action log has no action {action_id}.")
