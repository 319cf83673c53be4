"""search: the question framework, concept blocks, terms and the search log

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 15:00:00.000000
"""

from __future__ import annotations

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
