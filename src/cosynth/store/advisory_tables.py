"""The advisory group's `*Row` tables: members, meetings, actions, roundtables, payments.

Kept apart from `tables.py` so that the advisory group owns its schema;
`schema.py` gathers every table module for the migrations. Every table is
appended to, never updated (DESIGN.md rule 1): a member's new details, a
withdrawn consent, minutes written later, an action done, a new rate are new
rows, and the latest row holds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cosynth.store.tables import Base, UtcDateTime


class AdvisoryMemberRow(Base):
    """A member of the advisory group: who they are is in `AdvisoryMemberDetailRow`."""

    __tablename__ = "advisory_members"
    __table_args__ = (Index("ix_advisory_members_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryMemberDetailRow(Base):
    """A member's name, kind, linked account and dates; the latest per member holds."""

    __tablename__ = "advisory_member_details"
    __table_args__ = (Index("ix_advisory_member_details_member", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("advisory_members.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    username: Mapped[str] = mapped_column(String(200), default="")
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryRecruitmentRow(Base):
    """How a member was recruited, with their application form's answers."""

    __tablename__ = "advisory_recruitments"
    __table_args__ = (Index("ix_advisory_recruitments_member", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("advisory_members.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(200))
    recruited_on: Mapped[date] = mapped_column(Date)
    # [[question, answer], ...] in the form's order
    answers: Mapped[list[Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryConsentRow(Base):
    """What a member agreed to as of a date; a withdrawal is a later row."""

    __tablename__ = "advisory_consents"
    __table_args__ = (Index("ix_advisory_consents_member", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("advisory_members.id", ondelete="CASCADE"))
    involvement: Mapped[bool] = mapped_column(Boolean)
    named: Mapped[bool] = mapped_column(Boolean)
    quoted: Mapped[bool] = mapped_column(Boolean)
    contacted: Mapped[bool] = mapped_column(Boolean)
    given_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryAccessNeedsRow(Base):
    __tablename__ = "advisory_access_needs"
    __table_args__ = (Index("ix_advisory_access_needs_member", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("advisory_members.id", ondelete="CASCADE"))
    preferred_format: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(100), default="")
    large_print: Mapped[bool] = mapped_column(Boolean)
    easy_read: Mapped[bool] = mapped_column(Boolean)
    adjustments: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryMeetingRow(Base):
    __tablename__ = "advisory_meetings"
    __table_args__ = (Index("ix_advisory_meetings_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500), default="")
    phase: Mapped[int | None] = mapped_column(Integer)
    # member ids of those who attended
    attendees: Mapped[list[Any]] = mapped_column(JSON)
    agenda: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryMinutesRow(Base):
    """A meeting's minutes, written after it; the latest per meeting holds."""

    __tablename__ = "advisory_minutes"
    __table_args__ = (Index("ix_advisory_minutes_meeting", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("advisory_meetings.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryActionRow(Base):
    """A line of the action log (the paper's Figure 2)."""

    __tablename__ = "advisory_actions"
    __table_args__ = (Index("ix_advisory_actions_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    task: Mapped[str] = mapped_column(Text)
    # member ids of who does it
    members: Mapped[list[Any]] = mapped_column(JSON)
    review_team: Mapped[bool] = mapped_column(Boolean)
    phase: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[date | None] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryActionDoneRow(Base):
    """An action marked done on a date (or, with no date, opened again); the latest holds."""

    __tablename__ = "advisory_action_done"
    __table_args__ = (Index("ix_advisory_action_done_action", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("advisory_actions.id", ondelete="CASCADE"))
    done_on: Mapped[date | None] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class RoundtableRow(Base):
    __tablename__ = "roundtables"
    __table_args__ = (Index("ix_roundtables_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500), default="")
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_meetings.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class TranscriptRow(Base):
    """A roundtable transcript: the file's bytes kept whole, its segments as read."""

    __tablename__ = "transcripts"
    __table_args__ = (
        UniqueConstraint("review_id", "sha256"),
        Index("ix_transcripts_roundtable", "roundtable_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(1000))
    format: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # [{"number", "speaker", "start", "end", "text"}, ...]
    segments: Mapped[list[Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryRateRow(Base):
    """The review's rate for involvement from a date on (NIHR payment guidance)."""

    __tablename__ = "advisory_rates"
    __table_args__ = (Index("ix_advisory_rates_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    pence_per_hour: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    from_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryHoursRow(Base):
    __tablename__ = "advisory_hours"
    __table_args__ = (Index("ix_advisory_hours_member", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("advisory_members.id", ondelete="CASCADE"))
    worked_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    phase: Mapped[int | None] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryPaymentRow(Base):
    __tablename__ = "advisory_payments"
    __table_args__ = (Index("ix_advisory_payments_member", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("advisory_members.id", ondelete="CASCADE"))
    paid_on: Mapped[date] = mapped_column(Date)
    pence: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryContributionRow(Base):
    """A contribution noted in words, by a member or (member_id NULL) the whole group."""

    __tablename__ = "advisory_contributions"
    __table_args__ = (Index("ix_advisory_contributions_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_members.id", ondelete="CASCADE")
    )
    phase: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    noted_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class Gripp2SettingRow(Base):
    """The lead's words for a GRIPP2 short-form item (aim, discussion, reflections)."""

    __tablename__ = "gripp2_settings"
    __table_args__ = (Index("ix_gripp2_settings_review", "review_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AdvisoryCorrectionRow(Base):
    """Hours or a payment recorded by mistake, taken out of the statements; the row stays."""

    __tablename__ = "advisory_corrections"
    __table_args__ = (UniqueConstraint("hours_id"), UniqueConstraint("payment_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    hours_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_hours.id", ondelete="CASCADE")
    )
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_payments.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
