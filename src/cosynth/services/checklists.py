"""Reporting checklists filled from a review's data: where each item's evidence lies.

eMERGe (France et al. 2019) is the reporting guidance the paper followed;
ENTREQ (Tong et al. 2012), PRISMA 2020 (Page et al. 2021) and the GRIPP2 short
form (Staniszewska et al. 2017) are shipped beside it. Every item is set
beside what the review holds for it, with its numbers computed from the data
(DESIGN.md rule 2): eMERGe 8 the flow from the screening, 13 the order of
translation and the translations. An item the review has nothing for is
flagged with what to add; an item only the manuscript can answer (PRISMA 24a,
registration) carries the lead's note of where the manuscript reports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from cosynth import __version__
from cosynth.domain.checklists import (
    Checklist,
    Evidence,
    EvidenceKind,
    FilledChecklist,
    ReportedAt,
    clean_where,
    fill_items,
)
from cosynth.domain.roles import Permission
from cosynth.domain.screening.stages import CriterionKind, Stage, StageProtocol
from cosynth.errors import InputError, NotFoundError
from cosynth.formats.checklists import registered_checklists, write_checklist
from cosynth.services import (
    appraisal,
    extraction,
    gripp2,
    phases,
    prisma,
    relating,
    screening,
    screening_protocol,
    themes,
    translation,
)
from cosynth.services import quotes as quote_service
from cosynth.services.records import list_sources
from cosynth.services.report_tables import study_characteristics
from cosynth.services.reviews import get_review
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Tx
from cosynth.store import checklists as checklist_store

SOFTWARE = f"cosynth {__version__}"
MAX_SUMMARY = 400


def checklists(tx: Tx | None = None) -> list[Checklist]:
    """Every checklist cosynth knows (shipped or registered by a plugin), by name.

    `tx` is accepted so that callers treat it like any service; the list is
    the same for every review.
    """
    del tx
    return sorted(
        (found.checklist for found in registered_checklists().values()),
        key=lambda c: c.name.casefold(),
    )


def get_checklist(checklist_id: str) -> Checklist:
    """The checklist called `checklist_id` (e.g. "emerge"), or `NotFoundError` naming the known."""
    found = registered_checklists().get(checklist_id.strip().casefold())
    if found is None:
        known = ", ".join(sorted(registered_checklists()))
        raise NotFoundError(f'There is no checklist "{checklist_id}". Checklists: {known}.')
    return found.checklist


def fill_checklist(tx: Tx, review_id: int, checklist_id: str) -> FilledChecklist:
    """The checklist with each item beside where in the review its evidence lies."""
    tx.require(review_id, Permission.VIEW)
    checklist = get_checklist(checklist_id)
    review = get_review(tx, review_id)
    evidence = {kind: _EVIDENCE[kind](tx, review_id) for kind in checklist.evidence_kinds}
    reported = checklist_store.reported_now(tx.session, review_id, checklist.id)
    return FilledChecklist(
        checklist=checklist,
        review_id=review_id,
        review_title=review.title,
        items=fill_items(checklist, evidence, reported),
        software=SOFTWARE,
        filled_at=tx.now,
    )


def checklist_file(tx: Tx, review_id: int, checklist_id: str, fmt: str) -> tuple[str, bytes]:
    """The filled checklist as a file: its name ("emerge-checklist.md") and its bytes."""
    filled = fill_checklist(tx, review_id, checklist_id)
    return f"{filled.checklist.id}-checklist.{fmt}", write_checklist(filled, fmt)


def record_reported(tx: Tx, review_id: int, checklist_id: str, item: str, where: str) -> ReportedAt:
    """Note where the manuscript reports an item ("Methods, Search strategy, p. 4").

    A new note supersedes the old, which is kept; an empty note clears it.
    """
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    checklist = get_checklist(checklist_id)
    found = checklist.item(item)
    if found is None:
        raise InputError(
            f'{checklist.name} has no item "{item}". Its items: '
            f"{', '.join(i.number for i in checklist.items)}."
        )
    note = checklist_store.insert_reported(
        tx.session, review_id, checklist.id, found.number, clean_where(where),
        at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log(
        "checklist item placed" if note.where else "checklist item placement cleared",
        review_id,
        checklist=checklist.id,
        item=found.number,
    )
    return note


def reported_history(
    tx: Tx, review_id: int, checklist_id: str, item: str | None = None
) -> list[ReportedAt]:
    """Every note of where an item is reported (or of every item), oldest first."""
    tx.require(review_id, Permission.VIEW)
    checklist = get_checklist(checklist_id)
    number = None
    if item is not None:
        found = checklist.item(item)
        if found is None:
            raise InputError(f'{checklist.name} has no item "{item}".')
        number = found.number
    return checklist_store.reported_history(tx.session, review_id, checklist.id, number)


# -- the evidence, one kind at a time


def _found(kind: EvidenceKind, summary: str) -> Evidence:
    if len(summary) > MAX_SUMMARY:
        summary = summary[: MAX_SUMMARY - 1].rstrip() + "…"
    return Evidence(kind=kind, found=True, summary=summary)


def _missing(kind: EvidenceKind, summary: str) -> Evidence:
    return Evidence(kind=kind, found=False, summary=summary, to_add=kind.to_add)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _counted(values: Iterable[str], *, plural: bool = False) -> str:
    """ "20 reciprocal, 1 refutational"; with `plural`, "9 themes, 2 categories"."""
    return ", ".join(
        _count(n, value, value[:-1] + "ies" if value.endswith("y") else None)
        if plural
        else f"{n} {value}"
        for value, n in Counter(values).most_common()
    )


def _question(tx: Tx, review_id: int) -> Evidence:
    review = get_review(tx, review_id)
    if not review.question.strip():
        return _missing(EvidenceKind.QUESTION, "No review question written yet.")
    return _found(EvidenceKind.QUESTION, review.question.strip())


def _sources(tx: Tx, review_id: int) -> Evidence:
    sources = list_sources(tx, review_id)
    if not sources:
        return _missing(EvidenceKind.SOURCES, "Nothing imported yet.")
    parts = []
    for source in sources:
        where = source.database or source.filename
        if source.platform:
            where += f" via {source.platform}"
        when = f", searched {source.searched_on:%Y-%m-%d}" if source.searched_on else ""
        parts.append(
            f"{where}{when} ({_count(source.records_imported, 'record')}, "
            f"imported by {source.imported_by})"
        )
    return _found(
        EvidenceKind.SOURCES, f"{_count(len(sources), 'source')}: " + "; ".join(parts) + "."
    )


def _protocols(tx: Tx, review_id: int) -> list[StageProtocol]:
    return [screening_protocol.stage_protocol(tx, review_id, stage) for stage in Stage]


def _criteria(tx: Tx, review_id: int) -> Evidence:
    criteria = [c for p in _protocols(tx, review_id) for c in p.criteria]
    if not criteria:
        return _missing(EvidenceKind.CRITERIA, "No criteria written in the screening protocol.")
    kinds = Counter(c.kind for c in criteria)
    return _found(
        EvidenceKind.CRITERIA,
        f"{_count(kinds[CriterionKind.INCLUSION], 'inclusion criterion', 'inclusion criteria')} "
        f"and {_count(kinds[CriterionKind.EXCLUSION], 'exclusion criterion', 'exclusion criteria')}"
        " in the screening protocol.",
    )


def _screening_protocol(tx: Tx, review_id: int) -> Evidence:
    parts = []
    used = False
    for stage in Stage:
        progress = screening.stage_progress(tx, review_id, stage=stage)
        protocol = progress.protocol
        people = [r.reviewer for r in progress.reviewers if r.voted]
        used = used or protocol.version > 0 or bool(people)
        part = (
            f"{stage.label}: {_count(protocol.reviewers_required, 'reviewer')} per record, "
            f"{'blinded' if protocol.blinded else 'not blinded'}"
        )
        if people:
            part += f"; {_count(len(people), 'person', 'people')} screened ({', '.join(people)})"
        parts.append(part)
    text = "; ".join(parts) + "."
    if not used:
        return _missing(EvidenceKind.SCREENING_PROTOCOL, "Not set, and no one has screened yet.")
    return _found(EvidenceKind.SCREENING_PROTOCOL, text[:1].upper() + text[1:])


def _flow(tx: Tx, review_id: int) -> Evidence:
    # The boxes of the PRISMA 2020 flow (Page et al. 2021), every count from the data.
    flow = prisma.prisma_flow(tx, review_id)
    identified = flow.identified + flow.identified_other
    if not identified or not (flow.records_screened or flow.new_studies):
        return _missing(
            EvidenceKind.FLOW, f"{_count(identified, 'record')} identified; none screened yet."
        )
    found = f"{_count(flow.identified, 'record')} identified from databases and registers"
    if flow.identified_other:
        found += f" and {flow.identified_other:,} by other methods"
    parts = [
        found,
        f"{_count(flow.duplicates, 'duplicate')} removed",
        f"{_count(flow.records_screened, 'record')} screened, {flow.records_excluded:,} excluded",
    ]
    if flow.excluded_automatic:
        parts.append(f"{flow.excluded_automatic:,} marked ineligible by automation tools")
    sought = flow.dbr_sought_reports + flow.other_sought_reports
    if sought:
        not_retrieved = flow.dbr_notretrieved_reports + flow.other_notretrieved_reports
        parts.append(f"{_count(sought, 'report')} sought, {not_retrieved:,} not retrieved")
    assessed = flow.dbr_assessed + flow.other_assessed
    if assessed:
        excluded = flow.dbr_excluded_total + flow.other_excluded_total
        parts.append(
            f"{_count(assessed, 'report')} assessed for eligibility, {excluded:,} excluded"
        )
    parts.append(
        f"{_count(flow.new_studies, 'study', 'studies')} included "
        f"({_count(flow.new_reports, 'report')})"
    )
    return _found(EvidenceKind.FLOW, "; ".join(parts) + ".")


def _full_text_exclusions(tx: Tx, review_id: int) -> Evidence:
    flow = prisma.prisma_flow(tx, review_id)
    assessed = flow.dbr_assessed + flow.other_assessed
    if not assessed:
        return _missing(EvidenceKind.FULL_TEXT_EXCLUSIONS, "No full text assessed yet.")
    reasons = Counter[str]()
    for count in (*flow.dbr_excluded, *flow.other_excluded):
        reasons[count.label] += count.n
    if not reasons:
        return _found(
            EvidenceKind.FULL_TEXT_EXCLUSIONS,
            f"None of the {_count(assessed, 'report')} assessed was excluded.",
        )
    return _found(
        EvidenceKind.FULL_TEXT_EXCLUSIONS,
        f"{_count(reasons.total(), 'report')} excluded after assessment: "
        + ", ".join(f"{reason} ({n})" for reason, n in reasons.items())
        + ".",
    )


def _extraction_form(tx: Tx, review_id: int) -> Evidence:
    try:
        form = extraction.current_form(tx, review_id)
    except InputError:
        return _missing(EvidenceKind.EXTRACTION_FORM, "No extraction form saved yet.")
    when = f" on {form.saved_at:%Y-%m-%d}" if form.saved_at else ""
    by = f" by {form.saved_by}" if form.saved_by else ""
    return _found(
        EvidenceKind.EXTRACTION_FORM,
        f"{form.title}, version {form.version}, {_count(len(form.fields), 'field')} "
        f"(saved{by}{when}).",
    )


def _extraction(tx: Tx, review_id: int) -> Evidence:
    try:
        overview = extraction.extraction_overview(tx, review_id)
    except InputError:
        return _missing(EvidenceKind.EXTRACTION, "No extraction form saved yet.")
    done = [study for study in overview if study.done_by]
    if not done:
        return _missing(
            EvidenceKind.EXTRACTION,
            f"None of the {_count(len(overview), 'included study', 'included studies')} "
            "is marked extracted.",
        )
    extractors = sorted({person for study in overview for person in study.done_by})
    return _found(
        EvidenceKind.EXTRACTION,
        f"{len(done)} of {_count(len(overview), 'included study', 'included studies')} "
        f"extracted, by {_count(len(extractors), 'extractor')} ({', '.join(extractors)}).",
    )


def _quotes(tx: Tx, review_id: int) -> Evidence:
    kept = quote_service.quotes(tx, review_id)
    if not kept:
        return _missing(EvidenceKind.QUOTES, "No quotes kept yet.")
    studies = len({quote.record_id for quote in kept})
    return _found(
        EvidenceKind.QUOTES,
        f"{_count(len(kept), 'quote')} from {_count(studies, 'study', 'studies')}, "
        "each with its page.",
    )


def _characteristics(tx: Tx, review_id: int) -> Evidence:
    included = len(included_studies(tx, review_id))
    agreed = study_characteristics(tx, review_id)
    with_values = sum(1 for values in agreed.values() if any(values.values()))
    if not with_values:
        return _missing(
            EvidenceKind.CHARACTERISTICS,
            f"{_count(included, 'study', 'studies')} included; no characteristics agreed yet.",
        )
    return _found(
        EvidenceKind.CHARACTERISTICS,
        f"Characteristics agreed for {with_values} of "
        f"{_count(included, 'included study', 'included studies')} (the Tables page).",
    )


def _appraisal_protocol(tx: Tx, review_id: int) -> Evidence:
    protocol = appraisal.appraisal_protocol(tx, review_id)
    if protocol.instrument is None:
        return _missing(EvidenceKind.APPRAISAL_PROTOCOL, "No appraisal instrument chosen yet.")
    instrument = protocol.instrument
    return _found(
        EvidenceKind.APPRAISAL_PROTOCOL,
        f"{instrument.name} ({_count(len(instrument.items), 'item')}), "
        f"{protocol.scoring.words}; {_count(protocol.appraisers_required, 'appraiser')} per study, "
        f"{'blinded' if protocol.blinded else 'not blinded'}.",
    )


def _appraisal_results(tx: Tx, review_id: int) -> Evidence:
    try:
        summary = appraisal.appraisal_summary(tx, review_id)
    except InputError:
        return _missing(EvidenceKind.APPRAISAL_RESULTS, "No appraisal instrument chosen yet.")
    decided = [
        found.status.value
        for found in summary
        if found.status in (appraisal.AppraisalStatus.MET, appraisal.AppraisalStatus.NOT_MET)
    ]
    if not decided:
        return _missing(
            EvidenceKind.APPRAISAL_RESULTS,
            f"None of the {_count(len(summary), 'included study', 'included studies')} "
            "has an agreed appraisal yet.",
        )
    return _found(
        EvidenceKind.APPRAISAL_RESULTS,
        f"{_count(len(decided), 'study', 'studies')} appraised: {_counted(decided)}.",
    )


def _phases(tx: Tx, review_id: int) -> Evidence:
    states = phases.phase_states(tx, review_id)
    started = [s for s in states if s.started_at is not None]
    if not started:
        return _missing(EvidenceKind.PHASES, "No phase of the meta-ethnography logged yet.")
    by_status: dict[str, list[str]] = {}
    for state in states:
        by_status.setdefault(state.status.value, []).append(str(int(state.phase)))
    return _found(
        EvidenceKind.PHASES,
        "Meta-ethnography in Noblit and Hare's seven phases; "
        + "; ".join(f"{status}: {', '.join(numbers)}" for status, numbers in by_status.items())
        + ".",
    )


def _relating(tx: Tx, review_id: int) -> Evidence:
    judgements = relating.relating_judgements(tx, review_id)
    if not judgements:
        return _missing(EvidenceKind.RELATING, "No judgement of how the studies relate yet.")
    return _found(
        EvidenceKind.RELATING,
        f"{_count(len(judgements), 'judgement')}: "
        f"{_counted(j.relation.value for j in judgements)}, each with its reason.",
    )


def _concept_grid(tx: Tx, review_id: int) -> Evidence:
    grid = relating.concept_grid(tx, review_id)
    if not grid.rows:
        return _missing(EvidenceKind.CONCEPT_GRID, "No concept coded yet.")
    return _found(
        EvidenceKind.CONCEPT_GRID,
        f"{_count(len(grid.rows), 'concept')} by {_count(len(grid.studies), 'study', 'studies')}.",
    )


def _translation_order(tx: Tx, review_id: int) -> Evidence:
    order = relating.translation_order(tx, review_id)
    basis = order.basis.value
    if not order.set_by:
        return _missing(
            EvidenceKind.TRANSLATION_ORDER,
            f"Not set by the team (the default is by {basis}); say why the order was chosen.",
        )
    index = " with an index paper first" if order.index_record_id is not None else ""
    why = f": {order.rationale}" if order.rationale else ""
    return _found(
        EvidenceKind.TRANSLATION_ORDER,
        f"By {basis}{index}, {_count(len(order.record_ids), 'study', 'studies')}{why}",
    )


def _translations(tx: Tx, review_id: int) -> Evidence:
    made = translation.translations(tx, review_id)
    if not made:
        return _missing(EvidenceKind.TRANSLATIONS, "No translation recorded yet.")
    others = translation.alternatives(tx, review_id)
    text = f"{_count(len(made), 'translation')}: {_counted(t.relation.value for t in made)}"
    if others:
        text += f"; {_count(len(others), 'alternative interpretation')} logged"
    return _found(EvidenceKind.TRANSLATIONS, text + ".")


def _themes(tx: Tx, review_id: int) -> Evidence:
    found = themes.themes(tx, review_id)
    if not found:
        return _missing(EvidenceKind.THEMES, "No themes yet.")
    return _found(
        EvidenceKind.THEMES,
        f"{_count(len(found), 'theme')} in the hierarchy: "
        f"{_counted((t.level.value for t in found), plural=True)}.",
    )


def _interpretations(tx: Tx, review_id: int) -> Evidence:
    found = themes.interpretations(tx, review_id)
    if not found:
        return _missing(EvidenceKind.INTERPRETATIONS, "No interpretations written yet.")
    return _found(
        EvidenceKind.INTERPRETATIONS,
        f"{_count(len(found), 'interpretation')}: " + "; ".join(i.title for i in found) + ".",
    )


def _software(tx: Tx, review_id: int) -> Evidence:
    del tx, review_id
    return _found(EvidenceKind.SOFTWARE, SOFTWARE)


def _involvement(number: int, kind: EvidenceKind) -> Callable[[Tx, int], Evidence]:
    def evidence(tx: Tx, review_id: int) -> Evidence:
        item = gripp2.gripp2_report(tx, review_id).items[number - 1]
        if item.missing:
            return _missing(kind, "Not written yet.")
        return _found(kind, item.text)

    return evidence


_EVIDENCE: dict[EvidenceKind, Callable[[Tx, int], Evidence]] = {
    EvidenceKind.QUESTION: _question,
    EvidenceKind.SOURCES: _sources,
    EvidenceKind.CRITERIA: _criteria,
    EvidenceKind.SCREENING_PROTOCOL: _screening_protocol,
    EvidenceKind.FLOW: _flow,
    EvidenceKind.FULL_TEXT_EXCLUSIONS: _full_text_exclusions,
    EvidenceKind.EXTRACTION_FORM: _extraction_form,
    EvidenceKind.EXTRACTION: _extraction,
    EvidenceKind.QUOTES: _quotes,
    EvidenceKind.CHARACTERISTICS: _characteristics,
    EvidenceKind.APPRAISAL_PROTOCOL: _appraisal_protocol,
    EvidenceKind.APPRAISAL_RESULTS: _appraisal_results,
    EvidenceKind.PHASES: _phases,
    EvidenceKind.RELATING: _relating,
    EvidenceKind.CONCEPT_GRID: _concept_grid,
    EvidenceKind.TRANSLATION_ORDER: _translation_order,
    EvidenceKind.TRANSLATIONS: _translations,
    EvidenceKind.THEMES: _themes,
    EvidenceKind.INTERPRETATIONS: _interpretations,
    EvidenceKind.SOFTWARE: _software,
    EvidenceKind.INVOLVEMENT_AIM: _involvement(1, EvidenceKind.INVOLVEMENT_AIM),
    EvidenceKind.INVOLVEMENT_METHODS: _involvement(2, EvidenceKind.INVOLVEMENT_METHODS),
    EvidenceKind.INVOLVEMENT_RESULTS: _involvement(3, EvidenceKind.INVOLVEMENT_RESULTS),
    EvidenceKind.INVOLVEMENT_DISCUSSION: _involvement(4, EvidenceKind.INVOLVEMENT_DISCUSSION),
    EvidenceKind.INVOLVEMENT_REFLECTIONS: _involvement(5, EvidenceKind.INVOLVEMENT_REFLECTIONS),
}
