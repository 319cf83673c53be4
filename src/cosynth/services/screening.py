"""Screening records: votes and advice, what each person may see, conflicts and their resolution.

Blinding (DESIGN.md rule 3) is enforced here and in `screening_state`: every
function that returns votes filters them through `visible_votes` for the
person acting, so no screen, export or API can show a vote early.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import TextIO

from cosynth.domain.review import Record
from cosynth.domain.roles import Permission, Role, may
from cosynth.domain.screening.blinding import unblinded, visible_votes
from cosynth.domain.screening.outcomes import Outcome, Status
from cosynth.domain.screening.stages import Assignment, Stage, StageProtocol
from cosynth.domain.screening.votes import Decision, Resolution, ResolutionMethod, Vote
from cosynth.errors import ConcurrentChangeError, InputError, NotFoundError, PermissionDeniedError
from cosynth.services.screening_state import StageState, load_stage
from cosynth.services.workspace import Tx
from cosynth.store import fulltext as fulltext_store
from cosynth.store import records as record_store
from cosynth.store import reviews as review_store
from cosynth.store import screening as screening_store
from cosynth.store.savepoints import one_at_a_time

MAX_NOTE = 10_000
MAX_TAGS = 20


@dataclass(frozen=True, slots=True)
class RecordScreening:
    """One record at one stage as the person asking may see it."""

    record: Record
    stage: Stage
    outcome: Outcome | None
    votes: tuple[Vote, ...]
    advice: tuple[Vote, ...]
    my_vote: Vote | None
    votes_in: int
    votes_required: int
    blinded: bool


@dataclass(frozen=True, slots=True)
class Conflict:
    record: Record
    stage: Stage
    votes: tuple[Vote, ...]
    advice: tuple[Vote, ...]


@dataclass(frozen=True, slots=True)
class ReviewerProgress:
    reviewer: str
    voted: int
    to_do: int


@dataclass(frozen=True, slots=True)
class StageProgress:
    """How far a stage has got. Decided counts only: nothing here breaks blinding."""

    stage: Stage
    records: int
    awaiting: int
    partly_voted: int
    conflicts: int
    included: int
    excluded: int
    excluded_by_reason: tuple[tuple[str, int], ...]
    marked_ineligible_by_automation: int
    reviewers: tuple[ReviewerProgress, ...]
    protocol: StageProtocol

    @property
    def decided(self) -> int:
        return self.included + self.excluded


def cast_vote(
    tx: Tx,
    review_id: int,
    record_id: int,
    decision: Decision,
    *,
    stage: Stage,
    reason: str = "",
    note: str = "",
    tags: tuple[str, ...] = (),
    calibration: bool = False,
) -> Vote:
    """Record the acting person's vote (or an adviser's advice) on a record at `stage`.

    A later vote by the same person supersedes the earlier one until the
    record is reconciled; the same vote sent twice changes nothing.
    """
    role = tx.require(review_id, Permission.VIEW)
    advice = _votes_as_adviser(tx, review_id, role)
    # A vote and a resolution of the same record at the same moment: one
    # goes first and the other sees it (never a changed vote after the
    # record was reconciled, nor a resolution of votes that since agreed).
    one_at_a_time(tx.session, "screening", review_id, record_id, stage.value)
    state = load_stage(tx, review_id, stage)
    unit = _screenable_unit(tx, review_id, state, record_id)
    if calibration:
        _check_calibration(tx, review_id, state, unit, advice=advice)
    else:
        _check_assigned(tx, state, unit, advice=advice)
        _check_not_reconciled(tx, review_id, state, unit)
    reason = _checked_reason(state.protocol, decision, reason)
    note, tags = _checked_note(note), _checked_tags(tags)
    if stage is Stage.FULL_TEXT and not calibration:
        _check_retrieved(tx, review_id, unit)
    mine = _current_vote(tx, review_id, state, unit, calibration=calibration)
    if mine is not None and (mine.decision, mine.reason, mine.note, mine.tags) == (
        decision,
        reason,
        note,
        tags,
    ):
        return mine
    if not calibration and not state.locked() and state.protocol.version == 0:
        # Keep the protocol screening started under, so later amendments show
        # against it. Reviewers casting a stage's first votes at the same moment
        # all try; one row is kept, and the others carry on with their votes.
        with suppress(ConcurrentChangeError):
            screening_store.insert_protocol(
                tx.session,
                review_id,
                replace(state.protocol, version=1),
                at=tx.now,
                actor=tx.actor,
            )
    vote = screening_store.insert_vote(
        tx.session,
        review_id=review_id,
        record_id=unit,
        stage=stage,
        reviewer=tx.actor,
        decision=decision,
        reason=reason,
        note=note,
        tags=tags,
        at=tx.now,
        advice=advice,
        calibration=calibration,
    )
    tx.log(
        "advice given" if advice else "vote cast",
        review_id,
        record=unit,
        stage=stage.value,
        calibration=calibration,
        changed=mine is not None,
    )
    return vote


def check_may_vote(tx: Tx, review_id: int) -> None:
    """Refuse, in the services' words, someone who may neither screen nor advise here."""
    _votes_as_adviser(tx, review_id, tx.require(review_id, Permission.VIEW))


