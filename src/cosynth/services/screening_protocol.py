"""Setting up screening: each stage's protocol, assignments, un-blinding and calibration.

A stage's protocol is locked once its first vote is cast. Changing it after
that is a protocol amendment: allowed, but only with a stated reason, kept as
a new version and written to the audit log (PRISMA 2020 item 24c asks
reviews to report amendments to the protocol).
"""

from __future__ import annotations

import random
from dataclasses import replace

from cosynth.domain.roles import Permission, Role
from cosynth.domain.screening.stages import (
    Criterion,
    ProtocolChange,
    Stage,
    StageProtocol,
)
from cosynth.errors import InputError, NotFoundError
from cosynth.services.screening_state import load_stage, stage_protocol_in_force
from cosynth.services.workspace import Tx
from cosynth.store import reviews as review_store
from cosynth.store import screening as screening_store

MAX_REVIEWERS_REQUIRED = 10
MAX_CALIBRATION_SAMPLE = 500


def stage_protocol(tx: Tx, review_id: int, stage: Stage) -> StageProtocol:
    """The protocol in force for `stage` (the defaults until a lead sets one)."""
    tx.require(review_id, Permission.VIEW)
    return stage_protocol_in_force(tx, review_id, stage)


def protocol_history(tx: Tx, review_id: int, stage: Stage) -> list[StageProtocol]:
    """Every version of the stage's protocol, oldest first, amendments with their reasons."""
    tx.require(review_id, Permission.VIEW)
    return [
        protocol
        for protocol, _at, _actor in screening_store.protocol_history(tx.session, review_id, stage)
    ]


def set_protocol(
    tx: Tx, review_id: int, stage: Stage, change: ProtocolChange, *, amendment: str = ""
) -> StageProtocol:
    """Change the stage's protocol; once screening has started, only as a reasoned amendment."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    state = load_stage(tx, review_id, stage)
    amendment = amendment.strip()
    if state.locked() and not amendment:
        raise InputError(
            f"Screening at the {stage.label} stage has started, so its protocol is locked. "
            "To change it, give the reason for this protocol amendment."
        )
    changed = change.applied_to(state.protocol)
    _check(changed)
    if changed == state.protocol:
        return state.protocol
    protocol = replace(
        changed,
        version=state.protocol.version + 1,
        amendment=amendment if state.locked() else "",
    )
    screening_store.insert_protocol(tx.session, review_id, protocol, at=tx.now, actor=tx.actor)
    tx.log(
        "screening protocol amended" if protocol.amendment else "screening protocol set",
        review_id,
        stage=stage.value,
        version=protocol.version,
        amendment=protocol.amendment,
    )
    return protocol


def _check(protocol: StageProtocol) -> None:
    if not 1 <= protocol.reviewers_required <= MAX_REVIEWERS_REQUIRED:
        raise InputError(
            f"Reviewers required per record must be between 1 and {MAX_REVIEWERS_REQUIRED}; "
            f"{protocol.reviewers_required} was given."
        )
    seen: set[str] = set()
    for reason in protocol.reasons:
        if not reason.strip():
            raise InputError("An exclusion reason cannot be empty.")
        if reason.casefold() in seen:
            raise InputError(f'The exclusion reason "{reason}" is listed twice.')
        seen.add(reason.casefold())
    for criterion in protocol.criteria:
        if not criterion.text.strip():
            raise InputError(f"An {criterion.kind.value} criterion cannot be empty.")


def add_criteria(tx: Tx, review_id: int, stage: Stage, criteria: list[Criterion]) -> StageProtocol:
    """Add criteria to the stage's list (before screening starts)."""
    current = stage_protocol(tx, review_id, stage)
    return set_protocol(
        tx, review_id, stage, ProtocolChange(criteria=current.criteria + tuple(criteria))
    )


def unblind(tx: Tx, review_id: int, stage: Stage, *, reason: str) -> StageProtocol:
    """The lead lifts blinding for a stage: everyone may then see every vote. Logged with why."""
    if not reason.strip():
        raise InputError("Say why the stage is being un-blinded; the reason is kept in the log.")
    return set_protocol(
        tx,
        review_id,
        stage,
        ProtocolChange(blinded=False),
        amendment=f"un-blinded: {reason.strip()}",
    )


