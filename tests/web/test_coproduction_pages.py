"""Co-production scoring on the web: the scores, rating one study, consensus and the scheme."""

from __future__ import annotations

import html
import re

import pytest

from cosynth.services import coproduction
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, include_at_full_text

TLAP, NHSE = "tlap-ladder", "nhse-spectrum"
_TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def studies(app, workspace: Workspace, team: Team) -> list[int]:
    """Records 1 and 2 of the search are included studies; record 3 is not."""
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, ids[:2])
    return ids


def rate(workspace: Workspace, who: str, team: Team, record_id: int, tlap: str, nhse: str) -> None:
    with workspace.transaction(who) as tx:
        coproduction.rate_study(tx, team.review_id, record_id, TLAP, tlap, rationale="read it")
        coproduction.rate_study(tx, team.review_id, record_id, NHSE, nhse)


def base(team: Team) -> str:
    return f"/reviews/{team.review_id}/coproduction"


def text_of(page: str) -> str:
    """The page's words, tags removed and spaces squeezed."""
    return " ".join(html.unescape(_TAG.sub(" ", page)).split())


def test_it_shows_each_raters_levels_the_consensus_and_the_score(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    first, second = studies[:2]
    rate(workspace, "bob", team, first, "Co-production", "Devolving")
    rate(workspace, "carol", team, first, "Co-production", "Collaborating")
    rate(workspace, "bob", team, second, "Co-design", "Involving")
    rate(workspace, "carol", team, second, "Co-design", "Involving")
    with workspace.transaction("alice") as tx:
        coproduction.agree_level(
            tx, team.review_id, first, NHSE, "Devolving", rationale="Agreed at the meeting"
        )
    page = text_of(visit("alice").get(base(team)).get_data(as_text=True))
    assert "bob: 7 Co-production" in page and "carol: 4 Collaborating" in page
    assert "Consensus: 5 Devolving" in page
    assert "bob's score: 12" in page and "carol's score: 11" in page  # each rater's, kept
    assert "sum of TLAP ladder of co-production and" in page  # the scheme, in words
    # The first study scores 12 (7 + 5), the second 9 (6 + 3): highest first.
    assert re.search(r"Consensus: 5 Devolving 12 .*bob: 6 Co-design.* 9\b", page)


def test_it_hides_carols_levels_from_bob_until_he_has_given_his_own(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    study = studies[0]
    rate(workspace, "carol", team, study, "Engagement", "Consulting")
    bob = visit("bob")
    for url in (base(team), f"{base(team)}/studies/{study}", f"{base(team)}/agree"):
        page = text_of(bob.get(url).get_data(as_text=True))
        assert "carol" not in page and "Engagement" not in page.replace("5. Engagement", ""), url
    page = text_of(bob.get(f"{base(team)}/studies/{study}").get_data(as_text=True))
    assert "Other raters' levels show once you have given a level on every scale" in page
    # bob gives one level of two: still blinded.
    bob.post(f"{base(team)}/studies/{study}", {f"level-{TLAP}": "6"})
    assert "carol:" not in text_of(bob.get(base(team)).get_data(as_text=True))
    bob.post(f"{base(team)}/studies/{study}", {f"level-{TLAP}": "6", f"level-{NHSE}": "2"})
    page = text_of(bob.get(base(team)).get_data(as_text=True))
    assert "carol: 5 Engagement" in page and "bob: 6 Co-design" in page


def test_it_rates_a_study_with_a_radio_group_per_scale(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    bob = visit("bob")
    url = f"{base(team)}/studies/{studies[0]}"
    form = bob.get(url).get_data(as_text=True)
    assert form.count("<fieldset") == 2 and form.count("<legend>") == 2
    assert "TLAP ladder of co-production" in form
    for group in ("Doing to people", "Doing for people", "Doing with people"):
        assert group in form
    # Every level has its label and its definition, tied to the radio button.
    assert f'<label for="level-{TLAP}-6">6. Co-design</label>' in form
    assert f'aria-describedby="level-{TLAP}-6-hint"' in form
    assert "help design them from their experience" in form
    assert "Co-delivery" not in form  # the paper's eighth rung is off unless switched on
    saved = bob.post(
        url,
        {f"level-{TLAP}": "7", f"level-{NHSE}": "4", f"rationale-{TLAP}": "Equal partners"},
    )
    assert saved.status_code == 303 and saved.headers["Location"] == url
    assert "Your levels for this study are saved." in bob.get(url).get_data(as_text=True)
    with workspace.transaction("bob") as tx:
        history = coproduction.rating_history(tx, team.review_id, studies[0])
    assert {(r.scale, r.rank, r.rationale) for r in history} == {
        (TLAP, 7, "Equal partners"),
        (NHSE, 4, ""),
    }
    # The same form again (a double click) records nothing new.
    again = bob.post(
        url,
        {f"level-{TLAP}": "7", f"level-{NHSE}": "4", f"rationale-{TLAP}": "Equal partners"},
    )
    assert again.status_code == 303
    assert "Nothing changed" in bob.get(url).get_data(as_text=True)
    with workspace.transaction("bob") as tx:
        assert len(coproduction.rating_history(tx, team.review_id, studies[0])) == 2
    page = bob.get(url).get_data(as_text=True)
    assert f'value="7"\n                 aria-describedby="level-{TLAP}-7-hint" checked' in page


def test_it_says_plainly_what_is_wrong_with_a_rating(visit, team: Team, studies: list[int]) -> None:
    bob = visit("bob")
    url = f"{base(team)}/studies/{studies[0]}"
    bob.get(url)
    empty = bob.post(url, {}, headers={"Referer": f"http://localhost{url}"})
    assert empty.status_code == 303
    assert "Choose a level on at least one scale" in bob.get(url).get_data(as_text=True)
    bob.post(url, {f"level-{TLAP}": "8"}, headers={"Referer": f"http://localhost{url}"})
    page = html.unescape(bob.get(url).get_data(as_text=True))
    assert "has no level '8' (Co-delivery is switched off in this review)" in page
    # A record that is not an included study has no scoring page.
    assert bob.get(f"{base(team)}/studies/{studies[2]}").status_code == 404


def test_it_records_the_consensus_where_the_raters_differ(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    study = studies[0]
    rate(workspace, "bob", team, study, "Co-production", "Devolving")
    rate(workspace, "carol", team, study, "Co-production", "Collaborating")
    alice = visit("alice")
    page = alice.get(f"{base(team)}/agree").get_data(as_text=True)
    assert "bob gave 5 Devolving." in page and "carol gave 4 Collaborating." in page
    assert page.count('name="level"') == 5  # one agreed level of the spectrum's five
    url = f"{base(team)}/studies/{study}/agree"
    refused = alice.post(
        url,
        {"scale": NHSE, "level": "5", "rationale": " "},
        headers={"Referer": f"http://localhost{base(team)}/agree"},
    )
    assert refused.status_code == 303
    assert "Say how the consensus was reached" in alice.get(f"{base(team)}/agree").get_data(
        as_text=True
    )
    done = alice.post(url, {"scale": NHSE, "level": "5", "rationale": "Discussed on 3 May"})
    assert done.status_code == 303 and done.headers["Location"] == f"{base(team)}/agree"
    page = alice.get(done.headers["Location"]).get_data(as_text=True)
    assert "The consensus is recorded: Devolving" in page
    assert "No study is waiting for a consensus." in page
    with workspace.transaction("alice") as tx:
        (score,) = [
            s for s in coproduction.study_scores(tx, team.review_id) if s.record_id == study
        ]
    assert score.score == 12 and score.consensus[NHSE].rationale == "Discussed on 3 May"


def test_it_lets_an_adviser_read_the_scores_but_not_score(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    rate(workspace, "bob", team, studies[0], "Co-design", "Involving")
    rate(workspace, "carol", team, studies[0], "Co-design", "Involving")
    pat = visit("pat")
    assert "bob: 6 Co-design" in text_of(pat.get(base(team)).get_data(as_text=True))
    page = pat.get(f"{base(team)}/studies/{studies[0]}").get_data(as_text=True)
    assert "Save my levels" not in page
    refused = pat.post(f"{base(team)}/studies/{studies[0]}", {f"level-{TLAP}": "7"})
    assert refused.status_code == 403
    assert "Change the scheme" not in pat.get(f"{base(team)}/scheme").get_data(as_text=True)


def test_it_lets_the_lead_switch_on_co_delivery_and_asks_why_once_scoring_began(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    alice = visit("alice")
    url = f"{base(team)}/scheme"
    page = alice.get(url).get_data(as_text=True)
    assert "Use the Co-delivery level of the TLAP ladder of co-production" in page
    assert "No study is scored yet" in page
    saved = alice.post(
        url,
        {"scale": [TLAP, NHSE], "combination": "sum", "optional": "Co-delivery"},  # type: ignore[dict-item]
    )
    assert saved.status_code == 303
    assert "version 1" in alice.get(url).get_data(as_text=True)
    form = visit("bob").get(f"{base(team)}/studies/{studies[0]}").get_data(as_text=True)
    assert "8. Co-delivery" in form
    rate(workspace, "bob", team, studies[0], "Co-delivery", "Devolving")
    page = alice.get(url).get_data(as_text=True)
    assert "Studies are already scored, so the change is an amendment" in page
    change = {"scale": [TLAP], "combination": "sum", "optional": "Co-delivery"}
    alice.post(url, change, headers={"Referer": f"http://localhost{url}"})  # type: ignore[arg-type]
    assert "say why it changes" in alice.get(url).get_data(as_text=True)
    alice.post(url, {**change, "amendment": "The spectrum's labels are unchecked"})  # type: ignore[arg-type]
    page = text_of(alice.get(url).get_data(as_text=True))
    assert (
        "Version 2" in page and "Why it last changed: The spectrum's labels are unchecked" in page
    )
    with workspace.transaction("alice") as tx:
        assert coproduction.scoring_scheme(tx, team.review_id).scales == (TLAP,)


def test_it_refuses_a_weight_that_is_not_a_whole_number(visit, team: Team, studies) -> None:
    alice = visit("alice")
    url = f"{base(team)}/scheme"
    alice.get(url)
    alice.post(
        url,
        {"scale": NHSE, f"weight-{NHSE}": "two"},
        headers={"Referer": f"http://localhost{url}"},
    )
    page = html.unescape(alice.get(url).get_data(as_text=True))
    assert f"The weight of {NHSE} must be a whole number of 1 or more." in page


def test_it_refuses_a_reviewer_the_scheme(visit, team: Team, studies: list[int]) -> None:
    bob = visit("bob")
    url = f"{base(team)}/scheme"
    assert "Change the scheme" not in bob.get(url).get_data(as_text=True)
    assert bob.post(url, {"scale": TLAP}).status_code == 403
