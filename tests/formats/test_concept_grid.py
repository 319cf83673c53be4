"""The concept grid's CSV and workbook: one column per study, each study's own terms and pages."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from cosynth.domain.synthesis import (
    Concept,
    ConceptGrid,
    ConceptSource,
    ConstructOrder,
    GridCell,
    GridRow,
)
from cosynth.formats.concept_grid import (
    grid_table,
    write_concept_grid_csv,
    write_concept_grid_xlsx,
)


def _third(name: str) -> Concept:
    return Concept(
        id=1,
        name=name,
        order=ConstructOrder.THIRD,
        source=ConceptSource.REVIEW,
        description="",
        record_id=None,
        roundtable_id=None,
        added_by="alice",
        added_at=datetime(2024, 3, 1, tzinfo=UTC),
    )


# Thirty studies: the workbook's columns run past Z.
STUDIES = tuple((i, f"Study {i}") for i in range(1, 31))
GRID = ConceptGrid(
    studies=STUDIES,
    rows=(
        GridRow(
            concept=_third("sustainable person-centred services"),
            cells={
                1: (
                    GridCell(5, "continuity", 2, ("241", "243")),
                    GridCell(6, "trust", 1, ("12",)),
                ),
                30: (GridCell(9, "@staff time", 0, ()),),
            },
        ),
    ),
)


def test_it_names_each_studys_terms_with_their_pages() -> None:
    table = grid_table(GRID)
    assert table[0][:3] == ["Concept", "Order", "Study 1"]
    assert table[1][2] == "continuity (pp. 241, 243); trust (p. 12)"
    assert table[1][3] == ""


def test_it_writes_csv_a_spreadsheet_will_not_run() -> None:
    rows = list(csv.reader(io.StringIO(write_concept_grid_csv(GRID))))
    assert len(rows) == 2 and len(rows[0]) == 32
    assert rows[1][-1] == "'@staff time"


def test_it_writes_a_workbook_with_every_study_as_text() -> None:
    sheet = load_workbook(io.BytesIO(write_concept_grid_xlsx(GRID))).active
    assert sheet is not None
    assert sheet.title == "Concept grid"
    assert sheet["AF1"].value == "Study 30"
    assert sheet["AF2"].value == "@staff time"
    assert sheet["C2"].value == "continuity (pp. 241, 243); trust (p. 12)"
    assert sheet.freeze_panes == "C2"
