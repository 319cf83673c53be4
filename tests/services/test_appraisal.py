"""bob and carol appraise the included studies with TAPUPAS; alice leads; pat advises.

The paper's case: eleven studies appraised with TAPUPAS (0/1 per dimension),
studies scoring below 7 excluded, one of eleven.
"""

from __future__ import annotations

import pytest

from cosynth.domain.appraisal.instruments import Rule
from cosynth.domain.appraisal.judgements import ConsensusMethod, ItemAnswer
from cosynth.domain.appraisal.protocol import AppraisalProtocolChange
from cosynth.errors import DataFileError, InputError, NotFoundError, PermissionDeniedError
from cosynth.services import appraisal
from cosynth.services.appraisal import AppraisalStatus
from cosynth.services.reviews import audit_log
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.appraisal_helpers import (
    TAPUPAS,
    appraise,
    choose_tapupas,
    eleven_studies,
)
from tests.services.screening_helpers import import_search, include_at_full_text


@pytest.fixture
def studies(workspace: Workspace, team: Team) -> list[int]:
    return eleven_studies(workspace, team)


@pytest.fixture
def two_studies(workspace: Workspace, team: Team) -> list[int]:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[3]])
    choose_tapupas(workspace, team)
    return [ids[0], ids[3], ids[2]]  # the third was never included


