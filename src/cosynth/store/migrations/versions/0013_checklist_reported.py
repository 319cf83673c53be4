"""reporting checklists: where the manuscript reports each item

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 15:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_reported",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.String(length=100), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_checklist_reported_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_reported")),
    )
    with op.batch_alter_table("checklist_reported", schema=None) as batch_op:
        batch_op.create_index(
            "ix_checklist_reported_review", ["review_id", "checklist_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("checklist_reported", schema=None) as batch_op:
        batch_op.drop_index("ix_checklist_reported_review")
    op.drop_table("checklist_reported")
