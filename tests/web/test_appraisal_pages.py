"""alice sets the appraisal protocol; bob and carol appraise in their browsers; pat looks on.

The paper's review appraised its studies with TAPUPAS and excluded those
scoring below 7; here two studies are appraised through the pages, one falls
below the bar once alice settles the item bob and carol answered differently.
"""

from __future__ import annotations

import html
import io
import re

import pytest

from cosynth.services import appraisal
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.appraisal_helpers import TAPUPAS, appraise, choose_tapupas
from tests.services.screening_helpers import import_search, include_at_full_text

BOBS_REASON = "Quokka ledger: the claims outrun the interviews"


@pytest.fixture
def studies(workspace: Workspace, team: Team, app) -> list[int]:
    """Two studies included at full text (Author1 2013, Author4 2016); a third never was."""
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[3]])
    return [ids[0], ids[3], ids[2]]


def url(team: Team, path: str = "") -> str:
    return f"/reviews/{team.review_id}/appraisal{path}"


def text_of(visitor, address: str) -> str:
    page = visitor.get(address)
    assert page.status_code == 200, page.get_data(as_text=True)
    return html.unescape(page.get_data(as_text=True))


def answers_form(record_answers: dict[str, str], reasons: dict[str, str] | None = None):
    form = {"instrument": "tapupas", "items": " ".join(TAPUPAS)}
    for item, answer in record_answers.items():
        form[f"answer-{item}"] = answer
        form[f"reason-{item}"] = (reasons or {}).get(item, f"page 3 for {item}")
    return form


def test_it_lets_alice_choose_the_instrument_and_the_rule(visit, team: Team, studies) -> None:
    alice = visit("alice")
    summary = text_of(alice, url(team))
    assert "No appraisal instrument is chosen yet" in summary
    page = text_of(alice, url(team, "/protocol"))
    assert 'value="tapupas"' in page and 'value="casp-qualitative-2018"' in page
    assert "<legend>Instrument</legend>" in page and "<legend>Rule</legend>" in page
    saved = alice.post(
        url(team, "/protocol"),
        {"instrument": "tapupas", "rule": "sum", "threshold": "7", "appraisers_required": "2"},
    )
    assert saved.status_code == 303 and saved.headers["Location"] == url(team, "/protocol")
    page = text_of(alice, url(team, "/protocol"))
    assert "The appraisal protocol is version 1: TAPUPAS, sum >= 7." in page
    assert re.search(r'value="tapupas"[^>]*checked', page.replace("\n", " "))
    summary = text_of(alice, url(team))
    assert "TAPUPAS (version" in summary and "a score of at least 7" in summary
    assert "Author1 2013" in summary and "Author4 2016" in summary
    assert "Author3 2015" not in summary  # never included
    assert "No one has started appraising yet." in summary


def test_it_refuses_a_threshold_above_the_maximum_in_the_services_words(
    visit, team: Team, studies
) -> None:
    alice = visit("alice")
    alice.get(url(team, "/protocol"))
    refused = alice.post(
        url(team, "/protocol"),
        {"instrument": "tapupas", "rule": "sum", "threshold": "8"},
        headers={"Referer": f"http://localhost{url(team, '/protocol')}"},
    )
    assert refused.status_code == 303 and refused.headers["Location"] == url(team, "/protocol")
    page = text_of(alice, url(team, "/protocol"))
    assert "A threshold of 8 is above the maximum score of TAPUPAS (7)" in page
    assert "No instrument is chosen yet." in page
    for bad in ("seven", "-1"):
        alice.post(url(team, "/protocol"), {"instrument": "tapupas", "threshold": bad})
        assert "The threshold must be a whole number" in text_of(alice, url(team, "/protocol"))


def test_it_asks_for_the_amendments_reason_once_appraisal_has_started(
    visit, workspace: Workspace, team: Team, studies
) -> None:
    choose_tapupas(workspace, team, threshold=7)
    appraise(workspace, "bob", team, studies[0])
    alice = visit("alice")
    alice.get(url(team, "/protocol"))
    form = {"instrument": "tapupas", "rule": "sum", "threshold": "6"}
    alice.post(url(team, "/protocol"), form)
    page = text_of(alice, url(team, "/protocol"))
    assert "Appraisal has started, so its protocol is locked." in page
    assert "give the reason for this protocol amendment" in page
    amended = alice.post(
        url(team, "/protocol"), {**form, "amendment": "Piloting showed 7 was too strict."}
    )
    assert amended.status_code == 303
    page = text_of(alice, url(team, "/protocol"))
    assert "The appraisal protocol is version 2: TAPUPAS, sum >= 6." in page
    assert "Piloting showed 7 was too strict." in page  # in the versions table
    with workspace.transaction("alice") as tx:
        assert appraisal.appraisal_protocol(tx, team.review_id).amendment.startswith("Piloting")


