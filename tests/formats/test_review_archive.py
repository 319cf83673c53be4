"""The review archive's file: written, read back the same, and refused when tampered with."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from cosynth.domain.archive import ReviewDump, TableDump
from cosynth.errors import ImportFileError
from cosynth.formats.review_archive import read_archive, read_manifest, write_archive

PDF = b"%PDF-1.4 a study's full text"


def a_dump() -> ReviewDump:
    return ReviewDump(
        schema_revision="0011",
        review_id=7,
        title="Co-production in integrated care",
        tables=(
            TableDump("reviews", ("id", "title"), ((7, "Co-production in integrated care"),)),
            TableDump(
                "reports",
                ("id", "content", "filename"),
                ((3, "files/reports/content/3.pdf", "study.pdf"),),
            ),
        ),
        files={"files/reports/content/3.pdf": PDF},
    )


def written() -> bytes:
    return write_archive(
        a_dump(),
        cosynth_version="0.1.0",
        created_at=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
        created_by="alice",
    )


def test_it_reads_back_what_it_wrote() -> None:
    manifest, dump = read_archive(written(), "review.cosynth")
    assert dump == a_dump()
    assert manifest.created_by == "alice" and manifest.cosynth_version == "0.1.0"
    assert manifest.row_counts == {"reviews": 1, "reports": 1}
    assert read_manifest(written(), "review.cosynth").review_title == manifest.review_title


def test_it_writes_the_same_bytes_for_the_same_review() -> None:
    assert written() == written()


def test_it_keeps_the_pdf_whole_as_a_member_of_its_own() -> None:
    with zipfile.ZipFile(io.BytesIO(written())) as archive:
        assert archive.read("files/reports/content/3.pdf") == PDF


def repacked(change) -> bytes:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(io.BytesIO(written())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_it_refuses_a_member_its_manifest_does_not_list() -> None:
    def smuggle(members: dict[str, bytes]) -> None:
        members["files/reports/content/4.pdf"] = PDF

    with pytest.raises(ImportFileError, match="manifest does not list"):
        read_archive(repacked(smuggle), "review.cosynth")


def test_it_refuses_a_changed_pdf() -> None:
    def swap(members: dict[str, bytes]) -> None:
        members["files/reports/content/3.pdf"] = b"%PDF-1.4 another text"

    with pytest.raises(ImportFileError, match="checksum does not match"):
        read_archive(repacked(swap), "review.cosynth")


def test_it_refuses_a_row_count_that_does_not_match_the_manifest() -> None:
    def add_row(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["tables"]["reviews"] = 2
        members["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(ImportFileError, match="holds 1 rows; the manifest says 2"):
        read_archive(repacked(add_row), "review.cosynth")


@pytest.mark.parametrize(
    ("manifest", "words"),
    [
        ({"format": "something else"}, "not a cosynth review archive"),
        ({"format": "cosynth review archive", "format_version": 0}, "format version 0"),
        ({"format": "cosynth review archive", "format_version": 9}, "archive format 9"),
        ({"format": "cosynth review archive", "format_version": 1}, "manifest is incomplete"),
    ],
)
def test_it_refuses_a_manifest_it_cannot_use(manifest: dict[str, object], words: str) -> None:
    def replace(members: dict[str, bytes]) -> None:
        members["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(ImportFileError, match=words):
        read_archive(repacked(replace), "review.cosynth")
