"""One strategy, six databases: the paper's SPICES search written in each database's
documented syntax (golden strings checked by hand against each database's help), and
what each database cannot express said in plain words instead of a wrong string."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cosynth.domain.search import Database, DateLimits, Field, Severity, Strategy
from cosynth.domain.search_syntax import translate, validate
from tests.domain.search_examples import (
    TI_AB,
    block,
    cinahl,
    mesh,
    paper_strategy,
    phrase,
    word,
)

PUBMED = (
    '("Delivery of Health Care, Integrated"[mh] OR ("integrated care"[tiab] OR '
    '"integrated care"[ot]) OR ("integrated health and social care"[tiab] OR '
    '"integrated health and social care"[ot]) OR ("integrated care system"[tiab] OR '
    '"integrated care system"[ot])) AND ("service user"[tiab] OR "service users"[tiab] OR '
    'carer*[tiab] OR "unpaid carers"[tiab] OR staff[tiab]) AND ("Patient Participation"[mh] '
    'OR (coproduc*[tiab] OR coproduc*[ot]) OR ("co-production"[tiab] OR "co-production"[ot]) '
    'OR ("co-design"[tiab] OR "co-design"[ot]) OR ("experience based co-design"[tiab] OR '
    '"experience based co-design"[ot])) AND (transform*[tiab] OR "service design"[tiab] OR '
    '"service improvement"[tiab:~3]) AND ("Qualitative Research"[mh:noexp] OR '
    'qualitative[tiab] OR "mixed methods"[tiab] OR interview*[tiab] OR "focus groups"[tiab]) '
    'AND "2012/03/01:2022/03/31"[dp]'
)

OVID = """\
1 exp Delivery of Health Care, Integrated/
2 integrated care.ti,ab,kf.
3 "integrated health and social care".ti,ab,kf.
4 integrated care system.ti,ab,kf.
5 1 or 2 or 3 or 4
6 service user.ti,ab.
7 service users.ti,ab.
8 carer*.ti,ab.
9 unpaid carers.ti,ab.
10 staff.ti,ab.
11 6 or 7 or 8 or 9 or 10
12 exp Patient Participation/
13 coproduc*.ti,ab,kf.
14 co-production.ti,ab,kf.
15 co-design.ti,ab,kf.
16 experience based co-design.ti,ab,kf.
17 12 or 13 or 14 or 15 or 16
18 transform*.ti,ab.
19 service design.ti,ab.
20 (service adj4 improvement).ti,ab.
21 18 or 19 or 20
22 Qualitative Research/
23 qualitative.ti,ab.
24 mixed methods.ti,ab.
25 interview*.ti,ab.
26 focus groups.ti,ab.
27 22 or 23 or 24 or 25 or 26
28 5 and 11 and 17 and 21 and 27
29 limit 28 to yr="2012 - 2022\""""

_SETTING = '"integrated care" OR "integrated health and social care" OR "integrated care system"'
_PERSPECTIVE = '"service user" OR "service users" OR carer* OR "unpaid carers" OR staff'
_INTERVENTION = 'coproduc* OR "co-production" OR "co-design" OR "experience based co-design"'
_EVALUATION = 'transform* OR "service design" OR (service {near} improvement)'
_METHOD = 'qualitative OR "mixed methods" OR interview* OR "focus groups"'

CINAHL = (
    f'((MH "Health Care Delivery, Integrated+") OR TI ({_SETTING}) OR AB ({_SETTING}) OR '
    f"KW ({_SETTING})) AND (TI ({_PERSPECTIVE}) OR AB ({_PERSPECTIVE})) AND "
    f"(TI ({_INTERVENTION}) OR AB ({_INTERVENTION}) OR KW ({_INTERVENTION})) AND "
    f"(TI ({_EVALUATION.format(near='N3')}) OR AB ({_EVALUATION.format(near='N3')})) AND "
    f'((MH "Qualitative Studies+") OR TI ({_METHOD}) OR AB ({_METHOD}))'
)

WOS = (
    f"(TS=({_SETTING})) AND (TI=({_PERSPECTIVE}) OR AB=({_PERSPECTIVE})) AND "
    f"(TS=({_INTERVENTION})) AND (TI=({_EVALUATION.format(near='NEAR/3')}) OR "
    f"AB=({_EVALUATION.format(near='NEAR/3')})) AND (TI=({_METHOD}) OR AB=({_METHOD})) "
    "AND PY=2012-2022"
)

