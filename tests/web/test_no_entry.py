"""mallory, who is on no team, walks every route of the app; so does nobody at all. Nothing opens.

The walk reads the URL map, so a page or API route added later is walked
too, with the team's real ids in its URL and with every method it answers.
"""

from __future__ import annotations

import html
import re
from io import BytesIO
from typing import NamedTuple

import pytest
from flask import Flask
from fpdf import FPDF
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from cosynth.domain.roles import Role
from cosynth.services import accounts, jobs, records, reviews
from cosynth.services.workspace import Workspace
from cosynth.web.api import api as api_table
from tests.conftest import Team
from tests.services.screening_helpers import TITLES, import_search, search_export
from tests.web.api_helpers import PREFIX, issue_token

REVIEW_TITLE = "Co-production in integrated care"  # the team fixture's review

# Answered to anyone, signed in or not; still checked for titles.
PUBLIC = {"static", "auth.login", "invitations.accept", "invitations.take_up", "api.openapi"}

SHUT_HTML = {303, 403, 404, 405}  # 303 only to the sign-in page
# A form sent with no one signed in gets the "your session had ended" page: 401, with
# only what the form itself carried (tests/web/test_session_ended.py).
SHUT_FORM = {401, 403, 404, 405}
SHUT_API = {401, 403, 404, 405}
# What a form might carry: enough that a view reaches its service, which refuses.
FORM = {
    "decision": "include",
    "method": "consensus",
    "rationale": "The outsider's walk",
    "reason": "",
    "note": "",
    "role": Role.REVIEWER.value,
    "valid_days": "14",
    "stage": "title-abstract",
    "order": "file",
    "answer": "unsure",
    "criterion": "wrong setting",
}
# Where two forms give one field different choices.
FORM_FOR = {"dedup.decide": {"decision": "merge"}}
# A form no view could accept: every choice wrong, every required field missing, no file.
# Someone without the permission must hear that they may not, never what is wrong with it.
BAD_FORM = {
    "decision": "maybe",
    "method": "coin toss",
    "rationale": "",
    "reason": "not a reason",
    "role": "king",
    "valid_days": "forever",
    "stage": "nowhere",
    "order": "best",
    "answer": "perhaps",
    "criterion": "",
    "searched_on": "yesterday",
    "a": "x",
    "at": "x",
}
BAD_QUERY = "?limit=-1&offset=x&order=best&calibration=perhaps&page=x&at=x"
BAD_BODY = {"decision": "maybe", "no such field": 1}
_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^>]*\))?:)?(\w+)>")


@pytest.fixture
def ids(app: Flask, workspace: Workspace, team: Team) -> dict[str, object]:
    """Real ids of the team's review for every kind of variable the routes have."""
    record_ids = import_search(workspace, team)
    with workspace.transaction(team.lead) as tx:
        source = records.list_sources(tx, team.review_id)[0]
        invitation, _token = accounts.invite(tx, team.review_id, Role.REVIEWER)
        job = jobs.queue_dedup(tx, team.review_id)
    return {
        "review_id": team.review_id,
        "record_id": record_ids[0],
        "other_record_id": record_ids[1],
        "source_id": source.id,
        "invitation_id": invitation.id,
        "job_id": job.id,
        "stage": "title-abstract",
        "token": "not-an-invitation-anyone-was-sent",
        "filename": "cosynth.css",
    }


def walk(app: Flask) -> list[tuple[Rule, str]]:
    return sorted(
        (
            (rule, method)
            for rule in app.url_map.iter_rules()
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
        ),
        key=lambda pair: (pair[0].rule, pair[1]),
    )


def url_of(rule: Rule, ids: dict[str, object]) -> str:
    def filled(found: re.Match[str]) -> str:
        converter, name = found.group(1) or "string", found.group(2)
        if name in ids:
            return str(ids[name])
        assert converter in {"int", "string", "path"}, f"{rule.rule}: fill in <{name}>"
        return "1" if converter == "int" else "x"

    return _VARIABLE.sub(filled, rule.rule)


