"""Finding rankers through their entry-point group, `cosynth.rankers`."""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from cosynth.errors import CosynthError, InputError
from cosynth.ranking.base import Ranker

RANKERS_GROUP = "cosynth.rankers"

# The best ranker measured on the 17 benchmark reviews: title-svm (ASReview's
# ELAS u4 recipe with the title counted twice) until a dry spell, then three
# views taking turns (benchmarks/results/screening.md; the others tried are in
# benchmarks/results/screening_experiments.md).
DEFAULT_RANKER = "multiview-svm"


@cache
def _rankers() -> dict[str, EntryPoint]:
    return {point.name: point for point in entry_points(group=RANKERS_GROUP)}


def ranker_names() -> list[str]:
    """The names of every registered ranker, built-ins included, sorted."""
    return sorted(_rankers())


def load_ranker(name: str | None = None) -> Ranker:
    """A fresh ranker called `name` (the default when None), or an error naming those there are."""
    wanted = DEFAULT_RANKER if name is None else name
    point = _rankers().get(wanted)
    if point is None:
        known = ", ".join(ranker_names()) or "none (is cosynth installed?)"
        raise InputError(f"There is no ranker called {wanted!r}. Rankers: {known}.")
    try:
        ranker = point.load()()
    except Exception as exc:  # a broken plugin must not look like a cosynth crash
        raise CosynthError(
            f"The ranker plugin {point.name!r} ({point.value}) could not be loaded: {exc}"
        ) from exc
    if not isinstance(ranker, Ranker):
        raise CosynthError(f"The plugin {point.value!r} registered as a ranker is not one.")
    return ranker
