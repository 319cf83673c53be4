"""The CSV/TSV and Excel readers on shared exports and exporters' column names; the CSV writer."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.registry import detect_reader
from cosynth.formats.tabular import EMPTY_ROW, CsvReader, CsvWriter, ExcelReader
from tests.shared_data import imports_dir, inventory_files
from tests.shared_data import shared_document as shared

CSV = CsvReader()
EXCEL = ExcelReader()

# (records imported, rows skipped) per shared file, counted by hand.
# duplicate_records.csv: its last four rows hold only "10.4" to "10.7" in the
# DOI column, which are not DOIs, so there is nothing to screen on.
COUNTS: dict[str, tuple[int, int]] = {
    "asreview-datatools/duplicate_data_with_doi.csv": (5, 0),
    "asreview-datatools/duplicate_data_without_doi.csv": (5, 0),
    "asreview-datatools/sample_data.csv": (6, 0),
    "asreview-datatools/snowballing_doi.csv": (2, 0),
    "asreview-datatools/snowballing_openalex.csv": (2, 0),
    "asreview/duplicate_records.csv": (10, 4),
    "asreview/embase.csv": (6, 0),
    "asreview/embase_newpage.csv": (6, 0),
    "asreview/generic.csv": (2, 0),
    "asreview/generic_bad_record_id.csv": (6, 0),
    "asreview/generic_column_names_with_spaces.csv": (2, 0),
    "asreview/generic_labels.csv": (6, 0),
    "asreview/generic_labels_no_abs.csv": (6, 0),
    "asreview/generic_labels_no_title.csv": (6, 0),
    "asreview/generic_partial_labels.csv": (6, 0),
    "asreview/generic_semicolon.csv": (2, 0),
    "asreview/generic_tab.csv": (2, 0),
    "asreview/generic_tab.tab": (2, 0),
    "asreview/generic_tab.tsv": (2, 0),
    "asreview/missing_values.csv": (4, 0),
    "asreview/record_id.csv": (10, 0),
    "citesource/vignettes_vignette_exports/analysis_across_phases_shiny_export.csv": (516, 0),
    "citesource/vignettes_vignette_exports/citesource_benchmark_export.csv": (499, 0),
    "colrev/csv_data.csv": (2, 0),
    "colrev/ieee_csv.csv": (2, 0),
    "colrev/pubmed_csv.csv": (1, 0),
    "colrev/springer_csv.csv": (1, 0),
    "synthesisr/eviatlas.csv": (1, 0),
    "synthesisr/eviatlas.tsv": (1, 0),
    "colrev/xlsx_data.xlsx": (3, 0),
}


def read(doc: Document) -> list[Entry]:
    reader = EXCEL if doc.extension == "xlsx" else CSV
    return list(reader.read(doc))


def citations(doc: Document) -> list[Citation]:
    return [entry.citation for entry in read(doc) if entry.citation is not None]


def table(text: str, name: str = "table.csv", **options: str) -> list[Entry]:
    return read(Document(name, text.encode("utf-8"), options=options))


def rows(text: str, name: str = "table.csv", **options: str) -> list[Citation]:
    return [entry.citation for entry in table(text, name, **options) if entry.citation]


def test_it_knows_every_shared_table() -> None:
    imports_dir()
    assert set(inventory_files("CSV/TSV", "XLSX")) == set(COUNTS)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_it_reads_every_row_of_each_shared_table(name: str) -> None:
    entries = read(shared(name))
    imported = sum(entry.citation is not None for entry in entries)
    assert (imported, len(entries) - imported) == COUNTS[name]


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_it_is_picked_by_auto_detection(name: str) -> None:
    expected = "xlsx" if name.endswith(".xlsx") else "csv"
    assert detect_reader(shared(name)).name == expected


def test_it_reads_an_embase_export() -> None:
    first = citations(shared("asreview/embase.csv"))[0]
    assert first.title == (
        "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound"
    )
    assert first.authors == ("Liu R.", "Adler D.G.")
    # Journal, year, volume, issue and pages come from the "Source" citation.
    assert (first.journal, first.year) == ("Endoscopic Ultrasound", 2014)
    assert (first.volume, first.issue, first.pages) == ("3", "3", "152-160")
    # The DOI is only in the OpenURL link: "id=doi:10.4103%2F2303-9027.138783".
    assert first.doi == "10.4103/2303-9027.138783"
    # Commas inside Emtree's brackets do not split a term.
    assert "bronchogenic duplication cyst (diagnosis, surgery)" in first.keywords
    assert first.extra["Copyright"] == ("Copyright 2014 Elsevier B.V., All rights reserved.",)


def test_it_gives_the_physical_line_where_a_multi_line_row_starts() -> None:
    entries = read(shared("asreview/embase_newpage.csv"))
    # Each abstract starts "TEST", a blank line, then the text: three lines a row.
    assert [entry.line for entry in entries] == [2, 5, 8, 11, 14, 17]
    assert entries[1].raw.startswith("Endoscopic ultrasound-guided fine-needle aspiration")
    assert entries[1].raw.count("\n") == 2


def test_it_reads_asreview_datasets() -> None:
    labelled = citations(shared("asreview/generic_labels.csv"))
    first = labelled[0]
    assert first.authors == ("Marx, Karl", "Lindgren, Astrid")  # a Python list literal
    assert first.keywords == ("Pippi", "Nordwind", "Piraten")
    assert first.year == 2014  # "2014//"
    assert (first.issn, first.pages, first.publication_type) == ("1932-6208", "e0815", "JOUR")
    assert first.source_id == "12345"  # the "id" column
    assert first.extra["secondary_authors"] == ("['Glattauer, Daniel']",)
    assert [c.label for c in labelled] == [True, False, True, False, True, False]
    partial = citations(shared("asreview/generic_partial_labels.csv"))
    assert [c.label for c in partial] == [True, False, None, None, True, False]


def test_it_takes_record_id_as_the_source_id() -> None:
    records = citations(shared("asreview/record_id.csv"))
    assert [c.source_id for c in records] == [str(n) for n in range(12, 2, -1)]
    assert [c.label for c in records[:3]] == [True, False, None]  # final_included
    odd = citations(shared("asreview/generic_bad_record_id.csv"))
    assert [c.source_id for c in odd] == ["0", "0", "3", "4f", "5", "7"]


def test_it_skips_rows_with_nothing_to_screen_and_says_what_they_had() -> None:
    entries = read(shared("asreview/duplicate_records.csv"))
    skipped = [entry for entry in entries if entry.citation is None]
    assert [entry.line for entry in skipped] == [12, 13, 14, 15]
    assert "doi='10.4'" in skipped[0].skipped
    assert skipped[0].raw == ";;10.4;lorem"


def test_it_reads_the_same_table_whatever_the_delimiter() -> None:
    comma = citations(shared("asreview/generic.csv"))
    for name in (
        "asreview/generic_semicolon.csv",
        "asreview/generic_tab.csv",
        "asreview/generic_tab.tab",
        "asreview/generic_tab.tsv",
        "asreview/generic_column_names_with_spaces.csv",
    ):
        assert citations(shared(name)) == comma, name
    assert comma[0].authors == ("Marx, Karl", "Lindgren, Astrid")  # from "first_authors"


def test_it_reads_a_pubmed_csv() -> None:
    [citation] = citations(shared("colrev/pubmed_csv.csv"))
    assert (citation.pmid, citation.pmcid, citation.doi) == (
        "11223344",
        "PMC1122334",
        "10.1111/nature1111",
    )
    assert citation.authors == ("Smith A", "Walter B")
    assert citation.journal == "Nature"
    # Volume, issue and pages from "Nature. 2021 Dec 21;1(2):10-11. doi: ...".
    assert (citation.volume, citation.issue, citation.pages) == ("1", "2", "10-11")


def test_it_reads_ieee_and_springer_exports() -> None:
    ieee = citations(shared("colrev/ieee_csv.csv"))
    assert ieee[0].authors == ("Joseph Rottman", "Erran Carmel", "Mary Lacity")
    assert ieee[0].journal == "Computer"
    assert ieee[1].doi == "10.1109/ICIM56520.2022.00024"
    assert "Solvers' sustained participation" in ieee[1].abstract  # "&#x0027;" decoded
    [springer] = citations(shared("colrev/springer_csv.csv"))
    assert springer.title == "Publication tilte"
    assert (springer.journal, springer.volume, springer.issue) == ("Nature", "17", "3")
    assert (springer.doi, springer.year, springer.publication_type) == (
        "10.1007/11111",
        2000,
        "Article",
    )
    assert springer.authors == ("Andy SmithTom Weber",)  # Springer runs names together


def test_it_reads_citesource_and_ris_tagged_columns() -> None:
    first = citations(
        shared("citesource/vignettes_vignette_exports/citesource_benchmark_export.csv")
    )[0]
    assert first.title == "A systematic review of the impact of wildfires on sleep disturbances"
    assert first.authors[0] == "Isaac, Fadia"
    assert len(first.authors) == 4
    assert (first.year, first.doi) == (2021, "10.3390/ijerph181910152")
    [eviatlas] = citations(shared("synthesisr/eviatlas.tsv"))
    assert eviatlas.title == "EviAtlas: a tool for visualising evidence synthesis databases"
    assert eviatlas.authors[0] == "Haddaway, Neal R."
    assert (eviatlas.journal, eviatlas.pages, eviatlas.issn) == (
        "Environmental Evidence",
        "22",
        "2047-2382",
    )
    assert (eviatlas.source_id, eviatlas.publication_type) == ("Haddaway2019", "JOUR")
    assert eviatlas.extra["DA"] == ("2019/06/04",)


def test_it_reads_snowballing_files() -> None:
    doi = citations(shared("asreview-datatools/snowballing_doi.csv"))
    assert [(c.doi, c.label) for c in doi] == [
        ("10.1071/bt9750475", True),
        ("10.1007/bf00699039", False),
    ]
    assert doi[0].extra["column 1"] == ("0",)  # pandas' unnamed index column
    openalex = citations(shared("asreview-datatools/snowballing_openalex.csv"))
    assert openalex[0].accession == "https://openalex.org/W2051970045"


def test_it_keeps_a_doi_column_that_holds_no_doi_in_extra() -> None:
    first = citations(shared("asreview-datatools/duplicate_data_with_doi.csv"))[0]
    assert first.doi == ""
    assert first.extra["doi"] == ("doi1",)


def test_it_reads_an_excel_workbook() -> None:
    entries = read(shared("colrev/xlsx_data.xlsx"))
    assert [entry.line for entry in entries] == [2, 3, 4]
    first = entries[0].citation
    assert first is not None
    assert (first.title, first.authors, first.year) == (
        "Paper title",
        ("Smith A", "Walter B"),
        2021,
    )
    assert (first.source_id, first.issue, first.publication_type) == ("Id_0001", "12", "article")
    assert first.extra["author_count"] == ("2",)


def test_it_refuses_the_markdown_reference_list() -> None:
    with pytest.raises(ImportFileError) as raised:
        detect_reader(shared("colrev/md_data.md"))
    assert "colrev/md_data.md" in str(raised.value)
    assert "cannot tell what format" in str(raised.value)


# Exporters' columns, inline ---------------------------------------------------

SCOPUS = (
    "\ufeffAuthors,Author full names,Title,Year,Source title,Volume,Issue,Art. No.,Page start,"
    "Page end,DOI,Link,Abstract,Author Keywords,Index Keywords,ISSN,PubMed ID,"
    "Language of Original Document,Document Type,Source,EID\n"
    '"Li, W.; Dou, Z.","Li, Wei (57200000000); Dou, Zhi (57200000001)",Soil fauna,2020,'
    "Ecosystem Health,6,1,1722034,,,10.1080/20964129.2020.1722034,"
    "https://www.scopus.com/inward/record.uri?eid=2-s2.0-85079532227,An abstract,"
    '"reed; soil fauna","Wetlands; Soils, Fauna",20964129,31234567,English,Article,Scopus,'
    "2-s2.0-85079532227\n"
)


def test_it_reads_scopus_columns() -> None:
    [citation] = rows(SCOPUS)
    assert citation.authors == ("Li, W.", "Dou, Z.")
    assert (citation.title, citation.year, citation.journal) == (
        "Soil fauna",
        2020,
        "Ecosystem Health",
    )
    assert citation.pages == "1722034"  # Art. No. when there are no pages
    assert citation.doi == "10.1080/20964129.2020.1722034"
    assert citation.keywords == ("reed", "soil fauna", "Wetlands", "Soils, Fauna")
    assert (citation.pmid, citation.issn, citation.language) == ("31234567", "20964129", "English")
    assert (citation.publication_type, citation.database) == ("Article", "Scopus")
    assert citation.accession == "2-s2.0-85079532227"
    assert citation.url.startswith("https://www.scopus.com/")
    assert "Author full names" in citation.extra


def test_it_joins_scopus_start_and_end_pages() -> None:
    text = "Title,Page start,Page end,Art. No.\nT,12,19,\n"
    assert rows(text)[0].pages == "12-19"


WOS_TAB = (
    "PT\tAU\tAF\tTI\tSO\tDE\tID\tAB\tPY\tVL\tIS\tBP\tEP\tDI\tUT\tPM\n"
    "J\tSmith, J; Roe, R\tSmith, Jane; Roe, Rita\tA study\tJOURNAL OF TESTS\tcare; home\t"
    "CARE; NURSING\tText.\t2019\t12\t3\t101\t110\t10.1000/jt.1\tWOS:000123456700001\t30000001\n"
)


def test_it_reads_web_of_science_tab_delimited_columns() -> None:
    doc = Document("savedrecs.txt", WOS_TAB.encode("utf-8"))
    assert detect_reader(doc).name == "csv"
    [citation] = citations(doc)
    assert citation.authors == ("Smith, Jane", "Roe, Rita")  # AF before AU
    assert citation.extra["AU"] == ("Smith, J; Roe, R",)
    assert citation.keywords == ("care", "home", "CARE", "NURSING")  # DE and Keywords Plus
    assert (citation.journal, citation.year, citation.pages) == (
        "JOURNAL OF TESTS",
        2019,
        "101-110",
    )
    assert (citation.doi, citation.pmid) == ("10.1000/jt.1", "30000001")
    assert citation.accession == "WOS:000123456700001"
    assert citation.database == "Web of Science Core Collection"
    assert citation.publication_type == "J"


def test_it_reads_a_web_of_science_title_that_starts_with_a_quote_mark() -> None:
    text = WOS_TAB + WOS_TAB.split("\n")[1].replace("A study", '"Mind the gap: a study') + "\n"
    records = citations(Document("savedrecs.txt", text.encode("utf-8")))
    assert [c.title for c in records] == ["A study", '"Mind the gap: a study']


def test_it_unwraps_excel_formula_cells_from_cinahl() -> None:
    text = 'Title,Accession Number,DOI,ISSN\n"A title",="123456",="10.1234/abc","=""0001-2345"""\n'
    [citation] = rows(text)
    assert (citation.accession, citation.doi) == ("123456", "10.1234/abc")
    assert citation.issn == "0001-2345"


