"""alice's dashboard counts the PRISMA flow from the data, appraisal exclusions included."""

from __future__ import annotations

import re

from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.appraisal_helpers import appraise, choose_tapupas, eleven_studies


def flow_row(page: str, label: str) -> int:
    found = re.search(rf"<th scope=\"row\"[^>]*>(?:&nbsp;)*{label}</th><td>(\d+)</td>", page)
    assert found, label
    return int(found.group(1))


def test_it_counts_a_study_below_the_tapupas_threshold_out_of_the_review(
    workspace: Workspace, team: Team, visit
) -> None:
    ids = eleven_studies(workspace, team)
    choose_tapupas(workspace, team, threshold=7)
    for record_id in ids:
        unmet = ("Pu",) if record_id == ids[2] else ()  # Hughes 2018 scores 6 of 7
        for who in ("bob", "carol"):
            appraise(workspace, who, team, record_id, unmet=unmet)
    page = visit("alice").get(f"/reviews/{team.review_id}").get_data(as_text=True)
    assert flow_row(page, "Reports assessed for eligibility") == 11
    assert flow_row(page, "below the appraisal threshold") == 1
    assert flow_row(page, "Reports excluded") == 1
    assert flow_row(page, "Studies included") == 10


def test_it_shows_no_appraisal_row_before_anyone_appraises(
    workspace: Workspace, team: Team, visit
) -> None:
    eleven_studies(workspace, team)
    page = visit("alice").get(f"/reviews/{team.review_id}").get_data(as_text=True)
    assert "below the appraisal threshold" not in page
    assert flow_row(page, "Studies included") == 11
