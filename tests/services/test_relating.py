"""The team judges how the studies relate, sets the order of translation, and reads the grid."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from cosynth.domain.quotes import QuoteKind
from cosynth.domain.synthesis import ConceptSource, ConstructOrder, OrderBasis, Relation
from cosynth.errors import InputError, PermissionDeniedError
from cosynth.services import coding, concepts, coproduction, quotes, relating, translation
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.extraction_helpers import two_studies


@pytest.fixture
def studies(workspace: Workspace, team: Team) -> list[int]:
    """Author1 2013 and Author2 2014 are included; the rest of the search is not."""
    return two_studies(workspace, team)


def test_it_records_how_the_studies_relate_and_why(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        whole = relating.judge_relation(
            tx, team.review_id, Relation.RECIPROCAL, "Both describe being listened to."
        )
        pair = relating.judge_relation(
            tx,
            team.review_id,
            Relation.REFUTATIONAL,
            "Staff and carers disagree on who led.",
            record_ids=[studies[1], studies[0], studies[1]],
        )
        with pytest.raises(InputError, match="Say why"):
            relating.judge_relation(tx, team.review_id, Relation.LINE_OF_ARGUMENT, " ")
        with pytest.raises(InputError, match="at least two studies"):
            relating.judge_relation(
                tx, team.review_id, Relation.RECIPROCAL, "why", record_ids=[studies[0]]
            )
        with pytest.raises(InputError, match="not an included study"):
            relating.judge_relation(
                tx, team.review_id, Relation.RECIPROCAL, "why", record_ids=studies[:3]
            )
    with workspace.transaction("pat") as tx:
        judged = relating.relating_judgements(tx, team.review_id)
    assert judged == [whole, pair]
    assert whole.record_ids == () and pair.record_ids == (studies[1], studies[0])
    assert (pair.relation, pair.judged_by) == (Relation.REFUTATIONAL, "bob")


def test_it_orders_translation_by_publication_date_unless_told_otherwise(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("pat") as tx:
        default = relating.translation_order(tx, team.review_id)
    assert (default.basis, default.index_record_id, default.set_by) == (
        OrderBasis.PUBLICATION_DATE,
        None,
        "",
    )
    assert default.record_ids == (studies[0], studies[1])
    with workspace.transaction("alice") as tx:
        relating.set_translation_order(
            tx,
            team.review_id,
            OrderBasis.PUBLICATION_DATE,
            index_record_id=studies[1],
            rationale="Author2 is the richest account.",
        )
        order = relating.translation_order(tx, team.review_id)
    assert (order.record_ids, order.index_record_id) == ((studies[1], studies[0]), studies[1])
    assert (order.set_by, order.rationale) == ("alice", "Author2 is the richest account.")


def test_it_orders_translation_by_co_production_score(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        with pytest.raises(InputError, match="No study has a co-production score"):
            relating.set_translation_order(tx, team.review_id, OrderBasis.COPRODUCTION_SCORE)
    for who in ("bob", "carol"):
        with workspace.transaction(who) as tx:
            for record_id, tlap, nhse in (
                (studies[0], "Co-design", "Consulting"),
                (studies[1], "Co-production", "Devolving"),
            ):
                coproduction.rate_study(tx, team.review_id, record_id, "tlap-ladder", tlap)
                coproduction.rate_study(tx, team.review_id, record_id, "nhse-spectrum", nhse)
    with workspace.transaction("alice") as tx:
        order = relating.set_translation_order(tx, team.review_id, OrderBasis.COPRODUCTION_SCORE)
    assert order.record_ids == (studies[1], studies[0])


def test_it_takes_an_order_by_hand_only_of_every_included_study(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        with pytest.raises(InputError, match="leaves out Author1 2013"):
            relating.set_translation_order(
                tx, team.review_id, OrderBasis.BY_HAND, record_ids=[studies[1]]
            )
        with pytest.raises(InputError, match="came twice"):
            relating.set_translation_order(
                tx, team.review_id, OrderBasis.BY_HAND, record_ids=[studies[1], studies[1]]
            )
        with pytest.raises(InputError, match="only for an order by hand"):
            relating.set_translation_order(
                tx, team.review_id, OrderBasis.PUBLICATION_DATE, record_ids=studies[:2]
            )
        with pytest.raises(InputError, match="index paper must be one"):
            relating.set_translation_order(
                tx, team.review_id, OrderBasis.PUBLICATION_DATE, index_record_id=studies[2]
            )
        order = relating.set_translation_order(
            tx,
            team.review_id,
            OrderBasis.BY_HAND,
            record_ids=[studies[0], studies[1]],
            index_record_id=studies[1],
        )
    assert order.record_ids == (studies[1], studies[0])


def test_it_lays_out_the_grid_with_each_studys_own_terms(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        quote = quotes.add_quote(
            tx,
            team.review_id,
            studies[0],
            "We were listened to for the first time",
            kind=QuoteKind.FIRST_ORDER,
            page="242",
        )
        listened, heard, power = (
            concepts.add_concept(
                tx,
                team.review_id,
                name,
                order=ConstructOrder.FIRST,
                source=ConceptSource.STUDY,
                record_id=record_id,
            )
            for name, record_id in (
                ("being listened to", studies[0]),
                ("being heard", studies[1]),
                ("=shift in power", studies[1]),
            )
        )
        coding.code_quote(tx, team.review_id, listened.id, quote.id)
        merged = translation.translate_reciprocally(
            tx, team.review_id, [listened.id, heard.id], into="having a voice"
        )
        grid = relating.concept_grid(tx, team.review_id)
        text = relating.concept_grid_csv(tx, team.review_id)
        book = relating.concept_grid_xlsx(tx, team.review_id)
    assert grid.studies == ((studies[0], "Author1 2013"), (studies[1], "Author2 2014"))
    assert [row.concept.id for row in grid.rows] == [merged.into_concept_id, power.id]
    assert list(csv.reader(io.StringIO(text))) == [
        ["Concept", "Order", "Author1 2013", "Author2 2014"],
        ["having a voice", "third-order", "being listened to (p. 242)", "being heard"],
        ["'=shift in power", "first-order", "", "'=shift in power"],
    ]
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet is not None
    assert [[cell.value or "" for cell in row] for row in sheet.iter_rows()][1:] == [
        ["having a voice", "third-order", "being listened to (p. 242)", "being heard"],
        ["=shift in power", "first-order", "", "=shift in power"],
    ]


def test_it_lets_only_the_team_relate_and_order(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    for who in ("pat", "mallory"):
        with workspace.transaction(who) as tx:
            with pytest.raises(PermissionDeniedError):
                relating.judge_relation(tx, team.review_id, Relation.RECIPROCAL, "why")
            with pytest.raises(PermissionDeniedError):
                relating.set_translation_order(tx, team.review_id, OrderBasis.PUBLICATION_DATE)
    with workspace.transaction("mallory") as tx:
        with pytest.raises(PermissionDeniedError):
            relating.concept_grid(tx, team.review_id)
