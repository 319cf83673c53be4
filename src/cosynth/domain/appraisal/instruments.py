"""Appraisal instruments as data: answer scales, items, and a suggested scoring rule.

An instrument is never hard-coded (DESIGN.md rule 6): it is a versioned TOML
file that cites its source and licence. `instrument_from_dict` checks the
table a TOML reader made of the file and builds an `Instrument`, or raises
`InstrumentDataError` naming the key at fault, so that the reader can name
the file and line. What could not be confirmed against the primary source is
said in a `check` note beside it (METHODS.md marks these "(check)").

The layout of a file (format 1)::

    format = 1
    id = "tapupas"                 # letters, digits, '-', '_', '.'
    name = "TAPUPAS"               # the short name reasons use
    title = "..."
    version = "1"                  # this file's version: bump it when an item changes
    check = "..."                  # optional: what is not confirmed

    [source]
    citation = "..."
    url = "..."
    licence = "..."

    [[scales]]
    id = "met"
    answers = [
      { id = "yes", label = "Met", points = 1 },       # `meets` defaults to
      { id = "no", label = "Not met", points = 0 },    # "earns the most points"
    ]

    [[items]]
    id = "T"
    label = "Transparency"
    prompt = "Is it open to scrutiny?"
    critical = false               # optional
    screening = false              # optional: a screening question (CASP Q1-2)
    free_text = false              # optional: answered in words, never scored (CASP Q10)
    scale = "met"                  # optional when the file has one scale

    [scoring]                      # optional: a suggested rule the protocol starts from
    rule = "sum"                   # or "all-critical"
    threshold = 7
    points = { yes = 1 }           # optional: points per answer, overriding the scales'
    critical = ["T"]               # optional: the critical items, overriding the flags
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from cosynth.errors import InputError

FORMAT = 1
MAX_ID = 100
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")

Path = tuple[str | int, ...]


class InstrumentDataError(InputError):
    """An instrument's table is wrong at `path` (keys and list indexes from the top).

    `value` is the offending value where there is one, to find its line.
    """

    def __init__(self, problem: str, path: Path, value: object = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path = path
        self.value = value


class Rule(StrEnum):
    """How a study's answers decide whether it meets the review's bar (JBI manual, ch. 2)."""

    SUM = "sum"
    ALL_CRITICAL = "all-critical"

    @property
    def words(self) -> str:
        return "score at or above the threshold" if self is Rule.SUM else "all critical items met"


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    label: str
    points: int
    # Whether the answer counts as the item being met (for the all-critical
    # rule and for screening questions).
    meets: bool


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    answers: tuple[Answer, ...]
    check: str = ""

    def answer(self, given: str) -> Answer | None:
        """The answer `given` names, by id or label, ignoring case, spaces and apostrophes."""
        wanted = _fold(given)
        for answer in self.answers:
            if wanted in (_fold(answer.id), _fold(answer.label)):
                return answer
        return None

    @property
    def words(self) -> str:
        return ", ".join(f"{a.label} ({a.id})" for a in self.answers)


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    label: str
    prompt: str = ""
    scale: str = ""
    critical: bool = False
    screening: bool = False
    check: str = ""

    @property
    def free_text(self) -> bool:
        """Answered in words only (CASP Q10): never scored, never compared."""
        return not self.scale


@dataclass(frozen=True, slots=True)
class SuggestedScoring:
    """The scoring rule a file suggests; a review's protocol starts from it and may change it."""

    rule: Rule
    threshold: int | None = None
    points: tuple[tuple[str, int], ...] = ()
    critical: tuple[str, ...] | None = None
    check: str = ""


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name: str
    title: str
    version: str
    citation: str
    licence: str
    url: str
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    scoring: SuggestedScoring | None = None
    check: str = ""

    def item(self, item_id: str) -> Item | None:
        """The item called `item_id`, matched without regard to case."""
        wanted = item_id.strip().casefold()
        for item in self.items:
            if item.id.casefold() == wanted:
                return item
        return None

    def scale_of(self, item: Item) -> Scale | None:
        for scale in self.scales:
            if scale.id == item.scale:
                return scale
        return None

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.free_text)

    @property
    def answer_ids(self) -> frozenset[str]:
        return frozenset(answer.id for scale in self.scales for answer in scale.answers)


