"""alice checks how far bob and carol agree, in calibration and in the real screening."""

from __future__ import annotations

import pytest

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import agreement, screening_protocol
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search, vote

TA = Stage.TITLE_ABSTRACT
INCLUDE, EXCLUDE, UNSURE = Decision.INCLUDE, Decision.EXCLUDE, Decision.UNSURE


@pytest.fixture
def records(workspace: Workspace, team: Team) -> list[int]:
    return import_search(workspace, team)


def test_it_gives_cohens_kappa_per_pair_with_unsure_as_its_own_category(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    both_vote(workspace, team, records[0], INCLUDE, INCLUDE)
    both_vote(workspace, team, records[1], INCLUDE, UNSURE)
    both_vote(workspace, team, records[2], EXCLUDE, EXCLUDE)
    both_vote(workspace, team, records[3], INCLUDE, INCLUDE)
    vote(workspace, "bob", team, records[4], EXCLUDE, reason="wrong setting")  # carol yet to vote
    with workspace.transaction("alice") as tx:
        result = agreement.screening_agreement(tx, team.review_id, stage=TA)
    (pair,) = result.pairs
    assert (pair.reviewer_a, pair.reviewer_b) == ("bob", "carol")
    assert pair.agreement.units == 4  # the half-voted record is not counted (blinding)
    assert pair.agreement.percent == pytest.approx(75.0)
    # bob: I I E I; carol: I U E I -> po = .75, pe = (3*2 + 1*1)/16 = 7/16
    assert pair.agreement.value == pytest.approx((0.75 - 7 / 16) / (1 - 7 / 16))
    assert result.overall == pair.agreement
    assert "unsure" in result.unsure_rule


def test_it_measures_the_calibration_round_on_its_own(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        sample = screening_protocol.start_calibration(tx, team.review_id, TA, size=4, seed=2)
    for i, record in enumerate(sample):
        vote(workspace, "bob", team, record, INCLUDE, calibration=True)
        decision = INCLUDE if i % 2 else EXCLUDE
        why = "wrong setting" if decision is EXCLUDE else ""
        vote(workspace, "carol", team, record, decision, reason=why, calibration=True)
    with workspace.transaction("bob") as tx:
        calibration = agreement.screening_agreement(tx, team.review_id, stage=TA, calibration=True)
        real = agreement.screening_agreement(tx, team.review_id, stage=TA)
    assert calibration.overall.units == 4 and calibration.overall.percent == pytest.approx(50.0)
    assert real.pairs == () and real.overall.units == 0


def test_it_uses_fleiss_kappa_when_three_screen_every_record(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    from cosynth.domain.screening.stages import ProtocolChange

    with workspace.transaction("alice") as tx:
        screening_protocol.set_protocol(
            tx, team.review_id, TA, ProtocolChange(reviewers_required=3)
        )
    for record, decisions in zip(
        records[:4],
        [
            (INCLUDE, INCLUDE, INCLUDE),
            (EXCLUDE, EXCLUDE, INCLUDE),
            (EXCLUDE, EXCLUDE, EXCLUDE),
            (INCLUDE, UNSURE, INCLUDE),
        ],
        strict=True,
    ):
        for who, decision in zip(("alice", "bob", "carol"), decisions, strict=True):
            why = "wrong setting" if decision is EXCLUDE else ""
            vote(workspace, who, team, record, decision, reason=why)
    with workspace.transaction("alice") as tx:
        result = agreement.screening_agreement(tx, team.review_id, stage=TA)
    assert result.overall.statistic == "Fleiss' kappa"
    assert result.overall.units == 4
    assert result.overall.percent == pytest.approx(50.0)
    assert len(result.pairs) == 3
