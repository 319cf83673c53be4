"""Citation chasing for the included studies through OpenAlex: hand-searching done by machine.

In the paper one author "hand searched reference lists for further
studies" (Methods, "Search strategy"), which found one more included study
(Findings); PRISMA 2020 counts what such searching finds
under "Records identified from citation searching", in the column of other
methods (Page et al. 2021, Figure 1). Backward chasing takes the works each
included study cites (OpenAlex's `referenced_works`); forward chasing the
works that cite them (`filter=cites:`). The studies are found in OpenAlex by
their DOIs (or an OpenAlex id they carry); the records found are compared
with everything already in the review, by identifier and by the
de-duplication rules, and only the new ones are imported, as one source whose
identification method is citation searching.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from cosynth.connectors.openalex import OpenAlexConnector, or_filters
from cosynth.domain.identifiers import doi, pmid
from cosynth.domain.roles import Permission
from cosynth.domain.search_runs import (
    RunPurpose,
    SearchApi,
    SearchRunResult,
    openalex_id,
    openalex_work_id,
)
from cosynth.errors import InputError
from cosynth.services.search_runs import Progress, connector_for, finish_search, start_search
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Workspace


class Direction(StrEnum):
    """Which way to chase: the studies' references, or the works that cite them."""

    BACKWARD = "backward"
    FORWARD = "forward"

    @property
    def purpose(self) -> RunPurpose:
        if self is Direction.BACKWARD:
            return RunPurpose.BACKWARD_CITATIONS
        return RunPurpose.FORWARD_CITATIONS


def chase_citations(
    workspace: Workspace,
    actor: str,
    review_id: int,
    direction: Direction,
    *,
    connector: OpenAlexConnector | None = None,
    progress: Progress | None = None,
) -> SearchRunResult:
    """Chase the included studies' citations one way; import the records new to the review."""
    with workspace.transaction(actor, read_only=True) as tx:
        tx.require(review_id, Permission.IMPORT)
        studies = included_studies(tx, review_id)
    if not studies:
        raise InputError(
            "The review has no included studies yet: citation chasing starts from the "
            "studies included at full-text screening."
        )
    client = connector_for(SearchApi.OPENALEX, connector)
    if not isinstance(client, OpenAlexConnector):
        raise InputError("Citation chasing goes through OpenAlex.")
    dois = sorted({found for study in studies if (found := doi(study.citation.doi))})
    ids = {found for study in studies if (found := openalex_id(study.citation))}
    # A study with neither is looked up by its PubMed id.
    pmids = sorted(
        {
            found
            for study in studies
            if not doi(study.citation.doi)
            and not openalex_id(study.citation)
            and (found := pmid(study.citation.pmid))
        }
    )
    if not dois and not ids and not pmids:
        raise InputError(
            "None of the included studies has a DOI, a PubMed id or an OpenAlex id, so "
            "OpenAlex cannot find them: add their DOIs to the records first."
        )
    works = client.works_where("doi", dois) if dois else []
    if pmids:
        works += client.works_where("pmid", pmids)
    known_ids = {openalex_work_id(str(work.get("id", ""))) for work in works}
    missing = sorted(ids - known_ids)
    if missing:
        works += client.works_where("openalex", missing)
    study_ids = sorted(
        {found for work in works if (found := openalex_work_id(str(work.get("id", ""))))}
    )
    if not study_ids:
        raise InputError(
            f"OpenAlex does not know any of the {len(studies)} included studies by their "
            "identifiers: nothing to chase."
        )
    if direction is Direction.BACKWARD:
        cited = sorted(_references(works) - set(study_ids))
        if not cited:
            raise InputError(
                "OpenAlex lists no references for the included studies: chase them by hand "
                "from their reference lists."
            )
        query = or_filters("openalex", cited)
    else:
        query = or_filters("cites", study_ids)
    with workspace.transaction(actor) as tx:
        run = start_search(
            tx,
            review_id,
            SearchApi.OPENALEX,
            query,
            connector=client,
            purpose=direction.purpose,
        )
        tx.log(
            "citations chased",
            review_id,
            run_id=run.id,
            direction=direction.value,
            studies=len(studies),
            found_in_openalex=len(study_ids),
        )
    return finish_search(workspace, actor, review_id, run.id, connector=client, progress=progress)


def _references(works: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for work in works:
        for reference in work.get("referenced_works") or []:
            if isinstance(reference, str) and (short := openalex_work_id(reference)):
                found.add(short)
    return found