RAYYAN = (
    "key,title,abstract,authors,year,journal,url,notes\n"
    'r1,One,A,"Doe, J and Roe, K",2020,J,,'
    '"RAYYAN-INCLUSION: {""Alice""=>""Included"", ""Bob""=>""Included""} | RAYYAN-LABELS: x"\n'
    'r2,Two,A,"Doe, J",2020,J,,"RAYYAN-INCLUSION: {""Alice""=>""Excluded""}"\n'
    'r3,Three,A,"Doe, J",2020,J,,'
    '"RAYYAN-INCLUSION: {""Alice""=>""Included"", ""Bob""=>""Excluded""}"\n'
    "r4,Four,A,,2020,J,,\n"
)


def test_it_reads_rayyan_decisions_from_the_notes() -> None:
    records = rows(RAYYAN)
    assert [c.label for c in records] == [True, False, None, None]  # a conflict is undecided
    assert records[0].authors == ("Doe, J", "Roe, K")
    assert records[0].source_id == "r1"
    assert records[0].extra["notes"][0].startswith("RAYYAN-INCLUSION")


def test_it_reads_a_covidence_export() -> None:
    text = (
        "Title,Authors,Abstract,Published Year,Journal,DOI,Accession Number,Covidence #,Study\n"
        'Caring,"Smith, J; Doe, A",Text,2018,BMJ,10.1136/bmj.k1,29000000,#1234,Smith 2018\n'
    )
    [citation] = rows(text)
    assert (citation.year, citation.journal, citation.accession) == (2018, "BMJ", "29000000")
    assert citation.source_id == "#1234"
    assert citation.extra["Study"] == ("Smith 2018",)


