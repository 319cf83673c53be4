"""The EndNote/Refer tagged reader against the shared exports and the traps real files hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.refer import ReferReader
from cosynth.formats.registry import detect_reader
from tests.shared_data import imports_dir, inventory_files
from tests.shared_data import shared_document as shared

FORMAT = "EndNote/Refer tagged (enw)"

# Counted by hand: blank-line separated blocks, one %T line each; both agree
# with INVENTORY.csv. The AIS eLibrary records start with %T, not %0, and two
# of them have no %0 at all.
RECORDS = {
    "colrev/ais_enl.txt": 6,
    "colrev/enl_data.enl": 3,
}

reader = ReferReader()


def read(data: bytes, name: str = "export.enw") -> list[Entry]:
    return list(reader.read(Document(name, data)))


def citations(data: bytes, name: str = "export.enw") -> list[Citation]:
    entries = read(data, name)
    assert all(entry.citation is not None for entry in entries), entries
    return [entry.citation for entry in entries if entry.citation is not None]


def shared_citations(name: str) -> list[Citation]:
    return [entry.citation for entry in reader.read(shared(name)) if entry.citation]


def test_it_knows_every_shared_file_of_its_format() -> None:
    imports_dir()
    assert sorted(inventory_files(FORMAT)) == sorted(RECORDS)


@pytest.mark.parametrize(("name", "count"), sorted(RECORDS.items()))
def test_it_reads_every_record_of_each_shared_file(name: str, count: int) -> None:
    entries = list(reader.read(shared(name)))
    assert [entry.skipped for entry in entries if entry.skipped] == []
    assert len(entries) == count


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_it_is_picked_by_auto_detection(name: str) -> None:
    assert detect_reader(shared(name)).name == "endnote-tagged"


def test_it_reads_an_ais_record_in_full() -> None:
    records = shared_citations("colrev/ais_enl.txt")
    first = records[0]
    assert first.title == (
        "How Trust Leads to Commitment on Microsourcing Platforms: Unraveling the Effects "
        "of Governance and Third-Party Mechanisms on Triadic Microsourcing Relationships"
    )
    assert first.authors == ("Guo, Wenbo", "Straub, Detmar W.", "Zhang, Pengzhu", "Cai, Zhao")
    assert first.publication_type == "Journal Article"
    assert first.journal == "Management Information Systems Quarterly"
    assert (first.year, first.volume, first.issue, first.pages) == (2021, "45", "3", "1309-1348")
    assert first.url == "https://aisel.aisnet.org/misq/vol45/iss3/13"
    assert first.abstract.startswith("IS research has extensively examined the role of trust")
    assert first.extra == {"8": ("September  1, 2021",)}
    contents = records[1]
    assert (contents.title, contents.authors, contents.pages) == (
        "MISQ Volume 45, Issue 3 Table of Contents",
        (),
        "i-ii",
    )
    assert contents.publication_type == ""
    hicss = records[3]
    assert hicss.authors[2:4] == ("Os\u00f3rio, Gerardo", "Carvalho, Jo\u00e3o P. P.")
    assert hicss.journal == "Hawaii International Conference on System Sciences 2019 (HICSS-52)"


def test_it_gives_each_record_its_line_and_raw_text() -> None:
    entries = list(reader.read(shared("colrev/enl_data.enl")))
    assert [entry.line for entry in entries] == [1, 17, 29]
    assert entries[1].raw.startswith("%T Microsourcing - Using Information Technology")
    assert entries[1].raw.split("\n")[-1].startswith("%X Offshore outsourcing has increased")
    assert "\n\n" not in entries[1].raw


FULL = (
    "%0 Journal Article\n"
    "%A Smith, Ann\n"
    "%A Jones, Bo\n"
    "%T Caring together: a meta-ethnography\n"
    "%J Health & Social Care in the Community\n"
    "%D 2019\n"
    "%V 27\n"
    "%N 4\n"
    "%P e1-e12\n"
    "%R 10.1111/hsc.12345\n"
    "%U https://example.org/a\n"
    "https://example.org/b\n"
    "%X First paragraph of the abstract.\n"
    "Second paragraph.\n"
    "%K carers\n"
    "integrated care; co-production\n"
    "%K meta-ethnography\n"
    "%@ 0966-0410\n"
    "%M 31234567\n"
    "%~ PubMed\n"
    "%2 PMC6543210\n"
    "%G eng\n"
    "%F Smith2019\n"
    "%8 Jul\n"
)


def test_it_reads_every_mapped_tag() -> None:
    (record,) = citations(FULL.encode())
    assert record.publication_type == "Journal Article"
    assert record.authors == ("Smith, Ann", "Jones, Bo")
    assert record.title == "Caring together: a meta-ethnography"
    assert record.journal == "Health & Social Care in the Community"
    assert (record.year, record.volume, record.issue, record.pages) == (2019, "27", "4", "e1-e12")
    assert record.doi == "10.1111/hsc.12345"
    assert record.url == "https://example.org/a"
    assert record.abstract == "First paragraph of the abstract. Second paragraph."
    assert record.keywords == ("carers", "integrated care", "co-production", "meta-ethnography")
    assert (record.issn, record.isbn) == ("0966-0410", "")
    assert (record.accession, record.database, record.pmid) == ("31234567", "PubMed", "31234567")
    assert record.pmcid == "PMC6543210"
    assert record.language == "eng"
    # An EndNote label (%F) is free text, not a screening decision.
    assert record.label is None
    assert record.extra == {
        "U": ("https://example.org/a\nhttps://example.org/b",),
        "F": ("Smith2019",),
        "8": ("Jul",),
    }


def test_it_tells_an_isbn_from_an_issn() -> None:
    (record,) = citations(b"%0 Book\n%T A book\n%@ 978-0-19-953556-9\n")
    assert (record.isbn, record.issn) == ("978-0-19-953556-9", "")


def test_it_does_not_take_an_accession_number_for_a_pmid_from_other_databases() -> None:
    (record,) = citations(b"%0 Journal Article\n%T T\n%M 123456\n%~ Scopus\n")
    assert (record.accession, record.pmid) == ("123456", "")


def test_it_keeps_the_last_record_when_the_final_newline_is_missing() -> None:
    records = citations(b"%0 Journal Article\n%T One\n\n%0 Journal Article\n%T Two\n%D 2020")
    assert [(record.title, record.year) for record in records] == [("One", None), ("Two", 2020)]


def test_it_starts_a_new_record_at_a_second_type_line_without_a_blank_line() -> None:
    records = citations(b"%0 Journal Article\n%T One\n%0 Book\n%T Two\n")
    assert [record.title for record in records] == ["One", "Two"]


def test_it_reads_crlf_line_endings() -> None:
    (record,) = citations(FULL.replace("\n", "\r\n").encode())
    assert record.abstract == "First paragraph of the abstract. Second paragraph."
    assert record.keywords[-1] == "meta-ethnography"


def test_it_reads_a_file_with_a_utf8_byte_order_mark() -> None:
    data = "\ufeff%0 Journal Article\n%T Caf\u00e9\n%A M\u00fcller, K\n%D 2001\n".encode()
    (record,) = citations(data)
    assert (record.title, record.authors) == ("Caf\u00e9", ("M\u00fcller, K",))
    assert detect_reader(Document("export.txt", data)).name == "endnote-tagged"


def test_it_reads_what_there_is_of_a_record_cut_off_mid_field() -> None:
    records = citations(b"%0 Journal Article\n%T One\n\n%0 Journal Article\n%T Half a ti")
    assert records[1].title == "Half a ti"


def test_it_skips_a_record_cut_off_before_its_first_field() -> None:
    # The intact records import; the stump is listed as skipped with the
    # reason (import reports count skips) rather than failing the whole file.
    entries = read(b"%0 Journal Article\n%T One\n\n%")
    assert entries[0].citation is not None
    assert entries[1].citation is None
    assert entries[1].line == 4
    assert "cut off" in entries[1].skipped


def test_it_skips_a_record_with_nothing_to_screen_on() -> None:
    entries = read(b"%0 Journal Article\n%T One\n\n%0 Journal Article\n%D 2020\n")
    assert entries[1].citation is None
    assert "no title" in entries[1].skipped


def test_it_refuses_a_web_page() -> None:
    page = b"<!DOCTYPE html>\n<html><body>Please sign in</body></html>\n"
    with pytest.raises(ImportFileError, match="web page") as caught:
        read(page)
    assert caught.value.line == 1
    assert reader.sniff(Document("export.enw", page)) == 0


def test_it_refuses_text_that_is_not_refer() -> None:
    with pytest.raises(ImportFileError, match="does not look like an EndNote/Refer"):
        read(b"Title; Authors; Year\n")


def test_it_leaves_tex_ris_and_medline_files_alone() -> None:
    tex = b"% A LaTeX comment\n%T is not a tag here\n\\documentclass{article}\n"
    ris = b"TY  - JOUR\nAU  - Smith, A\nTI  - A title\nER  - \n"
    medline = b"PMID- 1\nTI  - A title.\n"
    for data in (tex, ris, medline):
        assert reader.sniff(Document("x.txt", data)) == 0


# A tiny writer in EndNote's tagged style: one field a line, a keyword a line.
def _write_refer(record: dict[str, object]) -> str:
    authors: list[str] = record["authors"]  # type: ignore[assignment]
    keywords: list[str] = record["keywords"]  # type: ignore[assignment]
    lines = ["%0 Journal Article", f"%T {record['title']}"]
    lines += [f"%A {name}" for name in authors]
    lines += [f"%J {record['journal']}", f"%D {record['year']}", f"%R {record['doi']}"]
    lines += [f"%K {keyword}" for keyword in keywords]
    lines.append(f"%X {record['abstract']}")
    return "\n".join(lines) + "\n"


_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG\u00e9\u00fc0123456789-(),.:%/",
    min_size=1,
    max_size=14,
)
_TEXT = st.lists(_WORD, min_size=1, max_size=60).map(" ".join)
_NAME = st.builds(
    "{}, {}".format,
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz\u00e9-'", min_size=1, max_size=15).map(str.title),
    st.lists(st.sampled_from("ABCDEFGHIJ"), min_size=1, max_size=3).map(". ".join),
)
_RECORD = st.fixed_dictionaries(
    {
        "title": _TEXT,
        "authors": st.lists(_NAME, min_size=1, max_size=6, unique=True),
        "journal": _TEXT,
        "year": st.integers(min_value=1900, max_value=2030),
        "abstract": _TEXT,
        "keywords": st.lists(
            st.lists(_WORD, min_size=1, max_size=3).map(" ".join), max_size=5, unique=True
        ),
        "doi": st.builds(
            "10.{}/{}".format, st.integers(1000, 99999), st.text("abc123", min_size=1)
        ),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_RECORD, min_size=1, max_size=5))
def test_it_reads_back_what_a_refer_writer_wrote(records: list[dict[str, object]]) -> None:
    text = "\n".join(_write_refer(record) for record in records)
    read_back = citations(text.encode())
    assert len(read_back) == len(records)
    for record, citation in zip(records, read_back, strict=True):
        assert citation.title == record["title"]
        assert citation.authors == tuple(record["authors"])  # type: ignore[arg-type]
        assert citation.journal == record["journal"]
        assert citation.year == record["year"]
        assert citation.doi == record["doi"]
        assert citation.keywords == tuple(record["keywords"])  # type: ignore[arg-type]
        assert citation.abstract == record["abstract"]