def _fold(text: str) -> str:
    return re.sub(r"[\s'’_\-]+", "", text).casefold()


# -- reading a parsed TOML table

_TOP = frozenset(
    {"format", "id", "name", "title", "version", "check", "source", "scales", "items", "scoring"}
)
_SOURCE = frozenset({"citation", "url", "licence", "check"})
_SCALE = frozenset({"id", "answers", "check"})
_ANSWER = frozenset({"id", "label", "points", "meets"})
_ITEM = frozenset({"id", "label", "prompt", "scale", "critical", "screening", "free_text", "check"})
_SCORING = frozenset({"rule", "threshold", "points", "critical", "check"})


def instrument_from_dict(data: Mapping[str, Any]) -> Instrument:
    """Check a parsed instrument file and build the instrument, or say what is wrong and where."""
    _keys(data, _TOP, ())
    version_of_format = data.get("format", FORMAT)
    if version_of_format != FORMAT:
        raise InstrumentDataError(
            f"the file is in format {version_of_format!r}, and this cosynth reads format {FORMAT}",
            ("format",),
            version_of_format,
        )
    source = _table(data, "source", ())
    _keys(source, _SOURCE, ("source",))
    scales = _scales(data)
    items = _items(data, scales)
    instrument = Instrument(
        id=_identifier(data, "id", ()),
        name=_text(data, "name", ()),
        title=_text(data, "title", (), required=False) or _text(data, "name", ()),
        version=_short(data, "version", ()),
        citation=_text(source, "citation", ("source",)),
        licence=_text(source, "licence", ("source",)),
        url=_text(source, "url", ("source",), required=False),
        scales=scales,
        items=items,
        check=_joined_checks(data, source),
    )
    if "scoring" in data:
        scoring = _scoring(data["scoring"], instrument)
        instrument = replace(instrument, scoring=scoring)
    return instrument


def _joined_checks(data: Mapping[str, Any], source: Mapping[str, Any]) -> str:
    parts = [
        _text(data, "check", (), required=False),
        _text(source, "check", ("source",), required=False),
    ]
    return " ".join(part for part in parts if part)


def _scales(data: Mapping[str, Any]) -> tuple[Scale, ...]:
    raw = _list(data, "scales", ())
    if not raw:
        raise InstrumentDataError("the file has no [[scales]]: give at least one", ("scales",))
    scales: list[Scale] = []
    for i, table in enumerate(raw):
        path: Path = ("scales", i)
        if not isinstance(table, Mapping):
            raise InstrumentDataError("each scale must be a table", path)
        _keys(table, _SCALE, path)
        scale_id = _identifier(table, "id", path)
        if any(s.id == scale_id for s in scales):
            raise InstrumentDataError(
                f'the scale id "{scale_id}" is used twice', (*path, "id"), scale_id
            )
        scales.append(
            Scale(
                id=scale_id,
                answers=_answers(table, path),
                check=_text(table, "check", path, required=False),
            )
        )
    return tuple(scales)


def _answers(scale: Mapping[str, Any], path: Path) -> tuple[Answer, ...]:
    raw = _list(scale, "answers", path)
    if len(raw) < 2:
        raise InstrumentDataError(
            "a scale needs at least two answers", (*path, "answers"), scale.get("id")
        )
    parsed: list[tuple[str, str, int, bool | None]] = []
    for i, table in enumerate(raw):
        where: Path = (*path, "answers", i)
        if not isinstance(table, Mapping):
            raise InstrumentDataError("each answer must be a table: { id, label, points }", where)
        _keys(table, _ANSWER, where)
        answer_id = _identifier(table, "id", where)
        if any(answer_id == seen[0] for seen in parsed):
            raise InstrumentDataError(
                f'the answer id "{answer_id}" is used twice in this scale',
                (*where, "id"),
                answer_id,
            )
        meets = table.get("meets")
        if meets is not None and not isinstance(meets, bool):
            raise InstrumentDataError("meets must be true or false", (*where, "meets"), meets)
        parsed.append(
            (answer_id, _text(table, "label", where), _integer(table, "points", where), meets)
        )
    top = max(points for _, _, points, _ in parsed)
    return tuple(
        Answer(
            id=answer_id,
            label=label,
            points=points,
            meets=meets if meets is not None else (points == top and points > 0),
        )
        for answer_id, label, points, meets in parsed
    )