def request(
    client, rule: Rule, method: str, ids: dict[str, object], headers: dict[str, str],
    *, bad: bool = False,
):  # fmt: skip
    """Ask `rule` with `method`: a good form or body, or (`bad`) one nothing would accept."""
    url = url_of(rule, ids) + (BAD_QUERY if bad else "")
    if method == "GET":
        return client.get(url, headers=headers)
    if rule.rule.startswith(PREFIX + "/"):
        operation = api_table.operations.get(rule.endpoint)
        body = BAD_BODY if bad else _body_for(operation)
        return client.open(url, method=method, json=body, headers=headers)
    # A fresh CSRF token for each form (signing out ends the session that held the last
    # one), so that the answer is about who is asking, not about CSRF.
    form: dict[str, object] = {"csrf_token": _csrf_token(client)}
    if bad:
        form.update(BAD_FORM)
    else:
        form.update({
            "a": ids["record_id"],
            "b": ids["other_record_id"],
            **FORM,
            **FORM_FOR.get(rule.endpoint, {}),
            # Files for the forms that upload them: a search export, a full-text report.
            "files": (BytesIO(search_export()), "cinahl.ris"),
            "pdf": (BytesIO(_pdf()), "report.pdf"),
        })  # fmt: skip
    return client.open(url, method=method, data=form, headers=headers)


def _pdf() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="A full-text report")
    return bytes(document.output())


def _body_for(operation) -> dict[str, object]:
    """A body the API accepts, so the answer is about who asks, not what they sent."""
    if operation is None or operation.body is None:
        return {}
    schema = api_table.schemas[operation.body]
    return {
        name: schema["properties"][name].get("enum", ["The outsider's walk"])[0]
        for name in schema["required"]
    }


def shows_the_review(answer: TestResponse) -> str | None:
    text = answer.get_data(as_text=True)
    for title in (REVIEW_TITLE, *TITLES):
        if title in text or html.escape(title) in text:
            return title
    return None


def test_it_shuts_every_route_to_someone_not_signed_in(app: Flask, ids) -> None:
    nobody = app.test_client()
    problems, walked = [], 0
    for rule, method in walk(app):
        answer = request(nobody, rule, method, ids, {})
        where = f"{method} {url_of(rule, ids)} ({rule.endpoint}) answered {answer.status_code}"
        if title := shows_the_review(answer):
            problems.append(f"{where}, showing {title!r}")
        if rule.endpoint in PUBLIC:
            continue
        walked += 1
        if rule.rule.startswith(PREFIX + "/"):
            shut = answer.status_code in SHUT_API
        else:
            shut = answer.status_code in (SHUT_FORM | SHUT_HTML if method == "POST" else SHUT_HTML)
            if answer.status_code == 303:
                shut = answer.headers["Location"].startswith("/login")
        if not shut:
            problems.append(f"{where} {answer.headers.get('Location', '')}".rstrip())
    assert not problems, "\n".join(problems)
    assert walked >= 30  # the walk really went round (pages and API alike)


def test_it_shuts_every_review_route_to_mallory(app: Flask, workspace: Workspace, ids) -> None:
    let_in, walked = mallory_walks(app, workspace, ids)
    assert not let_in, "\n".join(found.words for found in let_in)
    assert walked >= 25


# The adviser-mode questions keep answers in the person's session from step to step;
# each step asks the services first, so an outsider is refused before anything is kept.
ADVICE_STEPS = {"advice.meets", "advice.criterion", "advice.note", "advice.check", "advice.send"}


def test_it_refuses_mallory_each_adviser_question_outright(
    app: Flask, workspace: Workspace, ids
) -> None:
    let_in, _walked = mallory_walks(app, workspace, ids, only=ADVICE_STEPS)
    assert not let_in, "\n".join(found.words for found in let_in)


