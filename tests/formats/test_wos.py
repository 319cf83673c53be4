"""The Web of Science tagged reader against the shared exports and the traps real files hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.registry import detect_reader
from cosynth.formats.wos import WosReader
from tests.shared_data import imports_dir, inventory_files
from tests.shared_data import shared_document as shared

FORMAT = "WoS tagged (ciw)"

# Counted by hand: as many "PT " lines as "ER" lines in each file, all agreeing
# with INVENTORY.csv. rispy/example_wos.ris is a genuine Web of Science tagged
# file (FN/VR header, PT...ER records, EF) despite its .ris name.
RECORDS = {
    "litsearchr/zoorec.txt": 134,
    "revtools/restoration_WoS.ciw": 247,
    "rispy/example_wos.ris": 2,
    "synthesisr/WoS_ciw_example.ciw": 5,
    "synthesisr/WoS_txt_example.txt": 4,
    "synthesisr/zoorec.txt": 134,
}

reader = WosReader()

HEADER = "FN Clarivate Analytics Web of Science\nVR 1.0\n"


def read(data: bytes, name: str = "savedrecs.txt") -> list[Entry]:
    return list(reader.read(Document(name, data)))


def citations(data: bytes, name: str = "savedrecs.txt") -> list[Citation]:
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
    assert detect_reader(shared(name)).name == "wos"


def test_it_reads_a_core_collection_record_in_full() -> None:
    first, second = shared_citations("synthesisr/WoS_ciw_example.ciw")[:2]
    assert first.title == (
        "Soil fauna diversity at different stages of reed restoration in a "
        "lakeshore wetland at Lake Taihu, China"
    )
    assert len(first.authors) == 10
    assert first.authors[:2] == ("Li, Wei", "Dou, Zhiguo")
    assert first.year == 2020
    assert first.journal == "ECOSYSTEM HEALTH AND SUSTAINABILITY"
    assert (first.volume, first.issue) == ("6", "1")
    assert first.pages == "UNSP 1722034"  # the article number (AR), as exported
    assert first.doi == "10.1080/20964129.2020.1722034"
    assert first.accession == "WOS:000514379300001"
    assert first.database == "Web of Science Core Collection"
    assert first.issn == "2096-4129"
    assert first.publication_type == "J"
    assert first.abstract.startswith("Introduction: Wetland soil fauna support material")
    assert first.abstract.endswith("restoring the lakeshore wetland ecosystem.")
    assert first.extra["EI"] == ("2332-8878",)
    assert first.extra["PD"] == ("DEC 16 2020",)
    assert first.extra["RI"] == ("Zhang, Manyin/AAK-5171-2020; LI, WEI/; Dou, Zhiguo/",)
    assert (second.authors, second.pages, second.doi) == (
        ("Higgins, Kathleen Marie",),
        "9-20",
        "10.1111/jaac.12686",
    )


def test_it_gives_each_record_the_line_of_its_pt_tag() -> None:
    entries = list(reader.read(shared("synthesisr/WoS_ciw_example.ciw")))
    assert entries[0].line == 3
    assert entries[0].raw.startswith("PT J\nAU Li, Wei\n   Dou, Zhiguo\n")
    assert entries[0].raw.endswith("UT WOS:000514379300001\nER")


def test_it_reads_the_file_rispy_names_ris() -> None:
    first = shared_citations("rispy/example_wos.ris")[0]
    assert first.title == (
        "Interactions stabilizing the structure of the core light-harvesting complex "
        "(LHl) of photosynthetic bacteria and its subunit (B820)"
    )
    assert first.authors == ("Parkes-Loach, PS", "Majeed, AP", "Law, CJ", "Loach, PA")
    assert (first.year, first.volume, first.issue, first.pages) == (2004, "43", "22", "7003-7016")
    assert first.journal == "BIOCHEMISTRY"
    assert first.pmid == "15170338"
    assert first.language == "English"
    assert first.keywords[:2] == ("CHEMICALLY SYNTHESIZED POLYPEPTIDES", "IN-VITRO RECONSTITUTION")
    assert len(first.keywords) == 10
    # Tags rispy's Web of Science mapping does not know still land in extra;
    # cited references are one value per line: 59 of them, as NR says.
    assert first.extra["J9"] == ("BIOCHEMISTRY-US",)
    assert first.extra["JI"] == ("Biochemistry",)
    assert first.extra["DT"] == ("Article",)
    assert first.extra["GA"] == ("826CV",)
    assert first.extra["NR"] == ("59",)
    assert len(first.extra["CR"]) == 59
    assert (
        first.extra["CR"][1]
        == "Arluison W, 2004, BIOCHEMISTRY-US, V43, P1276, DOI 10.1021/bi030205v"
    )


def test_it_prefers_full_author_names_and_keeps_group_authors() -> None:
    records = shared_citations("revtools/restoration_WoS.ciw")
    first = records[0]
    assert first.authors[0] == "Alvarez-Manzaneda, I."
    assert first.extra["AU"][0] == "Alvarez-Manzaneda, I"
    (grouped,) = [record for record in records if record.accession == "WOS:000453910200009"]
    assert grouped.authors[0] == "Kalayjian, Robert C."
    assert grouped.authors[-2:] == ("ACTG A2554s Team", "ACTG A5303 Team")


def test_it_takes_the_early_access_year_when_there_is_no_publication_year() -> None:
    records = shared_citations("revtools/restoration_WoS.ciw")
    (record,) = [record for record in records if record.accession == "WOS:000454999700001"]
    assert record.year == 2019
    assert record.keywords[:2] == ("alopecia areata", "androgenetic alopecia")
    assert "LASER THERAPY" in record.keywords


def test_it_reads_zoological_record() -> None:
    first = shared_citations("litsearchr/zoorec.txt")[0]
    assert first.title == (
        "Nest site selection and nest survival of Black-backed Woodpeckers after wildfire."
    )
    # The e-mail address Zoological Record puts after a name stays in AU and EM.
    assert first.authors[0] == "Stillman, Andrew N."
    assert first.extra["AU"][0] == "Stillman, Andrew N. (andrew.stillman@uconn.edu)"
    assert first.extra["EM"] == ("andrew.stillman@uconn.edu",)
    assert (first.journal, first.volume, first.issue, first.pages) == (
        "Condor",
        "121",
        "3",
        "duz039",
    )
    assert first.year == 2019
    assert first.accession == "ZOOREC:ZOOR15512090342"
    assert first.database == "Zoological Record"
    assert first.extra["C1"] == (
        "Stillman, Andrew N.; Univ Connecticut, Ecol & Evolutionary Biol, Storrs, "
        "CT, 06269, USA, USA.",
    )
    assert first.extra["OR"] == ("Picoides arcticus (Picidae).",)


def test_it_reads_a_file_whose_end_mark_has_no_newline() -> None:
    # revtools/restoration_WoS.ciw really ends with "EF" and no newline.
    assert (imports_dir() / "revtools/restoration_WoS.ciw").read_bytes().endswith(b"\nEF")
    assert shared_citations("revtools/restoration_WoS.ciw")[-1].accession == "WOS:000451039805163"


ONE_RECORD = (
    HEADER + "PT J\n"
    "AU Smith, A\n"
    "   Jones, B\n"
    "TI A title that the export\n"
    "   wrapped\n"
    "SO JOURNAL\n"
    "PY 2020\n"
    "DI 10.1000/xyz\n"
    "ER\n"
)


def test_it_keeps_the_last_record_without_er_ef_or_a_final_newline() -> None:
    data = (ONE_RECORD + "\nPT J\nAU Last, C\nTI Last title\nPY 2021").encode()
    records = citations(data)
    assert [record.title for record in records] == ["A title that the export wrapped", "Last title"]
    assert records[1].authors == ("Last, C",)


def test_it_reads_crlf_line_endings() -> None:
    (record,) = citations((ONE_RECORD + "\nEF\n").replace("\n", "\r\n").encode())
    assert record.title == "A title that the export wrapped"
    assert record.authors == ("Smith, A", "Jones, B")
    assert record.doi == "10.1000/xyz"


def test_it_reads_a_file_with_a_utf8_byte_order_mark() -> None:
    data = ("\ufeff" + ONE_RECORD + "\nEF").encode()
    (record,) = citations(data)
    assert record.year == 2020
    assert detect_reader(Document("savedrecs.txt", data)).name == "wos"


def test_it_joins_a_link_cut_by_the_wrapping_without_a_space() -> None:
    lines = [
        "PT J",
        "TI A title",
        "AB Data are archived at https://datadryad.org/stash/dataset/doi:10.5061/dryad",
        "   .abc123 and the code with them; both are free to reuse under the terms",
        "   of the licence.",
        "ER",
    ]
    (record,) = citations(("\n".join(lines)).encode())
    assert record.abstract == (
        "Data are archived at https://datadryad.org/stash/dataset/doi:10.5061/dryad.abc123 "
        "and the code with them; both are free to reuse under the terms of the licence."
    )


def test_it_reads_what_there_is_of_a_record_cut_off_mid_field() -> None:
    data = (ONE_RECORD + "\nPT J\nAU Cut, D\nTI Half a ti").encode()
    records = citations(data)
    assert records[1].title == "Half a ti"


def test_it_skips_a_record_cut_off_before_its_first_useful_field() -> None:
    # The intact records import; the stump is listed as skipped with the
    # reason (import reports count skips) rather than failing the whole file.
    entries = read((ONE_RECORD + "\nPT J\nPY 20").encode())
    assert entries[0].citation is not None
    assert entries[1].citation is None
    assert entries[1].line == 13
    assert "cut off" in entries[1].skipped


def test_it_starts_a_new_record_at_pt_when_an_er_line_was_lost() -> None:
    data = b"PT J\nTI First\nPY 2019\nPT J\nTI Second\nER\n"
    assert [record.title for record in citations(data)] == ["First", "Second"]


def test_it_refuses_a_web_page() -> None:
    page = b"<html><head><title>Web of Science</title></head><body>Session expired</body></html>"
    with pytest.raises(ImportFileError, match="web page") as caught:
        read(page)
    assert caught.value.line == 1
    assert reader.sniff(Document("savedrecs.txt", page)) == 0


def test_it_refuses_text_that_is_not_web_of_science() -> None:
    with pytest.raises(ImportFileError, match="does not look like a Web of Science"):
        read(b"title,authors,year\nA,B,2020\n")


def test_it_leaves_ris_and_medline_files_alone() -> None:
    ris = b"TY  - JOUR\nAU  - Smith, A\nTI  - A title\nPY  - 2020\nER  - \n"
    medline = b"PMID- 1\nTI  - A title.\nAU  - Smith A\n"
    assert reader.sniff(Document("x.txt", ris)) == 0
    assert reader.sniff(Document("x.ris", ris)) == 0
    assert reader.sniff(Document("x.txt", medline)) == 0


def test_it_recognises_records_without_the_file_header() -> None:
    data = b"PT J\nAU Smith, A\nTI A title\nSO JOURNAL\nPY 2020\nER\n"
    assert reader.sniff(Document("part.txt", data)) > 0
    assert [record.title for record in citations(data)] == ["A title"]


# A tiny writer in Web of Science's style: two-letter tags, three-space
# continuation lines, text wrapped at 70 columns between words (no space kept
# at the end), one name or reference a line.
def _wrap_wos(tag: str, text: str, width: int = 70) -> list[str]:
    lines: list[str] = []
    line = f"{tag} "
    for word in text.split(" "):
        if len(line) > 3 and len(line) + len(word) > width:
            lines.append(line.rstrip())
            line = "   "
        line += word + " "
    lines.append(line.rstrip())
    return lines


def _write_wos(record: dict[str, object]) -> str:
    authors: list[str] = record["authors"]  # type: ignore[assignment]
    keywords: list[str] = record["keywords"]  # type: ignore[assignment]
    lines = ["PT J", f"AU {authors[0]}", *(f"   {name}" for name in authors[1:])]
    lines += _wrap_wos("TI", str(record["title"]))
    lines.append(f"SO {record['journal']}")
    if keywords:
        lines += _wrap_wos("DE", "; ".join(keywords))
    lines += _wrap_wos("AB", str(record["abstract"]))
    lines += [f"PY {record['year']}", f"DI {record['doi']}", f"UT WOS:{record['ut']}", "ER"]
    return "\n".join(lines) + "\n"


# No "/" or ".": text without links, since Web of Science never cuts a word.
_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG\u00e9\u00fc0123456789-(),", min_size=1, max_size=14
)
_TEXT = st.lists(_WORD, min_size=1, max_size=80).map(" ".join)
_NAME = st.builds(
    "{}, {}".format,
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz\u00e9-", min_size=1, max_size=15).map(str.title),
    st.lists(st.sampled_from("ABCDEFGHIJ"), min_size=1, max_size=3).map("".join),
)
_RECORD = st.fixed_dictionaries(
    {
        "title": _TEXT,
        "authors": st.lists(_NAME, min_size=1, max_size=6, unique=True),
        "journal": st.sampled_from(["NATURE", "LANCET", "BMJ OPEN", "PLOS ONE"]),
        "year": st.integers(min_value=1900, max_value=2030),
        "abstract": _TEXT,
        "keywords": st.lists(
            st.lists(_WORD, min_size=1, max_size=3).map(" ".join), max_size=6, unique=True
        ),
        "doi": st.builds(
            "10.{}/{}".format, st.integers(1000, 99999), st.text("abc123", min_size=1)
        ),
        "ut": st.integers(min_value=10**14, max_value=10**15 - 1).map(str),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_RECORD, min_size=1, max_size=5))
def test_it_reads_back_what_a_wos_writer_wrote(records: list[dict[str, object]]) -> None:
    text = HEADER + "\n".join(_write_wos(record) for record in records) + "\nEF\n"
    read_back = citations(text.encode())
    assert len(read_back) == len(records)
    for record, citation in zip(records, read_back, strict=True):
        assert citation.title == record["title"]
        assert citation.authors == tuple(record["authors"])  # type: ignore[arg-type]
        assert citation.journal == record["journal"]
        assert citation.year == record["year"]
        assert citation.abstract == record["abstract"]
        assert citation.keywords == tuple(record["keywords"])  # type: ignore[arg-type]
        assert citation.doi == record["doi"]
        assert citation.accession == f"WOS:{record['ut']}"
