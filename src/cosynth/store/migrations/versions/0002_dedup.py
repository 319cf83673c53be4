"""duplicate groups, pair decisions and dedup runs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 07:35:33.206245
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "dedup_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_dedup_runs_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dedup_runs")),
    )
    op.create_table(
        "duplicate_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_duplicate_groups_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["dedup_runs.id"],
            name=op.f("fk_duplicate_groups_run_id_dedup_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_groups")),
    )
    with op.batch_alter_table("duplicate_groups", schema=None) as batch_op:
        batch_op.create_index("ix_duplicate_groups_review_id", ["review_id", "id"], unique=False)

    op.create_table(
        "dedup_review_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("record_a", sa.Integer(), nullable=False),
        sa.Column("record_b", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_a"],
            ["records.id"],
            name=op.f("fk_dedup_review_pairs_record_a_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_b"],
            ["records.id"],
            name=op.f("fk_dedup_review_pairs_record_b_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["dedup_runs.id"],
            name=op.f("fk_dedup_review_pairs_run_id_dedup_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dedup_review_pairs")),
    )
    with op.batch_alter_table("dedup_review_pairs", schema=None) as batch_op:
        batch_op.create_index("ix_dedup_review_pairs_run_id", ["run_id"], unique=False)

    op.create_table(
        "duplicate_group_dissolutions",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["duplicate_groups.id"],
            name=op.f("fk_duplicate_group_dissolutions_group_id_duplicate_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_duplicate_group_dissolutions")),
    )
    op.create_table(
        "duplicate_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["duplicate_groups.id"],
            name=op.f("fk_duplicate_group_members_group_id_duplicate_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_duplicate_group_members_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "record_id", name=op.f("pk_duplicate_group_members")),
    )
    with op.batch_alter_table("duplicate_group_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_duplicate_group_members_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "pair_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("record_a", sa.Integer(), nullable=False),
        sa.Column("record_b", sa.Integer(), nullable=False),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_a"],
            ["records.id"],
            name=op.f("fk_pair_decisions_record_a_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_b"],
            ["records.id"],
            name=op.f("fk_pair_decisions_record_b_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_pair_decisions_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_decisions")),
    )
    with op.batch_alter_table("pair_decisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pair_decisions_pair", ["review_id", "record_a", "record_b"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pair_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_pair_decisions_pair")

    op.drop_table("pair_decisions")
    with op.batch_alter_table("duplicate_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_group_members_record_id"))

    op.drop_table("duplicate_group_members")
    op.drop_table("duplicate_group_dissolutions")
    with op.batch_alter_table("dedup_review_pairs", schema=None) as batch_op:
        batch_op.drop_index("ix_dedup_review_pairs_run_id")

    op.drop_table("dedup_review_pairs")
    with op.batch_alter_table("duplicate_groups", schema=None) as batch_op:
        batch_op.drop_index("ix_duplicate_groups_review_id")

    op.drop_table("duplicate_groups")
    op.drop_table("dedup_runs")
