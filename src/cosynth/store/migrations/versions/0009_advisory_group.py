"""the advisory group: members, meetings, action log, roundtables, transcripts, payments

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 14:50:00.000000
"""

from __future__ import annotations

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
