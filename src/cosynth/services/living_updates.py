"""Living updates: re-run a saved search and import only what the review has not seen.

An update repeats a run's query against the same API today. Its records are
compared with every record the review already has, by identifier (DOI, PMID,
OpenAlex id) and by the de-duplication rules, and only the new ones are
imported, as a source of their own: they join the title and abstract stage
like any import, so they are queued for screening with nothing else to do.

The first update after the included studies changed records the review's
previous version: the studies included at that moment and the sources
searched before it. The PRISMA 2020 flow of an updated review reports them
as "studies included in previous version of review" and counts only the new
searches' records in the boxes below (Page et al. 2021, Figure 1, the
template for updated reviews); `services.prisma` reads `previous_version`.
"""

from __future__ import annotations

from cosynth.connectors import Connector
from cosynth.domain.roles import Permission
from cosynth.domain.search_runs import (
    PreviousVersion,
    RunPurpose,
    RunStatus,
    SearchRunResult,
)
from cosynth.errors import InputError
from cosynth.services.search_runs import (
    Progress,
    connector_for,
    finish_search,
    get_search_run,
    start_search,
)
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Tx, Workspace
from cosynth.store import records as record_store
from cosynth.store import search_runs as run_store


def update_search(
    workspace: Workspace,
    actor: str,
    review_id: int,
    run_id: int,
    *,
    connector: Connector | None = None,
    progress: Progress | None = None,
) -> SearchRunResult:
    """Re-run search run `run_id` now; import only the records new to the review."""
    with workspace.transaction(actor, read_only=True) as tx:
        tx.require(review_id, Permission.IMPORT)
        earlier = get_search_run(tx, review_id, run_id)
    if earlier.purpose.citation_searching:
        raise InputError(
            f"Search run {run_id} chased citations; chase them again instead "
            "(cosynth search chase), which finds what is new the same way."
        )
    if earlier.status is not RunStatus.IMPORTED:
        raise InputError(
            f"Search run {run_id} has not finished: resume it (cosynth search resume {run_id}) "
            "before updating it."
        )
    client = connector_for(earlier.api, connector)
    with workspace.transaction(actor) as tx:
        run = start_search(
            tx,
            review_id,
            earlier.api,
            earlier.query,
            connector=client,
            purpose=RunPurpose.UPDATE,
            updates_run_id=earlier.updates_run_id or earlier.id,
        )
        mark_previous_version(tx, review_id, run.id)
    return finish_search(workspace, actor, review_id, run.id, connector=client, progress=progress)


def mark_previous_version(tx: Tx, review_id: int, run_id: int) -> PreviousVersion:
    """Record the review as it stands as the previous version, unless its studies are unchanged.

    Several databases are updated in one round: while the studies included are
    those of the latest version recorded, that version stands.
    """
    tx.require(review_id, Permission.IMPORT)
    studies = included_studies(tx, review_id)
    ids = sorted(study.record_id for study in studies)
    latest = run_store.latest_version(tx.session, review_id)
    if latest is not None and sorted(latest.study_record_ids) == ids:
        return latest
    sources = [source.id for source in record_store.sources_of(tx.session, review_id)]
    run_store.insert_version(
        tx.session,
        review_id,
        run_id=run_id,
        at=tx.now,
        actor=tx.actor,
        study_record_ids=ids,
        # One report per study: cosynth's unit of full-text screening.
        report_count=len(ids),
        source_ids=sorted(sources),
    )
    tx.log("review updated", review_id, run_id=run_id, previous_studies=len(ids))
    version = run_store.latest_version(tx.session, review_id)
    assert version is not None  # inserted just now
    return version


def previous_version(tx: Tx, review_id: int) -> PreviousVersion | None:
    """The review's previous version (the latest recorded), or None for a review never updated."""
    tx.require(review_id, Permission.VIEW)
    return run_store.latest_version(tx.session, review_id)
