"""Extraction files: the form as TOML, an extractor's values as TOML or CSV, and the exports.

A form file reads like this (one `[[fields]]` table per question; a
repeating group lists its sub-fields as `[[fields.subfields]]`):

    title = "Data extraction form"

    [[fields]]
    key = "country"
    label = "Country where the study took place"
    kind = "country"
    required = true

    [[fields]]
    key = "model"
    label = "Co-production model"
    kind = "multiple_choice"
    choices = ["co-design", "co-delivery", "peer support"]

A values file holds one study's values. In TOML, `field = value`, a list
for a multiple choice and `[[group]]` tables for a repeating group's
entries. In CSV, two columns `field,value`; choices separated by ";"; a
group's sub-field written `group[1].sub`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cosynth.domain.extraction import (
    ExtractionForm,
    FormField,
    check_form,
    field_from_data,
    field_to_data,
    form_problems,
    format_value,
)
from cosynth.domain.quotes import Quote
from cosynth.errors import DataFileError, InputError

_FORM_KEYS = frozenset({"title", "fields"})
_FIELD_KEYS = frozenset(
    {"key", "label", "kind", "help", "required", "choices", "subfields", "proposed_by"}
)
_TOML_LINE = re.compile(r"at line (\d+)")


# The form as TOML


def read_form(text: str, filename: str) -> ExtractionForm:
    """A form from TOML, checked whole; every mistake is named with its line."""
    data = _toml(text, filename)
    unknown = sorted(set(data) - _FORM_KEYS)
    if unknown:
        raise DataFileError(
            filename,
            f"{unknown[0]!r} is not a setting of a form (a form has a title and [[fields]])",
            line=_line_of(text, rf"^\s*{re.escape(unknown[0])}\s*="),
        )
    raw_fields = data.get("fields", [])
    if not isinstance(raw_fields, list):
        raise DataFileError(filename, "'fields' must be [[fields]] tables, one per question")
    fields = []
    for number, raw in enumerate(raw_fields, start=1):
        fields.append(_read_field(raw, text, filename, number=number, parent=None))
    title = data.get("title", "Data extraction form")
    form = ExtractionForm(fields=tuple(fields), title=str(title))
    problems = form_problems(form)
    if problems:
        first = problems[0]
        others = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        where = f"field {first.key!r}: " if first.key else ""
        raise DataFileError(
            filename, f"{where}{first.message}{others}", line=_field_line(text, first.key)
        )
    return form


def _read_field(
    raw: object, text: str, filename: str, *, number: int, parent: str | None
) -> FormField:
    what = f"sub-field {number} of {parent!r}" if parent else f"field {number}"
    if not isinstance(raw, dict):
        raise DataFileError(filename, f"{what} is not a table of settings")
    key = str(raw.get("key", ""))
    line = _field_line(text, f"{parent}.{key}" if parent else key) if key else None
    unknown = sorted(set(raw) - _FIELD_KEYS)
    if unknown:
        known = ", ".join(sorted(_FIELD_KEYS))
        raise DataFileError(
            filename,
            f"{what} ({key or 'no key'}): {unknown[0]!r} is not a setting of a field "
            f"(the settings are {known})",
            line=line,
        )
    if not key:
        raise DataFileError(filename, f'{what} has no key (e.g. key = "sample_size")')
    for name in ("choices", "subfields"):
        if name in raw and not isinstance(raw[name], list):
            raise DataFileError(filename, f"field {key!r}: {name!r} must be a list", line=line)
    subfields = [
        _read_field(sub, text, filename, number=index, parent=key)
        for index, sub in enumerate(raw.get("subfields", []), start=1)
    ]
    try:
        f = field_from_data({**raw, "subfields": []})
    except InputError as exc:  # an unknown kind: point at its line
        kind_line = _line_of(text, r"^\s*kind\s*=", after=line) if line else None
        raise DataFileError(filename, exc.message, line=kind_line or line) from None
    return FormField(
        key=f.key,
        label=f.label,
        kind=f.kind,
        help=f.help,
        required=f.required,
        choices=f.choices,
        fields=tuple(subfields),
        proposed_by=f.proposed_by,
    )


def write_form(form: ExtractionForm) -> str:
    """The form as TOML that `read_form` reads back to the same form."""
    check_form(form)
    lines = [f"# cosynth extraction form, version {form.version}" if form.version else ""]
    lines = [line for line in lines if line]
    lines.append(f"title = {_string(form.title)}")
    for f in form.fields:
        lines.append("")
        lines.append("[[fields]]")
        lines.extend(_field_lines(field_to_data(f)))
        for sub in f.fields:
            lines.append("")
            lines.append("[[fields.subfields]]")
            lines.extend(_field_lines(field_to_data(sub)))
    return "\n".join(lines) + "\n"


def _field_lines(data: Mapping[str, Any]) -> list[str]:
    lines = []
    for name in ("key", "label", "kind", "help", "required", "choices", "proposed_by"):
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, bool):
            lines.append(f"{name} = {'true' if value else 'false'}")
        elif isinstance(value, list):
            lines.append(f"{name} = [{', '.join(_string(str(item)) for item in value)}]")
        else:
            lines.append(f"{name} = {_string(str(value))}")
    return lines


def _string(text: str) -> str:
    # A JSON string is a TOML basic string, except that TOML also forbids DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml(text: str, filename: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    # Also a number longer than int() reads (ValueError) and arrays or tables nested
    # thousands deep (RecursionError): found by fuzzing, issue 10.
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        found = _TOML_LINE.search(str(exc))
        raise DataFileError(
            filename,
            f"this is not valid TOML ({str(exc).split(' (at ')[0]})",
            line=int(found.group(1)) if found else None,
        ) from None


def _field_line(text: str, key: str) -> int | None:
    """The line that sets `key = "..."` for a field ("group.sub" for a sub-field)."""
    if not key:
        return None
    parent, _, sub = key.rpartition(".")
    after = _line_of(text, rf"^\s*key\s*=\s*[\"']{re.escape(parent)}[\"']") if parent else 1
    return _line_of(text, rf"^\s*key\s*=\s*[\"']{re.escape(sub)}[\"']", after=after or 1)


def _line_of(text: str, pattern: str, *, after: int = 1) -> int | None:
    compiled = re.compile(pattern)
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= after and compiled.search(line):
            return number
    return None


# One study's values, from TOML or CSV

# At most nine digits: int() refuses a number thousands of digits long (found by fuzzing).
_GROUP_CELL = re.compile(r"^([a-z][a-z0-9_]*)\[(\d{1,9})\]\.([a-z][a-z0-9_]*)$")


def read_values(data: bytes, filename: str) -> dict[str, object]:
    """Field key -> value as written, from a .toml or .csv file of one study's values."""
    text = _decode(data, filename)
    if filename.lower().endswith(".toml"):
        return dict(_toml(text, filename))
    if filename.lower().endswith(".csv"):
        return _csv_values(text, filename)
    raise DataFileError(filename, "values are read from a .toml or a .csv file")