def _votes_as_adviser(tx: Tx, review_id: int, role: Role) -> bool:
    if may(role, Permission.SCREEN):
        return False
    if may(role, Permission.ADVISE):
        return True
    raise PermissionDeniedError(
        f"{tx.actor} is a {role.value} in review {review_id}, and a {role.value} may not "
        "screen records."
    )


def _screenable_unit(tx: Tx, review_id: int, state: StageState, record_id: int) -> int:
    if record_store.get_record(tx.session, review_id, record_id) is None:
        raise NotFoundError(f"Review {review_id} has no record {record_id}.")
    unit = state.unit_of(record_id)
    if unit != record_id:
        raise InputError(
            f"Record {record_id} is a duplicate merged into record {unit}; "
            f"screen record {unit} instead."
        )
    if not state.in_stage(unit):
        previous = state.previous
        where = (
            f"at {previous.stage.label} it is {previous.outcomes[unit].status.value}"
            if previous is not None and unit in previous.outcomes
            else "it is not a record to screen"
        )
        raise InputError(f"Record {unit} is not in the {state.stage.label} stage: {where}.")
    return unit


def _check_calibration(
    tx: Tx, review_id: int, state: StageState, unit: int, *, advice: bool
) -> None:
    found = screening_store.calibration_round(tx.session, review_id, state.stage)
    if found is None:
        raise InputError(f"There is no calibration round at the {state.stage.label} stage.")
    if advice:
        raise InputError(
            "Calibration rounds are for the reviewers who screen; advice is not asked."
        )
    if unit not in found[1]:
        raise InputError(f"Record {unit} is not in the calibration sample.")


def _check_assigned(tx: Tx, state: StageState, unit: int, *, advice: bool) -> None:
    needs_assignment = advice or state.protocol.assignment is Assignment.ASSIGNED
    if needs_assignment and tx.actor not in state.assignments.get(unit, set()):
        asked = "for advice" if advice else "to screen"
        raise PermissionDeniedError(
            f"Record {unit} is not assigned to {tx.actor} {asked} at the {state.stage.label} "
            "stage; only assigned people may vote on it. The lead can assign it."
        )


def _check_not_reconciled(tx: Tx, review_id: int, state: StageState, unit: int) -> None:
    resolution = state.resolutions.get(unit)
    if resolution is not None:
        raise InputError(
            f"Record {unit} was resolved ({resolution.decision.value}) by "
            f"{resolution.resolved_by}; votes on it can no longer change. "
            "The lead can record a new resolution."
        )
    if state.stage is Stage.TITLE_ABSTRACT and screening_store.stage_votes(
        tx.session, review_id, Stage.FULL_TEXT, record_ids=[unit]
    ):
        raise InputError(
            f"Record {unit} is already being screened at full text; "
            "its title and abstract votes can no longer change."
        )


