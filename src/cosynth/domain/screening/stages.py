"""The screening stages and the protocol a review sets for each.

A record passes title/abstract screening, then full-text screening (PRISMA
2020: records screened, then reports assessed for eligibility). Which stage a
record is in is derived from the votes, never set by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Stage(StrEnum):
    TITLE_ABSTRACT = "title-abstract"
    FULL_TEXT = "full-text"

    @property
    def label(self) -> str:
        return "title and abstract" if self is Stage.TITLE_ABSTRACT else "full text"

    @property
    def previous(self) -> Stage | None:
        return Stage.TITLE_ABSTRACT if self is Stage.FULL_TEXT else None


class Assignment(StrEnum):
    """Who screens what: every reviewer may screen any record, or only what is assigned."""

    EVERYONE = "everyone"
    ASSIGNED = "assigned"


class CriterionKind(StrEnum):
    INCLUSION = "inclusion"
    EXCLUSION = "exclusion"


@dataclass(frozen=True, slots=True)
class Criterion:
    kind: CriterionKind
    text: str


# Reasons a team can start from; each review edits its own list. They follow
# the elements of a SPICES question (setting, perspective, intervention or
# phenomenon of interest, comparison, evaluation, study design) plus the
# publication limits every search sets.
DEFAULT_REASONS: dict[Stage, tuple[str, ...]] = {
    Stage.TITLE_ABSTRACT: (
        "wrong setting",
        "wrong population or perspective",
        "wrong phenomenon of interest",
        "wrong study design",
        "wrong publication type",
        "outside the date limits",
        "not in a language the team reads",
    ),
    Stage.FULL_TEXT: (
        "wrong setting",
        "wrong population or perspective",
        "wrong phenomenon of interest",
        "wrong study design",
        "wrong publication type",
        "no qualitative data",
        "outside the date limits",
        "not in a language the team reads",
        "duplicate report of an included study",
    ),
}


@dataclass(frozen=True, slots=True)
class StageProtocol:
    """How one stage is screened: set before screening starts, then locked.

    `reviewers_required` votes are needed before a record's outcome can be
    known; with blinding on, no one sees another's vote on a record before then.
    """

    stage: Stage
    reviewers_required: int = 2
    blinded: bool = True
    assignment: Assignment = Assignment.EVERYONE
    criteria: tuple[Criterion, ...] = ()
    reasons: tuple[str, ...] = ()
    version: int = 0
    amendment: str = ""

    def reason_named(self, reason: str) -> str | None:
        """The stage's own spelling of `reason`, matched without regard to case and spaces."""
        wanted = " ".join(reason.split()).casefold()
        for known in self.reasons:
            if known.casefold() == wanted:
                return known
        return None


def default_protocol(stage: Stage) -> StageProtocol:
    return StageProtocol(stage=stage, reasons=DEFAULT_REASONS[stage])


@dataclass(frozen=True, slots=True)
class ProtocolChange:
    """What a lead asked to change; None leaves a setting as it is."""

    reviewers_required: int | None = None
    blinded: bool | None = None
    assignment: Assignment | None = None
    criteria: tuple[Criterion, ...] | None = None
    reasons: tuple[str, ...] | None = None

    def applied_to(self, protocol: StageProtocol) -> StageProtocol:
        updates = {
            name: value
            for name in ("reviewers_required", "blinded", "assignment", "criteria", "reasons")
            if (value := getattr(self, name)) is not None
        }
        return replace(protocol, **updates)


def protocol_fields(protocol: StageProtocol) -> dict[str, object]:
    """The protocol as plain values (for JSON on the command line and the API alike)."""
    return {
        "stage": protocol.stage.value,
        "version": protocol.version,
        "reviewers_required": protocol.reviewers_required,
        "blinded": protocol.blinded,
        "assignment": protocol.assignment.value,
        "criteria": [{"kind": c.kind.value, "text": c.text} for c in protocol.criteria],
        "reasons": list(protocol.reasons),
        "amendment": protocol.amendment,
    }
