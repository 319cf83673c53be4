"""Every shared export file: detected as its format, with the right number of records.

`tests/data/expected_counts.csv` holds the verified counts (imported and
skipped-with-a-reason) for every file in the shared INVENTORY.csv; its `note`
column says where and why INVENTORY's own count is not what a file holds.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cosynth.errors import ImportFileError
from cosynth.formats import Document, detect_reader
from tests.shared_data import imports_dir, inventory

EXPECTED_FILE = Path(__file__).resolve().parent.parent / "data" / "expected_counts.csv"


def expected() -> dict[str, dict[str, str]]:
    with EXPECTED_FILE.open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def test_it_has_a_verified_count_for_every_file_in_the_inventory() -> None:
    imports_dir()
    listed = {row.file for row in inventory()}
    assert listed == set(expected()), "update tests/data/expected_counts.csv"


def test_it_disagrees_with_the_inventory_only_where_the_note_says_why() -> None:
    imports_dir()
    known = expected()
    for row in inventory():
        mine = known[row.file]
        total = int(mine["imported"]) + int(mine["skipped"])
        if row.records is not None and total != row.records:
            assert mine["note"], f"{row.file}: INVENTORY says {row.records}, we read {total}"


@pytest.mark.parametrize("name", sorted(expected()))
def test_it_reads_every_shared_export(name: str) -> None:
    want = expected()[name]
    data = (imports_dir() / name).read_bytes()
    doc = Document(Path(name).name, data)
    if not want["reader"]:
        with pytest.raises(ImportFileError, match=Path(name).name.replace(".", r"\.")):
            detect_reader(doc)
        return
    reader = detect_reader(doc)
    assert reader.name == want["reader"]
    entries = list(reader.read(doc))
    imported = [entry for entry in entries if entry.citation is not None]
    skipped = [entry for entry in entries if entry.citation is None]
    assert (len(imported), len(skipped)) == (int(want["imported"]), int(want["skipped"]))
    assert all(entry.skipped for entry in skipped), "every skip names its reason"
    assert all(entry.raw for entry in entries), "every record keeps its source text"
