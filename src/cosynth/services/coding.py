"""Coding: passages of the studies and of the roundtable, tied to the concepts read in them.

Every concept traces back to where it was read (the issue: "every theme
traces back to studies and pages"): a kept quote, a stretch of a full text's
page, or a stretch of the advisory group's roundtable transcript. The words
are kept with the coding, so it still reads if its source changes. A study's
concept takes passages of that study only; a roundtable's concept, passages
of that roundtable's transcripts; the team's own (third-order) concepts take
any. A coding is withdrawn, never deleted (DESIGN.md rule 1).
"""

from __future__ import annotations

from collections.abc import Sequence

from cosynth.domain.quotes import Quote, locate
from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import Coding, Concept, ConceptSource, Passage, PassageKind
from cosynth.errors import InputError, NotFoundError
from cosynth.services import fulltext as fulltext_service
from cosynth.services import quotes as quote_service
from cosynth.services.concepts import get_concept
from cosynth.services.roundtables import get_transcript
from cosynth.services.studies import get_study
from cosynth.services.workspace import Tx
from cosynth.store import synthesis as store

MAX_PAGE_LABEL = 50


def code_quote(
    tx: Tx,
    review_id: int,
    concept_id: int,
    quote_id: int,
    *,
    start: int = 0,
    end: int | None = None,
    note: str = "",
) -> Coding:
    """Code a kept quote (or the stretch `start`:`end` of its words) to a concept."""
    tx.require(review_id, Permission.SYNTHESISE)
    concept = get_concept(tx, review_id, concept_id)
    quote = _quote(tx, review_id, quote_id)
    _fits(concept, PassageKind.QUOTE, record_id=quote.record_id, what=f"quote {quote.id}")
    stop = len(quote.text) if end is None else end
    excerpt = _span(quote.text, start, stop, f"quote {quote.id}")
    passage = Passage(
        kind=PassageKind.QUOTE,
        source_id=quote.id,
        page_number=quote.page_number,
        page_label=quote.page_label,
        start=start,
        end=stop,
        excerpt=excerpt,
    )
    return _code(tx, review_id, concept, passage, record_id=quote.record_id, note=note)


def code_report_page(
    tx: Tx,
    review_id: int,
    concept_id: int,
    report_id: int,
    *,
    pdf_page: int,
    start: int,
    end: int,
    note: str = "",
) -> Coding:
    """Code characters `start`:`end` of a full text's page (PDF page `pdf_page`) to a concept."""
    tx.require(review_id, Permission.SYNTHESISE)
    concept = get_concept(tx, review_id, concept_id)
    report = fulltext_service.get_report(tx, review_id, report_id)
    study = get_study(tx, review_id, report.record_id)
    _fits(concept, PassageKind.REPORT, record_id=study.record_id, what=report.filename)
    pages = fulltext_service.report_pages(tx, review_id, report_id)
    if not report.has_text or not pages:
        raise InputError(
            f"{report.filename} has no text to code (a scan without a text layer): keep the "
            "passage as a quote with its page typed, and code the quote."
        )
    if not 1 <= pdf_page <= len(pages):
        raise InputError(
            f"{report.filename} has {len(pages)} pages; there is no PDF page {pdf_page}."
        )
    page = pages[pdf_page - 1]
    where = f"PDF page {pdf_page} of {report.filename}"
    excerpt = _span(page.text, start, end, where)
    passage = Passage(
        kind=PassageKind.REPORT,
        source_id=report.id,
        page_number=page.number,
        page_label=page.label[:MAX_PAGE_LABEL],
        start=start,
        end=end,
        excerpt=excerpt,
    )
    return _code(tx, review_id, concept, passage, record_id=study.record_id, note=note)


def code_transcript(
    tx: Tx,
    review_id: int,
    concept_id: int,
    transcript_id: int,
    *,
    segment: int,
    start: int,
    end: int,
    note: str = "",
) -> Coding:
    """Code characters `start`:`end` of a roundtable transcript's segment to a concept.

    The paper coded the roundtable's discussion "for key concepts" like the
    studies (Methods, Data translation and synthesis).
    """
    tx.require(review_id, Permission.SYNTHESISE)
    concept = get_concept(tx, review_id, concept_id)
    transcript = get_transcript(tx, review_id, transcript_id)
    if concept.source is ConceptSource.STUDY:
        raise InputError(
            f"Concept {concept.name!r} is a study's: code the study's quotes or full text "
            "to it, not the roundtable's transcript."
        )
    if (
        concept.source is ConceptSource.ROUNDTABLE
        and concept.roundtable_id != transcript.roundtable_id
    ):
        raise InputError(
            f"Concept {concept.name!r} is another roundtable's: {transcript.filename} is the "
            f"transcript of roundtable {transcript.roundtable_id}."
        )
    numbers = [s.number for s in transcript.segments]
    found = [s for s in transcript.segments if s.number == segment]
    if not found:
        span = f"{numbers[0]} to {numbers[-1]}" if numbers else "none"
        raise InputError(
            f"{transcript.filename} has no segment {segment} (its segments are {span})."
        )
    turn = found[0]
    excerpt = _span(turn.text, start, end, f"segment {segment} of {transcript.filename}")
    # A transcript's "page" is its segment; the label its time, or its turn.
    label = turn.start or f"turn {turn.number}"
    passage = Passage(
        kind=PassageKind.TRANSCRIPT,
        source_id=transcript.id,
        page_number=turn.number,
        page_label=label[:MAX_PAGE_LABEL],
        start=start,
        end=end,
        excerpt=excerpt,
    )
    return _code(tx, review_id, concept, passage, record_id=None, note=note)


