"""RIS: the tagged format every bibliographic database and reference manager exports.

A RIS record is a run of lines `XX  - value` (two-character tag, two spaces, a
hyphen, a space) that starts with `TY` and ends with `ER`; a line without a tag
continues the value above it. The tags are those of the RIS specification
(Research Information Systems, "RIS Format Specifications", 2011, the version
EndNote and Zotero follow). Real exports bend it in ways this reader accepts:

- print headers and record numbers between records (Ovid "1.", "Record #1 of
  2", JSTOR "Provider:"/"Database:" lines), which are skipped;
- `TY - JOUR` with one space, a tab, or `ER  -` with nothing after the hyphen;
- no `TY` at all (records are then split on `ER`), or no `ER` before the next
  `TY` or the end of the file (the record is kept);
- tags from other formats (`PMID  - `), which are kept in `extra`;
- several exports pasted into one file, each with its own byte-order mark.

Where each database puts its identifiers differs (PMIDs in `AN`, `C2`, `U1`,
a note or a link; DOIs in `DO`, `L3`, `M3` or a doi.org link), so those are
looked for in the places the real exports use, named beside each rule below.
Everything that is not mapped onto a `Citation` field stays in `extra` under
its own tag, so that the writer can put it back.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TextIO

from cosynth.domain.citation import CITATION_FIELDS, Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import clean, doi_from, page_range, pmid_from, year_from
from cosynth.formats.text import binary_kind

# The layout of a well-formed tag line: `XX  - value`.
_SEP = "  - "

# Every well-formed two-character tag: a capital letter, then a capital or digit.
_TAGS = frozenset(
    first + second
    for first in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for second in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

# Tag lines that bend the layout: one space or a tab before the hyphen, nothing
# after it, a byte-order mark left by pasting files together, `PMID  - ` and
# other longer tags written with the usual two spaces. A line such as
# "ER-positive tumours" continuing an abstract is not a tag: the hyphen must
# follow white space.
_ODD_TAG = re.compile(
    r"\ufeff?(?:([A-Z][A-Z0-9])[ \t]+|(PMID)[ \t]*|([A-Z][A-Z0-9]{2,3})  )-(?:[ \t]+|$)(.*)"
)

# The start of a line that `_ODD_TAG` reads as a tag but that is not a plain
# `XX  - ` tag line (nor the `ER  -` that ends a record), or that starts with a
# byte-order mark. A record holding one is read line by line.
_ODD_LINE = re.compile(
    r"\n(?![A-Z][A-Z0-9]  - |ER  -)"
    r"(?:\ufeff|[A-Z][A-Z0-9][ \t]+-(?:[ \t]|$)|PMID[ \t]*-(?:[ \t]|$)"
    r"|[A-Z][A-Z0-9]{2,3}  -(?:[ \t]|$))",
    re.MULTILINE,
)

# MEDLINE (nbib) tags are up to four letters with the hyphen in column 5
# ("PMID- ", "OWN - "); RIS never writes a letter in columns 3-4 before it.
_MEDLINE_TAG = re.compile(r"^[A-Z]{3}[A-Z ]- ", re.MULTILINE)

_TITLE_TAGS = ("TI", "T1", "CT", "BT", "ST")
# Full source names before abbreviations (RIS spec: T2/JF/JO full, JA/J2/J1 abbreviated).
_JOURNAL_TAGS = ("T2", "JF", "JO", "BT", "JA", "J2", "J1")
_YEAR_TAGS = ("PY", "Y1", "DA")
_URL_TAGS = ("UR", "LK", "L2", "L1", "L3")
_USER_TAGS = ("U1", "U2", "U3", "U4", "U5")
_PUBMED_ID_TAGS = (*_USER_TAGS, "C2")

# A plain tag line and the continuation lines after it (lines that start no
# tag), as (tag, value), read in one pass over a well-formed record. The line
# break before the tag is matched but not captured.
_TAG_LINES = re.compile(r"\n([A-Z][A-Z0-9])  - ([^\n]*(?:\n(?![A-Z][A-Z0-9]  - )[^\n]*)*)")

# A plain tag line alone: `_TAG_LINES` for a record whose every line is a tag
# line (most records), which the reader tells by counting line breaks.
_PAIR = re.compile(r"\n([A-Z][A-Z0-9])  - ([^\n]*)")

_ISXN = re.compile(r"\d[\d-]*[\dXx]")
_PMC = re.compile(r"PMC\d+")
_PUBMED_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})")
_PMC_URL = re.compile(r"(?:/pmc/articles/|artid=)(PMC\d+)")
# Ovid links name the database segment (D=) and its accession number (AN=);
# in Ovid's MEDLINE and PubMed segments (medl, medp, prem, mesx, pmnm...) that
# number is the PMID.
_OVID_URL = re.compile(r"[?&]D=(\w+).*?[?&]AN=([\w.-]+)")
_OVID_PUBMED = ("med", "prem", "mes", "pmnm")
_EBSCO_PMID = re.compile(r"PMID:\s*(\d{1,9})")
_EMBASE_ID = re.compile(r"L\d{6,}")

# How much of a large file is decoded at a time: the whole decoded text of a
# 100 MB export would cost 200-400 MB on its own (one non-Latin-1 character
# makes CPython store every character in two or four bytes).
_CHUNK_BYTES = 1 << 20
_STREAM_ABOVE = 4 * _CHUNK_BYTES

# Read well-formed records by the fast path (switched off by a test that
# checks that both paths read every shared file the same way).
_FAST = True

_NOT_SCREENABLE = "the record has no title, abstract, authors, DOI or PubMed id to screen on"

# `Citation` is built positionally (a keyword call costs a microsecond a
# record); this is the order of its fields.
if [field.name for field in dataclasses.fields(Citation)] != [*CITATION_FIELDS, "extra"]:
    raise ImportError("cosynth.formats.ris expects Citation's fields in CITATION_FIELDS order")


class RisReader:
    """Reads RIS exports (.ris, and .txt files that are RIS inside)."""

    name = "ris"
    label = "RIS"

    def sniff(self, doc: Document) -> int:
        head = doc.head
        start = head.lstrip("\ufeff \n\t")
        if start.startswith(("FN ", "PT ", "%", "<", "{", "@")) or _looks_like_medline(head):
            return 0
        lines = head.split("\n")
        tagged = [line for line in lines if line[2:6] == _SEP or _ODD_TAG.match(line)]
        if any(line.lstrip("\ufeff").startswith("TY") for line in tagged):
            return 90
        if len(tagged) >= 2 and any(line.startswith("ER") for line in tagged):
            return 70
        return 40 if len(tagged) >= 3 else 0

    def read(self, doc: Document) -> Iterator[Entry]:
        scan = _Scan()
        # One string object for each value that many records repeat (a journal,
        # "JOUR", "English", a MeSH term): a 100,000-record file then holds a
        # few thousand such strings rather than hundreds of thousands of copies.
        shared: dict[str, str] = {}
        share = shared.setdefault
        if not _FAST:
            for line, raw, tags in scan.records(_text_pieces(doc)):
                fields = _fields(tags, scan.header_database, share)
                citation = Citation(*fields, _extra(tags))
                if citation.is_empty:
                    yield Entry.skip(line, raw, _NOT_SCREENABLE)
                else:
                    yield Entry(line, raw, citation)
        else:
            new = _new
            for line, raw, tags in scan.records(_text_pieces(doc)):
                quick = _citation(tags, scan.header_database, share)
                entry: Any = new(_OpenEntry)
                entry.line = line
                entry.raw = raw
                if quick is None:
                    entry.citation = None
                    entry.skipped = _NOT_SCREENABLE
                else:
                    entry.citation = quick
                    entry.skipped = ""
                entry.__class__ = Entry
                yield entry
        if not scan.found:
            raise ImportFileError(doc.filename, _no_records_problem(scan))


def _looks_like_medline(head: str) -> bool:
    return head.lstrip("\ufeff \n").startswith("PMID-") or bool(_MEDLINE_TAG.search(head))


def _no_records_problem(scan: _Scan) -> str:
    if scan.tag_lines:
        return (
            "no RIS record could be found: the file has RIS-style tag lines but no "
            "'TY  - ' line to start a record and no 'ER  - ' line to end one; export "
            "the records again as RIS"
        )
    return (
        "this is not a RIS file: no line has a RIS tag such as 'TY  - JOUR'; "
        "choose the reader that matches the file, or export the records again as RIS"
    )


# --- Reading the text -------------------------------------------------------


def _text_pieces(doc: Document) -> Iterator[str]:
    """The decoded text of `doc`, in pieces, with `\\n` line endings.

    Small files, and files in anything but UTF-8, are decoded whole by
    `Document.text`. Large UTF-8 files are decoded a chunk at a time so that
    the decoded text is never held whole beside the bytes.
    """
    data = doc.data
    if "text" in vars(doc) or len(data) <= _STREAM_ABOVE or not _streamable(data):
        yield doc.text
        return
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    held = ""  # a final "\r" that may be the first half of "\r\n"
    for offset in range(start, len(data), _CHUNK_BYTES):
        piece = held + decoder.decode(view[offset : offset + _CHUNK_BYTES])
        held = ""
        if piece.endswith("\r"):
            piece, held = piece[:-1], "\r"
        yield _unify_newlines(piece)
    yield _unify_newlines(held + decoder.decode(b"", final=True))


def _streamable(data: bytes) -> bool:
    """True when `Document.text` would decode `data` as UTF-8 (see `formats.text`)."""
    utf16 = data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 LE starts so too
    if not data.startswith(codecs.BOM_UTF8) and (utf16 or binary_kind(data)):
        return False
    if b"\x00" in data[:65536]:
        return False
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for offset in range(0, len(data), _CHUNK_BYTES):
            decoder.decode(view[offset : offset + _CHUNK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _unify_newlines(text: str) -> str:
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --- Finding the records ----------------------------------------------------

# (first line number, raw text, {tag: values})
_Found = tuple[int, str, dict[str, list[str]]]


class _Scan:
    """Splits the text into records.

    A well-formed record (a `TY  - ` line, plain `XX  - ` tag lines and their
    continuation lines, an `ER  -` line, and no tag before the next `TY`) is
    found with `str.find` and read by one regular expression: this is where a
    100,000-record file spends its time. Anything else (odd tag lines, a
    missing `ER` or `TY`, tags between records) goes through `_lines`, which
    reads line by line. `_FAST = False` sends every record through `_lines`.
    """

    def __init__(self) -> None:
        self.found = False  # a record was yielded
        self.tag_lines = False  # a tag line was seen
        self.seen_ty = False
        self.boundaries = False  # a TY or ER line was seen
        self.header_database = ""

    def records(self, pieces: Iterable[str]) -> Iterator[_Found]:
        """Yield every record of the text, cutting it at record starts between pieces."""
        pending = ""
        base = 0  # 0-based number of the first line of `pending`
        for piece in pieces:
            text = pending + piece if pending else piece
            cut = text.rfind("\nTY  - ")
            if cut < 0:
                pending = text
                continue
            region, pending = text[: cut + 1], text[cut + 1 :]
            yield from self._region(region, base, followed_by_ty=True)
            base += region.count("\n")
        yield from self._region(pending, base, followed_by_ty=False)

    def _region(self, region: str, base: int, *, followed_by_ty: bool) -> Iterator[_Found]:
        """Records of `region`, which starts at a line start and ends at one (or the end).

        Positions below are those of the line break before a line; a line break
        is put before the first line so that every line has one.
        """
        if not _FAST:
            yield from self._lines(region.split("\n"), base, followed_by_ty=followed_by_ty)
            return
        text = "\n" + region
        size = len(text)
        pairs_in = _PAIR.findall
        flagged = False  # the flags a well-formed record sets are set
        odd = [found.start() for found in _ODD_LINE.finditer(text)]
        next_odd = 0
        line = base  # the 0-based number of the line after the break at `counted`
        counted = 0
        pos = 0
        while pos < size:
            start = text.find("\nTY  - ", pos)
            if start < 0:
                start = size
            if start > pos:  # lines between records: print headers, numbers, or tags
                gap = text[pos + 1 : start]
                if _has_tag_line(gap):
                    line += text.count("\n", counted, pos)
                    counted = pos
                    follows = start < size or followed_by_ty
                    yield from self._lines(gap.split("\n"), line, followed_by_ty=follows)
                else:
                    self._read_header(gap)
                pos = start
                continue
            after = text.find("\nTY  - ", start + 1)  # where the next record starts
            if after < 0:
                after = size
            end = text.find("\nER  -", start, after)
            while next_odd < len(odd) and odd[next_odd] < start:
                next_odd += 1
            stop = after
            if end >= 0:
                stop = text.find("\n", end + 1, after)
                stop = after if stop < 0 else stop
                gap = text[stop + 1 : after]  # blank lines, or a header before the next record
                well_formed = (
                    text[end + 6 : end + 7] in ("", " ", "\t", "\n")
                    and (next_odd == len(odd) or odd[next_odd] >= after)
                    and ("-" not in gap or not _has_tag_line(gap))
                )
            else:
                well_formed = False  # no ER before the next TY
            line += text.count("\n", counted, start)
            counted = start
            if well_formed:
                if not flagged:
                    self.found = self.seen_ty = self.boundaries = self.tag_lines = flagged = True
                pairs = pairs_in(text, start, end)
                inner = text.count("\n", start, end)  # lines from TY to ER, ER not included
                if inner == len(pairs):  # no continuation or blank line
                    tags: dict[str, list[str]] = {}
                    get = tags.get
                    for tag, value in pairs:
                        same = get(tag)
                        if same is None:
                            tags[tag] = [value]
                        else:
                            same.append(value)
                else:
                    tags = _read_tags(text, start, end)
                yield line + 1, text[start + 1 : stop], tags
                if "Database:" in gap:
                    self._read_header(gap)
                line += inner
                counted = end
            else:
                follows = after < size or followed_by_ty
                lines = text[start + 1 : after].split("\n")
                yield from self._lines(lines, line, followed_by_ty=follows)
            pos = after

    def _read_header(self, gap: str) -> None:
        if "Database:" in gap:  # the RIS download header (spec, "Header") names the database
            for text in gap.split("\n"):
                if text.startswith("Database:"):
                    self.header_database = clean(text[9:])

    def _lines(self, lines: list[str], base: int, *, followed_by_ty: bool) -> Iterator[_Found]:
        """Read records line by line: the path for everything that is not well formed."""
        record: dict[str, list[str]] | None = None
        is_open = False  # inside a record: a line without a tag continues the last value
        first = last = 0  # indexes of the record's first and last lines
        last_tag = ""
        for index, line in enumerate(lines):
            if line[2:6] == _SEP:
                tag = line[:2]
                value = line[6:]
            elif not line:
                continue
            else:
                match = _ODD_TAG.match(line)
                if match is None:
                    if is_open:
                        text = line.strip()
                        if text:
                            values = record[last_tag]  # type: ignore[index]
                            values[-1] = f"{values[-1].rstrip()}\n{text}"
                            last = index
                    elif record is None and line.startswith("Database:"):
                        self.header_database = clean(line[9:])
                    continue
                tag = match[1] or match[2] or match[3]
                value = match[4]
            if tag == "ER":
                self.boundaries = self.tag_lines = True
                if record is None:
                    continue
                if is_open and self.seen_ty:
                    # Held until the next TY: Ovid writes a tag (NL) after ER.
                    is_open = False
                    last = index
                    continue
                self.found = True
                yield base + first + 1, "\n".join(lines[first : index + 1]), record
                record = None
                is_open = False
                continue
            if tag == "TY":
                self.seen_ty = self.boundaries = self.tag_lines = True
                if record is not None:  # ended by ER, or by this TY when ER is missing
                    self.found = True
                    yield base + first + 1, "\n".join(lines[first : last + 1]), record
                record = {"TY": [value]}
                first = last = index
                last_tag = "TY"
                is_open = True
                continue
            if record is None:
                if tag not in _TAGS and len(tag) == 2:
                    continue
                # A tag outside a record: the file has no TY tags (or lost one).
                self.tag_lines = True
                record = {}
                first = index
                is_open = True
            same = record.get(tag)
            if same is not None:
                same.append(value)
            elif tag in _TAGS or len(tag) > 2:
                record[tag] = [value]
            elif is_open:  # "    - item": an indented list inside a value, not a tag
                values = record[last_tag]
                values[-1] = f"{values[-1].rstrip()}\n{line.strip()}"
                last = index
                continue
            else:
                continue
            last_tag = tag
            last = index
        # A record still open: the next TY, or the end of a file that has TY or
        # ER lines, ends it. Tags with neither anywhere are not records.
        if record is not None and (followed_by_ty or self.boundaries):
            self.found = True
            yield base + first + 1, "\n".join(lines[first : last + 1]), record


def _has_tag_line(gap: str) -> bool:
    """True when text between records holds a tag line (a record, or tags left after ER)."""
    if "-" not in gap:
        return False
    for line in gap.split("\n"):
        if (line[2:6] == _SEP and line[:2] in _TAGS) or _ODD_TAG.match(line):
            return True
    return False


def _read_tags(text: str, start: int, end: int) -> dict[str, list[str]]:
    """The tags of the well-formed record from `start` to `end`, read as `_Scan._lines` would."""
    tags: dict[str, list[str]] = {}
    for tag, found in _TAG_LINES.findall(text, start, end):
        value = found
        if "\n" in found:  # continuation lines: each stripped, blank ones dropped
            head, *rest = found.split("\n")
            value = "\n".join([head.rstrip(), *(part for part in map(str.strip, rest) if part)])
        same = tags.get(tag)
        if same is None:
            tags[tag] = [value]
        else:
            same.append(value)
    return tags


# --- Mapping tags onto a Citation -------------------------------------------


def _tidy(value: str) -> str:
    """`fields.clean`, without the regular expression when there is nothing to collapse."""
    if "  " in value or "\n" in value or "\t" in value:
        return clean(value)
    return value.strip()


def _drop(tags: dict[str, list[str]], tag: str, values: list[str], used: str) -> None:
    """Remove the values of `tag` that `used` now holds, and the tag once none is left."""
    if len(values) == 1:
        del tags[tag]
        return
    rest = [value for value in values if _tidy(value) != used]
    if rest:
        tags[tag] = rest
    else:
        del tags[tag]


def _pick(tags: dict[str, list[str]], keys: tuple[str, ...]) -> str:
    """The first non-empty value under the first of `keys` that has one (used up)."""
    for key in keys:
        values = tags.get(key)
        if values:
            if len(values) == 1:  # the usual case, without the loop and the list
                value = values[0]
                text = (
                    clean(value)
                    if "  " in value or "\n" in value or "\t" in value
                    else value.strip()
                )
                if text:
                    del tags[key]
                    return text
                continue
            for value in values:
                text = _tidy(value)
                if text:
                    _drop(tags, key, values, text)
                    return text
    return ""


# The fields of a `Citation` but `extra`, in order.
_Fields = tuple[
    str, tuple[str, ...], int | None, str, str, str, str, str, str, str, str, str, str,
    tuple[str, ...], str, str, str, str, str, str, bool | None,
]  # fmt: skip


def _own(value: str, _default: str) -> str:
    """The sharing function when there is nothing to share with."""
    return value


# The plain text fields, each with the tags that can give it in order of preference.
_PLAIN_FIELDS = (
    ("TY",),  # publication_type
    _TITLE_TAGS,
    _JOURNAL_TAGS,
    ("VL", "VO"),  # volume
    ("IS", "CP"),  # issue
    ("AB", "N2"),  # abstract
    ("LA",),  # language
    ("DB", "DP"),  # database
    ("ID",),  # source_id
    ("AN",),  # accession
)


def _fields(
    tags: dict[str, list[str]], header_database: str, share: Callable[[str, str], str] = _own
) -> _Fields:
    """One record's `Citation` fields, in `CITATION_FIELDS` order.

    What is used up is removed from `tags`; what is left becomes `extra`.
    """
    (
        publication_type,
        title,
        journal,
        volume,
        issue,
        abstract,
        language,
        database,
        source_id,
        accession,
    ) = _plain_fields(tags)
    database = share(database, database) if database else header_database
    journal = share(journal, journal)
    volume = share(volume, volume)
    issue = share(issue, issue)
    language = share(language, language)
    publication_type = share(publication_type, publication_type)
    authors = _authors(tags) if "AU" in tags or "A1" in tags else ()
    year = _year(tags)
    pages = _pages(tags) if "SP" in tags or "EP" in tags else ""
    issn, isbn = _serial_numbers(tags) if "SN" in tags or "BN" in tags else ("", "")
    keywords = _keywords(tags) if "KW" in tags else ()
    if keywords:  # MeSH and subject terms repeat across records
        keywords = tuple(map(share, keywords, keywords))
    urls = [value for key in _URL_TAGS if key in tags for value in tags[key]]
    url = _url(tags) if urls else ""
    doi = _doi(tags, urls)
    if not accession:
        accession = _accession(tags, urls)
    pmid, pmcid = _pubmed_ids(tags, database, accession, urls)
    label = _label(tags) if "N1" in tags else None
    return (
        title,
        authors,
        year,
        journal,
        volume,
        issue,
        pages,
        doi,
        pmid,
        pmcid,
        isbn,
        issn,
        abstract,
        keywords,
        language,
        publication_type,
        url,
        accession,
        source_id,
        database,
        label,
    )


def _plain_fields(tags: dict[str, list[str]]) -> list[str]:
    """`_pick` for every field of `_PLAIN_FIELDS`, in one loop (a call each costs too much)."""
    found: list[str] = []
    for keys in _PLAIN_FIELDS:
        text = ""
        for key in keys:
            values = tags.get(key)
            if not values:
                continue
            if len(values) == 1:
                value = values[0]
                text = (
                    clean(value)
                    if "  " in value or "\n" in value or "\t" in value
                    else value.strip()
                )
                if text:
                    del tags[key]
                    break
            else:
                text = _pick(tags, (key,))
                if text:
                    break
        found.append(text)
    return found


def _tidy_all(values: list[str]) -> tuple[str, ...]:
    """`_tidy` each value, dropping empty ones."""
    texts = tuple(map(str.strip, values))
    for text in texts:
        if "  " in text or "\n" in text or "\t" in text:
            texts = tuple(map(_tidy, texts))
            break
    return tuple(filter(None, texts)) if "" in texts else texts


def _authors(tags: dict[str, list[str]]) -> tuple[str, ...]:
    """Primary authors (AU, and A1 of the 2011 spec) in file order; editors stay in extra."""
    if "A1" not in tags:
        return _tidy_all(tags.pop("AU"))
    if "AU" not in tags:
        return _tidy_all(tags.pop("A1"))
    # Both in one record: keep the file's order.
    first, second = (
        ("A1", "AU") if list(tags).index("A1") < list(tags).index("AU") else ("AU", "A1")
    )
    return _tidy_all(tags.pop(first) + tags.pop(second))


def _year(tags: dict[str, list[str]]) -> int | None:
    """PY, else Y1, else DA; the tag is used up only when it held no more than the year."""
    values = tags.get("PY")
    if values and len(values) == 1:  # the usual "2019"
        value = values[0].strip()
        if len(value) == 4 and value.isdecimal() and 1500 <= int(value) < 2200:
            del tags["PY"]
            return int(value)
    for key in _YEAR_TAGS:
        values = tags.get(key)
        if values:
            for value in values:
                year = year_from(value)
                if year is not None:
                    text = _tidy(value)
                    if text.rstrip("/") == str(year):
                        _drop(tags, key, values, text)
                    return year
    return None


def _first(tags: dict[str, list[str]], key: str) -> str:
    for value in tags.get(key, ()):
        text = _tidy(value)
        if text:
            return text
    return ""


def _pages(tags: dict[str, list[str]]) -> str:
    start = _first(tags, "SP")
    end = _first(tags, "EP")
    if not (start or end):
        return ""
    # Ovid PsycINFO writes "No Pagination Specified" as SP "No", EP "Specified".
    if start.lower() == "no" and end.lower() == "specified":
        return ""
    if "-" in start:  # the whole range in SP ("288-97"), as PubMed via EndNote does
        pages = start
        if end and start.rsplit("-", 1)[1].strip() == end:
            _drop(tags, "EP", tags["EP"], end)
    else:
        pages = page_range(start, end)
        if end:
            _drop(tags, "EP", tags["EP"], end)
    if start:
        _drop(tags, "SP", tags["SP"], start)
    return pages


def _serial_numbers(tags: dict[str, list[str]]) -> tuple[str, str]:
    """ISSN and ISBN from SN (and BN, which some exports use for either), told apart by length."""
    values = tags.get("SN")
    if values and len(values) == 1 and "BN" not in tags:  # the usual lone "1234-567X"
        value = values[0].strip()
        if (
            len(value) == 9
            and value[4] == "-"
            and value[:4].isdigit()
            and (value[5:].isdigit() or (value[5:8].isdigit() and value[8] in "Xx"))
        ):
            del tags["SN"]
            return value.upper(), ""
    issn = isbn = ""
    for key in ("SN", "BN"):
        values = tags.get(key)
        if not values:
            continue
        rest = []
        for value in values:
            leftover = False
            for token in _ISXN.findall(value):
                digits = token.replace("-", "")
                if len(digits) == 8:
                    number = f"{digits[:4]}-{digits[4:]}".upper()
                    issn = issn or number
                    leftover = leftover or number != issn
                elif len(digits) in (10, 13):
                    isbn = isbn or token
                    leftover = leftover or token != isbn
                else:
                    leftover = True
            if leftover or not _ISXN.search(value):
                rest.append(value)
        if rest:
            tags[key] = rest
        else:
            del tags[key]
    return issn, isbn


def _keywords(tags: dict[str, list[str]]) -> tuple[str, ...]:
    """KW: one per tag, one per continuation line (EndNote), or one tag with a `;` list.

    A `;` splits only when the record has a single KW value: EconLit and Web of
    Science keep `;` inside one keyword of a list.
    """
    parts = tags.pop("KW")
    if any("\n" in value for value in parts):
        parts = [part for value in parts for part in value.split("\n")]
    if len(parts) == 1 and ";" in parts[0]:
        parts = parts[0].split(";")
    return tuple(dict.fromkeys(_tidy_all(parts)))


def _url(tags: dict[str, list[str]]) -> str:
    """The first URL: UR, else a web link from LK/L2/L1/L3 (file links are not URLs)."""
    for key in _URL_TAGS:
        values = tags.get(key)
        if not values:
            continue
        for value in values:
            text = value.strip()
            if not text or (key != "UR" and not text.startswith(("http://", "https://"))):
                continue
            # Several links in one value, split by spaces or ";" (Zotero, CiteSource).
            url = text.replace(";", " ").split()[0]
            if url == text:
                _drop(tags, key, values, text)
            return url
    return ""


def _doi(tags: dict[str, list[str]], urls: list[str]) -> str:
    values = tags.get("DO")
    if values:
        for value in values:
            doi = doi_from(value)
            if doi:
                rest = [other for other in values if doi_from(other) != doi] if values[1:] else ()
                if rest:
                    tags["DO"] = list(rest)
                else:
                    del tags["DO"]
                return doi
    # EBSCO puts the DOI in L3; PsycINFO (APA) in M3 as "doi:..."; some notes start with it.
    for key in ("L3", "M3", "N1"):
        for value in tags.get(key, ()):
            text = value.lstrip()
            if text.startswith(("10.", "doi", "DOI", "https://doi.org/", "http://dx.doi.org/")):
                doi = doi_from(text)
                if doi:
                    return doi
    for link in urls:
        if "doi.org/10." in link:
            return doi_from(link)
    return ""


def _pubmed_ids(
    tags: dict[str, list[str]], database: str, accession: str, urls: list[str]
) -> tuple[str, str]:
    pmid = pmid_from(_pick(tags, ("PMID",))) if "PMID" in tags else ""
    pmcid = ""
    # Dimensions: U1 "35957633 [PMID]", "PMC9359172 [PMCID]". EndNote (PubMed): C2 "PMC...".
    # Scopus: C2 is the PubMed id. Each value is used up when it becomes a field.
    for key in _PUBMED_ID_TAGS:
        if key not in tags:
            continue
        values = tags[key]
        rest = []
        for value in values:
            text = value.strip()
            if text.endswith("[PMID]") and not pmid:
                pmid = text[:-6].strip()
            elif text.endswith("[PMCID]") and not pmcid:
                pmcid = text[:-7].strip()
            elif key == "C2" and _PMC.fullmatch(text) and not pmcid:
                pmcid = text
            elif key == "C2" and text.isdigit() and database == "Scopus" and not pmid:
                pmid = text
            else:
                rest.append(value)
        if rest:
            tags[key] = rest
        else:
            del tags[key]
    if not pmid and accession.isdigit() and _is_pubmed(database):
        pmid = accession  # PubMed via EndNote: AN is the PMID (DP "NLM")
    if not pmid and "N1" in tags:
        pmid = _pmid_in_notes(tags)
    if urls and not (pmid and pmcid):
        link_pmid, link_pmcid = _pubmed_ids_in_links(urls)
        pmid = pmid or link_pmid
        pmcid = pmcid or link_pmcid
    return pmid, pmcid


def _is_pubmed(database: str) -> bool:
    lowered = database.lower()
    return lowered == "nlm" or "pubmed" in lowered or "medline" in lowered


def _pmid_in_notes(tags: dict[str, list[str]]) -> str:
    # EBSCO: N1 "Accession Number: 2020-98025-001. PMID: 33343428 ..."
    for value in tags.get("N1", ()):
        if value.startswith(("Accession Number:", "PMID")):
            found = _EBSCO_PMID.search(value)
            if found:
                return found[1]
    return ""


def _pubmed_ids_in_links(urls: list[str]) -> tuple[str, str]:
    pmid = pmcid = ""
    for link in urls:
        if "ncbi" in link:
            found = _PUBMED_URL.search(link)
            if found and not pmid:
                pmid = found[1]
            found = _PMC_URL.search(link)
            if found and not pmcid:
                pmcid = found[1]
        elif "ovid" in link and not pmid:
            found = _OVID_URL.search(link)
            if found and found[1].startswith(_OVID_PUBMED) and found[2].isdigit():
                pmid = found[2]
    return pmid, pmcid


def _accession(tags: dict[str, list[str]], urls: list[str]) -> str:
    """Accession numbers the database wrote somewhere other than AN."""
    values = tags.get("U2")
    if values:  # Embase: U2 "L373791783"
        for value in values:
            text = value.strip()
            if _EMBASE_ID.fullmatch(text):
                _drop(tags, "U2", values, text)
                return text
    for value in tags.get("N1", ()):  # EBSCO: N1 "Accession Number: 178481408; ..."
        if value.startswith("Accession Number:"):
            return value[17:].split(";", 1)[0].split(". ", 1)[0].strip().rstrip(".")
    for link in urls:  # Ovid: the link's AN= (PsycINFO "2019-65183-001", MEDLINE PMID)
        if "ovid" in link:
            found = _OVID_URL.search(link)
            if found:
                return found[2]
    return ""


_LABELS = {"ASReview_relevant": True, "ASReview_irrelevant": False}


def _label(tags: dict[str, list[str]]) -> bool | None:
    """ASReview's RIS export writes its screening label into a note (N1).

    A note that is nothing but the label is used up; a longer note stays in extra.
    """
    values = tags["N1"]
    for value in values:
        if "ASReview_" in value:
            text = value.strip()
            if text in _LABELS:
                _drop(tags, "N1", values, text)
                return _LABELS[text]
            if "ASReview_irrelevant" in text:
                return False
            if "ASReview_relevant" in text:
                return True
    return None


def _extra(tags: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    extra: dict[str, tuple[str, ...]] = {}
    for tag, values in tags.items():
        kept = tuple(map(str.strip, values))
        if "" in kept:
            kept = tuple(filter(None, kept))
        if kept:
            extra[sys.intern(tag)] = kept
    return extra


# --- The fast path's mapping --------------------------------------------------

# `Citation` and `Entry` are frozen dataclasses: their `__init__` sets each field
# through `object.__setattr__`, which costs 4 µs a Citation (a fifth of reading a
# record). These classes have the same slots without the frozen `__setattr__`;
# the reader fills one in and then makes it the real class (`__class__`
# assignment, which Python allows between classes of the same layout).


class _OpenCitation:
    __slots__ = Citation.__slots__


class _OpenEntry:
    __slots__ = Entry.__slots__


_new = object.__new__

_PUBMED_SOURCES = frozenset(("PMID", *_PUBMED_ID_TAGS, "N1"))
_DOI_SOURCES = frozenset(("DO", "L3", "M3", "N1"))
_URL_SOURCES = frozenset(_URL_TAGS)


def _is_issn(value: str) -> bool:
    """True for "1234-5678" and "1234-567X" in ASCII digits (what `_ISXN` reads as one ISSN)."""
    return (
        len(value) == 9
        and value[4] == "-"
        and value.isascii()
        and value[:4].isdigit()
        and (value[5:].isdigit() or (value[5:8].isdigit() and value[8] in "Xx"))
    )


def _citation(
    tags: dict[str, list[str]], header_database: str, share: Callable[[str, str], str]
) -> Citation | None:
    """`Citation(*_fields(tags, ...), _extra(tags))`, or None when it is empty.

    The same rules, in the same order, with the usual case of each (one value,
    nothing to tidy) written out here and anything else left to the helpers
    `_fields` uses: this is where a large file spends its time.
    """
    get = tags.get
    # The plain fields, as `_plain_fields` picks them.
    values = get("TY")
    publication_type = ""
    if values is not None and len(values) == 1:
        value = values[0]
        publication_type = (
            clean(value) if "  " in value or "\t" in value or "\n" in value else value.strip()
        )
        if publication_type:
            del tags["TY"]
    if not publication_type:
        publication_type = _pick(tags, ("TY",))
    values = get("TI")
    title = ""
    if values is not None and len(values) == 1:
        value = values[0]
        title = clean(value) if "  " in value or "\t" in value or "\n" in value else value.strip()
        if title:
            del tags["TI"]
    if not title:
        title = _pick(tags, _TITLE_TAGS)
    values = get("T2")
    journal = ""
    if values is not None and len(values) == 1:
        value = values[0]
        journal = clean(value) if "  " in value or "\t" in value or "\n" in value else value.strip()
        if journal:
            del tags["T2"]
    if not journal:
        journal = _pick(tags, _JOURNAL_TAGS)
    values = get("VL")
    volume = ""
    if values is not None and len(values) == 1:
        value = values[0]
        volume = clean(value) if "  " in value or "\t" in value or "\n" in value else value.strip()
        if volume:
            del tags["VL"]
    if not volume and ("VL" in tags or "VO" in tags):
        volume = _pick(tags, ("VL", "VO"))
    values = get("IS")
    issue = ""
    if values is not None and len(values) == 1:
        value = values[0]
        issue = clean(value) if "  " in value or "\t" in value or "\n" in value else value.strip()
        if issue:
            del tags["IS"]
    if not issue and ("IS" in tags or "CP" in tags):
        issue = _pick(tags, ("IS", "CP"))
    values = get("AB")
    abstract = ""
    if values is not None and len(values) == 1:
        value = values[0]
        abstract = (
            clean(value) if "  " in value or "\t" in value or "\n" in value else value.strip()
        )
        if abstract:
            del tags["AB"]
    if not abstract and ("AB" in tags or "N2" in tags):
        abstract = _pick(tags, ("AB", "N2"))
    language = _pick(tags, ("LA",)) if "LA" in tags else ""
    database = _pick(tags, ("DB", "DP")) if "DB" in tags or "DP" in tags else ""
    source_id = _pick(tags, ("ID",)) if "ID" in tags else ""
    values = get("AN")
    accession = ""
    if values is not None and len(values) == 1:
        value = values[0]
        accession = (
            clean(value) if "  " in value or "\t" in value or "\n" in value else value.strip()
        )
        if accession:
            del tags["AN"]
    if not accession and "AN" in tags:
        accession = _pick(tags, ("AN",))
    database = share(database, database) if database else header_database
    journal = share(journal, journal)
    volume = share(volume, volume)
    issue = share(issue, issue)
    language = share(language, language)
    publication_type = share(publication_type, publication_type)

    # Authors, as `_authors` and `_tidy_all` read them.
    authors: tuple[str, ...] = ()
    if "A1" in tags:
        authors = _authors(tags)
    else:
        values = get("AU")
        if values is not None:
            del tags["AU"]
            authors = tuple(map(str.strip, values))
            joined = "\0".join(authors)
            if "  " in joined or "\n" in joined or "\t" in joined:
                authors = tuple(map(_tidy, authors))
            if "" in authors:
                authors = tuple(filter(None, authors))

    # The year, as `_year` reads it.
    year: int | None = None
    values = get("PY")
    if values is not None and len(values) == 1:
        value = values[0].strip()
        if len(value) == 4 and value.isdecimal() and 1500 <= int(value) < 2200:
            del tags["PY"]
            year = int(value)
    if year is None and ("PY" in tags or "Y1" in tags or "DA" in tags):
        year = _year(tags)

    # Pages, as `_pages` reads them: the usual SP "123" and EP "130".
    pages = ""
    start = get("SP")
    end = get("EP")
    if start is not None and end is not None and len(start) == 1 and len(end) == 1:
        first = start[0].strip()
        last = end[0].strip()
        if (
            first.isalnum()
            and last.isalnum()
            and not (first.lower() == "no" and last.lower() == "specified")
        ):
            pages = first if first == last else f"{first}-{last}"
            del tags["SP"], tags["EP"]
        else:
            pages = _pages(tags)
    elif start is not None or end is not None:
        pages = _pages(tags)

    # ISSN and ISBN, as `_serial_numbers` reads them.
    # The usual one or two ISSNs (print and electronic) in SN, else as
    # `_serial_numbers` reads them.
    issn = isbn = ""
    values = get("SN")
    if values is not None and len(values) <= 2 and "BN" not in tags:
        value = values[0].strip()
        second = values[-1].strip()
        if _is_issn(value) and _is_issn(second):
            issn = value.upper()
            if len(values) == 1 or second.upper() == issn:
                del tags["SN"]
            else:
                tags["SN"] = [values[1]]
        else:
            issn, isbn = _serial_numbers(tags)
    elif values is not None or "BN" in tags:
        issn, isbn = _serial_numbers(tags)

    keywords: tuple[str, ...] = ()
    if "KW" in tags:
        keywords = _keywords(tags)
        if keywords:  # MeSH and subject terms repeat across records
            keywords = tuple(map(share, keywords, keywords))

    urls: list[str] = []
    url = ""
    if not _URL_SOURCES.isdisjoint(tags):
        urls = [value for key in _URL_TAGS if key in tags for value in tags[key]]
        url = _url(tags)

    doi = ""
    values = get("DO")
    if values is not None and len(values) == 1 and (doi := doi_from(values[0])):
        del tags["DO"]
    elif urls or not _DOI_SOURCES.isdisjoint(tags):
        doi = _doi(tags, urls)

    if not accession and (urls or "U2" in tags or "N1" in tags):
        accession = _accession(tags, urls)
    pmid = pmcid = ""
    if urls or accession.isdigit() or not _PUBMED_SOURCES.isdisjoint(tags):
        pmid, pmcid = _pubmed_ids(tags, database, accession, urls)
    label = _label(tags) if "N1" in tags else None

    if not (title or abstract or doi or pmid or authors):
        return None  # `Citation.is_empty`

    # What is left is extra, as `_extra` keeps it.
    extra: dict[str, tuple[str, ...]] = {}
    intern = sys.intern
    strip = str.strip
    for tag, values in tags.items():
        if len(values) == 1:
            value = values[0].strip()
            if value:
                extra[intern(tag)] = (value,)
        else:
            kept = tuple(map(strip, values))
            if "" in kept:
                kept = tuple(filter(None, kept))
            if kept:
                extra[intern(tag)] = kept

    citation: Any = _new(_OpenCitation)
    citation.title = title
    citation.authors = authors
    citation.year = year
    citation.journal = journal
    citation.volume = volume
    citation.issue = issue
    citation.pages = pages
    citation.doi = doi
    citation.pmid = pmid
    citation.pmcid = pmcid
    citation.isbn = isbn
    citation.issn = issn
    citation.abstract = abstract
    citation.keywords = keywords
    citation.language = language
    citation.publication_type = publication_type
    citation.url = url
    citation.accession = accession
    citation.source_id = source_id
    citation.database = database
    citation.label = label
    citation.extra = extra
    citation.__class__ = Citation
    result: Citation = citation
    return result


# --- Writing ----------------------------------------------------------------


class RisWriter:
    """Writes standard RIS: TY first, ER last, `XX  - value`, one AU and KW per value."""

    name = "ris"
    label = "RIS"
    extension = "ris"

    def write(self, citations: Iterable[Citation], out: TextIO) -> int:
        count = 0
        for citation in citations:
            out.write(_format(citation))
            count += 1
        return count


def _format(citation: Citation) -> str:
    lines: list[str] = []

    def put(tag: str, value: str) -> None:
        if value:
            first, *more = _stripped_lines(value)
            lines.append(f"{tag}{_SEP}{first}")
            # Continuation lines are indented so none can be mistaken for a tag.
            lines.extend(f"      {line}" for line in more if line.strip())

    extra = citation.extra
    put("TY", citation.publication_type or "GEN")
    put("TI", citation.title)
    for author in citation.authors:
        put("AU", author)
    if citation.year is not None and not _extra_gives(extra, "PY", year_from, citation.year):
        put("PY", str(citation.year))
    put("T2", citation.journal)
    put("VL", citation.volume)
    put("IS", citation.issue)
    _put_pages(put, citation.pages)
    put("SN", citation.issn)
    put("SN", citation.isbn)
    if not _extra_gives(extra, "DO", doi_from, citation.doi):
        put("DO", citation.doi)
    put("AB", citation.abstract)
    for keyword in citation.keywords:
        put("KW", keyword)
    put("LA", citation.language)
    if not _extra_gives(extra, "UR", _first_url, citation.url):
        put("UR", citation.url)
    put("AN", citation.accession)
    put("ID", citation.source_id)
    put("DB", citation.database)
    # PubMed ids have no RIS tag; Dimensions' way of writing them is what `_pubmed_ids` reads.
    if citation.pmid:
        put("U1", f"{citation.pmid} [PMID]")
    if citation.pmcid:
        put("U1", f"{citation.pmcid} [PMCID]")
    notes = list(extra.get("N1", ()))
    if citation.label is not None and (not notes or _label({"N1": notes}) != citation.label):
        put("N1", "ASReview_relevant" if citation.label else "ASReview_irrelevant")
    for tag, values in extra.items():
        if tag in _TAGS and tag not in ("TY", "ER"):
            for value in values:
                put(tag, value)
    lines.append("ER  - ")
    lines.append("")
    return "\n".join(lines) + "\n"


def _stripped_lines(value: str) -> list[str]:
    return [value.strip()] if "\n" not in value else [part.strip() for part in value.split("\n")]


def _put_pages(put: Callable[[str, str], None], pages: str) -> None:
    start, dash, end = pages.partition("-")
    # A range is split into SP and EP only when both halves survive reading back.
    if dash and start.strip() and end.strip() and start.strip() != end.strip():
        put("SP", start.strip())
        put("EP", end.strip())
    else:
        put("SP", pages)


def _first_url(value: str) -> str:
    text = value.strip()
    return text.replace(";", " ").split()[0] if text else ""


def _extra_gives(
    extra: Mapping[str, tuple[str, ...]], tag: str, derive: Callable[[str], object], value: object
) -> bool:
    """True when the first extra value of `tag` reads back as `value`: write that fuller form."""
    values = extra.get(tag, ())
    return bool(values) and bool(value) and derive(values[0]) == value
