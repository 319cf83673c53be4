"""bob codes what the studies and the roundtable said to the concepts he read in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from cosynth.domain.quotes import QuoteKind
from cosynth.domain.synthesis import Concept, ConceptSource, ConstructOrder, PassageKind
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import coding, concepts, fulltext, quotes, roundtables
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.extraction_helpers import two_studies
from tests.services.test_quotes import PAGES, article_pdf

VTT = b"""WEBVTT

00:00:01.000 --> 00:00:09.000
<v Sam>Nobody asked us what we needed until the carers' group started.

00:00:10.000 --> 00:00:20.000
<v Jo>When we helped run the sessions it felt like our service, not theirs.
"""


@dataclass(frozen=True)
class Reading:
    studies: list[int]
    report: int
    quote: int
    listened: Concept  # the first study's first-order concept
    other: Concept  # the second study's
    design: Concept  # the team's third-order concept


@pytest.fixture
def reading(workspace: Workspace, team: Team) -> Reading:
    studies = two_studies(workspace, team)
    with workspace.transaction("bob") as tx:
        report = fulltext.attach_report(
            tx, team.review_id, studies[0], "author1.pdf", article_pdf(*PAGES)
        )
        quote = quotes.add_quote(
            tx,
            team.review_id,
            studies[0],
            "We were listened to for the first time, and it changed how the service was run.",
            kind=QuoteKind.FIRST_ORDER,
            report_id=report.id,
        )
        listened = concepts.add_concept(
            tx,
            team.review_id,
            "being listened to",
            order=ConstructOrder.FIRST,
            source=ConceptSource.STUDY,
            record_id=studies[0],
        )
        other = concepts.add_concept(
            tx,
            team.review_id,
            "being heard",
            order=ConstructOrder.FIRST,
            source=ConceptSource.STUDY,
            record_id=studies[1],
        )
    with workspace.transaction("alice") as tx:
        design = concepts.add_concept(
            tx,
            team.review_id,
            "person-centred design",
            order=ConstructOrder.THIRD,
            source=ConceptSource.REVIEW,
        )
    return Reading(studies, report.id, quote.id, listened, other, design)


def test_it_codes_a_stretch_of_a_quote_and_keeps_its_words(
    workspace: Workspace, team: Team, reading: Reading
) -> None:
    with workspace.transaction("bob") as tx:
        coded = coding.code_quote(
            tx, team.review_id, reading.listened.id, reading.quote, start=0, end=38, note="key"
        )
        whole = coding.code_quote(tx, team.review_id, reading.design.id, reading.quote)
    assert coded.passage.excerpt == "We were listened to for the first time"
    assert (coded.passage.kind, coded.passage.page_label, coded.record_id) == (
        PassageKind.QUOTE,
        "242",
        reading.studies[0],
    )
    assert whole.passage.excerpt.startswith("We were") and whole.passage.end == len(
        whole.passage.excerpt
    )


def test_it_refuses_a_span_outside_the_quote(
    workspace: Workspace, team: Team, reading: Reading
) -> None:
    with workspace.transaction("bob") as tx:
        with pytest.raises(InputError, match="not a stretch of quote"):
            coding.code_quote(tx, team.review_id, reading.listened.id, reading.quote, end=999)
        with pytest.raises(InputError, match="not a stretch"):
            coding.code_quote(
                tx, team.review_id, reading.listened.id, reading.quote, start=5, end=5
            )


def test_it_codes_a_passage_of_a_full_texts_page(
    workspace: Workspace, team: Team, reading: Reading
) -> None:
    with workspace.transaction("bob") as tx:
        page = fulltext.report_pages(tx, team.review_id, reading.report)[1]
        start = page.text.index("One carer said")
        coded = coding.code_report_page(
            tx,
            team.review_id,
            reading.listened.id,
            reading.report,
            pdf_page=2,
            start=start,
            end=start + 14,
        )
        with pytest.raises(InputError, match="no PDF page 9"):
            coding.code_report_page(
                tx, team.review_id, reading.listened.id, reading.report, pdf_page=9, start=0, end=3
            )
        with pytest.raises(InputError, match="not a stretch of PDF page 2"):
            coding.code_report_page(
                tx,
                team.review_id,
                reading.listened.id,
                reading.report,
                pdf_page=2,
                start=0,
                end=len(page.text) + 1,
            )
    assert coded.passage.excerpt == "One carer said"
    assert (coded.passage.page_number, coded.passage.page_label) == (2, "242")


def test_it_codes_a_study_only_to_its_own_concepts(
    workspace: Workspace, team: Team, reading: Reading
) -> None:
    with workspace.transaction("bob") as tx:
        with pytest.raises(InputError, match="another study's"):
            coding.code_quote(tx, team.review_id, reading.other.id, reading.quote)
        with pytest.raises(InputError, match="another study's"):
            coding.code_report_page(
                tx, team.review_id, reading.other.id, reading.report, pdf_page=1, start=0, end=10
            )
        # The team's own concepts take any study's words.
        coding.code_report_page(
            tx, team.review_id, reading.design.id, reading.report, pdf_page=1, start=0, end=10
        )
        assert len(coding.codings(tx, team.review_id)) == 1


def test_it_finds_pasted_words_in_their_source(
    workspace: Workspace, team: Team, reading: Reading
) -> None:
    with workspace.transaction("bob") as tx:
        in_quote = coding.code_excerpt(
            tx,
            team.review_id,
            reading.listened.id,
            kind=PassageKind.QUOTE,
            source_id=reading.quote,
            excerpt="it changed how the service was run",
        )
        anywhere = coding.code_excerpt(
            tx,
            team.review_id,
            reading.listened.id,
            kind=PassageKind.REPORT,
            source_id=reading.report,
            excerpt="depth of  EMPATHY also empowered",
        )
        with pytest.raises(InputError, match=r"not in PDF page 1 of author1\.pdf"):
            coding.code_excerpt(
                tx,
                team.review_id,
                reading.listened.id,
                kind=PassageKind.REPORT,
                source_id=reading.report,
                excerpt="depth of empathy",
                page=1,
            )
    assert in_quote.passage.excerpt == "it changed how the service was run"
    assert (anywhere.passage.page_number, anywhere.passage.excerpt) == (
        3,
        "depth of empathy also empowered",
    )


def test_it_codes_the_roundtable_transcript_to_the_roundtables_concepts(
    workspace: Workspace, team: Team, reading: Reading
) -> None:
    with workspace.transaction("alice") as tx:
        table = roundtables.add_roundtable(
            tx, team.review_id, held_on=date(2023, 5, 10), minutes=90, title="Roundtable"
        )
        transcript = roundtables.import_transcript(
            tx, team.review_id, table.id, "roundtable.vtt", VTT
        )
    with workspace.transaction("bob") as tx:
        ours = concepts.add_concept(
            tx,
            team.review_id,
            "our service",
            order=ConstructOrder.FIRST,
            source=ConceptSource.ROUNDTABLE,
            roundtable_id=table.id,
        )
        coded = coding.code_excerpt(
            tx,
            team.review_id,
            ours.id,
            kind=PassageKind.TRANSCRIPT,
            source_id=transcript.id,
            excerpt="it felt like our service",
        )
        with pytest.raises(InputError, match=r"not in segment 1 of roundtable\.vtt"):
            coding.code_excerpt(
                tx,
                team.review_id,
                ours.id,
                kind=PassageKind.TRANSCRIPT,
                source_id=transcript.id,
                excerpt="it felt like our service",
                page=1,
            )
        with pytest.raises(InputError, match="code its transcript to it"):
            coding.code_quote(tx, team.review_id, ours.id, reading.quote)
        with pytest.raises(InputError, match="is a study's"):
            coding.code_transcript(
                tx,
                team.review_id,
                reading.listened.id,
                transcript.id,
                segment=1,
                start=0,
                end=6,
            )
        with pytest.raises(InputError, match="no segment 7"):
            coding.code_transcript(
                tx, team.review_id, ours.id, transcript.id, segment=7, start=0, end=6
            )
    assert (coded.passage.page_number, coded.passage.page_label) == (2, "00:00:10.000")
    assert coded.passage.excerpt == "it felt like our service"
    assert coded.record_id is None


def test_it_withdraws_a_coding_and_keeps_it_in_the_history(
    workspace: Workspace, team: Team, reading: Reading
) -> None:
    with workspace.transaction("bob") as tx:
        coded = coding.code_quote(tx, team.review_id, reading.listened.id, reading.quote)
        kept = coding.code_quote(tx, team.review_id, reading.design.id, reading.quote)
    with workspace.transaction("carol") as tx:
        coding.withdraw_coding(tx, team.review_id, coded.id, reason="the wrong concept")
        with pytest.raises(InputError, match="withdrawn already"):
            coding.withdraw_coding(tx, team.review_id, coded.id)
        with pytest.raises(NotFoundError, match="no coding 999"):
            coding.withdraw_coding(tx, team.review_id, 999)
    with workspace.transaction("pat") as tx:
        assert coding.codings(tx, team.review_id) == [kept]
        assert coding.codings(tx, team.review_id, concept_id=reading.listened.id) == []
        assert coding.codings(tx, team.review_id, record_id=reading.studies[0]) == [kept]


def test_it_lets_only_the_team_code(workspace: Workspace, team: Team, reading: Reading) -> None:
    for who in ("pat", "mallory"):
        with workspace.transaction(who) as tx:
            with pytest.raises(PermissionDeniedError):
                coding.code_quote(tx, team.review_id, reading.listened.id, reading.quote)
    with workspace.transaction("mallory") as tx:
        with pytest.raises(PermissionDeniedError):
            coding.codings(tx, team.review_id)