def test_it_excludes_the_one_study_of_eleven_that_scores_below_seven(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    choose_tapupas(workspace, team)
    weak = studies[2]
    for record_id in studies:
        unmet = ("U",) if record_id == weak else ()
        appraise(workspace, "bob", team, record_id, unmet=unmet)
        # carol differs from bob on one item of one study; alice settles it.
        carol_unmet = ("Pr",) if record_id == studies[5] else unmet
        appraise(workspace, "carol", team, record_id, unmet=carol_unmet)

    with workspace.transaction("alice") as tx:
        before = appraisal.appraisal_summary(tx, team.review_id)
    assert [s.status for s in before].count(AppraisalStatus.AWAITING_CONSENSUS) == 1
    with workspace.transaction("alice") as tx:
        differing = appraisal.compare_appraisals(tx, team.review_id, studies[5]).differing
        assert [c.item.id for c in differing] == ["Pr"]
        agreed = appraisal.record_consensus(
            tx,
            team.review_id,
            studies[5],
            "Pr",
            "yes",
            rationale="Ethical approval is reported in the methods.",
        )
    assert agreed.method is ConsensusMethod.LEAD

    with workspace.transaction("pat") as tx:
        summary = appraisal.appraisal_summary(tx, team.review_id)
        excluded = appraisal.appraisal_exclusions(tx, team.review_id)
    assert len(summary) == 11
    assert [s.status for s in summary].count(AppraisalStatus.MET) == 10
    assert [e.study.record_id for e in excluded] == [weak]
    assert excluded[0].reason == "scored 6, below the threshold of 7 (TAPUPAS)"
    assert (excluded[0].score, excluded[0].threshold, excluded[0].study.label) == (
        6,
        7,
        "Hughes 2018",
    )


def test_it_keeps_each_appraiser_blind_until_both_have_finished(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    study = two_studies[0]
    appraise(workspace, "bob", team, study, unmet=("A",))
    with workspace.transaction("carol") as tx:
        seen = appraisal.study_appraisal(tx, team.review_id, study)
        assert seen.blinded and seen.judgements == () and seen.items == ()
        assert seen.status is AppraisalStatus.IN_PROGRESS and seen.finished == ("bob",)
        with pytest.raises(PermissionDeniedError, match="once 2 appraisers have finished"):
            appraisal.compare_appraisals(tx, team.review_id, study)
    with workspace.transaction("pat") as tx:
        assert appraisal.study_appraisal(tx, team.review_id, study).judgements == ()
    with workspace.transaction("alice") as tx:  # the lead may see all
        assert len(appraisal.study_appraisal(tx, team.review_id, study).judgements) == 7

    # carol's first answers do not finish the study: still blind.
    appraise(workspace, "carol", team, study, {"T": "yes", "A": "yes"})
    with workspace.transaction("carol") as tx:
        mine = appraisal.study_appraisal(tx, team.review_id, study).judgements
    assert {j.appraiser for j in mine} == {"carol"}

    appraise(workspace, "carol", team, study)
    with workspace.transaction("carol") as tx:
        compared = appraisal.compare_appraisals(tx, team.review_id, study)
    assert not compared.blinded
    assert [c.item.id for c in compared.differing] == ["A"]
    assert compared.status is AppraisalStatus.AWAITING_CONSENSUS


def test_it_lets_the_appraisers_record_what_they_agreed_in_discussion(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    study = two_studies[0]
    appraise(workspace, "bob", team, study, unmet=("A",))
    with workspace.transaction("carol") as tx, pytest.raises(InputError, match="1 of 2"):
        appraisal.record_consensus(tx, team.review_id, study, "A", "no", rationale="We agree.")
    appraise(workspace, "carol", team, study)
    with workspace.transaction("carol") as tx, pytest.raises(InputError, match="rationale"):
        appraisal.record_consensus(tx, team.review_id, study, "A", "no", rationale=" ")
    with workspace.transaction("carol") as tx:
        agreed = appraisal.record_consensus(
            tx, team.review_id, study, "A", "Not met", rationale="Claims outrun the data."
        )
        found = appraisal.study_appraisal(tx, team.review_id, study)
    assert agreed.method is ConsensusMethod.DISCUSSION and agreed.answer == "no"
    assert found.status is AppraisalStatus.NOT_MET
    assert found.assessment is not None and found.assessment.score == 6


def test_it_keeps_a_change_of_mind_as_a_new_judgement(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    study = two_studies[0]
    with workspace.transaction("bob") as tx:
        first = appraisal.record_judgement(tx, team.review_id, study, "T", "no", reason="unclear")
        again = appraisal.record_judgement(tx, team.review_id, study, "T", "no", reason="unclear")
        second = appraisal.record_judgement(tx, team.review_id, study, "t", "Met", reason="p. 4")
        mine = appraisal.study_appraisal(tx, team.review_id, study).judgements
    assert again == first
    assert (second.sequence, second.answer, second.item_id) == (2, "yes", "T")
    assert [(j.item_id, j.answer, j.reason) for j in mine] == [("T", "yes", "p. 4")]


def test_it_refuses_what_cannot_be_appraised_plainly(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    study, _, never_included = two_studies
    with workspace.transaction("bob") as tx:
        with pytest.raises(NotFoundError, match="not an included study"):
            appraisal.record_judgement(tx, team.review_id, never_included, "T", "yes")
        with pytest.raises(InputError, match='chose TAPUPAS \\("tapupas"\\)'):
            appraisal.record_judgement(
                tx, team.review_id, study, "Q1", "yes", instrument="casp-qualitative-2018"
            )
        with pytest.raises(InputError, match='"maybe" is not an answer to item T'):
            appraisal.record_judgement(tx, team.review_id, study, "T", "maybe")
        with pytest.raises(InputError, match='"Q1" is not an item of TAPUPAS'):
            appraisal.record_judgement(tx, team.review_id, study, "Q1", "yes")
        with pytest.raises(InputError, match="Item T is answered twice"):
            appraisal.record_judgements(
                tx,
                team.review_id,
                study,
                [ItemAnswer("T", "yes"), ItemAnswer("T", "no")],
            )
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        appraisal.record_judgement(tx, team.review_id, study, "T", "yes")
    with workspace.transaction("mallory") as tx:
        for see in (
            lambda: appraisal.appraisal_summary(tx, team.review_id),
            lambda: appraisal.study_appraisal(tx, team.review_id, study),
            lambda: appraisal.appraisal_exclusions(tx, team.review_id),
            lambda: appraisal.list_instruments(tx, team.review_id),
            lambda: appraisal.appraisal_protocol(tx, team.review_id),
        ):
            with pytest.raises(PermissionDeniedError, match="mallory is not a member"):
                see()
    with workspace.transaction("bob") as tx:
        assert appraisal.study_appraisal(tx, team.review_id, study).judgements == ()


def test_it_refuses_to_appraise_before_an_instrument_is_chosen(
    workspace: Workspace, team: Team
) -> None:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0]])
    with workspace.transaction("bob") as tx, pytest.raises(InputError, match="no appraisal instr"):
        appraisal.record_judgement(tx, team.review_id, ids[0], "T", "yes")
    with workspace.transaction("pat") as tx:
        assert appraisal.appraisal_exclusions(tx, team.review_id) == []


def test_it_locks_the_protocol_at_the_first_judgement_and_logs_amendments(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        appraisal.set_appraisal_protocol(tx, team.review_id, AppraisalProtocolChange(threshold=6))
    with workspace.transaction("alice") as tx:
        set_before = appraisal.set_appraisal_protocol(
            tx, team.review_id, AppraisalProtocolChange(threshold=6)
        )
    assert set_before.version == 2 and set_before.amendment == ""
    appraise(workspace, "bob", team, two_studies[0])
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="locked"):
        appraisal.set_appraisal_protocol(tx, team.review_id, AppraisalProtocolChange(threshold=7))
    with workspace.transaction("alice") as tx:
        amended = appraisal.set_appraisal_protocol(
            tx,
            team.review_id,
            AppraisalProtocolChange(threshold=7),
            amendment="The team agreed every dimension must be met, as piloted.",
        )
        history = appraisal.appraisal_protocol_history(tx, team.review_id)
        _, events = audit_log(tx, team.review_id)
    assert amended.version == 3 and amended.scoring.threshold == 7
    assert [p.version for p in history] == [1, 2, 3]
    assert history[-1].amendment.startswith("The team agreed")
    assert events[0].action == "appraisal protocol amended"


def test_it_refuses_a_threshold_above_the_maximum_score(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    with (
        workspace.transaction("alice") as tx,
        pytest.raises(InputError, match="above the maximum score of TAPUPAS \\(7\\)"),
    ):
        appraisal.set_appraisal_protocol(tx, team.review_id, AppraisalProtocolChange(threshold=8))
    with workspace.transaction("alice") as tx:
        graded = appraisal.set_appraisal_protocol(
            tx,
            team.review_id,
            AppraisalProtocolChange(
                instrument=appraisal.get_instrument(tx, team.review_id, "tapupas-graded"),
                threshold=10,
                rule=Rule.SUM,
            ),
        )
    assert graded.instrument is not None and graded.instrument.id == "tapupas-graded"


def test_it_lets_a_review_add_and_choose_its_own_instrument(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    own = b"""format = 1
id = "our-checklist"
name = "Ours"
version = "1"
[source]
citation = "The review team, 2024."
licence = "CC BY 4.0"
[[scales]]
id = "yn"
answers = [{ id = "yes", label = "Yes", points = 1 }, { id = "no", label = "No", points = 0 }]
[[items]]
id = "voice"
label = "Service users' voices reported"
critical = true
"""
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        appraisal.add_instrument(tx, team.review_id, "ours.toml", own)
    with workspace.transaction("alice") as tx:
        with pytest.raises(DataFileError, match=r"ours\.toml, line 2: .*cosynth already has"):
            appraisal.add_instrument(
                tx, team.review_id, "ours.toml", own.replace(b"our-checklist", b"tapupas")
            )
        with pytest.raises(DataFileError, match=r"ours\.toml, line 12"):
            appraisal.add_instrument(
                tx, team.review_id, "ours.toml", own.replace(b'id = "voice"', b'id = "v oice"')
            )
        added = appraisal.add_instrument(tx, team.review_id, "ours.toml", own)
        chosen = appraisal.set_appraisal_protocol(
            tx,
            team.review_id,
            AppraisalProtocolChange(instrument=added, rule=Rule.ALL_CRITICAL),
        )
    assert chosen.instrument == added
    with workspace.transaction("pat") as tx:
        assert "our-checklist" in [i.id for i in appraisal.list_instruments(tx, team.review_id)]
    appraise(workspace, "bob", team, two_studies[0], {"voice": "no"})
    appraise(workspace, "carol", team, two_studies[0], {"voice": "no"})
    with workspace.transaction("pat") as tx:
        (excluded,) = appraisal.appraisal_exclusions(tx, team.review_id)
    assert excluded.reason == "critical items not met: voice Service users' voices reported (Ours)"


def test_it_records_an_answers_file_and_names_the_line_of_a_wrong_answer(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    study = two_studies[0]
    sheet = f"""instrument = "tapupas"
record = {study}

[answers]
T = "yes"
A = {{ answer = "no", reason = "Claims not grounded in the data." }}
Pu = "yes"
U = "perhaps"
""".encode()
    with workspace.transaction("bob") as tx:
        read = appraisal.read_answer_sheet("bob.toml", sheet)
        with pytest.raises(DataFileError, match=r'bob\.toml, line 8: "perhaps" is not an answer'):
            appraisal.record_answer_sheet(tx, team.review_id, read)
    with workspace.transaction("bob") as tx:
        assert appraisal.study_appraisal(tx, team.review_id, study).judgements == ()
        fixed = appraisal.read_answer_sheet("bob.toml", sheet.replace(b"perhaps", b"Met"))
        recorded = appraisal.record_answer_sheet(tx, team.review_id, fixed)
    assert [j.answer for j in recorded[study]] == ["yes", "no", "yes", "yes"]
    assert recorded[study][1].reason == "Claims not grounded in the data."

    rows = f"record,item,answer,reason\n{study},Pr,yes,\n{study},Ac,yes,\n{study},Q9,yes,\n"
    with workspace.transaction("carol") as tx:
        found = appraisal.read_answer_sheet("carol.csv", rows.encode())
        with pytest.raises(DataFileError, match=r'carol\.csv, line 4: "Q9" is not an item'):
            appraisal.record_answer_sheet(tx, team.review_id, found)
    with workspace.transaction("carol") as tx:
        other = appraisal.read_answer_sheet("casp.toml", b'instrument = "jbi-qualitative"\n'
                                            b'[answers]\n1 = "yes"\n')  # fmt: skip
        with pytest.raises(InputError, match="chose TAPUPAS"):
            appraisal.record_answer_sheet(tx, team.review_id, other, record_id=study)
        with pytest.raises(DataFileError, match="say which study"):
            appraisal.record_answer_sheet(
                tx, team.review_id, appraisal.read_answer_sheet("x.toml", b'[answers]\nT = "yes"\n')
            )


def test_it_counts_every_tapupas_item_once_per_appraiser(
    workspace: Workspace, team: Team, two_studies: list[int]
) -> None:
    judged = appraise(workspace, "bob", team, two_studies[1])
    assert [j.item_id for j in judged] == list(TAPUPAS)
    with workspace.transaction("alice") as tx:
        (first, second) = appraisal.appraisal_summary(tx, team.review_id)
    assert first.status is AppraisalStatus.NOT_STARTED
    assert second.status is AppraisalStatus.IN_PROGRESS and second.finished == ("bob",)


def test_it_reads_an_answers_file_in_either_format() -> None:
    toml = appraisal.read_answer_sheet(
        "a.toml", b'record = 3\n[answers]\nT = "yes"\nA = { answer = "no", reason = "thin" }\n'
    )
    assert [(a.item, a.answer, a.reason, a.record_id, a.line) for a in toml.answers] == [
        ("T", "yes", "", 3, 3),
        ("A", "no", "thin", 3, 4),
    ]
    rows = appraisal.read_answer_sheet("answers.txt", b"item,answer,reason\nT,yes,p. 2\n")
    assert (rows.answers[0].line, rows.answers[0].reason) == (2, "p. 2")
    with pytest.raises(DataFileError, match=r'x\.csv, line 1: "colour" is not a column'):
        appraisal.read_answer_sheet("x.csv", b"item,answer,colour\n")
    with pytest.raises(DataFileError, match=r"y\.toml, line 2: this is neither valid TOML"):
        appraisal.read_answer_sheet("y.toml", b"[answers]\nT = yes\n")