def _items(data: Mapping[str, Any], scales: tuple[Scale, ...]) -> tuple[Item, ...]:
    raw = _list(data, "items", ())
    if not raw:
        raise InstrumentDataError("the file has no [[items]]: give at least one", ("items",))
    items: list[Item] = []
    for i, table in enumerate(raw):
        path: Path = ("items", i)
        if not isinstance(table, Mapping):
            raise InstrumentDataError("each item must be a table", path)
        _keys(table, _ITEM, path)
        if "id" not in table:
            raise InstrumentDataError(f"item {i + 1} has no id: give each item an id", path)
        item_id = _identifier(table, "id", path)
        if any(item.id.casefold() == item_id.casefold() for item in items):
            raise InstrumentDataError(
                f'the item id "{item_id}" is used twice: item ids must be unique',
                (*path, "id"),
                item_id,
            )
        free_text = _flag(table, "free_text", path)
        scale_id = _text(table, "scale", path, required=False)
        if free_text:
            if scale_id:
                raise InstrumentDataError(
                    f'item "{item_id}" is free text, so it takes no scale',
                    (*path, "scale"),
                    scale_id,
                )
        elif not scale_id:
            if len(scales) > 1:
                raise InstrumentDataError(
                    f'item "{item_id}" needs a scale: the file has several '
                    f"({', '.join(s.id for s in scales)})",
                    path,
                )
            scale_id = scales[0].id
        elif all(s.id != scale_id for s in scales):
            raise InstrumentDataError(
                f'item "{item_id}" uses the scale "{scale_id}", which the file does not define '
                f"(scales: {', '.join(s.id for s in scales)})",
                (*path, "scale"),
                scale_id,
            )
        critical = _flag(table, "critical", path)
        screening = _flag(table, "screening", path)
        if free_text and (critical or screening):
            raise InstrumentDataError(
                f'item "{item_id}" is free text, so it cannot be critical or a screening question',
                (*path, "free_text"),
                True,
            )
        items.append(
            Item(
                id=item_id,
                label=_text(table, "label", path),
                prompt=_text(table, "prompt", path, required=False),
                scale="" if free_text else scale_id,
                critical=critical,
                screening=screening,
                check=_text(table, "check", path, required=False),
            )
        )
    if all(item.free_text for item in items):
        raise InstrumentDataError(
            "every item is free text: at least one must have a scale", ("items",)
        )
    return tuple(items)


def _scoring(raw: object, instrument: Instrument) -> SuggestedScoring:
    path: Path = ("scoring",)
    if not isinstance(raw, Mapping):
        raise InstrumentDataError("scoring must be a table: [scoring]", path)
    _keys(raw, _SCORING, path)
    given_rule = _text(raw, "rule", path)
    try:
        rule = Rule(given_rule)
    except ValueError:
        raise InstrumentDataError(
            f'the rule "{given_rule}" is not one cosynth knows: use "sum" or "all-critical"',
            (*path, "rule"),
            given_rule,
        ) from None
    points = _points(raw, instrument, path)
    critical = _critical(raw, instrument, path)
    threshold = raw.get("threshold")
    if threshold is not None:
        threshold = _integer(raw, "threshold", path)
        top = highest_score(instrument, dict(points))
        if not 0 <= threshold <= top:
            raise InstrumentDataError(
                f"the threshold {threshold} is outside the scores this instrument can give "
                f"(0 to {top})",
                (*path, "threshold"),
                threshold,
            )
    elif rule is Rule.SUM:
        raise InstrumentDataError(
            'the rule "sum" needs a threshold: the lowest score that meets the bar', path
        )
    flagged = (
        critical if critical is not None else tuple(i.id for i in instrument.items if i.critical)
    )
    if rule is Rule.ALL_CRITICAL and not flagged:
        raise InstrumentDataError(
            'the rule "all-critical" needs at least one critical item', (*path, "rule"), given_rule
        )
    return SuggestedScoring(
        rule=rule,
        threshold=threshold,
        points=points,
        critical=critical,
        check=_text(raw, "check", path, required=False),
    )


