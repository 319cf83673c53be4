"""Turning an export's bytes into text, and refusing what is not text at all.

Real exports arrive as UTF-8 with or without a byte-order mark, UTF-16 (EndNote
and some Windows tools), and Latin-1/cp1252 (older Ovid and EndNote files);
with CRLF, LF or bare CR line endings. People also save PDFs, web error pages
and spreadsheets under a bibliographic extension. This module decides which.
"""

from __future__ import annotations

import codecs

from cosynth.errors import ImportFileError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Leading bytes of files that are certainly not bibliographic text.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an Excel workbook or a compressed folder)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc or .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"{\\rtf", "a Rich Text Format document"),
)


def binary_kind(data: bytes) -> str | None:
    """Name the kind of binary file `data` is, or None when it may be text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def decode(data: bytes, filename: str) -> str:
    """Decode an export to text with `\\n` line endings, or raise `ImportFileError`."""
    text = _decode_bytes(data, filename)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode_bytes(data: bytes, filename: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    filename,
                    f"the file says it is {encoding.upper()} but is damaged near byte "
                    f"{exc.start}; export it again from the database",
                ) from None
    kind = binary_kind(data)
    if kind is not None:
        raise ImportFileError(
            filename,
            f"this is {kind}, not a bibliographic export; export the records "
            "from the database as RIS, MEDLINE, BibTeX, EndNote XML or CSV",
        )
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace")
    if b"\x00" in data[:65536]:
        raise ImportFileError(
            filename,
            "this is a binary file, not a bibliographic export; export the records "
            "from the database as RIS, MEDLINE, BibTeX, EndNote XML or CSV",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Windows exports are cp1252; bytes cp1252 leaves undefined are
    # read as Latin-1 so that no file is refused for one stray byte.
    return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")


def _utf16_without_bom(data: bytes) -> str | None:
    """Spot UTF-16 text with no BOM by its pattern of zero bytes in ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > half * 0.6 and even_zeros < half * 0.1:
        return "utf-16-le"
    if even_zeros > half * 0.6 and odd_zeros < half * 0.1:
        return "utf-16-be"
    return None


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True
