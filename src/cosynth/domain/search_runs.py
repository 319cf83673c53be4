"""Searches run by cosynth itself against a database's API, and what they found.

A search run is one saved query sent to one API (PubMed, Europe PMC,
OpenAlex, Crossref) on one day. Its pages are kept as they arrive, so a
download that stops half-way resumes from the cursor of the last page kept;
once complete, its records enter the review through the ordinary import path
as one source (PRISMA-S, Rethlefsen et al. 2021, items 1 and 13: the database,
the date the search was run and the records it found).

Citation chasing (backward: the references of the included studies; forward:
the works that cite them) is a run too, counted by PRISMA 2020 under
"citation searching"; a living update re-runs a saved search and imports only
the records the review has not seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cosynth.domain.citation import Citation
from cosynth.domain.identifiers import doi as clean_doi
from cosynth.domain.identifiers import pmid as clean_pmid
from cosynth.domain.review import ImportReport, Skipped


class SearchApi(StrEnum):
    """The bibliographic APIs cosynth can search itself."""

    PUBMED = "pubmed"
    EUROPE_PMC = "europepmc"
    OPENALEX = "openalex"
    CROSSREF = "crossref"

    @property
    def label(self) -> str:
        """The service's own name ("PubMed")."""
        return _NAMES[self][0]

    @property
    def database(self) -> str:
        """The database its records are filed under, as the PRISMA flow lists it.

        PubMed's records are MEDLINE's, as an export from PubMed is filed
        (domain.search.DATABASE_LABELS), so the flow counts one database
        whether its records came from a file or from the API.
        """
        return _NAMES[self][1]


_NAMES = {
    SearchApi.PUBMED: ("PubMed", "MEDLINE"),
    SearchApi.EUROPE_PMC: ("Europe PMC", "Europe PMC"),
    SearchApi.OPENALEX: ("OpenAlex", "OpenAlex"),
    SearchApi.CROSSREF: ("Crossref", "Crossref"),
}


class RunPurpose(StrEnum):
    """Why a run was made: a first search, an update of one, or citation chasing."""

    SEARCH = "search"
    UPDATE = "update"
    BACKWARD_CITATIONS = "backward citations"
    FORWARD_CITATIONS = "forward citations"

    @property
    def citation_searching(self) -> bool:
        return self in (RunPurpose.BACKWARD_CITATIONS, RunPurpose.FORWARD_CITATIONS)


class RunStatus(StrEnum):
    """Where a run stands: pages still to fetch, all fetched, or imported into the review."""

    DOWNLOADING = "downloading"
    DOWNLOADED = "downloaded"
    IMPORTED = "imported"


@dataclass(frozen=True, slots=True)
class SearchRun:
    """One run of a saved query against one API, and how far its download has got."""

    id: int
    review_id: int
    api: SearchApi
    query: str
    purpose: RunPurpose
    status: RunStatus
    started_at: datetime
    started_by: str
    pages: int
    fetched: int
    total: int | None
    # The cursor the next page is asked for with ("" once every page is in).
    cursor: str
    # The run this one repeats (a living update), if any.
    updates_run_id: int | None = None
    source_id: int | None = None
    # Records imported (for an update or a chase: the ones new to the review).
    imported: int | None = None
    # Records found that the review already had (by identifier or by the
    # de-duplication rules): left out of the import.
    already_known: int | None = None
    finished_at: datetime | None = None

    @property
    def database(self) -> str:
        return self.api.database


@dataclass(frozen=True, slots=True)
class SearchRunResult:
    """A run as it ended, and the import report of its records (None when none were new)."""

    run: SearchRun
    report: ImportReport | None
    # Records skipped (their line in the run's pages and why) when none was
    # left to import: with a report, they are in it.
    skipped: tuple[Skipped, ...] = ()

    @property
    def imported(self) -> int:
        return self.report.records_imported if self.report is not None else 0


@dataclass(frozen=True, slots=True)
class PreviousVersion:
    """The previous version an updated review reports (PRISMA 2020, Figure 1, updates).

    Recorded when a living update first runs after the studies included
    changed: the studies included at that moment are "studies included in the
    previous version of the review", and the sources imported before it are
    the previous version's searches.
    """

    id: int
    review_id: int
    at: datetime
    by: str
    run_id: int
    study_record_ids: tuple[int, ...]
    report_count: int
    source_ids: tuple[int, ...]

    @property
    def studies(self) -> int:
        return len(self.study_record_ids)


# Seen-before matching -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownIdentifiers:
    """The identifiers of every record a review already has, to recognise a record seen before."""

    keys: frozenset[str]

    def knows(self, citation: Citation) -> bool:
        """True when the citation carries a DOI, PMID or OpenAlex id the review already has."""
        return not self.keys.isdisjoint(identifier_keys(citation))


def known_identifiers(citations: list[Citation]) -> KnownIdentifiers:
    """The DOIs, PMIDs and OpenAlex ids of `citations`, normalised for comparison."""
    keys: set[str] = set()
    for citation in citations:
        keys.update(identifier_keys(citation))
    return KnownIdentifiers(frozenset(keys))


def identifier_keys(citation: Citation) -> frozenset[str]:
    """ "doi:...", "pmid:..." and "openalex:W..." for each identifier the citation carries."""
    keys = []
    if citation.doi and (found := clean_doi(citation.doi)):
        keys.append(f"doi:{found}")
    if citation.pmid and (found := clean_pmid(citation.pmid)):
        keys.append(f"pmid:{found}")
    if found := openalex_id(citation):
        keys.append(f"openalex:{found}")
    return frozenset(keys)


def openalex_id(citation: Citation) -> str:
    """The OpenAlex work id ("W2741809807") a citation carries, or ""."""
    for value in (citation.accession, citation.source_id, citation.url):
        found = openalex_work_id(value)
        if found:
            return found
    return ""


def openalex_work_id(text: str) -> str:
    """ "https://openalex.org/W2741809807" or "W2741809807" -> "W2741809807"; else ""."""
    text = text.strip()
    tail = text.rsplit("/", 1)[-1]
    if len(tail) > 1 and tail[0] in "Ww" and tail[1:].isdigit():
        return "W" + tail[1:]
    return ""
