"""Critical appraisal: instruments, the protocol, dual appraisal, consensus and exclusions.

The paper's review appraised its eleven studies with TAPUPAS and excluded
those scoring below 7 (one). Here the lead chooses the instrument and the
scoring rule in the appraisal protocol; two appraisers (by default) judge each
item of each included study with a reason, blind to each other until both
have finished (DESIGN.md rule 3); where they differ, the lead (or the
appraisers, in discussion) records the agreed answer with its rationale. A
study whose agreed answers do not meet the rule is excluded by appraisal, and
`appraisal_exclusions` says so in the words PRISMA and the reports use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from typing import NoReturn

from cosynth.domain.appraisal.instruments import Instrument, Item, Rule
from cosynth.domain.appraisal.judgements import (
    Consensus,
    ConsensusMethod,
    ItemAnswer,
    ItemComparison,
    Judgement,
    agreed_answers,
    answers_of,
    compare,
    current_consensus,
    current_judgements,
    unblinded,
)
from cosynth.domain.appraisal.protocol import AppraisalProtocol, AppraisalProtocolChange
from cosynth.domain.appraisal.scoring import (
    Assessment,
    assess,
    check_rule,
    finished,
    suggested_rule,
)
from cosynth.domain.roles import Permission, Role
from cosynth.domain.study import Study
from cosynth.errors import DataFileError, InputError, NotFoundError, PermissionDeniedError
from cosynth.formats.answer_sheets import AnswerSheet
from cosynth.formats.answer_sheets import read_answer_sheet as _read_answer_sheet
from cosynth.formats.instruments import (
    InstrumentFile,
    line_of,
    read_instrument,
    registered_instruments,
)
from cosynth.services.studies import get_study, included_studies
from cosynth.services.workspace import Tx
from cosynth.store import appraisal as appraisal_store

MAX_APPRAISERS_REQUIRED = 10
MAX_REASON = 10_000
MAX_RATIONALE = 10_000


class AppraisalStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    AWAITING_CONSENSUS = "awaiting consensus"
    MET = "met"
    NOT_MET = "not met"


@dataclass(frozen=True, slots=True)
class StudyAppraisal:
    """One study's appraisal as the person asking may see it.

    `blinded` is True when the viewer sees only their own judgements (the
    others' are left out of `judgements` and `items`). `assessment` is that
    of the agreed answers, and None until the appraisals can be compared.
    """

    study: Study
    instrument: Instrument
    status: AppraisalStatus
    appraisers: tuple[str, ...]
    finished: tuple[str, ...]
    required: int
    blinded: bool
    judgements: tuple[Judgement, ...]
    consensus: tuple[Consensus, ...]
    items: tuple[ItemComparison, ...]
    assessment: Assessment | None
    threshold: int | None

    @property
    def differing(self) -> tuple[ItemComparison, ...]:
        """Items the appraisers answered differently and no consensus has settled."""
        return tuple(c for c in self.items if c.differs and c.consensus is None)


@dataclass(frozen=True, slots=True)
class AppraisalExclusion:
    """A study excluded by critical appraisal, with the reason reports print."""

    study: Study
    score: int
    max_score: int
    threshold: int | None
    reason: str


# -- instruments


def list_instruments(tx: Tx, review_id: int) -> list[Instrument]:
    """Every instrument the review may choose: the registered ones, then its own files."""
    tx.require(review_id, Permission.VIEW)
    return [found.instrument for found in _instrument_files(tx, review_id).values()]


def get_instrument(tx: Tx, review_id: int, instrument_id: str) -> Instrument:
    """The instrument called `instrument_id`, or an error naming those there are."""
    tx.require(review_id, Permission.VIEW)
    return _instrument_file(tx, review_id, instrument_id).instrument


def add_instrument(tx: Tx, review_id: int, filename: str, data: bytes) -> Instrument:
    """Add the review's own instrument file (or a new version of it). Checked whole first."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    read = read_instrument(data, filename)
    if read.instrument.id in registered_instruments():
        raise DataFileError(
            filename,
            f'"{read.instrument.id}" is the id of an instrument cosynth already has; '
            "give yours another id",
            line=line_of(read.text, ("id",), read.instrument.id),
        )
    appraisal_store.insert_instrument(
        tx.session,
        review_id,
        instrument_id=read.instrument.id,
        version=read.instrument.version,
        filename=filename[:1000],
        text=read.text,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "appraisal instrument added",
        review_id,
        instrument=read.instrument.id,
        version=read.instrument.version,
        filename=filename,
    )
    return read.instrument


def _instrument_files(tx: Tx, review_id: int) -> dict[str, InstrumentFile]:
    found = dict(registered_instruments())
    for filename, text in appraisal_store.review_instruments(tx.session, review_id):
        own = _parsed(filename, text)
        found.setdefault(own.instrument.id, own)
    return found


def _instrument_file(tx: Tx, review_id: int, instrument_id: str) -> InstrumentFile:
    files = _instrument_files(tx, review_id)
    wanted = instrument_id.strip().casefold()
    for found_id, found in files.items():
        if found_id.casefold() == wanted:
            return found
    raise NotFoundError(
        f'There is no appraisal instrument called "{instrument_id}". '
        f"Instruments: {', '.join(files)}."
    )


@lru_cache(maxsize=64)
def _parsed(filename: str, text: str) -> InstrumentFile:
    """A stored instrument file read again (kept files were checked when they were added)."""
    return read_instrument(text, filename)


# -- the protocol


def appraisal_protocol(tx: Tx, review_id: int) -> AppraisalProtocol:
    """The appraisal protocol in force (no instrument chosen until the lead sets one)."""
    tx.require(review_id, Permission.VIEW)
    return _protocol_in_force(tx, review_id)


def appraisal_protocol_history(tx: Tx, review_id: int) -> list[AppraisalProtocol]:
    """Every version of the protocol, oldest first, amendments with their reasons."""
    tx.require(review_id, Permission.VIEW)
    return [
        _protocol_of(stored) for stored in appraisal_store.protocol_history(tx.session, review_id)
    ]


def set_appraisal_protocol(
    tx: Tx, review_id: int, change: AppraisalProtocolChange, *, amendment: str = ""
) -> AppraisalProtocol:
    """Change the protocol; once a judgement is recorded, only as a reasoned amendment."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    current = _protocol_in_force(tx, review_id)
    locked = appraisal_store.any_judgements(tx.session, review_id)
    amendment = amendment.strip()
    if locked and not amendment:
        raise InputError(
            "Appraisal has started, so its protocol is locked. To change it, give the reason "
            "for this protocol amendment."
        )
    source: InstrumentFile | None = None
    if change.instrument is not None:
        source = _instrument_file(tx, review_id, change.instrument.id)
        change = replace(change, instrument=source.instrument)
    suggested = suggested_rule(source.instrument) if source is not None else current.scoring
    changed = change.applied_to(current, suggested)
    if changed.instrument is None:
        raise InputError(
            "Choose the appraisal instrument first (cosynth appraise instruments lists them)."
        )
    check_rule(changed.instrument, changed.scoring)
    if not 1 <= changed.appraisers_required <= MAX_APPRAISERS_REQUIRED:
        raise InputError(
            f"Appraisers per study must be between 1 and {MAX_APPRAISERS_REQUIRED}; "
            f"{changed.appraisers_required} was given."
        )
    if changed == current:
        return current
    protocol = replace(changed, version=current.version + 1, amendment=amendment if locked else "")
    if source is None:
        stored = appraisal_store.latest_protocol(tx.session, review_id)
        assert stored is not None  # an instrument is chosen, so a protocol was stored
        filename, text = stored.instrument_filename, stored.instrument_text
    else:
        filename, text = source.filename, source.text
    appraisal_store.insert_protocol(
        tx.session,
        review_id,
        appraisal_store.StoredProtocol(
            version=protocol.version,
            scoring=protocol.scoring,
            appraisers_required=protocol.appraisers_required,
            blinded=protocol.blinded,
            instrument_filename=filename[:1000],
            instrument_text=text,
            amendment=protocol.amendment,
            at=tx.now,
            actor=tx.actor,
        ),
    )
    assert protocol.instrument is not None
    tx.log(
        "appraisal protocol amended" if protocol.amendment else "appraisal protocol set",
        review_id,
        version=protocol.version,
        instrument=protocol.instrument.id,
        instrument_version=protocol.instrument.version,
        rule=protocol.scoring.words,
        appraisers_required=protocol.appraisers_required,
        blinded=protocol.blinded,
        amendment=protocol.amendment,
    )
    return protocol


def unblind_appraisal(tx: Tx, review_id: int, *, reason: str) -> AppraisalProtocol:
    """The lead lifts blinding: everyone may then see every judgement. Logged with why."""
    if not reason.strip():
        raise InputError("Say why appraisal is being un-blinded; the reason is kept in the log.")
    return set_appraisal_protocol(
        tx,
        review_id,
        AppraisalProtocolChange(blinded=False),
        amendment=f"un-blinded: {reason.strip()}",
    )


def _protocol_in_force(tx: Tx, review_id: int) -> AppraisalProtocol:
    stored = appraisal_store.latest_protocol(tx.session, review_id)
    return _protocol_of(stored) if stored is not None else AppraisalProtocol()


def _protocol_of(stored: appraisal_store.StoredProtocol) -> AppraisalProtocol:
    instrument = (
        _parsed(stored.instrument_filename, stored.instrument_text).instrument
        if stored.instrument_text
        else None
    )
    return AppraisalProtocol(
        instrument=instrument,
        scoring=stored.scoring,
        appraisers_required=stored.appraisers_required,
        blinded=stored.blinded,
        version=stored.version,
        amendment=stored.amendment,
    )


def _chosen(
    tx: Tx, review_id: int, asked: str | None = None
) -> tuple[AppraisalProtocol, Instrument]:
    """The protocol and its instrument; refused if none is chosen, or `asked` is another."""
    protocol = _protocol_in_force(tx, review_id)
    if protocol.instrument is None:
        raise InputError(
            f"Review {review_id} has no appraisal instrument yet: the lead chooses one in the "
            "appraisal protocol (cosynth appraise protocol --instrument ID)."
        )
    if asked and asked.strip().casefold() != protocol.instrument.id.casefold():
        raise InputError(
            f'These judgements are for the instrument "{asked}", but the appraisal protocol of '
            f"review {review_id} chose {protocol.instrument.name} "
            f'("{protocol.instrument.id}"). Appraise with that, or amend the protocol first.'
        )
    return protocol, protocol.instrument


# -- judgements


def read_answer_sheet(filename: str, data: bytes) -> AnswerSheet:
    """Read an answers file (TOML or CSV) without recording anything; errors name file and line."""
    return _read_answer_sheet(data, filename)


def record_judgement(
    tx: Tx,
    review_id: int,
    record_id: int,
    item_id: str,
    answer: str,
    *,
    reason: str = "",
    instrument: str | None = None,
) -> Judgement:
    """The acting appraiser answers one item for one study, with the reason for the answer."""
    return record_judgements(
        tx,
        review_id,
        record_id,
        [ItemAnswer(item=item_id, answer=answer, reason=reason)],
        instrument=instrument,
    )[0]


def record_judgements(
    tx: Tx,
    review_id: int,
    record_id: int,
    answers: Sequence[ItemAnswer],
    *,
    instrument: str | None = None,
    source: str = "",
) -> list[Judgement]:
    """The acting appraiser answers several items of one study at once: all or none are kept.

    `source` names the file the answers came from, so that a wrong item or
    answer is named by file and line.
    """
    tx.require(review_id, Permission.APPRAISE)
    protocol, chosen = _chosen(tx, review_id, instrument)
    get_study(tx, review_id, record_id)
    if not answers:
        raise InputError("No answers were given.")
    checked: list[tuple[Item, str, str]] = []
    seen: set[str] = set()
    for given in answers:
        item, answer_id, reason = _checked_answer(chosen, given, source)
        if item.id in seen:
            _refuse(f"item {item.id} is answered twice", source, given.line)
        seen.add(item.id)
        checked.append((item, answer_id, reason))
    recorded = [
        appraisal_store.insert_judgement(
            tx.session,
            review_id=review_id,
            record_id=record_id,
            appraiser=tx.actor,
            instrument_id=chosen.id,
            item_id=item.id,
            answer=answer_id,
            reason=reason,
            at=tx.now,
        )
        for item, answer_id, reason in checked
    ]
    tx.log(
        "appraisal judgements recorded",
        review_id,
        record_id=record_id,
        instrument=chosen.id,
        protocol_version=protocol.version,
        items=[item.id for item, _, _ in checked],
        source=source,
    )
    return recorded


def record_answer_sheet(
    tx: Tx,
    review_id: int,
    sheet: AnswerSheet,
    *,
    record_id: int | None = None,
    instrument: str | None = None,
) -> dict[int, list[Judgement]]:
    """Record an answers file: each study's answers as one set. Returns record id -> judgements.

    `record_id` and `instrument` are what the person named besides the file;
    the file must not say otherwise.
    """
    if instrument and sheet.instrument and instrument.casefold() != sheet.instrument.casefold():
        raise DataFileError(
            sheet.filename,
            f'the file is for the instrument "{sheet.instrument}", but "{instrument}" was named',
        )
    by_record: dict[int, list[ItemAnswer]] = {}
    for given in sheet.answers:
        target = given.record_id if given.record_id is not None else record_id
        if given.record_id is not None and record_id is not None and given.record_id != record_id:
            _refuse(
                f"this answer is for record {given.record_id}, but record {record_id} was named",
                sheet.filename,
                given.line,
            )
        if target is None:
            _refuse(
                "say which study these answers are for: give the record id on the command line, "
                "as record = ID in the file, or in a record column",
                sheet.filename,
                given.line,
            )
        by_record.setdefault(target, []).append(given)
    return {
        target: record_judgements(
            tx,
            review_id,
            target,
            answers,
            instrument=sheet.instrument or instrument or None,
            source=sheet.filename,
        )
        for target, answers in by_record.items()
    }


def _checked_answer(
    instrument: Instrument, given: ItemAnswer, source: str
) -> tuple[Item, str, str]:
    item = instrument.item(given.item)
    if item is None:
        _refuse(
            f'"{given.item}" is not an item of {instrument.name} '
            f"(items: {', '.join(i.id for i in instrument.items)})",
            source,
            given.line,
        )
    reason = " ".join(given.reason.split()) if "\n" not in given.reason else given.reason.strip()
    if item.free_text:
        words = " ".join(part for part in (given.answer.strip(), reason) if part)
        if not words:
            _refuse(
                f"item {item.id} ({item.label}) is answered in words: write them",
                source,
                given.line,
            )
        if len(words) > MAX_REASON:
            _refuse(f"the words for item {item.id} are too long", source, given.line)
        return item, "", words
    scale = instrument.scale_of(item)
    answer = scale.answer(given.answer) if scale is not None else None
    if scale is None or answer is None:
        words = scale.words if scale is not None else ""
        _refuse(
            f'"{given.answer}" is not an answer to item {item.id} ({item.label}) of '
            f"{instrument.name}: answers are {words}",
            source,
            given.line,
        )
    if len(reason) > MAX_REASON:
        _refuse(f"the reason for item {item.id} is too long", source, given.line)
    return item, answer.id, reason


def _refuse(problem: str, source: str, line: int | None) -> NoReturn:
    if source:
        raise DataFileError(source, problem, line=line)
    raise InputError(problem[0].upper() + problem[1:] + ".")


# -- what each person may see


def study_appraisal(tx: Tx, review_id: int, record_id: int) -> StudyAppraisal:
    """One study's appraisal as the acting person may see it (blinding applied)."""
    role = tx.require(review_id, Permission.VIEW)
    protocol, chosen = _chosen(tx, review_id)
    study = get_study(tx, review_id, record_id)
    found = _appraisals(
        tx, review_id, protocol=protocol, instrument=chosen, studies=[study], role=role
    )
    return found[0]


def compare_appraisals(tx: Tx, review_id: int, record_id: int) -> StudyAppraisal:
    """The study's appraisals side by side; refused while the viewer is still blinded."""
    found = study_appraisal(tx, review_id, record_id)
    if found.blinded:
        raise PermissionDeniedError(
            f"The appraisals of {found.study.label} can be compared once {found.required} "
            f"appraisers have finished it ({len(found.finished)} so far)."
        )
    return found


def appraisal_summary(tx: Tx, review_id: int) -> list[StudyAppraisal]:
    """Every included study's appraisal, in the order of `included_studies`."""
    role = tx.require(review_id, Permission.VIEW)
    protocol, chosen = _chosen(tx, review_id)
    return _appraisals(
        tx,
        review_id,
        protocol=protocol,
        instrument=chosen,
        studies=included_studies(tx, review_id),
        role=role,
    )


def appraisal_exclusions(tx: Tx, review_id: int) -> list[AppraisalExclusion]:
    """The studies excluded by appraisal, each with its reason (for PRISMA and the reports).

    Empty while no instrument is chosen: nothing can have been excluded yet.
    """
    tx.require(review_id, Permission.VIEW)
    if _protocol_in_force(tx, review_id).instrument is None:
        return []
    return [
        AppraisalExclusion(
            study=found.study,
            score=found.assessment.score,
            max_score=found.assessment.max_score,
            threshold=found.threshold,
            reason=found.assessment.reason,
        )
        for found in appraisal_summary(tx, review_id)
        if found.status is AppraisalStatus.NOT_MET and found.assessment is not None
    ]


def _appraisals(
    tx: Tx,
    review_id: int,
    *,
    protocol: AppraisalProtocol,
    instrument: Instrument,
    studies: list[Study],
    role: Role,
) -> list[StudyAppraisal]:
    ids = [study.record_id for study in studies]
    judgements: dict[int, list[Judgement]] = {}
    for judgement in appraisal_store.judgements(
        tx.session, review_id, instrument_id=instrument.id, record_ids=ids
    ):
        judgements.setdefault(judgement.record_id, []).append(judgement)
    agreed: dict[int, list[Consensus]] = {}
    for row in appraisal_store.consensus(
        tx.session, review_id, instrument_id=instrument.id, record_ids=ids
    ):
        agreed.setdefault(row.record_id, []).append(row)
    return [
        _appraisal(
            viewer=tx.actor,
            role=role,
            protocol=protocol,
            instrument=instrument,
            study=study,
            judgements=judgements.get(study.record_id, []),
            consensus_rows=agreed.get(study.record_id, []),
        )
        for study in studies
    ]


def _appraisal(
    *,
    viewer: str,
    role: Role,
    protocol: AppraisalProtocol,
    instrument: Instrument,
    study: Study,
    judgements: list[Judgement],
    consensus_rows: list[Consensus],
) -> StudyAppraisal:
    latest = current_judgements(judgements)
    done = {who: given for who, given in latest.items() if finished(instrument, answers_of(given))}
    consensus = current_consensus(consensus_rows)
    required = protocol.appraisers_required
    open_to_all = unblinded(
        blinded=protocol.blinded, finished=len(done), required=required, consensus=bool(consensus)
    )
    sees_all = open_to_all or role is Role.LEAD
    # Enough appraisers have finished: compare them. Before then the lead
    # may look at everyone's judgements so far.
    compared = done if len(done) >= required else (latest if sees_all else {})
    items = compare(instrument, compared, consensus) if sees_all else ()
    assessment: Assessment | None = None
    if open_to_all and (len(done) >= required or consensus):
        assessment = assess(instrument, protocol.scoring, agreed_answers(items))
    visible = [
        judgement
        for who, given in latest.items()
        if sees_all or who == viewer
        for judgement in given.values()
    ]
    return StudyAppraisal(
        study=study,
        instrument=instrument,
        status=_status(latest, len(done), required, assessment),
        appraisers=tuple(latest),
        finished=tuple(done),
        required=required,
        blinded=not sees_all,
        judgements=tuple(visible),
        consensus=tuple(consensus.values()) if sees_all else (),
        items=items,
        assessment=assessment,
        threshold=protocol.scoring.threshold if protocol.scoring.rule is Rule.SUM else None,
    )


def _status(
    latest: dict[str, dict[str, Judgement]],
    finished_count: int,
    required: int,
    assessment: Assessment | None,
) -> AppraisalStatus:
    if not latest:
        return AppraisalStatus.NOT_STARTED
    if assessment is None or finished_count < required:
        return AppraisalStatus.IN_PROGRESS
    if not assessment.complete:
        return AppraisalStatus.AWAITING_CONSENSUS
    return AppraisalStatus.MET if assessment.met else AppraisalStatus.NOT_MET


# -- consensus


def record_consensus(
    tx: Tx, review_id: int, record_id: int, item_id: str, answer: str, *, rationale: str
) -> Consensus:
    """Record the agreed answer on one item: by the lead, or by an appraiser after discussion."""
    role = tx.require(review_id, Permission.APPRAISE)
    protocol, chosen = _chosen(tx, review_id)
    study = get_study(tx, review_id, record_id)
    found = _appraisals(
        tx, review_id, protocol=protocol, instrument=chosen, studies=[study], role=role
    )[0]
    if len(found.finished) < found.required:
        raise InputError(
            f"Consensus comes after the appraisals: {len(found.finished)} of {found.required} "
            f"appraisers have finished {study.label}."
        )
    if role is not Role.LEAD and tx.actor not in found.finished:
        raise PermissionDeniedError(
            f"{tx.actor} did not appraise {study.label}: the lead, or one of its appraisers "
            "after discussion, records the consensus."
        )
    rationale = rationale.strip()
    if not rationale:
        raise InputError("Give the rationale for the agreed answer; it is kept beside it.")
    if len(rationale) > MAX_RATIONALE:
        raise InputError(f"A rationale can be at most {MAX_RATIONALE} characters.")
    item, answer_id, _ = _checked_answer(chosen, ItemAnswer(item=item_id, answer=answer), "")
    if item.free_text:
        raise InputError(f"Item {item.id} ({item.label}) is answered in words; nothing to agree.")
    method = ConsensusMethod.LEAD if role is Role.LEAD else ConsensusMethod.DISCUSSION
    agreed = appraisal_store.insert_consensus(
        tx.session,
        review_id=review_id,
        record_id=record_id,
        instrument_id=chosen.id,
        item_id=item.id,
        answer=answer_id,
        rationale=rationale,
        method=method,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "appraisal consensus recorded",
        review_id,
        record_id=record_id,
        instrument=chosen.id,
        item=item.id,
        answer=answer_id,
        method=method.value,
    )
    return agreed
