"""A report's PDF as text, page by page, with the page numbers a quote will cite.

pypdf (pure Python) reads the text layer. Each page keeps its physical number
and its printed label from the PDF's /PageLabels (a journal article's pages
often start at e.g. 241), so a quote can be cited as "[study: 241]".

The text is normalised for reading and searching: Unicode NFKC (ligatures such
as "ﬁ" become "fi"), words broken at line ends rejoined, runs of spaces made
one, and line and paragraph breaks kept. `find_quote` then finds a quote
whatever its line breaks, hyphens, quotation marks or spacing.

Scanned PDFs have no text layer: they open, with `has_text` False. No optical
character recognition (OCR) is done.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from cosynth.errors import ImportFileError
from cosynth.formats.text import binary_kind

# Larger than any journal article or thesis we expect; refusing earlier keeps a
# mistaken upload (a video, a disk image) from being parsed at all.
MAX_BYTES = 200 * 1024 * 1024

# The PDF header may follow up to 1024 bytes of junk: Acrobat accepts this
# (ISO 32000-1, annex H.3, note 2), and so does pypdf.
_HEADER = b"%PDF-"
_HEADER_WINDOW = 1024
# At most this many distinct pypdf messages are kept: a badly damaged file can
# produce thousands of the same kind.
_MAX_WARNINGS = 20


@dataclass(frozen=True, slots=True)
class Page:
    """One physical page: `number` counts from 1; `label` is the number printed on it."""

    number: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class FullText:
    """A PDF's text by page, its title from the document information ("" if none).

    `has_text` is False when no page has any text: a scanned image without a
    text layer. `warnings` holds what pypdf reported while repairing a
    slightly damaged file, for a "details" view; the text is still usable.
    """

    pages: tuple[Page, ...]
    title: str
    has_text: bool
    warnings: tuple[str, ...] = ()

    @property
    def pages_without_text(self) -> tuple[int, ...]:
        """The physical numbers of pages with no text (figures, scans, blank pages)."""
        return tuple(page.number for page in self.pages if not _has_words(page.text))


def read_pdf(data: bytes, filename: str) -> FullText:
    """Read a PDF's text, or raise `ImportFileError` saying plainly what is wrong."""
    _check_is_pdf(data, filename)
    with _PYPDF_MESSAGES.collected() as messages:
        reader = _open(data, filename)
        raw_pages = _extract_pages(reader, filename, messages)
        labels = _labels(reader, len(raw_pages), messages)
        title = _title(reader)
    texts = _normalise_pages(raw_pages)
    pages = tuple(
        Page(number, label, text)
        for number, (label, text) in enumerate(zip(labels, texts, strict=True), start=1)
    )
    return FullText(
        pages=pages,
        title=title,
        has_text=any(_has_words(page.text) for page in pages),
        warnings=_distinct(messages)[:_MAX_WARNINGS],
    )


def find_quote(fulltext: FullText, quote: str) -> list[Page]:
    """The pages on which `quote` occurs, in order.

    Matching ignores case, spacing, line breaks, hyphens, punctuation and
    curly or straight quotation marks: only letters and digits are compared.
    An ellipsis ("...", "…", "[...]") in the quote stands for omitted words:
    the parts around it must occur in order on the page. A quote that runs
    over a page break is found on both pages. A quote without letters or
    digits is found nowhere.
    """
    parts = [key for key in (_key(part) for part in _ELLIPSIS.split(_nfkc(quote))) if key]
    if not parts:
        return []
    keys = [_key(page.text) for page in fulltext.pages]
    found = [page for page, key in zip(fulltext.pages, keys, strict=True) if _contains(key, parts)]
    if found:
        return found
    for index in range(len(keys) - 1):
        if _contains(keys[index] + keys[index + 1], parts):
            return [fulltext.pages[index], fulltext.pages[index + 1]]
    return []


# Refusing what is not a PDF, before pypdf sees it


def _check_is_pdf(data: bytes, filename: str) -> None:
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            filename,
            f"the file is {len(data) / 1024 / 1024:.0f} MB; cosynth reads PDFs of up to "
            f"{MAX_BYTES // 1024 // 1024} MB. Is this the article, or something else?",
        )
    if not data or data.isspace():
        raise ImportFileError(filename, "the file is empty: download the PDF again")
    if _HEADER in data[: _HEADER_WINDOW + len(_HEADER)]:
        return
    raise ImportFileError(filename, _not_a_pdf(data))


