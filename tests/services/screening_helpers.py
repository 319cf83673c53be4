"""A small co-production search the screening stories are told with."""

from __future__ import annotations

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision, Vote
from cosynth.services import screening
from cosynth.services.imports import import_file
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from tests.conftest import Team

TITLES = (
    "Co-producing integrated care with unpaid carers: a qualitative study",
    "Peer support workers as co-deliverers of integrated mental health services",
    "A randomised trial of statins in older adults",
    "Experience-based co-design of a community health and social care hub",
    "Hospital car parking charges and staff satisfaction",
    "Service users' views of person-centred integrated care planning",
)


def search_export() -> bytes:
    chunks = []
    for i, title in enumerate(TITLES, start=1):
        chunks.append(
            f"TY  - JOUR\nTI  - {title}\nAU  - Author{i}, A.\nPY  - {2012 + i}\n"
            f"AB  - Abstract {i} about {title.lower()}.\nJO  - Journal of Integrated Care\nER  - \n"
        )
    return "\n".join(chunks).encode()


def import_search(workspace: Workspace, team: Team) -> list[int]:
    with workspace.transaction(team.lead) as tx:
        import_file(tx, team.review_id, "cinahl.ris", search_export(), database="CINAHL")
        return [record.id for record in list_records(tx, team.review_id)]


def vote(
    workspace: Workspace,
    who: str,
    team: Team,
    record_id: int,
    decision: Decision,
    *,
    stage: Stage = Stage.TITLE_ABSTRACT,
    reason: str = "",
    note: str = "",
    calibration: bool = False,
) -> Vote:
    with workspace.transaction(who) as tx:
        return screening.cast_vote(
            tx,
            team.review_id,
            record_id,
            decision,
            stage=stage,
            reason=reason,
            note=note,
            calibration=calibration,
        )


def both_vote(
    workspace: Workspace,
    team: Team,
    record_id: int,
    bob: Decision,
    carol: Decision,
    *,
    stage: Stage = Stage.TITLE_ABSTRACT,
    reason: str = "wrong phenomenon of interest",
) -> None:
    for who, decision in (("bob", bob), ("carol", carol)):
        why = reason if decision is Decision.EXCLUDE else ""
        vote(workspace, who, team, record_id, decision, stage=stage, reason=why)


def include_at_full_text(workspace: Workspace, team: Team, record_ids: list[int]) -> None:
    """bob and carol include each record at title/abstract and at full text: a study."""
    for record_id in record_ids:
        both_vote(workspace, team, record_id, Decision.INCLUDE, Decision.INCLUDE)
        both_vote(
            workspace,
            team,
            record_id,
            Decision.INCLUDE,
            Decision.INCLUDE,
            stage=Stage.FULL_TEXT,
        )
