"""how each source's records were found (the PRISMA 2020 flow's columns)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 15:35:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Every source imported before this was a database export: the default says so.
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("method", sa.String(length=30), server_default="database", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("method")
