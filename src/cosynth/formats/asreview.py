"""ASReview LAB project files (`.asreview`): the dataset inside, with its screening labels.

An `.asreview` file is a ZIP of the project folder (ASReview LAB source,
`asreview/project.py` and `asreview/state/sqlstate.py`, versions 1 and 2):

- `project.json`: the configuration. Version 1 names the dataset in
  `dataset_path`; version 2 in `datasets[0].name`. Both list the reviews in
  `reviews[].id`.
- `data/<file>`: the dataset as uploaded (CSV, TSV, Excel, RIS, ...).
- `reviews/<id>/results.sql` (v1) or `results.db` (v2): SQLite with a
  `results` table of `record_id` and `label` (1 relevant, 0 irrelevant,
  NULL not yet decided).
- `data_store.db` (v2 only): SQLite whose `record` table maps each
  `record_id` to its `dataset_row`, the 0-based record number in the file.

In version 1, `record_id` is the dataset's own `record_id` column where it
has one, else the 0-based record number. The dataset is read with the reader
`detect_reader` picks for it, so entries keep that file's lines and text; the
label from the results replaces any label the dataset carried.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cosynth.errors import ImportFileError
from cosynth.formats.archive import ZIP_ERRORS, open_zip, read_member, safe_member_name
from cosynth.formats.base import Document, Entry, Reader
from cosynth.formats.columns import normalise
from cosynth.formats.registry import detect_reader
from cosynth.formats.tabular import EMPTY_ROW

_RESULTS = ("results.db", "results.sql")  # ASReview LAB 2, then 1


@dataclass(frozen=True, slots=True)
class _Labels:
    """Screening labels keyed by record number (`by_row`) or by `record_id` (`by_id`)."""

    by_row: Mapping[int, bool | None]
    by_id: Mapping[str, bool | None]


class AsreviewProjectReader:
    """Reads ASReview LAB project exports (`.asreview`, versions 1 and 2)."""

    name = "asreview"
    label = "ASReview LAB project"

    def sniff(self, doc: Document) -> int:
        if not doc.data.startswith(b"PK\x03\x04"):
            return 0
        try:
            with zipfile.ZipFile(io.BytesIO(doc.data)) as archive:
                root = _project_root(archive.namelist())
        except ZIP_ERRORS:
            return 0
        if root is None:
            return 0
        return 95 if doc.extension == "asreview" else 85

    def read(self, doc: Document) -> Iterator[Entry]:
        dataset, labels = _unpack(doc)
        reader = detect_reader(dataset)
        if reader.name == self.name:
            raise ImportFileError(doc.filename, "the project's dataset is itself a project file")
        if labels.by_id and not _has_record_id_column(dataset, reader):
            # Version 1 numbered records by position when there was no record_id column.
            labels = _Labels(by_row={int(k): v for k, v in labels.by_id.items()}, by_id={})
        yield from _labelled(reader.read(dataset), labels)


def _unpack(doc: Document) -> tuple[Document, _Labels]:
    """The dataset inside the project as a Document, and the labels of its first review."""
    with open_zip(doc.data, doc.filename) as archive:
        names = archive.namelist()
        root = _project_root(names)
        if root is None:
            raise ImportFileError(
                doc.filename,
                "this ZIP archive holds no project.json, so it is not an ASReview project "
                "file; export the project again from ASReview LAB",
            )
        config = _config(read_member(archive, f"{root}project.json", doc.filename), doc.filename)
        data_name = _dataset_name(config, names, root, doc.filename)
        data = read_member(archive, f"{root}data/{data_name}", doc.filename)
        labels = _labels(archive, names, root, config, doc.filename)
    return Document(data_name, data, options=doc.options), labels


def _project_root(names: list[str]) -> str | None:
    """The folder holding project.json: the archive root or one folder down."""
    if "project.json" in names:
        return ""
    for name in names:
        parts = name.split("/")
        if len(parts) == 2 and parts[1] == "project.json" and safe_member_name(name):
            return f"{parts[0]}/"
    return None


def _config(data: bytes, filename: str) -> dict[str, Any]:
    try:
        config = json.loads(data.decode("utf-8-sig"))
    # ValueError: a number too long for int(); RecursionError: nesting thousands deep.
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise ImportFileError(
            filename, f"the project's project.json is not valid JSON ({exc})"
        ) from None
    if not isinstance(config, dict):
        raise ImportFileError(filename, "the project's project.json is not a JSON object")
    return config


def _dataset_name(config: Mapping[str, Any], names: list[str], root: str, filename: str) -> str:
    """The dataset's file name under data/, as project.json gives it (v2, then v1)."""
    datasets = config.get("datasets")
    name: Any = None
    if isinstance(datasets, list) and datasets and isinstance(datasets[0], dict):
        name = datasets[0].get("name")
    name = name or config.get("dataset_path")
    if not name:
        # No name recorded: the one file in data/ is the dataset.
        files = [n for n in names if n.startswith(f"{root}data/") and not n.endswith("/")]
        if len(files) != 1:
            raise ImportFileError(
                filename,
                "the project names no dataset and its data folder does not hold exactly one file",
            )
        name = files[0][len(f"{root}data/") :]
    if not isinstance(name, str) or "/" in name or not safe_member_name(name):
        raise ImportFileError(filename, f"the project names an unsafe dataset file {name!r}")
    return name


