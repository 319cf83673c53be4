"""Co-production scales and the extent-of-co-production score (METHODS.md §4).

A scale is ordinal data read from a TOML file: levels bottom to top, each
with a label, a rank, a definition and its source (the TLAP ladder of
co-production, the NHS England spectrum of involvement, or a review's own).
A review declares a scheme: which scales it scores on, how a study's levels
combine into one score (the paper: a sum, giving 6-12), and which optional
levels are switched on (the paper's proposed eighth rung, "Co-delivery").

Each rater's levels and the consensus are kept (DESIGN.md rule 1); the study's
score is made from agreed levels only: the consensus where one was recorded,
else the level every rater gave.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from statistics import mean, median
from typing import Any

from cosynth.errors import DataFileError, InputError

SCALE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True, slots=True)
class Level:
    """One rung of a ladder or step of a spectrum. Rank 1 is the bottom."""

    rank: int
    label: str
    definition: str
    source: str
    # "doing to", "doing for", "doing with": TLAP's grouping of its rungs.
    group: str = ""
    # Switched off unless a review's scheme switches it on (the paper's rung 8).
    optional: bool = False
    # The label could not be confirmed against the primary source (METHODS.md).
    check: bool = False


@dataclass(frozen=True, slots=True)
class Scale:
    """An ordinal scale of involvement, as data, with its source cited."""

    id: str
    name: str
    version: str
    credit: str
    source: str
    levels: tuple[Level, ...]
    url: str = ""
    note: str = ""
    check: bool = False
    filename: str = ""

    def levels_in_use(self, switched_on: Collection[str] = ()) -> tuple[Level, ...]:
        """The levels a scheme scores with: the optional ones only when switched on."""
        wanted = {label.casefold() for label in switched_on}
        return tuple(
            level for level in self.levels if not level.optional or level.label.casefold() in wanted
        )

    def level(self, key: int | str, switched_on: Collection[str] = ()) -> Level:
        """The level with this rank or label (any case), or a plain refusal listing them."""
        levels = self.levels_in_use(switched_on)
        for level in levels:
            if isinstance(key, int) and level.rank == key:
                return level
            if isinstance(key, str) and (
                level.label.casefold() == key.strip().casefold() or str(level.rank) == key.strip()
            ):
                return level
        choices = ", ".join(f"{level.rank} {level.label}" for level in levels)
        off = [level.label for level in self.levels if level not in levels]
        extra = f" ({', '.join(off)} is switched off in this review)" if off else ""
        raise InputError(f"{self.name} has no level {key!r}{extra}. Levels: {choices}.")

    def top(self, switched_on: Collection[str] = ()) -> int:
        return max(level.rank for level in self.levels_in_use(switched_on))


class Combination(StrEnum):
    """How a study's levels on several scales become one score."""

    SUM = "sum"  # the paper's accumulated score (weights allowed)
    MINIMUM = "minimum"  # the weakest link: as co-produced as its lowest level
    MAXIMUM = "maximum"


@dataclass(frozen=True, slots=True)
class ScoringScheme:
    """A review's declared way of scoring: the scales, their combination, optional levels."""

    scales: tuple[str, ...]
    combination: Combination = Combination.SUM
    weights: tuple[tuple[str, int], ...] = ()
    switched_on: tuple[str, ...] = ()
    version: int = 1
    amendment: str = ""

    def weight(self, scale_id: str) -> int:
        return dict(self.weights).get(scale_id, 1)

    def combine(self, ranks: Mapping[str, int]) -> int:
        """The extent-of-co-production score from one rank per scale of the scheme."""
        missing = [scale for scale in self.scales if scale not in ranks]
        if missing:
            raise InputError(f"No level on {', '.join(missing)}: the score needs every scale.")
        weighted = [ranks[scale] * self.weight(scale) for scale in self.scales]
        if self.combination is Combination.SUM:
            return sum(weighted)
        if self.combination is Combination.MINIMUM:
            return min(weighted)
        return max(weighted)

    def range(self, scales: Mapping[str, Scale]) -> tuple[int, int]:
        """The lowest and highest score the scheme can give."""
        bottoms = dict.fromkeys(self.scales, 1)
        tops = {scale: scales[scale].top(self.switched_on) for scale in self.scales}
        return self.combine(bottoms), self.combine(tops)

    def describe(self, scales: Mapping[str, Scale]) -> str:
        names = [
            scales[s].name if self.weight(s) == 1 else f"{self.weight(s)} x {scales[s].name}"
            for s in self.scales
        ]
        low, high = self.range(scales)
        return f"{self.combination.value} of {' and '.join(names)} (range {low}-{high})"