SCOPUS = (
    f"(TITLE-ABS-KEY({_SETTING})) AND (TITLE({_PERSPECTIVE}) OR ABS({_PERSPECTIVE})) AND "
    f"(TITLE-ABS-KEY({_INTERVENTION})) AND (TITLE({_EVALUATION.format(near='W/3')}) OR "
    f"ABS({_EVALUATION.format(near='W/3')})) AND (TITLE({_METHOD}) OR ABS({_METHOD})) "
    "AND PUBYEAR > 2011 AND PUBYEAR < 2023"
)


def _epmc(text: str, *prefixes: str) -> str:
    return "(" + " OR ".join(f"{p}{text}" for p in prefixes) + ")"


_TA = ("TITLE:", "ABSTRACT:")
_TAK = ("TITLE:", "ABSTRACT:", "KW:")
EUROPE_PMC = (
    '(MESH_HEADING:"Delivery of Health Care, Integrated" OR '
    + " OR ".join(
        _epmc(t, *_TAK)
        for t in (
            '"integrated care"',
            '"integrated health and social care"',
            '"integrated care system"',
        )
    )
    + ") AND ("
    + " OR ".join(
        _epmc(t, *_TA)
        for t in ('"service user"', '"service users"', "carer*", '"unpaid carers"', "staff")
    )
    + ') AND (MESH_HEADING:"Patient Participation" OR '
    + " OR ".join(
        _epmc(t, *_TAK)
        for t in ("coproduc*", '"co-production"', '"co-design"', '"experience based co-design"')
    )
    + ") AND ("
    + " OR ".join(
        _epmc(t, *_TA) for t in ("transform*", '"service design"', '"service improvement"~3')
    )
    + ') AND (MESH_HEADING:"Qualitative Research" OR '
    + " OR ".join(
        _epmc(t, *_TA) for t in ("qualitative", '"mixed methods"', "interview*", '"focus groups"')
    )
    + ") AND FIRST_PDATE:[2012-03-01 TO 2022-03-31]"
)

NO_LIMITS = DateLimits()

GOLDEN = {
    Database.PUBMED: PUBMED,
    Database.OVID_MEDLINE: OVID,
    Database.CINAHL: CINAHL,
    Database.WOS: WOS,
    Database.SCOPUS: SCOPUS,
    Database.EUROPE_PMC: EUROPE_PMC,
}


@pytest.mark.parametrize("database", list(Database))
def test_it_writes_the_papers_strategy_in_each_databases_syntax(database: Database) -> None:
    translation = translate(paper_strategy(), database)
    assert translation.errors == ()
    assert translation.string == GOLDEN[database]
    assert validate(database, translation.string) == () or all(
        p.severity is Severity.WARNING for p in validate(database, translation.string)
    )


def test_it_gives_cinahls_dates_as_a_limiter_beside_the_string() -> None:
    translation = translate(paper_strategy(), Database.CINAHL)
    assert translation.limiters == ("Published Date: 20120301-20220331",)
    assert "2012" not in translation.string


@pytest.mark.parametrize("database", [Database.OVID_MEDLINE, Database.WOS, Database.SCOPUS])
def test_it_warns_where_a_database_limits_by_whole_years(database: Database) -> None:
    warnings = " ".join(translate(paper_strategy(), database).warnings)
    assert "2012-01-01 to 2012-02-29" in warnings
    assert "2022-04-01 to 2022-12-31" in warnings


def test_it_does_not_warn_about_years_when_the_limits_are_whole_years() -> None:
    strategy = replace(paper_strategy(), limits=DateLimits(date(2012, 1, 1), date(2022, 12, 31)))
    assert not any("whole years" in w for w in translate(strategy, Database.SCOPUS).warnings)


def test_it_leaves_out_headings_a_database_does_not_index_with_and_names_them() -> None:
    pubmed = translate(paper_strategy(), Database.PUBMED)
    assert "Qualitative Studies" not in pubmed.string
    assert any(
        '"Health Care Delivery, Integrated", "Qualitative Studies"' in w and "MeSH" in w
        for w in pubmed.warnings
    )
    scopus = translate(paper_strategy(), Database.SCOPUS)
    assert any("no thesaurus" in w and '"Patient Participation"' in w for w in scopus.warnings)


def test_it_warns_that_europe_pmc_does_not_explode_a_heading() -> None:
    warnings = translate(paper_strategy(), Database.EUROPE_PMC).warnings
    assert any('"service improvement"' in w and "two words closer" in w for w in warnings)
    assert any('"Patient Participation"' in w and "narrower headings" in w for w in warnings)
    assert not any('"Qualitative Research" as given' in w for w in warnings)  # not exploded


