"""pat, a public adviser, reads a full text and answers one question at a time."""

from __future__ import annotations

import re

import pytest

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import accounts, fulltext, screening, screening_protocol
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search, vote
from tests.services.test_fulltext import study_pdf

FT = Stage.FULL_TEXT


@pytest.fixture
def records(workspace: Workspace, team: Team, app) -> list[int]:
    ids = import_search(workspace, team)
    for record in ids[:3]:
        both_vote(workspace, team, record, Decision.INCLUDE, Decision.INCLUDE)
    with workspace.transaction("bob") as tx:
        for record in ids[:2]:
            fulltext.attach_report(
                tx, team.review_id, record, f"study-{record}.pdf", study_pdf(f"Study {record}.")
            )
    with workspace.transaction("alice") as tx:
        screening_protocol.assign(tx, team.review_id, FT, [ids[0]], ["pat"])
    return ids


@pytest.fixture
def pat(visit):
    """pat, signed in, with adviser mode switched on from her settings page."""
    browser = visit("pat")
    browser.get("/account")
    saved = browser.post("/account", {"adviser_mode": "on", "keyboard_shortcuts": "on"})
    assert saved.status_code == 303
    return browser


def advice_url(team: Team, record_id: int | None = None, step: str = "") -> str:
    base = f"/reviews/{team.review_id}/advice"
    if record_id is None:
        return base
    return f"{base}/{record_id}" + (f"/{step}" if step else "")


def test_it_switches_adviser_mode_and_shortcuts_from_the_settings_page(
    visit, workspace: Workspace, app
) -> None:
    pat = visit("pat")
    page = pat.get("/account").get_data(as_text=True)
    assert '<label for="adviser_mode">' in page and '<label for="keyboard_shortcuts">' in page
    pat.post("/account", {"adviser_mode": "on"})  # shortcuts left unticked: off
    with workspace.transaction("pat") as tx:
        user = accounts.get_user(tx, "pat")
    assert user is not None and (user.adviser_mode, user.keyboard_shortcuts) == (True, False)
    page = pat.get("/account").get_data(as_text=True)
    assert '<body class="adviser-mode">' in page and "Your settings are saved." in page


def test_it_shows_pat_only_the_full_texts_she_was_asked_to_read(pat, team: Team, records) -> None:
    page = pat.get(advice_url(team)).get_data(as_text=True)
    assert "Co-producing integrated care with unpaid carers" in page
    assert f'href="{advice_url(team, records[0])}"' in page
    assert f'href="{advice_url(team, records[1])}"' not in page
    assert "time limit" in page  # said once, so no one feels hurried
    dashboard = pat.get(f"/reviews/{team.review_id}").get_data(as_text=True)
    assert f'href="{advice_url(team)}"' in dashboard


