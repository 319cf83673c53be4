"""The MEDLINE / PubMed reader against the shared exports and the traps real files hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.medline import MedlineReader
from cosynth.formats.registry import detect_reader
from tests.shared_data import imports_dir, inventory_files
from tests.shared_data import shared_document as shared

FORMAT = "PubMed/MEDLINE tagged (nbib)"

# Counted by hand: blank-line separated blocks, each with one TI line (and one
# PMID line where the variant has them). All agree with INVENTORY.csv.
RECORDS = {
    "colrev/eric_nbib.nbib": 1,
    "colrev/nbib_data.nbib": 1,
    "nbib/pmc_medlars.txt": 5,
    "nbib/pubmed-balloongui-set.nbib": 75,
    "nbib/single.nbib": 1,
    "revtools/restoration_pubmed.nbib": 104,
    "synthesisr/PubMed_example.txt": 3,
    "synthesisr/res_synth_methods.txt": 2,
}

reader = MedlineReader()


def read(data: bytes, name: str = "pubmed.nbib") -> list[Entry]:
    return list(reader.read(Document(name, data)))


def citations(data: bytes, name: str = "pubmed.nbib") -> list[Citation]:
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
    assert detect_reader(shared(name)).name == "medline"


def test_it_reads_a_pubmed_record_in_full() -> None:
    (record,) = shared_citations("nbib/single.nbib")
    assert record.title == (
        "Impact of balloon guide catheter on technical and clinical outcomes: "
        "a systematic review and meta-analysis."
    )
    assert record.authors == ("Brinjikji, Waleed", "Pereira, Vitor M", "Kallmes, David F")
    assert record.year == 2018
    assert record.journal == "Journal of neurointerventional surgery"
    assert (record.volume, record.issue, record.pages) == ("10", "4", "335-339")
    assert record.doi == "10.1136/neurintsurg-2017-013179"
    assert record.pmid == "28754806"
    assert record.issn == "1759-8486"
    assert record.language == "eng"
    assert record.publication_type == "Journal Article"
    assert record.abstract.startswith("BACKGROUND AND PURPOSE: Flow arrest with balloon")
    assert record.abstract.endswith("thrombectomy. And I could go on...")
    assert "Brain Ischemia/diagnostic imaging/*surgery" in record.keywords
    assert "mechanical thrombectomy" in record.keywords
    # What has no field of its own is kept: short names, every type, MeSH, ISSNs.
    assert record.extra["AU"] == ("Brinjikji W", "Pereira VM", "Kallmes DF")
    assert record.extra["PT"] == ("Journal Article", "Meta-Analysis", "Review", "Systematic Review")
    assert record.extra["MH"][0] == "Aged"
    assert record.extra["IS"] == ("1759-8486 (Electronic)", "1759-8478 (Linking)")
    assert record.extra["TA"] == ("J Neurointerv Surg",)
    assert "PMID" not in record.extra
    assert "TI" not in record.extra


def test_it_reads_the_pmc_variant() -> None:
    records = shared_citations("nbib/pmc_medlars.txt")
    second = records[1]
    assert second.pmcid == "PMC6088416"
    assert second.pmid == "30123504"
    assert second.title == (
        "Role of gender in the treatment experiences of people with an eating "
        "disorder: a metasynthesis."
    )
    assert second.authors[0] == "Thapliyal, Priyanka"
    assert second.doi == "10.1186/s40337-018-0207-1"
    assert second.journal == "Journal of Eating Disorders"
    third = records[2]
    assert (third.title, third.pages, third.year) == (
        "Phonological coding during reading.",
        "1534-55",
        2014,
    )
    assert third.authors[0] == "Leinenger, Mallorie"


def test_it_reads_the_eric_variant() -> None:
    (record,) = shared_citations("colrev/eric_nbib.nbib")
    assert record.title == "Paper title"
    assert record.authors == ("Smith, Tom", "Hunter, Shawn")
    assert record.database == "ERIC"
    assert record.accession == "EJ1131633"
    assert record.issn == "1234-4567"
    assert record.doi == "10.1000/123456789"
    assert record.url == "http://dx.doi.org/10.1000/123456789"
    assert record.keywords == ("Keyword 1", "Keyword 2")
    assert record.publication_type == "Journal Articles"
    assert record.extra["SO"] == ("v10 n1 p1-10 2000",)


def test_it_keeps_group_authors_in_their_place() -> None:
    records = shared_citations("revtools/restoration_pubmed.nbib")
    (record,) = [record for record in records if record.pmid == "30269335"]
    assert record.authors == (
        "Olsson, Sara R",
        "Pigg, Maria",
        "Isberg, Per-Erik",
        "EndoReCo",
        "Fransson, Helena",
    )


def test_it_keeps_the_last_record_of_a_file_without_a_final_newline() -> None:
    # synthesisr/PubMed_example.txt really ends without one.
    assert not (imports_dir() / "synthesisr/PubMed_example.txt").read_bytes().endswith(b"\n")
    last = shared_citations("synthesisr/PubMed_example.txt")[-1]
    assert last.pmid == "29967742"
    assert last.title.startswith("Mulch and groundcover effects on soil temperature")
    assert last.doi == "10.7717/peerj.5082"
    assert last.extra["SO"] == (
        "PeerJ. 2018 Jun 25;6:e5082. doi: 10.7717/peerj.5082. eCollection 2018.",
    )


TWO_RECORDS = (
    b"PMID- 111\n"
    b"TI  - First title.\n"
    b"FAU - Smith, Ann\n"
    b"AU  - Smith A\n"
    b"DP  - 2020 Jan\n"
    b"\n"
    b"PMID- 222\n"
    b"TI  - Second title that is\n"
    b"      wrapped.\n"
    b"AU  - Jones B\n"
    b"DP  - 2021"
)


def test_it_keeps_the_last_record_when_the_final_newline_is_missing() -> None:
    records = citations(TWO_RECORDS)
    assert [record.pmid for record in records] == ["111", "222"]
    assert records[1].title == "Second title that is wrapped."
    assert records[1].authors == ("Jones B",)
    assert records[1].year == 2021


def test_it_reads_crlf_line_endings() -> None:
    records = citations(TWO_RECORDS.replace(b"\n", b"\r\n"))
    assert [record.title for record in records] == ["First title.", "Second title that is wrapped."]


def test_it_reads_a_file_with_a_utf8_byte_order_mark() -> None:
    data = "\ufeffPMID- 1\nTI  - Caf\u00e9 culture.\nAU  - M\u00fcller K\n".encode()
    (record,) = citations(data)
    assert record.pmid == "1"
    assert record.title == "Caf\u00e9 culture."
    assert record.authors == ("M\u00fcller K",)
    assert detect_reader(Document("x.txt", data)).name == "medline"


def test_it_gives_each_record_its_line_and_raw_text() -> None:
    entries = read(b"\n\n" + TWO_RECORDS)
    assert [entry.line for entry in entries] == [3, 9]
    assert entries[1].raw.startswith("PMID- 222\nTI  - Second title that is\n      wrapped.")


def test_it_starts_a_new_record_at_a_second_pmid_without_a_blank_line() -> None:
    data = b"PMID- 1\nTI  - One.\nPMID- 2\nTI  - Two.\n"
    assert [record.title for record in citations(data)] == ["One.", "Two."]


def test_it_joins_a_link_cut_by_the_wrapping_without_a_space() -> None:
    # Older PubMed and PMC files strip the space at a line break; a URL or DOI
    # too long for the line is cut at the full width and must be joined back.
    lines = [
        "PMID- 1",
        "TI  - A title.",
        "AB  - Protocols registered at https://www.crd.york.ac.uk/prospero/display_record",
        "      .php?RecordID=42017057829 and funded by the trust; the details are",
        "      in the text.",
        "LID - 10.1000/a-very-long-suffix-that-the-exporter-wrapped-at-the-full-width-of-",
        "      80 [doi]",
    ]
    assert len(lines[2]) == len(lines[5]) == 80
    (record,) = citations("\n".join(lines).encode())
    assert record.abstract == (
        "Protocols registered at https://www.crd.york.ac.uk/prospero/display_record.php"
        "?RecordID=42017057829 and funded by the trust; the details are in the text."
    )
    assert (
        record.doi == "10.1000/a-very-long-suffix-that-the-exporter-wrapped-at-the-full-width-of-80"
    )


def test_it_keeps_the_space_after_a_link_that_ends_a_sentence() -> None:
    # The real case (revtools/restoration_pubmed.nbib): a full line ending in
    # "doi: 10.x/y." followed by the next word on its own line.
    data = (
        b"PMID- 1\n"
        b"TI  - A title.\n"
        b"SO  - Sci Total Environ. 2019 Mar 15;656:598-607. doi: 10.1016/j.scitotenv.2018.11.375.\n"
        b"      Epub 2018 Nov 26.\n"
    )
    (record,) = citations(data)
    assert record.extra["SO"] == (
        "Sci Total Environ. 2019 Mar 15;656:598-607. doi: 10.1016/j.scitotenv.2018.11.375. "
        "Epub 2018 Nov 26.",
    )
    assert record.doi == "10.1016/j.scitotenv.2018.11.375"


def test_it_joins_any_cut_word_in_files_that_keep_the_space_of_word_breaks() -> None:
    # Current PubMed output ends a line broken between words with the space;
    # once a file shows that, a break without the space is a cut word.
    words = " ".join(f"word{number}" for number in range(200))
    lines = _wrap_pubmed("AB  - ", f"{words} then {'x' * 100}.", width=80)
    data = ("PMID- 1\nTI  - T.\n" + "\n".join(lines) + "\n").encode()
    (record,) = citations(data)
    assert record.abstract == f"{words} then {'x' * 100}."


def test_it_skips_a_record_cut_off_before_its_first_field() -> None:
    # A download cut inside the first tag of a record: the records before it
    # are whole and import; the stump is listed as skipped with the reason
    # (import reports count skips) instead of failing the whole file, which
    # would hide the good records behind one broken line.
    data = b"PMID- 1\nTI  - Whole record.\n\nPMI"
    entries = read(data)
    assert entries[0].citation is not None
    assert entries[0].citation.title == "Whole record."
    assert entries[1].citation is None
    assert entries[1].line == 4
    assert "cut off" in entries[1].skipped


def test_it_reads_what_there_is_of_a_record_cut_off_mid_field() -> None:
    data = b"PMID- 1\nTI  - Whole record.\n\nPMID- 2\nTI  - Half a tit"
    records = citations(data)
    assert [record.title for record in records] == ["Whole record.", "Half a tit"]


def test_it_skips_a_record_with_nothing_to_screen_on() -> None:
    entries = read(b"PMID- 1\nTI  - Kept.\n\nOWN - NLM\nSTAT- MEDLINE\n")
    assert entries[1].citation is None
    assert entries[1].line == 4
    assert "no title" in entries[1].skipped


def test_it_refuses_a_web_page_saved_as_nbib() -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>PubMed</title></head><body>Error</body></html>\n"
    with pytest.raises(ImportFileError, match="web page") as caught:
        read(page)
    assert caught.value.line == 1
    assert reader.sniff(Document("pubmed.nbib", page)) == 0
    with pytest.raises(ImportFileError, match="web page"):
        detect_reader(Document("pubmed.nbib", page))


def test_it_refuses_text_that_is_not_medline() -> None:
    with pytest.raises(ImportFileError, match="does not look like a MEDLINE") as caught:
        read(b"\nDear colleague,\nhere are the references.\n")
    assert caught.value.line == 2


def test_it_leaves_ris_files_alone() -> None:
    ris = b"TY  - JOUR\nAU  - Smith, A\nTI  - A title\nPY  - 2020\nER  - \n"
    assert reader.sniff(Document("x.ris", ris)) == 0
    assert reader.sniff(Document("x.txt", ris)) == 0
    with pytest.raises(ImportFileError, match="RIS"):
        read(ris)


def test_it_does_not_claim_web_of_science_or_refer_files() -> None:
    wos = b"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, A\nER\n\nEF\n"
    refer = b"%0 Journal Article\n%T A title\n%A Smith, A\n%D 2020\n"
    assert reader.sniff(Document("x.txt", wos)) == 0
    assert reader.sniff(Document("x.txt", refer)) == 0


# A tiny writer in PubMed's current style: tag padded to four columns, lines
# wrapped at 80 columns between words with the space kept at the line end,
# a word longer than a line cut at the full width.
def _wrap_pubmed(prefix: str, text: str, width: int = 80) -> list[str]:
    lines: list[str] = []
    line = prefix
    for word in text.split(" "):
        if len(line) > 6 and len(line) + len(word) > width:
            lines.append(line)
            line = " " * 6
        rest = word
        while len(line) + len(rest) > width:
            room = width - len(line)
            lines.append(line + rest[:room])
            line, rest = " " * 6, rest[room:]
        line += rest + " "
    lines.append(line.rstrip())
    return lines


def _write_medline(record: dict[str, object]) -> str:
    lines = [f"PMID- {record['pmid']}"]
    lines += _wrap_pubmed("TI  - ", str(record["title"]))
    for author in record["authors"]:  # type: ignore[attr-defined]
        lines.append(f"FAU - {author}")
    lines.append(f"DP  - {record['year']} Mar")
    lines += _wrap_pubmed("AB  - ", str(record["abstract"]))
    for keyword in record["keywords"]:  # type: ignore[attr-defined]
        lines.append(f"OT  - {keyword}")
    lines.append(f"LID - {record['doi']} [doi]")
    return "\n".join(lines) + "\n"


_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG\u00e9\u00fc0123456789-", min_size=1, max_size=14
)
_LINK = st.builds(
    "https://{}/{}".format,
    st.text(alphabet="abcdefghij", min_size=3, max_size=12),
    st.text(alphabet="abcdefghij0123456789/_-=?&", min_size=1, max_size=120),
)
_TEXT = st.lists(st.one_of(_WORD, _WORD, _WORD, _LINK), min_size=1, max_size=80).map(" ".join)
_NAME = st.builds(
    "{}, {}".format,
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz\u00e9-", min_size=1, max_size=15).map(str.title),
    st.lists(st.sampled_from("ABCDEFGHIJ"), min_size=1, max_size=3).map(" ".join),
)
_RECORD = st.fixed_dictionaries(
    {
        "pmid": st.integers(min_value=1, max_value=99_999_999).map(str),
        "title": _TEXT,
        "authors": st.lists(_NAME, min_size=1, max_size=6, unique=True),
        "year": st.integers(min_value=1900, max_value=2030),
        "abstract": _TEXT,
        "keywords": st.lists(_WORD, max_size=5, unique=True),
        "doi": st.builds("10.{}/{}".format, st.integers(1000, 99999), _WORD),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_RECORD, min_size=1, max_size=5))
def test_it_reads_back_what_a_medline_writer_wrote(records: list[dict[str, object]]) -> None:
    text = "\n".join(_write_medline(record) for record in records)
    read_back = citations(text.encode())
    assert len(read_back) == len(records)
    for record, citation in zip(records, read_back, strict=True):
        assert citation.pmid == record["pmid"]
        assert citation.title == record["title"]
        assert citation.authors == tuple(record["authors"])  # type: ignore[arg-type]
        assert citation.year == record["year"]
        assert citation.abstract == record["abstract"]
        assert citation.keywords == tuple(record["keywords"])  # type: ignore[arg-type]
        assert citation.doi == record["doi"]
