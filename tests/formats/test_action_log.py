"""The action log as CSV: who by name, the phase by number and name, dates, no formulas."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

from cosynth.domain.advisory import Action
from cosynth.domain.synthesis import Phase
from cosynth.formats.action_log import ACTION_LOG_COLUMNS, write_action_log_csv

AT = datetime(2022, 5, 1, tzinfo=UTC)


BLANK = Action(
    id=1, task="", member_ids=(), review_team=False, phase=None, due_on=None, done_on=None,
    added_by="alice", added_at=AT,
)  # fmt: skip


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_it_names_who_does_each_task_and_its_phase() -> None:
    actions = [
        replace(
            BLANK,
            task="Co-design the data extraction tool",
            member_ids=(2, 1),
            phase=Phase.READING_THE_STUDIES,
            due_on=date(2022, 6, 1),
            done_on=date(2022, 5, 30),
        ),
        replace(BLANK, task="Send the papers out", id=2, review_team=True, member_ids=(3,)),
    ]
    rows = _rows(write_action_log_csv(actions, {1: "Pat", 2: "Jo"}))
    assert tuple(rows[0]) == ACTION_LOG_COLUMNS
    assert rows[1] == [
        "Co-design the data extraction tool",
        "Jo; Pat",
        "3. Reading the studies",
        "2022-06-01",
        "2022-05-30",
    ]
    # A member no longer known by name is still counted, and the review team is named.
    assert rows[2] == ["Send the papers out", "member 3; review team", "", "", ""]


def test_it_keeps_a_task_that_looks_like_a_formula_as_text() -> None:
    formula = replace(BLANK, task='=HYPERLINK("http://x")', review_team=True)
    rows = _rows(write_action_log_csv([formula], {}))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
