"""What a reader receives (`Document`), what it yields (`Entry`), and the plugin protocols."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Protocol, TextIO, runtime_checkable

from cosynth.domain.citation import Citation
from cosynth.formats.text import decode


class Document:
    """One file offered for import: its name, its bytes, and its decoded text.

    `options` carries reader settings a person gave (e.g. a CSV column mapping
    `title=Article Title`); readers ignore options they do not know.
    """

    def __init__(
        self,
        filename: str,
        data: bytes,
        options: Mapping[str, str] | None = None,
    ) -> None:
        self.filename = filename
        self.data = data
        self.options: Mapping[str, str] = MappingProxyType(dict(options or {}))

    @cached_property
    def text(self) -> str:
        """The file decoded (BOM, UTF-16, UTF-8, cp1252) with line endings made `\\n`."""
        return decode(self.data, self.filename)

    @cached_property
    def head(self) -> str:
        """The first few kilobytes of text, for format sniffing.

        A large file's head is decoded from its first bytes alone, so that
        sniffing a 100 MB export does not decode (and hold) all of it.
        """
        if len(self.data) <= _WHOLE_HEAD_BYTES or "text" in self.__dict__:
            return self.text[:8192]
        return decode(_whole_characters(self.data[:_WHOLE_HEAD_BYTES]), self.filename)[:8192]

    @property
    def extension(self) -> str:
        """The lower-case extension without the dot ("" when there is none)."""
        name = self.filename.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""


# Files up to this size are decoded whole to sniff them; larger ones by their start.
_WHOLE_HEAD_BYTES = 65_536


def _whole_characters(prefix: bytes) -> bytes:
    """`prefix` cut so that no character is split in two at its end."""
    if prefix.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return prefix[: len(prefix) // 4 * 4]
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in prefix[:64]:
        cut = len(prefix) // 2 * 2
        last = prefix[cut - 2 : cut]
        unit = int.from_bytes(last, "big" if prefix.startswith(codecs.BOM_UTF16_BE) else "little")
        return prefix[: cut - 2] if 0xD800 <= unit <= 0xDBFF else prefix[:cut]
    # UTF-8: step back over continuation bytes (10xxxxxx) and the lead byte before them.
    cut = len(prefix)
    while cut > 0 and len(prefix) - cut < 3 and prefix[cut - 1] & 0xC0 == 0x80:
        cut -= 1
    if cut > 0 and prefix[cut - 1] >= 0xC0:
        cut -= 1
    return prefix[:cut]


@dataclass(frozen=True, slots=True)
class Entry:
    """One record as read from a file, or the reason it had to be skipped.

    `line` is the 1-based line where the record starts (for a CSV, the data
    row's line), `raw` the record's own text, kept for provenance.
    """

    line: int
    raw: str
    citation: Citation | None
    skipped: str = ""

    @classmethod
    def skip(cls, line: int, raw: str, reason: str) -> Entry:
        return cls(line=line, raw=raw, citation=None, skipped=reason)


@runtime_checkable
class Reader(Protocol):
    """Reads one export format. Registered in the `cosynth.readers` entry-point group."""

    name: str
    label: str

    def sniff(self, doc: Document) -> int:
        """How sure this reader is that `doc` is its format: 0 (not mine) to 100."""
        ...

    def read(self, doc: Document) -> Iterator[Entry]:
        """Yield every record in `doc`; raise `ImportFileError` for a whole-file fault."""
        ...


@runtime_checkable
class Writer(Protocol):
    """Writes citations in one format. Registered in the `cosynth.writers` group."""

    name: str
    label: str
    extension: str

    def write(self, citations: Iterable[Citation], out: TextIO) -> int:
        """Write every citation to `out`; return how many were written."""
        ...


@runtime_checkable
class TableWriter(Writer, Protocol):
    """A writer of tables that can put provenance columns before the citation's own."""

    def write_table(
        self,
        columns: Sequence[str],
        rows: Iterable[tuple[Sequence[str], Citation]],
        out: TextIO,
    ) -> int:
        """Write `columns` then the citation fields; each row gives the columns' values first."""
        ...