def test_it_lets_bob_answer_each_item_with_a_reason_and_keeps_carol_blind(
    visit, workspace: Workspace, team: Team, studies
) -> None:
    choose_tapupas(workspace, team, threshold=7)
    study = studies[0]
    bob = visit("bob")
    page = text_of(bob, url(team, f"/studies/{study}"))
    assert page.count("<fieldset") == len(TAPUPAS) and "Transparency" in page
    assert 'name="answer-T"' in page and 'name="reason-T"' in page
    half = bob.post(url(team, f"/studies/{study}"), answers_form({"T": "yes", "A": "no"}))
    assert half.status_code == 303 and half.headers["Location"] == url(team, f"/studies/{study}")
    page = text_of(bob, url(team, f"/studies/{study}"))
    assert "Your answers are saved (2 items)." in page and "In progress" in page
    every = {item: "no" if item == "A" else "yes" for item in TAPUPAS}
    bob.post(url(team, f"/studies/{study}"), answers_form(every, {"A": BOBS_REASON}))
    page = text_of(bob, url(team, f"/studies/{study}"))
    assert BOBS_REASON in page  # his own answers come back to him
    assert re.search(r'value="no"\s+checked', page)

    carol = visit("carol")
    for address in (url(team), url(team, f"/studies/{study}")):
        assert BOBS_REASON not in text_of(carol, address)
    assert "You see only your own answers" in text_of(carol, url(team, f"/studies/{study}"))
    blind = carol.get(url(team, f"/studies/{study}/compare"))
    assert blind.status_code == 403
    assert "can be compared once 2 appraisers have finished it (1 so far)" in html.unescape(
        blind.get_data(as_text=True)
    )
    assert BOBS_REASON not in text_of(visit("pat"), url(team, f"/studies/{study}"))

    carol.post(url(team, f"/studies/{study}"), answers_form(dict.fromkeys(TAPUPAS, "yes")))
    compared = text_of(carol, url(team, f"/studies/{study}/compare"))
    assert BOBS_REASON in compared and "Waiting for the appraisers to agree" in compared
    assert compared.count('class="differs"') == 1
    assert 'name="item" value="A"' in compared  # carol, who finished, may record the agreement


def test_it_says_plainly_what_is_wrong_with_an_answer(
    visit, workspace: Workspace, team: Team, studies
) -> None:
    choose_tapupas(workspace, team, threshold=7)
    study_url = url(team, f"/studies/{studies[0]}")
    bob = visit("bob")
    bob.get(study_url)
    bob.post(study_url, {"items": "T", "reason-T": "No answer chosen"})
    assert "Item T has a reason but no answer" in text_of(bob, study_url)
    bob.post(study_url, {"items": "T", "answer-T": "perhaps"})
    assert '"perhaps" is not an answer to item T (Transparency)' in text_of(bob, study_url)
    bob.post(study_url, {"items": "T"})
    assert "No answers were given." in text_of(bob, study_url)
    bob.post(study_url, {"instrument": "jbi-qualitative", "items": "T", "answer-T": "yes"})
    assert "chose TAPUPAS" in text_of(bob, study_url)
    never = bob.get(url(team, f"/studies/{studies[2]}"))
    assert never.status_code == 404 and "not an included study" in never.get_data(as_text=True)
    with workspace.transaction("bob") as tx:
        assert appraisal.study_appraisal(tx, team.review_id, studies[0]).judgements == ()


def test_it_records_the_agreed_answer_and_counts_the_exclusion(
    visit, workspace: Workspace, team: Team, studies
) -> None:
    choose_tapupas(workspace, team, threshold=7)
    weak, strong = studies[0], studies[1]
    appraise(workspace, "bob", team, weak, unmet=("A",))
    appraise(workspace, "carol", team, weak)
    appraise(workspace, "bob", team, strong)
    alice = visit("alice")
    compare_url = url(team, f"/studies/{weak}/compare")
    page = text_of(alice, compare_url)
    assert "bob's reading of A" in page and "carol's reading of A" in page
    agreed = alice.post(
        url(team, f"/studies/{weak}/consensus"),
        {"item": "A", "answer": "no", "rationale": "Claims outrun the data."},
    )
    assert agreed.status_code == 303 and agreed.headers["Location"] == compare_url
    page = text_of(alice, compare_url)
    assert "Item A: the agreed answer is kept (decided by the lead)." in page
    assert "Nothing to agree" in page and 'class="differs"' not in page

    summary = text_of(visit("pat"), url(team))
    assert "Threshold not met: excluded" in summary and "6 of 7" in summary
    assert "Author1 2013: scored 6, below the threshold of 7 (TAPUPAS)" in re.sub(
        r"<[^>]+>", "", summary
    )
    assert "bob: finished" in summary and "carol: finished" in summary
    assert "1 of 2 finished" in summary  # the strong study: bob only
    dashboard = re.sub(r"\s+", " ", text_of(alice, f"/reviews/{team.review_id}"))
    assert "below the appraisal threshold</th><td>1" in dashboard


