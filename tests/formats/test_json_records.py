"""The JSON records reader: Google Scholar (shared), CSL-JSON, OpenAlex, Crossref, JSON Lines."""

from __future__ import annotations

import json

import pytest

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.json_records import JsonReader
from cosynth.formats.registry import detect_reader
from tests.shared_data import imports_dir, inventory_files
from tests.shared_data import shared_document as shared

READER = JsonReader()
SCHOLAR = "colrev/google_scholar.json"


def read(doc: Document) -> list[Entry]:
    return list(READER.read(doc))


def inline(data: object | str, name: str = "records.json") -> list[Entry]:
    text = data if isinstance(data, str) else json.dumps(data, indent=2)
    return read(Document(name, text.encode("utf-8")))


def only(data: object) -> Citation:
    [entry] = inline(data)
    assert entry.citation is not None, entry.skipped
    return entry.citation


def test_it_knows_every_shared_json_file() -> None:
    imports_dir()
    assert inventory_files("JSON") == [SCHOLAR]


def test_it_reads_every_record_of_the_google_scholar_file() -> None:
    entries = read(shared(SCHOLAR))
    assert len(entries) == 7
    assert all(entry.citation is not None for entry in entries)
    # Where each object's "{" is: the file is tab-indented, one key a line.
    assert [entry.line for entry in entries] == [2, 27, 51, 73, 99, 124, 150]
    assert entries[0].raw.startswith('{\n\t\t"uid": "GS:10955542985646283611"')


def test_it_is_picked_by_auto_detection() -> None:
    assert detect_reader(shared(SCHOLAR)).name == "json"


def test_it_reads_google_scholar_fields() -> None:
    entries = read(shared(SCHOLAR))
    first = entries[0].citation
    assert first is not None
    assert first.title.startswith("How Trust Leads to Commitment on Microsourcing Platforms")
    assert first.authors == ("W Guo", "D Straub", "P Zhang", "Z Cai")
    assert (first.year, first.journal) == (2021, "MIS Quarterly")
    assert first.source_id == "GS:10955542985646283611"
    assert first.url.startswith("https://search.ebscohost.com/login.aspx")
    # Publish or Perish writes 0 for an unknown volume, issue or page.
    assert (first.volume, first.issue, first.pages) == ("", "", "")
    assert first.extra["cites"] == ("9",)
    fifth = entries[4].citation
    assert fifth is not None
    assert fifth.doi == "10.1007/s10796-013-9440-y"
    sixth = entries[5].citation
    assert sixth is not None
    assert sixth.authors == ("N Janom", "NHA Bakar", "NH Arshad")  # "..." is not a name


CSL = [
    {
        "id": "item1",
        "type": "article-journal",
        "title": "Caring at home",
        "author": [
            {"family": "Smith", "given": "Jane"},
            {"family": "Dijk", "given": "Jan", "non-dropping-particle": "van"},
            {"family": "King", "given": "Martin", "suffix": "Jr."},
            {"literal": "World Health Organization"},
        ],
        "issued": {"date-parts": [[2020, 5, 1]]},
        "container-title": "BMJ",
        "DOI": "10.1136/bmj.m1234",
        "URL": "https://doi.org/10.1136/bmj.m1234",
        "abstract": "<jats:p>Unpaid carers.</jats:p>",
        "ISSN": ["0959-8138", "1756-1833"],
        "page": "12-19",
        "volume": "369",
        "issue": "2",
        "PMID": "32000000",
        "PMCID": "PMC7000000",
        "keyword": "care, home",
        "language": "en",
    }
]


def test_it_reads_csl_json() -> None:
    citation = only(CSL)
    assert citation.authors == (
        "Smith, Jane",
        "van Dijk, Jan",
        "King, Martin, Jr.",
        "World Health Organization",
    )
    assert (citation.title, citation.year, citation.journal) == ("Caring at home", 2020, "BMJ")
    assert (citation.volume, citation.issue, citation.pages) == ("369", "2", "12-19")
    assert (citation.doi, citation.pmid, citation.pmcid) == (
        "10.1136/bmj.m1234",
        "32000000",
        "PMC7000000",
    )
    assert citation.abstract == "Unpaid carers."
    assert citation.issn == "0959-8138"
    assert citation.extra["ISSN"] == ("1756-1833",)
    assert citation.keywords == ("care", "home")
    assert (citation.publication_type, citation.source_id, citation.language) == (
        "article-journal",
        "item1",
        "en",
    )
    assert json.loads(citation.extra["issued"][0]) == {"date-parts": [[2020, 5, 1]]}


