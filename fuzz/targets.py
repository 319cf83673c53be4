"""Every file reader cosynth has, as a fuzz target: bytes in, only cosynth's own errors out.

Issue 10 ("Bad input, fuzzed"): whatever a person uploads, a reader either
returns what it read or raises a `CosynthError` subclass with a plain message;
any other exception (or a hang) is a bug. The same targets serve the
hypothesis tests in tests/fuzz/ (a bounded number of examples, in the suite)
and the coverage-guided atheris harnesses in fuzz/fuzz_<target>.py (minutes
each, outside the suite; see fuzz/run.py).

Each target calls the reader the way the product does (services/imports.py,
roundtables.py, prisma.py, extraction.py, appraisal.py, archive.py,
coproduction.py) and reads every record, since most readers are generators.
Seeds are small real files: the shared exports (../shared/data/imports), the
test data (tests/data) and the product's own TOML files, plus files built
here for the formats no shared file covers (EndNote XML, Word, Excel, an
ASReview project, a review archive).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from cosynth.domain.archive import ReviewDump, TableDump
from cosynth.domain.backup import StoreDump
from cosynth.domain.coproduction import parse_scale
from cosynth.errors import CosynthError
from cosynth.formats.answer_sheets import read_answer_sheet
from cosynth.formats.backup import read_backup, write_backup
from cosynth.formats.base import Document, Reader
from cosynth.formats.checklists import read_checklist
from cosynth.formats.extraction import read_form, read_values
from cosynth.formats.frameworks import read_framework
from cosynth.formats.instruments import read_instrument
from cosynth.formats.prisma_csv import read_flow_csv
from cosynth.formats.registry import detect_reader, readers
from cosynth.formats.review_archive import read_archive, write_archive
from cosynth.formats.transcripts import read_transcript

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "cosynth"
# Seeds larger than this are left out: mutations of small files reach the same code faster.
MAX_SEED_BYTES = 24_000


@dataclass(frozen=True)
class Target:
    """One reader to fuzz: `run` reads the bytes whole, `seeds` are valid files to mutate."""

    name: str
    run: Callable[[bytes], None]
    seeds: Callable[[], list[bytes]]


# The errors a reader may raise: cosynth's own, nothing else.
ALLOWED = (CosynthError,)


def shared_imports() -> Path | None:
    configured = os.environ.get("COSYNTH_SHARED_DATA")
    data = Path(configured) if configured else REPO.parent / "shared" / "data"
    return data / "imports" if (data / "imports").is_dir() else None


def _files(folder: Path | None, *suffixes: str, limit: int = 8) -> list[bytes]:
    """Up to `limit` small files under `folder` whose names end in one of `suffixes`."""
    if folder is None or not folder.is_dir():
        return []
    found = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.name.lower().endswith(suffixes)
        and path.stat().st_size <= MAX_SEED_BYTES
    )
    return [path.read_bytes() for path in found[:limit]]


# -- bibliographic readers (the `cosynth.readers` plugins)


def _read_with(reader_name: str, filename: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        reader: Reader = readers()[reader_name]
        doc = Document(filename, data)
        reader.sniff(doc)
        for _ in reader.read(doc):
            pass

    return run


def _detect_and_read(data: bytes) -> None:
    """What `cosynth import` does with a file of unknown format: pick a reader, read it."""
    doc = Document("upload.txt", data)
    for _ in detect_reader(doc).read(doc):
        pass


ENDNOTE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" ?><xml><records><record>'
    b'<database name="Review.enl" path="C:\\Review.enl">Review.enl</database>'
    b'<ref-type name="Journal Article">17</ref-type>'
    b"<contributors><authors>"
    b'<author><style face="normal" font="default" size="100%">Brinjikji, W.</style></author>'
    b"<author>Pereira, V. M.</author></authors></contributors>"
    b'<titles><title><style face="normal" font="default" size="100%">Impact of </style>'
    b'<style face="italic" font="default" size="100%">balloon guide</style> &amp; risks</title>'
    b"<secondary-title>J Neurointerv Surg</secondary-title></titles>"
    b"<periodical><full-title>J Neurointerv Surg</full-title></periodical>"
    b"<pages>1-8</pages><volume>9</volume><number>2</number>"
    b"<keywords><keyword>Stroke</keyword><keyword>Thrombectomy</keyword></keywords>"
    b"<dates><year>2017</year></dates><isbn>1759-8478</isbn>"
    b"<accession-num>27183933</accession-num>"
    b"<electronic-resource-num>10.1136/neurintsurg-2016-012345</electronic-resource-num>"
    b"<abstract>Background&#xD;Methods</abstract>"
    b"<urls><related-urls><url>https://pubmed.ncbi.nlm.nih.gov/27183933</url></related-urls></urls>"
    b"<remote-database-name>PubMed</remote-database-name></record><record>"
    b"<titles><title>Caring at home</title></titles><dates><year>2020</year></dates>"
    b"</record></records></xml>"
)


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sqlite(create: str, insert: str, rows: list[tuple[object, ...]]) -> bytes:
    connection = sqlite3.connect(":memory:")
    connection.execute(create)
    connection.executemany(insert, rows)
    connection.commit()
    data = connection.serialize()
    connection.close()
    return data


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


def _asreview_project() -> bytes:
    """A version 1 ASReview LAB project (the layout tests/formats/test_asreview.py follows)."""
    config: dict[str, object] = {"version": "1.5", "id": "carers", "dataset_path": "carers.csv"}
    config["reviews"] = [{"id": "abc"}]
    results = _sqlite(
        "CREATE TABLE results (record_id INTEGER, label INTEGER, classifier TEXT, "
        "query_strategy TEXT, notes TEXT)",
        "INSERT INTO results (record_id, label) VALUES (?, ?)",
        [(12, 1), (10, 0), (11, None)],
    )
    return _zip(
        {
            "project.json": json.dumps(config),
            "data/carers.csv": "record_id,title,abstract,included\n"
            "12,Caring at home,Unpaid carers,\n11,Hospital discharge,Older people,1\n",
            "reviews/abc/results.sql": results,
        }
    )


def _bibliographic_seeds(
    *suffixes: str, built: tuple[bytes, ...] = (), limit: int = 8
) -> Callable[[], list[bytes]]:
    def seeds() -> list[bytes]:
        return [
            *built,
            *_files(shared_imports(), *suffixes, limit=limit),
            *_files(PACKAGE / "samples", *suffixes, limit=limit),
        ]

    return seeds


# -- the transcript importer (roundtables): plain text, WebVTT, Word


def _transcript(filename: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        read_transcript(filename, data)

    return run


def _docx_transcript() -> bytes:
    from docx import Document as WordDocument

    document = WordDocument()
    document.add_paragraph("CAG roundtable, 14 March 2023")
    paragraph = document.add_paragraph()
    paragraph.add_run("Sam:").bold = True
    paragraph.add_run(" Thank you all for coming.")
    document.add_paragraph("Priya: Can I ask first what you mean by co-production?")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Ruth"
    table.rows[0].cells[1].text = "Most studies sit at co-design on the ladder."
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- the data files a team writes: instruments, checklists, frameworks, scales, forms


def _utf8_then(read: Callable[[str], object]) -> Callable[[bytes], None]:
    """Readers that take text: the CLI and web decode UTF-8 first (a failure there is theirs)."""

    def run(data: bytes) -> None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return
        read(text)

    return run


def _bytes_then(read: Callable[[bytes, str], object], filename: str) -> Callable[[bytes], None]:
    """Readers that take the file's bytes and its name, as the services pass them."""

    def run(data: bytes) -> None:
        read(data, filename)

    return run


