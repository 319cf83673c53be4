"""Walk every route of the web app as each person, on a review that is not theirs.

The review is the paper's worked example taken through every step
(`services.worked_example`, `services.worked_synthesis`): records, votes,
extraction, quotes, scores, the advisory group, a roundtable and its
transcript, concepts, translations and themes. Its lead, alice, opens every
page she can reach from the dashboard; each link and form she finds gives
the real ids for a route's path. Then every route is opened as each person
with GET, and every route that takes POST is sent an empty form with a
valid CSRF token, and the answer is put in a word.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Rule
from werkzeug.test import TestResponse

from cosynth.domain.roles import Role
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import accounts, screening
from cosynth.services.reviews import add_member
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import (
    WorkedSynthesis,
    build_worked_synthesis,
    load_worked_synthesis,
)
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search
from tests.web.api_helpers import issue_token
from tests.web.conftest import PASSWORD, Visitor

# Column -> the person who plays it. "outsider" is mallory, signed in but on no
# part of alice's review; "anonymous" has no session and no token.
PERSONAS: dict[str, str | None] = {
    "lead": "alice",
    "reviewer": "bob",
    "adviser": "pat",
    "observer": "olive",
    "outsider": "mallory",
    "anonymous": None,
}
# The order they are walked in: whoever may change the least goes first, so
# that a form a lead may send (and that changes the review) is sent last.
WALK_ORDER = ("anonymous", "outsider", "observer", "adviser", "reviewer", "lead")
STAGE = "title-abstract"

_LINK = re.compile(r'(?:href|src|action|hx-get|hx-post)="([^"]+)"')
_FORM = re.compile(r'<form\b[^>]*\baction="([^"]+)"[^>]*>', re.IGNORECASE)
_METHOD_POST = re.compile(r'\bmethod="post"', re.IGNORECASE)
_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^>]*\))?:)?(\w+)>")
_TAG = re.compile(r"<[^>]+>")
Inspect = Callable[[str, str, TestResponse], None]


# Words that appear nowhere but in carol's vote, cast on a record no one else has voted on.
CAROLS_NOTE = "Pelican custard: the sample looks too small to me"
CAROLS_TAG = "aardvark-lantern"


def build_review(workspace: Workspace, team: Team) -> WorkedSynthesis:
    """alice's review: the worked example and its synthesis; olive observes; carol has
    excluded one more record, with a note and a tag, and no one else has voted on it."""
    example = load_worked_example()
    refs = build_worked_example(workspace, team.review_id, example)
    synthesis = load_worked_synthesis(example)
    build_worked_synthesis(workspace, team.review_id, refs, synthesis)
    worked = set(refs.values())
    record_id = next(found for found in import_search(workspace, team) if found not in worked)
    with workspace.transaction("carol") as tx:
        screening.cast_vote(
            tx,
            team.review_id,
            record_id,
            Decision.EXCLUDE,
            stage=Stage.TITLE_ABSTRACT,
            reason="wrong study design",
            note=CAROLS_NOTE,
            tags=(CAROLS_TAG,),
        )
    with workspace.transaction("admin") as tx:
        accounts.create_user(tx, "olive", PASSWORD, display_name="Olive")
    with workspace.transaction(team.lead) as tx:
        add_member(tx, team.review_id, "olive", Role.OBSERVER)
    return synthesis


def reset_token(workspace: Workspace) -> str:
    """An open password reset link for olive, to fill a route's <token>: the reset page is
    then walked as it is used (a made-up token would only meet the throttle)."""
    with workspace.transaction("admin") as tx:
        _reset, token = accounts.issue_reset_link(tx, "olive")
    return token


def readable(body: bytes) -> str:
    """A body as text to search: a ZIP (an archive, the report's ZIP, a Word file) is
    opened and every member read; anything else is read as UTF-8."""
    if body.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as packed:
                return "\n".join(
                    packed.read(name).decode("utf-8", "replace") for name in packed.namelist()
                )
        except zipfile.BadZipFile:
            pass
    return body.decode("utf-8", "replace")


def shows_carols_vote(text: str) -> bool:
    """True when `text` (a page, JSON, CSV or RIS) holds carol's vote: note, tag or decision."""
    if CAROLS_NOTE in text or CAROLS_TAG in text or escape(CAROLS_NOTE) in text:
        return True
    plain = unescape(_TAG.sub(" ", text))
    return bool(re.search(r"\bcarol\b\W{0,20}exclude", plain, re.IGNORECASE))


@dataclass(frozen=True)
class Target:
    """One (route, method) with the URL that stands for it."""

    rule: str
    method: str
    endpoint: str
    url: str


class Person:
    """A persona's browser (session cookie, CSRF token) and their API token."""

    def __init__(self, app: Flask, workspace: Workspace, who: str | None) -> None:
        self.who = who
        self.browser = Visitor(app.test_client())
        self.headers: dict[str, str] = {}
        if who is not None:
            signed = self.browser.post("/login", {"username": who, "password": PASSWORD})
            assert signed.status_code == 303, signed.get_data(as_text=True)
            self.browser.get("/")  # the token the session's pages carry
            self.headers = {"Authorization": f"Bearer {issue_token(workspace, who)}"}
        else:
            self.browser.get("/login")

    def send(self, method: str, url: str, *, csrf: bool = True) -> TestResponse:
        client = self.browser.client
        if method == "GET":
            return client.get(url, headers=self.headers)
        if url.startswith("/api/"):
            return client.post(url, json={}, headers=self.headers)
        form = {"csrf_token": self.browser.token} if csrf else {}
        return client.post(url, data=form, headers=self.headers)

    def flashed_error(self) -> bool:
        """Whether the last answer left an error message for the next page (and forget it)."""
        with self.browser.client.session_transaction() as session:
            flashes = session.pop("_flashes", [])
        return any(category == "error" for category, _message in flashes)


def outcome(person: Person, answer: TestResponse) -> str:
    """The answer in a word: what the matrix records."""
    status = answer.status_code
    location = urlsplit(answer.headers.get("Location", "")).path
    if status == 401 or (300 <= status < 400 and location == "/login"):
        return "login"
    if status == 403:
        return "refused"
    if status == 404:
        return "not-found"
    if status == 405:
        return "no-such-method"
    if status == 429:
        return "throttled"
    if status >= 500:
        return f"error-{status}"
    if status in (400, 409, 413, 422):
        return "invalid"
    if 300 <= status < 400 and person.flashed_error():
        return "invalid"  # sent back to the form with the reason (an InputError)
    return "allowed"


def targets(
    app: Flask, found: dict[tuple[str, str], str], defaults: dict[str, str]
) -> list[Target]:
    """Every (route, method) of the app, with a URL: one alice found, else one filled in."""
    chosen = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            url = found.get((rule.endpoint, method)) or _filled(rule, defaults)
            chosen.append(Target(rule.rule, method, rule.endpoint, url))
    return chosen


def _filled(rule: Rule, defaults: dict[str, str]) -> str:
    return _VARIABLE.sub(
        lambda m: defaults.get(m.group(2), "1" if m.group(1) == "int" else "x"), rule.rule
    )


def crawl(
    app: Flask, lead: Person, start: Iterable[str], *, limit: int = 300, per_page: int = 3
) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(endpoint, method) -> a real URL, from every link and form on the pages alice can open.

    Also every page opened. A page of one study or one member is opened for
    `per_page` of them only (the rest are the same page with other ids); a
    file named in its URL (an export, a figure, a table) is opened every time.
    """
    adapter = app.url_map.bind("localhost")
    found: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    queued: Counter[str] = Counter()
    queue = deque(start)
    listed: set[str] = set(start)

    def note(url: str, method: str) -> str | None:
        path = urlsplit(unescape(url)).path
        if not path.startswith("/") or path.startswith("//"):
            return None
        try:
            rule, args = adapter.match(path, method=method, return_rule=True)
        except HTTPException:
            return None
        found.setdefault((rule.endpoint, method), path)
        if rule.endpoint == "static" or path in listed:
            return None
        by_id = any(isinstance(rule._converters[name], IntegerConverter) for name in args)
        if by_id and queued[rule.endpoint] >= per_page:
            return None
        queued[rule.endpoint] += 1
        listed.add(path)
        return path

    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        answer = lead.send("GET", url)
        if answer.status_code != 200 or answer.mimetype != "text/html":
            continue
        text = answer.get_data(as_text=True)
        posted = {m.group(1) for m in _FORM.finditer(text) if _METHOD_POST.search(m.group(0))}
        for action in posted:
            note(action, "POST")
        for link in _LINK.findall(text):
            if link in posted:
                continue
            path = note(link, "GET")
            if path and not path.endswith("/logout"):
                queue.append(path)
    return found, sorted(seen)


def walk(
    app: Flask,
    people: dict[str, Person],
    chosen: list[Target],
    *,
    skip: Callable[[Target], bool] = lambda _t: False,
    inspect: Inspect = lambda _persona, _url, _answer: None,
) -> dict[tuple[str, str], dict[str, str]]:
    """(route, method) -> persona -> outcome; GETs for everyone first, then the forms."""
    matrix: dict[tuple[str, str], dict[str, str]] = {}
    # Signing out ends the session the rest of the walk needs: it goes last.
    chosen = sorted(chosen, key=lambda target: target.endpoint == "auth.logout")
    for method_pass in ("GET", "POST"):
        for persona in WALK_ORDER:
            person = people[persona]
            for target in chosen:
                if target.method != method_pass or skip(target):
                    continue
                answer = person.send(target.method, target.url)
                inspect(persona, target.url, answer)
                matrix.setdefault((target.rule, target.method), {})[persona] = outcome(
                    person, answer
                )
    return matrix
