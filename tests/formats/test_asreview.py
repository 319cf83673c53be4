"""The ASReview project reader on small project files built here (no real one is shared).

The layout follows ASReview LAB's own code (asreview/project.py and
asreview/state/sqlstate.py, versions 1 and 2): project.json, data/<dataset>,
reviews/<id>/results.sql (v1) or results.db (v2), and data_store.db (v2).
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import pytest

from cosynth.errors import ImportFileError
from cosynth.formats import archive
from cosynth.formats.asreview import AsreviewProjectReader
from cosynth.formats.base import Document, Entry
from cosynth.formats.registry import detect_reader
from tests.shared_data import imports_dir

READER = AsreviewProjectReader()

DATASET = (
    "record_id,title,abstract,included\n"
    "12,Caring at home,Unpaid carers,\n"
    "11,Hospital discharge,Older people,1\n"
    "10,Night sitting,Respite,\n"
)


def database(create: str, insert: str, rows: list[tuple[object, ...]]) -> bytes:
    """An SQLite database file's bytes, made in memory."""
    connection = sqlite3.connect(":memory:")
    connection.execute(create)
    connection.executemany(insert, rows)
    connection.commit()
    data = connection.serialize()
    connection.close()
    return data


def results_v1(rows: list[tuple[int, int | None]]) -> bytes:
    return database(
        "CREATE TABLE results (record_id INTEGER, label INTEGER, classifier TEXT, "
        "query_strategy TEXT, notes TEXT)",
        "INSERT INTO results (record_id, label) VALUES (?, ?)",
        list(rows),
    )