def _toml_files(folder: str) -> Callable[[], list[bytes]]:
    return lambda: _files(PACKAGE / folder, ".toml")


EXTRACTION_FORM = b"""\
title = "Co-production in integrated care: data extraction"

[[fields]]
key = "country"
label = "Country where the study took place"
kind = "country"
required = true

[[fields]]
key = "design"
label = "Study design"
kind = "single_choice"
choices = ["qualitative", "mixed methods", "case study"]

[[fields]]
key = "participants"
label = "Who took part"
kind = "group"

[[fields.subfields]]
key = "number"
label = "How many"
kind = "number"
"""

VALUES_CSV = b"field,value\ncountry,GB\ndesign,qualitative\nparticipants[1].number,12\n"
VALUES_TOML = b'country = "GB"\ndesign = "qualitative"\n[[participants]]\nnumber = 12\n'


def _values(filename: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        read_values(data, filename)

    return run


ANSWER_SHEET_CSV = (
    b"item,answer,reason,record\n1,yes,Aims stated in the introduction,12\n2,can't tell,,12\n"
)
ANSWER_SHEET_TOML = (
    b'instrument = "tapupas"\nrecord = 12\n[answers]\nT = "yes"\n'
    b'A = { answer = "no", reason = "Conclusions asserted, not shown." }\n'
)


# -- the review archive (cosynth archive / restore)


def _review_archive_dump() -> ReviewDump:
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
        files={"files/reports/content/3.pdf": b"%PDF-1.4 a study's full text"},
    )


def _review_archive() -> bytes:
    return write_archive(
        _review_archive_dump(),
        cosynth_version="0.1.0",
        created_at=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
        created_by="alice",
    )


def _backup() -> bytes:
    """A store backup (`cosynth backup`) of one review's two tables and a PDF."""
    review = _review_archive_dump()
    dump = StoreDump(schema_revision="0011", tables=review.tables, files=review.files)
    return write_backup(
        dump,
        cosynth_version="0.1.0",
        created_at=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
        created_by="alice",
        engine="sqlite",
    )


