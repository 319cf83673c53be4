"""meta-ethnography: translations, alternative interpretations, themes, interpretations, resonance

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 14:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "interpretations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_interpretations_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interpretations")),
    )
    with op.batch_alter_table("interpretations", schema=None) as batch_op:
        batch_op.create_index("ix_interpretations_review", ["review_id"], unique=False)

    op.create_table(
        "resonances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("finding", sa.String(length=20), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("resonance", sa.String(length=20), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("voice", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_resonances_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resonances")),
    )
    with op.batch_alter_table("resonances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resonances_review_finding", ["review_id", "finding", "finding_id"], unique=False
        )

    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_themes_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
    )
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.create_index("ix_themes_review", ["review_id"], unique=False)

    op.create_table(
        "translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=30), nullable=False),
        sa.Column("explanation", sa.String(length=30), nullable=True),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_translations_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translations")),
    )
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.create_index("ix_translations_review", ["review_id"], unique=False)

    op.create_table(
        "alternative_interpretations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_alternative_interpretations_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_alternative_interpretations_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translations.id"],
            name=op.f("fk_alternative_interpretations_translation_id_translations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alternative_interpretations")),
    )
    with op.batch_alter_table("alternative_interpretations", schema=None) as batch_op:
        batch_op.create_index("ix_alternative_interpretations_review", ["review_id"], unique=False)

    op.create_table(
        "interpretation_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interpretation_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interpretation_id"],
            ["interpretations.id"],
            name=op.f("fk_interpretation_themes_interpretation_id_interpretations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_interpretation_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interpretation_themes")),
    )
    with op.batch_alter_table("interpretation_themes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interpretation_themes_interpretation", ["interpretation_id"], unique=False
        )

    op.create_table(
        "theme_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["themes.id"],
            name=op.f("fk_theme_revisions_parent_id_themes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_theme_revisions_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_revisions")),
    )
    with op.batch_alter_table("theme_revisions", schema=None) as batch_op:
        batch_op.create_index("ix_theme_revisions_theme", ["theme_id"], unique=False)

    op.create_table(
        "interpretation_concepts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interpretation_id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["concepts.id"],
            name=op.f("fk_interpretation_concepts_concept_id_concepts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interpretation_id"],
            ["interpretations.id"],
            name=op.f("fk_interpretation_concepts_interpretation_id_interpretations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interpretation_concepts")),
    )
    with op.batch_alter_table("interpretation_concepts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interpretation_concepts_interpretation", ["interpretation_id"], unique=False
        )

    op.create_table(
        "theme_concepts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["concepts.id"],
            name=op.f("fk_theme_concepts_concept_id_concepts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_theme_concepts_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_concepts")),
    )
    with op.batch_alter_table("theme_concepts", schema=None) as batch_op:
        batch_op.create_index("ix_theme_concepts_theme", ["theme_id"], unique=False)

    op.create_table(
        "translation_concepts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["concepts.id"],
            name=op.f("fk_translation_concepts_concept_id_concepts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translations.id"],
            name=op.f("fk_translation_concepts_translation_id_translations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation_concepts")),
    )
    with op.batch_alter_table("translation_concepts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_translation_concepts_translation", ["translation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("translation_concepts", schema=None) as batch_op:
        batch_op.drop_index("ix_translation_concepts_translation")

    op.drop_table("translation_concepts")
    with op.batch_alter_table("theme_concepts", schema=None) as batch_op:
        batch_op.drop_index("ix_theme_concepts_theme")

    op.drop_table("theme_concepts")
    with op.batch_alter_table("interpretation_concepts", schema=None) as batch_op:
        batch_op.drop_index("ix_interpretation_concepts_interpretation")

    op.drop_table("interpretation_concepts")
    with op.batch_alter_table("theme_revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_theme_revisions_theme")

    op.drop_table("theme_revisions")
    with op.batch_alter_table("interpretation_themes", schema=None) as batch_op:
        batch_op.drop_index("ix_interpretation_themes_interpretation")

    op.drop_table("interpretation_themes")
    with op.batch_alter_table("alternative_interpretations", schema=None) as batch_op:
        batch_op.drop_index("ix_alternative_interpretations_review")

    op.drop_table("alternative_interpretations")
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.drop_index("ix_translations_review")

    op.drop_table("translations")
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_index("ix_themes_review")

    op.drop_table("themes")
    with op.batch_alter_table("resonances", schema=None) as batch_op:
        batch_op.drop_index("ix_resonances_review_finding")

    op.drop_table("resonances")
    with op.batch_alter_table("interpretations", schema=None) as batch_op:
        batch_op.drop_index("ix_interpretations_review")

    op.drop_table("interpretations")
