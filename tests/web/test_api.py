"""Scripts use the JSON API with a token: the team's day, and the document that describes it."""

from __future__ import annotations

import pytest
from flask import Flask
from openapi_spec_validator import validate

from cosynth.domain.screening.votes import Decision
from cosynth.errors import ConcurrentChangeError
from cosynth.services import accounts
from cosynth.services import screening as screening_service
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import TITLES, both_vote, import_search
from tests.web.api_helpers import PREFIX, ApiClient, issue_token, openapi_path


@pytest.fixture
def records(workspace: Workspace, team: Team, app: Flask) -> list[int]:
    return import_search(workspace, team)


@pytest.fixture
def as_(app: Flask, workspace: Workspace):
    """`as_("bob")`: a script with a token of bob's; `as_(None)`: one with no token."""

    def script(who: str | None) -> ApiClient:
        return ApiClient(app, issue_token(workspace, who) if who else None)

    return script


def stage_url(team: Team, stage: str = "title-abstract") -> str:
    return f"/reviews/{team.review_id}/screening/{stage}"


def routes_against_document(app: Flask) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(routes the document leaves out, operations the document has that no route serves)."""
    served = {
        (method, openapi_path(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(PREFIX + "/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    document = ApiClient(app).document
    described = {
        (method.upper(), path) for path, operations in document["paths"].items()
        for method in operations
    }  # fmt: skip
    return served - described, described - served


def test_it_describes_every_api_route_and_nothing_else(app: Flask) -> None:
    assert routes_against_document(app) == (set(), set())


def test_it_notices_a_route_added_behind_the_documents_back(app: Flask) -> None:
    app.add_url_rule(f"{PREFIX}/reviews/<int:review_id>/secret", "secret", lambda review_id: "")
    assert routes_against_document(app) == ({("GET", "/reviews/{review_id}/secret")}, set())


def test_it_publishes_a_valid_openapi_3_1_document_to_anyone(app: Flask) -> None:
    answer = app.test_client().get(f"{PREFIX}/openapi.json")
    assert answer.status_code == 200
    document = answer.get_json()
    validate(document)  # the OpenAPI 3.1 meta-schema
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": PREFIX}]
    assert document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    assert document["paths"]["/openapi.json"]["get"]["security"] == []


def test_it_refuses_a_script_without_a_good_token(app: Flask, workspace: Workspace, team) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic YWxpY2U6cGFzc3dvcmQ="},
        {"Authorization": "Bearer cst_not-a-token-anyone-was-given"},
    ):
        answer = app.test_client().get(f"{PREFIX}/reviews", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.headers["WWW-Authenticate"].startswith("Bearer ")
        assert answer.get_json()["error"]["type"] == "unauthorized"
    with workspace.transaction("alice") as tx:
        issued, secret = accounts.issue_api_token(tx, "the laptop")
    laptop = ApiClient(app, secret)
    assert laptop.get("/reviews").status_code == 200
    with workspace.transaction("alice") as tx:
        accounts.revoke_api_token(tx, issued.id)
    refused = laptop.get("/reviews")
    assert refused.status_code == 401
    assert "revoked" in refused.get_json()["error"]["message"]


def test_it_never_takes_the_session_cookie(app: Flask, visit, team: Team, records) -> None:
    alice = visit("alice")
    assert alice.get("/").status_code == 200  # signed in, with a cookie
    assert alice.client.get(f"{PREFIX}/reviews").status_code == 401
    # Nor does the page's CSRF token make a cookie enough to vote with.
    forged = alice.client.post(
        f"{PREFIX}{stage_url(team)}/records/{records[0]}/votes",
        json={"decision": "include"},
        headers={"X-CSRFToken": alice.token},
    )
    assert forged.status_code == 401


def test_it_shows_alice_her_reviews_and_their_counts(as_, team: Team, records) -> None:
    alice = as_("alice")
    listed = alice.get("/reviews").get_json()["reviews"]
    assert [review["title"] for review in listed] == ["Co-production in integrated care"]
    detail = alice.get(f"/reviews/{team.review_id}")
    assert detail.headers["Cache-Control"] == "no-store"
    found = detail.get_json()
    assert found["role"] == "lead"
    assert found["status"]["records"] == 6 and found["status"]["members"] == 4
    assert found["status"]["records_by_database"] == [{"database": "CINAHL", "records": 6}]
    assert as_("mallory").get("/reviews").get_json() == {"reviews": []}


def test_it_pages_and_searches_the_records(as_, team: Team, records) -> None:
    pat = as_("pat")
    base = f"/reviews/{team.review_id}/records"
    page = pat.get(base, limit=2, offset=1).get_json()
    assert page["total"] == 6 and (page["limit"], page["offset"]) == (2, 1)
    assert [record["id"] for record in page["records"]] == records[1:3]
    found = pat.get(base, search="unpaid carers").get_json()
    assert [record["citation"]["title"] for record in found["records"]] == [TITLES[0]]
    assert found["total"] == 1
    one = pat.get(f"{base}/{records[3]}").get_json()
    assert one["citation"]["title"] == TITLES[3] and one["citation"]["year"] == 2016
    assert pat.get(f"{base}/424242").status_code == 404
    too_many = pat.get(base, limit=501)
    assert too_many.status_code == 400 and "limit" in too_many.get_json()["error"]["message"]


def test_it_lets_bob_screen_in_his_order_without_a_csrf_token(as_, team: Team, records) -> None:
    bob = as_("bob")
    queue = bob.get(f"{stage_url(team)}/queue", order="file", limit=2).get_json()
    assert queue["waiting"] == 6 and queue["order"] == "file"
    assert queue["record_ids"] == records[:2]
    votes = f"{stage_url(team)}/records/{records[0]}/votes"
    body = {"decision": "exclude", "reason": "wrong setting", "note": "a ward", "tags": ["ward"]}
    cast = bob.post(votes, body)
    assert cast.status_code == 201
    assert cast.get_json()["reviewer"] == "bob" and cast.get_json()["tags"] == ["ward"]
    again = bob.post(votes, body)  # a script that retries sends it twice: one vote
    assert again.get_json()["id"] == cast.get_json()["id"]
    view = bob.get(f"{stage_url(team)}/records/{records[0]}").get_json()
    assert view["my_vote"]["decision"] == "exclude"
    assert (view["votes_in"], view["votes_required"], view["blinded"]) == (1, 2, True)
    assert view["outcome"]["status"] == "awaiting votes"
    ranked = bob.get(f"{stage_url(team)}/queue").get_json()
    assert ranked["order"] == "ranked" and ranked["waiting"] == 5
    assert records[0] not in ranked["record_ids"]
    progress = bob.get(f"{stage_url(team)}/progress").get_json()
    assert {"reviewer": "bob", "voted": 1, "to_do": 5} in progress["reviewers"]
    assert progress["partly_voted"] == 1 and progress["protocol"]["blinded"] is True


def test_it_lets_alice_settle_a_conflict_but_not_pat(
    as_, workspace: Workspace, team: Team, records
) -> None:
    both_vote(workspace, team, records[3], Decision.INCLUDE, Decision.EXCLUDE)
    listed = as_("carol").get(f"{stage_url(team)}/conflicts").get_json()["conflicts"]
    assert [conflict["record"]["id"] for conflict in listed] == [records[3]]
    assert {(vote["reviewer"], vote["decision"]) for vote in listed[0]["votes"]} == {
        ("bob", "include"),
        ("carol", "exclude"),
    }
    resolution = f"{stage_url(team)}/conflicts/{records[3]}/resolution"
    decided = {"decision": "include", "rationale": "A hub co-designed with carers"}
    refused = as_("pat").post(resolution, decided)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["type"] == "permission_denied"
    settled = as_("alice").post(resolution, decided)
    assert settled.status_code == 201
    assert settled.get_json()["method"] == "consensus"
    assert settled.get_json()["resolved_by"] == "alice"
    alice = as_("alice")
    assert alice.get(f"{stage_url(team)}/conflicts").get_json()["conflicts"] == []
    assert alice.get(f"{stage_url(team)}/progress").get_json()["included"] == 1
    agreement = alice.get(f"{stage_url(team)}/agreement").get_json()
    assert agreement["overall"]["records"] == 1 and agreement["overall"]["percent"] == 0
    assert [(p["reviewer_a"], p["reviewer_b"]) for p in agreement["pairs"]] == [("bob", "carol")]
    calibration = alice.get(f"{stage_url(team)}/agreement", calibration="true").get_json()
    assert calibration["calibration"] is True and calibration["overall"]["records"] == 0


def test_it_answers_every_error_in_json(
    as_, team: Team, records, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = as_("bob")
    votes = f"{stage_url(team)}/records/{records[0]}/votes"

    def refused(answer, status: int, kind: str, words: str) -> None:
        assert answer.status_code == status, answer.get_json()
        error = answer.get_json()["error"]
        assert error["type"] == kind and words in error["message"], error
        assert answer.headers["Cache-Control"] == "no-store"

    refused(bob.post(votes, {"decision": "maybe"}), 400, "invalid_input", "decision must be")
    refused(
        bob.post(votes, {"decision": "include", "reasons": "x"}), 400, "invalid_input", "reasons"
    )
    refused(bob.post(votes, {}), 400, "invalid_input", "decision must be given")
    refused(bob.post(votes, ["include"]), 400, "invalid_input", "JSON object")
    refused(bob.post(votes, {"decision": "include", "tags": "a, b"}), 400, "invalid_input", "tags")
    refused(bob.post(votes, {"decision": "exclude"}), 400, "invalid_input", "Say why")
    form = bob.client.post(PREFIX + votes, data={"decision": "include"}, headers=bob.headers)
    refused(bob.checked("POST", PREFIX + votes, form), 400, "invalid_input", "JSON object")
    refused(bob.get(f"{stage_url(team)}/queue", order="best"), 400, "invalid_input", "order")
    refused(bob.get(f"{stage_url(team, 'abstracts')}/progress"), 404, "not_found", "title-abstract")
    refused(bob.get(f"/reviews/{team.review_id}/records/424242"), 404, "not_found", "424242")
    refused(as_("mallory").get(f"/reviews/{team.review_id}"), 403, "permission_denied", "mallory")
    refused(as_("pat").post(votes, {"decision": "include"}), 403, "permission_denied", "assigned")
    refused(bob.get("/no/such/thing"), 404, "not_found", "URL")
    refused(bob.checked("GET", PREFIX, bob.client.get(PREFIX)), 404, "not_found", "URL")
    wrong_method = bob.post(f"/reviews/{team.review_id}", {})
    refused(wrong_method, 405, "method_not_allowed", "method")
    assert "GET" in wrong_method.headers["Allow"]

    def at_the_same_moment(*args: object, **kwargs: object) -> None:
        raise ConcurrentChangeError("carol changed this record at the same moment; try again.")

    monkeypatch.setattr(screening_service, "cast_vote", at_the_same_moment)
    refused(bob.post(votes, {"decision": "include"}), 409, "concurrent_change", "same moment")
