"""No page, file or API answer shows bob carol's vote on a record he has not voted on (issue 10).

alice's review is the paper's worked example (`walk.build_review`), where
carol alone has excluded one more record, with a note and a tag. bob
(reviewer) and pat (adviser) then open every GET route of the web app and
the JSON API: each URL alice's crawl found (every export, report, figure
and the audit log she can reach; the archive, a form, is posted), each route
filled in for carol's record, and each route with made-up ids (error pages). Each answer is read
as text (a ZIP such as a Word file or an archive member by member; JSON and
CSV by their structure) and searched for carol's note, her tag, and her
decision on that record. alice, who may see every vote in the archive, is
the check that the search finds the vote where it is shown.

`test_authorisation_matrix.py` runs a lighter form of the same search on
its walk; this test adds the record's own pages, structured reading of JSON
and CSV, and the adviser.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from cosynth.services.workspace import Workspace
from cosynth.store.tables import VoteRow
from tests.conftest import Team
from tests.security.walk import (
    CAROLS_NOTE,
    CAROLS_TAG,
    STAGE,
    Person,
    build_review,
    crawl,
    readable,
    reset_token,
    shows_carols_vote,
    targets,
)
from tests.web.conftest import app, cheap_hashing  # noqa: F401  (fixtures)

READERS = {"reviewer": "bob", "adviser": "pat"}


def carols_record(workspace: Workspace) -> int:
    with workspace.transaction("test") as tx:
        return tx.session.scalars(
            select(VoteRow.record_id).where(
                VoteRow.reviewer == "carol", VoteRow.decision == "exclude"
            )
        ).one()


def leak_in(answer: TestResponse, record_id: int) -> str | None:
    """What of carol's vote the answer shows, in words, or None."""
    body = answer.get_data()
    text = readable(body)
    if shows_carols_vote(text):
        return "her note, her tag, or 'carol ... exclude'"
    if answer.mimetype == "application/json":
        try:
            found = _json_leak(json.loads(body), record_id)
        except ValueError:
            found = None
        if found:
            return found
    if answer.mimetype in {"text/csv", "application/csv"} or text.startswith("record,"):
        for row in csv.reader(io.StringIO(text)):
            cells = {cell.strip().lower() for cell in row}
            if "carol" in cells and "exclude" in cells:
                return f"a CSV row: {row[:6]}"
            if str(record_id) in cells and "exclude" in cells:
                return f"a CSV row of her record: {row[:6]}"
    return None


def _json_leak(value: Any, record_id: int) -> str | None:
    """An object naming carol (or her record) beside the decision "exclude"."""
    if isinstance(value, list):
        return next((found for item in value if (found := _json_leak(item, record_id))), None)
    if not isinstance(value, dict):
        return None
    values = {str(v).lower() for v in value.values() if not isinstance(v, dict | list)}
    if "exclude" in values and ("carol" in values or value.get("record_id") == record_id):
        return f"a JSON object: {dict(list(value.items())[:6])}"
    if CAROLS_TAG in json.dumps(value) or CAROLS_NOTE in json.dumps(value):
        return "her note or tag in JSON"
    return next((found for item in value.values() if (found := _json_leak(item, record_id))), None)


def test_it_shows_no_one_carols_vote_before_they_have_voted(
    app: Flask,  # noqa: F811
    workspace: Workspace,
    team: Team,
) -> None:
    build_review(workspace, team)
    record_id = carols_record(workspace)
    review = f"/reviews/{team.review_id}"
    lead = Person(app, workspace, "alice")
    found, crawled = crawl(app, lead, [review, f"{review}/group", f"{review}/synthesis"])
    on_her_record = {"review_id": str(team.review_id), "stage": STAGE, "record_id": str(record_id)}
    made_up = {"review_id": str(team.review_id), "stage": STAGE, "token": reset_token(workspace)}
    urls = set(crawled)
    for defaults in (on_her_record, made_up):
        urls |= {t.url for t in targets(app, {}, defaults) if t.method == "GET"}
    urls |= {t.url for t in targets(app, found, made_up) if t.method == "GET"}
    urls = {url for url in urls if not url.endswith("/logout")}
    # Downloads sent as a form (the archive): read-only, so they are walked too.
    requests = [("GET", url) for url in sorted(urls)] + [
        ("POST", t.url)
        for t in targets(app, found, made_up)
        if t.method == "POST" and t.endpoint == "exports.archive"
    ]

    seen_by_lead = [url for method, url in requests if leak_in(lead.send(method, url), record_id)]
    assert seen_by_lead, "carol's vote was found nowhere, not even by the lead"

    leaks = []
    errors = []
    for persona, who in READERS.items():
        person = Person(app, workspace, who)
        for method, url in requests:
            answer = person.send(method, url)
            if answer.status_code >= 500:
                errors.append((who, method, url, answer.status_code))
            found_leak = leak_in(answer, record_id)
            if found_leak:
                leaks.append((persona, method, url, found_leak))
    assert not leaks, "\n".join(map(str, leaks))
    assert not errors, errors


def test_it_finds_a_vote_in_json_and_csv_when_one_is_there() -> None:
    """The search itself: carol's decision is found however an answer lays it out."""

    class Answer:
        def __init__(self, body: str, mimetype: str) -> None:
            self.body, self.mimetype = body.encode(), mimetype

        def get_data(self) -> bytes:
            return self.body

    vote = {"votes": [{"reviewer": "carol", "stage": STAGE, "decision": "exclude"}]}
    on_record = {"record_id": 7, "my_vote": None, "decision": "exclude"}
    rows = "record,title,reviewer,decision\n7,A study,carol,exclude\n"
    for body, mimetype in (
        (json.dumps(vote), "application/json"),
        (json.dumps(on_record), "application/json"),
        (rows, "text/csv"),
    ):
        assert leak_in(Answer(body, mimetype), 7), body  # type: ignore[arg-type]
    other = Answer(json.dumps({"record_id": 8, "decision": "exclude"}), "application/json")
    assert leak_in(other, 7) is None  # type: ignore[arg-type]
