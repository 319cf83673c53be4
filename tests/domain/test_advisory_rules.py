"""The advisory group's rules: time and money without floats, rates by date, GRIPP2 text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cosynth.domain.advisory import (
    Action,
    Consent,
    GroupMember,
    GroupRecords,
    HoursEntry,
    MemberKind,
    Payment,
    Rate,
    build_statement,
    contributions_by_phase,
    format_hours,
    format_money,
    gripp2_short_form,
    parse_hours,
    parse_money,
    rate_on,
    value_of,
)
from cosynth.domain.synthesis import Phase

AT = datetime(2022, 1, 1, tzinfo=UTC)


def rate(pence: int, from_on: date, id: int = 1) -> Rate:
    return Rate(id, pence, "GBP", from_on, "", "alice", AT)


def hours(minutes: int, on: date, id: int = 1, phase: Phase | None = None) -> HoursEntry:
    return HoursEntry(id, 1, on, minutes, phase, "Meeting", "alice", AT)


MEMBER = GroupMember(1, "Pat", MemberKind.SERVICE_USER, "pat", date(2021, 9, 1), None, AT)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("1.5", 90), ("2", 120), ("0.25", 15), ("1:30", 90), ("0:05", 5), (" 3.75 ", 225)],
)
def test_it_reads_hours_as_whole_minutes(text: str, minutes: int) -> None:
    assert parse_hours(text) == minutes


@pytest.mark.parametrize("text", ["", "1.333", "0.01", "-1", "1:75", "two", "1e3"])
def test_it_refuses_hours_that_are_not_whole_minutes(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(text)


@given(st.integers(min_value=0, max_value=100_000))
def test_it_writes_hours_it_can_read_back(minutes: int) -> None:
    assert parse_hours(format_hours(minutes)) == minutes


@pytest.mark.parametrize(
    ("text", "pence"), [("12.50", 1250), ("£12.5", 1250), ("12", 1200), ("1,200.05", 120005)]
)
def test_it_reads_money_as_pence(text: str, pence: int) -> None:
    assert parse_money(text) == pence


@pytest.mark.parametrize("text", ["12.505", "-3", "twelve", ""])
def test_it_refuses_what_is_not_money(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_it_writes_money_with_its_symbol() -> None:
    assert format_money(123456) == "£1,234.56"
    assert format_money(-300) == "-£3.00"
    assert format_money(5, "CHF") == "0.05 CHF"


def test_it_rounds_a_value_to_the_nearest_penny_halves_up() -> None:
    assert value_of(90, 2650) == 3975
    assert value_of(1, 2500) == 42  # 41.67p
    assert value_of(1, 30) == 1  # half a penny rounds up
    assert value_of(1, 29) == 0


def test_it_takes_the_rate_in_force_on_the_day() -> None:
    rates = [rate(2500, date(2021, 9, 1), 1), rate(2650, date(2022, 4, 1), 2)]
    assert rate_on(rates, date(2021, 8, 31)) is None
    assert rate_on(rates, date(2022, 3, 31)) == rates[0]
    assert rate_on(rates, date(2022, 4, 1)) == rates[1]
    corrected = rate(2600, date(2022, 4, 1), 3)
    assert rate_on([*rates, corrected], date(2022, 5, 1)) == corrected


def test_it_states_earned_paid_and_owed() -> None:
    found = build_statement(
        MEMBER,
        [hours(90, date(2022, 9, 20), 2), hours(120, date(2021, 10, 5), 1)],
        [Payment(1, 1, date(2021, 11, 1), 6000, "", "alice", AT)],
        [rate(2500, date(2021, 9, 1))],
    )
    assert [line.entry.id for line in found.lines] == [1, 2]
    assert (found.earned, found.paid, found.owed) == (8750, 6000, 2750)


def test_it_says_an_action_is_overdue_only_when_past_due_and_not_done() -> None:
    action = Action(1, "Read", (1,), False, None, date(2022, 5, 10), None, "alice", AT)
    assert not action.overdue(date(2022, 5, 10)) and action.overdue(date(2022, 5, 11))
    undated = Action(2, "Read", (1,), False, None, None, None, "alice", AT)
    assert not undated.overdue(date(2030, 1, 1))


def test_it_reads_a_consent_refusing_everything_as_withdrawn() -> None:
    def consent(involvement: bool, named: bool, quoted: bool, contacted: bool) -> Consent:
        return Consent(
            1, 1, involvement, named, quoted, contacted, date(2022, 1, 1), "", "alice", AT
        )

    assert consent(False, False, False, False).withdrawn
    assert not consent(True, False, False, False).withdrawn


def test_it_gathers_contributions_into_all_seven_phases_then_the_unphased() -> None:
    found = contributions_by_phase(
        [], [], [hours(60, date(2022, 1, 1), 1, Phase.GETTING_STARTED), hours(30, AT.date(), 2)], []
    )
    assert [c.phase for c in found] == [*Phase, None]
    assert found[0].minutes == 60 and found[-1].minutes == 30
    assert [c.phase for c in contributions_by_phase([], [], [], [])] == list(Phase)


def test_it_writes_gripp2_items_for_a_group_of_one() -> None:
    records = GroupRecords(
        aim="", discussion="", reflections="", members=(MEMBER,), recruitments=(),
        meetings=(), rates=(), total_minutes=0, total_paid=0, access_needs=(),
        contributions=(), actions=(), roundtables=(),
    )  # fmt: skip
    report = gripp2_short_form(records)
    assert report.items[1].text == "An advisory group of 1 member took part: 1 service user."
    assert report.items[2].missing and [i.number for i in report.items] == [1, 2, 3, 4, 5]
