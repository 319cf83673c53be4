"""The question's and the search's `*Row` tables: question versions, concept blocks,
terms, date limits and the search log.

Append-only (DESIGN.md rule 1): a new question is a new version; a block's new
label or position, or its removal, is a new detail row (the latest holds); a
term is added or removed, never edited (a changed term is a removal and an
addition); new date limits supersede the old; a logged search's link to the
import of its records is a row of its own, added when the records are imported.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cosynth.store.tables import Base, UtcDateTime


class SearchQuestionRow(Base):
    """One version of the review's question, built with a framework."""

    __tablename__ = "search_questions"
    __table_args__ = (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    framework_id: Mapped[str] = mapped_column(String(100))
    framework_name: Mapped[str] = mapped_column(String(200))
    # The framework file as read, so that a review's own framework travels with it.
    framework_text: Mapped[str] = mapped_column(Text)
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class SearchBlockRow(Base):
    """A concept block; what it is called and where it stands are in its detail rows."""

    __tablename__ = "search_blocks"
    __table_args__ = (Index("ix_search_blocks_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class SearchBlockDetailRow(Base):
    """A block's label, framework element, exclusion and position; the latest holds."""

    __tablename__ = "search_block_details"
    __table_args__ = (Index("ix_search_block_details_block", "block_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("search_blocks.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    element_key: Mapped[str] = mapped_column(String(100), default="")
    exclude: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class SearchTermRow(Base):
    """A term of a block, with who suggested it (an account or an advisory-group member)."""

    __tablename__ = "search_terms"
    __table_args__ = (Index("ix_search_terms_block", "block_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("search_blocks.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    proximity: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[list[str]] = mapped_column(JSON)
    vocabulary: Mapped[str] = mapped_column(String(60), default="")
    explode: Mapped[bool] = mapped_column(Boolean, default=True)
    suggested_username: Mapped[str] = mapped_column(String(200), default="")
    suggested_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_members.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class SearchTermRemovalRow(Base):
    """A term taken out of its block, and why."""

    __tablename__ = "search_term_removals"
    __table_args__ = (Index("ix_search_term_removals_term", "term_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("search_terms.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class SearchLimitsRow(Base):
    """The publication dates searched; the latest row holds."""

    __tablename__ = "search_limits"
    __table_args__ = (Index("ix_search_limits_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class SearchLogRow(Base):
    """One search as run in one database: an entry of the search log (PRISMA-S)."""

    __tablename__ = "search_log"
    __table_args__ = (Index("ix_search_log_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    database: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(200), default="")
    run_on: Mapped[date] = mapped_column(Date)
    string: Mapped[str] = mapped_column(Text)
    limits: Mapped[str] = mapped_column(Text, default="")
    hits: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class SearchLogSourceRow(Base):
    """A logged search linked to the import (Source) of the records it found."""

    __tablename__ = "search_log_sources"
    __table_args__ = (UniqueConstraint("entry_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("search_log.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
