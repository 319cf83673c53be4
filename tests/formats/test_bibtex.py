"""The BibTeX reader on the shared real files and on the traps BibTeX files set, and the writer."""

from __future__ import annotations

import io
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.citation import Citation
from cosynth.formats.base import Document, Entry
from cosynth.formats.bibtex import BibtexReader, BibtexWriter
from cosynth.formats.bibtex_names import names_from
from cosynth.formats.registry import detect_reader
from tests.shared_data import imports_dir, inventory_files
from tests.shared_data import shared_document as shared

READER = BibtexReader()

# (records imported, entries skipped) per shared file, counted by hand.
# biber-examples.bib: 126 "@" lines are 8 @STRING and 118 entries; 3 biblatex
# @set entries and 10 entries with nothing to screen (pages1-9, list1) are
# skipped. bib_data.bib: the @proceedings ICRC2015 has only a booktitle.
COUNTS: dict[str, tuple[int, int]] = {
    "bibtexparser-edgecases/article_start_with_bom.bib": (1, 0),
    "bibtexparser-edgecases/biber-examples.bib": (105, 13),
    "bibtexparser-edgecases/book_capital_AND.bib": (1, 0),
    "bibtexparser-edgecases/comments_spaces_and_declarations.bib": (1, 0),
    "bibtexparser-edgecases/encoding.bib": (1, 0),
    "bibtexparser-edgecases/gbk_test.bib": (1, 0),
    "bibtexparser-edgecases/traps.bib": (1, 0),
    "bibtexparser-edgecases/wrong.bib": (2, 0),
    "colrev/abi_inform_proquest_bib.bib": (2, 0),
    "colrev/acm_bib.bib": (2, 0),
    "colrev/bib_data.bib": (5, 1),
    "colrev/crossref_bib.bib": (1, 0),
    "colrev/dblp_bib.bib": (2, 0),
    "colrev/ebsco_bib.bib": (2, 0),
    "colrev/europe_pmc_bib.bib": (2, 0),
    "colrev/files_dir_bib.bib": (3, 0),
    "colrev/scopus_bib.bib": (11, 0),
    "colrev/taylor_and_francis_bib.bib": (2, 0),
    "colrev/unknown_source_bib.bib": (1, 0),
    "colrev/web_of_science_bib.bib": (2, 0),
    "colrev/wiley_bib.bib": (2, 0),
    "synthesisr/Scopus_bib_example.bib": (3, 0),
    "synthesisr/litsearchr.txt": (1, 0),
}


def read(doc: Document) -> list[Entry]:
    return list(READER.read(doc))


def citations(doc: Document) -> list[Citation]:
    return [entry.citation for entry in read(doc) if entry.citation is not None]


def inline(text: str, name: str = "inline.bib") -> list[Entry]:
    return read(Document(name, text.encode("utf-8")))


def only(text: str) -> Citation:
    [entry] = inline(text)
    assert entry.citation is not None, entry.skipped
    return entry.citation


def by_key(doc: Document, key: str) -> Citation:
    return next(citation for citation in citations(doc) if citation.source_id == key)


def test_it_knows_every_shared_bibtex_file() -> None:
    imports_dir()
    assert set(inventory_files("BibTeX")) == set(COUNTS)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_it_reads_every_record_of_each_shared_file(name: str) -> None:
    entries = read(shared(name))
    imported = sum(entry.citation is not None for entry in entries)
    skipped = [entry for entry in entries if entry.citation is None]
    assert (imported, len(skipped)) == COUNTS[name]
    assert all(entry.skipped and entry.line > 0 for entry in skipped)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_it_is_picked_by_auto_detection(name: str) -> None:
    assert detect_reader(shared(name)).name == "bibtex"


def test_it_reads_a_scopus_export() -> None:
    first = citations(shared("synthesisr/Scopus_bib_example.bib"))[0]
    assert first.title.startswith("Soil fauna diversity at different stages of reed restoration")
    assert first.authors[:2] == ("Li, W.", "Dou, Z.")
    assert len(first.authors) == 10
    assert first.year == 2020
    assert first.journal == "Ecosystem Health and Sustainability"
    assert (first.volume, first.issue) == ("6", "1")
    assert first.pages == "1722034"  # the article number stands in for pages
    assert first.doi == "10.1080/20964129.2020.1722034"
    assert first.issn == "20964129"
    assert first.language == "English"
    assert first.database == "Scopus"
    assert first.source_id == "Li2020"
    assert first.publication_type == "article"
    assert first.keywords[:2] == ("Environmental factors", "Lake Taihu")
    assert first.extra["abbrev_source_title"] == ("Ecosyst. Health Sustain.",)