def _one_block(*terms: object, limits: DateLimits = NO_LIMITS) -> Strategy:
    return Strategy(1, blocks=(block("Setting", "setting", *terms),), limits=limits)  # type: ignore[arg-type]


def test_it_refuses_a_truncated_phrase_in_europe_pmc_instead_of_a_wrong_string() -> None:
    translation = translate(_one_block(phrase("care system", truncated=True)), Database.EUROPE_PMC)
    assert translation.string == ""
    assert "cannot truncate a word inside a phrase" in translation.errors[0]
    # PubMed, Scopus and Web of Science truncate the end of a phrase.
    assert (
        '"care system*"[tiab]'
        in translate(_one_block(phrase("care system", truncated=True)), Database.PUBMED).string
    )


def test_it_refuses_truncation_in_a_pubmed_proximity_search() -> None:
    strategy = _one_block(phrase("service improv", truncated=True, proximity=2))
    translation = translate(strategy, Database.PUBMED)
    assert translation.string == ""
    assert "cannot truncate words in a proximity search" in translation.errors[0]
    assert "(service N2 improv*)" in translate(strategy, Database.CINAHL).string
    assert "(service adj3 improv*).ti,ab." in translate(strategy, Database.OVID_MEDLINE).string


def test_it_refuses_a_pubmed_proximity_search_outside_title_and_abstract() -> None:
    strategy = _one_block(
        phrase("service improvement", proximity=2, fields=frozenset({Field.KEYWORDS}))
    )
    assert "only in the title" in translate(strategy, Database.PUBMED).errors[0]


def test_it_refuses_the_abstract_alone_in_pubmed() -> None:
    strategy = _one_block(word("coproduction", fields=frozenset({Field.ABSTRACT})))
    translation = translate(strategy, Database.PUBMED)
    assert "cannot search the abstract without the title" in translation.errors[0]
    assert translate(strategy, Database.SCOPUS).string.startswith("(ABS(coproduction))")


def test_it_refuses_a_short_truncated_stem_in_web_of_science() -> None:
    translation = translate(_one_block(word("co", truncated=True)), Database.WOS)
    assert "at least 3 letters" in translation.errors[0]


def test_it_names_a_block_that_nothing_can_search_in_a_database() -> None:
    strategy = _one_block(mesh("Delivery of Health Care, Integrated"))
    translation = translate(strategy, Database.SCOPUS)
    assert translation.string == ""
    assert 'Nothing in the block "Setting" can be searched in Scopus' in translation.errors[0]
    assert translate(strategy, Database.PUBMED).ok


def test_it_refuses_a_strategy_with_no_blocks() -> None:
    translation = translate(Strategy(1), Database.PUBMED)
    assert "no concept blocks" in translation.errors[0]


def test_it_nots_an_exclusion_block_last_with_a_warning() -> None:
    strategy = Strategy(
        1,
        blocks=(
            block("Setting", "setting", phrase("integrated care")),
            block("Not children", "", word("paediatric", truncated=True), exclude=True),
        ),
    )
    scopus = translate(strategy, Database.SCOPUS)
    assert scopus.string == (
        '((TITLE("integrated care") OR ABS("integrated care"))) AND NOT '
        "(TITLE(paediatric*) OR ABS(paediatric*))"
    )
    assert any("NOT drops every record" in w for w in scopus.warnings)
    pubmed = translate(strategy, Database.PUBMED)
    assert pubmed.string == '(("integrated care"[tiab])) NOT (paediatric*[tiab])'
    ovid = translate(strategy, Database.OVID_MEDLINE)
    assert ovid.string == "1 integrated care.ti,ab.\n2 paediatric*.ti,ab.\n3 1 not 2"


def test_it_writes_a_lone_proximity_search_without_a_second_pair_of_brackets() -> None:
    strategy = _one_block(phrase("service improvement", proximity=3))
    assert translate(strategy, Database.SCOPUS).string == (
        "(TITLE(service W/3 improvement) OR ABS(service W/3 improvement))"
    )
    assert translate(strategy, Database.CINAHL).string == (
        "(TI (service N3 improvement) OR AB (service N3 improvement))"
    )


def test_it_quotes_an_ovid_phrase_that_holds_an_operator_word() -> None:
    ovid = translate(_one_block(phrase("health and social care")), Database.OVID_MEDLINE)
    assert ovid.string == '1 "health and social care".ti,ab.'


