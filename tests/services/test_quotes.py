"""bob keeps the quotations the synthesis will cite, checked against the study's PDF pages."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from cosynth.domain.quotes import Location, QuoteKind
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import fulltext, quotes
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.extraction_helpers import two_studies

PAGES = (
    "Background. Integrated care joins health and social care around the person.",
    "Findings. One carer said: we were listened to for the first time, and it changed "
    "how the service was run. The authors interpret this as a shift in power.",
    "Discussion. The design approach ensured empathy in understanding how men living "
    "with HIV experience the world. This depth of empathy also empowered decision-makers "
    "to achieve better outcomes.",
)


def article_pdf(*pages: str, first_label: int = 241) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for index, text in enumerate(pages):
        if index == 0:
            pdf.add_page(label_style="D", label_start=first_label)
        else:
            pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.fixture
def studies(workspace: Workspace, team: Team) -> list[int]:
    return two_studies(workspace, team)


@pytest.fixture
def report(workspace: Workspace, team: Team, studies: list[int]) -> int:
    with workspace.transaction("bob") as tx:
        added = fulltext.attach_report(
            tx, team.review_id, studies[0], "author1.pdf", article_pdf(*PAGES)
        )
    return added.id


def test_it_finds_the_quote_on_its_page_and_cites_it(
    workspace: Workspace, team: Team, studies: list[int], report: int
) -> None:
    said = "\u201cWe were listened to for the first time\u201d"
    with workspace.transaction("bob") as tx:
        quote = quotes.add_quote(
            tx,
            team.review_id,
            studies[0],
            said,
            kind=QuoteKind.FIRST_ORDER,
            page="242",
            report_id=report,
        )
        pages = fulltext.report_pages(tx, team.review_id, report)
    assert quote.text == "We were listened to for the first time"
    assert (quote.citation, quote.verified, quote.page_number) == ("[Author1 2013: 242]", True, 2)
    assert quote.location is not None
    where = quote.location
    assert pages[1].text[where.start : where.end].lower() == quote.text.lower()


def test_it_finds_the_page_itself_and_reads_the_quoters_brackets(
    workspace: Workspace, team: Team, studies: list[int], report: int
) -> None:
    # The paper's own style: [...] for words left out, [to] for the quoter's own word.
    said = (
        "The [...] design approach ensured empathy in understanding how men [...] experience "
        "the world [...]. This depth of empathy also empowered decision-makers [to] achieve "
        "better outcomes."
    )
    with workspace.transaction("carol") as tx:
        quote = quotes.add_quote(
            tx, team.review_id, studies[0], said, kind=QuoteKind.SECOND_ORDER, report_id=report
        )
    assert quote.citation == "[Author1 2013: 243]"
    assert quote.location == Location(page_number=3, start=12, end_page=3, end=len(PAGES[2]) - 1)


def test_it_refuses_a_quote_not_on_the_page_given_and_names_the_page_it_is_on(
    workspace: Workspace, team: Team, studies: list[int], report: int
) -> None:
    with workspace.transaction("bob") as tx:
        with pytest.raises(InputError, match=r"not on page 241 of author1.pdf; it is on page 242"):
            quotes.add_quote(
                tx,
                team.review_id,
                studies[0],
                "a shift in power",
                kind=QuoteKind.SECOND_ORDER,
                page="241",
                report_id=report,
            )
        with pytest.raises(InputError, match=r"not in author1\.pdf"):
            quotes.add_quote(
                tx,
                team.review_id,
                studies[0],
                "nobody said this",
                kind=QuoteKind.FIRST_ORDER,
                report_id=report,
            )
        with pytest.raises(InputError, match=r"no page printed '7' \(its pages are printed 241"):
            quotes.add_quote(
                tx,
                team.review_id,
                studies[0],
                "a shift in power",
                kind=QuoteKind.SECOND_ORDER,
                page="7",
                report_id=report,
            )
        with pytest.raises(InputError, match="is not a report of Author2 2014"):
            quotes.add_quote(
                tx,
                team.review_id,
                studies[1],
                "a shift in power",
                kind=QuoteKind.SECOND_ORDER,
                report_id=report,
            )
        assert quotes.quotes(tx, team.review_id) == []


def test_it_keeps_a_quote_typed_from_paper_as_unverified(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        with pytest.raises(InputError, match="which page of Author2 2014"):
            quotes.add_quote(tx, team.review_id, studies[1], "x y", kind=QuoteKind.FIRST_ORDER)
        quote = quotes.add_quote(
            tx,
            team.review_id,
            studies[1],
            "It felt like being heard",
            page="17",
            kind=QuoteKind.FIRST_ORDER,
            note="from the printed report",
        )
    assert (quote.verified, quote.citation, quote.location) == (False, "[Author2 2014: 17]", None)


def test_it_lists_and_exports_quotes_for_everyone_but_mallory(
    workspace: Workspace, team: Team, studies: list[int], report: int
) -> None:
    with workspace.transaction("bob") as tx:
        quotes.add_quote(
            tx,
            team.review_id,
            studies[0],
            "=we were listened to",
            kind=QuoteKind.FIRST_ORDER,
            report_id=report,
        )
        quotes.add_quote(
            tx, team.review_id, studies[1], "Heard", page="3", kind=QuoteKind.FIRST_ORDER
        )
    with workspace.transaction("pat") as tx:
        listed = quotes.quotes(tx, team.review_id)
        only = quotes.quotes(tx, team.review_id, studies[1])
        csv_text = quotes.quotes_csv(tx, team.review_id)
    assert [q.citation for q in listed] == ["[Author1 2013: 242]", "[Author2 2014: 3]"]
    assert [q.text for q in only] == ["Heard"]
    lines = csv_text.splitlines()
    assert lines[0].startswith("quote_id,record_id,study,citation,kind,text,page,pdf_page")
    # A quote that starts like a formula is written as text (OWASP CSV injection).
    assert "'=we were listened to,242,2," in lines[1]
    assert ",first-order,Heard,3,,,no," in lines[2]
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        quotes.quotes(tx, team.review_id)
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        quotes.add_quote(tx, team.review_id, studies[1], "x", page="1", kind=QuoteKind.FIRST_ORDER)


def test_it_refuses_quotes_from_records_that_are_not_included_studies(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx, pytest.raises(NotFoundError, match="not an included"):
        quotes.add_quote(tx, team.review_id, studies[3], "x", page="1", kind=QuoteKind.FIRST_ORDER)
