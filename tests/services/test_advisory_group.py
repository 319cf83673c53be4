"""alice forms the advisory group: members, recruitment, consent and access needs, kept private."""

from __future__ import annotations

from datetime import date

import pytest

from cosynth.domain.advisory import GroupMember, MemberKind, PreferredFormat
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import advisory_group
from cosynth.services.reviews import audit_log
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.advisory_helpers import JOINED, form_group


@pytest.fixture
def group(workspace: Workspace, team: Team) -> dict[str, GroupMember]:
    return form_group(workspace, team)


def test_it_keeps_the_papers_six_members_for_the_whole_team_to_see(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("bob") as tx:
        members = advisory_group.group_members(tx, team.review_id)
    assert [m.name for m in members] == ["Pat", "Sam", "Jo", "Chris", "Alex", "Robin"]
    assert [m.kind for m in members].count(MemberKind.UNPAID_CARER) == 2
    assert members[0].username == "pat" and members[1].username == ""
    assert all(m.joined_on == JOINED and m.left_on is None for m in members)


def test_it_lets_only_the_lead_add_members(workspace: Workspace, team: Team) -> None:
    for who in ("bob", "pat", "mallory"):
        with workspace.transaction(who) as tx, pytest.raises(PermissionDeniedError):
            advisory_group.add_group_member(tx, team.review_id, "Sam", kind=MemberKind.OTHER)


def test_it_shows_mallory_nothing(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        advisory_group.group_members(tx, team.review_id)
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        advisory_group.consent(tx, team.review_id, group["Pat"].id)


def test_it_links_an_account_only_of_the_team_and_only_once(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="not on this"):
        advisory_group.add_group_member(
            tx, team.review_id, "Mal", kind=MemberKind.OTHER, username="mallory"
        )
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="linked to Pat"):
        advisory_group.revise_group_member(tx, team.review_id, group["Sam"].id, username="pat")


def test_it_keeps_a_revision_and_a_leaving_as_new_details(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx:
        advisory_group.revise_group_member(tx, team.review_id, group["Robin"].id, name="Robin K")
        left = advisory_group.record_leaving(
            tx, team.review_id, group["Robin"].id, left_on=date(2022, 6, 1)
        )
    assert left.name == "Robin K" and left.left_on == date(2022, 6, 1)
    assert left.active_on(date(2022, 5, 31)) and not left.active_on(date(2022, 6, 1))
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="already left"):
        advisory_group.record_leaving(tx, team.review_id, group["Robin"].id)
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="joined on"):
        advisory_group.record_leaving(tx, team.review_id, group["Sam"].id, left_on=date(2020, 1, 1))


def test_it_keeps_how_a_member_was_recruited_and_their_application(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx:
        advisory_group.record_recruitment(
            tx, team.review_id, group["Pat"].id, channel="Healthwatch  newsletter",
            recruited_on=date(2021, 9, 6),
            answers=[("Why would you like to join?", "I use several services at once.")],
        )  # fmt: skip
    with workspace.transaction("alice") as tx:
        kept = advisory_group.recruitment(tx, team.review_id, group["Pat"].id)
        assert advisory_group.recruitment(tx, team.review_id, group["Sam"].id) is None
    assert kept is not None and kept.channel == "Healthwatch newsletter"
    assert kept.answers[0].answer == "I use several services at once."
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        advisory_group.recruitment(tx, team.review_id, group["Pat"].id)
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        advisory_group.recruitments(tx, team.review_id)
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="recruited"):
        advisory_group.record_recruitment(
            tx, team.review_id, group["Sam"].id, channel=" ", recruited_on=date(2021, 9, 6)
        )


def test_it_keeps_a_withdrawal_of_consent_as_a_new_record(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    member = group["Jo"].id
    with workspace.transaction("alice") as tx:
        given = advisory_group.record_consent(
            tx, team.review_id, member, involvement=True, named=True, quoted=True,
            given_on=date(2021, 9, 20),
        )  # fmt: skip
        advisory_group.withdraw_consent(
            tx, team.review_id, member, on=date(2022, 1, 5), note="asked by phone"
        )
    with workspace.transaction("alice") as tx:
        history = advisory_group.consent_history(tx, team.review_id, member)
        now = advisory_group.consent(tx, team.review_id, member)
    assert history[0] == given and given.named and not given.withdrawn
    assert now is not None and now.withdrawn and now.given_on == date(2022, 1, 5)
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="involved"):
        advisory_group.record_consent(tx, team.review_id, member, involvement=False, named=True)


def test_it_lets_pat_see_and_state_their_own_access_needs_but_not_sams(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("pat") as tx:
        mine = advisory_group.my_group_member(tx, team.review_id)
        assert mine is not None and mine.name == "Pat"
        advisory_group.record_access_needs(
            tx, team.review_id, mine.id, preferred_format=PreferredFormat.PAPER, large_print=True
        )
    with workspace.transaction("pat") as tx:
        needs = advisory_group.access_needs(tx, team.review_id, group["Pat"].id)
        with pytest.raises(PermissionDeniedError, match="only their own"):
            advisory_group.access_needs(tx, team.review_id, group["Sam"].id)
    assert needs is not None and needs.large_print and needs.any
    with workspace.transaction("bob") as tx:
        assert advisory_group.my_group_member(tx, team.review_id) is None
        with pytest.raises(PermissionDeniedError):
            advisory_group.access_needs(tx, team.review_id, group["Pat"].id)
    with workspace.transaction("alice") as tx:
        everyone = advisory_group.all_access_needs(tx, team.review_id)
    assert set(everyone) == {group["Pat"].id}


def test_it_audits_with_ids_not_personal_details(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx:
        advisory_group.record_recruitment(
            tx, team.review_id, group["Sam"].id, channel="word of mouth",
            recruited_on=date(2021, 9, 10), answers=[("Why?", "My diagnosis of X")],
        )  # fmt: skip
        events = audit_log(tx, team.review_id)
    text = repr(events)
    assert "group member recruitment recorded" in text
    assert "Sam" not in text and "diagnosis" not in text and "word of mouth" not in text


def test_it_says_when_there_is_no_such_member(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(NotFoundError, match="no member 99"):
        advisory_group.get_group_member(tx, team.review_id, 99)
