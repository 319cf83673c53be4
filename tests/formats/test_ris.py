"""The RIS reader and writer against the shared exports, each database's dialect, and the traps."""

from __future__ import annotations

import io
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats import ris
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import clean
from cosynth.formats.registry import detect_reader
from cosynth.formats.ris import RisReader, RisWriter
from tests.shared_data import imports_dir, inventory, inventory_files
from tests.shared_data import shared_document as shared

FORMATS = ("RIS", "RIS (no TY tag)")

# Checked by counting `TY  -` and `ER  -` lines in every file: INVENTORY.csv is
# right for all but colrev/ris_data.ris, which holds two records (TY CONF
# "Title of a conference paper", whose ER is missing, and TY JOUR "Title of a
# journal paper"); INVENTORY says 1. asreview/baseline_tag_and_field_definitions.ris
# has two ER lines but one record: its second ER closes a stray `UK  - ` tag
# (kept in that record's extra, as Ovid's NL after ER is).
COUNT_CORRECTIONS = {"colrev/ris_data.ris": 2}

# Records read but skipped because they hold nothing to screen on (no title,
# abstract, author, DOI or PMID): ASReview's test files of reference types and
# of notes, whose records have a type and a note only.
SKIPPED = {
    "asreview/baseline_reference_types.ris": 61,
    "asreview/baseline_tag-notes.ris": 11,
}

reader = RisReader()
writer = RisWriter()


def expected_count(name: str) -> int:
    row = next(row for row in inventory() if row.file == name)
    assert row.records is not None
    return COUNT_CORRECTIONS.get(name, row.records)


def shared_citations(name: str) -> list[Citation]:
    return [entry.citation for entry in reader.read(shared(name)) if entry.citation]


def read(data: bytes, name: str = "export.ris") -> list[Entry]:
    return list(reader.read(Document(name, data)))


def citations(data: bytes, name: str = "export.ris") -> list[Citation]:
    entries = read(data, name)
    assert all(entry.citation is not None for entry in entries), entries
    return [entry.citation for entry in entries if entry.citation is not None]


def written(items: list[Citation]) -> str:
    out = io.StringIO()
    assert writer.write(items, out) == len(items)
    return out.getvalue()


def same_fields(citation: Citation) -> Citation:
    """What a citation reads back as after writing: TY is required, GEN when none was given."""
    return citation.with_changes(
        publication_type=citation.publication_type or "GEN", extra=dict(citation.extra)
    )


def plain(citation: Citation) -> Citation:
    return citation.with_changes(extra=dict(citation.extra))


# --- Every shared file ---------------------------------------------------------


def test_it_knows_every_shared_file_of_its_format() -> None:
    imports_dir()
    names = inventory_files(*FORMATS)
    assert len(names) == 115
    assert set(COUNT_CORRECTIONS) | set(SKIPPED) <= set(names)


@pytest.mark.parametrize("name", inventory_files(*FORMATS))
def test_it_reads_every_record_of_each_shared_file(name: str) -> None:
    entries = list(reader.read(shared(name)))
    assert len(entries) == expected_count(name)
    skipped = [entry for entry in entries if entry.citation is None]
    assert len(skipped) == SKIPPED.get(name, 0)
    assert all(entry.skipped for entry in skipped)


@pytest.mark.parametrize("name", inventory_files(*FORMATS))
def test_it_is_picked_by_auto_detection(name: str) -> None:
    assert detect_reader(shared(name)).name == "ris"