def _restore(data: bytes) -> None:
    read_backup(data, "store.cosynth-backup")


def _archive(data: bytes) -> None:
    read_archive(data, "review.cosynth")


def _flow(data: bytes) -> None:
    read_flow_csv("prisma.csv", data)


def _tests_data(*parts: str) -> Path:
    return REPO.joinpath("tests", "data", *parts)


def _list(*values: bytes) -> Callable[[], list[bytes]]:
    return lambda: list(values)


@cache
def targets() -> dict[str, Target]:
    """Every fuzz target by name (names are the file names of fuzz/fuzz_<name>.py)."""
    found = [
        Target("ris", _read_with("ris", "export.ris"), _bibliographic_seeds(".ris")),
        Target("medline", _read_with("medline", "pubmed.nbib"), _bibliographic_seeds(".nbib")),
        Target("wos", _read_with("wos", "savedrecs.txt"), _bibliographic_seeds(".ciw")),
        Target(
            "endnote_tagged",
            _read_with("endnote-tagged", "export.enw"),
            _bibliographic_seeds(".enl", ".enw"),
        ),
        Target("endnote_xml", _read_with("endnote-xml", "export.xml"), _list(ENDNOTE_XML)),
        Target("bibtex", _read_with("bibtex", "export.bib"), _bibliographic_seeds(".bib")),
        Target(
            "csv", _read_with("csv", "export.csv"), _bibliographic_seeds(".csv", ".tsv", ".tab")
        ),
        Target(
            "xlsx",
            _read_with("xlsx", "export.xlsx"),
            _bibliographic_seeds(
                ".xlsx",
                built=(
                    _xlsx([["Title", "Authors", "Year"], ["Caring at home", "Smith, J", 2020]]),
                ),
            ),
        ),
        Target("json", _read_with("json", "export.json"), _bibliographic_seeds(".json")),
        Target(
            "asreview", _read_with("asreview", "carers.asreview"), lambda: [_asreview_project()]
        ),
        Target(
            "europepmc_json",
            _read_with("europepmc-json", "europepmc.json"),
            lambda: _files(_tests_data("api", "europepmc"), ".json"),
        ),
        Target(
            "openalex_json",
            _read_with("openalex-json", "openalex.json"),
            lambda: _files(_tests_data("api", "openalex"), ".json"),
        ),
        Target(
            "crossref_json",
            _read_with("crossref-json", "crossref.json"),
            lambda: _files(_tests_data("api", "crossref"), ".json"),
        ),
        Target(
            "detect",
            _detect_and_read,
            _bibliographic_seeds(".ris", ".nbib", ".bib", ".csv", ".txt", limit=3),
        ),
        Target("prisma_csv", _flow, lambda: _files(_tests_data("prisma"), ".csv")),
        Target(
            "transcript_text",
            _transcript("roundtable.txt"),
            lambda: _files(_tests_data("transcripts"), ".txt"),
        ),
        Target(
            "transcript_webvtt",
            _transcript("roundtable.vtt"),
            lambda: [
                *_files(_tests_data("transcripts"), ".vtt"),
                *_files(PACKAGE / "examples", ".vtt"),
            ],
        ),
        Target("transcript_docx", _transcript("roundtable.docx"), lambda: [_docx_transcript()]),
        Target(
            "instrument",
            _bytes_then(read_instrument, "instrument.toml"),
            _toml_files("instruments"),
        ),
        Target(
            "checklist",
            _bytes_then(read_checklist, "checklist.toml"),
            _toml_files("checklists"),
        ),
        Target(
            "framework",
            _bytes_then(read_framework, "framework.toml"),
            _toml_files("frameworks"),
        ),
        Target(
            "scale", _utf8_then(lambda text: parse_scale(text, "scale.toml")), _toml_files("scales")
        ),
        Target(
            "extraction_form",
            _utf8_then(lambda text: read_form(text, "form.toml")),
            _list(EXTRACTION_FORM),
        ),
        Target("extraction_values_csv", _values("values.csv"), _list(VALUES_CSV)),
        Target("extraction_values_toml", _values("values.toml"), _list(VALUES_TOML)),
        Target(
            "answer_sheet_csv",
            _bytes_then(read_answer_sheet, "answers.csv"),
            _list(ANSWER_SHEET_CSV),
        ),
        Target(
            "answer_sheet_toml",
            _bytes_then(read_answer_sheet, "answers.toml"),
            _list(ANSWER_SHEET_TOML),
        ),
        Target("review_archive", _archive, lambda: [_review_archive()]),
        Target("backup", _restore, lambda: [_backup()]),
    ]
    return {target.name: target for target in found}


def seeds_of(name: str) -> Iterator[bytes]:
    """The seeds of one target, each once."""
    seen: set[bytes] = set()
    for seed in targets()[name].seeds():
        if seed not in seen:
            seen.add(seed)
            yield seed
