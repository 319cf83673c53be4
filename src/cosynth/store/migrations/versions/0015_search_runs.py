"""search: connector runs, resumable downloads and living updates

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 15:00:00.000000
"""

from __future__ import annotations

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
