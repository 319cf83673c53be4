"""The data-extraction form as data, and the values two extractors enter on it.

The paper's extraction tool was "designed by co-authors and CAG members" and
used by two extractors (Methods, Data extraction). So the form is data: the
lead designs it, advisers comment on its fields and propose new ones, and
every saved change is a new version. A value is validated against the
version it was entered with, so changing the form never makes old values
wrong after the fact.

Values are plain: a string for one answer (numbers, dates and countries in
one canonical spelling, so that two extractors who wrote "12" and "12.0"
agree), a tuple of strings for a multiple choice, and a tuple of entries
(sub-field key -> value) for a repeating group. An empty string or tuple is
"not reported".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cosynth.domain.countries import country_name, similar_countries
from cosynth.errors import InputError

# How many people extract each study: the paper's two (SC, RI).
EXTRACTORS_REQUIRED = 2

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_KEY_LENGTH = 60
MAX_LABEL_LENGTH = 300


class FieldKind(StrEnum):
    """What a field holds. The values are the words used in form files."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    COUNTRY = "country"
    YES_NO_UNCLEAR = "yes_no_unclear"
    GROUP = "group"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def has_choices(self) -> bool:
        return self in (FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE)


_KIND_LABELS = {
    FieldKind.TEXT: "text",
    FieldKind.LONG_TEXT: "long text",
    FieldKind.NUMBER: "number",
    FieldKind.DATE: "date",
    FieldKind.SINGLE_CHOICE: "single choice",
    FieldKind.MULTIPLE_CHOICE: "multiple choice",
    FieldKind.COUNTRY: "country",
    FieldKind.YES_NO_UNCLEAR: "yes / no / unclear",
    FieldKind.GROUP: "repeating group",
}

YES_NO_UNCLEAR = ("yes", "no", "unclear")

