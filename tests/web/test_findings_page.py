"""pat reads "What we found" in plain English and says whether it matches his experience.

alice, the lead, sees everyone's answer beside each finding and may write
down what a member of the advisory group said at the roundtable. bob, a
reviewer, reads but does not answer; mallory sees nothing.
"""

from __future__ import annotations

import pytest

from cosynth.domain.synthesis import ConceptSource, ConstructOrder, PassageKind, ThemeLevel
from cosynth.services import coding, concepts, themes
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.web.test_synthesis_pages import LISTENED, Studies, two_quoted_studies


@pytest.fixture
def visit(visit):  # type: ignore[no-untyped-def]
    """The conftest's browser with a page opened: its form token is the session's own."""

    def open_as(who: str):  # type: ignore[no-untyped-def]
        visitor = visit(who)
        visitor.get("/")
        return visitor

    return open_as


@pytest.fixture
def finding(app, workspace: Workspace, team: Team) -> tuple[int, Studies]:  # type: ignore[no-untyped-def]
    """A category, "Feeling heard", supported by a coded quote: its theme id."""
    quoted = two_quoted_studies(workspace, team)
    rid = team.review_id
    with workspace.transaction("bob") as tx:
        heard = concepts.add_concept(
            tx, rid, "Being heard", order=ConstructOrder.FIRST, source=ConceptSource.STUDY,
            record_id=quoted.record_ids[0],
        )  # fmt: skip
        coding.code_excerpt(
            tx, rid, heard.id, kind=PassageKind.QUOTE, source_id=quoted.quote_ids[0],
            excerpt=LISTENED,
        )  # fmt: skip
        added = themes.add_theme(
            tx, rid, "Feeling heard", level=ThemeLevel.CATEGORY,
            description="People felt the services listened to them.",
        )  # fmt: skip
        themes.link_concepts(tx, rid, added.id, [heard.id])
        part = themes.add_theme(tx, rid, "Being asked", level=ThemeLevel.THEME, parent_id=added.id)
        themes.link_concepts(tx, rid, part.id, [heard.id])
    return added.id, quoted


def url(team: Team) -> str:
    return f"/reviews/{team.review_id}/findings"


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_data(as_text=True))


def test_it_records_pats_resonance_in_his_own_words(
    visit, team: Team, finding: tuple[int, Studies]
) -> None:
    theme_id, quoted = finding
    pat = visit("pat")
    page = text_of(pat.get(url(team)))
    assert "Feeling heard" in page and "People felt the services listened to them." in page
    assert LISTENED in page and f"[{quoted.labels[0]}: 241]" in page
    assert (
        "Does this match your experience?" in page and "This partly matches my experience" in page
    )
    answered = pat.post(
        f"{url(team)}/theme/{theme_id}",
        {"resonance": "partly", "words": "Only once I had a named worker."},
    )
    assert answered.status_code == 303
    assert answered.headers["Location"].endswith(f"#finding-theme-{theme_id}")
    page = text_of(pat.get(url(team)))
    assert "Your answer so far:" in page and "Only once I had a named worker." in page
    assert f'id="theme-{theme_id}-partly" name="resonance" value="partly" checked' in page
    assert "Everyone's answers" not in page  # pat sees his own answer, not the others'


def test_it_says_beside_the_question_that_an_answer_is_needed(
    visit, team: Team, finding: tuple[int, Studies]
) -> None:
    theme_id, _quoted = finding
    pat = visit("pat")
    unanswered = pat.post(f"{url(team)}/theme/{theme_id}", {"words": "Not sure yet"})
    page = text_of(unanswered)
    assert unanswered.status_code == 422 and f'id="theme-{theme_id}-error"' in page
    assert "Not sure yet</textarea>" in page
    assert pat.post(f"{url(team)}/opinion/{theme_id}", {"resonance": "agree"}).status_code == 404


def test_it_shows_alice_every_answer_and_lets_her_write_down_a_members(
    visit, team: Team, finding: tuple[int, Studies]
) -> None:
    theme_id, _quoted = finding
    assert (
        visit("pat").post(f"{url(team)}/theme/{theme_id}", {"resonance": "agree"}).status_code
        == 303
    )
    alice = visit("alice")
    page = text_of(alice.get(url(team)))
    assert "Whose answer is it?" in page
    said = alice.post(
        f"{url(team)}/theme/{theme_id}",
        {"resonance": "disagree", "words": "Not in my area", "voice": "Rhian"},
    )
    assert said.status_code == 303
    page = text_of(alice.get(url(team)))
    heard = (
        page.split("Everyone&#39;s answers")[1]
        if "Everyone&#39;s answers" in page
        else page.split("Everyone's answers")[1]
    )
    assert "<strong>pat</strong>: This matches my experience" in heard
    assert "<strong>Rhian</strong>: This does not match my experience" in heard
    assert "written down by alice" in heard


def test_it_lets_bob_read_but_not_answer_and_shuts_mallory_out(
    visit, team: Team, finding: tuple[int, Studies]
) -> None:
    theme_id, _quoted = finding
    bob = visit("bob")
    page = text_of(bob.get(url(team)))
    assert "Feeling heard" in page and "Save my answer" not in page
    assert bob.post(f"{url(team)}/theme/{theme_id}", {"resonance": "agree"}).status_code == 403
    mallory = visit("mallory")
    assert mallory.get(url(team)).status_code == 403
    assert mallory.post(f"{url(team)}/theme/{theme_id}", {"resonance": "agree"}).status_code == 403