def _decode(data: bytes, filename: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(
            filename, "the file is not UTF-8 text: save it as UTF-8 (CSV UTF-8 in Excel)", line=line
        ) from None


def _csv_values(text: str, filename: str) -> dict[str, object]:
    # newline="": the csv module reads line breaks itself, a lone "\r" included; without
    # it a stray carriage return raised csv.Error (found by fuzzing, issue 10).
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise DataFileError(
            filename, f"this is not a CSV file cosynth can read ({exc})", line=reader.line_num
        ) from None
    if not rows:
        raise DataFileError(filename, "the file is empty; it needs the columns field,value")
    header = [cell.strip().lower() for cell in rows[0]]
    if "field" not in header or "value" not in header:
        raise DataFileError(filename, "the first row must name the columns: field,value", line=1)
    at_field, at_value = header.index("field"), header.index("value")
    values: dict[str, object] = {}
    groups: dict[str, dict[int, dict[str, str]]] = {}
    seen: dict[str, int] = {}
    line = 1
    for row in rows[1:]:
        line += 1
        if not any(cell.strip() for cell in row):
            continue
        name = row[at_field].strip() if at_field < len(row) else ""
        value = row[at_value] if at_value < len(row) else ""
        if not name:
            raise DataFileError(filename, "this row names no field", line=line)
        if name in seen:
            raise DataFileError(
                filename,
                f"{name!r} is given twice (first on line {seen[name]}); separate several "
                "choices with ';' in one cell",
                line=line,
            )
        seen[name] = line
        grouped = _GROUP_CELL.match(name)
        if grouped is not None:
            group, index, sub = grouped.group(1), int(grouped.group(2)), grouped.group(3)
            if group in values:
                raise DataFileError(filename, f"{group!r} is given whole and by entry", line=line)
            groups.setdefault(group, {}).setdefault(index, {})[sub] = value
        else:
            if name in groups:
                raise DataFileError(filename, f"{name!r} is given whole and by entry", line=line)
            values[name] = value
    for group, entries in groups.items():
        values[group] = [entries[index] for index in sorted(entries)]
    return values


# Exports


def write_consensus_csv(
    form: ExtractionForm,
    rows: Iterable[tuple[int, str, Mapping[str, Any]]],
) -> str:
    """One row per study (record id, label), one column per field, the consensus values.

    A field without a consensus yet is left blank and named in the last
    column, so a blank never passes for "not reported".
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["record_id", "study", *form.keys, "without_consensus"])
    for record_id, label, values in rows:
        cells = []
        open_fields = []
        for f in form.fields:
            if f.key in values:
                cells.append(_safe(format_value(f, values[f.key])))
            else:
                cells.append("")
                open_fields.append(f.key)
        writer.writerow([record_id, _safe(label), *cells, "; ".join(open_fields)])
    return out.getvalue()


QUOTE_COLUMNS: Sequence[str] = (
    "quote_id",
    "record_id",
    "study",
    "citation",
    "kind",
    "text",
    "page",
    "pdf_page",
    "report_id",
    "verified",
    "start",
    "end_page",
    "end",
    "note",
    "added_by",
    "added_at",
)


def write_quotes_csv(quotes: Iterable[Quote]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(QUOTE_COLUMNS)
    for quote in quotes:
        where = quote.location
        writer.writerow(
            [
                quote.id,
                quote.record_id,
                _safe(quote.study_label),
                _safe(quote.citation),
                quote.kind.value,
                _safe(quote.text),
                _safe(quote.page_label),
                quote.page_number if quote.page_number is not None else "",
                quote.report_id if quote.report_id is not None else "",
                "yes" if quote.verified else "no",
                where.start if where else "",
                where.end_page if where else "",
                where.end if where else "",
                _safe(quote.note),
                quote.added_by,
                quote.added_at.isoformat(),
            ]
        )
    return out.getvalue()


# OWASP, "CSV Injection": a cell starting with =, +, -, @, tab or carriage
# return is run as a formula by spreadsheets; a leading apostrophe makes it
# text. Numbers (a negative figure) are left as they are.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _safe(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text
