"""The review's PRISMA 2020 flow, counted from what the team did; the records behind each box."""

from __future__ import annotations

import pytest

from cosynth.domain.prisma import Count, IdentificationMethod, check_flow
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import NotFoundError, PermissionDeniedError
from cosynth.services import dedup as dedup_service
from cosynth.services import fulltext
from cosynth.services.imports import import_file
from cosynth.services.prisma import (
    APPRAISAL_REASON,
    listed_in_box,
    prisma_flow,
    prisma_flow_with_records,
    records_behind,
)
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.appraisal_helpers import appraise, choose_tapupas
from tests.services.screening_helpers import TITLES, both_vote, import_search

HAND_SEARCHED = (
    "TY  - JOUR\nTI  - Quality as strategy: co-production in Jonkoping\nAU  - Persson, A.\n"
    "PY  - 2021\nJO  - Journal of Integrated Care\nER  - \n"
)


def _medline_copies() -> bytes:
    """MEDLINE finds two of CINAHL's six again: duplicates."""
    return "".join(
        f"TY  - JOUR\nTI  - {title}\nAU  - Author{i}, A.\nPY  - {2012 + i}\n"
        f"JO  - Journal of Integrated Care\nER  - \n"
        for i, title in ((1, TITLES[0]), (4, TITLES[3]))
    ).encode()


@pytest.fixture
def review(workspace: Workspace, team: Team) -> dict[str, int]:
    """The team's review, screened and appraised to the end; its records by what became of them."""
    cinahl = import_search(workspace, team)
    with workspace.transaction(team.lead) as tx:
        import_file(tx, team.review_id, "medline.ris", _medline_copies(), database="MEDLINE")
        import_file(
            tx, team.review_id, "reference-lists.ris", HAND_SEARCHED.encode(),
            database="Reference lists", method=IdentificationMethod.CITATION_SEARCHING,
        )  # fmt: skip
        dedup_service.run_dedup(tx, team.review_id)
        hand = list_records(tx, team.review_id)[-1].id
    include, exclude = Decision.INCLUDE, Decision.EXCLUDE
    for record_id in (cinahl[0], cinahl[1], cinahl[3], cinahl[5], hand):
        both_vote(workspace, team, record_id, include, include)
    for record_id in (cinahl[2], cinahl[4]):
        both_vote(
            workspace, team, record_id, exclude, exclude, reason="wrong phenomenon of interest"
        )
    for record_id in (cinahl[0], cinahl[3], hand):
        both_vote(workspace, team, record_id, include, include, stage=Stage.FULL_TEXT)
    both_vote(
        workspace, team, cinahl[1], exclude, exclude, stage=Stage.FULL_TEXT,
        reason="wrong setting",
    )  # fmt: skip
    with workspace.transaction(team.lead) as tx:
        fulltext.mark_not_retrieved(
            tx, team.review_id, cinahl[5], note="library and interlibrary loan; author emailed"
        )
    choose_tapupas(workspace, team, threshold=7)
    for record_id in (cinahl[0], cinahl[3], hand):
        unmet = ("U",) if record_id == cinahl[3] else ()
        for who in team.reviewers:
            appraise(workspace, who, team, record_id, unmet=unmet)
    return {
        "included": cinahl[0],
        "below threshold": cinahl[3],
        "excluded at full text": cinahl[1],
        "not retrieved": cinahl[5],
        "hand searched": hand,
        "excluded at title": cinahl[2],
    }


