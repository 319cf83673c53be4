"""The paper's review, rebuilt from data, reproduces its two findings and its Tables 2 and 4."""

from __future__ import annotations

import pytest

from cosynth.domain.coproduction import StudyScore
from cosynth.services import coproduction, extraction, quotes, report_tables
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.workspace import Workspace
from tests.conftest import Team


@pytest.fixture
def example_review(workspace: Workspace, team: Team) -> dict[int, int]:
    return build_worked_example(workspace, team.review_id, load_worked_example())


def test_it_reproduces_the_papers_two_findings(
    workspace: Workspace, team: Team, example_review: dict[int, int]
) -> None:
    with workspace.transaction("alice") as tx:
        scores = coproduction.study_scores(tx, team.review_id)
        models = report_tables.study_characteristics(tx, team.review_id)
    by_ref = {ref: _score(scores, record_id) for ref, record_id in example_review.items()}
    # The published totals: reference 47 highest at 12, 48 lowest at 6, the rest 9-11.
    assert by_ref[47] == 12 and by_ref[48] == 6
    assert all(9 <= by_ref[ref] <= 11 for ref in by_ref if ref not in (47, 48))
    assert [s.score for s in scores] == sorted((s.score for s in scores), reverse=True)
    # Finding 1: co-delivery and peer-support studies rank highest.
    special = {
        record_id
        for record_id, values in models.items()
        if {"Co-delivery", "Peer support"} & set(values["models"].split("; "))
    }
    assert {example_review[r] for r in (22, 47, 51, 52, 54, 55)} == special
    lowest_special = min(s.score or 0 for s in scores if s.record_id in special)
    highest_other = max(s.score or 0 for s in scores if s.record_id not in special)
    assert lowest_special > highest_other
    assert [s.record_id for s in scores[: len(special)]] == [
        s.record_id for s in scores if s.record_id in special
    ]
    # Finding 2: the whole-system study ranks lowest, access to a pathway highest.
    assert scores[-1].record_id == example_review[48]
    assert models[example_review[48]]["scale_of_provision"] == "a whole integrated care system"
    assert scores[0].record_id == example_review[47]
    assert models[example_review[47]]["scale_of_provision"] == "access to a pathway"


def _score(scores: list[StudyScore], record_id: int) -> int:
    (found,) = [s for s in scores if s.record_id == record_id]
    assert found.score is not None
    return found.score


def test_it_keeps_both_raters_and_the_consensus_where_they_differed(
    workspace: Workspace, team: Team, example_review: dict[int, int]
) -> None:
    with workspace.transaction("alice") as tx:
        scores = {s.record_id: s for s in coproduction.study_scores(tx, team.review_id)}
    kamvura = scores[example_review[55]]
    assert kamvura.by_rater["bob"]["nhse-spectrum"].label == "Involving"
    assert kamvura.by_rater["carol"]["nhse-spectrum"].label == "Collaborating"
    assert kamvura.consensus["nhse-spectrum"].label == "Involving"
    assert kamvura.score == 10


def test_it_makes_tables_2_and_4_with_the_papers_facts(
    workspace: Workspace, team: Team, example_review: dict[int, int]
) -> None:
    with workspace.transaction("pat") as tx:
        tables = {t.key: t for t in report_tables.review_tables(tx, team.review_id)}
        kept = quotes.quotes(tx, team.review_id)
        agreed = extraction.consensus_values(tx, team.review_id)
    table2 = tables["table-2-included-studies"]
    assert len(table2.rows) == 10
    rows = {row[0]: row for row in table2.rows}
    assert rows["Lalani 2019"][2:] == (
        "England",
        "Early integrated care system",
        "Public committee",
    )
    assert rows["Yadav 2021"][2] == "Australia (conducted in Nepal)"
    assert rows["Eriksson 2019"][4] == "Co-delivery; Peer support; Representative co-production"
    table4 = tables["table-4-score-order"]
    assert [(row[1], row[4]) for row in table4.rows][:1] == [("Eriksson 2019", "12")]
    assert (table4.rows[-1][0], table4.rows[-1][1], table4.rows[-1][4]) == (
        "10",
        "Lalani 2019",
        "6",
    )
    assert {row[4] for row in table4.rows[1:-1]} == {"9", "10", "11"}
    assert "[Bruns 2021: 241]" in {quote.citation for quote in kept}
    assert len(kept) == 9
    assert len(agreed) == 10
    link = tables["link-analysis-co-production-model"]
    assert link.rows[0][0] in {"Representative co-production", "Peer support", "Co-delivery"}


def test_it_writes_every_format(
    workspace: Workspace, team: Team, example_review: dict[int, int]
) -> None:
    with workspace.transaction("alice") as tx:
        written = report_tables.report_files(tx, team.review_id)
    assert written["tables.docx"][:2] == b"PK"
    assert b"Table 4. Studies re-ordered" in written["tables.md"]
    assert written["table-2-included-studies.csv"].startswith("\ufeffPrimary author".encode())
    assert b"<svg" in written["link-analysis-scale-of-provision.svg"]