def test_it_shows_observers_and_advisers_no_form_and_refuses_their_posts(
    visit, workspace: Workspace, team: Team, studies
) -> None:
    choose_tapupas(workspace, team, threshold=7)
    pat = visit("pat")
    page = text_of(pat, url(team, f"/studies/{studies[0]}"))
    assert 'name="answer-T"' not in page and "Save my answers" not in page
    assert "Save the protocol" not in text_of(pat, url(team, "/protocol"))
    refused = pat.post(url(team, f"/studies/{studies[0]}"), answers_form({"T": "yes"}))
    assert refused.status_code == 403
    refused = pat.post(url(team, "/protocol"), {"instrument": "tapupas", "threshold": "3"})
    assert refused.status_code == 403
    bob = visit("bob")
    bob.get(url(team, "/protocol"))
    assert bob.post(url(team, "/protocol"), {"threshold": "3"}).status_code == 403
    assert visit("mallory").get(url(team)).status_code == 403


OWN = b"""format = 1
id = "our-checklist"
name = "Ours"
version = "1"
[source]
citation = "The review team, 2024."
licence = "CC BY 4.0"
[[scales]]
id = "yn"
answers = [{ id = "yes", label = "Yes", points = 1 }, { id = "no", label = "No", points = 0 }]
[[items]]
id = "voice"
label = "Service users' voices reported"
critical = true
"""


def test_it_lets_alice_add_the_reviews_own_instrument_and_choose_it(
    visit, team: Team, studies
) -> None:
    alice = visit("alice")
    alice.get(url(team, "/protocol"))

    def upload(data: bytes):
        return alice.post(
            url(team, "/instruments"),
            {"instrument_file": (io.BytesIO(data), "ours.toml")},  # type: ignore[dict-item]
            content_type="multipart/form-data",
        )

    assert upload(OWN.replace(b'id = "voice"', b'id = "v oice"')).status_code == 303
    assert "ours.toml, line 12" in text_of(alice, url(team, "/protocol"))
    assert upload(OWN).status_code == 303
    page = text_of(alice, url(team, "/protocol"))
    assert "Ours (version 1) is added" in page and 'value="our-checklist"' in page
    alice.post(url(team, "/protocol"), {"instrument": "our-checklist", "rule": "all-critical"})
    page = text_of(alice, url(team, "/protocol"))
    assert "The appraisal protocol is version 1: Ours, all critical items met." in page
    study = text_of(visit("bob"), url(team, f"/studies/{studies[0]}"))
    assert "Service users' voices reported" in study and "(critical)" in study


def test_it_says_plainly_that_the_item_was_agreed_on_another_page(
    visit, workspace: Workspace, team: Team, studies
) -> None:
    choose_tapupas(workspace, team, threshold=7)
    study = studies[0]
    appraise(workspace, "bob", team, study, unmet=("A",))
    appraise(workspace, "carol", team, study)
    alice, carol = visit("alice"), visit("carol")
    compare_url = url(team, f"/studies/{study}/compare")
    for window in (alice, carol):
        assert 'name="item" value="A"' in text_of(window, compare_url)
    first = carol.post(
        url(team, f"/studies/{study}/consensus"),
        {"item": "A", "answer": "yes", "rationale": "We talked it through: the data hold."},
    )
    assert first.status_code == 303
    stale = alice.post(
        url(team, f"/studies/{study}/consensus"),
        {"item": "A", "answer": "no", "rationale": "Claims outrun the data."},
        headers={"Referer": f"http://localhost{compare_url}"},
    )
    assert stale.status_code == 303 and stale.headers["Location"] == compare_url
    page = text_of(alice, compare_url)
    assert "Item A of Author1 2013 was already agreed by carol (Met)" in page
    assert "nothing was changed" in page and "agreed by the appraisers in discussion" in page
    with workspace.transaction("alice") as tx:
        found = appraisal.study_appraisal(tx, team.review_id, study)
    assert [c.answer for c in found.consensus] == ["yes"]  # the first agreement stands
