"""Scoring the extent of co-production of each included study (METHODS.md §4).

The lead declares the review's scheme (which scales, how they combine, whether
the paper's eighth rung "Co-delivery" is in use); raters give each study a
level on each scale with a reason; disagreements are settled by a recorded
consensus. Every rating is a new row (DESIGN.md rule 1). Raters are blinded to
each other's levels on a study until they have given their own on every
scale of the scheme, or a consensus is recorded (rule 3).
"""

from __future__ import annotations

from cosynth.domain.coproduction import (
    DEFAULT_SCHEME,
    Combination,
    Rating,
    Scale,
    ScoringScheme,
    StudyScore,
    current_ratings,
    parse_scale,
    reorder_by_score,
    score_study,
)
from cosynth.domain.roles import Permission, Role
from cosynth.domain.study import Study
from cosynth.errors import InputError
from cosynth.services.scales import registered_scales
from cosynth.services.studies import get_study, included_studies
from cosynth.services.workspace import Tx
from cosynth.store import coproduction as store

MAX_RATIONALE = 5000


# -- scales and the scheme


def review_scales(tx: Tx, review_id: int) -> dict[str, Scale]:
    """The scales this review can score with: every registered one and the review's own."""
    tx.require(review_id, Permission.VIEW)
    return _scales(tx, review_id)


def _scales(tx: Tx, review_id: int) -> dict[str, Scale]:
    scales = dict(registered_scales())
    for filename, text in store.review_scale_texts(tx.session, review_id).values():
        own = parse_scale(text, filename)
        scales[own.id] = own
    return scales


def add_scale(tx: Tx, review_id: int, filename: str, text: str) -> Scale:
    """Add the review's own scale from the text of its TOML file (a new version replaces one).

    Refused when its id is a registered scale's, or when studies are already
    rated on the version it would replace (their levels would change meaning).
    """
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    scale = parse_scale(text, filename)
    if scale.id in registered_scales():
        raise InputError(
            f"{filename}: the id {scale.id!r} is taken by a scale cosynth ships. "
            "Give the review's own scale an id of its own."
        )
    if scale.id in store.review_scale_texts(tx.session, review_id) and any(
        rating.scale == scale.id for rating in store.rating_history(tx.session, review_id)
    ):
        raise InputError(
            f"Studies are already rated on {scale.id!r}, so it cannot be replaced. "
            "Add the new version under a new id and change the scoring scheme."
        )
    store.insert_review_scale(
        tx.session, review_id, scale.id, filename=filename, text=text, at=tx.now, actor=tx.actor
    )
    tx.log("coproduction.scale_added", review_id, scale=scale.id, filename=filename)
    return scale


def scoring_scheme(tx: Tx, review_id: int) -> ScoringScheme:
    """The scheme in force: the latest the lead set, else the paper's (TLAP + NHS England, sum)."""
    tx.require(review_id, Permission.VIEW)
    return store.latest_scheme(tx.session, review_id) or DEFAULT_SCHEME


def set_scoring_scheme(
    tx: Tx,
    review_id: int,
    scales: tuple[str, ...],
    *,
    combination: Combination = Combination.SUM,
    weights: dict[str, int] | None = None,
    switched_on: tuple[str, ...] = (),
    amendment: str = "",
) -> ScoringScheme:
    """Declare how the review scores co-production; once rating has begun, a logged amendment."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    known = _scales(tx, review_id)
    if not scales:
        raise InputError("A scoring scheme needs at least one scale.")
    if len(set(scales)) != len(scales):
        raise InputError("A scale is named twice in the scoring scheme.")
    for scale_id in scales:
        if scale_id not in known:
            raise InputError(
                f"There is no scale called {scale_id!r}. Scales: {', '.join(sorted(known))}."
            )
    weights = weights or {}
    for scale_id, weight in weights.items():
        if scale_id not in scales or weight < 1:
            raise InputError(
                f"A weight needs a scale of the scheme and a whole number of 1 or more "
                f"(got {scale_id}={weight})."
            )
    optional = {
        level.label.casefold(): level.label
        for scale_id in scales
        for level in known[scale_id].levels
        if level.optional
    }
    for label in switched_on:
        if label.casefold() not in optional:
            offered = ", ".join(sorted(optional.values())) or "none"
            raise InputError(
                f"{label!r} is not an optional level of the chosen scales (optional: {offered})."
            )
    current = store.latest_scheme(tx.session, review_id)
    rated = bool(store.rating_history(tx.session, review_id))
    if current is not None and rated and not amendment.strip():
        raise InputError(
            "Studies have already been scored under the current scheme: say why it changes "
            "(an amendment), so the change is on the record."
        )
    _check_levels_still_in_use(tx, review_id, known, scales, switched_on)
    scheme = ScoringScheme(
        scales=tuple(scales),
        combination=combination,
        weights=tuple(sorted((s, w) for s, w in weights.items() if w != 1)),
        switched_on=tuple(optional[label.casefold()] for label in switched_on),
        version=(current.version + 1) if current is not None else 1,
        amendment=amendment.strip(),
    )
    store.insert_scheme(tx.session, review_id, scheme, at=tx.now, actor=tx.actor)
    tx.log(
        "coproduction.scheme_set",
        review_id,
        version=scheme.version,
        scales=list(scheme.scales),
        combination=scheme.combination.value,
        switched_on=list(scheme.switched_on),
        amendment=scheme.amendment,
    )
    return scheme


def _check_levels_still_in_use(
    tx: Tx,
    review_id: int,
    known: dict[str, Scale],
    scales: tuple[str, ...],
    switched_on: tuple[str, ...],
) -> None:
    """Refuse to switch off a level studies are rated at: their scores would change silently."""
    for rating in current_ratings(store.rating_history(tx.session, review_id)):
        if rating.scale not in scales:
            continue
        in_use = {level.rank for level in known[rating.scale].levels_in_use(switched_on)}
        if rating.rank not in in_use:
            raise InputError(
                f"A study (record {rating.record_id}) is rated {rating.label!r} on "
                f"{known[rating.scale].name}, so that level cannot be switched off. "
                "Re-rate it first."
            )


# -- rating


def rate_study(
    tx: Tx, review_id: int, record_id: int, scale: str, level: int | str, *, rationale: str = ""
) -> Rating:
    """The actor's level for an included study on one scale of the scheme (by rank or label)."""
    tx.require(review_id, Permission.SCORE_COPRODUCTION)
    rating = _rating(tx, review_id, record_id, scale, level, rationale=rationale, consensus=False)
    store.insert_rating(tx.session, review_id, rating)
    tx.log(
        "coproduction.rated",
        review_id,
        record_id=record_id,
        scale=scale,
        rank=rating.rank,
        label=rating.label,
    )
    return rating


