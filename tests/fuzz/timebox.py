"""Run one reader call under a time box, and say whether what it raised is allowed."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import pytest
from fuzz.targets import ALLOWED

# A reader that takes longer than this on a small file is hanging (the slowest seed reads
# in well under a second on the shared CI cores).
SECONDS = 10.0


class ReaderHung(Exception):
    """Raised inside the reader by the alarm: it did not come back in time."""


@contextmanager
def time_box(seconds: float = SECONDS) -> Iterator[None]:
    """Interrupt the block after `seconds` with `ReaderHung` (SIGALRM: main thread, POSIX)."""

    def ring(signum: int, frame: FrameType | None) -> None:
        raise ReaderHung(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def only_cosynth_errors(run: Callable[[bytes], None], data: bytes, what: str) -> None:
    """Fail the test unless `run(data)` returns, or raises a cosynth error, in time."""
    try:
        with time_box():
            run(data)
    except ALLOWED:
        return
    except ReaderHung:
        pytest.fail(f"{what}: the reader hung on {len(data)} bytes starting {data[:60]!r}")
    except Exception as exc:  # anything else escaping a reader is the bug this test looks for
        raise AssertionError(
            f"{what}: {type(exc).__name__} escaped the reader on {len(data)} bytes "
            f"starting {data[:60]!r}: {exc}"
        ) from exc
