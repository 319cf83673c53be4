"""The GRIPP2 short form, written from the group's records and alice's own words."""

from __future__ import annotations

from datetime import date

import pytest

from cosynth.domain.advisory import (
    Gripp2Setting,
    GroupMember,
    MeetingMode,
    PreferredFormat,
)
from cosynth.domain.synthesis import Phase
from cosynth.errors import InputError, PermissionDeniedError
from cosynth.services import advisory_group, gripp2, meetings, remuneration, roundtables
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.advisory_helpers import form_group


@pytest.fixture
def group(workspace: Workspace, team: Team) -> dict[str, GroupMember]:
    return form_group(workspace, team)


@pytest.fixture
def records(workspace: Workspace, team: Team, group: dict[str, GroupMember]) -> None:
    """The paper's group: recruited through Healthwatch, three meetings, paid, one roundtable."""
    review = team.review_id
    everyone = [m.id for m in group.values()]
    via_newsletter = ("Pat", "Jo", "Alex")
    with workspace.transaction("alice") as tx:
        for name, member in group.items():
            advisory_group.record_recruitment(
                tx, review, member.id,
                channel="Healthwatch newsletter" if name in via_newsletter else "word of mouth",
                recruited_on=date(2021, 9, 6), answers=[("Why would you like to join?", "...")],
            )  # fmt: skip
        advisory_group.record_access_needs(
            tx, review, group["Chris"].id, preferred_format=PreferredFormat.PAPER
        )
        advisory_group.record_access_needs(tx, review, group["Pat"].id, large_print=True)
        advisory_group.record_access_needs(tx, review, group["Alex"].id)
        for day, phase in ((date(2021, 10, 5), 2), (date(2022, 5, 10), 3), (date(2022, 9, 20), 5)):
            meetings.add_meeting(
                tx, review, held_on=day, mode=MeetingMode.ONLINE, phase=Phase(phase),
                attendee_ids=everyone,
            )  # fmt: skip
        terms = meetings.add_action(
            tx, review, "Comment on the draft search terms", member_ids=everyone,
            phase=Phase.DECIDING_WHAT_IS_RELEVANT,
        )  # fmt: skip
        meetings.complete_action(tx, review, terms.id, done_on=date(2021, 10, 18))
        meetings.add_action(
            tx, review, "Comment on the interpretations", member_ids=everyone,
            phase=Phase.SYNTHESISING_TRANSLATIONS,
        )  # fmt: skip
        meetings.add_meeting(
            tx, review, held_on=date(2022, 6, 1), mode=MeetingMode.EMAIL, phase=Phase(3)
        )
        remuneration.set_rate(tx, review, 2500, from_on=date(2021, 9, 1))
        remuneration.record_hours(
            tx, review, group["Pat"].id, "2", worked_on=date(2021, 10, 5), activity="Meeting 1",
            phase=Phase.DECIDING_WHAT_IS_RELEVANT,
        )  # fmt: skip
        remuneration.record_payment(tx, review, group["Pat"].id, 5000, paid_on=date(2021, 11, 1))
        roundtables.add_roundtable(
            tx, review, held_on=date(2022, 9, 20), minutes=90, title="Does it match?"
        )
        gripp2.note_contribution(
            tx, review, Phase.READING_THE_STUDIES, "Proposed extraction fields on equality"
        )


def test_it_writes_methods_and_results_from_the_records(
    workspace: Workspace, team: Team, records: None
) -> None:
    with workspace.transaction("bob") as tx:
        report = gripp2.gripp2_report(tx, team.review_id)
    methods, results = report.items[1].text, report.items[2].text
    assert methods.startswith(
        "An advisory group of 6 members took part: 2 service users, 2 unpaid carers and "
        "2 members of staff."
    )
    assert "recruited through Healthwatch newsletter and word of mouth" in methods
    assert "6 members completed an application form" in methods
    assert "The group met 3 times (3 online). Members also took part by email (1)." in methods
    assert "£25.00 an hour; 2 hours were recorded and £50.00 paid" in methods
    assert "Access needs were met: papers on paper for 1 and large print for 1." in methods
    assert "Phase 2 (Deciding what is relevant to the initial interest): Comment on the " in results
    assert "Phase 3 (Reading the studies): Proposed extraction fields on equality" in results
    assert "1 of 2 actions in the action log were done." in results
    assert "A 90-minute roundtable (Does it match?) on 2022-09-20" in results
    assert not report.items[1].missing and not report.items[2].missing


def test_it_flags_the_leads_items_until_she_writes_them(
    workspace: Workspace, team: Team, records: None
) -> None:
    with workspace.transaction("alice") as tx:
        before = gripp2.gripp2_report(tx, team.review_id)
        gripp2.set_gripp2_text(tx, team.review_id, Gripp2Setting.AIM, "To involve them all.")
        gripp2.set_gripp2_text(tx, team.review_id, Gripp2Setting.AIM, "To involve everyone.")
        after = gripp2.gripp2_report(tx, team.review_id)
    assert [i.missing for i in before.items] == [True, False, False, True, True]
    assert before.items[0].text.startswith("Report the aim")
    assert after.items[0].text == "To involve everyone." and not after.items[0].missing
    assert not after.complete


def test_it_flags_methods_and_results_for_a_review_with_no_group(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        report = gripp2.gripp2_report(tx, team.review_id)
        markdown = gripp2.gripp2_markdown(tx, team.review_id)
    assert all(item.missing for item in report.items)
    assert "## 2. Methods\n\n*Not yet reported.* Provide a clear description" in markdown


def test_it_renders_the_short_form_as_markdown(
    workspace: Workspace, team: Team, records: None
) -> None:
    with workspace.transaction("alice") as tx:
        gripp2.set_gripp2_text(tx, team.review_id, Gripp2Setting.REFLECTIONS, "More time.")
        markdown = gripp2.gripp2_markdown(tx, team.review_id)
    assert markdown.startswith("# GRIPP2 short form\n\n## 1. Aim\n")
    assert "## 5. Reflections/critical perspective\n\nMore time.\n" in markdown


def test_it_gathers_contributions_per_phase(
    workspace: Workspace, team: Team, records: None
) -> None:
    with workspace.transaction("pat") as tx:
        found = gripp2.contributions(tx, team.review_id)
    assert [c.phase for c in found] == list(Phase)
    deciding = found[Phase.DECIDING_WHAT_IS_RELEVANT - 1]
    assert len(deciding.actions) == 1 and deciding.minutes == 120 and len(deciding.meetings) == 1
    translating = found[Phase.TRANSLATING_THE_STUDIES_INTO_ONE_ANOTHER - 1]
    assert len(translating.roundtables) == 1 and not found[0].actions


def test_it_lets_only_alice_write_and_mallory_read_nothing(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        gripp2.set_gripp2_text(tx, team.review_id, Gripp2Setting.AIM, "x")
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        gripp2.note_contribution(tx, team.review_id, Phase.GETTING_STARTED, "x")
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        gripp2.gripp2_report(tx, team.review_id)
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="contribution"):
        gripp2.note_contribution(tx, team.review_id, Phase.GETTING_STARTED, " ")