def test_it_keeps_the_first_of_a_repeated_field_and_the_rest_in_extra() -> None:
    first = citations(shared("synthesisr/Scopus_bib_example.bib"))[0]
    # Scopus writes funding_details twice; bibtexparser 2 drops such an entry.
    assert first.extra["funding_details"] == (
        "University of TwenteUniversity of Twente",
        "Special Fund for Forest Scientific Research in the Public WelfareSpecial Fund for "
        "Forest Scientific Research in the Public Welfare, 201404305, 200904001, CAFYBB2011007",
    )
    # ... and a field name with a (non-breaking) space in it.
    assert "funding_text 1" in first.extra


def test_it_reads_a_google_scholar_style_entry() -> None:
    [citation] = citations(shared("synthesisr/litsearchr.txt"))
    assert citation.authors == (
        "Grames, Eliza M",
        "Stillman, Andrew N",
        "Tingley, Morgan W",
        "Elphick, Chris S",
    )
    assert citation.pages == "1645-1654"
    assert citation.journal == "Methods in Ecology and Evolution"
    assert citation.source_id == "grames2019automated"


def test_it_reads_a_web_of_science_export() -> None:
    doc = shared("colrev/web_of_science_bib.bib")
    first = by_key(doc, "WOS:000223334444221")
    assert first.doi == "10.1007/999-9-999-99999-9_3"  # "\_" unescaped
    assert first.accession == "WOS:000223334444221"
    assert first.journal == "A BOOKTITLE"
    assert first.publication_type == "inproceedings"
    second = by_key(doc, "WOS:000444488888888")
    assert second.title == "A dummy title's"  # "&apos;" decoded
    assert second.pages == "111-188"


def test_it_decodes_latex_in_the_bibtexparser_traps() -> None:
    [citation] = citations(shared("bibtexparser-edgecases/traps.bib"))
    assert citation.title == "An amazing title"  # protective braces dropped
    # One name in "Last, First" form spread over two lines: no "and" in it.
    assert citation.authors == ("Jean Laidé, Ben Loaeb",)
    assert citation.volume == "n.s. 2"  # "~" is a space
    assert citation.extra["month"] == ("jan",)  # quoted, so not the macro


def test_it_reads_a_file_starting_with_a_byte_order_mark() -> None:
    [citation] = citations(shared("bibtexparser-edgecases/article_start_with_bom.bib"))
    assert citation.authors == ("César, Jean",)
    assert citation.keywords == ("keyword1", "keyword2")  # from the singular "keyword"
    assert "érudit" in citation.abstract


def test_it_splits_authors_on_capital_and() -> None:
    [citation] = citations(shared("bibtexparser-edgecases/book_capital_AND.bib"))
    assert citation.authors == ("Bird, R.B.", "Armstrong, R.C.", "Hassager, O.")


def test_it_expands_string_macros_and_skips_comments_and_preambles() -> None:
    [citation] = citations(shared("bibtexparser-edgecases/comments_spaces_and_declarations.bib"))
    assert citation.title == "A great title"


def test_it_reads_biblatex_fields_macros_and_accents() -> None:
    doc = shared("bibtexparser-edgecases/biber-examples.bib")
    kastenholz = by_key(doc, "kastenholz")
    assert kastenholz.authors == ("Kastenholz, M. A.", "Hünenberger, Philippe H.")
    assert kastenholz.journal == "J. Chem. Phys."  # @STRING jchph, "~" as a space
    assert kastenholz.title.endswith(
        "molecular simulations: I. The electrostatic potential in molecular liquids"
    )  # title: subtitle
    assert kastenholz.doi == "10.1063/1.2172593"
    aksin = by_key(doc, "set:aksin")
    assert aksin.authors[0] == "Aks\u0131n, Özge"  # {\i}: a dotless i
    assert aksin.authors[5] == "Büyükgüngör, Orhan"
    assert by_key(doc, "shore").extra["month"] == ("March",)  # the predefined macro mar
    assert by_key(doc, "set:herrmann").title == (
        "A carbocyclic carbene as an efficient catalyst ligand for C\u2013C coupling reactions"
    )
    # Maths loses its "$" but keeps its text.
    assert by_key(doc, "t1").title == "10% of [100] and 90% of Normal_2 | & # things ^3"
    assert by_key(doc, "Pimentel00").authors == ("Pimentel, Joseph J., Jr.",)
    assert by_key(doc, "tvonb").authors == ("von Bobble, Terrence",)
    assert by_key(doc, "hasan").authors == ("al-Hasan, ʿAlī",)
    assert by_key(doc, "nietzsche:ksa").extra["publisher"] == (
        "Deutscher Taschenbuch-Verlag and Walter de Gruyter",  # macro # {text}
    )