def _checked_reason(protocol: StageProtocol, decision: Decision, reason: str) -> str:
    reason = " ".join(reason.split())
    if decision is not Decision.EXCLUDE:
        if reason:
            raise InputError(
                f'A reason is given only when excluding; "{decision.value}" needs none.'
            )
        return ""
    if not protocol.reasons:
        return reason
    if not reason:
        raise InputError(
            f"Say why the record is excluded, with one of the {protocol.stage.label} reasons: "
            + "; ".join(protocol.reasons)
            + "."
        )
    known = protocol.reason_named(reason)
    if known is None:
        raise InputError(
            f'"{reason}" is not one of the {protocol.stage.label} exclusion reasons: '
            + "; ".join(protocol.reasons)
            + "."
        )
    return known


def _checked_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InputError(f"A note can be at most {MAX_NOTE:,} characters long.")
    return note


def _checked_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(" ".join(tag.split()) for tag in tags if tag.strip()))
    if len(cleaned) > MAX_TAGS:
        raise InputError(f"A vote can carry at most {MAX_TAGS} tags.")
    return cleaned


def _check_retrieved(tx: Tx, review_id: int, unit: int) -> None:
    mark = fulltext_store.not_retrieved(tx.session, review_id).get(unit)
    if mark is not None:
        raise InputError(
            f"The full text of record {unit} is marked not retrieved; "
            "attach it before screening the full text."
        )


def _current_vote(
    tx: Tx, review_id: int, state: StageState, unit: int, *, calibration: bool
) -> Vote | None:
    if calibration:
        cast = screening_store.stage_votes(
            tx.session, review_id, state.stage, calibration=True, record_ids=[unit]
        )
    else:
        cast = state.history.get(unit, [])
    mine = [vote for vote in cast if vote.reviewer == tx.actor]
    return max(mine, key=lambda vote: vote.sequence) if mine else None


# -- reading, with blinding


def record_screening(tx: Tx, review_id: int, record_id: int, *, stage: Stage) -> RecordScreening:
    """A record at `stage` as the acting person may see it."""
    tx.require(review_id, Permission.VIEW)
    return screening_view(tx, review_id, load_stage(tx, review_id, stage), record_id)


def screening_view(tx: Tx, review_id: int, state: StageState, record_id: int) -> RecordScreening:
    """`record_screening` from a stage already read (the caller has checked permission)."""
    unit = state.unit_of(record_id)
    record = record_store.get_record(tx.session, review_id, unit)
    if record is None:
        raise NotFoundError(f"Review {review_id} has no record {record_id}.")
    return _screening_view(tx, state, record)


def _screening_view(tx: Tx, state: StageState, record: Record) -> RecordScreening:
    unit = record.id
    outcome = state.outcomes.get(unit)
    votes = state.votes.get(unit, [])
    advice = state.advice.get(unit, [])
    blinded = state.protocol.blinded
    if outcome is None:
        visible: list[Vote] = [v for v in votes if v.reviewer == tx.actor]
        seen_advice = [v for v in advice if v.reviewer == tx.actor]
        shown_outcome = None
    else:
        visible = visible_votes(tx.actor, votes, outcome, blinded=blinded)
        seen_advice = visible_votes(tx.actor, advice, outcome, blinded=blinded)
        open_ = unblinded(outcome, blinded=blinded)
        shown_outcome = outcome if open_ or outcome.status is Status.AWAITING else None
    mine = next((v for v in votes + advice if v.reviewer == tx.actor), None)
    return RecordScreening(
        record=record,
        stage=state.stage,
        outcome=shown_outcome,
        votes=tuple(visible),
        advice=tuple(seen_advice),
        my_vote=mine,
        votes_in=len(votes),
        votes_required=state.protocol.reviewers_required,
        blinded=blinded and (outcome is None or not unblinded(outcome, blinded=blinded)),
    )


