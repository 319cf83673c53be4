"""Scoring co-production: the scheme, each rater's levels, consensus, blinding, refusals."""

from __future__ import annotations

from importlib.metadata import entry_points
from importlib.resources import files

import pytest

from cosynth.domain.coproduction import Combination, parse_scale
from cosynth.errors import DataFileError, InputError, NotFoundError, PermissionDeniedError
from cosynth.services import coproduction
from cosynth.services.scales import SCALES_GROUP, registered_scales
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, include_at_full_text


@pytest.fixture
def studies(workspace: Workspace, team: Team) -> list[int]:
    """Records 1, 2 and 4 of the search are included studies; the others are not."""
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[1], ids[3]])
    return ids


def rate(workspace: Workspace, who: str, team: Team, record_id: int, tlap: str, nhse: str) -> None:
    with workspace.transaction(who) as tx:
        coproduction.rate_study(tx, team.review_id, record_id, "tlap-ladder", tlap, rationale="r")
        coproduction.rate_study(tx, team.review_id, record_id, "nhse-spectrum", nhse)


def test_it_loads_every_registered_scale_file() -> None:
    points = {point.name: point for point in entry_points(group=SCALES_GROUP)}
    assert {"tlap-ladder", "nhse-spectrum"} <= set(points)
    for name, point in points.items():
        text = files(point.module).joinpath(point.attr).read_text(encoding="utf-8")
        scale = parse_scale(text, point.attr)
        assert scale.id == name
        assert scale.source and scale.credit
        assert all(level.definition and level.source for level in scale.levels)
    scales = registered_scales()
    tlap = scales["tlap-ladder"]
    assert [level.label for level in tlap.levels_in_use()] == [
        "Coercion",
        "Educating",
        "Informing",
        "Consultation",
        "Engagement",
        "Co-design",
        "Co-production",
    ]
    assert tlap.levels[-1].label == "Co-delivery" and tlap.levels[-1].optional
    assert "National Co-production Advisory Group" in tlap.credit
    assert all(level.check for level in scales["nhse-spectrum"].levels)


