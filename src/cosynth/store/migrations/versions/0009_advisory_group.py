"""the advisory group: members, meetings, action log, roundtables, transcripts, payments

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 14:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "advisory_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("review_team", sa.Boolean(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_advisory_actions_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_actions")),
    )
    with op.batch_alter_table("advisory_actions", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_actions_review", ["review_id"], unique=False)

    op.create_table(
        "advisory_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=True),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_advisory_meetings_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_meetings")),
    )
    with op.batch_alter_table("advisory_meetings", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_meetings_review", ["review_id"], unique=False)

    op.create_table(
        "advisory_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_advisory_members_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_members")),
    )
    with op.batch_alter_table("advisory_members", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_members_review", ["review_id"], unique=False)

    op.create_table(
        "advisory_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("pence_per_hour", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_advisory_rates_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_rates")),
    )
    with op.batch_alter_table("advisory_rates", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_rates_review", ["review_id"], unique=False)

    op.create_table(
        "gripp2_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_gripp2_settings_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gripp2_settings")),
    )
    with op.batch_alter_table("gripp2_settings", schema=None) as batch_op:
        batch_op.create_index("ix_gripp2_settings_review", ["review_id", "item"], unique=False)

    op.create_table(
        "advisory_access_needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("preferred_format", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=100), nullable=False),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("easy_read", sa.Boolean(), nullable=False),
        sa.Column("adjustments", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["advisory_members.id"],
            name=op.f("fk_advisory_access_needs_member_id_advisory_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_access_needs")),
    )
    with op.batch_alter_table("advisory_access_needs", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_access_needs_member", ["member_id"], unique=False)

    op.create_table(
        "advisory_action_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["advisory_actions.id"],
            name=op.f("fk_advisory_action_done_action_id_advisory_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_action_done")),
    )
    with op.batch_alter_table("advisory_action_done", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_action_done_action", ["action_id"], unique=False)

    op.create_table(
        "advisory_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("involvement", sa.Boolean(), nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("quoted", sa.Boolean(), nullable=False),
        sa.Column("contacted", sa.Boolean(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["advisory_members.id"],
            name=op.f("fk_advisory_consents_member_id_advisory_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_consents")),
    )
    with op.batch_alter_table("advisory_consents", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_consents_member", ["member_id"], unique=False)

    op.create_table(
        "advisory_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["advisory_members.id"],
            name=op.f("fk_advisory_contributions_member_id_advisory_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_advisory_contributions_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_contributions")),
    )
    with op.batch_alter_table("advisory_contributions", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_contributions_review", ["review_id"], unique=False)

    op.create_table(
        "advisory_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("worked_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=True),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["advisory_members.id"],
            name=op.f("fk_advisory_hours_member_id_advisory_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_hours")),
    )
    with op.batch_alter_table("advisory_hours", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_hours_member", ["member_id"], unique=False)

    op.create_table(
        "advisory_member_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["advisory_members.id"],
            name=op.f("fk_advisory_member_details_member_id_advisory_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_member_details")),
    )
    with op.batch_alter_table("advisory_member_details", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_member_details_member", ["member_id"], unique=False)

    op.create_table(
        "advisory_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["advisory_meetings.id"],
            name=op.f("fk_advisory_minutes_meeting_id_advisory_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_minutes")),
    )
    with op.batch_alter_table("advisory_minutes", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_minutes_meeting", ["meeting_id"], unique=False)

    op.create_table(
        "advisory_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("pence", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["advisory_members.id"],
            name=op.f("fk_advisory_payments_member_id_advisory_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_payments")),
    )
    with op.batch_alter_table("advisory_payments", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_payments_member", ["member_id"], unique=False)

    op.create_table(
        "advisory_recruitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("recruited_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["advisory_members.id"],
            name=op.f("fk_advisory_recruitments_member_id_advisory_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_recruitments")),
    )
    with op.batch_alter_table("advisory_recruitments", schema=None) as batch_op:
        batch_op.create_index("ix_advisory_recruitments_member", ["member_id"], unique=False)

    op.create_table(
        "roundtables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["advisory_meetings.id"],
            name=op.f("fk_roundtables_meeting_id_advisory_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_roundtables_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roundtables")),
    )
    with op.batch_alter_table("roundtables", schema=None) as batch_op:
        batch_op.create_index("ix_roundtables_review", ["review_id"], unique=False)

    op.create_table(
        "transcripts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=1000), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_transcripts_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtables.id"],
            name=op.f("fk_transcripts_roundtable_id_roundtables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcripts")),
        sa.UniqueConstraint("review_id", "sha256", name=op.f("uq_transcripts_review_id_sha256")),
    )
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.create_index("ix_transcripts_roundtable", ["roundtable_id"], unique=False)

    op.create_table(
        "advisory_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hours_id", sa.Integer(), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["hours_id"],
            ["advisory_hours.id"],
            name=op.f("fk_advisory_corrections_hours_id_advisory_hours"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["advisory_payments.id"],
            name=op.f("fk_advisory_corrections_payment_id_advisory_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_corrections")),
        sa.UniqueConstraint("hours_id", name=op.f("uq_advisory_corrections_hours_id")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_advisory_corrections_payment_id")),
    )


def downgrade() -> None:
    op.drop_table("advisory_corrections")
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.drop_index("ix_transcripts_roundtable")

    op.drop_table("transcripts")
    with op.batch_alter_table("roundtables", schema=None) as batch_op:
        batch_op.drop_index("ix_roundtables_review")

    op.drop_table("roundtables")
    with op.batch_alter_table("advisory_recruitments", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_recruitments_member")

    op.drop_table("advisory_recruitments")
    with op.batch_alter_table("advisory_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_payments_member")

    op.drop_table("advisory_payments")
    with op.batch_alter_table("advisory_minutes", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_minutes_meeting")

    op.drop_table("advisory_minutes")
    with op.batch_alter_table("advisory_member_details", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_member_details_member")

    op.drop_table("advisory_member_details")
    with op.batch_alter_table("advisory_hours", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_hours_member")

    op.drop_table("advisory_hours")
    with op.batch_alter_table("advisory_contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_contributions_review")

    op.drop_table("advisory_contributions")
    with op.batch_alter_table("advisory_consents", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_consents_member")

    op.drop_table("advisory_consents")
    with op.batch_alter_table("advisory_action_done", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_action_done_action")

    op.drop_table("advisory_action_done")
    with op.batch_alter_table("advisory_access_needs", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_access_needs_member")

    op.drop_table("advisory_access_needs")
    with op.batch_alter_table("gripp2_settings", schema=None) as batch_op:
        batch_op.drop_index("ix_gripp2_settings_review")

    op.drop_table("gripp2_settings")
    with op.batch_alter_table("advisory_rates", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_rates_review")

    op.drop_table("advisory_rates")
    with op.batch_alter_table("advisory_members", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_members_review")

    op.drop_table("advisory_members")
    with op.batch_alter_table("advisory_meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_meetings_review")

    op.drop_table("advisory_meetings")
    with op.batch_alter_table("advisory_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_actions_review")

    op.drop_table("advisory_actions")
