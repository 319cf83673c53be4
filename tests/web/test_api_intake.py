"""Scripts get the records in through the API: import a file, settle the duplicates, full texts.

Every answer is checked against the OpenAPI document (`ApiClient`), so these
tests also hold the document to what the operations do.
"""

from __future__ import annotations

import pytest
from flask import Flask

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import dedup as dedup_service
from cosynth.services.imports import import_file
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search, search_export, vote
from tests.services.test_fulltext import study_pdf
from tests.web.api_helpers import ApiClient, issue_token
from tests.web.test_duplicates_page import LATER, PEER_SUPPORT
from tests.web.test_no_leak import shows_bobs_vote

FT = Stage.FULL_TEXT
BOBS_NOTE = "Quokka marmalade: the setting looks wrong to me"


@pytest.fixture
def as_(app: Flask, workspace: Workspace):
    """`as_("bob")`: a script with a token of bob's."""

    def script(who: str) -> ApiClient:
        return ApiClient(app, issue_token(workspace, who))

    return script


def review_url(team: Team) -> str:
    return f"/reviews/{team.review_id}"


# -- import


def test_it_imports_alices_export_and_gives_the_report(as_, team: Team) -> None:
    alice = as_("alice")
    sources = review_url(team) + "/sources"
    imported = alice.upload(
        sources,
        {"file": (search_export(), "../exports/cinahl.ris")},
        database="CINAHL",
        platform="EBSCOhost",
        searched_on="2022-03-31",
    )
    assert imported.status_code == 201, imported.get_json()
    report = imported.get_json()
    assert (report["records_read"], report["records_imported"], report["skipped"]) == (6, 6, [])
    source = report["source"]
    assert source["filename"] == "cinahl.ris" and source["format"] == "ris"
    assert (source["database"], source["searched_on"]) == ("CINAHL", "2022-03-31")
    assert alice.get(sources).get_json()["sources"] == [source]
    stored = alice.get(f"{sources}/{source['id']}").get_json()
    assert (stored["source"], stored["records_imported"]) == (source, 6)

    again = alice.upload(sources, {"file": (search_export(), "cinahl.ris")})
    assert again.status_code == 400
    assert "already imported" in again.get_json()["error"]["message"]
    forced = alice.upload(sources, {"file": (search_export(), "cinahl.ris")}, again="true")
    assert forced.status_code == 201


def test_it_says_what_is_wrong_with_an_import(as_, team: Team) -> None:
    alice = as_("alice")
    sources = review_url(team) + "/sources"

    def refused(answer, words: str) -> None:
        assert answer.status_code == 400, answer.get_json()
        assert words in answer.get_json()["error"]["message"], answer.get_json()

    refused(alice.post(sources, {"file": "TY  - JOUR"}), "multipart/form-data")
    refused(alice.upload(sources, {}, database="CINAHL"), "multipart field `file`")
    refused(alice.upload(sources, {"file": (b"x", "a.ris")}, base="x"), "Unknown field(s) base")
    refused(
        alice.upload(sources, {"file": (search_export(), "a.ris")}, searched_on="last week"),
        "a date like 2022-03-31",
    )
    refused(alice.upload(sources, {"file": (b"\x00\x01 not a citation", "a.bin")}), "a.bin")
    assert alice.get(f"{sources}/424242").status_code == 404


def test_it_lets_only_those_who_may_import(as_, workspace: Workspace, team: Team) -> None:
    upload = {"file": (search_export(), "cinahl.ris")}
    for who in ("pat", "mallory"):
        refused = as_(who).upload(review_url(team) + "/sources", upload)
        assert refused.status_code == 403, who
    assert as_("pat").get(review_url(team) + "/sources").get_json() == {"sources": []}
    assert as_("mallory").get(review_url(team) + "/sources").status_code == 403


# -- de-duplication