# screening.vote reads the decision before asking the services (views/screening.py, which
# another engineer is reworking now; see the test below). Every other route asks first.
READS_FORM_FIRST = {"screening.vote"}


def test_it_refuses_mallory_before_reading_a_bad_form(
    app: Flask, workspace: Workspace, ids
) -> None:
    let_in, walked = mallory_walks(app, workspace, ids, bad=True, skip=READS_FORM_FIRST)
    assert not let_in, "\n".join(found.words for found in let_in)
    assert walked >= 25


def test_it_refuses_an_observer_before_reading_a_bad_form(
    app: Flask, workspace: Workspace, team: Team, ids
) -> None:
    """mallory, made an observer, may look but not act: no form tells her its rules."""
    with workspace.transaction(team.lead) as tx:
        reviews.add_member(tx, team.review_id, "mallory", Role.OBSERVER)
    let_in, walked = mallory_walks(
        app, workspace, ids, bad=True, methods={"POST"}, skip=READS_FORM_FIRST
    )
    assert not let_in, "\n".join(found.words for found in let_in)
    assert walked >= 15


@pytest.mark.parametrize("role", [None, Role.OBSERVER])
def test_it_refuses_a_vote_before_reading_its_decision(
    app: Flask, workspace: Workspace, team: Team, ids, role: Role | None
) -> None:
    if role is not None:
        with workspace.transaction(team.lead) as tx:
            reviews.add_member(tx, team.review_id, "mallory", role)
    let_in, _walked = mallory_walks(
        app, workspace, ids, only=READS_FORM_FIRST, bad=True, methods={"POST"}
    )
    assert not let_in, "\n".join(found.words for found in let_in)


class LetIn(NamedTuple):
    """An answer to mallory that was not a refusal (or that showed her a title)."""

    endpoint: str
    location: str
    words: str
    shown: str = ""  # a title she saw


def mallory_walks(
    app: Flask,
    workspace: Workspace,
    ids: dict[str, object],
    only: set[str] | None = None,
    *,
    bad: bool = False,
    methods: set[str] | None = None,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[list[LetIn], int]:
    """mallory's walk (a cookie and a token, both hers): what let her in, and how far she went.

    `bad`: with a form, body and query that nothing would accept, so that an
    answer of 400 (or a redirect back with the form's complaint) shows a view
    that read her input before asking whether she may act.
    """
    mallory = app.test_client()
    signed = mallory.post(
        "/login", data={"csrf_token": _csrf_token(mallory), "username": "mallory",
                        "password": "a long enough passphrase"},
    )  # fmt: skip
    assert signed.status_code == 303
    token = {"Authorization": f"Bearer {issue_token(workspace, 'mallory')}"}
    let_in: list[LetIn] = []
    walked = 0
    for rule, method in walk(app):
        if rule.endpoint == "auth.logout" or (only is not None and rule.endpoint not in only):
            continue  # signing out would end her walk early
        if rule.endpoint in skip or (methods is not None and method not in methods):
            continue
        if bad and "review_id" not in rule.arguments:
            continue  # her own account's forms: hers to get wrong
        answer = request(mallory, rule, method, ids, token, bad=bad)
        location = answer.headers.get("Location", "")
        where = f"{method} {url_of(rule, ids)} ({rule.endpoint}) answered {answer.status_code}"
        if title := shows_the_review(answer):
            let_in.append(LetIn(rule.endpoint, location, f"{where}, showing {title!r}", title))
        if "review_id" not in rule.arguments:
            continue  # her own pages (her reviews: none; her account): titles checked above
        walked += 1
        # Signed in with a cookie and a token, she is refused for who she is: never sent
        # to sign in, never asked for a token, never sent on to another page.
        if answer.status_code not in {403, 404, 405}:
            let_in.append(LetIn(rule.endpoint, location, f"{where} {location}".rstrip()))
    assert mallory.get("/").status_code == 200  # still signed in: the walk was hers
    return let_in, walked


def _csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)
