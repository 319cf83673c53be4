"""bob and carol translate the studies into one another (Noblit & Hare's phase 5)."""

from __future__ import annotations

import pytest

from cosynth.domain.synthesis import (
    ConceptSource,
    ConstructOrder,
    Explanation,
    Relation,
    ThemeLevel,
)
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import concepts, themes, translation
from cosynth.services.reviews import audit_log
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.translation_helpers import Read, three_studies_read


@pytest.fixture
def read(workspace: Workspace, team: Team) -> Read:
    return three_studies_read(workspace, team)


def test_it_merges_two_studies_concepts_into_a_new_third_order_concept(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened, peers, _ = read.concepts
    with workspace.transaction("bob") as tx:
        made = translation.translate_reciprocally(
            tx,
            team.review_id,
            [listened, peers],
            into="Service users' expertise valued",
            account="Both describe lived experience taken seriously.",
        )
        into = concepts.get_concept(tx, team.review_id, made.into_concept_id or 0)
        kept = [concepts.get_concept(tx, team.review_id, c).name for c in made.from_concept_ids]
        found = translation.translations(tx, team.review_id)
    assert made.relation is Relation.RECIPROCAL
    assert (into.name, into.order, into.source) == (
        "Service users' expertise valued",
        ConstructOrder.THIRD,
        ConceptSource.REVIEW,
    )
    # The mapping back: each study keeps its own term.
    assert kept == ["being listened to", "co-delivery by peers"]
    assert found == [made]
    assert (made.translated_by, made.account) == (
        "bob",
        "Both describe lived experience taken seriously.",
    )


def test_it_translates_into_an_existing_third_order_concept_by_id_or_by_name(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened, peers, hub = read.concepts
    with workspace.transaction("alice") as tx:
        own = concepts.add_concept(
            tx,
            team.review_id,
            "Person-centred design",
            order=ConstructOrder.THIRD,
            source=ConceptSource.REVIEW,
        )
        by_id = translation.translate_reciprocally(tx, team.review_id, [listened, hub], into=own.id)
        by_name = translation.translate_reciprocally(
            tx, team.review_id, [peers, hub], into="person-centred  design"
        )
        third = concepts.concepts(tx, team.review_id, source=ConceptSource.REVIEW)
    assert by_id.into_concept_id == by_name.into_concept_id == own.id
    assert [c.id for c in third] == [own.id]


def test_it_refuses_to_translate_concepts_of_one_study_only(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened = read.concepts[0]
    with workspace.transaction("bob") as tx:
        other = concepts.add_concept(
            tx,
            team.review_id,
            "feeling heard",
            order=ConstructOrder.SECOND,
            source=ConceptSource.STUDY,
            record_id=read.studies[0],
        )
    with (
        workspace.transaction("bob") as tx,
        pytest.raises(InputError, match="at least two different studies or sources"),
    ):
        translation.translate_reciprocally(tx, team.review_id, [listened, other.id], into="Voice")
    with workspace.transaction("bob") as tx:
        # Nothing half-made: the new concept was not kept either.
        assert concepts.concepts(tx, team.review_id, source=ConceptSource.REVIEW) == []
        assert translation.translations(tx, team.review_id) == []


def test_it_records_a_refutation_with_its_explanation_and_account(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened, _, hub = read.concepts
    account = "The hub's residents were consulted at scale; the carers' study was one small group."
    with workspace.transaction("carol") as tx:
        with pytest.raises(InputError, match="needs an account"):
            translation.translate_refutationally(
                tx, team.review_id, [listened, hub], explanation=Explanation.CONTEXT, account=""
            )
        made = translation.translate_refutationally(
            tx, team.review_id, [listened, hub], explanation=Explanation.CONTEXT, account=account
        )
    assert (made.relation, made.into_concept_id, made.explanation, made.account) == (
        Relation.REFUTATIONAL,
        None,
        Explanation.CONTEXT,
        account,
    )


def test_it_builds_a_line_of_argument_on_earlier_translations(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened, peers, hub = read.concepts
    with workspace.transaction("bob") as tx:
        voice = translation.translate_reciprocally(
            tx, team.review_id, [listened, peers], into="Expertise valued"
        )
        line = translation.argue_line(
            tx,
            team.review_id,
            [voice.into_concept_id or 0, hub],
            into="Sustainable person-centred services",
            account="Valued expertise, designed in, sustains itself.",
        )
        with pytest.raises(InputError, match="is the review's own"):
            translation.translate_reciprocally(
                tx, team.review_id, [voice.into_concept_id or 0, hub], into="Anything"
            )
    assert line.relation is Relation.LINE_OF_ARGUMENT
    assert line.from_concept_ids == (voice.into_concept_id, hub)


def test_it_names_a_concept_that_is_not_there(workspace: Workspace, team: Team, read: Read) -> None:
    with (
        workspace.transaction("bob") as tx,
        pytest.raises(NotFoundError, match="has no concept 999"),
    ):
        translation.translate_reciprocally(
            tx, team.review_id, [read.concepts[0], 999], into="Anything"
        )


def test_it_logs_alternative_interpretations_of_a_translation_or_a_theme(
    workspace: Workspace, team: Team, read: Read
) -> None:
    with workspace.transaction("bob") as tx:
        made = translation.translate_reciprocally(
            tx, team.review_id, list(read.concepts[:2]), into="Expertise valued"
        )
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        first = translation.log_alternative(
            tx, team.review_id, "Perhaps tokenism, not expertise.", translation_id=made.id
        )
        second = translation.log_alternative(
            tx, team.review_id, " Design may be a phase, not a category. ", theme_id=design.id
        )
        with pytest.raises(InputError, match="empty"):
            translation.log_alternative(tx, team.review_id, "  ")
        with pytest.raises(NotFoundError, match="no translation 99"):
            translation.log_alternative(tx, team.review_id, "x", translation_id=99)
        logged = translation.alternatives(tx, team.review_id)
    with workspace.transaction("alice") as tx:
        events = [event.action for event in audit_log(tx, team.review_id)[1]]
    assert logged == [first, second]
    assert (second.text, second.theme_id, second.by) == (
        "Design may be a phase, not a category.",
        design.id,
        "bob",
    )
    assert events.count("alternative interpretation logged") == 2
    assert "translation made" in events


def test_it_lets_only_the_team_translate_and_no_outsider_read(
    workspace: Workspace, team: Team, read: Read
) -> None:
    with (
        workspace.transaction("pat") as tx,
        pytest.raises(PermissionDeniedError, match="may not code, translate and synthesise"),
    ):
        translation.translate_reciprocally(tx, team.review_id, list(read.concepts[:2]), into="X")
    with workspace.transaction("pat") as tx:
        assert translation.translations(tx, team.review_id) == []
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        translation.translations(tx, team.review_id)
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        translation.alternatives(tx, team.review_id)


def test_it_keeps_a_translation_posted_twice_once(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened, peers, _ = read.concepts
    with workspace.transaction("bob") as tx:
        first = translation.translate_reciprocally(
            tx, team.review_id, [listened, peers], into="Expertise valued"
        )
    with workspace.transaction("bob") as tx:
        again = translation.translate_reciprocally(
            tx, team.review_id, [peers, listened], into="Expertise valued"
        )
        found = translation.translations(tx, team.review_id)
    assert again == first
    assert found == [first]