def _labels(
    archive: zipfile.ZipFile, names: list[str], root: str, config: Mapping[str, Any], filename: str
) -> _Labels:
    review = _review_folder(names, root, config)
    if review is None:
        return _Labels(by_row={}, by_id={})  # nothing screened yet
    for results_name in _RESULTS:
        member = f"{review}{results_name}"
        if member in names:
            rows = _query(
                read_member(archive, member, filename),
                "SELECT record_id, label FROM results",
                filename,
                member,
            )
            return _keyed(rows, archive, names, root, filename)
    raise ImportFileError(
        filename,
        f"the review folder {review!r} holds no results.sql or results.db; projects from "
        "ASReview before version 1 cannot be read: open the project in ASReview LAB 1 or 2 "
        "and export it again",
    )


def _review_folder(names: list[str], root: str, config: Mapping[str, Any]) -> str | None:
    reviews = config.get("reviews")
    if isinstance(reviews, list) and reviews and isinstance(reviews[0], dict):
        review_id = reviews[0].get("id")
        if isinstance(review_id, str) and "/" not in review_id and safe_member_name(review_id):
            return f"{root}reviews/{review_id}/"
    prefix = f"{root}reviews/"
    folders = sorted(
        {name[len(prefix) :].split("/", 1)[0] for name in names if name.startswith(prefix)} - {""}
    )
    return f"{prefix}{folders[0]}/" if folders else None


def _keyed(
    rows: list[tuple[Any, ...]],
    archive: zipfile.ZipFile,
    names: list[str],
    root: str,
    filename: str,
) -> _Labels:
    """Labels keyed by record number (v2, through data_store.db) or by record_id (v1)."""
    labels = {str(record_id): _label(label) for record_id, label in rows if record_id is not None}
    store = f"{root}data_store.db"
    if store not in names:
        return _Labels(by_row={}, by_id=labels)
    mapping = _query(
        read_member(archive, store, filename),
        "SELECT record_id, dataset_row FROM record",
        filename,
        store,
    )
    by_row = {
        int(row): labels[str(record_id)]
        for record_id, row in mapping
        if row is not None and str(record_id) in labels
    }
    return _Labels(by_row=by_row, by_id={})


def _label(value: Any) -> bool | None:
    if value in (1, "1"):
        return True
    if value in (0, "0"):
        return False
    return None


def _query(data: bytes, sql: str, filename: str, member: str) -> list[tuple[Any, ...]]:
    """Run one SELECT on an SQLite database held in memory (never written to disk)."""
    if not data:
        # sqlite3 cannot deserialize nothing: it reports MemoryError (found by fuzzing).
        raise ImportFileError(filename, f"the project's database {member!r} is empty")
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        # The database comes from an upload: no schema-defined functions, no writes.
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA query_only = ON")
        return connection.execute(sql).fetchall()
    except sqlite3.Error as exc:
        raise ImportFileError(
            filename, f"the project's database {member!r} cannot be read ({exc})"
        ) from None
    finally:
        connection.close()


def _has_record_id_column(dataset: Document, reader: Reader) -> bool:
    """True when a tabular dataset has a record_id column (ASReview v1 keys labels by it)."""
    if reader.name != "csv":
        return False
    first = dataset.text.lstrip("\n").split("\n", 1)[0]
    for delimiter in ("\t", ";", ","):
        if any(normalise(cell) == "recordid" for cell in first.split(delimiter)):
            return True
    return False


def _labelled(entries: Iterator[Entry], labels: _Labels) -> Iterator[Entry]:
    row = 0
    for entry in entries:
        if entry.skipped == EMPTY_ROW:
            # ASReview (pandas) does not count blank lines as records.
            yield entry
            continue
        yield _with_label(entry, labels, row)
        row += 1


def _with_label(entry: Entry, labels: _Labels, row: int) -> Entry:
    citation = entry.citation
    if citation is None:
        return entry
    if labels.by_id:
        label = labels.by_id.get(citation.source_id, citation.label)
    else:
        label = labels.by_row.get(row, citation.label)
    if label is citation.label:
        return entry
    return Entry(entry.line, entry.raw, citation.with_changes(label=label))
