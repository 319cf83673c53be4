"""Reporting checklists filled from the review: eMERGe, ENTREQ, PRISMA 2020 and GRIPP2-SF.

alice's review is filled twice: empty, where every item with data behind it is
missing and says what to add, and as the paper's worked example, where the
items point at the flow, the translations and the synthesis with their numbers.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from sqlalchemy import text

from cosynth import __version__
from cosynth.domain.checklists import EvidenceKind, FilledChecklist, FilledItem, ItemStatus
from cosynth.domain.roles import Role
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import checklists
from cosynth.services.reviews import add_member, create_review
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import build_worked_synthesis, load_worked_synthesis
from cosynth.services.workspace import Workspace, open_workspace
from cosynth.store.engine import make_engine
from cosynth.store.schema import Base
from tests.conftest import Team
from tests.services.appraisal_helpers import appraise, choose_tapupas, eleven_studies
from tests.services.screening_helpers import both_vote, import_search, include_at_full_text


def _item(filled: FilledChecklist, number: str) -> FilledItem:
    return next(f for f in filled.items if f.item.number == number)


def _evidence(item: FilledItem, kind: EvidenceKind) -> str:
    return next(e.summary for e in item.evidence if e.kind is kind)


# -- the checklists cosynth ships


def test_it_ships_the_four_checklists_with_the_guidelines_item_counts() -> None:
    shipped = {c.id: c for c in checklists.checklists()}
    assert {k: c.top_level_items for k, c in shipped.items()} == {
        "emerge": 19,
        "entreq": 21,
        "prisma-2020": 27,
        "gripp2-sf": 5,
    }
    prisma = shipped["prisma-2020"]
    assert [i.number for i in prisma.items if i.top == 13] == [f"13{x}" for x in "abcdef"]
    assert [i.number for i in prisma.items if i.top == 24] == ["24a", "24b", "24c"]
    for checklist in shipped.values():
        assert checklist.citation and checklist.licence
        assert all(item.title and item.explanation for item in checklist.items)


def test_it_refuses_a_checklist_it_does_not_know() -> None:
    with pytest.raises(NotFoundError, match="emerge, entreq, gripp2-sf, prisma-2020"):
        checklists.get_checklist("coreq")


# -- an empty review: everything flagged, with what to add


def test_it_flags_every_item_of_an_empty_review_with_what_to_add(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("pat") as tx:
        filled = checklists.fill_checklist(tx, team.review_id, "emerge")
    assert len(filled.items) == 19
    assert filled.flagged == filled.items
    selection = _item(filled, "8")
    assert selection.status is ItemStatus.MISSING
    assert "Screen the records" in " ".join(selection.to_add)
    rationale = _item(filled, "1")
    assert rationale.status is ItemStatus.MANUSCRIPT
    assert "write it in the manuscript" in rationale.to_add[0]


def test_it_names_the_software_and_fills_gripp2_from_the_groups_records(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        entreq = checklists.fill_checklist(tx, team.review_id, "entreq")
        gripp2 = checklists.fill_checklist(tx, team.review_id, "GRIPP2-SF")
    software = _item(entreq, "15")
    assert software.status is ItemStatus.FOUND
    assert _evidence(software, EvidenceKind.SOFTWARE) == f"cosynth {__version__}"
    assert [f.status for f in gripp2.items] == [ItemStatus.MISSING] * 5


def test_it_lets_no_outsider_fill_a_checklist(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        checklists.fill_checklist(tx, team.review_id, "emerge")


def test_it_counts_the_flow_and_the_full_texts_excluded_with_reasons(
    workspace: Workspace, team: Team
) -> None:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[1]])
    both_vote(workspace, team, ids[2], Decision.EXCLUDE, Decision.EXCLUDE)
    both_vote(workspace, team, ids[3], Decision.INCLUDE, Decision.INCLUDE)
    both_vote(
        workspace, team, ids[3], Decision.EXCLUDE, Decision.EXCLUDE,
        stage=Stage.FULL_TEXT, reason="wrong study design",
    )  # fmt: skip
    with workspace.transaction("bob") as tx:
        filled = checklists.fill_checklist(tx, team.review_id, "prisma-2020")
    selection = _item(filled, "16a")
    assert selection.status is ItemStatus.FOUND
    flow = _evidence(selection, EvidenceKind.FLOW)
    assert flow.startswith("6 records identified from databases and registers;")
    assert "3 reports assessed for eligibility, 1 excluded" in flow
    assert flow.endswith("2 studies included (2 reports).")
    excluded = _evidence(_item(filled, "16b"), EvidenceKind.FULL_TEXT_EXCLUSIONS)
    assert excluded == "1 report excluded after assessment: wrong study design (1)."
    sources = _evidence(_item(filled, "6"), EvidenceKind.SOURCES)
    assert sources.startswith("1 source: CINAHL (6 records, imported by alice)")


def test_it_reports_the_appraisal_for_entreq_10_to_13(workspace: Workspace, team: Team) -> None:
    ids = eleven_studies(workspace, team)
    choose_tapupas(workspace, team, threshold=7)
    for who in team.reviewers:
        appraise(workspace, who, team, ids[0])
        appraise(workspace, who, team, ids[1], unmet=("S",))
    with workspace.transaction("carol") as tx:
        filled = checklists.fill_checklist(tx, team.review_id, "entreq")
    instrument = _evidence(_item(filled, "11"), EvidenceKind.APPRAISAL_PROTOCOL)
    assert instrument == "TAPUPAS (7 items), sum >= 7; 2 appraisers per study, blinded."
    results = _evidence(_item(filled, "13"), EvidenceKind.APPRAISAL_RESULTS)
    assert results == "2 studies appraised: 1 met, 1 not met."


# -- where the manuscript reports an item


def test_it_keeps_where_the_manuscript_reports_an_item_newest_first(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        checklists.record_reported(tx, team.review_id, "prisma-2020", "24A", "Not registered, p. 2")
        checklists.record_reported(tx, team.review_id, "prisma-2020", "24a", "  Methods,  p. 3 ")
        checklists.record_reported(tx, team.review_id, "prisma-2020", "26", "Declarations")
        checklists.record_reported(tx, team.review_id, "prisma-2020", "26", "")
    with workspace.transaction("carol") as tx:
        filled = checklists.fill_checklist(tx, team.review_id, "prisma-2020")
        history = checklists.reported_history(tx, team.review_id, "prisma-2020", "24a")
    registration = _item(filled, "24a")
    assert registration.reported is not None
    assert registration.reported.where == "Methods, p. 3"
    assert registration.reported.by == "alice"
    assert not registration.flagged
    # Cleared with an empty note: flagged again, and the earlier note is kept.
    assert _item(filled, "26").reported is None
    assert _item(filled, "26").flagged
    assert [note.where for note in history] == ["Not registered, p. 2", "Methods, p. 3"]


def test_it_refuses_a_note_on_an_item_the_checklist_lacks(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match='no item "20"'):
        checklists.record_reported(tx, team.review_id, "emerge", "20", "Discussion")


def test_it_lets_only_the_lead_note_where_an_item_is_reported(
    workspace: Workspace, team: Team
) -> None:
    for person in ("bob", "pat"):
        with workspace.transaction(person) as tx, pytest.raises(PermissionDeniedError):
            checklists.record_reported(tx, team.review_id, "emerge", "1", "Introduction")


# -- files


def test_it_writes_one_docx_table_row_per_item(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        name, data = checklists.checklist_file(tx, team.review_id, "prisma-2020", "docx")
    assert name == "prisma-2020-checklist.docx"
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    assert len(table.rows) == 1 + 42
    assert table.rows[0].cells[0].text == "Item"
    assert [row.cells[0].text for row in table.rows[1:4]] == ["1", "2", "3"]
    assert table.rows[-1].cells[2].text == "Availability of data, code and other materials"


def test_it_writes_markdown_and_csv_with_the_flags(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        _, markdown = checklists.checklist_file(tx, team.review_id, "emerge", "md")
        _, table = checklists.checklist_file(tx, team.review_id, "emerge", "csv")
        with pytest.raises(InputError, match="md, csv, docx"):
            checklists.checklist_file(tx, team.review_id, "emerge", "pdf")
    lines = markdown.decode().splitlines()
    assert lines[0] == "# eMERGe meta-ethnography reporting guidance (19 criteria): " + (
        "Co-production in integrated care"
    )
    assert sum(1 for line in lines if line.startswith("| ")) == 1 + 19
    assert "19 of 19 items flagged" in markdown.decode()
    rows = list(csv.reader(io.StringIO(table.decode("utf-8-sig"))))
    assert len(rows) == 1 + 19
    assert rows[8][:3] == [
        "8",
        "Phase 2: deciding what is relevant (Findings)",
        "Outcome of study selection",
    ]
    assert rows[8][4] == "missing (flagged)"


# -- the worked example: the paper's review, filled


@dataclass(frozen=True)
class Built:
    workspace: Workspace
    review_id: int


def _fresh_store(server: str | None, template: Path, folder: Path) -> str:
    if server is None:
        path = folder / "cosynth.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    engine = make_engine(server)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return server


@pytest.fixture(scope="module")
def built(
    _server_database: str | None,
    _sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Built]:
    url = _fresh_store(_server_database, _sqlite_template, tmp_path_factory.mktemp("checklists"))
    workspace = open_workspace(url)
    with workspace.transaction("alice") as tx:
        review = create_review(
            tx,
            "Co-production in integrated care",
            question="How is co-production used to transform integrated care?",
        )
        add_member(tx, review.id, "bob", Role.REVIEWER)
        add_member(tx, review.id, "carol", Role.REVIEWER)
        add_member(tx, review.id, "pat", Role.ADVISER)
    example = load_worked_example()
    refs = build_worked_example(workspace, review.id, example)
    build_worked_synthesis(workspace, review.id, refs, load_worked_synthesis(example))
    yield Built(workspace, review.id)
    workspace.close()


def test_it_points_emerge_at_the_flow_the_translations_and_the_synthesis(built: Built) -> None:
    with built.workspace.transaction("pat") as tx:
        filled = checklists.fill_checklist(tx, built.review_id, "emerge")
    for number in ("3", "11", "12", "13", "14", "15", "16"):
        assert _item(filled, number).status is ItemStatus.FOUND, number
    translating = _item(filled, "13")
    assert "By publication date" in _evidence(translating, EvidenceKind.TRANSLATION_ORDER)
    assert "reciprocal" in _evidence(translating, EvidenceKind.TRANSLATIONS)
    synthesis = _evidence(_item(filled, "16"), EvidenceKind.INTERPRETATIONS)
    assert synthesis.startswith("3 interpretations: Narrow focus; Co-delivery;")
    assert not any(f.flagged for f in filled.items if f.status is ItemStatus.FOUND)


def test_it_fills_gripp2_methods_from_the_advisory_groups_records(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        filled = checklists.fill_checklist(tx, built.review_id, "gripp2-sf")
    methods = _item(filled, "2")
    assert methods.status is ItemStatus.FOUND
    assert "An advisory group of 6 members" in _evidence(methods, EvidenceKind.INVOLVEMENT_METHODS)