def test_it_reads_openalex_columns() -> None:
    text = (
        "id,doi,display_name,publication_year,authorships.author.display_name,"
        "primary_location.source.display_name,ids.pmid,language\n"
        "https://openalex.org/W1,https://doi.org/10.1000/oa.1,Open work,2021,Ann Lee|Bo Chen,"
        "Journal X,https://pubmed.ncbi.nlm.nih.gov/123456,en\n"
    )
    [citation] = rows(text)
    assert citation.authors == ("Ann Lee", "Bo Chen")
    assert (citation.title, citation.doi, citation.pmid) == ("Open work", "10.1000/oa.1", "123456")
    assert (citation.journal, citation.source_id) == ("Journal X", "https://openalex.org/W1")


@pytest.mark.parametrize(
    "header", ["Article Title", "primary_title", "TI", "Document Title", "TITLE", "article.title"]
)
def test_it_recognises_title_columns_by_name(header: str) -> None:
    assert rows(f"{header},Notes\nA found title,x\n")[0].title == "A found title"


def test_it_honours_a_column_mapping() -> None:
    text = "My Title Col,Writers\nMapped,Ann Lee; Bo Chen\n"
    [citation] = rows(text, title="My Title Col", authors="writers", encoding="ignored")
    assert citation.title == "Mapped"
    assert citation.authors == ("Ann Lee", "Bo Chen")


