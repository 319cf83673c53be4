"""The PRISMA 2020 flow: its boxes, and the arithmetic that ties them together.

Page et al. (2021), The PRISMA 2020 statement, BMJ 372:n71, Figure 1 (the
flow diagram for new systematic reviews which included searches of databases,
registers and other sources). Each box keeps the key the PRISMA2020 R
package's template CSV gives it (Haddaway et al. 2022, Campbell Systematic
Reviews 18:e1230), so a flow written by cosynth can be drawn by that package
and a flow typed into its template can be checked here.

Records (citations), reports (full texts) and studies are different things
(PRISMA 2020, Box 1): a study may have several reports. A flow cosynth derives
from the data always adds up once every record is decided; `check_flow` says,
box by box and with the numbers, where one entered by hand does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from enum import StrEnum

from cosynth.domain.citation import Citation


class IdentificationMethod(StrEnum):
    """How a source's records were found: the two columns of the PRISMA 2020 diagram.

    Databases and registers are searched, de-duplicated and screened; websites,
    organisations and citation searching are "other methods" (their records
    go straight to retrieval in the diagram).
    """

    DATABASE = "database"
    REGISTER = "register"
    WEBSITE = "website"
    ORGANISATION = "organisation"
    CITATION_SEARCHING = "citation searching"

    @property
    def other(self) -> bool:
        """True for the "identification of studies via other methods" column."""
        return self not in (IdentificationMethod.DATABASE, IdentificationMethod.REGISTER)


# The key of the box that counts records found by each method.
RESULTS_BOX = {
    IdentificationMethod.DATABASE: "database_results",
    IdentificationMethod.REGISTER: "register_results",
    IdentificationMethod.WEBSITE: "website_results",
    IdentificationMethod.ORGANISATION: "organisation_results",
    IdentificationMethod.CITATION_SEARCHING: "citations_results",
}


@dataclass(frozen=True, slots=True)
class Count:
    """One line of a box that lists its parts: a database's records, or a reason's reports."""

    label: str
    n: int


@dataclass(frozen=True, slots=True)
class Flow:
    """Every box of a PRISMA 2020 flow diagram, by the R template's keys.

    The four boxes that list their parts hold `Count`s: records per database
    and per register, reports excluded per reason in each column. An empty
    tuple means the parts were not given (for excluded reports: none were
    excluded). `records_imported` is not a PRISMA box: a hand-entered flow may
    give the number of records loaded into the screening software, as the
    paper does ("1,904 were imported into Covidence"), and it is then checked
    against the boxes on either side of it.
    """

    database_results: int = 0
    database_specific_results: tuple[Count, ...] = ()
    register_results: int = 0
    register_specific_results: tuple[Count, ...] = ()
    website_results: int = 0
    organisation_results: int = 0
    citations_results: int = 0
    duplicates: int = 0
    excluded_automatic: int = 0
    excluded_other: int = 0
    records_screened: int = 0
    records_excluded: int = 0
    dbr_sought_reports: int = 0
    dbr_notretrieved_reports: int = 0
    dbr_assessed: int = 0
    dbr_excluded: tuple[Count, ...] = ()
    other_sought_reports: int = 0
    other_notretrieved_reports: int = 0
    other_assessed: int = 0
    other_excluded: tuple[Count, ...] = ()
    new_studies: int = 0
    new_reports: int = 0
    previous_studies: int = 0
    previous_reports: int = 0
    total_studies: int = 0
    total_reports: int = 0
    records_imported: int | None = None

    @property
    def dbr_excluded_total(self) -> int:
        return sum(count.n for count in self.dbr_excluded)

    @property
    def other_excluded_total(self) -> int:
        return sum(count.n for count in self.other_excluded)

    @property
    def identified(self) -> int:
        """Records identified from databases and registers."""
        return self.database_results + self.register_results

    @property
    def identified_other(self) -> int:
        """Records identified from websites, organisations and citation searching."""
        return self.website_results + self.organisation_results + self.citations_results

    @property
    def updated(self) -> bool:
        """An updated review: it reports studies from a previous version (PRISMA 2020, Figure 1)."""
        return bool(
            self.previous_studies or self.previous_reports or self.total_studies
            or self.total_reports
        )  # fmt: skip

    @property
    def has_other_methods(self) -> bool:
        return bool(
            self.identified_other or self.other_sought_reports or self.other_assessed
            or self.other_excluded
        )  # fmt: skip


# Every box, in the order of the R template, with the words the diagram uses
# (PRISMA 2020, Figure 1) and whether it holds a number or a list of parts.
BOX_NAMES: dict[str, str] = {
    "previous_studies": "Studies included in previous version of review",
    "previous_reports": "Reports of studies included in previous version of review",
    "database_results": "Records identified from databases",
    "database_specific_results": "Records identified from each database",
    "register_results": "Records identified from registers",
    "register_specific_results": "Records identified from each register",
    "website_results": "Records identified from websites",
    "organisation_results": "Records identified from organisations",
    "citations_results": "Records identified from citation searching",
    "duplicates": "Duplicate records removed",
    "excluded_automatic": "Records marked as ineligible by automation tools",
    "excluded_other": "Records removed for other reasons",
    "records_imported": "Records imported for screening",
    "records_screened": "Records screened",
    "records_excluded": "Records excluded",
    "dbr_sought_reports": "Reports sought for retrieval (databases and registers)",
    "dbr_notretrieved_reports": "Reports not retrieved (databases and registers)",
    "dbr_assessed": "Reports assessed for eligibility (databases and registers)",
    "dbr_excluded": "Reports excluded (databases and registers)",
    "other_sought_reports": "Reports sought for retrieval (other methods)",
    "other_notretrieved_reports": "Reports not retrieved (other methods)",
    "other_assessed": "Reports assessed for eligibility (other methods)",
    "other_excluded": "Reports excluded (other methods)",
    "new_studies": "New studies included in review",
    "new_reports": "Reports of new included studies",
    "total_studies": "Total studies included in review",
    "total_reports": "Reports of total included studies",
}

LISTS = frozenset(
    {"database_specific_results", "register_specific_results", "dbr_excluded", "other_excluded"}
)
NUMBERS = tuple(key for key in BOX_NAMES if key not in LISTS)


@dataclass(frozen=True, slots=True)
class ListedRecord:
    """A record behind a box, as a reader opening the box sees it: why it is there, if it says."""

    record_id: int
    citation: Citation
    why: str = ""


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """A sum that does not come out: the boxes in it, and what is wrong, with the numbers."""

    boxes: tuple[str, ...]
    message: str


def _n(value: int) -> str:
    return f"{value:,}"


def _box(key: str) -> str:
    return f'"{BOX_NAMES[key]}"'


def _sum(parts: Sequence[tuple[str, int]], sign: str, *, added: int = 1) -> tuple[int, str]:
    """The total of `parts` (the first `added` added, the rest `sign`ed) and the sum in words."""
    total = 0
    words = ""
    for index, (key, value) in enumerate(parts):
        minus = sign == "-" and index >= added
        total += -value if minus else value
        joined = f"{_box(key)} ({_n(value)})"
        words = f"{words} {'less' if minus else 'plus'} {joined}" if words else joined
    return total, words


def check_flow(flow: Flow) -> list[Inconsistency]:
    """Every place where `flow` does not add up, in the order the diagram is read.

    The rules (PRISMA 2020, Figure 1 and its explanation, Page et al. 2021):
    records identified less those removed before screening are the records
    screened; records screened less those excluded are the reports sought;
    reports sought less those not retrieved are the reports assessed;
    reports assessed less those excluded (with reasons, column by column)
    are the reports of the included studies, and a study has at least one
    report. Other methods have no screening box, so no more reports are
    sought from them than records were found. An updated review's totals are
    the previous version's plus the new.
    """
    found: list[Inconsistency] = []
    for key in NUMBERS:
        value = getattr(flow, key)
        if value is not None and value < 0:
            found.append(
                Inconsistency((key,), f"{_box(key)} is {_n(value)}; a count cannot be negative.")
            )
    for key in sorted(LISTS):
        for count in getattr(flow, key):
            if count.n < 0:
                found.append(
                    Inconsistency(
                        (key,),
                        f'{_box(key)} gives {_n(count.n)} for "{count.label}"; '
                        "a count cannot be negative.",
                    )
                )

    _parts_add_up(found, flow, "database_specific_results", "database_results", "database")
    _parts_add_up(found, flow, "register_specific_results", "register_results", "register")

    identified = [("database_results", flow.database_results)]
    if flow.register_results:
        identified.append(("register_results", flow.register_results))
    if flow.records_imported is not None:
        total, words = _sum(
            [*identified, ("excluded_other", flow.excluded_other)], "-", added=len(identified)
        )
        _equal(
            found, total, flow.records_imported, "records_imported",
            f"{words} should be the {_box('records_imported')}",
            boxes=("database_results", "register_results", "excluded_other"),
            short="records have no box saying what became of them",
            over="more records were imported than were identified",
        )  # fmt: skip
        total, words = _sum(
            [
                ("records_imported", flow.records_imported),
                ("duplicates", flow.duplicates),
                ("excluded_automatic", flow.excluded_automatic),
            ],
            "-",
        )
        removed: tuple[str, ...] = ("records_imported", "duplicates", "excluded_automatic")
    else:
        total, words = _sum(
            [
                *identified,
                ("duplicates", flow.duplicates),
                ("excluded_automatic", flow.excluded_automatic),
                ("excluded_other", flow.excluded_other),
            ],
            "-",
            added=len(identified),
        )
        removed = (
            "database_results", "register_results", "duplicates", "excluded_automatic",
            "excluded_other",
        )  # fmt: skip
    _equal(
        found, total, flow.records_screened, "records_screened",
        f"{words} should be the {_box('records_screened')}",
        boxes=removed, short="records were neither screened nor removed",
        over="more records were screened than were left to screen",
    )  # fmt: skip

    total, words = _sum(
        [("records_screened", flow.records_screened), ("records_excluded", flow.records_excluded)],
        "-",
    )
    _equal(
        found, total, flow.dbr_sought_reports, "dbr_sought_reports",
        f"{words} should be the {_box('dbr_sought_reports')}",
        boxes=("records_screened", "records_excluded"),
        short="records screened were neither excluded nor sought",
        over="more reports were sought than records were screened and kept",
    )  # fmt: skip

    for column in ("dbr", "other"):
        sought, missing, assessed = (
            f"{column}_sought_reports", f"{column}_notretrieved_reports", f"{column}_assessed",
        )  # fmt: skip
        total, words = _sum(
            [(sought, getattr(flow, sought)), (missing, getattr(flow, missing))], "-"
        )
        _equal(
            found, total, getattr(flow, assessed), assessed,
            f"{words} should be the {_box(assessed)}",
            boxes=(sought, missing), short="reports were neither assessed nor marked not retrieved",
            over="more reports were assessed than were retrieved",
        )  # fmt: skip

    if flow.other_sought_reports > flow.identified_other:
        found.append(
            Inconsistency(
                (
                    "other_sought_reports", "website_results", "organisation_results",
                    "citations_results",
                ),
                f"{_box('other_sought_reports')} is {_n(flow.other_sought_reports)}, but only "
                f"{_n(flow.identified_other)} records were identified by other methods "
                "(websites, organisations and citation searching).",
            )
        )  # fmt: skip

    kept = (
        flow.dbr_assessed - flow.dbr_excluded_total
        + flow.other_assessed - flow.other_excluded_total
    )  # fmt: skip
    words = (
        f"{_box('dbr_assessed')} ({_n(flow.dbr_assessed)}) less {_box('dbr_excluded')} "
        f"({_n(flow.dbr_excluded_total)})"
    )
    if flow.has_other_methods:
        words += (
            f", plus {_box('other_assessed')} ({_n(flow.other_assessed)}) less "
            f"{_box('other_excluded')} ({_n(flow.other_excluded_total)}),"
        )
    _equal(
        found, kept, flow.new_reports, "new_reports",
        f"{words} should be the {_box('new_reports')}",
        boxes=("dbr_assessed", "dbr_excluded", "other_assessed", "other_excluded"),
        short="reports assessed were neither excluded with a reason nor included",
        over="more reports were included than were assessed and kept",
    )  # fmt: skip

    if flow.new_studies > flow.new_reports:
        found.append(
            Inconsistency(
                ("new_studies", "new_reports"),
                f"{_box('new_studies')} is {_n(flow.new_studies)}, more than the "
                f"{_n(flow.new_reports)} {_box('new_reports')}: every study has at least "
                "one report.",
            )
        )
    if flow.new_reports and not flow.new_studies:
        found.append(
            Inconsistency(
                ("new_studies", "new_reports"),
                f"{_box('new_reports')} is {_n(flow.new_reports)}, but no new study is "
                "included: reports belong to studies.",
            )
        )

    if flow.updated:
        for part in ("studies", "reports"):
            previous, new, total_key = f"previous_{part}", f"new_{part}", f"total_{part}"
            total, words = _sum(
                [(previous, getattr(flow, previous)), (new, getattr(flow, new))], "+"
            )
            _equal(
                found, total, getattr(flow, total_key), total_key,
                f"{words} should be the {_box(total_key)}",
                boxes=(previous, new), short=f"{part} are missing from the total",
                over=f"the total counts {part} that are neither previous nor new",
            )  # fmt: skip
    return found


def _parts_add_up(
    found: list[Inconsistency], flow: Flow, parts_key: str, total_key: str, what: str
) -> None:
    parts: tuple[Count, ...] = getattr(flow, parts_key)
    if not parts:
        return
    listed = sum(count.n for count in parts)
    total = getattr(flow, total_key)
    if listed != total:
        found.append(
            Inconsistency(
                (parts_key, total_key),
                f"The records listed {what} by {what} add up to {_n(listed)}, but "
                f"{_box(total_key)} is {_n(total)}.",
            )
        )


def _equal(
    found: list[Inconsistency],
    expected: int,
    reported: int,
    key: str,
    sentence: str,
    *,
    boxes: tuple[str, ...],
    short: str,
    over: str,
) -> None:
    """Add an inconsistency when `reported` (box `key`) is not the `expected` the sum gives."""
    if expected == reported:
        return
    gap = expected - reported
    why = f"{_n(gap)} {short}" if gap > 0 else f"{_n(-gap)} too many: {over}"
    found.append(
        Inconsistency(
            (*boxes, key),
            f"{sentence}: {_n(expected)}, but {_n(reported)} is reported ({why}).",
        )
    )


def derived_totals(flow: Flow) -> Flow:
    """`flow` with its computed boxes filled in from the boxes above them.

    Records screened, reports sought, assessed and included, and the totals
    of an updated review follow from the counts above them; the identified,
    removed, excluded and not-retrieved boxes are taken as given. Used to
    build flows that add up (tests, and a flow started by hand).
    """
    identified = flow.identified
    if flow.records_imported is not None:
        imported = identified - flow.excluded_other
        screened = imported - flow.duplicates - flow.excluded_automatic
    else:
        imported = None
        screened = identified - flow.duplicates - flow.excluded_automatic - flow.excluded_other
    sought = screened - flow.records_excluded
    assessed = sought - flow.dbr_notretrieved_reports
    other_assessed = flow.other_sought_reports - flow.other_notretrieved_reports
    reports = assessed - flow.dbr_excluded_total + other_assessed - flow.other_excluded_total
    result = replace(
        flow,
        records_imported=imported,
        records_screened=screened,
        dbr_sought_reports=sought,
        dbr_assessed=assessed,
        other_assessed=other_assessed,
        new_reports=reports,
    )
    if result.updated:
        result = replace(
            result,
            total_studies=result.previous_studies + result.new_studies,
            total_reports=result.previous_reports + result.new_reports,
        )
    return result


def box_keys() -> tuple[str, ...]:
    """The keys of every box, in the R template's order."""
    return tuple(field.name for field in fields(Flow))
