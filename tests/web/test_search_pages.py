"""alice sets the question and builds the search in her browser; pat reads it and sees
his suggested term credited; bob logs a search; mallory sees nothing."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from cosynth.domain.advisory import MemberKind
from cosynth.services import advisory_group
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.web.conftest import Visitor

Visit = Callable[[str | None], Visitor]


def text_of(response: TestResponse) -> str:
    return html.unescape(str(response.get_data(as_text=True)))


def page(team: Team, path: str) -> str:
    return f"/reviews/{team.review_id}/search{path}"


@pytest.fixture
def pat_id(workspace: Workspace, team: Team, app: Flask) -> int:
    with workspace.transaction("alice") as tx:
        return advisory_group.add_group_member(
            tx, team.review_id, "Pat", kind=MemberKind.SERVICE_USER, username="pat",
            joined_on=date(2022, 1, 10),
        ).id  # fmt: skip


def signed_in(visit: Visit, who: str, team: Team) -> Visitor:
    """`who` signed in, on the question page (which hands out the form token)."""
    visitor = visit(who)
    visitor.get(page(team, "/question"))
    return visitor


def _question(alice: Visitor, team: Team) -> None:
    answer = alice.post(
        page(team, "/question"),
        {
            "framework": "spices",
            "element-setting": "Health and care services within integrated care",
            "element-perspective": "Service users, unpaid carers, members of staff",
            "element-intervention": "Co-production",
            "element-comparison": "Hypothetically, prior to/without co-production",
            "element-evaluation": "The design and transformation of service provision",
            "element-social_science_method": "Qualitative and mixed method",
            "question": "How has co-production impacted integrated care?",
        },
    )
    assert answer.status_code == 303


def test_it_sets_the_question_and_shows_table_one(visit: Visit, team: Team) -> None:
    alice = signed_in(visit, "alice", team)
    form = text_of(alice.get(page(team, "/question?framework=spider")))
    assert "PI: Phenomenon of Interest" in form
    _question(alice, team)
    shown = text_of(visit("pat").get(page(team, "/question")))
    assert "SPICES framework and resulting research question." in shown
    assert (
        '<th scope="row">Social science method</th><td>Qualitative and mixed method</td>' in shown
    )
    assert "How has co-production impacted integrated care?" in shown
    assert "Save the question" not in shown  # pat reads, the lead sets


def test_it_refuses_a_question_without_its_text_and_keeps_what_was_typed(
    visit: Visit, team: Team
) -> None:
    answer = signed_in(visit, "alice", team).post(
        page(team, "/question"), {"framework": "spices", "element-setting": "Integrated care"}
    )
    assert answer.status_code == 422
    shown = text_of(answer)
    assert "Write the research question itself" in shown
    assert ">Integrated care</textarea>" in shown


def test_it_builds_the_strategy_with_a_suggested_term_and_writes_each_string(
    visit: Visit, team: Team, pat_id: int
) -> None:
    alice = signed_in(visit, "alice", team)
    _question(alice, team)
    assert alice.post(page(team, "/strategy/blocks"), {"from_question": "yes"}).status_code == 303
    strategy = text_of(alice.get(page(team, "/strategy")))
    assert "Social science method" in strategy
    assert "Comparison</h2>" not in strategy  # not searched
    added = alice.post(
        page(team, "/strategy/blocks/1/terms"),
        {
            "text": "unpaid carers", "kind": "phrase", "fields": ["title", "abstract"],  # type: ignore[dict-item]
            "suggested_by_member": str(pat_id),
        },
    )  # fmt: skip
    assert added.status_code == 303
    alice.post(
        page(team, "/strategy/blocks/1/terms"),
        {"text": "Delivery of Health Care, Integrated", "kind": "heading", "vocabulary": "MeSH"},
    )
    for block_id in (2, 3, 4, 5):
        alice.post(
            page(team, f"/strategy/blocks/{block_id}/terms"),
            {"text": "coproduc", "kind": "keyword", "truncated": "yes", "fields": "title"},
        )
    alice.post(page(team, "/strategy/limits"), {"start": "2012-03-01", "end": "2022-03-31"})
    shown = text_of(visit("pat").get(page(team, "/strategy")))
    assert '"unpaid carers" in title, abstract' in shown
    assert "<td>Pat</td>" in shown
    assert "Published 2012-03-01 to 2022-03-31." in shown
    strings = text_of(visit("bob").get(page(team, "/strings")))
    assert (
        '("unpaid carers"[tiab] OR "Delivery of Health Care, Integrated"[mh]) AND (coproduc*[ti])'
    ) in strings
    assert 'data-copy="string-pubmed"' in strings
    assert "Scopus has no thesaurus cosynth can search" in strings
    assert "Published Date: 20120301-20220331" in strings


def test_it_refuses_a_term_beside_its_block_form(visit: Visit, team: Team) -> None:
    alice = signed_in(visit, "alice", team)
    alice.post(page(team, "/strategy/blocks"), {"label": "Setting"})
    answer = alice.post(
        page(team, "/strategy/blocks/1/terms"),
        {"text": "integrated care", "kind": "keyword", "fields": "title"},
    )
    assert answer.status_code == 422
    shown = text_of(answer)
    assert "id=\"term-1-error\">'integrated care' is more than one word" in shown
    assert 'value="integrated care"' in shown


def test_it_shows_why_a_database_cannot_run_the_search(visit: Visit, team: Team) -> None:
    alice = signed_in(visit, "alice", team)
    alice.post(page(team, "/strategy/blocks"), {"label": "Setting"})
    alice.post(
        page(team, "/strategy/blocks/1/terms"),
        {"text": "care system", "kind": "phrase", "truncated": "yes", "fields": "title"},
    )
    strings = text_of(alice.get(page(team, "/strings")))
    assert "Europe PMC cannot truncate a word inside a phrase" in strings
    assert 'id="string-europepmc"' not in strings
    assert '"care system*"[ti]' in strings


def test_it_checks_a_typed_string(visit: Visit, team: Team) -> None:
    answer = signed_in(visit, "pat", team).get(
        page(team, "/strings"),
        query_string={"database": "scopus", "string": "TITLE(a) NOT TITLE(b)"},
    )
    assert answer.status_code == 200
    assert "Scopus does not know NOT on its own: Scopus writes AND NOT." in text_of(answer)


def test_bob_logs_a_search_and_sees_the_counts(visit: Visit, team: Team) -> None:
    bob = signed_in(visit, "bob", team)
    logged = bob.post(
        page(team, "/log"),
        {
            "database": "cinahl", "run_on": "2022-03-31", "hits": "1,204",
            "string": 'TI ("integrated care") AND TI (coproduc*)',
            "limits": "Published Date 20120301-20220331",
        },
    )  # fmt: skip
    assert logged.status_code == 303
    shown = text_of(bob.get(page(team, "/log")))
    assert '<th scope="row">CINAHL</th><td>EBSCOhost</td><td>2022-03-31</td>' in shown
    assert "1,204" in shown
    download = bob.get(page(team, "/log.csv"))
    assert download.mimetype == "text/csv"
    assert "CINAHL,EBSCOhost,2022-03-31" in download.get_data(as_text=True)
    refused = bob.post(page(team, "/log"), {"database": "CINAHL", "run_on": "31/03/2022"})
    assert refused.status_code == 422
    assert "is not a date like 2022-03-31" in text_of(refused)


def test_pat_may_not_build_the_strategy_or_log_a_search(visit: Visit, team: Team) -> None:
    pat = signed_in(visit, "pat", team)
    assert pat.post(page(team, "/strategy/blocks"), {"label": "Setting"}).status_code == 403
    assert pat.post(page(team, "/log"), {"database": "x"}).status_code == 403
    assert "Log a search" not in text_of(pat.get(page(team, "/log")))


@pytest.mark.parametrize("path", ["/question", "/strategy", "/strings", "/log"])
def test_mallory_sees_nothing(visit: Visit, team: Team, path: str) -> None:
    answer = visit("mallory").get(page(team, path))
    assert answer.status_code in {403, 404}
    assert "Co-production in integrated care" not in text_of(answer)
