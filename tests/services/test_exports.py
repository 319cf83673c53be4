"""Exports of a set of records along the PRISMA flow: RIS, BibTeX and CSV, reasons kept."""

from __future__ import annotations

import csv
import io

import pytest

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import InputError, PermissionDeniedError
from cosynth.services import exports
from cosynth.services.dedup import decide_pair
from cosynth.services.imports import import_file
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.appraisal_helpers import appraise, choose_tapupas, eleven_studies
from tests.services.screening_helpers import both_vote, import_search, search_export, vote

INCLUDE, EXCLUDE = Decision.INCLUDE, Decision.EXCLUDE


def rows(
    workspace: Workspace, team: Team, set_name: str, who: str = "alice"
) -> list[dict[str, str]]:
    with workspace.transaction(who) as tx:
        data = exports.export_set(tx, team.review_id, set_name, "csv")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def ris(workspace: Workspace, team: Team, set_name: str, who: str = "alice") -> str:
    with workspace.transaction(who) as tx:
        return exports.export_set(tx, team.review_id, set_name, "ris").decode("utf-8")


@pytest.fixture
def screened(workspace: Workspace, team: Team) -> list[int]:
    """Six records: two included at full text, one excluded at each stage, one in conflict,
    one bob has excluded and carol has not yet seen."""
    ids = import_search(workspace, team)
    for record_id in ids[:3]:
        both_vote(workspace, team, record_id, INCLUDE, INCLUDE)
    for record_id in ids[:2]:
        both_vote(workspace, team, record_id, INCLUDE, INCLUDE, stage=Stage.FULL_TEXT)
    both_vote(workspace, team, ids[2], EXCLUDE, EXCLUDE, stage=Stage.FULL_TEXT,
              reason="no qualitative data")  # fmt: skip
    both_vote(workspace, team, ids[3], EXCLUDE, EXCLUDE, reason="wrong setting")
    both_vote(workspace, team, ids[4], INCLUDE, EXCLUDE)
    vote(workspace, "bob", team, ids[5], EXCLUDE, reason="wrong study design")
    return ids


def test_it_exports_the_studies_included_at_full_text(
    workspace: Workspace, team: Team, screened: list[int]
) -> None:
    found = rows(workspace, team, "included")
    assert [row["record_id"] for row in found] == [str(screened[0]), str(screened[1])]
    assert found[0]["title"].startswith("Co-producing integrated care")
    assert ris(workspace, team, "included").count("ER  - ") == 2


def test_it_exports_the_excluded_with_their_reasons(
    workspace: Workspace, team: Team, screened: list[int]
) -> None:
    at_title = rows(workspace, team, "excluded-title-abstract")
    assert [(row["record_id"], row["reason"]) for row in at_title] == [
        (str(screened[3]), "wrong setting")
    ]
    at_full_text = rows(workspace, team, "excluded-full-text")
    assert [(row["record_id"], row["reason"]) for row in at_full_text] == [
        (str(screened[2]), "no qualitative data")
    ]
    assert "N1  - Excluded at full text: no qualitative data" in ris(
        workspace, team, "excluded-full-text"
    )


def test_it_never_shows_a_vote_before_both_have_voted(
    workspace: Workspace, team: Team, screened: list[int]
) -> None:
    """bob excluded record 6 for its design; carol has not voted: it is undecided, no more."""
    for who in ("alice", "carol", "pat"):
        for set_name in exports.EXPORT_SETS:
            with workspace.transaction(who) as tx:
                for format_name in exports.FORMATS:
                    written = exports.export_set(tx, team.review_id, set_name, format_name)
                    assert b"wrong study design" not in written
    undecided = rows(workspace, team, "undecided-title-abstract", who="carol")
    assert [(row["record_id"], row["status"]) for row in undecided] == [
        (str(screened[4]), "conflict"),
        (str(screened[5]), "awaiting votes"),
    ]
    assert str(screened[5]) not in {
        row["record_id"] for row in rows(workspace, team, "excluded-title-abstract")
    }


def test_it_exports_the_duplicates_removed(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    with workspace.transaction("alice") as tx:
        import_file(
            tx,
            team.review_id,
            "medline.ris",
            search_export().replace(b"TY  - JOUR", b"TY  - JOUR\nDB  - MEDLINE"),
        )
    with workspace.transaction("alice") as tx:
        copies = [row["record_id"] for row in rows(workspace, team, "all")][len(ids) :]
        decide_pair(tx, team.review_id, ids[0], int(copies[0]), duplicate=True)
    found = rows(workspace, team, "duplicates")
    assert [(row["record_id"], row["duplicate_of"]) for row in found] == [(copies[0], str(ids[0]))]
    assert len(rows(workspace, team, "all")) == 2 * len(ids)


def test_it_writes_bibtex(workspace: Workspace, team: Team, screened: list[int]) -> None:
    with workspace.transaction("alice") as tx:
        written = exports.export_set_file(tx, team.review_id, "included", "bibtex")
    assert written.filename == "included.bib" and written.records == 2
    assert written.data.decode().count("@article{") == 2


def test_it_refuses_a_set_it_does_not_know_and_those_outside_the_review(
    workspace: Workspace, team: Team, screened: list[int]
) -> None:
    with (
        pytest.raises(InputError, match="no set of records called 'kept'"),
        workspace.transaction("alice") as tx,
    ):
        exports.export_set(tx, team.review_id, "kept", "ris")
    with pytest.raises(PermissionDeniedError), workspace.transaction("mallory") as tx:
        exports.export_set(tx, team.review_id, "included", "ris")


def test_it_leaves_out_the_studies_appraisal_excluded(workspace: Workspace, team: Team) -> None:
    """TAPUPAS, 7 of 7 to stay in (the paper excluded one study below its threshold)."""
    ids = eleven_studies(workspace, team)
    choose_tapupas(workspace, team, threshold=7)
    for who in ("bob", "carol"):
        appraise(workspace, who, team, ids[0])
        appraise(workspace, who, team, ids[1], unmet=("T", "A"))
    excluded = rows(workspace, team, "excluded-appraisal")
    assert [row["record_id"] for row in excluded] == [str(ids[1])]
    assert excluded[0]["reason"]
    kept = [row["record_id"] for row in rows(workspace, team, "included-after-appraisal")]
    assert str(ids[1]) not in kept and len(kept) == 10
    assert len(rows(workspace, team, "included")) == 11
    assert f"N1  - Excluded by critical appraisal: {excluded[0]['reason']}" in ris(
        workspace, team, "excluded-appraisal"
    )