def code_excerpt(
    tx: Tx,
    review_id: int,
    concept_id: int,
    *,
    kind: PassageKind,
    source_id: int,
    excerpt: str,
    page: int | None = None,
    note: str = "",
) -> Coding:
    """Code words pasted from a source, found in it the way quotes are found in a PDF.

    The path for a browser without JavaScript (no selection to send): the
    words are looked for in the quote, on PDF page `page` of the full text,
    or in segment `page` of the transcript; with no `page`, everywhere.
    Matching ignores case, spacing and punctuation; "..." stands for words
    left out (domain.quotes.locate).
    """
    tx.require(review_id, Permission.SYNTHESISE)
    if not excerpt.strip():
        raise InputError("Paste the words to code: the excerpt is empty.")
    if kind is PassageKind.QUOTE:
        quote = _quote(tx, review_id, source_id)
        found = locate([quote.text], excerpt)
        if found is None:
            raise InputError(f"Those words are not in quote {quote.id} ({quote.citation}).")
        return code_quote(
            tx, review_id, concept_id, quote.id, start=found[1], end=found[3], note=note
        )
    if kind is PassageKind.REPORT:
        report = fulltext_service.get_report(tx, review_id, source_id)
        pages = fulltext_service.report_pages(tx, review_id, source_id)
        texts = [(p.number, p.text) for p in pages]
        number, start, end = _find(texts, excerpt, page, report.filename, "PDF page")
        return code_report_page(
            tx, review_id, concept_id, report.id, pdf_page=number, start=start, end=end, note=note
        )
    transcript = get_transcript(tx, review_id, source_id)
    texts = [(s.number, s.text) for s in transcript.segments]
    number, start, end = _find(texts, excerpt, page, transcript.filename, "segment")
    return code_transcript(
        tx, review_id, concept_id, transcript.id, segment=number, start=start, end=end, note=note
    )


def withdraw_coding(tx: Tx, review_id: int, coding_id: int, *, reason: str = "") -> None:
    """Take a coding back; it stays in the history with why."""
    tx.require(review_id, Permission.SYNTHESISE)
    found = store.codings_of(tx.session, review_id, coding_ids=[coding_id], withdrawn=True)
    if not found:
        raise NotFoundError(f"Review {review_id} has no coding {coding_id}.")
    if store.is_withdrawn(tx.session, coding_id):
        raise InputError(f"Coding {coding_id} was withdrawn already.")
    store.insert_withdrawal(tx.session, coding_id, reason=reason.strip(), at=tx.now, actor=tx.actor)
    tx.log(
        "coding withdrawn",
        review_id,
        coding=coding_id,
        concept=found[0].concept_id,
        reason=reason.strip(),
    )


def codings(
    tx: Tx, review_id: int, *, concept_id: int | None = None, record_id: int | None = None
) -> list[Coding]:
    """The codings standing (not withdrawn), in the order made: a concept's, or a study's."""
    tx.require(review_id, Permission.VIEW)
    return store.codings_of(
        tx.session,
        review_id,
        concept_ids=None if concept_id is None else [concept_id],
        record_id=record_id,
    )


def _code(
    tx: Tx, review_id: int, concept: Concept, passage: Passage, *, record_id: int | None, note: str
) -> Coding:
    coded = store.insert_coding(
        tx.session,
        review_id,
        concept_id=concept.id,
        passage=passage,
        record_id=record_id,
        note=note.strip(),
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "passage coded",
        review_id,
        coding=coded.id,
        concept=concept.id,
        kind=passage.kind.value,
        source=passage.source_id,
        page=passage.page_label,
        record=record_id,
    )
    return coded


def _quote(tx: Tx, review_id: int, quote_id: int) -> Quote:
    for quote in quote_service.quotes(tx, review_id):
        if quote.id == quote_id:
            return quote
    raise NotFoundError(f"Review {review_id} has no quote {quote_id} from an included study.")


def _fits(concept: Concept, kind: PassageKind, *, record_id: int, what: str) -> None:
    """A study's concept is read in that study only; a roundtable's, in its transcripts."""
    if concept.source is ConceptSource.ROUNDTABLE:
        raise InputError(
            f"Concept {concept.name!r} is the roundtable's: code its transcript to it, not {what}."
        )
    if concept.source is ConceptSource.STUDY and concept.record_id != record_id:
        raise InputError(
            f"Concept {concept.name!r} is another study's than {what}'s: code {what} to a "
            "concept of its own study, or to a third-order concept."
        )


def _span(text: str, start: int, end: int, where: str) -> str:
    if not 0 <= start < end <= len(text):
        raise InputError(
            f"Characters {start} to {end} are not a stretch of {where} "
            f"(it has {len(text)} characters; the end comes after the start)."
        )
    return text[start:end]


def _find(
    texts: Sequence[tuple[int, str]], excerpt: str, page: int | None, name: str, unit: str
) -> tuple[int, int, int]:
    """(page or segment number, start, end) of the first place the words are, or a refusal."""
    if page is not None:
        texts = [(number, text) for number, text in texts if number == page]
        if not texts:
            raise InputError(f"{name} has no {unit} {page}.")
    for number, text in texts:
        found = locate([text], excerpt)
        if found is not None:
            return number, found[1], found[3]
    where = f"{unit} {page} of {name}" if page is not None else name
    raise InputError(
        f"Those words are not in {where}. Paste them as they stand there; '...' may stand "
        "for words left out."
    )
