"""alice sets the question with SPICES, builds the strategy with pat's suggested terms,
translates it for each database, and bob logs the searches as they are run."""

from __future__ import annotations

from datetime import date
from importlib.resources import files

import pytest

from cosynth.domain.advisory import MemberKind
from cosynth.domain.search import Database, Field, TermKind, Vocabulary
from cosynth.errors import DataFileError, InputError, NotFoundError, PermissionDeniedError
from cosynth.services import question, search_log, strategy
from cosynth.services.advisory_group import add_group_member
from cosynth.services.imports import import_file
from cosynth.services.reviews import get_review
from cosynth.services.workspace import Workspace
from tests.conftest import Team

SPICES = {
    "setting": "Health and care services within integrated care",
    "perspective": "Service users, unpaid carers, members of staff",
    "intervention": "Co-production",
    "comparison": "Hypothetically, prior to/without co-production",
    "evaluation": "The design and transformation of service provision",
    "social_science_method": "Qualitative and mixed method",
}
QUESTION = (
    "How has co-production with service users, unpaid carers and members of staff impacted "
    "the design and transformation of integrated health and care services?"
)


def test_it_ships_the_frameworks_as_data() -> None:
    names = {f.id: f.name for f in question.available_frameworks()}
    assert names == {
        "peo": "PEO",
        "pico": "PICO",
        "pico-qualitative": "PICo",
        "spice": "SPICE",
        "spices": "SPICES",
        "spider": "SPIDER",
    }
    spices = question.get_framework("spices")
    assert [e.letter for e in spices.elements] == ["S", "P", "I", "C", "E", "S"]
    assert "Booth" in spices.citation


