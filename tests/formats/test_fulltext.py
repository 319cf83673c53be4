"""PDF full text: pages, printed page labels, normalised text, quotes, and bad files."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from cosynth.errors import ImportFileError
from cosynth.formats import fulltext
from cosynth.formats.fulltext import FullText, Page, find_quote, read_pdf

# In the core fonts' WinAnsi encoding this byte is "¤"; `_with_fi_ligature`
# re-maps it to the glyph "fi", as TeX and other typesetters do, so that the
# text layer holds the ligature U+FB01 exactly as in a typeset article.
LIGATURE_PLACEHOLDER = "¤"

ARTICLE = (
    "Background. The ¤ndings of this study show that the partici-\n"
    "pation of advisers was    high, and their long-term role in the\n"
    "mixed-methods design was valued. Advisers took part in\n"
    "evidence-\n"
    "based discussions throughout the project.",
    "Results. Every adviser described the meetings as “a place where\n"
    "we were heard, not managed”, which shaped the COVID-\n"
    "19 response of the team.",
    "Discussion. Co-production changed what the team counted as\n"
    "a signi¤cant result, and what it chose to report.\n"
    "Its choices were based on evidence from the advisers.",
)


def _pdf(
    pages: tuple[str, ...] = ARTICLE,
    *,
    first_label: int | None = None,
    title: str | None = None,
    image_page: bool = False,
) -> bytes:
    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"  # WinAnsi: curly quotes, as the fonts declare
    pdf.set_font("helvetica", size=11)
    if title:
        pdf.set_title(title)
    for index, text in enumerate(pages):
        if index == 0 and first_label is not None:
            pdf.add_page(label_style="D", label_start=first_label)
        else:
            pdf.add_page()
        for line in text.split("\n"):
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    if image_page:
        pdf.add_page()
        pdf.image(Image.new("RGB", (60, 40), "gray"), x=20, y=20, w=120)
    return _with_fi_ligature(bytes(pdf.output()))


def _with_fi_ligature(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    encoding = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Encoding"),
            NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/Differences"): ArrayObject(
                [NumberObject(ord(LIGATURE_PLACEHOLDER)), NameObject("/fi")]
            ),
        }
    )
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for name in fonts:
            fonts[name].get_object()[NameObject("/Encoding")] = encoding
    return _written(writer)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner-secret")
    return _written(writer)


def _scanned() -> bytes:
    """Image-only pages, as a scanner produces: no text layer at all."""
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (80, 100), 200), x=10, y=10, w=180)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def article() -> FullText:
    return read_pdf(_pdf(first_label=241, title="Advisers  in   research"), "smith2020.pdf")


# Pages and labels


def test_it_keeps_every_page_with_its_number_and_printed_label(article: FullText) -> None:
    assert [(page.number, page.label) for page in article.pages] == [
        (1, "241"),
        (2, "242"),
        (3, "243"),
    ]
    assert article.pages[1].text.startswith("Results.")


def test_it_labels_pages_by_number_without_page_labels() -> None:
    pages = read_pdf(_pdf(), "plain.pdf").pages
    assert [page.label for page in pages] == ["1", "2", "3"]


def test_it_reads_roman_and_prefixed_labels() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    writer.set_page_label(0, 0, style="/r")
    writer.set_page_label(1, 2, style="/D", prefix="S", start=4)
    pages = read_pdf(_written(writer), "supplement.pdf").pages
    assert [page.label for page in pages] == ["i", "S4", "S5"]


def test_it_cites_a_page_by_number_when_its_label_is_empty() -> None:
    # A label range with neither style nor prefix gives empty labels (ISO 32000-1, 12.4.2).
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    writer.set_page_label(0, 0, style="/D", start=10)
    writer.set_page_label(1, 2, prefix="")
    pages = read_pdf(_written(writer), "odd.pdf").pages
    assert [page.label for page in pages] == ["10", "2", "3"]


def test_it_reads_the_title_from_the_document_information(article: FullText) -> None:
    assert article.title == "Advisers in research"
    assert read_pdf(_pdf(), "untitled.pdf").title == ""


# Normalised text


def test_it_turns_ligatures_into_letters(article: FullText) -> None:
    assert "The findings of this study" in article.pages[0].text
    assert "significant" in article.pages[2].text
    assert "ﬁ" not in "".join(page.text for page in article.pages)


def test_it_rejoins_a_word_broken_at_a_line_end(article: FullText) -> None:
    assert "the participation of advisers" in article.pages[0].text


def test_it_keeps_real_hyphens(article: FullText) -> None:
    text = "\n".join(page.text for page in article.pages)
    assert "long-term role" in text
    assert "mixed-methods design" in text
    assert "Co-production" in text
    assert "COVID-19 response" in text  # a capital or digit after the break: a real hyphen


def test_it_keeps_the_hyphen_of_a_compound_broken_at_its_hyphen() -> None:
    # "evidence" and "based" are words the text uses, "evidencebased" is not.
    assert "\nevidence-based discussions" in read_pdf(_pdf(), "a.pdf").pages[0].text


def test_it_collapses_runs_of_spaces_and_keeps_line_breaks(article: FullText) -> None:
    first = article.pages[0].text
    assert "was high, and" in first
    assert "  " not in first
    assert first.count("\n") >= 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("partici-\npation", "participation"),
        ("partici‐\n  pation", "participation"),  # U+2010 HYPHEN, indented next line
        ("partici\u00ad\npation", "participation"),  # soft hyphen at the break
        ("in\u00adcredible", "incredible"),  # soft hyphen mid-line is invisible
        ("anti-\nTNF therapy", "anti-TNF therapy"),
        ("results –\nnot all", "results –\nnot all"),  # a dash, not a hyphen
        ("aged 18-\n25", "aged 18-\n25"),
        ("a\tb \u00a0 c", "a b c"),
        ("zero\u200bwidth", "zerowidth"),
        ("one\n\n\n\ntwo", "one\n\ntwo"),
        ("  margin  \nline\r\nnext\rlast", "margin\nline\nnext\nlast"),
        ("ﬁ ﬂ ﬀ ﬃ", "fi fl ff ffi"),
    ],
)
def test_it_normalises_text_for_reading(raw: str, expected: str) -> None:
    assert fulltext._normalise_pages([raw]) == [expected]


def test_it_follows_the_documents_own_spelling_of_a_broken_word() -> None:
    pages = ["Some wrote well-\nbeing.", "Others wrote well-being in full."]
    assert fulltext._normalise_pages(pages)[0] == "Some wrote well-being."
    pages = ["Some wrote well-\nbeing.", "Others wrote wellbeing in full."]
    assert fulltext._normalise_pages(pages)[0] == "Some wrote wellbeing."


# Text or no text


def test_it_says_a_pdf_has_text(article: FullText) -> None:
    assert article.has_text
    assert article.pages_without_text == ()


def test_it_says_a_scanned_pdf_has_no_text() -> None:
    scanned = read_pdf(_scanned(), "scan.pdf")
    assert not scanned.has_text
    assert [page.text for page in scanned.pages] == ["", ""]
    assert scanned.pages_without_text == (1, 2)


def test_it_names_the_pages_without_text() -> None:
    document = read_pdf(_pdf(image_page=True), "with-figure.pdf")
    assert document.has_text
    assert document.pages_without_text == (4,)


def test_it_counts_a_blank_page_as_without_text() -> None:
    document = read_pdf(_pdf(("Text here.", "")), "blank.pdf")
    assert document.pages_without_text == (2,)


# Quotes


def test_it_finds_a_quote_across_a_line_break_and_a_hyphenation(article: FullText) -> None:
    quote = "the participation of advisers was high, and their long-term role"
    assert [page.label for page in find_quote(article, quote)] == ["241"]


def test_it_finds_a_quote_despite_curly_quotes_and_spacing(article: FullText) -> None:
    quote = 'as "a place where we were   heard, not managed"'
    assert [page.number for page in find_quote(article, quote)] == [2]


def test_it_finds_a_quote_copied_with_its_line_end_hyphen(article: FullText) -> None:
    assert find_quote(article, "the partici- pation of advisers") == [article.pages[0]]


def test_it_finds_a_quote_with_words_left_out(article: FullText) -> None:
    quote = "Co-production changed what the team counted [...] and what it chose to report"
    assert find_quote(article, quote) == [article.pages[2]]
    assert find_quote(article, "what it chose to report … Co-production") == []


def test_it_finds_a_quote_that_runs_over_a_page_break(article: FullText) -> None:
    quote = "COVID-19 response of the team. Discussion. Co-production changed"
    assert [page.label for page in find_quote(article, quote)] == ["242", "243"]


def test_it_finds_no_quote_that_is_not_there(article: FullText) -> None:
    assert find_quote(article, "advisers were not heard") == []
    assert find_quote(article, " … ") == []


def test_it_finds_a_quote_on_every_page_that_has_it() -> None:
    document = FullText(
        pages=(Page(1, "1", "Same words here."), Page(2, "2", "And same words here.")),
        title="",
        has_text=True,
    )
    assert find_quote(document, "same  WORDS") == list(document.pages)


# Encryption


def test_it_opens_a_pdf_encrypted_without_a_user_password() -> None:
    # Many publishers' PDFs restrict printing or copying this way.
    document = read_pdf(_encrypted(_pdf(first_label=241), ""), "restricted.pdf")
    assert document.pages[0].label == "241"
    assert "the participation of advisers" in document.pages[0].text


def test_it_refuses_a_pdf_that_needs_a_password() -> None:
    with pytest.raises(ImportFileError, match="protected by a password") as caught:
        read_pdf(_encrypted(_pdf(), "secret"), "locked.pdf")
    assert caught.value.filename == "locked.pdf"


def test_it_explains_an_aes_pdf_it_cannot_decrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the "cryptography" package pypdf cannot decrypt AES at all.
    def reader_without_aes(stream: object) -> PdfReader:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(fulltext, "PdfReader", reader_without_aes)
    with pytest.raises(ImportFileError, match=r"encrypted with AES.*cryptography"):
        read_pdf(_pdf(), "aes.pdf")


# Damaged and wrong files


@pytest.mark.parametrize("keep", [0.95, 0.6, 0.2])
def test_it_refuses_a_truncated_pdf_plainly(keep: float) -> None:
    data = _pdf()
    with pytest.raises(ImportFileError, match="damaged and cannot be read") as caught:
        read_pdf(data[: int(len(data) * keep)], "cut.pdf")
    assert str(caught.value).startswith("cut.pdf: ")


def test_it_reads_a_slightly_damaged_pdf_and_keeps_the_warnings_quiet(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = re.sub(rb"startxref\s+\d+", b"startxref\n999", _pdf())
    with caplog.at_level(logging.WARNING):
        document = read_pdf(data, "repaired.pdf")
    assert document.has_text
    assert document.warnings
    assert "startxref" in " ".join(document.warnings)
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]
    assert logging.getLogger("pypdf").propagate


def test_it_keeps_each_readers_warnings_to_itself() -> None:
    damaged = re.sub(rb"startxref\s+\d+", b"startxref\n999", _pdf())
    clean = _pdf()
    with ThreadPoolExecutor(max_workers=4) as pool:
        documents = list(pool.map(read_pdf, [damaged, clean] * 4, ["d.pdf", "c.pdf"] * 4))
    assert all(document.warnings for document in documents[0::2])
    assert not any(document.warnings for document in documents[1::2])
    assert logging.getLogger("pypdf").propagate


def test_it_refuses_a_pdf_with_a_broken_cross_reference_table() -> None:
    with pytest.raises(ImportFileError, match="damaged"):
        read_pdf(_pdf().replace(b"xref", b"xxxx", 1), "broken.pdf")


def test_it_refuses_a_pdf_without_pages() -> None:
    with pytest.raises(ImportFileError, match="has no pages"):
        read_pdf(_written(PdfWriter()), "nothing.pdf")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (
            b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>",
            "web page \\(HTML\\).*sign-in",
        ),
        (b"\n\n<html lang='en'><body>Access denied</body></html>", "web page"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "a PNG image.*no OCR"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "a JPEG image"),
        (b"II*\x00" + b"\x00" * 40, "a TIFF image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, r"old Microsoft Office.*\.doc"),
        (b"{\\rtf1\\ansi Hello}", "Rich Text Format"),
        (b"TY  - JOUR\nTI  - A title\nER  - \n", "plain text"),
        (b"\x00\x01\x02\x03\xfe\xfd" * 20, "does not start like a PDF"),
    ],
)
def test_it_says_what_a_file_that_is_not_a_pdf_looks_like(data: bytes, says: str) -> None:
    with pytest.raises(ImportFileError, match=says) as caught:
        read_pdf(data, "article.pdf")
    assert caught.value.filename == "article.pdf"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (("[Content_Types].xml", "word/document.xml"), r"a Word document \(.docx\)"),
        (("[Content_Types].xml", "xl/workbook.xml"), "an Excel workbook"),
        (("mimetype", "META-INF/container.xml"), "an EPUB e-book"),
        (("paper.pdf",), "a ZIP archive"),
    ],
)
def test_it_says_which_kind_of_zip_file_it_was_given(names: tuple[str, ...], kind: str) -> None:
    with pytest.raises(ImportFileError, match=f"this is {kind}.*, not a PDF"):
        read_pdf(_zip(*names), "article.pdf")


def test_it_reads_a_pdf_after_junk_before_its_header() -> None:
    # Some servers prepend a line; Acrobat and pypdf accept up to 1 KB of it.
    document = read_pdf(b"\r\n" + _pdf(), "prefixed.pdf")
    assert document.has_text


def test_it_refuses_an_oversized_file_before_parsing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fulltext, "MAX_BYTES", 1000)

    def not_called(stream: object) -> PdfReader:
        raise AssertionError("parsed a file over the limit")

    monkeypatch.setattr(fulltext, "PdfReader", not_called)
    with pytest.raises(ImportFileError, match="reads PDFs of up to"):
        read_pdf(b"%PDF-1.7\n" + b" " * 2000, "huge.pdf")


def test_it_allows_two_hundred_megabytes() -> None:
    assert fulltext.MAX_BYTES == 200 * 1024 * 1024