def test_it_scores_a_study_from_two_raters_and_their_consensus(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    study = studies[0]
    rate(workspace, "bob", team, study, "Co-production", "Devolving")
    rate(workspace, "carol", team, study, "7", "Collaborating")
    with workspace.transaction("alice") as tx:
        (score, *_) = [
            s for s in coproduction.study_scores(tx, team.review_id) if s.record_id == study
        ]
        assert score.score is None
        assert score.disagreements == ("nhse-spectrum",)
        coproduction.agree_level(
            tx,
            team.review_id,
            study,
            "nhse-spectrum",
            "Devolving",
            rationale="Agreed in discussion",
        )
    with workspace.transaction("bob") as tx:
        ranked = coproduction.study_scores(tx, team.review_id)
    assert ranked[0].record_id == study
    assert ranked[0].score == 12
    assert ranked[0].by_rater["carol"]["nhse-spectrum"].label == "Collaborating"
    assert ranked[0].consensus["nhse-spectrum"].rater == "alice"


def test_it_keeps_a_change_of_mind_as_a_new_rating(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    rate(workspace, "bob", team, studies[0], "Co-design", "Involving")
    rate(workspace, "bob", team, studies[0], "Co-production", "Involving")
    with workspace.transaction("alice") as tx:
        history = coproduction.rating_history(tx, team.review_id, studies[0])
        (score,) = [
            s for s in coproduction.study_scores(tx, team.review_id) if s.record_id == studies[0]
        ]
    assert [r.label for r in history if r.scale == "tlap-ladder"] == ["Co-design", "Co-production"]
    assert score.score == 10


def test_it_blinds_a_rater_until_they_have_given_every_level(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    rate(workspace, "bob", team, studies[0], "Co-design", "Involving")
    with workspace.transaction("carol") as tx:
        coproduction.rate_study(tx, team.review_id, studies[0], "tlap-ladder", "Co-design")
        (seen,) = [
            s for s in coproduction.study_scores(tx, team.review_id) if s.record_id == studies[0]
        ]
        assert seen.blinded and set(seen.by_rater) == {"carol"} and seen.score is None
        assert {r.rater for r in coproduction.rating_history(tx, team.review_id, studies[0])} == {
            "carol"
        }
        coproduction.rate_study(tx, team.review_id, studies[0], "nhse-spectrum", "Involving")
        (seen,) = [
            s for s in coproduction.study_scores(tx, team.review_id) if s.record_id == studies[0]
        ]
    assert not seen.blinded and set(seen.by_rater) == {"bob", "carol"} and seen.score == 9


def test_it_refuses_to_score_a_record_that_is_not_an_included_study(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with (
        workspace.transaction("bob") as tx,
        pytest.raises(NotFoundError, match="not an included study"),
    ):
        coproduction.rate_study(tx, team.review_id, studies[2], "tlap-ladder", "Co-design")


def test_it_refuses_levels_and_scales_outside_the_scheme(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        with pytest.raises(InputError, match="Co-delivery is switched off"):
            coproduction.rate_study(tx, team.review_id, studies[0], "tlap-ladder", "Co-delivery")
        with pytest.raises(InputError, match="not 'iap2'"):
            coproduction.rate_study(tx, team.review_id, studies[0], "iap2", "Inform")
        with pytest.raises(InputError, match="rationale"):
            coproduction.agree_level(
                tx, team.review_id, studies[0], "tlap-ladder", 6, rationale=" "
            )


def test_it_lets_the_lead_switch_on_co_delivery_and_amend_the_scheme(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        scheme = coproduction.set_scoring_scheme(
            tx, team.review_id, ("tlap-ladder", "nhse-spectrum"), switched_on=("co-delivery",)
        )
        assert scheme.switched_on == ("Co-delivery",)
        assert scheme.range(coproduction.review_scales(tx, team.review_id)) == (2, 13)
    rate(workspace, "bob", team, studies[0], "Co-delivery", "Devolving")
    with workspace.transaction("alice") as tx:
        with pytest.raises(InputError, match="amendment"):
            coproduction.set_scoring_scheme(tx, team.review_id, ("tlap-ladder",))
        with pytest.raises(InputError, match="'Co-delivery' on TLAP ladder of co-production"):
            coproduction.set_scoring_scheme(
                tx, team.review_id, ("tlap-ladder",), amendment="Only the ladder"
            )
        changed = coproduction.set_scoring_scheme(
            tx,
            team.review_id,
            ("tlap-ladder",),
            combination=Combination.MAXIMUM,
            switched_on=("Co-delivery",),
            amendment="The spectrum's labels could not be checked",
        )
        assert changed.version == 2
        (score, *_) = coproduction.study_scores(tx, team.review_id)
    assert score.score == 8


def test_it_refuses_a_scheme_change_from_a_reviewer(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        coproduction.set_scoring_scheme(tx, team.review_id, ("tlap-ladder",))


def test_it_refuses_scoring_by_an_adviser_or_an_outsider(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    for who in ("pat", "mallory"):
        with workspace.transaction(who) as tx, pytest.raises(PermissionDeniedError):
            coproduction.rate_study(tx, team.review_id, studies[0], "tlap-ladder", "Co-design")


def test_it_adds_the_reviews_own_scale_and_names_a_bad_files_line(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    own = (
        '[scale]\nid = "iap2"\nname = "IAP2 spectrum"\nversion = "2018"\n'
        'credit = "IAP2"\nsource = "IAP2 Spectrum of Public Participation"\n'
        + "".join(
            f'\n[[levels]]\nrank = {n}\nlabel = "{label}"\ndefinition = "{label}."\n'
            for n, label in enumerate(["Inform", "Consult", "Involve", "Collaborate", "Empower"], 1)
        )
    )
    with workspace.transaction("alice") as tx:
        with pytest.raises(DataFileError, match=r"iap2\.toml, line 19"):
            coproduction.add_scale(
                tx, team.review_id, "iap2.toml", own.replace("rank = 3", "rank = 2")
            )
        assert "iap2" not in coproduction.review_scales(tx, team.review_id)
        coproduction.add_scale(tx, team.review_id, "iap2.toml", own)
        coproduction.set_scoring_scheme(tx, team.review_id, ("tlap-ladder", "iap2"))
        with pytest.raises(InputError, match="taken by a scale cosynth ships"):
            coproduction.add_scale(
                tx, team.review_id, "x.toml", own.replace('"iap2"', '"tlap-ladder"')
            )
    with workspace.transaction("bob") as tx:
        coproduction.rate_study(tx, team.review_id, studies[0], "iap2", "Empower")
        coproduction.rate_study(tx, team.review_id, studies[0], "tlap-ladder", "Co-production")
        (score, *_) = coproduction.study_scores(tx, team.review_id)
    assert score.score == 12
