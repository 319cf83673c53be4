"""Translating the studies into one another (Noblit & Hare's phase 5).

Reciprocal translation merges similar concepts of several studies into one
third-order concept and keeps each study's own term (the mapping back);
refutational translation records a contradiction with its explanation
(different contexts, competing theories) rather than averaging it away; a
line of argument puts parts that each describe an aspect into a new whole
(METHODS.md §5; the paper's Methods, "Data translation and synthesis": the
studies were translated in order of publication date, with the advisory
group at a roundtable). Alternative interpretations the team considered are
logged, not lost (eMERGe 14-15, France et al. 2019).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import (
    AlternativeInterpretation,
    Concept,
    ConceptSource,
    ConstructOrder,
    Explanation,
    Relation,
    Translation,
    check_translation,
    source_key,
    translated_from,
)
from cosynth.errors import InputError, NotFoundError
from cosynth.services import concepts as concept_service
from cosynth.services.workspace import Tx
from cosynth.store import translation as store

MAX_NAME = 500


def translate_reciprocally(
    tx: Tx, review_id: int, concept_ids: Sequence[int], *, into: str | int, account: str = ""
) -> Translation:
    """Merge similar concepts of at least two studies (or sources) into one third-order concept.

    `into` is an existing third-order concept's id, or the name of a new one
    (or of an existing one, which is then used). Each study keeps its own term:
    the concepts translated stay as they are, linked to the one made.
    """
    return _translate(tx, review_id, Relation.RECIPROCAL, concept_ids, into=into, account=account)


def translate_refutationally(
    tx: Tx,
    review_id: int,
    concept_ids: Sequence[int],
    *,
    explanation: Explanation,
    account: str,
) -> Translation:
    """Record that concepts of different studies contradict one another, and why."""
    return _translate(
        tx,
        review_id,
        Relation.REFUTATIONAL,
        concept_ids,
        into=None,
        explanation=explanation,
        account=account,
    )


def argue_line(
    tx: Tx, review_id: int, concept_ids: Sequence[int], *, into: str | int, account: str = ""
) -> Translation:
    """Put concepts that each describe an aspect (study concepts, or earlier third-order
    ones) into a new whole: a line of argument."""
    return _translate(
        tx, review_id, Relation.LINE_OF_ARGUMENT, concept_ids, into=into, account=account
    )


def translations(tx: Tx, review_id: int) -> list[Translation]:
    """The review's translations, in the order they were made."""
    tx.require(review_id, Permission.VIEW)
    return store.translations_of(tx.session, review_id)


def log_alternative(
    tx: Tx,
    review_id: int,
    text: str,
    *,
    translation_id: int | None = None,
    theme_id: int | None = None,
) -> AlternativeInterpretation:
    """Keep a reading the team considered, of a translation or a theme (or of neither)."""
    tx.require(review_id, Permission.SYNTHESISE)
    words = text.strip()
    if not words:
        raise InputError("Write the alternative interpretation: it is empty.")
    if translation_id is not None and not store.has_translation(
        tx.session, review_id, translation_id
    ):
        raise NotFoundError(f"Review {review_id} has no translation {translation_id}.")
    themes = {theme.id for theme in store.themes_of(tx.session, review_id)}
    if theme_id is not None and theme_id not in themes:
        raise NotFoundError(f"Review {review_id} has no theme {theme_id}.")
    added = store.insert_alternative(
        tx.session,
        review_id=review_id,
        text=words,
        translation_id=translation_id,
        theme_id=theme_id,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "alternative interpretation logged",
        review_id,
        alternative=added.id,
        translation=translation_id,
        theme=theme_id,
    )
    return added


def alternatives(tx: Tx, review_id: int) -> list[AlternativeInterpretation]:
    """The alternative interpretations logged, oldest first."""
    tx.require(review_id, Permission.VIEW)
    return store.alternatives_of(tx.session, review_id)


def _translate(
    tx: Tx,
    review_id: int,
    relation: Relation,
    concept_ids: Sequence[int],
    *,
    into: str | int | None,
    explanation: Explanation | None = None,
    account: str = "",
) -> Translation:
    tx.require(review_id, Permission.SYNTHESISE)
    known = {concept.id: concept for concept in concept_service.concepts(tx, review_id)}
    wanted = list(dict.fromkeys(concept_ids))  # the same concept twice counts once
    missing = [concept_id for concept_id in wanted if concept_id not in known]
    if missing:
        raise NotFoundError(
            f"Review {review_id} has no concept {', '.join(str(m) for m in missing)}."
        )
    made = store.translations_of(tx.session, review_id)
    target, new_name = _target(known, into, tx.now)
    sources = {
        concept_id: _sources(known[concept_id], known, made)
        for concept_id in wanted
        if known[concept_id].order is ConstructOrder.THIRD
    }
    # Checked against a stand-in before the new concept is written: nothing half-made.
    check_translation(
        relation,
        [known[concept_id] for concept_id in wanted],
        sources=sources,
        into=target,
        explanation=explanation,
        account=account,
    )
    for earlier in made:
        # The same translation posted twice (a double click, a page sent again) is kept once.
        if new_name is None and (
            earlier.relation,
            set(earlier.from_concept_ids),
            earlier.into_concept_id,
            earlier.explanation,
            earlier.account,
        ) == (
            relation,
            set(wanted),
            target.id if target is not None else None,
            explanation,
            account.strip(),
        ):
            return earlier
    if new_name is not None:
        target = concept_service.add_concept(
            tx,
            review_id,
            new_name,
            order=ConstructOrder.THIRD,
            source=ConceptSource.REVIEW,
        )
    translation = store.insert_translation(
        tx.session,
        review_id=review_id,
        relation=relation,
        from_concept_ids=wanted,
        into_concept_id=target.id if target is not None else None,
        explanation=explanation,
        account=account.strip(),
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "translation made",
        review_id,
        translation=translation.id,
        relation=relation.value,
        concepts=wanted,
        into=translation.into_concept_id,
        explanation=explanation.value if explanation is not None else None,
    )
    return translation


def _target(
    known: dict[int, Concept], into: str | int | None, now: datetime
) -> tuple[Concept | None, str | None]:
    """The concept to translate into, and the name of a new one to make (or None)."""
    if into is None:
        return None, None
    if isinstance(into, int):
        if into not in known:
            raise NotFoundError(f"There is no concept {into} to translate into.")
        return known[into], None
    name = " ".join(into.split())
    if not name:
        raise InputError("Name the third-order concept the concepts are translated into.")
    if len(name) > MAX_NAME:
        raise InputError(f"The name {name[:60]!r}... is longer than {MAX_NAME} characters.")
    for concept in known.values():
        if concept.source is ConceptSource.REVIEW and concept.name.casefold() == name.casefold():
            return concept, None
    stand_in = Concept(
        id=0,
        name=name,
        order=ConstructOrder.THIRD,
        source=ConceptSource.REVIEW,
        description="",
        record_id=None,
        roundtable_id=None,
        added_by="",
        added_at=now,
    )
    return stand_in, name


def _sources(
    concept: Concept, known: dict[int, Concept], made: Sequence[Translation]
) -> frozenset[tuple[str, int]]:
    """The studies and roundtables a third-order concept was made from (itself if none)."""
    found = frozenset(
        source_key(known[i])
        for i in translated_from(concept.id, made)
        if i in known and known[i].order is not ConstructOrder.THIRD
    )
    return found or frozenset({source_key(concept)})
