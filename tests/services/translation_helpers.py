"""Three included studies, read: a quote of each, coded to a concept in the study's own terms.

Author1 2013 (carers), Author2 2014 (peer support) and Author4 2016 (a
co-designed hub) are what the translation and theme stories are told with.
"""

from __future__ import annotations

from dataclasses import dataclass

from cosynth.domain.quotes import QuoteKind
from cosynth.domain.synthesis import ConceptSource, ConstructOrder
from cosynth.services import coding, concepts, quotes
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, include_at_full_text

READING = (
    # (quote, page, concept: the study's own term)
    ("We were listened to for the first time", "241", "being listened to"),
    ("Peer workers now run the Tuesday clinic themselves", "12", "co-delivery by peers"),
    ("The hub was designed around what residents told us", "34", "design around residents"),
)


@dataclass(frozen=True)
class Read:
    """The studies (record ids), their quotes and their concepts, in the same order."""

    studies: tuple[int, int, int]
    quotes: tuple[int, int, int]
    concepts: tuple[int, int, int]


def three_studies_read(workspace: Workspace, team: Team) -> Read:
    ids = import_search(workspace, team)
    studies = (ids[0], ids[1], ids[3])
    include_at_full_text(workspace, team, list(studies))
    quote_ids: list[int] = []
    concept_ids: list[int] = []
    with workspace.transaction("bob") as tx:
        for record_id, (said, page, term) in zip(studies, READING, strict=True):
            quote = quotes.add_quote(
                tx, team.review_id, record_id, said, kind=QuoteKind.FIRST_ORDER, page=page
            )
            concept = concepts.add_concept(
                tx,
                team.review_id,
                term,
                order=ConstructOrder.FIRST,
                source=ConceptSource.STUDY,
                record_id=record_id,
            )
            coding.code_quote(tx, team.review_id, concept.id, quote.id)
            quote_ids.append(quote.id)
            concept_ids.append(concept.id)
    return Read(
        studies=studies,
        quotes=(quote_ids[0], quote_ids[1], quote_ids[2]),
        concepts=(concept_ids[0], concept_ids[1], concept_ids[2]),
    )
