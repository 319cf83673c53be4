"""kill -9 in the middle of the team's work, on the engine under test.

One real child process per operation, killed with SIGKILL at a random point
(a random number of commits in, then a random part of the next step): the
store opens, holds exactly what the child reported committed, and the work
run again ends where an uninterrupted run ends. benchmarks/faults.py repeats
this many times; the suite does it once per operation.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ENGINE
from tests.faults.harness import (
    OPERATION,
    OPERATIONS,
    FaultFound,
    Stores,
    kill_and_check,
    kill_while_writing,
    reference,
)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    made = Stores(ENGINE, tmp_path_factory.mktemp("fault-stores"))
    yield made
    made.close()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_it_keeps_exactly_what_was_committed_when_killed(
    operation: str, stores: Stores, tmp_path: Path
) -> None:
    op = OPERATION[operation]
    uninterrupted = reference(op, stores, tmp_path / "reference")
    assert uninterrupted.states[0] != uninterrupted.states[-1], "the work must change something"
    seed = random.randrange(2**32)  # said on failure, to kill at the same point again
    try:
        outcome = kill_and_check(
            op, uninterrupted, stores, tmp_path / "killed", random.Random(seed)
        )
    except FaultFound as found:
        raise AssertionError(f"{found} (random seed {seed})") from None
    assert outcome.operation == operation


@pytest.mark.skipif(ENGINE != "sqlite", reason="files on disk: run once, in the SQLite pass")
def test_it_leaves_no_half_written_report_file_when_killed_while_writing(
    stores: Stores, tmp_path: Path
) -> None:
    op = OPERATION["report"]
    uninterrupted = reference(op, stores, tmp_path / "reference")
    # Three kills: the files take milliseconds to write, and one may be whole by the time
    # the signal lands.
    for attempt in range(3):
        kill_while_writing(op, uninterrupted, stores, tmp_path / f"killed{attempt}")
