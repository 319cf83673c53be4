"""The team de-duplicates its imports; people's decisions and undos outlast every re-run."""

from __future__ import annotations

import io
from importlib.resources import files

import pytest

from cosynth.errors import NotFoundError, PermissionDeniedError
from cosynth.services import dedup as dedup_service
from cosynth.services.imports import import_file
from cosynth.services.records import export_records, list_records
from cosynth.services.reviews import review_status
from cosynth.services.workspace import Workspace
from tests.conftest import Team

SAMPLES = files("cosynth") / "samples"

PEER_SUPPORT = b"""TY  - JOUR
TI  - Peer support and co-delivery in integrated mental health care
AU  - Flora, N.
AU  - Ruel, M.
PY  - 2021
JO  - International Journal of Integrated Care
VL  - 21
SP  - 1
EP  - 14
DO  - 10.5334/ijic.5555
ER  -
"""
PEER_SUPPORT_MEDLINE = b"""PMID- 33000001
TI  - Peer support and co-delivery in integrated mental health care.
FAU - Flora, Nathalie
FAU - Ruel, Marc
DP  - 2021
JT  - International journal of integrated care
TA  - Int J Integr Care
VI  - 21
PG  - 1-14
LID - 10.5334/ijic.5555 [doi]

"""
ERRATUM = b"""TY  - JOUR
TI  - Erratum: Peer support and co-delivery in integrated mental health care
AU  - Flora, N.
PY  - 2021
JO  - International Journal of Integrated Care
VL  - 21
SP  - 15
ER  -
"""


def run(workspace: Workspace, who: str, team: Team) -> dedup_service.DedupSummary:
    with workspace.transaction(who) as tx:
        return dedup_service.run_dedup(tx, team.review_id)


def imported(workspace: Workspace, team: Team, name: str, data: bytes, again: bool = False) -> None:
    with workspace.transaction("alice") as tx:
        import_file(tx, team.review_id, name, data, again=again)


def test_it_merges_one_study_found_in_two_databases_but_not_its_erratum(
    workspace: Workspace, team: Team
) -> None:
    imported(workspace, team, "cinahl.ris", PEER_SUPPORT + b"\n" + ERRATUM)
    imported(workspace, team, "medline.nbib", PEER_SUPPORT_MEDLINE)
    summary = run(workspace, "bob", team)
    assert (summary.records, summary.groups, summary.records_merged) == (3, 1, 1)
    with workspace.transaction("pat") as tx:
        status = review_status(tx, team.review_id)
    assert (status.duplicate_groups, status.duplicates_removed) == (1, 1)
    with workspace.transaction("carol") as tx:
        (group,) = dedup_service.list_groups(tx, team.review_id)
        merged, given_by = dedup_service.merged_view(group)
    assert "Erratum" not in merged.title
    assert merged.authors[0] == "Flora, Nathalie"  # the fuller name wins
    assert given_by["pmid"] == group.records[1].id
    assert any("DOI" in why for why in group.evidence)


def test_it_finds_nothing_new_to_screen_when_a_database_is_imported_twice(
    workspace: Workspace, team: Team
) -> None:
    data = (SAMPLES / "PubMed_example.txt").read_bytes()
    imported(workspace, team, "pubmed.txt", data)
    run(workspace, "alice", team)
    imported(workspace, team, "pubmed-again.txt", data, again=True)
    summary = run(workspace, "alice", team)
    assert summary.records == 6
    assert summary.groups == 3
    assert summary.records_merged == 3
    with workspace.transaction("alice") as tx:
        groups = dedup_service.group_ids(tx, team.review_id)
    assert len(set(groups.values())) == 3


def test_it_keeps_an_undone_merge_undone_on_every_rerun(workspace: Workspace, team: Team) -> None:
    imported(workspace, team, "cinahl.ris", PEER_SUPPORT)
    imported(workspace, team, "medline.nbib", PEER_SUPPORT_MEDLINE)
    assert run(workspace, "alice", team).groups == 1
    with workspace.transaction("alice") as tx:
        first = list_records(tx, team.review_id)[0]
        undone = dedup_service.undo_group(tx, team.review_id, first.id)
    assert len(undone.records) == 2
    for _ in range(2):
        summary = run(workspace, "bob", team)
        assert summary.groups == 0
        assert summary.decisions_kept == 1
    with pytest.raises(NotFoundError, match="not in a duplicate group"):
        with workspace.transaction("alice") as tx:
            dedup_service.undo_group(tx, team.review_id, first.id)


def test_it_remembers_a_person_deciding_an_uncertain_pair(workspace: Workspace, team: Team) -> None:
    imported(workspace, team, "cinahl.ris", PEER_SUPPORT)
    later = PEER_SUPPORT.replace(b"DO  - 10.5334/ijic.5555\n", b"").replace(
        b"VL  - 21", b"VL  - 22"
    )
    imported(workspace, team, "scopus.ris", later)
    summary = run(workspace, "alice", team)
    assert (summary.groups, summary.pairs_for_review) == (0, 1)
    with workspace.transaction("bob") as tx:
        (pair,) = dedup_service.pairs_to_review(tx, team.review_id)
        assert "volumes 21 and 22" in pair.reason
        group = dedup_service.decide_pair(tx, team.review_id, pair.a.id, pair.b.id, duplicate=True)
    assert group is not None
    assert len(group.records) == 2
    summary = run(workspace, "carol", team)
    assert (summary.groups, summary.pairs_for_review) == (1, 0)
    with workspace.transaction("bob") as tx:
        assert dedup_service.pairs_to_review(tx, team.review_id) == []


def test_it_exports_each_record_with_its_group(workspace: Workspace, team: Team) -> None:
    imported(workspace, team, "cinahl.ris", PEER_SUPPORT + b"\n" + ERRATUM)
    imported(workspace, team, "medline.nbib", PEER_SUPPORT_MEDLINE)
    run(workspace, "alice", team)
    out = io.StringIO()
    with workspace.transaction("alice") as tx:
        export_records(tx, team.review_id, "csv", out)
    rows = [line.split(",")[:3] for line in out.getvalue().splitlines()]
    assert rows[0] == ["record_id", "source_file", "group_id"]
    assert [row[2] for row in rows[1:]] == [rows[1][0], rows[2][0], rows[1][0]]


def test_it_lets_only_the_reviewing_team_deduplicate(workspace: Workspace, team: Team) -> None:
    imported(workspace, team, "cinahl.ris", PEER_SUPPORT)
    for who in (team.adviser, team.outsider):
        with pytest.raises(PermissionDeniedError):
            run(workspace, who, team)
    with pytest.raises(PermissionDeniedError):
        with workspace.transaction(team.outsider) as tx:
            dedup_service.list_groups(tx, team.review_id)


def test_it_never_groups_two_records_of_an_export_already_deduplicated(
    workspace: Workspace, team: Team
) -> None:
    # The original review's final library held two records the team had
    # judged distinct; the update search finds the study again.
    library = PEER_SUPPORT + b"\n" + PEER_SUPPORT
    with workspace.transaction("alice") as tx:
        import_file(tx, team.review_id, "final-library.ris", library, deduplicated=True)
    assert run(workspace, "alice", team).groups == 0
    imported(workspace, team, "update-medline.nbib", PEER_SUPPORT_MEDLINE)
    summary = run(workspace, "alice", team)
    assert (summary.groups, summary.records_merged) == (1, 1)
