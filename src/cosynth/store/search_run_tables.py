"""Tables of searches run against the APIs: the runs, their pages as fetched, and review versions.

A run's pages are inserted one by one as they arrive, each with the cursor it
was asked for and the cursor of the page after it, so an interrupted download
resumes from the last page kept (DESIGN.md rule 4: nothing is lost). A run is
finished once, when its records are imported.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cosynth.store.tables import Base, UtcDateTime


class SearchRunRow(Base):
    """One saved query run against one API (domain.search_runs.SearchRun)."""

    __tablename__ = "search_runs"
    __table_args__ = (Index("ix_search_runs_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    api: Mapped[str] = mapped_column(String(20))
    query: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(30))
    first_cursor: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_by: Mapped[str] = mapped_column(String(200))
    # The run a living update repeats.
    updates_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("search_runs.id", ondelete="SET NULL")
    )
    # Filled in once, when the records are imported.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    imported: Mapped[int | None] = mapped_column(Integer)
    already_known: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SearchPageRow(Base):
    """One page of a run as the API sent it, kept the moment it arrived."""

    __tablename__ = "search_run_pages"
    __table_args__ = (UniqueConstraint("run_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("search_runs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    cursor: Mapped[str] = mapped_column(Text)
    # "" after the last page.
    next_cursor: Mapped[str] = mapped_column(Text)
    records: Mapped[int] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReviewVersionRow(Base):
    """The previous version of a review, recorded when a living update starts a new one."""

    __tablename__ = "review_versions"
    __table_args__ = (Index("ix_review_versions_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(ForeignKey("search_runs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    # The studies included (their record ids) and their reports at that moment,
    # and the sources imported before it: the previous version's searches.
    study_record_ids: Mapped[list[Any]] = mapped_column(JSON)
    report_count: Mapped[int] = mapped_column(Integer)
    source_ids: Mapped[list[Any]] = mapped_column(JSON)
