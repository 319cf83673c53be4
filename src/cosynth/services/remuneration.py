"""Paying the advisory group for their time: the rate, hours, payments and statements.

The paper's members "were remunerated for their contribution" (Methods). The
records follow NIHR's payment guidance for public contributors: the review
sets a rate (per hour; a new rate is a new row from a date, so past hours keep
the rate of their day), hours are recorded per member and activity, payments
made are recorded, and each member has a statement of hours at the rate of the
time, paid and owed. Money is whole pence and time whole minutes: no floats.

Hours and payments are personal data: the lead keeps them, and a member who
signs in sees their own statement.
"""

from __future__ import annotations

from datetime import date

from cosynth.domain.advisory import (
    HoursEntry,
    Payment,
    Rate,
    Statement,
    build_statement,
    parse_hours,
)
from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import Phase
from cosynth.errors import InputError, NotFoundError
from cosynth.render.advisory import statement_text as render_statement
from cosynth.services.advisory_group import my_group_member, require_personal
from cosynth.services.workspace import Tx
from cosynth.store import advisory as advisory_store

# A rate above £1,000 an hour, or a payment above £100,000, is a slip of the keyboard.
MAX_RATE_PENCE = 100_000
MAX_PAYMENT_PENCE = 10_000_000
# No one gives more than a day in a day.
MAX_MINUTES_A_DAY = 24 * 60
CURRENCIES = ("GBP", "EUR", "USD")