def vote_history(tx: Tx, review_id: int, record_id: int, *, stage: Stage) -> list[Vote]:
    """Every vote ever cast on the record at `stage` that the acting person may see."""
    tx.require(review_id, Permission.VIEW)
    state = load_stage(tx, review_id, stage)
    unit = state.unit_of(record_id)
    outcome = state.outcomes.get(unit)
    history = state.history.get(unit, [])
    if outcome is not None and unblinded(outcome, blinded=state.protocol.blinded):
        return history
    return [vote for vote in history if vote.reviewer == tx.actor]


def list_conflicts(tx: Tx, review_id: int, *, stage: Stage) -> list[Conflict]:
    """Records whose votes disagree, with every vote and any advice.

    A conflict has all its votes in, so showing them breaks no blinding.
    """
    tx.require(review_id, Permission.VIEW)
    state = load_stage(tx, review_id, stage)
    conflicts = []
    for unit in state.units:
        if state.outcomes[unit].status is not Status.CONFLICT:
            continue
        record = record_store.get_record(tx.session, review_id, unit)
        assert record is not None
        conflicts.append(
            Conflict(
                record,
                stage,
                tuple(state.votes.get(unit, [])),
                tuple(state.advice.get(unit, [])),
            )
        )
    return conflicts


def resolve(
    tx: Tx,
    review_id: int,
    record_id: int,
    decision: Decision,
    *,
    stage: Stage,
    rationale: str,
    reason: str = "",
    method: ResolutionMethod = ResolutionMethod.CONSENSUS,
) -> Resolution:
    """Settle a conflict: the lead records the consensus, or a third reviewer decides."""
    role = tx.require(review_id, Permission.VIEW)
    one_at_a_time(tx.session, "screening", review_id, record_id, stage.value)  # see cast_vote
    state = load_stage(tx, review_id, stage)
    unit = _screenable_unit(tx, review_id, state, record_id)
    outcome = state.outcomes[unit]
    if method is ResolutionMethod.CONSENSUS:
        tx.require(review_id, Permission.RESOLVE_CONFLICTS)
    else:
        _check_third_reviewer(tx, review_id, role, state, unit)
    if decision is Decision.UNSURE:
        raise InputError("A resolution decides: include or exclude, not unsure.")
    if outcome.status is Status.AWAITING:
        raise InputError(
            f"Record {unit} has {outcome.votes_in} of {outcome.votes_required} votes; "
            "it can be resolved once they are all in and disagree."
        )
    if outcome.status is not Status.CONFLICT and outcome.resolution is None:
        raise InputError(
            f"The votes on record {unit} agree ({outcome.status.value}); "
            "there is nothing to resolve."
        )
    if not rationale.strip():
        raise InputError("Give the rationale for the decision; it is kept beside the votes.")
    reason = _checked_reason(state.protocol, decision, reason)
    resolution = screening_store.insert_resolution(
        tx.session,
        review_id=review_id,
        record_id=unit,
        stage=stage,
        decision=decision,
        reason=reason,
        rationale=rationale.strip(),
        method=method,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "conflict resolved",
        review_id,
        record=unit,
        stage=stage.value,
        decision=decision.value,
        method=method.value,
    )
    return resolution