def test_it_inherits_fields_from_a_crossref_parent() -> None:
    mouse = by_key(shared("colrev/bib_data.bib"), "mouse;2015")
    assert mouse.year == 2015
    assert mouse.journal == "Proceedings of the 34th International Cosmic Ray Conference"


def test_it_reads_publisher_quirks() -> None:
    tandf = citations(shared("colrev/taylor_and_francis_bib.bib"))
    assert tandf[0].pmid == "33355555"  # from note = {PMID: 33355555}
    assert tandf[0].url == "https://doi.org/10.1111/07777777.2018.1666666"
    assert tandf[0].authors == ("Does, Tandf", "Follow, Not", "Conventions, Naming")
    wiley = citations(shared("colrev/wiley_bib.bib"))
    assert wiley[0].doi == "10.1111/1111222233334.ch29"  # written as a URL
    assert wiley[0].journal == "Dummy in Practice"  # booktitle of an @inbook
    acm = citations(shared("colrev/acm_bib.bib"))
    assert acm[1].pages == "123-456"  # an en dash in the file
    assert acm[1].year is None
    assert acm[1].extra["year"] == ("888",)  # not a plausible year, kept
    scopus = citations(shared("colrev/scopus_bib.bib"))
    assert scopus[9].source_id == "Conference paper2022775"  # a key with a space


def test_it_mends_a_value_whose_braces_close_too_early() -> None:
    second = citations(shared("colrev/ebsco_bib.bib"))[1]
    assert second.title == "When sharing fixes prices."
    assert second.authors == ("Cruise, Tom",)
    assert second.keywords[:3] == ("Price fixing", "Sharing economy", "Antitrust law")


def test_it_reads_gbk_bytes_as_latin_text_without_failing() -> None:
    # The file is GBK (Chinese); without a declared encoding the shared
    # decoder reads undecodable UTF-8 as cp1252, so names come out garbled.
    [citation] = citations(shared("bibtexparser-edgecases/gbk_test.bib"))
    assert citation.title == "Test Title"
    assert citation.year == 2013
    assert citation.authors == (b"\xbf\xad\xc8\xf6".decode("cp1252"),)


def test_it_imports_an_entry_of_an_unknown_type() -> None:
    entries = citations(shared("bibtexparser-edgecases/wrong.bib"))
    assert [(c.publication_type, c.authors) for c in entries] == [
        ("wrong", ("wrong",)),
        ("article", ("correct",)),
    ]


# Traps, inline --------------------------------------------------------------


def test_it_skips_a_broken_entry_with_its_line_and_reads_the_others() -> None:
    entries = inline(
        "@article{a, title={One}}\n"
        "\n"
        "@article{b, title={Two}, year = }\n"
        "@article{c, title={Three}}\n"
    )
    assert [entry.line for entry in entries] == [1, 3, 4]
    assert entries[1].citation is None
    assert "'year'" in entries[1].skipped
    assert entries[1].raw == "@article{b, title={Two}, year = }"
    assert [e.citation.title for e in entries if e.citation] == ["One", "Three"]


def test_it_skips_an_entry_with_an_unclosed_brace_and_reads_the_next() -> None:
    entries = inline("@article{a, title={One,\n  year = {2000}\n}\n@article{b, title={Two}}\n")
    assert entries[0].citation is None
    assert "not closed before the next entry starts" in entries[0].skipped
    assert entries[1].line == 4
    assert entries[1].citation is not None
    assert entries[1].citation.title == "Two"


def test_it_reports_a_missing_comma_after_the_key() -> None:
    [entry] = inline("@article{key title = {T}}")
    assert entry.skipped.startswith("BibTeX syntax error: expected a comma after the citation key")


def test_it_forgives_a_missing_comma_between_fields() -> None:
    citation = only("@article{k, title = {T}\n  year = {2001}}")
    assert (citation.title, citation.year) == ("T", 2001)


def test_it_keeps_the_first_repeated_field() -> None:
    citation = only("@article{k, title={First}, title={Second}, year=2000}")
    assert citation.title == "First"
    assert citation.extra["title"] == ("Second",)
    assert citation.year == 2000