def set_rate(
    tx: Tx,
    review_id: int,
    pence_per_hour: int,
    *,
    from_on: date,
    currency: str = "GBP",
    note: str = "",
) -> Rate:
    """The rate paid for involvement from `from_on` on; hours before keep their rate."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    if not 0 < pence_per_hour <= MAX_RATE_PENCE:
        raise InputError(
            f"A rate of {pence_per_hour} pence an hour? Give the rate in pence, e.g. 2500 "
            "for £25.00 an hour."
        )
    currency = currency.strip().upper()
    if currency not in CURRENCIES:
        raise InputError(
            f"cosynth keeps rates in {', '.join(CURRENCIES)}; {currency!r} is not one of them."
        )
    rates = advisory_store.rates_of(tx.session, review_id)
    if rates and rates[0].currency != currency:
        raise InputError(
            f"The review pays in {rates[0].currency}; a rate in {currency} would make "
            "statements that mix currencies."
        )
    rate = advisory_store.insert_rate(
        tx.session, review_id, pence_per_hour=pence_per_hour, currency=currency,
        from_on=from_on, note=note.strip(), at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group rate set", review_id, rate=rate.id, pence_per_hour=pence_per_hour)
    return rate


def rates(tx: Tx, review_id: int) -> list[Rate]:
    """The rates by the date they apply from (the rate is not personal: the team sees it)."""
    tx.require(review_id, Permission.VIEW)
    return advisory_store.rates_of(tx.session, review_id)


def record_hours(
    tx: Tx,
    review_id: int,
    member_id: int,
    hours: str | int,
    *,
    worked_on: date,
    activity: str,
    phase: Phase | None = None,
) -> HoursEntry:
    """Time a member gave to an activity: `hours` as "1.5", "1:30" or a whole number."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    member = require_personal(tx, review_id, member_id)
    try:
        minutes = parse_hours(str(hours))
    except ValueError as exc:
        raise InputError(f"Hours for {member.name}: {exc}.") from None
    if not 0 < minutes <= MAX_MINUTES_A_DAY:
        raise InputError(f"Hours for {member.name} must be more than 0 and at most 24 a day.")
    if worked_on < member.joined_on or (member.left_on and worked_on >= member.left_on):
        raise InputError(
            f"{member.name} was not in the group on {worked_on.isoformat()} (joined "
            f"{member.joined_on.isoformat()}"
            + (f", left {member.left_on.isoformat()}" if member.left_on else "")
            + ")."
        )
    activity = " ".join(activity.split())
    if not activity:
        raise InputError("Say what the time was for, e.g. 'Meeting 1' or 'reading two studies'.")
    entry = advisory_store.insert_hours(
        tx.session, member_id, worked_on=worked_on, minutes=minutes, phase=phase,
        activity=activity, at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group hours recorded", review_id, member=member_id, entry=entry.id)
    return entry


def hours(tx: Tx, review_id: int, member_id: int | None = None) -> list[HoursEntry]:
    """Hours recorded, by date: one member's (the lead, or the member), or everyone's (lead)."""
    if member_id is not None:
        require_personal(tx, review_id, member_id)
        return advisory_store.hours_of(tx.session, [member_id])
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    return advisory_store.hours_of(tx.session, _all_members(tx, review_id))


def total_minutes(tx: Tx, review_id: int) -> int:
    """The group's time in all, in minutes: a total that names no one (for GRIPP2)."""
    tx.require(review_id, Permission.VIEW)
    return sum(e.minutes for e in advisory_store.hours_of(tx.session, _all_members(tx, review_id)))


def record_payment(
    tx: Tx, review_id: int, member_id: int, pence: int, *, paid_on: date, reference: str = ""
) -> Payment:
    """A payment made to a member (pence; a reference such as the invoice or transfer)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    member = require_personal(tx, review_id, member_id)
    if not 0 < pence <= MAX_PAYMENT_PENCE:
        raise InputError(
            f"A payment to {member.name} of {pence} pence? Give the amount in pence, e.g. "
            "5000 for £50.00."
        )
    payment = advisory_store.insert_payment(
        tx.session, member_id, paid_on=paid_on, pence=pence, reference=reference.strip(),
        at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group payment recorded", review_id, member=member_id, payment=payment.id)
    return payment


def withdraw_hours(tx: Tx, review_id: int, entry_id: int, *, reason: str) -> None:
    """Take an entry of hours recorded by mistake out of the statements (it is kept)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    why = _reason(reason)
    entry = next((e for e in hours(tx, review_id) if e.id == entry_id), None)
    if entry is None:
        raise NotFoundError(
            f"Review {review_id} has no entry of hours {entry_id} (or it was withdrawn)."
        )
    advisory_store.insert_correction(
        tx.session, hours_id=entry_id, reason=why, at=tx.now, actor=tx.actor
    )
    tx.log("group hours withdrawn", review_id, member=entry.member_id, entry=entry_id)


def payments(tx: Tx, review_id: int, member_id: int | None = None) -> list[Payment]:
    """Payments made, by date: one member's (the lead, or the member), or everyone's (lead)."""
    if member_id is not None:
        require_personal(tx, review_id, member_id)
        return advisory_store.payments_of(tx.session, [member_id])
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    return advisory_store.payments_of(tx.session, _all_members(tx, review_id))


def total_paid(tx: Tx, review_id: int) -> int:
    """All paid to the group, in pence: a total that names no one (for GRIPP2)."""
    tx.require(review_id, Permission.VIEW)
    return sum(p.pence for p in advisory_store.payments_of(tx.session, _all_members(tx, review_id)))


def withdraw_payment(tx: Tx, review_id: int, payment_id: int, *, reason: str) -> None:
    """Take a payment recorded by mistake out of the statements (it is kept)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    why = _reason(reason)
    payment = next((p for p in payments(tx, review_id) if p.id == payment_id), None)
    if payment is None:
        raise NotFoundError(
            f"Review {review_id} has no payment {payment_id} (or it was withdrawn)."
        )
    advisory_store.insert_correction(
        tx.session, payment_id=payment_id, reason=why, at=tx.now, actor=tx.actor
    )
    tx.log("group payment withdrawn", review_id, member=payment.member_id, payment=payment_id)


def statement(tx: Tx, review_id: int, member_id: int) -> Statement:
    """A member's statement: each entry of hours at the rate of its day, payments, owed."""
    member = require_personal(tx, review_id, member_id)
    return build_statement(
        member,
        advisory_store.hours_of(tx.session, [member_id]),
        advisory_store.payments_of(tx.session, [member_id]),
        advisory_store.rates_of(tx.session, review_id),
    )


def my_statement(tx: Tx, review_id: int) -> Statement | None:
    """The statement of the member linked to the person acting (None: they are not one)."""
    member = my_group_member(tx, review_id)
    return statement(tx, review_id, member.id) if member else None


def statements(tx: Tx, review_id: int) -> list[Statement]:
    """Every member's statement (the lead only)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    members = advisory_store.members_of(tx.session, review_id)
    ids = [m.id for m in members]
    all_hours = advisory_store.hours_of(tx.session, ids)
    all_payments = advisory_store.payments_of(tx.session, ids)
    all_rates = advisory_store.rates_of(tx.session, review_id)
    return [
        build_statement(
            member,
            [e for e in all_hours if e.member_id == member.id],
            [p for p in all_payments if p.member_id == member.id],
            all_rates,
        )
        for member in members
    ]


def statement_text(tx: Tx, review_id: int, member_id: int) -> str:
    """The member's statement as plain text to send them."""
    return render_statement(statement(tx, review_id, member_id))


def _all_members(tx: Tx, review_id: int) -> list[int]:
    return [m.id for m in advisory_store.members_of(tx.session, review_id)]


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise InputError("Say why it is withdrawn, e.g. 'recorded twice'.")
    return reason