def _not_a_pdf(data: bytes) -> str:
    head = data[:_HEADER_WINDOW].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return (
            "this is a web page (HTML), not a PDF: the publisher's site probably sent a "
            "sign-in or cookie page instead of the article. Download the PDF again from "
            "the article's PDF link"
        )
    if data.startswith(b"PK\x03\x04"):
        return f"this is {_zip_kind(data)}, not a PDF: save or export it as a PDF and attach that"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "this is an old Microsoft Office document (.doc), not a PDF: save it as a PDF "
            "and attach that"
        )
    image = _image_kind(data)
    if image:
        return (
            f"this is {image}, not a PDF. Convert it to a PDF to attach it; note that "
            "cosynth cannot read text from images (no OCR is done)"
        )
    kind = binary_kind(data)
    if kind:
        return f"this is {kind}, not a PDF"
    if _looks_like_text(data):
        return "this is plain text, not a PDF: it does not start with the PDF header"
    return (
        "this does not start like a PDF (no %PDF- header): it may be another kind of "
        "file, or badly damaged. Download it again"
    )


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a ZIP archive"
    if "word/document.xml" in names:
        return "a Word document (.docx)"
    if any(name.startswith("xl/") for name in names):
        return "an Excel workbook (.xlsx)"
    if any(name.startswith("ppt/") for name in names):
        return "a PowerPoint presentation (.pptx)"
    if "mimetype" in names and "META-INF/container.xml" in names:
        return "an EPUB e-book"
    if "content.xml" in names:
        return "an OpenDocument file (LibreOffice)"
    return "a ZIP archive (a compressed folder)"


def _image_kind(data: bytes) -> str:
    signatures = (
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"BM", "a BMP image"),
    )
    for signature, kind in signatures:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    return ""


def _looks_like_text(data: bytes) -> bool:
    sample = data[:_HEADER_WINDOW]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte letter cut off at the end of the sample is still text.
        if exc.start < len(sample) - 4:
            return False
    return b"\x00" not in sample


# Opening with pypdf


def _open(data: bytes, filename: str) -> PdfReader:
    # pypdf raises many kinds of exception on damaged input (its own, and
    # ValueError, KeyError, RecursionError...). None of them may reach a person
    # as a traceback, so every one becomes the same plain message.
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except DependencyError as exc:
        raise ImportFileError(filename, _ENCRYPTED_AES) from exc
    except Exception as exc:
        raise ImportFileError(filename, _damaged(exc)) from exc
    # pypdf tries the empty password itself: documents that only restrict
    # printing or copying open without one, silently.
    if encrypted and _needs_password(reader):
        raise ImportFileError(
            filename,
            "the PDF is protected by a password. Open it with the password in a PDF "
            "reader, save or print an unprotected copy as PDF, and attach that",
        )
    try:
        count = len(reader.pages)
    except DependencyError as exc:
        raise ImportFileError(filename, _ENCRYPTED_AES) from exc
    except Exception as exc:
        raise ImportFileError(filename, _damaged(exc)) from exc
    if count == 0:
        raise ImportFileError(filename, "the PDF has no pages")
    return reader


def _needs_password(reader: PdfReader) -> bool:
    try:
        return reader.decrypt("") == PasswordType.NOT_DECRYPTED
    except DependencyError:
        return False  # the AES case, reported where the text is read


_ENCRYPTED_AES = (
    "the PDF is encrypted with AES, which cosynth can only read with the Python package "
    "'cryptography' installed (pip install cryptography). Or print it to a new PDF and "
    "attach that"
)