def stop_screening(tx: Tx, review_id: int, *, stage: Stage, rationale: str) -> int:
    """The lead stops screening: the records no one has voted on are marked ineligible.

    Nothing is excluded unless a person asks for it here, with a rationale
    (e.g. the stopping statistics that convinced them). Each record gets its
    own resolution, so the PRISMA count of "records marked as ineligible by
    automation tools" is exactly this number, and the decision can be seen
    record by record.
    """
    tx.require(review_id, Permission.RESOLVE_CONFLICTS)
    if not rationale.strip():
        raise InputError(
            "Give the rationale for stopping (e.g. the stopping rule met and its figures); "
            "it is reported with the count."
        )
    state = load_stage(tx, review_id, stage)
    untouched = [
        unit
        for unit in state.units
        if not state.votes.get(unit)
        and not state.advice.get(unit)
        and unit not in state.resolutions
    ]
    for unit in untouched:
        screening_store.insert_resolution(
            tx.session,
            review_id=review_id,
            record_id=unit,
            stage=stage,
            decision=Decision.EXCLUDE,
            reason=ResolutionMethod.AUTOMATION.value,
            rationale=rationale.strip(),
            method=ResolutionMethod.AUTOMATION,
            at=tx.now,
            actor=tx.actor,
        )
    tx.log(
        "screening stopped",
        review_id,
        stage=stage.value,
        marked_ineligible=len(untouched),
        rationale=rationale.strip(),
    )
    return len(untouched)


def _check_third_reviewer(tx: Tx, review_id: int, role: Role, state: StageState, unit: int) -> None:
    if not may(role, Permission.SCREEN):
        raise PermissionDeniedError(
            f"{tx.actor} is a {role.value} in review {review_id}; a third reviewer must be "
            "someone who screens."
        )
    if any(vote.reviewer == tx.actor for vote in state.votes.get(unit, [])):
        raise InputError(
            f"{tx.actor} voted on record {unit}; a third reviewer must be someone who did not."
        )


def stage_progress(tx: Tx, review_id: int, *, stage: Stage) -> StageProgress:
    tx.require(review_id, Permission.VIEW)
    state = load_stage(tx, review_id, stage)
    # Records no one has touched share one outcome: count them, do not visit them.
    decided = state.outcomes.decided
    statuses = Counter(outcome.status for outcome in decided.values())
    statuses[state.outcomes.untouched.status] += len(state.units) - len(decided)
    partly = sum(
        1
        for unit, outcome in decided.items()
        if outcome.status is Status.AWAITING and state.votes.get(unit)
    )
    automated = {
        unit
        for unit, resolution in state.resolutions.items()
        if resolution.method is ResolutionMethod.AUTOMATION
    }
    reasons = Counter(
        outcome.reason or "(no reason given)"
        for unit, outcome in decided.items()
        if outcome.status is Status.EXCLUDED and unit not in automated
    )
    return StageProgress(
        stage=stage,
        records=len(state.units),
        awaiting=statuses[Status.AWAITING],
        partly_voted=partly,
        conflicts=statuses[Status.CONFLICT],
        included=statuses[Status.INCLUDED],
        excluded=statuses[Status.EXCLUDED] - len(automated & state.unit_set),
        excluded_by_reason=tuple(reasons.most_common()),
        marked_ineligible_by_automation=len(automated & state.unit_set),
        reviewers=_reviewer_progress(tx, review_id, state),
        protocol=state.protocol,
    )


def _reviewer_progress(tx: Tx, review_id: int, state: StageState) -> tuple[ReviewerProgress, ...]:
    voted: Counter[str] = Counter(
        vote.reviewer
        for unit, cast in state.votes.items()
        if unit in state.unit_set
        for vote in cast
    )
    people = []
    for member in review_store.members_of(tx.session, review_id):
        if not may(member.role, Permission.SCREEN):
            continue
        to_do = len(waiting_set(state, member.username))
        people.append(ReviewerProgress(member.username, voted[member.username], to_do))
    return tuple(people)


def needs_vote_from(state: StageState, unit: int, person: str, *, advice: bool = False) -> bool:
    """True when `unit` is waiting for `person`'s vote (or advice) at this stage."""
    if unit in state.resolutions:
        return False
    cast = state.advice if advice else state.votes
    if any(vote.reviewer == person for vote in cast.get(unit, [])):
        return False
    if advice or state.protocol.assignment is Assignment.ASSIGNED:
        return person in state.assignments.get(unit, set())
    return len(state.votes.get(unit, [])) < state.protocol.reviewers_required