@pytest.mark.slow
@pytest.mark.parametrize("name", inventory_files(*FORMATS))
def test_it_reads_each_shared_file_the_same_way_on_both_paths(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Well-formed records take a fast path; the line-by-line path must agree.
    fast = [
        (entry.line, entry.raw, entry.skipped, entry.citation)
        for entry in reader.read(shared(name))
    ]
    monkeypatch.setattr(ris, "_FAST", False)
    slow = [
        (entry.line, entry.raw, entry.skipped, entry.citation)
        for entry in reader.read(shared(name))
    ]
    assert [(line, raw, skipped, c and plain(c)) for line, raw, skipped, c in fast] == [
        (line, raw, skipped, c and plain(c)) for line, raw, skipped, c in slow
    ]
    # The same extra tags in the same order (the writer writes them back in it).
    assert [c and list(c.extra.items()) for *_, c in fast] == [
        c and list(c.extra.items()) for *_, c in slow
    ]


# Records whose fields take each branch of the fast path's mapping (`_citation`)
# or leave it for the helpers: both paths must read them alike.
ODD_FIELDS = [
    "SN  - 1234-5678\nSN  - 1234-567x",
    "SN  - 1234-5678\nSN  - 1234-5678",
    "SN  - 1234-5678 \nSN  - 8765-4321",
    "SN  - 1234-5678\nSN  - 978-0-12-345678-9",
    "SN  - 1234-5678\nBN  - 8765-4321",
    "SN  - \u0661\u0662\u0663\u0664-5678",
    "SN  - 1234-5678; 8765-4321\nSN  - 1111-2222\nSN  - 3333-4444",
    "SP  - 12\nEP  - 12",
    "SP  - e123\nEP  - e130",
    "SP  - No\nEP  - Specified",
    "SP  - 288-97\nEP  - 97",
    "SP  - 12 a\nEP  - 14",
    "SP  - 12\nSP  - 13\nEP  - 14",
    "EP  - 14",
    "PY  - 2019///",
    "PY  - 1400\nY1  - 2001/01/02",
    "PY  - \nDA  - 2003",
    "TI  - \nT1  - The title",
    "TI  - A  title\twith\u00a0space  ",
    "TI  - One\nTI  - Two",
    "T2  - \nJF  - Journal",
    "JO  - Journal\nBT  - Book",
    "AU  - Smith,  J\nAU  - \nAU  - Doe\u00a0J",
    "A1  - Smith, J\nAU  - Doe, J",
    "AB  - \nN2  - An abstract",
    "VO  - 3\nCP  - 4",
    "DO  - not a doi\nL3  - 10.1000/abc",
    "DO  - 10.1000/abc\nDO  - 10.1000/def",
    "UR  - https://doi.org/10.1000/xyz; https://example.org",
    "L2  - https://pubmed.ncbi.nlm.nih.gov/12345678/",
    "AN  - 12345678\nDB  - PubMed",
    "AN  - \nN1  - Accession Number: 178481408; PMID: 33343428",
    "U2  - L373791783\nC2  - PMC9359172",
    "N1  - ASReview_relevant\nN1  - a note",
    "LA  - English\nLA  - French\nID  - 7\nXY  - kept\nPMID- 99",
    "KW  - one; two\nKW  - three",
]


@pytest.mark.parametrize("fields", ODD_FIELDS)
def test_it_maps_fields_the_same_way_on_both_paths(
    fields: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = f"TY  - JOUR\nTI  - Title\n{fields}\nER  - \n\nTY  - JOUR\n{fields}\nER  - \n"
    fast = [(e.line, e.raw, e.skipped, e.citation) for e in read(data.encode())]
    monkeypatch.setattr(ris, "_FAST", False)
    slow = [(e.line, e.raw, e.skipped, e.citation) for e in read(data.encode())]
    assert fast == slow
    assert [c and list(c.extra.items()) for *_, c in fast] == [
        c and list(c.extra.items()) for *_, c in slow
    ]
    assert all(type(c) is Citation for *_, c in fast if c is not None)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    # baseline_reference_types.ris holds no record with anything to write back.
    [
        name
        for name in inventory_files(*FORMATS)
        if not name.endswith("baseline_reference_types.ris")
    ],
)
def test_it_reads_back_what_it_wrote_for_each_shared_file(name: str) -> None:
    originals = shared_citations(name)
    assert originals
    again = citations(written(originals).encode("utf-8"))
    assert [plain(citation) for citation in again] == [
        same_fields(citation) for citation in originals
    ]


@pytest.mark.parametrize(
    ("name", "chunk"),
    [
        ("citesource/tests_shinytest/test_3.ris", 4096),  # bare CR line endings, BOM
        ("asreview/baseline_zotero.ris", 997),  # CRLF, many non-ASCII names
        ("rispy/example_utf_chars.ris", 7),  # multibyte characters cut in two
    ],
)
def test_it_reads_large_files_piece_by_piece_as_it_reads_them_whole(
    name: str, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = [(e.line, e.raw, e.citation and plain(e.citation)) for e in reader.read(shared(name))]
    monkeypatch.setattr(ris, "_CHUNK_BYTES", chunk)
    monkeypatch.setattr(ris, "_STREAM_ABOVE", 0)
    pieces = [(e.line, e.raw, e.citation and plain(e.citation)) for e in reader.read(shared(name))]
    assert pieces == whole


# --- Each database's dialect ---------------------------------------------------


def test_it_reads_an_ovid_psycinfo_record() -> None:
    first = shared_citations("asreview/ovid_psycinfo.ris")[0]
    assert first.title == (
        "The influence of self-criticism on depression symptoms among ambulatory "
        "patients with inflammatory bowel disease."
    )
    assert first.authors[0] == "Trindade, Ines A"
    assert len(first.authors) == 5
    assert first.year == 2019
    assert first.journal == "Clinical Psychology & Psychotherapy"
    assert first.doi == "10.1002/cpp.2398"  # DO held "http://dx.doi.org/10.1002/cpp.2398"
    assert first.issn == "1063-3995"
    assert first.source_id == "2019-65183-001"
    assert first.accession == "2019-65183-001"  # from the link's AN=
    assert first.pages == ""  # SP "No", EP "Specified"
    assert first.extra["SP"] == ("No",)
    # Ovid writes NL after ER; it belongs to the record above.
    assert first.extra["NL"] == ("Clin Psychol Psychother",)


def test_it_reads_an_ovid_medline_record_with_its_pmid_from_the_link() -> None:
    first = shared_citations("citesource/vignettes_new_stage_data/medline_84.ris")[0]
    assert first.title.startswith("Short-Term Exposure to Wildfire-Specific PM2.5")
    assert first.authors[:2] == ("Zhang, Yiwen", "Xu, Rongbin")
    assert first.year == 2024
    assert first.journal == "Diabetes care"
    assert first.doi == "10.2337/dc24-0703"
    assert first.pmid == first.accession == "39012781"
    assert first.database == "Ovid MEDLINE(R) Epub Ahead of Print"


def test_it_reads_an_ebsco_record() -> None:
    first = shared_citations("citesource/vignettes_new_stage_data/envindex_100.ris")[0]
    assert first.title == "Global plant responses to intensified fire regimes."
    assert first.authors == ("Grau\u2010Andrés, Roger", "Moreira, Bruno", "Pausas, Juli G.")
    assert first.year == 2024  # Y1 "2024/08//", kept in extra
    assert first.extra["Y1"] == ("2024/08//",)
    assert (first.journal, first.volume, first.issue, first.pages) == (
        "Global Ecology & Biogeography",
        "33",
        "8",
        "1-15",
    )
    assert first.issn == "1466-822X"  # SN "1466822X"
    assert first.doi == "10.1111/geb.13858"
    assert first.accession == "178481408"  # N1 "Accession Number: 178481408; ..."
    assert first.database == "egh"
    assert first.extra["DP"] == ("EBSCOhost",)
    # The second AB is the publisher's copyright notice.
    assert first.abstract.startswith("Aim: Global change factors")
    assert first.extra["AB"][0].startswith("Copyright of Global Ecology")


def test_it_takes_the_doi_from_l3_in_ebsco_exports_without_do() -> None:
    first = shared_citations("synthesisr/ASP_ris_example.ris")[0]
    assert first.doi == "10.1016/j.agee.2016.06.041"
    assert first.database == "Academic Search Premier"


def test_it_reads_an_ebsco_psycinfo_record_with_the_pmid_in_a_note() -> None:
    found = {
        c.accession: c for c in shared_citations("citesource/vignettes_valid_data/psycinfo_64.ris")
    }
    record = found["2020-98025-001"]
    assert record.pmid == "33343428"
    assert record.database == "psyh"


def test_it_reads_an_embase_record() -> None:
    first = shared_citations("asreview/embase.ris")[0]
    assert first.title == (
        "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound"
    )
    assert first.authors == ("Liu R.", "Adler D.G.")
    assert (first.year, first.journal, first.volume, first.issue, first.pages) == (
        2014,
        "Endoscopic Ultrasound",
        "3",
        "3",
        "152-160",
    )
    assert first.doi == "10.4103/2303-9027.138783"
    assert first.accession == "L373791783"  # U2
    assert first.database == "Embase"
    assert first.language == "English"
    assert first.keywords[:2] == ("article", "bronchogenic duplication cyst")


def test_it_reads_a_scopus_record_with_the_pmid_in_c2() -> None:
    second = shared_citations("asreview/scopus.ris")[1]
    assert second.title == (
        "Hypothesis: Mechanism of irritable bowel syndrome in inflammatory bowel disease"
    )
    assert second.authors == ("Uno, Y.",)
    assert (second.year, second.journal, second.volume) == (2019, "Medical Hypotheses", "132")
    assert second.doi == "10.1016/j.mehy.2019.109324"
    assert second.pmid == "31421429"
    assert second.issn == "0306-9877"  # SN "03069877 (ISSN)"
    assert second.database == "Scopus"
    assert second.extra["J2"] == ("Med. Hypotheses",)


def test_it_reads_a_web_of_science_ris_record() -> None:
    first = shared_citations("asreview/web_of_science.txt")[0]
    assert first.title == (
        "Holding Yourself Captive: Perceptions of Custody During Interviews and Interrogations"
    )
    assert first.authors == ("Alceste, F", "Luke, TJ", "Kassin, SM")
    assert (first.year, first.volume, first.issue, first.pages) == (2018, "7", "3", "387-397")
    assert first.journal == "JOURNAL OF APPLIED RESEARCH IN MEMORY AND COGNITION"
    assert first.doi == "10.1016/j.jarmac.2018.03.001"
    assert first.accession == "WOS:000444108200009"
    assert first.issn == "2211-3681"
    assert first.extra["SN"] == ("2211-369X",)  # the electronic ISSN
    assert first.extra["N1"] == (
        "Times Cited in Web of Science Core Collection:  5\nTotal Times Cited:  7\n"
        "Cited Reference Count:  30",
    )


def test_it_reads_a_proquest_record() -> None:
    first = shared_citations("asreview/proquest.ris")[0]
    assert first.title.startswith("Predictors of posttraumatic stress symptom trajectories")
    assert first.authors[0] == "Jones, Hannah"
    assert (first.year, first.journal) == (2019, "Journal of Traumatic Stress")
    assert first.doi == "10.1002/jts.22387"
    assert first.accession == "2214991469; 51887"
    assert first.issn == "0894-9867"  # SN "0894-9867, 0894-9867"
    assert first.database == "PTSDpubs"


def test_it_reads_a_proquest_thesis_with_an_isbn() -> None:
    thesis = shared_citations("colrev/abi_inform_proquest_ris.ris")[0]
    assert (thesis.publication_type, thesis.title) == ("THES", "Thesis title")
    assert thesis.isbn == "9798373627394"
    assert thesis.issn == ""
    assert thesis.extra["A3"] == ("Jones, Jeff",)


def test_it_reads_a_psycinfo_record_from_apa() -> None:
    (record,) = shared_citations("colrev/psycinfo_ris.ris")
    assert record.title == "Primary Title"
    assert record.authors[0] == "Author-One, Matthias"
    assert record.pmid == "33355555"  # a `PMID  - ` line, not RIS
    assert record.doi == "10.1011/hea0004444"
    assert record.issn == "1999-7777"
    assert record.extra["SN"] == ("1999-7777(Electronic),0222-6666(Print)",)
    assert record.database == "PsycINFO"  # from the download header "Database: PsycINFO"


def test_it_reads_a_zotero_record() -> None:
    first = shared_citations("asreview/pubmed_zotero.ris")[0]
    assert first.title.startswith("The importance of cognitive flexibility")
    assert first.authors[-1] == "Rashedi, Vahid"
    assert (first.year, first.volume, first.issue, first.pages) == (2019, "14", "2", "121-128")
    assert first.journal == "Przeglad gastroenterologiczny"
    assert first.extra["J2"] == ("Prz Gastroenterol",)
    assert first.issn == "1895-5770"  # SN "1895-5770 1895-5770"
    assert first.language == "eng"


def test_it_reads_an_endnote_pubmed_record() -> None:
    first = shared_citations("asreview/pubmed_endnote.txt")[0]
    assert first.title.startswith("Boswellia serrata: an overall assessment")
    assert first.authors == ("Abdel-Tawab, M.", "Werz, O.", "Schubert-Zsilavecz, M.")
    assert first.pages == "349-69"  # the whole range in SP
    assert first.pmid == first.accession == "21553931"  # AN, with DP "NLM"
    assert first.source_id == "369"
    assert first.doi == "10.2165/11586800-000000000-00000"
    # EndNote writes one keyword per continuation line.
    assert first.keywords[:3] == (
        "Animals",
        "Anti-Inflammatory Agents/adverse effects/pharmacokinetics/*pharmacology",
        "Boswellia/*chemistry",
    )


def test_it_reads_a_lens_record_with_pubmed_ids_from_its_links() -> None:
    first = shared_citations("citesource/vignettes_new_stage_data/lens_343.ris")[0]
    assert first.title.startswith("Tramadol for the Management of Opioid Withdrawal")
    assert first.source_id == "000-454-299-663-964"
    assert first.url == "https://lens.org/000-454-299-663-964"
    assert (first.pmid, first.pmcid) == ("32789069", "PMC7417126")
    assert first.issn == "2168-8184"
    assert first.doi == "10.7759/cureus.9128"


def test_it_reads_a_dimensions_record() -> None:
    first = shared_citations("citesource/vignettes_new_stage_data/Dimensions_246.ris")[0]
    assert first.title.startswith("The long-term impact of bushfires on the mental health")
    assert first.accession == "pub.1149029839"
    assert (first.pmid, first.pmcid) == ("35957633", "PMC9359172")  # U1 "... [PMID]"
    assert "U1" not in first.extra
    assert first.journal == "European Journal of Psychotraumatology"


def test_it_reads_an_ieee_record() -> None:
    first = shared_citations("colrev/ieee_ris.ris")[0]
    assert first.publication_type == "CONF"
    assert first.title == "Title of a conference paper"
    assert first.authors[0] == "A. Author-One"
    assert first.journal == "Secondary Title (booktitle title, if applicable)"
    assert (first.year, first.pages) == (2020, "183-186")
    assert first.doi == "10.1234/Random-name55555.2020.00050"
    assert first.extra["Y1"] == ("4-8 Aug. 2020",)


def test_it_reads_a_jstor_record_and_its_download_header() -> None:
    first, second, third = shared_citations("colrev/jstor_ris.ris")[:3]
    assert first.title == "This is the title - charset UTF-8 used"
    assert first.database == "JSTOR"
    assert (first.pages, first.issn) == ("30-33", "0015-5555")
    assert second.issn == "2111-1112"  # SN "21111112, 2777777X"
    assert third.publication_type == "CHAP"
    assert third.isbn == "9777777777779"
    assert third.extra["A2"] == ("Editor, Davide", "Editor, Laureen")


def test_it_reads_a_google_scholar_record() -> None:
    first = shared_citations("citesource/vignettes_valid_data/benchmark.ris")[0]
    assert first.title.startswith("Marital status and problem gambling")
    assert first.database == "Google Scholar"
    assert first.url == "https://link.springer.com/article/10.1007/s10899-015-9575-5"


def test_it_reads_a_file_without_ty_tags() -> None:
    name = "citesource/vignettes_vignette_exports/citesource_benchmark_export.ris"
    first = shared_citations(name)[0]
    assert first.publication_type == ""
    assert first.title == "A systematic review of the impact of wildfires on sleep disturbances"
    assert first.authors[0] == "Isaac, Fadia"
    assert first.doi == "10.3390/ijerph181910152"
    assert first.issn == "1660-4601"  # BN here holds an ISSN
    assert first.extra["C1"] == ("1001",)


def test_it_reads_asreview_labels_from_notes() -> None:
    labels = [c.label for c in shared_citations("asreview/baseline_tag-notes_labels.ris")]
    assert labels[:4] == [True, False, None, None]


def test_it_keeps_the_order_of_thousands_of_authors() -> None:
    (record,) = shared_citations("asreview/ris_many_authors.ris")
    assert len(record.authors) == 7456


# --- Traps seen in real files ----------------------------------------------------


def test_it_reads_utf16_with_a_byte_order_mark() -> None:
    data = "TY  - JOUR\r\nTI  - Café au lait\r\nER  - \r\n".encode("utf-16")
    assert data[:2] == b"\xff\xfe"
    (record,) = citations(data)
    assert record.title == "Café au lait"


def test_it_reads_cp1252_bytes() -> None:
    (record,) = citations(b"TY  - JOUR\nTI  - caf\xe9 \x96 cr\xe8me\nER  - \n")
    assert record.title == "café \u2013 crème"  # 0x96 is an en dash in cp1252


def test_it_reads_a_utf8_byte_order_mark_and_bare_cr_line_endings() -> None:
    data = b"\xef\xbb\xbfTY  - JOUR\rTI  - One\rER  - \r\rTY  - JOUR\rTI  - Two\rER  - \r"
    entries = read(data)
    assert [entry.citation.title for entry in entries if entry.citation] == ["One", "Two"]
    assert [entry.line for entry in entries] == [1, 5]


def test_it_reads_a_file_without_a_final_newline() -> None:
    (record,) = citations(b"TY  - JOUR\nTI  - Last\nER  -")
    assert record.title == "Last"


def test_it_keeps_a_last_record_without_er() -> None:
    records = citations(
        b"TY  - JOUR\nTI  - Whole\nER  - \n\nTY  - JOUR\nTI  - Cut off\nAU  - Smith"
    )
    assert [record.title for record in records] == ["Whole", "Cut off"]
    assert records[1].authors == ("Smith",)


def test_it_ends_a_record_without_er_at_the_next_ty() -> None:
    data = b"TY  - CONF\nTI  - First\nPY  - 2020\n\n\nTY  - JOUR\nTI  - Second\nER  -\n"
    entries = read(data)
    assert [entry.citation.title for entry in entries if entry.citation] == ["First", "Second"]
    assert entries[0].raw == "TY  - CONF\nTI  - First\nPY  - 2020"


def test_it_skips_print_headers_and_numbers_between_records() -> None:
    data = (
        b"Provider: JSTOR http://www.jstor.org\nDatabase: JSTOR\n"
        b'Content: text/plain; charset="UTF-8"\n\nRecord #1 of 2\n1.\n'
        b"TY  - JOUR\nTI  - One\nER  - \n\n"
        b"Link to the Ovid Full Text or citation: http://ovidsp.ovid.com/x?D=psyc16&AN=1\n\n2.\n"
        b"TY  - JOUR\nTI  - Two\nER  - \n"
    )
    entries = read(data)
    assert [(entry.line, entry.citation.title) for entry in entries if entry.citation] == [
        (7, "One"),
        (14, "Two"),
    ]
    assert all(entry.citation and entry.citation.database == "JSTOR" for entry in entries)
    assert entries[0].raw == "TY  - JOUR\nTI  - One\nER  - "


def test_it_reads_tag_lines_with_one_space_a_tab_or_nothing_after_the_hyphen() -> None:
    data = b"TY - JOUR\nTI\t- Tabbed\nAU - Smith, J\nVL  -\nER -\n\nTY  - BOOK\nTI  - Next\nER  -\n"
    first, second = citations(data)
    assert (first.publication_type, first.title, first.authors) == ("JOUR", "Tabbed", ("Smith, J",))
    assert first.volume == ""
    assert (second.publication_type, second.title) == ("BOOK", "Next")


def test_it_splits_files_without_ty_on_er() -> None:
    data = b"TI  - First\nAU  - A\nER  - \n\nTI  - Second\nAU  - B\nER  - \n"
    entries = read(data)
    assert [(entry.line, entry.citation.title) for entry in entries if entry.citation] == [
        (1, "First"),
        (5, "Second"),
    ]
    assert all(entry.citation and entry.citation.publication_type == "" for entry in entries)


def test_it_keeps_tags_from_other_formats() -> None:
    data = b"TY  - JOUR\nPMID  - 33355555\nTI  - Tagged\nOWN  - NLM\nPMID - 999\nER  - \n"
    (record,) = citations(data)
    assert record.pmid == "33355555"
    assert record.extra["OWN"] == ("NLM",)


def test_it_reads_concatenated_exports_with_their_byte_order_marks() -> None:
    one = b"\xef\xbb\xbfTY  - JOUR\r\nTI  - From Scopus\r\nER  - \r\n"
    two = b"\xef\xbb\xbfTY  - JOUR\r\nTI  - From Embase\r\nER  - \r\n"
    assert [record.title for record in citations(one + two)] == ["From Scopus", "From Embase"]


def test_it_joins_continuation_lines_and_skips_blank_lines_inside_records() -> None:
    data = (
        b"TY  - JOUR\nTI  - A title wrapped\n   onto two lines\n\nAB  - First paragraph.\n\n"
        b"ER-positive tumours were studied.\nN1  - first line\n      * second line\n"
        b"    - an indented list item\nER  - \n"
    )
    (record,) = citations(data)
    assert record.title == "A title wrapped onto two lines"
    assert record.abstract == "First paragraph. ER-positive tumours were studied."
    assert record.extra["N1"] == ("first line\n* second line\n- an indented list item",)


def test_it_drops_empty_tags() -> None:
    (record,) = citations(b"TY  - JOUR\nTI  - Kept\nIS  - \nVL  -\nN2  -\nER  - \n")
    assert (record.issue, record.volume, record.abstract) == ("", "", "")
    assert record.extra == {}


def test_it_reads_keywords_one_per_tag_one_per_line_or_in_one_tag() -> None:
    per_tag = citations(b"TY  - JOUR\nTI  - T\nKW  - a; b\nKW  - c\nER  - \n")[0]
    per_line = citations(b"TY  - JOUR\nTI  - T\nKW  - a\nb\nc\nER  - \n")[0]
    one_tag = citations(b"TY  - JOUR\nTI  - T\nKW  - a; b;c\nER  - \n")[0]
    assert per_tag.keywords == ("a; b", "c")  # EconLit and WoS keep ";" inside a keyword
    assert per_line.keywords == ("a", "b", "c")
    assert one_tag.keywords == ("a", "b", "c")


def test_it_tells_an_issn_from_an_isbn() -> None:
    data = b"TY  - BOOK\nTI  - T\nSN  - 978-0-19-852663-6\nSN  - 0028-0836 (Print)\nER  - \n"
    (record,) = citations(data)
    assert (record.isbn, record.issn) == ("978-0-19-852663-6", "0028-0836")


def test_it_finds_dois_where_databases_hide_them() -> None:
    in_m3 = citations(b"TY  - JOUR\nTI  - T\nM3  - doi:10.1037/abc0000123\nER  - \n")[0]
    in_url = citations(
        b"TY  - JOUR\nTI  - T\nUR  - https://doi.org/10.1186/s13750-019-0167-1\nER  - \n"
    )[0]
    as_url = citations(b"TY  - JOUR\nTI  - T\nDO  - http://dx.doi.org/10.1002/cpp.2398\nER  - \n")[
        0
    ]
    assert in_m3.doi == "10.1037/abc0000123"
    assert in_url.doi == "10.1186/s13750-019-0167-1"
    assert as_url.doi == "10.1002/cpp.2398"
    assert "DO" not in as_url.extra


def test_it_keeps_the_whole_date_when_the_year_tag_holds_more() -> None:
    (record,) = citations(b"TY  - JOUR\nTI  - T\nPY  - 2018/04/23/\nER  - \n")
    assert record.year == 2018
    assert record.extra["PY"] == ("2018/04/23/",)


def test_it_skips_a_record_with_nothing_to_screen_on() -> None:
    entries = read(
        b"TY  - GEN\nN1  - Reference Type: Generic\nER  - \n\nTY  - JOUR\nTI  - T\nER  - \n"
    )
    assert entries[0].citation is None
    assert "no title" in entries[0].skipped
    assert entries[0].raw == "TY  - GEN\nN1  - Reference Type: Generic\nER  - "
    assert entries[1].citation is not None


def test_it_keeps_each_records_own_lines_as_raw() -> None:
    data = (
        b"\n\n1.\nTY  - JOUR\nTI  - A\n  wrapped\nER  - \nNL  - Abbrev\n\nLink: x\n2.\n"
        b"TY  - JOUR\nTI  - B\nER  - \n"
    )
    first, second = read(data)
    assert (first.line, first.raw) == (4, "TY  - JOUR\nTI  - A\n  wrapped\nER  - \nNL  - Abbrev")
    assert (second.line, second.raw) == (12, "TY  - JOUR\nTI  - B\nER  - ")
    assert first.citation is not None
    assert first.citation.extra["NL"] == ("Abbrev",)


# --- Bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"<!DOCTYPE html><html><body>Session expired</body></html>", "web page"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ],
)
def test_it_refuses_what_is_not_an_export_by_name(data: bytes, problem: str) -> None:
    with pytest.raises(ImportFileError, match=problem) as raised:
        detect_reader(Document("search-results.ris", data))
    assert "search-results.ris" in str(raised.value)


def test_it_refuses_tags_that_no_record_boundary_delimits() -> None:
    with pytest.raises(ImportFileError, match="no RIS record") as raised:
        read(b"TI  - A title\nAU  - Smith\n", name="half.ris")
    assert raised.value.filename == "half.ris"


def test_it_refuses_a_file_with_no_ris_tag() -> None:
    with pytest.raises(ImportFileError, match="not a RIS file"):
        read(b"title,authors\nA study,Smith\n", name="export.ris")


@pytest.mark.parametrize(
    "head",
    [
        b"PMID- 28754806\nOWN - NLM\nSTAT- MEDLINE\nTI  - A title\nLR  - 20181202\n",
        b"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nTI A title\nER\n",
        b"%0 Journal Article\n%T A title\n%A Smith, J\n%D 2020\n",
    ],
)
def test_it_leaves_medline_web_of_science_and_endnote_files_alone(head: bytes) -> None:
    assert reader.sniff(Document("export.txt", head)) == 0


@pytest.mark.parametrize(
    "name", ["nbib/single.nbib", "rispy/example_wos.ris", "colrev/enl_data.enl"]
)
def test_it_is_not_picked_for_other_tagged_formats(name: str) -> None:
    assert detect_reader(shared(name)).name != "ris"


# --- Writing ---------------------------------------------------------------------


def test_it_writes_standard_ris() -> None:
    citation = Citation(
        title="A study",
        authors=("Smith, Jane", "Doe, J."),
        year=2021,
        journal="Journal of Studies",
        volume="12",
        issue="3",
        pages="288-297",
        doi="10.1000/xyz123",
        pmid="12345678",
        issn="1234-5678",
        keywords=("care", "carers"),
        publication_type="JOUR",
        label=True,
        extra={"AD": ("Somewhere",), "Author Keywords": ("not a RIS tag",), "ER": ("x",)},
    )
    assert written([citation]) == (
        "TY  - JOUR\nTI  - A study\nAU  - Smith, Jane\nAU  - Doe, J.\nPY  - 2021\n"
        "T2  - Journal of Studies\nVL  - 12\nIS  - 3\nSP  - 288\nEP  - 297\n"
        "SN  - 1234-5678\nDO  - 10.1000/xyz123\nKW  - care\nKW  - carers\n"
        "U1  - 12345678 [PMID]\nN1  - ASReview_relevant\nAD  - Somewhere\nER  - \n\n"
    )


def test_it_writes_continuation_lines_that_cannot_be_mistaken_for_tags() -> None:
    citation = Citation(title="T", extra={"N1": ("first\nER  - not the end\nTI  - not a title",)})
    text = written([citation])
    assert "\n      ER  - not the end\n" in text
    (again,) = citations(text.encode())
    assert again.title == "T"
    assert again.extra["N1"] == citation.extra["N1"]


def test_it_writes_a_range_it_cannot_split_into_sp_whole() -> None:
    for pages in ("-5", "5-", "5-5", "e0815", "pp 37-64"):
        (again,) = citations(written([Citation(title="T", pages=pages)]).encode())
        assert again.pages == pages


_TEXT = (
    st.text(
        alphabet=string.ascii_letters + string.digits + " .,:()'-/&éüßø中",
        min_size=1,
        max_size=30,
    )
    .map(clean)
    .filter(bool)
)
_WORD = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12)
_EXTRA_TAGS = st.sampled_from(["AD", "PB", "CY", "C3", "ET", "M1", "RN", "NV", "OP"])
_EXTRA_VALUE = st.lists(_TEXT, min_size=1, max_size=3).map("\n".join)