def test_it_moves_a_mapped_column_away_from_its_guessed_field() -> None:
    [citation] = rows("Journal,Source\nBMJ,A title in the wrong column\n", title="source")
    assert (citation.title, citation.journal) == ("A title in the wrong column", "BMJ")


def test_it_names_a_mapped_column_that_does_not_exist() -> None:
    with pytest.raises(ImportFileError) as raised:
        table("Title,Year\nT,2000\n", title="Headline")
    assert "'Headline'" in str(raised.value)
    assert "'Title', 'Year'" in str(raised.value)
    assert raised.value.line == 1


def test_it_refuses_a_table_without_title_abstract_or_doi_columns() -> None:
    with pytest.raises(ImportFileError) as raised:
        table("Name,Colour\nAnn,red\n")
    assert raised.value.problem.startswith("no column holds titles, abstracts or DOIs")
    assert "'Name', 'Colour'" in raised.value.problem


def test_it_skips_empty_rows_and_id_only_rows_with_their_lines() -> None:
    text = 'record_id,title,abstract\n1,"Two\nlines",x\n\n,,\n4,,\n5,Last,\n'
    entries = table(text)
    assert [(entry.line, entry.skipped) for entry in entries][:3] == [
        (2, ""),
        (4, EMPTY_ROW),
        (5, EMPTY_ROW),
    ]
    assert entries[3].line == 6
    assert "record_id='4'" in entries[3].skipped
    assert entries[4].line == 7
    assert entries[4].citation is not None
    assert entries[4].citation.title == "Last"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('title,abstract\nA,b\n"B,unclosed\nC,d\n', 3),
        ('title,abstract\n"A unclosed,b\nC,d\n"E",f\n', 2),
    ],
)
def test_it_refuses_a_quoted_cell_that_is_never_closed(text: str, line: int) -> None:
    # Otherwise the rows after it would silently become part of one cell.
    with pytest.raises(ImportFileError) as raised:
        table(text)
    assert raised.value.line == line
    assert "quote mark is missing" in raised.value.problem