def project(members: dict[str, bytes | str], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            zipped.writestr(folder + name, data)
    return buffer.getvalue()


def v1_project(dataset: str = DATASET, **extra: bytes | str) -> bytes:
    config = {
        "version": "1.5",
        "id": "carers",
        "dataset_path": "carers.csv",
        "reviews": [{"id": "abc"}],
    }
    members: dict[str, bytes | str] = {
        "project.json": json.dumps(config),
        "data/carers.csv": dataset,
        "reviews/abc/results.sql": results_v1([(12, 1), (10, 0), (11, None)]),
    }
    members.update(extra)
    return project(members)


def read(data: bytes, name: str = "carers.asreview") -> list[Entry]:
    return list(READER.read(Document(name, data)))


def labels(entries: list[Entry]) -> list[tuple[str, bool | None]]:
    return [(e.citation.title, e.citation.label) for e in entries if e.citation is not None]


def test_it_applies_version_1_labels_by_record_id() -> None:
    entries = read(v1_project())
    assert labels(entries) == [
        ("Caring at home", True),
        # Pending in the results (label NULL): not decided, whatever the file said.
        ("Hospital discharge", None),
        ("Night sitting", False),
    ]
    # Lines and text are the dataset's own.
    assert [entry.line for entry in entries] == [2, 3, 4]
    assert entries[0].raw == "12,Caring at home,Unpaid carers,"
    assert entries[0].citation is not None
    assert entries[0].citation.source_id == "12"


def test_it_applies_version_1_labels_by_row_without_a_record_id_column() -> None:
    dataset = "title,abstract\nFirst,a\n\nSecond,b\nThird,c\n"
    config = {"version": "1.0", "dataset_path": "x.csv", "reviews": [{"id": "r1"}]}
    data = project(
        {
            "project.json": json.dumps(config),
            "data/x.csv": dataset,
            "reviews/r1/results.sql": results_v1([(0, 0), (2, 1)]),
        }
    )
    entries = read(data)
    # The blank line is skipped and, as in ASReview, not counted as a record.
    assert labels(entries) == [("First", False), ("Second", None), ("Third", True)]
    assert entries[1].skipped == "empty row"


def test_it_applies_version_2_labels_through_the_data_store() -> None:
    store = database(
        "CREATE TABLE record (record_id INTEGER PRIMARY KEY, dataset_row INTEGER, "
        "dataset_id TEXT, title TEXT)",
        "INSERT INTO record VALUES (?, ?, 'd1', ?)",
        [(1, 0, "Caring at home"), (2, 1, "Hospital discharge"), (3, 2, "Night sitting")],
    )
    results = database(
        "CREATE TABLE results (record_id INTEGER, label INTEGER, classifier TEXT, "
        "querier TEXT, time REAL, note TEXT, tags JSON, user_id INTEGER)",
        "INSERT INTO results (record_id, label) VALUES (?, ?)",
        [(3, 1), (1, 0)],
    )
    config = {
        "version": "2.0",
        "id": "carers",
        "datasets": [{"id": "d1", "name": "carers.csv"}],
        "reviews": [{"id": "r2", "status": "review"}],
    }
    data = project(
        {
            "project.json": json.dumps(config),
            "data/carers.csv": DATASET,
            "data_store.db": store,
            "reviews/r2/results.db": results,
        }
    )
    # Not in the results: the dataset's own label stands.
    assert labels(read(data)) == [
        ("Caring at home", False),
        ("Hospital discharge", True),
        ("Night sitting", True),
    ]


def test_it_reads_a_project_zipped_inside_its_folder() -> None:
    config = {"dataset_path": "carers.csv", "reviews": []}
    data = project({"project.json": json.dumps(config), "data/carers.csv": DATASET}, "carers/")
    # No review yet: the dataset's labels are all there is.
    assert labels(read(data, "carers.zip")) == [
        ("Caring at home", None),
        ("Hospital discharge", True),
        ("Night sitting", None),
    ]


def test_it_is_picked_by_auto_detection() -> None:
    assert detect_reader(Document("carers.asreview", v1_project())).name == "asreview"
    assert READER.sniff(Document("carers.zip", v1_project())) == 85


def test_it_reads_a_shared_dataset_inside_a_project() -> None:
    dataset = (imports_dir() / "asreview/generic_labels.csv").read_bytes()
    config = {"dataset_path": "generic_labels.csv", "reviews": [{"id": "abc"}]}
    data = project(
        {
            "project.json": json.dumps(config),
            "data/generic_labels.csv": dataset,
            "reviews/abc/results.sql": results_v1([(1, 1), (2, 0)]),
        }
    )
    entries = read(data)
    assert len(entries) == 6
    # Rows 1 and 2 (0-based) relabelled; the rest keep label_included.
    assert [label for _, label in labels(entries)] == [True, True, False, False, True, False]


def test_it_refuses_a_zip_that_is_not_a_project() -> None:
    data = project({"readme.txt": "hello", "data/x.csv": DATASET})
    assert READER.sniff(Document("x.zip", data)) == 0
    with pytest.raises(ImportFileError, match=r"no project\.json"):
        read(data, "x.zip")
    with pytest.raises(ImportFileError, match="ZIP archive"):
        detect_reader(Document("x.zip", data))


def test_it_refuses_a_dataset_path_outside_the_data_folder() -> None:
    config = {"dataset_path": "../../etc/passwd", "reviews": []}
    data = project({"project.json": json.dumps(config), "data/x.csv": DATASET})
    with pytest.raises(ImportFileError, match="unsafe dataset file"):
        read(data)


def test_it_refuses_members_that_unpack_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 64)
    with pytest.raises(ImportFileError, match="more than cosynth will unpack"):
        read(v1_project())


def test_it_refuses_a_review_without_results() -> None:
    config = {"dataset_path": "carers.csv", "reviews": [{"id": "old"}]}
    data = project(
        {
            "project.json": json.dumps(config),
            "data/carers.csv": DATASET,
            "reviews/old/state.h5": b"\x89HDF",
        }
    )
    with pytest.raises(ImportFileError, match="before version 1"):
        read(data)


def test_it_reports_a_damaged_results_database() -> None:
    with pytest.raises(ImportFileError, match="cannot be read"):
        read(v1_project(**{"reviews/abc/results.sql": b"not a database at all"}))


def test_it_reports_a_damaged_project_json() -> None:
    with pytest.raises(ImportFileError, match="not valid JSON"):
        read(v1_project(**{"project.json": "{broken"}))


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("data/x.csv", True),
        ("x.csv", True),
        ("../x.csv", False),
        ("data/../../x.csv", False),
        ("/etc/passwd", False),
        ("C:/x.csv", False),
        ("data\\x.csv", False),
        ("", False),
    ],
)
def test_it_checks_member_names(name: str, safe: bool) -> None:
    assert archive.safe_member_name(name) is safe
