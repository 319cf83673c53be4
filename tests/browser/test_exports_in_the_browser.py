"""axe-core scans the downloads page (WCAG 2.2 A and AA) as alice and pat; both download.

pat, in adviser mode, takes the records excluded at full text with their
reasons as CSV; alice the whole review as one archive, by a button, no script.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import accounts
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn, Site
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search

pytestmark = pytest.mark.browser


@pytest.fixture
def screened(site: Site, workspace: Workspace, team: Team) -> list[int]:
    ids = import_search(workspace, team)
    both_vote(workspace, team, ids[0], Decision.INCLUDE, Decision.INCLUDE)
    both_vote(workspace, team, ids[0], Decision.EXCLUDE, Decision.EXCLUDE, stage=Stage.FULL_TEXT,
              reason="no qualitative data")  # fmt: skip
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    return ids


def test_it_finds_no_violations_and_the_downloads_work(
    sign_in: SignIn, site: Site, team: Team, screened: list[int], tmp_path: Path
) -> None:
    url = f"/reviews/{team.review_id}/exports"
    problems: list[str] = []

    pat = sign_in("pat")
    pat.goto(url)
    problems += violations(pat, "pat", url)
    with pat.expect_download() as download:
        pat.get_by_role(
            "link", name="Reports excluded at full-text screening, with reasons as CSV"
        ).click()
    saved = tmp_path / "excluded.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert [(row["record_id"], row["reason"]) for row in rows] == [
        (str(screened[0]), "no qualitative data")
    ]

    alice = sign_in("alice")
    alice.goto(url)
    problems += violations(alice, "alice", url)
    with alice.expect_download() as download:
        alice.get_by_role("button", name="Download the review archive (.cosynth)").click()
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    assert archive.suffix == ".cosynth"
    with zipfile.ZipFile(archive) as zipped:
        assert "manifest.json" in zipped.namelist()
    assert_no_violations(problems, 2)
