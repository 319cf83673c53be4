"""pat says how the findings match lived experience; alice records the roundtable's voices."""

from __future__ import annotations

import pytest

from cosynth.domain.quotes import QuoteKind
from cosynth.domain.synthesis import FindingKind, PlainQuote, Resonance, ThemeLevel
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import coding, quotes, resonance, themes, translation
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.translation_helpers import Read, three_studies_read


@pytest.fixture
def read(workspace: Workspace, team: Team) -> Read:
    return three_studies_read(workspace, team)


@pytest.fixture
def findings(workspace: Workspace, team: Team, read: Read) -> tuple[int, int, int]:
    """Design > Person-centred design (three studies' concepts); the interpretation Co-delivery."""
    listened, peers, hub = read.concepts
    with workspace.transaction("alice") as tx:
        valued = translation.translate_reciprocally(
            tx, team.review_id, [listened, peers, hub], into="Expertise valued"
        )
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        person = themes.add_theme(
            tx,
            team.review_id,
            "Person-centred design",
            level=ThemeLevel.THEME,
            parent_id=design.id,
            description="Services designed around what people who use them know.",
        )
        themes.link_concepts(tx, team.review_id, person.id, [valued.into_concept_id or 0])
        codelivery = themes.add_interpretation(
            tx,
            team.review_id,
            "Co-delivery",
            "People who co-produced a service go on to help deliver it.",
            concept_ids=[peers],
        )
    return design.id, person.id, codelivery.id


def test_it_records_an_advisers_own_resonance_in_their_words(
    workspace: Workspace, team: Team, findings: tuple[int, int, int]
) -> None:
    _, person, _ = findings
    with workspace.transaction("pat") as tx:
        said = resonance.record_resonance(
            tx,
            team.review_id,
            FindingKind.THEME,
            person,
            Resonance.PARTLY,
            " Only when the staff had time to listen. ",
        )
        found = resonance.resonances(tx, team.review_id, finding=FindingKind.THEME)
    assert (said.voice, said.recorded_by, said.words, said.resonance) == (
        "pat",
        "pat",
        "Only when the staff had time to listen.",
        Resonance.PARTLY,
    )
    assert found == [said]


def test_it_lets_the_lead_record_a_named_members_voice_but_not_an_adviser(
    workspace: Workspace, team: Team, findings: tuple[int, int, int]
) -> None:
    _, _, codelivery = findings
    with workspace.transaction("alice") as tx:
        said = resonance.record_resonance(
            tx,
            team.review_id,
            FindingKind.INTERPRETATION,
            codelivery,
            Resonance.AGREE,
            "That is what happened to me: I run the group now.",
            voice="Sam (unpaid carer)",
        )
    assert (said.voice, said.recorded_by) == ("Sam (unpaid carer)", "alice")
    with (
        workspace.transaction("pat") as tx,
        pytest.raises(PermissionDeniedError, match="pat may record their own view only"),
    ):
        resonance.record_resonance(
            tx,
            team.review_id,
            FindingKind.INTERPRETATION,
            codelivery,
            Resonance.AGREE,
            voice="Sam (unpaid carer)",
        )


def test_it_refuses_resonance_from_reviewers_and_outsiders(
    workspace: Workspace, team: Team, findings: tuple[int, int, int]
) -> None:
    design, _, _ = findings
    for who in ("bob", "mallory"):
        with workspace.transaction(who) as tx, pytest.raises(PermissionDeniedError):
            resonance.record_resonance(
                tx, team.review_id, FindingKind.THEME, design, Resonance.AGREE
            )
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        resonance.plain_findings(tx, team.review_id)
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        resonance.resonances(tx, team.review_id)


def test_it_names_a_finding_that_is_not_there(
    workspace: Workspace, team: Team, findings: tuple[int, int, int]
) -> None:
    design, _, _ = findings
    with workspace.transaction("pat") as tx:
        with pytest.raises(NotFoundError, match="has no interpretation"):
            resonance.record_resonance(
                tx, team.review_id, FindingKind.INTERPRETATION, design + 100, Resonance.AGREE
            )
        with pytest.raises(InputError, match="Say whose view"):
            resonance.record_resonance(
                tx, team.review_id, FindingKind.THEME, design, Resonance.AGREE, voice="  "
            )


def test_it_shows_each_finding_in_plain_words_with_the_viewers_latest_resonance(
    workspace: Workspace, team: Team, read: Read, findings: tuple[int, int, int]
) -> None:
    design, person, codelivery = findings
    with workspace.transaction("pat") as tx:
        resonance.record_resonance(
            tx, team.review_id, FindingKind.THEME, person, Resonance.DISAGREE, "Not for me."
        )
        resonance.record_resonance(
            tx, team.review_id, FindingKind.THEME, person, Resonance.AGREE, "On reflection, yes."
        )
    with workspace.transaction("alice") as tx:
        resonance.record_resonance(
            tx, team.review_id, FindingKind.THEME, design, Resonance.PARTLY, voice="Sam"
        )
    with workspace.transaction("pat") as tx:
        plain = resonance.plain_findings(tx, team.review_id)
    with workspace.transaction("alice") as tx:
        alices = resonance.plain_findings(tx, team.review_id)
    assert [(f.finding, f.finding_id, f.depth) for f in plain] == [
        (FindingKind.THEME, design, 0),
        (FindingKind.THEME, person, 1),
        (FindingKind.INTERPRETATION, codelivery, 0),
    ]
    category, theme, interpretation = plain
    assert (theme.name, theme.level, theme.parent_id) == (
        "Person-centred design",
        ThemeLevel.THEME,
        design,
    )
    assert theme.description == "Services designed around what people who use them know."
    assert (theme.my_resonance, theme.my_words) == (Resonance.AGREE, "On reflection, yes.")
    # Sam's view was recorded by alice for Sam: it is neither pat's nor alice's own.
    assert category.my_resonance is None and alices[0].my_resonance is None
    assert theme.studies == ("Author1 2013", "Author2 2014", "Author4 2016")
    assert theme.quotes == (
        PlainQuote("We were listened to for the first time", "[Author1 2013: 241]"),
        PlainQuote("Peer workers now run the Tuesday clinic themselves", "[Author2 2014: 12]"),
        PlainQuote("The hub was designed around what residents told us", "[Author4 2016: 34]"),
    )
    assert interpretation.quotes == (
        PlainQuote("Peer workers now run the Tuesday clinic themselves", "[Author2 2014: 12]"),
    )
    assert interpretation.description.startswith("People who co-produced")


def test_it_shows_at_most_three_quotes(
    workspace: Workspace, team: Team, read: Read, findings: tuple[int, int, int]
) -> None:
    _, person, _ = findings
    with workspace.transaction("bob") as tx:
        extra = quotes.add_quote(
            tx,
            team.review_id,
            read.studies[0],
            "The carers chose the questions",
            kind=QuoteKind.FIRST_ORDER,
            page="242",
        )
        coding.code_quote(tx, team.review_id, read.concepts[0], extra.id)
    with workspace.transaction("pat") as tx:
        plain = {f.finding_id: f for f in resonance.plain_findings(tx, team.review_id)}
    assert len(plain[person].quotes) == 3