DEFAULT_SCHEME = ScoringScheme(scales=("tlap-ladder", "nhse-spectrum"))


@dataclass(frozen=True, slots=True)
class Rating:
    """One rater's level for one study on one scale, or the consensus (rater = who agreed it)."""

    record_id: int
    scale: str
    rank: int
    label: str
    rater: str
    consensus: bool
    rationale: str
    at: datetime


@dataclass(frozen=True, slots=True)
class StudyScore:
    """A study's current levels: each rater's, the agreed ones, and the score they make."""

    record_id: int
    label: str
    by_rater: Mapping[str, Mapping[str, Rating]]
    consensus: Mapping[str, Rating]
    agreed: Mapping[str, int]
    score: int | None
    # Scales where raters differ and no consensus is recorded yet.
    disagreements: tuple[str, ...] = ()
    # Shown to a rater who has not yet given every level: others' levels hidden.
    blinded: bool = False

    @property
    def raters(self) -> tuple[str, ...]:
        return tuple(sorted(self.by_rater))

    def rater_score(self, scheme: ScoringScheme, rater: str) -> int | None:
        mine = self.by_rater.get(rater, {})
        if any(scale not in mine for scale in scheme.scales):
            return None
        return scheme.combine({scale: mine[scale].rank for scale in scheme.scales})


def current_ratings(history: Iterable[Rating]) -> list[Rating]:
    """The latest rating per (study, scale, rater, consensus), history in the order written."""
    latest: dict[tuple[int, str, str, bool], Rating] = {}
    for rating in history:
        key = (
            rating.record_id,
            rating.scale,
            "" if rating.consensus else rating.rater,
            rating.consensus,
        )
        latest[key] = rating
    return list(latest.values())


def score_study(
    scheme: ScoringScheme, record_id: int, label: str, ratings: Iterable[Rating]
) -> StudyScore:
    """A study's score from its current ratings (see `current_ratings`)."""
    by_rater: dict[str, dict[str, Rating]] = {}
    consensus: dict[str, Rating] = {}
    for rating in ratings:
        if rating.record_id != record_id or rating.scale not in scheme.scales:
            continue
        if rating.consensus:
            consensus[rating.scale] = rating
        else:
            by_rater.setdefault(rating.rater, {})[rating.scale] = rating
    agreed: dict[str, int] = {}
    disagreements: list[str] = []
    for scale in scheme.scales:
        if scale in consensus:
            agreed[scale] = consensus[scale].rank
            continue
        given = {mine[scale].rank for mine in by_rater.values() if scale in mine}
        if len(given) == 1:
            agreed[scale] = given.pop()
        elif len(given) > 1:
            disagreements.append(scale)
    complete = all(scale in agreed for scale in scheme.scales)
    return StudyScore(
        record_id=record_id,
        label=label,
        by_rater=by_rater,
        consensus=consensus,
        agreed=agreed,
        score=scheme.combine(agreed) if complete else None,
        disagreements=tuple(disagreements),
    )


def reorder_by_score(scores: Iterable[StudyScore]) -> list[StudyScore]:
    """The paper's Table 4 order: highest score first; unscored last; ties by label."""
    return sorted(scores, key=lambda s: (s.score is None, -(s.score or 0), s.label.casefold()))


@dataclass(frozen=True, slots=True)
class LinkRow:
    """The scored studies in one category (a co-production model, a scale of provision)."""

    category: str
    studies: tuple[str, ...]
    scores: tuple[int, ...]
    ranks: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.studies)

    @property
    def mean_score(self) -> float:
        return mean(self.scores)

    @property
    def median_rank(self) -> float:
        return median(self.ranks)


