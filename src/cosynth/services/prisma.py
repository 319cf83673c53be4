"""The PRISMA 2020 flow of a review, counted from its records, votes and appraisals.

DESIGN.md rule 2: every number in a report is computed from the data, never
typed in. Each box is traced to the records behind it, so the count in the
box and the list a reader opens from it are the same thing counted and
listed.

How cosynth's data meets the diagram (Page et al. 2021, Figure 1):

- A record's column is its source's identification method: databases and
  registers on the left, websites, organisations and citation searching
  ("other methods") on the right.
- Duplicate records removed: records of the left column merged into another
  record by de-duplication (each group is screened once, as its first record).
- Records marked ineligible by automation tools: title/abstract exclusions
  settled by an automation tool; the rest of the left column's screening
  units are the records screened, those excluded at title and abstract the
  records excluded.
- Reports sought: the units at the full-text stage, in each column; not
  retrieved: those marked so; assessed: the rest. cosynth counts one report
  per unit (its full text), as `fulltext.retrieval_summary` does.
- Reports excluded, with reasons: full-text exclusions under their agreed
  reason, and studies excluded at critical appraisal (the paper excluded
  one of eleven below its TAPUPAS threshold) under one reason.
- New studies and their reports: the units included at full text and kept
  after appraisal.

Records from other methods are screened at title and abstract in cosynth as
well; PRISMA 2020 has no screening box for them, so those excluded there are
found but never sought (`check_flow` allows fewer reports sought than records
found by other methods, never more).

While screening is under way the flow does not yet add up (records awaiting
a decision are in no box); `check_flow` says how many.

An updated review (a living update recorded its previous version:
`services.living_updates`) is drawn with the template for updated reviews:
the previous version's studies and reports in their own boxes, the records of
the sources searched before it left out of every box below, and the totals
the previous and the new added together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from cosynth.domain.prisma import (
    BOX_NAMES,
    RESULTS_BOX,
    Count,
    Flow,
    IdentificationMethod,
    Inconsistency,
    ListedRecord,
    check_flow,
)
from cosynth.domain.review import Record
from cosynth.domain.roles import Permission
from cosynth.domain.screening.outcomes import Status
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import ResolutionMethod
from cosynth.domain.search_runs import PreviousVersion
from cosynth.errors import InputError, NotFoundError
from cosynth.formats.prisma_csv import read_flow_csv, write_flow_csv
from cosynth.render import prisma as prisma_render
from cosynth.services.appraisal import appraisal_exclusions
from cosynth.services.reviews import get_review
from cosynth.services.screening_state import load_stage
from cosynth.services.workspace import Tx
from cosynth.store import dedup as dedup_store
from cosynth.store import fulltext as fulltext_store
from cosynth.store import records as record_store
from cosynth.store import search_runs as search_run_store

# The reason printed for studies excluded at critical appraisal; each study's
# own reason (its score and the threshold) is kept in the list behind the box.
APPRAISAL_REASON = "Did not meet the critical appraisal threshold"
NO_REASON = "(no reason given)"


@dataclass
class _Trace:
    """Each box's records (id -> why, for the excluded boxes), as the flow is counted."""

    boxes: dict[str, dict[int, str]] = field(default_factory=dict)
    by_database: Counter[str] = field(default_factory=Counter)
    by_register: Counter[str] = field(default_factory=Counter)
    previous: PreviousVersion | None = None

    def put(self, box: str, record_id: int, why: str = "") -> None:
        self.boxes.setdefault(box, {})[record_id] = why

    def n(self, box: str) -> int:
        return len(self.boxes.get(box, {}))

    def reasons(self, box: str) -> tuple[Count, ...]:
        counted = Counter(self.boxes.get(box, {}).values())
        ordered = sorted(
            counted.items(), key=lambda item: (item[0] == APPRAISAL_REASON, -item[1], item[0])
        )
        return tuple(Count(reason, n) for reason, n in ordered)


def prisma_flow(tx: Tx, review_id: int) -> Flow:
    """The review's PRISMA 2020 flow, every box counted from the data."""
    tx.require(review_id, Permission.VIEW)
    return _flow(_trace(tx, review_id))