@pytest.fixture
def two_copies(workspace: Workspace, team: Team, app) -> tuple[int, int]:
    with workspace.transaction("alice") as tx:
        import_file(tx, team.review_id, "cinahl.ris", PEER_SUPPORT, database="CINAHL")
        import_file(tx, team.review_id, "scopus.ris", LATER, database="Scopus")
        dedup_service.run_dedup(tx, team.review_id)
        (pair,) = dedup_service.pairs_to_review(tx, team.review_id)
    return pair.a.id, pair.b.id


def test_it_lets_bob_merge_a_pair_and_undo_it(as_, team: Team, two_copies) -> None:
    a, b = two_copies
    bob, carol = as_("bob"), as_("carol")
    dups = review_url(team) + "/duplicates"
    (pair,) = bob.get(dups + "/pairs").get_json()["pairs"]
    assert (pair["a"]["id"], pair["b"]["id"]) == (a, b)
    assert pair["a"]["citation"]["volume"] == "21" and pair["b"]["citation"]["volume"] == "22"

    merged = bob.post(dups + "/pairs/decisions", {"a": a, "b": b, "decision": "merge"})
    assert merged.status_code == 201
    group = merged.get_json()["group"]
    assert [record["id"] for record in group["records"]] == [a, b] and group["id"] == a
    assert bob.get(dups + "/pairs").get_json() == {"pairs": []}
    assert bob.get(dups + "/groups").get_json()["groups"] == [group]

    # carol listed the pair before bob decided it: her decision is refused, plainly.
    stale = carol.post(dups + "/pairs/decisions", {"a": a, "b": b, "decision": "not duplicates"})
    assert stale.status_code == 400
    assert "already decided (merged as one work)" in stale.get_json()["error"]["message"]

    undone = carol.post(f"{dups}/groups/{b}/undo", {})
    assert undone.status_code == 200 and undone.get_json() == group
    assert carol.get(dups + "/groups").get_json() == {"limit": 50, "offset": 0, "groups": []}
    again = carol.post(f"{dups}/groups/{b}/undo", {})
    assert again.status_code == 404


def test_it_keeps_a_pair_apart_and_checks_the_decision(as_, team: Team, two_copies) -> None:
    a, b = two_copies
    bob = as_("bob")
    decisions = review_url(team) + "/duplicates/pairs/decisions"
    for body, words in (
        ({"a": a, "b": b, "decision": "same"}, "decision must be one of merge, not duplicates"),
        ({"a": a, "b": "x", "decision": "merge"}, "b must be a record's id"),
        ({"a": a, "b": a, "decision": "merge"}, "cannot be a duplicate of itself"),
        ({"a": a, "decision": "merge"}, "The field(s) b must be given"),
    ):
        refused = bob.post(decisions, body)
        assert refused.status_code == 400 and words in refused.get_json()["error"]["message"]
    apart = bob.post(decisions, {"a": a, "b": b, "decision": "not duplicates", "note": "2 papers"})
    assert apart.status_code == 201 and apart.get_json()["group"] is None
    assert bob.get(review_url(team) + "/duplicates/groups").get_json()["groups"] == []


def test_it_refuses_pat_and_mallory_before_reading_the_decision(
    as_, team: Team, two_copies
) -> None:
    a, _b = two_copies
    dups = review_url(team) + "/duplicates"
    for who in ("pat", "mallory"):
        script = as_(who)
        assert script.post(dups + "/pairs/decisions", {"decision": "?"}).status_code == 403
        assert script.post(f"{dups}/groups/{a}/undo", {}).status_code == 403
    assert as_("pat").get(dups + "/pairs").status_code == 200
    assert as_("mallory").get(dups + "/pairs").status_code == 403


# -- full text


@pytest.fixture
def at_full_text(workspace: Workspace, team: Team, app) -> list[int]:
    records = import_search(workspace, team)
    for record in records[:3]:
        both_vote(workspace, team, record, Decision.INCLUDE, Decision.INCLUDE)
    return records[:3]


