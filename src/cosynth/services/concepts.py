"""Concepts: the constructs read from the studies, the roundtable and the team's own.

Reading the studies (Noblit & Hare's phase 3) notes each study's "key
metaphors, phrases, ideas, concepts" in its own terms: first-order (the
participants') and second-order (the authors') constructs. The paper also
coded the advisory group's roundtable "for key concepts" (Methods, Data
translation and synthesis). Third-order concepts are the review team's
interpretations across studies. A concept renamed keeps its history: each
name is a revision, and the latest holds (DESIGN.md rule 1).
"""

from __future__ import annotations

from cosynth.domain.reading import check_concept
from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import Concept, ConceptSource, ConstructOrder
from cosynth.errors import InputError, NotFoundError
from cosynth.services.roundtables import get_roundtable
from cosynth.services.studies import get_study, included_studies
from cosynth.services.workspace import Tx
from cosynth.store import synthesis as store


def add_concept(
    tx: Tx,
    review_id: int,
    name: str,
    *,
    order: ConstructOrder,
    source: ConceptSource,
    description: str = "",
    record_id: int | None = None,
    roundtable_id: int | None = None,
) -> Concept:
    """Note a concept in its source's own terms.

    A study's concept needs an included study; a roundtable's, one of the
    review's roundtables; the review team's own are third-order. One source
    does not name two concepts alike.
    """
    tx.require(review_id, Permission.SYNTHESISE)
    tidy = check_concept(
        name, order=order, source=source, record_id=record_id, roundtable_id=roundtable_id
    )
    owner = "the review team"
    if record_id is not None:
        owner = get_study(tx, review_id, record_id).label
    if roundtable_id is not None:
        owner = _roundtable_title(tx, review_id, roundtable_id)
    _refuse_a_second(
        tx, review_id, tidy, owner, source=source, record_id=record_id, roundtable_id=roundtable_id
    )
    added = store.insert_concept(
        tx.session,
        review_id,
        name=tidy,
        description=description.strip(),
        order=order,
        source=source,
        record_id=record_id,
        roundtable_id=roundtable_id,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "concept added",
        review_id,
        concept=added.id,
        name=added.name,
        order=order.value,
        source=source.value,
        record=record_id,
        roundtable=roundtable_id,
    )
    return added


def revise_concept(
    tx: Tx,
    review_id: int,
    concept_id: int,
    *,
    name: str | None = None,
    description: str | None = None,
) -> Concept:
    """Rename a concept or change its description; the earlier wording stays in its history."""
    tx.require(review_id, Permission.SYNTHESISE)
    concept = get_concept(tx, review_id, concept_id)
    new_name = concept.name
    if name is not None:
        new_name = check_concept(
            name,
            order=concept.order,
            source=concept.source,
            record_id=concept.record_id,
            roundtable_id=concept.roundtable_id,
        )
    new_description = concept.description if description is None else description.strip()
    if (new_name, new_description) == (concept.name, concept.description):
        return concept
    if new_name.casefold() != concept.name.casefold():
        _refuse_a_second(
            tx,
            review_id,
            new_name,
            _owner(tx, review_id, concept),
            source=concept.source,
            record_id=concept.record_id,
            roundtable_id=concept.roundtable_id,
        )
    store.insert_concept_revision(
        tx.session,
        concept.id,
        name=new_name,
        description=new_description,
        at=tx.now,
        actor=tx.actor,
    )
    revised = get_concept(tx, review_id, concept_id)
    tx.log(
        "concept revised",
        review_id,
        concept=concept.id,
        name=new_name,
        was=concept.name,
        description_changed=new_description != concept.description,
    )
    return revised


def get_concept(tx: Tx, review_id: int, concept_id: int) -> Concept:
    tx.require(review_id, Permission.VIEW)
    found = store.concepts_of(tx.session, review_id, concept_ids=[concept_id])
    if not found:
        raise NotFoundError(f"Review {review_id} has no concept {concept_id}.")
    return found[0]


def concepts(
    tx: Tx,
    review_id: int,
    *,
    record_id: int | None = None,
    source: ConceptSource | None = None,
) -> list[Concept]:
    """The review's concepts in the order they were noted (a study's, or one source's, only)."""
    tx.require(review_id, Permission.VIEW)
    return store.concepts_of(tx.session, review_id, record_id=record_id, source=source)


def _refuse_a_second(
    tx: Tx,
    review_id: int,
    name: str,
    owner: str,
    *,
    source: ConceptSource,
    record_id: int | None,
    roundtable_id: int | None,
) -> None:
    """Refuse a name its source already gives another concept: one term, one concept."""
    key = name.casefold()
    for other in store.concepts_of(tx.session, review_id, record_id=record_id, source=source):
        if other.roundtable_id == roundtable_id and other.name.casefold() == key:
            raise InputError(
                f"{owner} already has a concept named {other.name!r} (concept {other.id}); "
                "code to that one, or give this one another name."
            )


def _owner(tx: Tx, review_id: int, concept: Concept) -> str:
    if concept.record_id is not None:
        labels = {s.record_id: s.label for s in included_studies(tx, review_id)}
        return labels.get(concept.record_id, f"record {concept.record_id}")
    if concept.roundtable_id is not None:
        return f"roundtable {concept.roundtable_id}"
    return "the review team"


def _roundtable_title(tx: Tx, review_id: int, roundtable_id: int) -> str:
    roundtable = get_roundtable(tx, review_id, roundtable_id)
    return roundtable.title or f"the roundtable of {roundtable.held_on.isoformat()}"
