"""The reporting checklists on the web: each filled from the review, evidence linked, the missing
flagged, the lead's note of where the manuscript reports an item, and the downloads."""

from __future__ import annotations

import html
import io

import docx

from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.workspace import Workspace
from tests.conftest import Team


def checklists_url(team: Team, rest: str = "") -> str:
    return f"/reviews/{team.review_id}/checklists{rest}"


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def test_it_lists_the_four_checklists_with_what_is_still_to_do(visit, team: Team) -> None:
    page = text_of(visit("pat").get(checklists_url(team)))
    for name in ("eMERGe", "ENTREQ", "PRISMA 2020", "GRIPP2-SF"):
        assert f">{name}</a></h2>" in page
    assert "19 of 19 items still to do" in page
    dashboard = text_of(visit("pat").get(f"/reviews/{team.review_id}"))
    assert f'href="{checklists_url(team)}"' in dashboard


def test_it_flags_the_missing_items_with_what_to_add(visit, team: Team) -> None:
    page = text_of(visit("bob").get(checklists_url(team, "/emerge")))
    assert "<h1>eMERGe meta-ethnography reporting guidance (19 criteria)</h1>" in page
    assert '<a href="#item-8">Item 8: Outcome of study selection</a> (missing)' in page
    assert "To add: Screen the records: the flow diagram is drawn from the screening." in page
    # bob may read it, but only the lead notes where the manuscript reports an item.
    assert 'name="where"' not in page


def test_it_links_each_item_to_where_its_evidence_lies(
    visit, workspace: Workspace, team: Team
) -> None:
    build_worked_example(workspace, team.review_id, load_worked_example())
    page = text_of(visit("pat").get(checklists_url(team, "/emerge")))
    extraction = f'<a href="/reviews/{team.review_id}/extraction/form">Data extraction form</a>'
    assert extraction in page
    tables = f'<a href="/reviews/{team.review_id}/tables">Characteristics of included studies</a>'
    assert tables + ": Characteristics agreed for 10 of 10 included studies" in page


def test_it_keeps_the_leads_note_of_where_an_item_is_reported(visit, team: Team) -> None:
    alice = visit("alice")
    alice.get(checklists_url(team, "/prisma-2020"))
    saved = alice.post(checklists_url(team, "/prisma-2020/items/24a"), {"where": "Methods, p. 3"})
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith("/checklists/prisma-2020#item-24a")
    page = text_of(alice.get(checklists_url(team, "/prisma-2020")))
    assert "Reported in the manuscript at: Methods, p. 3" in page
    assert 'value="Methods, p. 3"' in page
    assert '<a href="#item-24a">' not in page


def test_it_refuses_the_note_to_a_reviewer(visit, team: Team) -> None:
    bob = visit("bob")
    bob.get(checklists_url(team, "/emerge"))
    refused = bob.post(checklists_url(team, "/emerge/items/1"), {"where": "Introduction"})
    assert refused.status_code == 403


def test_it_downloads_the_checklist_as_word_markdown_and_csv(visit, team: Team) -> None:
    pat = visit("pat")
    word = pat.client.get(checklists_url(team, "/gripp2-sf.docx"))
    assert word.status_code == 200
    assert 'filename="gripp2-sf-checklist.docx"' in word.headers["Content-Disposition"]
    (table,) = docx.Document(io.BytesIO(word.get_data())).tables
    assert len(table.rows) == 1 + 5
    markdown = pat.get(checklists_url(team, "/entreq.md"))
    assert markdown.mimetype == "text/markdown"
    assert "| 15 | Synthesis of findings | Software | Software: cosynth" in text_of(markdown)
    assert pat.get(checklists_url(team, "/emerge.csv")).mimetype == "text/csv"
    assert pat.get(checklists_url(team, "/emerge.pdf")).status_code == 404
    assert pat.get(checklists_url(team, "/coreq")).status_code == 404