def _points(
    raw: Mapping[str, Any], instrument: Instrument, path: Path
) -> tuple[tuple[str, int], ...]:
    table = raw.get("points", {})
    if not isinstance(table, Mapping):
        raise InstrumentDataError(
            "points must be a table of answer = points, e.g. { yes = 1 }", (*path, "points")
        )
    known = instrument.answer_ids
    for answer_id, value in table.items():
        if answer_id not in known:
            raise InstrumentDataError(
                f'points are given for the answer "{answer_id}", which is on none of the '
                f"file's scales (answers: {', '.join(sorted(known))})",
                (*path, "points", answer_id),
                value,
            )
        _integer(table, answer_id, (*path, "points"))
    return tuple((str(k), int(v)) for k, v in table.items())


def _critical(raw: Mapping[str, Any], instrument: Instrument, path: Path) -> tuple[str, ...] | None:
    if "critical" not in raw:
        return None
    listed = _list(raw, "critical", path)
    found: list[str] = []
    for i, item_id in enumerate(listed):
        item = instrument.item(item_id) if isinstance(item_id, str) else None
        if item is None:
            raise InstrumentDataError(
                f'the critical item "{item_id}" is not an item of this instrument '
                f"(items: {', '.join(i.id for i in instrument.items)})",
                (*path, "critical", i),
                item_id,
            )
        if item.free_text:
            raise InstrumentDataError(
                f'the item "{item.id}" is free text, so it cannot be critical',
                (*path, "critical", i),
                item_id,
            )
        found.append(item.id)
    return tuple(found)


def highest_score(instrument: Instrument, points: Mapping[str, int]) -> int:
    """The most a study can score: each scored item's best answer, with `points` overriding."""
    total = 0
    for item in instrument.scored_items:
        scale = instrument.scale_of(item)
        if scale is not None:
            total += max(points.get(a.id, a.points) for a in scale.answers)
    return total


# -- small typed readers of one key


def _keys(table: Mapping[str, Any], allowed: frozenset[str], path: Path) -> None:
    for key in table:
        if key not in allowed:
            raise InstrumentDataError(
                f'"{key}" is not a key cosynth knows here (known: {", ".join(sorted(allowed))})',
                (*path, key),
            )


def _table(data: Mapping[str, Any], key: str, path: Path) -> Mapping[str, Any]:
    found = data.get(key)
    if not isinstance(found, Mapping):
        raise InstrumentDataError(f"the file needs a [{key}] table", (*path, key))
    return found


def _list(data: Mapping[str, Any], key: str, path: Path) -> list[Any]:
    found = data.get(key, [])
    if not isinstance(found, list):
        raise InstrumentDataError(f"{key} must be a list", (*path, key))
    return found


def _text(data: Mapping[str, Any], key: str, path: Path, *, required: bool = True) -> str:
    found = data.get(key)
    if found is None:
        if required:
            raise InstrumentDataError(f'"{key}" is missing: it is required here', path)
        return ""
    if not isinstance(found, str):
        raise InstrumentDataError(f'"{key}" must be text in quotes', (*path, key), found)
    text = " ".join(found.split())
    if required and not text:
        raise InstrumentDataError(f'"{key}" cannot be empty', (*path, key), found)
    return text


def _short(data: Mapping[str, Any], key: str, path: Path) -> str:
    found = _text(data, key, path)
    if len(found) > MAX_ID:
        raise InstrumentDataError(
            f'"{key}" can be at most {MAX_ID} characters', (*path, key), data.get(key)
        )
    return found


def _identifier(data: Mapping[str, Any], key: str, path: Path) -> str:
    found = _text(data, key, path)
    if len(found) > MAX_ID or not _ID.fullmatch(found):
        raise InstrumentDataError(
            f'"{found}" cannot be an id: use letters, digits, "-", "_" or "." '
            f"(at most {MAX_ID} characters, no spaces)",
            (*path, key),
            found,
        )
    return found


def _integer(data: Mapping[str, Any], key: str, path: Path) -> int:
    found = data.get(key)
    if isinstance(found, bool) or not isinstance(found, int):
        raise InstrumentDataError(f'"{key}" must be a whole number', (*path, key), found)
    if not 0 <= found <= 1000:
        raise InstrumentDataError(
            f'"{key}" must be between 0 and 1000; {found} was given', (*path, key), found
        )
    return found


def _flag(data: Mapping[str, Any], key: str, path: Path) -> bool:
    found = data.get(key, False)
    if not isinstance(found, bool):
        raise InstrumentDataError(f'"{key}" must be true or false', (*path, key), found)
    return found
