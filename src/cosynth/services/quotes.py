"""Quotes: direct quotations from the included studies, with study and page.

The paper keeps "direct citations" from each study with their page and cites
them as "[22: 241]" (Methods, Data extraction; Findings). A quote taken from
an attached PDF is checked against its text: it must be on the page it
cites, and its position there is kept. A quote from a paper copy has its
page typed by hand and is kept as unverified.
"""

from __future__ import annotations

from dataclasses import replace

from cosynth.domain.quotes import Location, Quote, QuoteKind, clean_quote, locate, searchable
from cosynth.domain.roles import Permission
from cosynth.domain.screening.reports import Report, ReportPage
from cosynth.errors import InputError
from cosynth.formats.extraction import write_quotes_csv
from cosynth.formats.fulltext import FullText, Page, find_quote
from cosynth.services import fulltext as fulltext_service
from cosynth.services.studies import get_study, included_studies
from cosynth.services.workspace import Tx
from cosynth.store import quotes as quote_store

MAX_PAGE_LABEL = 50


def add_quote(
    tx: Tx,
    review_id: int,
    record_id: int,
    text: str,
    *,
    kind: QuoteKind,
    page: str = "",
    report_id: int | None = None,
    pdf_page: int | None = None,
    note: str = "",
) -> Quote:
    """Keep a quotation from a study.

    With `report_id` the quote is looked for in that full text: on the page
    printed `page` (or PDF page `pdf_page`), or, with neither, wherever it
    is. A quote not on the page given is refused, naming the page it is on.
    Without `report_id`, `page` is required and the quote is unverified.
    """
    tx.require(review_id, Permission.EXTRACT)
    study = get_study(tx, review_id, record_id)
    quote = clean_quote(text)
    if not quote:
        raise InputError("The quote is empty: paste the words as the study prints them.")
    page = page.strip()
    if len(page) > MAX_PAGE_LABEL:
        raise InputError(f"The page {page[:60]!r}... is longer than {MAX_PAGE_LABEL} characters.")
    if report_id is None:
        if pdf_page is not None:
            raise InputError("A PDF page number needs the full text it is in (give its report).")
        if not page:
            raise InputError(
                f"Say which page of {study.label} the quote is on (as printed), or give the "
                "full text so that cosynth finds it."
            )
        label, number, location = page, None, None
    else:
        if report_id not in study.report_ids:
            attached = ", ".join(str(i) for i in study.report_ids) or "none"
            raise InputError(
                f"Full text {report_id} is not a report of {study.label} "
                f"(its full texts: {attached})."
            )
        report = fulltext_service.get_report(tx, review_id, report_id)
        pages = fulltext_service.report_pages(tx, review_id, report_id)
        label, location = _verify(report, pages, quote, page=page, pdf_page=pdf_page)
        number = location.page_number
    added = quote_store.insert_quote(
        tx.session,
        review_id=review_id,
        record_id=study.record_id,
        text=quote,
        kind=kind.value,
        page_label=label,
        page_number=number,
        report_id=report_id,
        location=location,
        note=note.strip(),
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "quote added",
        review_id,
        quote=added.id,
        record=study.record_id,
        page=label,
        verified=location is not None,
    )
    return replace(added, study_label=study.label)


def quotes(tx: Tx, review_id: int, record_id: int | None = None) -> list[Quote]:
    """The quotes of the included studies (or of one), in the order they were added."""
    tx.require(review_id, Permission.VIEW)
    if record_id is not None:
        study = get_study(tx, review_id, record_id)
        labels = {study.record_id: study.label}
    else:
        labels = {study.record_id: study.label for study in included_studies(tx, review_id)}
    # A study excluded after its quotes were taken leaves with them (its rows stay).
    return [
        replace(quote, study_label=labels[quote.record_id])
        for quote in quote_store.quotes_of(tx.session, review_id, labels)
    ]


def quotes_csv(tx: Tx, review_id: int, record_id: int | None = None) -> str:
    """The quotes as CSV, each with its citation, kind, page and whether it was verified."""
    return write_quotes_csv(quotes(tx, review_id, record_id))


def _verify(
    report: Report, pages: list[ReportPage], quote: str, *, page: str, pdf_page: int | None
) -> tuple[str, Location]:
    """The cited page label and the quote's place, or a refusal that says where it is."""
    name = report.filename
    if not report.has_text:
        raise InputError(
            f"{name} has no text to check the quote against (a scan without a text layer). "
            "Add the quote without the full text, with its page typed; it is kept as unverified."
        )
    wanted = _wanted_pages(pages, name, page=page, pdf_page=pdf_page)
    text = FullText(
        pages=tuple(Page(p.number, p.label, p.text) for p in pages), title="", has_text=True
    )
    found = find_quote(text, searchable(quote))
    if not found:
        raise InputError(
            f"The quote is not in {name}. Check it word for word: '...' may stand for words "
            "left out and [square brackets] for your own words. Or add it without the full "
            "text, with its page typed; it is then kept as unverified."
        )
    numbers = [p.number for p in found]
    if wanted and not set(wanted) & set(numbers):
        asked = f"page {page}" if page else f"PDF page {pdf_page}"
        where = " and ".join(_page_name(p.label, p.number) for p in found[:2])
        raise InputError(f"The quote is not on {asked} of {name}; it is on {where}.")
    start = next(n for n in numbers if not wanted or n in wanted)
    location = _locate(pages, start, quote)
    first = _page(pages, location.page_number)
    last = _page(pages, location.end_page)
    label = first.label if first is last else f"{first.label}\u2013{last.label}"
    return label, location


def _wanted_pages(
    pages: list[ReportPage], name: str, *, page: str, pdf_page: int | None
) -> list[int]:
    if pdf_page is not None:
        if not 1 <= pdf_page <= len(pages):
            raise InputError(f"{name} has {len(pages)} pages; there is no PDF page {pdf_page}.")
        if page and _page(pages, pdf_page).label != page:
            raise InputError(
                f"PDF page {pdf_page} of {name} is printed {_page(pages, pdf_page).label!r}, "
                f"not {page!r}."
            )
        return [pdf_page]
    if not page:
        return []
    matching = [p.number for p in pages if p.label == page]
    if not matching:
        span = f"{pages[0].label} to {pages[-1].label}" if pages else "none"
        raise InputError(
            f"{name} has no page printed {page!r} (its pages are printed {span}); give the "
            "page as printed, or the PDF page number."
        )
    return matching


def _locate(pages: list[ReportPage], start: int, quote: str) -> Location:
    """The quote's place: on the page where it starts, or running over onto the next one."""
    index = start - 1
    windows = [(index, index)]
    if index + 1 < len(pages):
        windows.append((index, index + 1))
    if index > 0:
        windows.append((index - 1, index))
    for first, last in windows:
        found = locate([p.text for p in pages[first : last + 1]], quote)
        if found is not None:
            start_page, begin, end_page, end = found
            return Location(
                page_number=pages[first + start_page].number,
                start=begin,
                end_page=pages[first + end_page].number,
                end=end,
            )
    # find_quote and locate compare the same letters; reaching here is a bug.
    raise AssertionError(f"quote found on page {start} but not located")  # pragma: no cover


def _page(pages: list[ReportPage], number: int) -> ReportPage:
    return pages[number - 1]


def _page_name(label: str, number: int) -> str:
    return f"page {label}" if label == str(number) else f"page {label} (PDF page {number})"