def test_it_lets_bob_attach_a_pdf_and_alice_mark_one_not_retrieved(
    as_, team: Team, at_full_text: list[int]
) -> None:
    first, second, _third = at_full_text
    bob, alice = as_("bob"), as_("alice")
    fulltext = review_url(team) + "/fulltext"
    pdf = study_pdf("Background on integrated care.", "Carers said: we were listened to.")
    attached = bob.upload(f"{fulltext}/{first}/reports", {"file": (pdf, "../papers/carers.pdf")})
    assert attached.status_code == 201
    report = attached.get_json()
    assert (report["filename"], report["page_count"], report["added_by"]) == (
        "carers.pdf",
        2,
        "bob",
    )
    html = b"<html><script>alert(1)</script></html>"
    disguised = bob.upload(f"{fulltext}/{second}/reports", {"file": (html, "paper.pdf")})
    assert disguised.status_code == 400
    assert "not a PDF" in disguised.get_json()["error"]["message"]

    blank = alice.post(f"{fulltext}/{second}/not-retrieved", {"note": " "})
    assert blank.status_code == 400 and "Say what was tried" in blank.get_json()["error"]["message"]
    marked = alice.post(f"{fulltext}/{second}/not-retrieved", {"note": "Library; author emailed"})
    assert marked.status_code == 201
    assert marked.get_json()["marked_by"] == "alice"

    listed = bob.get(fulltext).get_json()
    entries = {entry["record"]["id"]: entry for entry in listed["entries"]}
    assert set(entries) == set(at_full_text)
    assert entries[first]["reports"] == [report] and entries[first]["not_retrieved"] is None
    assert entries[second]["not_retrieved"] == marked.get_json()
    assert entries[first]["asked_of_me"] and entries[first]["waiting_for_me"]
    summary = listed["summary"]
    assert (summary["sought"], summary["not_retrieved"], summary["with_report"]) == (3, 1, 1)


def test_it_lets_only_those_who_may_attach(as_, team: Team, at_full_text: list[int]) -> None:
    fulltext = review_url(team) + "/fulltext"
    pdf = study_pdf("A page.")
    for who in ("pat", "mallory"):
        script = as_(who)
        upload = script.upload(f"{fulltext}/{at_full_text[0]}/reports", {"file": (pdf, "a.pdf")})
        assert upload.status_code == 403, who
        assert script.post(f"{fulltext}/{at_full_text[0]}/not-retrieved", {}).status_code == 403
    assert as_("mallory").get(fulltext).status_code == 403


def test_it_never_shows_carol_bobs_full_text_vote_before_she_votes(
    as_, workspace: Workspace, team: Team, at_full_text: list[int]
) -> None:
    first = at_full_text[0]
    bob, carol = as_("bob"), as_("carol")
    bob.upload(
        f"{review_url(team)}/fulltext/{first}/reports", {"file": (study_pdf("A page."), "a.pdf")}
    )
    vote(workspace, "bob", team, first, Decision.EXCLUDE, stage=FT, reason="wrong setting",
         note=BOBS_NOTE)  # fmt: skip
    answer = carol.get(review_url(team) + "/fulltext")
    text = answer.get_data(as_text=True)
    assert not shows_bobs_vote(text)
    entry = next(e for e in answer.get_json()["entries"] if e["record"]["id"] == first)
    assert (entry["status"], entry["votes_in"]) == ("awaiting votes", 1)
    assert answer.get_json()["summary"]["excluded"] == 0
    # Once carol has voted too, the stage's counts move: the check can see a decision.
    vote(workspace, "carol", team, first, Decision.EXCLUDE, stage=FT, reason="wrong setting")
    after = carol.get(review_url(team) + "/fulltext").get_json()
    assert after["summary"]["excluded"] == 1


def test_it_describes_the_new_operations_with_their_permissions(app: Flask) -> None:
    paths = ApiClient(app).document["paths"]
    imported = paths["/reviews/{review_id}/sources"]["post"]
    assert "multipart/form-data" in imported["requestBody"]["content"]
    assert "import" in imported["description"] and "403" in imported["responses"]
    decide = paths["/reviews/{review_id}/duplicates/pairs/decisions"]["post"]
    assert "de-duplicate records" in decide["description"]
    listed = paths["/reviews/{review_id}/fulltext"]["get"]
    assert listed["description"] == "Open to every member of the review."
