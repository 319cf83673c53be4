"""JSON exports: CSL-JSON (Zotero, Mendeley), OpenAlex works, Google Scholar (Publish or Perish).

Three shapes are read: an array of record objects; an object that wraps the
array (`{"results": [...]}` from OpenAlex, `{"message": {"items": [...]}}`
from Crossref); and JSON Lines, one object per line. Structured values are
flattened first (CSL `author` lists and `issued` date parts, OpenAlex
`authorships`, `abstract_inverted_index` and `primary_location`); the flat
keys are then recognised like CSV columns by `columns.ColumnMap`.

Each record's `line` is where its object starts: the file is walked with
`json.JSONDecoder.raw_decode`, which reports where every value ends.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator, Mapping
from typing import Any

from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.cells import Cell
from cosynth.formats.columns import ColumnMap

_DECODER = json.JSONDecoder()
# A record found: the line its value starts on, its text, and the value.
_Found = tuple[int, str, Any]
_SPACE = re.compile(r"[ \t\n\r]*")
# Keys under which APIs and exporters put the list of records.
_WRAPPERS = frozenset({"items", "results", "records", "data", "works", "references", "result"})
# Crossref: {"message": {"items": [...]}}; Europe PMC: {"resultList": {"result": [...]}}.
_NESTED = frozenset({"message", "resultlist"})
# Publish or Perish writes 0 where Google Scholar gave no volume, issue or page.
_ZERO_MEANS_NONE = frozenset({"volume", "issue", "startpage", "endpage", "page", "number"})
_JATS = re.compile(r"</?jats:[^>]*>")
_DATE_KEYS = ("issued", "published-print", "published-online", "published", "created")


class JsonReader:
    """Reads JSON record exports: CSL-JSON, OpenAlex, Crossref, Google Scholar, JSON Lines."""

    name = "json"
    label = "JSON records (CSL-JSON, OpenAlex, Google Scholar)"

    def sniff(self, doc: Document) -> int:
        head = doc.head.lstrip()
        if head.startswith("["):
            if not head[1:].lstrip().startswith(("{", "]")):
                return 0
        elif not (head.startswith("{") and head[1:].lstrip().startswith(('"', "}"))):
            return 0
        return 90 if doc.extension in ("json", "jsonl", "ndjson", "csljson") else 70

    def read(self, doc: Document) -> Iterator[Entry]:
        columns: dict[tuple[str, ...], ColumnMap] = {}
        for line, raw, value in _Walker(doc.text, doc.filename).records():
            if not isinstance(value, dict):
                kind = type(value).__name__
                yield Entry.skip(line, raw, f"this item is a JSON {kind}, not a record object")
                continue
            header, cells = _flatten(value)
            key = tuple(header)
            if key not in columns:
                columns[key] = ColumnMap(
                    header, options=doc.options, filename=doc.filename, line=line
                )
            citation = columns[key].citation(cells)
            if citation.is_empty:
                yield Entry.skip(
                    line, raw, "the record has no title, abstract, authors, DOI or PMID"
                )
            else:
                yield Entry(line=line, raw=raw, citation=citation)


class _Walker:
    """Finds the record objects in a JSON text, with the line each starts on."""

    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self._line = 1
        self._line_pos = 0

    def records(self) -> Iterator[_Found]:
        pos = self._skip(0)
        if pos >= len(self.text):
            raise ImportFileError(self.filename, "the file holds no JSON value")
        if self.text[pos] == "[":
            end = yield from self._array(pos)
        else:
            end = yield from self._top_object(pos)
        end = self._skip(end)
        while end < len(self.text):
            # JSON Lines: more objects follow the first one.
            value, after = self._decode(end)
            yield self._line_of(end), self.text[end:after], value
            end = self._skip(after)

    def _skip(self, pos: int) -> int:
        found = _SPACE.match(self.text, pos)
        assert found is not None  # the pattern matches the empty string
        return found.end()

    def _line_of(self, pos: int) -> int:
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def _decode(self, pos: int) -> tuple[Any, int]:
        try:
            return _DECODER.raw_decode(self.text, pos)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                self.filename,
                f"this is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                line=exc.lineno,
            ) from None
        except RecursionError:  # found by fuzzing (issue 10)
            raise ImportFileError(
                self.filename,
                "the JSON is nested thousands of levels deep, which no export is",
                line=self._line_of(pos),
            ) from None
        except ValueError as exc:  # a number longer than int() reads (found by fuzzing)
            raise ImportFileError(
                self.filename,
                f"this JSON holds a value cosynth cannot read ({exc})",
                line=self._line_of(pos),
            ) from None

    def _expect(self, pos: int, char: str) -> int:
        if self.text[pos : pos + 1] != char:
            # Let the decoder word the error and find its line and column.
            self._decode(pos)
            raise ImportFileError(self.filename, f"expected {char!r}", line=self._line_of(pos))
        return pos + 1

    def _array(self, pos: int) -> Generator[_Found, None, int]:
        """Yield the elements of the array at `pos`; return the position after it."""
        pos = self._skip(pos + 1)
        if self.text[pos : pos + 1] == "]":
            return pos + 1
        while True:
            value, end = self._decode(pos)
            yield self._line_of(pos), self.text[pos:end], value
            pos = self._skip(end)
            if self.text[pos : pos + 1] == "]":
                return pos + 1
            pos = self._skip(self._expect(pos, ","))

    def _top_object(self, pos: int) -> Generator[_Found, None, int]:
        """A wrapper object's record list, or the object itself as one record."""
        found = yield from self._wrapped(pos)
        if found is not None:
            return found
        value, end = self._decode(pos)
        yield self._line_of(pos), self.text[pos:end], value
        return end

    def _wrapped(self, pos: int) -> Generator[_Found, None, int | None]:
        """Yield the records under a wrapper key of the object at `pos`; its end, or None.

        Nothing is yielded when the object has no wrapper key holding an array.
        """
        text = self.text
        start = pos
        pos = self._skip(pos + 1)
        found = False
        while text[pos : pos + 1] != "}":
            key, pos = self._decode(pos)
            if not isinstance(key, str):
                self._decode(start)  # words the error: an object key must be a string
                # The decoder may read the object from its start without error when
                # this scan began inside something else (found by fuzzing, issue 10).
                raise ImportFileError(
                    self.filename,
                    "this is not valid JSON: an object's keys must be text in double quotes",
                    line=self._line_of(pos),
                )
            pos = self._skip(self._expect(self._skip(pos), ":"))
            nxt = text[pos : pos + 1]
            if key.lower() in _WRAPPERS and nxt == "[" and not found:
                pos = yield from self._array(pos)
                found = True
            elif key.lower() in _NESTED and nxt == "{" and not found:
                inner = yield from self._wrapped(pos)
                if inner is None:
                    _, pos = self._decode(pos)
                else:
                    pos, found = inner, True
            else:
                _, pos = self._decode(pos)
            pos = self._skip(pos)
            if text[pos : pos + 1] == ",":
                pos = self._skip(pos + 1)
            elif text[pos : pos + 1] != "}":
                self._expect(pos, "}")
        return pos + 1 if found else None