OPENALEX = {
    "meta": {"count": 1, "page": 1},
    "results": [
        {
            "id": "https://openalex.org/W2741809807",
            "doi": "https://doi.org/10.7717/peerj.4375",
            "title": "The state of OA",
            "display_name": "The state of OA",
            "publication_year": 2018,
            "type": "article",
            "language": "en",
            "authorships": [
                {"author": {"display_name": "Heather Piwowar"}},
                {"author": {"display_name": "Jason Priem"}},
            ],
            "abstract_inverted_index": {
                "Despite": [0],
                "growing": [1],
                "interest": [2, 4],
                "in": [3],
            },
            "primary_location": {
                "source": {"display_name": "PeerJ", "issn_l": "2167-8359"},
                "landing_page_url": "https://peerj.com/articles/4375",
            },
            "ids": {
                "openalex": "https://openalex.org/W2741809807",
                "pmid": "https://pubmed.ncbi.nlm.nih.gov/29456894",
            },
            "biblio": {"volume": "6", "issue": None, "first_page": "e4375", "last_page": "e4375"},
            "cited_by_count": 800,
        }
    ],
}


def test_it_reads_openalex_works() -> None:
    entries = inline(OPENALEX)
    assert [entry.line for entry in entries] == [7]
    citation = entries[0].citation
    assert citation is not None
    assert citation.authors == ("Heather Piwowar", "Jason Priem")
    assert (citation.title, citation.year) == ("The state of OA", 2018)
    assert citation.doi == "10.7717/peerj.4375"
    assert citation.abstract == "Despite growing interest in interest"  # rebuilt in order
    assert (citation.journal, citation.issn, citation.url) == (
        "PeerJ",
        "2167-8359",
        "https://peerj.com/articles/4375",
    )
    assert (citation.pmid, citation.volume, citation.pages) == ("29456894", "6", "e4375")
    assert citation.source_id == "https://openalex.org/W2741809807"
    assert citation.extra["cited_by_count"] == ("800",)


def test_it_reads_a_crossref_message_and_json_lines() -> None:
    crossref = {
        "status": "ok",
        "message": {
            "total-results": 1,
            "items": [
                {
                    "title": ["From Crossref"],
                    "DOI": "10.5555/12345678",
                    "author": [{"family": "Roe", "given": "Rita"}],
                    "published-print": {"date-parts": [[2019, 3]]},
                }
            ],
        },
    }
    citation = only(crossref)
    assert (citation.title, citation.doi, citation.year) == (
        "From Crossref",
        "10.5555/12345678",
        2019,
    )
    assert citation.authors == ("Roe, Rita",)
    lines = inline('{"title": "First"}\n\n{"title": "Second"}\n', name="works.jsonl")
    assert [(entry.line, entry.citation.title if entry.citation else "") for entry in lines] == [
        (1, "First"),
        (3, "Second"),
    ]


def test_it_reads_a_single_record_object() -> None:
    assert only({"title": "Alone", "year": 1999}).year == 1999


def test_it_reports_invalid_json_with_line_and_column() -> None:
    with pytest.raises(ImportFileError) as raised:
        inline('[\n  {"title": "ok"},\n  {"title": }\n]')
    assert raised.value.line == 3
    assert "line 3, column 13" in raised.value.problem
    with pytest.raises(ImportFileError, match="no JSON value"):
        inline("   ")


def test_it_skips_items_that_are_not_records() -> None:
    entries = inline([{"title": "Kept"}, "a string", {"note": "nothing to screen"}])
    assert entries[0].citation is not None
    assert entries[1].skipped == "this item is a JSON str, not a record object"
    assert entries[2].skipped == "the record has no title, abstract, authors, DOI or PMID"
    assert inline([]) == []


@pytest.mark.parametrize(
    "head",
    [
        "TY  - JOUR\nTI  - A title\nER  - \n",
        "PMID- 12345678\n",
        "title,abstract\n",
        "@article{k, title={T}}",
        "[1, 2, 3]",
        "<xml><records/></xml>",
    ],
)
def test_it_does_not_claim_other_formats(head: str) -> None:
    assert READER.sniff(Document("x.json", head.encode())) == 0
