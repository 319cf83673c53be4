"""bob reads the studies and notes their concepts in their own terms; alice adds the team's own."""

from __future__ import annotations

from datetime import date

import pytest

from cosynth.domain.review import AuditEvent
from cosynth.domain.synthesis import ConceptSource, ConstructOrder
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import concepts, roundtables
from cosynth.services.reviews import audit_log
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.extraction_helpers import two_studies


@pytest.fixture
def studies(workspace: Workspace, team: Team) -> list[int]:
    return two_studies(workspace, team)


def test_it_notes_a_studys_concept_in_its_own_terms(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        added = concepts.add_concept(
            tx,
            team.review_id,
            "  being  listened to ",
            order=ConstructOrder.FIRST,
            source=ConceptSource.STUDY,
            record_id=studies[0],
            description="Carers felt heard for the first time.",
        )
        found = concepts.concepts(tx, team.review_id, record_id=studies[0])
    assert (added.name, added.record_id, added.added_by) == ("being listened to", studies[0], "bob")
    assert found == [added]


def test_it_keeps_the_teams_own_concepts_third_order(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        own = concepts.add_concept(
            tx,
            team.review_id,
            "person-centred design",
            order=ConstructOrder.THIRD,
            source=ConceptSource.REVIEW,
        )
        with pytest.raises(InputError, match="Third-order concepts are the review team's"):
            concepts.add_concept(
                tx,
                team.review_id,
                "co-delivery",
                order=ConstructOrder.SECOND,
                source=ConceptSource.REVIEW,
            )
        with pytest.raises(InputError, match="Third-order concepts"):
            concepts.add_concept(
                tx,
                team.review_id,
                "co-delivery",
                order=ConstructOrder.THIRD,
                source=ConceptSource.STUDY,
                record_id=studies[0],
            )
        listed = concepts.concepts(tx, team.review_id, source=ConceptSource.REVIEW)
    assert listed == [own]
    assert own.record_id is None and own.roundtable_id is None


def test_it_wants_an_included_study_for_a_studys_concept(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        with pytest.raises(InputError, match="which study"):
            concepts.add_concept(
                tx, team.review_id, "power", order=ConstructOrder.SECOND, source=ConceptSource.STUDY
            )
        # The third record of the search was never included.
        with pytest.raises(NotFoundError, match="not an included study"):
            concepts.add_concept(
                tx,
                team.review_id,
                "power",
                order=ConstructOrder.SECOND,
                source=ConceptSource.STUDY,
                record_id=studies[2],
            )


def test_it_refuses_a_second_concept_of_the_same_name_from_one_study(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        first = concepts.add_concept(
            tx,
            team.review_id,
            "Shift in power",
            order=ConstructOrder.SECOND,
            source=ConceptSource.STUDY,
            record_id=studies[0],
        )
        # Another study may use the same words for its own concept.
        concepts.add_concept(
            tx,
            team.review_id,
            "shift in power",
            order=ConstructOrder.SECOND,
            source=ConceptSource.STUDY,
            record_id=studies[1],
        )
    with workspace.transaction("carol") as tx:
        with pytest.raises(InputError, match=f"concept {first.id}"):
            concepts.add_concept(
                tx,
                team.review_id,
                "shift in POWER",
                order=ConstructOrder.FIRST,
                source=ConceptSource.STUDY,
                record_id=studies[0],
            )
    with workspace.transaction("alice") as tx:
        assert len(concepts.concepts(tx, team.review_id)) == 2


def test_it_keeps_each_name_a_concept_had(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        added = concepts.add_concept(
            tx,
            team.review_id,
            "listening",
            order=ConstructOrder.FIRST,
            source=ConceptSource.STUDY,
            record_id=studies[0],
        )
    with workspace.transaction("carol") as tx:
        revised = concepts.revise_concept(
            tx, team.review_id, added.id, name="being listened to", description="heard at last"
        )
        unchanged = concepts.revise_concept(tx, team.review_id, added.id, name="being listened to")
    log = [e for e in _audit(workspace, team) if e.action == "concept revised"]
    assert (revised.name, revised.description, revised.added_by) == (
        "being listened to",
        "heard at last",
        "bob",
    )
    assert unchanged == revised
    assert [(e.detail["was"], e.detail["name"]) for e in log] == [
        ("listening", "being listened to")
    ]


def test_it_keeps_mallory_out_and_pat_reading(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("mallory") as tx:
        with pytest.raises(PermissionDeniedError):
            concepts.concepts(tx, team.review_id)
    with workspace.transaction("pat") as tx:
        with pytest.raises(PermissionDeniedError):
            concepts.add_concept(
                tx,
                team.review_id,
                "being listened to",
                order=ConstructOrder.FIRST,
                source=ConceptSource.STUDY,
                record_id=studies[0],
            )
        assert concepts.concepts(tx, team.review_id) == []
        with pytest.raises(NotFoundError, match="no concept 99"):
            concepts.get_concept(tx, team.review_id, 99)


def _audit(workspace: Workspace, team: Team) -> list[AuditEvent]:
    """The review's audit log, oldest first."""
    with workspace.transaction("alice") as tx:
        _, events = audit_log(tx, team.review_id)
    return events[::-1]


def test_it_notes_the_roundtables_concepts_under_its_roundtable(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        table = roundtables.add_roundtable(
            tx, team.review_id, held_on=date(2023, 5, 10), minutes=90, title="Roundtable"
        )
    with workspace.transaction("bob") as tx:
        ours = concepts.add_concept(
            tx,
            team.review_id,
            "our service",
            order=ConstructOrder.FIRST,
            source=ConceptSource.ROUNDTABLE,
            roundtable_id=table.id,
        )
        with pytest.raises(InputError, match="Roundtable already has a concept named"):
            concepts.add_concept(
                tx,
                team.review_id,
                "Our service",
                order=ConstructOrder.SECOND,
                source=ConceptSource.ROUNDTABLE,
                roundtable_id=table.id,
            )
        with pytest.raises(NotFoundError, match=f"no roundtable {table.id + 1}"):
            concepts.add_concept(
                tx,
                team.review_id,
                "our service",
                order=ConstructOrder.FIRST,
                source=ConceptSource.ROUNDTABLE,
                roundtable_id=table.id + 1,
            )
        found = concepts.concepts(tx, team.review_id, source=ConceptSource.ROUNDTABLE)
    assert found == [ours]
    assert (ours.roundtable_id, ours.record_id) == (table.id, None)
