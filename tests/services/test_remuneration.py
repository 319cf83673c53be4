"""alice pays the group for their time: a rate, hours, payments, and each member's statement."""

from __future__ import annotations

from datetime import date

import pytest

from cosynth.domain.advisory import GroupMember
from cosynth.domain.synthesis import Phase
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import remuneration
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.advisory_helpers import form_group


@pytest.fixture
def group(workspace: Workspace, team: Team) -> dict[str, GroupMember]:
    return form_group(workspace, team)


@pytest.fixture
def paid(workspace: Workspace, team: Team, group: dict[str, GroupMember]) -> int:
    """Pat gives 2 h at £25.00, then 1.5 h after the rate rose to £26.50, and is paid £50."""
    pat = group["Pat"].id
    with workspace.transaction("alice") as tx:
        remuneration.set_rate(tx, team.review_id, 2500, from_on=date(2021, 9, 1))
        remuneration.set_rate(tx, team.review_id, 2650, from_on=date(2022, 4, 1), note="NIHR")
        remuneration.record_hours(
            tx, team.review_id, pat, "2", worked_on=date(2021, 10, 5), activity="Meeting 1",
            phase=Phase.DECIDING_WHAT_IS_RELEVANT,
        )  # fmt: skip
        remuneration.record_hours(
            tx, team.review_id, pat, "1:30", worked_on=date(2022, 9, 20), activity="Roundtable",
            phase=Phase.TRANSLATING_THE_STUDIES_INTO_ONE_ANOTHER,
        )  # fmt: skip
        remuneration.record_payment(
            tx, team.review_id, pat, 5000, paid_on=date(2021, 11, 1), reference="BACS 0001"
        )
    return pat


def test_it_values_each_entry_at_the_rate_of_its_day_and_says_what_is_owed(
    workspace: Workspace, team: Team, paid: int
) -> None:
    with workspace.transaction("alice") as tx:
        found = remuneration.statement(tx, team.review_id, paid)
    assert [line.pence for line in found.lines] == [5000, 3975]
    assert [line.rate.pence_per_hour for line in found.lines if line.rate] == [2500, 2650]
    assert (found.minutes, found.earned, found.paid, found.owed) == (210, 8975, 5000, 3975)
    assert found.currency == "GBP"


def test_it_writes_a_statement_pat_can_read(workspace: Workspace, team: Team, paid: int) -> None:
    with workspace.transaction("pat") as tx:
        text = remuneration.statement_text(tx, team.review_id, paid)
        mine = remuneration.my_statement(tx, team.review_id)
    assert "2022-09-20  Roundtable: 1.5 h at £26.50 an hour = £39.75" in text
    assert "paid £50.00 (BACS 0001)" in text and "Owed: £39.75" in text
    assert mine is not None and mine.owed == 3975


def test_it_keeps_hours_and_payments_from_everyone_but_alice_and_the_member(
    workspace: Workspace, team: Team, group: dict[str, GroupMember], paid: int
) -> None:
    sam = group["Sam"].id
    with workspace.transaction("pat") as tx:
        with pytest.raises(PermissionDeniedError):
            remuneration.statement(tx, team.review_id, sam)
        with pytest.raises(PermissionDeniedError):
            remuneration.hours(tx, team.review_id)
        with pytest.raises(PermissionDeniedError):
            remuneration.record_hours(
                tx, team.review_id, paid, "9", worked_on=date(2022, 1, 1), activity="More"
            )
        assert len(remuneration.payments(tx, team.review_id, paid)) == 1
    with workspace.transaction("bob") as tx:
        assert remuneration.my_statement(tx, team.review_id) is None
        with pytest.raises(PermissionDeniedError):
            remuneration.statements(tx, team.review_id)
        assert remuneration.total_paid(tx, team.review_id) == 5000
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        remuneration.rates(tx, team.review_id)


def test_it_gives_every_member_a_statement_even_with_nothing_in_it(
    workspace: Workspace, team: Team, paid: int
) -> None:
    with workspace.transaction("alice") as tx:
        found = remuneration.statements(tx, team.review_id)
    assert [s.member.name for s in found][:2] == ["Pat", "Sam"]
    assert found[0].owed == 3975 and found[1].lines == () and found[1].owed == 0


def test_it_values_hours_before_any_rate_at_nothing_and_flags_them(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx:
        remuneration.record_hours(
            tx, team.review_id, group["Jo"].id, "3", worked_on=date(2021, 9, 25),
            activity="Reading two studies",
        )  # fmt: skip
        found = remuneration.statement(tx, team.review_id, group["Jo"].id)
    assert found.earned == 0 and len(found.unpriced) == 1


@pytest.mark.parametrize(
    ("hours", "message"),
    [("1.333", "not a number of hours"), ("0", "more than 0"), ("25", "at most 24")],
)
def test_it_refuses_hours_that_cannot_be_right(
    workspace: Workspace, team: Team, group: dict[str, GroupMember], hours: str, message: str
) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match=message):
        remuneration.record_hours(
            tx, team.review_id, group["Jo"].id, hours, worked_on=date(2021, 10, 5), activity="M1"
        )


def test_it_refuses_hours_from_before_a_member_joined(
    workspace: Workspace, team: Team, group: dict[str, GroupMember]
) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="not in the group"):
        remuneration.record_hours(
            tx, team.review_id, group["Jo"].id, "1", worked_on=date(2020, 1, 1), activity="M0"
        )


def test_it_refuses_a_rate_in_another_currency_or_out_of_reason(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        remuneration.set_rate(tx, team.review_id, 2500, from_on=date(2021, 9, 1))
        with pytest.raises(InputError, match="pays in GBP"):
            remuneration.set_rate(
                tx, team.review_id, 3000, from_on=date(2022, 1, 1), currency="eur"
            )
        with pytest.raises(InputError, match="in pence"):
            remuneration.set_rate(tx, team.review_id, 0, from_on=date(2022, 1, 1))
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        remuneration.set_rate(tx, team.review_id, 2500, from_on=date(2021, 9, 1))


def test_it_takes_a_mistaken_entry_and_payment_out_of_the_statement_keeping_them(
    workspace: Workspace, team: Team, paid: int
) -> None:
    with workspace.transaction("alice") as tx:
        twice = remuneration.record_hours(
            tx, team.review_id, paid, "2", worked_on=date(2021, 10, 5), activity="Meeting 1"
        )
        payment = remuneration.payments(tx, team.review_id, paid)[0]
        remuneration.withdraw_hours(tx, team.review_id, twice.id, reason="recorded twice")
        remuneration.withdraw_payment(tx, team.review_id, payment.id, reason="bounced")
        with pytest.raises(NotFoundError, match="withdrawn"):
            remuneration.withdraw_hours(tx, team.review_id, twice.id, reason="again")
        with pytest.raises(InputError, match="why"):
            remuneration.withdraw_payment(tx, team.review_id, payment.id, reason=" ")
    with workspace.transaction("alice") as tx:
        found = remuneration.statement(tx, team.review_id, paid)
    assert (found.earned, found.paid, found.owed) == (8975, 0, 8975)
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        remuneration.withdraw_hours(tx, team.review_id, found.lines[0].entry.id, reason="x")