def test_it_accepts_literal_quote_marks_in_cells() -> None:
    text = 'title,size\nA,"5"" disk"\nB,5" disk\n"C\nD",x\n'
    assert [c.extra["size"] for c in rows(text)] == [('5" disk',), ('5" disk',), ("x",)]


def test_it_keeps_cells_beyond_the_header() -> None:
    [citation] = rows("title,year\nT,2000,stray\n")
    assert citation.extra == {"column 3": ("stray",)}


def test_it_passes_blank_lines_above_the_header() -> None:
    entries = table("\n\ntitle;year\nT;2001\n")
    assert entries[0].line == 4
    assert entries[0].citation is not None
    assert entries[0].citation.year == 2001


@pytest.mark.parametrize(
    "head",
    [
        "TY  - JOUR\nTI  - A, title\nER  - \n",
        "PMID- 12345678\nTI  - A, title\n",
        "FN Clarivate Analytics Web of Science\nPT J\n",
        "%0 Journal Article\n%T A, title\n",
        '[{"title": "x", "doi": "y"}]',
        "@article{k, title={T}, doi={x}}",
    ],
)
def test_it_does_not_claim_other_formats(head: str) -> None:
    assert CSV.sniff(Document("x.txt", head.encode())) == 0


def test_it_only_claims_zip_files_that_are_workbooks() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert EXCEL.sniff(Document("x.xlsx", buffer.getvalue())) == 0
    assert EXCEL.sniff(Document("x.csv", b"title\nT\n")) == 0


