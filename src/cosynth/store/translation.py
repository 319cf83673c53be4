"""Queries on translations, alternative interpretations, themes, interpretations, resonance.

Everything is inserted, never updated (DESIGN.md rule 1); the current state
of a theme (its latest revision, its linked concepts) is read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cosynth.domain.synthesis import (
    AlternativeInterpretation,
    Explanation,
    FindingKind,
    Interpretation,
    Relation,
    Resonance,
    ResonanceRecord,
    Theme,
    ThemeLevel,
    Translation,
)
from cosynth.store.translation_tables import (
    AlternativeInterpretationRow,
    InterpretationConceptRow,
    InterpretationRow,
    InterpretationThemeRow,
    ResonanceRow,
    ThemeConceptRow,
    ThemeRevisionRow,
    ThemeRow,
    TranslationConceptRow,
    TranslationRow,
)

FROM = "from"
INTO = "into"


# --- Translations ---


def insert_translation(
    session: Session,
    *,
    review_id: int,
    relation: Relation,
    from_concept_ids: Sequence[int],
    into_concept_id: int | None,
    explanation: Explanation | None,
    account: str,
    at: datetime,
    actor: str,
) -> Translation:
    row = TranslationRow(
        review_id=review_id,
        relation=relation.value,
        explanation=explanation.value if explanation is not None else None,
        account=account,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    links = [
        TranslationConceptRow(translation_id=row.id, concept_id=concept_id, role=FROM, position=n)
        for n, concept_id in enumerate(from_concept_ids, start=1)
    ]
    if into_concept_id is not None:
        links.append(
            TranslationConceptRow(
                translation_id=row.id, concept_id=into_concept_id, role=INTO, position=1
            )
        )
    session.add_all(links)
    session.flush()
    return _translation_of(row, links)


def translations_of(session: Session, review_id: int) -> list[Translation]:
    """A review's translations in the order they were made."""
    rows = list(
        session.scalars(
            select(TranslationRow)
            .where(TranslationRow.review_id == review_id)
            .order_by(TranslationRow.id)
        )
    )
    links: dict[int, list[TranslationConceptRow]] = {}
    query = (
        select(TranslationConceptRow)
        .join(TranslationRow, TranslationRow.id == TranslationConceptRow.translation_id)
        .where(TranslationRow.review_id == review_id)
        .order_by(TranslationConceptRow.translation_id, TranslationConceptRow.position)
    )
    for link in session.scalars(query):
        links.setdefault(link.translation_id, []).append(link)
    return [_translation_of(row, links.get(row.id, [])) for row in rows]


def has_translation(session: Session, review_id: int, translation_id: int) -> bool:
    found = session.scalar(
        select(TranslationRow.id).where(
            TranslationRow.review_id == review_id, TranslationRow.id == translation_id
        )
    )
    return found is not None


def _translation_of(row: TranslationRow, links: Sequence[TranslationConceptRow]) -> Translation:
    froms = sorted((link for link in links if link.role == FROM), key=lambda link: link.position)
    into = [link.concept_id for link in links if link.role == INTO]
    return Translation(
        id=row.id,
        relation=Relation(row.relation),
        from_concept_ids=tuple(link.concept_id for link in froms),
        into_concept_id=into[0] if into else None,
        explanation=Explanation(row.explanation) if row.explanation is not None else None,
        account=row.account,
        translated_by=row.actor,
        translated_at=row.at,
    )


# --- Alternative interpretations ---