def agree_level(
    tx: Tx, review_id: int, record_id: int, scale: str, level: int | str, *, rationale: str
) -> Rating:
    """Record the raters' consensus level for a study on one scale, with how it was reached."""
    tx.require(review_id, Permission.SCORE_COPRODUCTION)
    if not rationale.strip():
        raise InputError("Say how the consensus was reached (a rationale is kept with it).")
    rating = _rating(tx, review_id, record_id, scale, level, rationale=rationale, consensus=True)
    store.insert_rating(tx.session, review_id, rating)
    tx.log(
        "coproduction.agreed",
        review_id,
        record_id=record_id,
        scale=scale,
        rank=rating.rank,
        label=rating.label,
    )
    return rating


def _rating(
    tx: Tx,
    review_id: int,
    record_id: int,
    scale: str,
    level: int | str,
    *,
    rationale: str,
    consensus: bool,
) -> Rating:
    if len(rationale) > MAX_RATIONALE:
        raise InputError(f"The rationale is {len(rationale)} characters; at most {MAX_RATIONALE}.")
    get_study(tx, review_id, record_id)  # refuses a record that is not an included study
    scheme = scoring_scheme(tx, review_id)
    if scale not in scheme.scales:
        raise InputError(
            f"This review scores co-production on {', '.join(scheme.scales)}, not {scale!r}."
        )
    chosen = _scales(tx, review_id)[scale].level(level, scheme.switched_on)
    return Rating(
        record_id=record_id,
        scale=scale,
        rank=chosen.rank,
        label=chosen.label,
        rater=tx.actor,
        consensus=consensus,
        rationale=rationale.strip(),
        at=tx.now,
    )


# -- scores


def study_scores(tx: Tx, review_id: int, *, reorder: bool = True) -> list[StudyScore]:
    """Each included study's levels and score, highest score first (the paper's Table 4 order).

    A reviewer sees another rater's levels on a study only once they have
    given their own on every scale of the scheme, or a consensus is recorded.
    """
    role = tx.require(review_id, Permission.VIEW)
    scheme = scoring_scheme(tx, review_id)
    ratings = current_ratings(store.rating_history(tx.session, review_id))
    scores = [
        _score_as_seen(tx.actor, role, scheme, study, ratings)
        for study in included_studies(tx, review_id)
    ]
    return reorder_by_score(scores) if reorder else scores


def _score_as_seen(
    actor: str, role: Role, scheme: ScoringScheme, study: Study, ratings: list[Rating]
) -> StudyScore:
    full = score_study(scheme, study.record_id, study.label, ratings)
    if role is not Role.REVIEWER:
        return full
    mine = full.by_rater.get(actor, {})
    if all(scale in mine for scale in scheme.scales) or all(
        scale in full.consensus for scale in scheme.scales
    ):
        return full
    own_only = [r for r in ratings if r.record_id == study.record_id and r.rater == actor]
    seen = score_study(scheme, study.record_id, study.label, own_only)
    return StudyScore(
        record_id=seen.record_id,
        label=seen.label,
        by_rater=seen.by_rater,
        consensus={},
        agreed={},
        score=None,
        blinded=True,
    )


def rating_history(tx: Tx, review_id: int, record_id: int) -> list[Rating]:
    """Every rating of one study, changes of mind included, as far as blinding allows."""
    role = tx.require(review_id, Permission.VIEW)
    get_study(tx, review_id, record_id)
    history = store.rating_history(tx.session, review_id, record_id=record_id)
    if role is Role.REVIEWER:
        scheme = scoring_scheme(tx, review_id)
        seen = _score_as_seen(
            tx.actor, role, scheme, get_study(tx, review_id, record_id), current_ratings(history)
        )
        if seen.blinded:
            return [r for r in history if r.rater == tx.actor and not r.consensus]
    return history
