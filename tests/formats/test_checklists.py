"""Reporting checklist files: every shipped checklist loads; a broken one names file and line."""

from __future__ import annotations

import pytest

from cosynth.domain.checklists import EvidenceKind
from cosynth.errors import DataFileError
from cosynth.formats.checklists import read_checklist, registered_checklists

GOOD = """\
format = 1
id = "mini"
name = "Mini"
version = "1"

[source]
citation = "A. Person. A checklist. 2024."
licence = "CC BY 4.0"

[[items]]
number = "1"
title = "Title"
evidence = []

[[items]]
number = "2a"
title = "Search"
explanation = "Say how the search was run."
evidence = ["sources", "flow"]
"""


def test_it_loads_every_shipped_checklist_with_its_item_count() -> None:
    shipped = registered_checklists()
    counts = {name: found.checklist.top_level_items for name, found in shipped.items()}
    assert counts == {"emerge": 19, "entreq": 21, "prisma-2020": 27, "gripp2-sf": 5}
    assert len(shipped["prisma-2020"].checklist.items) == 42
    emerge = shipped["emerge"].checklist
    selection = emerge.item("8")
    assert selection is not None
    assert selection.title == "Outcome of study selection"
    assert selection.evidence == (EvidenceKind.FLOW,)
    translating = emerge.item("13")
    assert translating is not None
    assert translating.evidence == (EvidenceKind.TRANSLATION_ORDER, EvidenceKind.TRANSLATIONS)


def test_it_reads_a_checklist_file() -> None:
    read = read_checklist(GOOD.encode(), "mini.toml")
    checklist = read.checklist
    assert [item.number for item in checklist.items] == ["1", "2a"]
    assert checklist.items[1].top == 2
    assert checklist.items[0].manuscript_only
    assert checklist.evidence_kinds == (EvidenceKind.SOURCES, EvidenceKind.FLOW)


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (GOOD.replace('"sources", "flow"', '"sources", "the moon"'), 19, '"the moon" is not'),
        (GOOD.replace('number = "2a"', 'number = "1"'), 16, '"1" is used twice'),
        (GOOD.replace('number = "2a"', 'number = "two"'), 16, "is not one cosynth reads"),
        (GOOD.replace('title = "Search"', 'heading = "Search"'), 17, '"heading" is not a key'),
        (GOOD.replace('title = "Title"\n', ""), 10, '"title" is missing'),
        (GOOD.replace('version = "1"', 'version = "1'), 4, "not valid TOML"),
        (GOOD.replace("format = 1", "format = 2"), 1, "format 2"),
    ],
)
def test_it_refuses_a_broken_checklist_naming_the_file_and_line(
    broken: str, line: int, words: str
) -> None:
    with pytest.raises(DataFileError, match=words) as refused:
        read_checklist(broken.encode(), "mini.toml")
    assert refused.value.filename == "mini.toml"
    assert refused.value.line == line
    assert str(refused.value).startswith(f"mini.toml, line {line}: ")


def test_it_refuses_a_checklist_that_is_not_utf8() -> None:
    with pytest.raises(DataFileError, match="not UTF-8") as refused:
        read_checklist(GOOD.encode().replace(b"Search", b"S\xe9arch"), "mini.toml")
    assert refused.value.line == 17
