"""Data extraction: the co-designed form, two extractors' values, comparison and consensus.

The paper's extraction tool "was designed by co-authors and CAG members" and
"two co-authors performed data extraction" (Methods, Data extraction). Here
the lead saves the form (each change a new version), advisers comment on
fields and propose new ones, and the lead accepts a proposal (the field joins
a new version, credited to its proposer) or declines it with a reason.

Extraction is blinded like screening (DESIGN.md rule 3): an extractor sees
another's values on a study only once both have marked it done; the lead sees
everything. A field on which the done extractors agree has its consensus at
once; where they differ, the lead records one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from cosynth.domain.extraction import (
    EXTRACTORS_REQUIRED,
    Consensus,
    ConsensusMethod,
    ExtractedValue,
    ExtractionForm,
    FeedbackKind,
    FieldComparison,
    FormFeedback,
    FormField,
    StudyExtraction,
    agreed_value,
    check_form,
    empty_value,
    field_to_data,
    form_problems,
    is_empty,
    may_see,
    missing_required,
    parse_value,
    value_to_data,
    with_field,
)
from cosynth.domain.roles import Permission, Role
from cosynth.domain.study import Study
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.formats.extraction import read_form, read_values, write_consensus_csv, write_form
from cosynth.services.studies import get_study, included_studies
from cosynth.services.workspace import Tx
from cosynth.store import extraction as extraction_store

# The form


def current_form(tx: Tx, review_id: int) -> ExtractionForm:
    """The form in force: the latest saved version."""
    tx.require(review_id, Permission.VIEW)
    return _form(tx, review_id)


def form_versions(tx: Tx, review_id: int) -> list[ExtractionForm]:
    """Every saved version of the form, oldest first."""
    tx.require(review_id, Permission.VIEW)
    return extraction_store.form_versions(tx.session, review_id)


def form_version(tx: Tx, review_id: int, version: int) -> ExtractionForm:
    tx.require(review_id, Permission.VIEW)
    for form in extraction_store.form_versions(tx.session, review_id):
        if form.version == version:
            return form
    raise NotFoundError(f"Review {review_id}'s extraction form has no version {version}.")


def save_form(tx: Tx, review_id: int, form: ExtractionForm, *, note: str = "") -> ExtractionForm:
    """Save `form` as the next version (the lead designs the form)."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    check_form(form)
    current = extraction_store.latest_form(tx.session, review_id)
    if current is not None and current.same_fields(form):
        raise InputError(f"The form is the same as version {current.version}; nothing was saved.")
    return _save(tx, review_id, form, current, note=note.strip())


