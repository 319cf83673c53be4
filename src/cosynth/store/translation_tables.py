"""The synthesis's later `*Row` tables: translations, themes, interpretations, resonance.

Kept apart from `synthesis_tables.py` (phases, concepts, codings) so that
each has one owner; `schema.py` gathers every table module for the migrations.
Every table is append-only (DESIGN.md rule 1): a theme renamed or moved is a
new revision, a concept unlinked from a theme is an unlink event, a change of
mind about a finding's resonance is a newer resonance.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cosynth.store.tables import Base, UtcDateTime


class TranslationRow(Base):
    """Concepts of several studies related to one another (Noblit & Hare's phase 5)."""

    __tablename__ = "translations"
    __table_args__ = (Index("ix_translations_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(30))
    # Refutational only: why the concepts contradict each other.
    explanation: Mapped[str | None] = mapped_column(String(30))
    account: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class TranslationConceptRow(Base):
    """A concept of a translation: one it is made `from` (each study's own term), or the
    third-order concept it is made `into`."""

    __tablename__ = "translation_concepts"
    __table_args__ = (Index("ix_translation_concepts_translation", "translation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"))
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))  # "from" or "into"
    position: Mapped[int] = mapped_column(Integer)


class AlternativeInterpretationRow(Base):
    """A reading the team considered and logged, of a translation or a theme (or neither)."""

    __tablename__ = "alternative_interpretations"
    __table_args__ = (Index("ix_alternative_interpretations_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    translation_id: Mapped[int | None] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE")
    )
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class ThemeRow(Base):
    """A node of the theme hierarchy; its level never changes. Its name, description,
    parent and position live in `theme_revisions` (the latest holds)."""

    __tablename__ = "themes"
    __table_args__ = (Index("ix_themes_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class ThemeRevisionRow(Base):
    """A theme's name, description, parent and position as of `at`; the first is written
    with the theme."""

    __tablename__ = "theme_revisions"
    __table_args__ = (Index("ix_theme_revisions_theme", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class ThemeConceptRow(Base):
    """A concept linked to a theme (`linked` true) or unlinked from it; the latest holds."""

    __tablename__ = "theme_concepts"
    __table_args__ = (Index("ix_theme_concepts_theme", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    linked: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class InterpretationRow(Base):
    """A line-of-argument statement: a new interpretation the synthesis expresses."""

    __tablename__ = "interpretations"
    __table_args__ = (Index("ix_interpretations_review", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    statement: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class InterpretationThemeRow(Base):
    """A theme an interpretation is made from."""

    __tablename__ = "interpretation_themes"
    __table_args__ = (Index("ix_interpretation_themes_interpretation", "interpretation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interpretation_id: Mapped[int] = mapped_column(
        ForeignKey("interpretations.id", ondelete="CASCADE")
    )
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)


class InterpretationConceptRow(Base):
    """A concept an interpretation is made from (e.g. the advisory group's translations)."""

    __tablename__ = "interpretation_concepts"
    __table_args__ = (Index("ix_interpretation_concepts_interpretation", "interpretation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interpretation_id: Mapped[int] = mapped_column(
        ForeignKey("interpretations.id", ondelete="CASCADE")
    )
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)


class ResonanceRow(Base):
    """How one finding resonates with one voice's experience, in their words; the latest
    per finding and voice holds."""

    __tablename__ = "resonances"
    __table_args__ = (Index("ix_resonances_review_finding", "review_id", "finding", "finding_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    # A theme's or an interpretation's id, by `finding`: not one foreign key.
    finding: Mapped[str] = mapped_column(String(20))
    finding_id: Mapped[int] = mapped_column(Integer)
    resonance: Mapped[str] = mapped_column(String(20))
    words: Mapped[str] = mapped_column(Text, default="")
    voice: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