Simple = str | tuple[str, ...]
Entry = Mapping[str, Simple]
Value = str | tuple[str, ...] | tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of the form. A repeating group holds `fields` (its sub-fields).

    `proposed_by` credits the person whose proposal the field came from
    (an adviser, in the paper's co-designed tool).
    """

    key: str
    label: str
    kind: FieldKind
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: tuple[FormField, ...] = ()
    proposed_by: str = ""

    def subfield(self, key: str) -> FormField | None:
        return next((sub for sub in self.fields if sub.key == key), None)


@dataclass(frozen=True, slots=True)
class ExtractionForm:
    """A version of a review's form. `version` 0 is a form not saved yet."""

    fields: tuple[FormField, ...]
    title: str = "Data extraction form"
    version: int = 0
    saved_at: datetime | None = None
    saved_by: str = ""
    note: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def find(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)

    def field(self, key: str) -> FormField:
        """The field with `key`, or an error that lists the form's fields."""
        found = self.find(key)
        if found is None:
            raise InputError(
                f"The extraction form (version {self.version}) has no field {key!r}. "
                f"Its fields are: {', '.join(self.keys) or '(none)'}."
            )
        return found

    def same_fields(self, other: ExtractionForm) -> bool:
        return (self.title, self.fields) == (other.title, other.fields)


# Checking a form


@dataclass(frozen=True, slots=True)
class FormProblem:
    """One thing wrong with a form: the field key it is about ("" for the form) and what."""

    key: str
    message: str


def form_problems(form: ExtractionForm) -> list[FormProblem]:
    """Everything wrong with a form, in the order of its fields."""
    problems: list[FormProblem] = []
    if not form.title.strip():
        problems.append(FormProblem("", "the form has no title"))
    if not form.fields:
        problems.append(FormProblem("", "the form has no fields"))
    problems.extend(_fields_problems(form.fields, inside=None))
    return problems


def check_form(form: ExtractionForm) -> None:
    """Raise `InputError` naming every problem of the form, if it has any."""
    problems = form_problems(form)
    if problems:
        raise InputError(
            "The extraction form cannot be saved: "
            + "; ".join(_described(problem) for problem in problems)
            + "."
        )


def _described(problem: FormProblem) -> str:
    return f"field {problem.key!r}: {problem.message}" if problem.key else problem.message


def _fields_problems(fields: Sequence[FormField], *, inside: FormField | None) -> list[FormProblem]:
    problems: list[FormProblem] = []
    seen: set[str] = set()
    for f in fields:
        key = f"{inside.key}.{f.key}" if inside is not None else f.key
        for message in _field_problems(f, inside=inside):
            problems.append(FormProblem(key, message))
        if f.key in seen:
            problems.append(FormProblem(key, "this key is used by another field; keys are unique"))
        seen.add(f.key)
        if f.kind is FieldKind.GROUP and inside is None:
            problems.extend(_fields_problems(f.fields, inside=f))
    return problems


def _field_problems(f: FormField, *, inside: FormField | None) -> list[str]:
    problems = []
    if not _KEY.match(f.key) or len(f.key) > MAX_KEY_LENGTH:
        problems.append(
            "a key is lower-case letters, digits and underscores, starting with a letter "
            f"(at most {MAX_KEY_LENGTH} characters), e.g. 'sample_size'"
        )
    if not f.label.strip():
        problems.append("it has no label (the question people see)")
    elif len(f.label) > MAX_LABEL_LENGTH:
        problems.append(f"its label is longer than {MAX_LABEL_LENGTH} characters")
    if f.kind.has_choices:
        problems.extend(_choice_problems(f.choices))
    elif f.choices:
        problems.append(f"a {f.kind.label} field has no choices; only choice fields do")
    if f.kind is FieldKind.GROUP:
        if inside is not None:
            problems.append("a repeating group cannot hold another repeating group")
        elif not f.fields:
            problems.append("a repeating group needs at least one sub-field")
    elif f.fields:
        problems.append(f"a {f.kind.label} field has no sub-fields; only repeating groups do")
    return problems


def _choice_problems(choices: Sequence[str]) -> list[str]:
    if len(choices) < 2:
        return ["a choice field needs at least two choices"]
    problems = []
    if any(not choice.strip() for choice in choices):
        problems.append("one of its choices is empty")
    if any(";" in choice for choice in choices):
        problems.append("a choice may not contain ';' (it separates choices in CSV files)")
    folded = [choice.strip().casefold() for choice in choices]
    if len(set(folded)) != len(folded):
        problems.append("two of its choices are the same")
    return problems


# Changing a form


def with_field(form: ExtractionForm, new: FormField) -> ExtractionForm:
    """The form with `new` in place of the field with its key, or added at the end."""
    if form.find(new.key) is None:
        return replace(form, fields=(*form.fields, new))
    return replace(form, fields=tuple(new if f.key == new.key else f for f in form.fields))


# Values


def parse_value(f: FormField, raw: object, *, where: str = "") -> Value:
    """A value as typed (or read from a file), checked and put in canonical form.

    `raw` is a string, a list of strings (multiple choice) or a list of
    mappings (repeating group); numbers, dates and booleans read from a file
    are taken as their text. An error names the field and says what is wrong.
    """
    name = where or f"Field {f.key!r} ({f.label})"
    if f.kind is FieldKind.GROUP:
        return _parse_group(f, raw, name)
    if f.kind is FieldKind.MULTIPLE_CHOICE:
        return _parse_multiple(f, raw, name)
    text = _as_text(raw, name)
    if not text:
        return ""
    match f.kind:
        case FieldKind.TEXT:
            return " ".join(text.split())
        case FieldKind.LONG_TEXT:
            return text
        case FieldKind.NUMBER:
            return _parse_number(text, name)
        case FieldKind.DATE:
            return _parse_date(text, name)
        case FieldKind.SINGLE_CHOICE:
            return _choose(f.choices, text, name)
        case FieldKind.YES_NO_UNCLEAR:
            return _choose(YES_NO_UNCLEAR, text, name)
        case FieldKind.COUNTRY:
            return _parse_country(text, name)
    raise AssertionError(f.kind)  # pragma: no cover - every kind is matched above


def is_empty(value: Value) -> bool:
    return value in ("", ())


def empty_value(f: FormField) -> Value:
    return () if f.kind in (FieldKind.MULTIPLE_CHOICE, FieldKind.GROUP) else ""


def missing_required(form: ExtractionForm, values: Mapping[str, Value]) -> list[str]:
    """The required fields (and required sub-fields of group entries) left empty, as labels."""
    missing = []
    for f in form.fields:
        value = values.get(f.key, empty_value(f))
        if f.required and is_empty(value):
            missing.append(f.label)
        if f.kind is FieldKind.GROUP and isinstance(value, tuple):
            for number, entry in enumerate(value, start=1):
                if not isinstance(entry, Mapping):
                    continue
                for sub in f.fields:
                    if sub.required and is_empty(entry.get(sub.key, empty_value(sub))):
                        missing.append(f"{f.label}, entry {number}: {sub.label}")
    return missing


def value_to_data(value: Value) -> Any:
    """The value as JSON-ready data (lists and dicts)."""
    if isinstance(value, str):
        return value
    return [dict(item) if isinstance(item, Mapping) else item for item in value]


def value_from_data(data: Any) -> Value:
    """A stored value back as a `Value` (it was checked when it was entered)."""
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    if all(isinstance(item, str) for item in data):
        return tuple(data)
    return tuple(
        {
            str(key): tuple(str(v) for v in item) if isinstance(item, list) else str(item)
            for key, item in dict(entry).items()
        }
        for entry in data
    )


def format_value(f: FormField, value: Value) -> str:
    """A value as one line of text, for tables and CSV cells."""
    if isinstance(value, str):
        return value
    if f.kind is FieldKind.MULTIPLE_CHOICE:
        return "; ".join(str(item) for item in value)
    lines = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, Mapping):
            continue
        parts = []
        for sub in f.fields:
            item = entry.get(sub.key, "")
            text = item if isinstance(item, str) else ", ".join(item)
            if text:
                parts.append(f"{sub.label}: {text}")
        lines.append(f"{number}. " + "; ".join(parts))
    return " | ".join(lines)


