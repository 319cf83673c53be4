"""The included studies that appraisal, extraction and scoring start from."""

from __future__ import annotations

import pytest

from cosynth.domain.citation import Citation
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.domain.study import author_year, study_labels
from cosynth.errors import NotFoundError, PermissionDeniedError
from cosynth.services.studies import get_study, included_studies
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search, include_at_full_text


def test_it_lists_only_what_full_text_screening_included(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[3]])
    both_vote(workspace, team, ids[1], Decision.INCLUDE, Decision.INCLUDE)
    both_vote(
        workspace,
        team,
        ids[1],
        Decision.EXCLUDE,
        Decision.EXCLUDE,
        stage=Stage.FULL_TEXT,
        reason="wrong phenomenon of interest",
    )
    with workspace.transaction("pat") as tx:
        studies = included_studies(tx, team.review_id)
    assert [s.record_id for s in studies] == [ids[0], ids[3]]
    assert [s.label for s in studies] == ["Author1 2013", "Author4 2016"]


def test_it_refuses_a_record_that_is_not_a_study(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    with (
        workspace.transaction("alice") as tx,
        pytest.raises(NotFoundError, match="not an included study"),
    ):
        get_study(tx, team.review_id, ids[2])


def test_it_shows_mallory_nothing(workspace: Workspace, team: Team) -> None:
    import_search(workspace, team)
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        included_studies(tx, team.review_id)


def test_it_names_studies_by_first_author_and_year() -> None:
    assert author_year(Citation(title="T", authors=("Conquer, S.",), year=2024)) == "Conquer 2024"
    assert author_year(Citation(title="Peer support in care", year=2019)) == "Peer support in 2019"
    same = Citation(title="A", authors=("Smith, J",), year=2019)
    assert study_labels(
        [(1, same), (2, same), (3, Citation(title="B", authors=("Jones, K",)))]
    ) == {
        1: "Smith 2019a",
        2: "Smith 2019b",
        3: "Jones",
    }