def _damaged(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return (
        "the PDF is damaged and cannot be read (it may be incomplete: download it again). "
        f"Detail: {detail}"
    )


def _extract_pages(reader: PdfReader, filename: str, messages: list[str]) -> list[str]:
    texts: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append(page.extract_text())
        except (DependencyError, FileNotDecryptedError) as exc:
            if reader.is_encrypted:
                raise ImportFileError(filename, _ENCRYPTED_AES) from exc
            messages.append(f"page {number}: text could not be read ({exc})")
            texts.append("")
        except Exception as exc:  # one damaged page must not lose the others
            messages.append(f"page {number}: text could not be read ({_first_line(exc)})")
            texts.append("")
    return texts


def _labels(reader: PdfReader, count: int, messages: list[str]) -> list[str]:
    # An empty label is legal (a /PageLabels range with neither style nor
    # prefix) but useless in a citation, so such a page is cited by number.
    try:
        labels = list(reader.page_labels)
    except Exception as exc:
        messages.append(f"page labels could not be read; pages are numbered 1, 2, 3... ({exc})")
        labels = []
    if len(labels) != count:
        labels = [str(number) for number in range(1, count + 1)]
    return [_nfkc(label).strip() or str(number) for number, label in enumerate(labels, start=1)]


def _title(reader: PdfReader) -> str:
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except Exception:  # a damaged information dictionary only costs the title
        return ""
    return " ".join(_nfkc(str(title)).split()) if title else ""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


class _PypdfMessages:
    """Collects what pypdf logs while a thread reads, instead of printing it.

    pypdf reports the damage it repairs to the `pypdf` logger (its
    `logger_warning`). Those lines mean nothing to a reviewer, so while any
    thread is reading they do not propagate to the application's handlers;
    each thread collects its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._readers = 0
        self._propagate = True

    @contextmanager
    def collected(self) -> Iterator[list[str]]:
        messages: list[str] = []
        handler = _ThreadHandler(messages)
        logger = logging.getLogger("pypdf")
        with self._lock:
            if self._readers == 0:
                self._propagate = logger.propagate
                logger.propagate = False
            self._readers += 1
            logger.addHandler(handler)
        try:
            yield messages
        finally:
            with self._lock:
                logger.removeHandler(handler)
                self._readers -= 1
                if self._readers == 0:
                    logger.propagate = self._propagate


class _ThreadHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self._thread = threading.get_ident()
        self._messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self._thread:
            try:
                self._messages.append(record.getMessage())
            except Exception:  # a malformed log call must not stop the reading
                self._messages.append(str(record.msg))


_PYPDF_MESSAGES = _PypdfMessages()


def _distinct(messages: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(message.strip() for message in messages if message.strip()))


# Normalising the text

# Invisible characters that only get in the way of searching: zero-width
# space, joiners, word joiner, byte-order mark, and the soft hyphen that
# typesetters insert at possible breaks.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_SOFT_BREAK = re.compile("\u00ad[^\\S\n]*\n[^\\S\n]*")
# A word broken at a line end: letters, a hyphen (ASCII or Unicode hyphen;
# NFKC has made the non-breaking hyphen one), the line break, more letters.
_LETTERS = r"[^\W\d_]"
_BROKEN_WORD = re.compile(rf"({_LETTERS}+)[-\u2010][^\S\n]*\n[^\S\n]*(\w+)")
_WORD = re.compile(rf"{_LETTERS}+(?:[-\u2010]{_LETTERS}+)*")
_ELLIPSIS = re.compile(r"\.{3,}")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _normalise_pages(raw_pages: Sequence[str]) -> list[str]:
    cleaned = [_clean(text) for text in raw_pages]
    vocabulary = _vocabulary(cleaned)
    return [_tidy(_rejoin_broken_words(text, vocabulary)) for text in cleaned]


def _clean(text: str) -> str:
    text = _nfkc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", text)
    # A soft hyphen at a line end marks where a typesetter broke a word:
    # always a break, never a real hyphen. Elsewhere it is invisible.
    text = _SOFT_BREAK.sub("", text)
    return text.translate(_INVISIBLE)


def _vocabulary(texts: Sequence[str]) -> set[str]:
    """The words the document writes whole, lower case, hyphenated compounds included.

    The fragments of words broken at line ends are left out, so that "partici-"
    does not vouch for itself.
    """
    words: set[str] = set()
    for text in texts:
        unbroken = _BROKEN_WORD.sub(" ", text)
        words.update(word.lower().replace("\u2010", "-") for word in _WORD.findall(unbroken))
    return words


def _rejoin_broken_words(text: str, vocabulary: set[str]) -> str:
    """Join words hyphenated at a line end, keeping the hyphen of real compounds.

    A line-end hyphen before a capital or a digit ("COVID-\\n19") is real. For
    letters the document itself decides: if it writes the joined word
    elsewhere, join; if it writes the hyphenated compound, or both halves as
    words while never the joined form ("mixed-\\nmethods"), keep the hyphen.
    Otherwise join: in typeset text most line-end hyphens are breaks.
    """

    def rejoin(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        if not after[0].isalpha() or after[0].isupper():
            return f"{before}-{after}"
        joined = f"{before}{after}".lower()
        compound = f"{before}-{after}".lower()
        if joined in vocabulary and compound not in vocabulary:
            return before + after
        halves_are_words = before.lower() in vocabulary and after.lower() in vocabulary
        if compound in vocabulary or (halves_are_words and joined not in vocabulary):
            return f"{before}-{after}"
        return before + after

    return _BROKEN_WORD.sub(rejoin, text)


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _has_words(text: str) -> bool:
    return any(character.isalnum() for character in text)


# Searching


def _key(text: str) -> str:
    """Letters and digits only, case-folded: what two renderings of a quote share."""
    return "".join(character for character in _nfkc(text).casefold() if character.isalnum())


def _contains(key: str, parts: Sequence[str]) -> bool:
    start = 0
    for part in parts:
        found = key.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True