def _as_text(raw: object, name: str) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, datetime):
        raise InputError(f"{name}: give a date without a time (YYYY-MM-DD), not {raw}.")
    if isinstance(raw, int | float | Decimal | date):
        return str(raw.isoformat() if isinstance(raw, date) else raw)
    if isinstance(raw, str):
        return raw.strip()
    raise InputError(f"{name}: expected one value, got {_shown(raw)}.")


def _shown(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 80 else text[:77] + "..."


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _parse_number(text: str, name: str) -> str:
    cleaned = text.replace(" ", "")
    if _NUMBER.match(cleaned):
        number = Decimal(cleaned)
        # "12", "12.0" and "1.2e1" are one number: keep one spelling so two
        # extractors who wrote them agree.
        canonical = format(number.normalize(), "f")
        return "0" if canonical in ("-0", "+0") else canonical
    hint = ""
    if re.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", cleaned):
        hint = f" Write it without thousands separators: {cleaned.replace(',', '')}."
    elif "," in cleaned and re.match(r"^[+-]?\d+,\d+$", cleaned):
        hint = f" Use a point for decimals: {cleaned.replace(',', '.')}."
    else:
        hint = " Give the figure only (put words such as 'about' or units in a note)."
    raise InputError(f"{name}: {text!r} is not a number.{hint}")


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _parse_date(text: str, name: str) -> str:
    """A date as YYYY-MM-DD, or YYYY-MM or YYYY when a study gives no more."""
    found = _ISO_DATE.match(text)
    how = "write dates as YYYY-MM-DD (or YYYY-MM, or YYYY when the study gives no more)"
    if found is None:
        slashed = _SLASHED.match(text)
        if slashed is not None:
            day, month, year = (int(part) for part in slashed.groups())
            problem = _impossible(year, month, day)
            if problem:
                raise InputError(f"{name}: {text!r} is not a real date ({problem}); {how}.")
        raise InputError(
            f"{name}: {text!r} is not a date cosynth can read: {how}, e.g. 2020-02-28."
        )
    year_text, month_text, day_text = found.groups()
    year = int(year_text)
    if month_text is None:
        return year_text
    month = int(month_text)
    if not 1 <= month <= 12:
        raise InputError(f"{name}: {text!r} is not a real date (there is no month {month}); {how}.")
    if day_text is None:
        return f"{year_text}-{month_text}"
    problem = _impossible(year, month, int(day_text))
    if problem:
        raise InputError(f"{name}: {text!r} is not a real date ({problem}); {how}.")
    return f"{year_text}-{month_text}-{day_text}"


def _impossible(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    try:
        date(year, month, day)
    except ValueError:
        return f"there is no {day} {_MONTHS[month - 1]} {year}"
    return ""


def _choose(choices: Sequence[str], text: str, name: str) -> str:
    for choice in choices:
        if choice.strip().casefold() == text.casefold():
            return choice
    listed = ", ".join(repr(choice) for choice in choices)
    raise InputError(f"{name}: {text!r} is not one of its choices ({listed}).")


def _parse_multiple(f: FormField, raw: object, name: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        items = [part.strip() for part in raw.split(";")]
    elif isinstance(raw, list | tuple):
        items = [_as_text(item, name) for item in raw]
    else:
        raise InputError(f"{name}: expected choices separated by ';', got {_shown(raw)}.")
    chosen = {_choose(f.choices, item, name) for item in items if item}
    # In the form's order, so that two extractors who chose the same agree.
    return tuple(choice for choice in f.choices if choice in chosen)


def _parse_country(text: str, name: str) -> str:
    found = country_name(text)
    if found is not None:
        return found
    similar = similar_countries(text)
    hint = f" Did you mean {' or '.join(repr(s) for s in similar)}?" if similar else ""
    raise InputError(
        f"{name}: {text!r} is not a country cosynth knows (ISO 3166 names or codes, "
        f"e.g. 'United Kingdom', 'GB', or a UK nation such as 'England').{hint}"
    )


def _parse_group(f: FormField, raw: object, name: str) -> tuple[Entry, ...]:
    if raw is None or raw == "":
        return ()
    if isinstance(raw, Mapping):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        raise InputError(f"{name}: a repeating group takes entries, each with its sub-fields.")
    entries: list[Entry] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise InputError(f"{name}, entry {number}: expected sub-fields, got {_shown(item)}.")
        entry: dict[str, Simple] = {}
        for key, sub_raw in item.items():
            sub = f.subfield(str(key))
            if sub is None:
                known = ", ".join(sub.key for sub in f.fields)
                raise InputError(
                    f"{name}, entry {number}: there is no sub-field {key!r} (it has: {known})."
                )
            where = f"Field {f.key!r} ({f.label}), entry {number}, {sub.key!r} ({sub.label})"
            parsed = parse_value(sub, sub_raw, where=where)
            assert isinstance(parsed, str | tuple)
            if not is_empty(parsed):
                entry[sub.key] = parsed  # type: ignore[assignment]
        if entry:
            entries.append(entry)
    return tuple(entries)


# Comparing two extractors


class ConsensusMethod(StrEnum):
    AGREED = "both extractors agreed"
    DECIDED = "decided by the lead"


@dataclass(frozen=True, slots=True)
class ExtractedValue:
    """One extractor's current value for one field of one study."""

    record_id: int
    field_key: str
    extractor: str
    value: Value
    form_version: int
    entered_at: datetime


@dataclass(frozen=True, slots=True)
class Consensus:
    """The value a field of a study takes in the review, who settled it, and when."""

    record_id: int
    field_key: str
    value: Value
    method: ConsensusMethod
    decided_by: tuple[str, ...]
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class FieldComparison:
    """One field of one study: each visible extractor's value, side by side, and the consensus."""

    field: FormField
    values: tuple[tuple[str, Value], ...]
    consensus: Consensus | None = None

    @property
    def differs(self) -> bool:
        """True when the extractors shown gave different values (empty counts as a value)."""
        distinct = [value for _, value in self.values]
        return any(value != distinct[0] for value in distinct[1:])


@dataclass(frozen=True, slots=True)
class StudyExtraction:
    """A study's extraction as the person asking may see it.

    `hidden` names extractors whose values are not shown yet (blinding);
    `done_by` who has marked the study done.
    """

    record_id: int
    label: str
    extractors: tuple[str, ...]
    done_by: tuple[str, ...]
    hidden: tuple[str, ...]
    fields: tuple[FieldComparison, ...] = field(default=())

    @property
    def differing(self) -> tuple[FieldComparison, ...]:
        return tuple(f for f in self.fields if f.differs)

    @property
    def complete(self) -> bool:
        """Both extractors have marked the study done."""
        return len(self.done_by) >= EXTRACTORS_REQUIRED


def may_see(viewer: str, extractor: str, *, lead: bool, done_by: Iterable[str]) -> bool:
    """Blinding, as at screening: another's values show once both have marked the study done.

    The lead sees everything; everyone sees their own values.
    """
    done = set(done_by)
    return lead or viewer == extractor or (viewer in done and extractor in done)


def agreed_value(values: Sequence[Value]) -> Value | None:
    """The value every extractor gave, when at least two gave the same; else None."""
    if len(values) < EXTRACTORS_REQUIRED:
        return None
    first = values[0]
    return first if all(value == first for value in values[1:]) else None


# Forms as plain data (for the store and for files)


def form_to_data(form: ExtractionForm) -> dict[str, Any]:
    return {"title": form.title, "fields": [field_to_data(f) for f in form.fields]}


def field_to_data(f: FormField) -> dict[str, Any]:
    data: dict[str, Any] = {"key": f.key, "label": f.label, "kind": f.kind.value}
    if f.help:
        data["help"] = f.help
    if f.required:
        data["required"] = True
    if f.choices:
        data["choices"] = list(f.choices)
    if f.fields:
        data["subfields"] = [field_to_data(sub) for sub in f.fields]
    if f.proposed_by:
        data["proposed_by"] = f.proposed_by
    return data


def form_from_data(
    data: Mapping[str, Any],
    *,
    version: int = 0,
    saved_at: datetime | None = None,
    saved_by: str = "",
    note: str = "",
) -> ExtractionForm:
    return ExtractionForm(
        title=str(data.get("title", "")),
        fields=tuple(field_from_data(f) for f in data.get("fields", ())),
        version=version,
        saved_at=saved_at,
        saved_by=saved_by,
        note=note,
    )


def field_from_data(data: Mapping[str, Any]) -> FormField:
    """A field from plain data; an unknown kind is an `InputError` listing the kinds."""
    kind_text = str(data.get("kind", "")).strip().replace(" ", "_").replace("-", "_").lower()
    try:
        kind = FieldKind(_KIND_ALIASES.get(kind_text, kind_text))
    except ValueError:
        kinds = ", ".join(kind.value for kind in FieldKind)
        raise InputError(
            f"field {data.get('key', '?')!r}: {data.get('kind')!r} is not a kind of field; "
            f"the kinds are {kinds}."
        ) from None
    return FormField(
        key=str(data.get("key", "")).strip(),
        label=str(data.get("label", "")).strip(),
        kind=kind,
        help=str(data.get("help", "")).strip(),
        required=bool(data.get("required", False)),
        choices=tuple(str(choice).strip() for choice in data.get("choices", ())),
        fields=tuple(field_from_data(sub) for sub in data.get("subfields", ())),
        proposed_by=str(data.get("proposed_by", "")),
    )


_KIND_ALIASES = {
    "long": "long_text",
    "longtext": "long_text",
    "choice": "single_choice",
    "choices": "multiple_choice",
    "yes_no": "yes_no_unclear",
    "yes/no/unclear": "yes_no_unclear",
    "repeating_group": "group",
}


# Advisers' comments and proposals


class FeedbackKind(StrEnum):
    COMMENT = "comment"
    NEW_FIELD = "new field"
    CHANGED_FIELD = "changed field"


@dataclass(frozen=True, slots=True)
class FeedbackDecision:
    """The lead's answer to a proposal: accepted into `form_version`, or declined with a reason."""

    accepted: bool
    reason: str
    form_version: int | None
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class FormFeedback:
    """A comment on a field, or a proposed new or changed field, on form version `form_version`."""

    id: int
    kind: FeedbackKind
    field_key: str
    text: str
    proposed: FormField | None
    form_version: int
    by: str
    at: datetime
    decision: FeedbackDecision | None = None

    @property
    def open(self) -> bool:
        """A proposal the lead has not answered yet (comments are never open)."""
        return self.kind is not FeedbackKind.COMMENT and self.decision is None