@dataclass(frozen=True, slots=True)
class LinkAnalysis:
    """Score against one characteristic: one row per category, highest mean score first."""

    characteristic: str
    rows: tuple[LinkRow, ...]
    unscored: tuple[str, ...] = ()
    order: tuple[str, ...] = field(default=())


def competition_ranks(scores: Sequence[StudyScore]) -> dict[int, int]:
    """1-based ranks in score order, ties sharing the better rank ("1, 2, 2, 4")."""
    ranked = [s for s in reorder_by_score(scores) if s.score is not None]
    ranks: dict[int, int] = {}
    for position, study in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        if previous is not None and previous.score == study.score:
            ranks[study.record_id] = ranks[previous.record_id]
        else:
            ranks[study.record_id] = position
    return ranks


def link_analysis(
    characteristic: str,
    scores: Sequence[StudyScore],
    categories: Mapping[int, Sequence[str]],
    *,
    order: Sequence[str] = (),
) -> LinkAnalysis:
    """Group scored studies by the categories each has (a study may be in several).

    `order`, when given, is the categories' natural order (a scale of
    provision from pathway to whole system); otherwise rows run from the
    highest mean score down.
    """
    ranks = competition_ranks(scores)
    grouped: dict[str, list[StudyScore]] = {}
    unscored: list[str] = []
    for study in reorder_by_score(scores):
        if study.score is None:
            unscored.append(study.label)
            continue
        for category in categories.get(study.record_id, ()):
            grouped.setdefault(category, []).append(study)
    rows = [
        LinkRow(
            category=category,
            studies=tuple(s.label for s in members),
            scores=tuple(s.score for s in members if s.score is not None),
            ranks=tuple(ranks[s.record_id] for s in members),
        )
        for category, members in grouped.items()
    ]
    if order:
        position = {name.casefold(): i for i, name in enumerate(order)}
        rows.sort(
            key=lambda row: (position.get(row.category.casefold(), len(position)), row.category)
        )
    else:
        rows.sort(key=lambda row: (-row.mean_score, row.median_rank, row.category.casefold()))
    return LinkAnalysis(characteristic, tuple(rows), tuple(unscored), tuple(order))


# -- reading a scale file


_SCALE_KEYS = {"id", "name", "version", "credit", "source", "url", "note", "check"}
_LEVEL_KEYS = {"rank", "label", "definition", "source", "group", "optional", "check"}


def parse_scale(text: str, filename: str) -> Scale:
    """A scale from the text of its TOML file; any mistake is a `DataFileError` naming the line.

    Nothing is returned on error, so a half-read scale is never used.
    """
    try:
        data = tomllib.loads(text)
    # Also a number longer than int() reads (ValueError) and arrays or tables nested
    # thousands deep (RecursionError): found by fuzzing, issue 10.
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        found = re.search(r"at line (\d+)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise DataFileError(
            filename,
            f"this is not valid TOML ({reason})",
            line=int(found.group(1)) if found else None,
        ) from None
    lines = _Lines(text, filename)
    head = data.get("scale")
    if not isinstance(head, dict):
        raise DataFileError(filename, "there is no [scale] table naming the scale and its source")
    head_line = lines.table("scale")
    _no_unknown_keys(lines, head, _SCALE_KEYS, head_line, "the [scale] table")
    scale_id = _text(lines, head, "id", head_line, "the [scale] table")
    if not SCALE_ID.match(scale_id):
        raise DataFileError(
            filename,
            f"the scale id {scale_id!r} must be lower-case letters, digits and hyphens "
            "(at most 60), like 'tlap-ladder'",
            line=lines.key("id", head_line),
        )
    source = _text(lines, head, "source", head_line, "the [scale] table")
    raw_levels = data.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        raise DataFileError(
            filename, "the scale has no levels: add one [[levels]] table per level, bottom first"
        )
    levels = _levels(filename, lines, raw_levels, source)
    return Scale(
        id=scale_id,
        name=_text(lines, head, "name", head_line, "the [scale] table"),
        version=_text(lines, head, "version", head_line, "the [scale] table"),
        credit=_text(lines, head, "credit", head_line, "the [scale] table"),
        source=source,
        url=_text(lines, head, "url", head_line, "the [scale] table", required=False),
        note=_text(lines, head, "note", head_line, "the [scale] table", required=False),
        check=_flag(lines, head, "check", head_line),
        levels=levels,
        filename=filename,
    )