def test_it_sets_the_question_and_builds_the_papers_table_one(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction(team.lead) as tx:
        set_ = question.set_question(tx, team.review_id, "spices", SPICES, text=QUESTION)
        table = question.table_one(tx, team.review_id)
        review = get_review(tx, team.review_id)
    assert set_.version == 1
    assert review.question == QUESTION
    assert table.heading_label == "SPICES HEADINGS"
    assert table.rows[0].heading == "Setting"
    assert table.rows[-1].concept == "Qualitative and mixed method"
    assert len(table.rows) == 6


def test_it_keeps_every_version_of_the_question(workspace: Workspace, team: Team) -> None:
    with workspace.transaction(team.lead) as tx:
        question.set_question(
            tx, team.review_id, "spice", {"setting": "Integrated care"}, text="Q1?"
        )
        question.set_question(tx, team.review_id, "spices", SPICES, text=QUESTION)
    with workspace.transaction(team.adviser) as tx:
        history = question.question_history(tx, team.review_id)
    assert [(q.version, q.framework_name) for q in history] == [(1, "SPICE"), (2, "SPICES")]


def test_it_refuses_an_element_the_framework_does_not_have(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction(team.lead) as tx, pytest.raises(InputError) as refused:
        question.set_question(tx, team.review_id, "pico", {"setting": "x"}, text="Q?")
    assert 'PICO has no element "setting"' in refused.value.message


def test_it_reads_a_reviews_own_framework_with_the_same_loader(
    workspace: Workspace, team: Team
) -> None:
    own = files("cosynth.frameworks").joinpath("spider.toml").read_bytes()
    own = own.replace(b'id = "spider"', b'id = "our-spider"')
    with workspace.transaction(team.lead) as tx:
        set_ = question.set_question(
            tx, team.review_id, "", {"sample": "Carers"}, text="Q?",
            framework_file=("ours.toml", own),
        )  # fmt: skip
        assert question.question_framework(tx, team.review_id) is not None
    assert set_.framework_id == "our-spider"
    broken = own.replace(b'key = "design"', b'key = "sample"')
    with workspace.transaction(team.lead) as tx, pytest.raises(DataFileError) as refused:
        question.set_question(
            tx, team.review_id, "", {"sample": "x"}, text="Q?",
            framework_file=("ours.toml", broken),
        )  # fmt: skip
    assert refused.value.message.startswith("ours.toml, line ")
    assert 'two elements have the key "sample"' in refused.value.message


def _strategy(workspace: Workspace, team: Team) -> int:
    """The paper-like strategy, through the services; pat's member id is returned."""
    with workspace.transaction(team.lead) as tx:
        pat = add_group_member(
            tx, team.review_id, "Pat", kind=MemberKind.SERVICE_USER, username="pat"
        )
        question.set_question(tx, team.review_id, "spices", SPICES, text=QUESTION)
        blocks = strategy.blocks_from_question(tx, team.review_id)
        by_key = {b.element_key: b.id for b in blocks}
        add = strategy.add_term
        add(tx, team.review_id, by_key["setting"], "integrated care", kind=TermKind.PHRASE)
        add(
            tx, team.review_id, by_key["setting"], "Delivery of Health Care, Integrated",
            kind=TermKind.HEADING, vocabulary=Vocabulary.MESH,
        )  # fmt: skip
        add(
            tx,
            team.review_id,
            by_key["perspective"],
            "carer",
            kind=TermKind.KEYWORD,
            truncated=True,
        )
        add(
            tx, team.review_id, by_key["perspective"], "unpaid carers", kind=TermKind.PHRASE,
            suggested_by_member=pat.id,
        )  # fmt: skip
        add(
            tx,
            team.review_id,
            by_key["intervention"],
            "coproduc",
            kind=TermKind.KEYWORD,
            truncated=True,
        )
        add(
            tx, team.review_id, by_key["evaluation"], "service improvement",
            kind=TermKind.PHRASE, proximity=3,
        )  # fmt: skip
        add(
            tx,
            team.review_id,
            by_key["social_science_method"],
            "qualitative",
            kind=TermKind.KEYWORD,
        )
        strategy.set_date_limits(tx, team.review_id, date(2012, 3, 1), date(2022, 3, 31))
    return pat.id


def test_it_builds_the_blocks_from_the_question_and_translates_them(
    workspace: Workspace, team: Team
) -> None:
    _strategy(workspace, team)
    with workspace.transaction(team.reviewers[0]) as tx:
        found = strategy.get_strategy(tx, team.review_id)
        pubmed = strategy.translate_strategy(tx, team.review_id, Database.PUBMED)
        every = strategy.translate_all(tx, team.review_id)
    # Comparison is not searched (SPICES's "hypothetically, prior to/without").
    assert [b.label for b in found.blocks] == [
        "Setting", "Perspective", "Intervention", "Evaluation", "Social science method",
    ]  # fmt: skip
    assert pubmed.string == (
        '("integrated care"[tiab] OR "Delivery of Health Care, Integrated"[mh]) AND '
        '(carer*[tiab] OR "unpaid carers"[tiab]) AND (coproduc*[tiab]) AND '
        '("service improvement"[tiab:~3]) AND (qualitative[tiab]) AND '
        '"2012/03/01:2022/03/31"[dp]'
    )
    assert all(t.ok for t in every)
    assert len(every) == 6


def test_it_credits_the_advisory_group_member_who_suggested_a_term(
    workspace: Workspace, team: Team
) -> None:
    pat_id = _strategy(workspace, team)
    with workspace.transaction(team.adviser) as tx:
        suggested = strategy.suggested_terms(tx, team.review_id)
    assert [
        (t.text, t.suggested_by.group_member_id, t.suggested_by.label)
        for t in suggested
        if t.suggested_by
    ] == [("unpaid carers", pat_id, "Pat")]


def test_it_removes_a_term_and_keeps_the_history(workspace: Workspace, team: Team) -> None:
    _strategy(workspace, team)
    with workspace.transaction(team.lead) as tx:
        setting = strategy.get_strategy(tx, team.review_id).blocks[0]
        strategy.remove_term(tx, team.review_id, setting.terms[0].id, reason="too broad")
        after = strategy.get_strategy(tx, team.review_id).blocks[0]
        with pytest.raises(NotFoundError):
            strategy.remove_term(tx, team.review_id, setting.terms[0].id)
    assert [t.text for t in after.terms] == ["Delivery of Health Care, Integrated"]


def test_it_refuses_terms_that_do_not_fit_together(workspace: Workspace, team: Team) -> None:
    with workspace.transaction(team.lead) as tx:
        block = strategy.add_block(tx, team.review_id, "Setting")
        cases = [
            ("integrated care", {"kind": TermKind.KEYWORD}, "more than one word"),
            ("care", {"kind": TermKind.PHRASE, "proximity": 2}, "two words or more"),
            ("Patient Participation", {"kind": TermKind.HEADING}, "which thesaurus"),
            ("coproduc*", {"kind": TermKind.KEYWORD}, "wildcard"),
            ('"care"', {"kind": TermKind.PHRASE}, "quotes or brackets"),
            ("care", {"kind": TermKind.KEYWORD, "fields": frozenset()}, "which fields"),
        ]
        for text, options, words in cases:
            with pytest.raises(InputError) as refused:
                strategy.add_term(tx, team.review_id, block.id, text, **options)  # type: ignore[arg-type]
            assert words in refused.value.message
        with pytest.raises(InputError, match="run backwards"):
            strategy.set_date_limits(tx, team.review_id, date(2022, 3, 31), date(2012, 3, 1))


def test_only_the_lead_changes_the_strategy_and_mallory_sees_nothing(
    workspace: Workspace, team: Team
) -> None:
    _strategy(workspace, team)
    with workspace.transaction(team.reviewers[0]) as tx, pytest.raises(PermissionDeniedError):
        strategy.add_block(tx, team.review_id, "More")
    with workspace.transaction(team.adviser) as tx, pytest.raises(PermissionDeniedError):
        question.set_question(tx, team.review_id, "spices", SPICES, text=QUESTION)
    with workspace.transaction(team.outsider) as tx:
        for call in (
            lambda: strategy.get_strategy(tx, team.review_id),
            lambda: question.current_question(tx, team.review_id),
            lambda: search_log.search_log(tx, team.review_id),
        ):
            with pytest.raises(PermissionDeniedError):
                call()


SAMPLE = files("cosynth") / "samples"


def test_it_logs_each_search_and_links_it_to_the_import_for_prisma_counts(
    workspace: Workspace, team: Team
) -> None:
    _strategy(workspace, team)
    with workspace.transaction(team.reviewers[0]) as tx:
        pubmed = strategy.translate_strategy(tx, team.review_id, Database.PUBMED)
        entry = search_log.log_search(
            tx, team.review_id, "pubmed", run_on=date(2022, 3, 31), string=pubmed.string,
            limits="Published 2012-03-01 to 2022-03-31", hits=4,
        )  # fmt: skip
        report = import_file(
            tx, team.review_id, "Ovid_ris_example.ris",
            (SAMPLE / "Ovid_ris_example.ris").read_bytes(), database="MEDLINE", platform="PubMed",
        )  # fmt: skip
        linked = search_log.link_source(tx, team.review_id, entry.id, report.source.id)
        search_log.log_search(
            tx, team.review_id, "HMIC", run_on=date(2022, 3, 30), string="co-production",
        )  # fmt: skip
        counts = search_log.database_counts(tx, team.review_id)
    assert (entry.database, entry.platform, entry.warnings) == ("MEDLINE", "PubMed", ())
    assert linked.source_ids == (report.source.id,)
    assert [(c.database, c.searches, c.hits, c.records_imported) for c in counts] == [
        ("HMIC", 1, None, 0),
        ("MEDLINE", 1, 4, 4),
    ]


def test_it_logs_a_hand_typed_string_as_run_with_the_validators_warnings(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction(team.reviewers[0]) as tx:
        entry = search_log.log_search(
            tx, team.review_id, "Scopus", run_on=date(2022, 3, 31),
            string='TITLE-ABS-KEY("integrated care") NOT TITLE-ABS-KEY(child*',
        )  # fmt: skip
    assert entry.warnings == (
        "the bracket ( at character 51 is not closed.",
        "Scopus does not know NOT on its own: Scopus writes AND NOT.",
    )


def test_it_refuses_a_search_log_entry_without_what_prisma_s_asks(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction(team.reviewers[0]) as tx:
        with pytest.raises(InputError, match="exact search string"):
            search_log.log_search(tx, team.review_id, "CINAHL", run_on=date(2022, 3, 1), string=" ")
        with pytest.raises(InputError, match="in the future"):
            search_log.log_search(tx, team.review_id, "CINAHL", run_on=date(2999, 1, 1), string="x")
        with pytest.raises(NotFoundError):
            search_log.link_source(tx, team.review_id, 999, 1)
    with workspace.transaction(team.adviser) as tx, pytest.raises(PermissionDeniedError):
        search_log.log_search(tx, team.review_id, "CINAHL", run_on=date(2022, 3, 1), string="x")


def test_fields_round_trip_through_the_store(workspace: Workspace, team: Team) -> None:
    with workspace.transaction(team.lead) as tx:
        block = strategy.add_block(tx, team.review_id, "Intervention")
        term = strategy.add_term(
            tx, team.review_id, block.id, "co-design", kind=TermKind.KEYWORD,
            fields=frozenset({Field.TITLE, Field.KEYWORDS}), suggested_by_username="pat",
        )  # fmt: skip
    assert term.fields == {Field.TITLE, Field.KEYWORDS}
    assert term.suggested_by is not None and term.suggested_by.username == "pat"


def test_it_writes_the_search_log_as_csv_for_the_appendix(workspace: Workspace, team: Team) -> None:
    with workspace.transaction(team.reviewers[0]) as tx:
        search_log.log_search(
            tx, team.review_id, "Scopus", run_on=date(2022, 3, 31),
            string='TITLE-ABS-KEY("co-production")', hits=87, limits="2012-2022",
        )  # fmt: skip
        search_log.log_search(
            tx, team.review_id, "Social Care Online", run_on=date(2022, 3, 30),
            string="=HYPERLINK(1)", note="a string that looks like a formula",
        )  # fmt: skip
        data = search_log.search_log_csv(tx, team.review_id)
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == (
        "Database,Platform,Date searched,Limits,Search string,Records found,"
        "Imported as source,Logged by,Note"
    )
    assert lines[1].startswith("Social Care Online,,2022-03-30,,'=HYPERLINK(1),,,bob,")
    assert (
        lines[2] == 'Scopus,Scopus,2022-03-31,2012-2022,"TITLE-ABS-KEY(""co-production"")",87,,bob,'
    )
