"""Who may open what: every route, as every role and as outsiders, against a checked-in table.

alice's review (the worked example, see `walk.py`) is opened by alice (lead),
bob (reviewer), pat (adviser), olive (observer), mallory (signed in, not on the
review) and someone not signed in: every route with GET, and every route that
takes POST with an empty form and a valid CSRF token. Each answer is put in a
word (allowed, invalid, refused, not-found, login, no-such-method) and the
whole is compared with `authorisation_matrix.csv`. Any difference fails and
prints the rows that differ; a new route is a difference too.

Regenerate the table after a deliberate change, then read the diff before
committing it:

    COSYNTH_UPDATE_MATRIX=1 pytest tests/security/test_authorisation_matrix.py

"invalid" means the request got past the permission check and was turned
back for what it held (an empty form); it changed nothing.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from flask import Flask
from werkzeug.test import TestResponse

from cosynth.services.worked_synthesis import WorkedSynthesis
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.security.walk import (
    PERSONAS,
    STAGE,
    Person,
    build_review,
    crawl,
    readable,
    reset_token,
    shows_carols_vote,
    targets,
    walk,
)
from tests.web.conftest import app, cheap_hashing  # noqa: F401  (fixtures)

MATRIX = Path(__file__).with_name("authorisation_matrix.csv")
COLUMNS = ("route", "method", *PERSONAS)
# Routes anyone may open without signing in.
PUBLIC = {"auth.login", "glossary.index", "api.openapi", "invitations.accept",
          "invitations.take_up", "auth.logout"}  # fmt: skip


def personal_details(synthesis: WorkedSynthesis) -> list[tuple[str, str]]:
    """(the member's account, a detail only the lead and they may see): what they told the
    team about their access needs and in their application (UK GDPR; issue 10)."""
    details = []
    for member in synthesis.members:
        told = [member.access.adjustments, *(answer for _q, answer in member.answers)]
        details += [(member.account, text) for text in told if len(text) > 12]
    return details


def as_table(matrix: dict[tuple[str, str], dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for (rule, method), row in sorted(matrix.items()):
        writer.writerow([rule, method, *(row[persona] for persona in PERSONAS)])
    return out.getvalue()


def test_it_matches_the_checked_in_authorisation_matrix(
    app: Flask,  # noqa: F811
    workspace: Workspace,
    team: Team,
) -> None:
    synthesis = build_review(workspace, team)
    people = {persona: Person(app, workspace, who) for persona, who in PERSONAS.items()}
    review = f"/reviews/{team.review_id}"
    found, crawled = crawl(app, people["lead"], [review, f"{review}/group", f"{review}/synthesis"])
    defaults = {"review_id": str(team.review_id), "stage": STAGE, "token": reset_token(workspace)}
    leaks: list[tuple[str, str, str]] = []
    seen_by_lead: list[str] = []  # where the checks found carol's vote: they can see it
    private = personal_details(synthesis)

    def inspect(persona: str, url: str, answer: TestResponse) -> None:
        text = readable(answer.get_data())
        if persona == "lead":  # the lead keeps the group and sees every vote (the archive)
            if shows_carols_vote(text):
                seen_by_lead.append(url)
            return
        if shows_carols_vote(text):
            leaks.append((persona, url, "carol's vote before anyone else voted"))
        who = PERSONAS[persona]
        for owner, detail in private:
            if owner != who and detail in text:
                leaks.append((persona, url, f"a group member's personal detail: {detail[:40]}"))

    # Every page alice found (each export, file and figure), opened by bob too (before
    # the walk, whose last form signs him out).
    for url in crawled:
        inspect("reviewer", url, people["reviewer"].send("GET", url))
    walked = walk(app, people, targets(app, found, defaults), inspect=inspect)
    assert not leaks, "\n".join(map(str, leaks))
    assert seen_by_lead, "carol's vote was found nowhere, not even in the lead's archive"

    errors = [
        (rule, method, persona, said)
        for (rule, method), row in walked.items()
        for persona, said in row.items()
        if said.startswith("error")
    ]
    assert not errors, f"server errors: {errors}"
    let_in = [
        (rule, method, row["outsider"], row["anonymous"])
        for (rule, method), row in walked.items()
        if "<int:review_id>" in rule
        and {row["outsider"], row["anonymous"]} - {"refused", "not-found", "login"}
    ]
    assert not let_in, f"mallory or a stranger got into alice's review: {let_in}"

    table = as_table(walked)
    if os.environ.get("COSYNTH_UPDATE_MATRIX") == "1":
        MATRIX.write_text(table, encoding="utf-8")
    expected = MATRIX.read_text(encoding="utf-8").splitlines() if MATRIX.exists() else []
    got = table.splitlines()
    differing = sorted(set(expected) ^ set(got), key=lambda row: (row.split(",")[:2], row in got))
    assert not differing, (
        "The authorisation matrix differs from authorisation_matrix.csv "
        "(- expected, + now; COSYNTH_UPDATE_MATRIX=1 rewrites it):\n"
        + "\n".join(("- " if row in expected else "+ ") + row for row in differing)
    )