def insert_alternative(
    session: Session,
    *,
    review_id: int,
    text: str,
    translation_id: int | None,
    theme_id: int | None,
    at: datetime,
    actor: str,
) -> AlternativeInterpretation:
    row = AlternativeInterpretationRow(
        review_id=review_id,
        translation_id=translation_id,
        theme_id=theme_id,
        text=text,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _alternative_of(row)


def alternatives_of(session: Session, review_id: int) -> list[AlternativeInterpretation]:
    query = (
        select(AlternativeInterpretationRow)
        .where(AlternativeInterpretationRow.review_id == review_id)
        .order_by(AlternativeInterpretationRow.id)
    )
    return [_alternative_of(row) for row in session.scalars(query)]


def _alternative_of(row: AlternativeInterpretationRow) -> AlternativeInterpretation:
    return AlternativeInterpretation(
        id=row.id,
        translation_id=row.translation_id,
        theme_id=row.theme_id,
        text=row.text,
        by=row.actor,
        at=row.at,
    )


# --- Themes ---


def insert_theme(
    session: Session,
    *,
    review_id: int,
    level: ThemeLevel,
    name: str,
    description: str,
    parent_id: int | None,
    position: int,
    at: datetime,
    actor: str,
) -> int:
    """A new theme with its first revision; its id."""
    row = ThemeRow(review_id=review_id, level=level.value, at=at, actor=actor)
    session.add(row)
    session.flush()
    session.add(
        ThemeRevisionRow(
            theme_id=row.id,
            name=name,
            description=description,
            parent_id=parent_id,
            position=position,
            at=at,
            actor=actor,
        )
    )
    session.flush()
    return row.id


def insert_theme_revision(
    session: Session,
    theme: Theme,
    *,
    at: datetime,
    actor: str,
) -> None:
    """Record `theme`'s name, description, parent and position as its current state."""
    session.add(
        ThemeRevisionRow(
            theme_id=theme.id,
            name=theme.name,
            description=theme.description,
            parent_id=theme.parent_id,
            position=theme.position,
            at=at,
            actor=actor,
        )
    )
    session.flush()


def insert_theme_concepts(
    session: Session,
    theme_id: int,
    concept_ids: Sequence[int],
    *,
    linked: bool,
    at: datetime,
    actor: str,
) -> None:
    session.add_all(
        ThemeConceptRow(theme_id=theme_id, concept_id=c, linked=linked, at=at, actor=actor)
        for c in concept_ids
    )
    session.flush()


def themes_of(session: Session, review_id: int) -> list[Theme]:
    """A review's themes as they stand (latest revisions, linked concepts), in id order."""
    themes = list(
        session.scalars(
            select(ThemeRow).where(ThemeRow.review_id == review_id).order_by(ThemeRow.id)
        )
    )
    latest: dict[int, ThemeRevisionRow] = {}
    revisions = (
        select(ThemeRevisionRow)
        .join(ThemeRow, ThemeRow.id == ThemeRevisionRow.theme_id)
        .where(ThemeRow.review_id == review_id)
        .order_by(ThemeRevisionRow.id)
    )
    for revision in session.scalars(revisions):
        latest[revision.theme_id] = revision
    # The latest event per (theme, concept) holds; a linked concept sits where it
    # was (last) linked, so an unlinked and re-linked concept goes to the end.
    state: dict[int, dict[int, tuple[bool, int]]] = {}
    events = (
        select(ThemeConceptRow)
        .join(ThemeRow, ThemeRow.id == ThemeConceptRow.theme_id)
        .where(ThemeRow.review_id == review_id)
        .order_by(ThemeConceptRow.id)
    )
    for event in session.scalars(events):
        state.setdefault(event.theme_id, {})[event.concept_id] = (event.linked, event.id)
    found = []
    for row in themes:
        revision = latest[row.id]
        linked = sorted(
            (event_id, concept_id)
            for concept_id, (is_linked, event_id) in state.get(row.id, {}).items()
            if is_linked
        )
        found.append(
            Theme(
                id=row.id,
                name=revision.name,
                level=ThemeLevel(row.level),
                parent_id=revision.parent_id,
                position=revision.position,
                description=revision.description,
                concept_ids=tuple(concept_id for _, concept_id in linked),
            )
        )
    return found


# --- Interpretations ---


def insert_interpretation(
    session: Session,
    *,
    review_id: int,
    title: str,
    statement: str,
    position: int,
    theme_ids: Sequence[int],
    concept_ids: Sequence[int],
    at: datetime,
    actor: str,
) -> Interpretation:
    row = InterpretationRow(
        review_id=review_id,
        title=title,
        statement=statement,
        position=position,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    session.add_all(
        InterpretationThemeRow(interpretation_id=row.id, theme_id=theme_id, position=n)
        for n, theme_id in enumerate(theme_ids, start=1)
    )
    session.add_all(
        InterpretationConceptRow(interpretation_id=row.id, concept_id=concept_id, position=n)
        for n, concept_id in enumerate(concept_ids, start=1)
    )
    session.flush()
    return _interpretation_of(row, tuple(theme_ids), tuple(concept_ids))


def interpretations_of(session: Session, review_id: int) -> list[Interpretation]:
    """A review's interpretations in position order."""
    rows = list(
        session.scalars(
            select(InterpretationRow)
            .where(InterpretationRow.review_id == review_id)
            .order_by(InterpretationRow.position, InterpretationRow.id)
        )
    )
    themes: dict[int, list[int]] = {}
    theme_links = (
        select(InterpretationThemeRow)
        .join(InterpretationRow, InterpretationRow.id == InterpretationThemeRow.interpretation_id)
        .where(InterpretationRow.review_id == review_id)
        .order_by(InterpretationThemeRow.interpretation_id, InterpretationThemeRow.position)
    )
    for theme_link in session.scalars(theme_links):
        themes.setdefault(theme_link.interpretation_id, []).append(theme_link.theme_id)
    concepts: dict[int, list[int]] = {}
    concept_links = (
        select(InterpretationConceptRow)
        .join(InterpretationRow, InterpretationRow.id == InterpretationConceptRow.interpretation_id)
        .where(InterpretationRow.review_id == review_id)
        .order_by(InterpretationConceptRow.interpretation_id, InterpretationConceptRow.position)
    )
    for concept_link in session.scalars(concept_links):
        concepts.setdefault(concept_link.interpretation_id, []).append(concept_link.concept_id)
    return [
        _interpretation_of(row, tuple(themes.get(row.id, ())), tuple(concepts.get(row.id, ())))
        for row in rows
    ]


def _interpretation_of(
    row: InterpretationRow, theme_ids: tuple[int, ...], concept_ids: tuple[int, ...]
) -> Interpretation:
    return Interpretation(
        id=row.id,
        title=row.title,
        statement=row.statement,
        position=row.position,
        theme_ids=theme_ids,
        concept_ids=concept_ids,
    )


# --- Resonance ---


def insert_resonance(
    session: Session,
    *,
    review_id: int,
    finding: FindingKind,
    finding_id: int,
    resonance: Resonance,
    words: str,
    voice: str,
    at: datetime,
    actor: str,
) -> ResonanceRecord:
    row = ResonanceRow(
        review_id=review_id,
        finding=finding.value,
        finding_id=finding_id,
        resonance=resonance.value,
        words=words,
        voice=voice,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _resonance_of(row)


def resonances_of(
    session: Session,
    review_id: int,
    *,
    finding: FindingKind | None = None,
    finding_id: int | None = None,
) -> list[ResonanceRecord]:
    """Every resonance recorded, oldest first (changes of mind included)."""
    query = select(ResonanceRow).where(ResonanceRow.review_id == review_id)
    if finding is not None:
        query = query.where(ResonanceRow.finding == finding.value)
    if finding_id is not None:
        query = query.where(ResonanceRow.finding_id == finding_id)
    return [_resonance_of(row) for row in session.scalars(query.order_by(ResonanceRow.id))]


def _resonance_of(row: ResonanceRow) -> ResonanceRecord:
    return ResonanceRecord(
        id=row.id,
        finding=FindingKind(row.finding),
        finding_id=row.finding_id,
        resonance=Resonance(row.resonance),
        words=row.words,
        voice=row.voice,
        recorded_by=row.actor,
        recorded_at=row.at,
    )
