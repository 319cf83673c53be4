"""The reporting checklists' `*Row` table: where the manuscript reports each item.

Append-only (DESIGN.md rule 1): a new note on an item supersedes the old,
which stays; an empty note clears it. The checklists themselves are data
files (`cosynth.checklists`), and what fills them is computed from the review.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cosynth.store.tables import Base, UtcDateTime


class ChecklistReportedRow(Base):
    """The lead's note of where in the manuscript a checklist item is reported."""

    __tablename__ = "checklist_reported"
    __table_args__ = (Index("ix_checklist_reported_review", "review_id", "checklist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    checklist_id: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