def test_it_counts_every_box_from_the_data(
    workspace: Workspace, team: Team, review: dict[str, int]
) -> None:
    with workspace.transaction(team.adviser) as tx:
        flow = prisma_flow(tx, team.review_id)
    assert flow.database_results == 8
    assert flow.database_specific_results == (Count("CINAHL", 6), Count("MEDLINE", 2))
    assert flow.citations_results == 1
    assert flow.duplicates == 2
    assert (flow.records_screened, flow.records_excluded) == (6, 2)
    assert (flow.dbr_sought_reports, flow.dbr_notretrieved_reports, flow.dbr_assessed) == (4, 1, 3)
    assert flow.dbr_excluded == (Count("wrong setting", 1), Count(APPRAISAL_REASON, 1))
    assert (flow.other_sought_reports, flow.other_assessed, flow.other_excluded) == (1, 1, ())
    assert (flow.new_studies, flow.new_reports) == (2, 2)
    assert not flow.updated


def test_it_adds_up_once_every_record_is_decided(
    workspace: Workspace, team: Team, review: dict[str, int]
) -> None:
    with workspace.transaction(team.lead) as tx:
        assert check_flow(prisma_flow(tx, team.review_id)) == []


def test_it_says_what_is_missing_while_screening_is_under_way(
    workspace: Workspace, team: Team
) -> None:
    import_search(workspace, team)
    with workspace.transaction(team.lead) as tx:
        problems = check_flow(prisma_flow(tx, team.review_id))
    assert [p.boxes[-1] for p in problems] == ["dbr_sought_reports"]
    assert "6 records screened were neither excluded nor sought" in problems[0].message


def test_it_lists_the_records_behind_each_box(
    workspace: Workspace, team: Team, review: dict[str, int]
) -> None:
    with workspace.transaction(team.reviewers[0]) as tx:
        included = records_behind(tx, team.review_id, "new_studies")
        appraised_out = records_behind(tx, team.review_id, "dbr_excluded")
        missing = records_behind(tx, team.review_id, "dbr_notretrieved_reports")
        hand = records_behind(tx, team.review_id, "citations_results")
        duplicates = records_behind(tx, team.review_id, "duplicates")
        previous = records_behind(tx, team.review_id, "previous_studies")
    assert [r.id for r in included] == [review["included"], review["hand searched"]]
    assert [r.id for r in appraised_out] == [
        review["excluded at full text"], review["below threshold"],
    ]  # fmt: skip
    assert [r.id for r in missing] == [review["not retrieved"]]
    assert [r.id for r in hand] == [review["hand searched"]]
    assert {r.citation.title for r in duplicates} == {TITLES[0], TITLES[3]}
    assert all(r.source_id != 1 for r in duplicates)  # MEDLINE's copies, not CINAHL's
    assert previous == []


def test_it_gives_each_listed_record_its_reason(
    workspace: Workspace, team: Team, review: dict[str, int]
) -> None:
    with workspace.transaction(team.lead) as tx:
        flow, listed = prisma_flow_with_records(tx, team.review_id)
    assert flow.new_studies == len(listed["new_studies"])
    why = {entry.record_id: entry.why for entry in listed["dbr_excluded"]}
    assert why == {
        review["excluded at full text"]: "wrong setting",
        review["below threshold"]: APPRAISAL_REASON,
    }
    (missing,) = listed["dbr_notretrieved_reports"]
    assert missing.why == "library and interlibrary loan; author emailed"
    assert {entry.why for entry in listed["records_excluded"]} == {"wrong phenomenon of interest"}
    with workspace.transaction(team.adviser) as tx:
        assert listed_in_box(tx, team.review_id, "dbr_excluded") == list(listed["dbr_excluded"])


def test_it_refuses_a_box_that_is_not_in_the_diagram(workspace: Workspace, team: Team) -> None:
    with workspace.transaction(team.lead) as tx, pytest.raises(NotFoundError, match="not a box"):
        records_behind(tx, team.review_id, "records_sifted")


def test_it_shows_mallory_nothing(workspace: Workspace, team: Team, review: dict[str, int]) -> None:
    with workspace.transaction(team.outsider) as tx:
        with pytest.raises(PermissionDeniedError):
            prisma_flow(tx, team.review_id)
        with pytest.raises(PermissionDeniedError):
            records_behind(tx, team.review_id, "new_studies")
