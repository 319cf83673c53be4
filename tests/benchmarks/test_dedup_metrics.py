"""The de-duplication benchmark's metrics, on small groupings counted by hand."""

from __future__ import annotations

import pytest
from benchmarks.dedup_metrics import (
    entities_lost,
    evaluate,
    f1,
    pair_counts,
    pairs,
    record_counts,
    removed,
)

# True groups A = {a1, a2} and B = {b1}, file order a1, a2, b1.
ORDER = ["a1", "a2", "b1"]
TRUTH = {"a1": "A", "a2": "A", "b1": "B"}


def test_pairs_is_n_choose_2() -> None:
    assert [pairs(n) for n in range(5)] == [0, 0, 1, 3, 6]
    assert pairs(10_000) == 49_995_000


def test_removed_marks_all_but_the_first_in_file_order() -> None:
    groups = {"x": 1, "y": 2, "z": 1, "w": 1}
    assert removed(["x", "y", "z", "w"], groups) == {"x": False, "y": False, "z": True, "w": True}
    # The same groups read in another order keep another record.
    assert removed(["z", "y", "x", "w"], groups) == {"z": False, "y": False, "x": True, "w": True}


def test_a_perfect_prediction() -> None:
    m = evaluate(ORDER, TRUTH, {"a1": "p", "a2": "p", "b1": "q"})
    assert (m.tp, m.fp, m.fn, m.tn) == (1, 0, 0, 2)
    assert (m.sensitivity, m.specificity) == (1.0, 1.0)
    assert (m.true_pairs, m.predicted_pairs, m.correct_pairs, m.false_merges) == (1, 1, 1, 0)
    assert (m.pairwise_precision, m.pairwise_recall, m.pairwise_f1) == (1.0, 1.0, 1.0)
    assert (m.mixed_groups, m.entities_lost) == (0, 0)
    assert (m.duplicates_to_remove, m.predicted_removed) == (1, 1)


def test_nothing_merged_leaves_precision_undefined() -> None:
    m = evaluate(ORDER, TRUTH, {"a1": "a1", "a2": "a2", "b1": "b1"})
    assert (m.tp, m.fp, m.fn, m.tn) == (0, 0, 1, 2)
    assert m.sensitivity == 0.0
    assert m.specificity == 1.0
    assert m.pairwise_precision is None
    assert m.pairwise_recall == 0.0
    assert m.pairwise_f1 is None
    assert m.false_merges == 0


def test_merging_everything() -> None:
    m = evaluate(ORDER, TRUTH, {"a1": "g", "a2": "g", "b1": "g"})
    # a1 kept (TN); a2 removed, a duplicate (TP); b1 removed, unique (FP).
    assert (m.tp, m.fp, m.fn, m.tn) == (1, 1, 0, 1)
    assert m.specificity == 0.5
    # Pairs a1-a2 (right), a1-b1 and a2-b1 (false merges).
    assert (m.true_pairs, m.predicted_pairs, m.correct_pairs, m.false_merges) == (1, 3, 1, 2)
    assert m.pairwise_precision == pytest.approx(1 / 3)
    assert m.pairwise_recall == 1.0
    assert m.pairwise_f1 == pytest.approx(0.5)
    assert m.mixed_groups == 1
    assert m.entities_lost == 1  # B's only record is removed


def test_a_mixed_group_without_its_first_record() -> None:
    # Predicted {a2, b1} and a1 alone: a2 is first of its predicted group, so
    # kept although it duplicates a1 (FN); b1 is removed (FP).
    m = evaluate(ORDER, TRUTH, {"a1": "p", "a2": "q", "b1": "q"})
    assert (m.tp, m.fp, m.fn, m.tn) == (0, 1, 1, 1)
    assert (m.true_pairs, m.predicted_pairs, m.correct_pairs, m.false_merges) == (1, 1, 0, 1)
    assert m.pairwise_precision == 0.0
    assert m.pairwise_f1 == 0.0
    assert m.entities_lost == 1


def test_a_six_record_example() -> None:
    # True: T1 = {1, 2, 3}, T2 = {4, 5}, T3 = {6}.
    # Predicted: P1 = {1, 2, 4, 5}, P2 = {3}, P3 = {6}.
    order = ["1", "2", "3", "4", "5", "6"]
    truth = {"1": "T1", "2": "T1", "3": "T1", "4": "T2", "5": "T2", "6": "T3"}
    predicted = {"1": "P1", "2": "P1", "3": "P2", "4": "P1", "5": "P1", "6": "P3"}
    # Duplicates-to-remove: 2, 3, 5. Predicted removed: 2, 4, 5.
    assert record_counts(order, truth, predicted).__dict__ == {"tp": 2, "fp": 1, "fn": 1, "tn": 2}
    counts = pair_counts(order, truth, predicted)
    # True pairs 3 + 1; predicted pairs 6; right: 1-2 and 4-5; false: 1-4, 1-5, 2-4, 2-5.
    assert (counts.true_pairs, counts.predicted_pairs, counts.correct_pairs) == (4, 6, 2)
    assert (counts.false_merges, counts.missed_pairs) == (4, 2)
    assert entities_lost(order, truth, predicted) == 1  # 4 and 5 both removed
    m = evaluate(order, truth, predicted)
    assert m.sensitivity == pytest.approx(2 / 3)
    assert m.specificity == pytest.approx(2 / 3)
    assert m.pairwise_precision == pytest.approx(1 / 3)
    assert m.pairwise_recall == 0.5
    assert m.pairwise_f1 == pytest.approx(0.4)
    assert (m.true_groups, m.predicted_groups) == (3, 3)


def test_a_record_the_tool_left_out_is_alone_and_counted() -> None:
    # a2 missing from the output; its own id is used as a label by the tool
    # for a1, which must not pull the missing a2 into a1's group.
    m = evaluate(ORDER, TRUTH, {"a1": "a2", "b1": "b1", "zz": "a2"})
    assert (m.tp, m.fp, m.fn, m.tn) == (0, 0, 1, 2)
    assert m.predicted_pairs == 0
    assert (m.missing_from_prediction, m.unknown_in_prediction) == (1, 1)


def test_review_counts_are_passed_through() -> None:
    m = evaluate(
        ORDER, TRUTH, {"a1": 1, "a2": 1, "b1": 2}, records_for_review=2, pairs_for_review=1
    )
    assert (m.records_for_review, m.pairs_for_review) == (2, 1)
    assert m.as_dict()["records_for_review"] == 2


def test_a_huge_group_is_counted_without_listing_pairs() -> None:
    order = [f"r{i}" for i in range(10_000)]
    truth = dict.fromkeys(order, "one")
    predicted = {record: i % 2 for i, record in enumerate(order)}
    m = evaluate(order, truth, predicted)
    assert m.true_pairs == 49_995_000
    assert m.predicted_pairs == m.correct_pairs == 2 * pairs(5_000)
    assert m.false_merges == 0
    assert (m.tp, m.fp, m.fn, m.tn) == (9_998, 0, 1, 1)


def test_f1_edges() -> None:
    assert f1(None, 1.0) is None
    assert f1(0.0, 0.0) == 0.0
    assert f1(0.5, 1.0) == pytest.approx(2 / 3)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        evaluate(["a", "a"], {"a": 1}, {})
    with pytest.raises(ValueError, match="no true group"):
        evaluate(["a", "b"], {"a": 1}, {})