def test_it_reads_entries_in_parentheses_and_any_case() -> None:
    citation = only('@ARTICLE(key, title = "Quoted {Title}", AUTHOR = "Doe, J.")')
    assert citation.title == "Quoted Title"
    assert citation.authors == ("Doe, J.",)
    assert citation.source_id == "key"


def test_it_joins_macros_and_strings_with_hash() -> None:
    citation = only(
        '@string{jn = "Journal of " # {Tests}}\n'
        "@comment{ignored {nested} text}\n"
        '@preamble{ "\\newcommand{\\noop}[1]{}" }\n'
        "@article{k, title={T}, journal = jn # { Weekly}, month = mar}"
    )
    assert citation.journal == "Journal of Tests Weekly"
    assert citation.extra["month"] == ("March",)


@pytest.mark.parametrize(
    ("written", "text"),
    [
        ('{\\"u}ber', "über"),
        ('\\"{u}ber', "über"),
        ("Caf{\\'e}", "Café"),
        ("Caf\\'{e}", "Café"),
        ("Fran\\c{c}ois", "François"),
        ("Garc{\\'\\i}a", "García"),
        ("{\\o}re", "øre"),
        ("Stra\\ss{}e", "Straße"),
        ("R \\& D 50\\% \\$5 \\#1 a\\_b", "R & D 50% $5 #1 a_b"),
        ("The {RNA} {\\emph{world}}", "The RNA world"),
        ("C--C and 1900---2000", "C\u2013C and 1900\u20142000"),
        ("Tom~and~Jerry", "Tom and Jerry"),
        ("$\\alpha$-helix", "\u03b1-helix"),
    ],
)
def test_it_decodes_latex(written: str, text: str) -> None:
    assert only(f"@article{{k, title = {{{written}}}}}").title == text


def test_it_reads_latin1_bytes() -> None:
    [entry] = read(Document("l.bib", b"@article{k, author={Jos\xe9 Garc\xeda}, title={T}}"))
    assert entry.citation is not None
    assert entry.citation.authors == ("García, José",)


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Smith, Jane and Doe, John", ("Smith, Jane", "Doe, John")),
        ("Jane Smith AND John Doe", ("Smith, Jane", "Doe, John")),
        ("{World Health Organization} and Smith, J.", ("World Health Organization", "Smith, J.")),
        ("Ludwig van Beethoven", ("van Beethoven, Ludwig",)),
        ("King, Jr., Martin Luther", ("King, Martin Luther, Jr.",)),
        ("Smith, J. and others", ("Smith, J.",)),
        ("{Barnes and Noble}", ("Barnes and Noble",)),
        ("Aristotle", ("Aristotle",)),
    ],
)
def test_it_puts_names_in_surname_given_order(value: str, names: tuple[str, ...]) -> None:
    assert names_from(value) == names


def test_it_maps_identifiers_pages_and_keywords() -> None:
    citation = only(
        "@article{k, title={T}, doi = {https://doi.org/10.1000/xyz\\_1},\n"
        "  eprint = {12345678}, eprinttype = {pubmed}, pages = {12 -- 15},\n"
        "  keywords = {care; home, help; family}, url = {http://a.org/x \\url{b}},\n"
        "  journaltitle = {J}, date = {2019-04-01}, issn = {1234-5678}, langid = {english}}"
    )
    assert citation.doi == "10.1000/xyz_1"
    assert citation.pmid == "12345678"
    assert citation.pages == "12-15"
    assert citation.keywords == ("care", "home, help", "family")
    assert citation.url == "http://a.org/x"
    assert (citation.journal, citation.year, citation.language) == ("J", 2019, "english")


def test_it_skips_an_entry_with_nothing_to_screen() -> None:
    [entry] = inline("@misc{e, note = {nothing here}}")
    assert entry.citation is None
    assert entry.skipped == "the entry has no title, authors, abstract, DOI or PMID"


def test_it_reads_an_entry_without_a_key() -> None:
    assert only("@article{title = {No key}}").source_id == ""


@pytest.mark.parametrize(
    "head",
    [
        "TY  - JOUR\nTI  - A title\nER  - \n",
        "PMID- 12345678\nTI  - A title\n",
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\n",
        "%0 Journal Article\n%T A title\n%A Smith, J\n",
        '[{"title": "x"}]',
        "title,abstract\nx,y\n",
    ],
)
def test_it_does_not_claim_other_formats(head: str) -> None:
    assert READER.sniff(Document("x.txt", head.encode())) == 0


def test_it_does_not_claim_a_plain_reference_list() -> None:
    assert READER.sniff(shared("colrev/md_data.md")) == 0


# Writer ---------------------------------------------------------------------