def prisma_flow_with_records(
    tx: Tx, review_id: int
) -> tuple[Flow, dict[str, tuple[ListedRecord, ...]]]:
    """The flow, and for each box that has records the records behind it (for the web and HTML)."""
    tx.require(review_id, Permission.VIEW)
    trace = _trace(tx, review_id)
    ids = {record_id for members in trace.boxes.values() for record_id in members}
    records = {
        record.id: record
        for record in record_store.records_with_ids(tx.session, review_id, list(ids))
    }
    listed = {
        box: tuple(
            ListedRecord(record_id, records[record_id].citation, why)
            for record_id, why in sorted(members.items())
        )
        for box, members in trace.boxes.items()
    }
    return _flow(trace), listed


def records_behind(tx: Tx, review_id: int, box: str) -> list[Record]:
    """The records counted in one box of the flow (by its R template key), in import order."""
    return [record for record, _ in _behind(tx, review_id, box)]


def listed_in_box(tx: Tx, review_id: int, box: str) -> list[ListedRecord]:
    """The records behind one box, each with why it is there (a reason, a note), for a page."""
    return [
        ListedRecord(record.id, record.citation, why) for record, why in _behind(tx, review_id, box)
    ]


def _behind(tx: Tx, review_id: int, box: str) -> list[tuple[Record, str]]:
    tx.require(review_id, Permission.VIEW)
    if box not in BOX_NAMES:
        raise NotFoundError(
            f'"{box}" is not a box of the PRISMA 2020 flow; the boxes are '
            + ", ".join(BOX_NAMES)
            + "."
        )
    members = _trace(tx, review_id).boxes.get(box, {})
    records = record_store.records_with_ids(tx.session, review_id, list(members))
    return [(record, members[record.id]) for record in records]


FORMATS = ("svg", "png", "html", "csv")


def prisma_files(tx: Tx, review_id: int, formats: Sequence[str] = FORMATS) -> dict[str, bytes]:
    """The flow drawn and written in each of `formats`: SVG, PNG, the interactive HTML, the CSV.

    The HTML lists the records behind every box below the diagram, and the
    CSV's url column points at those lists (prisma-flow.html#key).
    """
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise InputError(
            f"cosynth cannot write the flow as {', '.join(unknown)}; "
            f"it writes {', '.join(FORMATS)}."
        )
    review = get_review(tx, review_id)
    flow, listed = prisma_flow_with_records(tx, review_id)
    drawn = prisma_render.flow_svg(flow, title=f"PRISMA 2020 flow diagram: {review.title}")
    made: dict[str, bytes] = {}
    for name in formats:
        if name == "svg":
            made[name] = drawn
        elif name == "png":
            made[name] = prisma_render.flow_png(drawn)
        elif name == "html":
            made[name] = prisma_render.flow_html(flow, listed, title=review.title)
        else:
            made[name] = write_flow_csv(flow, link="prisma-flow.html#").encode("utf-8")
    return made


def check_flow_file(filename: str, data: bytes) -> tuple[Flow, list[Inconsistency]]:
    """A flow typed into the PRISMA2020 template (a review done elsewhere), and where it fails.

    The file is read whole or refused (a missing, negative or non-numeric
    count names its line and column); then every sum is checked.
    """
    flow = read_flow_csv(filename, data)
    return flow, check_flow(flow)


def flow_template() -> bytes:
    """An empty PRISMA2020 template (every box 0), to be filled in by hand and checked."""
    return write_flow_csv(Flow()).encode("utf-8")


