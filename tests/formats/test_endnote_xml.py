"""The EndNote XML reader: EndNote's own export structure, style runs, entities and hostile XML.

The shared data holds no EndNote XML file, so the samples here are written in
the structure EndNote X9/20/21 exports (File > Export, "XML"): the whole file
on one line, `<xml><records><record>`, every text wrapped in
`<style face="normal" font="default" size="100%">`, line breaks inside a
field written `&#xD;`. Older EndNote versions and other tools write plain text
without the style runs, and some tools pretty-print; both are covered too.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.endnote_xml import EndnoteXmlReader
from cosynth.formats.registry import detect_reader

reader = EndnoteXmlReader()

NORMAL = '<style face="normal" font="default" size="100%">'
ITALIC = '<style face="italic" font="default" size="100%">'
END = "</style>"

PUBMED_ARTICLE = (
    "<record>"
    '<database name="Review.enl" path="C:\\Users\\alice\\Documents\\Review.enl">'
    "Review.enl</database>"
    '<source-app name="EndNote" version="20.2">EndNote</source-app>'
    "<rec-number>12</rec-number>"
    '<foreign-keys><key app="EN" db-id="x2vwt0f9p5dwzwe5r0bxa0ewat2w9srf9e0s" '
    'timestamp="1651234567">12</key></foreign-keys>'
    '<ref-type name="Journal Article">17</ref-type>'
    "<contributors><authors>"
    f"<author>{NORMAL}Brinjikji, W.{END}</author>"
    f"<author>{NORMAL}Pereira, V. M.{END}</author>"
    f"<author>{NORMAL}Kallmes, D. F.{END}</author>"
    "</authors></contributors>"
    f"<auth-address>{NORMAL}Department of Radiology, Mayo Clinic, Rochester, USA.&#xD;"
    f"Department of Neuroradiology, Toronto Western Hospital, Canada.{END}</auth-address>"
    "<titles>"
    f"<title>{NORMAL}Impact of {END}{ITALIC}balloon guide catheters{END}{NORMAL} on outcomes: "
    f"benefits &amp; risks{END}</title>"
    f"<secondary-title>{NORMAL}J Neurointerv Surg{END}</secondary-title>"
    "</titles>"
    f"<periodical><full-title>{NORMAL}Journal of Neurointerventional Surgery{END}</full-title>"
    f"<abbr-1>{NORMAL}J Neurointerv Surg{END}</abbr-1></periodical>"
    f"<pages>{NORMAL}335-339{END}</pages><volume>{NORMAL}10{END}</volume><number>{NORMAL}4{END}</number>"
    f"<edition>{NORMAL}2017/07/30{END}</edition>"
    "<keywords>"
    f"<keyword>{NORMAL}Aged{END}</keyword>"
    f"<keyword>{NORMAL}Brain Ischemia/diagnostic imaging/*surgery{END}</keyword>"
    "</keywords>"
    f"<dates><year>{NORMAL}2018{END}</year><pub-dates><date>{NORMAL}Apr{END}</date></pub-dates></dates>"
    f"<isbn>{NORMAL}1759-8478 (Linking)&#xD;1759-8486 (Electronic){END}</isbn>"
    f"<accession-num>{NORMAL}28754806{END}</accession-num>"
    f"<abstract>{NORMAL}BACKGROUND: Flow arrest with balloon guide catheters is critical.&#xD;"
    f"CONCLUSIONS: Use them &lt;always&gt;.{END}</abstract>"
    f"<urls><related-urls><url>{NORMAL}https://www.ncbi.nlm.nih.gov/pubmed/28754806{END}</url>"
    "</related-urls></urls>"
    f"<custom2>{NORMAL}PMC6055010{END}</custom2>"
    f"<electronic-resource-num>{NORMAL}10.1136/neurintsurg-2017-013179{END}</electronic-resource-num>"
    f"<remote-database-name>{NORMAL}PubMed{END}</remote-database-name>"
    f"<remote-database-provider>{NORMAL}NLM{END}</remote-database-provider>"
    f"<language>{NORMAL}eng{END}</language>"
    "</record>"
)

WOS_BOOK_SECTION = (
    "<record>"
    '<database name="Review.enl" path="C:\\Users\\alice\\Documents\\Review.enl">'
    "Review.enl</database>"
    '<source-app name="EndNote" version="20.2">EndNote</source-app>'
    "<rec-number>13</rec-number>"
    '<ref-type name="Book Section">5</ref-type>'
    "<contributors>"
    f"<authors><author>{NORMAL}Noblit, G. W.{END}</author>"
    f"<author>{NORMAL}Hare, R. D.{END}</author></authors>"
    f"<secondary-authors><author>{NORMAL}Editor, E.{END}</author></secondary-authors>"
    "</contributors>"
    "<titles>"
    f"<title>{NORMAL}Meta-ethnography: synthesizing qualitative studies{END}</title>"
    f"<secondary-title>{NORMAL}Qualitative Research Methods{END}</secondary-title>"
    "</titles>"
    f"<pages>{NORMAL}5-24{END}</pages>"
    f"<dates><year>{NORMAL}1988{END}</year></dates>"
    f"<pub-location>{NORMAL}Newbury Park, CA{END}</pub-location>"
    f"<publisher>{NORMAL}Sage{END}</publisher>"
    f"<isbn>{NORMAL}978-0-8039-3023-5{END}</isbn>"
    f"<accession-num>{NORMAL}WOS:A1988BK12F00001{END}</accession-num>"
    f"<notes>{NORMAL}Times Cited:5000&#xD;Cited References Count:30{END}</notes>"
    "<urls><related-urls>"
    f"<url>{NORMAL}&lt;Go to ISI&gt;://WOS:A1988BK12F00001{END}</url>"
    f"<url>{NORMAL}https://example.org/meta-ethnography?a=1&amp;b=2{END}</url>"
    "</related-urls>"
    "<pdf-urls><url>internal-pdf://2103995856/Noblit-1988.pdf</url></pdf-urls></urls>"
    f"<electronic-resource-num>{NORMAL}DOI 10.4135/9781412985000{END}</electronic-resource-num>"
    f"<remote-database-name>{NORMAL}Web of Science{END}</remote-database-name>"
    "</record>"
)

# EndNote 8 and other tools write plain text, without style runs; keywords
# imported in one field stay one <keyword> with a line each.
PLAIN_CONFERENCE_PAPER = (
    "<record>"
    "<rec-number>14</rec-number>"
    '<ref-type name="Conference Paper">47</ref-type>'
    "<contributors><authors><author>Advisory Group, The</author></authors></contributors>"
    "<titles><title>Co-production with carers</title>"
    "<secondary-title>Proceedings of Cochrane Colloquium</secondary-title></titles>"
    "<keywords><keyword>carers&#xD;co-production&#xD;integrated care</keyword></keywords>"
    "<dates><year>2021</year></dates>"
    "<urls><web-urls><url>https://colloquium.example/abstracts/14</url></web-urls></urls>"
    "</record>"
)

ENDNOTE_EXPORT = (
    '<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
    + PUBMED_ARTICLE
    + WOS_BOOK_SECTION
    + PLAIN_CONFERENCE_PAPER
    + "</records></xml>"
)


def read(data: str | bytes, name: str = "export.xml") -> list[Entry]:
    raw = data.encode() if isinstance(data, str) else data
    return list(reader.read(Document(name, raw)))


def citations(data: str | bytes, name: str = "export.xml") -> list[Citation]:
    entries = read(data, name)
    assert all(entry.citation is not None for entry in entries), entries
    return [entry.citation for entry in entries if entry.citation is not None]


def test_it_is_picked_by_auto_detection() -> None:
    doc = Document("My EndNote Library.xml", ENDNOTE_EXPORT.encode())
    assert reader.sniff(doc) >= 90
    assert detect_reader(doc).name == "endnote-xml"
    assert detect_reader(Document("export.txt", ENDNOTE_EXPORT.encode())).name == "endnote-xml"


def test_it_reads_every_record() -> None:
    assert [record.source_id for record in citations(ENDNOTE_EXPORT)] == ["12", "13", "14"]


def test_it_reads_a_journal_article_from_pubmed_in_full() -> None:
    record = citations(ENDNOTE_EXPORT)[0]
    # Style runs are joined back into one title; entities are decoded.
    assert record.title == "Impact of balloon guide catheters on outcomes: benefits & risks"
    assert record.authors == ("Brinjikji, W.", "Pereira, V. M.", "Kallmes, D. F.")
    assert record.year == 2018
    assert record.journal == "Journal of Neurointerventional Surgery"
    assert (record.volume, record.issue, record.pages) == ("10", "4", "335-339")
    assert record.doi == "10.1136/neurintsurg-2017-013179"
    assert (record.accession, record.pmid, record.pmcid) == ("28754806", "28754806", "PMC6055010")
    assert record.issn == "1759-8478"
    assert record.keywords == ("Aged", "Brain Ischemia/diagnostic imaging/*surgery")
    assert record.abstract == (
        "BACKGROUND: Flow arrest with balloon guide catheters is critical. "
        "CONCLUSIONS: Use them <always>."
    )
    assert record.url == "https://www.ncbi.nlm.nih.gov/pubmed/28754806"
    assert (record.publication_type, record.database, record.language) == (
        "Journal Article",
        "PubMed",
        "eng",
    )
    assert record.source_id == "12"
    # Everything else is kept, a line a value, attributes as "path@name".
    assert record.extra["auth-address"] == (
        "Department of Radiology, Mayo Clinic, Rochester, USA.",
        "Department of Neuroradiology, Toronto Western Hospital, Canada.",
    )
    assert record.extra["isbn"] == ("1759-8478 (Linking)", "1759-8486 (Electronic)")
    assert record.extra["database"] == ("Review.enl",)
    assert record.extra["source-app@version"] == ("20.2",)
    assert record.extra["ref-type"] == ("17",)
    assert record.extra["titles/secondary-title"] == ("J Neurointerv Surg",)
    assert record.extra["dates/pub-dates/date"] == ("Apr",)
    for carried in ("titles/title", "contributors/authors/author", "rec-number", "custom2"):
        assert carried not in record.extra


def test_it_reads_a_book_section_from_web_of_science() -> None:
    record = citations(ENDNOTE_EXPORT)[1]
    assert record.publication_type == "Book Section"
    assert record.title == "Meta-ethnography: synthesizing qualitative studies"
    assert record.authors == ("Noblit, G. W.", "Hare, R. D.")
    assert record.journal == "Qualitative Research Methods"
    assert (record.isbn, record.issn) == ("978-0-8039-3023-5", "")
    assert record.doi == "10.4135/9781412985000"
    assert (record.accession, record.pmid) == ("WOS:A1988BK12F00001", "")
    assert record.database == "Web of Science"
    # The first web address, not EndNote's "<Go to ISI>" link.
    assert record.url == "https://example.org/meta-ethnography?a=1&b=2"
    assert record.extra["urls/related-urls/url"][0] == "<Go to ISI>://WOS:A1988BK12F00001"
    assert record.extra["contributors/secondary-authors/author"] == ("Editor, E.",)
    assert record.extra["notes"] == ("Times Cited:5000", "Cited References Count:30")
    assert record.extra["urls/pdf-urls/url"] == ("internal-pdf://2103995856/Noblit-1988.pdf",)
    assert record.extra["electronic-resource-num"] == ("DOI 10.4135/9781412985000",)


def test_it_reads_plain_text_fields_without_style_runs() -> None:
    record = citations(ENDNOTE_EXPORT)[2]
    assert record.title == "Co-production with carers"
    assert record.authors == ("Advisory Group, The",)
    assert record.journal == "Proceedings of Cochrane Colloquium"
    assert record.keywords == ("carers", "co-production", "integrated care")
    assert record.year == 2021
    assert record.url == "https://colloquium.example/abstracts/14"
    assert record.extra == {"ref-type": ("47",)}


def test_it_gives_the_line_of_each_record_and_its_raw_text() -> None:
    # EndNote writes everything on line 1; a pretty-printed file has lines.
    entries = read(ENDNOTE_EXPORT)
    assert [entry.line for entry in entries] == [1, 1, 1]
    assert entries[1].raw == WOS_BOOK_SECTION
    pretty = (
        '<?xml version="1.0" encoding="UTF-8"?>\r\n<xml>\r\n  <records>\r\n'
        "    <record>\r\n      <titles><title>One</title></titles>\r\n    </record>\r\n"
        "    <record>\r\n      <titles><title>Two</title></titles>\r\n    </record>\r\n"
        "  </records>\r\n</xml>\r\n"
    )
    entries = read(pretty)
    assert [entry.line for entry in entries] == [4, 7]
    assert entries[1].raw == "<record>\n      <titles><title>Two</title></titles>\n    </record>"


def test_it_reads_a_file_with_a_utf8_byte_order_mark() -> None:
    data = b"\xef\xbb\xbf" + ENDNOTE_EXPORT.replace("carers", "caf\u00e9s").encode()
    records = citations(data)
    assert records[2].keywords[0] == "caf\u00e9s"
    assert detect_reader(Document("export.xml", data)).name == "endnote-xml"


def test_it_reads_a_utf16_export() -> None:
    data = ENDNOTE_EXPORT.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert len(citations(data)) == 3


def test_it_skips_a_record_with_nothing_to_screen_on() -> None:
    entries = read(
        "<xml><records><record><rec-number>1</rec-number></record>"
        "<record><titles><title>Kept</title></titles></record></records></xml>"
    )
    assert entries[0].citation is None
    assert "no title" in entries[0].skipped
    assert entries[1].citation is not None


def test_it_reads_an_empty_export() -> None:
    assert read('<?xml version="1.0"?><xml><records></records></xml>') == []


def test_it_refuses_a_billion_laughs_file_at_once() -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE xml [\n<!ENTITY lol "lol">\n'
        + "".join(
            f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n'
            for n in range(1, 10)
        )
        + "]>\n<xml><records><record><titles><title>&lol9;</title></titles></record>"
        "</records></xml>\n"
    )
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="declares XML entities"):
        read(laughs)
    assert time.monotonic() - started < 5


def test_it_refuses_an_external_entity() -> None:
    attack = (
        '<?xml version="1.0"?>\n<!DOCTYPE xml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        "<xml><records><record><titles><title>&secret;</title></titles></record></records></xml>"
    )
    with pytest.raises(ImportFileError, match="declares XML entities"):
        read(attack)


def test_it_names_the_line_where_a_cut_off_file_ends() -> None:
    cut = ENDNOTE_EXPORT[: ENDNOTE_EXPORT.index("<record><rec-number>14")] + "<record><rec-nu"
    entries: list[Entry] = []
    with pytest.raises(ImportFileError, match="XML is damaged") as caught:
        entries.extend(reader.read(Document("export.xml", cut.encode())))
    assert caught.value.line == 1
    assert "cut off" in caught.value.problem
    # The records before the cut were read; the import is one transaction, so
    # the error still stops the whole file.
    assert len(entries) == 2


def test_it_refuses_a_web_page() -> None:
    page = "<html><head><title>EndNote Web</title></head><body>Sign in</body></html>"
    with pytest.raises(ImportFileError, match="web page"):
        read(page)
    assert reader.sniff(Document("export.xml", page.encode())) == 0


def test_it_refuses_other_xml() -> None:
    pubmed = '<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>\n'
    with pytest.raises(ImportFileError, match="not an EndNote export"):
        read(pubmed)
    assert reader.sniff(Document("pubmed.xml", pubmed.encode())) == 0


def test_it_leaves_tagged_files_alone() -> None:
    for data in (
        b"TY  - JOUR\nTI  - A title\nER  - \n",
        b"PMID- 1\nTI  - A title.\n",
        b"%0 Journal Article\n%T A title\n",
    ):
        assert reader.sniff(Document("x.txt", data)) == 0


def test_it_streams_a_large_export_in_little_memory() -> None:
    count = 1500
    doc = Document(
        "big.xml",
        (
            '<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
            + "".join(PUBMED_ARTICLE.replace(">12<", f">{n}<") for n in range(count))
            + "</records></xml>"
        ).encode(),
    )
    size = len(doc.text)
    tracemalloc.start()
    try:
        read_count = sum(1 for _ in reader.read(doc))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read_count == count
    # A whole tree of these records would take several times the text's size.
    assert peak < size / 4