def write(citations_: list[Citation]) -> str:
    out = io.StringIO()
    assert BibtexWriter().write(citations_, out) == len(citations_)
    return out.getvalue()


def test_it_writes_unique_keys() -> None:
    same = Citation(title="Caring", authors=("Smith, Jane",), year=2020)
    text = write([same, same, same.with_changes(source_id="k"), same.with_changes(source_id="k")])
    keys = [c.source_id for c in citations(Document("o.bib", text.encode()))]
    assert keys == ["Smith2020Caring", "Smith2020Caringa", "k", "ka"]


def test_it_escapes_braces_and_specials() -> None:
    title = "Set {A} & 100% _x_ $5 #1 ~ ^ \\ -- done"
    text = write([Citation(title=title, doi="10.1000/a_b{c}", url="http://x.org/~me?a=1&b=2")])
    assert text.count("{") == text.count("}")
    [citation] = citations(Document("o.bib", text.encode()))
    assert citation.title == title
    assert citation.url == "http://x.org/~me?a=1&b=2"


def test_it_round_trips_a_shared_file() -> None:
    original = citations(shared("synthesisr/Scopus_bib_example.bib"))
    again = citations(Document("o.bib", write(original).encode()))
    fields = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "issn")
    for before, after in zip(original, again, strict=True):
        assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
        assert (after.abstract, after.keywords, after.url) == (
            before.abstract,
            before.keywords,
            before.url,
        )
        assert (after.source_id, after.database, after.language) == (
            before.source_id,
            before.database,
            before.language,
        )


# Text as the readers leave it: no control characters, single spaces, trimmed.
_TEXT_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Zs", "Mn", "Me", "Mc", "Cf"),
)
_words = st.text(_TEXT_ALPHABET, min_size=1, max_size=8)
_text = st.lists(_words, min_size=1, max_size=6).map(" ".join)
_name_part = st.text(
    st.characters(codec="utf-8", categories=("L",)) | st.sampled_from("-'. {}&%_"),
    min_size=1,
    max_size=10,
).filter(lambda part: part == " ".join(part.split()) and "," not in part and part.strip("."))
_person = st.tuples(_name_part, _name_part).map(", ".join)
_corporate = st.lists(_name_part, min_size=1, max_size=4).map(" ".join)
_keyword = _text.filter(lambda word: ";" not in word)
_doi = st.from_regex(r"10\.[0-9]{4,6}/[A-Za-z0-9][A-Za-z0-9._\-]{0,12}[A-Za-z0-9]", fullmatch=True)
_key = st.text(string.ascii_letters + string.digits + ":-_", min_size=1, max_size=12)

citations_strategy = st.builds(
    Citation,
    title=_text,
    authors=st.lists(_person | _corporate, max_size=4).map(tuple),
    year=st.none() | st.integers(1600, 2100),
    journal=_text | st.just(""),
    volume=st.from_regex(r"[0-9]{1,3}", fullmatch=True) | st.just(""),
    issue=st.from_regex(r"[0-9]{1,2}", fullmatch=True) | st.just(""),
    pages=st.from_regex(r"[0-9]{1,4}(-[0-9]{1,4})?", fullmatch=True) | st.just(""),
    doi=_doi | st.just(""),
    abstract=_text | st.just(""),
    keywords=st.lists(_keyword, max_size=4, unique=True).map(tuple),
    url=st.from_regex(r"https://example\.org/[a-z0-9_~%&=?#-]{0,12}", fullmatch=True) | st.just(""),
    source_id=_key,
    publication_type=st.sampled_from(["article", "book", "inproceedings", "misc"]),
)


@given(st.lists(citations_strategy, min_size=1, max_size=4, unique_by=lambda c: c.source_id))
@settings(max_examples=150, deadline=None)
def test_it_reads_back_what_it_writes(originals: list[Citation]) -> None:
    keyed = [c.with_changes(source_id=c.source_id.lower()) for c in originals]
    if len({c.source_id for c in keyed}) < len(keyed):
        return  # keys differ only in case: the writer must rename one
    again = citations(Document("o.bib", write(keyed).encode()))
    assert len(again) == len(keyed)
    for before, after in zip(keyed, again, strict=True):
        assert after.with_changes(extra={}) == before


def test_it_finds_entries_after_a_long_comment_in_a_bib_file() -> None:
    doc = Document("long.bib", ("% comment line\n" * 1000 + "@article{k, title={T}}\n").encode())
    assert detect_reader(doc).name == "bibtex"
    assert READER.sniff(Document("long.txt", doc.data)) == 0