# Flattening one record ------------------------------------------------------


def _flatten(record: Mapping[str, Any]) -> tuple[list[str], list[Cell]]:
    """The record as column names and cells, structured values made flat."""
    header: list[str] = []
    cells: list[Cell] = []

    def put(name: str, cell: Cell) -> None:
        header.append(name)
        cells.append(cell)

    for key, value in record.items():
        special = _special(key, value, record)
        if special is not None:
            for name, cell in special:
                put(name, cell)
        elif isinstance(value, dict):
            for sub, inner in value.items():
                put(f"{key}.{sub}", _cell(f"{key}.{sub}", inner))
        else:
            put(key, _cell(key, value))
    return header, cells


def _special(key: str, value: Any, record: Mapping[str, Any]) -> list[tuple[str, Cell]] | None:
    """Cells for the structured keys CSL-JSON and OpenAlex use; None for any other key."""
    if key in ("author", "editor", "translator") and _is_people(value):
        return [(key, tuple(_csl_name(person) for person in value))]
    if key == "authorships" and isinstance(value, list):
        names = (
            item.get("author", {}).get("display_name") for item in value if isinstance(item, dict)
        )
        return [("authors", tuple(name for name in names if isinstance(name, str)))]
    if key in _DATE_KEYS and isinstance(value, dict):
        # The first date CSL and Crossref give is the publication year; every
        # date is also kept whole under its own key.
        cells: list[tuple[str, Cell]] = [(key, json.dumps(value, ensure_ascii=False))]
        first = next(name for name in _DATE_KEYS if isinstance(record.get(name), dict))
        return [("year", _date(value)), *cells] if key == first else cells
    if key == "abstract_inverted_index" and isinstance(value, dict):
        return [("abstract", _inverted_abstract(value))]
    if key == "abstract" and isinstance(value, str):
        return [("abstract", _JATS.sub(" ", value))]
    if key in ("primary_location", "host_venue") and isinstance(value, dict):
        return _location(key, value)
    if key == "keywords" and isinstance(value, list) and value and isinstance(value[0], dict):
        names = (item.get("display_name") or item.get("keyword") for item in value)
        return [("keywords", tuple(str(name) for name in names if name))]
    return None


def _is_people(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _csl_name(person: Mapping[str, Any]) -> str:
    """A CSL name object as "Surname, Given" (CSL-JSON schema: family, given, particles)."""
    if person.get("literal"):
        return str(person["literal"])
    family = " ".join(
        str(part) for part in (person.get("non-dropping-particle"), person.get("family")) if part
    )
    given = " ".join(
        str(part) for part in (person.get("given"), person.get("dropping-particle")) if part
    )
    name = f"{family}, {given}" if family and given else family or given
    suffix = person.get("suffix")
    return f"{name}, {suffix}" if suffix and name else name


def _date(value: Mapping[str, Any]) -> str:
    """The year of a CSL date (`{"date-parts": [[2020, 5]]}`), or its raw or literal text."""
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return str(parts[0][0])
    for key in ("raw", "literal", "season"):
        if value.get(key):
            return str(value[key])
    return ""


def _inverted_abstract(index: Mapping[str, Any]) -> str:
    """OpenAlex's `abstract_inverted_index` ({word: [positions]}) back into running text."""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        if isinstance(positions, list):
            for position in positions:
                if isinstance(position, int):
                    placed[position] = word
    return " ".join(placed[position] for position in sorted(placed))


def _location(key: str, value: Mapping[str, Any]) -> list[tuple[str, Cell]]:
    """OpenAlex's location: the journal (`source.display_name`) and the landing page."""
    source = value.get("source") if key == "primary_location" else value
    cells: list[tuple[str, Cell]] = []
    if isinstance(source, dict) and source.get("display_name"):
        cells.append(("journal", str(source["display_name"])))
        if source.get("issn_l"):
            cells.append(("issn", str(source["issn_l"])))
    if value.get("landing_page_url"):
        cells.append(("url", str(value["landing_page_url"])))
    cells.append((key, json.dumps(value, ensure_ascii=False)))
    return cells


def _cell(key: str, value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if value == 0 and key.rsplit(".", 1)[-1].lower() in _ZERO_MEANS_NONE:
            return ""
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return tuple(str(item) for item in value)
    return json.dumps(value, ensure_ascii=False)