@st.composite
def citations_to_write(draw: st.DrawFn) -> Citation:
    def maybe(strategy: st.SearchStrategy[str]) -> str:
        return draw(st.one_of(st.just(""), strategy))

    return Citation(
        title=draw(_TEXT),
        authors=tuple(draw(st.lists(_TEXT, max_size=4))),
        year=draw(st.none() | st.integers(1500, 2199)),
        journal=maybe(_TEXT),
        volume=maybe(_WORD),
        issue=maybe(_WORD),
        pages=maybe(st.builds("{}-{}".format, st.integers(1, 999), st.integers(1000, 2000))),
        doi=maybe(st.builds("10.{}/{}".format, st.integers(1000, 99999), _WORD)),
        pmid=maybe(st.integers(1, 99_999_999).map(str)),
        pmcid=maybe(st.integers(1, 9_999_999).map("PMC{}".format)),
        isbn=maybe(st.integers(10**12, 10**13 - 1).map(lambda n: f"978{n}"[:13])),
        issn=maybe(st.builds("{:04d}-{:03d}X".format, st.integers(0, 9999), st.integers(0, 999))),
        abstract=maybe(_TEXT),
        keywords=tuple(
            draw(st.lists(_TEXT.filter(lambda k: ";" not in k), max_size=4, unique=True))
        ),
        language=maybe(_WORD),
        publication_type=draw(st.sampled_from(["JOUR", "BOOK", "CHAP", "CONF", "RPRT", "GEN"])),
        url=maybe(_WORD.map("https://example.org/{}".format)),
        accession=maybe(_WORD.map("A{}".format)),
        source_id=maybe(_WORD),
        database=maybe(st.sampled_from(["Scopus", "Embase", "PsycINFO", "Web of Science"])),
        label=draw(st.none() | st.booleans()),
        extra=draw(
            st.dictionaries(
                _EXTRA_TAGS, st.lists(_EXTRA_VALUE, min_size=1, max_size=2).map(tuple), max_size=3
            )
        ),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(citations_to_write(), min_size=1, max_size=3))
def test_it_reads_back_what_it_writes(originals: list[Citation]) -> None:
    again = citations(written(originals).encode("utf-8"))
    assert [plain(citation) for citation in again] == [plain(citation) for citation in originals]
