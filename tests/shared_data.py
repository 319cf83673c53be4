"""Where the shared real-data folder is, for tests that read the real export files.

The folder sits beside the repository (`../shared/data`) on the team's machines
and in CI; `COSYNTH_SHARED_DATA` overrides it. Without it, tests that need it
are skipped with a reason that says so, except under CI where that is an error.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from cosynth.formats import Document

REPO = Path(__file__).resolve().parent.parent


@cache
def shared_data() -> Path | None:
    configured = os.environ.get("COSYNTH_SHARED_DATA")
    candidate = Path(configured) if configured else REPO.parent / "shared" / "data"
    return candidate if (candidate / "imports").is_dir() else None


def imports_dir() -> Path:
    """The shared `imports/` folder, or skip (fail under CI) when it is absent."""
    found = shared_data()
    if found is None:
        message = "the shared real-data folder ../shared/data is not here (set COSYNTH_SHARED_DATA)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found / "imports"


@dataclass(frozen=True)
class InventoryRow:
    file: str
    format: str
    encoding: str
    source_db_guess: str
    records: int | None


@cache
def inventory() -> tuple[InventoryRow, ...]:
    found = shared_data()
    if found is None:
        return ()
    rows = []
    with (found / "imports" / "INVENTORY.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            count = row["records"].strip()
            rows.append(
                InventoryRow(
                    file=row["file"],
                    format=row["format"],
                    encoding=row["encoding"],
                    source_db_guess=row["source_db_guess"],
                    records=int(float(count)) if count else None,
                )
            )
    return tuple(rows)


def inventory_files(*formats: str) -> list[str]:
    """Inventory file names of the given INVENTORY formats (all when none given)."""
    return [row.file for row in inventory() if not formats or row.format in formats]


def shared_document(name: str) -> Document:
    """A shared export file (a path under `imports/`) as a reader receives it."""
    return Document(name, (imports_dir() / name).read_bytes())