def _levels(
    filename: str, lines: _Lines, raw_levels: list[Any], default_source: str
) -> tuple[Level, ...]:
    levels: list[Level] = []
    starts = lines.array_tables("levels")
    seen_labels: dict[str, int] = {}
    for index, raw in enumerate(raw_levels):
        start = starts[index] if index < len(starts) else None
        where = f"level {index + 1}"
        if not isinstance(raw, dict):
            raise DataFileError(filename, f"{where} is not a [[levels]] table", line=start)
        _no_unknown_keys(lines, raw, _LEVEL_KEYS, start, where)
        rank = raw.get("rank")
        if not isinstance(rank, int) or isinstance(rank, bool):
            raise DataFileError(
                filename,
                f"{where} needs a whole-number rank",
                line=lines.key("rank", start) or start,
            )
        if rank != index + 1:
            raise DataFileError(
                filename,
                f"{where} has rank {rank}, but levels are listed bottom first with ranks "
                f"1, 2, 3 ... in order, so this one must be rank {index + 1}"
                + (" (a rank is repeated)" if any(lv.rank == rank for lv in levels) else ""),
                line=lines.key("rank", start) or start,
            )
        label = _text(lines, raw, "label", start, where)
        if label.casefold() in seen_labels:
            raise DataFileError(
                filename,
                f"the label {label!r} is used twice (levels {seen_labels[label.casefold()]} "
                f"and {rank}): each level needs its own",
                line=lines.key("label", start),
            )
        seen_labels[label.casefold()] = rank
        optional = _flag(lines, raw, "optional", start)
        if not optional and any(level.optional for level in levels):
            raise DataFileError(
                filename,
                f"{label!r} comes above an optional level: optional levels go at the top",
                line=start,
            )
        levels.append(
            Level(
                rank=rank,
                label=label,
                definition=_text(lines, raw, "definition", start, where),
                source=_text(lines, raw, "source", start, where, required=False) or default_source,
                group=_text(lines, raw, "group", start, where, required=False),
                optional=optional,
                check=_flag(lines, raw, "check", start),
            )
        )
    if all(level.optional for level in levels):
        raise DataFileError(filename, "every level is optional: a scale needs levels in use")
    return tuple(levels)


def _text(
    lines: _Lines,
    table: Mapping[str, Any],
    key: str,
    start: int | None,
    where: str,
    *,
    required: bool = True,
) -> str:
    value = table.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problem = "is missing" if value is None else "must be text in quotes"
        raise DataFileError(
            lines.filename, f"{key!r} in {where} {problem}", line=lines.key(key, start) or start
        )
    if required and not value.strip():
        raise DataFileError(
            lines.filename, f"{key!r} in {where} is empty", line=lines.key(key, start)
        )
    return value.strip()


def _flag(lines: _Lines, table: Mapping[str, Any], key: str, start: int | None) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise DataFileError(
            lines.filename, f"{key!r} must be true or false", line=lines.key(key, start) or start
        )
    return value


def _no_unknown_keys(
    lines: _Lines,
    table: Mapping[str, Any],
    known: set[str],
    start: int | None,
    where: str,
) -> None:
    for key in table:
        if key not in known:
            raise DataFileError(
                lines.filename,
                f"{where} has an unknown key {key!r} (known keys: {', '.join(sorted(known))})",
                line=lines.key(key, start) or start,
            )


class _Lines:
    """Where tables and keys are in a TOML text: tomllib gives no line for what it accepts."""

    def __init__(self, text: str, filename: str) -> None:
        self.lines = text.splitlines()
        self.filename = filename

    def table(self, name: str) -> int | None:
        pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number
        return None

    def array_tables(self, name: str) -> list[int]:
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        return [n for n, line in enumerate(self.lines, start=1) if pattern.match(line)]

    def key(self, key: str, start: int | None) -> int | None:
        """The line of `key = ...` in the table starting at line `start` (None: top level)."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range((start or 0) + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if line.lstrip().startswith("["):
                return None
            if pattern.match(line):
                return number
        return None