def import_form(
    tx: Tx, review_id: int, text: str, filename: str, *, note: str = ""
) -> ExtractionForm:
    """Save a form written as TOML (see `formats.extraction`) as the next version."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    return save_form(tx, review_id, read_form(text, filename), note=note)


def form_toml(tx: Tx, review_id: int, version: int | None = None) -> str:
    """The form in force (or `version`) as TOML, to edit and import again."""
    form = current_form(tx, review_id) if version is None else form_version(tx, review_id, version)
    return write_form(form)


def _save(
    tx: Tx, review_id: int, form: ExtractionForm, current: ExtractionForm | None, *, note: str
) -> ExtractionForm:
    version = current.version + 1 if current is not None else 1
    saved = extraction_store.insert_form(
        tx.session,
        review_id=review_id,
        form=form,
        version=version,
        note=note,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("extraction form saved", review_id, version=version, fields=list(form.keys), note=note)
    return saved


# Advisers' comments and proposals


def comment_on_field(tx: Tx, review_id: int, field_key: str, text: str) -> FormFeedback:
    """A comment on one field of the form in force ("" for the form as a whole)."""
    tx.require(review_id, Permission.COMMENT_ON_FORM)
    form = _form(tx, review_id)
    key = field_key.strip()
    if key:
        form.field(key)
    if not text.strip():
        raise InputError("The comment is empty: say what you think of the field.")
    made = extraction_store.insert_feedback(
        tx.session,
        review_id=review_id,
        kind=FeedbackKind.COMMENT.value,
        field_key=key,
        text=text.strip(),
        proposed=None,
        form_version=form.version,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("extraction form comment", review_id, feedback=made.id, field=key)
    return made


def propose_field(tx: Tx, review_id: int, proposed: FormField, *, why: str = "") -> FormFeedback:
    """Propose a new field, or a change to a field (a proposal with an existing field's key)."""
    tx.require(review_id, Permission.COMMENT_ON_FORM)
    current = extraction_store.latest_form(tx.session, review_id)
    base = current if current is not None else ExtractionForm(fields=())
    problems = [
        problem
        for problem in form_problems(with_field(base, proposed))
        if problem.key == proposed.key or problem.key.startswith(f"{proposed.key}.")
    ]
    if problems:
        raise InputError(
            "The proposed field cannot be used as it is: "
            + "; ".join(problem.message for problem in problems)
            + "."
        )
    kind = FeedbackKind.CHANGED_FIELD if base.find(proposed.key) else FeedbackKind.NEW_FIELD
    if kind is FeedbackKind.CHANGED_FIELD and base.find(proposed.key) == proposed:
        raise InputError(f"The form's field {proposed.key!r} is already exactly this.")
    made = extraction_store.insert_feedback(
        tx.session,
        review_id=review_id,
        kind=kind.value,
        field_key=proposed.key,
        text=why.strip(),
        proposed=field_to_data(replace(proposed, proposed_by="")),
        form_version=base.version,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("extraction field proposed", review_id, feedback=made.id, field=proposed.key)
    return made


def form_feedback(tx: Tx, review_id: int, *, open_only: bool = False) -> list[FormFeedback]:
    """Comments and proposals on the form, oldest first, with the lead's decisions."""
    tx.require(review_id, Permission.VIEW)
    made = extraction_store.feedback(tx.session, review_id)
    return [item for item in made if item.open] if open_only else made


def accept_proposal(tx: Tx, review_id: int, feedback_id: int, *, note: str = "") -> ExtractionForm:
    """Put a proposed field into a new version of the form, credited to its proposer."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    proposal = _open_proposal(tx, review_id, feedback_id)
    assert proposal.proposed is not None
    current = extraction_store.latest_form(tx.session, review_id)
    base = current if current is not None else ExtractionForm(fields=())
    if proposal.kind is FeedbackKind.NEW_FIELD and base.find(proposal.field_key) is not None:
        raise InputError(
            f"The form already has a field {proposal.field_key!r} (since this proposal was "
            f"made); decline it, or ask {proposal.by} to propose it as a change."
        )
    form = with_field(base, replace(proposal.proposed, proposed_by=proposal.by))
    check_form(form)
    saved = _save(
        tx,
        review_id,
        form,
        current,
        note=note.strip()
        or f"{proposal.kind.value} {proposal.field_key!r} proposed by {proposal.by}",
    )
    extraction_store.insert_decision(
        tx.session,
        feedback_id=proposal.id,
        accepted=True,
        reason=note.strip(),
        form_version=saved.version,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("extraction proposal accepted", review_id, feedback=proposal.id, version=saved.version)
    return saved


def decline_proposal(tx: Tx, review_id: int, feedback_id: int, *, reason: str) -> FormFeedback:
    """Decline a proposed field, saying why (the proposer sees the reason)."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    proposal = _open_proposal(tx, review_id, feedback_id)
    if not reason.strip():
        raise InputError(f"Say why the proposal is declined; {proposal.by} will read it.")
    extraction_store.insert_decision(
        tx.session,
        feedback_id=proposal.id,
        accepted=False,
        reason=reason.strip(),
        form_version=None,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("extraction proposal declined", review_id, feedback=proposal.id, reason=reason.strip())
    return extraction_store.feedback(tx.session, review_id, proposal.id)[0]


def _open_proposal(tx: Tx, review_id: int, feedback_id: int) -> FormFeedback:
    found = extraction_store.feedback(tx.session, review_id, feedback_id)
    if not found:
        raise NotFoundError(f"Review {review_id} has no comment or proposal {feedback_id}.")
    proposal = found[0]
    if proposal.kind is FeedbackKind.COMMENT:
        raise InputError(
            f"{feedback_id} is a comment, not a proposed field; there is nothing to accept."
        )
    if proposal.decision is not None:
        what = "accepted" if proposal.decision.accepted else "declined"
        raise InputError(
            f"Proposal {feedback_id} was already {what} by {proposal.decision.decided_by}."
        )
    return proposal


def _form(tx: Tx, review_id: int) -> ExtractionForm:
    form = extraction_store.latest_form(tx.session, review_id)
    if form is None:
        raise InputError(
            f"Review {review_id} has no extraction form yet: the lead saves one first "
            "(cosynth extract form import FILE)."
        )
    return form


# Values


def set_values(
    tx: Tx, review_id: int, record_id: int, values: Mapping[str, object]
) -> list[ExtractedValue]:
    """Enter (or change) your values for a study; each is checked against the form in force.

    Only values that differ from your current ones are added; an empty value
    clears a field ("not reported"). Nothing is saved if any value is wrong.
    """
    tx.require(review_id, Permission.EXTRACT)
    study = get_study(tx, review_id, record_id)
    form = _form(tx, review_id)
    parsed = {}
    for key, raw in values.items():
        parsed[key] = parse_value(form.field(str(key)), raw)
    mine = {
        value.field_key: value.value
        for value in extraction_store.current_values(tx.session, review_id, [study.record_id])
        if value.extractor == tx.actor
    }
    added = []
    for key, value in parsed.items():
        if mine.get(key, empty_value(form.field(key))) == value and (
            key in mine or is_empty(value)
        ):
            continue
        added.append(
            extraction_store.insert_value(
                tx.session,
                review_id=review_id,
                record_id=study.record_id,
                field_key=key,
                extractor=tx.actor,
                value=value,
                form_version=form.version,
                at=tx.now,
            )
        )
    if added:
        tx.log(
            "extraction values entered",
            review_id,
            record=study.record_id,
            fields=[value.field_key for value in added],
            form_version=form.version,
        )
    return added


def set_values_from_file(
    tx: Tx, review_id: int, record_id: int, data: bytes, filename: str
) -> list[ExtractedValue]:
    """`set_values` from a .toml or .csv file of one study's values; errors name the file."""
    tx.require(review_id, Permission.EXTRACT)
    values = read_values(data, filename)
    try:
        return set_values(tx, review_id, record_id, values)
    except InputError as exc:
        raise InputError(f"{filename}: {exc.message}") from None


def mark_done(tx: Tx, review_id: int, record_id: int) -> StudyExtraction:
    """Mark your extraction of a study done: every required field filled in."""
    role = tx.require(review_id, Permission.EXTRACT)
    study = get_study(tx, review_id, record_id)
    form = _form(tx, review_id)
    done = extraction_store.done_marks(tx.session, review_id, [study.record_id])
    if tx.actor in done.get(study.record_id, {}):
        raise InputError(f"You have already marked {study.label} done.")
    mine = {
        value.field_key: value.value
        for value in extraction_store.current_values(tx.session, review_id, [study.record_id])
        if value.extractor == tx.actor
    }
    if not mine:
        raise InputError(f"You have entered no values for {study.label} yet.")
    missing = missing_required(form, mine)
    if missing:
        raise InputError(
            f"{study.label} cannot be marked done: these required fields are empty: "
            + "; ".join(missing)
            + "."
        )
    extraction_store.insert_done(
        tx.session, review_id=review_id, record_id=study.record_id, extractor=tx.actor, at=tx.now
    )
    tx.log("extraction done", review_id, record=study.record_id)
    return _extraction(tx, review_id, study, form, role is Role.LEAD)


def study_extraction(tx: Tx, review_id: int, record_id: int) -> StudyExtraction:
    """A study's extraction as you may see it: your values, and others' once blinding lifts."""
    role = tx.require(review_id, Permission.VIEW)
    study = get_study(tx, review_id, record_id)
    return _extraction(tx, review_id, study, _form(tx, review_id), role is Role.LEAD)


def compare_extractions(tx: Tx, review_id: int, record_id: int) -> StudyExtraction:
    """The extractors' values side by side; `differing` holds the fields where they differ.

    Refused while blinding hides someone's values from you, and until two
    people have extracted the study.
    """
    found = study_extraction(tx, review_id, record_id)
    if len(found.extractors) < EXTRACTORS_REQUIRED:
        who = ", ".join(found.extractors) or "no one"
        raise InputError(
            f"{found.label} has been extracted by {who} so far; a comparison needs "
            f"{EXTRACTORS_REQUIRED} extractors."
        )
    if found.hidden:
        raise InputError(
            f"{' and '.join(found.hidden)}'s values on {found.label} stay hidden from you "
            "until both extractors have marked the study done (blinding, as at screening)."
        )
    return found


def extraction_overview(tx: Tx, review_id: int) -> list[StudyExtraction]:
    """Every included study's extraction as you may see it, in the studies' order."""
    role = tx.require(review_id, Permission.VIEW)
    form = _form(tx, review_id)
    return [
        _extraction(tx, review_id, study, form, role is Role.LEAD)
        for study in included_studies(tx, review_id)
    ]


def record_consensus(
    tx: Tx, review_id: int, record_id: int, field_key: str, value: object, *, note: str = ""
) -> Consensus:
    """The lead records the agreed value of a field, once both extractors are done."""
    role = tx.require(review_id, Permission.VIEW)
    if role is not Role.LEAD:
        raise PermissionDeniedError(
            f"{tx.actor} is a {role.value} in review {review_id}; only the lead records a "
            "consensus value."
        )
    study = get_study(tx, review_id, record_id)
    form = _form(tx, review_id)
    f = form.field(field_key)
    done = extraction_store.done_marks(tx.session, review_id, [study.record_id])
    finished = list(done.get(study.record_id, {}))
    if len(finished) < EXTRACTORS_REQUIRED:
        so_far = ", ".join(finished) or "no one"
        raise InputError(
            f"A consensus on {study.label} is recorded once {EXTRACTORS_REQUIRED} extractors "
            f"have marked it done (done so far: {so_far})."
        )
    parsed = parse_value(f, value)
    made = extraction_store.insert_consensus(
        tx.session,
        review_id=review_id,
        record_id=study.record_id,
        field_key=f.key,
        value=parsed,
        form_version=form.version,
        note=note.strip(),
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "extraction consensus recorded",
        review_id,
        record=study.record_id,
        field=f.key,
        value=value_to_data(parsed),
    )
    return made


def consensus_values(tx: Tx, review_id: int) -> list[tuple[Study, dict[str, Consensus]]]:
    """Each included study with its consensus values (fields without one are left out)."""
    role = tx.require(review_id, Permission.VIEW)
    form = _form(tx, review_id)
    table = []
    for study in included_studies(tx, review_id):
        extraction = _extraction(tx, review_id, study, form, role is Role.LEAD)
        table.append(
            (
                study,
                {f.field.key: f.consensus for f in extraction.fields if f.consensus is not None},
            )
        )
    return table


def consensus_csv(tx: Tx, review_id: int) -> str:
    """The consensus extraction table as CSV: one row per study, one column per field."""
    form = current_form(tx, review_id)
    rows = [
        (study.record_id, study.label, {key: c.value for key, c in agreed.items()})
        for study, agreed in consensus_values(tx, review_id)
    ]
    return write_consensus_csv(form, rows)


def _extraction(
    tx: Tx, review_id: int, study: Study, form: ExtractionForm, lead: bool
) -> StudyExtraction:
    values = extraction_store.current_values(tx.session, review_id, [study.record_id])
    done = extraction_store.done_marks(tx.session, review_id, [study.record_id]).get(
        study.record_id, {}
    )
    decided = {
        c.field_key: c
        for c in extraction_store.current_consensus(tx.session, review_id, [study.record_id])
    }
    extractors = tuple(sorted({value.extractor for value in values} | set(done)))
    shown = tuple(e for e in extractors if may_see(tx.actor, e, lead=lead, done_by=done))
    by_field: dict[tuple[str, str], ExtractedValue] = {
        (value.field_key, value.extractor): value for value in values
    }
    fields = []
    for f in form.fields:
        side_by_side = tuple(
            (e, by_field[(f.key, e)].value if (f.key, e) in by_field else empty_value(f))
            for e in shown
        )
        consensus = decided.get(f.key) or _agreed(study, f, done, by_field)
        fields.append(FieldComparison(field=f, values=side_by_side, consensus=consensus))
    return StudyExtraction(
        record_id=study.record_id,
        label=study.label,
        extractors=extractors,
        done_by=tuple(done),
        hidden=tuple(e for e in extractors if e not in shown),
        fields=tuple(fields),
    )


def _agreed(
    study: Study,
    f: FormField,
    done: Mapping[str, datetime],
    by_field: Mapping[tuple[str, str], ExtractedValue],
) -> Consensus | None:
    """Automatic consensus: the extractors who are done all gave the same value."""
    finished = list(done)
    entered = [by_field.get((f.key, e)) for e in finished]
    value = agreed_value([v.value if v is not None else empty_value(f) for v in entered])
    if value is None:
        return None
    moments = [v.entered_at for v in entered if v is not None]
    moments.extend(done.values())
    return Consensus(
        record_id=study.record_id,
        field_key=f.key,
        value=value,
        method=ConsensusMethod.AGREED,
        decided_by=tuple(finished),
        at=max(moments),
    )
