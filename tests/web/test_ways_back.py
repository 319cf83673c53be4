"""Found by trying the first hour as a newcomer would (docs/developers/first-hour.md): every
page leads back to its review, and the dashboard says who you are in words that read right."""

from __future__ import annotations

from tests.conftest import Team


def test_it_leads_from_the_full_report_back_to_the_review(visit, team: Team) -> None:
    page = visit("pat").get(f"/reviews/{team.review_id}/report").get_data(as_text=True)
    assert f'<a href="/reviews/{team.review_id}">Back to the review</a>' in page
    assert page.count("Back to the review") == 1


def test_it_leads_from_the_background_jobs_back_to_the_review(visit, team: Team) -> None:
    page = visit("alice").get(f"/reviews/{team.review_id}/jobs").get_data(as_text=True)
    assert f'<a href="/reviews/{team.review_id}">Co-production in integrated care</a>' in page


def test_it_says_each_persons_role_in_a_sentence(visit, team: Team) -> None:
    dashboard = f"/reviews/{team.review_id}"
    assert "You lead this review." in visit("alice").get(dashboard).get_data(as_text=True)
    bob = visit("bob").get(dashboard).get_data(as_text=True)
    assert "You are a reviewer in this review." in bob
    assert f"--review {team.review_id}" in bob  # the number the tutorial's commands give
    pat = visit("pat").get(dashboard).get_data(as_text=True)
    assert "You are an adviser in this review." in pat
    assert "--review" not in pat  # an adviser needs no command line


def test_it_numbers_each_review_as_the_command_line_does(visit, team: Team) -> None:
    page = visit("bob").get("/").get_data(as_text=True)
    assert f"Review {team.review_id}</p>" in page
