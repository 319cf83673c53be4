"""Background jobs: work too long for one web request, and how far it has got.

A job is queued by a person, run later by a worker as that person, and ends
done (with a result) or failed (with a plain message). Its progress is a count
of steps done out of a total, which may not be known until the work begins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in {JobStatus.DONE, JobStatus.FAILED}


class JobKind(StrEnum):
    IMPORT = "import"
    DEDUP = "dedup"
    RANKING = "ranking"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    JobKind.IMPORT: "importing a file",
    JobKind.DEDUP: "finding duplicates",
    JobKind.RANKING: "ranking the screening queue",
}


@dataclass(frozen=True, slots=True)
class JobProgress:
    """How far a running job has got: `done` of `total` steps (None: not known yet)."""

    done: int = 0
    total: int | None = None
    message: str = ""

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


@dataclass(frozen=True, slots=True)
class Job:
    """One job as a person may see it: what it is, where it has got, and how it ended."""

    id: int
    review_id: int | None
    kind: JobKind
    status: JobStatus
    progress: JobProgress
    created_by: str
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: Mapping[str, Any] | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.status.finished

    @property
    def message(self) -> str:
        return self.progress.message