def _flow(trace: _Trace) -> Flow:
    new = trace.n("new_studies")
    return Flow(
        database_results=trace.n("database_results"),
        database_specific_results=tuple(
            Count(name, n) for name, n in sorted(trace.by_database.items())
        ),
        register_results=trace.n("register_results"),
        register_specific_results=tuple(
            Count(name, n) for name, n in sorted(trace.by_register.items())
        ),
        website_results=trace.n("website_results"),
        organisation_results=trace.n("organisation_results"),
        citations_results=trace.n("citations_results"),
        duplicates=trace.n("duplicates"),
        excluded_automatic=trace.n("excluded_automatic"),
        excluded_other=0,
        records_screened=trace.n("records_screened"),
        records_excluded=trace.n("records_excluded"),
        dbr_sought_reports=trace.n("dbr_sought_reports"),
        dbr_notretrieved_reports=trace.n("dbr_notretrieved_reports"),
        dbr_assessed=trace.n("dbr_assessed"),
        dbr_excluded=trace.reasons("dbr_excluded"),
        other_sought_reports=trace.n("other_sought_reports"),
        other_notretrieved_reports=trace.n("other_notretrieved_reports"),
        other_assessed=trace.n("other_assessed"),
        other_excluded=trace.reasons("other_excluded"),
        new_studies=new,
        # One report per study: cosynth's unit of full-text screening.
        new_reports=new,
        **_previous_and_total(trace.previous, new),
    )


def _previous_and_total(previous: PreviousVersion | None, new: int) -> dict[str, int]:
    if previous is None:
        return {}
    return {
        "previous_studies": previous.studies,
        "previous_reports": previous.report_count,
        "total_studies": previous.studies + new,
        "total_reports": previous.report_count + new,
    }


def _trace(tx: Tx, review_id: int) -> _Trace:
    trace = _Trace(previous=search_run_store.latest_version(tx.session, review_id))
    sources = {source.id: source for source in record_store.sources_of(tx.session, review_id)}
    merged_into = dedup_store.group_of_records(tx.session, review_id)
    other: set[int] = set()
    # An updated review counts only the records its new searches found.
    searched_before = set(trace.previous.source_ids) if trace.previous else set()
    earlier: set[int] = set()
    for record_id, source_id in sorted(
        record_store.record_source_ids(tx.session, review_id).items()
    ):
        if source_id in searched_before:
            earlier.add(record_id)
            continue
        source = sources[source_id]
        trace.put(RESULTS_BOX[source.method], record_id)
        name = source.database or "(not named)"
        if source.method is IdentificationMethod.DATABASE:
            trace.by_database[name] += 1
        elif source.method is IdentificationMethod.REGISTER:
            trace.by_register[name] += 1
        if source.method.other:
            other.add(record_id)
        elif merged_into.get(record_id, record_id) != record_id:
            trace.put("duplicates", record_id)

    screening = load_stage(tx, review_id, Stage.TITLE_ABSTRACT)
    for unit in screening.units:
        if unit in other or unit in earlier:
            continue
        resolution = screening.resolutions.get(unit)
        if resolution is not None and resolution.method is ResolutionMethod.AUTOMATION:
            trace.put("excluded_automatic", unit)
            continue
        trace.put("records_screened", unit)
        if screening.outcomes[unit].status is Status.EXCLUDED:
            trace.put("records_excluded", unit, screening.outcomes[unit].reason or NO_REASON)

    full_text = load_stage(tx, review_id, Stage.FULL_TEXT)
    missing = fulltext_store.not_retrieved(tx.session, review_id)
    appraised_out = {
        exclusion.study.record_id: exclusion.reason
        for exclusion in appraisal_exclusions(tx, review_id)
    }
    for unit in full_text.units:
        if unit in earlier:
            continue
        column = "other" if unit in other else "dbr"
        trace.put(f"{column}_sought_reports", unit)
        if unit in missing:
            trace.put(f"{column}_notretrieved_reports", unit, missing[unit].note)
            continue
        trace.put(f"{column}_assessed", unit)
        outcome = full_text.outcomes[unit]
        if outcome.status is Status.EXCLUDED:
            trace.put(f"{column}_excluded", unit, outcome.reason or NO_REASON)
        elif outcome.status is Status.INCLUDED:
            if unit in appraised_out:
                trace.put(f"{column}_excluded", unit, APPRAISAL_REASON)
            else:
                trace.put("new_studies", unit)
                trace.put("new_reports", unit)
    return trace
