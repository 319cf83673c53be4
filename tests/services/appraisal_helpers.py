"""The paper's eleven appraised studies, included at full text, and ways to appraise them."""

from __future__ import annotations

from cosynth.domain.appraisal.instruments import Rule
from cosynth.domain.appraisal.judgements import ItemAnswer, Judgement
from cosynth.domain.appraisal.protocol import AppraisalProtocolChange
from cosynth.services import appraisal
from cosynth.services.imports import import_file
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import include_at_full_text

TAPUPAS = ("T", "A", "Pu", "U", "Pr", "Ac", "S")

# Ten studies from the paper's reference list, and the one found by hand-searching.
STUDIES = (
    ("Vennik", 2016, "Co-production in healthcare: rhetoric and practice"),
    ("Sturmberg", 2019, "Co-producing a cancer screening pathway"),
    ("Hughes", 2018, "Co-producing an integrated care system"),
    ("Van Deventer", 2016, "Co-designers of a local quality improvement intervention"),
    ("Lyons", 2020, "Experience-based co-design of integrated pathways"),
    ("Mulvale", 2021, "Co-designing services with youth"),
    ("Knowles", 2018, "Peer support in integrated mental health care"),
    ("Robert", 2015, "Patients and staff as co-designers of health care services"),
    ("Morgan", 2017, "Co-delivered recovery education"),
    ("Clarke", 2019, "Peer workers co-delivering integrated care"),
    ("Persson", 2021, "Quality as strategy: co-production in Jonkoping"),
)


def eleven_studies(workspace: Workspace, team: Team) -> list[int]:
    """Import the eleven and include each at full text; their record ids, in order."""
    ris = "\n".join(
        f"TY  - JOUR\nTI  - {title}\nAU  - {surname}, A.\nPY  - {year}\n"
        f"JO  - Journal of Integrated Care\nER  - \n"
        for surname, year, title in STUDIES
    )
    with workspace.transaction(team.lead) as tx:
        import_file(tx, team.review_id, "handsearch.ris", ris.encode(), database="CINAHL")
        ids = [record.id for record in list_records(tx, team.review_id)]
    include_at_full_text(workspace, team, ids)
    return ids


def choose_tapupas(workspace: Workspace, team: Team, *, threshold: int | None = None) -> None:
    with workspace.transaction(team.lead) as tx:
        appraisal.set_appraisal_protocol(
            tx,
            team.review_id,
            AppraisalProtocolChange(
                instrument=appraisal.get_instrument(tx, team.review_id, "tapupas"),
                rule=Rule.SUM,
                threshold=threshold,
            ),
        )


def appraise(
    workspace: Workspace,
    who: str,
    team: Team,
    record_id: int,
    answers: dict[str, str] | None = None,
    *,
    unmet: tuple[str, ...] = (),
) -> list[Judgement]:
    """`who` answers every TAPUPAS item: met, except those in `unmet` (or as `answers` says)."""
    given = answers or {item: "no" if item in unmet else "yes" for item in TAPUPAS}
    with workspace.transaction(who) as tx:
        return appraisal.record_judgements(
            tx,
            team.review_id,
            record_id,
            [
                ItemAnswer(item=item, answer=answer, reason=f"{who}'s reading of {item}")
                for item, answer in given.items()
            ],
        )
