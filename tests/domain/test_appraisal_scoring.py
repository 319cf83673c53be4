"""The scoring rule, what it makes of a study's answers, and how two appraisers are compared."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cosynth.domain.appraisal.instruments import Instrument, Rule
from cosynth.domain.appraisal.judgements import (
    Consensus,
    ConsensusMethod,
    Judgement,
    agreed_answers,
    compare,
    current_judgements,
    unblinded,
)
from cosynth.domain.appraisal.protocol import AppraisalProtocol, AppraisalProtocolChange
from cosynth.domain.appraisal.scoring import (
    ScoringRule,
    assess,
    check_rule,
    finished,
    max_score,
    suggested_rule,
)
from cosynth.errors import InputError
from cosynth.formats.instruments import registered_instruments

NOW = datetime(2024, 3, 1, tzinfo=UTC)


def shipped(instrument_id: str) -> Instrument:
    return registered_instruments()[instrument_id].instrument


TAPUPAS = ("T", "A", "Pu", "U", "Pr", "Ac", "S")


def test_it_scores_tapupas_as_the_paper_did_and_excludes_below_seven() -> None:
    tapupas = shipped("tapupas")
    rule = suggested_rule(tapupas)
    assert rule == ScoringRule(rule=Rule.SUM, threshold=7)
    all_met = dict.fromkeys(TAPUPAS, "yes")
    assert assess(tapupas, rule, all_met).met is True
    one_short = {**all_met, "U": "no"}
    found = assess(tapupas, rule, one_short)
    assert (found.complete, found.score, found.max_score, found.met) == (True, 6, 7, False)
    assert found.reason == "scored 6, below the threshold of 7 (TAPUPAS)"


def test_it_waits_for_every_scored_item_before_deciding() -> None:
    tapupas = shipped("tapupas")
    partial = dict.fromkeys(TAPUPAS[:5], "yes")
    found = assess(tapupas, suggested_rule(tapupas), partial)
    assert (found.complete, found.met, found.unanswered) == (False, None, ("Ac", "S"))
    assert not finished(tapupas, partial)


def test_it_lets_the_review_override_points_and_name_critical_items() -> None:
    casp = shipped("casp-qualitative-2018")
    answers = {f"Q{i}": "yes" for i in range(1, 10)} | {"Q4": "cant-tell"}
    sum_rule = ScoringRule(rule=Rule.SUM, threshold=8, points=(("cant-tell", 1),))
    assert max_score(casp, sum_rule) == 9  # Q10 is free text and never scored
    assert assess(casp, sum_rule, answers).score == 9
    critical = ScoringRule(rule=Rule.ALL_CRITICAL, critical=("Q4", "Q8"))
    found = assess(casp, critical, answers)
    assert found.met is False
    assert found.reason == (
        "critical items not met: Q4 Recruitment strategy appropriate to the aims (CASP)"
    )


def test_it_stops_at_a_failed_screening_question() -> None:
    casp = shipped("casp-qualitative-2018")
    answers = {"Q1": "yes", "Q2": "no"}
    assert finished(casp, answers)
    found = assess(casp, ScoringRule(rule=Rule.SUM, threshold=5), answers)
    assert (found.complete, found.met, found.screened_out_by) == (True, False, "Q2")
    assert "screening question Q2" in found.reason


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (ScoringRule(rule=Rule.SUM, threshold=8), "above the maximum score of TAPUPAS (7)"),
        (ScoringRule(rule=Rule.SUM), "Give a threshold"),
        (ScoringRule(rule=Rule.SUM, threshold=5, points=(("maybe", 1),)), '"maybe"'),
        (ScoringRule(rule=Rule.ALL_CRITICAL), "none of TAPUPAS's items is marked critical"),
        (ScoringRule(rule=Rule.ALL_CRITICAL, critical=("Z",)), '"Z" is not an item'),
    ],
)
def test_it_refuses_a_rule_the_instrument_cannot_carry(rule: ScoringRule, words: str) -> None:
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        check_rule(shipped("tapupas"), rule)


def test_it_accepts_a_threshold_equal_to_the_maximum() -> None:
    check_rule(shipped("tapupas"), ScoringRule(rule=Rule.SUM, threshold=7))
    check_rule(shipped("tapupas-graded"), ScoringRule(rule=Rule.SUM, threshold=14))


def _judged(who: str, item: str, answer: str, n: int, sequence: int = 1) -> Judgement:
    return Judgement(
        id=n,
        review_id=1,
        record_id=5,
        appraiser=who,
        instrument_id="tapupas",
        item_id=item,
        answer=answer,
        reason="",
        at=NOW,
        sequence=sequence,
    )


def test_it_keeps_each_appraisers_latest_answer_and_compares_them() -> None:
    tapupas = shipped("tapupas")
    rows = [_judged("bob", item, "yes", i) for i, item in enumerate(TAPUPAS)]
    rows += [_judged("carol", item, "yes", 10 + i) for i, item in enumerate(TAPUPAS)]
    rows.append(_judged("carol", "A", "no", 30, sequence=2))  # a change of mind
    latest = current_judgements(rows)
    assert list(latest) == ["bob", "carol"]
    assert latest["carol"]["A"].answer == "no"
    items = compare(tapupas, latest, {})
    assert [c.item.id for c in items if c.differs] == ["A"]
    assert "A" not in agreed_answers(items)
    settled = Consensus(
        id=1,
        review_id=1,
        record_id=5,
        instrument_id="tapupas",
        item_id="A",
        answer="no",
        rationale="The conclusions go beyond the data.",
        method=ConsensusMethod.LEAD,
        agreed_by="alice",
        at=NOW,
        sequence=1,
    )
    agreed = agreed_answers(compare(tapupas, latest, {"A": settled}))
    assert assess(tapupas, suggested_rule(tapupas), agreed).reason == (
        "scored 6, below the threshold of 7 (TAPUPAS)"
    )


def test_it_counts_an_item_only_one_appraiser_answered_as_a_difference() -> None:
    casp = shipped("casp-qualitative-2018")
    bob = {"Q1": _judged("bob", "Q1", "no", 1)}
    carol = {f"Q{i}": _judged("carol", f"Q{i}", "yes", 10 + i) for i in range(1, 10)}
    items = compare(casp, {"bob": bob, "carol": carol}, {})
    assert [c.item.id for c in items if c.differs] == [f"Q{i}" for i in range(1, 10)]


def test_it_unblinds_once_enough_appraisers_finish_or_a_consensus_exists() -> None:
    assert not unblinded(blinded=True, finished=1, required=2, consensus=False)
    assert unblinded(blinded=True, finished=2, required=2, consensus=False)
    assert unblinded(blinded=True, finished=1, required=2, consensus=True)
    assert unblinded(blinded=False, finished=0, required=2, consensus=False)


def test_it_starts_a_new_instrument_from_its_suggested_rule_and_keeps_the_rest() -> None:
    tapupas, graded = shipped("tapupas"), shipped("tapupas-graded")
    first = AppraisalProtocolChange(instrument=tapupas).applied_to(
        AppraisalProtocol(), suggested_rule(tapupas)
    )
    assert first.scoring == ScoringRule(rule=Rule.SUM, threshold=7)
    second = AppraisalProtocolChange(instrument=graded, threshold=10).applied_to(
        first, suggested_rule(graded)
    )
    assert second.scoring == ScoringRule(rule=Rule.SUM, threshold=10)
    assert second.appraisers_required == 2 and second.blinded