def test_it_writes_headings_exploded_or_not_in_each_thesaurus() -> None:
    strategy = _one_block(
        mesh("Patient Participation", explode=False), cinahl("Consumer Participation")
    )
    assert translate(strategy, Database.PUBMED).string == '("Patient Participation"[mh:noexp])'
    assert translate(strategy, Database.OVID_MEDLINE).string == "1 Patient Participation/"
    assert translate(strategy, Database.CINAHL).string == '((MH "Consumer Participation+"))'


def test_it_writes_open_ended_dates() -> None:
    strategy = _one_block(word("coproduction"), limits=DateLimits(date(2012, 3, 1), None))
    assert translate(strategy, Database.PUBMED).string.endswith('"2012/03/01:3000/12/31"[dp]')
    assert translate(strategy, Database.SCOPUS).string.endswith("AND PUBYEAR > 2011")
    assert translate(strategy, Database.OVID_MEDLINE).string.endswith(
        'limit 1 to yr="2012 - Current"'
    )


# --- the validator


def _messages(database: Database, string: str) -> list[str]:
    return [p.message for p in validate(database, string)]


def test_it_finds_brackets_and_quotes_that_do_not_balance() -> None:
    assert _messages(Database.PUBMED, '("integrated care"[tiab] OR coproduc*[tiab]') == [
        "the bracket ( at character 1 is not closed."
    ]
    assert _messages(Database.SCOPUS, 'TITLE-ABS-KEY("integrated care)') == [
        'the double quote " at character 15 is not closed.',
        "the bracket ( at character 14 is not closed.",
    ]
    assert _messages(Database.WOS, "TS=(a OR b))") == [
        "a closing ) at character 12 has no opening ( before it."
    ]


def test_it_reads_brackets_inside_quotes_as_words() -> None:
    assert validate(Database.PUBMED, '"care (integrated)"[tiab]') == ()


def test_it_names_another_databases_operator() -> None:
    assert _messages(Database.PUBMED, "service adj3 improvement") == [
        "PubMed does not know adj (Ovid's proximity operator)."
    ]
    assert _messages(Database.SCOPUS, "TITLE-ABS-KEY(a) NOT TITLE-ABS-KEY(b)") == [
        "Scopus does not know NOT on its own: Scopus writes AND NOT."
    ]
    assert _messages(Database.CINAHL, "TI (service NEAR/3 improvement)") == [
        "CINAHL (EBSCOhost) does not know NEAR/n (Web of Science's): EBSCO writes Nn."
    ]


def test_it_finds_empty_blocks_and_dangling_operators() -> None:
    messages = _messages(Database.PUBMED, "(coproduction[tiab]) AND () AND")
    assert "an empty pair of brackets (): a block with no terms in it." in messages
    assert "'AND': an operator with no term on one side." in messages


def test_it_warns_of_lower_case_operators_where_they_are_words() -> None:
    messages = _messages(Database.PUBMED, "coproduction[tiab] and carer*[tiab]")
    assert messages == [
        'PubMed reads a lower-case "and" as a word to search for, not an operator: write AND.'
    ]
    assert (
        validate(Database.OVID_MEDLINE, "1 coproduction.ti,ab.\n2 carer*.ti,ab.\n3 1 and 2") == ()
    )


def test_it_checks_an_ovid_strategy_line_by_line() -> None:
    assert _messages(Database.OVID_MEDLINE, "1 (service adj4 improvement.ti,ab.\n2 1 or 1") == [
        "line 1: the bracket ( at character 1 is not closed."
    ]


def test_it_refuses_word_processor_quotes() -> None:
    assert "curly quotes" in _messages(Database.WOS, "TS=(\u201cintegrated care\u201d)")[0]


def test_it_counts_web_of_science_operators_in_an_all_fields_search() -> None:
    string = "ALL=(" + " OR ".join(f"term{i}" for i in range(51)) + ")"
    assert "50 operators" in _messages(Database.WOS, string)[0]
    assert validate(Database.WOS, string.replace("ALL=", "TS=")) == ()


def test_it_says_so_when_the_string_is_empty() -> None:
    assert _messages(Database.EUROPE_PMC, "  ") == ["The Europe PMC string is empty."]


def test_it_lets_a_keyword_field_set_through_every_database() -> None:
    strategy = _one_block(word("coproduction", fields=TI_AB))
    for database in Database:
        assert translate(strategy, database).ok, database
