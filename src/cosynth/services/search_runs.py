"""Running a saved query against a database's API: download page by page, then import once.

Each page is kept in its own transaction the moment it arrives, so a download
cut off by a lost connection, a rate limit that does not lift or Ctrl-C
resumes from the cursor of the last page kept (`resume_search`), and ends
with the same records as an uninterrupted one. The API is asked outside any
write transaction: nobody waits on the store while a server thinks.

Only when every page is in do the records enter the review, through the
ordinary import path (`services.imports.import_file`): one source per run,
named by its database and dated by the day the run started (PRISMA-S,
Rethlefsen et al. 2021, items 1 and 13), in one transaction, whole or not at
all (DESIGN.md rule 4). A record the API sent without the fields screening
needs is skipped and counted in the import report (rule 5).

Citation chasing and living updates (`services.citation_chasing`,
`services.living_updates`) are runs too; they import only the records the
review has not seen (`only_new`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cosynth.connectors import Connector, Page, open_connector
from cosynth.domain.citation import Citation
from cosynth.domain.dedup.groups import find_duplicates
from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.review import Skipped
from cosynth.domain.roles import Permission
from cosynth.domain.search_runs import (
    KnownIdentifiers,
    RunPurpose,
    RunStatus,
    SearchApi,
    SearchRun,
    SearchRunResult,
    identifier_keys,
    known_identifiers,
)
from cosynth.errors import ConcurrentChangeError, InputError, NotFoundError
from cosynth.formats import Document, Entry, get_reader
from cosynth.services.imports import import_file
from cosynth.services.search_log import log_search
from cosynth.services.workspace import Tx, Workspace
from cosynth.store import records as record_store
from cosynth.store import search_runs as run_store

Progress = Callable[[int, int | None], None]
"""Called with (records downloaded so far, records the API says the query finds) after each page."""

# A query longer than this is refused before it is sent: no API takes one.
MAX_QUERY_CHARS = 50_000


def api_of(name: str) -> SearchApi:
    """The API called `name` (pubmed, europepmc, openalex, crossref), or a plain refusal."""
    try:
        return SearchApi(name.strip().lower())
    except ValueError:
        known = ", ".join(api.value for api in SearchApi)
        raise InputError(f"cosynth cannot search {name!r}; it searches {known}.") from None


def connector_for(api: SearchApi, connector: Connector | None = None) -> Connector:
    """The connector given, or one for `api` set up from the environment."""
    return connector if connector is not None else open_connector(api.value)


# Starting, downloading, importing -----------------------------------------------------


def start_search(
    tx: Tx,
    review_id: int,
    api: SearchApi,
    query: str,
    *,
    connector: Connector,
    purpose: RunPurpose = RunPurpose.SEARCH,
    updates_run_id: int | None = None,
) -> SearchRun:
    """Save a query as a new run of `api`; nothing is downloaded yet."""
    tx.require(review_id, Permission.IMPORT)
    query = query.strip()
    if not query:
        raise InputError("The search is empty: give the query to send to the database.")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(
            f"The query is {len(query):,} characters long; no database takes more than "
            f"{MAX_QUERY_CHARS:,}. Split it into several searches."
        )
    run_id = run_store.insert_run(
        tx.session,
        review_id,
        api=api,
        query=query,
        purpose=purpose,
        first_cursor=connector.first_cursor(query),
        at=tx.now,
        actor=tx.actor,
        updates_run_id=updates_run_id,
    )
    tx.log(
        "search run started",
        review_id,
        run_id=run_id,
        api=api.value,
        query=query,
        purpose=purpose.value,
    )
    return get_search_run(tx, review_id, run_id)


def get_search_run(tx: Tx, review_id: int, run_id: int) -> SearchRun:
    """One run of the review, or a plain refusal."""
    tx.require(review_id, Permission.VIEW)
    run = run_store.get_run(tx.session, review_id, run_id)
    if run is None:
        raise NotFoundError(f"Review {review_id} has no search run {run_id}.")
    return run


def list_search_runs(tx: Tx, review_id: int) -> list[SearchRun]:
    """Every run of the review, oldest first."""
    tx.require(review_id, Permission.VIEW)
    return run_store.runs_of(tx.session, review_id)


def keep_page(tx: Tx, review_id: int, run_id: int, cursor: str, page: Page) -> SearchRun:
    """Keep one page as it arrived; refuse it if another download kept that page first."""
    tx.require(review_id, Permission.IMPORT)
    run = get_search_run(tx, review_id, run_id)
    if run.status is not RunStatus.DOWNLOADING or run.cursor != cursor:
        raise ConcurrentChangeError(
            f"Search run {run_id} moved on while this page was downloaded (someone else is "
            "resuming it); this copy of the page was not kept."
        )
    run_store.insert_page(
        tx.session,
        run_id,
        number=run.pages + 1,
        cursor=cursor,
        next_cursor=page.next_cursor,
        records=page.records,
        total=page.total,
        data=page.data,
        at=tx.now,
    )
    return get_search_run(tx, review_id, run_id)


def download(
    workspace: Workspace,
    actor: str,
    review_id: int,
    run_id: int,
    connector: Connector,
    *,
    progress: Progress | None = None,
    max_pages: int | None = None,
) -> SearchRun:
    """Fetch the run's pages from its cursor on, keeping each in a transaction of its own.

    `max_pages` stops after that many pages (the run stays resumable).
    """
    fetched = 0
    while True:
        with workspace.transaction(actor, read_only=True) as tx:
            tx.require(review_id, Permission.IMPORT)
            run = get_search_run(tx, review_id, run_id)
        if progress is not None:
            progress(run.fetched, run.total)
        if run.status is not RunStatus.DOWNLOADING or (
            max_pages is not None and fetched >= max_pages
        ):
            return run
        page = connector.fetch(run.query, run.cursor)
        with workspace.transaction(actor) as tx:
            keep_page(tx, review_id, run_id, run.cursor, page)
        fetched += 1


def import_search_run(
    tx: Tx,
    review_id: int,
    run_id: int,
    connector: Connector,
    *,
    only_new: bool = False,
    method: IdentificationMethod = IdentificationMethod.DATABASE,
) -> SearchRunResult:
    """Import a downloaded run's records as one source, in this one transaction.

    With `only_new`, records the review already has are left out: those that
    share a DOI, PMID or OpenAlex id with one of its records, and those the
    de-duplication rules find to be the same work as one (or as an earlier
    record of this run).
    """
    tx.require(review_id, Permission.IMPORT)
    run = get_search_run(tx, review_id, run_id)
    if run.status is RunStatus.IMPORTED:
        raise InputError(f"Search run {run_id} was imported already (source {run.source_id}).")
    if run.status is RunStatus.DOWNLOADING:
        raise InputError(
            f"Search run {run_id} has {run.fetched} records of "
            f"{run.total if run.total is not None else 'an unknown number'} so far: "
            f"resume it (cosynth search resume {run_id}) before its records are imported."
        )
    entries = _entries(tx, run, connector)
    kept, known = _new_only(tx, review_id, entries) if only_new else (entries, 0)
    usable = sum(1 for entry in kept if entry.citation is not None)
    report = None
    source_id = None
    if usable:
        filename = (
            f"{run.api.value}-{run.purpose.value.replace(' ', '-')}-run{run.id}-"
            f"{run.started_at:%Y-%m-%d}.{connector.extension}"
        )
        report = import_file(
            tx,
            review_id,
            filename,
            connector.assemble([entry.raw for entry in kept]),
            database=run.database,
            platform=run.api.label,
            searched_on=run.started_at.date(),
            again=True,
            reader=connector.reader,
            method=method,
        )
        source_id = report.source.id
    if not run.purpose.citation_searching:
        # PRISMA-S items 1, 8, 9 and 13: the database, the date, the exact string and
        # the hits, in the search log beside the searches run elsewhere.
        log_search(
            tx,
            review_id,
            run.database,
            run_on=run.started_at.date(),
            string=run.query,
            hits=run.total,
            source_id=source_id,
            platform=run.api.label,
            note=f"Run from cosynth through the {run.api.label} API (search run {run.id}, "
            f"{run.purpose.value}); {known} records already in the review left out.",
        )
    run_store.finish_run(
        tx.session,
        run_id,
        source_id=source_id,
        imported=report.records_imported if report is not None else 0,
        already_known=known,
        at=tx.now,
    )
    # With nothing to import the skipped records have no import report: they are
    # counted in the audit log and handed back (DESIGN.md rule 5: no silent skip).
    skipped = (
        ()
        if report is not None
        else tuple(
            Skipped(line=entry.line, reason=entry.skipped)
            for entry in kept
            if entry.citation is None
        )
    )
    tx.log(
        "search run imported",
        review_id,
        run_id=run_id,
        source_id=source_id,
        records=report.records_imported if report is not None else 0,
        already_known=known,
        skipped=len(report.skipped) if report is not None else len(skipped),
    )
    return SearchRunResult(
        run=get_search_run(tx, review_id, run_id), report=report, skipped=skipped
    )


# The whole of a run, for the command line and the web ---------------------------------------


def run_search(
    workspace: Workspace,
    actor: str,
    review_id: int,
    api: SearchApi,
    query: str,
    *,
    connector: Connector | None = None,
    progress: Progress | None = None,
) -> SearchRunResult:
    """Run a query against `api` now: save it, download every page, import the records."""
    connector = connector_for(api, connector)
    with workspace.transaction(actor) as tx:
        run = start_search(tx, review_id, api, query, connector=connector)
    return finish_search(
        workspace, actor, review_id, run.id, connector=connector, progress=progress
    )


def resume_search(
    workspace: Workspace,
    actor: str,
    review_id: int,
    run_id: int,
    *,
    connector: Connector | None = None,
    progress: Progress | None = None,
) -> SearchRunResult:
    """Go on with an interrupted run from its last page kept, then import it."""
    with workspace.transaction(actor, read_only=True) as tx:
        run = get_search_run(tx, review_id, run_id)
    if run.status is RunStatus.IMPORTED:
        raise InputError(
            f"Search run {run_id} is complete: its records were imported "
            f"on {run.finished_at:%Y-%m-%d}. To look for newer records, update it "
            f"(cosynth search update {run_id})."
        )
    connector = connector_for(run.api, connector)
    return finish_search(
        workspace, actor, review_id, run_id, connector=connector, progress=progress
    )


def finish_search(
    workspace: Workspace,
    actor: str,
    review_id: int,
    run_id: int,
    *,
    connector: Connector,
    progress: Progress | None = None,
    only_new: bool = False,
    method: IdentificationMethod = IdentificationMethod.DATABASE,
) -> SearchRunResult:
    """Download what is left of a run, then import it (`only_new`: the records not seen before)."""
    with workspace.transaction(actor, read_only=True) as tx:
        run = get_search_run(tx, review_id, run_id)
    purpose = run.purpose
    if purpose is not RunPurpose.SEARCH:
        only_new = True
    if purpose.citation_searching:
        method = IdentificationMethod.CITATION_SEARCHING
    download(workspace, actor, review_id, run_id, connector, progress=progress)
    with workspace.transaction(actor) as tx:
        return import_search_run(tx, review_id, run_id, connector, only_new=only_new, method=method)


# Reading the pages, and leaving out what the review has ---------------------------------------


def _entries(tx: Tx, run: SearchRun, connector: Connector) -> list[Entry]:
    reader = get_reader(connector.reader)
    entries: list[Entry] = []
    for number, data in enumerate(run_store.page_data(tx.session, run.id), 1):
        if not data.strip():
            continue
        name = f"{run.api.value}-run{run.id}-page{number}.{connector.extension}"
        entries.extend(reader.read(Document(name, data)))
    return entries


@dataclass(frozen=True, slots=True)
class _Candidate:
    entry: Entry
    citation: Citation


def _new_only(tx: Tx, review_id: int, entries: list[Entry]) -> tuple[list[Entry], int]:
    """The entries whose records the review does not have yet, and how many it had."""
    existing = [citation for _, _, citation in record_store.iter_records(tx.session, review_id)]
    known: KnownIdentifiers = known_identifiers(existing)
    skipped = [entry for entry in entries if entry.citation is None]
    candidates: list[_Candidate] = []
    mine: set[str] = set()
    seen = 0
    for entry in entries:
        if entry.citation is None:
            continue
        keys = identifier_keys(entry.citation)
        # Known to the review; or one record twice in this run (on two pages, or in
        # two parts of a chase): the first copy stays.
        if known.knows(entry.citation) or not mine.isdisjoint(keys):
            seen += 1
            continue
        mine.update(keys)
        candidates.append(_Candidate(entry, entry.citation))
    # The de-duplication rules (services.dedup) catch the rest: a record without
    # an identifier, or with another DOI, that is the same work as one the review has.
    citations = existing + [candidate.citation for candidate in candidates]
    grouping = find_duplicates(citations)
    earlier = len(existing)
    dropped: set[int] = set()
    for group in grouping.groups:
        if group[0] < earlier or any(i - earlier in dropped for i in group if i >= earlier):
            dropped.update(i - earlier for i in group if i >= earlier)
        else:
            # A group of new records only: the first stays, the rest are this run's own copies.
            dropped.update(i - earlier for i in group[1:])
    kept = [c.entry for i, c in enumerate(candidates) if i not in dropped]
    return kept + skipped, seen + len(dropped)
