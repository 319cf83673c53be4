"""The meta-ethnography's `*Row` tables: phases, concepts, codings, relating, translation order.

Kept apart from `tables.py` so that the synthesis owns its schema; `schema.py`
gathers every table module for the migrations. Every table is append-only
(DESIGN.md rule 1): a concept renamed is a new revision, a coding taken back
is a withdrawal, a new judgement or order supersedes the last.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cosynth.store.tables import Base, UtcDateTime


class PhaseEventRow(Base):
    """One entry of a review's log of Noblit & Hare's seven phases."""

    __tablename__ = "phase_events"
    __table_args__ = (Index("ix_phase_events_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    phase: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class ConceptRow(Base):
    """A construct: a study's, a roundtable's, or the review team's own.

    Its name and description live in `concept_revisions` (the latest holds),
    so a renamed concept keeps what it was first called.
    """

    __tablename__ = "concepts"
    __table_args__ = (Index("ix_concepts_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    # The advisory group's roundtable (store/advisory_tables.py) whose
    # discussion the concept was read from.
    roundtable_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE")
    )
    order: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class ConceptRevisionRow(Base):
    """A concept's name and description as of `at`; the first is written with the concept."""

    __tablename__ = "concept_revisions"
    __table_args__ = (Index("ix_concept_revisions_concept", "concept_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class CodingRow(Base):
    """A passage (of a quote, a full text's page, a transcript) coded to a concept."""

    __tablename__ = "codings"
    __table_args__ = (
        Index("ix_codings_review_concept", "review_id", "concept_id"),
        Index("ix_codings_review_record", "review_id", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    # The quote's, report's or transcript's id, by `kind`: not one foreign key.
    source_id: Mapped[int] = mapped_column(Integer)
    page_number: Mapped[int | None] = mapped_column(Integer)
    page_label: Mapped[str] = mapped_column(String(50), default="")
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # Kept so the coding still reads if its source is replaced.
    excerpt: Mapped[str] = mapped_column(Text)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class CodingWithdrawalRow(Base):
    """A coding taken back, with why; the coding's row stays."""

    __tablename__ = "coding_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    coding_id: Mapped[int] = mapped_column(
        ForeignKey("codings.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class RelatingJudgementRow(Base):
    """The team's judgement (phase 4) of how studies relate; `record_ids` [] means all."""

    __tablename__ = "relating_judgements"
    __table_args__ = (Index("ix_relating_judgements_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(30))
    rationale: Mapped[str] = mapped_column(Text)
    record_ids: Mapped[list[Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class TranslationOrderRow(Base):
    """The order of translation as set: the latest holds (eMERGe 13 reports it)."""

    __tablename__ = "translation_orders"
    __table_args__ = (Index("ix_translation_orders_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    basis: Mapped[str] = mapped_column(String(30))
    index_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL")
    )
    # The studies in the order the basis gave when it was set, index paper first.
    record_ids: Mapped[list[Any]] = mapped_column(JSON)
    rationale: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
