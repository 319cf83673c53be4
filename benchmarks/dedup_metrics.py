"""How well a de-duplicator grouped labelled records: pure functions, no I/O.

Inputs, for one labelled set:

- `order`: every record id of the labelled file, in the file's row order;
- `truth`: record id -> true group id (the file's `group_id`);
- `predicted`: record id -> the tool's group label. Only equality of labels
  matters. A record of `order` that the tool did not return (it skipped it,
  say) counts as alone in its own predicted group; labels of ids that are not
  in `order` are ignored (both are counted, so a report can say so).

Record-level counts (the "which records would be removed" view):

- a record is a *duplicate-to-remove* when it is not the first record, in file
  order, of its TRUE group;
- a record is *predicted removed* when it is not the first record, in file
  order, of its PREDICTED group (each predicted group keeps exactly one
  record, its first).

TP = duplicate-to-remove and predicted removed; FP = not a duplicate-to-remove
but predicted removed; FN = duplicate-to-remove but kept; TN = neither.
Sensitivity = TP / (TP + FN); specificity = TN / (TN + FP).

Each record is judged on its own, also in a predicted group that mixes true
groups. Example: true groups A = {a1, a2} and B = {b1}, file order a1, a2, b1,
predicted group {a1, a2, b1}: a1 is kept (TN), a2 removed (TP), b1 removed
though it is the only record of B (FP). If the predicted group were {a2, b1}
(and a1 alone), a2 would be its first, so kept (FN: a duplicate of a1 left
in), and b1 removed (FP). So a wrong merge costs at least one FP; the damage
it does is counted by `false_merges` and `entities_lost` below.

Pair-level counts, over all unordered record pairs in one group:

- true pairs: pairs in the same true group; predicted pairs: pairs in the same
  predicted group; correct pairs: pairs in the same group in both;
- **false merges** = predicted pairs that are in different true groups
  (= predicted pairs - correct pairs);
- pairwise precision = correct / predicted pairs, recall = correct / true
  pairs, F1 their harmonic mean (None where a denominator is 0).

Pairs are counted from a contingency table of (true group, predicted group)
sizes, n choose 2 per cell, never by listing pairs: a 10,000-record group
costs one multiplication, not 50 million pairs.

`entities_lost`: true groups none of whose records is kept (every one is
removed as the non-first record of some predicted group) - studies that would
silently vanish from screening.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RecordCounts:
    tp: int
    fp: int
    fn: int
    tn: int


@dataclass(frozen=True)
class PairCounts:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def false_merges(self) -> int:
        return self.predicted_pairs - self.correct_pairs

    @property
    def missed_pairs(self) -> int:
        return self.true_pairs - self.correct_pairs


@dataclass(frozen=True)
class DedupMetrics:
    records: int
    true_groups: int
    predicted_groups: int
    duplicates_to_remove: int
    predicted_removed: int
    tp: int
    fp: int
    fn: int
    tn: int
    sensitivity: float | None
    specificity: float | None
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    false_merges: int
    pairwise_precision: float | None
    pairwise_recall: float | None
    pairwise_f1: float | None
    mixed_groups: int
    entities_lost: int
    missing_from_prediction: int
    unknown_in_prediction: int
    records_for_review: int | None = None
    pairs_for_review: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def pairs(n: int) -> int:
    """How many unordered pairs `n` records make."""
    return n * (n - 1) // 2 if n > 1 else 0


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def complete_prediction(
    order: Sequence[str], predicted: Mapping[str, Hashable]
) -> dict[str, Hashable]:
    """Every id of `order` with its predicted label; an id the tool left out is alone.

    Labels are wrapped so that a left-out record's own group can never equal
    a label the tool used.
    """
    return {
        record: ("tool", predicted[record]) if record in predicted else ("absent", record)
        for record in order
    }


def removed(order: Sequence[str], groups: Mapping[str, Hashable]) -> dict[str, bool]:
    """Record id -> True when it is not the first record (in `order`) of its group."""
    seen: set[Hashable] = set()
    flags: dict[str, bool] = {}
    for record in order:
        group = groups[record]
        flags[record] = group in seen
        seen.add(group)
    return flags


def record_counts(
    order: Sequence[str],
    truth: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
) -> RecordCounts:
    """TP/FP/FN/TN of "duplicate-to-remove" against "predicted removed" (see the module)."""
    is_duplicate = removed(order, truth)
    is_removed = removed(order, predicted)
    tally = Counter((is_duplicate[record], is_removed[record]) for record in order)
    return RecordCounts(
        tp=tally[True, True], fp=tally[False, True], fn=tally[True, False], tn=tally[False, False]
    )


def pair_counts(
    order: Sequence[str],
    truth: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
) -> PairCounts:
    """Within-group pairs of the truth, of the prediction and of both, from group sizes."""
    cells = Counter((truth[record], predicted[record]) for record in order)
    true_sizes = Counter(truth[record] for record in order)
    predicted_sizes = Counter(predicted[record] for record in order)
    return PairCounts(
        true_pairs=sum(pairs(n) for n in true_sizes.values()),
        predicted_pairs=sum(pairs(n) for n in predicted_sizes.values()),
        correct_pairs=sum(pairs(n) for n in cells.values()),
    )


def entities_lost(
    order: Sequence[str],
    truth: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
) -> int:
    """True groups none of whose records is kept by the prediction."""
    is_removed = removed(order, predicted)
    kept_groups = {truth[record] for record in order if not is_removed[record]}
    return len({truth[record] for record in order} - kept_groups)


def mixed_groups(
    order: Sequence[str], truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]
) -> int:
    """Predicted groups whose records come from more than one true group."""
    members: dict[Hashable, set[Hashable]] = {}
    for record in order:
        members.setdefault(predicted[record], set()).add(truth[record])
    return sum(1 for true_groups in members.values() if len(true_groups) > 1)


def evaluate(
    order: Sequence[str],
    truth: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
    *,
    records_for_review: int | None = None,
    pairs_for_review: int | None = None,
) -> DedupMetrics:
    """All the figures for one tool on one labelled set (definitions: the module's docstring)."""
    if len(set(order)) != len(order):
        raise ValueError("record ids in `order` must be unique")
    missing = [record for record in order if record not in truth]
    if missing:
        raise ValueError(f"{len(missing)} record(s) have no true group, e.g. {missing[0]!r}")
    known = set(order)
    unknown = sum(1 for record in predicted if record not in known)
    absent = sum(1 for record in order if record not in predicted)
    groups = complete_prediction(order, predicted)

    records = record_counts(order, truth, groups)
    pair = pair_counts(order, truth, groups)
    precision = ratio(pair.correct_pairs, pair.predicted_pairs)
    recall = ratio(pair.correct_pairs, pair.true_pairs)
    true_groups = len({truth[record] for record in order})
    predicted_groups = len(set(groups.values()))
    return DedupMetrics(
        records=len(order),
        true_groups=true_groups,
        predicted_groups=predicted_groups,
        duplicates_to_remove=len(order) - true_groups,
        predicted_removed=len(order) - predicted_groups,
        tp=records.tp,
        fp=records.fp,
        fn=records.fn,
        tn=records.tn,
        sensitivity=ratio(records.tp, records.tp + records.fn),
        specificity=ratio(records.tn, records.tn + records.fp),
        true_pairs=pair.true_pairs,
        predicted_pairs=pair.predicted_pairs,
        correct_pairs=pair.correct_pairs,
        false_merges=pair.false_merges,
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=f1(precision, recall),
        mixed_groups=mixed_groups(order, truth, groups),
        entities_lost=entities_lost(order, truth, groups),
        missing_from_prediction=absent,
        unknown_in_prediction=unknown,
        records_for_review=records_for_review,
        pairs_for_review=pairs_for_review,
    )