def test_it_reads_a_workbook_with_numbers_and_blank_rows() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([None, None])
    sheet.append(["Title", "Publication Year", "Included"])
    sheet.append(["Numbers", 2014.0, 1])
    sheet.append([None, None, None])
    sheet.append(["Second", "2015", "no"])
    for _ in range(50):
        sheet.append([None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    doc = Document("book.xlsx", buffer.getvalue())
    assert detect_reader(doc).name == "xlsx"
    entries = read(doc)
    assert entries[0].line == 3
    assert entries[0].citation is not None
    assert (entries[0].citation.year, entries[0].citation.label) == (2014, True)
    assert (entries[1].line, entries[1].skipped) == (4, EMPTY_ROW)
    assert entries[2].citation is not None
    assert (entries[2].line, entries[2].citation.label) == (5, False)
    assert len(entries) == 3  # the blank rows below the data are not rows


def test_it_reports_a_damaged_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")
    with pytest.raises(ImportFileError, match="cannot be opened"):
        read(Document("bad.xlsx", buffer.getvalue()))


# Writer -----------------------------------------------------------------------


def written(citations_: list[Citation]) -> str:
    out = io.StringIO()
    assert CsvWriter().write(citations_, out) == len(citations_)
    return out.getvalue()


def test_it_guards_cells_against_formula_injection() -> None:
    # OWASP "CSV Injection": =, +, -, @ start a formula in a spreadsheet.
    text = written([Citation(title='=HYPERLINK("http://evil","x")', journal="+1", volume="-2")])
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[0] == '\'=HYPERLINK("http://evil","x")'
    assert (row[3], row[4]) == ("'+1", "'-2")
    [citation] = rows(text)
    assert citation.title == '=HYPERLINK("http://evil","x")'


def test_it_writes_one_column_per_field_and_lists_with_semicolons() -> None:
    text = written([Citation(title="T", authors=("Marx, Karl",), keywords=("a", "b"), label=False)])
    header, row = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["title", "authors", "year"]
    assert row[header.index("authors")] == "Marx, Karl;"
    assert row[header.index("keywords")] == "a; b"
    assert row[header.index("label")] == "0"


def test_it_round_trips_a_shared_table() -> None:
    original = citations(shared("asreview/generic_labels.csv"))
    again = rows(written(original))
    assert [c.with_changes(extra={}) for c in again] == [c.with_changes(extra={}) for c in original]


_word = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Z", "Mn", "Me", "Cf")
    ),
    min_size=1,
    max_size=8,
)
_text = st.lists(_word, min_size=1, max_size=5).map(" ".join)
_item = _text.filter(lambda text: ";" not in text)
_doi = st.from_regex(r"10\.[0-9]{4,6}/[A-Za-z0-9][A-Za-z0-9._\-]{0,12}[A-Za-z0-9]", fullmatch=True)

csv_citations = st.builds(
    Citation,
    title=_text,
    authors=st.lists(_item, max_size=4).map(tuple),
    year=st.none() | st.integers(1500, 2199),
    journal=_text | st.just(""),
    volume=_text | st.just(""),
    issue=_text | st.just(""),
    pages=st.from_regex(r"[0-9]{1,4}(-[0-9]{1,4})?", fullmatch=True) | st.just(""),
    doi=_doi | st.just(""),
    pmid=st.from_regex(r"[1-9][0-9]{0,7}", fullmatch=True) | st.just(""),
    pmcid=st.from_regex(r"PMC[0-9]{1,7}", fullmatch=True) | st.just(""),
    isbn=_text | st.just(""),
    issn=_text | st.just(""),
    abstract=_text | st.just(""),
    keywords=st.lists(_item, max_size=4, unique=True).map(tuple),
    language=_text | st.just(""),
    publication_type=_text | st.just(""),
    url=st.from_regex(r"https://example\.org/[a-z0-9_~%&=?#;-]{0,12}", fullmatch=True)
    | st.just(""),
    accession=_text | st.just(""),
    source_id=_text | st.just(""),
    database=_text | st.just(""),
    label=st.none() | st.booleans(),
)


@given(st.lists(csv_citations, min_size=1, max_size=4))
@settings(max_examples=150, deadline=None)
def test_it_reads_back_what_it_writes(originals: list[Citation]) -> None:
    again = rows(written(originals))
    assert again == originals
