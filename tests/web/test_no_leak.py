"""bob has voted on a record and carol has not: nothing carol can open shows her bob's vote.

Blinding (DESIGN.md rule 3) is checked on every surface at once: every page
and API answer in the URL map, opened as carol with her cookie and her token,
and the votes CSV the command line exports for her. Once carol has voted too,
the same surfaces show bob's vote, so the checks are known to see it when it
is there.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from cosynth.cli.main import cli
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import records as record_service
from cosynth.services import screening
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, vote
from tests.web.api_helpers import PREFIX, issue_token

TA = Stage.TITLE_ABSTRACT
# Words that appear nowhere but in bob's vote.
BOBS_NOTE = "Quokka marmalade: the setting looks wrong to me"
BOBS_TAG = "zebra-crossing"
_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^>]*\))?:)?(\w+)>")
_TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def bobs_record(app: Flask, workspace: Workspace, team: Team) -> int:
    """The first record: bob has excluded it, with a note and a tag; no one else has voted."""
    record_id = import_search(workspace, team)[0]
    with workspace.transaction("bob") as tx:
        screening.cast_vote(
            tx,
            team.review_id,
            record_id,
            Decision.EXCLUDE,
            stage=TA,
            reason="wrong setting",
            note=BOBS_NOTE,
            tags=(BOBS_TAG,),
        )
    return record_id


def shows_bobs_vote(text: str) -> bool:
    """True when `text` (a page, JSON or CSV) holds bob's vote: note, tag or decision."""
    if BOBS_NOTE in text or BOBS_TAG in text or html.escape(BOBS_NOTE) in text:
        return True
    plain = html.unescape(_TAG.sub(" ", text))
    if re.search(r"\bbob\b\W{0,20}exclude", plain, re.IGNORECASE):  # "bob: exclude", "bob,exclude"
        return True
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return any(found.get("reviewer") == "bob" and "decision" in found for found in _objects(data))


def _objects(data: object) -> list[dict[str, object]]:
    if isinstance(data, dict):
        return [data, *(found for value in data.values() for found in _objects(value))]
    if isinstance(data, list):
        return [found for value in data for found in _objects(value)]
    return []


class Member:
    """A team member's browser and script: their session cookie and their API token."""

    def __init__(self, app: Flask, visit, workspace: Workspace, who: str = "carol") -> None:
        self.app = app
        self.browser = visit(who)
        self.token = {"Authorization": f"Bearer {issue_token(workspace, who)}"}

    def open(self, url: str) -> tuple[int, str]:
        answer = self.browser.client.get(url, headers=self.token)
        return answer.status_code, answer.get_data(as_text=True)


def every_page(app: Flask, ids: dict[str, object]) -> list[str]:
    """A URL for every GET route with a review in it (pages and API), filled with real ids."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or "review_id" not in rule.arguments:
            continue
        urls.append(
            _VARIABLE.sub(
                lambda found: str(ids.get(found.group(2), 1 if found.group(1) == "int" else "x")),
                rule.rule,
            )
        )
    return sorted(urls)


def exported_votes(db_url: str, who: str, tmp_path: Path) -> str:
    out = tmp_path / f"{who}-votes.csv"
    done = CliRunner().invoke(
        cli, ["--db", db_url, "--as", who, "screen", "export", "-o", str(out)],
        catch_exceptions=False,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    return out.read_text(encoding="utf-8")


def surfaces(team: Team, record_id: int) -> dict[str, str]:
    """The places a vote on the record would show, by name."""
    review, stage = team.review_id, TA.value
    return {
        "record page": f"/reviews/{review}/screen/{stage}/records/{record_id}",
        "dashboard": f"/reviews/{review}",
        "conflicts page": f"/reviews/{review}/conflicts/{stage}",
        "API record": f"{PREFIX}/reviews/{review}/screening/{stage}/records/{record_id}",
        "API conflicts": f"{PREFIX}/reviews/{review}/screening/{stage}/conflicts",
        "API progress": f"{PREFIX}/reviews/{review}/screening/{stage}/progress",
        "API queue": f"{PREFIX}/reviews/{review}/screening/{stage}/queue",
    }


def test_it_can_tell_when_bobs_vote_is_shown() -> None:
    assert shows_bobs_vote("<li>bob: exclude (wrong setting)</li>")
    assert shows_bobs_vote("<strong>bob</strong>: exclude")
    assert shows_bobs_vote('{"votes": [{"reviewer": "bob", "decision": "unsure"}]}')
    assert shows_bobs_vote("1,title-abstract,bob,exclude,wrong setting,,,no")
    assert not shows_bobs_vote('{"reviewers": [{"reviewer": "bob", "voted": 1, "to_do": 5}]}')
    assert not shows_bobs_vote("<td>bob</td><td>1</td><td>5</td> <button>Exclude</button>")


@pytest.mark.parametrize("who", ["carol", "pat"])
def test_it_shows_no_one_bobs_vote_before_they_have_voted(
    app: Flask, visit, workspace: Workspace, team: Team, bobs_record: int, who: str, db_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    them = Member(app, visit, workspace, who)
    with workspace.transaction(team.lead) as tx:
        source_id = record_service.list_sources(tx, team.review_id)[0].id
    ids = {"review_id": team.review_id, "record_id": bobs_record, "source_id": source_id,
           "stage": TA.value}  # fmt: skip
    opened = {}
    for url in every_page(app, ids):
        status, text = them.open(url)
        opened[url] = status
        assert not shows_bobs_vote(text), f"{who} sees bob's vote at {url}"
    for name, url in surfaces(team, bobs_record).items():
        assert opened[url] == 200, f"{who} could not open the {name}: the check saw nothing"
    assert not shows_bobs_vote(exported_votes(db_url, who, tmp_path))


def test_it_shows_carol_bobs_vote_once_she_has_voted(
    app: Flask, visit, workspace: Workspace, team: Team, bobs_record: int, db_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    carol = Member(app, visit, workspace)
    vote(workspace, "carol", team, bobs_record, Decision.INCLUDE)  # disagreeing: a conflict
    for name, url in surfaces(team, bobs_record).items():
        if name in {"dashboard", "API progress", "API queue"}:
            continue  # counts only, never anyone's vote
        status, text = carol.open(url)
        assert status == 200 and shows_bobs_vote(text), f"the {name} hides bob's vote from carol"
    assert shows_bobs_vote(exported_votes(db_url, "carol", tmp_path))
