"""Decoding exports: every encoding databases really use, and refusing what is not text."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cosynth.errors import ImportFileError
from cosynth.formats.text import binary_kind, decode

TEXT = "TY  - JOUR\nTI  - Café society and co-production — a review\nER  - \n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # EndNote on Windows sometimes writes no BOM
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("utf-8"),  # classic Mac line endings
        TEXT.encode("cp1252"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le-no-bom",
        "crlf",
        "cr",
        "cp1252",
    ],
)
def test_it_reads_every_encoding_databases_export(data: bytes) -> None:
    assert decode(data, "export.ris") == TEXT


def test_it_reads_latin1_bytes_that_cp1252_leaves_undefined() -> None:
    assert decode(b"TI  - caf\xe9 \x81\n", "old.ris") == "TI  - café \x81\n"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.5\n", "a PDF document"),
        (b"PK\x03\x04rest", "a ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
        (b"\x1f\x8b\x08\x00", "a gzip-compressed file"),
        (b"TY  - JOUR\n\x00\x00\x00\x01\x02binary", "a binary file"),
    ],
)
def test_it_names_binary_files_it_refuses(data: bytes, kind: str) -> None:
    with pytest.raises(ImportFileError) as refused:
        decode(data, "search.ris")
    assert refused.value.message.startswith("search.ris: ")
    assert kind in refused.value.message


def test_it_explains_a_damaged_utf16_file() -> None:
    with pytest.raises(ImportFileError, match=r"damaged\.txt: .*UTF-16-LE.*damaged"):
        decode(codecs.BOM_UTF16_LE + b"T\x00Y\x00\x00\xd8", "damaged.txt")


@given(st.text())
def test_it_round_trips_any_utf8_text_with_unix_line_endings(text: str) -> None:
    # NUL bytes mark binary files and a leading U+FEFF is a byte-order mark:
    # both are dealt with on purpose, elsewhere.
    assume("\x00" not in text and not text.startswith("\ufeff"))
    assume(binary_kind(text.encode("utf-8")) is None)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode(text.encode("utf-8"), "any.ris") == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("shift", range(4))
def test_it_sniffs_a_large_file_from_its_start_without_splitting_a_character(
    encoding: str, shift: int
) -> None:
    from cosynth.formats import Document

    record = "TY  - JOUR\nTI  - Café co-production 🤝 peer support\nER  - \n\n"
    text = "x" * shift + record * 5_000
    data = text.encode(encoding)
    doc = Document("large.ris", data)
    assert doc.head == decode(data, "large.ris")[:8192]
    assert "text" not in doc.__dict__  # the whole file was not decoded to sniff it
