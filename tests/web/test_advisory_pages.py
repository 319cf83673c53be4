"""alice keeps the advisory group in her browser; pat sees his own involvement; mallory nothing.

The paper's group was recruited, consented, paid for its time, met, kept an
action log (Figure 2) and held a 90-minute roundtable whose transcript was
coded (Methods): each of those is a page here, and the GRIPP2 short form is
written from them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from werkzeug.test import TestResponse

from cosynth.domain.advisory import MemberKind
from cosynth.services import advisory_group
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.web.conftest import Visitor

Visit = Callable[[str | None], Visitor]
TRANSCRIPTS = Path(__file__).parents[1] / "data" / "transcripts"


def text_of(response: TestResponse) -> str:
    return str(response.get_data(as_text=True))


def group(team: Team, path: str = "") -> str:
    return f"/reviews/{team.review_id}/group{path}"


@pytest.fixture
def members(workspace: Workspace, team: Team, app: Flask) -> dict[str, int]:
    """pat (a service user who signs in) and Margaret (an unpaid carer who does not)."""
    with workspace.transaction("alice") as tx:
        pat = advisory_group.add_group_member(
            tx, team.review_id, "Pat", kind=MemberKind.SERVICE_USER, username="pat",
            joined_on=date(2022, 9, 1),
        )  # fmt: skip
        margaret = advisory_group.add_group_member(
            tx, team.review_id, "Margaret", kind=MemberKind.UNPAID_CARER, joined_on=date(2022, 9, 1)
        )
    return {"pat": pat.id, "margaret": margaret.id}


def test_it_lets_alice_add_a_member_and_keep_their_records(visit: Visit, team: Team) -> None:
    alice = visit("alice")
    page = text_of(alice.get(group(team)))
    assert "No one is in the group yet." in page and "Add a member" in page

    added = alice.post(
        group(team, "/members"),
        {"name": "Priya", "kind": "service user", "joined_on": "2022-09-01", "username": "pat"},
    )
    assert added.status_code == 303
    member_url = added.headers["Location"]
    assert re.fullmatch(rf"/reviews/{team.review_id}/group/members/\d+", member_url)
    page = text_of(alice.get(member_url))
    assert "Priya" in page and "joined on 2022-09-01" in page and "signs in as pat" in page

    for form, data in (
        (
            "recruitment",
            {
                "channel": "Healthwatch newsletter",
                "recruited_on": "2022-08-20",
                "question_1": "Your background",
                "answer_1": "I use mental health services.",
            },
        ),
        ("consent", {"involvement": "yes", "named": "yes", "given_on": "2022-09-01"}),
        (
            "access-needs",
            {"preferred_format": "paper", "language": "English", "large_print": "yes"},
        ),
    ):
        saved = alice.post(f"{member_url}/{form}", data)
        assert saved.status_code == 303, text_of(saved)
        assert saved.headers["Location"] == f"{member_url}#{form}"
    assert (
        alice.post(group(team, "/rate"), {"rate": "25.00", "from_on": "2022-01-01"}).status_code
        == 303
    )
    assert (
        alice.post(
            f"{member_url}/hours",
            {"worked_on": "2022-10-05", "hours": "1.5", "activity": "Meeting 1", "phase": "1"},
        ).status_code
        == 303
    )
    assert (
        alice.post(
            f"{member_url}/payment", {"amount": "20", "paid_on": "2022-10-31", "reference": "INV-1"}
        ).status_code
        == 303
    )

    page = text_of(alice.get(member_url))
    assert "Recruited through Healthwatch newsletter on 2022-08-20." in page
    assert "I use mental health services." in page
    assert "To be named in the acknowledgements: yes" in page
    assert (
        'value="paper" checked' in page
        and 'id="needs-large-print" name="large_print" value="yes" checked' in page
    )
    assert "Statement: 1.5 hours worth £37.50; paid £20.00; owed £17.50." in page
    statement = alice.get(f"{member_url}/statement.txt")
    assert statement.status_code == 200 and "attachment" in statement.headers["Content-Disposition"]
    assert "17.50" in text_of(statement)

    listed = text_of(alice.get(group(team)))
    assert "Service users (1)" in listed and "agreed" in listed and "yes: see their page" in listed
    assert "From 2022-01-01: £25.00 an hour" in listed


def test_it_shows_a_refused_answer_beside_its_field_and_keeps_what_was_typed(
    visit: Visit, team: Team, members: dict[str, int]
) -> None:
    alice = visit("alice")
    alice.get(group(team))
    refused = alice.post(
        group(team, "/members"), {"name": "Joan", "kind": "unpaid carer", "joined_on": "last May"}
    )
    page = text_of(refused)
    assert refused.status_code == 422
    assert "“last May” is not a date like 2023-03-14." in page
    assert 'id="member-joined_on-error"' in page
    assert 'aria-invalid="true" aria-describedby="member-joined_on-error"' in page
    assert 'value="Joan"' in page and 'value="unpaid carer" checked' in page

    member_url = group(team, f"/members/{members['margaret']}")
    refused = alice.post(
        f"{member_url}/hours", {"worked_on": "2022-10-05", "hours": "lots", "activity": "Reading"}
    )
    page = text_of(refused)
    assert refused.status_code == 422
    assert "is not a number of hours such as 1.5 or 1:30" in page
    assert 'value="Reading"' in page

    refused = alice.post(f"{member_url}/payment", {"amount": "twenty", "paid_on": "2022-10-31"})
    assert refused.status_code == 422
    assert 'id="payment-amount-error"' in text_of(refused)

    refused = alice.post(f"{member_url}/consent", {"named": "yes"})
    assert refused.status_code == 422 and "has not agreed to be involved" in text_of(refused)


def test_it_keeps_meetings_with_who_came_and_their_minutes(
    visit: Visit, team: Team, members: dict[str, int]
) -> None:
    alice = visit("alice")
    alice.get(group(team, "/meetings"))
    added = alice.post(
        group(team, "/meetings"),
        {
            "title": "First meeting",
            "held_on": "2022-10-05",
            "mode": "in person",
            "phase": "1",
            "attendees": [str(members["pat"]), str(members["margaret"])],  # type: ignore[dict-item]
            "agenda": "Introductions; the review question.",
        },
    )
    assert added.status_code == 303
    meeting_url = added.headers["Location"]
    page = text_of(alice.get(meeting_url))
    assert (
        "First meeting" in page and "Who came: Pat, Margaret" in page and "No minutes yet." in page
    )

    empty = alice.post(f"{meeting_url}/minutes", {"minutes": "  "})
    assert empty.status_code == 422 and 'id="minutes-minutes-error"' in text_of(empty)
    assert (
        alice.post(
            f"{meeting_url}/minutes", {"minutes": "We agreed the SPICES question."}
        ).status_code
        == 303
    )
    assert "We agreed the SPICES question." in text_of(alice.get(meeting_url))
    listed = text_of(visit("pat").get(group(team, "/meetings")))
    assert (
        "First meeting" in listed and "Pat, Margaret" in listed and "Record a meeting" not in listed
    )


def test_it_keeps_the_action_log_of_the_papers_figure_2(
    visit: Visit, team: Team, members: dict[str, int]
) -> None:
    alice = visit("alice")
    alice.get(group(team, "/actions"))
    added = alice.post(
        group(team, "/actions"),
        {
            "task": "Read two studies against the inclusion criteria",
            "who": str(members["pat"]),
            "review_team": "yes",
            "phase": "2",
            "due_on": "2022-11-01",
        },
    )
    assert added.status_code == 303
    page = text_of(alice.get(group(team, "/actions")))
    assert "Read two studies against the inclusion criteria" in page
    assert "Pat, the review team" in page and "Phase 2" in page and "2022-11-01" in page
    assert "not yet: overdue" in page
    action_id = re.search(r'id="action-(\d+)"', page).group(1)  # type: ignore[union-attr]

    done = alice.post(group(team, f"/actions/{action_id}/done"))
    assert done.status_code == 303
    page = text_of(alice.get(group(team, "/actions")))
    assert "not yet" not in page and "Open again" in page
    again = alice.post(group(team, f"/actions/{action_id}/done"))
    assert again.status_code == 303  # the error page's redirect back, with the reason
    assert "was already done" in text_of(alice.get(group(team, "/actions")))

    nobody = alice.post(group(team, "/actions"), {"task": "Tidy up"})
    assert nobody.status_code == 422 and "Say who does the task" in text_of(nobody)
    assert 'value="Tidy up"' in text_of(nobody)


def _docx_transcript() -> bytes:
    document = Document()
    for name, words in (("Sam", "Welcome, everyone."), ("Margaret", "Thank you for asking us.")):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name}:").bold = True
        paragraph.add_run(f" {words}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_it_imports_a_roundtables_transcript_in_each_format_and_shows_its_turns(
    visit: Visit, team: Team
) -> None:
    alice = visit("alice")
    alice.get(group(team, "/roundtables"))
    added = alice.post(
        group(team, "/roundtables"),
        {"title": "Early findings", "held_on": "2023-03-14", "minutes": "90"},
    )
    assert added.status_code == 303
    table_url = added.headers["Location"]
    assert "No transcript yet." in text_of(alice.get(table_url))

    for name, data, turns, words in (
        ("roundtable.vtt", (TRANSCRIPTS / "roundtable.vtt").read_bytes(), 14, "00:00:04.120"),
        ("roundtable.txt", (TRANSCRIPTS / "roundtable.txt").read_bytes(), 12, "Sam (facilitator)"),
        ("roundtable.docx", _docx_transcript(), 2, "Thank you for asking us."),
    ):
        uploaded = alice.post(
            f"{table_url}/transcripts",
            {"transcript": (io.BytesIO(data), name)},  # type: ignore[dict-item]
            content_type="multipart/form-data",
        )
        assert uploaded.status_code == 303, text_of(uploaded)
        page = text_of(alice.get(uploaded.headers["Location"]))
        assert f"Transcript: {name}" in page and f"{turns} turns" in page and words in page
        assert "&lt;v" not in page and 'id="turn-1"' in page
        original = alice.client.get(uploaded.headers["Location"] + "/file")
        assert original.status_code == 200 and original.data == data

    page = text_of(alice.get(table_url))
    assert f'href="/reviews/{team.review_id}/synthesis/reading/roundtables/' in page
    assert "WebVTT captions" in page and "Word document" in page and "plain text" in page

    broken = b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\n<v Sam>Hello\n"
    refused = alice.post(
        f"{table_url}/transcripts",
        {"transcript": (io.BytesIO(broken), "broken.vtt")},  # type: ignore[dict-item]
        content_type="multipart/form-data",
    )
    page = text_of(refused)
    assert refused.status_code == 422
    assert "broken.vtt, line 3: this cue ends (00:00:02.000) before it starts" in page
    assert 'id="transcript-transcript-error"' in page
    typed = (TRANSCRIPTS / "roundtable.txt").read_bytes()
    again = alice.post(
        f"{table_url}/transcripts",
        {"transcript": (io.BytesIO(typed), "again.txt")},  # type: ignore[dict-item]
        content_type="multipart/form-data",
    )
    assert again.status_code == 422 and "was already imported" in text_of(again)
    none = alice.post(f"{table_url}/transcripts", {})
    assert none.status_code == 422 and "Choose the transcript" in text_of(none)


def test_it_writes_the_gripp2_short_form_from_the_records_and_the_leads_words(
    visit: Visit, team: Team, members: dict[str, int]
) -> None:
    alice = visit("alice")
    page = text_of(alice.get(group(team, "/gripp2")))
    assert "An advisory group of 2 members took part: 1 service user and 1 unpaid carer." in page
    assert "Still to write." in page

    saved = alice.post(
        group(team, "/gripp2"),
        {"aim": "To co-produce the review with people who use and provide services."},
    )
    assert saved.status_code == 303
    noted = alice.post(
        group(team, "/contributions"),
        {
            "phase": "2",
            "member": str(members["margaret"]),
            "text": "Suggested search terms carers use",
        },
    )
    assert noted.status_code == 303
    page = text_of(alice.get(group(team, "/gripp2")))
    assert "To co-produce the review with people who use and provide services." in page
    assert "Suggested search terms carers use (Margaret)" in page
    markdown = alice.get(group(team, "/gripp2.md"))
    assert markdown.status_code == 200 and "To co-produce the review" in text_of(markdown)

    no_phase = alice.post(group(team, "/contributions"), {"text": "Something"})
    assert no_phase.status_code == 422 and 'id="contribution-phase-error"' in text_of(no_phase)


def test_it_shows_pat_his_own_involvement_and_no_one_elses(
    visit: Visit, workspace: Workspace, team: Team, members: dict[str, int]
) -> None:
    alice = visit("alice")
    alice.get(group(team))
    assert (
        alice.post(group(team, "/rate"), {"rate": "25", "from_on": "2022-01-01"}).status_code == 303
    )
    recorded = alice.post(
        group(team, f"/members/{members['pat']}/hours"),
        {"worked_on": "2022-10-05", "hours": "2", "activity": "Meeting 1"},
    )
    assert recorded.status_code == 303
    alice.post(
        group(team, "/actions"), {"task": "Comment on the search terms", "who": str(members["pat"])}
    )
    alice.post(group(team, "/actions"), {"task": "Read the draft", "who": str(members["margaret"])})

    pat = visit("pat")
    page = text_of(pat.get(group(team, "/me")))
    assert "Hello Pat." in page and "Comment on the search terms" in page
    assert "Read the draft" not in page
    assert "You have given 2 hours, worth £50.00. You have been paid £0.00." in page
    assert "£50.00 is still to be paid to you." in page
    saved = pat.post(
        group(team, "/me/access-needs"),
        {
            "preferred_format": "email",
            "language": "English",
            "easy_read": "yes",
            "adjustments": "Breaks",
        },
    )
    assert saved.status_code == 303
    page = text_of(pat.get(group(team, "/me")))
    assert 'id="needs-easy-read" name="easy_read" value="yes" checked' in page and "Breaks" in page
    mine = pat.get(group(team, "/me/statement.txt"))
    assert mine.status_code == 200 and "50.00" in text_of(mine)

    # The lead's pages are hers: pat reads the group's list, not anyone's records.
    listed = text_of(pat.get(group(team)))
    assert "Pat" in listed and "Margaret" in listed and "Consent" not in listed
    assert "Add a member" not in listed
    for url in (
        f"/members/{members['pat']}",
        f"/members/{members['margaret']}",
        f"/members/{members['margaret']}/statement.txt",
    ):
        assert pat.get(group(team, url)).status_code == 403
    assert pat.post(group(team, "/members"), {"name": "Eve", "kind": "staff"}).status_code == 403
    assert (
        pat.post(
            group(team, f"/members/{members['margaret']}/hours"),
            {"worked_on": "2022-10-05", "hours": "9"},
        ).status_code
        == 403
    )
    assert pat.post(group(team, "/gripp2"), {"aim": "mine"}).status_code == 403

    bob = visit("bob")
    bob.get(group(team))
    assert "not linked to a member" in text_of(bob.get(group(team, "/me")))
    assert bob.get(group(team, f"/members/{members['pat']}")).status_code == 403
    assert (
        bob.post(group(team, "/me/access-needs"), {"preferred_format": "paper"}).status_code == 403
    )
    assert bob.get(group(team, "/me/statement.txt")).status_code == 404


def test_it_shows_mallory_nothing_of_the_group(
    visit: Visit, team: Team, members: dict[str, int]
) -> None:
    mallory = visit("mallory")
    mallory.get(f"/reviews/{team.review_id}")
    for path in (
        "",
        f"/members/{members['pat']}",
        "/meetings",
        "/actions",
        "/roundtables",
        "/gripp2",
        "/gripp2.md",
        "/me",
        "/me/statement.txt",
    ):
        refused = mallory.get(group(team, path))
        assert refused.status_code == 403, path
        assert "Pat" not in text_of(refused) and "Margaret" not in text_of(refused)
    for path, data in (
        ("/members", {"name": "Mal", "kind": "staff"}),
        ("/meetings", {"held_on": "2022-10-05", "mode": "online"}),
        ("/actions", {"task": "x", "review_team": "yes"}),
        ("/roundtables", {"held_on": "2022-10-05", "minutes": "90"}),
        ("/me/access-needs", {"preferred_format": "paper"}),
    ):
        assert mallory.post(group(team, path), data).status_code == 403, path
    assert visit(None).get(group(team)).status_code == 303  # to the sign-in page


def test_it_links_the_group_from_the_reviews_dashboard(visit: Visit, team: Team) -> None:
    page = text_of(visit("pat").get(f"/reviews/{team.review_id}"))
    assert f'href="/reviews/{team.review_id}/group"' in page
    assert f'href="/reviews/{team.review_id}/group/me"' in page
    lead = text_of(visit("alice").get(f"/reviews/{team.review_id}"))
    assert f'href="/reviews/{team.review_id}/group"' in lead and "My involvement" not in lead
