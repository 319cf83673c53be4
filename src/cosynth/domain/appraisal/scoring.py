"""The review's scoring rule and what it makes of one study's answers.

Scoring is a review-level rule set in the protocol before appraisal starts
(JBI manual for evidence synthesis, ch. 2): points per answer, a threshold,
and a rule, either "sum >= threshold" or "all critical items met". CASP
suggests no scoring system at all, and TAPUPAS has no official scale
(METHODS.md §3), so the points come from the instrument file and the review
may override them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cosynth.domain.appraisal.instruments import Instrument, Item, Rule, highest_score
from cosynth.errors import InputError


@dataclass(frozen=True, slots=True)
class ScoringRule:
    """`points` (answer id -> points) override the scales'; `critical` (item ids) the flags."""

    rule: Rule = Rule.SUM
    threshold: int | None = None
    points: tuple[tuple[str, int], ...] = ()
    critical: tuple[str, ...] | None = None

    @property
    def words(self) -> str:
        if self.rule is Rule.SUM:
            return f"sum >= {self.threshold}"
        return "all critical items met"


def suggested_rule(instrument: Instrument) -> ScoringRule:
    """The rule the instrument file suggests, or a plain sum with no threshold yet."""
    suggested = instrument.scoring
    if suggested is None:
        return ScoringRule()
    return ScoringRule(
        rule=suggested.rule,
        threshold=suggested.threshold,
        points=suggested.points,
        critical=suggested.critical,
    )


def max_score(instrument: Instrument, rule: ScoringRule) -> int:
    return highest_score(instrument, dict(rule.points))


def points_for(instrument: Instrument, rule: ScoringRule, item: Item, answer_id: str) -> int:
    """The points `answer_id` earns on `item` under `rule` (0 for a free-text item)."""
    scale = instrument.scale_of(item)
    if scale is None:
        return 0
    overrides = dict(rule.points)
    for answer in scale.answers:
        if answer.id == answer_id:
            return overrides.get(answer.id, answer.points)
    return 0


def critical_items(instrument: Instrument, rule: ScoringRule) -> tuple[Item, ...]:
    if rule.critical is None:
        return tuple(item for item in instrument.scored_items if item.critical)
    wanted = {item_id.casefold() for item_id in rule.critical}
    return tuple(item for item in instrument.scored_items if item.id.casefold() in wanted)


def check_rule(instrument: Instrument, rule: ScoringRule) -> None:
    """Refuse a rule the instrument cannot carry, saying why in the protocol's words."""
    known = instrument.answer_ids
    for answer_id, points in rule.points:
        if answer_id not in known:
            raise InputError(
                f'Points were given for the answer "{answer_id}", which {instrument.name} does '
                f"not have (answers: {', '.join(sorted(known))})."
            )
        if not 0 <= points <= 1000:
            raise InputError(f'Points for "{answer_id}" must be between 0 and 1000.')
    for item_id in rule.critical or ():
        item = instrument.item(item_id)
        if item is None:
            raise InputError(
                f'"{item_id}" is not an item of {instrument.name} '
                f"(items: {', '.join(i.id for i in instrument.items)})."
            )
        if item.free_text:
            raise InputError(f'"{item.id}" is answered in words only, so it cannot be critical.')
    top = max_score(instrument, rule)
    if rule.rule is Rule.SUM:
        if rule.threshold is None:
            raise InputError(
                f"Give a threshold: the lowest {instrument.name} score (0 to {top}) "
                "a study needs to stay in the review."
            )
        if not 0 <= rule.threshold <= top:
            raise InputError(
                f"A threshold of {rule.threshold} is above the maximum score of "
                f"{instrument.name} ({top}), so no study could meet it."
                if rule.threshold > top
                else "A threshold cannot be below 0."
            )
    elif not critical_items(instrument, rule):
        raise InputError(
            f'The rule "all critical items met" needs critical items, and none of '
            f"{instrument.name}'s items is marked critical: name them."
        )


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the rule makes of one set of answers (one appraiser's, or the agreed ones).

    `met` is None while the answers are incomplete; `reason` says why a
    complete set does not meet the bar, in the words reports use.
    """

    complete: bool
    score: int
    max_score: int
    met: bool | None
    unanswered: tuple[str, ...] = ()
    reason: str = ""
    screened_out_by: str = ""


def finished(instrument: Instrument, answers: Mapping[str, str]) -> bool:
    """Every scored item answered, or a screening question answered "not met" (CASP Q1-2)."""
    if _failed_screening(instrument, answers) is not None:
        return True
    return all(item.id in answers for item in instrument.scored_items)


def assess(instrument: Instrument, rule: ScoringRule, answers: Mapping[str, str]) -> Assessment:
    """Score `answers` (item id -> answer id) under `rule`."""
    scored = instrument.scored_items
    score = sum(
        points_for(instrument, rule, item, answers[item.id])
        for item in scored
        if item.id in answers
    )
    top = max_score(instrument, rule)
    failed = _failed_screening(instrument, answers)
    if failed is not None:
        return Assessment(
            complete=True,
            score=score,
            max_score=top,
            met=False,
            reason=(
                f'did not pass the screening question {failed.id} "{failed.label}" '
                f"({instrument.name})"
            ),
            screened_out_by=failed.id,
        )
    unanswered = tuple(item.id for item in scored if item.id not in answers)
    if unanswered:
        return Assessment(
            complete=False, score=score, max_score=top, met=None, unanswered=unanswered
        )
    if rule.rule is Rule.SUM:
        threshold = rule.threshold if rule.threshold is not None else top
        met = score >= threshold
        reason = (
            "" if met else f"scored {score}, below the threshold of {threshold} ({instrument.name})"
        )
        return Assessment(complete=True, score=score, max_score=top, met=met, reason=reason)
    failing = [
        item for item in critical_items(instrument, rule) if not _meets(instrument, item, answers)
    ]
    reason = ""
    if failing:
        names = ", ".join(f"{item.id} {item.label}" for item in failing)
        reason = f"critical items not met: {names} ({instrument.name})"
    return Assessment(complete=True, score=score, max_score=top, met=not failing, reason=reason)


def _meets(instrument: Instrument, item: Item, answers: Mapping[str, str]) -> bool:
    scale = instrument.scale_of(item)
    given = answers.get(item.id)
    if scale is None or given is None:
        return False
    return any(answer.id == given and answer.meets for answer in scale.answers)


def _failed_screening(instrument: Instrument, answers: Mapping[str, str]) -> Item | None:
    for item in instrument.scored_items:
        if item.screening and item.id in answers and not _meets(instrument, item, answers):
            return item
    return None