def assign(tx: Tx, review_id: int, stage: Stage, record_ids: list[int], members: list[str]) -> int:
    """Give named people named records to screen (e.g. each adviser two full texts)."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    state = load_stage(tx, review_id, stage)
    _check_members(tx, review_id, members)
    for record_id in record_ids:
        if not state.in_stage(state.unit_of(record_id)):
            raise InputError(f"Record {record_id} is not in the {stage.label} stage.")
    pairs = [
        (state.unit_of(record_id), member)
        for record_id in record_ids
        for member in members
        if member not in state.assignments.get(state.unit_of(record_id), set())
    ]
    n = screening_store.insert_assignments(
        tx.session, review_id, stage, pairs, assigned=True, at=tx.now, actor=tx.actor
    )
    tx.log("records assigned", review_id, stage=stage.value, records=record_ids, members=members)
    return n


def unassign(
    tx: Tx, review_id: int, stage: Stage, record_ids: list[int], members: list[str]
) -> int:
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    state = load_stage(tx, review_id, stage)
    pairs = [
        (state.unit_of(record_id), member)
        for record_id in record_ids
        for member in members
        if member in state.assignments.get(state.unit_of(record_id), set())
    ]
    n = screening_store.insert_assignments(
        tx.session, review_id, stage, pairs, assigned=False, at=tx.now, actor=tx.actor
    )
    tx.log("records unassigned", review_id, stage=stage.value, records=record_ids, members=members)
    return n


def split(
    tx: Tx, review_id: int, stage: Stage, members: list[str], *, seed: int = 0
) -> dict[str, int]:
    """Share the stage's records out so each gets `reviewers_required` different screeners.

    Records are shuffled with `seed`, then dealt round-robin, so each person
    gets a near-equal share of every part of the search.
    """
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    state = load_stage(tx, review_id, stage)
    _check_members(tx, review_id, members)
    per_record = state.protocol.reviewers_required
    if len(members) < per_record:
        raise InputError(
            f"Each record needs {per_record} reviewers, but only {len(members)} "
            "people were named to share the records between."
        )
    units = list(state.units)
    random.Random(seed).shuffle(units)  # noqa: S311 - a reproducible share, not a secret
    pairs: list[tuple[int, str]] = []
    dealt = dict.fromkeys(members, 0)
    for i, unit in enumerate(units):
        for j in range(per_record):
            member = members[(i * per_record + j) % len(members)]
            if member not in state.assignments.get(unit, set()):
                pairs.append((unit, member))
            dealt[member] += 1
    screening_store.insert_assignments(
        tx.session, review_id, stage, pairs, assigned=True, at=tx.now, actor=tx.actor
    )
    tx.log("records split between reviewers", review_id, stage=stage.value, shares=dealt, seed=seed)
    return dealt


def _check_members(tx: Tx, review_id: int, members: list[str]) -> None:
    if not members:
        raise InputError("Name at least one member to assign records to.")
    for member in members:
        role = review_store.role_of(tx.session, review_id, member)
        if role is None:
            raise NotFoundError(f"{member} is not a member of review {review_id}.")
        if role is Role.OBSERVER:
            raise InputError(f"{member} is an observer, and observers do not screen records.")


def start_calibration(
    tx: Tx, review_id: int, stage: Stage, *, size: int, seed: int = 0
) -> list[int]:
    """Draw a random sample for everyone to screen before screening starts (as CADIMA does).

    Calibration votes are kept apart from the real ones: they measure how far
    the team agrees on the criteria, and never decide a record.
    """
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    state = load_stage(tx, review_id, stage)
    if state.locked():
        raise InputError(
            f"Screening at the {stage.label} stage has already started; "
            "a calibration round comes before it."
        )
    if not state.units:
        raise InputError(
            f"There are no records at the {stage.label} stage to sample yet: "
            "a calibration round draws from the records waiting to be screened."
        )
    if not 1 <= size <= min(MAX_CALIBRATION_SAMPLE, len(state.units)):
        raise InputError(
            f"A calibration sample must hold between 1 and "
            f"{min(MAX_CALIBRATION_SAMPLE, len(state.units))} records; {size} was asked for."
        )
    sample = sorted(random.Random(seed).sample(list(state.units), size))  # noqa: S311 - reproducible
    screening_store.insert_calibration(
        tx.session, review_id, stage, sample, seed=seed, at=tx.now, actor=tx.actor
    )
    tx.log("calibration round started", review_id, stage=stage.value, size=size, seed=seed)
    return sample


def calibration_sample(tx: Tx, review_id: int, stage: Stage) -> list[int]:
    tx.require(review_id, Permission.VIEW)
    found = screening_store.calibration_round(tx.session, review_id, stage)
    return found[1] if found is not None else []