@dataclass(frozen=True)
class Waiting:
    """The units waiting for one person at a stage: `needs_vote_from` for every unit, at once.

    Only records someone has voted on, resolved or been assigned can differ
    from an untouched record, so only those are asked the rule; for the rest
    "is it waiting?" is a set lookup, and counting them is a subtraction. A
    stage of 100,000 records is then never walked to answer a page.
    """

    units: tuple[int, ...]
    unit_set: frozenset[int]
    # Either the few units that wait (assigned work, advice) or, when everyone
    # screens everything, the touched units that do not.
    only: frozenset[int] | None
    blocked: frozenset[int]

    def __contains__(self, unit: object) -> bool:
        if self.only is not None:
            return unit in self.only
        return unit in self.unit_set and unit not in self.blocked

    def __len__(self) -> int:
        if self.only is not None:
            return len(self.only)
        return len(self.unit_set) - len(self.blocked & self.unit_set)

    def __iter__(self) -> Iterator[int]:
        return iter(self.in_order())

    def in_order(self) -> list[int]:
        return [unit for unit in self.units if unit in self]


def waiting_set(state: StageState, person: str, *, advice: bool = False) -> Waiting:
    """What waits for `person`'s vote (or advice) at this stage; see `Waiting`."""
    if advice or state.protocol.assignment is Assignment.ASSIGNED:
        only = frozenset(
            unit
            for unit, people in state.assignments.items()
            if person in people
            and unit in state.unit_set
            and needs_vote_from(state, unit, person, advice=advice)
        )
        return Waiting(state.units, state.unit_set, only, frozenset())
    if state.protocol.reviewers_required < 1:
        return Waiting(state.units, state.unit_set, frozenset(), frozenset())
    touched = state.votes.keys() | state.advice.keys() | state.resolutions.keys()
    blocked = frozenset(unit for unit in touched if not needs_vote_from(state, unit, person))
    return Waiting(state.units, state.unit_set, None, blocked)


def waiting_for(state: StageState, person: str, *, advice: bool = False) -> list[int]:
    """The units waiting for `person`'s vote (or advice), in stage order."""
    return waiting_set(state, person, advice=advice).in_order()


def records_to_screen(tx: Tx, review_id: int, *, stage: Stage) -> list[int]:
    """The acting person's queue at `stage`, in record order (ranking orders it elsewhere)."""
    role = tx.require(review_id, Permission.VIEW)
    advice = not may(role, Permission.SCREEN)
    if advice and not may(role, Permission.ADVISE):
        return []
    return waiting_for(load_stage(tx, review_id, stage), tx.actor, advice=advice)


EXPORT_COLUMNS = (
    "record_id",
    "stage",
    "reviewer",
    "decision",
    "reason",
    "note",
    "tags",
    "advice",
    "cast_at",
    "superseded",
    "outcome",
)


def export_votes(tx: Tx, review_id: int, out: TextIO, *, stage: Stage) -> int:
    """Write every vote the acting person may see (history included) as CSV; return the rows."""
    tx.require(review_id, Permission.VIEW)
    state = load_stage(tx, review_id, stage)
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    rows = 0
    for unit in state.units:
        outcome = state.outcomes[unit]
        open_ = unblinded(outcome, blinded=state.protocol.blinded)
        current = {vote.id for vote in state.votes.get(unit, []) + state.advice.get(unit, [])}
        for vote in state.history.get(unit, []):
            if not open_ and vote.reviewer != tx.actor:
                continue
            writer.writerow(
                [
                    unit,
                    stage.value,
                    vote.reviewer,
                    vote.decision.value,
                    _cell(vote.reason),
                    _cell(vote.note),
                    _cell("; ".join(vote.tags)),
                    "yes" if vote.advice else "no",
                    vote.cast_at.isoformat(),
                    "no" if vote.id in current else "yes",
                    outcome.status.value if open_ else "",
                ]
            )
            rows += 1
    return rows


def _cell(text: str) -> str:
    # Spreadsheet formula injection (OWASP): a leading = + - @ would run as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