def test_it_asks_pat_one_question_per_page_and_keeps_her_answers(
    pat, workspace: Workspace, team: Team, records
) -> None:
    record = records[0]
    read = pat.get(advice_url(team, record)).get_data(as_text=True)
    assert re.search(r'<iframe class="pdf" title="The study: study-\d+\.pdf"', read)
    assert f'href="{advice_url(team, record, "meets")}"' in read

    question = pat.get(advice_url(team, record, "meets")).get_data(as_text=True)
    assert question.count("<h1>") == 1 and "Does this study meet the" in question
    assert 'role="tooltip"' in question  # "criteria" is explained in place
    answered = pat.post(advice_url(team, record, "meets"), {"answer": "no"})
    assert answered.headers["Location"] == advice_url(team, record, "criterion")

    question = pat.get(advice_url(team, record, "criterion")).get_data(as_text=True)
    assert "Which criterion does it not meet?" in question
    assert "It does not say what people told the researchers in their own words." in question
    pat.post(advice_url(team, record, "criterion"), {"criterion": "no qualitative data"})

    question = pat.get(advice_url(team, record, "note")).get_data(as_text=True)
    assert "Anything you want the team to know?" in question
    noted = pat.post(advice_url(team, record, "note"), {"note": "No carers are quoted at all"})
    assert noted.headers["Location"] == advice_url(team, record, "check")

    # Going back shows what she answered and typed.
    back = pat.get(advice_url(team, record, "meets")).get_data(as_text=True)
    assert "Your answer so far: No." in back
    back = pat.get(advice_url(team, record, "criterion")).get_data(as_text=True)
    assert re.search(r'value="no qualitative data" checked', back)
    assert "No carers are quoted at all</textarea>" in pat.get(
        advice_url(team, record, "note")
    ).get_data(as_text=True)

    check = pat.get(advice_url(team, record, "check")).get_data(as_text=True)
    assert "Check your answers" in check and "No carers are quoted at all" in check
    assert "It does not say what people told the researchers" in check
    sent = pat.post(advice_url(team, record, "send"))
    assert sent.status_code == 303 and sent.headers["Location"] == advice_url(team)
    assert "Thank you." in pat.get(sent.headers["Location"]).get_data(as_text=True)

    with workspace.transaction("pat") as tx:
        mine = screening.record_screening(tx, team.review_id, record, stage=FT).my_vote
    assert mine is not None and mine.advice
    assert (mine.decision, mine.reason, mine.note) == (
        Decision.EXCLUDE,
        "no qualitative data",
        "No carers are quoted at all",
    )


def test_it_shows_pats_advice_beside_the_votes_once_they_are_all_in(
    pat, visit, workspace: Workspace, team: Team, records
) -> None:
    record = records[0]
    pat.post(advice_url(team, record, "meets"), {"answer": "unsure"})
    pat.post(advice_url(team, record, "note"), {"note": "Only staff views"})
    pat.post(advice_url(team, record, "send"))

    vote(workspace, "bob", team, record, Decision.INCLUDE, stage=FT)
    bob = visit("bob")
    page = bob.get(f"/reviews/{team.review_id}/fulltext/{record}").get_data(as_text=True)
    assert "Advice from pat" not in page and "Only staff views" not in page  # blinded

    vote(workspace, "carol", team, record, Decision.EXCLUDE, stage=FT, reason="wrong setting")
    conflicts = visit("alice").get(f"/reviews/{team.review_id}/conflicts/full-text")
    page = conflicts.get_data(as_text=True)
    assert "bob</strong>: include" in page and "carol</strong>: exclude (wrong setting)" in page
    assert "Advice from pat: unsure – Only staff views" in page


def test_it_keeps_pat_from_advising_on_a_record_she_was_not_given(
    pat, workspace: Workspace, team: Team, records
) -> None:
    record = records[1]
    refused = pat.get(advice_url(team, record))
    assert refused.status_code == 403
    assert "The team has not asked you to read this full text." in refused.get_data(as_text=True)
    for step in ("meets", "send"):  # each step asks first; nothing is kept for her
        assert pat.post(advice_url(team, record, step), {"answer": "yes"}).status_code == 403
    # The services refuse her too, by whichever page she posts from.
    voted = pat.post(
        f"/reviews/{team.review_id}/screen/full-text/records/{record}/vote", {"decision": "include"}
    )
    assert voted.status_code == 403 and "not assigned to pat" in voted.get_data(as_text=True)
    with workspace.transaction("pat") as tx:
        assert screening.vote_history(tx, team.review_id, record, stage=FT) == []


def test_it_needs_an_answer_before_the_check_page(pat, team: Team, records) -> None:
    early = pat.get(advice_url(team, records[0], "check"))
    assert early.status_code == 303
    assert early.headers["Location"] == advice_url(team, records[0], "meets")
    pat.post(advice_url(team, records[0], "meets"), {"answer": "yes"})
    skipped = pat.get(advice_url(team, records[0], "criterion"))  # only asked after a "no"
    assert skipped.headers["Location"] == advice_url(team, records[0], "meets")
