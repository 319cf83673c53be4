"""Determining how the studies are related (Noblit & Hare's phase 4), and the order of translation.

The team lays the studies' concepts side by side, a grid of concepts by
studies, and judges how the studies relate: reciprocally (similar accounts),
refutationally (accounts that contradict) or as a line of argument (parts of
a whole) (Noblit & Hare 1988; METHODS.md §5). Translation then goes study by
study in an order that is reported (eMERGe 13, France et al. 2019): from an
index paper, then by publication date (the paper's choice), by co-production
score, or by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from cosynth.domain.coproduction import StudyScore
from cosynth.domain.reading import (
    build_concept_grid,
    by_publication_date,
    index_first,
    kept_order,
)
from cosynth.domain.roles import Permission
from cosynth.domain.study import Study
from cosynth.domain.synthesis import (
    ConceptGrid,
    OrderBasis,
    RelatingJudgement,
    Relation,
    TranslationOrder,
)
from cosynth.errors import InputError
from cosynth.formats.concept_grid import write_concept_grid_csv, write_concept_grid_xlsx
from cosynth.services import translation as translation_service
from cosynth.services.coproduction import study_scores
from cosynth.services.reviews import get_review
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Tx
from cosynth.store import synthesis as store


def judge_relation(
    tx: Tx, review_id: int, relation: Relation, rationale: str, *, record_ids: Sequence[int] = ()
) -> RelatingJudgement:
    """Record the team's judgement of how studies relate, and why (all included studies
    when `record_ids` is empty)."""
    tx.require(review_id, Permission.SYNTHESISE)
    why = rationale.strip()
    if not why:
        raise InputError(
            f"Say why the studies relate as {relation.value}: what in their concepts shows it."
        )
    chosen = _studies(tx, review_id, record_ids)
    if record_ids and len(chosen) < 2:
        raise InputError("A judgement of how studies relate needs at least two studies.")
    judged = store.insert_relating_judgement(
        tx.session,
        review_id,
        relation=relation,
        rationale=why,
        record_ids=[s.record_id for s in chosen] if record_ids else [],
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "studies related",
        review_id,
        judgement=judged.id,
        relation=relation.value,
        records=list(judged.record_ids),
    )
    return judged


def relating_judgements(tx: Tx, review_id: int) -> list[RelatingJudgement]:
    """The team's judgements of how the studies relate, oldest first."""
    tx.require(review_id, Permission.VIEW)
    return store.relating_judgements_of(tx.session, review_id)


def set_translation_order(
    tx: Tx,
    review_id: int,
    basis: OrderBasis,
    *,
    index_record_id: int | None = None,
    record_ids: Sequence[int] = (),
    rationale: str = "",
) -> TranslationOrder:
    """Set the order the studies are translated in: the index paper first, then the basis's.

    Publication date: oldest first, ties by label. Co-production score:
    highest first, unscored last (services.coproduction). By hand:
    `record_ids` lists every included study once.
    """
    tx.require(review_id, Permission.SYNTHESISE)
    included = included_studies(tx, review_id)
    labels = {s.record_id: s.label for s in included}
    if index_record_id is not None and index_record_id not in labels:
        raise InputError(
            f"Record {index_record_id} is not an included study: the index paper must be one."
        )
    if record_ids and basis is not OrderBasis.BY_HAND:
        raise InputError(
            f"An order by {basis.value} is worked out from the studies: list them only for an "
            "order by hand."
        )
    if basis is OrderBasis.PUBLICATION_DATE:
        ordered = _by_date(included)
    elif basis is OrderBasis.COPRODUCTION_SCORE:
        ordered = _by_score(study_scores(tx, review_id))
    else:
        ordered = _by_hand(record_ids, labels)
    order = store.insert_translation_order(
        tx.session,
        review_id,
        basis=basis,
        index_record_id=index_record_id,
        record_ids=index_first(ordered, index_record_id),
        rationale=rationale.strip(),
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "translation order set",
        review_id,
        basis=basis.value,
        index=index_record_id,
        records=list(order.record_ids),
    )
    return order


def translation_order(tx: Tx, review_id: int) -> TranslationOrder:
    """The order of translation as set, for the studies included now.

    Never set: by publication date with no index paper, the paper's own
    choice. Studies included since it was set follow, by publication date.
    """
    tx.require(review_id, Permission.VIEW)
    included = included_studies(tx, review_id)
    by_date = _by_date(included)
    latest = store.latest_translation_order(tx.session, review_id)
    if latest is None:
        review = get_review(tx, review_id)
        return TranslationOrder(
            basis=OrderBasis.PUBLICATION_DATE,
            index_record_id=None,
            record_ids=tuple(by_date),
            rationale="",
            set_by="",
            set_at=review.created_at,
        )
    index = latest.index_record_id if latest.index_record_id in by_date else None
    return TranslationOrder(
        basis=latest.basis,
        index_record_id=index,
        record_ids=index_first(kept_order(latest.record_ids, by_date), index),
        rationale=latest.rationale,
        set_by=latest.set_by,
        set_at=latest.set_at,
    )


def concept_grid(tx: Tx, review_id: int) -> ConceptGrid:
    """Concepts by studies, studies in translation order.

    Rows: the team's third-order concepts with each study's concepts
    translated into them, then the studies' concepts not translated yet.
    """
    order = translation_order(tx, review_id)
    labels = {s.record_id: s.label for s in included_studies(tx, review_id)}
    return build_concept_grid(
        [(record_id, labels[record_id]) for record_id in order.record_ids],
        store.concepts_of(tx.session, review_id),
        store.codings_of(tx.session, review_id),
        translation_service.translations(tx, review_id),
    )


def concept_grid_csv(tx: Tx, review_id: int) -> str:
    return write_concept_grid_csv(concept_grid(tx, review_id))


def concept_grid_xlsx(tx: Tx, review_id: int) -> bytes:
    return write_concept_grid_xlsx(concept_grid(tx, review_id))


def _studies(tx: Tx, review_id: int, record_ids: Sequence[int]) -> list[Study]:
    """The included studies named, each once, in the order given."""
    included = {s.record_id: s for s in included_studies(tx, review_id)}
    chosen: list[Study] = []
    for record_id in record_ids:
        if record_id not in included:
            raise InputError(f"Record {record_id} is not an included study of this review.")
        if included[record_id] not in chosen:
            chosen.append(included[record_id])
    return chosen


def _by_date(studies: Sequence[Study]) -> list[int]:
    return by_publication_date((s.record_id, s.label, s.citation.year) for s in studies)


def _by_score(scores: Sequence[StudyScore]) -> list[int]:
    if all(score.score is None for score in scores):
        raise InputError(
            "No study has a co-production score yet: agree the levels first "
            "(cosynth score), or order the studies by publication date or by hand."
        )
    # study_scores gives the paper's Table 4 order: highest first, unscored last.
    return [score.record_id for score in scores]


def _by_hand(record_ids: Sequence[int], labels: dict[int, str]) -> list[int]:
    if not record_ids:
        raise InputError("List the included studies in the order to translate them.")
    listed = list(record_ids)
    twice = sorted({labels.get(r, str(r)) for r in listed if listed.count(r) > 1})
    if twice:
        raise InputError(f"Each study comes once in the order: {', '.join(twice)} came twice.")
    unknown = [str(r) for r in listed if r not in labels]
    if unknown:
        raise InputError(f"Records {', '.join(unknown)} are not included studies of this review.")
    missing = [labels[r] for r in labels if r not in set(listed)]
    if missing:
        raise InputError(
            f"The order leaves out {', '.join(missing)}: list every included study once."
        )
    return listed
